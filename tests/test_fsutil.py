"""fsutil's temporary files: named so that a later run can find them, and removed once their
writer is gone (issue 15: ``kill -9`` during a write left hidden ``.NAME.*.tmp`` files)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.killed import killed_write
from wixloc.fsutil import atomic_write, remove_stale_temp_files


@pytest.fixture
def live_pid() -> Iterator[int]:
    """The pid of another process that runs for the test's duration."""
    proc = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=-1)
    try:
        yield proc.pid
    finally:
        proc.kill()
        proc.wait(10)
        assert proc.stdin is not None
        proc.stdin.close()


def test_the_temporary_file_names_its_target_and_writer(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    with atomic_write(target) as fh:
        (tmp,) = tmp_path.glob(".*")
        assert tmp.name.startswith(f".out.csv.wixloc-{os.getpid()}-") and tmp.suffix == ".tmp"
        fh.write(b"data")
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_a_killed_writer_leaves_a_file_the_next_run_removes(tmp_path: Path, live_pid: int) -> None:
    left = killed_write(tmp_path / "out.csv")
    assert left.stat().st_size == 100_000 and not (tmp_path / "out.csv").exists()
    working = tmp_path / f".big.csv.wixloc-{live_pid}-abc123.tmp"  # a writer still at work
    others = [tmp_path / ".notes.tmp", tmp_path / ".x.wixloc-12-abc.txt", tmp_path / "a.tmp"]
    for path in [working, *others]:
        path.write_bytes(b"keep")
    assert remove_stale_temp_files(tmp_path) == [left]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in [working, *others])


def test_a_day_old_file_of_a_running_pid_is_stale(tmp_path: Path, live_pid: int) -> None:
    old = tmp_path / f".big.csv.wixloc-{live_pid}-abc123.tmp"  # the pid is another program now
    old.write_bytes(b"")
    day_ago = time.time() - 86_401
    os.utime(old, (day_ago, day_ago))
    assert remove_stale_temp_files(tmp_path) == [old]


def test_recursive_and_missing_folders(tmp_path: Path) -> None:
    left = killed_write(tmp_path / "snapshots" / "s.csv")
    assert remove_stale_temp_files(tmp_path) == []  # not in the folder itself
    assert remove_stale_temp_files(tmp_path, recursive=True) == [left]
    assert remove_stale_temp_files(tmp_path / "none") == []
