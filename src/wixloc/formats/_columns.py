"""Telling language columns from key and metadata columns by the header (shared by table formats).

Wix does not publish the localization file's layout, so a column whose header is a language tag
is a language column, a column named like a note or a length limit is metadata, and every other
column is part of the key, kept verbatim and in order. ``--languages`` names the language columns
when a key column happens to look like a tag.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from wixloc.errors import InputError, LanguageError
from wixloc.locales import is_language_tag, normalize_tag
from wixloc.model import Column, ColumnKind, Language

__all__ = ["Layout", "classify", "duplicate_key_error", "looks_like_tag"]

META_NAMES = frozenset(
    {
        "note",
        "notes",
        "comment",
        "comments",
        "context",
        "developer comment",
        "max length",
        "max_length",
        "maxlength",
        "max-length",
        "character limit",
        "char limit",
    }
)
MAX_LENGTH_NAMES = frozenset(
    {"max length", "max_length", "maxlength", "max-length", "character limit", "char limit"}
)
# A header shaped like a tag with a region (xx-YY, xx_YY, xx-Yyyy-YY): surely meant as a language
# column, so when babel does not know it, it is a broken language column rather than part of the
# key. Lower-case snake_case names (my_id) do not count.
_TAG_SHAPE = re.compile(
    r"^[A-Za-z]{2}-[A-Za-z]{2}$|^[A-Za-z]{2}(?:[-_][A-Z][a-z]{3})?[-_](?:[A-Z]{2}|\d{3})$"
)
LANGUAGE_COLUMN_NAMES = ("language", "locale", "lang", "language code", "languagecode")
TEXT_COLUMN_NAMES = ("text", "value", "translation", "content", "string")


@dataclass
class Layout:
    """What the header says: columns, languages in order (main first), and long-layout columns."""

    columns: list[Column]
    languages: list[Language]
    long: bool = False
    language_index: int = -1  # long layout: the column holding the language
    text_index: int = -1  # long layout: the column holding the text


def classify(
    header: Sequence[str], name: str, languages: Sequence[str] | None, *, line: int = 1
) -> Layout:
    """Classify *header*'s columns. Raises InputError for duplicates or no language column."""
    _check_duplicates(header, name, line)
    wanted = [Language.parse(tag) for tag in languages] if languages else None
    lang_cols: dict[int, Language] = {}
    for i, title in enumerate(header):
        if wanted is not None:
            match = _match(title, wanted)
            if match is not None:
                lang_cols[i] = Language(title.strip(), match.code)
        elif is_language_tag(title):
            lang_cols[i] = Language(title.strip())
    if lang_cols:
        return _wide(header, lang_cols, wanted, name, line)
    long = _long(header)
    if long is not None:
        return long
    raise _no_language(header, name, line, wanted)


def _match(title: str, wanted: list[Language]) -> Language | None:
    try:
        code = normalize_tag(title)
    except LanguageError:
        return None
    for lang in wanted:
        if lang.code.lower() == code.lower():
            return lang
    return None


def _check_duplicates(header: Sequence[str], name: str, line: int) -> None:
    seen: dict[str, int] = {}
    for i, title in enumerate(header, start=1):
        if title in seen:
            raise InputError(
                f"duplicate column name '{title}' (columns {seen[title]} and {i})",
                file=name,
                line=line,
                hint="give every column a different name",
            )
        seen[title] = i


def looks_like_tag(title: str) -> bool:
    """True for a header shaped like a language tag with a region or script, valid or not."""
    return _TAG_SHAPE.match(title.strip()) is not None


def _kind(title: str) -> ColumnKind:
    if title.strip().lower() in META_NAMES:
        return ColumnKind.META
    if looks_like_tag(title) and not is_language_tag(title, strict=False):
        return ColumnKind.META  # a mistyped language column (reported by `check`), not a key
    return ColumnKind.KEY


def _wide(
    header: Sequence[str],
    lang_cols: dict[int, Language],
    wanted: list[Language] | None,
    name: str,
    line: int,
) -> Layout:
    columns = [
        Column(title, ColumnKind.LANGUAGE, lang_cols[i])
        if i in lang_cols
        else Column(title, _kind(title))
        for i, title in enumerate(header)
    ]
    found = list(lang_cols.values())
    _check_duplicate_languages(found, name, line)
    if wanted is None:
        return Layout(columns, found)
    missing = [str(lang) for lang in wanted if lang not in found]
    if missing:
        raise LanguageError(
            f"no column for language {', '.join(repr(m) for m in missing)}",
            file=name,
            line=line,
            hint=f"the header is: {', '.join(header)}",
        )
    by_lang = {lang: lang for lang in found}
    return Layout(columns, [by_lang[lang] for lang in wanted])


def _check_duplicate_languages(found: list[Language], name: str, line: int) -> None:
    seen: dict[Language, Language] = {}
    for lang in found:
        if lang in seen:
            raise LanguageError(
                f"two columns for the same language: '{seen[lang]}' and '{lang}'",
                file=name,
                line=line,
            )
        seen[lang] = lang


def _long(header: Sequence[str]) -> Layout | None:
    lowered = [h.strip().lower() for h in header]
    lang_index = next((lowered.index(n) for n in LANGUAGE_COLUMN_NAMES if n in lowered), -1)
    if lang_index < 0 or len(header) < 2:
        return None
    text_index = next((lowered.index(n) for n in TEXT_COLUMN_NAMES if n in lowered), -1)
    if text_index < 0:
        text_index = len(header) - 1 if lang_index != len(header) - 1 else len(header) - 2
    columns = [
        Column(title, _kind(title))
        for i, title in enumerate(header)
        if i not in (lang_index, text_index)
    ]
    return Layout(columns, [], long=True, language_index=lang_index, text_index=text_index)


def _no_language(
    header: Sequence[str], name: str, line: int, wanted: list[Language] | None
) -> InputError:
    if wanted:
        return LanguageError(
            f"no column for language {', '.join(repr(str(w)) for w in wanted)}",
            file=name,
            line=line,
            hint=f"the header is: {', '.join(header)}",
        )
    return InputError(
        f"no language column in the header ({', '.join(header)})",
        file=name,
        line=line,
        hint="language columns are headed by tags such as en, de or EN-US; "
        "name them with --languages if they are headed otherwise",
    )


def duplicate_key_error(key: Sequence[str], line: int, first: int, name: str) -> InputError:
    """The error for a key seen twice (both lines named)."""
    return InputError(
        f"duplicate key ({', '.join(key)}): first on line {first}, again on line {line}",
        file=name,
        line=line,
        hint="each key must appear once; remove or rename one of the rows",
    )
