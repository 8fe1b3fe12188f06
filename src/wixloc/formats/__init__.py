"""The format registry and the one place that decides what a file is.

:data:`FORMAT_MODULES` lists every format module, in registry order; each defines a module-level
``FORMAT = Format(...)``. A format reads and writes whole tables (CSV, JSONL, XLSX), bilingual
translator files (PO, XLIFF, XLSX), or both; an XLSX workbook may also hold several target
languages, a sheet each. :func:`open_document` looks at a path and says which format it is and
whether it holds a table or translator units; :func:`load_table` and :func:`load_units` are
shorthands over it. Files are chosen by extension; where one extension serves several formats
(``.xlf`` for XLIFF 1.2 and 2.0) the file's first bytes decide, and translator files are
recognised by content whatever their extension.

Every format function works on binary file objects, so the CLI and tests can pass files or BytesIO.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import BinaryIO, Literal, Protocol, TypeVar, cast

from wixloc.errors import FormatError, UsageError
from wixloc.fsutil import atomic_write, open_input, refuse_folder
from wixloc.model import CHANGED_NOTE, Entry, Key, Table, Unit, UnitFile

__all__ = [
    "FORMAT_MODULES",
    "Document",
    "Format",
    "Kind",
    "ReadOptions",
    "UnitSink",
    "all_formats",
    "extensions",
    "files_in",
    "for_extension",
    "for_output",
    "get",
    "load_table",
    "load_units",
    "names",
    "open_document",
    "read_all",
    "save_table",
    "save_unit_files",
    "save_units",
    "write_all",
]

# The registry, in the order detection tries the formats and messages list them. The modules are
# imported on first use, not with this package: XLSX needs openpyxl, which `import wixloc` and
# the CLI's start (--help included) should not pay for.
FORMAT_MODULES = ("csv", "jsonl", "po", "xliff1", "xliff2", "xlsx")

HEAD_SIZE = 4096  # the first bytes a format's sniffer sees


@dataclass(frozen=True)
class ReadOptions:
    """What a reader may need besides the bytes."""

    name: str = "<input>"  # the file name, for messages
    encoding: str | None = None  # None: UTF-8 (with or without BOM), checked
    languages: Sequence[str] | None = None  # explicit language columns, main first
    allow_duplicates: bool = False  # keep duplicate keys (for `check`) instead of failing
    # A streamed table's bytes decoded whole before its first row, so that a bad byte fails
    # before any row is handed on; False: where the reading meets it, with the same message
    # (for `check`, which acts on nothing until the end, and reads a large file in parts).
    decode_first: bool = True


T = TypeVar("T")  # what a table streamer gives after the Table (an Entry, a Row)

TableReader = Callable[[BinaryIO, ReadOptions], Table]
TableWriter = Callable[[Table, BinaryIO], None]
# A table read lazily: the Table first (languages, columns; no entries), then each Entry.
TableStreamer = Callable[[BinaryIO, ReadOptions], Generator[Table | Entry, None, None]]
# A wide table read a row at a time without its entries: the Table first (languages, columns;
# no entries), then each data row as (line, key, cells in the order of the Table's columns),
# no key twice; a long table gives the Table alone, its layout "long".
Row = tuple[int, Key, list[str]]
RowStreamer = Callable[[BinaryIO, ReadOptions], Generator[Table | Row, None, None]]
# How a table rewriter changes a data row: given its line, key and cells (in the order of the
# Table's columns), the cells to write instead, or None to keep the row's bytes as read.
RowEdit = Callable[[int, Key, list[str]], Sequence[str] | None]
# A table copied a row at a time with some rows changed: (input, options, output, a function
# of the Table read (header only) giving the RowEdit).
TableRewriter = Callable[[BinaryIO, ReadOptions, BinaryIO, Callable[[Table], RowEdit]], None]
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


# A file holding several translator files (a workbook with a sheet per target language): each
# one's UnitFile (no units yet) and an iterator of its units, in file order.
UnitFilesReader = Callable[[BinaryIO, ReadOptions], list[tuple[UnitFile, Iterator[Unit]]]]
UnitFilesWriter = Callable[[Sequence[UnitFile], BinaryIO], None]
# For a format whose files hold either a table or translator units (XLSX): the file read once,
# as its Table or as UnitFilesReader gives its translator files.
Content = Table | list[tuple[UnitFile, Iterator[Unit]]]
EitherReader = Callable[[BinaryIO, ReadOptions], Content]


@dataclass(frozen=True)
class Format:
    """A file format: its name, extensions and the functions it offers."""

    name: str  # as used in --to: csv, jsonl, xlsx, po, xliff, xliff2
    extensions: tuple[str, ...]  # with dots, lower case; the first is the default
    description: str
    read_table: TableReader | None = None
    write_table: TableWriter | None = None
    stream_table: TableStreamer | None = None  # read_table a row at a time (CSV)
    stream_rows: RowStreamer | None = None  # stream_table's rows as cells, no Entry (CSV)
    # A table file copied a row at a time, changed rows rendered, the rest kept as read (CSV)
    rewrite_table: TableRewriter | None = None
    read_units: UnitReader | None = None
    write_units: UnitWriter | None = None
    # The same, a unit at a time, for files too large to hold (split and merge use these)
    stream_units: UnitStreamer | None = None
    open_units: UnitSinkOpener | None = None
    # Several target languages in one file (an XLSX workbook, a sheet each)
    read_unit_files: UnitFilesReader | None = None
    write_unit_files: UnitFilesWriter | None = None
    # For a format that is both a table and a translator format: a file read as what it holds
    read_either: EitherReader | None = None
    # True if the first bytes of a file look like this format (for .xlf and merge detection)
    sniff: Callable[[bytes], bool] = field(default=lambda head: True)

    @property
    def is_table(self) -> bool:
        return self.read_table is not None and self.write_table is not None

    @property
    def is_bilingual(self) -> bool:
        return self.read_units is not None and self.write_units is not None

    @property
    def is_multilingual(self) -> bool:
        """Whether one file can hold several target languages."""
        return self.read_unit_files is not None and self.write_unit_files is not None


@cache
def all_formats() -> tuple[Format, ...]:
    """Every format of :data:`FORMAT_MODULES`, in that order."""
    found = []
    for name in FORMAT_MODULES:
        module = importlib.import_module(f"{__name__}.{name}")
        found.append(cast(Format, module.FORMAT))
    return tuple(found)


Kind = Literal["table", "translator", "multilingual"]


def names(kind: Kind | None = None) -> tuple[str, ...]:
    """The names of the formats (for --to, --format and the config), in registry order:
    all, or those that write tables, translator files or several languages in one file."""
    return tuple(f.name for f in all_formats() if _is(f, kind))


def _is(fmt: Format, kind: Kind | None) -> bool:
    if kind == "table":
        return fmt.is_table
    if kind == "translator":
        return fmt.is_bilingual
    if kind == "multilingual":
        return fmt.is_multilingual
    return True


def extensions(kind: Kind | None = None) -> frozenset[str]:
    """The file extensions of the formats :func:`names` gives (with dots, lower case)."""
    return frozenset(ext for f in all_formats() if _is(f, kind) for ext in f.extensions)


def files_in(folder: str | Path, kind: Kind = "translator") -> list[Path]:
    """The files directly in *folder* with an extension of a *kind* format, sorted by name
    (what a folder given to ``wixloc check`` stands for)."""
    exts = extensions(kind)
    return sorted(p for p in Path(folder).iterdir() if p.is_file() and p.suffix.lower() in exts)


def get(name: str) -> Format:
    """The format called *name* (``csv``, ``po``, ``xliff`` ...)."""
    for fmt in all_formats():
        if fmt.name == name.lower():
            return fmt
    raise UsageError(f"unknown format '{name}' (known formats: {', '.join(names())})")


def for_extension(path: str | Path) -> list[Format]:
    """Formats whose extensions match *path*'s suffix, in registry order."""
    suffix = Path(path).suffix.lower()
    return [fmt for fmt in all_formats() if suffix in fmt.extensions]


