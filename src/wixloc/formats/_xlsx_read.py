"""Reading XLSX: cell values from python-calamine, checked by ``_xlsx_package`` first.

calamine (Rust) parses a sheet's XML and gives its rows as Python lists; this module turns
them into tables and units. What calamine cannot tell apart (a formula from its cached value,
an error value from an empty cell, escapes above ``_x00FF_``) comes as ``Patches`` from the
package check and replaces calamine's value for those cells.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any, BinaryIO, NamedTuple, TypeVar, cast

import python_calamine

from wixloc.errors import FormatError, InputError, LanguageError
from wixloc.formats import ReadOptions
from wixloc.formats._columns import classify
from wixloc.formats._xlsx_common import (
    FINGERPRINT,
    INSTRUCTIONS_SHEET,
    KEY,
    MATCH,
    MAX_CELL,
    MAX_LENGTH,
    META_SHEET,
    NOTES,
    SOURCE,
    STATUS,
    STATUS_BY_NAME,
    STATUS_NAMES,
    SUGGESTION,
    TARGET,
    cell_error,
    column_letter,
    decode_list,
)
from wixloc.formats._xlsx_package import Bad, DiskFile, Package, Patches
from wixloc.model import (
    Entry,
    Language,
    Suggestion,
    Table,
    Unit,
    UnitFile,
    UnitState,
    parse_key,
)

__all__ = ["Book", "is_translator_header", "read_table", "stream_sheets"]

T = TypeVar("T")
Row = tuple[int, list[object]]  # the 1-based row number, the values from column A on


class Book:
    """A workbook: the checked package, read by calamine a sheet (or a part of one) at a time."""

    def __init__(self, fh: BinaryIO, name: str) -> None:
        self.name = name
        self.package = Package(DiskFile.of(fh, name) or fh.read(), name)
        self._whole: python_calamine.CalamineWorkbook | None = None

    def _calamine(self, call: Callable[[], T]) -> T:
        try:
            return call()
        except Exception as exc:  # calamine's errors, and a panic in its Rust code
            raise self.package.error(" ".join(str(exc).split()) or type(exc).__name__) from None
        except BaseException as exc:  # pyo3 raises a Rust panic as a BaseException
            if type(exc).__name__ != "PanicException":
                raise
            raise self.package.error(" ".join(str(exc).split())) from None

    def data_sheets(self) -> list[str]:
        """The worksheets other than the Instructions and wixloc sheets, in workbook order."""
        return [s for s in self.package.sheets if s not in (META_SHEET, INSTRUCTIONS_SHEET)]

    def rows(self, sheet: str) -> Iterator[Row]:
        """(row number, values) of the sheet's non-empty rows."""
        patches = self.package.inspect(sheet)  # before calamine makes the sheet's grid
        runs = self.package.segmented(sheet)
        if runs is not None:  # nearly always: calamine's grid of a part of the sheet at a time
            return self._segmented(sheet, runs)
        if self._whole is None:
            data = self.package.file()
            self._whole = self._calamine(
                lambda: python_calamine.CalamineWorkbook.from_filelike(data)
            )
        whole = self._whole
        grid = self._calamine(lambda: whole.get_sheet_by_name(sheet))
        start = grid.start
        if start is None:
            return _merged(iter(()), patches)
        if start == (0, 0):  # nearly always: the header in A1
            return _merged(self._calamine(grid.iter_rows), patches)
        # iter_rows starts at row 1 but at the first used column (python-calamine 0.9), so a
        # sheet that does not start in A1 is taken whole, from A1
        values = self._calamine(lambda: grid.to_python(skip_empty_area=False))
        return _merged(iter(values), patches)

    def _segmented(self, sheet: str, runs: Iterator[bytes]) -> Iterator[Row]:
        """The non-empty rows of the workbooks of :meth:`Package.segmented`, numbered from A1.
        calamine orders the rows within each; a row that comes after a later one in another
        is refused, since it would be read out of place."""
        last = -1
        for data in runs:
            grid = self._grid(data, sheet)
            start, end = grid.start, grid.end
            if start is None or end is None:
                continue
            top, left = start
            if top <= last:
                raise self.package.error(
                    f"sheet '{sheet}': row {top + 1} comes after row {last + 1} "
                    "(the rows must be in order)"
                )
            last = end[0]
            values: list[list[object]] = self._calamine(grid.to_python)  # type: ignore[arg-type]
            del grid  # from the first used row and column, which may not be A
            pad: list[object] = [""] * left
            for number, cells in enumerate(values, start=top + 1):
                if any(cells) or cells.count("") != len(cells):  # a 0 is not empty
                    yield number, pad + cells if left else cells

    def _grid(self, data: bytes, sheet: str) -> python_calamine.CalamineSheet:
        def read() -> python_calamine.CalamineSheet:
            book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
            return book.get_sheet_by_name(sheet)

        return self._calamine(read)


