"""Options shared by several commands."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

__all__ = [
    "comma_list",
    "encoding_option",
    "languages_option",
    "translator_format_option",
]


def comma_list(value: str | None) -> list[str] | None:
    """A comma-separated option: ``"en, de,HE"`` -> ``["en", "de", "HE"]``; None or empty -> None."""
    if not value:
        return None
    tags = [tag.strip() for tag in value.split(",")]
    return [tag for tag in tags if tag] or None


def languages_option(help_text: str) -> Callable[[F], F]:
    return click.option("--languages", "-l", metavar="TAGS", help=help_text)


def encoding_option(func: F) -> F:
    return click.option(
        "--encoding",
        metavar="NAME",
        help="Text encoding of the input when it is not UTF-8, e.g. cp1252.",
    )(func)


def translator_format_option(func: F) -> F:
    from wixloc.config import FORMATS

    return click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default="po",
        show_default=True,
        help="The files translators get: po, xliff (1.2), xliff2 or xlsx.",
    )(func)
