"""``merge`` of a table file that is read a row at a time (CSV), in passes, the table never held.

1. The table is read once, as cells (``Format.stream_rows``: no Entry is made but for a Ricos
   row), for an :class:`Index`: each (Ricos-expanded) row's key and number, its source text,
   and a token per cell (a hash of its text), not the texts themselves.
2. The translator files are read a unit at a time and merged into the index
   (:func:`~wixloc.roundtrip.merge.merge_cells`: the same rules as a table in memory), which
   keeps only the changes.
3. The table is read again and copied as it is read (``Format.rewrite_table``): a row without
   a change keeps its bytes, a changed one is written as the CSV writer writes it.

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
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import cast

from wixloc import formats
from wixloc.errors import InputError
from wixloc.fsutil import atomic_write, open_input
from wixloc.model import ColumnKind, Entry, Key, Language, Table
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

    def __init__(self, table: Table, rows: Iterable[formats.Row]) -> None:
        languages = table.languages
        self.width = width = len(languages)
        self.rows: dict[Key, int] = {}
        self.sources: list[str] = []
        self.tokens = array("q")
        self.changes: dict[int, str] = {}
        self.stamp: tuple[int, int] | None = None  # the table file's, when it was indexed
        keys, sources, tokens = self.rows, self.sources, self.tokens
        # Cells.row and Cells.source: the dict's and the list's own methods, called per unit
        # (in C, not through a method of this class)
        self.row: Callable[[Key], int | None] = keys.get
        self.source: Callable[[int], str] = sources.__getitem__
        places = _places(table)
        main = places[0]
        for line, key, cells in rows:
            source = cells[main]
            if ricos.is_ricos(source):
                self._add_segments(table, _entry(table, line, key, cells))
                continue
            keys[key] = len(sources)
            sources.append(source)
            texts = [cells[p] for p in places]
            tokens.extend([hash(text) | 1 if text else 0 for text in texts])  # _token's
        assert len(tokens) == width * len(sources)

    def _add_segments(self, table: Table, entry: Entry) -> None:
        languages = table.languages
        for part in ricos.expand_entries(table, (entry,)):
            self.rows[part.key] = len(self.sources)
            self.sources.append(part.texts.get(languages[0], ""))
            self.tokens.extend([_token(text) for text in _texts(part.texts, languages)])

    def current(self, row: int, column: int) -> object:
        return self.tokens[row * self.width + column]

    def same(self, target: str, current: object) -> bool:
        return _token(target) == current

    def set(self, row: int, column: int, target: str) -> None:
        cell = row * self.width + column
        self.changes[cell] = target
        self.tokens[cell] = _token(target)


def streams_in_passes(document: formats.Document, out_fmt: formats.Format | None) -> bool:
    """Whether a merge of the table *document* into a file of *out_fmt* can be read in passes:
    its format reads a row at a time and is the one written."""
    fmt = document.format
    return out_fmt is fmt and fmt.stream_rows is not None and fmt.rewrite_table is not None


def index_table(document: formats.Document) -> tuple[Table, Index | None]:
    """The table *document* read for a merge in passes: its header and its :class:`Index`;
    or, for a layout that is read whole anyway (a long CSV), the table with its entries and
    no index, to be merged in memory."""
    stamp = _stamp(document.path)
    with contextlib.closing(document.stream_rows()) as items:
        table = next(items)
        assert isinstance(table, Table)
        if table.layout != "wide":
            return document.table(), None
        index = Index(table, cast(Iterator[formats.Row], items))
    index.stamp = stamp
    return table, index


def _stamp(path: Path) -> tuple[int, int]:
    """The file's size and modification time: a table saved while it is merged differs."""
    info = path.stat()
    return info.st_size, info.st_mtime_ns


