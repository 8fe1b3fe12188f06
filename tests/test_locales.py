"""Language tags: parsing, comparison, names, direction, plural forms."""

from __future__ import annotations

import pytest

from wixloc.errors import LanguageError
from wixloc.locales import (
    direction,
    display_name,
    is_language_tag,
    native_name,
    normalize_tag,
    plural_forms,
)
from wixloc.model import Language


@pytest.mark.parametrize("tag", ["EN-US", "en-us", "en-US", "en_US", "En_us"])
def test_spellings_of_one_language_are_equal(tag: str) -> None:
    assert normalize_tag(tag) == "en-US"
    assert Language(tag) == Language("en-US")
    assert hash(Language(tag)) == hash(Language("en-US"))
    assert Language(tag).tag == tag  # the spelling is kept


def test_scripts_and_numeric_regions() -> None:
    assert normalize_tag("zh-hant-tw") == "zh-Hant-TW"
    assert normalize_tag("es-419") == "es-419"


@pytest.mark.parametrize("tag", ["xx", "english", "en-", "", "e1", "Field"])
def test_invalid_tags_name_the_tag(tag: str) -> None:
    with pytest.raises(LanguageError) as err:
        normalize_tag(tag)
    assert str(err.value).startswith(f"'{tag}' is not a language tag")


def test_names_and_direction() -> None:
    assert display_name("de") == "German"
    assert native_name("de") == "Deutsch"
    assert native_name("ja") == "日本語"
    assert display_name("pt-BR") == "Portuguese (Brazil)"
    assert [direction(t) for t in ("he", "ar", "fa", "en", "ja")] == ["rtl"] * 3 + ["ltr"] * 2


def test_plural_forms() -> None:
    assert plural_forms("en") == "nplurals=2; plural=(n != 1);"
    assert plural_forms("ja") == "nplurals=1; plural=0;"
    assert plural_forms("HE").startswith("nplurals=3;")


def test_header_detection_is_strict() -> None:
    assert is_language_tag("EN-US") and is_language_tag("he") and is_language_tag("pt_BR")
    assert not is_language_tag("ID")  # an identifier column, not Indonesian
    assert not is_language_tag("Field")
    assert not is_language_tag("my_id")  # snake_case identifiers are not tags (my = Burmese)
    assert is_language_tag("en_US") and is_language_tag("EN_US") and is_language_tag("en-us")
    assert not is_language_tag("fil")  # three-letter codes only when named explicitly
    assert normalize_tag("fil") == "fil"
