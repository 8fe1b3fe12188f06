"""Shared fixtures and the paths tests need."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
from click.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SCHEMAS = DATA / "schemas"


def pytest_configure(config: pytest.Config) -> None:
    """Ctrl+C reaches the processes the tests start, however the suite was started: a job
    a shell puts in the background (``make test &`` in a script) has SIGINT ignored, and an
    ignored signal is inherited, so the tests that stop ``sandbox serve`` or a merge with
    SIGINT would wait on a process that cannot hear it."""
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture
def sandbox_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, runner: CliRunner) -> Path:
    """A project made by ``wixloc init --sandbox`` in an empty folder (the current folder),
    with no Wix credentials in the environment."""
    from wixloc.cli import cli

    monkeypatch.chdir(tmp_path)
    for name in ("WIX_API_KEY", "WIX_SITE_ID", "WIX_ACCOUNT_ID", "WIX_API_URL"):
        monkeypatch.delenv(name, raising=False)
    result = runner.invoke(cli, ["init", "--sandbox"])
    assert result.exit_code == 0, result.output
    return tmp_path
