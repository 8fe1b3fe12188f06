"""The XLSX format: tables and translator sheets, exact texts, protection, and read errors."""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from openpyxl.worksheet.worksheet import Worksheet

from tests.conftest import DATA as TEST_DATA
from wixloc.errors import FormatError
from wixloc.formats import ReadOptions, xlsx
from wixloc.model import Column, ColumnKind, Entry, Language, Table, Unit, UnitFile, UnitState

DATA = TEST_DATA
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
EN, DE, HE = Language("en"), Language("de"), Language("he")

text = st.text(st.characters(codec="utf-8"), max_size=40) | st.sampled_from(
    ["=SUM(A1)", "_x0041_", "_x005F_x0041_", "a\r\nb\rc", "\x00\x01\x0b\ufffe", "  ", "#N/A", "1e3"]
)
note = st.text(st.characters(blacklist_characters="\n", codec="utf-8"), min_size=1)


@st.composite
def unit_files(draw: st.DrawFn) -> UnitFile:
    keys = draw(st.lists(st.tuples(text, text), min_size=1, max_size=5, unique=True))
    units = [
        Unit(
            key,
            draw(text),
            draw(text),
            draw(st.sampled_from(list(UnitState))),
            draw(st.lists(note, max_size=2)),
            draw(st.none() | st.text("0123456789abcdef", min_size=1, max_size=16)),
            draw(st.none() | text.filter(bool)),
            draw(st.none() | st.integers(0, 10_000)),
        )
        for key in keys
    ]
    key_columns = draw(st.sampled_from([["Collection ID", "Field"], []]))
    lang = draw(st.sampled_from([DE, HE]))
    return UnitFile(EN, lang, units, key_columns, original="c.csv")


def _write(units: UnitFile) -> bytes:
    out = io.BytesIO()
    xlsx.write_units(units, out)
    return out.getvalue()


def _read(data: bytes, name: str = "fr.xlsx") -> UnitFile:
    return xlsx.read_units(io.BytesIO(data), ReadOptions(name=name))


@settings(max_examples=40, deadline=None)
@given(unit_files())
def test_units_round_trip(units: UnitFile) -> None:
    back = _read(_write(units))
    assert [u.line for u in back.units] == list(range(2, len(units.units) + 2))
    for unit in back.units:
        unit.line = None
    assert back.units == units.units
    assert (back.source_language, back.target_language) == (EN, units.target_language)
    assert (back.key_columns, back.original) == (units.key_columns, "c.csv")


def _table(texts: list[str]) -> Table:
    columns = [
        Column("Item ID", ColumnKind.KEY),
        Column("en", ColumnKind.LANGUAGE, EN),
        Column("de", ColumnKind.LANGUAGE, DE),
        Column("Notes", ColumnKind.META),
    ]
    entries = [
        Entry((f"k{i}",), {EN: t, DE: t[::-1]}, {"Notes": t[:3]}, i + 2)
        for i, t in enumerate(texts)
    ]
    return Table([EN, DE], columns, entries)


@settings(max_examples=30, deadline=None)
@given(st.lists(text, max_size=5))
def test_table_round_trip(texts: list[str]) -> None:
    out = io.BytesIO()
    xlsx.write_table(_table(texts), out)
    back = xlsx.read_table(io.BytesIO(out.getvalue()), ReadOptions(name="t.xlsx"))
    assert back.columns == _table(texts).columns
    assert back.entries == _table(texts).entries


def _sheet_xml(data: bytes, n: int = 1) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read(f"xl/worksheets/sheet{n}.xml").decode()


def test_no_cell_is_a_formula_and_every_cell_is_a_string() -> None:
    units = UnitFile(EN, DE, [Unit(("=A1",), "=SUM(A1)", "+1", UnitState.TRANSLATED, ["@x"], "-1")])
    data = _write(units)
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    for n in (1, 2, 3):
        root = etree.fromstring(_sheet_xml(data, n).encode(), parser)
        cells = list(root.iter(f"{{{MAIN}}}c"))
        assert cells
        for cell in cells:
            assert cell.find(f"{{{MAIN}}}f") is None
            assert len(cell) == 0 or cell.get("t") == "inlineStr"
    assert "=SUM(A1)" in _sheet_xml(data)


