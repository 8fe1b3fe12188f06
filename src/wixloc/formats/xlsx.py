"""Excel workbooks (openpyxl): a whole table, or translator sheets (one or several languages).

**Table** workbooks hold one sheet ``Table``: the table's columns with a header row.

**Translator** workbooks hold one sheet per target language (``Translations``, or the language tag
when one workbook holds several), an ``Instructions`` sheet and a hidden ``wixloc`` sheet::

    <key columns> | Source (en) | Translation (de) | Notes | Status | Max length | Key | Fingerprint

The key and source columns are locked (sheet protection without a password), the translation and
status columns unlocked; the header row is frozen; text wraps; a right-to-left language gets a
right-to-left sheet. The hidden ``Key`` column repeats the key so that an edited key cell is
caught; ``Fingerprint`` is the fingerprint of the source the unit was made from.

Every cell is written as a string, never a formula (``=SUM(A1)`` stays text). Characters XML
cannot hold (and CR) are written with OOXML's ``_xHHHH_`` escape, and a literal ``_xHHHH_`` in the
text as ``_x005F_xHHHH_``, so every text reads back exactly. A text over Excel's 32,767-character
cell limit cannot be written (a FormatError naming key and language). Reading finds the sheets
and columns by their header, so reordered sheets and extra columns are fine; a formula or error
cell, an edited key or an over-long text is an error naming the sheet and cell.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, cast

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.cell.text import Text
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook as WorkbookType
from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

from wixloc.errors import FormatError, InputError, LanguageError
from wixloc.formats import Format, ReadOptions
from wixloc.formats._columns import classify
from wixloc.fsutil import open_input
from wixloc.locales import direction
from wixloc.model import (
    Entry,
    Language,
    Table,
    Unit,
    UnitFile,
    UnitState,
    format_key,
    parse_key,
)

__all__ = [
    "FORMAT",
    "load_workbook_units",
    "read_either",
    "read_table",
    "read_unit_files",
    "read_units",
    "read_workbook",
    "stream_workbook_units",
    "write_table",
    "write_units",
    "write_workbook",
]

_Sheet = Any  # openpyxl's write-only and read-only sheets are untyped in its stubs

MAX_CELL = 32_767  # Excel's limit on the characters in one cell
MAX_UNZIPPED = 1 << 30  # refuse workbooks that unpack to more than 1 GiB (zip bombs)
TABLE_SHEET = "Table"
UNITS_SHEET = "Translations"
INSTRUCTIONS_SHEET = "Instructions"
META_SHEET = "wixloc"
NOTES, STATUS, MAX_LENGTH, KEY, FINGERPRINT = "Notes", "Status", "Max length", "Key", "Fingerprint"
RESERVED = (NOTES, STATUS, MAX_LENGTH, KEY, FINGERPRINT)
_SOURCE = re.compile(r"^Source \((?P<tag>[^()]+)\)$")
_TARGET = re.compile(r"^Translation \((?P<tag>[^()]+)\)$")

STATUS_NAMES = {
    UnitState.NEW: "new",
    UnitState.NEEDS_REVIEW: "needs review",
    UnitState.TRANSLATED: "translated",
    UnitState.REVIEWED: "reviewed",
    UnitState.FINAL: "final",
}
STATUS_BY_NAME = {name: state for state, name in STATUS_NAMES.items()} | {
    "fuzzy": UnitState.NEEDS_REVIEW,
    "needs-review": UnitState.NEEDS_REVIEW,
}

INSTRUCTIONS = (
    "How to fill in this workbook",
    "",
    "Type each translation in the 'Translation' column of the language's sheet.",
    "Leave the other columns as they are: the key and source columns are locked, "
    "and the hidden columns are needed to merge your work back.",
    "Status: leave it empty (a filled translation counts as translated), or write "
    "'needs review' for a translation you are unsure of; it is then not used until reviewed.",
    "Text is kept exactly: line breaks (Alt+Enter), spaces at either end, and text starting "
    "with = + - @ (the cells are text, not formulas).",
    "Max length: the most characters the field may hold on the site.",
    "The sheets are protected without a password only to prevent accidental edits.",
)

# --- OOXML escaping --------------------------------------------------------------------------

_NEEDS_ESCAPE = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def escape(text: str) -> str:
    """OOXML ``_xHHHH_`` for characters XML cannot hold (and CR), ``_x005F_`` for a literal."""
    return _NEEDS_ESCAPE.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)


def unescape(text: str) -> str:
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


# --- writing ---------------------------------------------------------------------------------

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDDDDD")
_WRAP = Alignment(wrap_text=True, vertical="top")
_WRAP_RTL = Alignment(wrap_text=True, vertical="top", readingOrder=2)
_UNLOCKED = Protection(locked=False)
_STYLE_IDS = "_wixloc_style_ids"


class _TextCell(Cell):
    """A write-only text cell whose style id is worked out once per workbook and style.

    openpyxl finds a cell's style id by hashing its style array into the workbook's table of
    styles, for every cell it writes; with every cell styled that was most of the time of
    writing a sheet. This cell carries the id itself. Its repr costs nothing: ``append`` formats
    the repr of every cell object it is given into an exception message that it then discards.
    """

    __slots__ = ("_sid",)
    _sid: int

    @property
    def style_id(self) -> int:
        return self._sid

    @property
    def has_style(self) -> bool:
        return self._sid != 0

    def __repr__(self) -> str:
        return "<text cell>"


def _style_id(ws: _Sheet, style: dict[str, Any]) -> int:
    """The workbook's id for *style* (attribute name -> openpyxl style object), cached."""
    if not style:
        return 0
    cache: dict[tuple[Any, ...], int] = ws.parent.__dict__.setdefault(_STYLE_IDS, {})
    signature = tuple(sorted((name, id(value)) for name, value in style.items()))
    sid = cache.get(signature)
    if sid is None:
        probe = Cell(ws)  # type: ignore[call-arg]
        for name, value in style.items():
            setattr(probe, name, value)
        sid = cache[signature] = probe.style_id
    return sid


