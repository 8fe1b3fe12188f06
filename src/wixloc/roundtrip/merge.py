"""Translated units back into a table: :func:`merge` and the :class:`MergePolicy` it follows.

The rules: every file is checked (its languages, its keys) before anything is applied, so an
error leaves the table untouched; a non-empty translation is never blanked; a key or language
the table lacks is an error, and so is a key twice in one file; a translation of an older
source, or one marked for review, is taken only if the policy says so; a unit whose source text
is not the one its fingerprint was made from (a sheet sorted apart from its keys, a pasted row)
is refused, naming its place in the file, since its translation may be another key's; an empty
or whitespace-only target is not a translation; a target that is wixloc's copy of the source,
unchanged, is not one either; a translation whose line breaks differ from the source's only in
convention gets the source's back, and the report says so. No I/O here (see
:mod:`wixloc.roundtrip.files`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from wixloc.errors import LanguageError, MergeError
from wixloc.formats.dialects import restore_line_breaks
from wixloc.locales import match_language
from wixloc.model import Key, Language, Table, Unit, UnitFile, UnitState, fingerprint, format_key

__all__ = [
    "COPIED_SOURCE",
    "POLICY_FOR",
    "Cells",
    "LanguageReport",
    "Locate",
    "MergePolicy",
    "MergeReport",
    "merge",
    "merge_cells",
]

# Reasons a unit is skipped; the CLI groups by them, so they are fixed phrases.
NOT_TRANSLATED = "not translated"
WOULD_BLANK = "empty, and the table already has a translation (kept)"
NEEDS_REVIEW = "marked for review (fuzzy, needs-review)"
NOT_DONE = "not marked as translated"
BLANK = "the target is only whitespace, not a translation"
COPIED_SOURCE = "the target is the copied source, unchanged"
STALE = "stale: the source text changed since the file was made"
NO_FINGERPRINT = "the source text differs from the table's and the file has no fingerprint"
# The MergePolicy field that takes the units skipped for each reason: a command prints its own
# option for it ("use --include-fuzzy to apply"), so no reason names an option a command lacks.
POLICY_FOR: dict[str, str] = {
    NEEDS_REVIEW: "include_fuzzy",
    STALE: "accept_stale",
    NO_FINGERPRINT: "accept_stale",
}
# Why a unit is refused: its source is not the text its fingerprint was made from.
MISPLACED = (
    "the source text is not the one this unit was made from (its fingerprint differs), so the "
    "translation may belong to another key: was a column sorted or a row pasted on its own? "
    "Undo it, or split the table again"
)
# The notice for a translation whose line breaks were put back in the source's convention.
LINE_BREAKS = "line breaks restored to the source's {convention}"
_CONVENTIONS = {"\r\n": "CRLF", "\n": "LF", "\r": "CR"}


@dataclass(frozen=True)
class MergePolicy:
    """Which translations merge takes besides the finished ones of the current source."""

    include_fuzzy: bool = False  # also those marked for review (fuzzy, needs-review)
    accept_stale: bool = False  # also those made from an older source text


@dataclass
class LanguageReport:
    """What merge did for one target language."""

    language: Language
    files: list[str] = field(default_factory=list)
    applied: int = 0
    unchanged: int = 0
    skipped: list[tuple[Key, str]] = field(default_factory=list)  # (key, reason)
    notices: list[tuple[Key, str]] = field(default_factory=list)  # applied, with a remark

    def reasons(self) -> dict[str, list[Key]]:
        """Skipped keys grouped by reason, in first-seen order."""
        grouped: dict[str, list[Key]] = {}
        for key, reason in self.skipped:
            grouped.setdefault(reason, []).append(key)
        return grouped


@dataclass
class MergeReport:
    """Per target language, in the order first met: applied, unchanged, skipped and why."""

    languages: dict[Language, LanguageReport] = field(default_factory=dict)

    def for_language(self, language: Language) -> LanguageReport:
        report = self.languages.get(language)
        if report is None:
            report = self.languages[language] = LanguageReport(language)
        return report

    @property
    def applied(self) -> int:
        return sum(r.applied for r in self.languages.values())


# Where a unit sits in its file, for a refusal: "sheet 'Translations', cell D5"; None: its line.
Locate = Callable[[Unit], str | None]

# A translator file as merge reads it: its UnitFile (languages, name), and its units, which may
# be read as they are used, with (optionally) how to name a unit's place; or a UnitFile holding
# its units.
Stream = tuple[UnitFile, Iterable[Unit]] | tuple[UnitFile, Iterable[Unit], Locate]

_DEFAULT = MergePolicy()


def merge(
    table: Table,
    files: Iterable[UnitFile | Stream],
    policy: MergePolicy = _DEFAULT,
    *,
    aliases: Mapping[str, str] | None = None,
) -> MergeReport:
    """Apply the translations in *files* to *table* in place, as *policy* allows.

    A file's languages are matched to the table's by :func:`wixloc.locales.match_language`
    (``de-DE`` for a table's ``de``), with *aliases* (file tag -> table tag, ``[languages]
    aliases`` in wixloc.toml) first.

    A file's units may be read a unit at a time (:meth:`wixloc.formats.Document.stream_units`)
    and are never held whole: the changes are noted as the units go by and applied at the end,
    in order, so an error in any file (a key the table lacks, a key twice, a language) leaves
    the table untouched.
    """
    cells = _TableCells(table)
    report = merge_cells(cells, table, files, policy, aliases=aliases)
    cells.apply()
    return report


class Cells(Protocol):
    """A table as :func:`merge_cells` reads it: rows by key, each row's source text, and a
    token per cell that is falsy for an empty text and compares equal (:meth:`same`) to the
    token of the same text. A row is a number; a column, the language's place in the table."""

    def row(self, key: Key) -> int | None: ...
    def source(self, row: int) -> str: ...
    def current(self, row: int, column: int) -> object: ...
    def same(self, target: str, current: object) -> bool: ...
    def set(self, row: int, column: int, target: str) -> None: ...