def test_sheet_layout_protection_rtl_and_hidden_columns() -> None:
    units = UnitFile(
        EN,
        HE,
        [Unit(("p-1",), "Hello", "", UnitState.NEW, ["Field: title"], "ab", None, 40)],
        ["Item ID"],
    )
    wb = openpyxl.load_workbook(io.BytesIO(_write(units)))
    assert wb.sheetnames == ["Translations", "Instructions", "wixloc"]
    assert wb["wixloc"].sheet_state == "hidden"
    ws = wb["Translations"]
    assert [c.value for c in ws[1]] == [
        *("Item ID", "Source (en)", "Translation (he)", "Notes"),
        *("Status", "Max length", "Key", "Fingerprint"),
    ]
    assert [c.value for c in ws[2]] == [
        "p-1",
        "Hello",
        None,
        "Field: title",
        None,
        "40",
        "p-1",
        "ab",
    ]
    assert ws.freeze_panes == "A2"
    assert ws.sheet_view.rightToLeft is True
    assert ws.protection.sheet is True and ws.protection.password is None
    locked = {c.coordinate[0]: c.protection.locked for c in ws[2]}
    assert locked == {
        "A": True,
        "B": True,
        "C": False,
        "D": True,
        "E": False,
        "F": True,
        "G": True,
        "H": True,
    }
    assert ws.column_dimensions["G"].hidden and ws.column_dimensions["H"].hidden
    assert ws["B2"].alignment.wrap_text is True


def test_a_left_to_right_language_gets_a_left_to_right_sheet() -> None:
    wb = openpyxl.load_workbook(io.BytesIO(_write(UnitFile(EN, DE, [Unit(("k",), "a")]))))
    assert not wb["Translations"].sheet_view.rightToLeft


def test_writing_an_over_long_text_names_key_and_language() -> None:
    units = UnitFile(EN, DE, [Unit(("products", "p-1"), "x" * 32_768)])
    with pytest.raises(FormatError) as err:
        _write(units)
    assert str(err.value) == (
        "key products|p-1, language de: the source text has 32,768 characters; an Excel cell "
        "holds at most 32,767 (use PO or XLIFF for this text)"
    )


def _edited(change: object) -> bytes:
    units = UnitFile(
        EN,
        DE,
        [Unit(("products", "p-1"), "Hello"), Unit(("products", "p-2"), "Bye")],
        ["Collection", "Item"],
    )
    wb = openpyxl.load_workbook(io.BytesIO(_write(units)))
    change(wb["Translations"])  # type: ignore[operator]
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _set(coordinate: str, value: object, data_type: str | None = None) -> object:
    def change(ws: Worksheet) -> None:
        ws[coordinate].value = value
        if data_type is not None:
            ws[coordinate].data_type = data_type

    return change


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            _set("D3", "=SUM(A1)"),
            "fr.xlsx, sheet 'Translations', cell D3: the cell holds a formula (=SUM(A1)), not text "
            "(retype it starting with an apostrophe (') to keep a leading = as text)",
        ),
        (
            _set("D2", "#DIV/0!", "e"),
            "fr.xlsx, sheet 'Translations', cell D2: "
            "the cell holds an error value (#DIV/0!), not text",
        ),
        (
            _set("B3", "p-9"),
            "fr.xlsx, sheet 'Translations', cell B3: the key was changed from 'p-2' to 'p-9' "
            "(keys must stay as written; undo the edit)",
        ),
        (
            _set("F2", "done"),
            "fr.xlsx, sheet 'Translations', cell F2: unknown status 'done' (leave it empty or use "
            "one of 'new', 'needs review', 'translated', 'reviewed', 'final')",
        ),
    ],
)
def test_read_errors_name_sheet_and_cell(change: object, message: str) -> None:
    with pytest.raises(FormatError) as err:
        _read(_edited(change))
    assert str(err.value) == message


