"""split and merge over the model, and through files: the round-trip rules of issue 3."""

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
from wixloc import convert
from wixloc.errors import InputError, MergeError, UsageError
from wixloc.formats import Format, all_formats, load_table, load_units, save_units
from wixloc.formats import get as get_format
from wixloc.model import Language, Unit, UnitFile, UnitState, fingerprint

DE = Language("de")


@pytest.fixture
def table_path(tmp_path: Path) -> Path:
    return write_table(tmp_path)


def _sent() -> list[int]:
    return [i for i, text in enumerate(TRICKY_TEXTS) if text]


# --- split -----------------------------------------------------------------------------------


def test_split_missing_sends_untranslated_entries_with_a_source(table_path: Path) -> None:
    units = convert.split(load_table(table_path), "de")
    expected = [f"p-{i}" for i in _sent() if i % 3 != 0]
    assert [u.key[1] for u in units.units] == expected
    assert all(u.state is UnitState.NEW and u.target == "" for u in units.units)


def test_split_all_sends_every_entry_with_a_source(table_path: Path) -> None:
    units = convert.split(load_table(table_path), "de", only="all")
    assert [u.key[1] for u in units.units] == [f"p-{i}" for i in _sent()]
    first = units.units[0]
    assert first.state is UnitState.TRANSLATED and first.target == f"DE {TRICKY_TEXTS[0]}"
    assert first.notes == ["Collection ID: products · Item ID: p-0 · Field: title"]
    assert first.fingerprint == fingerprint(TRICKY_TEXTS[0])
    assert first.max_length == 80
    assert units.source_language == "en" and units.target_language == "de"
    assert units.key_columns == ["Collection ID", "Item ID", "Field"]


def test_split_refuses_the_main_language(table_path: Path) -> None:
    with pytest.raises(UsageError, match="'en' is the main language"):
        convert.split(load_table(table_path), "en")


def test_split_changed_marks_a_changed_source_for_review(table_path: Path) -> None:
    table = load_table(table_path)
    units = convert.split(
        table, "de", only="changed", previous={("products", "p-0", "title"): "Old"}
    )
    changed = [u for u in units.units if u.target]
    assert len(changed) == 1
    assert changed[0].previous_source == "Old"
    assert changed[0].state is UnitState.NEEDS_REVIEW
    assert changed[0].notes[-1] == convert.CHANGED_NOTE
    assert len(units.units) == 1 + len([i for i in _sent() if i % 3 != 0])


def test_split_reuse_prefills_an_identical_source(table_path: Path) -> None:
    table = load_table(table_path)
    table.entries[1].texts[table.main_language] = TRICKY_TEXTS[0]  # same source as p-0
    unit = convert.split(table, "de", reuse=True).units[0]
    assert (unit.key[1], unit.target, unit.state) == (
        "p-1",
        f"DE {TRICKY_TEXTS[0]}",
        UnitState.NEEDS_REVIEW,
    )
    assert unit.notes[-1].startswith("Pre-filled from an identical text already translated")


# --- merge over the model --------------------------------------------------------------------


def _file(*units: Unit, target: str = "de") -> UnitFile:
    return UnitFile(Language("en"), Language(target), list(units), source="de.po")


def _unit(i: int, target: str, **kw: object) -> Unit:
    source = TRICKY_TEXTS[i]
    fields: dict[str, object] = {"state": UnitState.TRANSLATED, "fingerprint": fingerprint(source)}
    fields.update(kw)
    return Unit(("products", f"p-{i}", "title"), fields.pop("source", source), target, **fields)  # type: ignore[arg-type]


def test_merge_applies_and_counts(table_path: Path) -> None:
    table = load_table(table_path)
    report = convert.merge(
        table, [_file(_unit(0, f"DE {TRICKY_TEXTS[0]}"), _unit(1, "zwei\nZeilen"))]
    )
    assert table.entries[1].texts[DE] == "zwei\nZeilen"
    lang = report.languages[DE]
    assert (lang.applied, lang.unchanged, lang.skipped) == (1, 1, [])


def test_merge_never_blanks_a_translation(table_path: Path) -> None:
    table = load_table(table_path)
    report = convert.merge(table, [_file(_unit(0, ""))])
    assert table.entries[0].texts[DE] == f"DE {TRICKY_TEXTS[0]}"
    assert report.languages[DE].skipped == [(("products", "p-0", "title"), convert.WOULD_BLANK)]


