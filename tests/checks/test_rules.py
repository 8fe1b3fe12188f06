"""Each rule on its own: positive and negative cases, with the exact messages."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wixloc.checks import pairs, text
from wixloc.checks.pairs import PairContext
from wixloc.checks.text import line_breaks, markup, placeholders, urls

CTX = PairContext()


# --- placeholders -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Hello {name}", ["{name}"]),
        ("{{ count }} left", ["{{count}}"]),
        ("{{count}} left", ["{{count}}"]),
        ("{{ price | currency }}", ["{{price|currency}}"]),
        ("{0} of {1}", ["{0}", "{1}"]),
        ("{} of {}", ["{}", "{}"]),
        ("Total: {price:.2f}", ["{price:.2f}"]),
        ("%s items, %d left, %5.2f kg", ["%s", "%d", "%5.2f"]),
        ("%(name)s wrote", ["%(name)s"]),
        ("${user} paid", ["${user}"]),
        ("%1$s and %2$s", ["%1$s", "%2$s"]),
        ("100%% sure", []),
        ("100%%s", []),  # an escaped % followed by the letter s
        ("50% off", []),
        ("eine 5%ige Lösung", []),  # German: not %i
        ("%ix %.1fkg %dpx", ["%d"]),  # only s and d may run into a word
        ("%i items, %x, %.1f", ["%i", "%x", "%.1f"]),
        ("Use { and } for groups", []),
        ("a {b c} d", []),
        ('<a href="{url}">{label}</a>', ["{url}", "{label}"]),
        ("plain text", []),
    ],
)
def test_placeholders_found(text: str, found: list[str]) -> None:
    assert placeholders(text) == Counter(found)


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("Hello {name}", "Hallo {name}"),
        ("{a} and {b}", "{b} und {a}"),  # order is free
        ("{{ count }} left", "noch {{count}}"),
        ("100%% sure, %s", "%s, zu 100%% sicher"),
        ("50% off", "50 % Rabatt"),
        ("Use { and } for groups", "Benutze Klammern"),
        ('<a href="{url}">Hi</a>', '<a href="{url}">Hallo</a>'),
        ("no placeholders", "keine Platzhalter"),
    ],
)
def test_placeholder_mismatch_negative(source: str, target: str) -> None:
    assert pairs.placeholder_mismatch(source, target, CTX) is None


@pytest.mark.parametrize(
    ("source", "target", "message"),
    [
        ("Hello {name}", "Hallo {nme}", "missing {name}; extra {nme}"),
        ("{n} of {n}", "{n}", "missing {n}"),  # multisets: a count matters
        ("%s left", "%d übrig", "missing %s; extra %d"),
        ("%(a)s", "%(b)s", "missing %(a)s; extra %(b)s"),
        ("${x}", "{x}", "missing ${x}; extra {x}"),
        ("%1$s %2$s", "%1$s", "missing %2$s"),
        ('<a href="{url}">Hi</a>', '<a href="/de">Hallo</a>', "missing {url}"),
        ("100%% sure", "zu 100% sicher %s", "extra %s"),
    ],
)
def test_placeholder_mismatch_positive(source: str, target: str, message: str) -> None:
    assert pairs.placeholder_mismatch(source, target, CTX) == (
        "placeholders differ from the source: " + message
    )


# --- markup -------------------------------------------------------------------------------


def test_markup_structure() -> None:
    found = markup("<p>A <b><i>x</i></b><br/></p>", frozenset())
    assert sorted(e.describe() for e in found.elements()) == [
        "<b> inside <p>",
        "<br> inside <p>",
        "<i> inside <p> <b>",
        "<p>",
    ]


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("<b>x</b> and <i>y</i>", "<i>y</i> und <b>x</b>"),  # siblings may be reordered
        ("a<br/>b", "a<br>b"),  # self-closing or not
        ("a<br />b", "a<BR>b"),  # case
        ("<p>A <b><i>x</i></b></p>", "<p>Ein <b><i>x</i></b></p>"),  # nesting kept
        ('<img src="a.png" alt="Mug">', '<img src="a.png" alt="Becher"/>'),  # alt is text
        ('<a href="/x" title="Open">x</a>', '<a title="Öffnen" href="/x">x</a>'),
        ("Tom &amp; Jerry", "Tom & Jerry"),  # entities are text, not markup
        ("a < b", "a &lt; b"),
        ("x <!-- note --> y", "x y"),  # comments do not count
        ("<3 love", "<3 Liebe"),
    ],
)
def test_markup_mismatch_negative(source: str, target: str) -> None:
    assert pairs.markup_mismatch(source, target, CTX) is None


@pytest.mark.parametrize(
    ("source", "target", "message"),
    [
        ("<b>x</b>", "<i>x</i>", "missing <b>; extra <i>"),
        ("<b>x</b> <b>y</b>", "<b>x y</b>", "missing <b>"),
        ("<p><b>x</b></p>", "<p></p><b>x</b>", "missing <b> inside <p>; extra <b>"),
        ("<b>x</b>", "<b>x", "extra <unclosed b>"),
        ("<b>x</b>", "<b>x</b></b>", "extra <stray /b>"),
        (
            '<a href="/en">x</a>',
            '<a href="/de">x</a>',
            'missing <a href="/en">; extra <a href="/de">',
        ),
        ("a<br>b", "ab", "missing <br>"),
    ],
)
def test_markup_mismatch_positive(source: str, target: str, message: str) -> None:
    assert (
        pairs.markup_mismatch(source, target, CTX) == "HTML tags differ from the source: " + message
    )


def test_markup_of_deep_nesting_names_the_innermost_ancestors_and_lists_twenty() -> None:
    """20,000 unclosed tags: each element is described by its 32 innermost ancestors (a copy of
    all of them each was quadratic: a minute, 300 MB), and the message names 20 elements of each side."""
    found = text.markup_list("<b>x" * 20000, frozenset())
    assert len(found) == 40000
    assert max(len(parents) for _, parents, _ in found) == 32
    assert text.markup_list("<b>x" * 40, frozenset())[-1] == ("unclosed b", ("b",) * 32, ())
    message = pairs.markup_mismatch("<b>x" * 20000, "<i>x" * 20000, CTX)
    assert message is not None
    # 40,000 elements missing and as many extra: 20 of each named
    assert message.count(" and 39980 more") == 2
    assert message.count(", ") == 2 * 19


def test_markup_attributes_may_differ_when_configured() -> None:
    ctx = PairContext(ignored_attributes=frozenset({"href"}))
    assert pairs.markup_mismatch('<a href="/en">x</a>', '<a href="/de">x</a>', ctx) is None
    # alt is no longer ignored once the list is replaced
    assert pairs.markup_mismatch('<img alt="a">', '<img alt="b">', ctx) is not None


# --- URLs, whitespace, newlines -----------------------------------------------------------


def test_urls_found() -> None:
    text = "See https://wix.com/help. Or www.example.org, (http://a.b/c?d=1)"
    assert urls(text) == Counter(["https://wix.com/help", "www.example.org", "http://a.b/c?d=1"])


@pytest.mark.parametrize(
    ("source", "target", "result"),
    [
        ("See https://wix.com/help.", "Siehe https://wix.com/help!", None),
        ("https://a.com and https://b.com", "https://b.com und https://a.com", None),
        ("the http protocol", "das HTTP-Protokoll", None),
        (
            "See https://wix.com/help",
            "Siehe https://wix.com/hilfe",
            "URLs differ from the source: missing https://wix.com/help; "
            "extra https://wix.com/hilfe",
        ),
        ("www.a.com", "keine", "URLs differ from the source: missing www.a.com"),
        # the text written against a URL is not part of it (Japanese, Korean, quotation marks)
        ("Visit https://wix.com/shop", "https://wix.com/shopにアクセス", None),
        ("Visit https://wix.com/shop", "https://wix.com/shop을 방문하세요", None),
        ("Visit https://wix.com/shop", "Besuchen Sie „https://wix.com/shop“", None),
        ("Visit https://wix.com/shop", "Visitez «\u00a0https://wix.com/shop\u00a0»", None),
        (
            "Visit https://wix.com/shop",
            "https://wix.com/storeにアクセス",
            "URLs differ from the source: missing https://wix.com/shop; "
            "extra https://wix.com/store",
        ),
    ],
)
def test_url_mismatch(source: str, target: str, result: str | None) -> None:
    assert pairs.url_mismatch(source, target, CTX) == result


@pytest.mark.parametrize(
    ("source", "target", "result"),
    [
        ("Total: ", "Summe: ", None),
        ("  indented", "  eingerückt", None),
        ("line\r\n", "Zeile\n", None),  # the same break in another spelling
        ("Total: ", "Summe:", "trailing whitespace ' ' in the source, '' here"),
        (" x", "x", "leading whitespace ' ' in the source, '' here"),
        (
            "x",
            "\ty ",
            "leading whitespace '' in the source, '\\t' here; "
            "trailing whitespace '' in the source, ' ' here",
        ),
    ],
)
def test_whitespace_mismatch(source: str, target: str, result: str | None) -> None:
    assert pairs.whitespace_mismatch(source, target, CTX) == result


def test_line_breaks_count_every_spelling_once() -> None:
    assert [line_breaks(t) for t in ("a", "a\nb", "a\r\nb", "a\rb", "a\r\n\r\nb\n")] == [
        0,
        1,
        1,
        1,
        3,
    ]


@pytest.mark.parametrize(
    ("source", "target", "result"),
    [
        ("one\ntwo", "eins\r\nzwei", None),
        ("one", "eins", None),
        ("one\ntwo", "eins zwei", "0 line breaks, the source has 1"),
        ("one", "eins\nzwei", "1 line break, the source has 0"),
    ],
)
def test_newline_mismatch(source: str, target: str, result: str | None) -> None:
    assert pairs.newline_mismatch(source, target, CTX) == result


# --- unchanged, control characters, length -----------------------------------------------

ALLOW = PairContext(allow=re.compile(r"(?<!\w)(?:Wix)(?!\w)"))


@pytest.mark.parametrize(
    ("text", "ctx", "flagged"),
    [
        ("Free shipping", CTX, True),
        ("Wix", CTX, True),
        ("Wix", ALLOW, False),
        ("Wix Stores", ALLOW, True),  # the allow-list covers the brand, not the rest
        ("2024", CTX, False),
        ("12.50 €", CTX, False),
        ("https://wix.com/help", CTX, False),
        ("{name}", CTX, False),
        ("<b>{count}</b>", CTX, False),
        ("info@example.com", CTX, False),
        ("&amp;", CTX, False),
        ("Free shipping", PairContext(same_language=True), False),  # en-GB against en-US
    ],
)
def test_unchanged(text: str, ctx: PairContext, flagged: bool) -> None:
    result = pairs.unchanged(text, text, ctx)
    assert result == ("the translation is identical to the source" if flagged else None)


def test_unchanged_needs_identical_text() -> None:
    assert pairs.unchanged("Free shipping", "Free Shipping", CTX) is None


@pytest.mark.parametrize(
    ("text", "result"),
    [
        ("tab\tand\nnewline\r\n", None),
        ("zero\u200bwidth and emoji 👩‍👩‍👧", None),
        ("bell\x07", "control character U+0007 at position 5"),
        ("\x00null", "control character U+0000 at position 1"),
        ("c1\x85", "control character U+0085 at position 3"),
        ("del\x7f", "control character U+007F at position 4"),
    ],
)
def test_control_character(text: str, result: str | None) -> None:
    assert pairs.control_character(text) == result


# Characters near the bytes may_hold() looks at: the controls, what shares their UTF-8 lead
# byte 0xC2 (U+0080-U+00BF), characters beyond U+FFFF, the backslash and what a JSON escape
# is made of
_NEAR = st.text(
    st.sampled_from(
        [*map(chr, range(0xC0)), "\\", "u", "b", "f", "d", "8", "é", "€", "😀", "𝟓", "\ud800"]
    )
)


@given(_NEAR, st.booleans())
def test_what_bytes_may_hold_is_all_the_text_and_its_json_hold(text: str, ascii_json: bool) -> None:
    """Where may_hold() says no control character or no character beyond U+FFFF can be there,
    neither the text nor its JSON decoded holds one; a text with none, nor any backslash, is
    said to hold none."""
    control = pairs.CONTROL.search(text) is not None
    wide = any(c > "\uffff" for c in text)
    as_json = json.dumps(text, ensure_ascii=ascii_json)
    for data in (text, as_json):
        held = pairs.may_hold(data.encode("utf-8", "surrogatepass"))
        assert held.control or not control
        assert held.wide or not wide
    if "\\" not in text:
        assert pairs.may_hold(text.encode("utf-8", "surrogatepass")) == (control, wide)


@pytest.mark.parametrize(
    ("text", "control", "wide"),
    [
        ("Hallo « Welt » \u00a0 100 °C, ¿qué? \\n \\u00e9 \\u0100 \\udc00", False, False),
        ("\\u00e9 and \\u001b", True, False),
        ("a \\b word", True, False),
        ("tab\tand\nnewline\r\n", False, False),
        ("c1\x85", True, False),
        ("bell\x07 😀", True, True),
        ("math 𝟓", False, True),
        ("json \\ud83d\\ude00", False, True),
        ("json \\uD83D\\uDE00", False, True),
    ],
)
def test_may_hold(text: str, control: bool, wide: bool) -> None:
    assert pairs.may_hold(text.encode()) == (control, wide)


def test_too_long_counts_characters_not_bytes() -> None:
    assert pairs.too_long("שלום", 4, "field 'title'") is None
    assert pairs.too_long("Schön!", 5, "field 'title'") == (
        "6 characters, over the limit of 5 (field 'title')"
    )
    assert pairs.too_long("anything", None, "x") is None


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab {}%$sd()<>/&;#\n\r\t:.w1é日")), max_size=40))
def test_a_text_against_itself_breaks_no_rule_but_unchanged(text: str) -> None:
    for code, rule in pairs.PAIR_RULES:
        if code != "unchanged":
            assert rule(text, text, CTX) is None, (code, text)
