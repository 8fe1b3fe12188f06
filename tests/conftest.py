"""Shared fixtures and the paths tests need."""

from __future__ import annotations

import signal
from collections.abc import Iterator
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


# The Hunspell dictionaries the tests are written for: those .ci/run installs.
_CI_DICTIONARIES = ("de", "fr")


@pytest.fixture(scope="session", autouse=True)
def _only_ci_dictionaries(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The spelling rule finds this machine's German and French dictionaries and no other,
    whatever else it has (with a Hebrew one, the planted table gave findings no test
    expects). For the whole session, so that module-scoped fixtures see it too."""
    from wixloc.checks import spelling

    folder = tmp_path_factory.mktemp("hunspell")
    for lang in _CI_DICTIONARIES:
        found = spelling.find_dictionary(lang)
        if found is not None:
            for suffix in (".dic", ".aff"):
                (folder / (found.name + suffix)).symlink_to(found.with_suffix(suffix))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(spelling, "_STANDARD_FOLDERS", (str(folder),))
        patch.delenv("DICPATH", raising=False)
        yield


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