def _stored(text: str) -> str:
    """What `cell.value = text` stores for a str, minus the checks escape() makes moot (it
    leaves no character a worksheet cannot hold), and always text: "=SUM(A1)" is never a
    formula."""
    value = escape(text)
    if len(value) > MAX_CELL:  # openpyxl would cut it silently; the callers name the key first
        raise FormatError(
            f"a cell of {len(value):,} characters; an Excel cell holds at most 32,767"
        )
    return value


def _cell(ws: _Sheet, text: str, **style: Any) -> Cell:
    cell: Any = _TextCell(ws)  # type: ignore[call-arg]
    cell._value = _stored(text)
    cell.data_type = "s"
    cell._sid = _style_id(ws, style)
    return cast(Cell, cell)


class _Rows:
    """Rows of text cells, a style per column, appended to a write-only sheet.

    openpyxl's ``append`` binds each value into a fresh cell; given a cell object instead, it
    first tries (and fails, raising and catching an exception) to bind the object as a value,
    then makes a fresh cell for the next one. Per cell that was more than writing its XML.
    This sheet is given one set of cells, reused row after row (the sheet writes a row out
    before the next is appended), and places them itself.
    """

    def __init__(self, ws: _Sheet, styles: Sequence[dict[str, Any]]) -> None:
        self._ws = ws
        self._cells: list[Any] = [_cell(ws, "", **style) for style in styles]
        ws._values_to_row = _place  # the sheet's own step from values to cells

    def append(self, texts: Sequence[str]) -> None:
        for cell, text in zip(self._cells, texts, strict=True):
            cell._value = _stored(text)
        self._ws.append(self._cells)


def _place(cells: Sequence[Cell], row: int) -> Iterator[Cell]:
    """``WriteOnlyWorksheet._values_to_row`` for rows made only of cells made here."""
    for column, cell in enumerate(cells, start=1):
        cell.column = column
        cell.row = row
        yield cell


