"""formats.open_document: the one place that decides what a file is, over every kind of file."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.tables import write_table
from wixloc import formats
from wixloc.errors import FormatError, InputError
from wixloc.formats import Document, open_document
from wixloc.model import CHANGED_NOTE, Language, Table, Unit, UnitFile, UnitState

EN, DE, HE = Language("en"), Language("de"), Language("he")
KNOWN = (
    ".csv, .jsonl, .mqxliff, .mxliff, .ndjson, .po, .pot, .sdlxliff, .tsv, .txt, .xlf, .xliff, "
    ".xlsx"
)


def _units(lang: Language = DE) -> UnitFile:
    unit = Unit(("products", "p-1", "title"), "Hello", f"Hello-{lang}", UnitState.TRANSLATED)
    return UnitFile(EN, lang, [unit], key_columns=["Collection ID", "Item ID", "Field"])


@pytest.fixture
def table_path(tmp_path: Path) -> Path:
    return write_table(tmp_path)


@pytest.mark.parametrize(("name", "fmt"), [("t.csv", "csv"), ("t.tsv", "csv"), ("t.jsonl", "jsonl"), ("t.xlsx", "xlsx")])  # fmt: skip
def test_a_table_of_each_table_format(table_path: Path, name: str, fmt: str) -> None:
    path = table_path.parent / name
    formats.save_table(formats.load_table(table_path), path)
    document = open_document(path)
    assert (document.format.name, document.holds_units, document.is_table) == (fmt, False, True)
    table = document.table()
    assert isinstance(table, Table) and table.source == str(path)
    assert [lang.tag for lang in table.languages] == ["en", "de", "he"]
    with pytest.raises(FormatError) as err:
        document.units()
    assert str(err.value) == f"{path}: {fmt} is a table format, not a translator file"


@pytest.mark.parametrize(("fmt", "name"), [("po", "t.de.po"), ("xliff", "t.de.xlf"), ("xliff2", "t.de.xlf"), ("xlsx", "t.de.xlsx")])  # fmt: skip
def test_the_units_of_each_translator_format(tmp_path: Path, fmt: str, name: str) -> None:
    path = tmp_path / name
    formats.save_units(_units(), path, formats.get(fmt))
    document = open_document(path)
    assert (document.format.name, document.holds_units) == (fmt, True)
    units = document.units()
    assert (units.target_language, units.source, [u.target for u in units.units]) == (
        DE,
        str(path),
        ["Hello-de"],
    )
    assert [u.source for u in document.unit_files()] == [str(path)]
    with pytest.raises(FormatError) as err:
        document.table()
    assert str(err.value) == (
        f"{path}: {fmt} files hold one target language, not a table "
        "(merge them into a table with 'wixloc merge')"
    )


def test_a_workbook_of_several_languages(tmp_path: Path) -> None:
    path = tmp_path / "all.xlsx"
    formats.save_unit_files([_units(DE), _units(HE)], path, formats.get("xlsx"))
    document = open_document(path)
    assert (document.format.name, document.holds_units) == ("xlsx", True)
    assert [(u.target_language, u.source, u.units[0].target) for u in document.unit_files()] == [
        (DE, f"{path} (de)", "Hello-de"),
        (HE, f"{path} (he)", "Hello-he"),
    ]
    with pytest.raises(FormatError) as err:
        document.units()
    assert str(err.value) == (
        f"{path}: the workbook holds several languages (de, he) ('wixloc merge' reads them all)"
    )


def test_a_translator_file_is_known_by_its_content_when_units_are_expected(
    tmp_path: Path,
) -> None:
    path = tmp_path / "from-the-agency.dat"
    formats.save_units(_units(), path, formats.get("xliff2"))
    assert open_document(path, expect="units").format.name == "xliff2"
    with pytest.raises(FormatError) as err:
        open_document(path)
    assert str(err.value) == (
        f"{path}: cannot tell the format from the extension '.dat' (use one of {KNOWN})"
    )


def test_a_table_is_not_a_translator_file(table_path: Path) -> None:
    with pytest.raises(FormatError) as err:
        open_document(table_path, expect="units")
    assert str(err.value) == f"{table_path}: not a translator file (po, xliff, xliff2, xlsx)"


def test_an_unknown_extension(tmp_path: Path) -> None:
    path = tmp_path / "table.dat"
    path.write_text("key,en\na,b\n")
    with pytest.raises(FormatError) as err:
        open_document(path)
    assert str(err.value) == (
        f"{path}: cannot tell the format from the extension '.dat' (use one of {KNOWN})"
    )


def test_a_folder(tmp_path: Path) -> None:
    plain = tmp_path / "translations"
    plain.mkdir()
    with pytest.raises(InputError) as err:  # issue 18: said what it is, not "extension ''"
        open_document(plain)
    assert str(err.value) == f"{plain}: is a folder, not a file"
    for name in ("folder.csv", "folder.po", "folder.xlf"):  # known when the file is read
        folder = tmp_path / name
        folder.mkdir()
        document = open_document(folder)
        with pytest.raises(InputError) as read_err:
            document.units() if document.holds_units else document.table()
        assert str(read_err.value) == f"{folder}: is a folder, not a file"
    workbook = tmp_path / "folder.xlsx"  # a workbook is opened to see what it holds
    workbook.mkdir()
    with pytest.raises(InputError) as open_err:
        open_document(workbook)
    assert str(open_err.value) == f"{workbook}: is a folder, not a file"


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        open_document(tmp_path / "gone.po", expect="units")
    assert str(err.value) == f"{tmp_path / 'gone.po'}: no such file"


def test_readers_mark_a_changed_unit_from_the_file(tmp_path: Path) -> None:
    changed = Unit(("k",), "New", "Alt", UnitState.NEEDS_REVIEW, notes=["k", CHANGED_NOTE])
    changed.changed = True
    unknown_old = Unit(("j",), "Text", "Text-de", UnitState.NEEDS_REVIEW, notes=[CHANGED_NOTE])
    unknown_old.changed = True
    plain = Unit(("m",), "Same", "Gleich", UnitState.TRANSLATED, notes=["m"])
    changed.previous_source = "Old"
    for fmt in ("po", "xliff", "xliff2", "xlsx"):
        path = tmp_path / f"c.de{formats.get(fmt).extensions[0]}"
        formats.save_units(UnitFile(EN, DE, [changed, unknown_old, plain]), path, formats.get(fmt))
        document = open_document(path)
        read = [u.changed for u in document.units().units]
        streamed = [u.changed for _, units in document.stream_units() for u in units]
        assert read == streamed == [True, True, False], fmt


def test_a_document_names_its_path_and_format(table_path: Path) -> None:
    document = open_document(table_path)
    assert document == Document(table_path, formats.get("csv"), False, document.options)
    assert document.options.name == str(table_path)


def test_a_workbook_read_to_find_out_what_it_holds_is_read_again_when_asked_again(
    table_path: Path, tmp_path: Path
) -> None:
    book = tmp_path / "t.xlsx"
    formats.save_table(formats.load_table(table_path), book)
    document = open_document(book)
    first, second = document.table(), document.table()
    assert first is not second
    assert [e.texts for e in first.entries] == [e.texts for e in second.entries]
    assert len(first.entries) > 0
    sheets = tmp_path / "all.xlsx"
    formats.save_unit_files([_units(DE), _units(HE)], sheets, formats.get("xlsx"))
    document = open_document(sheets)
    read = [[(u.target_language, len(u.units)) for u in document.unit_files()] for _ in range(2)]
    assert read == [[(DE, 1), (HE, 1)]] * 2
