"""`wixloc stats`: words and characters to translate, as agencies count them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.support.tables import write_table
from wixloc.cli import cli
from wixloc.formats import load_table
from wixloc.model import Language, Unit, UnitFile
from wixloc.roundtrip.split import split
from wixloc.stats import compute_stats, count_words, unit_stats
from wixloc.tm.analysis import needs_work


@pytest.mark.parametrize(
    ("text", "words", "chars"),
    [
        ("Hello world", 2, 11),
        ("Hello <b>{name}</b>, it’s well-known.", 3, 24),  # no markup or placeholders
        ("日本語のテキスト", 8, 8),  # CJK: one word per character
        ("残り{{count}}点 left", 4, 8),
        ("See https://wix.com/help now", 2, 8),
        ("Tom &amp; Jerry", 2, 10),
        ("", 0, 0),
    ],
)
def test_count_words(text: str, words: int, chars: int) -> None:
    assert count_words(text) == (words, chars)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_new_changed_and_repetitions(tmp_path: Path) -> None:
    current = _write(
        tmp_path / "now.csv",
        "Key,en,de,ja\n"
        "a,Hello world,,\n"  # new for de and ja
        "b,Hello world,,こんにちは\n"  # repetition for de; translated for ja
        "c,Finished today,Heute fertig,\n"  # changed since before: stale in de, missing in ja
        "d,Same as before,Wie vorher,\n"  # unchanged source, translated in de
        "e,,,\n",  # no source: nothing to do
    )
    previous = _write(tmp_path / "then.csv", "Key,en\nc,Done\nd,Same as before\n")
    stats = compute_stats(current, against=previous)
    data = stats.as_dict()
    de, ja = data["languages"]["de"], data["languages"]["ja"]  # type: ignore[index]
    assert de == {
        "new": {"entries": 1, "words": 2, "characters": 11},
        "changed": {"entries": 1, "words": 2, "characters": 14},
        "repetitions": {"entries": 1, "words": 2, "characters": 11},
        "total": {"entries": 3, "words": 6, "characters": 36},
    }
    assert ja == {
        "new": {"entries": 2, "words": 5, "characters": 25},
        "changed": {"entries": 1, "words": 2, "characters": 14},
        "repetitions": {"entries": 0, "words": 0, "characters": 0},
        "total": {"entries": 3, "words": 7, "characters": 39},
    }
    assert data["total"]["total"] == {"entries": 6, "words": 13, "characters": 75}  # type: ignore[index]


def test_without_against_nothing_is_changed(tmp_path: Path) -> None:
    path = _write(tmp_path / "t.csv", "Key,en,de\na,Finished today,Heute fertig\nb,One two,\n")
    (de,) = compute_stats(path).languages
    assert (de.new.entries, de.new.words, de.changed.entries) == (1, 2, 0)


def test_cli_table_and_json(runner: CliRunner, tmp_path: Path) -> None:
    path = _write(tmp_path / "t.csv", "Key,en,de,ja\na,Hello world,,\nb,Hello world,,x\n")
    result = runner.invoke(cli, ["stats", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"{path}: main language en",
        "",
        "Language       Kind         Entries  Words  Characters",
        "German (de)    new                1      2          11",
        "               changed            0      0           0",
        "               repetitions        1      2          11",
        "               total              2      4          22",
        "Japanese (ja)  new                1      2          11",
        "               changed            0      0           0",
        "               repetitions        0      0           0",
        "               total              1      2          11",
        "Total          new                2      4          22",
        "               changed            0      0           0",
        "               repetitions        1      2          11",
        "               total              3      6          33",
    ]
    data = json.loads(runner.invoke(cli, ["stats", str(path), "--json"]).stdout)
    assert data["total"]["total"] == {"entries": 3, "words": 6, "characters": 33}
    assert list(data["languages"]) == ["de", "ja"]


def test_cli_missing_file(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["stats", str(tmp_path / "x.csv")])
    assert result.exit_code == 2
    assert result.stderr == f"wixloc: error: {tmp_path / 'x.csv'}: no such file\n"


def test_unit_stats_counts_the_units_split_marked_changed(tmp_path: Path) -> None:
    table = load_table(write_table(tmp_path))
    units = split(table, "de", only="changed", previous={("products", "p-0", "title"): "Old"})
    stats = unit_stats(units)
    assert stats.changed.entries == 1
    work = [u for u in units.units if needs_work(u)]  # the one counting rule: done is not work
    assert stats.new.entries + stats.repetitions.entries == len(work) - 1


def test_unit_stats_reads_the_changed_field_not_the_note() -> None:
    en, de = Language("en"), Language("de")
    marked = Unit(("a",), "one two", changed=True)  # e.g. read from a file
    noted = Unit(("b",), "three", notes=["a translator's note about a changed source"])
    stats = unit_stats(UnitFile(en, de, [marked, noted]))
    assert (stats.changed.entries, stats.changed.words, stats.new.entries) == (1, 2, 1)
