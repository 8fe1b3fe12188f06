"""A wide CSV table read in parts: byte ranges of whole records, each read on its own (in
another process, say) with the line numbers its rows have in the file.

A record ends at a line break outside quotes, and in RFC 4180 CSV a line break is outside
quotes when the ``"`` before it in the file are even in number: :func:`cut` finds such breaks
with ``bytes.count``, without parsing. A file that is not RFC 4180 (a bare ``"`` inside an
unquoted cell, which Python's csv module takes as a plain character) can be cut inside a quoted
cell; the part before such a cut then ends inside quotes, which :func:`read_part` reports as an
unclosed quote. A caller that meets any error in a part reads the file whole instead, which
fails (or not) exactly as one reading of the file does.

Only UTF-8 (BOM or not) tables whose line breaks are LF or CRLF are cut: a lone CR is a line
break to the csv module, which the count of LFs here would miss.
"""

from __future__ import annotations

import csv as _csv
import io
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from wixloc.errors import InputError
from wixloc.formats.csv import (
    _checked_rows,
    _key_indexes,
    _meta_indexes,
    _parse_error,
    _State,
)
from wixloc.model import Entry, Key, Table

__all__ = ["NotCut", "Part", "cut", "part_bytes", "parts", "read_part", "readable"]

_CHUNK = 1 << 20  # bytes read at a time by parts()


class Part(NamedTuple):
    """Whole records of a file: bytes *start* to *end*, the first starting on *line*."""

    start: int
    end: int
    line: int


def readable(table: Table) -> bool:
    """Whether *table* (its header as :func:`wixloc.formats.csv.stream` read it) can be read
    in parts: a wide CSV table in UTF-8."""
    state = table.format_state.get("csv")
    return (
        isinstance(state, _State)
        and state.long is None
        and table.layout == "wide"
        and table.dialect.encoding == "utf-8"
        and table.dialect.quotechar == '"'
    )


class NotCut(Exception):
    """The file cannot be cut (see :func:`cut`), found by :func:`parts` as it cuts."""


def cut(path: str | Path, size: int) -> list[Part] | None:
    """The records after the header in parts of about *size* bytes (each ends after the first
    record boundary past its size), or None when the file cannot be cut: a lone CR, a first
    line that is blank, or a header that is not closed in the first chunk."""
    try:
        return list(parts(path, size))
    except NotCut:
        return None


def parts(path: str | Path, size: int) -> Iterator[Part]:
    """:func:`cut`'s parts, each as soon as it is found, so that the first are read while the
    rest of the file is cut (at 92 MB, cutting took 0.1 s before any part could start);
    raises :class:`NotCut` where :func:`cut` gives None, once it finds why."""
    with open(path, "rb") as fh:
        chunk = fh.read(_CHUNK)
        begin = 3 if chunk.startswith(b"\xef\xbb\xbf") else 0
        end = _boundary(chunk, begin, 0)
        if end < 0 or not chunk[begin:end].decode("utf-8", "replace").strip():
            raise NotCut
        pos, quotes, lines = 0, 0, 0  # where chunk starts; '"' and LFs before it
        start, line = end, chunk.count(b"\n", 0, end) + 1
        while chunk:
            if chunk.endswith(b"\r"):
                chunk += fh.read(1)  # a CRLF is not split between chunks
            if b"\r" in chunk and chunk.count(b"\r") != chunk.count(b"\r\n"):
                raise NotCut
            while True:
                at = _boundary(chunk, max(start + size - pos, 0), quotes)
                if at < 0:
                    break
                yield Part(start, pos + at, line)
                start, line = pos + at, lines + chunk.count(b"\n", 0, at) + 1
            quotes += chunk.count(b'"')
            lines += chunk.count(b"\n")
            pos += len(chunk)
            chunk = fh.read(_CHUNK)
        if start < pos:
            yield Part(start, pos, line)


def _boundary(chunk: bytes, at: int, quotes: int) -> int:
    """Where the first record that ends at or after *at* in *chunk* ends (after its LF), or -1
    if none does in it; *quotes*: the ``"`` before the chunk."""
    if at >= len(chunk):
        return -1
    newline = chunk.find(b"\n", at)
    while newline >= 0:
        if (quotes + chunk.count(b'"', 0, newline)) % 2 == 0:
            return newline + 1
        newline = chunk.find(b"\n", newline + 1)
    return -1


def part_bytes(table: Table, part: Part) -> bytes:
    """The bytes of *part* of the file *table* was read from."""
    with open(table.source or "", "rb") as fh:
        fh.seek(part.start)
        return fh.read(part.end - part.start)


def read_part(table: Table, part: Part, data: bytes | None = None) -> Iterator[Entry]:
    """The entries of *part* of the file *table* was read from (``table.source``), as
    :func:`wixloc.formats.csv.stream` reads them, with the same errors and lines (duplicate
    keys are kept: this reading is ``wixloc check``'s); *data*: its bytes, read already."""
    name = table.source or ""
    if data is None:
        data = part_bytes(table, part)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        # the caller reads the file whole, which fails with the byte's line (see cut())
        raise InputError("a part of the table is not UTF-8", file=name) from None
    state: _State = table.format_state["csv"]
    dialect = table.dialect
    header = [c.name for c in table.columns]
    keys = _key_indexes(table, header)
    metas = _meta_indexes(table, header)
    langs = [(c.language, i) for i, c in enumerate(table.columns) if c.language is not None]
    shared: dict[str, str] = {}  # one string per distinct key cell (collection, field names)
    records = _records(text, dialect.delimiter, part.line, name)
    for line, cells, _ in _checked_rows(records, len(state.header), name, _State()):
        key: Key = tuple([shared.setdefault(cells[i], cells[i]) for i in keys])
        texts = {lang: cells[i] for lang, i in langs}
        meta = {m: cells[i] for m, i in metas} if metas else {}
        yield Entry(key, texts, meta, line)


def _records(
    text: str, delimiter: str, first: int, name: str
) -> Iterator[tuple[int, list[str], str]]:
    """(start line, cells, "") per record of *text*, whose first line is line *first* of the
    file, as :func:`wixloc.formats.csv._records` gives them (without the raw text: nothing is
    written back)."""
    reader = _csv.reader(
        _lines(text),
        delimiter=delimiter,
        quotechar='"',
        doublequote=True,
        strict=True,
    )
    line = first
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except _csv.Error as exc:
            raise _parse_error(exc, line, name) from None
        yield line, cells, ""
        line = first + reader.line_num


def _lines(text: str) -> Iterable[str]:
    """*text*'s lines, each with its line break, as ``io.StringIO(text, newline="")`` gives
    them: a list from ``str.splitlines``, which the csv reader reads without StringIO's copy of
    the text at 4 bytes a character (a fifth of a check's page faults, and 0.15 CPU s at
    100,000 keys x 6 languages). splitlines breaks lines at more characters than LF (a
    form feed, U+2028...), but a part holds no lone CR (see :func:`cut`): where it has as
    many lines as StringIO has (the LFs, and the text after the last one), it broke them at
    the same places, or at the very end only. Else the StringIO."""
    lines = text.splitlines(keepends=True)
    if len(lines) == text.count("\n") + (not text.endswith("\n")):
        return lines
    return io.StringIO(text, newline="")
