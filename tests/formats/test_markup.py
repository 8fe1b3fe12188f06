"""Rich text ⇄ inline codes: exact round trips, pairing, nesting, entities, malformed HTML."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wixloc.formats.markup import (
    Code,
    CodeKind,
    Node,
    align_ids,
    equiv,
    parse,
    parse_aligned,
    render,
    tree,
)

OP, C, S, E = CodeKind.OPEN, CodeKind.CLOSE, CodeKind.STANDALONE, CodeKind.ENTITY
IO, IC = CodeKind.ISOLATED_OPEN, CodeKind.ISOLATED_CLOSE

EXACT = [
    '<p>Hello <strong>{name}</strong><br/><a href="https://x">link</a></p>',
    "<P CLASS='x'  >Mixed</p >",  # case, quoting and spaces as written
    '<a title="1 > 0" data-x=\'a"b\'>quoted ></a>',
    "a < b && c > d",
    "</p> lone closing tag",
    "<b><i>crossed</b></i>",
    "<p>never closed",
    "<b",
    "<3 and <-- and < p>",
    "&amp; &nbsp; &#233; &#x1F600; &unknown; & alone &;",
    "<!-- a comment --><!DOCTYPE html><?php echo 1 ?>",
    "<img src=x.png alt=''><br><hr/>",
    "line\r\nbreak<br />\ttab",
    "{name} and {{count}} stay text",
]


@pytest.mark.parametrize("text", EXACT)
def test_render_gives_back_the_exact_string(text: str) -> None:
    assert render(parse(text)) == text


def test_rich_text_becomes_pairs_and_standalone_codes() -> None:
    runs = parse('<p>Hello <strong>{name}</strong><br/><a href="https://x">link</a></p>')
    assert runs == [
        Code(OP, 1, "<p>", "p"),
        "Hello ",
        Code(OP, 2, "<strong>", "strong"),
        "{name}",
        Code(C, 2, "</strong>", "strong"),
        Code(S, 3, "<br/>", "br"),
        Code(OP, 4, '<a href="https://x">', "a"),
        "link",
        Code(C, 4, "</a>", "a"),
        Code(C, 1, "</p>", "p"),
    ]


def test_text_without_markup_is_one_run() -> None:
    assert parse("plain {name}") == ["plain {name}"]
    assert parse("") == []


def test_a_less_than_sign_is_text() -> None:
    assert parse("a < b") == ["a < b"]


def test_entities_are_standalone_codes_that_keep_their_spelling() -> None:
    runs = parse("Tom &amp; Jerry&nbsp;!")
    assert runs == ["Tom ", Code(E, 1, "&amp;", ""), " Jerry", Code(E, 2, "&nbsp;", ""), "!"]
    assert [equiv(r) for r in runs if isinstance(r, Code)] == ["&", "\u00a0"]


def test_equiv_is_none_for_tags_unknown_entities_and_unwritable_characters() -> None:
    assert equiv(Code(S, 1, "<br/>", "br")) is None
    assert equiv(Code(E, 1, "&nosuch;", "")) is None
    assert equiv(Code(E, 1, "&#1;", "")) is None


def test_unbalanced_tags_are_isolated() -> None:
    assert parse("</p>x<b>") == [Code(IC, 1, "</p>", "p"), "x", Code(IO, 2, "<b>", "b")]


def test_crossed_tags_pair_what_nests_and_isolate_the_rest() -> None:
    assert parse("<b><i>x</b></i>") == [
        Code(OP, 1, "<b>", "b"),
        Code(IO, 2, "<i>", "i"),
        "x",
        Code(C, 1, "</b>", "b"),
        Code(IC, 3, "</i>", "i"),
    ]


def test_closing_tag_names_match_case_insensitively() -> None:
    assert parse("<P>x</p>") == [Code(OP, 1, "<P>", "p"), "x", Code(C, 1, "</p>", "p")]


def test_void_and_self_closed_tags_are_standalone() -> None:
    kinds = [r.kind for r in parse("<br><img src='a'><hr/><span/>") if isinstance(r, Code)]
    assert kinds == [S, S, S, S]


def test_control_characters_never_end_up_inside_a_tag() -> None:
    assert parse("<a\x01>") == ["<a\x01>"]


def test_tree_folds_pairs_around_their_content() -> None:
    b_open, b_close = Code(OP, 2, "<b>", "b"), Code(C, 2, "</b>", "b")
    p_open, p_close = Code(OP, 1, "<p>", "p"), Code(C, 1, "</p>", "p")
    assert tree(parse("<p>a<b>b</b></p>c")) == [
        Node(p_open, p_close, ["a", Node(b_open, b_close, ["b"])]),
        "c",
    ]


def test_align_ids_gives_target_codes_the_ids_of_the_same_source_codes() -> None:
    source = parse("<b>x</b> <br/> <i>y</i>")
    target = align_ids(parse("<i>Y</i> <b>X</b> <u>new</u>"), source)
    ids = [(r.text, r.id) for r in target if isinstance(r, Code)]
    assert ids == [("<i>", 3), ("</i>", 3), ("<b>", 1), ("</b>", 1), ("<u>", 4), ("</u>", 4)]


_PIECES = st.sampled_from(
    [
        *("<p>", "</p>", "<b>", "</B>", "<br/>", "<a href='x>y'>", "</a>", "&amp;", "&", "<", ">"),
        *("<!--c-->", "{name}", "\r\n", " ", "\x01", "é", "<img src=x>", '"', "'"),
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=5)), max_size=20))
def test_any_string_round_trips_and_pairs_nest(pieces: list[str]) -> None:
    text = "".join(pieces)
    runs = parse(text)
    assert render(runs) == text
    folded = tree(runs)  # raises if pairs were not properly nested
    assert _flatten(folded) == runs


def _flatten(items: list[str | Code | Node]) -> list[str | Code]:
    out: list[str | Code] = []
    for item in items:
        if isinstance(item, Node):
            out += [item.open, *_flatten(item.children), item.close]
        else:
            out.append(item)
    return out


def _codes_of(pieces: list[str]) -> list[str]:
    """The markup pieces alone, in order: a translation that kept every tag as it was."""
    return [p for p in pieces if p.startswith(("<", "&")) and len(p) > 1]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.one_of(_PIECES, st.text(max_size=5)), max_size=20),
    st.lists(st.one_of(_PIECES, st.text(max_size=5)), max_size=20),
    st.booleans(),
)
def test_aligned_parse_is_parse_then_align(
    source_pieces: list[str], words: list[str], same_tags: bool
) -> None:
    """The fast path (the translation keeps the source's tags in order) and the general one
    give the same runs: texts, codes, kinds and ids."""
    source = parse("".join(source_pieces))
    if same_tags:  # the source's tags, with other text between them
        texts = iter(words)
        target = "".join(f"{next(texts, '')}{tag}" for tag in _codes_of(source_pieces))
        target += "".join(texts)
    else:
        target = "".join(words)
    assert parse_aligned(target, source) == align_ids(parse(target), source)


def test_aligned_parse_reuses_the_source_codes_when_the_tags_are_kept() -> None:
    source = parse('<p>Hi <a href="x">you</a>&amp; me<br/></p>')
    target = parse_aligned('<p>Salut <a href="x">toi</a>&amp; moi<br/></p>', source)
    assert target == align_ids(parse('<p>Salut <a href="x">toi</a>&amp; moi<br/></p>'), source)
    codes = [r for r in source if isinstance(r, Code)]
    assert [r for r in target if isinstance(r, Code)] == codes
    assert [r for r in target if isinstance(r, str)] == ["Salut ", "toi", " moi"]