def _merged(values: Iterator[list[Any]], patches: Patches) -> Iterator[Row]:
    """calamine's rows (from row 1, column A) numbered, with the patched cells in place, and
    without empty rows."""
    by_row: dict[int, dict[int, object]] = {}
    for (at, col), value in patches.items():
        by_row.setdefault(at, {})[col] = value
    if not by_row:  # nearly always
        for number, cells in enumerate(values, start=1):
            if cells.count("") != len(cells):
                yield number, cells
        return
    pending = sorted(by_row)
    number = 0
    for number, cells in enumerate(values, start=1):
        while pending and pending[0] < number:
            yield _patch_row(pending[0], [], by_row.pop(pending.pop(0)))
        if number in by_row:
            pending.remove(number)
            yield _patch_row(number, cells, by_row.pop(number))
        elif cells.count("") != len(cells):
            yield number, cells
    for row_number in pending:  # patched cells below calamine's last row
        yield _patch_row(row_number, [], by_row[row_number])


def _patch_row(number: int, cells: list[object], patch: dict[int, object]) -> Row:
    cells = list(cells)
    for col, value in patch.items():
        if col >= len(cells):
            cells.extend([""] * (col + 1 - len(cells)))
        cells[col] = value
    return number, cells


# --- cells -----------------------------------------------------------------------------------


def _text(value: object, name: str, sheet: str, number: int, col: int) -> str:
    """The cell's text, or an error for a formula, an error value or an over-long text."""
    if type(value) is str:
        text = value
    elif isinstance(value, Bad):
        where = f"{column_letter(col + 1)}{number}"
        if value.kind == "formula":
            raise cell_error(
                f"the cell holds a formula ({value.value}), not text",
                name,
                sheet,
                where,
                hint="retype it starting with an apostrophe (') to keep a leading = as text",
            )
        raise cell_error(
            f"the cell holds an error value ({value.value}), not text", name, sheet, where
        )
    elif isinstance(value, bool) or not isinstance(value, int | float):
        raise cell_error(
            f"the cell holds {value!r}, not text",
            name,
            sheet,
            f"{column_letter(col + 1)}{number}",
            hint="format it as Text",
        )
    else:  # a number typed into a text cell reads as what it shows
        text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    if len(text) > MAX_CELL:
        raise cell_error(
            f"the text has {len(text):,} characters, over 32,767",
            name,
            sheet,
            f"{column_letter(col + 1)}{number}",
        )
    return text


def _header(row: Row, name: str, sheet: str) -> list[str]:
    number, cells = row
    return [_text(value, name, sheet, number, col).strip() for col, value in enumerate(cells)]


# --- tables ----------------------------------------------------------------------------------


def read_table(fh: BinaryIO, options: ReadOptions) -> Table:
    return book_table(Book(fh, options.name), options)


