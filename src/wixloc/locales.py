"""Language tags: parse, compare, display, text direction and gettext plural forms (babel).

Wix writes tags in several spellings (``EN-US`` in job samples, ``en-US`` in the Locales API,
``en-us`` on the site); they are the same language. :func:`normalize_tag` gives the canonical form
(``en-US``, ``zh-Hant-TW``) used for comparison, while files keep the spelling they were read with.
"""

from __future__ import annotations

import re
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.messages.plurals import get_plural

from wixloc.errors import LanguageError

__all__ = [
    "describe",
    "direction",
    "display_name",
    "is_language_tag",
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