def write_merged(document: formats.Document, index: Index, out: str | Path) -> None:
    """The table *document* read again and written to *out* (atomically, in its own format)
    as it is read, each row with the changes in *index*: a row without one is copied as it
    was read, only a changed row is made again. A table saved since it was indexed (an editor,
    a sync client) is refused: the changes were decided on the text it had."""
    if index.stamp is not None and _stamp(document.path) != index.stamp:
        raise _changed_error_at(document.path)
    rewrite = document.format.rewrite_table
    assert rewrite is not None  # streams_in_passes
    edit = _Edit(index, document.path)
    with open_input(document.path) as fh, atomic_write(out) as dest:
        rewrite(fh, document.options, dest, edit.bind)
        edit.finish()  # before the file is kept: a table read again with fewer rows is refused


def _places(table: Table) -> list[int]:
    """The cell of each of *table*'s languages, in their order (the main language's first)."""
    place = {c.language: i for i, c in enumerate(table.columns) if c.language is not None}
    return [place[lang] for lang in table.languages]


def _entry(table: Table, line: int, key: Key, cells: list[str]) -> Entry:
    """The Entry of a row read as cells (as the table's reader makes it)."""
    texts = {lang: cells[p] for lang, p in zip(table.languages, _places(table), strict=True)}
    metas = {c.name: cells[i] for i, c in enumerate(table.columns) if c.kind is ColumnKind.META}
    return Entry(key, texts, metas, line)


class _Edit:
    """The changes of an :class:`Index`, row by row, as a table rewriter asks for them
    (:data:`~wixloc.formats.RowEdit`, once :meth:`bind` has the table's header): None for a
    row with none (it is copied as read); a Ricos cell rebuilt from its segments as
    :func:`~wixloc.roundtrip.ricos.collapse` does."""

    def __init__(self, index: Index, path: Path) -> None:
        self.index, self.path = index, path
        self.row = 0  # the index's row of the next one read
        self.table: Table | None = None
        self.places: list[int] = []

    def bind(self, table: Table) -> formats.RowEdit:
        """This edit for the rows of *table* (the header the rewriter read)."""
        table.source = str(self.path)
        self.table, self.places = table, _places(table)
        return self

    def __call__(self, line: int, key: Key, cells: list[str]) -> list[str] | None:
        places = self.places
        if ricos.is_ricos(cells[places[0]]):
            return self._ricos(line, key, cells)
        changed = None
        for column, target in self._changes(key):
            if changed is None:
                changed = cells.copy()  # the rewriter compares it with the cells it read
            changed[places[column]] = target
        return changed

    def _ricos(self, line: int, key: Key, cells: list[str]) -> list[str] | None:
        table = self.table
        assert table is not None  # bound
        languages = table.languages
        entry = _entry(table, line, key, cells)
        parts = list(ricos.expand_entries(table, (entry,)))
        for part in parts:
            for column, target in self._changes(part.key):
                part.texts[languages[column]] = target
        original, expanded = copy.copy(table), copy.copy(table)
        original.entries, expanded.entries = [entry], parts
        rebuilt = ricos.collapse(expanded, original).entries[0]
        again = list(cells)
        for lang, place in zip(languages, self.places, strict=True):
            again[place] = rebuilt.texts.get(lang, "")
        return None if again == cells else again

    def _changes(self, key: Key) -> list[tuple[int, str]]:
        """The next row's changes, (column, text), its key checked against the index: a key
        whose row is behind this one means the table read again has other rows."""
        index, row = self.index, self.row
        if index.rows.get(key, -1) < row:  # a key's row is its last one
            raise _changed_error(self.path)
        self.row = row + 1
        changes = index.changes
        if not changes:
            return []
        get, base = changes.get, row * index.width
        return [(n, target) for n in range(index.width) if (target := get(base + n)) is not None]

    def finish(self) -> None:
        if self.row != len(self.index.sources):
            raise _changed_error(self.path)


def _changed_error(path: Path) -> InputError:
    return InputError(
        "the table changed while it was merged (read again, it has other rows)", file=path
    )


def _changed_error_at(path: Path) -> InputError:
    return InputError(
        "the table changed while it was merged (it was saved again since it was read); "
        "nothing was written: run the merge again",
        file=path,
    )
