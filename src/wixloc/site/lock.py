"""One remote command per project at a time: ``.wixloc/lock``.

The lock is a file created exclusively (``O_CREAT | O_EXCL``) holding the holder's pid, host,
command and start time. A second command finds it and stops with a message naming the holder.
A lock whose holder is gone (a process killed with ``kill -9``, a machine restarted) is stale:
on the same host a pid that no longer runs proves it, and the next command takes the lock over.
A lock from another host (a project folder shared over a network) is never taken over silently.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from wixloc.errors import UsageError

__all__ = ["LOCK_NAME", "Holder", "ProjectLockedError", "project_lock", "read_holder"]

LOCK_NAME = "lock"


class ProjectLockedError(UsageError):
    """Another wixloc command holds the project's lock."""


@dataclass(frozen=True)
class Holder:
    pid: int
    host: str
    command: str
    started: str  # ISO-8601 UTC

    @classmethod
    def me(cls, command: str) -> Holder:
        started = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return cls(os.getpid(), socket.gethostname(), command, started)


def read_holder(path: Path) -> Holder | None:
    """The holder written in the lock file at *path*, or None if there is none or it is unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Holder(
            int(data["pid"]), str(data["host"]), str(data["command"]), str(data["started"])
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


@contextlib.contextmanager
def project_lock(state_dir: Path, command: str) -> Iterator[Holder]:
    """Hold ``STATE_DIR/lock`` for the duration of the block; raise ProjectLockedError if
    another live command holds it."""
    path = state_dir / LOCK_NAME
    state_dir.mkdir(parents=True, exist_ok=True)
    me = Holder.me(command)
    _acquire(path, me)
    try:
        yield me
    finally:
        if read_holder(path) == me:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()


def _acquire(path: Path, me: Holder) -> None:
    for _ in range(2):  # a second try after a stale lock was removed
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            holder = read_holder(path)
            if _stale(holder, me):
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
                continue
            raise _locked(path, holder) from None
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(asdict(me), fh)
        return
    raise _locked(path, read_holder(path))


def _stale(holder: Holder | None, me: Holder) -> bool:
    """True when the holder is provably gone: same host, and its pid no longer runs."""
    if holder is None:
        return False  # a lock being written this very moment, or damaged: not ours to judge
    return holder.host == me.host and not _alive(holder.pid)


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it runs, under another user
    return True


def _locked(path: Path, holder: Holder | None) -> ProjectLockedError:
    if holder is None:
        return ProjectLockedError(
            f"the project is locked by another wixloc command ({path.name} in {path.parent.name}/)",
            hint=f"if no wixloc command is running, delete {path.parent.name}/{path.name}",
        )
    where = "" if holder.host == socket.gethostname() else f" on {holder.host}"
    return ProjectLockedError(
        f"another wixloc command is working on this project: '{holder.command}', "
        f"pid {holder.pid}{where}, started {holder.started}",
        hint="wait for it to finish and run the command again",
    )