def book_table(book: Book, options: ReadOptions) -> Table:
    """The table of a workbook already opened."""
    for sheet in book.data_sheets():
        rows = book.rows(sheet)
        first = next(rows, None)
        if first is None:
            continue
        header = _header(first, options.name, sheet)
        if any(SOURCE.match(h) for h in header):
            raise FormatError(
                "is a translator workbook, not a table",
                file=options.name,
                hint="merge it into a table with 'wixloc merge'",
            )
        return _table(sheet, header, first[0], rows, options)
    raise FormatError("the workbook has no sheet with a header row", file=options.name)


def _table(
    sheet: str, header: list[str], header_row: int, rows: Iterator[Row], options: ReadOptions
) -> Table:
    while header and not header[-1]:
        header.pop()
    location = f"sheet '{sheet}', row {header_row}"
    try:
        layout = classify(header, options.name, options.languages, line=header_row)
    except InputError as exc:
        exc.line, exc.location = None, location
        raise
    if layout.long:
        raise FormatError("a long-layout table sheet is not supported", file=options.name)
    table = Table(languages=list(layout.languages), columns=layout.columns)
    key_cols = [
        i
        for i, c in enumerate(layout.columns)
        if c.language is None and c.name in table.key_columns
    ]
    seen: dict[tuple[str, ...], int] = {}
    width = len(header)
    for number, cells in rows:
        texts = [_text(v, options.name, sheet, number, i) for i, v in enumerate(cells[:width])]
        texts += [""] * (width - len(texts))
        entry = _entry(table, texts, key_cols, number)
        if entry.key in seen and not options.allow_duplicates:
            raise InputError(
                f"duplicate key ({', '.join(entry.key)}): first on row {seen[entry.key]}",
                file=options.name,
                location=f"sheet '{sheet}', row {number}",
            )
        seen.setdefault(entry.key, number)
        table.entries.append(entry)
    return table


def _entry(table: Table, texts: list[str], key_cols: list[int], number: int) -> Entry:
    entry = Entry(tuple(texts[i] for i in key_cols), line=number)
    for column, text in zip(table.columns, texts, strict=True):
        if column.language is not None:
            entry.texts[column.language] = text
        elif column.name not in table.key_columns:
            entry.meta[column.name] = text
    return entry


# --- translator sheets -----------------------------------------------------------------------


@dataclass
class _Columns:
    """Where each part of a unit sits in a translator sheet (0-based)."""

    keys: list[int]
    source: int
    target: int
    notes: int | None
    status: int | None
    max_length: int | None
    key: int | None
    fingerprint: int | None
    previous: int | None
    suggestion: int | None = None
    match: int | None = None
    at: _At = field(init=False)
    used: list[int] = field(init=False)  # in the order the cells are read
    width: int = field(init=False)  # a row padded to this width has every column, and -1 empty

    def __post_init__(self) -> None:
        optional = (self.key, self.max_length, self.notes, self.previous, self.status)
        self.used = [
            i
            for i in (*self.keys, self.key, self.target, *optional[1:4], self.source)
            if i is not None
        ]
        self.used += [i for i in (self.status, self.fingerprint) if i is not None]
        self.used += [i for i in (self.suggestion, self.match) if i is not None]
        self.width = max([self.source, self.target, *self.used]) + 2
        self.at = _At(
            _pos(self.key),
            _pos(self.max_length),
            _pos(self.notes),
            _pos(self.previous),
            _pos(self.status),
            _pos(self.fingerprint),
            self.source,
            self.target,
            _pos(self.suggestion),
            _pos(self.match),
        )


def _pos(i: int | None) -> int:
    return -1 if i is None else i


class _At(NamedTuple):
    """_Columns' positions, -1 for a column the sheet lacks."""

    key: int
    max_length: int
    notes: int
    previous: int
    status: int
    fingerprint: int
    source: int
    target: int
    suggestion: int
    match: int


