"""The localization CSV: wide (a column per language) or long (a row per key and language).

Read by its header (see :mod:`wixloc.formats._columns`). The dialect is detected: delimiter
(``,`` ``;`` tab; tab for ``.tsv`` and ``.txt``), encoding and BOM (:mod:`wixloc.formats._text`:
Excel's "Unicode text" is UTF-16 LE), line ending (LF, CRLF, CR), quoting (minimal or every
field), and whether the last row ends with a line break. A table read and written unchanged comes out byte
for byte: rows the dialect alone cannot reproduce (odd quoting, blank lines) keep their raw text,
which is written back as long as their cells are unchanged.
"""

from __future__ import annotations

import contextlib
import csv as _csv
import io
import itertools
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass, field, replace
from operator import itemgetter
from pathlib import Path
from typing import BinaryIO, cast

from wixloc.errors import InputError
from wixloc.formats import Format, ReadOptions, Row, RowEdit
from wixloc.formats._columns import Layout, classify, duplicate_key_error
from wixloc.formats._csvtext import line_text, trimmed, write_text
from wixloc.formats._text import decode, stream_codec
from wixloc.gcpause import paused as gc_paused
from wixloc.model import Column, ColumnKind, Dialect, Entry, Key, Language, Table

__all__ = ["FORMAT", "read", "rewrite", "rows", "stream", "write"]

_csv.field_size_limit(1 << 30)  # long rich texts are normal; the default is 128 KiB


@dataclass
class _State:
    """What the reader kept to write the file back exactly (``Table.format_state['csv']``)."""

    raw: dict[object, tuple[tuple[str, ...], str]] = field(default_factory=dict)
    gaps: dict[int, str] = field(default_factory=dict)  # row index -> raw blank lines before it
    header_raw: str | None = None
    header: list[str] = field(default_factory=list)
    long: Layout | None = None
    order: list[tuple[Key, Language]] = field(default_factory=list)  # long layout row order
    duplicates: bool = False  # kept duplicate rows (ReadOptions.allow_duplicates): read-only


def read(fh: BinaryIO, options: ReadOptions) -> Table:
    """The whole table. The bytes are decoded once, as the rows are read: nothing is handed
    on before the end, so a bad byte found on the way fails as :func:`stream`'s check before
    the first row would (decode's message, its line and byte), without a pass of its own."""
    items = stream(fh, replace(options, decode_first=False))
    table = next(items)
    assert isinstance(table, Table)
    with gc_paused():
        table.entries = cast(list[Entry], list(items))
    return table


def stream(fh: BinaryIO, options: ReadOptions) -> Generator[Table | Entry, None, None]:
    """The table (languages, columns, dialect; no entries yet), then its entries as they are
    read. A wide table is streamed a record at a time; a long one is read whole first (its
    languages are known only at the end). ``dialect.final_newline`` is known at the end.
    With ``options.decode_first`` the whole file is decoded once before the first row (see
    :func:`~wixloc.formats._text.stream_codec`); without it, a bad byte fails where the reading
    meets it, with the same message (its line and byte).

    Streamed: holding the whole text (and a StringIO copy of it, four bytes per character) cost
    several times the file's size in memory on large exports."""
    with _decoded_once(fh, options, whole=options.decode_first) as opened:
        yield from _entries(*opened, options)


def _entries(
    table: Table,
    layout: Layout,
    source: _Lines,
    records: Iterator[tuple[int, list[str], str]],
    options: ReadOptions,
) -> Generator[Table | Entry, None, None]:
    """:func:`stream`'s items, the header read."""
    state: _State = table.format_state["csv"]
    rows = _checked_rows(records, len(state.header), options.name, state)
    if layout.long:
        table.layout = "long"
        state.long = layout
        _fill_long(table, rows, layout, options)
        table.dialect.final_newline = source.last.endswith(("\n", "\r"))
        entries, table.entries = table.entries, []
        yield table
        yield from entries
        return
    yield table
    yield from _wide_entries(table, rows, layout, options)
    table.dialect.final_newline = source.last.endswith(("\n", "\r"))


