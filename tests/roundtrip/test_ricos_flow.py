"""Ricos cells through split, merge and check: translators see segments, never JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.support.ricos import nodes, without_text
from wixloc.checks import CheckConfig, check_files
from wixloc.errors import MergeError
from wixloc.formats import get as get_format
from wixloc.formats import load_table, load_units, markup, save_table, save_units
from wixloc.model import Entry, Language, Table, UnitState
from wixloc.roundtrip import ricos
from wixloc.roundtrip.files import merge_files, split_files

SAMPLE = REPO / "samples" / "content.csv"
DE = Language("de")
EN = Language("en")


def _rich(table: Table) -> list[Entry]:
    return [e for e in table.entries if ricos.is_ricos(e.text(EN))]


def _translate(source: str) -> str:
    """A stand-in translator: every text run upper-cased, every tag kept as it is."""
    parts = []
    for run in markup.parse(source):
        parts.append(run.upper() if isinstance(run, str) else run.text)
    return "".join(parts)


def test_segment_keys_are_reversible() -> None:
    key = ("BlogPosts", "8dec47f2", "richBody")
    assert ricos.segment_key(key, "ff384") == ("BlogPosts", "8dec47f2", "richBody#ff384")
    assert ricos.split_segment_key(("BlogPosts", "x", "richBody#n0.1:alt")) == (
        ("BlogPosts", "x", "richBody"),
        "n0.1:alt",
    )
    assert ricos.split_segment_key(("FAQ", "x", "answer")) == (("FAQ", "x", "answer"), "")


def test_expand_gives_one_entry_per_segment_with_the_translated_segments() -> None:
    table = load_table(SAMPLE)
    expanded = ricos.expand(table)
    rich = _rich(table)
    assert len(rich) == 10
    segs = sum(len(ricos.segments(e.text(EN))) for e in rich)
    assert len(expanded) == len(table) - 10 + segs
    assert not any('{"nodes"' in t for e in expanded.entries for t in e.texts.values())
    post = next(e for e in rich if e.text(DE))  # translated into German
    first = ricos.segments(post.text(EN))[0]
    german = {s.id: s.text for s in ricos.segments(post.text(DE))}
    seg = next(e for e in expanded.entries if e.key == ricos.segment_key(post.key, first.id))
    assert (seg.text(EN), seg.text(DE)) == (first.text, german[first.id])


def test_a_table_without_rich_content_is_not_copied() -> None:
    table = Table([EN, DE], [], [Entry(("a",), {EN: "x"})])
    assert ricos.expand(table) is table
    assert ricos.collapse(table, table) is table


@pytest.mark.parametrize(
    ("fmt", "codes"), [("xliff2", "<pc "), ("xliff", "<bpt "), ("po", "<b>"), ("xlsx", "")]
)
def test_split_translate_merge_rebuilds_every_document(
    tmp_path: Path, fmt: str, codes: str
) -> None:
    table = load_table(SAMPLE)
    written = split_files(SAMPLE, fmt, out_dir=tmp_path, languages=["de"], only="all")
    [(path, [(_, count)])] = written
    text = "" if fmt == "xlsx" else path.read_text(encoding="utf-8")
    assert '{"nodes"' not in text and "textData" not in text
    if codes:
        assert codes in text  # the decorations as inline codes
    units = load_units(path)
    assert count == len(units.units)
    keys = {u.key for u in units.units}
    for entry in _rich(table):
        for seg in ricos.segments(entry.text(EN)):
            assert ricos.segment_key(entry.key, seg.id) in keys
    for unit in units.units:
        assert '{"nodes"' not in unit.source
        unit.target = _translate(unit.source)
        unit.state = UnitState.TRANSLATED
    save_units(units, path, get_format(fmt))

    out = tmp_path / "merged.csv"
    merge_files(SAMPLE, [path], out)
    merged = load_table(out)
    before = {e.key: e for e in table.entries}
    for entry in _rich(merged):
        source = before[entry.key].text(EN)
        assert entry.text(EN) == source
        assert without_text(json.loads(entry.text(DE))) == without_text(json.loads(source))
        assert [s.text for s in ricos.segments(entry.text(DE))] == [
            _translate(s.text) for s in ricos.segments(source)
        ]
        assert entry.text(DE).startswith('{"nodes":[')  # compact JSON, as Wix gives it


def test_merge_refuses_a_segment_whose_tags_differ(tmp_path: Path) -> None:
    [(path, _)] = split_files(SAMPLE, "xliff2", out_dir=tmp_path, languages=["de"], only="all")
    units = load_units(path)
    unit = next(u for u in units.units if "#" in u.key[-1] and "<b>" in u.source)
    unit.target = unit.source.replace("<b>", "").replace("</b>", "")
    unit.state = UnitState.TRANSLATED
    save_units(units, path, get_format("xliff2"))
    cell, segment = ricos.split_segment_key(unit.key)
    with pytest.raises(MergeError) as info:
        merge_files(SAMPLE, [path], tmp_path / "merged.csv")
    assert str(info.value) == (
        f"{'|'.join(cell)} (de): segment {segment!r}: the translation's tags differ from the"
        " source's (keep every tag of the source, each exactly once)"
    )
    assert not (tmp_path / "merged.csv").exists()


def test_check_reads_the_segments_not_the_json(tmp_path: Path) -> None:
    table = load_table(SAMPLE)
    entry = next(e for e in _rich(table) if e.text(DE) and "<b>" in _all_text(e))
    doc = json.loads(entry.text(DE))
    for node in nodes(doc):  # the German document loses its bold
        if node["type"] == "TEXT":
            decorations = node["textData"]["decorations"]
            decorations[:] = [d for d in decorations if d["type"] != "BOLD"]
    entry.texts[DE] = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    bold = [s.id for s in ricos.segments(entry.text(EN)) if "<b>" in s.text]
    path = tmp_path / "content.csv"
    save_table(table, path)
    report = check_files([path], CheckConfig())
    cell = "|".join(entry.key)
    found = [f for f in report.findings if f.key.startswith(cell) and f.code == "markup-mismatch"]
    assert sorted((f.key, f.code, f.language) for f in found) == sorted(
        (f"{cell}#{seg}", "markup-mismatch", "de") for seg in bold
    )
    # nothing about the JSON itself: its braces, quotes and URLs are not the translator's
    assert not [f for f in report.findings if f.key == cell]


def _all_text(entry: Entry) -> str:
    return "".join(s.text for s in ricos.segments(entry.text(EN)))


def test_collapse_keeps_a_cell_no_segment_of_which_was_translated() -> None:
    table = load_table(SAMPLE)
    before = {e.key: dict(e.texts) for e in table.entries}
    expanded = ricos.expand(table)
    ricos.collapse(expanded, table)
    assert {e.key: e.texts for e in table.entries} == before


def test_a_changed_document_makes_only_its_changed_segments_stale() -> None:
    table = load_table(SAMPLE)
    entry = next(e for e in _rich(table) if e.text(DE))
    old = entry.text(EN)
    first, second, *_ = ricos.segments(old)
    entry.texts[EN] = ricos.rebuild(old, {first.id: "A new heading"})
    faq = next(e.key for e in table.entries if e.key[0] == "FAQ")
    previous = ricos.expand_previous(table, {entry.key: old, faq: "was"})
    assert previous == {ricos.segment_key(entry.key, first.id): first.text, faq: "was"}
    assert ricos.segment_key(entry.key, second.id) not in previous
