"""XLIFF 1.2 and 2.0: exact round trips, schema validity, what CAT tools send back, safe parsing."""

from __future__ import annotations

import copy
import io
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from tests.conftest import DATA as TEST_DATA
from tests.formats.test_contract import tricky_units
from tests.support.tables import TRICKY_TEXTS, write_table
from wixloc.cli import cli
from wixloc.errors import FormatError, InputError
from wixloc.formats import (
    ReadOptions,
    get,
    load_table,
    load_units,
    open_document,
    save_units,
    xliff1,
    xliff2,
)
from wixloc.formats._xliff import esc, esc_attr
from wixloc.model import Language, Unit, UnitFile, UnitState, fingerprint, format_key
from wixloc.roundtrip.files import merge_files, split_files

DATA = TEST_DATA / "xliff"
# The official OASIS schemas, copied from the standard into tests/data/schemas (see its README).
SCHEMAS = TEST_DATA / "schemas"
SCHEMA_FILES = {xliff1: "xliff-core-1.2-strict.xsd", xliff2: "xliff_core_2.0.xsd"}
MODULES = [xliff1, xliff2]
KEYS = ["Collection ID", "Item ID", "Field"]


@cache
def _schema(module: ModuleType) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / SCHEMA_FILES[module])))


def assert_valid(module: ModuleType, data: bytes) -> None:
    """Validate *data* against its official schema."""
    schema = _schema(module)
    ok = schema.validate(etree.fromstring(data))
    assert ok, str(schema.error_log)


check_valid = assert_valid


def write(module: ModuleType, units: UnitFile) -> bytes:
    out = io.BytesIO()
    module.write(units, out)
    return out.getvalue()


def read(module: ModuleType, data: bytes, name: str = "t.xlf") -> UnitFile:
    back: UnitFile = module.read(io.BytesIO(data), ReadOptions(name=name))
    for unit in back.units:
        unit.line = None
    return back


def sample() -> UnitFile:
    units = UnitFile(Language("en"), Language("de"), key_columns=list(KEYS), original="site.csv")
    rich = '<p>Hello <strong>{name}</strong><br/><a href="https://x?a=1&amp;b=2">link</a></p>'
    units.units = [
        Unit(("Products", "p-1", "title"), rich, "", UnitState.NEW, ["ctx"], fingerprint(rich)),
        Unit(("Products", "p-2", "title"), "a < b &amp; c\r\n", "a < b &amp; C\r\n",
             UnitState.TRANSLATED, [], "00ff", max_length=40),
        Unit(("Products", "p-3", "body"), "</p> lone <b><i>x</b></i>", "Vorschlag",
             UnitState.NEEDS_REVIEW, ["one", "two"], None, previous_source="old source"),
        Unit(("Products", "p|4", "x y"), " \x01ctl\ufffe ", "\x02", UnitState.REVIEWED),
        Unit(("Products", "p-5", "t"), "final", "endgültig", UnitState.FINAL),
        Unit(("Products", "p-6", "t"), "prefilled", "vorab", UnitState.NEW),
        Unit(("Products", "p-7", "t"), "stale", "", UnitState.NEEDS_REVIEW),
    ]  # fmt: skip
    return units


# --- round trips and validity -----------------------------------------------------------------


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.FORMAT.name)
def test_sample_round_trips_exactly(module: ModuleType) -> None:
    units = sample()
    data = write(module, units)
    back = read(module, data)
    assert back == units
    assert write(module, back) == data


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.FORMAT.name)
def test_written_files_are_valid_against_the_schema(module: ModuleType) -> None:
    empty = UnitFile(Language("en-US"), Language("zh-Hant-TW"))
    for units in (sample(), tricky_units(), empty):
        assert_valid(module, write(module, units))


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.FORMAT.name)
def test_reader_records_the_line_of_each_unit(module: ModuleType) -> None:
    data = write(module, sample())
    back = module.read(io.BytesIO(data), ReadOptions(name="t.xlf"))
    lines = data.decode().splitlines()
    for unit in back.units:
        assert unit.line is not None
        assert f'name="{format_key(unit.key)}"' in lines[unit.line - 1]


