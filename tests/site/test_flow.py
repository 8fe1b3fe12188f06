"""The job-flow skeleton: its steps in order, where it stops, the hooks around the submit,
the movement logs, and the one way a finished job becomes an error."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import pytest

from wixloc.errors import JobFailedError, UsageError, VerificationError
from wixloc.model import Language, Table
from wixloc.roundtrip.threeway import Reconciled
from wixloc.site.collections import ItemsImport, ItemsPlan
from wixloc.site.flow import Flow, JobHooks, Outcome, fetch_logs, file_format, run_flow
from wixloc.site.localization import ImportPlan, ImportResult, Mismatch, Rejected
from wixloc.wix import wire
from wixloc.wix.client import PollPolicy, WixClient

SPEC = wire.JobSpec(wire.FileSource("f1", "CSV"), wire.Localization(("en", "de")))
LOG = wire.MovementLog("2", "WDE0080", "bad row")


@dataclass
class FakeClient:
    """Just what the skeleton calls; each call is noted in *calls*."""

    calls: list[str]
    finished: wire.Job
    logs: list[wire.MovementLog] = field(default_factory=list)
    poll: PollPolicy = field(default_factory=lambda: PollPolicy(initial=0.0))

    def submit_job(self, spec: wire.JobSpec) -> wire.Job:
        self.calls.append("submit")
        return wire.Job(self.finished.id, "INITIALIZING")

    def get_job(self, job_id: str) -> wire.Job:
        self.calls.append("wait")
        return self.finished

    def sleep(self, seconds: float) -> None:
        raise AssertionError("a finished job is not polled again")

    def iter_logs(self, job_id: str) -> Iterator[wire.MovementLog]:
        self.calls.append(f"logs {job_id}")
        return iter(self.logs)


class Steps(Flow[str, Outcome[str]]):
    """A flow that notes its steps in the client's call list."""

    def __init__(self, client: FakeClient, *, empty: bool = False, refuse: bool = False) -> None:
        super().__init__(cast(WixClient, client))
        self.calls = client.calls
        self.empty = empty
        self.refusing = refuse

    def plan(self) -> str:
        self.calls.append("plan")
        return "the plan"

    def nothing_to_do(self, plan: str) -> bool:
        return self.empty

    def refuse(self, plan: str) -> None:
        self.calls.append("refuse?")
        if self.refusing:
            raise UsageError("refused")

    def stage(self, plan: str) -> wire.JobSpec:
        self.calls.append("stage")
        return SPEC

    def judge(self, job: wire.Job) -> None:
        self.calls.append(f"judge {job.status}")

    def outcome(self, plan: str, job: wire.Job, logs: list[wire.MovementLog]) -> Outcome[str]:
        self.calls.append("outcome")
        return Outcome(plan, job, logs)

    def stopped(self, plan: str, *, cancelled: bool) -> Outcome[str]:
        self.calls.append("stopped")
        return Outcome(plan, cancelled=cancelled)


class Hooks(JobHooks):
    def __init__(self, calls: list[str]) -> None:
        self.calls = calls

    def before_submit(self, spec: wire.JobSpec) -> None:
        # the staged spec, with the unique name it is submitted under (a journal records it)
        assert (spec.source, spec.destination) == (SPEC.source, SPEC.destination)
        assert re.fullmatch(r"wixloc \[[0-9a-f]{12}\]", spec.name)
        self.calls.append("before submit")

    def after_submit(self, job: wire.Job) -> None:
        self.calls.append(f"after submit {job.id} {job.status}")


def client(status: str = "COMPLETED", rejected: int = 0, recorded: bool = False) -> FakeClient:
    progress = wire.Progress(3, 3, rejected, 3 - rejected)
    job = wire.Job("j1", status, progress=progress, logs_recorded=recorded)
    return FakeClient([], job, [LOG] if rejected or recorded else [])


@dataclass
class User:
    """The CLI's side: shows the plan, answers the question."""

    calls: list[str]
    answer: bool = True

    def show(self, plan: str) -> None:
        self.calls.append(f"show {plan}")

    def confirm(self, plan: str) -> bool:
        self.calls.append("confirm")
        return self.answer


def test_the_steps_run_in_order() -> None:
    fake = client("PARTIALLY_SUCCESSFUL", rejected=1)
    calls = fake.calls
    user = User(calls)
    result = run_flow(Steps(fake), show=user.show, confirm=user.confirm, hooks=Hooks(calls))
    assert calls == [
        "plan",
        "show the plan",
        "refuse?",
        "confirm",
        "stage",
        "before submit",
        "submit",
        "after submit j1 INITIALIZING",
        "wait",
        "judge PARTIALLY_SUCCESSFUL",
        "logs j1",
        "outcome",
    ]
    assert result.job is fake.finished and result.logs == [LOG] and not result.cancelled


