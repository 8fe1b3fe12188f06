"""Signed, expiring download URLs (issue 15) and ``wixloc sandbox reset`` inside a project."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from tests.support.sandbox import KEY, SEED, SITE_ID, FakeClock, client_for, make_app
from wixloc.cli import cli
from wixloc.errors import RemoteError
from wixloc.sandbox import make_sandbox
from wixloc.sandbox.runner import FILE_URL_TTL
from wixloc.site.project import Project
from wixloc.wix import wire
from wixloc.wix.jobs import export_localization


def test_download_urls_carry_a_token_and_expire_after_15_minutes(tmp_path: Path) -> None:
    clock = FakeClock()
    app = make_app(clock=clock)
    client = client_for(app)
    job = export_localization(client, ["en", "de"], tmp_path / "first.csv")
    url = job.download_url or ""
    match = re.fullmatch(
        r"http://sandbox\.test/_sandbox/files/([0-9a-f-]{36})\?token=([\w-]{32})", url
    )
    assert match is not None, url
    raw = httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://sandbox.test")
    bare = raw.get(f"/_sandbox/files/{match[1]}")
    wrong = raw.get(f"/_sandbox/files/{match[1]}", params={"token": "guess"})
    assert (bare.status_code, wrong.status_code) == (404, 404)
    assert bare.json()["message"] == "NOT_FOUND: no such file"
    clock.advance(FILE_URL_TTL - 1)
    client.download(url, tmp_path / "again.csv")  # no Wix headers, still valid
    assert (tmp_path / "again.csv").read_bytes() == (tmp_path / "first.csv").read_bytes()
    clock.advance(2)
    answer = raw.get(url)
    assert answer.status_code == 403
    assert answer.json()["details"]["applicationError"]["code"] == "URL_EXPIRED"
    with pytest.raises(RemoteError) as info:
        client.download(url, tmp_path / "late.csv")
    assert re.sub(r", request id \w+", "", str(info.value)) == (
        "the download URL has expired or is not valid [HTTP 403, URL_EXPIRED] "
        "(download URLs are short-lived; run the command again for a new job and URL)"
    )


def test_every_result_file_gets_its_own_token(tmp_path: Path) -> None:
    client = client_for(make_app())
    spec = wire.JobSpec(wire.CollectionSource("Products"), wire.FileDestination("CSV"))
    urls = {export_localization(client, ["en", "fr"], tmp_path / "a.csv").download_url}
    urls.add(client.get_job(client.submit_job(spec).id).download_url)
    tokens = {u.split("token=")[1] for u in urls if u}
    assert len(tokens) == len(urls)


@pytest.fixture
def sandbox_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["init", "--sandbox"])
    assert result.exit_code == 0, result.output
    return tmp_path


def test_reset_in_a_sandbox_project_resets_its_own_database(
    sandbox_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = Project(sandbox_project).sandbox_db
    app = make_sandbox(db, api_key=KEY, seed=SEED, reset=True)
    client_for(app).submit_job(
        wire.JobSpec(wire.Localization(("en", "de")), wire.FileDestination())
    )
    app.runner.join()
    assert app.store.jobs(SITE_ID)
    app.store.close()
    (sandbox_project / "sub").mkdir()
    monkeypatch.chdir(sandbox_project / "sub")  # any folder of the project
    result = CliRunner().invoke(cli, ["sandbox", "reset", "--seed", str(SEED)])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Reset {db}: site {SITE_ID} (en, de, fr, he, ja).\n"
    assert make_sandbox(db, api_key="k").store.jobs(SITE_ID) == []
    assert not (sandbox_project / ".wixloc" / "sandbox-serve.db").exists()
    assert not (sandbox_project / "sub" / ".wixloc").exists()


def test_reset_outside_a_sandbox_project_keeps_the_served_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["sandbox", "reset", "--seed", str(SEED)])
    assert (
        result.stdout == f"Reset .wixloc/sandbox-serve.db: site {SITE_ID} (en, de, fr, he, ja).\n"
    )
    assert (tmp_path / ".wixloc" / "sandbox-serve.db").is_file()
