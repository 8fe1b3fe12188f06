"""Per-language coverage of a table: how many entries are filled, and the percentage.

The main language's coverage counts entries with any text; a target language's coverage counts
translations among the entries that have main-language text (an entry with no source needs no
translation).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from wixloc.locales import describe
from wixloc.model import Language, Table, UnitFile, UnitState

__all__ = ["LanguageCoverage", "UnitCoverage", "coverage", "unit_coverage"]


@dataclass(frozen=True)
class LanguageCoverage:
    language: Language
    main: bool
    total: int  # entries that need text in this language
    filled: int

    @property
    def missing(self) -> int:
        return self.total - self.filled

    @property
    def percent(self) -> float:
        return 100.0 if self.total == 0 else round(100.0 * self.filled / self.total, 1)

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        about = describe(self.language.tag)
        data["language"] = about.pop("tag")
        data.update(about, missing=self.missing, coverage=self.percent)
        return data


def coverage(table: Table) -> list[LanguageCoverage]:
    """Coverage per language, main language first."""
    main = table.main_language
    sources = [bool(e.texts.get(main)) for e in table.entries]
    total = sum(sources)
    result = [LanguageCoverage(main, True, len(table.entries), total)]
    for lang in table.languages[1:]:
        filled = sum(
            1 for e, has in zip(table.entries, sources, strict=True) if has and e.texts.get(lang)
        )
        result.append(LanguageCoverage(lang, False, total, filled))
    return result


@dataclass(frozen=True)
class UnitCoverage:
    """A translator file's units by state; *done* counts those a merge applies (translated,
    reviewed, final)."""

    source_language: Language
    target_language: Language
    units: int
    states: dict[UnitState, int]

    @property
    def done(self) -> int:
        return sum(n for state, n in self.states.items() if state.done)

    @property
    def percent(self) -> float:
        return 100.0 if self.units == 0 else round(100.0 * self.done / self.units, 1)


def unit_coverage(units: UnitFile) -> UnitCoverage:
    """How far the translation of a translator file has come, by the units' states."""
    states = dict.fromkeys(UnitState, 0)
    for unit in units.units:
        states[unit.state] += 1
    return UnitCoverage(units.source_language, units.target_language, len(units), states)
