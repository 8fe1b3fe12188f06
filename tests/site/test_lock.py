"""The project lock: one remote command at a time, a clear message, stale locks recovered."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from wixloc.site.lock import LOCK_NAME, Holder, ProjectLockedError, project_lock, read_holder


def write_lock(state: Path, pid: int, host: str | None = None) -> None:
    state.mkdir(parents=True, exist_ok=True)
    holder = {
        "pid": pid,
        "host": host or socket.gethostname(),
        "command": "push",
        "started": "2026-12-01T10:00:00Z",
    }
    (state / LOCK_NAME).write_text(json.dumps(holder), encoding="utf-8")


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_the_lock_is_held_for_the_block_and_released_after(tmp_path: Path) -> None:
    state = tmp_path / ".wixloc"
    with project_lock(state, "push") as me:
        assert read_holder(state / LOCK_NAME) == me
        assert me.command == "push"
    assert not (state / LOCK_NAME).exists()


def test_released_after_an_exception_too(tmp_path: Path) -> None:
    state = tmp_path / ".wixloc"
    with pytest.raises(RuntimeError), project_lock(state, "push"):
        raise RuntimeError("boom")
    assert not (state / LOCK_NAME).exists()


def test_a_second_command_is_refused_naming_the_holder(tmp_path: Path) -> None:
    state = tmp_path / ".wixloc"
    code = (
        "import sys, time; from pathlib import Path; from wixloc.site.lock import project_lock\n"
        "with project_lock(Path(sys.argv[1]), 'push'):\n"
        "    print('held', flush=True); time.sleep(30)\n"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", code, str(state)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None and child.stdout.readline() == "held\n"
        holder = read_holder(state / LOCK_NAME)
        assert holder is not None and holder.pid == child.pid
        with pytest.raises(ProjectLockedError) as caught, project_lock(state, "pull"):
            pass
        assert str(caught.value) == (
            f"another wixloc command is working on this project: 'push', pid {child.pid}, "
            f"started {holder.started} (wait for it to finish and run the command again)"
        )
        assert caught.value.exit_code == 2
    finally:
        child.kill()
        child.wait()
        if child.stdout is not None:
            child.stdout.close()
    # killed with -9 above: its lock is stale now, and the next command takes it over
    with project_lock(state, "pull") as me:
        assert read_holder(state / LOCK_NAME) == me


def test_a_lock_of_a_process_that_no_longer_runs_is_taken_over(tmp_path: Path) -> None:
    state = tmp_path / ".wixloc"
    write_lock(state, dead_pid())
    with project_lock(state, "push") as me:
        assert read_holder(state / LOCK_NAME) == me


def test_a_lock_from_another_host_is_never_taken_over(tmp_path: Path) -> None:
    state = tmp_path / ".wixloc"
    write_lock(state, dead_pid(), host="build-agent-7")
    with (
        pytest.raises(ProjectLockedError, match=r"pid [0-9]+ on build-agent-7, started"),
        project_lock(state, "push"),
    ):
        pass
    assert (state / LOCK_NAME).exists()


def test_an_unreadable_lock_is_reported_with_what_to_delete(tmp_path: Path) -> None:
    state = tmp_path / ".wixloc"
    state.mkdir()
    (state / LOCK_NAME).write_text("{not json", encoding="utf-8")
    with pytest.raises(ProjectLockedError) as caught, project_lock(state, "push"):
        pass
    assert str(caught.value) == (
        "the project is locked by another wixloc command (lock in .wixloc/) "
        "(if no wixloc command is running, delete .wixloc/lock)"
    )


def test_the_holder_is_written_as_json(tmp_path: Path) -> None:
    state = tmp_path / ".wixloc"
    with project_lock(state, "push"):
        data = json.loads((state / LOCK_NAME).read_text(encoding="utf-8"))
    assert set(data) == {"pid", "host", "command", "started"}
    assert Holder(**data).started.endswith("Z")
    assert time.strptime(data["started"], "%Y-%m-%dT%H:%M:%SZ")
