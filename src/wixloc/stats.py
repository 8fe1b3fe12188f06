"""Word counts per target language: what translation agencies quote on.

For each target language, the entries still to translate, split into *new*, *changed* (the
source differs from a previous export given with ``against``) and *repetitions* (a source text
already counted earlier for that language), with their words and characters. Words are counted
in the main-language text without markup, placeholders, URLs and entities; Chinese and Japanese
characters count one word each, as agencies count them. Characters include spaces.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from wixloc import formats
from wixloc.checks.documents import load_document
from wixloc.model import Key, Language, UnitFile
from wixloc.progress import OnProgress
from wixloc.progress import counted as progress_counted
from wixloc.tm.analysis import Repetitions, count_words, counted

__all__ = [
    "KINDS",
    "Count",
    "LanguageStats",
    "Stats",
    "compute_stats",
    "count_words",
    "unit_stats",
]

KINDS = ("new", "changed", "repetitions")


@dataclass
class Count:
    entries: int = 0
    words: int = 0
    characters: int = 0

    def add(self, other: Count) -> None:
        self.entries += other.entries
        self.words += other.words
        self.characters += other.characters

    def as_dict(self) -> dict[str, int]:
        return {"entries": self.entries, "words": self.words, "characters": self.characters}


@dataclass
class LanguageStats:
    language: str
    new: Count = field(default_factory=Count)
    changed: Count = field(default_factory=Count)
    repetitions: Count = field(default_factory=Count)

    @property
    def total(self) -> Count:
        total = Count()
        for part in (self.new, self.changed, self.repetitions):
            total.add(part)
        return total

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {
            "new": self.new.as_dict(),
            "changed": self.changed.as_dict(),
            "repetitions": self.repetitions.as_dict(),
            "total": self.total.as_dict(),
        }


@dataclass
class Stats:
    file: str
    main_language: str
    languages: list[LanguageStats]
    against: str | None = None

    @property
    def total(self) -> LanguageStats:
        total = LanguageStats("total")
        for lang in self.languages:
            total.new.add(lang.new)
            total.changed.add(lang.changed)
            total.repetitions.add(lang.repetitions)
        return total

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "against": self.against,
            "main_language": self.main_language,
            "languages": {s.language: s.as_dict() for s in self.languages},
            "total": self.total.as_dict(),
        }


def compute_stats(
    path: str | Path,
    against: str | Path | None = None,
    *,
    encoding: str | None = None,
    on_progress: OnProgress | None = None,
) -> Stats:
    """Count what is left to translate in *path* (a table or a translator file)."""
    document = formats.open_document(path, encoding=encoding)
    if document.holds_units:  # a translator file: count its units as pull counts them
        units = document.units()
        return Stats(units.source or str(path), units.source_language.code, [unit_stats(units)])
    doc = load_document(path, encoding=encoding)
    previous = _previous_sources(against) if against is not None else None
    targets = [lang for lang in doc.languages if lang != doc.main]
    stats = {lang: LanguageStats(lang.code) for lang in targets}
    seen: dict[Language, set[str]] = {lang: set() for lang in targets}
    counted: dict[str, Count] = {}  # source text -> its words and characters, counted once
    for key, _line, texts, _lines, _limit in progress_counted(doc.rows, on_progress):
        source = texts.get(doc.main, "")
        if not source.strip():
            continue
        changed = previous is not None and key in previous and previous[key] != source
        for lang in targets:
            target = texts.get(lang, "")
            if target.strip() and not changed:
                continue  # translated, and its source has not changed
            count = counted.get(source)
            if count is None:
                words, chars = count_words(source)
                count = counted[source] = Count(1, words, chars)
            kind = _kind(stats[lang], source in seen[lang], changed)
            kind.add(count)
            seen[lang].add(source)
    return Stats(doc.file, doc.main.code, list(stats.values()), str(against) if against else None)


def _kind(stats: LanguageStats, repeated: bool, changed: bool) -> Count:
    if repeated:
        return stats.repetitions
    return stats.changed if changed else stats.new


def _previous_sources(path: str | Path) -> dict[Key, str]:
    doc = load_document(path)
    return {key: texts.get(doc.main, "") for key, _line, texts, _lines, _limit in doc.rows}


def unit_stats(units: UnitFile) -> LanguageStats:
    """What a translator file asks for: new, changed (stale) and repeated entries and words.

    The counting rule of :mod:`wixloc.tm.analysis`, the same as for the table it was split
    from: units that are done do not count, except those a memory filled in as in-context
    matches (the table still lacks them); a source seen earlier in the file is a repetition;
    a unit pre-filled from an identical source is work to review (new), not a repetition.
    """
    stats = LanguageStats(units.target_language.code)
    repeated = Repetitions()
    for unit in units.units:
        if not counted(unit):
            continue
        words, chars = count_words(unit.source)
        if repeated(unit.source):
            kind = stats.repetitions
        elif unit.changed:
            kind = stats.changed
        else:
            kind = stats.new
        kind.add(Count(1, words, chars))
    return stats
