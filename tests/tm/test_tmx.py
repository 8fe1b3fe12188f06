"""TMX 1.4b: exact round trips, validity against the DTD, translate-toolkit, hostile input."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from tests.conftest import DATA
from tests.support.strings import KEY_TRICKY, TRICKY
from wixloc.errors import FormatError, InputError
from wixloc.model import format_key
from wixloc.tm.tmx import TmxFile, TmxUnit, read_tmx, write_tmx

DTD = DATA / "tmx" / "tmx14.dtd"
DATE = "20260102T030405Z"


def _write(units: list[TmxUnit], source: str = "en") -> bytes:
    buf = io.BytesIO()
    write_tmx(buf, units, source, created=DATE)
    return buf.getvalue()


def _read(data: bytes) -> TmxFile:
    return read_tmx(io.BytesIO(data), "t.tmx")


def _tricky_units() -> list[TmxUnit]:
    units = [
        TmxUnit(name, {"en": text, "de": f"DE {text}", "he": text[::-1]}, [("x-field", name)])
        for name, text in TRICKY.items()
    ]
    units.append(
        TmxUnit(format_key(KEY_TRICKY), {"en": "<b>x</b>", "ja": "<b>ｘ</b>"}, [], {"ja": DATE})
    )
    return units


def test_tricky_strings_round_trip_exactly() -> None:
    units = _tricky_units()
    back = _read(_write(units))
    assert back.source_language == "en"
    assert [(u.key, u.texts, u.props, u.created) for u in back.units] == [
        (u.key, u.texts, u.props, u.created) for u in units
    ]


def test_markup_becomes_tmx_inline_codes() -> None:
    unit = TmxUnit(
        "k",
        {"en": "Save <b>{n}%</b><br/> &amp; <i>x", "de": "<i>x <b>{n} %</b> &amp;<br/>"},
        [("x-collection", "Products")],
        {"de": DATE},
    )
    text = _write([unit]).decode()
    assert text.splitlines()[5:11] == [
        f'    <tu tuid="k" srclang="en" creationdate="{DATE}">',
        '      <prop type="x-wixloc-key">k</prop>',
        '      <prop type="x-collection">Products</prop>',
        '      <tuv xml:lang="en"><seg>Save <bpt i="1" x="1" type="bold">&lt;b&gt;</bpt>{n}%'
        '<ept i="1">&lt;/b&gt;</ept><ph x="2" type="lb">&lt;br/&gt;</ph> '
        '<ph x="3" type="x-html-entity">&amp;amp;</ph> '
        '<it pos="begin" x="4" type="x-html-i">&lt;i&gt;</it>x</seg></tuv>',
        f'      <tuv xml:lang="de" creationdate="{DATE}"><seg>'
        '<it pos="begin" x="4" type="x-html-i">&lt;i&gt;</it>x '
        '<bpt i="1" x="1" type="bold">&lt;b&gt;</bpt>{n} %<ept i="1">&lt;/b&gt;</ept> '
        '<ph x="3" type="x-html-entity">&amp;amp;</ph><ph x="2" type="lb">&lt;br/&gt;</ph>'
        "</seg></tuv>",
        "    </tu>",
    ]


_KEY = st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=12)
_TEXT = st.one_of(
    st.sampled_from(list(TRICKY.values())),
    st.text(st.characters(codec="utf-8"), max_size=40),
    st.lists(st.sampled_from(["<b>", "</b>", "<br/>", "&amp;", "{x}", "a", " ", "\r\n", "<"])).map(
        "".join
    ),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_KEY, _TEXT, _TEXT), min_size=1, max_size=5))
def test_any_text_round_trips(rows: list[tuple[str, str, str]]) -> None:
    units = [TmxUnit(key, {"en": source, "fr-CA": target}) for key, source, target in rows]
    back = _read(_write(units))
    assert [(u.key, u.texts) for u in back.units] == [(u.key, u.texts) for u in units]


def test_output_is_valid_against_the_tmx_dtd() -> None:
    dtd = etree.DTD(str(DTD))
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    document = etree.fromstring(_write(_tricky_units()), parser)
    assert dtd.validate(document), str(dtd.error_log)


def test_the_dtd_rejects_what_tmx_forbids() -> None:
    """The validity test has teeth: a <tuv> without xml:lang is invalid."""
    dtd = etree.DTD(str(DTD))
    bad = _write(_tricky_units()).replace(b'<tuv xml:lang="de"', b"<tuv", 1)
    assert not dtd.validate(etree.fromstring(bad))


def test_translate_toolkit_reads_it_back_exactly() -> None:
    tmx = pytest.importorskip(
        "translate.storage.tmx", reason="translate-toolkit is not installed (optional check)"
    )
    units = _tricky_units()
    store = tmx.tmxfile(io.BytesIO(_write(units)))
    assert [(u.source, u.gettarget("de")) for u in store.units[: len(TRICKY)]] == [
        (u.texts["en"], u.texts["de"]) for u in units[: len(TRICKY)]
    ]
    assert store.units[-1].gettarget("ja") == "<b>ｘ</b>"


def test_a_control_character_travels_as_a_code() -> None:
    data = _write([TmxUnit("k", {"en": "a\x01b", "de": "c\x0b"})])
    assert b'<ph x="1" type="x-wixloc-char">U+0001</ph>' in data
    assert _read(data).units[0].texts == {"en": "a\x01b", "de": "c\x0b"}


def test_a_key_xml_cannot_hold_is_refused() -> None:
    with pytest.raises(FormatError) as err:
        _write([TmxUnit("a\x02", {"en": "x", "de": "y"})])
    assert str(err.value) == (
        "the key of 'a\x02' contains U+0002, which TMX cannot hold "
        "(remove the control character from the table)"
    )


# --- reading what other tools write, and hostile files -----------------------------------------

_TOOL = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4"><header creationtool="X" creationtoolversion="1" segtype="sentence"
 o-tmf="x" adminlang="en-US" srclang="*all*" datatype="plaintext"/>
<body><tu tuid="7"><prop type="x-context">ctx</prop>
<tuv xml:lang="en-US"><seg>Save <hi type="x">now</hi> <ph>{1}</ph></seg></tuv>
<tuv lang="de-DE"><seg>Jetzt <bpt i="1">[b]</bpt>sichern<ept i="1">[/b]</ept></seg></tuv>
</tu></body></tmx>"""