def test_reading_an_over_long_text_names_sheet_and_cell() -> None:
    data = _write(UnitFile(EN, DE, [Unit(("p-1",), "Hello")]))
    # openpyxl itself cuts texts at 32,767 characters, so make the cell as another tool would
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out := io.BytesIO(), "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = body.replace(b">Hello<", b">" + b"y" * 32_768 + b"<")
            dst.writestr(info, body)
    with pytest.raises(FormatError) as err:
        _read(out.getvalue())
    assert str(err.value) == (
        "fr.xlsx, sheet 'Translations', cell B2: the text has 32,768 characters, over 32,767"
    )


def test_a_number_typed_as_translation_reads_as_its_text() -> None:
    units = _read(_edited(_set("D2", 2024)))
    assert units.units[0].target == "2024" and units.units[0].state is UnitState.TRANSLATED


def test_reads_an_excel_saved_workbook_with_extra_column_and_reordered_sheets() -> None:
    [units] = xlsx.load_workbook_units(DATA / "excel-extra-column.xlsx")
    assert units.target_language == "fr"
    assert [(u.source, u.target, u.state) for u in units.units] == [
        ("Plain title", "Titre simple", UnitState.TRANSLATED),
        ("two\r\nlines", "deux\r\nlignes", UnitState.TRANSLATED),
        ("literal _x0041_", "littéral _x0041_", UnitState.NEEDS_REVIEW),
        ("=SUM(A1)", "", UnitState.NEW),
    ]
    assert openpyxl.load_workbook(DATA / "excel-extra-column.xlsx").sheetnames[0] == "Instructions"


def test_one_workbook_holds_a_sheet_per_language() -> None:
    files = [
        UnitFile(EN, lang, [Unit(("k",), "a", f"a-{lang}", UnitState.TRANSLATED)])
        for lang in (DE, HE)
    ]
    out = io.BytesIO()
    xlsx.write_workbook(files, out)
    wb = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    assert wb.sheetnames == ["de", "he", "Instructions", "wixloc"]
    back = xlsx.read_workbook(io.BytesIO(out.getvalue()), ReadOptions(name="all.xlsx"))
    assert [(u.target_language, u.units[0].target) for u in back] == [(DE, "a-de"), (HE, "a-he")]
    with pytest.raises(FormatError) as err:
        xlsx.read_units(io.BytesIO(out.getvalue()), ReadOptions(name="all.xlsx"))
    assert (
        str(err.value)
        == "all.xlsx: the workbook holds several languages (de, he) ('wixloc merge' reads them all)"
    )


def test_a_table_workbook_is_not_a_translator_file_and_vice_versa() -> None:
    out = io.BytesIO()
    xlsx.write_table(_table(["a"]), out)
    with pytest.raises(FormatError, match="has no translator sheet"):
        _read(out.getvalue())
    with pytest.raises(FormatError, match="is a translator workbook, not a table"):
        xlsx.read_table(
            io.BytesIO(_write(UnitFile(EN, DE, [Unit(("k",), "a")]))), ReadOptions(name="x.xlsx")
        )


def test_not_a_workbook() -> None:
    with pytest.raises(FormatError) as err:
        _read(b"hello")
    assert str(err.value) == "fr.xlsx: not an Excel workbook (.xlsx)"


def test_a_text_too_long_once_escaped_is_refused_not_cut() -> None:
    text = "line\r\n" * 5_000  # 30,000 characters, 60,000 once each CR is written as _x000D_
    units = UnitFile(Language("en"), Language("de"), [Unit(("k",), "short", text)], ["id"])
    with pytest.raises(FormatError) as err:
        xlsx.write_units(units, io.BytesIO())
    assert str(err.value) == (
        "key k, language de: the translation has 30,000 characters (60,000 once CR and control "
        "characters are escaped); an Excel cell holds at most 32,767 (use PO or XLIFF for this text)"
    )