_KEY_PART = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=8)
_TEXT_PIECES = st.sampled_from(
    [
        *(
            "<p>",
            "</p>",
            "<b>",
            "</b>",
            "<br/>",
            "<a href='x'>",
            "</a>",
            "&amp;",
            "&nbsp;",
            "&",
            "<",
        ),
        *(
            "\r\n",
            "\r",
            "\n",
            "\t",
            "  ",
            "\x01",
            "\x0b",
            "\ufffe",
            "{name}",
            "{{n}}",
            "]]>",
            "👩‍👧",
        ),
    ]
)
_TEXT = st.lists(st.one_of(_TEXT_PIECES, st.text(max_size=6)), max_size=12).map("".join)
# notes and previous sources cannot hold what XML cannot (that is refused, tested above)
_NOTE = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cs"]).filter(lambda c: not _has_bad(c)),
    max_size=10,
)
_UNIT = st.builds(
    Unit,
    key=st.tuples(_KEY_PART, _KEY_PART).filter(lambda k: not _has_bad(k[0] + k[1])),
    source=_TEXT,
    target=_TEXT,
    state=st.sampled_from(list(UnitState)),
    notes=st.lists(_NOTE, max_size=2),
    fingerprint=st.one_of(st.none(), st.text("0123456789abcdef", min_size=1, max_size=16)),
    previous_source=st.one_of(st.none(), _NOTE),
    max_length=st.one_of(st.none(), st.integers(0, 10_000)),
)


def _has_bad(text: str) -> bool:
    return any((ord(c) < 32 and c not in "\t\n\r") or c in "\ufffe\uffff" for c in text)


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.FORMAT.name)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(units=st.lists(_UNIT, max_size=6, unique_by=lambda u: u.key))
def test_any_units_round_trip_and_validate(module: ModuleType, units: list[Unit]) -> None:
    unit_file = UnitFile(Language("en"), Language("he"), units, key_columns=["a", "b"])
    data = write(module, unit_file)
    check_valid(module, data)
    assert read(module, data) == unit_file


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.FORMAT.name)
def test_unit_ids_are_nmtokens_and_unique(module: ModuleType) -> None:
    units = UnitFile(Language("en"), Language("de"))
    units.units = [Unit(("a b", "c"), "1"), Unit(("a_b", "c"), "2"), Unit(("a/b", "c"), "3")]
    root = etree.fromstring(write(module, units))
    tag = "trans-unit" if module is xliff1 else "unit"
    ids = [el.get("id") for el in root.iter(f"{{{module.NS}}}{tag}")]
    assert ids == ["a_b.c", "a_b.c_2", "a_b.c_3"]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.FORMAT.name)
@pytest.mark.parametrize("field", ["key", "note", "previous source"])
def test_a_control_character_outside_the_text_is_refused_naming_key_and_language(
    module: ModuleType, field: str
) -> None:
    unit = Unit(("Products", "p-1", "title"), "text")
    if field == "key":
        unit.key = ("Products", "p\x07", "title")
    elif field == "note":
        unit.notes = ["bell \x07"]
    else:
        unit.previous_source = "bell \x07"
    units = UnitFile(Language("en"), Language("de-AT"), [unit])
    with pytest.raises(FormatError) as err:
        write(module, units)
    key = "Products|p\x07|title" if field == "key" else "Products|p-1|title"
    assert str(err.value) == (
        f"the {field} of '{key}' (de-AT) contains U+0007, which XLIFF cannot hold "
        "(remove the control character from the table)"
    )


def test_xliff1_writes_markup_as_codes_that_carry_the_tag_text() -> None:
    units = UnitFile(Language("en"), Language("de"), [Unit(("k",), "<b>x</b><br/>&amp;\x01")])
    root = etree.fromstring(write(xliff1, units))
    source = root.find(".//{*}source")
    assert source is not None
    got = [(etree.QName(c).localname, dict(c.attrib), c.text) for c in source]
    assert got == [
        ("bpt", {"id": "1", "ctype": "bold"}, "<b>"),
        ("ept", {"id": "1"}, "</b>"),
        ("ph", {"id": "2", "ctype": "lb"}, "<br/>"),
        ("ph", {"id": "3", "ctype": "x-html-entity", "equiv-text": "&"}, "&amp;"),
        ("ph", {"id": "4", "ctype": "x-wixloc-char"}, "U+0001"),
    ]