class _TableCells:
    """A Table in memory as :class:`Cells`: the tokens are the texts, the changes pending until
    :meth:`apply`."""

    def __init__(self, table: Table) -> None:
        self._entries = table.entries
        self._rows = {entry.key: row for row, entry in enumerate(table.entries)}
        self._main = table.main_language
        self._languages = table.languages
        self._pending: dict[tuple[int, int], str] = {}

    def row(self, key: Key) -> int | None:
        return self._rows.get(key)

    def source(self, row: int) -> str:
        return self._entries[row].texts.get(self._main, "")

    def current(self, row: int, column: int) -> object:
        before = self._pending.get((row, column))
        if before is None:
            return self._entries[row].texts.get(self._languages[column], "")
        return before

    def same(self, target: str, current: object) -> bool:
        return target == current

    def set(self, row: int, column: int, target: str) -> None:
        self._pending[row, column] = target

    def apply(self) -> None:
        for (row, column), target in self._pending.items():
            self._entries[row].texts[self._languages[column]] = target


def merge_cells(
    cells: Cells,
    table: Table,
    files: Iterable[UnitFile | Stream],
    policy: MergePolicy = _DEFAULT,
    *,
    aliases: Mapping[str, str] | None = None,
) -> MergeReport:
    """:func:`merge` into *cells*, the rows of *table* (whose languages it reads; its entries
    may be elsewhere, as for a table file read in passes): each change is :meth:`Cells.set`,
    and only after every file was read without an error."""
    report = MergeReport()
    fingerprints = _Fingerprints()
    for item in files:
        units, stream, locate = _parts(item)
        name = _name(units)
        lang = _check_languages(table, units, name, aliases)
        number = table.languages.index(lang)
        lang_report = report.for_language(lang)
        lang_report.files.append(units.source or "<units>")
        missing: list[Key] = []
        seen: set[int] = set()
        for unit in stream:
            row = cells.row(unit.key)
            if row is None:
                missing.append(unit.key)
                continue
            if row in seen:
                raise MergeError(f"{name}: the key {format_key(unit.key)} appears twice")
            seen.add(row)
            if missing:
                continue  # the file is refused at its end; nothing more to note
            source = cells.source(row)
            _refuse_misplaced(unit, name, locate, row, source, fingerprints)
            current = cells.current(row, number)
            target = _apply(unit, current, row, source, lang_report, policy, cells, fingerprints)
            if target is not None:
                cells.set(row, number, target)
        if missing:
            shown = ", ".join(format_key(key) for key in missing[:5])
            more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
            count = "1 key is" if len(missing) == 1 else f"{len(missing)} keys are"
            raise MergeError(f"{name}: {count} not in the table: {shown}{more}")
    return report


def _parts(item: UnitFile | Stream) -> tuple[UnitFile, Iterable[Unit], Locate | None]:
    if isinstance(item, UnitFile):
        return item, item.units, None
    if len(item) == 3:
        return item[0], item[1], item[2]
    return item[0], item[1], None


def _name(units: UnitFile) -> str:
    return units.source or f"the {units.target_language} units"


