"""The analysis by band, and the one counting rule: the same content counts the same as a table,
as the units split from it, as the translator file written from those, and in `wixloc stats`."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from wixloc import formats
from wixloc.cli import cli
from wixloc.errors import ConfigError
from wixloc.roundtrip.split import split
from wixloc.stats import compute_stats, count_words, unit_stats
from wixloc.tm.analysis import (
    analyze,
    analyze_file,
    parse_weights,
    render,
    site_memory,
    table_segments,
    unit_segments,
)
from wixloc.tm.memory import TranslationMemory
from wixloc.tm.suggest import IN_CONTEXT_NOTE, apply_memory
from wixloc.tm.tmx import TmxUnit, write_tmx

TABLE = (
    "Key,en,de\n"
    "a,Add to cart,\n"  # 100 %: the site translated the same text for d
    "b,Add to cart,\n"  # a repetition of a
    "c,Subscribe to the newsletter,\n"  # 88 % against the TMX
    "d,Add to cart,In den Warenkorb\n"  # translated: not counted
    "e,Hello world,\n"  # in-context: the TMX has this text for this key
    "f,Brand new words here,\n"  # no match
    "g,Hello world,\n"  # a repetition of e
)
BANDS = {
    "repetitions": {"segments": 2, "words": 5, "characters": 22},
    "in-context": {"segments": 1, "words": 2, "characters": 11},
    "100": {"segments": 1, "words": 3, "characters": 11},
    "95-99": {"segments": 0, "words": 0, "characters": 0},
    "85-94": {"segments": 1, "words": 4, "characters": 27},
    "75-84": {"segments": 0, "words": 0, "characters": 0},
    "50-74": {"segments": 0, "words": 0, "characters": 0},
    "no-match": {"segments": 1, "words": 4, "characters": 20},
}


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    table = tmp_path / "content.csv"
    table.write_text(TABLE, encoding="utf-8")
    buf = io.BytesIO()
    write_tmx(
        buf,
        [
            TmxUnit("e", {"en": "Hello world", "de": "Hallo Welt"}),
            TmxUnit("x", {"en": "Subscribe to our newsletter", "de": "Newsletter abonnieren"}),
        ],
        "en",
    )
    tmx = tmp_path / "agency.tmx"
    tmx.write_bytes(buf.getvalue())
    return table, tmx


def test_bands_of_a_small_table(files: tuple[Path, Path]) -> None:
    table, tmx = files
    data = analyze_file(table, [tmx]).as_dict()
    de = data["languages"]["de"]  # type: ignore[index]
    assert de == {
        "bands": BANDS,
        "total": {"segments": 6, "words": 18, "characters": 91},
        "weighted_words": 8.6,  # 5x.25 + 2x.1 + 3x.25 + 4x.6 + 4x1
    }


def test_the_same_content_counts_the_same_everywhere(
    files: tuple[Path, Path], tmp_path: Path
) -> None:
    table_path, tmx = files
    table = formats.load_table(table_path)
    de = table.language("de")
    tm = TranslationMemory.from_tmx([tmx])
    from_table = analyze(table_segments(table, de), "en", "de", site_memory(table, tm))

    units = split(table, de, only="missing", reuse=True)  # what pull writes today
    from_units = analyze(unit_segments(units), "en", "de", TranslationMemory.from_tmx([tmx]))
    po = tmp_path / "content.de.po"
    formats.save_units(units, po, formats.get("po"))
    from_po = analyze_file(po, [tmx]).languages[0]
    assert from_table.bands == from_units.bands == from_po.bands

    # and the plain counts of `wixloc stats` and pull agree: 6 entries, 18 words, 2 repeated
    expected = {"entries": 6, "words": 18, "characters": 91}
    assert compute_stats(table_path).languages[0].total.as_dict() == expected
    assert compute_stats(po).languages[0].total.as_dict() == expected
    assert unit_stats(units).total.as_dict() == expected
    assert (
        unit_stats(units).repetitions.entries
        == compute_stats(po).languages[0].repetitions.entries
        == 2
    )


def test_memory_filled_units_keep_their_band(files: tuple[Path, Path]) -> None:
    table_path, tmx = files
    table = formats.load_table(table_path)
    units = split(table, "de", only="missing")
    suggestions = apply_memory(units, TranslationMemory.from_tmx([tmx]))
    e = next(u for u in units.units if u.key == ("e",))
    assert (e.target, e.state.value, e.notes[-1]) == ("Hallo Welt", "translated", IN_CONTEXT_NOTE)
    ((key, (suggestion,)),) = suggestions.items()
    assert (key, suggestion.target, suggestion.score) == (("c",), "Newsletter abonnieren", 88)
    counted = analyze(unit_segments(units), "en", "de")
    assert counted.bands["in-context"].segments == 1
    assert counted.bands["85-94"].segments == 0  # a suggestion is not a pre-fill: no TM given here


def test_render_csv_and_text(files: tuple[Path, Path]) -> None:
    table, tmx = files
    result = analyze_file(table, [tmx], weights=parse_weights({"no-match": 1.2}, "wixloc.toml"))
    lines = render(result, "csv").splitlines()
    assert lines[0] == "language,band,segments,words,characters,weight,weighted_words"
    assert lines[1:10] == [
        "de,repetitions,2,5,22,0.25,1.25",
        "de,in-context,1,2,11,0.1,0.2",
        "de,100,1,3,11,0.25,0.75",
        "de,95-99,0,0,0,0.5,0",
        "de,85-94,1,4,27,0.6,2.4",
        "de,75-84,0,0,0,0.7,0",
        "de,50-74,0,0,0,1,0",
        "de,no-match,1,4,20,1.2,4.8",
        "de,total,6,18,91,,9.4",
    ]
    text = render(result, "text", {"de": "German (de)"}).splitlines()
    assert text[0] == f"{table}: main language en, against {tmx}"
    assert text[2:5] == [
        "Language     Band         Segments  Words  Characters  Weight  Weighted",
        "German (de)  repetitions         2      5          22    0.25      1.25",
        "             in-context          1      2          11     0.1       0.2",
    ]


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"110": 1}, "wixloc.toml: [stats] weights has an unknown band '110' (bands: repetitions, "
         "in-context, 100, 95-99, 85-94, 75-84, 50-74, no-match)"),
        ({"100": "cheap"}, "wixloc.toml: [stats] weights.100 must be a number >= 0, not 'cheap'"),
        ({"100": -1}, "wixloc.toml: [stats] weights.100 must be a number >= 0, not -1"),
        ([1], "wixloc.toml: [stats] weights must be a table such as { 100 = 0.3 }"),
    ],
)  # fmt: skip
def test_bad_weights(table: object, message: str) -> None:
    with pytest.raises(ConfigError) as err:
        parse_weights(table, "wixloc.toml")
    assert str(err.value) == message


def test_count_words_is_the_one_in_stats() -> None:
    assert count_words("Hello <b>{name}</b>, it’s well-known.") == (3, 24)


def test_cli_formats_and_weights_from_the_project(
    files: tuple[Path, Path], runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    table, tmx = files
    monkeypatch.chdir(table.parent)
    (table.parent / "wixloc.toml").write_text('[stats]\nweights = { "no-match" = 2 }\n')
    result = runner.invoke(cli, ["stats", str(table), "--tm", str(tmx), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["weights"]["no-match"] == 2.0
    assert data["languages"]["de"]["weighted_words"] == 12.6
    assert data["tms"] == [str(tmx)]
    result = runner.invoke(cli, ["stats", str(table), "--tm", str(tmx)])
    assert result.stdout.splitlines()[3].split() == [
        "German",
        "(de)",
        "repetitions",
        "2",
        "5",
        "22",
        "0.25",
        "1.25",
    ]
    (table.parent / "wixloc.toml").write_text('[stats]\nweights = { "x" = 2 }\n')
    result = runner.invoke(cli, ["stats", str(table), "--format", "csv"])
    assert result.exit_code == 2
    assert result.stderr.startswith("wixloc: error: ")
    assert "[stats] weights has an unknown band 'x'" in result.stderr
    (table.parent / "wixloc.toml").unlink()
    result = runner.invoke(cli, ["stats", str(table), "--tm", "missing.tmx"])
    assert (result.exit_code, result.stderr) == (2, "wixloc: error: missing.tmx: no such file\n")


def test_site_memory_leaves_out_stale_translations_per_language(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("Key,en,de,fr\na,New text,Alt,Ancien\n", encoding="utf-8")
    table = formats.load_table(path)
    tm = TranslationMemory()
    site_memory(table, tm, {("a",): "Old text"}, languages=[table.language("de")])
    site_memory(table, tm, None, languages=[table.language("fr")])
    assert tm.lookup("en", "New text", "de") == []
    assert [m.target for m in tm.lookup("en", "New text", "fr", "a")] == ["Ancien"]
