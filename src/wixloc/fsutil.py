"""Small file-system helpers: atomic writes and safe reads."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from wixloc.errors import InputError

__all__ = ["atomic_write", "open_input", "relative", "remove_stale_temp_files", "temp_prefix"]

# A temporary file of atomic_write: ``.NAME.wixloc-PID-RANDOM.tmp``, so that the next run can
# tell it from anyone else's file and know whether its writer still runs.
_TEMP = re.compile(r"^\..+\.wixloc-(\d+)-[A-Za-z0-9_]+\.tmp$")
STALE_AFTER = 86400.0  # seconds: by then a pid that runs is another program's (pids are reused)


@contextlib.contextmanager
def atomic_write(path: str | Path) -> Iterator[BinaryIO]:
    """Write *path* through a temporary file in the same folder, renamed into place on success.

    A crash or an exception leaves the old file untouched and no temporary file behind.
    """
    target = Path(path)
    refuse_folder(target)  # before any work: os.replace would fail only at the end
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=temp_prefix(target), suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        if target.exists():
            with contextlib.suppress(OSError):
                os.chmod(tmp, target.stat().st_mode & 0o7777)
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def temp_prefix(target: Path) -> str:
    """The start of atomic_write's temporary files for *target*: ``.NAME.wixloc-PID-``."""
    return f".{target.name}.wixloc-{os.getpid()}-"


def remove_stale_temp_files(
    folder: str | Path, *, recursive: bool = False, now: float | None = None
) -> list[Path]:
    """Remove the temporary files that killed runs of atomic_write left in *folder*.

    A file is stale when its writer's pid no longer runs, or when it is older than a day (the
    pid runs again, as another program); a file of this process or of a writer still at work
    is kept, and so is every file not named as atomic_write names its own. Returns what was
    removed.
    """
    base = Path(folder)
    if not base.is_dir():
        return []
    now = time.time() if now is None else now
    removed = []
    for path in base.rglob(".*.tmp") if recursive else base.glob(".*.tmp"):
        match = _TEMP.match(path.name)
        if match is None or int(match.group(1)) == os.getpid():
            continue
        try:
            old = now - path.stat().st_mtime > STALE_AFTER
            if old or not _running(int(match.group(1))):
                path.unlink()
                removed.append(path)
        except OSError:
            continue  # gone already, or not ours to remove
    return removed


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


FOLDER = "is a folder, not a file"  # the one wording, wherever a file was expected


def refuse_folder(path: str | Path) -> None:
    """An InputError (``PATH: is a folder, not a file``) when *path* is a folder."""
    if Path(path).is_dir():
        raise InputError(FOLDER, file=path)


@contextlib.contextmanager
def open_input(path: str | Path) -> Iterator[BinaryIO]:
    """Open *path* for reading, turning a missing or unreadable file into an InputError."""
    try:
        fh = Path(path).open("rb")  # noqa: SIM115 - closed by the with below
    except FileNotFoundError:
        raise InputError("no such file", file=path) from None
    except IsADirectoryError:
        raise InputError(FOLDER, file=path) from None
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror}", file=path) from None
    with fh:
        yield fh


def relative(path: str | Path, base: str | Path) -> str:
    """*path* as shown to the user: relative to *base* (with ``/``) when it lies inside it."""
    try:
        return Path(path).resolve().relative_to(Path(base).resolve()).as_posix()
    except ValueError:
        return str(path)
