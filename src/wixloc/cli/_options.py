"""Options shared by several commands."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from wixloc import formats
from wixloc.errors import InputError
from wixloc.fsutil import refuse_folder

F = TypeVar("F", bound=Callable[..., Any])

__all__ = [
    "FilePath",
    "FolderPath",
    "FormatChoice",
    "comma_list",
    "deprecated_option",
    "encoding_option",
    "jobs_option",
    "languages_option",
    "translator_format_option",
]


def comma_list(value: str | None) -> list[str] | None:
    """A comma-separated option: ``"en, de,HE"`` -> ``["en", "de", "HE"]``; None or empty -> None."""
    if not value:
        return None
    tags = [tag.strip() for tag in value.split(",")]
    return [tag for tag in tags if tag] or None


def languages_option(help_text: str, **kwargs: Any) -> Callable[[F], F]:
    """``--languages``/``-l``: the one meaning of ``-l`` on every command (a test walks them)."""
    return click.option("--languages", "-l", metavar="TAGS", help=help_text, **kwargs)


def tm_option(help_text: str) -> Callable[[F], F]:
    """``--tm TMX`` (repeatable): translation memories, as the ``tms`` parameter."""
    return click.option(
        "--tm", "tms", metavar="TMX", multiple=True, type=FilePath(path_type=Path), help=help_text
    )


def jobs_option(help_text: str) -> Callable[[F], F]:
    """``--jobs``/``-j N``: worker processes, as the ``jobs`` parameter (None: not given, the
    command's default, :func:`wixloc.workers.default_jobs`)."""
    return click.option("--jobs", "-j", type=click.IntRange(min=1), metavar="N", help=help_text)


def deprecated_option(old: str, new: str, dest: str, **kwargs: Any) -> Callable[[F], F]:
    """A hidden option kept so old scripts run: its value goes to *dest* and using it prints
    one line on stderr naming *new*, the option to use instead."""

    def warn(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        if value:
            click.echo(f"wixloc: {old} is deprecated; use {new}", err=True)
        return value

    return click.option(old, dest, hidden=True, callback=warn, **kwargs)


def encoding_option(func: F) -> F:
    """``--encoding``, the same on every command that reads a table: ``encoding`` (None:
    detected, see :mod:`wixloc.formats._text`)."""
    return click.option(
        "--encoding",
        metavar="NAME",
        help="Text encoding of the input table (default: a byte-order mark's UTF-8, UTF-16 or "
        "UTF-32, else UTF-8), e.g. cp1252 or utf-16-le.",
    )(func)


class FilePath(click.Path):
    """A file argument or option: a folder is refused with the library's one wording
    (``PATH: is a folder, not a file``, exit 2) instead of click's own."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(dir_okay=True, **kwargs)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        refuse_folder(value)
        return super().convert(value, param, ctx)


class FolderPath(click.Path):
    """A folder option: a file there is refused in the same style (``PATH: is a file, not a
    folder``, exit 2)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(file_okay=True, **kwargs)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if Path(value).is_file():
            raise InputError("is a file, not a folder", file=value)
        return super().convert(value, param, ctx)


class FormatChoice(click.Choice[str]):
    """A choice among the registry's formats (:func:`wixloc.formats.names`), read when the
    option is used or shown: the format modules (openpyxl with XLSX) are not loaded when the
    CLI starts."""

    def __init__(self, kind: formats.Kind | None = None) -> None:
        super().__init__(())
        self.kind = kind

    @property
    def choices(self) -> tuple[str, ...]:
        return formats.names(self.kind)

    @choices.setter
    def choices(self, value: object) -> None:
        pass  # click's __init__ sets the choices; they come from the registry instead


def translator_format_option(func: F) -> F:
    return click.option(
        "--format",
        "fmt",
        type=FormatChoice("translator"),
        default="po",
        show_default=True,
        help="The files translators get: po, xliff (1.2), xliff2 or xlsx.",
    )(func)
