"""The localization CSV: wide (a column per language) or long (a row per key and language).

Read by its header (see :mod:`wixloc.formats._columns`). The dialect is detected: delimiter
(``,`` ``;`` tab), UTF-8 BOM, line ending (LF, CRLF, CR), quoting (minimal or every field), and
whether the last row ends with a line break. A table read and written unchanged comes out byte
for byte: rows the dialect alone cannot reproduce (odd quoting, blank lines) keep their raw text,
which is written back as long as their cells are unchanged.
"""

from __future__ import annotations

import csv as _csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, BinaryIO

from wixloc.errors import InputError
from wixloc.formats import Format, ReadOptions
from wixloc.formats._columns import Layout, classify, duplicate_key_error
from wixloc.formats._text import decode
from wixloc.model import Column, ColumnKind, Dialect, Entry, Key, Language, Table

__all__ = ["FORMAT", "read", "write"]

if TYPE_CHECKING:
    from _csv import Writer as _CsvWriter

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
    text, bom, encoding = decode(fh.read(), options.name, options.encoding)
    if not text.strip():
        raise InputError(
            "the file is empty",
            file=options.name,
            hint="expected a header row such as: Collection ID,Item ID,Field,en,de",
        )
    dialect = _detect(text, bom, encoding)
    records = _records(text, dialect, options.name)
    header_line, header = next(records)
    layout = classify(header, options.name, options.languages, line=header_line)
    table = Table(languages=list(layout.languages), columns=layout.columns, dialect=dialect)
    state = _State(header=list(header))
    table.format_state["csv"] = state
    rows = _checked_rows(records, len(header), options.name, state)
    if layout.long:
        table.layout = "long"
        state.long = layout
        _fill_long(table, rows, layout, options)
    else:
        _fill_wide(table, rows, layout, options)
    if not state.duplicates:  # a table with duplicate rows is only read (by `check`)
        _keep_raw(text, table, state)
    return table


def _detect(text: str, bom: bool, encoding: str) -> Dialect:
    first_line, ending = _first_line(text)
    counts = {d: _count_outside_quotes(first_line, d) for d in (",", ";", "\t")}
    delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    cells = first_line.split(delimiter)
    quote_all = all(len(c) >= 2 and c.startswith('"') and c.endswith('"') for c in cells)
    final_newline = text.endswith(("\n", "\r"))
    return Dialect(
        delimiter=delimiter,
        quote_all=quote_all,
        line_ending=ending,
        bom=bom,
        final_newline=final_newline,
        encoding=encoding,
    )


def _first_line(text: str) -> tuple[str, str]:
    for i, ch in enumerate(text):
        if ch == "\n":
            return text[:i], "\n"
        if ch == "\r":
            return text[:i], "\r\n" if text[i + 1 : i + 2] == "\n" else "\r"
    return text, "\n"


def _count_outside_quotes(line: str, delimiter: str) -> int:
    return sum(part.count(delimiter) for part in line.split('"')[::2])


def _reader(text: str, dialect: Dialect) -> Iterator[list[str]]:
    return _csv.reader(
        io.StringIO(text, newline=""),
        delimiter=dialect.delimiter,
        quotechar=dialect.quotechar,
        doublequote=True,
        strict=True,
    )


def _records(text: str, dialect: Dialect, name: str) -> Iterator[tuple[int, list[str]]]:
    """(start line, cells) per record; blank lines give an empty list."""
    reader = _reader(text, dialect)
    line = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except _csv.Error as exc:
            raise _parse_error(exc, line, name) from None
        yield line, cells
        line = reader.line_num + 1  # type: ignore[attr-defined]


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
    records: Iterator[tuple[int, list[str]]], width: int, name: str, state: _State
) -> Iterator[tuple[int, list[str]]]:
    index = 0
    for line, cells in records:
        if not cells or (len(cells) == width and not any(cells)):
            state.gaps[index] = ""  # blank line: its raw text is filled in by _keep_raw
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
        yield line, cells


def _key_indexes(table: Table, header: list[str]) -> list[int]:
    return [header.index(c.name) for c in table.columns if c.kind is ColumnKind.KEY]


def _meta_indexes(table: Table, header: list[str]) -> list[tuple[str, int]]:
    return [(c.name, header.index(c.name)) for c in table.columns if c.kind is ColumnKind.META]


def _fill_wide(
    table: Table, rows: Iterator[tuple[int, list[str]]], layout: Layout, options: ReadOptions
) -> None:
    header = [c.name for c in layout.columns]
    keys = _key_indexes(table, header)
    metas = _meta_indexes(table, header)
    langs = [(c.language, i) for i, c in enumerate(layout.columns) if c.language is not None]
    seen: dict[Key, int] = {}
    for line, cells in rows:
        key = tuple(cells[i] for i in keys)
        if key in seen and not options.allow_duplicates:
            raise duplicate_key_error(key, line, seen[key], options.name)
        seen.setdefault(key, line)
        texts = {lang: cells[i] for lang, i in langs}
        meta = {m: cells[i] for m, i in metas} if metas else {}
        table.entries.append(Entry(key, texts, meta, line))