def _open_text(
    lines: Iterator[str], bom: bool, encoding: str, options: ReadOptions
) -> tuple[Table, Layout, _Lines, Iterator[tuple[int, list[str], str]]]:
    """The table's header read: the Table (no entries, its _State), its layout, the lines
    and the records after the header."""
    if options.encoding is not None:
        first = next(lines, "")
        if first.startswith("\ufeff"):
            bom, first = True, first[1:]
        lines = itertools.chain([first], lines)
    head = _leading_blank(lines)
    if head is None:
        raise InputError(
            "the file is empty",
            file=options.name,
            hint="expected a header row such as: Collection ID,Item ID,Field,en,de",
        )
    dialect = _detect(head[0], bom, encoding, _tab_named(options.name))
    source = _Lines(itertools.chain(head, lines))
    records = _records(source, dialect, options.name)
    header_line, header, header_raw = next(records)
    layout = classify(header, options.name, options.languages, line=header_line)
    table = Table(languages=list(layout.languages), columns=layout.columns, dialect=dialect)
    state = _State(header=list(header))
    if line_text(header, dialect) != header_raw:
        state.header_raw = header_raw
    table.format_state["csv"] = state
    return table, layout, source, records


def rows(fh: BinaryIO, options: ReadOptions) -> Generator[Table | Row, None, None]:
    """:func:`stream` without the entries: the Table, then each data row of a wide table as
    (line, key, cells), a key twice refused as there; for a long table, the Table alone (its
    layout "long"). For a reader that needs only the cells (merge's index of a table): no
    Entry is made, and nothing is kept for writing the table back. The bytes are decoded once,
    as the rows are read: a bad byte fails where it is met, with the message :func:`stream`
    gives before the first row."""
    with _decoded_once(fh, options) as (table, layout, source, records):
        if layout.long:
            table.layout = "long"
            yield table
            return
        yield table
        header = table.format_state["csv"].header
        keys = _key_indexes(table, header)
        seen: dict[Key, int] = {}
        shared: dict[str, str] = {}  # one string per distinct key cell, as _wide_entries
        state = _State()  # where _checked_rows puts the blank lines (not used)
        for line, cells, _raw in _checked_rows(records, len(header), options.name, state):
            key = tuple([shared.setdefault(cells[i], cells[i]) for i in keys])
            first = seen.setdefault(key, line)
            if first != line and not options.allow_duplicates:
                raise duplicate_key_error(key, line, first, options.name)
            yield line, key, cells
        table.dialect.final_newline = source.last.endswith(("\n", "\r"))


@contextlib.contextmanager
def _decoded_once(
    fh: BinaryIO, options: ReadOptions, whole: bool = False
) -> Iterator[tuple[Table, Layout, _Lines, Iterator[tuple[int, list[str], str]]]]:
    """The table's header read (:func:`_open_text`) from *fh*, decoded as it is read; a bad
    byte met in the block raises decode's InputError (its line and byte). With *whole*, the
    file is decoded whole first, and such a byte fails before the header is read."""
    start = fh.tell()
    reader, codec, bom = stream_codec(fh, options.name, options.encoding, whole)
    text = io.TextIOWrapper(fh, encoding=reader, newline="")
    try:
        yield _open_text(text, bom, codec, options)
    except UnicodeDecodeError:
        fh.seek(start)
        decode(fh.read(), options.name, options.encoding)  # raises the InputError
        raise  # pragma: no cover - decode() finds the same bad byte
    finally:
        text.detach()  # the caller owns and closes fh


def _leading_blank(lines: Iterator[str]) -> list[str] | None:
    """The lines up to and including the first that is not blank; None if all are blank."""
    head = []
    for line in lines:
        head.append(line)
        if line.strip():
            return head
    return None


class _Lines:
    """The lines fed to the csv reader, keeping those of the record being read (its raw text)."""

    def __init__(self, lines: Iterator[str]) -> None:
        self._lines = lines
        self.taken: list[str] = []
        self.last = ""

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.taken.append(line)
        self.last = line
        return line

    def raw(self) -> str:
        text = "".join(self.taken)
        self.taken.clear()
        return text


def _tab_named(name: str) -> bool:
    """A ``.tsv`` or ``.txt`` file (Excel's "Unicode text" and "Text (Tab delimited)")."""
    return Path(name).suffix.lower() in (".tsv", ".txt")


def _detect(first_line: str, bom: bool, encoding: str, tab_named: bool = False) -> Dialect:
    first_line, ending = _first_line(first_line)
    counts = {d: _count_outside_quotes(first_line, d) for d in (",", ";", "\t")}
    delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    if tab_named and counts["\t"]:
        delimiter = "\t"  # a header cell may hold a comma; the name says tabs
    cells = first_line.split(delimiter)
    quote_all = all(len(c) >= 2 and c.startswith('"') and c.endswith('"') for c in cells)
    return Dialect(
        delimiter=delimiter,
        quote_all=quote_all,
        line_ending=ending,
        bom=bom,
        encoding=encoding,
    )


