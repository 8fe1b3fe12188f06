"""Suggestions in each translator format's own place, read back as suggestions (never as the
translation), and ignored by merge."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from lxml import etree

from tests.conftest import DATA
from wixloc import formats
from wixloc.model import (
    Column,
    ColumnKind,
    Entry,
    Language,
    Suggestion,
    Table,
    Unit,
    UnitFile,
    UnitState,
)
from wixloc.roundtrip.merge import MergePolicy, merge
from wixloc.roundtrip.split import split
from wixloc.tm.memory import TranslationMemory
from wixloc.tm.prefill import prefill
from wixloc.tm.suggest import EXACT_NOTE, IN_CONTEXT_NOTE

EN, DE = Language("en"), Language("de")
OFFERED = Suggestion(
    "Subscribe to <b>our</b> newsletter", "<b>Unseren</b> Newsletter abonnieren", 88, "agency.tmx"
)
EXT = {"po": ".po", "xliff": ".xlf", "xliff2": ".xlf", "xlsx": ".xlsx"}


def _units() -> UnitFile:
    units = UnitFile(EN, DE, key_columns=["Collection ID", "Item ID", "Field"], original="c.csv")
    units.units = [
        Unit(("News", "n-1", "title"), "Subscribe to <b>the</b> newsletter", fingerprint="f1"),
        Unit(("News", "n-2", "title"), "Plain", "Klar", UnitState.TRANSLATED, fingerprint="f2"),
    ]
    units.units[0].suggestions = [OFFERED]
    return units


def _write(tmp_path: Path, name: str, units: UnitFile) -> Path:
    path = tmp_path / f"content.de{EXT[name]}"
    formats.save_units(units, path, formats.get(name))
    return path


@pytest.mark.parametrize("name", list(EXT))
def test_a_suggestion_reads_back_as_a_suggestion(tmp_path: Path, name: str) -> None:
    back = formats.load_units(_write(tmp_path, name, _units()))
    first, second = back.units
    assert (first.target, first.state, first.previous_source, first.changed) == (
        "",
        UnitState.NEW,
        None,
        False,
    )
    # XLSX holds the suggestion's translation and score, not the memory's source
    source = "" if name == "xlsx" else OFFERED.source
    assert first.suggestions == [Suggestion(source, OFFERED.target, 88, "agency.tmx")]
    assert (second.target, second.state, second.suggestions) == ("Klar", UnitState.TRANSLATED, [])


@pytest.mark.parametrize("name", list(EXT))
def test_without_suggestions_nothing_changes(tmp_path: Path, name: str) -> None:
    """The same units without suggestions give the bytes they gave before (no new column,
    no segment id, no comment)."""
    units = _units()
    units.units[0].suggestions = []
    path = _write(tmp_path, name, units)
    data = path.read_bytes()
    for marker in (b"alt-trans", b"mtc:", b"wixloc-suggestion", b'id="s1"'):
        assert marker not in data
    if name == "xlsx":
        import zipfile

        with zipfile.ZipFile(path) as z:
            sheet = z.read("xl/worksheets/sheet1.xml")
        assert b"Suggestion" not in sheet and b">Match<" not in sheet


def test_po_shows_it_as_a_fuzzy_entry(tmp_path: Path) -> None:
    text = _write(tmp_path, "po", _units()).read_text(encoding="utf-8")
    assert (
        "#. wixloc-source: f1\n"
        "#. wixloc-suggestion: 88 agency.tmx\n"
        "#, fuzzy\n"
        '#| msgid "Subscribe to <b>our</b> newsletter"\n'
        'msgctxt "News|n-1|title"\n'
        'msgid "Subscribe to <b>the</b> newsletter"\n'
        'msgstr "<b>Unseren</b> Newsletter abonnieren"\n'
    ) in text


def test_po_a_suggestion_accepted_is_the_translation(tmp_path: Path) -> None:
    path = _write(tmp_path, "po", _units())
    text = path.read_text(encoding="utf-8").replace("#, fuzzy\n", "", 1)
    path.write_text(text, encoding="utf-8")
    first = formats.load_units(path).units[0]
    assert (first.target, first.state) == (OFFERED.target, UnitState.TRANSLATED)
    assert (first.previous_source, first.changed, first.suggestions) == (None, False, [])


def test_xliff1_alt_trans_is_valid_and_coded(tmp_path: Path) -> None:
    path = _write(tmp_path, "xliff", _units())
    schema = etree.XMLSchema(etree.parse(str(DATA / "schemas" / "xliff-core-1.2-strict.xsd")))
    doc = etree.parse(str(path))
    assert schema.validate(doc), schema.error_log
    text = path.read_text(encoding="utf-8")
    assert (
        '<alt-trans match-quality="88" origin="agency.tmx">\n'
        '          <source>Subscribe to <bpt id="1" ctype="bold">&lt;b&gt;</bpt>our'
        '<ept id="1">&lt;/b&gt;</ept> newsletter</source>\n'
        '          <target><bpt id="1" ctype="bold">&lt;b&gt;</bpt>Unseren'
        '<ept id="1">&lt;/b&gt;</ept> Newsletter abonnieren</target>\n'
        "        </alt-trans>"
    ) in text


def test_xliff2_matches_are_valid_and_refer_to_the_segment(tmp_path: Path) -> None:
    """Validated against the core schema, where the unit takes the matches module's element
    as an extension (lax: the core schema does not include the module's schema)."""
    path = _write(tmp_path, "xliff2", _units())
    schema = etree.XMLSchema(etree.parse(str(DATA / "schemas" / "xliff_core_2.0.xsd")))
    doc = etree.parse(str(path))
    assert schema.validate(doc), schema.error_log
    ns = {
        "x": "urn:oasis:names:tc:xliff:document:2.0",
        "mtc": "urn:oasis:names:tc:xliff:matches:2.0",
    }
    (unit,) = [u for u in doc.iterfind(".//x:unit", ns) if u.find("mtc:matches", ns) is not None]
    assert unit[0].tag == "{urn:oasis:names:tc:xliff:matches:2.0}matches"  # before the notes
    (match,) = unit.iterfind("mtc:matches/mtc:match", ns)
    assert dict(match.attrib) == {"ref": "#s1", "matchQuality": "88", "origin": "agency.tmx"}
    assert [etree.QName(c).localname for c in match] == ["originalData", "source", "target"]
    segment = unit.find("x:segment", ns)
    assert segment is not None and segment.get("id") == "s1"
    # the match's content is core XLIFF: as a unit of its own, it is valid (strict, not lax)
    core = ns["x"]
    alone = etree.Element(f"{{{core}}}xliff", version="2.0", srcLang="en", trgLang="de")
    one = etree.SubElement(etree.SubElement(alone, f"{{{core}}}file", id="f"), f"{{{core}}}unit")
    one.set("id", "u")
    data, source, target = (copy.deepcopy(child) for child in match)
    one.append(data)
    seg = etree.SubElement(one, f"{{{core}}}segment")
    seg.extend([source, target])
    assert schema.validate(etree.ElementTree(alone)), schema.error_log


def test_xlsx_columns(tmp_path: Path) -> None:
    from python_calamine import CalamineWorkbook

    path = _write(tmp_path, "xlsx", _units())
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Translations").to_python()
    header = list(rows[0])
    assert header[-2:] == ["Suggestion", "Match"]
    assert list(rows[1])[-2:] == [OFFERED.target, "88 % (agency.tmx)"]
    assert list(rows[1])[header.index("Translation (de)")] == ""


def _table() -> Table:
    columns = [
        Column("ID", ColumnKind.KEY),
        Column("en", ColumnKind.LANGUAGE, EN),
        Column("de", ColumnKind.LANGUAGE, DE),
    ]
    rows = [
        ("a", "Add to cart", ""),
        ("b", "Subscribe to the newsletter", ""),
        ("d", "Add to cart", "In den Warenkorb"),
        ("e", "Hello world", ""),
        ("f", "Brand new words here", ""),
    ]
    entries = [Entry((k,), {EN: en, DE: de}) for k, en, de in rows]
    return Table([EN, DE], columns, entries)


def _memory() -> TranslationMemory:
    tm = TranslationMemory()
    tm.add("en", "Hello world", "de", "Hallo Welt", context="e", origin="agency.tmx")
    tm.add("en", "Subscribe to our newsletter", "de", "Newsletter abonnieren", origin="agency.tmx")
    return tm


def test_prefill_exact_in_context_and_fuzzy() -> None:
    table = _table()
    units = split(table, "de")
    prefill(table, units, _memory())
    got = {u.key[0]: (u.target, u.state, u.notes, u.suggestions) for u in units.units}
    assert got == {
        "a": ("In den Warenkorb", UnitState.NEEDS_REVIEW, ["ID: a", EXACT_NOTE], []),
        "b": (
            "",
            UnitState.NEW,
            ["ID: b"],
            [Suggestion("Subscribe to our newsletter", "Newsletter abonnieren", 88, "agency.tmx")],
        ),
        "e": ("Hallo Welt", UnitState.TRANSLATED, ["ID: e", IN_CONTEXT_NOTE], []),
        "f": ("", UnitState.NEW, ["ID: f"], []),
    }


@pytest.mark.parametrize("name", list(EXT))
def test_merge_ignores_suggestions(tmp_path: Path, name: str) -> None:
    table = _table()
    units = split(table, "de")
    prefill(table, units, _memory())
    path = _write(tmp_path, name, units)
    for fuzzy in (False, True):
        merged = _table()
        merge(merged, [formats.load_units(path)], MergePolicy(include_fuzzy=fuzzy))
        texts = {e.key[0]: e.texts[DE] for e in merged.entries}
        # e (in-context) is a translation, a (100 %) one to review; b's suggestion is neither
        assert texts == {
            "a": "In den Warenkorb" if fuzzy else "",
            "b": "",
            "d": "In den Warenkorb",
            "e": "Hallo Welt",
            "f": "",
        }


def test_translate_toolkit_sees_the_suggestions(tmp_path: Path) -> None:
    """CAT-side readers find them where the formats keep them: XLIFF 1.2 alt-trans, and a
    fuzzy PO entry with the memory's source as its previous msgid."""
    xliff = pytest.importorskip("translate.storage.xliff", reason="translate-toolkit is optional")
    po = pytest.importorskip("translate.storage.po", reason="translate-toolkit is optional")
    store = xliff.xlifffile.parsefile(str(_write(tmp_path, "xliff", _units())))
    (alt,) = store.units[0].getalttrans()
    assert (alt.source, alt.target) == (OFFERED.source, OFFERED.target)
    assert alt.xmlelement.get("match-quality") == "88"
    catalog = po.pofile.parsefile(str(_write(tmp_path, "po", _units())))
    entry = next(u for u in catalog.units if u.getcontext() == "News|n-1|title")
    assert entry.isfuzzy() and entry.target == OFFERED.target
    assert entry.prev_source == OFFERED.source


@pytest.mark.parametrize("name", list(EXT))
def test_a_suggestion_with_a_control_character_does_not_fail_the_file(
    tmp_path: Path, name: str
) -> None:
    """XLIFF codes it as the unit's own texts; PO, which cannot hold NUL, leaves it out."""
    units = _units()
    units.units[0].suggestions = [Suggestion("Subscribe\x00 to", "Abo\x01nnieren", 60, "a\nb.tmx")]
    back = formats.load_units(_write(tmp_path, name, units)).units[0]
    assert back.target == ""
    if name == "po":
        assert back.suggestions == []
    else:  # the origin on one line; XLSX keeps no source
        source = "" if name == "xlsx" else "Subscribe\x00 to"
        assert back.suggestions == [Suggestion(source, "Abo\x01nnieren", 60, "a b.tmx")]