def test_a_workbook_saved_by_libreoffice_calc_merges_into_exactly_its_cells(
    tmp_path: Path,
) -> None:
    """tests/data/libreoffice-saved.de.xlsx: `wixloc split samples/content.csv --to xlsx
    --languages de`, every empty translation filled with "[de] " + its source, then opened and
    saved by LibreOffice Calc 7 (`soffice --headless --convert-to xlsx`)."""
    from tests.conftest import DATA, REPO
    from wixloc.formats import load_table
    from wixloc.roundtrip.files import merge_files

    out = tmp_path / "merged.csv"
    report = merge_files(
        REPO / "samples" / "content.csv", [DATA / "libreoffice-saved.de.xlsx"], out
    )
    de = Language("de")
    assert report.for_language(de).applied == 27 and not report.for_language(de).skipped
    before, after = load_table(REPO / "samples" / "content.csv"), load_table(out)
    en = Language("en")
    changed = [
        (a.key, b.texts[de])
        for a, b in zip(before.entries, after.entries, strict=True)
        if a.texts != b.texts
    ]
    assert len(changed) == 27
    assert all(b.texts == {**a.texts, de: b.texts[de]} for a, b in zip(before, after, strict=True))
    assert all(text == "[de] " + before.index()[key].texts[en] for key, text in changed)


# --- what calamine cannot tell, read another way ---------------------------------------------


def _with_parts(data: bytes, replace: dict[str, bytes | None]) -> bytes:
    """*data* with the named parts replaced, added, or (None) left out."""
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out := io.BytesIO(), "w") as dst:
        for info in src.infolist():
            body = replace.get(info.filename, src.read(info))
            if body is not None:
                dst.writestr(info, body)
        for name, body in replace.items():
            if body is not None and name not in src.namelist():
                dst.writestr(name, body)
    return out.getvalue()


_SST_REL = (
    b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/'
    b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)