def _first_line(line: str) -> tuple[str, str]:
    """A physical line (as the file's line iterator gives it) without its line ending."""
    if line.endswith("\r\n"):
        return line[:-2], "\r\n"
    if line.endswith(("\n", "\r")):
        return line[:-1], line[-1]
    return line, "\n"


def _count_outside_quotes(line: str, delimiter: str) -> int:
    return sum(part.count(delimiter) for part in line.split('"')[::2])


def _records(source: _Lines, dialect: Dialect, name: str) -> Iterator[tuple[int, list[str], str]]:
    """(start line, cells, raw text) per record; blank lines give an empty list.

    The raw text always ends with a line break (the dialect's, for a last row without one).
    """
    reader = _csv.reader(
        source,
        delimiter=dialect.delimiter,
        quotechar=dialect.quotechar,
        doublequote=True,
        strict=True,
    )
    line = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except _csv.Error as exc:
            raise _parse_error(exc, line, name) from None
        raw = source.raw()
        if not raw.endswith(("\n", "\r")):
            raw += dialect.line_ending  # the last row without a line break: see final_newline
        yield line, cells, raw
        line = reader.line_num + 1


def _parse_error(exc: _csv.Error, line: int, name: str) -> InputError:
    message = str(exc)
    if "unexpected end of data" in message or "EOF" in message:
        return InputError(
            'a quoted cell is never closed (a " with no matching ")',
            file=name,
            line=line,
            hint='close the quote, or double a quote inside a quoted cell as ""',
        )
    return InputError(f"cannot parse the row: {message}", file=name, line=line)


def _checked_rows(
    records: Iterator[tuple[int, list[str], str]], width: int, name: str, state: _State
) -> Iterator[tuple[int, list[str], str]]:
    index = 0
    for line, cells, raw in records:
        if not cells or (len(cells) == width and not any(cells)):
            state.gaps[index] = state.gaps.get(index, "") + raw  # blank lines, written back
            continue
        if len(cells) != width:
            few = "few" if len(cells) < width else "many"
            raise InputError(
                f"too {few} cells: the row has {len(cells)}, the header has {width}",
                file=name,
                line=line,
                hint="check for a missing or extra delimiter, or an unquoted line break",
            )
        index += 1
        yield line, cells, raw


def _remember(state: _State, identity: object, cells: list[str], raw: str, d: Dialect) -> None:
    """Keep a row's raw text when the dialect alone would not write it back the same."""
    if d.quotechar not in raw and len(cells) > 1 and not d.quote_all:
        # No quote: no cell holds the delimiter, a quote or a line break, so none is quoted
        # and line_text is the plain join (one C join instead of a regex search per cell).
        if raw != d.delimiter.join(cells) + d.line_ending:
            state.raw[identity] = (tuple(cells), raw)
        return
    if line_text(cells, d) != raw:
        state.raw[identity] = (tuple(cells), raw)


def _key_indexes(table: Table, header: list[str]) -> list[int]:
    return [header.index(c.name) for c in table.columns if c.kind is ColumnKind.KEY]


def _meta_indexes(table: Table, header: list[str]) -> list[tuple[str, int]]:
    return [(c.name, header.index(c.name)) for c in table.columns if c.kind is ColumnKind.META]


def _wide_entries(
    table: Table, rows: Iterator[tuple[int, list[str], str]], layout: Layout, options: ReadOptions
) -> Iterator[Entry]:
    state: _State = table.format_state["csv"]
    header = [c.name for c in layout.columns]
    keys = _key_indexes(table, header)
    metas = _meta_indexes(table, header)
    langs = [(c.language, i) for i, c in enumerate(layout.columns) if c.language is not None]
    seen: dict[Key, int] = {}
    shared: dict[str, str] = {}  # one string per distinct key cell (collection, field names)
    for line, cells, raw in rows:
        key = tuple([shared.setdefault(cells[i], cells[i]) for i in keys])
        _remember(state, key, cells, raw, table.dialect)
        if key in seen and not options.allow_duplicates:
            raise duplicate_key_error(key, line, seen[key], options.name)
        seen.setdefault(key, line)
        texts = {lang: cells[i] for lang, i in langs}
        meta = {m: cells[i] for m, i in metas} if metas else {}
        yield Entry(key, texts, meta, line)


