"""The localization import's steps against the sandbox in process: the backup where the
Project puts it, the plan, the refusal of main-language changes, the hooks around the submit."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.support.hooks import HookRecorder
from tests.support.sandbox import EXPORT_CSV, ITEM1, SITE_ID, client_for, make_app
from wixloc.errors import UsageError
from wixloc.sandbox import SandboxApp
from wixloc.site.localization import ImportPlan, export_content, import_content
from wixloc.site.project import Project
from wixloc.wix import wire

STAMP = "20260301-100005-000123"
PROJECT_CLOCK = datetime(2026, 3, 1, 10, 0, 5, 123, tzinfo=UTC)


@pytest.fixture
def app() -> SandboxApp:
    return make_app()


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project(tmp_path, clock=lambda: PROJECT_CLOCK)


def edited(tmp_path: Path, old: str, new: str) -> Path:
    path = tmp_path / "content.csv"
    assert old in EXPORT_CSV
    path.write_text(EXPORT_CSV.replace(old, new), encoding="utf-8", newline="")
    return path


def test_a_dry_run_plans_without_a_job_and_writes_no_backup(
    app: SandboxApp, project: Project, tmp_path: Path
) -> None:
    path = edited(tmp_path, "Geschenkbox", "Geschenkkiste")
    jobs = len(app.store.jobs(SITE_ID))
    result = import_content(client_for(app), path, dry_run=True, project=project)
    plan = result.plan
    assert plan.backup == tmp_path / ".wixloc" / "backups" / f"backup-{STAMP}.csv"
    assert not plan.backup.exists()  # kept only when the import runs
    assert [(d.language, d.added, d.changed, d.blanked) for d in plan.diffs] == [
        ("en", 0, 0, 0), ("de", 0, 1, 0), ("fr", 0, 0, 0), ("he", 0, 0, 0), ("ja", 0, 0, 0),
    ]  # fmt: skip
    assert (result.job, result.cancelled, result.error()) == (None, False, None)
    assert len(app.store.jobs(SITE_ID)) == jobs + 1  # the export compared with only


def test_the_import_runs_between_the_hooks_and_is_verified(
    app: SandboxApp, project: Project, tmp_path: Path
) -> None:
    path = edited(tmp_path, "Geschenkbox", "Geschenkkiste")
    hooks = HookRecorder()
    result = import_content(client_for(app), path, project=project, hooks=hooks)
    assert result.job is not None and result.job.status == "COMPLETED"
    assert [job.id for job in hooks.jobs] == [result.job.id]
    (spec,) = hooks.specs
    assert spec.destination == wire.Localization(("en", "de"))  # the languages that change
    # the upload and the backup hold the one row that changes, as the export spells it
    header = EXPORT_CSV.splitlines()[0]
    (row,) = [line for line in EXPORT_CSV.splitlines() if "Geschenkbox" in line]
    assert result.plan.backup.read_text(encoding="utf-8").splitlines() == [header, row]
    key_and_en_de = [",".join(c for c in header.split(",")[:5])]
    assert result.plan.upload_bytes().decode("utf-8").splitlines()[0] == key_and_en_de[0]
    assert re.fullmatch(r"wixloc import \[[0-9a-f]{12}\]", spec.name)  # unique before submit
    assert result.job.name == spec.name
    assert (result.rejected, result.mismatches, result.error()) == ([], [], None)
    export_content(client_for(app), tmp_path / "after.csv")
    assert "Geschenkkiste" in (tmp_path / "after.csv").read_text(encoding="utf-8")


def test_main_language_changes_are_refused_before_the_question(
    app: SandboxApp, project: Project, tmp_path: Path
) -> None:
    path = edited(tmp_path, "Gift box", "Gift crate")
    hooks = HookRecorder()
    asked: list[ImportPlan] = []

    def confirm(plan: ImportPlan) -> bool:
        asked.append(plan)
        return True

    with pytest.raises(UsageError) as caught:
        import_content(client_for(app), path, project=project, hooks=hooks, confirm=confirm)
    assert str(caught.value) == (
        f"the file changes main-language (en) text of 1 entry, e.g. Products|{ITEM1}|title "
        "(pass --update-source to change the site's main-language text)"
    )
    assert (asked, hooks.specs) == ([], [])


def test_a_file_the_site_already_holds_submits_nothing(
    app: SandboxApp, project: Project, tmp_path: Path
) -> None:
    path = tmp_path / "same.csv"
    path.write_text(EXPORT_CSV, encoding="utf-8", newline="")
    hooks = HookRecorder()
    result = import_content(client_for(app), path, project=project, hooks=hooks)
    assert result.plan.changes == 0 and result.job is None and hooks.specs == []


def test_a_no_is_cancelled(app: SandboxApp, project: Project, tmp_path: Path) -> None:
    path = edited(tmp_path, "Geschenkbox", "Geschenkkiste")
    result = import_content(client_for(app), path, project=project, confirm=lambda plan: False)
    assert (result.job, result.cancelled) == (None, True)