def test_merge_skips_stale_unless_accepted(table_path: Path) -> None:
    table = load_table(table_path)
    stale = _unit(1, "alt", source="Old", fingerprint=fingerprint("Old"))
    report = convert.merge(table, [_file(stale)])
    assert table.entries[1].texts[DE] == ""
    assert report.languages[DE].skipped == [(stale.key, convert.STALE)]
    convert.merge(table, [_file(stale)], accept_stale=True)
    assert table.entries[1].texts[DE] == "alt"


def test_merge_ignores_an_edited_source_and_applies_the_translation(table_path: Path) -> None:
    table = load_table(table_path)
    edited = _unit(1, "zwei", source="two lines (typo fixed)")
    report = convert.merge(table, [_file(edited)])
    assert table.entries[1].texts[table.main_language] == TRICKY_TEXTS[1]
    assert table.entries[1].texts[DE] == "zwei"
    assert report.languages[DE].notices == [(edited.key, convert.SOURCE_EDITED)]


def test_merge_without_fingerprint_takes_a_differing_source_as_stale(table_path: Path) -> None:
    table = load_table(table_path)
    unit = _unit(1, "zwei", source="other", fingerprint=None)
    report = convert.merge(table, [_file(unit)])
    assert report.languages[DE].skipped == [(unit.key, convert.NO_FINGERPRINT)]


def test_merge_skips_fuzzy_and_unfinished_units(table_path: Path) -> None:
    table = load_table(table_path)
    fuzzy = _unit(1, "zwei", state=UnitState.NEEDS_REVIEW)
    new = _unit(2, "drei", state=UnitState.NEW)
    report = convert.merge(table, [_file(fuzzy, new)])
    assert report.languages[DE].skipped == [
        (fuzzy.key, convert.NEEDS_REVIEW),
        (new.key, convert.NOT_DONE),
    ]
    convert.merge(table, [_file(fuzzy, new)], include_fuzzy=True)
    assert [table.entries[1].texts[DE], table.entries[2].texts[DE]] == ["zwei", ""]


def test_merge_refuses_unknown_keys_listing_them(table_path: Path) -> None:
    table = load_table(table_path)
    units = [Unit(("products", f"gone-{n}", "title"), "x", "y") for n in range(7)]
    with pytest.raises(MergeError) as err:
        convert.merge(table, [_file(_unit(1, "zwei"), *units)])
    assert str(err.value) == (
        "de.po: 7 keys are not in the table: products|gone-0|title, products|gone-1|title, "
        "products|gone-2|title, products|gone-3|title, products|gone-4|title and 2 more"
    )
    assert table.entries[1].texts[DE] == ""  # nothing applied


def test_merge_refuses_a_language_the_table_lacks(table_path: Path) -> None:
    with pytest.raises(MergeError) as err:
        convert.merge(load_table(table_path), [_file(_unit(1, "x"), target="fr")])
    assert str(err.value) == "de.po: the table has no language 'fr' (it has en, de, he)"


def test_merge_refuses_another_source_language(table_path: Path) -> None:
    units = UnitFile(Language("fr"), DE, [], source="de.po")
    with pytest.raises(MergeError) as err:
        convert.merge(load_table(table_path), [units])
    assert str(err.value) == "de.po: translates from 'fr', but the table's main language is 'en'"


# --- through files ---------------------------------------------------------------------------


# every translator format in the registry: XLIFF joins the moment it registers
BILINGUAL = [f for f in all_formats() if f.is_bilingual]


@pytest.mark.parametrize("only", ["missing", "all"])
@pytest.mark.parametrize("fmt", BILINGUAL, ids=lambda f: f.name)
def test_untouched_files_merge_byte_identical(table_path: Path, fmt: Format, only: str) -> None:
    out = table_path.parent / "out"
    written = convert.split_files(table_path, fmt.name, out_dir=out, only=only)  # type: ignore[arg-type]
    ext = fmt.extensions[0]
    assert [p.name for p, _ in written] == [f"content.de{ext}", f"content.he{ext}"]
    merged = table_path.parent / "merged.csv"
    report = convert.merge_files(table_path, [p for p, _ in written], merged)
    assert merged.read_bytes() == table_path.read_bytes()
    assert report.applied == 0


def test_untouched_workbook_merges_byte_identical(table_path: Path) -> None:
    written = convert.split_files(table_path, "xlsx", one_workbook=True, only="all")
    assert [p.name for p, _ in written] == ["content.xlsx"]
    merged = table_path.parent / "merged.csv"
    convert.merge_files(table_path, [written[0][0]], merged)
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
        convert.split_files(table, fmt, out_dir=out, only="all")
    assert str(err.value) == (
        f"{table}:39: duplicate key (products, p-1, title): first on line 3, again on line 39 "
        "(each key must appear once; remove or rename one of the rows)"
    )
    assert not out.exists()  # the folder made for the files is not left behind either
    out.mkdir()
    with pytest.raises(InputError):
        convert.split_files(table, fmt, out_dir=out, only="all")
    assert list(out.iterdir()) == []


