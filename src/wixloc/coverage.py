"""Per-language coverage of a table: how many entries are filled, and the percentage.

The main language's coverage counts entries with any text; a target language's coverage counts
translations among the entries that have main-language text (an entry with no source needs no
translation).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from wixloc.locales import describe
from wixloc.model import Language, Table

__all__ = ["LanguageCoverage", "coverage"]


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
