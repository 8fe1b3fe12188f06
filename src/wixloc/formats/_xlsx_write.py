"""Writing XLSX: the workbook's XML made here, every cell an inline string.

openpyxl's write-only mode builds a cell object per value and serializes it through its element
tree; for a sheet of text cells that is nearly all of the time of writing it. A translator
sheet has one cell type (``inlineStr``, so never a formula), six fixed styles and a fixed
layout, so this module writes the parts' XML directly: the cells as formatted strings, a
thousand rows at a time, into the zip entry. The parts are those openpyxl writes (workbook,
styles, sheets, relationships, content types) with the same styles, widths, frozen header,
right-to-left view, hidden columns and sheet protection.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import IO, BinaryIO

from wixloc.errors import FormatError
from wixloc.formats._xlsx_common import (
    FINGERPRINT,
    INSTRUCTIONS,
    INSTRUCTIONS_SHEET,
    KEY,
    MATCH,
    MAX_CELL,
    MAX_LENGTH,
    META_SHEET,
    NOTES,
    RESERVED,
    STATUS,
    STATUS_NAMES,
    SUGGESTION,
    TABLE_SHEET,
    UNITS_SHEET,
    column_letter,
    encode_list,
    escape,
    key_headers,
)
from wixloc.locales import direction
from wixloc.model import Entry, Language, Table, Unit, UnitFile, UnitState, format_key

__all__ = ["write_table", "write_workbook"]

# Deflate level 3: about half the time of zipfile's default (6) for 12% larger sheets.
_LEVEL = 3
_BATCH = 1000  # rows joined and compressed at a time

# Style ids, the cellXfs of _STYLES (the same table openpyxl made for these cells).
DEFAULT, HEADER, WRAP, WRAP_RTL_UNLOCKED, WRAP_UNLOCKED, BOLD = range(6)

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_ALIGN = '<alignment vertical="top" wrapText="1"/>'
_UNLOCK = '<protection locked="0" hidden="0"/>'
_XF = '<xf numFmtId="0" fontId="{}" fillId="{}" borderId="0" xfId="0"{}>{}</xf>'
_STYLES = (
    f'{_XML}<styleSheet xmlns="{_MAIN}">'
    '<fonts count="2"><font><sz val="11"/><color theme="1"/><name val="Calibri"/>'
    '<family val="2"/><scheme val="minor"/></font><font><b val="1"/><sz val="11"/>'
    '<name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="00DDDDDD"/></patternFill></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="6">'
    + _XF.format(0, 0, "", "").replace("></xf>", "/>")
    + _XF.format(1, 2, ' applyFont="1" applyFill="1" applyAlignment="1"', _ALIGN)
    + _XF.format(0, 0, ' applyAlignment="1"', _ALIGN)
    + _XF.format(
        0,
        0,
        ' applyAlignment="1" applyProtection="1"',
        '<alignment vertical="top" wrapText="1" readingOrder="2"/>' + _UNLOCK,
    )
    + _XF.format(0, 0, ' applyAlignment="1" applyProtection="1"', _ALIGN + _UNLOCK)
    + _XF.format(1, 0, ' applyFont="1"', "")
    + '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
    "</cellStyles></styleSheet>"
)
# Everything may be done on a protected sheet except editing locked cells and changing columns
# or rows' structure: translators may resize, sort and filter (see docs/formats/xlsx.md).
_PROTECTION = (
    '<sheetProtection sheet="1" objects="0" scenarios="0" formatCells="1" formatColumns="0" '
    'formatRows="0" insertColumns="1" insertRows="1" insertHyperlinks="1" deleteColumns="1" '
    'deleteRows="1" selectLockedCells="0" sort="0" autoFilter="0" pivotTables="1" '
    'selectUnlockedCells="0"/>'
)
_MARGINS = '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/>'
_WHITESPACE = frozenset(" \t\n")


@dataclass
class _Sheet:
    """One worksheet to write: its name, layout and rows (text per cell, a style per column)."""

    name: str
    widths: Sequence[float]
    styles: Sequence[int]
    rows: Iterable[Sequence[str]]
    header: Sequence[str] | None = None  # a first row in the header style, frozen
    hidden_columns: Sequence[int] = ()  # 1-based
    rtl: bool = False
    protected: bool = False
    hidden: bool = False
    first_style: dict[int, int] = field(default_factory=dict)  # row -> style (Instructions)


def _text(value: str) -> str:
    """The XML of one cell's text: OOXML escapes, then XML's own."""
    stored = escape(value)
    if len(stored) > MAX_CELL:  # the callers check first, naming the key and language
        raise FormatError(
            f"a cell of {len(stored):,} characters; an Excel cell holds at most 32,767"
        )
    if "&" in stored:
        stored = stored.replace("&", "&amp;")
    if "<" in stored:
        stored = stored.replace("<", "&lt;")
    if ">" in stored:
        stored = stored.replace(">", "&gt;")
    return stored


def _rows_xml(sheet: _Sheet, out: IO[bytes]) -> None:
    width = len(sheet.styles)
    starts = [f'<c r="{column_letter(i + 1)}' for i in range(width)]
    empty = [f'" s="{s}"/>' for s in sheet.styles]
    full = [f'" s="{s}" t="inlineStr"><is><t>' for s in sheet.styles]
    kept = [f'" s="{s}" t="inlineStr"><is><t xml:space="preserve">' for s in sheet.styles]
    rows: Iterable[Sequence[str]] = sheet.rows
    if sheet.header is not None:
        rows = [sheet.header, *rows] if isinstance(rows, list) else _prepend(sheet.header, rows)
    parts: list[str] = []
    for number, texts in enumerate(rows, start=1):
        if len(texts) != width:
            raise ValueError(f"row {number} has {len(texts)} cells, not {width}")
        parts.append(f'<row r="{number}">')
        style = HEADER if number == 1 and sheet.header is not None else None
        style = sheet.first_style.get(number, style)
        for j, value in enumerate(texts):
            start = starts[j]
            if style is not None:  # the header row: one style for every cell
                parts.append(_cell(start, number, style, value))
            elif not value:
                parts.append(f"{start}{number}{empty[j]}")
            elif value[0] in _WHITESPACE or value[-1] in _WHITESPACE:
                parts.append(f"{start}{number}{kept[j]}{_text(value)}</t></is></c>")
            else:
                parts.append(f"{start}{number}{full[j]}{_text(value)}</t></is></c>")
        parts.append("</row>")
        if number % _BATCH == 0:
            out.write("".join(parts).encode())
            parts.clear()
    out.write("".join(parts).encode())


def _prepend(first: Sequence[str], rows: Iterable[Sequence[str]]) -> Iterable[Sequence[str]]:
    yield first
    yield from rows


def _cell(start: str, number: int, style: int, value: str) -> str:
    if not value:
        return f'{start}{number}" s="{style}"/>'
    return (
        f'{start}{number}" s="{style}" t="inlineStr"><is><t xml:space="preserve">'
        f"{_text(value)}</t></is></c>"
    )


def _sheet_head(sheet: _Sheet) -> str:
    view = ' rightToLeft="1"' if sheet.rtl else ""
    if sheet.header is not None:
        pane = (
            '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
            '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
        )
    else:
        pane = '<selection activeCell="A1" sqref="A1"/>'
    cols = "".join(
        f'<col min="{i}" max="{i}" width="{width:g}" customWidth="1"'
        + (' hidden="1"/>' if i in sheet.hidden_columns else "/>")
        for i, width in enumerate(sheet.widths, start=1)
    )
    return (
        f'{_XML}<worksheet xmlns="{_MAIN}">'
        f'<sheetViews><sheetView workbookViewId="0"{view}>{pane}</sheetView></sheetViews>'
        f'<sheetFormatPr defaultRowHeight="15"/>{f"<cols>{cols}</cols>" if cols else ""}'
        "<sheetData>"
    )


def _sheet_tail(sheet: _Sheet) -> str:
    return f"</sheetData>{_PROTECTION if sheet.protected else ''}{_MARGINS}</worksheet>"


def _write_package(sheets: Sequence[_Sheet], fh: BinaryIO) -> None:
    with zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED, compresslevel=_LEVEL) as zf:
        zf.writestr("[Content_Types].xml", _content_types(len(sheets)))
        zf.writestr("_rels/.rels", _root_rels())
        zf.writestr("xl/workbook.xml", _workbook(sheets))
        zf.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(len(sheets)))
        zf.writestr("xl/styles.xml", _STYLES)
        for n, sheet in enumerate(sheets, start=1):
            with zf.open(f"xl/worksheets/sheet{n}.xml", "w", force_zip64=True) as out:
                out.write(_sheet_head(sheet).encode())
                _rows_xml(sheet, out)
                out.write(_sheet_tail(sheet).encode())


def _content_types(count: int) -> str:
    sheet = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{sheet}"/>'
        for n in range(1, count + 1)
    )
    doc = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    return (
        f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{doc}.sheet.main+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{doc}.styles+xml"/>'
        f"{overrides}</Types>"
    )


def _root_rels() -> str:
    return (
        f'{_XML}<Relationships xmlns="{_PKG_REL}"><Relationship Id="rId1" '
        f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )


def _workbook(sheets: Sequence[_Sheet]) -> str:
    entries = "".join(
        f'<sheet name="{_attr(sheet.name)}" sheetId="{n}"'
        + (' state="hidden"' if sheet.hidden else "")
        + f' r:id="rId{n}"/>'
        for n, sheet in enumerate(sheets, start=1)
    )
    return (
        f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
        '<bookViews><workbookView activeTab="0"/></bookViews>'
        f"<sheets>{entries}</sheets></workbook>"
    )


def _attr(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


def _workbook_rels(count: int) -> str:
    rels = "".join(
        f'<Relationship Id="rId{n}" Type="{_REL}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, count + 1)
    )
    styles = f'<Relationship Id="rId{count + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
    return f'{_XML}<Relationships xmlns="{_PKG_REL}">{rels}{styles}</Relationships>'


# --- tables ----------------------------------------------------------------------------------


def check_length(text: str, key: str, language: Language | str, what: str) -> None:
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


def write_table(table: Table, fh: BinaryIO) -> None:
    rows = [_table_row(table, entry) for entry in table.entries]  # checked before writing
    sheet = _Sheet(
        TABLE_SHEET,
        [20 if c.language is None else 50 for c in table.columns],
        [WRAP] * len(table.columns),
        rows,
        header=[c.name for c in table.columns],
    )
    _write_package([sheet], fh)


def _table_row(table: Table, entry: Entry) -> list[str]:
    row: list[str] = []
    keys = iter(entry.key)
    for column in table.columns:
        if column.language is not None:
            text = entry.texts.get(column.language, "")
            check_length(text, format_key(entry.key), column.language, "text")
        elif column.name in table.key_columns:
            text = next(keys)
        else:
            text = entry.meta.get(column.name, "")
        row.append(text)
    return row


# --- translator workbooks --------------------------------------------------------------------


def unit_header(units: UnitFile) -> list[str]:
    reserved = (*RESERVED, SUGGESTION, MATCH) if _has_suggestions(units) else RESERVED
    clash = [name for name in units.key_columns if name in reserved]
    if clash:
        raise FormatError(f"a key column is named '{clash[0]}', which the workbook uses itself")
    return [
        *key_headers(units),
        f"Source ({units.source_language.tag})",
        f"Translation ({units.target_language.tag})",
        NOTES,
        STATUS,
        MAX_LENGTH,
        KEY,
        FINGERPRINT,
        *([f"Previous source ({units.source_language.tag})"] if _has_previous(units) else []),
        *([SUGGESTION, MATCH] if _has_suggestions(units) else []),
    ]


def _has_previous(units: UnitFile) -> bool:
    return any(unit.previous_source is not None for unit in units.units)


def _has_suggestions(units: UnitFile) -> bool:
    return any(unit.suggestions for unit in units.units)


def _match(unit: Unit) -> list[str]:
    """The Suggestion and Match cells: the best suggestion, ``88 % (agency.tmx)``."""
    if not unit.suggestions:
        return ["", ""]
    best = unit.suggestions[0]
    origin = " ".join(best.origin.split())  # one line, as the reader parses it
    origin = f" ({origin})" if origin else ""
    return [best.target, f"{best.score} %{origin}"]


def _status(unit: Unit) -> str:
    # Empty for an untranslated unit, so a translator who only fills the translation cell
    # produces a translated unit (the reader takes an empty status with a text as translated).
    if unit.state is UnitState.NEW and not unit.target:
        return ""
    if unit.state is UnitState.TRANSLATED and unit.target:
        return ""
    return STATUS_NAMES[unit.state]


def _units_sheet(title: str, units: UnitFile) -> _Sheet:
    header = unit_header(units)
    n = len(key_headers(units))
    rtl = direction(units.target_language.code) == "rtl"
    styles = [WRAP] * len(header)
    styles[n + 1] = WRAP_RTL_UNLOCKED if rtl else WRAP_UNLOCKED  # translation
    styles[n + 3] = WRAP_UNLOCKED  # status
    previous = _has_previous(units)
    offered = _has_suggestions(units)
    return _Sheet(
        title,
        [18] * n + [50, 50, 40, 14, 11, 20, 18] + [50] * (len(header) - n - 7),
        styles,
        (_unit_texts(unit, previous, offered) for unit in units.units),
        header=header,
        hidden_columns=(n + 6, n + 7),
        rtl=rtl,
        protected=True,
    )


def _check_units(units: UnitFile) -> None:
    for unit in units.units:
        key = format_key(unit.key)
        for text, what in ((unit.source, "source text"), (unit.target, "translation")):
            check_length(text, key, units.target_language, what)
        for offered in unit.suggestions[:1]:
            check_length(offered.target, key, units.target_language, "suggestion")


def _unit_texts(unit: Unit, previous: bool, offered: bool = False) -> list[str]:
    """A unit's cells: key columns, source, translation, notes, status, max length, key,
    fingerprint (and the previous source, and the suggestion and its match)."""
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
        *(_match(unit) if offered else []),
    ]


def _instructions() -> _Sheet:
    rows = [[line] for line in INSTRUCTIONS]
    return _Sheet(INSTRUCTIONS_SHEET, [110], [WRAP], rows, first_style={1: BOLD})


def _meta(unit_files: Sequence[UnitFile]) -> _Sheet:
    first = unit_files[0]
    rows = [
        ["format", "wixloc translator workbook 1"],
        ["key columns", encode_list(first.key_columns)],
        ["key headers", encode_list(key_headers(first))],
        ["original", first.original or ""],
    ]
    return _Sheet(META_SHEET, [], [DEFAULT, DEFAULT], rows, hidden=True)


def write_workbook(unit_files: Sequence[UnitFile], fh: BinaryIO) -> None:
    """One workbook with a sheet per target language (named by its tag)."""
    if not unit_files:
        raise FormatError("no languages to write into the workbook")
    for units in unit_files:  # before writing anything: a half-written workbook is no use
        _check_units(units)
        unit_header(units)
    single = len(unit_files) == 1
    sheets = [
        _units_sheet(UNITS_SHEET if single else units.target_language.tag, units)
        for units in unit_files
    ]
    _write_package([*sheets, _instructions(), _meta(unit_files)], fh)