def test_a_dry_run_and_an_empty_plan_stop_after_showing() -> None:
    for flow, dry_run in ((Steps(client()), True), (Steps(client(), empty=True), False)):
        user = User(flow.calls)
        result = run_flow(flow, dry_run=dry_run, show=user.show, confirm=user.confirm)
        assert flow.calls == ["plan", "show the plan", "stopped"]
        assert (result.job, result.cancelled) == (None, False)


def test_a_refusal_comes_before_the_question() -> None:
    fake = client()
    with pytest.raises(UsageError, match="refused"):
        user = User(fake.calls)
        run_flow(Steps(fake, refuse=True), show=user.show, confirm=user.confirm)
    assert fake.calls == ["plan", "show the plan", "refuse?"]


def test_a_no_submits_nothing() -> None:
    fake = client()
    user = User(fake.calls, answer=False)
    hooks = Hooks(fake.calls)
    result = run_flow(Steps(fake), show=user.show, confirm=user.confirm, hooks=hooks)
    assert fake.calls == ["plan", "show the plan", "refuse?", "confirm", "stopped"]
    assert (result.job, result.cancelled, result.error()) == (None, True, None)


def test_logs_are_read_when_the_job_has_some() -> None:
    for fake, expected in (
        (client(), []),
        (client(recorded=True), [LOG]),
        (client("PARTIALLY_SUCCESSFUL", rejected=1), [LOG]),  # logsRecorded left out
    ):
        assert fetch_logs(cast(WixClient, fake), fake.finished) == expected
        assert fake.calls == ([f"logs {fake.finished.id}"] if expected else [])
    # an export trusts logsRecorded alone
    partial = client("PARTIALLY_SUCCESSFUL", rejected=1)
    assert fetch_logs(cast(WixClient, partial), partial.finished, trust_rejected=False) == []
    assert partial.calls == []


def test_the_file_format_follows_the_extension_unless_named() -> None:
    assert file_format(Path("a.jsonl"), None) == "JSONL"
    assert file_format(Path("a.NDJSON"), None) == "JSONL"
    assert file_format(Path("a.csv"), None) == "CSV"
    assert file_format(Path("a.txt"), "jsonl") == "JSONL"


# --- outcome → error --------------------------------------------------------------------------


def job(status: str, rejected: int, total: int = 10) -> wire.Job:
    error = wire.JobError("WDE0014", "quota") if status == "FAILED" else None
    return wire.Job("j2", status, progress=wire.Progress(total, total, rejected, 0), error=error)


def test_a_finished_job_is_an_error_unless_completed() -> None:
    assert Outcome("p").error() is None  # no job ran
    assert Outcome("p", job("COMPLETED", 0)).error() is None
    partial = Outcome("p", job("PARTIALLY_SUCCESSFUL", 2)).error()
    assert isinstance(partial, JobFailedError)
    assert str(partial) == "job j2 was only partly successful: 2 of 10 items rejected"
    failed = Outcome("p", job("FAILED", 3)).error()
    assert isinstance(failed, JobFailedError) and failed.code == "WDE0014"
    assert str(failed) == "job j2 failed: quota; 3 of 10 items rejected [WDE0014]"


_EMPTY = Table([Language("en"), Language("de")], [])
PLAN = ImportPlan("c.csv", ["en", "de"], Reconciled(_EMPTY, _EMPTY), Path("b.csv"), [])


def test_an_import_counts_rows_and_falls_back_on_the_logs() -> None:
    rejected = [Rejected("2", "k", "WDE0080", "bad"), Rejected("3", "k2", "WDE0080", "bad")]
    result = ImportResult(PLAN, job("PARTIALLY_SUCCESSFUL", 0), rejected=rejected)
    assert str(result.error()) == "job j2 was only partly successful: 2 of 10 rows rejected"
    result = ImportResult(PLAN, job("PARTIALLY_SUCCESSFUL", 1), rejected=rejected)
    assert str(result.error()) == "job j2 was only partly successful: 1 of 10 rows rejected"


def test_values_that_did_not_stick_are_a_verification_error() -> None:
    mismatch = Mismatch(("Products", "i1", "title"), "de", "Box", None)
    result = ImportResult(PLAN, job("COMPLETED", 0), mismatches=[mismatch])
    error = result.error()
    assert isinstance(error, VerificationError)
    assert str(error) == "1 imported value is not on the site after the import"


def test_a_collection_import_says_how_many_already_existed() -> None:
    plan = ItemsPlan("n.csv", "Products", "SKIP_EXISTING", Path("b.csv"), 3, 2, 2)
    skipped = [wire.MovementLog(i, "WDE0074", "item already exists") for i in ("a", "b")]
    result = ItemsImport(plan, job("PARTIALLY_SUCCESSFUL", 2, total=3), skipped)
    assert str(result.error()) == (
        "job j2 was only partly successful: 2 of 3 items rejected (2 already existed)"
    )
