"""Files as the check engine reads them: tables (CSV, JSONL, XLSX) and translator files (PO,
XLIFF) become the same stream of rows (key, line, text per language), so a translator format
is checked as soon as it is registered in :mod:`wixloc.formats`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from wixloc import formats
from wixloc.checks.pairs import MAY_HOLD_ANY, MayHold
from wixloc.errors import InputError
from wixloc.formats._columns import MAX_LENGTH_NAMES, looks_like_tag
from wixloc.locales import is_language_tag
from wixloc.model import ColumnKind, Entry, Key, Language, Table, UnitFile, UnitState
from wixloc.roundtrip import merge as merge_rules
from wixloc.roundtrip import ricos
from wixloc.roundtrip.merge import unfinished

__all__ = ["Document", "Row", "documents", "expand_folders", "load_document", "table_document"]

# (key, line, text per language, line per language or None, max length or None)
Row = tuple[Key, int | None, Mapping[Language, str], Mapping[Language, int] | None, int | None]


@dataclass
class Document:
    """One file as the engine sees it."""

    file: str
    languages: list[Language]  # every language in the file, in file order
    main: Language  # the file's own first (source) language
    key_columns: list[str]
    rows: Iterator[Row]
    header_tags: list[str] = field(default_factory=list)  # headers shaped like invalid tags
    is_table: bool = True
    # Units whose target has text that is not a translation (fuzzy, new, blank, a copy of the
    # source): the rows give them no target, and this says why; filled as the rows are read.
    undone: dict[Key, str] = field(default_factory=dict)
    table: Table | None = None  # a table's header (its columns, dialect; no entries)
    # What the rows' texts may hold (known from a part's bytes, see pairs.may_hold): those
    # that can hold no control character need not be searched for one, and a batch of texts
    # with no character beyond U+FFFF is searched by its narrow gates (batch.Batch.narrow).
    holds: MayHold = MAY_HOLD_ANY


def expand_folders(paths: Sequence[str | Path]) -> list[str | Path]:
    """Each folder in *paths* replaced by the translator files in it (by the registry's
    extensions); a folder with none is an error, not a silent pass. A file named more than
    once (itself and through its folder, say) is kept once, where it first comes: checked
    twice, its findings would be listed twice, and the report orders findings by file."""
    expanded: list[str | Path] = []
    for path in paths:
        if not Path(path).is_dir():
            if not os.path.lexists(path):  # said plainly, not as a file without an extension
                raise InputError("no such file", file=path)
            expanded.append(path)
            continue
        found = formats.files_in(path, "translator")
        if not found:
            known = ", ".join(sorted(formats.extensions("translator")))
            raise InputError(f"is a folder with no translator files ({known}) in it", file=path)
        expanded.extend(found)
    first: dict[str, str | Path] = {}
    for path in expanded:
        first.setdefault(os.path.realpath(path), path)
    return list(first.values())


def load_document(
    path: str | Path, languages: Sequence[str] | None = None, encoding: str | None = None
) -> Document:
    """Read *path* as a table, or as a translator file when it holds one language.

    Language columns are found by their headers; only when that fails are *languages* used to
    name them (so that a required language without a column is a finding, not a read error).
    """
    return documents(path, languages, several=False, encoding=encoding)[0]


def documents(
    path: str | Path,
    languages: Sequence[str] | None,
    *,
    several: bool = True,
    encoding: str | None = None,
) -> list[Document]:
    """The documents in *path*: one, or (with *several*) one per language of a workbook that
    holds several."""
    try:
        found = formats.open_document(
            path, allow_duplicates=True, encoding=encoding, decode_first=False
        )
        if not found.holds_units:
            return [table_document(*_opened(found))]
    except InputError:
        if not languages:
            raise
        # the headers are not tags: read the columns that --languages names
        again = formats.open_document(
            path,
            expect="table",
            languages=languages,
            allow_duplicates=True,
            encoding=encoding,
            decode_first=False,
        )
        return [table_document(*_opened(again))]
    if not several:
        return [_units_document(found.units(), found.format.name)]
    docs = []
    for units in found.unit_files():
        units.source = str(path)  # findings name the file itself, for CI annotations
        docs.append(_units_document(units, found.format.name))
    return docs


def _opened(found: formats.Document) -> tuple[Table, Iterator[Entry]]:
    """The table (its columns, no entries) and its entries as they are read.

    Streamed: the rules need one entry at a time, so every Entry (its dicts and key) is not
    held while checking. The header is read here, so a file whose headers are not tags fails
    inside the caller's ``try``."""
    items = found.stream_table()
    table = next(items)
    assert isinstance(table, Table)
    return table, cast(Iterator[Entry], items)


