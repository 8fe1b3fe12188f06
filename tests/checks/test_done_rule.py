"""check and merge agree on what is done (issue 13): a fuzzy, for-review, new or blank target
counts as untranslated in check, in PO, XLIFF and XLSX alike, with the state named."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import polib
import pytest
from click.testing import CliRunner

from wixloc.checks import CheckConfig, check_files
from wixloc.cli import cli
from wixloc.formats import get, save_units
from wixloc.model import Language, Unit, UnitFile, UnitState, fingerprint

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "content.csv"


def _split(tmp_path: Path, fmt: str, *more: str) -> Path:
    table = tmp_path / "content.csv"
    shutil.copyfile(SAMPLE, table)
    args = ["split", str(table), "--to", fmt, "--languages", "de", *more]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.stderr
    return tmp_path / f"content.de.{'xlf' if fmt.startswith('xliff') else fmt}"


def _fuzzy_po(tmp_path: Path) -> Path:
    """The sample's German PO as msgfmt --statistics counts it: 17 translated, 10 fuzzy."""
    path = _split(tmp_path, "po")
    po = polib.pofile(str(path))
    for entry in list(po)[27:]:  # the first 27 entries, as many as the plain-text sample had
        po.remove(entry)
    for i, entry in enumerate(po):
        entry.msgstr = f"DE {entry.msgid}"
        if i >= 17:
            entry.flags.append("fuzzy")
    po.save(str(path))
    return path


def test_min_coverage_fails_a_po_with_fuzzy_entries(tmp_path: Path) -> None:
    path = _fuzzy_po(tmp_path)
    result = CliRunner().invoke(cli, ["check", str(path), "--min-coverage", "100"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[:2] == [
        "Language     Entries  Translated  Missing  Coverage",
        "German (de)       27          17       10     63.0%",
    ]
    missing = [line for line in lines if "missing-translation" in line]
    assert len(missing) == 10
    assert all(line.endswith(": not translated (the file marks it fuzzy)") for line in missing)
    assert (
        f"  {path}: error: coverage-below-threshold: 63.0% of entries are translated "
        "(17 of 27); at least 100% is required" in lines
    )


def test_a_finished_po_passes_the_gate(tmp_path: Path) -> None:
    # the false positive: every entry translated, none fuzzy
    path = _split(tmp_path, "po")
    po = polib.pofile(str(path))
    for entry in po:
        entry.msgstr = f"DE {entry.msgid}"
    po.save(str(path))
    result = CliRunner().invoke(cli, ["check", str(path), "--min-coverage", "100"])
    assert result.exit_code == 0, result.stdout
    assert "German (de)       67          67        0    100.0%" in result.stdout


def _missing(path: Path) -> tuple[list[str], tuple[int, int]]:
    report = check_files([path], CheckConfig())
    messages = [f.message for f in report.findings if f.code == "missing-translation"]
    (cov,) = report.coverage
    return messages, (cov.translated, cov.total)


def _units(tag: str, *states: tuple[str, str, UnitState]) -> UnitFile:
    units = [
        Unit((f"k{i}",), source, target, state, fingerprint=fingerprint(source))
        for i, (source, target, state) in enumerate(states)
    ]
    return UnitFile(Language("en"), Language(tag), units, key_columns=["Name"])


@pytest.mark.parametrize(("fmt", "ext"), [("xliff", "xlf"), ("xliff2", "xlf"), ("xlsx", "xlsx")])
def test_unfinished_units_with_text_are_untranslated(tmp_path: Path, fmt: str, ext: str) -> None:
    units = _units(
        "de-DE",
        ("One", "Eins", UnitState.TRANSLATED),
        ("Two", "Zwei", UnitState.NEEDS_REVIEW),
        ("Three", " ", UnitState.TRANSLATED),
        ("Four", "", UnitState.NEW),
        ("Five", "Fünf", UnitState.REVIEWED),
    )
    path = tmp_path / f"t.de-DE.{ext}"
    save_units(units, path, get(fmt))
    messages, coverage = _missing(path)
    assert coverage == (2, 5)
    expected = {
        "xliff": "not translated (the file marks it for review)",
        "xliff2": "not translated (the file marks it for review)",
        "xlsx": "not translated (the file marks it needs review)",
    }[fmt]
    assert messages == [
        expected,
        "not translated (the target is only whitespace)",
        "no German (Germany) translation",
    ]


def test_an_untouched_copy_of_the_source_is_untranslated(tmp_path: Path) -> None:
    path = _split(tmp_path, "xliff", "--copy-source")
    messages, coverage = _missing(path)
    assert coverage == (0, 67)
    assert set(messages) == {"not translated (the target is the copied source, unchanged)"}


def test_a_needs_review_status_in_a_workbook_is_untranslated(tmp_path: Path) -> None:
    path = _split(tmp_path, "xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book["Translations"]
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row, 5).value = f"DE {sheet.cell(row, 4).value}"
    sheet["G2"].value = "needs review"
    book.save(path)
    messages, coverage = _missing(path)
    assert coverage == (66, 67)
    assert messages == ["not translated (the file marks it needs review)"]


def test_a_regional_file_is_checked_without_error(tmp_path: Path) -> None:
    units = _units("de-DE", ("One", "Eins", UnitState.TRANSLATED))
    path = tmp_path / "t.de-DE.po"
    save_units(units, path, get("po"))
    result = CliRunner().invoke(cli, ["check", str(path), "--min-coverage", "100"])
    assert (result.exit_code, result.stderr) == (0, "")
