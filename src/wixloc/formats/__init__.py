"""The format registry, built from the format modules themselves.

Each module in this package that defines a module-level ``FORMAT = Format(...)`` is a format.
A format reads and writes whole tables (CSV, JSONL, XLSX), bilingual translator files (PO,
XLIFF, XLSX), or both. Files are chosen by extension; where one extension serves several formats
(``.xlf`` for XLIFF 1.2 and 2.0) the file's first bytes decide.

Every function works on binary file objects, so the CLI and tests can pass files or BytesIO.
"""

from __future__ import annotations

import contextlib
import importlib
import pkgutil
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import BinaryIO, Protocol, cast

from wixloc.errors import FormatError, UsageError
from wixloc.fsutil import atomic_write, open_input
from wixloc.model import Entry, Table, Unit, UnitFile

__all__ = [
    "Format",
    "ReadOptions",
    "UnitSink",
    "all_formats",
    "convert_table",
    "detect",
    "for_extension",
    "get",
    "load_table",
    "load_units",
    "read_all",
    "save_table",
    "save_units",
    "stream_table",
    "stream_units",
    "write_all",
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
# A table read lazily: the Table first (languages, columns; no entries), then each Entry.
TableStreamer = Callable[[BinaryIO, ReadOptions], Generator[Table | Entry, None, None]]
UnitReader = Callable[[BinaryIO, ReadOptions], UnitFile]
UnitWriter = Callable[[UnitFile, BinaryIO], None]
# A translator file read lazily: the UnitFile first (languages, key columns, no units), then
# each Unit as it is read. The file must stay open until the stream is used up.
UnitStream = Generator[UnitFile | Unit, None, None]
UnitStreamer = Callable[[BinaryIO, ReadOptions], UnitStream]


class UnitSink(Protocol):
    """A translator file written a unit at a time: :meth:`add` each unit, then :meth:`close`."""

    def add(self, unit: Unit) -> None: ...

    def close(self) -> None: ...


# (the file's languages and key columns, the output, whether units may carry a max length)
UnitSinkOpener = Callable[[UnitFile, BinaryIO, bool], UnitSink]


@dataclass(frozen=True)
class Format:
    """A file format: its name, extensions and the functions it offers."""

    name: str  # as used in --to: csv, jsonl, xlsx, po, xliff, xliff2
    extensions: tuple[str, ...]  # with dots, lower case; the first is the default
    description: str
    read_table: TableReader | None = None
    write_table: TableWriter | None = None
    stream_table: TableStreamer | None = None  # read_table a row at a time (CSV)
    read_units: UnitReader | None = None
    write_units: UnitWriter | None = None
    # The same, a unit at a time, for files too large to hold (split and merge use these)
    stream_units: UnitStreamer | None = None
    open_units: UnitSinkOpener | None = None
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
    fmt, opts = _table_reader(path, encoding, languages, fmt, allow_duplicates)
    assert fmt.read_table is not None
    with open_input(path) as fh:
        table = fmt.read_table(fh, opts)
    table.source = str(path)
    return table


def stream_table(
    path: str | Path,
    *,
    encoding: str | None = None,
    languages: Sequence[str] | None = None,
) -> Generator[Table | Entry, None, None]:
    """:func:`load_table` a row at a time where the format allows (CSV): the Table first
    (languages, columns; no entries), then each Entry as it is read."""
    fmt, opts = _table_reader(path, encoding, languages, None, False)
    with open_input(path) as fh:
        if fmt.stream_table is None:
            assert fmt.read_table is not None
            table = fmt.read_table(fh, opts)
            entries, table.entries = table.entries, []
            table.source = str(path)
            yield table
            yield from entries
            return
        with contextlib.closing(fmt.stream_table(fh, opts)) as items:
            first = next(items)
            assert isinstance(first, Table)
            first.source = str(path)
            yield first
            yield from items


def _table_reader(
    path: str | Path,
    encoding: str | None,
    languages: Sequence[str] | None,
    fmt: Format | None,
    allow_duplicates: bool,
) -> tuple[Format, ReadOptions]:
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
    return fmt, opts


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


def open_stream(items: UnitStream) -> tuple[UnitFile, Iterator[Unit]]:
    """Split a stream into its UnitFile (no units yet) and the iterator of its units."""
    header = next(items)
    if not isinstance(header, UnitFile):  # pragma: no cover - a reader's bug
        raise TypeError("a unit stream must start with its UnitFile")
    return header, cast(Iterator[Unit], items)


def read_all(streamer: UnitStreamer) -> UnitReader:
    """A reader giving the whole UnitFile, from a format's unit stream."""

    def read(fh: BinaryIO, options: ReadOptions) -> UnitFile:
        units, rest = open_stream(streamer(fh, options))
        units.units = list(rest)
        return units

    return read


def write_all(opener: UnitSinkOpener) -> UnitWriter:
    """A writer of a whole UnitFile, from a format's unit sink."""

    def write(units: UnitFile, fh: BinaryIO) -> None:
        sink = opener(units, fh, any(unit.max_length is not None for unit in units.units))
        for unit in units.units:
            sink.add(unit)
        sink.close()

    return write


def stream_units(
    path: str | Path, fmt: Format
) -> Generator[tuple[UnitFile, Iterator[Unit]], None, None]:
    """Read a translator file lazily: yields its UnitFile (no units) and an iterator of units,
    which must be used up before the next step of this generator closes the file."""
    if fmt.read_units is None:
        raise FormatError(f"{fmt.name} is a table format, not a translator file", file=path)
    with open_input(path) as fh:
        if fmt.stream_units is None:
            units = fmt.read_units(fh, ReadOptions(name=str(path)))
            units.source = str(path)
            yield units, iter(units.units)
            return
        with contextlib.closing(fmt.stream_units(fh, ReadOptions(name=str(path)))) as items:
            units, rest = open_stream(items)
            units.source = str(path)
            yield units, rest


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

    The same format and dialect give the same bytes; ``.tsv`` and ``.txt`` output is
    tab-separated, and a ``.csv`` made from UTF-16 or UTF-32 text (Excel's "Unicode text") is UTF-8.
    """
    table = load_table(src, encoding=encoding, languages=languages)
    out_fmt = detect(dst)
    tab = Path(dst).suffix.lower() in (".tsv", ".txt")
    if out_fmt.name == "csv" and tab != (table.dialect.delimiter == "\t"):
        table.dialect.delimiter = "\t" if tab else ","
        table.format_state.pop("csv", None)  # raw rows were spelled with the old delimiter
        if not tab and table.dialect.encoding.startswith(("utf-16", "utf-32")):
            table.dialect.encoding, table.dialect.bom = "utf-8", False
    save_table(table, dst, fmt=out_fmt)
    return table
