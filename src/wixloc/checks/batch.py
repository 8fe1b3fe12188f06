"""Which pairs of a batch each pair rule must read, found by one search over the whole batch.

Most pair rules return None unless a text holds a trigger (a ``<``, a digit, ``://``, a
bracket, two spaces in a row...), and most texts hold none. Asking each pair is a Python call
per rule and pair; instead the batch's targets (and its rows' sources) are joined with a
separator no text holds, each rule's trigger (:data:`wixloc.checks.pairs.GATES`) is searched
for once over the joined text, and the rule is called only for the pairs found (and for those
holding a string of :data:`wixloc.checks.prose.ALSO`). A gate is the rule's own first test, or
one that finds more, so the findings are the same: a pair left out is one for which the rule
returns None. A rule whose first test compares the two texts (their ends, or whole) has a sieve
instead (:data:`wixloc.checks.pairs.SIEVES`, :data:`wixloc.checks.prose.SIEVES`): one pass over
the batch's columns that keeps the pairs it must read, on the same terms.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from functools import cache
from typing import overload

from wixloc.checks import pairs, prose
from wixloc.checks.pairs import Hit, PairContext, PairRule, Trigger

__all__ = ["SEPARATOR", "Batch", "Joined"]

SEPARATOR = "\uffff"  # a noncharacter: no word, digit, space, bracket or quote in any trigger


@overload
def _to_end(trigger: re.Pattern[str]) -> re.Pattern[str]: ...
@overload
def _to_end(trigger: Trigger | None) -> Trigger | None: ...
def _to_end(trigger: Trigger | None) -> Trigger | None:
    """A regex trigger reads on past its match to the end of its text, so that a text is found
    once however many triggers it holds, and each match ends where its text ends."""
    if not isinstance(trigger, re.Pattern):
        return trigger
    return re.compile("(?:" + trigger.pattern + ")[^" + SEPARATOR + "]*", trigger.flags)


_Gates = dict[str, tuple[Trigger | None, Trigger | None]]


def _ended(prose_gates: dict[str, tuple[Trigger, Trigger | None]]) -> _Gates:
    """The pair rules' gates and *prose_gates*, each read on to the end of its text."""
    return {
        code: (_to_end(target), _to_end(source))
        for code, (target, source) in (*pairs.GATES.items(), *prose_gates.items())
    }


_GATES = _ended(prose.GATES)


@cache
def _narrow_gates() -> _Gates:
    """:data:`_GATES` for a batch with no text beyond U+FFFF (:attr:`Batch.narrow`)."""
    return _ended(prose.narrow_gates())


_SIEVES = {**pairs.SIEVES, **prose.SIEVES}

_ALSO: dict[str, list[re.Pattern[str]]] = {
    code: [_to_end(trigger) for trigger in triggers] for code, triggers in prose.ALSO.items()
}


class Joined:
    """Texts joined by :data:`SEPARATOR`, to find which of them hold a trigger."""

    def __init__(self, texts: list[str]) -> None:
        # a separator before the first text too: a trigger that starts with the character
        # before a word (repeated-word's) finds a word at the start of every text
        self.text = SEPARATOR + SEPARATOR.join(texts)
        self.sound = self.text.count(SEPARATOR) == len(texts)  # no text holds it
        self.starts: list[int] = []  # where each text starts, then the end of the last one + 1
        self.ends: dict[int, int] = {}  # where each text ends: its index
        start = 1
        for i, text in enumerate(texts):
            self.starts.append(start)
            start += len(text)
            self.ends[start] = i
            start += 1
        self.starts.append(start)

    def holding(self, trigger: Trigger) -> list[int]:
        """The indices, in order, of the texts that hold *trigger* (a gate of :data:`_GATES`)."""
        if isinstance(trigger, re.Pattern):
            ends = self.ends
            return [ends[m.end()] for m in trigger.finditer(self.text)]
        if len(trigger) == 1:
            return self._holding(trigger[0])
        return sorted({i for needle in trigger for i in self._holding(needle)})

    def _holding(self, needle: str) -> list[int]:
        found: list[int] = []
        find, starts = self.text.find, self.starts
        at = find(needle)
        while at >= 0:
            i = bisect_right(starts, at) - 1
            found.append(i)
            at = find(needle, starts[i + 1])
        return found


class Batch:
    """The translated pairs of a few thousand rows, to be read rule by rule."""

    def __init__(self) -> None:
        self.sources: list[str] = []  # one per row with a translated pair
        self.targets: list[str] = []
        self.contexts: list[PairContext] = []
        self.rows: list[int] = []  # per pair, its row's index in sources
        # No text holds a character beyond U+FFFF (known from the bytes they were read from):
        # the gates are then prose.narrow_gates(), faster for such texts only.
        self.narrow = False

    def clear(self) -> None:
        """Empty the batch (its lists stay the same objects)."""
        self.sources.clear()
        self.targets.clear()
        self.contexts.clear()
        self.rows.clear()

    def copy(self) -> Batch:
        """A batch of its own with the same pairs (to be sent to a worker process)."""
        copied = Batch()
        copied.narrow = self.narrow
        copied.sources, copied.targets = self.sources.copy(), self.targets.copy()
        copied.contexts, copied.rows = self.contexts.copy(), self.rows.copy()
        return copied

    def add_row(self, source: str) -> None:
        self.sources.append(source)

    def add(self, target: str, ctx: PairContext) -> None:
        self.targets.append(target)
        self.contexts.append(ctx)
        self.rows.append(len(self.sources) - 1)

    def __len__(self) -> int:
        return len(self.targets)

    def hits(self, rules: Sequence[tuple[str, PairRule]]) -> dict[int, list[tuple[str, Hit]]]:
        """Per pair index, the (rule, hit) of every rule it breaks, in the order of *rules*."""
        found: dict[int, list[tuple[str, Hit]]] = {}
        sources, targets, contexts, rows = self.sources, self.targets, self.contexts, self.rows
        joined_targets, joined_sources = Joined(targets), Joined(sources)
        sound = joined_targets.sound and joined_sources.sound
        for code, rule in rules:
            for i in self._chosen(code, joined_targets, joined_sources, sound):
                hit = rule(sources[rows[i]], targets[i], contexts[i])
                if hit is not None:
                    found.setdefault(i, []).append((code, hit))
        return found

    def _chosen(self, code: str, targets: Joined, sources: Joined, sound: bool) -> Iterable[int]:
        """The pairs that *code*'s rule must read: the others break none of its tests."""
        sieve = _SIEVES.get(code)
        if sieve is not None:
            return sieve(self.sources, self.targets, self.rows, self.contexts)
        gates = (_narrow_gates() if self.narrow else _GATES).get(code) if sound else None
        if gates is not None and gates[0] is not None:
            chosen = targets.holding(gates[0])
            also = _ALSO.get(code)
            if also is not None:
                chosen = sorted({*chosen, *(i for gate in also for i in targets.holding(gate))})
            by_source = sources.holding(gates[1]) if gates[1] is not None else []
            if not by_source:
                return chosen
            rows = set(by_source)
            return sorted({*chosen, *(i for i, row in enumerate(self.rows) if row in rows)})
        return range(len(self.targets))