def _fill_long(
    table: Table, rows: Iterator[tuple[int, list[str], str]], layout: Layout, options: ReadOptions
) -> None:
    state: _State = table.format_state["csv"]
    keys = _key_indexes(table, state.header)
    metas = _meta_indexes(table, state.header)
    found: dict[Language, Language] = {}
    by_key: dict[Key, Entry] = {}
    for line, cells, raw in rows:
        key = tuple(cells[i] for i in keys)
        spelled = _row_language(cells[layout.language_index], line, options.name)
        _remember(state, (key, spelled.tag), cells, raw, table.dialect)
        lang = found.setdefault(spelled, spelled)
        entry = by_key.get(key)
        if entry is None:
            entry = by_key[key] = Entry(key, {}, {m: cells[i] for m, i in metas}, line, {})
            table.entries.append(entry)
        assert entry.lines is not None
        if lang in entry.texts:
            if not options.allow_duplicates:
                raise duplicate_key_error((*key, str(lang)), line, entry.lines[lang], options.name)
            # kept as an entry of its own so that `check` can report it with its line
            dup = Entry(key, {lang: cells[layout.text_index]}, {}, line, {lang: line})
            table.entries.append(dup)
            state.duplicates = True
            continue
        entry.texts.setdefault(lang, cells[layout.text_index])
        entry.lines.setdefault(lang, line)
        state.order.append((key, spelled))
    if not found:
        raise InputError("the file has a header but no rows, so no languages", file=options.name)
    langs = list(found)
    if options.languages:
        langs = [found.get(w, w) for w in (Language.parse(t) for t in options.languages)]
    table.languages = langs
    table.columns = [
        *layout.columns,
        *(Column(str(lang), ColumnKind.LANGUAGE, lang) for lang in langs),
    ]


def _row_language(cell: str, line: int, name: str) -> Language:
    try:
        return Language.parse(cell)
    except InputError:
        raise InputError(
            f"'{cell}' in the language column is not a language tag", file=name, line=line
        ) from None


# --- writing back exactly --------------------------------------------------------------------


def _rows(table: Table, state: _State | None) -> Iterator[tuple[object, Sequence[str]]]:
    """(identity, cells) for each data row in write order; identity finds a row's raw text."""
    if state is not None and state.long is not None and table.layout == "long":
        yield from _long_rows(table, state, state.long)
        return
    columns = table.columns
    names = [c.name for c in columns]
    grouped = [c for kind in ColumnKind for c in columns if c.kind is kind]  # key, language, meta
    order = [names.index(c.name) for c in grouped]
    if sorted(order) != list(range(len(names))):  # two columns of one name: each cell in turn
        yield from _rows_by_cell(table)
        return
    langs: list[Language] = []
    for c in grouped:
        if c.kind is ColumnKind.LANGUAGE:
            assert c.language is not None
            langs.append(c.language)
    metas = [c.name for c in grouped if c.kind is ColumnKind.META]
    nkeys = len(grouped) - len(langs) - len(metas)
    # The cells are made keys, languages, metadata (dict lookups in C), then put in the
    # columns' order if the file's is another.
    place = None
    if order != sorted(order):
        place = itemgetter(*[order.index(i) for i in range(len(order))])
    blank = itertools.repeat("")
    for entry in table.entries:
        key = entry.key
        if len(key) != nkeys:
            key = tuple([key[n] for n in range(nkeys)])  # a short key fails as it always did
        cells: list[str] = [*key, *map(entry.texts.get, langs, blank)]
        if metas:
            cells.extend(map(entry.meta.get, metas, blank))
        yield entry.key, cells if place is None else place(cells)


def _rows_by_cell(table: Table) -> Iterator[tuple[object, Sequence[str]]]:
    names = [c.name for c in table.columns]
    plan = [(c.kind, names.index(c.name), c) for c in table.columns]
    key_pos = [i for kind, i, _ in plan if kind is ColumnKind.KEY]
    for entry in table.entries:
        cells = [""] * len(names)
        for n, i in enumerate(key_pos):
            cells[i] = entry.key[n]
        for kind, i, col in plan:
            if kind is ColumnKind.LANGUAGE:
                assert col.language is not None
                cells[i] = entry.texts.get(col.language, "")
            elif kind is ColumnKind.META:
                cells[i] = entry.meta.get(col.name, "")
        yield entry.key, cells


