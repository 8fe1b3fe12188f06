"""``merge`` of a table file that is read a row at a time (CSV), in passes, the table never held.

1. The table is read once for an :class:`Index`: each (Ricos-expanded) row's key and number,
   its source text, and a token per cell (a hash of its text), not the texts themselves.
2. The translator files are read a unit at a time and merged into the index
   (:func:`~wixloc.roundtrip.merge.merge_cells`: the same rules as a table in memory), which
   keeps only the changes.
3. The table is read again and written out as it is read, each row with its changes; the CSV
   writer keeps the bytes of the rows that did not change.

Same output and report as merging into the whole table: at 100,000 keys the whole table is
about 250 MB, the index about a fifth of that plus the changes. The one difference in kind: a
translation is taken as the one the table has when the hashes of the two texts are equal
(64 bits, keyed per process by Python's ``hash``), not by comparing the texts; two different
texts with the same hash are left to a chance of about one in 10^19 per unit.
"""

from __future__ import annotations

import contextlib
import copy
from array import array
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import cast

from wixloc import formats
from wixloc.errors import InputError
from wixloc.model import Entry, Key, Language, Table
from wixloc.roundtrip import ricos

__all__ = ["Index", "index_table", "streams_in_passes", "write_merged"]


def _token(text: str) -> int:
    """0 for an empty text, else its hash with the low bit set (never 0)."""
    return hash(text) | 1 if text else 0


def _texts(texts: dict[Language, str], languages: list[Language]) -> list[str]:
    return [texts.get(lang, "") for lang in languages]


class Index:
    """A table's rows as :class:`~wixloc.roundtrip.merge.Cells`: keys, sources, a token per
    cell, and the changes merge makes (by cell number: row times width plus column)."""

    def __init__(self, table: Table, entries: Iterable[Entry]) -> None:
        languages = table.languages
        main = languages[0]
        self.width = width = len(languages)
        self.rows: dict[Key, int] = {}
        self.sources: list[str] = []
        self.tokens = array("q")
        self.changes: dict[int, str] = {}
        self.stamp: tuple[int, int] | None = None  # the table file's, when it was indexed
        rows, sources, tokens = self.rows, self.sources, self.tokens
        order = tuple(languages)
        for entry in entries:
            texts = entry.texts
            rows[entry.key] = len(sources)
            sources.append(texts.get(main, ""))
            # the reader's dicts hold the table's languages in its order: no lookup per cell
            cells = texts.values() if tuple(texts) == order else _texts(texts, languages)
            tokens.extend([hash(text) | 1 if text else 0 for text in cells])  # _token's
        assert len(tokens) == width * len(sources)

    def row(self, key: Key) -> int | None:
        return self.rows.get(key)

    def source(self, row: int) -> str:
        return self.sources[row]

    def current(self, row: int, column: int) -> object:
        return self.tokens[row * self.width + column]

    def same(self, target: str, current: object) -> bool:
        return _token(target) == current

    def set(self, row: int, column: int, target: str) -> None:
        cell = row * self.width + column
        self.changes[cell] = target
        self.tokens[cell] = _token(target)


class _Entries(list[Entry]):
    """A table's entries read as they are written: the CSV writer reads a wide table's
    entries once, in order (and the state it keeps while they are read, as they are read)."""

    def __init__(self, entries: Iterator[Entry]) -> None:
        super().__init__()
        self._entries = entries

    def __iter__(self) -> Iterator[Entry]:
        return self._entries


def streams_in_passes(document: formats.Document, out_fmt: formats.Format | None) -> bool:
    """Whether a merge of the table *document* into a file of *out_fmt* can be read in passes:
    its format reads a row at a time and is the one written."""
    return out_fmt is document.format and document.format.stream_table is not None


def index_table(document: formats.Document) -> tuple[Table, Index | None]:
    """The table *document* read for a merge in passes: its header and its :class:`Index`;
    or, for a layout that is read whole anyway (a long CSV), the table with its entries and
    no index, to be merged in memory."""
    stamp = _stamp(document.path)
    with contextlib.closing(document.stream_table()) as items:
        table = next(items)
        assert isinstance(table, Table)
        entries = cast(Iterator[Entry], items)
        if table.layout != "wide":
            table.entries = list(entries)
            return table, None
        index = Index(table, ricos.expand_entries(table, entries))
    index.stamp = stamp
    return table, index


def _stamp(path: Path) -> tuple[int, int]:
    """The file's size and modification time: a table saved while it is merged differs."""
    info = path.stat()
    return info.st_size, info.st_mtime_ns


def write_merged(document: formats.Document, index: Index, out: str | Path) -> None:
    """The table *document* read again and written to *out* (atomically, in its own format)
    as it is read, each row with the changes in *index*. A table saved since it was indexed
    (an editor, a sync client) is refused: the changes were decided on the text it had."""
    if index.stamp is not None and _stamp(document.path) != index.stamp:
        raise _changed_error_at(document.path)
    with contextlib.closing(document.stream_table()) as items:
        table = next(items)
        assert isinstance(table, Table)
        table.entries = _Entries(_changed(table, cast(Iterator[Entry], items), index))
        formats.save_table(table, out, fmt=document.format)


def _changed(table: Table, entries: Iterator[Entry], index: Index) -> Iterator[Entry]:
    """*entries* with *index*'s changes; a Ricos cell rebuilt from its segments as
    :func:`~wixloc.roundtrip.ricos.collapse` rebuilds it."""
    main = table.main_language
    row = 0
    for entry in entries:
        if not ricos.is_ricos(entry.texts.get(main, "")):
            _apply(table, entry, row, index)
            row += 1
            yield entry
            continue
        parts = list(ricos.expand_entries(table, (entry,)))
        for part in parts:
            _apply(table, part, row, index)
            row += 1
        original, expanded = copy.copy(table), copy.copy(table)
        original.entries, expanded.entries = [entry], parts
        yield ricos.collapse(expanded, original).entries[0]
    if row != len(index.sources):
        raise _changed_error(table)


def _changed_error(table: Table) -> InputError:
    return InputError(
        "the table changed while it was merged (read again, it has other rows)",
        file=table.source,
    )


def _changed_error_at(path: Path) -> InputError:
    return InputError(
        "the table changed while it was merged (it was saved again since it was read); "
        "nothing was written: run the merge again",
        file=path,
    )


def _apply(table: Table, entry: Entry, row: int, index: Index) -> None:
    if index.rows.get(entry.key, -1) < row:  # a key's row is its last one
        raise _changed_error(table)
    changes = index.changes
    if not changes:
        return
    base = row * index.width
    for column, lang in enumerate(table.languages):
        target = changes.get(base + column)
        if target is not None:
            entry.texts[lang] = target
