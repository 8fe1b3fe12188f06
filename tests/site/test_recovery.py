"""site.recovery: the journal written around a flow's job, and what the next command does with
a record a killed command left: the job looked up by id or by name, waited for, handed to the
handler of its kind, the record closed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.sandbox import EXPORT_CSV, client_for, make_app
from wixloc.errors import ConfigError
from wixloc.sandbox import SandboxApp
from wixloc.site.journal import Journal, Record
from wixloc.site.localization import import_content
from wixloc.site.project import Project
from wixloc.site.recovery import HANDLERS, JournalHooks, resolve_pending
from wixloc.wix import wire
from wixloc.wix.client import WixClient


@pytest.fixture
def app() -> SandboxApp:
    return make_app()


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project(tmp_path)


class Watching(JournalHooks):
    """JournalHooks that keep a copy of the journal's records at each hook."""

    def __init__(self, project: Project, **kw: bool) -> None:
        super().__init__(project, "import", {"file": "c.csv"}, **kw)
        self.seen: list[list[tuple[str, str | None]]] = []

    def _note(self) -> None:
        self.seen.append([(r.kind, r.job_id) for r in self.journal.pending()])

    def before_submit(self, spec: wire.JobSpec) -> None:
        super().before_submit(spec)
        self._note()

    def after_submit(self, job: wire.Job) -> None:
        super().after_submit(job)
        self._note()

    def after_wait(self, job: wire.Job) -> None:
        super().after_wait(job)
        self._note()


def edited(tmp_path: Path) -> Path:
    path = tmp_path / "c.csv"
    path.write_text(EXPORT_CSV.replace("Geschenkbox", "Geschenkkiste"), encoding="utf-8")
    return path


def test_the_journal_around_an_import(app: SandboxApp, project: Project, tmp_path: Path) -> None:
    hooks = Watching(project)
    result = import_content(client_for(app), edited(tmp_path), project=project, hooks=hooks)
    assert result.job is not None
    assert hooks.seen == [[("import", None)], [("import", result.job.id)], []]


def test_a_kind_that_records_more_closes_its_record_itself(
    app: SandboxApp, project: Project, tmp_path: Path
) -> None:
    hooks = Watching(project, close_when_finished=False)
    result = import_content(client_for(app), edited(tmp_path), project=project, hooks=hooks)
    assert result.job is not None and hooks.record is not None
    assert hooks.seen[-1] == [("import", result.job.id)]
    hooks.journal.close(hooks.record)
    assert hooks.journal.pending() == []


def test_a_record_without_a_job_never_reached_the_site(app: SandboxApp, project: Project) -> None:
    Journal(project.state_dir).begin("import", "wixloc import [0123456789ab]", {"file": "c.csv"})
    assert resolve_pending(project, client_for(app)) == [
        "the import of c.csv that was interrupted never reached the site; nothing was imported"
    ]
    assert Journal(project.state_dir).pending() == []


def test_each_kind_has_its_handler(app: SandboxApp, project: Project, tmp_path: Path) -> None:
    client = client_for(app)
    hooks = JournalHooks(project, "push", {"files": ["translations/content.de.po"]})
    hooks.close_when_finished = False
    result = import_content(client, edited(tmp_path), project=project, hooks=hooks)
    assert result.job is not None
    seen: list[tuple[str, str | None, str | None]] = []

    def push(project: Project, client: WixClient, record: Record, job: wire.Job | None) -> str:
        seen.append((record.kind, record.data["files"][0], job.status if job else None))
        return "push recorded"

    assert resolve_pending(project, client, {**HANDLERS, "push": push}) == ["push recorded"]
    assert seen == [("push", "translations/content.de.po", "COMPLETED")]
    assert Journal(project.state_dir).pending() == []


def test_a_record_of_an_unknown_kind_stays_and_stops_the_command(
    app: SandboxApp, project: Project
) -> None:
    record = Journal(project.state_dir).begin("push", "wixloc import [0123456789ab]", {})
    assert record.path is not None
    with pytest.raises(ConfigError) as caught:
        resolve_pending(project, client_for(app))
    assert str(caught.value) == (
        f"journal/{record.path.name}: interrupted 'push' work this wixloc cannot finish "
        "(look the job up with 'wixloc jobs list', then delete the record)"
    )
    assert len(Journal(project.state_dir).pending()) == 1


def test_a_job_still_running_is_waited_for(project: Project, tmp_path: Path) -> None:
    app = make_app(step_delay=0.02)
    client = client_for(app)
    spec = wire.JobSpec(
        wire.Localization(("en", "de")), wire.FileDestination("CSV", "x.csv"), name="export"
    )
    job = client.submit_job(spec)
    journal = Journal(project.state_dir)
    journal.submitted(journal.begin("import", job.name, {"file": "c.csv"}), job.id)
    assert not client.get_job(job.id).finished
    assert resolve_pending(project, client) == [
        f"the import job {job.id} (c.csv) that was interrupted finished COMPLETED; recorded"
    ]
    app.runner.join()
