"""The root group lists its commands without importing them: ``wixloc --help`` stays light."""

from __future__ import annotations

import json
import subprocess
import sys

import click
from click.testing import CliRunner

from wixloc.cli import COMMANDS, cli

HEAVY = ("httpx", "werkzeug", "wixloc.sandbox", "wixloc.wix", "wixloc.site")


def _modules_after(args: list[str]) -> list[str]:
    code = (
        "import json, sys\n"
        "from wixloc.cli import cli\n"
        f"try:\n    cli.main({args!r}, prog_name='wixloc')\n"
        "except SystemExit:\n    pass\n"
        "print(json.dumps(sorted(sys.modules)), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    loaded: list[str] = json.loads(done.stderr.strip().splitlines()[-1])
    return loaded


def _heavy(modules: list[str]) -> list[str]:
    return [m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY)]


def test_root_help_and_version_import_no_client_sandbox_or_werkzeug() -> None:
    assert _heavy(_modules_after(["--help"])) == []
    assert _heavy(_modules_after(["-V"])) == []
    assert not [m for m in _modules_after(["--help"]) if m.startswith("wixloc.cli.")]


def test_a_command_loads_its_own_module_only_when_asked() -> None:
    loaded = _modules_after(["jobs", "--help"])
    assert "wixloc.cli.jobs" in loaded and "wixloc.cli.split" not in loaded


def test_every_summary_is_the_commands_own_first_sentence() -> None:
    for entry in COMMANDS:
        command = entry.load()
        assert entry.summary == command.get_short_help_str(10_000), entry.name


def test_root_help_is_what_the_loaded_commands_would_print() -> None:
    eager = click.Group("wixloc", help=cli.help, context_settings=cli.context_settings)
    eager.params = cli.params
    for entry in COMMANDS:
        eager.add_command(entry.load(), entry.name)
    lazy_help = CliRunner().invoke(cli, ["--help"], prog_name="wixloc").output
    eager_help = CliRunner().invoke(eager, ["--help"], prog_name="wixloc").output
    assert lazy_help == eager_help
    assert sorted(cli.list_commands(click.Context(cli))) == sorted(e.name for e in COMMANDS)
