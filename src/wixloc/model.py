"""The neutral model every format reads into and writes from. No I/O here.

- :class:`Language`: a tag as written (``EN-US``) and its normalized form (``en-US``); two
  languages are equal when their normalized forms are equal, ignoring case.
- :class:`Table`: ordered languages (the first is the main language), ordered columns, ordered
  entries, and the file's dialect, so that writing back an unchanged table gives the same bytes.
- :class:`Entry`: the key (the key-column values), the text per language, metadata cells.
- :class:`Unit` / :class:`UnitFile`: what translators get for one target language: key, source,
  target, state, notes and the fingerprint of the source the unit was made from.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from wixloc.errors import LanguageError
from wixloc.locales import normalize_tag

__all__ = [
    "CHANGED_NOTE",
    "Column",
    "ColumnKind",
    "Dialect",
    "Entry",
    "Key",
    "Language",
    "Suggestion",
    "Table",
    "Unit",
    "UnitFile",
    "UnitState",
    "fingerprint",
    "format_key",
    "parse_key",
]

Key = tuple[str, ...]


class Language:
    """A language tag as written in a file, compared by its normalized form."""

    __slots__ = ("_fold", "code", "tag")

    def __init__(self, tag: str, code: str | None = None) -> None:
        self.tag = tag  # spelling the file or user used, written back unchanged
        self.code = code if code is not None else normalize_tag(tag)
        self._fold = self.code.lower()

    @classmethod
    def parse(cls, tag: str) -> Language:
        """Validate *tag* (raises LanguageError naming it) and keep its spelling."""
        return cls(tag.strip())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Language):
            return self._fold == other._fold
        if isinstance(other, str):
            try:
                return self._fold == normalize_tag(other).lower()
            except LanguageError:
                return False
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._fold)

    def __repr__(self) -> str:
        return f"Language({self.tag!r})"

    def __str__(self) -> str:
        return self.tag


class ColumnKind(Enum):
    KEY = "key"
    LANGUAGE = "language"
    META = "meta"


@dataclass(frozen=True)
class Column:
    name: str
    kind: ColumnKind
    language: Language | None = None


@dataclass
class Dialect:
    """How a text table was spelled on disk, so it can be written back byte for byte."""

    delimiter: str = ","
    quotechar: str = '"'
    quote_all: bool = False
    line_ending: str = "\n"
    bom: bool = False
    final_newline: bool = True
    encoding: str = "utf-8"


@dataclass(slots=True)
class Entry:
    """One translatable string: its key, text per language and metadata cells."""

    key: Key
    texts: dict[Language, str] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=dict)
    line: int | None = None  # line where the entry's (first) row starts in its file
    lines: dict[Language, int] | None = None  # per-language lines in a long layout

    def text(self, language: Language) -> str:
        return self.texts.get(language, "")

    def line_for(self, language: Language) -> int | None:
        if self.lines is not None and language in self.lines:
            return self.lines[language]
        return self.line


@dataclass
class Table:
    """Languages (main first), columns in file order, entries in file order, and the dialect."""

    languages: list[Language]
    columns: list[Column]
    entries: list[Entry] = field(default_factory=list)
    dialect: Dialect = field(default_factory=Dialect)
    layout: str = "wide"  # "wide": a column per language; "long": a row per key and language
    source: str | None = None  # file name the table was read from, for messages
    # Opaque per-format data that lets a format write back exactly what it read (e.g. the raw
    # text of rows that the dialect alone cannot reproduce). Formats own its contents.
    format_state: dict[str, Any] = field(default_factory=dict)

    @property
    def main_language(self) -> Language:
        return self.languages[0]

    @property
    def key_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.kind is ColumnKind.KEY]

    @property
    def meta_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.kind is ColumnKind.META]

    def language(self, tag: str | Language) -> Language:
        """The table's own Language object for *tag* (its spelling), or LanguageError."""
        for lang in self.languages:
            if lang == tag:
                return lang
        have = ", ".join(str(lang) for lang in self.languages)
        raise LanguageError(f"the table has no language '{tag}' (it has {have})", file=self.source)

    def has_language(self, tag: str | Language) -> bool:
        return any(lang == tag for lang in self.languages)

    def index(self) -> dict[Key, Entry]:
        """Entries by key (built on demand: O(n) once, then O(1) lookups)."""
        return {entry.key: entry for entry in self.entries}

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)


