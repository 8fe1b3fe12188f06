"""Counted nouns in messages: never "1 entries" or "Import 1 changes"."""

from __future__ import annotations

import pytest

from wixloc.grammar import plural


@pytest.mark.parametrize(
    ("count", "noun", "expected"),
    [
        (1, "entry", "1 entry"),
        (0, "entry", "0 entries"),
        (2, "entry", "2 entries"),
        (1, "change", "1 change"),
        (3, "change", "3 changes"),
        (2, "key", "2 keys"),
        (2, "try", "2 tries"),
        (2, "match", "2 matches"),
        (1, "translator file", "1 translator file"),
        (4, "translator file", "4 translator files"),
        (1.0, "second", "1 second"),
        (2.5, "second", "2.5 seconds"),
        (600.0, "second", "600 seconds"),
    ],
)
def test_plural(count: float, noun: str, expected: str) -> None:
    assert plural(count, noun) == expected


def test_an_irregular_plural_is_given() -> None:
    assert plural(2, "child", "children") == "2 children"
    assert plural(1, "child", "children") == "1 child"