def _by_extension(path: str | Path) -> list[Format]:
    candidates = for_extension(path)
    if not candidates:
        refuse_folder(path)  # a folder has no extension either: say what it is
        known = ", ".join(sorted({ext for f in all_formats() for ext in f.extensions}))
        raise FormatError(
            f"cannot tell the format from the extension '{Path(path).suffix}'",
            file=path,
            hint=f"use one of {known}",
        )
    return candidates


def _head(path: str | Path) -> bytes:
    with open_input(path) as fh:
        return fh.read(HEAD_SIZE)


def _sniffed(path: str | Path, candidates: list[Format]) -> Format:
    """The candidate whose sniffer claims the file's first bytes; the first when the file
    cannot be read (a file to be written, or an error the reader will report)."""
    if len(candidates) == 1:
        return candidates[0]
    try:
        with Path(path).open("rb") as fh:
            head = fh.read(HEAD_SIZE)
    except OSError:
        return candidates[0]
    return next((fmt for fmt in candidates if fmt.sniff(head)), candidates[0])


def for_output(path: str | Path) -> Format:
    """The format to write *path* in, by its extension; where several formats share it
    (``.xlf``), an existing file keeps its own (its first bytes decide), a new one gets the
    first registered."""
    return _sniffed(path, _by_extension(path))


