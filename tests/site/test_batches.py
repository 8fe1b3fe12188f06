"""Sites beyond 64 languages: job-sized batches led by the main language, joined by key."""

from __future__ import annotations

import pytest

from wixloc.errors import UsageError
from wixloc.model import Column, ColumnKind, Entry, Language, Table
from wixloc.site.batches import MAX_JOB_LANGUAGES, join_tables, language_batches, select_languages

KEYS = ["Collection ID", "Item ID", "Field"]


def table(tags: list[str], rows: dict[str, list[str]]) -> Table:
    langs = [Language(t) for t in tags]
    columns = [Column(k, ColumnKind.KEY) for k in KEYS]
    columns += [Column(lang.tag, ColumnKind.LANGUAGE, lang) for lang in langs]
    t = Table(languages=langs, columns=columns)
    for item, texts in rows.items():
        t.entries.append(Entry(("c", item, "title"), dict(zip(langs, texts, strict=True))))
    return t


def test_batches_are_led_by_the_main_language_and_hold_at_most_64() -> None:
    tags = ["en", *(f"x{i:03d}" for i in range(199))]  # 200 locales, the most a site has
    batches = language_batches(tags)
    assert [len(b) for b in batches] == [64, 64, 64, 11]
    assert all(b[0] == "en" for b in batches)
    assert [t for b in batches for t in b[1:]] == tags[1:]
    assert MAX_JOB_LANGUAGES == 64


def test_a_site_within_the_limit_is_one_batch() -> None:
    assert language_batches(["en", "de", "fr"]) == [["en", "de", "fr"]]
    assert language_batches(["en", "de", "fr"], size=2) == [["en", "de"], ["en", "fr"]]


def test_one_language_is_refused() -> None:
    with pytest.raises(UsageError, match="the main language and at least one other"):
        language_batches(["en"])


def test_exports_are_joined_by_key_in_the_first_exports_order() -> None:
    a = table(["en", "de"], {"1": ["One", "Eins"], "2": ["Two", "Zwei"]})
    b = table(["EN", "fr"], {"2": ["Two", "Deux"], "1": ["One", "Un"], "3": ["Three", "Trois"]})
    joined = join_tables([a, b])
    assert [lang.tag for lang in joined.languages] == ["en", "de", "fr"]
    assert [c.name for c in joined.columns] == [*KEYS, "en", "de", "fr"]
    rows = [(e.key[1], [e.text(lang) for lang in joined.languages]) for e in joined.entries]
    assert rows == [
        ("1", ["One", "Eins", "Un"]),
        ("2", ["Two", "Zwei", "Deux"]),
        ("3", ["Three", "", "Trois"]),
    ]


def test_an_upload_for_one_batch_holds_the_main_language_and_the_batch() -> None:
    t = table(["en", "de", "fr", "he"], {"1": ["One", "Eins", "Un", "אחת"]})
    part = select_languages(t, ["en", "fr"])
    assert [c.name for c in part.columns] == [*KEYS, "en", "fr"]
    assert [part.entries[0].text(lang) for lang in part.languages] == ["One", "Un"]