def test_a_cat_tools_tmx_is_read() -> None:
    tmx = _read(_TOOL)  # the DOCTYPE names a DTD that is not there: it is never loaded
    assert tmx.source_language == "*all*"
    (unit,) = tmx.units
    assert (unit.key, unit.context) == ("", "ctx")
    assert unit.texts == {"en-US": "Save now {1}", "de-DE": "Jetzt [b]sichern[/b]"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b'<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY a "aaaaaaaaaa"><!ENTITY b '
            b'"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><tmx version="1.4"><header srclang="en"/><body>'
            b'<tu><tuv xml:lang="en"><seg>&b;</seg></tuv></tu></body></tmx>',
            "t.tmx: the file's DOCTYPE declares its own DTD content; wixloc reads TMX without it "
            "(such declarations can define entities that expand without limit or read other "
            "files)",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b'<tmx version="1.4"><header srclang="en"/><body><tu><tuv xml:lang="en"><seg>&x;'
            b"</seg></tuv></tu></body></tmx>",
            "t.tmx: the file's DOCTYPE declares its own DTD content; wixloc reads TMX without it "
            "(such declarations can define entities that expand without limit or read other "
            "files)",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE tmx SYSTEM "http://127.0.0.1:9/tmx14.dtd">'
            b'<tmx version="1.4"><header srclang="en"/><body><tu><tuv xml:lang="en"><seg>&nbsp;'
            b"</seg></tuv></tu></body></tmx>",
            "t.tmx:1: the entity reference &nbsp; is not defined in TMX; wixloc does not read DTDs",
        ),
        (
            b'<tmx version="1.4"><header srclang="en"/><body><tu><tuv xml:lang="en"><seg>x'
            b"</tuv></tu></body></tmx>",
            "t.tmx:1: not well-formed XML: Opening and ending tag mismatch: seg line 1 and tuv",
        ),
        (b"", "t.tmx: the file is empty, not TMX"),
        (b'<tmx version="1.4"><body/></tmx>', "t.tmx: not a TMX file: no <header srclang=...>"),
        (
            b'<tmx><header srclang="en"/><body><tu><tuv><seg>x</seg></tuv></tu></body></tmx>',
            "t.tmx:1: a <tuv> needs xml:lang and a <seg>",
        ),
        (
            b'<tmx><header srclang="en"/><body><tu><tuv xml:lang="en"><seg><g>x</g></seg>'
            b"</tuv></tu></body></tmx>",
            "t.tmx:1: unexpected <g> in a <seg> (TMX inline codes are <bpt>, <ept>, <ph>, <it>, "
            "<hi>)",
        ),
    ],
)
def test_hostile_and_broken_files_get_one_clear_error(data: bytes, message: str) -> None:
    with pytest.raises(InputError) as err:
        _read(data)
    assert str(err.value) == message


def test_the_dtd_copy_is_the_lisa_one() -> None:
    text = Path(DTD).read_text(encoding="utf-8")
    assert '"-//LISA OSCAR:1998//DTD for Translation Memory eXchange//EN"' in text
    assert '<!ATTLIST tmx version CDATA #FIXED "1.4" >' in text
