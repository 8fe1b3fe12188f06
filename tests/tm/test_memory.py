"""Matches: in-context, 100 %, fuzzy bands with exact scores, adapted codes and placeholders."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from wixloc.tm.memory import Band, Match, TranslationMemory, adapt, band_for, matchable
from wixloc.tm.tmx import TmxUnit, write_tmx


@pytest.fixture
def memory() -> TranslationMemory:
    tm = TranslationMemory()
    tm.add("en", "Add to cart", "de", "In den Warenkorb", context="Products|p-1|button")
    tm.add("en", "Free shipping on orders", "de", "Kostenloser Versand", origin="agency.tmx")
    tm.add("en", "Subscribe to our newsletter", "de", "Newsletter abonnieren")
    tm.add("en", "Hello <b>{name}</b>, welcome", "de", "Hallo <b>{name}</b>, willkommen")
    tm.add("en", "Contact us", "fr", "Contactez-nous")
    return tm


def _found(tm: TranslationMemory, source: str, context: str = "") -> list[tuple[int, str, str]]:
    return [(m.score, m.band.value, m.target) for m in tm.lookup("en", source, "de", context)]


@pytest.mark.parametrize(
    ("source", "context", "expected"),
    [
        ("Add to cart", "Products|p-1|button", [(100, "in-context", "In den Warenkorb")]),
        ("Add to cart", "Products|p-2|button", [(100, "100", "In den Warenkorb")]),
        ("Add to cart", "", [(100, "100", "In den Warenkorb")]),
        ("Add to carts", "", [(95, "95-99", "In den Warenkorb")]),  # 95.65
        ("Free shipping on all orders", "", [(92, "85-94", "Kostenloser Versand")]),  # 92.0
        ("Subscribe to the newsletter", "", [(88, "85-94", "Newsletter abonnieren")]),  # 88.89
        ("Sign up to our newsletter", "", [(76, "75-84", "Newsletter abonnieren")]),  # 76.92
        ("Free delivery on orders", "", [(69, "50-74", "Kostenloser Versand")]),  # 69.57
        ("Subscribe now", "", [(60, "50-74", "Newsletter abonnieren")]),  # 60.0
        ("Our team", "", []),  # nothing in the memory scores 50 or more
        ("", "", []),
    ],
)
def test_bands_and_scores(
    memory: TranslationMemory, source: str, context: str, expected: list[tuple[int, str, str]]
) -> None:
    assert _found(memory, source, context) == expected


def test_codes_are_held_out_and_a_difference_only_in_them_is_adapted(
    memory: TranslationMemory,
) -> None:
    (match,) = memory.lookup("en", "Hello <i>{user}</i>, welcome", "de")
    assert match == Match(
        "Hello <b>{name}</b>, welcome",
        "Hallo <i>{user}</i>, willkommen",
        99,
        Band.HIGH,
        adapted=True,
    )
    assert match.review


def test_exact_matches_are_for_review_unless_in_context(memory: TranslationMemory) -> None:
    (same_key,) = memory.lookup("en", "Add to cart", "de", "Products|p-1|button")
    (other_key,) = memory.lookup("en", "Add to cart", "de", "Pages|home|cta")
    assert (same_key.review, other_key.review) == (False, True)
    assert other_key.context == "Products|p-1|button"


def test_languages_are_separate_and_compared_case_insensitively(
    memory: TranslationMemory,
) -> None:
    assert memory.lookup("en", "Contact us", "de") == []
    assert [m.target for m in memory.lookup("EN", "Contact us", "FR")] == ["Contactez-nous"]


def test_in_context_comes_first_among_several_translations() -> None:
    tm = TranslationMemory()
    tm.add("en", "Shop", "de", "Laden", context="a")
    tm.add("en", "Shop", "de", "Shop", context="b")
    tm.add("en", "Shop", "de", "Shop", context="b")  # the same again: kept once
    assert len(tm) == 2
    assert [(m.target, m.band.value) for m in tm.lookup("en", "Shop", "de", "b")] == [
        ("Shop", "in-context"),
        ("Laden", "100"),
    ]


@pytest.mark.parametrize(
    ("new", "old", "target", "adapted"),
    [
        ("Hi {user}", "Hi {name}", "Hallo {name}", "Hallo {user}"),
        ("<b>Hi</b> {a}", "<i>Hi</i> {a}", "<i>Hallo</i> {a}", "<b>Hallo</b> {a}"),
        ("{a} and {b}", "{x} and {y}", "{y} und {x}", "{b} und {a}"),  # moved in the target
        ("{a} and {b}", "{x} and {x}", "{x} und {x}", None),  # one old code, two new ones
        ("Hi there {a}", "Hi {a}", "Hallo {a}", None),  # the text differs
    ],
)
def test_adapt(new: str, old: str, target: str, adapted: str | None) -> None:
    assert adapt(new, old, target) == adapted


def test_band_edges() -> None:
    assert [band_for(s).value for s in (100, 99, 95, 94, 85, 84, 75, 74, 50, 49)] == [
        "100", "95-99", "95-99", "85-94", "85-94", "75-84", "75-84", "50-74", "50-74", "no-match",
    ]  # fmt: skip
    assert band_for(100, in_context=True) is Band.IN_CONTEXT


def test_matchable_holds_out_codes() -> None:
    assert matchable('<p>Save <a href="x">now</a> &amp; more</p>') == "Save now  more"


def test_from_tmx(tmp_path: Path) -> None:
    buf = io.BytesIO()
    units = [
        TmxUnit("k1", {"en": "Add to cart", "de": "In den Warenkorb", "fr": "Ajouter"}),
        TmxUnit("k2", {"en": "Read more", "de": ""}),
    ]
    write_tmx(buf, units, "en")
    (tmp_path / "a.tmx").write_bytes(buf.getvalue())
    tm = TranslationMemory.from_tmx([tmp_path / "a.tmx"])
    assert len(tm) == 2
    (match,) = tm.lookup("en", "Add to cart", "fr", "k1")
    assert (match.target, match.band, match.origin) == ("Ajouter", Band.IN_CONTEXT, "a.tmx")
