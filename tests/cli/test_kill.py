"""``kill -9`` during ``wixloc import`` in a project, then the next command: the journal makes
the project end as if the import had finished or had never started (issue 15).

The import runs in a subprocess against a sandbox served on 127.0.0.1 (port 0) and dies with
``os._exit(137)`` at a point of the job flow named by the test-only ``WIXLOC_TEST_KILL_AT``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import wixloc.site.connect  # noqa: F401 - loaded before the fixture patches PollPolicy
from tests.conftest import REPO
from tests.support.sandbox import (
    EXPORT_CSV,
    SITE_ID,
    make_app,
    served_site,
)
from wixloc.cli import cli
from wixloc.sandbox import SandboxApp
from wixloc.site.journal import Journal

EDITED = EXPORT_CSV.replace("Geschenkbox", "Geschenkkiste")
# The CLI as a subprocess, polling fast (the default policy waits a second first).
MAIN = (
    "import sys\n"
    "import wixloc.wix.client as c\n"
    "import wixloc.site.connect\n"
    "from wixloc.cli import main\n"
    "Poll = c.PollPolicy\n"
    "c.PollPolicy = lambda: Poll(initial=0.005, factor=1.5, maximum=0.05, timeout=60)\n"
    "main()\n"
)


@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, SandboxApp]]:
    """A project folder (a wixloc.toml) and a served sandbox the environment points at."""
    project = tmp_path / "project"
    project.mkdir()
    (project / "wixloc.toml").write_text("# a project\n", encoding="utf-8")
    (project / "c.csv").write_text(EDITED, encoding="utf-8")
    monkeypatch.chdir(project)
    app = make_app(tmp_path / "served.db")
    with served_site(app, monkeypatch) as url:
        yield url, app
        app.runner.join()


def killed_import(point: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "WIXLOC_TEST_KILL_AT": point}
    args = [sys.executable, "-c", MAIN, "import", "c.csv", "--yes"]
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=120)


def imports(app: SandboxApp) -> list[str]:
    """The ids of the site's import jobs (a file source)."""
    return [job["id"] for job in app.store.jobs(SITE_ID) if "file" in job["source"]]


def site_content(tmp_path: Path) -> str:
    result = CliRunner().invoke(cli, ["export", "-o", str(tmp_path / "now.csv")])
    assert result.exit_code == 0, result.output
    return (tmp_path / "now.csv").read_text(encoding="utf-8")


def test_killed_before_the_submit_never_reached_the_site(
    served: tuple[str, SandboxApp], tmp_path: Path
) -> None:
    _, app = served
    proc = killed_import("before-submit")
    assert proc.returncode == 137, proc.stderr
    (record,) = Journal(Path(".wixloc")).pending()
    assert (record.kind, record.job_id, record.data) == ("import", None, {"file": "c.csv"})
    assert imports(app) == []
    result = CliRunner().invoke(cli, ["import", "c.csv", "--yes"])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(
        "wixloc: the import of c.csv that was interrupted never reached the site; "
        "nothing was imported\n"
    )
    assert len(imports(app)) == 1  # the import ran once: this time
    assert Journal(Path(".wixloc")).pending() == []
    assert site_content(tmp_path) == EDITED


@pytest.mark.parametrize("point", ["after-submit", "after-wait"])
def test_killed_after_the_submit_is_found_and_recorded(
    served: tuple[str, SandboxApp], tmp_path: Path, point: str
) -> None:
    _, app = served
    proc = killed_import(point)
    assert proc.returncode == 137, proc.stderr
    (record,) = Journal(Path(".wixloc")).pending()
    (job_id,) = imports(app)
    # after-submit: killed before the id was recorded, so the job is found by its name
    assert record.job_id == (None if point == "after-submit" else job_id)
    app.runner.join()
    result = CliRunner().invoke(cli, ["import", "c.csv", "--yes"])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(
        f"wixloc: the import job {job_id} (c.csv) that was interrupted finished COMPLETED; "
        "recorded\n"
    )
    assert result.stdout.endswith("The site already holds these values: nothing to import.\n")
    assert imports(app) == [job_id]  # not imported twice
    assert Journal(Path(".wixloc")).pending() == []
    assert site_content(tmp_path) == EDITED


def test_an_import_that_finished_leaves_no_record(
    served: tuple[str, SandboxApp], tmp_path: Path
) -> None:
    result = CliRunner().invoke(cli, ["import", "c.csv", "--yes"])
    assert result.exit_code == 0, result.output
    assert Journal(Path(".wixloc")).pending() == []
    assert not Path(".wixloc", "lock").exists()


def test_a_killed_collection_import_is_found_by_name(
    served: tuple[str, SandboxApp], tmp_path: Path
) -> None:
    _, app = served
    Path("new.csv").write_text("_id,title,price\nnew-1,Sled,30\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "WIXLOC_TEST_KILL_AT": "after-submit"}
    args = [sys.executable, "-c", MAIN, "import", "new.csv", "--collection", "Products", "--yes"]
    proc = subprocess.run(args, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 137, proc.stderr
    (record,) = Journal(Path(".wixloc")).pending()
    assert (record.kind, record.job_id) == ("import-items", None)
    assert record.data == {"file": "new.csv", "collection": "Products"}
    (job_id,) = imports(app)
    app.runner.join()
    result = CliRunner().invoke(cli, ["export", "-o", "after.csv"])
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        f"wixloc: the import job {job_id} (new.csv) that was interrupted finished COMPLETED; "
        "recorded\n"
    )
    assert Journal(Path(".wixloc")).pending() == []
    items = [item["_id"] for item in app.store.items(SITE_ID, "Products")]
    assert items.count("new-1") == 1
