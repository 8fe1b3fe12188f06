"""Language tags: parse, compare, display, text direction and gettext plural forms (babel).

Wix writes tags in several spellings (``EN-US`` in job samples, ``en-US`` in the Locales API,
``en-us`` on the site); they are the same language. :func:`normalize_tag` gives the canonical form
(``en-US``, ``zh-Hant-TW``) used for comparison, while files keep the spelling they were read with.
:func:`match_language` finds the table language a translator file's tag stands for, where CAT tools
write a project locale (``de-DE``, ``de_DE``) for a table language (``de``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from babel import Locale, UnknownLocaleError
from babel.messages.plurals import get_plural

from wixloc.errors import LanguageError

if TYPE_CHECKING:  # model imports this module; only the type is needed here
    from wixloc.model import Language

__all__ = [
    "describe",
    "direction",
    "display_name",
    "is_language_tag",
    "match_language",
    "native_name",
    "normalize_tag",
    "plural_forms",
]

# language[-Script][-REGION]; region is two letters or three digits (UN M.49, e.g. es-419).
_TAG = re.compile(
    r"^(?P<lang>[A-Za-z]{2,3})(?:[-_](?P<script>[A-Za-z]{4}))?(?:[-_](?P<region>[A-Za-z]{2}|\d{3}))?$"
)


def _split(tag: str) -> tuple[str, str | None, str | None] | None:
    match = _TAG.match(tag.strip())
    if match is None:
        return None
    lang = match["lang"].lower()
    script = match["script"].title() if match["script"] else None
    region = match["region"].upper() if match["region"] else None
    return lang, script, region


@lru_cache(maxsize=1024)
def _locale(tag: str) -> Locale | None:
    parts = _split(tag)
    if parts is None:
        return None
    lang, script, region = parts
    try:
        locale = Locale(lang, territory=region, script=script)
    except (UnknownLocaleError, ValueError):
        try:  # babel may lack data for a language/region pair it can still name (e.g. en-BR)
            locale = Locale(lang)
        except (UnknownLocaleError, ValueError):
            return None
    return locale


@lru_cache(maxsize=4096)
def normalize_tag(tag: str) -> str:
    """Canonical spelling of *tag*: ``EN_us`` -> ``en-US``. Raises LanguageError if invalid."""
    parts = _split(tag)
    if parts is None or _locale(tag) is None:
        raise LanguageError(
            f"'{tag}' is not a language tag",
            hint="use an ISO 639-1 code with an optional region, such as de, fr-CA or pt-BR",
        )
    return "-".join(p for p in parts if p)


@lru_cache(maxsize=4096)
def is_language_tag(text: str, *, strict: bool = True) -> bool:
    """True if *text* names a language babel knows.

    With *strict* (used to recognise CSV headers) only two-letter language codes count, as Wix
    uses; explicit tags given by the user may also use three-letter codes.
    """
    parts = _split(text)
    if parts is None:
        return False
    if strict and (len(parts[0]) != 2 or text.strip().lower() == "id" or _snake_case(text)):
        return False  # "ID" is an identifier column, not Indonesian; "my_id" is not Burmese
    return _locale(text) is not None


def _snake_case(text: str) -> bool:
    """``my_id``: an identifier. A tag written with ``_`` has an upper-case region (``en_US``)."""
    _lang, sep, rest = text.strip().partition("_")
    return bool(sep) and not rest.isupper()


def _require(tag: str) -> Locale:
    locale = _locale(tag)
    if locale is None:
        normalize_tag(tag)  # raises the uniform error
        raise AssertionError("unreachable")
    return locale


def display_name(tag: str) -> str:
    """English name: ``de`` -> ``German``, ``pt-BR`` -> ``Portuguese (Brazil)``."""
    return _name(tag, "en")


def native_name(tag: str) -> str:
    """The language's own name for itself: ``de`` -> ``Deutsch``, ``ja`` -> ``日本語``."""
    return _name(tag, None)


def _name(tag: str, in_locale: str | None) -> str:
    lang, script, region = _split(tag) or ("", None, None)
    try:
        full = Locale(lang, territory=region, script=script)
    except (UnknownLocaleError, ValueError):
        full = _require(tag)
    name = full.get_display_name(in_locale or full) or normalize_tag(tag)
    return name


def direction(tag: str) -> str:
    """``rtl`` for right-to-left scripts (he, ar, fa, ur, ...), else ``ltr``."""
    return "rtl" if _require(tag).character_order == "right-to-left" else "ltr"


def plural_forms(tag: str) -> str:
    """The gettext ``Plural-Forms`` header value for *tag*."""
    lang, _script, region = _split(normalize_tag(tag)) or ("", None, None)
    try:
        plural = get_plural(f"{lang}_{region}" if region else lang)
    except (UnknownLocaleError, ValueError):
        plural = get_plural(lang)
    return f"nplurals={plural.num_plurals}; plural={plural.plural_expr};"


def describe(tag: str) -> dict[str, str]:
    """A language as plain data, for ``--json`` output: tag, normalized, names, direction."""
    return {
        "tag": tag,
        "normalized": normalize_tag(tag),
        "name": display_name(tag),
        "native_name": native_name(tag),
        "direction": direction(tag),
    }


def match_language(
    file_tag: str,
    table_languages: Sequence[Language],
    aliases: Mapping[str, str] | None = None,
) -> Language:
    """The language of *table_languages* that a file's tag *file_tag* stands for.

    In order: an alias (``{"pt-PT": "pt"}`` from ``wixloc.toml``: file tag -> table tag, both
    compared normalized), the same tag in any spelling (``de-de`` = ``de-DE``), then the one table
    language of the same language whose script and region do not contradict the file's: ``de-DE``,
    ``de_DE`` and ``de-de`` match a table's ``de``, and ``de`` matches a table's only ``de-CH``.
    Two regions (``pt-BR``, ``pt-PT``) or two scripts never match each other. Raises
    LanguageError when no language or more than one matches, naming them and the alias option.
    """
    wanted = normalize_tag(file_tag)
    have = ", ".join(lang.tag for lang in table_languages) or "none"
    for alias, target in (aliases or {}).items():
        if normalize_tag(alias).lower() == wanted.lower():
            return _exact(normalize_tag(target), table_languages, file_tag, have)
    found = [lang for lang in table_languages if lang.code.lower() == wanted.lower()]
    if found:
        return found[0]
    close = [lang for lang in table_languages if _compatible(wanted, lang.code)]
    if len(close) == 1:
        return close[0]
    hint = f'map it in wixloc.toml: [languages] aliases = {{"{file_tag}" = "<table language>"}}'
    if close:
        names = ", ".join(lang.tag for lang in close)
        raise LanguageError(
            f"the file's language '{file_tag}' could be any of the table's {names}", hint=hint
        )
    raise LanguageError(f"the table has no language '{file_tag}' (it has {have})", hint=hint)


def _exact(tag: str, languages: Sequence[Language], file_tag: str, have: str) -> Language:
    for lang in languages:
        if lang.code.lower() == tag.lower():
            return lang
    raise LanguageError(
        f"the alias for '{file_tag}' names '{tag}', which the table does not have (it has {have})",
        hint="fix [languages] aliases in wixloc.toml",
    )


def _compatible(one: str, other: str) -> bool:
    """Same language, and neither script nor region contradicts the other's (one may lack it)."""
    a, b = _split(one), _split(other)
    if a is None or b is None or a[0] != b[0]:
        return False
    return all(x is None or y is None or x == y for x, y in zip(a[1:], b[1:], strict=True))
