"""Issue 15 through the CLI: the project lock, partial exports, --timeout, the secret mask,
control characters refused before an import, and stale temporary files removed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from tests.conftest import REPO
from tests.support.killed import killed_write
from tests.support.rewrite import embedded, exports_end_partial
from tests.support.sandbox import EXPORT_CSV, ITEM1, ITEM2, KEY
from wixloc.cli import cli
from wixloc.cli._remote import mask_secrets
from wixloc.site import connect
from wixloc.site.journal import Journal

HOLD = (
    "import sys\n"
    "from pathlib import Path\n"
    "from wixloc.site.lock import project_lock\n"
    "with project_lock(Path(sys.argv[1]), 'push'):\n"
    "    print('held', flush=True)\n"
    "    sys.stdin.read()\n"
)


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def nothing(method: str, path: str, data: dict[str, Any]) -> None:
    pass


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project (wixloc.toml, sandbox = true) whose embedded sandbox holds the test site."""
    monkeypatch.chdir(tmp_path)
    for name in ("WIX_API_KEY", "WIX_SITE_ID", "WIX_ACCOUNT_ID", "WIX_API_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(connect, "sandbox_client", embedded(nothing))
    result = run("init", "--sandbox")
    assert result.exit_code == 0, result.output
    return tmp_path


def use(monkeypatch: pytest.MonkeyPatch, rewrite: Any, **kw: Any) -> None:
    monkeypatch.setattr(connect, "sandbox_client", embedded(rewrite, **kw))


# --- the project lock ------------------------------------------------------------------------


@pytest.fixture
def holder(project: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the project's lock as 'push' until its stdin closes."""
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(project / ".wixloc")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None and proc.stdout.readline() == "held\n"
    try:
        yield proc
    finally:
        proc.kill()
        proc.wait(10)
        for stream in (proc.stdin, proc.stdout):
            if stream is not None:
                stream.close()


@pytest.mark.parametrize(
    "args",
    [
        ("pull",),
        ("push", "--yes"),
        ("export", "-o", "c.csv", "--sandbox"),
        ("import", "c.csv", "--sandbox", "--yes"),
        ("import", "c.csv", "--collection", "Products", "--sandbox", "--yes"),
    ],
)
def test_a_second_command_stops_while_another_holds_the_lock(
    project: Path, holder: subprocess.Popen[str], args: tuple[str, ...]
) -> None:
    Path("c.csv").write_text(EXPORT_CSV, encoding="utf-8")
    started = json.loads((project / ".wixloc" / "lock").read_text(encoding="utf-8"))["started"]
    result = run(*args)
    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        "wixloc: error: another wixloc command is working on this project: 'push', "
        f"pid {holder.pid}, started {started} (wait for it to finish and run the command again)\n",
    )
    assert Path("c.csv").read_text(encoding="utf-8") == EXPORT_CSV  # the export wrote nothing


def test_the_lock_of_a_killed_command_is_taken_over(
    project: Path, holder: subprocess.Popen[str]
) -> None:
    holder.kill()  # kill -9: the lock file stays, its pid runs no more
    holder.wait(10)
    assert (project / ".wixloc" / "lock").exists()
    result = run("pull")
    assert result.exit_code == 0, result.output
    assert not (project / ".wixloc" / "lock").exists()


def test_a_command_outside_a_project_takes_no_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    use(monkeypatch, nothing)
    (tmp_path / ".wixloc").mkdir()
    (tmp_path / ".wixloc" / "lock").write_text("{}", encoding="utf-8")  # not a project: ignored
    result = run("export", "-o", "c.csv", "--sandbox")
    assert result.exit_code == 0, result.output


# --- partial exports -------------------------------------------------------------------------


def test_a_partial_export_keeps_the_old_file(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Path("c.csv").write_text("old\n", encoding="utf-8")
    use(monkeypatch, exports_end_partial)
    result = run("export", "-o", "c.csv", "--sandbox")
    assert result.exit_code == 3 and result.stdout == ""
    job = result.stderr.split("job ", 1)[1].split(" ", 1)[0]
    assert result.stderr == (
        f"wixloc: error: job {job} was only partly successful: 1 of 5 entries rejected "
        "(c.csv was left as it was; --allow-partial writes the partial file)\n"
    )
    assert Path("c.csv").read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in Path().iterdir() if p.name.startswith(".c.csv")] == []


def test_allow_partial_writes_the_file_with_a_warning(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Path("c.csv").write_text("old\n", encoding="utf-8")
    use(monkeypatch, exports_end_partial)
    result = run("export", "-o", "c.csv", "--sandbox", "--allow-partial")
    assert result.exit_code == 0, result.output
    job = result.stdout.split()[1].rstrip(":")
    assert result.stdout.splitlines()[0] == (
        f"Job {job}: PARTIALLY_SUCCESSFUL, 4 entries exported, 1 rejected."
    )
    assert result.stderr == (
        f"wixloc: warning: job {job} was only partly successful: 1 of 5 entries rejected; "
        "c.csv lacks them\n"
    )
    assert Path("c.csv").read_text(encoding="utf-8") == EXPORT_CSV


def test_pull_refuses_a_partial_export(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    use(monkeypatch, exports_end_partial)
    result = run("pull")
    assert result.exit_code == 3
    job = result.stderr.split("job ", 1)[1].split(" ", 1)[0]
    assert result.stderr.endswith(
        f"wixloc: error: job {job} was only partly successful: 1 of 5 entries rejected "
        f"(a partial export is not used; see 'wixloc jobs logs {job}' and run the command again)\n"
    )
    assert list((project / ".wixloc" / "snapshots").glob("*")) == []
    assert list((project / "translations").glob("*")) == []


def test_an_import_stops_after_a_partial_backup(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Path("c.csv").write_text(EXPORT_CSV.replace("Geschenkbox", "Geschenkkiste"), encoding="utf-8")
    use(monkeypatch, exports_end_partial)
    result = run("import", "c.csv", "--sandbox", "--yes")
    assert result.exit_code == 3 and "was only partly successful" in result.stderr
    assert result.stdout == ""  # no plan shown, nothing imported
    use(monkeypatch, nothing)
    result = run("export", "-o", "after.csv", "--sandbox")
    assert result.exit_code == 0, result.output
    assert Path("after.csv").read_text(encoding="utf-8") == EXPORT_CSV


# --- --timeout -------------------------------------------------------------------------------


def test_timeout_names_the_job_to_wait_for(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    use(monkeypatch, nothing, step_delay=0.2)
    result = run("export", "-o", "c.csv", "--sandbox", "--timeout", "0.01")
    assert result.exit_code == 3
    job = result.stderr.split("job ", 1)[1].split(" ", 1)[0]
    assert result.stderr.startswith(f"wixloc: error: job {job} did not finish within 0.01 seconds")
    assert result.stderr.endswith(f"(it may still finish: wixloc jobs wait {job})\n")
    assert not Path("c.csv").exists()


@pytest.mark.parametrize("command", ["export", "import", "pull", "push"])
def test_every_remote_command_has_a_timeout_far_below_an_hour(command: str) -> None:
    result = run(command, "--help")
    assert "--timeout SECONDS" in result.stdout
    assert "[default: 900" in result.stdout.replace("\n", " ").replace("  ", " ")


# --- the secret mask -------------------------------------------------------------------------


def imports_fail_echoing_the_key(method: str, path: str, data: dict[str, Any]) -> None:
    """A finished import job FAILED, its error echoing the key; every log echoes it too."""
    job = data.get("job")
    if isinstance(job, dict) and "file" in job.get("source", {}) and job["status"] == "COMPLETED":
        job["status"] = "FAILED"
        job["error"] = {"code": "WDE0001", "description": f"key {KEY} refused", "data": {}}
    for log in data.get("movementLogs") or data.get("logs") or []:
        log.setdefault("failure", {})["description"] = f"Authorization: Bearer {KEY}"


def test_a_failed_job_that_echoes_the_key_is_masked(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WIX_API_KEY", f" {KEY}\n")  # as pasted, with blanks around it
    use(monkeypatch, imports_fail_echoing_the_key)
    Path("c.csv").write_text(EXPORT_CSV.replace("Geschenkbox", "Geschenkkiste"), encoding="utf-8")
    result = run("import", "c.csv", "--sandbox", "--yes")
    assert result.exit_code == 3
    assert KEY not in result.output
    job = result.stderr.split("job ", 1)[1].split(" ", 1)[0]
    assert result.stderr == f"wixloc: error: job {job} failed: key *** refused [WDE0001]\n"
    shown = run("jobs", "show", job, "--sandbox")
    assert KEY not in shown.stdout and "error:     WDE0001 key *** refused" in shown.stdout


def imports_reject_echoing_the_key(method: str, path: str, data: dict[str, Any]) -> None:
    """A finished import job rejected one row, with a log whose reason echoes the key."""
    job = data.get("job")
    if isinstance(job, dict) and "file" in job.get("source", {}) and job["status"] == "COMPLETED":
        job["status"] = "PARTIALLY_SUCCESSFUL"
        job["logsRecorded"] = True
        job.setdefault("progress", {})["itemsRejected"] = 1
    if path.endswith("/logs") and not data.get("logs"):
        reason = f"item does not exist (Authorization: Bearer {KEY})"
        data["logs"] = [
            {"sourceItemId": "2", "failure": {"code": "WDE0073", "description": reason}}
        ]


def test_rejected_rows_and_logs_that_echo_the_key_are_masked(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WIX_API_KEY", KEY)
    use(monkeypatch, imports_reject_echoing_the_key)
    Path("c.csv").write_text(EXPORT_CSV.replace("Geschenkbox", "Geschenkkiste"), encoding="utf-8")
    result = run("import", "c.csv", "--sandbox", "--yes")
    assert result.exit_code == 3
    assert KEY not in result.output
    rejected = [line for line in result.stdout.splitlines() if line.startswith("  row 2")]
    assert rejected == [
        f"  row 2  Products|{ITEM1}|title  WDE0073  item does not exist (Authorization: Bearer ***)"
    ]
    job = result.stdout.split("Job ", 1)[1].split(":", 1)[0]
    logs = run("jobs", "logs", job, "--sandbox")
    assert (logs.exit_code, logs.stdout) == (
        0,
        "2  WDE0073  item does not exist (Authorization: Bearer ***)\n",
    )


@pytest.mark.parametrize(
    ("secret", "text", "shown"),
    [
        ("k3y-Value", "a k3y-Value b", "a *** b"),
        (" k3y-Value\n", "a k3y-Value b", "a *** b"),
        ("Bearer k3y-Value", "Authorization: k3y-Value", "Authorization: ***"),
        ("k3y-Value", "Authorization: Bearer k3y-Value", "Authorization: Bearer ***"),
        ("ab", "a cab", "a cab"),  # too short to be a key: ordinary text stays
    ],
)
def test_mask_secrets(secret: str, text: str, shown: str) -> None:
    assert mask_secrets(text, [secret]) == shown


# --- control characters ----------------------------------------------------------------------


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x1b", "\x0b", "\x1f"])
def test_control_characters_are_refused_before_an_import(
    project: Path, monkeypatch: pytest.MonkeyPatch, char: str
) -> None:
    use(monkeypatch, nothing)
    Path("c.csv").write_text(EXPORT_CSV.replace("Bougie", f"Bou{char}gie"), encoding="utf-8")
    result = run("import", "c.csv", "--sandbox", "--yes")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"wixloc: error: c.csv:4: Products|{ITEM2}|title (fr): the text holds the control "
        f"character U+{ord(char):04X}, which a site cannot store (remove it from the file)\n"
    )
    assert not (project / ".wixloc" / "backups").exists()  # refused before anything was sent


def test_tabs_and_line_breaks_are_no_control_characters_to_refuse(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use(monkeypatch, nothing)
    edited = EXPORT_CSV.replace("Bougie", '"Bou\tgie\r\nzwei"')
    Path("c.csv").write_text(edited, encoding="utf-8", newline="")
    result = run("import", "c.csv", "--sandbox", "--yes")
    assert result.exit_code == 0, result.output


def test_control_characters_are_refused_before_a_collection_import(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use(monkeypatch, nothing)
    Path("new.csv").write_text("_id,title\nn1,Sled\nn2,Sl\x00ed\n", encoding="utf-8")
    result = run("import", "new.csv", "--collection", "Products", "--sandbox", "--yes")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "wixloc: error: new.csv:3: holds the control character U+0000, which a site cannot "
        "store (remove it from the file)\n"
    )


# --- temporary files of killed runs ----------------------------------------------------------


def test_a_command_removes_what_killed_runs_left(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "out").mkdir()
    left = [
        killed_write(project / ".wixloc" / "snapshots" / "s.csv"),
        killed_write(project / "translations" / "content.de.po"),
        killed_write(project / "out" / "c.csv"),
    ]
    mine = project / "translations" / ".my.tmp"
    mine.write_text("a translator's own file", encoding="utf-8")
    result = run("pull")
    assert result.exit_code == 0, result.output
    assert [p.exists() for p in left] == [False, False, True]  # pull does not write in out/
    result = run("export", "-o", "out/c.csv", "--sandbox")
    assert result.exit_code == 0, result.output
    assert [p.exists() for p in left] == [False, False, False]
    assert mine.exists()


def test_status_lists_interrupted_work(project: Path) -> None:
    assert run("pull").exit_code == 0
    journal = Journal(project / ".wixloc")
    record = journal.begin("import", "wixloc import [0123456789ab]", {"file": "c.csv"})
    journal.submitted(record, "j-1")
    result = run("status")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-2:] == [
        "interrupted work, finished by the next pull, push or import:",
        f"  import of c.csv (job j-1), started {record.started}",
    ]
