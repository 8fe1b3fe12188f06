"""The command line: version, documentation of every command, info output."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import wixloc.cli
from tests.conftest import REPO
from tests.support.cli import named_commands
from wixloc import __version__
from wixloc.cli import cli, main

COMMANDS = sorted(cli.commands)


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"wixloc, version {__version__}\n"


def test_python_dash_m(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "wixloc", "--version"],
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": str(REPO / "src"), "PATH": ""},
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == f"wixloc, version {__version__}\n"


@pytest.mark.parametrize(
    ("name", "command"), named_commands(cli), ids=lambda v: v if isinstance(v, str) else ""
)
def test_every_command_has_help_with_an_example(name: str, command: click.Command) -> None:
    assert command.help, f"{name} has no help"
    assert "Example:" in command.help, f"{name}'s help has no example"


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_is_documented(name: str) -> None:
    docs = REPO / "docs"
    pages = [docs / "commands" / f"{name}.md", docs / f"{name}.md"]
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert any(p.exists() for p in pages) or f"wixloc {name}" in readme, name


def test_info_json_on_a_wix_style_file(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "Collection ID,Item ID,Field,EN-US,DE,HE\n"
        "Products,p-1,title,Mug,Becher,ספל\n"
        "Products,p-1,description,A mug,,\n"
        "Products,p-2,title,Bowl,Schüssel,\n"
        "Products,p-2,note,,,\n",
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["info", "--json", str(path)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["main_language"] == "EN-US"
    assert data["key_columns"] == ["Collection ID", "Item ID", "Field"]
    assert data["entries"] == 4
    got = [
        (x["language"], x["direction"], x["filled"], x["total"], x["coverage"])
        for x in data["languages"]
    ]
    assert got == [
        ("EN-US", "ltr", 3, 4, 75.0),
        ("DE", "ltr", 2, 3, 66.7),
        ("HE", "rtl", 1, 3, 33.3),
    ]


def test_info_text(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("key,en,he\na,Hi,שלום\nb,Bye,\n", encoding="utf-8")
    result = runner.invoke(cli, ["info", str(path)])
    assert result.exit_code == 0
    assert result.stdout == (
        f"{path}: 2 entries, 2 languages (wide layout)\n"
        "key columns: key\n"
        "\n"
        "language  name     dir         filled  coverage\n"
        "en        English  ltr            2/2    100.0%  (main)\n"
        "he        Hebrew   rtl            1/2     50.0%\n"
    )


def test_importing_the_library_does_not_import_click() -> None:
    code = "import sys, wixloc; wixloc.formats.all_formats(); print('click' in sys.modules)"
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(REPO / "src"), "PATH": ""},
    )
    assert proc.stdout == "False\n"


def _main_then_sigint(monkeypatch: pytest.MonkeyPatch, argv: list[str]) -> tuple[object, object]:
    """The exit code of main() run with *argv* as the console script, and the SIGINT handler
    it leaves (put back as it was afterwards)."""
    before, terminate = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    monkeypatch.setattr(sys, "argv", argv)
    monkeypatch.setattr(wixloc.cli, "_console", False)  # main() sets it; put back after
    try:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        with pytest.raises(SystemExit) as exited:
            main()
        assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # no interrupt any more
        return exited.value.code, signal.getsignal(signal.SIGINT)
    finally:
        signal.signal(signal.SIGINT, before)
        signal.signal(signal.SIGTERM, terminate)
        monkeypatch.setattr(wixloc.cli, "_console", False)


def test_once_a_command_is_over_a_ctrl_c_is_ignored(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Its output is written: a Ctrl+C now would only break into the interpreter's shutdown,
    which prints a traceback of its own (seen with `wixloc check` interrupted as it exited)."""
    before = signal.getsignal(signal.SIGINT)
    assert _main_then_sigint(monkeypatch, ["wixloc", "--version"]) == (0, signal.SIG_IGN)
    assert capsys.readouterr().out.startswith("wixloc")
    # a command that fails, run by the console script: SIGINT ignored once it returns
    failed = _main_then_sigint(monkeypatch, ["wixloc", "info", "no-such-file.csv"])
    assert failed == (2, signal.SIG_IGN)
    # run by a test's CliRunner (through the group's invoke, as a command is): left as it was
    assert CliRunner().invoke(cli, ["info", "no-such-file.csv"]).exit_code == 2
    assert signal.getsignal(signal.SIGINT) is before