def _check_languages(
    table: Table, units: UnitFile, name: str, aliases: Mapping[str, str] | None
) -> Language:
    """The table language *units* translate into; MergeError naming the file otherwise."""
    try:
        lang = match_language(units.target_language.tag, table.languages, aliases)
    except LanguageError as exc:
        raise MergeError(f"{name}: {exc.message}", hint=exc.hint) from None
    main = table.main_language
    if lang == main:
        raise MergeError(f"{name}: '{units.target_language}' is the table's main language")
    try:
        source = match_language(units.source_language.tag, table.languages, aliases)
    except LanguageError:
        source = None
    if source != main:
        raise MergeError(
            f"{name}: translates from '{units.source_language}', "
            f"but the table's main language is '{main}'"
        )
    return lang


class _Fingerprints:
    """:func:`~wixloc.model.fingerprint` of each row's source text, made once for all the
    files that translate it (a row is read once per language): the 500,000 units of a
    100,000-key table in 5 languages made 500,000 hashes, now 100,000."""

    def __init__(self) -> None:
        self.made: dict[int, str] = {}

    def of(self, row: int, source: str) -> str:
        """The fingerprint of row *row*'s *source*, made the first time it is asked for."""
        found = self.made.get(row)
        if found is None:
            found = self.made[row] = fingerprint(source)
        return found


def _refuse_misplaced(
    unit: Unit, name: str, locate: Locate | None, row: int, source: str, known: _Fingerprints
) -> None:
    """MergeError when *unit*'s source is not the text its fingerprint was made from and it
    has a translation to apply: the row was moved apart from its key (a partial sort, a paste),
    so the translation may be another key's. A unit with no translation applies nothing."""
    if unit.fingerprint is None or not unit.target.strip():
        return
    own = known.of(row, source) if unit.source == source else fingerprint(unit.source)
    if unit.fingerprint == own:
        return
    where = locate(unit) if locate is not None else None
    if where is not None:
        place = f"{name}, {where}"
    elif unit.line is not None:
        place = f"{name}:{unit.line}"
    else:
        place = name
    raise MergeError(f"{place}: unit {format_key(unit.key)}: {MISPLACED}")


def _apply(
    unit: Unit,
    current: object,
    row: int,
    source: str,
    report: LanguageReport,
    policy: MergePolicy,
    cells: Cells,
    known: _Fingerprints,
) -> str | None:
    """Count *unit* in *report*; the translation to set, if any. *current* is the token of the
    entry's translation (or of one an earlier unit set, not yet in the table; see
    :class:`Cells`), *source* its main text (of row *row*)."""
    reason = _skip_reason(unit, current, policy.include_fuzzy)
    if reason is None and unit.source != source:
        if unit.fingerprint is None:
            reason = None if policy.accept_stale else NO_FINGERPRINT
        elif unit.fingerprint != known.of(row, source):
            reason = None if policy.accept_stale else STALE
    if reason is not None:
        report.skipped.append((unit.key, reason))
        return None
    target, restored = unit.target, False
    if "\n" in target or "\r" in target:  # most texts have no line break: no regex for them
        target, restored = restore_line_breaks(source, target)
    if cells.same(target, current):
        report.unchanged += 1
        return None
    report.applied += 1
    if restored:
        convention = _CONVENTIONS[_break_of(source)]
        report.notices.append((unit.key, LINE_BREAKS.format(convention=convention)))
    return target


def _break_of(source: str) -> str:
    return "\r\n" if "\r\n" in source else "\r" if "\r" in source else "\n"


def _skip_reason(unit: Unit, current: object, include_fuzzy: bool) -> str | None:
    if not unit.target:
        return WOULD_BLANK if current else NOT_TRANSLATED
    reason = unfinished(unit)
    if reason == NEEDS_REVIEW and include_fuzzy:
        return None
    return reason


def unfinished(unit: Unit) -> str | None:
    """Why the text in *unit*'s target is not a translation (:data:`BLANK`,
    :data:`NEEDS_REVIEW`, :data:`COPIED_SOURCE`, :data:`NOT_DONE`), or None when it is one (or
    the target is empty). The one rule of what is done: ``check`` counts by it too."""
    target = unit.target
    if not target:
        return None
    if not target.strip() and unit.source.strip():
        return BLANK  # never applied, and never blanks a translation
    state = unit.state
    if state is _NEEDS_REVIEW:
        return NEEDS_REVIEW
    if state not in _DONE:
        return COPIED_SOURCE if target == unit.source else NOT_DONE
    return None


# Looked up once (an Enum member's attribute lookup is slow in Python 3.11, and this runs per
# unit); a tuple, so membership is by identity, with no call of Enum.__hash__.
_NEEDS_REVIEW = UnitState.NEEDS_REVIEW
_DONE = tuple(state for state in UnitState if state.done)