def test_xliff2_writes_markup_as_pc_and_ph_with_original_data_and_cp() -> None:
    units = UnitFile(Language("en"), Language("de"), [Unit(("k",), "<b>x</b><br/>\x01")])
    data = write(xliff2, units).decode()
    assert '<data id="d1">&lt;b&gt;</data>' in data
    assert (
        '<source><pc id="1" dataRefStart="d1" dataRefEnd="d2" type="fmt">x</pc>'
        '<ph id="2" dataRef="d3"/><cp hex="0001"/></source>'
    ) in data


def test_xliff1_target_states_and_notes_are_written_as_documented() -> None:
    root = etree.fromstring(write(xliff1, sample()))
    states = [t.get("state") for t in root.iter("{*}target")]
    assert states == [
        "needs-translation",
        "translated",
        "needs-review-translation",
        "signed-off",
        "final",
        "new",
        "needs-review-translation",
    ]
    unit = root.find(".//{*}trans-unit")
    assert unit is not None
    notes = [(n.get("from"), n.text) for n in unit.iter("{*}note")]
    assert notes == [(None, "ctx"), ("wixloc:fingerprint", fingerprint(sample().units[0].source))]


def test_xliff2_segment_states_are_written_as_documented() -> None:
    root = etree.fromstring(write(xliff2, sample()))
    states = [(s.get("state"), s.get("subState")) for s in root.iter("{*}segment")]
    assert states == [
        ("initial", None),
        ("translated", None),
        ("translated", "wixloc:needs-review"),  # a suggestion: "translated" with our subState
        ("reviewed", None),
        ("final", None),
        ("initial", "wixloc:new"),
        ("initial", "wixloc:needs-review"),
    ]


# --- what tools send back ---------------------------------------------------------------------


def test_trados_segmented_file_is_read() -> None:
    back = load_units(DATA / "trados-seg-source.xlf")
    assert (str(back.source_language), str(back.target_language)) == ("en", "de-DE")
    assert back.key_columns == KEYS
    got = [(u.key, u.source, u.target, u.state, u.fingerprint) for u in back.units]
    assert got == [
        (
            ("Products", "p-1", "description"),
            "<p>Save <strong>{percent}%</strong> today. Free shipping<br/>on mugs & cups.</p>",
            "<p>Heute <strong>{percent}%</strong> sparen. Kostenloser Versand<br/>"
            "für Tassen & Becher.</p>",
            UnitState.TRANSLATED,  # the least finished of its segments
            "0123456789abcdef",
        ),
        (("Products", "p-2", "title"), "Ceramic mug", "Keramiktasse (Entwurf)",
         UnitState.NEEDS_REVIEW, "fedcba9876543210"),
        (("Products", "p-3", "title"), "  Teapot  ", "  Teekanne  ", UnitState.FINAL, None),
    ]  # fmt: skip


def test_memoq_file_with_extra_namespaces_cdata_and_alt_trans_is_read() -> None:
    back = load_units(DATA / "memoq.xlf")
    assert str(back.target_language) == "he"
    got = [(u.key[1], u.source, u.target, u.state) for u in back.units]
    assert got == [
        ("p-1", "Hello {name}", "שלום {name}", UnitState.TRANSLATED),
        ("p-2", "a < b & &amp;", "a < b & &amp;", UnitState.REVIEWED),
        ("p-3", "Half done", "חצי", UnitState.NEEDS_REVIEW),
        ("p-4", "Not started", "", UnitState.NEW),
        ("p-5", "No memoQ status", "בלי סטטוס", UnitState.TRANSLATED),
    ]
    first = back.units[0]
    assert (first.notes, first.fingerprint, first.max_length) == (
        ["Collection ID: Products · Item ID: p-1 · Field: title"],
        "1111111111111111",
        40,
    )


def test_xliff2_as_phrase_or_crowdin_return_it_is_read() -> None:
    back = load_units(DATA / "phrase-2.0.xlf")
    assert (str(back.source_language), str(back.target_language)) == ("en", "ja")
    assert (back.key_columns, back.original) == (KEYS, "content.csv")
    got = [(u.key[1], u.source, u.target, u.state) for u in back.units]
    assert got == [
        (
            "p-1",
            "Save <strong>{percent}%</strong> today. Free shipping<br/>on mugs.",
            "<strong>{percent}%</strong>お得。 送料無料<br/>マグカップ。",
            UnitState.TRANSLATED,
        ),
        ("p-2", "Ceramic mug", "陶器のマグ", UnitState.FINAL),
        ("p-3", "Teapot", "ティーポット", UnitState.TRANSLATED),
        ("p-4", "Machine translated", "機械翻訳", UnitState.NEEDS_REVIEW),
        ("p-5", "Not started\x01", "", UnitState.NEW),
    ]
    assert back.units[0].fingerprint == "0123456789abcdef"


