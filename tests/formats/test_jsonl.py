"""JSON Lines tables: CSV -> JSONL -> CSV gives the same cells."""

from __future__ import annotations

import io
from pathlib import Path

from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import DATA, REPO
from wixloc.cli import cli
from wixloc.formats import ReadOptions, jsonl, load_table
from wixloc.model import Column, ColumnKind, Entry, Language, Table


def cells(table: Table) -> list[list[str]]:
    return [
        [
            *e.key,
            *(e.meta[m] for m in table.meta_columns),
            *(e.text(lang) for lang in table.languages),
        ]
        for e in table.entries
    ]


def test_csv_jsonl_csv_keeps_every_cell(runner: CliRunner, tmp_path: Path) -> None:
    for source in [REPO / "samples" / "content.csv", *sorted(DATA.glob("dialect-*.csv"))]:
        mid, back = tmp_path / "mid.jsonl", tmp_path / "back.csv"
        assert runner.invoke(cli, ["convert", str(source), str(mid)]).exit_code == 0
        assert runner.invoke(cli, ["convert", str(mid), str(back)]).exit_code == 0
        original, again = load_table(source), load_table(back)
        assert [c.name for c in again.columns] == [c.name for c in original.columns]
        assert cells(again) == cells(original)


def test_null_reads_as_empty() -> None:
    data = b'{"key": "a", "en": "Mug", "de": null}\n'
    table = jsonl.read(io.BytesIO(data), ReadOptions(name="t.jsonl"))
    assert table.entries[0].texts == {Language("en"): "Mug", Language("de"): ""}
    assert table.entries[0].line == 1


text = st.text(alphabet=st.characters(codec="utf-8"), max_size=30)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(text, text, text), min_size=1, max_size=6, unique_by=lambda r: r[0]))
def test_any_text_round_trips(rows: list[tuple[str, str, str]]) -> None:
    en, de = Language("en"), Language("de")
    columns = [
        Column("key", ColumnKind.KEY),
        Column("en", ColumnKind.LANGUAGE, en),
        Column("de", ColumnKind.LANGUAGE, de),
    ]
    table = Table([en, de], columns, [Entry((k,), {en: a, de: b}) for k, a, b in rows])
    out = io.BytesIO()
    jsonl.write(table, out)
    back = jsonl.read(io.BytesIO(out.getvalue()), ReadOptions(name="t.jsonl"))
    assert cells(back) == cells(table)