def _long_rows(table: Table, state: _State, layout: Layout) -> Iterator[tuple[object, list[str]]]:
    header = state.header
    key_pos = [header.index(c.name) for c in layout.columns if c.kind is ColumnKind.KEY]
    meta_pos = [(c.name, header.index(c.name)) for c in layout.columns if c.kind is ColumnKind.META]
    entries = table.index()
    last: dict[Key, int] = {}
    for n, (key, _lang) in enumerate(state.order):
        last[key] = n
    done: set[tuple[Key, Language]] = set()

    def row(entry: Entry, spelled: Language) -> tuple[object, list[str]]:
        cells = [""] * len(header)
        for n, i in enumerate(key_pos):
            cells[i] = entry.key[n]
        for m, i in meta_pos:
            cells[i] = entry.meta.get(m, "")
        cells[layout.language_index] = spelled.tag
        cells[layout.text_index] = entry.texts.get(spelled, "")
        done.add((entry.key, spelled))
        return (entry.key, spelled.tag), cells

    def extra(entry: Entry) -> Iterator[tuple[object, list[str]]]:
        for lang in table.languages:
            if (entry.key, lang) not in done and entry.texts.get(lang):
                yield row(entry, lang)

    for n, (key, spelled) in enumerate(state.order):
        entry = entries.get(key)
        if entry is None or (key, spelled) in done:
            continue
        yield row(entry, spelled)
        if last[key] == n:
            yield from extra(entry)
    for entry in table.entries:
        if entry.key not in last:
            yield from extra(entry)


def _render(table: Table, state: _State | None) -> Iterator[str]:
    """The file's text, in pieces (a row, a run of blank lines)."""
    dialect = table.dialect
    header = (
        state.header
        if state is not None and state.long is not None and table.layout == "long"
        else [c.name for c in table.columns]
    )
    if state is not None and state.header_raw is not None:
        yield state.header_raw
    else:
        yield line_text(header, dialect)
    gaps = state.gaps if state is not None else {}
    kept = state.raw if state is not None else {}
    n = 0
    for identity, cells in _rows(table, state):
        if gaps and n in gaps:
            yield gaps[n]
        n += 1
        raw = kept.get(identity) if kept else None
        if raw is not None and raw[0] == tuple(cells):
            yield raw[1]
        else:
            yield line_text(cells, dialect)
    if n in gaps:
        yield gaps[n]


def _text(table: Table, state: _State | None) -> Iterator[str]:
    """:func:`_render`'s pieces, without the last line ending if the file had none."""
    return trimmed(_render(table, state), table.dialect)


def write(table: Table, fh: BinaryIO) -> None:
    state = table.format_state.get("csv")
    write_text(_text(table, state if isinstance(state, _State) else None), table.dialect, fh)


# --- rewriting a row at a time ----------------------------------------------------------------


def rewrite(
    fh: BinaryIO, options: ReadOptions, out: BinaryIO, edit_for: Callable[[Table], RowEdit]
) -> None:
    """The wide table in *fh* written to *out* a row at a time, each data row as the edit
    that ``edit_for(table)`` returns makes it (*table*: the header read, no entries). A row the
    edit keeps (None, or cells equal to those read; the edit must not change the list it is
    given) is written as it was read, byte for byte; one it changes is written as
    :func:`write` writes a changed row. The same output as reading the table, changing its
    entries and writing it, without making an Entry of every row. A long table is refused
    (ValueError: the caller reads it whole). The bytes are decoded once, as in :func:`rows`:
    what was written before a bad byte is for the caller to drop."""
    with _decoded_once(fh, options) as (table, layout, source, records):
        if layout.long:
            raise ValueError("a long table is not rewritten a row at a time")
        state: _State = table.format_state["csv"]
        dialect = table.dialect
        header = (
            state.header_raw if state.header_raw is not None else line_text(state.header, dialect)
        )
        rows = _rewritten(table, source, records, options.name, edit_for(table))
        write_text(trimmed(itertools.chain([header], rows), dialect), dialect, out)


def _rewritten(
    table: Table,
    source: _Lines,
    records: Iterator[tuple[int, list[str], str]],
    name: str,
    edit: RowEdit,
) -> Iterator[str]:
    """Each record's text: a blank line or a kept row as read, a changed row rendered; at the
    end, whether the file ends with a line break."""
    state: _State = table.format_state["csv"]
    keys = _key_indexes(table, state.header)
    dialect, gaps = table.dialect, state.gaps
    n = 0  # data rows so far: the blank lines before row n are gaps[n], as _render reads them
    for line, cells, raw in _checked_rows(records, len(state.header), name, state):
        if gaps:
            yield gaps.pop(n, "")
        n += 1
        changed = edit(line, tuple([cells[i] for i in keys]), cells)
        yield raw if changed is None or changed == cells else line_text(changed, dialect)
    yield gaps.pop(n, "")
    dialect.final_newline = source.last.endswith(("\n", "\r"))


def _sniff(head: bytes) -> bool:
    return True


FORMAT = Format(
    name="csv",
    extensions=(".csv", ".tsv", ".txt"),
    description="the localization CSV Wix exports (wide or long layout); .tsv and .txt tab-separated",
    read_table=read,
    write_table=write,
    stream_table=stream,
    stream_rows=rows,
    rewrite_table=rewrite,
    sniff=_sniff,
)
