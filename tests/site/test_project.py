"""The Project: where every file under .wixloc/ goes, its timestamps, its state file."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from wixloc.errors import UsageError
from wixloc.model import Column, ColumnKind, Entry, Language, Table
from wixloc.site.project import Project
from wixloc.state import OutFile, State, save_state

MOMENT = datetime(2026, 3, 1, 10, 0, 5, 123, tzinfo=UTC)


def at(root: Path, moment: datetime = MOMENT) -> Project:
    return Project(root, clock=lambda: moment)


def test_every_path_lies_under_the_state_folder(tmp_path: Path) -> None:
    project = Project(tmp_path)
    assert project.state_dir == tmp_path / ".wixloc"
    assert {
        "state": project.state_path,
        "snapshots": project.snapshots,
        "backups": project.backups,
        "merged": project.merged,
        "reports": project.reports,
        "sandbox": project.sandbox_db,
    } == {
        "state": tmp_path / ".wixloc" / "state.json",
        "snapshots": tmp_path / ".wixloc" / "snapshots",
        "backups": tmp_path / ".wixloc" / "backups",
        "merged": tmp_path / ".wixloc" / "merged",
        "reports": tmp_path / ".wixloc" / "reports",
        "sandbox": tmp_path / ".wixloc" / "sandbox.db",
    }


def test_the_current_folder_names_its_files_relatively() -> None:
    # the commands without a wixloc.toml print their backups like this
    backup = at(Path(".")).new_backup("backup")
    assert str(backup) == ".wixloc/backups/backup-20260301-100005-000123.csv"
    assert Project.here().root == Path(".")


def test_names_carry_the_time(tmp_path: Path) -> None:
    project = at(tmp_path)
    assert project.stamp() == "20260301-100005-000123"
    assert project.now() == "2026-03-01T10:00:05Z"
    assert project.new_backup("Products").name == "Products-20260301-100005-000123.csv"
    assert project.new_snapshot("pull").name == "20260301-100005-000123-pull.csv"
    merged = project.new_merged("push")
    assert merged == tmp_path / ".wixloc" / "merged" / "20260301-100005-000123-push.csv"
    assert project.report_for(merged) == project.reports / "20260301-100005-000123-push.html"


def test_the_latest_snapshot_is_the_newest_by_name(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as caught:
        Project(tmp_path).latest_snapshot()
    assert str(caught.value) == "no snapshot of the site yet (run 'wixloc pull' first)"
    times = [datetime(2026, 3, day, tzinfo=UTC) for day in (2, 1, 3)]
    for label, moment in zip(("pull", "push", "pull"), times, strict=True):
        path = at(tmp_path, moment).new_snapshot(label)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x\n")
    latest = Project(tmp_path).latest_snapshot()
    assert latest.name == "20260303-000000-000000-pull.csv"


def test_the_state_file_is_written_as_the_state_module_writes_it(tmp_path: Path) -> None:
    project = Project(tmp_path)
    assert project.load_state() == State()  # none yet
    en, de = Language("en"), Language("de")
    table = Table(
        [en, de],
        [Column("k", ColumnKind.KEY), Column("en", ColumnKind.LANGUAGE, en),
         Column("de", ColumnKind.LANGUAGE, de)],
        [Entry(("title",), {en: "Mug", de: "Becher"})],
    )  # fmt: skip
    state = State(out=[OutFile("translations/content.de.po", "de", 1, "t", "s", "abc")])
    state.accept(table)
    project.save_state(state)
    save_state(state, tmp_path / "direct.json")
    assert project.state_path.read_bytes() == (tmp_path / "direct.json").read_bytes()
    assert project.load_state() == state


def test_init_writes_the_gitignore_once(tmp_path: Path) -> None:
    project = Project(tmp_path)
    project.init_state_dir()
    ignore = tmp_path / ".wixloc" / ".gitignore"
    assert ignore.read_text() == (
        "# Keep state.json under version control; the rest is local.\n"
        "backups/\nsnapshots/\nreports/\nmerged/\nsandbox.db*\n"
    )
    ignore.write_text("mine\n")
    project.init_state_dir()
    assert ignore.read_text() == "mine\n"  # a user's own is kept


def test_paths_are_shown_relative_to_the_root(tmp_path: Path) -> None:
    project = Project(tmp_path / "p")
    assert project.rel(tmp_path / "p" / ".wixloc" / "state.json") == ".wixloc/state.json"
    assert project.rel(tmp_path / "elsewhere.csv") == str(tmp_path / "elsewhere.csv")
