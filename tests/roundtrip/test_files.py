"""split and merge through files (wixloc.roundtrip.files): streamed, atomic, byte-identical."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import polib
import pytest

from tests.conftest import REPO
from tests.support.tables import TRICKY_TEXTS, write_table
from wixloc.errors import InputError, MergeError, UsageError
from wixloc.formats import Format, all_formats, load_table, load_units, save_units
from wixloc.formats import get as get_format
from wixloc.model import Language, Unit, UnitFile
from wixloc.roundtrip.files import merge_files, split_files

DE = Language("de")


@pytest.fixture
def table_path(tmp_path: Path) -> Path:
    return write_table(tmp_path)


def _sent() -> list[int]:
    return [i for i, text in enumerate(TRICKY_TEXTS) if text]


# --- through files ---------------------------------------------------------------------------


# every translator format in the registry: XLIFF joins the moment it registers
BILINGUAL = [f for f in all_formats() if f.is_bilingual]


@pytest.mark.parametrize("only", ["missing", "all"])
@pytest.mark.parametrize("fmt", BILINGUAL, ids=lambda f: f.name)
def test_untouched_files_merge_byte_identical(table_path: Path, fmt: Format, only: str) -> None:
    out = table_path.parent / "out"
    written = split_files(table_path, fmt.name, out_dir=out, only=only)  # type: ignore[arg-type]
    ext = fmt.extensions[0]
    assert [p.name for p, _ in written] == [f"content.de{ext}", f"content.he{ext}"]
    merged = table_path.parent / "merged.csv"
    report = merge_files(table_path, [p for p, _ in written], merged)
    assert merged.read_bytes() == table_path.read_bytes()
    assert report.applied == 0


def test_untouched_workbook_merges_byte_identical(table_path: Path) -> None:
    written = split_files(table_path, "xlsx", one_workbook=True, only="all")
    assert [p.name for p, _ in written] == ["content.xlsx"]
    merged = table_path.parent / "merged.csv"
    merge_files(table_path, [written[0][0]], merged)
    assert merged.read_bytes() == table_path.read_bytes()


@pytest.mark.parametrize("fmt", ["po", "xliff", "xliff2"])
def test_split_writes_no_file_when_the_table_fails_half_way(tmp_path: Path, fmt: str) -> None:
    # PO and XLIFF files are written side by side while the table streams by: a bad row near
    # the end must leave no file (and no temporary file) behind, not the first languages'.
    table = write_table(tmp_path)
    rows = table.read_bytes()
    table.write_bytes(rows + b"products,p-1,title,again,,,\r\n")
    out = tmp_path / "out"
    with pytest.raises(InputError) as err:
        split_files(table, fmt, out_dir=out, only="all")
    assert str(err.value) == (
        f"{table}:39: duplicate key (products, p-1, title): first on line 3, again on line 39 "
        "(each key must appear once; remove or rename one of the rows)"
    )
    assert not out.exists()  # the folder made for the files is not left behind either
    out.mkdir()
    with pytest.raises(InputError):
        split_files(table, fmt, out_dir=out, only="all")
    assert list(out.iterdir()) == []


def test_split_counts_each_file(table_path: Path) -> None:
    written = split_files(table_path, "po", out_dir=table_path.parent / "out")
    assert [(p.name, counts) for p, counts in written] == [
        ("content.de.po", [(DE, len([i for i in _sent() if i % 3]))]),
        ("content.he.po", [(Language("he"), len(_sent()))]),
    ]


def test_one_workbook_needs_xlsx(table_path: Path) -> None:
    with pytest.raises(UsageError, match="--one-workbook works only with --to xlsx"):
        split_files(table_path, "po", one_workbook=True)


def _expected_cells(table_path: Path, filled: dict[int, str], lang: str) -> list[list[str]]:
    table = load_table(table_path)
    rows = [[e.text(x) for x in table.languages] for e in table.entries]
    col = [str(x) for x in table.languages].index(lang)
    for i, text in filled.items():
        rows[i][col] = text
    return rows


def _cells(path: Path) -> list[list[str]]:
    table = load_table(path)
    return [[e.text(x) for x in table.languages] for e in table.entries]


FILLED = {
    1: "zwei\nZeilen",
    2: "Windows\r\nZeile\r\n",
    3: "alt\rMac",
    10: "שלום!",
    12: "=SUMME(A1)",
    27: "a\u2028b",
}


def test_polib_translations_merge_into_exactly_those_cells(table_path: Path) -> None:
    [(path, _)] = split_files(table_path, "po", languages=["he"])
    po = polib.pofile(str(path))
    by_item = {entry.msgctxt.split("|")[1]: entry for entry in po}
    for i, text in FILLED.items():
        by_item[f"p-{i}"].msgstr = text
    po.save(str(path))
    merged = table_path.parent / "merged.csv"
    report = merge_files(table_path, [path], merged)
    assert report.languages[Language("he")].applied == len(FILLED)
    assert _cells(merged) == _expected_cells(table_path, FILLED, "he")


def test_openpyxl_translations_merge_into_exactly_those_cells(table_path: Path) -> None:
    [(path, _)] = split_files(table_path, "xlsx", languages=["he"])
    wb = openpyxl.load_workbook(path)
    ws = wb["Translations"]
    rows = {ws.cell(r, 2).value: r for r in range(2, ws.max_row + 1)}
    for i, text in FILLED.items():
        cell = ws.cell(rows[f"p-{i}"], 5)
        cell.value = text.replace("\r", "_x000D_")  # as Excel stores CR
        cell.data_type = "s"  # text, as Excel keeps a cell typed with a leading apostrophe
    wb.save(path)
    merged = table_path.parent / "merged.csv"
    report = merge_files(table_path, [path], merged)
    assert report.languages[Language("he")].applied == len(FILLED)
    assert _cells(merged) == _expected_cells(table_path, FILLED, "he")


def test_a_file_for_a_language_the_table_lacks_is_refused(table_path: Path) -> None:
    units = UnitFile(Language("en"), Language("fr"), [Unit(("products", "p-0", "title"), "x")])
    path = table_path.parent / "content.fr.po"
    save_units(units, path, get_format("po"))
    with pytest.raises(MergeError) as err:
        merge_files(table_path, [path], table_path.parent / "m.csv")
    assert str(err.value) == (  # the hint names the alias that would map it
        f"{path}: the table has no language 'fr' (it has en, de, he) "
        '(map it in wixloc.toml: [languages] aliases = {"fr" = "<table language>"})'
    )
    assert not (table_path.parent / "m.csv").exists()
    assert load_units(path).target_language == "fr"


SAMPLE = REPO / "samples" / "content.csv"


@pytest.mark.skipif(not SAMPLE.exists(), reason="samples/content.csv is not in this checkout")
@pytest.mark.parametrize("fmt", BILINGUAL, ids=lambda f: f.name)
def test_the_sample_site_round_trips_byte_identical(tmp_path: Path, fmt: Format) -> None:
    table = tmp_path / "content.csv"
    table.write_bytes(SAMPLE.read_bytes())
    written = split_files(table, fmt.name, out_dir=tmp_path / "out", only="all")
    assert len(written) == 4  # de, fr, he, ja
    for path, _ in written:
        if fmt.name == "po" and shutil.which("msgfmt"):
            check = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], check=False)
            assert check.returncode == 0
        if fmt.name == "xlsx":
            with zipfile.ZipFile(path) as book:
                sheets = [n for n in book.namelist() if n.startswith("xl/worksheets/")]
                assert not any(b"<f>" in book.read(n) or b"<f " in book.read(n) for n in sheets)
    merged = tmp_path / "merged.csv"
    merge_files(table, [p for p, _ in written], merged)
    assert merged.read_bytes() == SAMPLE.read_bytes()
