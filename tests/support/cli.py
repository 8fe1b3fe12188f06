"""The CLI's commands, for tests that go through every one of them."""

from __future__ import annotations

import click


def all_commands(
    group: click.Group, prefix: tuple[str, ...] = ()
) -> dict[tuple[str, ...], click.Command]:
    """Every command and subcommand under *group*, by its path of names, in name order."""
    found: dict[tuple[str, ...], click.Command] = {}
    for name, command in sorted(group.commands.items()):
        found[(*prefix, name)] = command
        if isinstance(command, click.Group):
            found.update(all_commands(command, (*prefix, name)))
    return found


def named_commands(group: click.Group) -> list[tuple[str, click.Command]]:
    """Every command under *group* with its name as typed ("jobs list")."""
    return [(" ".join(path), command) for path, command in all_commands(group).items()]
