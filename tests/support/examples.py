"""Helpers for the documented-example tests: ``wixloc sandbox serve`` run as a real process."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from pathlib import Path

import httpx

SERVING = re.compile(r"Wix sandbox serving (http://\S+) ")
SETTING = re.compile(r"export (WIX_API_KEY|WIX_SITE_ID)=(\S+)")


def serve_once(args: list[str], folder: Path) -> tuple[int, int, str]:
    """Run ``wixloc <args>`` (a ``sandbox serve`` on port 0) in *folder*, wait until it prints
    its settings, send it one request for the locale settings with the key and site id it
    printed, then stop it with Ctrl+C (SIGINT). Returns the request's status, the process's
    exit code and everything it printed."""
    process = subprocess.Popen(
        [sys.executable, "-m", "wixloc", *args],
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    lines: list[str] = []
    try:
        for line in process.stdout:
            lines.append(line)
            if line.startswith("Press Ctrl+C"):
                break
        printed = "".join(lines)
        url = SERVING.search(printed)
        assert url is not None, printed
        settings = dict(SETTING.findall(printed))
        headers = {"Authorization": settings["WIX_API_KEY"], "wix-site-id": settings["WIX_SITE_ID"]}
        status = httpx.get(
            f"{url.group(1)}/locale-settings/v2/settings", headers=headers
        ).status_code
        process.send_signal(signal.SIGINT)
        rest, _ = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return status, process.returncode, printed + rest