def _check_length(text: str, key: str, language: Language | str, what: str) -> None:
    if len(text) <= MAX_CELL // 7:
        return  # fits even if every character were escaped as _xHHHH_ (7 characters)
    stored = len(escape(text))
    if stored > MAX_CELL:
        escaped = (
            ""
            if stored == len(text)
            else f" ({stored:,} once CR and control characters are escaped)"
        )
        raise FormatError(
            f"the {what} has {len(text):,} characters{escaped}; an Excel cell holds at most 32,767",
            location=f"key {key}, language {language}",
            hint="use PO or XLIFF for this text",
        )


def _header_row(ws: _Sheet, names: Sequence[str]) -> None:
    ws.append([_cell(ws, n, font=_HEADER_FONT, fill=_HEADER_FILL, alignment=_WRAP) for n in names])


def _widths(ws: _Sheet, widths: Sequence[float]) -> None:
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width


def write_table(table: Table, fh: BinaryIO) -> None:
    for entry in table.entries:  # before writing: openpyxl cannot abandon a write-only sheet
        _table_row(table, entry)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(TABLE_SHEET)
    ws.freeze_panes = "A2"
    names = [c.name for c in table.columns]
    _widths(ws, [20 if c.language is None else 50 for c in table.columns])
    _header_row(ws, names)
    rows = _Rows(ws, [{"alignment": _WRAP}] * len(names))
    for entry in table.entries:
        rows.append(_table_row(table, entry))
    wb.save(fh)


def _table_row(table: Table, entry: Entry) -> list[str]:
    row: list[str] = []
    keys = iter(entry.key)
    for column in table.columns:
        if column.language is not None:
            text = entry.texts.get(column.language, "")
            _check_length(text, format_key(entry.key), column.language, "text")
        elif column.name in table.key_columns:
            text = next(keys)
        else:
            text = entry.meta.get(column.name, "")
        row.append(text)
    return row


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


def _key_headers(units: UnitFile) -> list[str]:
    """The key columns' titles: the file's key column names, or Key 1, Key 2 ... if it has none."""
    width = len(units.units[0].key) if units.units else len(units.key_columns)
    if any(len(unit.key) != width for unit in units.units):
        raise FormatError("the units' keys have different numbers of parts")
    if len(units.key_columns) == width:
        return list(units.key_columns)
    return [f"Key {i}" for i in range(1, width + 1)]


def _unit_header(units: UnitFile) -> list[str]:
    clash = [name for name in units.key_columns if name in RESERVED]
    if clash:
        raise FormatError(f"a key column is named '{clash[0]}', which the workbook uses itself")
    return [
        *_key_headers(units),
        f"Source ({units.source_language.tag})",
        f"Translation ({units.target_language.tag})",
        NOTES,
        STATUS,
        MAX_LENGTH,
        KEY,
        FINGERPRINT,
        *([f"Previous source ({units.source_language.tag})"] if _has_previous(units) else []),
    ]


def _has_previous(units: UnitFile) -> bool:
    return any(unit.previous_source is not None for unit in units.units)


def _status(unit: Unit) -> str:
    # Empty for an untranslated unit, so a translator who only fills the translation cell
    # produces a translated unit (the reader takes an empty status with a text as translated).
    if unit.state is UnitState.NEW and not unit.target:
        return ""
    if unit.state is UnitState.TRANSLATED and unit.target:
        return ""
    return STATUS_NAMES[unit.state]


def _write_units_sheet(wb: WorkbookType, title: str, units: UnitFile) -> None:
    _check_units(units)  # before writing: openpyxl cannot abandon a write-only sheet cleanly
    ws = wb.create_sheet(title)
    ws.freeze_panes = "A2"
    rtl = direction(units.target_language.code) == "rtl"
    ws.sheet_view.rightToLeft = rtl
    header = _unit_header(units)
    n = len(_key_headers(units))
    _widths(ws, [18] * n + [50, 50, 40, 14, 11, 20, 18] + [50] * (len(header) - n - 7))
    for letter in (get_column_letter(n + 6), get_column_letter(n + 7)):
        ws.column_dimensions[letter].hidden = True
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # let translators widen columns and rows
    ws.protection.formatRows = False
    ws.protection.autoFilter = False
    ws.protection.sort = False
    _header_row(ws, header)
    target_style = _WRAP_RTL if rtl else _WRAP
    previous = _has_previous(units)
    wrap: dict[str, Any] = {"alignment": _WRAP}
    styles = [wrap] * len(header)
    styles[n + 1] = {"alignment": target_style, "protection": _UNLOCKED}  # translation
    styles[n + 3] = {"alignment": _WRAP, "protection": _UNLOCKED}  # status
    rows = _Rows(ws, styles)
    for unit in units.units:
        rows.append(_unit_texts(unit, previous))


