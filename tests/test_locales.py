"""Language tags: parsing, comparison, names, direction, plural forms."""

from __future__ import annotations

import pytest

from wixloc.errors import LanguageError
from wixloc.locales import (
    direction,
    display_name,
    is_language_tag,
    match_language,
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


# --- matching a file's language to the table's ------------------------------------------------

TABLE = [Language("en"), Language("de"), Language("pt-BR"), Language("pt-PT"), Language("fr-CA")]


@pytest.mark.parametrize("tag", ["de", "de-DE", "de_DE", "de-de", "DE-de", "de-AT"])
def test_a_region_of_a_table_language_matches_it(tag: str) -> None:
    assert match_language(tag, TABLE).tag == "de"


def test_a_bare_language_matches_the_tables_only_region() -> None:
    assert match_language("fr", TABLE).tag == "fr-CA"
    assert match_language("fr_ca", TABLE).tag == "fr-CA"


def test_the_same_tag_in_another_spelling_wins_over_a_variant() -> None:
    table = [Language("en"), Language("de"), Language("de-CH")]
    assert match_language("de-ch", table).tag == "de-CH"
    assert match_language("DE", table).tag == "de"


def test_two_regions_never_match_each_other() -> None:
    with pytest.raises(LanguageError) as err:
        match_language("pt-AO", TABLE)
    assert (
        err.value.message
        == "the table has no language 'pt-AO' (it has en, de, pt-BR, pt-PT, fr-CA)"
    )
    assert (
        err.value.hint
        == 'map it in wixloc.toml: [languages] aliases = {"pt-AO" = "<table language>"}'
    )
    table = [Language("en"), Language("pt-PT")]
    with pytest.raises(LanguageError, match="no language 'pt-BR'"):
        match_language("pt-BR", table)


def test_a_bare_language_with_two_table_regions_is_ambiguous() -> None:
    with pytest.raises(LanguageError) as err:
        match_language("pt", TABLE)
    assert err.value.message == "the file's language 'pt' could be any of the table's pt-BR, pt-PT"


def test_scripts_never_match_each_other() -> None:
    table = [Language("en"), Language("zh-Hans"), Language("zh-Hant")]
    assert match_language("zh-Hant-TW", table).tag == "zh-Hant"
    with pytest.raises(LanguageError, match="could be any of the table's zh-Hans, zh-Hant"):
        match_language("zh-TW", table)


def test_aliases_from_the_config_decide_first() -> None:
    aliases = {"pt": "pt-PT", "zh-TW": "zh-Hant", "nb": "no"}
    assert match_language("pt", TABLE, aliases).tag == "pt-PT"
    assert match_language("PT", TABLE, aliases).tag == "pt-PT"
    with pytest.raises(LanguageError) as err:
        match_language("nb", TABLE, aliases)
    assert err.value.message == (
        "the alias for 'nb' names 'no', which the table does not have "
        "(it has en, de, pt-BR, pt-PT, fr-CA)"
    )


def test_an_invalid_file_tag_is_a_language_error() -> None:
    with pytest.raises(LanguageError, match="'x-y-z' is not a language tag"):
        match_language("x-y-z", TABLE)
