"""The job's unique name can be given before the submit (a journal records it first); the
client submits such a name as it is and adds a suffix to any other."""

from __future__ import annotations

import re

from tests.support.sandbox import client_for, make_app
from wixloc.wix import wire
from wixloc.wix.client import unique_job_name

SPEC = wire.JobSpec(wire.Localization(("en", "de")), wire.FileDestination("CSV", "x.csv"))


def test_a_name_with_its_suffix_is_kept() -> None:
    name = unique_job_name("wixloc export")
    assert re.fullmatch(r"wixloc export \[[0-9a-f]{12}\]", name)
    assert unique_job_name(name) == name
    assert unique_job_name(name) != unique_job_name("wixloc export")
    assert re.fullmatch(r"wixloc \[[0-9a-f]{12}\]", unique_job_name(""))
    assert len(unique_job_name("x" * 2000)) == 1024


def test_submit_job_uses_a_unique_name_verbatim() -> None:
    client = client_for(make_app())
    named = wire.JobSpec(SPEC.source, SPEC.destination, name=unique_job_name("wixloc export"))
    assert client.submit_job(named).name == named.name
    plain = client.submit_job(wire.JobSpec(SPEC.source, SPEC.destination, name="wixloc export"))
    assert re.fullmatch(r"wixloc export \[[0-9a-f]{12}\]", plain.name)