def _check_units(units: UnitFile) -> None:
    for unit in units.units:
        key = format_key(unit.key)
        for text, what in ((unit.source, "source text"), (unit.target, "translation")):
            _check_length(text, key, units.target_language, what)


def _unit_texts(unit: Unit, previous: bool) -> list[str]:
    """A unit's cells: key columns, source, translation, notes, status, max length, key,
    fingerprint (and the previous source)."""
    return [
        *unit.key,
        unit.source,
        unit.target,
        "\n".join(unit.notes),
        _status(unit),
        str(unit.max_length) if unit.max_length is not None else "",
        format_key(unit.key),
        unit.fingerprint or "",
        *([unit.previous_source or ""] if previous else []),
    ]


def _write_instructions(wb: WorkbookType) -> None:
    ws = wb.create_sheet(INSTRUCTIONS_SHEET)
    _widths(ws, [110])
    ws.append([_cell(ws, INSTRUCTIONS[0], font=_HEADER_FONT)])
    for line in INSTRUCTIONS[1:]:
        ws.append([_cell(ws, line, alignment=_WRAP)])


def _encode_list(values: Sequence[str]) -> str:
    """``3:a|b|c``: the count tells ``[]`` from ``[""]``."""
    return f"{len(values)}:{format_key(values)}"


def _decode_list(text: str) -> list[str]:
    count, _, joined = text.partition(":")
    return list(parse_key(joined)) if count != "0" else []


def _write_meta(wb: WorkbookType, unit_files: Sequence[UnitFile]) -> None:
    ws = wb.create_sheet(META_SHEET)
    ws.sheet_state = "hidden"
    first = unit_files[0]
    rows = [
        ("format", "wixloc translator workbook 1"),
        ("key columns", _encode_list(first.key_columns)),
        ("key headers", _encode_list(_key_headers(first))),
        ("original", first.original or ""),
    ]
    for name, value in rows:
        ws.append([_cell(ws, name), _cell(ws, value)])


def write_workbook(unit_files: Sequence[UnitFile], fh: BinaryIO) -> None:
    """One workbook with a sheet per target language (named by its tag)."""
    if not unit_files:
        raise FormatError("no languages to write into the workbook")
    for units in unit_files:
        _check_units(units)
        _unit_header(units)
    wb = Workbook(write_only=True)
    single = len(unit_files) == 1
    for units in unit_files:
        _write_units_sheet(wb, UNITS_SHEET if single else units.target_language.tag, units)
    _write_instructions(wb)
    _write_meta(wb, unit_files)
    wb.save(fh)


def write_units(units: UnitFile, fh: BinaryIO) -> None:
    write_workbook([units], fh)


# --- reading ---------------------------------------------------------------------------------


class _RawStringsReader(ExcelReader):
    """openpyxl's reader, keeping shared strings as stored (with their ``_xHHHH_`` escapes).

    openpyxl removes every ``x005F_`` from shared strings but leaves other escapes, which makes
    a literal ``_xHHHH_`` indistinguishable from an escaped character; unescaping once, here,
    treats strings Excel wrote and strings wixloc wrote alike.
    """

    def read_strings(self) -> None:
        found = self.package.find(SHARED_STRINGS)  # type: ignore[no-untyped-call]
        if found is None:
            return
        with self.archive.open(found.PartName[1:]) as src:
            raw = [_si_text(node) for _, node in iterparse(src) if node.tag == _SI]
        self.shared_strings = raw


_SI = f"{{{SHEET_MAIN_NS}}}si"


def _si_text(node: Any) -> str:
    text: Text | None = Text.from_tree(node)
    node.clear()
    return text.content if text is not None else ""