def test_xliff1_code_without_its_content_takes_the_source_code_text() -> None:
    units = UnitFile(Language("en"), Language("de"), [Unit(("k",), "a<br/>b <b>c</b>")])
    root = etree.fromstring(write(xliff1, units))
    target = root.find(".//{*}target")
    assert target is not None
    target.text = "A"
    for tag, cid, tail in (("ph", "1", "B "), ("bpt", "2", "C"), ("ept", "2", None)):
        etree.SubElement(target, f"{{{xliff1.NS}}}{tag}", id=cid).tail = tail
    target.set("state", "translated")
    assert read(xliff1, etree.tostring(root)).units[0].target == "A<br/>B <b>C</b>"


def test_xliff2_code_without_data_ref_takes_the_source_code_text() -> None:
    units = UnitFile(Language("en"), Language("de"), [Unit(("k",), "a<br/>b")])
    root = etree.fromstring(write(xliff2, units))
    target = root.find(".//{*}target")
    assert target is not None
    target.text = "A"
    etree.SubElement(target, f"{{{xliff2.NS}}}ph", id="1").tail = "B"
    assert read(xliff2, etree.tostring(root)).units[0].target == "A<br/>B"


def test_xliff2_pair_returned_as_sc_ec_without_data_refs_takes_the_source_tags() -> None:
    units = UnitFile(Language("en"), Language("de"), [Unit(("k",), "a <b>bold</b> c")])
    root = etree.fromstring(write(xliff2, units))
    target = root.find(".//{*}target")
    assert target is not None
    target.text = "A "
    etree.SubElement(target, f"{{{xliff2.NS}}}sc", id="1").tail = "fett"
    etree.SubElement(target, f"{{{xliff2.NS}}}ec", startRef="1").tail = " C"
    assert read(xliff2, etree.tostring(root)).units[0].target == "A <b>fett</b> C"


TRICKY_TARGETS = [
    "Hallo\r\nWelt",
    "  spaces  ",
    "<b>fett</b> &amp; <&>",
    "☕ 👩‍👩‍👧",
    "שלום",
    "=1+1",
]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.FORMAT.name)
def test_translations_filled_in_with_plain_lxml_are_read_back_exactly(module: ModuleType) -> None:
    units = UnitFile(Language("en"), Language("de"), key_columns=list(KEYS))
    sources = ["Hello\r\nworld", "  spaces  ", "<b>bold</b> &amp; <&>", "☕", "שלום", "=SUM(A1)"]
    units.units = [
        Unit(("Products", f"p-{n}", "title"), text, fingerprint=fingerprint(text), notes=["c"])
        for n, text in enumerate(sources)
    ]
    tree = etree.parse(io.BytesIO(write(module, units)))
    state_holder = "{*}target" if module is xliff1 else "{*}segment"
    for target, holder, text in zip(
        tree.iter("{*}target"), tree.iter(state_holder), TRICKY_TARGETS, strict=True
    ):
        target.text = text  # an outside tool writes plain text; lxml escapes it
        holder.set("state", "translated")
    back = read(module, etree.tostring(tree, xml_declaration=True, encoding="UTF-8"))
    assert [u.target for u in back.units] == TRICKY_TARGETS
    assert [u.state for u in back.units] == [UnitState.TRANSLATED] * len(sources)
    for unit in units.units:
        unit.target, unit.state = TRICKY_TARGETS[units.units.index(unit)], UnitState.TRANSLATED
    assert back == units


