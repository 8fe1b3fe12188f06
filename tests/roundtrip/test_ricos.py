"""Ricos rich content: segments a translator can read, and a document rebuilt exactly."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wixloc.errors import MergeError
from wixloc.roundtrip.ricos import Segment, is_ricos, rebuild, segments

LINK = {
    "type": "LINK",
    "linkData": {"link": {"url": "https://example.com/a?b=1&c=2", "target": "BLANK"}},
}
BOLD = {"type": "BOLD", "fontWeightValue": 700}
ITALIC = {"type": "ITALIC", "italicData": True}
RED = {"type": "COLOR", "colorData": {"foreground": "#ff0000"}}
BLUE = {"type": "COLOR", "colorData": {"foreground": "#0000ff"}}


def text(value: str, *decorations: dict[str, Any], ident: str = "") -> dict[str, Any]:
    return {
        "type": "TEXT",
        "id": ident,
        "nodes": [],
        "textData": {"text": value, "decorations": list(decorations)},
    }


DOC: dict[str, Any] = {
    "nodes": [
        {
            "type": "HEADING",
            "id": "h1",
            "nodes": [text("Our story")],
            "headingData": {"level": 2, "textStyle": {"textAlignment": "AUTO"}},
        },
        {
            "type": "PARAGRAPH",
            "id": "p1",
            "nodes": [
                text("We bake "),
                text("every", BOLD),
                text(" morning, see "),
                text("the map", LINK),
                text("."),
            ],
            "paragraphData": {},
        },
        {"type": "PARAGRAPH", "id": "p-empty", "nodes": [text("")], "paragraphData": {}},
        {
            "type": "BULLETED_LIST",
            "id": "list",
            "nodes": [
                {
                    "type": "LIST_ITEM",
                    "id": "li1",
                    "nodes": [
                        {
                            "type": "PARAGRAPH",
                            "id": "li1p",
                            "nodes": [text("Rye & spelt < 5 €")],
                            "paragraphData": {},
                        }
                    ],
                },
                {
                    "type": "LIST_ITEM",
                    "id": "li2",
                    "nodes": [
                        {
                            "type": "PARAGRAPH",
                            "id": "",
                            "nodes": [text("Sourdough", ITALIC, BOLD)],
                            "paragraphData": {},
                        }
                    ],
                },
            ],
        },
        {
            "type": "IMAGE",
            "id": "img",
            "nodes": [],
            "imageData": {
                "image": {"src": {"id": "abc.jpg"}, "width": 800, "height": 600},
                "altText": "Fresh bread",
                "containerData": {"width": {"size": "CONTENT"}},
            },
        },
        {
            "type": "PARAGRAPH",
            "id": "p2",
            "nodes": [text("red", RED), text(" and "), text("blue", BLUE)],
            "paragraphData": {},
        },
    ],
    "metadata": {"version": 1, "createdTimestamp": "2026-01-01T00:00:00.000Z", "id": "doc-1"},
    "documentStyle": {},
}
SOURCE = json.dumps(DOC)


def test_a_document_is_recognised_and_other_text_is_not() -> None:
    assert is_ricos(SOURCE)
    assert not is_ricos("<p>Hello</p>")
    assert not is_ricos('{"nodes": 3}')
    assert not is_ricos('{"title": "nodes"}')
    assert not is_ricos("{not json, nodes}")


def test_segments_are_readable_markup_in_reading_order() -> None:
    assert segments(SOURCE) == [
        Segment("h1", "Our story", "HEADING"),
        Segment(
            "p1",
            'We bake <b>every</b> morning, see <a href="https://example.com/a?b=1&amp;c=2">the map</a>.',
            "PARAGRAPH",
        ),
        Segment("li1p", "Rye &amp; spelt &lt; 5 €", "PARAGRAPH"),
        Segment("n3.1.0", "<i><b>Sourdough</b></i>", "PARAGRAPH"),
        Segment("img:alt", "Fresh bread", "IMAGE"),
        Segment(
            "p2",
            '<span data-ricos="color">red</span> and <span data-ricos="color" data-n="2">blue</span>',
            "PARAGRAPH",
        ),
    ]


def test_untranslated_segments_rebuild_the_same_document() -> None:
    assert json.loads(rebuild(SOURCE, {})) == DOC
    same = {s.id: s.text for s in segments(SOURCE)}
    assert json.loads(rebuild(SOURCE, same)) == DOC


def test_a_translation_keeps_every_id_type_and_attribute_and_moves_decorations() -> None:
    out = json.loads(
        rebuild(
            SOURCE,
            {
                "p1": 'Wir backen <b>jeden</b> Morgen, siehe <a href="https://example.com/a?b=1&amp;c=2">die Karte</a>.',
                "li1p": "Roggen &amp; Dinkel &lt; 5 €",
                "n3.1.0": "<i><b>Sauerteig</b></i>",
                "img:alt": "Frisches Brot",
                "p2": '<span data-ricos="color" data-n="2">blau</span> und <span data-ricos="color">rot</span>',
            },
        )
    )
    p1 = out["nodes"][1]
    assert [(n["textData"]["text"], n["textData"]["decorations"]) for n in p1["nodes"]] == [
        ("Wir backen ", []),
        ("jeden", [BOLD]),
        (" Morgen, siehe ", []),
        ("die Karte", [LINK]),
        (".", []),
    ]
    assert (
        out["nodes"][3]["nodes"][0]["nodes"][0]["nodes"][0]["textData"]["text"]
        == "Roggen & Dinkel < 5 €"
    )
    assert out["nodes"][3]["nodes"][1]["nodes"][0]["nodes"][0]["textData"] == {
        "text": "Sauerteig",
        "decorations": [ITALIC, BOLD],
    }
    assert out["nodes"][4]["imageData"]["altText"] == "Frisches Brot"
    assert out["nodes"][4]["imageData"]["image"] == DOC["nodes"][4]["imageData"]["image"]
    p2 = [(n["textData"]["text"], n["textData"]["decorations"]) for n in out["nodes"][5]["nodes"]]
    assert p2 == [("blau", [BLUE]), (" und ", []), ("rot", [RED])]

    # everything but text is the source's: ids, types, data, metadata
    def shape(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: shape(v) for k, v in node.items() if k not in ("text", "altText")}
        if isinstance(node, list):
            return [shape(v) for v in node if not (isinstance(v, dict) and v.get("type") == "TEXT")]
        return node

    assert shape(out) == shape(DOC)


@pytest.mark.parametrize(
    ("translation", "message"),
    [
        (
            "Wir backen jeden Morgen.",
            "segment 'p1': the translation's tags differ from the source's",
        ),
        (
            'Wir <b>backen</b> <b>jeden</b> <a href="https://example.com/a?b=1&amp;c=2">x</a>',
            "segment 'p1': the translation's tags differ from the source's",
        ),
        (
            '<a href="https://evil.example">x</a> <b>y</b>',
            "segment 'p1': the translation's tags differ from the source's",
        ),
        (
            '<b>x <a href="https://example.com/a?b=1&amp;c=2">y</a></b>',
            "segment 'p1': the tags <b><a href=\"https://example.com/a?b=1&amp;c=2\"> are nested unlike the source",
        ),
    ],
)
def test_a_translation_whose_tags_do_not_match_is_refused(translation: str, message: str) -> None:
    with pytest.raises(MergeError) as caught:
        rebuild(SOURCE, {"p1": translation})
    assert caught.value.message == message


def test_an_unknown_segment_is_refused() -> None:
    with pytest.raises(MergeError, match="the document has no segment 'p9'"):
        rebuild(SOURCE, {"p9": "x"})


def test_not_a_document_is_refused() -> None:
    with pytest.raises(MergeError, match="not a Ricos document"):
        segments("[1, 2]")


PLAIN = st.text(st.characters(exclude_categories=["Cs"]), max_size=20)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(PLAIN, st.sampled_from([(), (BOLD,), (LINK,), (ITALIC, BOLD), (RED,)])),
        min_size=1,
        max_size=6,
    )
)
def test_any_text_survives_segments_and_rebuild(
    runs: list[tuple[str, tuple[dict[str, Any], ...]]],
) -> None:
    doc: dict[str, Any] = {
        "nodes": [
            {
                "type": "PARAGRAPH",
                "id": "p",
                "nodes": [text(t, *d) for t, d in runs],
                "paragraphData": {},
            }
        ]
    }
    source = json.dumps(doc)
    found = segments(source)
    rebuilt = json.loads(rebuild(source, {s.id: s.text for s in found}))
    joined = "".join(t for t, _ in runs)
    assert "".join(n["textData"]["text"] for n in rebuilt["nodes"][0]["nodes"]) == joined

    # each character keeps its decorations
    def flat(nodes: list[Any]) -> list[tuple[str, str]]:
        return [
            (ch, json.dumps(n["textData"]["decorations"]))
            for n in nodes
            for ch in n["textData"]["text"]
        ]

    assert flat(rebuilt["nodes"][0]["nodes"]) == flat(doc["nodes"][0]["nodes"])
