"""Translation memory in translator files: pre-filled exact matches and fuzzy suggestions.

What ``pull --tm`` and ``split --tm`` do to each unit still to translate (see docs/tm.md):

- an **in-context** match (same source, same key) is filled in as translated, with
  :data:`IN_CONTEXT_NOTE` so that the analysis still counts it in its band;
- a **100 %** match (same source, another key) is filled in and marked for review, with
  :data:`EXACT_NOTE`;
- **fuzzy** matches (50–99 %) are never applied: they come back as :class:`Suggestion` objects,
  which each format's writer puts in its own place (XLIFF 1.2 ``<alt-trans match-quality>``,
  XLIFF 2.0 ``<mtc:matches>``, a PO fuzzy entry with ``#| msgid``, XLSX ``Suggestion`` and
  ``Match`` columns).
"""

from __future__ import annotations

from dataclasses import dataclass

from wixloc.model import Key, UnitFile, UnitState, format_key
from wixloc.tm.memory import Band, TranslationMemory

__all__ = ["EXACT_NOTE", "IN_CONTEXT_NOTE", "Suggestion", "apply_memory"]

IN_CONTEXT_NOTE = "Translation memory: in-context match."
EXACT_NOTE = "Translation memory: 100 % match from another key; please review."


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A fuzzy match offered to the translator for one unit, never applied by wixloc."""

    key: Key
    source: str  # the TM's source text (what XLIFF's alt-trans <source> / PO's #| msgid show)
    target: str  # its translation, adapted to the unit's source when ``adapted``
    score: int  # 50–99: XLIFF 1.2 match-quality, XLIFF 2.0 matchQuality, the XLSX Match column
    origin: str  # the TMX file name, or "site" (XLIFF origin)
    adapted: bool = False


def apply_memory(
    units: UnitFile, memory: TranslationMemory, *, limit: int = 3, fuzzy: bool = True
) -> dict[Key, list[Suggestion]]:
    """Fill in exact matches of *units* (in place) and return the fuzzy ones by key (none
    looked for without *fuzzy*)."""
    main, lang = units.source_language.code, units.target_language.code
    suggestions: dict[Key, list[Suggestion]] = {}
    for unit in units.units:
        if unit.target or not unit.source.strip() or unit.state.done:
            continue
        matches = memory.lookup(
            main, unit.source, lang, format_key(unit.key), limit=limit, fuzzy=fuzzy
        )
        if not matches:
            continue
        best = matches[0]
        if best.band is Band.IN_CONTEXT:
            unit.target, unit.state = best.target, UnitState.TRANSLATED
            unit.notes.append(IN_CONTEXT_NOTE)
        elif best.band is Band.EXACT:
            unit.target, unit.state = best.target, UnitState.NEEDS_REVIEW
            unit.notes.append(EXACT_NOTE)
        else:
            suggestions[unit.key] = [
                Suggestion(unit.key, m.source, m.target, m.score, m.origin, m.adapted)
                for m in matches
            ]
    return suggestions
