"""The model: keys as strings, fingerprints, languages in a table."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wixloc.errors import LanguageError
from wixloc.model import (
    Column,
    ColumnKind,
    Entry,
    Language,
    Table,
    fingerprint,
    format_key,
    parse_key,
)

_KEY_VALUES = st.text(alphabet=st.sampled_from("ab|\\-1 "), max_size=6) | st.text()


@given(st.lists(_KEY_VALUES, min_size=1, max_size=5).map(tuple))
def test_key_strings_are_reversible(key: tuple[str, ...]) -> None:
    assert parse_key(format_key(key)) == key
    escaped = (v.replace("\\", "\\\\").replace("|", "\\|") for v in key)
    assert format_key(key) == "|".join(escaped)  # a key without | or \\ is joined as it is


def test_key_string_is_readable() -> None:
    assert format_key(("Products", "p-1", "title")) == "Products|p-1|title"
    assert format_key(("a|b", "c\\d")) == "a\\|b|c\\\\d"


def test_fingerprint_is_stable_and_short() -> None:
    assert fingerprint("Mug") == fingerprint("Mug")
    assert fingerprint("Mug") != fingerprint("Mug ")
    assert len(fingerprint("x")) == 16


def test_table_language_lookup_keeps_the_file_spelling() -> None:
    de = Language("DE")
    table = Table(
        [Language("EN-US"), de], [Column("k", ColumnKind.KEY)], [Entry(("a",), {de: "x"})]
    )
    assert table.main_language.tag == "EN-US"
    assert table.language("de") is de
    assert table.entries[0].text(Language("de")) == "x"
    with pytest.raises(LanguageError, match=r"the table has no language 'fr' \(it has EN-US, DE\)"):
        table.language("fr")