# --- detection --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "version"),
    [
        (b'<?xml version="1.0"?><xliff version="1.2" xmlns="x">', "xliff"),
        (b"<xliff xmlns='urn:oasis:names:tc:xliff:document:1.2'>", "xliff"),
        (b'<?xml version="1.0"?>\n<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0"\n'
         b' version="2.0" srcLang="en">', "xliff2"),
        (b'<?xml version="1.0"?><!-- version="2.0" --><xliff version="1.2">', "xliff"),
        (b'<x:xliff xmlns:x="urn:oasis:names:tc:xliff:document:2.0" version="2.1">', "xliff2"),
    ],
)  # fmt: skip
def test_sniffers_pick_exactly_one_version(head: bytes, version: str, tmp_path: Path) -> None:
    assert [xliff1.sniff(head), xliff2.sniff(head)] == [version == "xliff", version == "xliff2"]
    (tmp_path / "f.xlf").write_bytes(head)
    assert open_document(tmp_path / "f.xlf").format.name == version


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.FORMAT.name)
def test_load_units_picks_the_version_by_content(module: ModuleType, tmp_path: Path) -> None:
    path = tmp_path / "site.de.xlf"
    save_units(sample(), path, module.FORMAT)
    assert open_document(path).format.name == module.FORMAT.name
    back = load_units(path)
    assert back.source == str(path)
    assert [u.target for u in back.units] == [u.target for u in sample().units]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.FORMAT.name)
def test_a_utf16_file_is_sniffed_and_read(module: ModuleType, tmp_path: Path) -> None:
    text = write(module, sample()).decode().replace('encoding="UTF-8"', 'encoding="UTF-16"')
    path = tmp_path / "site.de.xlf"
    path.write_bytes(text.encode("utf-16"))
    assert open_document(path).format.name == module.FORMAT.name
    assert [u.target for u in load_units(path).units] == [u.target for u in sample().units]


def test_both_versions_are_registered_for_xlf_and_xliff() -> None:
    assert get("xliff") is xliff1.FORMAT
    assert get("xliff2") is xliff2.FORMAT
    assert xliff2.FORMAT.extensions == (".xlf", ".xliff")
    # the CAT tools' own names for their XLIFF 1.2 files read as XLIFF 1.2 (issue 14)
    assert xliff1.FORMAT.extensions == (".xlf", ".xliff", ".sdlxliff", ".mqxliff", ".mxliff")


@pytest.mark.parametrize(
    ("module", "data", "message"),
    [
        (xliff1, b'<xliff version="2.0"/>',
         "t.xlf: this is XLIFF 2.0, not XLIFF 1.2 (read it as xliff2)"),
        (xliff2, b'<xliff version="1.2"/>',
         "t.xlf: this is XLIFF 1.2, not XLIFF 2 (read it as xliff)"),
    ],
)  # fmt: skip
def test_reading_the_other_version_says_so(module: ModuleType, data: bytes, message: str) -> None:
    with pytest.raises(FormatError) as err:
        read(module, data)
    assert str(err.value) == message


# --- bad and hostile input --------------------------------------------------------------------

MALFORMED = b"""<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">
  <file original="a" source-language="en" target-language="de" datatype="plaintext"><body>
    <trans-unit id="a" resname="a"><source>one</source></trans-unit>
    <trans-unit id="b" resname="b"><source>two</trans-unit>
  </body></file>
</xliff>
"""


