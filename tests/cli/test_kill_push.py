"""``kill -9`` during ``wixloc push --yes``, then ``push`` and ``status`` again: the project ends
as if the push had finished or had never started (issue 13, as tests/cli/test_kill.py does for
``import``). The push runs in a subprocess against a sandbox served on 127.0.0.1 (port 0)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

import wixloc.site.connect  # noqa: F401 - loaded before the fixture patches PollPolicy
from tests.cli.test_kill import MAIN, imports
from tests.conftest import REPO
from tests.support.sandbox import (
    make_app,
    served_site,
)
from wixloc.cli import cli
from wixloc.formats import load_table
from wixloc.model import Language
from wixloc.sandbox import SandboxApp
from wixloc.site.journal import Journal

DE = Path("translations", "content.de.po")
GERMAN = [
    "Geschenkbox",
    'DE <p>A box, "sturdy", with a lid</p>',
    "DE Candle",
    "DE Line one\nline two",
    "Willkommen",
]


@pytest.fixture
def pulled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SandboxApp]:
    """A project pulled from a served sandbox, its German file filled by the translator."""
    project = tmp_path / "project"
    project.mkdir()
    monkeypatch.chdir(project)
    app = make_app(tmp_path / "served.db")
    with served_site(app, monkeypatch):
        for args in (["init"], ["pull"]):
            result = CliRunner().invoke(cli, args)
            assert result.exit_code == 0, result.output
        po = polib.pofile(str(DE))
        for entry in po:
            entry.msgstr = entry.msgstr or f"DE {entry.msgid}"
            entry.flags = [f for f in entry.flags if f != "fuzzy"]
        po.save()
        yield app
        app.runner.join()


def killed_push(point: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "WIXLOC_TEST_KILL_AT": point}
    args = [sys.executable, "-c", MAIN, "push", "--yes"]
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=120)


def german() -> list[str]:
    """The site's German texts, by a fresh export."""
    result = CliRunner().invoke(cli, ["export", "-o", "now.csv"])
    assert result.exit_code == 0, result.output
    return [e.text(Language("de")) for e in load_table("now.csv").entries]


def the_project_is_clean(app: SandboxApp, before_jobs: int) -> None:
    """Journal empty, one push import, the file marked pushed, status and a pull work."""
    assert Journal(Path(".wixloc")).pending() == []
    assert len(imports(app)) == before_jobs + 1  # the push's import ran exactly once
    state = json.loads(Path(".wixloc", "state.json").read_text(encoding="utf-8"))
    (de,) = [out for out in state["out"] if out["path"] == "translations/content.de.po"]
    assert de["pushed"]
    status = CliRunner().invoke(cli, ["status"])
    assert status.exit_code == 0, status.output
    assert status.stdout.splitlines()[3].split() == ["de", "5", "0", "0", "100.0%"]
    assert "interrupted work" not in status.stdout
    assert "content.de.po" not in status.stdout  # not out any more
    again = CliRunner().invoke(cli, ["pull"])  # no --force: the German file was pushed
    assert again.exit_code == 0, again.output
    assert "de        (nothing to translate)" in again.stdout


def test_killed_before_the_submit_pushes_on_the_next_run(pulled: SandboxApp) -> None:
    app = pulled
    proc = killed_push("before-submit")
    assert proc.returncode == 137, proc.stderr
    (record,) = Journal(Path(".wixloc")).pending()
    assert (record.kind, record.job_id) == ("push", None)
    assert imports(app) == []
    result = CliRunner().invoke(cli, ["push", "--yes"])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(
        "wixloc: the push that was interrupted never reached the site; nothing was imported\n"
    )
    assert "  de        3 added, 0 changed, 0 blanked\n" in result.stdout
    assert "Backup of the rows it changed, as they were: .wixloc/backups/backup-" in result.stdout
    assert result.stdout.endswith("recorded 8 accepted translations in .wixloc/state.json\n")
    the_project_is_clean(app, 0)
    assert german() == GERMAN


@pytest.mark.parametrize("point", ["after-submit", "after-wait", "after-record"])
def test_killed_after_the_submit_is_recorded_by_the_next_push(
    pulled: SandboxApp, point: str
) -> None:
    app = pulled
    proc = killed_push(point)
    assert proc.returncode == 137, proc.stderr
    (record,) = Journal(Path(".wixloc")).pending()
    assert record.kind == "push"
    (job_id,) = imports(app)
    assert record.job_id == (None if point == "after-submit" else job_id)
    assert record.data["files"].keys() == {
        f"translations/content.{t}.po" for t in ("de", "fr", "he", "ja")
    }
    app.runner.join()
    result = CliRunner().invoke(cli, ["push", "--yes"])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(
        f"wixloc: the push job {job_id} that was interrupted finished COMPLETED; "
        "recorded 8 accepted translations (push again to mark the files pushed)\n"
    )
    again = (  # after-record: marked pushed before the kill; else merged again, found there
        "translations/content.de.po: already pushed, unchanged since: not merged again\n"
        if point == "after-record"
        else "merged de: 3 applied, 0 unchanged\n"
    )
    assert again in result.stdout
    assert result.stdout.endswith(
        "The site already holds these values: nothing to import.\n"
        "nothing to import\nrecorded the site as it is now in .wixloc/state.json\n"
    )
    assert imports(app) == [job_id]  # not imported twice
    the_project_is_clean(app, 0)
    assert german() == GERMAN
