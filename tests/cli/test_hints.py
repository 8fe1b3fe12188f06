"""Every hint the program prints names an option or command that exists (issue 13, item 7).

The messages are read from the source (every string literal and f-string under src/wixloc):
``pass --xyz``, ``use --xyz`` and ``with --xyz`` must name an option of some wixloc command, and
``'wixloc xyz ...'`` a command (a group's subcommand too) with every option the quote gives it.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from tests.conftest import REPO
from wixloc.cli import cli

SRC = REPO / "src" / "wixloc"
HINT = re.compile(r"\b(?:pass|use|with|or|and|try)\s+(--[a-z][a-z0-9-]*)")
QUOTED = re.compile(r"'wixloc ([^']*)'")


def commands(
    group: click.Group = cli, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None, name
        yield (*path, name), command
        if isinstance(command, click.Group):
            yield from commands(command, (*path, name))


COMMANDS = dict(commands())


def options(command: click.Command) -> set[str]:
    return {o for p in command.params for o in [*p.opts, *p.secondary_opts] if o.startswith("-")}


ALL_OPTIONS = set().union(*(options(c) for c in COMMANDS.values()))


def texts(path: Path) -> Iterator[tuple[int, str]]:
    """Every string constant of a module, an f-string's fields read as 'X'."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.JoinedStr):
            parts = [
                v.value if isinstance(v, ast.Constant) and isinstance(v.value, str) else "X"
                for v in node.values
            ]
            yield node.lineno, "".join(parts)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value


def messages() -> list[tuple[str, str]]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        for line, text in texts(path):
            if HINT.search(text) or QUOTED.search(text):
                found.append((f"{path.relative_to(REPO)}:{line}", text))
    return found


MESSAGES = messages()


def test_the_messages_are_found() -> None:
    """The walk sees the hints the issue names (a broken walk would pass everything)."""
    joined = "\n".join(text for _, text in MESSAGES)
    for hint in ("pass --update-source", "pass --yes", "'wixloc pull'", "'wixloc jobs wait ID'"):
        assert hint in joined
    assert len(MESSAGES) > 20


@pytest.mark.parametrize(("where", "text"), MESSAGES, ids=[w for w, _ in MESSAGES])
def test_every_hint_names_what_exists(where: str, text: str) -> None:
    for option in HINT.findall(text):
        assert option in ALL_OPTIONS, f"{where}: {option} is no option of any command"
    for quoted in QUOTED.findall(text):
        words = quoted.split()
        path: tuple[str, ...] = ()
        while words and not words[0].startswith("-") and (*path, words[0]) in COMMANDS:
            path, words = (*path, words[0]), words[1:]
        assert path, f"{where}: 'wixloc {quoted}' names no command"
        given = {w.split("=")[0] for w in words if w.startswith("-")}
        unknown = given - options(COMMANDS[path])
        assert not unknown, f"{where}: 'wixloc {quoted}': {' '.join(path)} has no {unknown}"
