"""Translated units back into a table: :func:`merge` and the :class:`MergePolicy` it follows.

The rules: every file is checked (its languages, its keys) before anything is applied, so an
error leaves the table untouched; a non-empty translation is never blanked; a key or language
the table lacks is an error, and so is a key twice in one file; a translation of an older
source, or one marked for review, is taken only if the policy says so; a translator's edit of
the source text is reported and ignored. No I/O here (see :mod:`wixloc.roundtrip.files`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from wixloc.errors import MergeError
from wixloc.model import Key, Language, Table, Unit, UnitFile, UnitState, fingerprint, format_key

__all__ = [
    "LanguageReport",
    "MergePolicy",
    "MergeReport",
    "merge",
]

# Reasons a unit is skipped; the CLI groups by them, so they are fixed phrases.
NOT_TRANSLATED = "not translated"
WOULD_BLANK = "empty, and the table already has a translation (kept)"
NEEDS_REVIEW = "marked for review (fuzzy, needs-review); use --include-fuzzy to apply"
NOT_DONE = "not marked as translated"
STALE = "stale: the source text changed since the file was made; use --accept-stale to apply"
NO_FINGERPRINT = (
    "the source text differs from the table's and the file has no fingerprint; "
    "use --accept-stale to apply"
)
SOURCE_EDITED = "the source text was edited in the file; the edit is ignored"


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


# A translator file as merge reads it: its UnitFile (languages, name), and its units, which may
# be read as they are used; or a UnitFile holding its units.
Stream = tuple[UnitFile, Iterable[Unit]]

_DEFAULT = MergePolicy()


def merge(
    table: Table, files: Iterable[UnitFile | Stream], policy: MergePolicy = _DEFAULT
) -> MergeReport:
    """Apply the translations in *files* to *table* in place, as *policy* allows.

    A file's units may be read a unit at a time (:meth:`wixloc.formats.Document.stream_units`)
    and are never held whole: the changes are noted as the units go by and applied at the end,
    in order, so an error in any file (a key the table lacks, a key twice, a language) leaves
    the table untouched.
    """
    index = table.index()
    main = table.main_language
    report = MergeReport()
    pending: dict[tuple[Key, int], str] = {}  # changes not yet in the table, by language index
    for item in files:
        units, stream = (item, item.units) if isinstance(item, UnitFile) else item
        name = _name(units)
        _check_languages(table, units, name)
        lang = table.language(units.target_language)
        number = table.languages.index(lang)
        lang_report = report.for_language(lang)
        lang_report.files.append(units.source or "<units>")
        missing: list[Key] = []
        seen: set[Key] = set()
        for unit in stream:
            entry = index.get(unit.key)
            if entry is None:
                missing.append(unit.key)
                continue
            if entry.key in seen:
                raise MergeError(f"{name}: the key {format_key(unit.key)} appears twice")
            seen.add(entry.key)
            if missing:
                continue  # the file is refused at its end; nothing more to note
            texts = entry.texts
            before = pending.get((entry.key, number))
            current = texts.get(lang, "") if before is None else before
            target = _apply(unit, current, texts.get(main, ""), lang_report, policy)
            if target is not None:
                pending[entry.key, number] = target
        if missing:
            shown = ", ".join(format_key(key) for key in missing[:5])
            more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
            count = "1 key is" if len(missing) == 1 else f"{len(missing)} keys are"
            raise MergeError(f"{name}: {count} not in the table: {shown}{more}")
    for (key, number), target in pending.items():
        index[key].texts[table.languages[number]] = target
    return report


def _name(units: UnitFile) -> str:
    return units.source or f"the {units.target_language} units"


def _check_languages(table: Table, units: UnitFile, name: str) -> None:
    have = ", ".join(str(lang) for lang in table.languages)
    if not table.has_language(units.target_language):
        raise MergeError(
            f"{name}: the table has no language '{units.target_language}' (it has {have})"
        )
    if units.target_language == table.main_language:
        raise MergeError(f"{name}: '{units.target_language}' is the table's main language")
    if units.source_language != table.main_language:
        raise MergeError(
            f"{name}: translates from '{units.source_language}', "
            f"but the table's main language is '{table.main_language}'"
        )


def _apply(
    unit: Unit, current: str, source: str, report: LanguageReport, policy: MergePolicy
) -> str | None:
    """Count *unit* in *report*; the translation to set, if any. *current* is the entry's
    translation (or one an earlier unit set, not yet in the table), *source* its main text."""
    reason = _skip_reason(unit, current, policy.include_fuzzy)
    edited = False
    if reason is None and unit.source != source:
        if unit.fingerprint is None:
            reason = None if policy.accept_stale else NO_FINGERPRINT
        elif unit.fingerprint != fingerprint(source):
            reason = None if policy.accept_stale else STALE
        else:
            edited = True
    applied: str | None = None
    if reason is not None:
        report.skipped.append((unit.key, reason))
    elif unit.target == current:
        report.unchanged += 1
    else:
        applied = unit.target
        report.applied += 1
    if edited and reason is None:
        report.notices.append((unit.key, SOURCE_EDITED))
    return applied


def _skip_reason(unit: Unit, current: str, include_fuzzy: bool) -> str | None:
    if not unit.target:
        return WOULD_BLANK if current else NOT_TRANSLATED
    if unit.state is UnitState.NEEDS_REVIEW:
        return None if include_fuzzy else NEEDS_REVIEW
    if not unit.state.done:
        return NOT_DONE
    return None
