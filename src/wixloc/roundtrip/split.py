"""A table into translator units: one :class:`~wixloc.model.UnitFile` per target language.

The rules: an entry with no main-language text is never sent; ``only`` chooses the missing
translations, every entry, or the missing and changed ones; a changed entry (its source differs
from the one its translation was made from) carries its old source, is marked for review and
:attr:`~wixloc.model.Unit.changed`; ``reuse`` pre-fills a missing translation from an identical
source already translated, marked for review. No I/O here (see :mod:`wixloc.roundtrip.files`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Literal

from wixloc.errors import UsageError
from wixloc.formats._columns import MAX_LENGTH_NAMES
from wixloc.model import (
    CHANGED_NOTE,
    Entry,
    Key,
    Language,
    Table,
    Unit,
    UnitFile,
    UnitState,
    fingerprint,
    format_key,
)

__all__ = [
    "ONLY_CHOICES",
    "REUSE_NOTE",
    "Only",
    "Splitter",
    "check_only",
    "split",
    "target_languages",
]

Only = Literal["missing", "changed", "all"]
ONLY_CHOICES: tuple[str, ...] = ("missing", "changed", "all")
REUSE_NOTE = "Pre-filled from an identical text already translated ({key}); please review."

Memory = Mapping[str, tuple[Key, str]]  # main-language text -> (key, translation)
_NO_MEMORY: Memory = {}


def check_only(only: str) -> None:
    if only not in ONLY_CHOICES:
        raise UsageError(f"--only must be one of {', '.join(ONLY_CHOICES)}, not '{only}'")


def target_languages(table: Table, languages: Sequence[str] | None = None) -> list[Language]:
    """The table's languages to translate into: all but the main one, or those named."""
    if not languages:
        return table.languages[1:]
    chosen = [table.language(tag) for tag in languages]
    main = table.main_language
    if main in chosen:
        raise UsageError(f"'{main}' is the main language; it has nothing to translate from")
    return chosen


class Splitter:
    """Makes the unit of an entry for a target language, with what every unit of a table
    shares (column names, the rules chosen) worked out once; split streams use it an entry at
    a time."""

    def __init__(
        self,
        table: Table,
        only: Only = "missing",
        previous: Mapping[Key, str] | None = None,
        memory: Memory = _NO_MEMORY,
    ) -> None:
        check_only(only)
        self.main = table.main_language
        self.only = only
        self.previous = {} if only == "changed" and previous is None else previous
        self.memory = memory
        self.keys = table.key_columns
        metas = table.meta_columns
        # the column holding each entry's max length, if the table has one
        self.limit = next((m for m in metas if m.strip().lower() in MAX_LENGTH_NAMES), None)
        self.notes = [m for m in metas if m.strip().lower() not in MAX_LENGTH_NAMES]

    def unit(self, entry: Entry, lang: Language) -> Unit | None:
        """The unit to send for *entry* in *lang*, or None when there is nothing to send."""
        source = entry.texts.get(self.main, "")
        if not source:
            return None  # nothing to translate from: never sent
        target = entry.texts.get(lang, "")
        previous = self.previous
        old = previous.get(entry.key) if previous is not None and target else None
        changed = old is not None and old != source
        if target and self.only == "missing":
            return None
        if target and self.only == "changed" and not changed:
            return None
        unit = Unit(
            key=entry.key,
            source=source,
            target=target,
            state=UnitState.TRANSLATED if target else UnitState.NEW,
            notes=self._notes(entry),
            fingerprint=fingerprint(source),
            max_length=self._max_length(entry),
        )
        if changed:
            unit.previous_source = old or None  # '' when the old text is unknown
            unit.state = UnitState.NEEDS_REVIEW
            unit.changed = True
            unit.notes.append(CHANGED_NOTE)  # how the file tells the translator
        elif not target and source in self.memory:
            other, unit.target = self.memory[source]
            unit.state = UnitState.NEEDS_REVIEW
            unit.notes.append(REUSE_NOTE.format(key=format_key(other)))
        return unit

    def _notes(self, entry: Entry) -> list[str]:
        notes = [" · ".join(map(_pair, self.keys, entry.key))] if self.keys else []
        for name in self.notes:
            value = entry.meta.get(name, "")
            if value:
                notes.append(f"{name}: {value}")
        return notes

    def _max_length(self, entry: Entry) -> int | None:
        value = entry.meta.get(self.limit, "").strip() if self.limit else ""
        return int(value) if value.isdigit() else None


def _pair(name: str, value: str) -> str:
    return f"{name}: {value}"


def split(
    table: Table,
    language: str | Language,
    *,
    only: Only = "missing",
    previous: Mapping[Key, str] | None = None,
    reuse: bool = False,
) -> UnitFile:
    """The units to send a translator for *language*.

    *only*: ``missing`` sends entries with no translation yet, ``all`` every entry with a
    main-language text, ``changed`` the missing ones and those whose source differs from
    *previous* (the source each current translation was made from, by key). A changed entry
    carries its old source (``previous_source``) and is marked for review.
    *reuse* pre-fills a missing translation from an identical source already translated.
    """
    check_only(only)
    lang = table.language(language)
    main = table.main_language
    if lang == main:
        raise UsageError(f"'{lang}' is the main language; it has nothing to translate from")
    memory = _translation_memory(table, lang) if reuse else _NO_MEMORY
    splitter = Splitter(table, only, previous, memory)
    units = [unit for entry in table.entries if (unit := splitter.unit(entry, lang)) is not None]
    return UnitFile(
        source_language=main,
        target_language=lang,
        units=units,
        key_columns=list(table.key_columns),
        original=Path(table.source).name if table.source else None,
    )


def _translation_memory(table: Table, lang: Language) -> dict[str, tuple[Key, str]]:
    """Main-language text -> (key, translation) of the first entry translated into *lang*."""
    memory: dict[str, tuple[Key, str]] = {}
    main = table.main_language
    for entry in table.entries:
        target = entry.text(lang)
        if target:
            memory.setdefault(entry.text(main), (entry.key, target))
    memory.pop("", None)
    return memory
