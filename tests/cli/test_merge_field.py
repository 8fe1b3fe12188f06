"""`wixloc split` and `wixloc merge` on the mistakes translators make in the field (issue 13):
a column sorted apart from its keys, blank targets, fuzzy work, a split over filled files."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import polib
import pytest
from click.testing import CliRunner

from wixloc.cli import cli
from wixloc.roundtrip import merge as merge_rules

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "content.csv"
LABELS = "Products|e15f8b95-20b5-56c6-81e0-0796a5b9dc7f|description"
BADGE = "Products|e15f8b95-20b5-56c6-81e0-0796a5b9dc7f|badge"


@pytest.fixture
def table(tmp_path: Path) -> Path:
    path = tmp_path / "content.csv"
    shutil.copyfile(SAMPLE, path)
    return path


def _run(runner: CliRunner, *args: str | Path) -> tuple[int, str, str]:
    result = runner.invoke(cli, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def _split(runner: CliRunner, table: Path, fmt: str, *more: str) -> Path:
    code, _out, err = _run(runner, "split", table, "--to", fmt, "--languages", "de", *more)
    assert code == 0, err
    ext = {"po": "po", "xlsx": "xlsx", "xliff": "xlf", "xliff2": "xlf"}[fmt]
    return table.with_name(f"content.de.{ext}")


def _fill_xlsx(path: Path, swap: tuple[int, int] | None = None) -> None:
    """Every row translated; with *swap*, the Source and Translation cells of two rows are
    exchanged, and nothing else (the hidden Key and Fingerprint columns stay): Excel's sort of
    a selection."""
    book = openpyxl.load_workbook(path)
    sheet = book["Translations"]
    assert [c.value for c in sheet[1]][3:5] == ["Source (en)", "Translation (de)"]
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row, 5).value = f"DE {sheet.cell(row, 4).value}"
    if swap is not None:
        a, b = swap
        for col in (4, 5):
            one, two = sheet.cell(a, col), sheet.cell(b, col)
            one.value, two.value = two.value, one.value
    book.save(path)


def test_a_partly_sorted_workbook_is_refused_naming_the_cell(
    runner: CliRunner, table: Path
) -> None:
    path = _split(runner, table, "xlsx")
    _fill_xlsx(path, swap=(2, 3))
    before = table.read_bytes()
    code, out, err = _run(runner, "merge", table, path, "--in-place")
    assert (code, out) == (2, "")
    assert err == (
        f"wixloc: error: {path}, sheet 'Translations', cell D2: unit {LABELS}: "
        f"{merge_rules.MISPLACED}\n"
    )
    assert table.read_bytes() == before  # nothing applied


def test_a_whole_sorted_workbook_merges(runner: CliRunner, table: Path) -> None:
    # the false positive: rows moved whole (every column) keep source and fingerprint together
    path = _split(runner, table, "xlsx")
    _fill_xlsx(path)
    book = openpyxl.load_workbook(path)
    sheet = book["Translations"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    for i, values in enumerate(reversed(rows), start=2):
        for col, value in enumerate(values, start=1):
            sheet.cell(i, col).value = value
    book.save(path)
    code, out, err = _run(runner, "merge", table, path, "--in-place")
    assert (code, err) == (0, "")
    assert out == f"de: 67 applied, 0 unchanged, 0 skipped\nwrote {table}\n"


def _po(path: Path) -> polib.POFile:
    return polib.pofile(str(path), wrapwidth=0)


def test_po_entries_with_swapped_msgids_are_refused(runner: CliRunner, table: Path) -> None:
    path = _split(runner, table, "po")
    po = _po(path)
    for entry in po:
        entry.msgstr = f"DE {entry.msgid}"
    po[0].msgid, po[1].msgid = po[1].msgid, po[0].msgid
    po[0].msgstr, po[1].msgstr = po[1].msgstr, po[0].msgstr
    po.save(str(path))
    code, out, err = _run(runner, "merge", table, path, "-o", table.with_name("m.csv"))
    assert (code, out) == (2, "")
    assert err == f"wixloc: error: {path}:20: unit {LABELS}: {merge_rules.MISPLACED}\n"
    assert not table.with_name("m.csv").exists()


def test_an_untranslated_row_with_an_edited_source_does_not_block(
    runner: CliRunner, table: Path
) -> None:
    # a row with no translation applies nothing, whatever its source says
    path = _split(runner, table, "po")
    po = _po(path)
    po[0].msgid = "typo fixed by the translator"
    po[1].msgstr = "Neu"
    po.save(str(path))
    code, out, err = _run(runner, "merge", table, path, "--in-place")
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == "de: 1 applied, 0 unchanged, 66 skipped"


def test_whitespace_targets_are_skipped_in_every_format(runner: CliRunner, table: Path) -> None:
    xlf = _split(runner, table, "xliff")
    text = xlf.read_text(encoding="utf-8")
    first = text.index("<target")  # the first unit's target, as split wrote it
    end = text.index("</trans-unit>", first)
    filled = '<target state="translated"> </target>'
    xlf.write_text(text[:first] + filled + text[end:], encoding="utf-8")
    po = _split(runner, table, "po")
    entries = _po(po)
    entries[1].msgstr = "  \t"
    entries.save(str(po))
    book_path = _split(runner, table, "xlsx")
    book = openpyxl.load_workbook(book_path)
    book["Translations"]["E4"].value = "   "
    book["Translations"]["G4"].value = "translated"
    book.save(book_path)
    for path, key in ((xlf, LABELS), (po, BADGE)):
        code, out, err = _run(runner, "merge", table, path, "-o", table.with_name("m.csv"))
        assert (code, err) == (0, "")
        assert f"  1 {merge_rules.BLANK}: {key}\n" in out, out
    code, out, err = _run(runner, "merge", table, book_path, "-o", table.with_name("m.csv"))
    assert (code, err) == (0, "")
    assert f"  1 {merge_rules.BLANK}: Products|da498828-c8b2-5f18-9061-dc001410c5e1|title\n" in out
    assert table.with_name("m.csv").read_bytes() == table.read_bytes()  # nothing applied


def test_split_refuses_to_overwrite_translations(runner: CliRunner, table: Path) -> None:
    path = _split(runner, table, "po")
    po = _po(path)
    po[0].msgstr = "übersetzt"
    po[1].msgstr = "auch"
    po.save(str(path))
    saved = path.read_bytes()
    code, out, err = _run(runner, "split", table, "--to", "po", "--languages", "de")
    assert (code, out) == (2, "")
    assert err == f"wixloc: error: {path} holds 2 translations; pass --force to overwrite it\n"
    assert path.read_bytes() == saved
    code, out, err = _run(runner, "split", table, "--to", "po", "--languages", "de", "--force")
    assert (code, err) == (0, "")
    assert all(not e.msgstr for e in _po(path))


def test_split_over_files_without_translations_needs_no_force(
    runner: CliRunner, table: Path
) -> None:
    for fmt in ("po", "xlsx"):
        _split(runner, table, fmt)
        _split(runner, table, fmt)  # empty targets: nothing to lose
    _split(runner, table, "xliff", "--copy-source")
    _split(runner, table, "xliff", "--copy-source")  # unchanged copies are not translations


def test_split_refuses_an_xlsx_workbook_with_translations(runner: CliRunner, table: Path) -> None:
    path = _split(runner, table, "xlsx")
    _fill_xlsx(path)
    code, _out, err = _run(runner, "split", table, "--to", "xlsx", "--languages", "de")
    assert (code, err) == (
        2,
        f"wixloc: error: {path} holds 67 translations; pass --force to overwrite it\n",
    )


def test_copy_source_writes_the_source_and_merge_skips_unchanged_copies(
    runner: CliRunner, table: Path
) -> None:
    for fmt in ("xliff", "xliff2"):
        path = _split(runner, table, fmt, "--copy-source", "--force")
        text = path.read_text(encoding="utf-8")
        assert "<target" in text and "Soapstone Trivet</target>" in text
        code, out, err = _run(runner, "merge", table, path, "-o", table.with_name("m.csv"))
        assert (code, err) == (0, "")
        assert out.splitlines()[:2] == [
            "de: 0 applied, 0 unchanged, 67 skipped",
            f"  67 {merge_rules.COPIED_SOURCE}: {LABELS}, {BADGE}, "
            "Products|da498828-c8b2-5f18-9061-dc001410c5e1|title, and 64 more",
        ]


@pytest.mark.parametrize("fmt", ["po", "xlsx"])
def test_copy_source_is_refused_where_no_mark_tells_a_copy(
    runner: CliRunner, table: Path, fmt: str
) -> None:
    code, _out, err = _run(runner, "split", table, "--to", fmt, "--copy-source")
    assert (code, err) == (
        2,
        f"wixloc: error: --copy-source works only with --to xliff or --to xliff2: {fmt} has "
        "no mark that tells a copied source from a translation\n",
    )


def test_the_refusal_names_the_sheet_of_a_workbook_of_several(
    runner: CliRunner, table: Path
) -> None:
    code, _out, err = _run(
        runner, "split", table, "--to", "xlsx", "--one-workbook", "--languages", "de,fr"
    )
    assert (code, err) == (0, "")
    path = table.with_name("content.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["de", "fr", "Instructions", "wixloc"]
    sheet = book["fr"]
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row, 5).value = f"FR {sheet.cell(row, 4).value}"
    key = sheet["I5"].value
    sheet["D5"].value, sheet["D6"].value = sheet["D6"].value, sheet["D5"].value
    book.save(path)
    code, out, err = _run(runner, "merge", table, path, "-o", table.with_name("m.csv"))
    assert (code, out) == (2, "")
    assert err == (
        f"wixloc: error: {path} (fr), sheet 'fr', cell D5: unit {key}: {merge_rules.MISPLACED}\n"
    )