def _open(fh: BinaryIO, name: str) -> WorkbookType:
    data = fh.read()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        size = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise FormatError("not an Excel workbook (.xlsx)", file=name) from None
    if size > MAX_UNZIPPED:
        raise FormatError(f"the workbook unpacks to {size:,} bytes; refusing", file=name)
    try:
        reader = _RawStringsReader(io.BytesIO(data), read_only=True, data_only=False)
        reader.read()
    except (KeyError, ValueError, TypeError, OSError, zipfile.BadZipFile) as exc:
        raise FormatError(f"not a readable Excel workbook: {exc}", file=name) from None
    wb: WorkbookType = reader.wb
    return wb


def _cell_error(
    message: str, name: str, sheet: str, coordinate: str, hint: str | None = None
) -> FormatError:
    return FormatError(
        message, file=name, location=f"sheet '{sheet}', cell {coordinate}", hint=hint
    )


def _text(cell: Any, name: str, sheet: str) -> str:
    """The cell's text, or an error for a formula, an error value or an over-long text."""
    value = cell.value
    if value is None:
        return ""
    kind = cell.data_type
    if kind == "s" and isinstance(value, str):  # text: nearly every cell
        text = unescape(value)
    elif kind == "f":
        raise _cell_error(
            f"the cell holds a formula ({value}), not text",
            name,
            sheet,
            cell.coordinate,
            hint="retype it starting with an apostrophe (') to keep a leading = as text",
        )
    elif kind == "e":
        raise _cell_error(
            f"the cell holds an error value ({value}), not text", name, sheet, cell.coordinate
        )
    elif isinstance(value, bool) or not isinstance(value, str | int | float):
        raise _cell_error(
            f"the cell holds {value!r}, not text",
            name,
            sheet,
            cell.coordinate,
            hint="format it as Text",
        )
    else:
        text = _number_text(value) if not isinstance(value, str) else unescape(value)
    if len(text) > MAX_CELL:
        raise _cell_error(
            f"the text has {len(text):,} characters, over 32,767", name, sheet, cell.coordinate
        )
    return text


def _number_text(value: int | float) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _rows(ws: _Sheet, name: str) -> Iterator[tuple[int, list[Any]]]:
    """(row number, cells) of the sheet's rows, empty rows left out."""
    for number, row in enumerate(ws.iter_rows(), start=1):
        cells = list(row)
        if any(c.value not in (None, "") for c in cells):
            yield number, cells


def _header(cells: list[Any], name: str, sheet: str) -> list[str]:
    return [_text(c, name, sheet).strip() if c.value is not None else "" for c in cells]


def read_table(fh: BinaryIO, options: ReadOptions) -> Table:
    return _workbook_table(_open(fh, options.name), options)


def _workbook_table(wb: WorkbookType, options: ReadOptions) -> Table:
    for ws in _sheets(wb):
        rows = _rows(ws, options.name)
        first = next(rows, None)
        if first is None:
            continue
        header = _header(first[1], options.name, ws.title)
        if any(_SOURCE.match(h) for h in header):
            raise FormatError(
                "is a translator workbook, not a table",
                file=options.name,
                hint="merge it into a table with 'wixloc merge'",
            )
        return _table(ws.title, header, first[0], rows, options)
    raise FormatError("the workbook has no sheet with a header row", file=options.name)


def _sheets(wb: WorkbookType) -> list[_Sheet]:
    return [ws for ws in wb.worksheets if ws.title not in (META_SHEET, INSTRUCTIONS_SHEET)]


