"""Every bad input gets exit code 2 and one clear line on stderr: file, line, what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from wixloc.cli import cli

CASES = [
    (
        "empty",
        b"",
        "{f}: the file is empty (expected a header row such as: Collection ID,Item ID,Field,en,de)",
    ),
    (
        "too-few",
        b"Collection ID,Item ID,Field,en,de\nProducts,p-1,title,Mug\n",
        "{f}:2: too few cells: the row has 4, the header has 5 "
        "(check for a missing or extra delimiter, or an unquoted line break)",
    ),
    (
        "too-many",
        b"key,en,de\na,b,c\nd,e,f,g\n",
        "{f}:3: too many cells: the row has 4, the header has 3 "
        "(check for a missing or extra delimiter, or an unquoted line break)",
    ),
    (
        "unclosed-quote",
        b'key,en,de\na,"never closed,x\nb,c,d\n',
        '{f}:2: a quoted cell is never closed (a " with no matching ") '
        '(close the quote, or double a quote inside a quoted cell as "")',
    ),
    (
        "duplicate-column",
        b"key,en,de,en\na,b,c,d\n",
        "{f}:1: duplicate column name 'en' (columns 2 and 4) (give every column a different name)",
    ),
    (
        "duplicate-key",
        b"Collection ID,Item ID,Field,en\nFAQ,q-1,question,Why?\nFAQ,q-2,question,How?\n"
        b"FAQ,q-1,question,Why not?\n",
        "{f}:4: duplicate key (FAQ, q-1, question): first on line 2, again on line 4 "
        "(each key must appear once; remove or rename one of the rows)",
    ),
    (
        "no-language",
        b"Collection ID,Item ID,Field,English\nFAQ,q-1,question,Why?\n",
        "{f}:1: no language column in the header (Collection ID, Item ID, Field, English) "
        "(language columns are headed by tags such as en, de or EN-US; "
        "name them with --languages if they are headed otherwise)",
    ),
    (
        "cp1252",
        "key,en,de\nmenu,Café,Café\n".encode("cp1252"),
        "{f}:2: is not UTF-8 (byte 0xE9); it looks like Windows-1252 (Western European) "
        "(re-save it as UTF-8, or pass --encoding cp1252)",
    ),
    (
        "utf16-no-bom",
        "key,en,de\nmenu,Café,Café\n".encode("utf-16-le"),
        "{f}: is UTF-16 LE text without a byte-order mark "
        "(pass --encoding utf-16-le, or re-save it as UTF-8)",
    ),
    (
        "binary",
        bytes(range(256)) * 4,
        "{f}: is not a text file (it holds bytes no text file has)",
    ),
    (
        "workbook",
        b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00",
        "{f}: is not a text file; it looks like a ZIP archive (an .xlsx workbook?)",
    ),
    (
        "not-cp1252",
        b"key,en\nmenu,\x81\x8d\n",
        "{f}:2: is neither UTF-8 (byte 0x81) nor Windows-1252 "
        "(re-save it as UTF-8, or pass --encoding with the encoding it was saved in)",
    ),
]


@pytest.mark.parametrize(("name", "data", "message"), CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("command", ["info", "convert"])
def test_bad_csv(
    name: str, data: bytes, message: str, command: str, runner: CliRunner, tmp_path: Path
) -> None:
    path = tmp_path / f"{name}.csv"
    path.write_bytes(data)
    args = [command, str(path)] + ([str(tmp_path / "out.csv")] if command == "convert" else [])
    result = runner.invoke(cli, args)
    assert result.exit_code == 2
    assert result.stderr == f"wixloc: error: {message.format(f=path)}\n"
    assert result.stdout == ""
    assert not (tmp_path / "out.csv").exists()


def test_encoding_option_reads_a_legacy_file(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "legacy.csv"
    path.write_bytes("key,en,de\nmenu,Café,Café\n".encode("cp1252"))
    out = tmp_path / "out.csv"
    result = runner.invoke(cli, ["convert", str(path), str(out), "--encoding", "cp1252"])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == path.read_bytes()


LEGACY = "Collection ID,Item ID,Field,en,de\nFAQ,q-1,question,Café?,Kaffee?\n".encode("cp1252")
TABLE_COMMANDS = [
    ["info", "t.csv"],
    ["convert", "t.csv", "out.csv"],
    ["check", "t.csv"],
    ["stats", "t.csv"],
    ["pseudo", "t.csv", "--languages", "de", "--all", "-o", "out.csv"],
    ["split", "t.csv", "--to", "po", "--only", "all"],
    ["merge", "t.csv", "t.de.po", "-o", "out.csv"],
    ["import", "t.csv", "--sandbox", "--dry-run"],
]


@pytest.mark.parametrize("args", TABLE_COMMANDS, ids=[a[0] for a in TABLE_COMMANDS])
def test_every_command_that_reads_a_table_takes_encoding(
    args: list[str], runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "t.csv").write_bytes(LEGACY)
    if args[0] == "merge":  # the translator file to merge, made from the table
        assert runner.invoke(cli, TABLE_COMMANDS[5] + ["--encoding", "cp1252"]).exit_code == 0
    result = runner.invoke(cli, args)
    assert result.exit_code == 2
    assert result.stderr == (
        "wixloc: error: t.csv:2: is not UTF-8 (byte 0xE9); it looks like Windows-1252 "
        "(Western European) (re-save it as UTF-8, or pass --encoding cp1252)\n"
    )
    result = runner.invoke(cli, [*args, "--encoding", "cp1252"])
    assert result.exit_code == 0, result.output
    assert "error" not in result.stderr
    if (tmp_path / "out.csv").exists():  # a table written back keeps the file's encoding
        assert "Café?".encode("cp1252") in (tmp_path / "out.csv").read_bytes()


def test_encoding_does_not_apply_to_a_collection_import(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "items.csv"
    path.write_bytes(LEGACY)
    args = ["import", str(path), "--collection", "FAQ", "--encoding", "cp1252", "--sandbox"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 2
    assert result.stderr == (
        "wixloc: error: --languages, --update-source, --base and --encoding do not apply to "
        "--collection\n"
    )


JSONL_CASES = [
    (
        "not-json",
        b'{"key": "a", "en": "x"}\n{"key": "b", "en": \n',
        "{f}:2: not valid JSON: Expecting value (column 20)",
    ),
    ("not-object", b'["key", "en"]\n', "{f}:1: expected a JSON object, found list"),
    (
        "names-differ",
        b'{"key": "a", "en": "x"}\n{"key": "b", "de": "y"}\n',
        "{f}:2: the names differ from the first line: missing 'en'; extra 'de'",
    ),
    (
        "number",
        b'{"key": "a", "en": 5}\n',
        "{f}:1: the value of 'en' is 5; expected text (a JSON string)",
    ),
    (
        "duplicate",
        b'{"key": "a", "en": "x"}\n{"key": "a", "en": "y"}\n',
        "{f}:2: duplicate key (a): first on line 1, again on line 2 "
        "(each key must appear once; remove or rename one of the rows)",
    ),
]


@pytest.mark.parametrize(("name", "data", "message"), JSONL_CASES, ids=[c[0] for c in JSONL_CASES])
def test_bad_jsonl(name: str, data: bytes, message: str, runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / f"{name}.jsonl"
    path.write_bytes(data)
    result = runner.invoke(cli, ["info", str(path)])
    assert result.exit_code == 2
    assert result.stderr == f"wixloc: error: {message.format(f=path)}\n"


def test_missing_file(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["info", str(tmp_path / "nope.csv")])
    assert result.exit_code == 2
    assert result.stderr == f"wixloc: error: {tmp_path / 'nope.csv'}: no such file\n"


def test_unknown_extension(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "table.dat"
    path.write_text("key,en\na,b\n")
    result = runner.invoke(cli, ["info", str(path)])
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"wixloc: error: {path}: cannot tell the format from the extension '.dat' (use one of "
    )


def test_invalid_language_option(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("key,en,de\na,b,c\n")
    result = runner.invoke(cli, ["info", str(path), "--languages", "en,xx-zz"])
    assert result.exit_code == 2
    assert result.stderr == (
        "wixloc: error: 'xx-zz' is not a language tag (use an ISO 639-1 code with an optional "
        "region, such as de, fr-CA or pt-BR)\n"
    )


def test_language_option_not_in_header(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("key,en,de\na,b,c\n")
    result = runner.invoke(cli, ["info", str(path), "--languages", "en,fr"])
    assert result.exit_code == 2
    assert result.stderr == (
        f"wixloc: error: {path}:1: no column for language 'fr' (the header is: key, en, de)\n"
    )