def _fill_long(
    table: Table, rows: Iterator[tuple[int, list[str]]], layout: Layout, options: ReadOptions
) -> None:
    state: _State = table.format_state["csv"]
    keys = _key_indexes(table, state.header)
    metas = _meta_indexes(table, state.header)
    found: dict[Language, Language] = {}
    by_key: dict[Key, Entry] = {}
    for line, cells in rows:
        key = tuple(cells[i] for i in keys)
        spelled = _row_language(cells[layout.language_index], line, options.name)
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


def _rows(table: Table, state: _State | None) -> Iterator[tuple[object, list[str]]]:
    """(identity, cells) for each data row in write order; identity finds a row's raw text."""
    if state is not None and state.long is not None and table.layout == "long":
        yield from _long_rows(table, state, state.long)
        return
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


def _serialize(cells: list[str], dialect: Dialect) -> str:
    out = io.StringIO()
    _writerow(_writer(out, dialect), out, cells, dialect)
    return out.getvalue()


def _writerow(writer: _CsvWriter, out: io.StringIO, cells: list[str], dialect: Dialect) -> None:
    """Write one row. Python 3.11's csv leaves a lone CR unquoted when the line ending is LF,
    which a reader then takes for a line break; such rows are quoted here instead."""
    if "\r" in dialect.line_ending or not any("\r" in cell for cell in cells):
        writer.writerow(cells)
        return
    special = (dialect.delimiter, dialect.quotechar, "\r", "\n")
    q = dialect.quotechar
    out.write(
        dialect.delimiter.join(
            q + cell.replace(q, q + q) + q
            if dialect.quote_all or any(ch in cell for ch in special)
            else cell
            for cell in cells
        )
        + dialect.line_ending
    )


def _writer(out: io.StringIO, dialect: Dialect) -> _CsvWriter:
    return _csv.writer(
        out,
        delimiter=dialect.delimiter,
        quotechar=dialect.quotechar,
        quoting=_csv.QUOTE_ALL if dialect.quote_all else _csv.QUOTE_MINIMAL,
        lineterminator=dialect.line_ending,
        doublequote=True,
    )


def _render(table: Table, state: _State | None) -> str:
    dialect = table.dialect
    out = io.StringIO()
    writer = _writer(out, dialect)
    header = (
        state.header
        if state is not None and state.long is not None and table.layout == "long"
        else [c.name for c in table.columns]
    )
    if state is not None and state.header_raw is not None:
        out.write(state.header_raw)
    else:
        _writerow(writer, out, header, dialect)
    n = 0
    for identity, cells in _rows(table, state):
        raw = None
        if state is not None:
            out.write(state.gaps.get(n, ""))
            raw = state.raw.get(identity)
        n += 1
        if raw is not None and raw[0] == tuple(cells):
            out.write(raw[1])
        else:
            _writerow(writer, out, cells, dialect)
    if state is not None:
        out.write(state.gaps.get(n, ""))
    text = out.getvalue()
    if not dialect.final_newline and text.endswith(dialect.line_ending):
        text = text[: -len(dialect.line_ending)]
    return text


def _keep_raw(text: str, table: Table, state: _State) -> None:
    """Record the raw text of every record that the dialect alone would not reproduce."""
    state.gaps = dict.fromkeys(state.gaps, "")
    if not state.gaps and _render(table, state) == text:
        return
    lines = list(io.StringIO(text, newline=""))
    reader = _reader(text, table.dialect)
    dialect = table.dialect
    identities = iter(
        identity for identity, _ in _rows(table, None if table.layout == "wide" else state)
    )
    start, index, first = 0, 0, True
    for cells in reader:
        end = reader.line_num  # type: ignore[attr-defined]
        raw = "".join(lines[start:end])
        start = end
        if not raw.endswith(("\n", "\r")):
            raw += dialect.line_ending  # the last row without a line break: see final_newline
        if first:
            first = False
            if _serialize(cells, dialect) != raw:
                state.header_raw = raw
        elif not cells or (len(cells) == len(state.header) and not any(cells)):
            state.gaps[index] = state.gaps.get(index, "") + raw
        else:
            identity = next(identities)
            index += 1
            if _serialize(cells, dialect) != raw:
                state.raw[identity] = (tuple(cells), raw)
    if not state.gaps.get(index) and index in state.gaps:
        del state.gaps[index]


def write(table: Table, fh: BinaryIO) -> None:
    state = table.format_state.get("csv")
    text = _render(table, state if isinstance(state, _State) else None)
    dialect = table.dialect
    try:
        data = text.encode(dialect.encoding)
    except UnicodeEncodeError as exc:
        line = text.count("\n", 0, exc.start) + 2
        raise InputError(
            f"the character {text[exc.start]!r} cannot be written in {dialect.encoding}",
            line=line,
            hint="write the table as UTF-8 instead",
        ) from None
    if dialect.bom:
        data = "\ufeff".encode(dialect.encoding) + data
    fh.write(data)


def _sniff(head: bytes) -> bool:
    return True


FORMAT = Format(
    name="csv",
    extensions=(".csv", ".tsv"),
    description="the localization CSV Wix exports (wide or long layout)",
    read_table=read,
    write_table=write,
    sniff=_sniff,
)