def stream_sheets(book: Book) -> list[tuple[UnitFile, Iterator[Unit]]]:
    """Each translator sheet's UnitFile (no units yet) and an iterator reading its rows."""
    meta = _meta(book)
    found = []
    for sheet in book.data_sheets():
        rows = book.rows(sheet)
        first = next(rows, None)
        if first is None:
            continue
        header = _header(first, book.name, sheet)
        columns = _locate(header, meta)
        if columns is not None:
            units = _unit_file(header, columns, meta, book.name, sheet)
            found.append((units, _sheet_units(rows, columns, book.name, sheet)))
    if not found:
        raise FormatError(
            "the workbook has no translator sheet (a header with 'Source (..)' and "
            "'Translation (..)' columns)",
            file=book.name,
            hint="for a table workbook, use it as the TABLE argument",
        )
    return found


def is_translator_header(book: Book) -> bool:
    """True if a sheet of *book* has a translator header (False for a table workbook)."""
    for sheet in book.data_sheets():
        first = next(book.rows(sheet), None)
        if first is not None and _locate(_header(first, book.name, sheet), {}) is not None:
            return True
    return False


def _meta(book: Book) -> dict[str, str]:
    if META_SHEET not in book.package.sheets:
        return {}
    meta: dict[str, str] = {}
    for number, cells in book.rows(META_SHEET):
        texts = [_text(v, book.name, META_SHEET, number, i) for i, v in enumerate(cells[:2])]
        if len(texts) == 2:
            meta[texts[0]] = texts[1]
    return meta


def _unit_file(
    header: list[str], columns: _Columns, meta: dict[str, str], name: str, sheet: str
) -> UnitFile:
    source = _sheet_language(SOURCE, header[columns.source], name, sheet, columns.source)
    target = _sheet_language(TARGET, header[columns.target], name, sheet, columns.target)
    key_names = [header[i] for i in columns.keys]
    if "key columns" in meta:
        key_names = decode_list(meta["key columns"])
    return UnitFile(source, target, [], key_names, original=meta.get("original") or None)


def _locate(header: list[str], meta: dict[str, str]) -> _Columns | None:
    source = next((i for i, h in enumerate(header) if SOURCE.match(h)), None)
    target = next((i for i, h in enumerate(header) if TARGET.match(h)), None)
    if source is None or target is None:
        return None
    pos = {h: i for i, h in reversed(list(enumerate(header))) if h}
    if "key headers" in meta:
        keys = [pos[n] for n in decode_list(meta["key headers"]) if n in pos]
    else:  # no hidden sheet: the columns left of the source are the key
        keys = [i for i in range(source) if header[i]]
    previous = next((i for i, h in enumerate(header) if h.startswith("Previous source (")), None)
    key_names = {header[i] for i in keys}
    return _Columns(
        keys,
        source,
        target,
        pos.get(NOTES),
        pos.get(STATUS),
        pos.get(MAX_LENGTH),
        pos.get(KEY),
        pos.get(FINGERPRINT),
        previous,
        pos.get(SUGGESTION) if SUGGESTION not in key_names else None,
        pos.get(MATCH) if MATCH not in key_names else None,
    )


def _sheet_language(
    pattern: re.Pattern[str], title: str, name: str, sheet: str, i: int
) -> Language:
    match = pattern.match(title)
    assert match is not None
    try:
        return Language.parse(match["tag"])
    except LanguageError:
        raise cell_error(
            f"'{match['tag']}' in the header is not a language tag",
            name,
            sheet,
            f"{column_letter(i + 1)}1",
        ) from None


