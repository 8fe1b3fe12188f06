"""`wixloc check` through the command line: exit codes, options, one-line errors."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.support.checks import (
    EXPECTED,
    HAVE_GERMAN_DICTIONARY,
    STATE,
    write_clean,
    write_planted,
)
from wixloc.cli import cli
from wixloc.cli.check import _utf8_errors
from wixloc.state import save_state


def _planted_args(tmp_path: Path) -> list[str]:
    table, reference = write_planted(tmp_path)
    return [
        "check",
        str(table),
        "--languages",
        "en,de,fr,he,ja",
        "--against",
        str(reference),
        "--min-coverage",
        "100",
        "--terms",
        str(tmp_path / "terms.csv"),
        "--enable",
        "spelling",
    ]


def test_planted_table_exits_1_with_every_finding(runner: CliRunner, tmp_path: Path) -> None:
    config = tmp_path / "wixloc.toml"
    config.write_text('[check]\nallow_unchanged = ["Wix"]\n', encoding="utf-8")
    save_state(STATE, tmp_path / ".wixloc" / "state.json")  # found beside the config file
    result = runner.invoke(
        cli, [*_planted_args(tmp_path), "--config", str(config), "--format", "json"]
    )
    assert result.exit_code == 1, result.output
    found = [
        (f["code"], f["key"], f["language"], f["line"])
        for f in json.loads(result.stdout)["findings"]
    ]
    assert found == EXPECTED


def test_clean_table_exits_0(runner: CliRunner, tmp_path: Path) -> None:
    path = write_clean(tmp_path)
    result = runner.invoke(cli, ["check", str(path), "--ignore", "unchanged"])
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith("0 errors, 0 warnings in 1 file\n")


def test_warnings_alone_exit_0_until_configured_as_errors(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = write_clean(tmp_path)  # its "Wix" row is unchanged: a warning
    result = runner.invoke(cli, ["check", str(path)])
    assert result.exit_code == 0
    assert "3 warnings" in result.stdout
    config = tmp_path / "wixloc.toml"
    config.write_text('[check.severity]\nunchanged = "error"\n', encoding="utf-8")
    result = runner.invoke(cli, ["check", str(path), "--config", str(config)])
    assert result.exit_code == 1
    assert result.stdout.endswith("3 errors, 0 warnings in 1 file\n")


def test_output_file_and_summary_line(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "reports" / "check.html"
    result = runner.invoke(cli, [*_planted_args(tmp_path), "--format", "html", "-o", str(out)])
    assert result.exit_code == 1
    # no state file: the stale translation is not found, and without the allow-list the brand
    # name is unchanged
    warnings = 18 if HAVE_GERMAN_DICTIONARY else 17
    assert result.stdout == f"12 errors, {warnings} warnings in 1 file; report written to {out}\n"
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_missing_file_is_one_line_and_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    missing = tmp_path / "nope.csv"
    result = runner.invoke(cli, ["check", str(missing)])
    assert result.exit_code == 2
    assert result.stderr == f"wixloc: error: {missing}: no such file\n"


def test_unknown_rule_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    path = write_clean(tmp_path)
    result = runner.invoke(cli, ["check", str(path), "--ignore", "typos"])
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "wixloc: error: unknown rule 'typos' (known rules: missing-language,"
    )


def test_bad_language_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    path = write_clean(tmp_path)
    result = runner.invoke(cli, ["check", str(path), "--languages", "en,klingon"])
    assert result.exit_code == 2
    assert result.stderr.startswith("wixloc: error: 'klingon' is not a language tag")


def test_bad_config_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    path = write_clean(tmp_path)
    config = tmp_path / "wixloc.toml"
    config.write_text('[check.severity]\nunchanged = "fatal"\n', encoding="utf-8")
    result = runner.invoke(cli, ["check", str(path), "--config", str(config)])
    assert result.exit_code == 2
    assert result.stderr == (
        f'wixloc: error: {config}: check.severity.unchanged must be "error", "warning" or "off"\n'
    )


def test_unreadable_table_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "broken.csv"
    path.write_text('Key,en,de\nk,"never closed,x\n', encoding="utf-8")
    result = runner.invoke(cli, ["check", str(path)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"wixloc: error: {path}:2: a quoted cell is never closed")


def test_bad_min_coverage_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    path = write_clean(tmp_path)
    result = runner.invoke(cli, ["check", str(path), "--min-coverage", "120"])
    assert result.exit_code == 2


def test_an_all_languages_workbook_is_checked_per_language(
    runner: CliRunner, tmp_path: Path
) -> None:
    table = tmp_path / "content.csv"
    table.write_text(
        "Collection ID,Item ID,Field,en,de,fr\n"
        "Products,p-1,title,Mug,,\n"
        "Products,p-2,title,Bowl {size},,Bol\n",
        encoding="utf-8",
    )
    split = ["split", str(table), "--to", "xlsx", "--one-workbook", "--out-dir", str(tmp_path)]
    assert runner.invoke(cli, split).exit_code == 0
    result = runner.invoke(cli, ["check", str(tmp_path / "content.xlsx"), "--format", "json"])
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    found = [(f["code"], f["key"], f["language"]) for f in data["findings"]]
    assert sorted(found) == [
        ("missing-translation", "Products|p-1|title", "de"),
        ("missing-translation", "Products|p-1|title", "fr"),
        ("missing-translation", "Products|p-2|title", "de"),
    ]
    assert {f["file"] for f in data["findings"]} == {str(tmp_path / "content.xlsx")}


def test_terms_that_cannot_be_read_are_one_line_and_exit_2(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = write_clean(tmp_path)
    missing = tmp_path / "nope.csv"
    result = runner.invoke(cli, ["check", str(path), "--terms", str(missing)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"wixloc: error: {missing}: no such file")
    assert len(result.stderr.splitlines()) == 1


def test_enable_names_a_known_rule(runner: CliRunner, tmp_path: Path) -> None:
    path = write_clean(tmp_path)
    result = runner.invoke(cli, ["check", str(path), "--enable", "speling"])
    assert result.exit_code == 2
    assert result.stderr.startswith("wixloc: error: unknown rule 'speling' (known rules:")


def test_a_note_goes_to_stderr_beside_a_report_file(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("Key,en,ja\na,Hello,こんにちは\n", encoding="utf-8")
    out = tmp_path / "r.json"
    args = ["check", str(path), "--enable", "spelling", "--format", "json", "-o", str(out)]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "wixloc: note: spelling: no Hunspell dictionary for 'ja' is installed (a hunspell-* "
        "package, or a folder in DICPATH); its spelling was not checked\n"
    )
    assert json.loads(out.read_text(encoding="utf-8"))["summary"]["notes"] != []


def test_the_report_goes_to_stdout_as_utf8_bytes_only_where_stdout_writes_those(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Then stdout gets the bytes the workers encoded, with its own error handler; any other
    stream (another encoding, or Windows, where text mode writes CR LF) gets text."""

    def stream(encoding: str, errors: str = "strict") -> io.TextIOWrapper:
        return io.TextIOWrapper(io.BytesIO(), encoding=encoding, errors=errors)

    assert _utf8_errors(stream("utf-8")) == "strict"
    assert _utf8_errors(stream("UTF8", "surrogateescape")) == "surrogateescape"
    assert _utf8_errors(stream("cp1252")) is None
    assert _utf8_errors(io.StringIO()) is None  # no encoding of its own
    monkeypatch.setattr(sys, "platform", "win32")
    assert _utf8_errors(stream("utf-8")) is None


def test_the_texts_are_shown_as_they_are_whatever_stdout_encodes(tmp_path: Path) -> None:
    """An escape sequence in a translation reaches the report as it is (its control-character
    finding points at it), in UTF-8 bytes or as text; click would take it out of a stream that
    is not a terminal."""
    table = tmp_path / "content.csv"
    table.write_text(
        "Collection ID,Item ID,Field,en,de\nProducts,p-1,title,Hello,\x1b[1mHallo\x1b[0m\n",
        encoding="utf-8",
    )
    for charset in ("utf-8", "latin-1"):  # the bytes path, then the text path
        result = CliRunner(charset=charset).invoke(cli, ["check", str(table)])
        assert result.exit_code == 0  # warnings only
        assert "translation: \x1b[1mHallo\x1b[0m\n" in result.output
        assert "control-character" in result.output


def test_a_name_that_is_nowhere_is_said_to_be_no_such_file(tmp_path: Path) -> None:
    """A missing folder was 'cannot tell the format from the extension', naming no file."""
    result = CliRunner().invoke(cli, ["check", str(tmp_path / "translations")])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"wixloc: error: {tmp_path / 'translations'}: no such file\n"
