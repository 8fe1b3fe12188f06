"""A process killed (as ``kill -9`` would) in the middle of an atomic write."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

KILLED_WRITER = (
    "import os, sys\n"
    "from wixloc.fsutil import atomic_write\n"
    "with atomic_write(sys.argv[1]) as fh:\n"
    "    fh.write(b'x' * 100_000)\n"
    "    os._exit(137)\n"
)


def killed_write(path: Path) -> Path:
    """Kill a process writing *path*; return the temporary file it left."""
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    proc = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(path)], env=env)
    assert proc.wait(60) == 137
    (left,) = path.parent.glob(f".{path.name}.wixloc-{proc.pid}-*.tmp")
    return left


__all__ = ["killed_write"]