def _sheet_units(rows: Iterator[Row], columns: _Columns, name: str, sheet: str) -> Iterator[Unit]:
    """A unit per row. The loop is the hot path of reading a workbook (a row of ten cells in
    about 2 microseconds): positions are looked up once, and the checks that nearly always
    pass (the hidden key, the status) call out only when they do not."""
    at = columns.at
    keys = columns.keys
    key_of = _key_getter(keys)
    translated, new = UnitState.TRANSLATED, UnitState.NEW
    for number, cells in rows:
        row = _row_texts(cells, number, columns, name, sheet)
        key = key_of(row)
        stored = row[at.key]  # "" when the sheet has no Key column
        if stored and parse_key(stored) != key:
            _check_key(key, stored, columns, number, name, sheet)
        target = row[at.target]
        status = row[at.status]
        if status:
            state = _read_status(status, target, columns, number, name, sheet)
        else:
            state = translated if target else new
        notes = row[at.notes]
        max_length = row[at.max_length]
        if max_length:
            max_length = max_length.strip()
        unit = Unit(
            key,
            row[at.source],
            target,
            state,
            notes.split("\n") if notes else [],
            row[at.fingerprint] or None,
            row[at.previous] or None,
            int(max_length) if max_length.isdigit() else None,
            number,
        )
        if at.suggestion >= 0 and row[at.suggestion]:
            unit.suggestions = [_suggestion(row[at.suggestion], row[at.match])]
        yield unit


def _key_getter(keys: list[int]) -> Callable[[list[str]], tuple[str, ...]]:
    """The key of a row: one C call (itemgetter) for a key of two or more columns."""
    if len(keys) >= 2:
        return cast(Callable[[list[str]], tuple[str, ...]], itemgetter(*keys))
    if keys:
        (only,) = keys
        return lambda row: (row[only],)
    return lambda row: ()


_MATCH = re.compile(r"^\s*(\d+)\s*%?\s*(?:\((.*)\))?\s*$")


def _suggestion(text: str, match: str) -> Suggestion:
    """The Suggestion and Match cells (``88 % (agency.tmx)``); an unreadable match is 0."""
    found = _MATCH.match(match)
    if found is None:
        return Suggestion("", text, 0, "")
    return Suggestion("", text, int(found.group(1)), found.group(2) or "")


def _row_texts(
    cells: list[object], number: int, columns: _Columns, name: str, sheet: str
) -> list[str]:
    """The row as texts, as wide as the columns need and one more, empty: the index -1 of a
    column the sheet lacks. Only the columns wixloc reads are checked (a formula in a column
    the translator added is theirs)."""
    try:  # one C call for nearly every row: join refuses anything but text
        joined = len("".join(cells))  # type: ignore[arg-type]
        fits = joined <= MAX_CELL or max(map(len, cells)) <= MAX_CELL  # type: ignore[arg-type]
    except TypeError:
        fits = False
    if fits:
        row = cast(list[str], cells)  # calamine's own list, made for this row
    else:
        row = cast(list[str], list(cells))
        for i in columns.used:
            if i < len(row):
                row[i] = _text(row[i], name, sheet, number, i)
    if len(row) < columns.width:
        row.extend([""] * (columns.width - len(row)))
    else:
        row.append("")
    return row


def _check_key(
    key: tuple[str, ...], stored: str, columns: _Columns, number: int, name: str, sheet: str
) -> None:
    if columns.key is None or not stored or parse_key(stored) == key:
        return
    expected = parse_key(stored)
    for i, was, now in zip(columns.keys, expected, key, strict=False):
        if was != now:
            raise cell_error(
                f"the key was changed from {was!r} to {now!r}",
                name,
                sheet,
                f"{column_letter(i + 1)}{number}",
                hint="keys must stay as written; undo the edit",
            )
    raise cell_error(f"the key does not match the hidden key {stored!r}", name, sheet, f"A{number}")


def _read_status(
    text: str, target: str, columns: _Columns, number: int, name: str, sheet: str
) -> UnitState:
    if not text:
        return UnitState.TRANSLATED if target else UnitState.NEW
    status = text.strip().lower()
    if not status:
        return UnitState.TRANSLATED if target else UnitState.NEW
    state = STATUS_BY_NAME.get(status)
    if state is None:
        allowed = ", ".join(f"'{n}'" for n in STATUS_NAMES.values())
        assert columns.status is not None
        raise cell_error(
            f"unknown status {text!r}",
            name,
            sheet,
            f"{column_letter(columns.status + 1)}{number}",
            hint=f"leave it empty or use one of {allowed}",
        )
    return state