def table_document(table: Table, entries: Iterator[Entry]) -> Document:
    """The document of a table's *entries*, read as they come (a Ricos cell as its segments)."""
    limit_column = next(
        (m for m in table.meta_columns if m.strip().lower() in MAX_LENGTH_NAMES), None
    )
    invalid = [
        c.name
        for c in table.columns
        if c.kind is not ColumnKind.LANGUAGE
        and looks_like_tag(c.name)
        and not is_language_tag(c.name, strict=False)
    ]
    return Document(
        file=table.source or "<table>",
        languages=list(table.languages),
        main=table.languages[0],
        key_columns=table.key_columns,
        # the rules see a Ricos cell's segments as text, not its JSON
        rows=_table_rows(ricos.expand_entries(table, entries), limit_column),
        header_tags=invalid,
        table=table,
    )


def _table_rows(entries: Iterator[Entry], limit_column: str | None) -> Iterator[Row]:
    for entry in entries:
        limit = _int(entry.meta.get(limit_column, "")) if limit_column else None
        yield entry.key, entry.line, entry.texts, entry.lines, limit


def _int(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() and int(text) > 0 else None


def _units_document(units: UnitFile, fmt: str = "") -> Document:
    doc = Document(
        file=units.source or "<units>",
        languages=[units.source_language, units.target_language],
        main=units.source_language,
        key_columns=list(units.key_columns),
        rows=iter(()),
        is_table=False,
    )
    doc.rows = _unit_rows(units, doc.undone, _STATE_NAMES.get(fmt, _STATE_NAMES[""]))
    return doc


# How each format names a state that is not done, for "not translated (the file marks it ...)".
_STATE_NAMES: dict[str, dict[UnitState, str]] = {
    "po": {UnitState.NEEDS_REVIEW: "fuzzy", UnitState.NEW: "untranslated"},
    "xliff": {UnitState.NEEDS_REVIEW: "for review", UnitState.NEW: "new"},
    "xliff2": {UnitState.NEEDS_REVIEW: "for review", UnitState.NEW: "initial"},
    "xlsx": {UnitState.NEEDS_REVIEW: "needs review", UnitState.NEW: "new"},
    "": {UnitState.NEEDS_REVIEW: "for review", UnitState.NEW: "new"},
}


def _unit_rows(
    units: UnitFile, undone: dict[Key, str], names: Mapping[UnitState, str]
) -> Iterator[Row]:
    """A row per unit. A target is given only when it is a translation by merge's rule
    (:func:`wixloc.roundtrip.merge.unfinished`); else the row has no target, and *undone* says
    why, so that coverage and missing-translation count what merge skips."""
    source, target = units.source_language, units.target_language
    for unit in units.units:
        text = unit.target
        if text:
            why = unfinished(unit)
            if why is not None:
                undone[unit.key] = _undone_message(why, unit.state, names)
                text = ""
        yield unit.key, unit.line, {source: unit.source, target: text}, None, unit.max_length


def _undone_message(why: str, state: UnitState, names: Mapping[UnitState, str]) -> str:
    if why == merge_rules.BLANK:
        return "not translated (the target is only whitespace)"
    if why == merge_rules.COPIED_SOURCE:
        return f"not translated ({why})"
    return f"not translated (the file marks it {names.get(state, state.value)})"
