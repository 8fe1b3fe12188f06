"""The format registry, built from the format modules themselves.

Each module in this package that defines a module-level ``FORMAT = Format(...)`` is a format.
A format reads and writes whole tables (CSV, JSONL, XLSX), bilingual translator files (PO,
XLIFF, XLSX), or both. Files are chosen by extension; where one extension serves several formats
(``.xlf`` for XLIFF 1.2 and 2.0) the file's first bytes decide.

Every function works on binary file objects, so the CLI and tests can pass files or BytesIO.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import BinaryIO

from wixloc.errors import FormatError, UsageError
from wixloc.fsutil import atomic_write, open_input
from wixloc.model import Table, UnitFile

__all__ = [
    "Format",
    "ReadOptions",
    "all_formats",
    "convert_table",
    "detect",
    "for_extension",
    "get",
    "load_table",
    "load_units",
    "save_table",
    "save_units",
]


@dataclass(frozen=True)
class ReadOptions:
    """What a reader may need besides the bytes."""

    name: str = "<input>"  # the file name, for messages
    encoding: str | None = None  # None: UTF-8 (with or without BOM), checked
    languages: Sequence[str] | None = None  # explicit language columns, main first
    allow_duplicates: bool = False  # keep duplicate keys (for `check`) instead of failing


TableReader = Callable[[BinaryIO, ReadOptions], Table]
TableWriter = Callable[[Table, BinaryIO], None]
UnitReader = Callable[[BinaryIO, ReadOptions], UnitFile]
UnitWriter = Callable[[UnitFile, BinaryIO], None]


@dataclass(frozen=True)
class Format:
    """A file format: its name, extensions and the functions it offers."""

    name: str  # as used in --to: csv, jsonl, xlsx, po, xliff, xliff2
    extensions: tuple[str, ...]  # with dots, lower case; the first is the default
    description: str
    read_table: TableReader | None = None
    write_table: TableWriter | None = None
    read_units: UnitReader | None = None
    write_units: UnitWriter | None = None
    # True if the first bytes of a file look like this format (for .xlf and merge detection)
    sniff: Callable[[bytes], bool] = field(default=lambda head: True)

    @property
    def is_table(self) -> bool:
        return self.read_table is not None and self.write_table is not None

    @property
    def is_bilingual(self) -> bool:
        return self.read_units is not None and self.write_units is not None


@cache
def all_formats() -> tuple[Format, ...]:
    """Every format defined by a module of this package, in module-name order."""
    found: list[Format] = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        fmt = getattr(module, "FORMAT", None)
        if isinstance(fmt, Format):
            found.append(fmt)
    return tuple(found)


def get(name: str) -> Format:
    """The format called *name* (``csv``, ``po``, ``xliff`` ...)."""
    for fmt in all_formats():
        if fmt.name == name.lower():
            return fmt
    names = ", ".join(f.name for f in all_formats())
    raise UsageError(f"unknown format '{name}' (known formats: {names})")


def for_extension(path: str | Path) -> list[Format]:
    """Formats whose extensions match *path*'s suffix, in registry order."""
    suffix = Path(path).suffix.lower()
    return [fmt for fmt in all_formats() if suffix in fmt.extensions]


def detect(path: str | Path, head: bytes | None = None) -> Format:
    """The format of *path*, by extension and, if several share it, by *head* (first bytes)."""
    candidates = for_extension(path)
    if not candidates:
        known = ", ".join(sorted({ext for f in all_formats() for ext in f.extensions}))
        raise FormatError(
            f"cannot tell the format from the extension '{Path(path).suffix}'",
            file=path,
            hint=f"use one of {known}",
        )
    if len(candidates) == 1:
        return candidates[0]
    if head is None:
        try:
            with Path(path).open("rb") as fh:
                head = fh.read(4096)
        except OSError:
            return candidates[0]  # a file to be written: the default for the extension
    for fmt in candidates:
        if fmt.sniff(head):
            return fmt
    return candidates[0]


def load_table(
    path: str | Path,
    *,
    encoding: str | None = None,
    languages: Sequence[str] | None = None,
    fmt: Format | None = None,
    allow_duplicates: bool = False,
) -> Table:
    """Read a table file (CSV, JSONL, XLSX ...) chosen by extension.

    With *allow_duplicates* a repeated key is kept as a second entry instead of failing
    (``wixloc check`` reports it as a finding).
    """
    fmt = fmt or detect(path)
    if fmt.read_table is None:
        raise FormatError(
            f"{fmt.name} files hold one target language, not a table",
            file=path,
            hint="merge them into a table with 'wixloc merge'",
        )
    opts = ReadOptions(
        name=str(path),
        encoding=encoding,
        languages=languages,
        allow_duplicates=allow_duplicates,
    )
    with open_input(path) as fh:
        table = fmt.read_table(fh, opts)
    table.source = str(path)
    return table


def save_table(table: Table, path: str | Path, *, fmt: Format | None = None) -> None:
    """Write *table* atomically to *path* in the format its extension names."""
    fmt = fmt or detect(path)
    if fmt.write_table is None:
        raise UsageError(
            f"{fmt.name} holds one target language; cannot write a whole table to {path}",
            hint="use 'wixloc split' to make translator files",
        )
    with atomic_write(path) as fh:
        fmt.write_table(table, fh)


def load_units(path: str | Path, *, fmt: Format | None = None) -> UnitFile:
    """Read a translator file; the format (and XLIFF version) is detected from its content."""
    if fmt is None:
        with open_input(path) as fh:
            head = fh.read(4096)
        fmt = detect(path, head)
    if fmt.read_units is None:
        raise FormatError(f"{fmt.name} is a table format, not a translator file", file=path)
    with open_input(path) as fh:
        units = fmt.read_units(fh, ReadOptions(name=str(path)))
    units.source = str(path)
    return units


def save_units(units: UnitFile, path: str | Path, fmt: Format) -> None:
    """Write a translator file atomically."""
    if fmt.write_units is None:
        raise UsageError(f"{fmt.name} is not a translator-file format")
    with atomic_write(path) as fh:
        fmt.write_units(units, fh)


def convert_table(
    src: str | Path,
    dst: str | Path,
    *,
    encoding: str | None = None,
    languages: Sequence[str] | None = None,
) -> Table:
    """Read the table *src* and write it to *dst*, each in the format its extension names.

    The same format and dialect give the same bytes; ``.tsv`` output is tab-separated.
    """
    table = load_table(src, encoding=encoding, languages=languages)
    out_fmt = detect(dst)
    tab = Path(dst).suffix.lower() == ".tsv"
    if out_fmt.name == "csv" and tab != (table.dialect.delimiter == "\t"):
        table.dialect.delimiter = "\t" if tab else ","
        table.format_state.pop("csv", None)  # raw rows were spelled with the old delimiter
    save_table(table, dst, fmt=out_fmt)
    return table