def test_malformed_xml_is_one_line_naming_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.xlf"
    path.write_bytes(MALFORMED)
    with pytest.raises(InputError) as err:
        load_units(path)
    assert str(err.value) == (
        f"{path}:5: not well-formed XML: Opening and ending tag mismatch: source line 5 and "
        "trans-unit"
    )


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE xliff [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<xliff version="%s" srcLang="en" trgLang="de"><file original="a" source-language="en"
 target-language="de" datatype="plaintext" id="f"><body><trans-unit id="a" resname="a">
<source>&lol3;</source></trans-unit></body></file></xliff>
"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE xliff [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<xliff version="%s"><file><body><trans-unit id="a" resname="a"><source>&secret;</source>
</trans-unit></body></file></xliff>
"""
DOCTYPE_REFUSED = (
    "t.xlf: the file has a DOCTYPE declaration; XLIFF files never need one and wixloc does not "
    "read them (they can define entities that expand without limit or read other files)"
)


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.FORMAT.name)
@pytest.mark.parametrize("doc", [BILLION_LAUGHS, EXTERNAL], ids=["billion-laughs", "external"])
@pytest.mark.parametrize("xmlns", [False, True], ids=["", "xmlns"])
def test_a_doctype_with_entities_is_refused(module: ModuleType, doc: bytes, xmlns: bool) -> None:
    version = b"1.2" if module is xliff1 else b"2.0"
    if xmlns:  # the XLIFF 1.2 reader then meets the namespace declaration before the root
        namespace = b"urn:oasis:names:tc:xliff:document:" + version
        doc = doc.replace(b"<xliff ", b'<xliff xmlns="' + namespace + b'" xmlns:mq="MQXliff" ')
    with pytest.raises(InputError) as err:
        read(module, doc % version)
    assert str(err.value) == DOCTYPE_REFUSED


@pytest.mark.parametrize(
    ("module", "data", "message"),
    [
        (xliff1, b"", "t.xlf: the file is empty, not XLIFF"),
        (xliff1, b"<html/>", "t.xlf: not an XLIFF 1.2 file: it has no <file> element"),
        (xliff2, b"<html/>", "t.xlf: not an XLIFF 2.0 file: it has no <xliff> element"),
        (xliff1, b'<xliff version="1.2"><file source-language="en"/></xliff>',
         "t.xlf:1: the file has no target-language"),
        (xliff2, b'<xliff version="2.0" srcLang="en" trgLang="??"/>',
         "t.xlf:1: trgLang: '??' is not a language tag (use an ISO 639-1 code with an optional "
         "region, such as de, fr-CA or pt-BR)"),
        (xliff1, b'<xliff version="1.2"><file source-language="en" target-language="de"><header>'
         b'<note from="wixloc:key-columns">a|b</note></header>'
         b'<body>\n<trans-unit id="x"><source/></trans-unit></body></file></xliff>',
         "t.xlf:2: trans-unit 'x' has no resname, and its id is not one wixloc wrote (wixloc "
         "keeps the entry's key in resname, and in the id as its parts joined with '.')"),
        (xliff1, b'<xliff version="1.2"><file source-language="en" target-language="de">'
         b'<body>\n<trans-unit id="x" resname="k"><source><g id="1">a</g></source></trans-unit>'
         b"</body></file></xliff>",
         "t.xlf:2: unit 'k': inline code <g id=\"1\"> matches no code of the unit's source or "
         "of the file's tag definitions"),
        (xliff1, b'<xliff version="1.2"><file source-language="en" target-language="de">'
         b'<body>\n<trans-unit id="x" resname="k"><source>a</source><target><foo/></target>'
         b"</trans-unit></body></file></xliff>",
         "t.xlf:2: unit 'k': unexpected <foo> in the text (inline codes are <bpt>, <ept>, <ph>, "
         "<it>, <g>, <x/>, <bx/> and <ex/>)"),
        (xliff2, b'<xliff version="2.0" srcLang="en" trgLang="de"><file id="f">\n<unit id="x" '
         b'name="k"><segment><source><ph id="1" dataRef="d9"/></source></segment></unit>'
         b"</file></xliff>",
         "t.xlf:2: unit 'k': inline code <ph id=\"1\"> has no original data"),
    ],
)  # fmt: skip
def test_bad_files_get_one_clear_line(module: ModuleType, data: bytes, message: str) -> None:
    with pytest.raises(InputError) as err:
        read(module, data)
    assert str(err.value) == message


def test_xliff1_opens_in_translate_toolkit() -> None:
    xliff_storage = pytest.importorskip(
        "translate.storage.xliff", reason="translate-toolkit is not installed (optional check)"
    )
    units = sample()
    store = xliff_storage.xlifffile.parsestring(write(xliff1, units))
    assert (store.getsourcelanguage(), store.gettargetlanguage()) == ("en", "de")
    got = {u.getid().split("\x04")[-1]: (u.source, u.target) for u in store.units}
    assert len(got) == len(units.units)
    # translate-toolkit flattens the inline codes back into the tag text, as we do
    assert got["Products.p-1.title"] == (units.units[0].source, "")
    assert got["Products.p-2.title"] == (units.units[1].source, units.units[1].target)
    assert got["Products.p-3.body"] == (units.units[2].source, "Vorschlag")


_XML_TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cs"]).filter(lambda c: not _has_bad(c))
)


@settings(max_examples=200, deadline=None)
@given(_XML_TEXT)
def test_escaping_is_what_an_xml_parser_reads_back(value: str) -> None:
    element = etree.fromstring(f'<e a="{esc_attr(value)}">{esc(value)}</e>'.encode())
    assert (element.get("a"), element.text or "") == (value, value)
    assert f"<e>{esc(value)}</e>" == etree.tostring(_with_text(value), encoding="unicode")


def _with_text(value: str) -> etree._Element:
    element = etree.Element("e")
    element.text = value
    return element


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (MALFORMED, "{path}:5: not well-formed XML: Opening and ending tag mismatch: source line 5 "
         "and trans-unit"),
        (BILLION_LAUGHS % b"1.2", DOCTYPE_REFUSED.replace("t.xlf", "{path}")),
    ],
)  # fmt: skip
def test_cli_reports_a_bad_xliff_in_one_line(
    runner: CliRunner, tmp_path: Path, data: bytes, message: str
) -> None:
    path = tmp_path / "site.de.xlf"
    path.write_bytes(data)
    result = runner.invoke(cli, ["stats", str(path)])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"wixloc: error: {message.format(path=path)}\n"


# --- split, fill in with lxml, merge -------------------------------------------------------------

LXML_FILLED = {
    1: "zwei\nZeilen",
    2: "Windows\r\nZeile\r\n",
    3: "alt\rMac",
    7: "a < b && c > d",  # plain text typed by the translator, escaped by lxml
    10: "שלום!",
    12: "=SUMME(A1)",
}
COPIED = {  # entries whose source codes the "tool" copies into the target, changing a word
    8: ("mugs", "Tassen"),
    28: ("vertical", "senkrecht"),
}


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.FORMAT.name)
def test_lxml_translations_merge_into_exactly_those_cells(
    module: ModuleType, tmp_path: Path
) -> None:
    table_path = write_table(tmp_path)
    [(path, _)] = split_files(table_path, module.FORMAT.name, languages=["he"])
    tree = etree.parse(str(path))
    units = {_unit_key(u): u for u in tree.iter(f"{{{module.NS}}}{_UNIT_TAG[module]}")}
    expected = dict(LXML_FILLED)
    for i, text in LXML_FILLED.items():
        _fill(module, units[f"products|p-{i}|title"], text)
    for i, (old, new) in COPIED.items():
        _fill_copying_codes(module, units[f"products|p-{i}|title"], old, new)
        expected[i] = TRICKY_TEXTS[i].replace(old, new)
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")
    merged = tmp_path / "merged.csv"
    report = merge_files(table_path, [path], merged)
    assert report.languages[Language("he")].applied == len(expected)
    table, after = load_table(table_path), load_table(merged)
    he = table.language("he")
    for n, (before, entry) in enumerate(zip(table.entries, after.entries, strict=True)):
        want = dict(before.texts)
        want[he] = expected.get(n, before.text(he))
        assert (entry.key, entry.texts) == (before.key, want)


_UNIT_TAG = {xliff1: "trans-unit", xliff2: "unit"}


def _unit_key(unit: etree._Element) -> str:
    return unit.get("resname") or unit.get("name") or ""


def _target_of(module: ModuleType, unit: etree._Element) -> etree._Element:
    target = unit.find(f".//{{{module.NS}}}target")
    assert target is not None
    holder = target if module is xliff1 else target.getparent()
    assert holder is not None
    holder.set("state", "translated")
    return target


def _fill(module: ModuleType, unit: etree._Element, text: str) -> None:
    _target_of(module, unit).text = text


def _fill_copying_codes(module: ModuleType, unit: etree._Element, old: str, new: str) -> None:
    """What a CAT tool does: the target is the source's content with its codes, words changed."""
    source = unit.find(f".//{{{module.NS}}}source")
    target = _target_of(module, unit)
    assert source is not None
    target.text = source.text
    target.extend(copy.deepcopy(child) for child in source)
    for element in target.iter():
        if element.text and element.tag != f"{{{module.NS}}}data":
            element.text = element.text.replace(old, new)
        if element is not target and element.tail:
            element.tail = element.tail.replace(old, new)


# --- read right by other tools ------------------------------------------------------------------


def test_xliff1_translated_units_carry_approved_yes_and_only_they() -> None:
    root = etree.fromstring(write(xliff1, sample()))
    approved = [(u.get("resname"), u.get("approved")) for u in root.iter("{*}trans-unit")]
    assert approved == [
        ("Products|p-1|title", None),
        ("Products|p-2|title", "yes"),
        ("Products|p-3|body", None),
        ("Products|p\\|4|x y", "yes"),
        ("Products|p-5|t", "yes"),
        ("Products|p-6|t", None),
        ("Products|p-7|t", None),
    ]


def test_xliff1_a_prefilled_target_is_marked_with_the_fingerprint_of_what_wixloc_wrote() -> None:
    root = etree.fromstring(write(xliff1, sample()))
    unit = root.findall(".//{*}trans-unit")[5]
    notes = [(n.get("from"), n.get("annotates"), n.text) for n in unit.iter("{*}note")]
    assert notes == [("wixloc:prefilled", "target", fingerprint("vorab"))]


def _copy_source(units: UnitFile) -> bytes:
    out = io.BytesIO()
    xliff1.write_copy_source(units, out)
    return out.getvalue()


def test_copy_source_fills_empty_targets_and_reads_back_untranslated() -> None:
    units = sample()
    data = _copy_source(units)
    assert_valid(xliff1, data)
    root = etree.fromstring(data)
    first = root.find(".//{*}trans-unit")
    assert first is not None
    target = first.find("{*}target")
    assert target is not None and target.get("state") == "new"
    back = read(xliff1, data)
    assert back.units[0].target == units.units[0].source
    assert back.units[0].state is UnitState.NEW  # an unchanged copy is not a translation
    assert back.units[0].notes == ["ctx"]  # the mark is not a note for translators
    assert [u.target for u in back.units[1:]] == [u.target for u in units.units[1:]]
    assert [u.state for u in back.units[1:]] == [u.state for u in units.units[1:]]


def test_copy_source_target_the_tool_translated_counts_with_the_state_left_as_written() -> None:
    data = _copy_source(UnitFile(Language("en"), Language("de"), [Unit(("k",), "Hello")]))
    assert b'<target state="new">Hello</target>' in data
    back = read(xliff1, data.replace(b">Hello</target>", b">Hallo</target>"))
    assert (back.units[0].target, back.units[0].state) == ("Hallo", UnitState.TRANSLATED)


def test_xliff1_without_copy_source_is_unchanged_for_units_without_target() -> None:
    units = UnitFile(Language("en"), Language("de"), [Unit(("k",), "Hello")])
    assert b'<target state="needs-translation"/>' in write(xliff1, units)
    assert b"wixloc:prefilled" not in write(xliff1, units)


@pytest.mark.parametrize("tag", ["de-DE", "de-de"])
def test_project_locales_are_read_as_written(tag: str) -> None:
    data1 = write(xliff1, sample()).replace(
        b'target-language="de"', f'target-language="{tag}"'.encode()
    )
    data2 = write(xliff2, sample()).replace(b'trgLang="de"', f'trgLang="{tag}"'.encode())
    for module, data in ((xliff1, data1), (xliff2, data2)):
        back = read(module, data)
        assert back.target_language.tag == tag
        assert back.target_language == Language("de-DE")


def test_xliff2_change_tracking_module_is_history_not_text() -> None:
    data = (
        b'<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" '
        b'xmlns:ctr="urn:oasis:names:tc:xliff:changetracking:2.0" version="2.0" srcLang="en" '
        b'trgLang="de-DE"><file id="f"><unit id="u" name="k"><ctr:changeTrack><ctr:revisions '
        b'appliesTo="target"><ctr:revision><ctr:item property="content">Neuheit</ctr:item>'
        b'</ctr:revision></ctr:revisions></ctr:changeTrack><segment state="translated">'
        b"<source>New</source><target>Neu</target></segment></unit></file></xliff>"
    )
    back = read(xliff2, data)
    assert [(u.key, u.target, u.state) for u in back.units] == [
        (("k",), "Neu", UnitState.TRANSLATED)
    ]


def _copy_source2(units: UnitFile) -> bytes:
    out = io.BytesIO()
    xliff2.write_copy_source(units, out)
    return out.getvalue()


def test_xliff2_copy_source_round_trips_and_a_changed_copy_counts() -> None:
    units = sample()
    data = _copy_source2(units)
    assert_valid(xliff2, data)
    back = read(xliff2, data)
    assert (back.units[0].target, back.units[0].state) == (units.units[0].source, UnitState.NEW)
    assert back.units[0].notes == ["ctx"]
    one = _copy_source2(UnitFile(Language("en"), Language("de"), [Unit(("k",), "Hello")]))
    assert b'<segment state="initial" subState="wixloc:new">' in one
    assert f'appliesTo="target">{fingerprint("Hello")}</note>'.encode() in one
    back = read(xliff2, one.replace(b"<target>Hello</target>", b"<target>Hallo</target>"))
    assert (back.units[0].target, back.units[0].state) == ("Hallo", UnitState.TRANSLATED)