def _with_shared_strings(data: bytes, sst: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        rels = zf.read("xl/_rels/workbook.xml.rels").replace(b"</Relationships>", _SST_REL)
    return _with_parts(data, {"xl/_rels/workbook.xml.rels": rels, "xl/sharedStrings.xml": sst})


def _sheet_with_rows(rows: str) -> bytes:
    data = _write(UnitFile(EN, DE, [Unit(("p-1",), "Hello")]))
    sheet = _sheet_xml(data).encode()
    start, end = sheet.index(b"<sheetData>"), sheet.index(b"</sheetData>")
    header = sheet[start + len(b"<sheetData>") : sheet.index(b"</row>", start) + len(b"</row>")]
    body = sheet[:start] + b"<sheetData>" + header + rows.encode() + sheet[end:]
    return _with_parts(data, {"xl/worksheets/sheet1.xml": body})


def _row2(*cells: str) -> str:
    return f'<row r="2">{"".join(cells)}</row>'


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def test_a_formula_with_a_cached_value_is_refused_not_read_as_its_value() -> None:
    data = _sheet_with_rows(
        _row2(_inline("A2", "p-1"), _inline("B2", "Hello"), '<c r="C2"><f>1+1</f><v>2</v></c>')
    )
    with pytest.raises(FormatError) as err:
        _read(data)
    assert str(err.value) == (
        "fr.xlsx, sheet 'Translations', cell C2: the cell holds a formula (=1+1), not text "
        "(retype it starting with an apostrophe (') to keep a leading = as text)"
    )


def test_an_error_value_is_refused_not_read_as_empty() -> None:
    data = _sheet_with_rows(
        _row2(_inline("A2", "p-1"), _inline("B2", "Hello"), '<c r="C2" t="e"><v>#N/A</v></c>')
    )
    with pytest.raises(FormatError) as err:
        _read(data)
    assert str(err.value) == (
        "fr.xlsx, sheet 'Translations', cell C2: the cell holds an error value (#N/A), not text"
    )


@pytest.mark.parametrize("attribute", ['t = "e"', 't\n=\n"e"', "t='e'"])
def test_an_error_value_is_refused_however_its_type_is_written(attribute: str) -> None:
    """XML allows spaces around "=" and either quote; calamine reads them all as an error."""
    data = _sheet_with_rows(
        _row2(
            _inline("A2", "p-1"), _inline("B2", "Hello"), f'<c r="C2" {attribute}><v>#N/A</v></c>'
        )
    )
    assert _error(data) == (
        "fr.xlsx, sheet 'Translations', cell C2: the cell holds an error value (#N/A), not text"
    )


def test_a_formula_in_a_column_wixloc_does_not_read_is_fine() -> None:
    data = _sheet_with_rows(
        _row2(_inline("A2", "p-1"), _inline("B2", "Hello"), '<c r="Z2"><f>1+1</f></c>')
    )
    assert [u.source for u in _read(data).units] == ["Hello"]


def test_escapes_calamine_leaves_alone_read_exactly() -> None:
    """calamine undoes _x0000_ to _x00FF_ only: U+FFFE and a literal _xFFFE_ must still differ."""
    texts = ["\ufffe", "_xFFFE_", "_x0101_ and \uffff", "_x005F_x0041_", "a\rb"]
    units = UnitFile(EN, DE, [Unit((f"k{i}",), t, t[::-1]) for i, t in enumerate(texts)])
    back = _read(_write(units))
    assert [(u.source, u.target) for u in back.units] == [(t, t[::-1]) for t in texts]


def test_rich_text_and_phonetic_runs_in_shared_strings() -> None:
    data = _sheet_with_rows(
        _row2(_inline("A2", "p-1"), '<c r="B2" t="s"><v>0</v></c>', '<c r="C2" t="s"><v>1</v></c>')
    )
    sst = (
        f'<sst xmlns="{MAIN}"><si><r><t>Ti</t></r><r><rPr><b/></rPr><t xml:space="preserve">tre </t>'
        '</r></si><si><t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh></si></sst>'
    ).encode()
    data = _with_shared_strings(data, sst)
    [unit] = _read(data).units
    assert (unit.source, unit.target) == ("Titre ", "東京")


# --- hostile and broken workbooks: one line each, quickly ------------------------------------


def _error(data: bytes) -> str:
    with pytest.raises(FormatError) as err:
        _read(data)
    message = str(err.value)
    assert "\n" not in message
    return message


def _zip_of(parts: dict[str, bytes], big: str, make: object) -> bytes:
    """A zip with small *parts*, and the part *big* written from the chunks *make* yields."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for name, body in parts.items():
            zf.writestr(name, body)
        with zf.open(big, "w", force_zip64=True) as dst:
            for chunk in make():  # type: ignore[operator]
                dst.write(chunk)
    return out.getvalue()


def _parts(data: bytes, without: str) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist() if i.filename != without}


def test_a_sheet_of_whitespace_is_refused_by_its_packing_ratio() -> None:
    good = _write(UnitFile(EN, DE, [Unit(("p-1",), "Hello")]))
    sheet = _sheet_xml(good).encode()
    head, rest = sheet[:200], sheet[200:]

    def make() -> object:
        yield head
        for _ in range(64):
            yield b" " * (1 << 20)
        yield rest

    data = _zip_of(_parts(good, "xl/worksheets/sheet1.xml"), "xl/worksheets/sheet1.xml", make)
    assert len(data) < 1_000_000
    message = _error(data)
    assert message.startswith(
        "fr.xlsx: xl/worksheets/sheet1.xml unpacks to 67,"
    ) and message.endswith("; refusing (real workbooks pack at most 200 times)")


def test_too_many_shared_strings_are_refused_while_streaming(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from wixloc.formats import _xlsx_package

    monkeypatch.setattr(_xlsx_package, "MAX_SHARED_STRINGS", 1_000)
    sst = f'<sst xmlns="{MAIN}">'.encode() + b"<si><t>x</t></si>" * 1_001 + b"</sst>"
    data = _with_shared_strings(_write(UnitFile(EN, DE, [Unit(("p-1",), "Hello")])), sst)
    assert _error(data) == (
        "fr.xlsx: the workbook holds more than 1,000 shared strings; refusing "
        "(no real workbook comes near)"
    )


def test_too_many_cells_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from wixloc.formats import _xlsx_package

    monkeypatch.setattr(_xlsx_package, "MAX_CELLS", 100)
    rows = "".join(_row2(_inline(f"A{n}", "x")).replace('r="2"', f'r="{n}"') for n in range(2, 120))
    assert _error(_sheet_with_rows(rows)) == (
        "fr.xlsx: the workbook holds more than 100 cells; refusing (no real workbook comes near)"
    )


def test_a_cell_far_away_is_refused_before_calamine_makes_its_grid() -> None:
    """calamine holds the used range densely: A1 and XFD1048576 would be 17 billion cells."""
    data = _sheet_with_rows(
        '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    )
    assert _error(data) == (
        "fr.xlsx: the workbook holds a sheet of 17,179,869,184 cells ('Translations', "
        "A1:XFD1048576); refusing (no real workbook comes near)"
    )


@pytest.mark.parametrize("reference", ['r = "XFD999999"', 'r=\n"XFD999999"', "r='XFD999999'"])
def test_a_far_cell_is_refused_however_its_reference_is_written(reference: str) -> None:
    """calamine reads r = "XFD999999" as XFD999999: a grid of 16 billion cells, had it not been
    refused (the row's own number is under 1,000,000, so only the cell's reference tells)."""
    data = _sheet_with_rows(
        f'<row r="999999"><c {reference} t="inlineStr"><is><t>x</t></is></c></row>'
    )
    assert _error(data) == (
        "fr.xlsx: the workbook holds a sheet of 16,383,983,616 cells ('Translations', "
        "A1:XFD999999); refusing (no real workbook comes near)"
    )


def test_attributes_run_together_are_refused_though_calamine_reads_them() -> None:
    data = _sheet_with_rows(
        '<row r="999999"><c s="2"r="XFD999999" t="inlineStr"><is><t>x</t></is></c></row>'
    )
    assert _error(data).startswith(
        "fr.xlsx: not a readable Excel workbook: sheet 'Translations': attributes construct error"
    )


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (
            {"xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row><c>"},
            "fr.xlsx: not a readable Excel workbook: ",
        ),
        (
            {"xl/worksheets/sheet1.xml": None},
            "fr.xlsx: not a readable Excel workbook: the part xl/worksheets/sheet1.xml is missing",
        ),
        (
            {"xl/workbook.xml": None},
            "fr.xlsx: not a readable Excel workbook: the part xl/workbook.xml is missing",
        ),
        (
            {"xl/workbook.xml": b"<workbook"},
            "fr.xlsx: not a readable Excel workbook: xl/workbook.xml: ",
        ),
        (
            {"xl/worksheets/sheet1.xml": b'<!DOCTYPE x [<!ENTITY a "b">]><worksheet/>'},
            "fr.xlsx: not a readable Excel workbook: xl/worksheets/sheet1.xml has a DOCTYPE",
        ),
    ],
)
def test_a_broken_part_is_one_line(parts: dict[str, bytes | None], message: str) -> None:
    data = _with_parts(_write(UnitFile(EN, DE, [Unit(("p-1",), "Hello")])), parts)
    assert _error(data).startswith(message)


def test_a_bomb_through_the_cli_exits_2_with_one_line(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from wixloc.cli import cli

    good = _write(UnitFile(EN, DE, [Unit(("p-1",), "Hello")]))

    def make() -> object:
        yield b"<worksheet>"
        for _ in range(64):
            yield b"\n" * (1 << 20)

    bomb = tmp_path / "bomb.de.xlsx"
    bomb.write_bytes(
        _zip_of(_parts(good, "xl/worksheets/sheet1.xml"), "xl/worksheets/sheet1.xml", make)
    )
    table = tmp_path / "t.csv"
    table.write_text("Item ID,en,de\np-1,Hello,\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["merge", str(table), str(bomb), "-o", str(tmp_path / "o.csv")]
    )
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "refusing" in result.stderr


def test_a_sheet_that_starts_in_column_c_row_3_keeps_its_cell_references() -> None:
    """calamine's rows start at the first used cell; wixloc numbers them from A1 again."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Translations"
    ws["C3"], ws["D3"], ws["E3"] = "Item ID", "Source (en)", "Translation (de)"
    ws["C4"], ws["D4"], ws["E4"] = "p-1", "Hello", "Hallo"
    ws["C6"], ws["D6"], ws["E6"] = "p-2", "Bye", "=SUM(A1)"
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(FormatError) as err:
        _read(out.getvalue())
    assert str(err.value).startswith(
        "fr.xlsx, sheet 'Translations', cell E6: the cell holds a formula"
    )
    ws["E6"] = "Tschüss"
    wb.save(out := io.BytesIO())
    back = _read(out.getvalue())
    assert [(u.key, u.target, u.line) for u in back.units] == [
        (("p-1",), "Hallo", 4),
        (("p-2",), "Tschüss", 6),
    ]


def test_a_part_larger_than_the_zip_says_is_refused() -> None:
    """zipfile stops at the size the zip's directory gives, and the CRC then fails."""
    data = bytearray(_write(UnitFile(EN, DE, [Unit(("p-1",), "Hello")])))
    name = b"xl/worksheets/sheet1.xml"
    entry = data.index(b"PK\x01\x02")  # the central directory's first entry
    while data[entry + 46 : entry + 46 + len(name)] != name:
        entry = data.index(b"PK\x01\x02", entry + 4)
    data[entry + 24 : entry + 28] = (100).to_bytes(4, "little")  # uncompressed size
    assert _error(bytes(data)) == (
        "fr.xlsx: not a readable Excel workbook: xl/worksheets/sheet1.xml: "
        "Bad CRC-32 for file 'xl/worksheets/sheet1.xml'"
    )


# --- a sheet read in segments ----------------------------------------------------------------


def _segments(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Cut sheets into runs of about 400 bytes (unpacked 256 at a time); the list has the part
    of each workbook calamine is given."""
    from wixloc.formats import _xlsx_package

    made: list[str] = []
    workbook = _xlsx_package.Package._workbook

    def counted(self: _xlsx_package.Package, part: str, xml: bytes) -> bytes:
        made.append(part)
        return workbook(self, part, xml)

    monkeypatch.setattr(_xlsx_package, "CHUNK", 256)
    monkeypatch.setattr(_xlsx_package, "SEGMENT", 400)
    monkeypatch.setattr(_xlsx_package.Package, "_workbook", counted)
    return made


def test_a_sheet_read_in_segments_reads_as_when_read_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    texts = ["Hello", "_x0041_", "_x005F_x0041_", "a\r\nb", "x" * 500, "1e3", "=SUM(A1)", " "]
    units = UnitFile(
        EN,
        DE,
        [
            Unit((f"c-{i % 3}", f"k{i}"), texts[i % 8], texts[(i + 3) % 8], notes=[f"n{i}"])
            for i in range(60)
        ],
        ["Collection ID", "Item ID"],
    )
    data = _write(units)
    whole = _read(data)
    made = _segments(monkeypatch)
    assert _read(data).units == whole.units
    assert made.count("xl/worksheets/sheet1.xml") > 10


def test_an_excel_sheet_in_segments_keeps_shared_strings_numbers_and_columns(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """openpyxl's shared strings and numbers, and rows that start in column C."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Translations"
    ws["C3"], ws["D3"], ws["E3"] = "Item ID", "Source (en)", "Translation (de)"
    for row in range(4, 80):
        ws[f"C{row}"], ws[f"D{row}"] = f"p-{row}", f"Text {row % 7}"
        ws[f"E{row}"] = row * 1.5 if row % 2 else f"Übersetzung {row % 5}"
    out = io.BytesIO()
    wb.save(out)
    whole = _read(out.getvalue())
    made = _segments(monkeypatch)
    back = _read(out.getvalue())
    assert back.units == whole.units
    assert back.units[1].target == "7.5" and back.units[0].line == 4
    assert made.count("xl/worksheets/sheet1.xml") > 10


def test_a_table_workbook_in_segments_reads_as_when_read_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    table = _table([f"text {i} _x0041_" for i in range(40)])
    out = io.BytesIO()
    xlsx.write_table(table, out)
    whole = xlsx.read_table(io.BytesIO(out.getvalue()), ReadOptions(name="t.xlsx"))
    made = _segments(monkeypatch)
    back = xlsx.read_table(io.BytesIO(out.getvalue()), ReadOptions(name="t.xlsx"))
    assert [(e.key, e.texts, e.meta, e.line) for e in back.entries] == [
        (e.key, e.texts, e.meta, e.line) for e in whole.entries
    ]
    assert made.count("xl/worksheets/sheet1.xml") > 5


def test_a_row_before_one_of_an_earlier_segment_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """calamine puts rows in order within a segment; across two, wixloc cannot."""
    rows = "".join(
        f'<row r="{r}">{_inline(f"A{r}", f"p-{r}")}{_inline(f"B{r}", "x" * 40)}</row>'
        for r in [*range(2, 12), 3]
    )
    data = _sheet_with_rows(rows)
    _segments(monkeypatch)
    assert _error(data) == (
        "fr.xlsx: not a readable Excel workbook: sheet 'Translations': row 3 comes after "
        "row 11 (the rows must be in order)"
    )


def test_a_comment_in_the_rows_is_not_cut_into(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = "".join(
        f'<row r="{r}">{_inline(f"A{r}", f"p-{r}")}{_inline(f"B{r}", "x" * 40)}</row>'
        + (f'<!-- <row r="{r + 1}"> -->' if r == 5 else "")
        for r in range(2, 12)
    )
    made = _segments(monkeypatch)
    back = _read(_sheet_with_rows(rows))
    assert [u.key for u in back.units] == [(f"p-{r}",) for r in range(2, 12)]
    assert "xl/worksheets/sheet1.xml" not in made  # the lxml way, read whole


def test_a_prefixed_formula_in_a_sheet_without_prefixes_is_refused() -> None:
    data = _sheet_with_rows(
        _row2(
            _inline("A2", "p-1"),
            _inline("B2", "Hello"),
            f'<c r="C2"><x:f xmlns:x="{MAIN}">1+1</x:f><v>2</v></c>',
        )
    )
    assert _error(data) == (
        "fr.xlsx, sheet 'Translations', cell C2: the cell holds a formula (=1+1), not text "
        "(retype it starting with an apostrophe (') to keep a leading = as text)"
    )


def test_a_workbook_on_disk_is_read_from_the_file_after_the_caller_closed_it(
    tmp_path: Path,
) -> None:
    """The zip is read through a descriptor of the reader's own (not held in memory), by
    position: the caller's file may be closed, and its offset is not moved."""
    from wixloc.formats import _xlsx_package

    units = UnitFile(EN, DE, [Unit((f"k{i}",), f"Text {i}", f"Text {i} de") for i in range(30)])
    path = tmp_path / "fr.xlsx"
    path.write_bytes(_write(units))
    with path.open("rb") as fh:
        [(_header, rows)] = xlsx.read_unit_files(fh, ReadOptions(name="fr.xlsx"))
        assert fh.tell() == 0
    assert list(rows) == _read(path.read_bytes()).units
    with path.open("rb") as fh:
        disk = _xlsx_package.DiskFile.of(fh)
        assert disk is not None
        assert disk.read(2) == b"PK" and disk.seek(-2, 2) == path.stat().st_size - 2
    assert _xlsx_package.DiskFile.of(io.BytesIO(b"PK")) is None
    disk.close()
    assert disk.closed


@pytest.mark.parametrize("change", ["touched", "rewritten"])
def test_a_workbook_saved_over_while_it_is_read_is_refused(
    tmp_path: Path, change: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The workbook is read in passes through its own descriptor: a file written over in
    place between two passes (``cp`` over it) would mix two workbooks' bytes."""
    from wixloc.formats import _xlsx_package

    monkeypatch.setattr(_xlsx_package, "CHUNK", 256)
    monkeypatch.setattr(_xlsx_package, "SEGMENT", 400)  # the sheet read in runs
    # texts that do not compress: the sheet is still being read from the file after the first row
    texts = [hashlib.sha256(b"%d" % i).hexdigest() for i in range(2001)]
    units = UnitFile(EN, DE, [Unit((f"k{i}",), texts[i], f"{i} de") for i in range(2000)])
    path = tmp_path / "fr.xlsx"
    path.write_bytes(_write(units))
    with path.open("rb") as fh:
        [(_header, rows)] = xlsx.read_unit_files(fh, ReadOptions(name="fr.xlsx"))
    if change == "touched":
        info = path.stat()
        os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 2_000_000_000))
    else:
        edited = UnitFile(EN, DE, [*units.units, Unit(("k2000",), texts[2000], "2000 de")])
        with path.open("r+b") as fh:  # in place: the same file, other bytes
            fh.write(_write(edited))
            fh.truncate()
    with pytest.raises(FormatError) as caught:
        list(rows)  # the rows are read as they are taken
    assert str(caught.value) == (
        "fr.xlsx: the workbook changed while it was read (it was saved again): "
        "run the command again"
    )