def _translator_by_content(path: str | Path) -> Format:
    """The translator format of *path* by its first bytes, whatever its extension (formats
    that its extension names are tried first)."""
    head = _head(path)
    bilingual = [f for f in all_formats() if f.is_bilingual]
    by_extension = [f for f in for_extension(path) if f.is_bilingual]
    for fmt in by_extension + bilingual:
        if fmt.sniff(head):
            return fmt
    known = ", ".join(f.name for f in bilingual)
    raise FormatError(f"not a translator file ({known})", file=str(path))


@dataclass(frozen=True)
class Document:
    """A file as :func:`open_document` found it: its format, and whether it holds a table or
    translator units (one target language, or several in one workbook). The methods read it;
    those for the other kind raise :class:`FormatError`. A file whose format holds either (XLSX)
    was read by open_document to find out: the first method called takes what it read, any
    later one reads the file again."""

    path: Path
    format: Format
    holds_units: bool
    options: ReadOptions
    _read: list[Content] = field(default_factory=list, compare=False, repr=False)

    @property
    def is_table(self) -> bool:
        return not self.holds_units

    def table(self) -> Table:
        """The whole table."""
        reader = self._table_reader()
        table = self._take()
        if not isinstance(table, Table):
            with open_input(self.path) as fh:
                table = reader(fh, self.options)
        table.source = str(self.path)
        return table

    def stream_table(self) -> Generator[Table | Entry, None, None]:
        """The table a row at a time where the format allows (CSV): the Table first
        (languages, columns; no entries), then each Entry as it is read."""
        streamer = self.format.stream_table
        if streamer is None or self._read:
            table = self.table()
            entries, table.entries = table.entries, []
            yield table
            yield from entries
            return
        yield from self._streamed(streamer)

    def stream_rows(self) -> Generator[Table | Row, None, None]:
        """The table's rows as cells, without entries (:data:`RowStreamer`), for a format
        read a row at a time (CSV; FormatError for another)."""
        streamer = self.format.stream_rows
        if streamer is None:
            raise FormatError(f"a {self.format.name} table is not read a row at a time")
        yield from self._streamed(streamer)

    def _streamed(
        self, streamer: Callable[[BinaryIO, ReadOptions], Generator[Table | T, None, None]]
    ) -> Generator[Table | T, None, None]:
        """The file read by *streamer*: its Table first (named by the file), then the rest."""
        self._table_reader()  # the check: this file holds a table
        with open_input(self.path) as fh, contextlib.closing(streamer(fh, self.options)) as items:
            first = next(items)
            assert isinstance(first, Table)
            first.source = str(self.path)
            yield first
            yield from items

    def units(self) -> UnitFile:
        """The translator file's units (a workbook of several languages is an error)."""
        reader = self._units_reader()
        self._take()  # a workbook's sheets: read again, for the reader's check of one language
        with open_input(self.path) as fh:
            units = reader(fh, self.options)
        units.source = str(self.path)
        _mark_changed(units.units)
        return units

    def unit_files(self) -> list[UnitFile]:
        """Every target language in the file, each with all its units."""
        found = []
        for units, rest in self.stream_units():
            units.units = list(rest)
            found.append(units)
        return found

    def stream_units(self) -> Generator[tuple[UnitFile, Iterator[Unit]], None, None]:
        """Each target language in the file as its UnitFile (no units) and an iterator reading
        them, which must be used up before the next step of this generator (that may close the
        file). Of several languages in one file, each is named ``<path> (<language>)``."""
        reader = self._units_reader()
        fmt, name = self.format, str(self.path)
        found = self._take()
        if fmt.read_unit_files is not None:
            if not isinstance(found, list):
                with open_input(self.path) as fh:
                    found = fmt.read_unit_files(fh, self.options)
            several = len(found) > 1
            for units, rest in found:  # the workbook is read whole: its rows come from memory
                units.source = f"{name} ({units.target_language})" if several else name
                yield units, _changed_marked(rest)
            return
        with open_input(self.path) as fh:
            if fmt.stream_units is None:
                units = reader(fh, self.options)
                units.source = name
                _mark_changed(units.units)
                yield units, iter(units.units)
            else:
                with contextlib.closing(fmt.stream_units(fh, self.options)) as items:
                    units, rest = open_stream(items)
                    units.source = name
                    yield units, _changed_marked(rest)

    def _table_reader(self) -> TableReader:
        if self.holds_units or self.format.read_table is None:
            raise FormatError(
                f"{self.format.name} files hold one target language, not a table",
                file=self.path,
                hint="merge them into a table with 'wixloc merge'",
            )
        return self.format.read_table

    def _units_reader(self) -> UnitReader:
        if not self.holds_units or self.format.read_units is None:
            raise FormatError(
                f"{self.format.name} is a table format, not a translator file", file=self.path
            )
        return self.format.read_units

    def _take(self) -> Content | None:
        """What open_document read of the file, once."""
        return self._read.pop() if self._read else None