class UnitState(Enum):
    """Where a unit stands, mapped to each format's own vocabulary by the format modules."""

    NEW = "new"  # not translated yet
    NEEDS_REVIEW = "needs-review"  # a suggestion (PO fuzzy, reuse, a stale translation)
    TRANSLATED = "translated"
    REVIEWED = "reviewed"
    FINAL = "final"

    @property
    def done(self) -> bool:
        return self in (UnitState.TRANSLATED, UnitState.REVIEWED, UnitState.FINAL)


# The note split adds to a changed unit; every format carries notes, so this is how a file says
# "changed" without a field of its own (see Unit.changed).
CHANGED_NOTE = "The source text changed since this was translated; please review."


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A translation memory's fuzzy match offered for a unit: shown to the translator in the
    format's own place (XLIFF ``alt-trans`` / ``mtc:match``, a PO fuzzy entry, XLSX columns),
    never taken as the unit's translation by a reader or by merge."""

    source: str  # the memory's source text
    target: str  # its translation (adapted to the unit's source when only codes differed)
    score: int  # 50-99
    origin: str = ""  # the TMX file's name, or "site"


@dataclass(slots=True)
class Unit:
    """One entry as a translator sees it, for one target language."""

    key: Key
    source: str
    target: str = ""
    state: UnitState = UnitState.NEW
    notes: list[str] = field(default_factory=list)  # human context: collection, item, field
    fingerprint: str | None = None  # fingerprint() of the source the unit was made from
    previous_source: str | None = None  # the old source of a stale entry, for the translator
    max_length: int | None = None
    line: int | None = None  # where the unit starts in the file it was read from
    # The source changed since the entry was translated: split sets it (and adds CHANGED_NOTE
    # for the translator); readers set it from what the file holds (that note, a previous source)
    changed: bool = False
    # Fuzzy matches offered to the translator (best first); never part of the translation
    suggestions: list[Suggestion] = field(default_factory=list)


@dataclass
class UnitFile:
    """A bilingual file's content: one target language, its units and the key column names."""

    source_language: Language
    target_language: Language
    units: list[Unit] = field(default_factory=list)
    key_columns: list[str] = field(default_factory=list)
    source: str | None = None  # file name the units were read from, for messages
    original: str | None = None  # name of the table the units were split from

    def __len__(self) -> int:
        return len(self.units)


def fingerprint(text: str) -> str:
    """A short, stable fingerprint of a source text (for stale detection)."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


_KEY_SEP = "|"


def format_key(key: Sequence[str]) -> str:
    """One string for a key tuple, reversible by :func:`parse_key`.

    Values are joined with ``|``; a ``\\`` or ``|`` inside a value is escaped with ``\\``.
    ``("products", "p-1", "title")`` -> ``products|p-1|title``.
    """
    joined = _KEY_SEP.join(key)
    if "\\" not in joined and joined.count(_KEY_SEP) == len(key) - 1:
        return joined  # nothing to escape (nearly every key): no step per value
    return _KEY_SEP.join(v.replace("\\", "\\\\").replace(_KEY_SEP, "\\" + _KEY_SEP) for v in key)


def parse_key(text: str) -> Key:
    """Inverse of :func:`format_key`."""
    if "\\" not in text:
        return tuple(text.split(_KEY_SEP))
    values: list[str] = []
    current: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            current.append(text[i + 1])
            i += 2
            continue
        if ch == _KEY_SEP:
            values.append("".join(current))
            current = []
        else:
            current.append(ch)
        i += 1
    values.append("".join(current))
    return tuple(values)
