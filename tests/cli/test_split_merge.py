"""`wixloc split`, `wixloc merge` and `wixloc convert` with translator files, through the CLI."""

from __future__ import annotations

from pathlib import Path

import polib
from click.testing import CliRunner

from tests.support.tables import TRICKY_TEXTS, write_table
from wixloc.cli import cli
from wixloc.formats import all_formats, load_table, load_units


def _split(runner: CliRunner, table: Path, *args: str) -> str:
    result = runner.invoke(cli, ["split", str(table), *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_split_names_files_and_counts(runner: CliRunner, tmp_path: Path) -> None:
    table = write_table(tmp_path)
    out = tmp_path / "tr"
    output = _split(runner, table, "--to", "po", "--out-dir", str(out), "--languages", "he")
    sent = len([t for t in TRICKY_TEXTS if t])
    assert output == f"{out / 'content.he.po'}: he, {sent} entries\n"
    assert sorted(p.name for p in out.iterdir()) == ["content.he.po"]


def test_split_one_workbook(runner: CliRunner, tmp_path: Path) -> None:
    table = write_table(tmp_path)
    output = _split(runner, table, "--to", "xlsx", "--one-workbook", "--only", "all")
    sent = len([t for t in TRICKY_TEXTS if t])
    path = tmp_path / "content.xlsx"
    assert output == f"{path}: de, {sent} entries\n{path}: he, {sent} entries\n"


def test_split_errors_are_one_line(runner: CliRunner, tmp_path: Path) -> None:
    table = write_table(tmp_path)
    result = runner.invoke(cli, ["split", str(table), "--to", "po", "--one-workbook"])
    assert (result.exit_code, result.stderr) == (
        2,
        "wixloc: error: --one-workbook works only with --to xlsx\n",
    )
    result = runner.invoke(cli, ["split", str(table), "--to", "po", "--languages", "fr"])
    assert (result.exit_code, result.stderr) == (
        2,
        f"wixloc: error: {table}: the table has no language 'fr' (it has en, de, he)\n",
    )


def test_merge_prints_per_language_and_writes(runner: CliRunner, tmp_path: Path) -> None:
    table = write_table(tmp_path)
    _split(runner, table, "--to", "po", "--languages", "he")
    po_path = tmp_path / "content.he.po"
    po = polib.pofile(str(po_path))
    po[0].msgstr = "שלום"
    po[1].msgstr = "fuzzy one"
    po[1].flags.append("fuzzy")
    po.save(str(po_path))
    out = tmp_path / "merged.csv"
    result = runner.invoke(cli, ["merge", str(table), str(po_path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    sent = len([t for t in TRICKY_TEXTS if t])
    lines = result.output.splitlines()
    assert lines[0] == f"he: 1 applied, 0 unchanged, {sent - 1} skipped"
    assert lines[1] == (
        "  1 marked for review (fuzzy, needs-review); use --include-fuzzy to apply: products|p-1|title"
    )
    assert lines[2].startswith(f"  {sent - 2} not translated: products|p-2|title, ")
    assert lines[-1] == f"wrote {out}"
    assert load_table(out).entries[0].text(load_table(out).languages[2]) == "שלום"
    result = runner.invoke(
        cli, ["merge", str(table), str(po_path), "--in-place", "--include-fuzzy"]
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == f"he: 2 applied, 0 unchanged, {sent - 2} skipped"


def test_merge_needs_exactly_one_output(runner: CliRunner, tmp_path: Path) -> None:
    table = write_table(tmp_path)
    result = runner.invoke(cli, ["merge", str(table), str(table)])
    assert (result.exit_code, result.stderr) == (
        2,
        "wixloc: error: give either -o OUT or --in-place\n",
    )


def test_merge_refusal_is_one_line_and_writes_nothing(runner: CliRunner, tmp_path: Path) -> None:
    table = write_table(tmp_path)
    _split(runner, table, "--to", "po", "--languages", "he")
    po_path = tmp_path / "content.he.po"
    po = polib.pofile(str(po_path))
    po[0].msgctxt = "products|p-404|title"
    po.save(str(po_path))
    out = tmp_path / "merged.csv"
    result = runner.invoke(cli, ["merge", str(table), str(po_path), "-o", str(out)])
    assert (result.exit_code, result.stderr) == (
        2,
        f"wixloc: error: {po_path}: 1 key is not in the table: products|p-404|title\n",
    )
    assert not out.exists()


def test_convert_table_to_po_needs_a_language(runner: CliRunner, tmp_path: Path) -> None:
    table = write_table(tmp_path)
    po_path = tmp_path / "x.po"
    result = runner.invoke(cli, ["convert", str(table), str(po_path)])
    assert (result.exit_code, result.stderr) == (
        2,
        "wixloc: error: po holds one target language; name it with --target-language "
        f"(e.g. wixloc convert {table} {po_path} --target-language de)\n",
    )
    result = runner.invoke(cli, ["convert", str(table), str(po_path), "--target-language", "de"])
    assert result.exit_code == 0, result.output
    sent = len([t for t in TRICKY_TEXTS if t])
    assert result.stderr == f"wrote {po_path}: {sent} units, en to de\n"
    xlsx_path = tmp_path / "x.xlsx"
    result = runner.invoke(cli, ["convert", str(po_path), str(xlsx_path)])
    assert result.exit_code == 0, result.output
    assert [u.target for u in load_units(xlsx_path).units] == [
        u.target for u in load_units(po_path).units
    ]
    csv_path = tmp_path / "x.csv"
    result = runner.invoke(cli, ["convert", str(xlsx_path), str(csv_path)])
    assert result.exit_code == 0, result.output
    back = load_table(csv_path)
    assert [str(lang) for lang in back.languages] == ["en", "de"]
    assert back.key_columns == ["Collection ID", "Item ID", "Field"]
    assert [e.texts[back.languages[0]] for e in back.entries] == [t for t in TRICKY_TEXTS if t]


def test_convert_table_to_table_workbook_and_back(runner: CliRunner, tmp_path: Path) -> None:
    table = write_table(tmp_path)
    book = tmp_path / "t.xlsx"
    assert runner.invoke(cli, ["convert", str(table), str(book)]).exit_code == 0
    back = tmp_path / "back.csv"
    assert runner.invoke(cli, ["convert", str(book), str(back)]).exit_code == 0
    original, again = load_table(table), load_table(back)
    assert [(e.key, e.texts, e.meta) for e in again.entries] == [
        (e.key, e.texts, e.meta) for e in original.entries
    ]


def test_merge_detects_the_format_from_the_content(runner: CliRunner, tmp_path: Path) -> None:
    table = write_table(tmp_path)
    _split(runner, table, "--to", "po", "--languages", "he")
    renamed = tmp_path / "from-the-agency.txt"
    (tmp_path / "content.he.po").rename(renamed)
    out = tmp_path / "merged.csv"
    result = runner.invoke(cli, ["merge", str(table), str(renamed), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == table.read_bytes()
    result = runner.invoke(cli, ["merge", str(table), str(table), "-o", str(out)])
    known = ", ".join(f.name for f in all_formats() if f.is_bilingual)  # po, xliff, ..., xlsx
    assert (result.exit_code, result.stderr) == (
        2,
        f"wixloc: error: {table}: not a translator file ({known})\n",
    )