def open_document(
    path: str | Path,
    *,
    expect: Literal["table", "units"] | None = None,
    fmt: Format | None = None,
    encoding: str | None = None,
    languages: Sequence[str] | None = None,
    allow_duplicates: bool = False,
    decode_first: bool = True,
) -> Document:
    """What *path* is: its format, and whether it holds a table or translator units.

    With no *expect*, the extension names the format (the first bytes decide between formats
    that share it); a file of a format that holds either (XLSX) is read here, as what it holds. With
    ``expect="table"`` the file is read as a table (an error if its format holds none); with
    ``expect="units"`` it must be a translator file, recognised by its first bytes whatever its
    extension, as ``merge`` reads files an agency renamed. *fmt* skips the detection.

    *encoding* and *languages* (explicit language columns, main first) are for tables; with
    *allow_duplicates* a repeated key is kept as a second entry instead of failing
    (``wixloc check`` reports it as a finding); *decode_first*: see :class:`ReadOptions`.
    """
    options = ReadOptions(
        name=str(path),
        encoding=encoding,
        languages=languages,
        allow_duplicates=allow_duplicates,
        decode_first=decode_first,
    )
    if fmt is None:
        fmt = (
            _translator_by_content(path)
            if expect == "units"
            else _sniffed(path, _by_extension(path))
        )
    if expect == "units" or fmt.read_table is None:
        return Document(Path(path), fmt, True, options)
    if expect == "table" or fmt.read_units is None or fmt.read_either is None:
        return Document(Path(path), fmt, False, options)
    with open_input(path) as fh:  # it may be either: read it as what it is
        content = fmt.read_either(fh, options)
    return Document(Path(path), fmt, not isinstance(content, Table), options, [content])


def load_table(
    path: str | Path,
    *,
    encoding: str | None = None,
    languages: Sequence[str] | None = None,
    fmt: Format | None = None,
    allow_duplicates: bool = False,
) -> Table:
    """Read a table file (CSV, JSONL, XLSX ...) chosen by extension; see :func:`open_document`."""
    return open_document(
        path,
        expect="table",
        fmt=fmt,
        encoding=encoding,
        languages=languages,
        allow_duplicates=allow_duplicates,
    ).table()


def load_units(path: str | Path, *, fmt: Format | None = None) -> UnitFile:
    """Read a translator file; the format (and XLIFF version) is detected from its content."""
    return open_document(path, expect="units", fmt=fmt).units()


def _mark_changed(units: Iterable[Unit]) -> None:
    """Set :attr:`Unit.changed` from what the file holds: the note split adds to a unit whose
    source changed, or the previous source (PO ``#|``, XLIFF, the XLSX column). Done here, for
    every format, so that the files stay as they are and no reader has to know the note."""
    for unit in units:
        unit.changed = unit.previous_source is not None or CHANGED_NOTE in unit.notes


def _changed_marked(units: Iterator[Unit]) -> Iterator[Unit]:
    """:func:`_mark_changed` for units read one at a time."""
    for unit in units:
        unit.changed = unit.previous_source is not None or CHANGED_NOTE in unit.notes
        yield unit


def save_table(table: Table, path: str | Path, *, fmt: Format | None = None) -> None:
    """Write *table* atomically to *path* in the format its extension names."""
    fmt = fmt or for_output(path)
    if fmt.write_table is None:
        raise UsageError(
            f"{fmt.name} holds one target language; cannot write a whole table to {path}",
            hint="use 'wixloc split' to make translator files",
        )
    with atomic_write(path) as fh:
        fmt.write_table(table, fh)


def save_units(units: UnitFile, path: str | Path, fmt: Format) -> None:
    """Write a translator file atomically."""
    if fmt.write_units is None:
        raise UsageError(f"{fmt.name} is not a translator-file format")
    with atomic_write(path) as fh:
        fmt.write_units(units, fh)


def save_unit_files(unit_files: Sequence[UnitFile], path: str | Path, fmt: Format) -> None:
    """Write several target languages into one file (a workbook, a sheet each) atomically."""
    if fmt.write_unit_files is None:
        raise UsageError(f"{fmt.name} holds one target language per file")
    with atomic_write(path) as fh:
        fmt.write_unit_files(unit_files, fh)


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
