"""What ``pull`` and ``split --tm`` do with translation memories: one call per translator file.

The memory is the TMX files given plus (``site``) the table's own translations, each for its
key, so that a missing translation whose source the site already translated elsewhere comes
back as a 100 % match, marked for review: what ``[translators] reuse`` used to do on its own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from wixloc.model import Key, Suggestion, Table, UnitFile
from wixloc.tm.analysis import site_memory
from wixloc.tm.memory import TranslationMemory
from wixloc.tm.suggest import EXACT_NOTE, IN_CONTEXT_NOTE, apply_memory

__all__ = ["Filled", "load_memory", "prefill"]


@dataclass
class Filled:
    """What a memory did to a file's units, for a progress line."""

    in_context: int = 0
    exact: int = 0
    suggested: int = 0

    def add(self, other: Filled) -> None:
        self.in_context += other.in_context
        self.exact += other.exact
        self.suggested += other.suggested


def load_memory(paths: Sequence[str | Path]) -> TranslationMemory:
    """The TMX files at *paths* as one memory (an empty one for none)."""
    return TranslationMemory.from_tmx(paths)


def prefill(
    table: Table,
    units: UnitFile,
    memory: TranslationMemory,
    previous: Mapping[Key, str] | None = None,
    *,
    site: bool = True,
    fuzzy: bool = True,
) -> Filled:
    """Fill *units* (split from *table*) in place from *memory*: exact matches pre-filled,
    fuzzy ones attached as ``Unit.suggestions``. With *site*, the table's translations into the
    units' language are added to *memory* first, except those whose source changed since they
    were made (*previous*: the source each was made from, as ``State.stale`` gives it).
    Without *fuzzy* only exact matches are looked for (the fuzzy search is most of the cost)."""
    if site:
        site_memory(table, memory, previous, [units.target_language])
    offered = apply_memory(units, memory, fuzzy=fuzzy)
    filled = Filled(suggested=len(offered))
    for unit in units.units:  # on the unit, where every format's writer finds them
        found = offered.get(unit.key)
        if found:
            unit.suggestions = [Suggestion(s.source, s.target, s.score, s.origin) for s in found]
        elif unit.notes and unit.notes[-1] == IN_CONTEXT_NOTE:
            filled.in_context += 1
        elif unit.notes and unit.notes[-1] == EXACT_NOTE:
            filled.exact += 1
    return filled