def _table(
    sheet: str,
    header: list[str],
    header_row: int,
    rows: Iterator[tuple[int, list[Any]]],
    options: ReadOptions,
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
    for number, cells in rows:
        texts = [_text(c, options.name, sheet) for c in cells[: len(header)]]
        texts += [""] * (len(header) - len(texts))
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


def read_workbook(fh: BinaryIO, options: ReadOptions) -> list[UnitFile]:
    """Every translator sheet of a workbook, one UnitFile each, in sheet order."""
    found = []
    for units, rows in _stream_sheets(_open(fh, options.name), options.name):
        units.units = list(rows)
        found.append(units)
    return found


def _stream_sheets(wb: WorkbookType, name: str) -> list[tuple[UnitFile, Iterator[Unit]]]:
    """Each translator sheet's UnitFile (no units yet) and an iterator reading its rows."""
    meta = _meta(wb, name)
    found = []
    for ws in _sheets(wb):
        head = _sheet_head(ws, meta, name)
        if head is not None:
            units, columns = head
            found.append((units, _sheet_rows(ws, columns, name)))
    if not found:
        raise FormatError(
            "the workbook has no translator sheet (a header with 'Source (..)' and "
            "'Translation (..)' columns)",
            file=name,
            hint="for a table workbook, use it as the TABLE argument",
        )
    return found


def read_units(fh: BinaryIO, options: ReadOptions) -> UnitFile:
    found = read_workbook(fh, options)
    if len(found) > 1:
        tags = ", ".join(str(units.target_language) for units in found)
        raise FormatError(
            f"the workbook holds several languages ({tags})",
            file=options.name,
            hint="'wixloc merge' reads them all",
        )
    return found[0]


def _holds_units(wb: WorkbookType, name: str) -> bool:
    """True if the workbook has a translator sheet (False for a table workbook)."""
    for ws in _sheets(wb):
        first = next(_rows(ws, name), None)
        if first is not None and _locate(_header(first[1], name, ws.title), {}) is not None:
            return True
    return False


def read_unit_files(fh: BinaryIO, options: ReadOptions) -> list[tuple[UnitFile, Iterator[Unit]]]:
    """Every translator sheet's UnitFile (no units yet) and an iterator reading its rows."""
    return _stream_sheets(_open(fh, options.name), options.name)


def read_either(
    fh: BinaryIO, options: ReadOptions
) -> Table | list[tuple[UnitFile, Iterator[Unit]]]:
    """A translator workbook's sheets (as :func:`read_unit_files`), or a table workbook's
    table: the workbook is opened once to see which it is and to read it."""
    wb = _open(fh, options.name)
    if _holds_units(wb, options.name):
        return _stream_sheets(wb, options.name)
    return _workbook_table(wb, options)


def load_workbook_units(path: str | Path) -> list[UnitFile]:
    """Every language of a translator workbook on disk."""
    found = []
    for units, rows in stream_workbook_units(path):
        units.units = list(rows)
        found.append(units)
    return found


def stream_workbook_units(path: str | Path) -> Iterator[tuple[UnitFile, Iterator[Unit]]]:
    """Every language of a translator workbook on disk, its rows read as they are used
    (``merge`` uses this): each sheet's UnitFile (no units) and an iterator of its units."""
    with open_input(path) as fh:
        wb = _open(fh, str(path))
    found = _stream_sheets(wb, str(path))
    for units, rows in found:
        units.source = str(path) if len(found) == 1 else f"{path} ({units.target_language})"
        yield units, rows


def _meta(wb: WorkbookType, name: str) -> dict[str, str]:
    if META_SHEET not in wb.sheetnames:
        return {}
    meta: dict[str, str] = {}
    for _number, cells in _rows(wb[META_SHEET], name):
        texts = [_text(c, name, META_SHEET) for c in cells[:2]]
        if len(texts) == 2:
            meta[texts[0]] = texts[1]
    return meta


def _sheet_head(ws: _Sheet, meta: dict[str, str], name: str) -> tuple[UnitFile, _Columns] | None:
    """A translator sheet's UnitFile (no units) and columns, from its header; None for another
    kind of sheet."""
    first = next(_rows(ws, name), None)
    if first is None:
        return None
    header = _header(first[1], name, ws.title)
    columns = _locate(header, meta)
    if columns is None:
        return None
    source = _sheet_language(_SOURCE, header[columns.source], name, ws.title, columns.source)
    target = _sheet_language(_TARGET, header[columns.target], name, ws.title, columns.target)
    key_names = [header[i] for i in columns.keys]
    if "key columns" in meta:
        key_names = _decode_list(meta["key columns"])
    return UnitFile(source, target, [], key_names, original=meta.get("original") or None), columns


def _sheet_rows(ws: _Sheet, columns: _Columns, name: str) -> Iterator[Unit]:
    rows = _rows(ws, name)
    next(rows)  # the header
    for number, cells in rows:
        yield _row_unit(cells, number, columns, name, ws.title)


def _locate(header: list[str], meta: dict[str, str]) -> _Columns | None:
    source = next((i for i, h in enumerate(header) if _SOURCE.match(h)), None)
    target = next((i for i, h in enumerate(header) if _TARGET.match(h)), None)
    if source is None or target is None:
        return None
    pos = {h: i for i, h in reversed(list(enumerate(header))) if h}
    if "key headers" in meta:
        keys = [pos[n] for n in _decode_list(meta["key headers"]) if n in pos]
    else:  # no hidden sheet: the columns left of the source are the key
        keys = [i for i in range(source) if header[i]]
    previous = next((i for i, h in enumerate(header) if h.startswith("Previous source (")), None)
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
    )