def test_split_counts_each_file(table_path: Path) -> None:
    written = convert.split_files(table_path, "po", out_dir=table_path.parent / "out")
    assert [(p.name, counts) for p, counts in written] == [
        ("content.de.po", [(DE, len([i for i in _sent() if i % 3]))]),
        ("content.he.po", [(Language("he"), len(_sent()))]),
    ]


def test_merge_reads_each_file_as_it_goes(table_path: Path) -> None:
    # merge_streams takes a file's units from an iterator that is used only once
    table = load_table(table_path)
    header = UnitFile(Language("en"), DE, [], source="de.po")
    report = convert.merge_streams(table, [(header, iter([_unit(1, "zwei")]))])
    assert report.applied == 1
    assert table.entries[1].texts[DE] == "zwei"


def test_merge_refuses_a_key_twice_before_applying_anything(table_path: Path) -> None:
    table = load_table(table_path)
    with pytest.raises(MergeError) as err:
        convert.merge(table, [_file(_unit(1, "zwei"), _unit(1, "deux"))])
    assert str(err.value) == "de.po: the key products|p-1|title appears twice"
    assert table.entries[1].texts[DE] == ""


def test_one_workbook_needs_xlsx(table_path: Path) -> None:
    with pytest.raises(UsageError, match="--one-workbook works only with --to xlsx"):
        convert.split_files(table_path, "po", one_workbook=True)


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
    [(path, _)] = convert.split_files(table_path, "po", languages=["he"])
    po = polib.pofile(str(path))
    by_item = {entry.msgctxt.split("|")[1]: entry for entry in po}
    for i, text in FILLED.items():
        by_item[f"p-{i}"].msgstr = text
    po.save(str(path))
    merged = table_path.parent / "merged.csv"
    report = convert.merge_files(table_path, [path], merged)
    assert report.languages[Language("he")].applied == len(FILLED)
    assert _cells(merged) == _expected_cells(table_path, FILLED, "he")


def test_openpyxl_translations_merge_into_exactly_those_cells(table_path: Path) -> None:
    [(path, _)] = convert.split_files(table_path, "xlsx", languages=["he"])
    wb = openpyxl.load_workbook(path)
    ws = wb["Translations"]
    rows = {ws.cell(r, 2).value: r for r in range(2, ws.max_row + 1)}
    for i, text in FILLED.items():
        cell = ws.cell(rows[f"p-{i}"], 5)
        cell.value = text.replace("\r", "_x000D_")  # as Excel stores CR
        cell.data_type = "s"  # text, as Excel keeps a cell typed with a leading apostrophe
    wb.save(path)
    merged = table_path.parent / "merged.csv"
    report = convert.merge_files(table_path, [path], merged)
    assert report.languages[Language("he")].applied == len(FILLED)
    assert _cells(merged) == _expected_cells(table_path, FILLED, "he")


def test_a_file_for_a_language_the_table_lacks_is_refused(table_path: Path) -> None:
    units = UnitFile(Language("en"), Language("fr"), [Unit(("products", "p-0", "title"), "x")])
    path = table_path.parent / "content.fr.po"
    save_units(units, path, get_format("po"))
    with pytest.raises(MergeError) as err:
        convert.merge_files(table_path, [path], table_path.parent / "m.csv")
    assert str(err.value) == f"{path}: the table has no language 'fr' (it has en, de, he)"
    assert not (table_path.parent / "m.csv").exists()
    assert load_units(path).target_language == "fr"


SAMPLE = REPO / "samples" / "content.csv"


@pytest.mark.skipif(not SAMPLE.exists(), reason="samples/content.csv is not in this checkout")
@pytest.mark.parametrize("fmt", BILINGUAL, ids=lambda f: f.name)
def test_the_sample_site_round_trips_byte_identical(tmp_path: Path, fmt: Format) -> None:
    table = tmp_path / "content.csv"
    table.write_bytes(SAMPLE.read_bytes())
    written = convert.split_files(table, fmt.name, out_dir=tmp_path / "out", only="all")
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
    convert.merge_files(table, [p for p, _ in written], merged)
    assert merged.read_bytes() == SAMPLE.read_bytes()
