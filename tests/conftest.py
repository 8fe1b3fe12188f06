"""Shared fixtures and the paths tests need."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SCHEMAS = DATA / "schemas"


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