def _sheet_language(
    pattern: re.Pattern[str], title: str, name: str, sheet: str, i: int
) -> Language:
    match = pattern.match(title)
    assert match is not None
    try:
        return Language.parse(match["tag"])
    except LanguageError:
        raise _cell_error(
            f"'{match['tag']}' in the header is not a language tag",
            name,
            sheet,
            f"{get_column_letter(i + 1)}1",
        ) from None


def _row_unit(cells: list[Any], number: int, columns: _Columns, name: str, sheet: str) -> Unit:
    def get(i: int | None) -> str:
        return _text(cells[i], name, sheet) if i is not None and i < len(cells) else ""

    key = tuple(get(i) for i in columns.keys)
    _check_key(key, get(columns.key), columns, number, name, sheet)
    target = get(columns.target)
    max_length = get(columns.max_length).strip()
    notes = get(columns.notes)
    previous = get(columns.previous) if columns.previous is not None else None
    return Unit(
        key=key,
        source=get(columns.source),
        target=target,
        state=_read_status(get(columns.status), target, columns, number, name, sheet),
        notes=notes.split("\n") if notes else [],
        fingerprint=get(columns.fingerprint) or None,
        previous_source=previous or None,
        max_length=int(max_length) if max_length.isdigit() else None,
        line=number,
    )


def _check_key(
    key: tuple[str, ...], stored: str, columns: _Columns, number: int, name: str, sheet: str
) -> None:
    if columns.key is None or not stored or parse_key(stored) == key:
        return
    expected = parse_key(stored)
    for i, was, now in zip(columns.keys, expected, key, strict=False):
        if was != now:
            raise _cell_error(
                f"the key was changed from {was!r} to {now!r}",
                name,
                sheet,
                f"{get_column_letter(i + 1)}{number}",
                hint="keys must stay as written; undo the edit",
            )
    raise _cell_error(
        f"the key does not match the hidden key {stored!r}", name, sheet, f"A{number}"
    )


def _read_status(
    text: str, target: str, columns: _Columns, number: int, name: str, sheet: str
) -> UnitState:
    status = text.strip().lower()
    if not status:
        return UnitState.TRANSLATED if target else UnitState.NEW
    state = STATUS_BY_NAME.get(status)
    if state is None:
        allowed = ", ".join(f"'{n}'" for n in STATUS_NAMES.values())
        assert columns.status is not None
        raise _cell_error(
            f"unknown status {text!r}",
            name,
            sheet,
            f"{get_column_letter(columns.status + 1)}{number}",
            hint=f"leave it empty or use one of {allowed}",
        )
    return state


def _sniff(head: bytes) -> bool:
    return head.startswith(b"PK")


FORMAT = Format(
    name="xlsx",
    extensions=(".xlsx",),
    description="Excel workbook: a whole table, or translator sheets (one or all languages)",
    read_table=read_table,
    write_table=write_table,
    read_units=read_units,
    write_units=write_units,
    read_unit_files=read_unit_files,
    write_unit_files=write_workbook,
    read_either=read_either,
    sniff=_sniff,
)
