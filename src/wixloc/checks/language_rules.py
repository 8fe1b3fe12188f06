"""The rules that need more than the pair: a termbase, a dictionary, or the other entries.

One :class:`LanguageRules` per target language of a file holds what they need, resolved once
(the language's terms, its speller, the pairs seen so far). The engine hands it a batch's pairs
at once (:meth:`LanguageRules.check_all`); :meth:`LanguageRules.check`, one pair at a time, is
what each batch's findings must equal (the tests hold them to it).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

from wixloc.checks import spelling
from wixloc.checks import text as t
from wixloc.checks.consistency import Consistency, Inconsistent
from wixloc.checks.terms import Termbase, TermSet, check_terms
from wixloc.model import Key

__all__ = ["EntryHit", "LanguageRules", "load_speller"]

EntryHit = tuple[str, str, int, int, str]  # code, message, start, end, "source"/"translation"


@dataclass
class LanguageRules:
    termbase: Termbase | None
    tag: str
    speller: spelling.Speller | None = None
    consistency: Consistency | None = None
    skip_words: frozenset[str] = frozenset()  # never misspelled: term words, allowed words
    check_terms: bool = True  # the terminology rule is on (the termbase may serve spelling only)
    _terms: TermSet | None = None

    def __post_init__(self) -> None:
        if self.termbase is not None:
            found = self.termbase.for_language(self.tag) if self.check_terms else []
            self._terms = TermSet.of(found) if found else None
            self.skip_words = self.skip_words | self.termbase.words(self.tag)

    @property
    def per_pair(self) -> bool:
        """Whether the pairs need :meth:`check_all` (terms or spelling), not only consistency."""
        return self._terms is not None or self.speller is not None

    def check(
        self, key: Key, line: int | None, source: str, target: str, sound: bool = True
    ) -> list[EntryHit]:
        """Terminology and spelling findings of one pair; a *sound* pair is noted for
        consistency."""
        hits: list[EntryHit] = []
        if self._terms is not None:
            for message, start, end, where in check_terms(source, target, self._terms):
                hits.append(("terminology", message, start, end, where))
        if self.speller is not None:
            skip = self.skip_words | spelling.words(source)
            masked = t.mask_protected(target)
            for word, start, end in self.speller.misspelled(masked, skip):
                hits.append(
                    ("spelling", f"'{word}' is not in the dictionary", start, end, "translation")
                )
        if self.consistency is not None and sound:
            self.consistency.note(key, line, source, target)
        return hits

    def check_all(
        self,
        sources: Sequence[str],
        targets: Sequence[str],
        seen: dict[tuple[object, ...], dict[str, frozenset[int]]],
    ) -> dict[int, list[EntryHit]]:
        """:meth:`check`'s findings for each pair of a batch, by its index, for those with
        any (consistency is noted by the caller). *seen*: see :meth:`TermSet.check_all`.

        Spelling reads the batch's words at once: a pair is read on its own only if its text
        holds one of the words the dictionary lacks."""
        hits: dict[int, list[EntryHit]] = {}
        masked = [t.mask_protected(target) for target in targets]
        if self._terms is not None:
            for k, found in self._terms.check_all(sources, masked, seen).items():
                hits[k] = [("terminology", m, start, end, where) for m, start, end, where in found]
        if self.speller is not None:
            unknown = self.speller.unknown(masked)
            for k in _holding(masked, unknown) if unknown else ():
                skip = self.skip_words | spelling.words(sources[k])
                for word, start, end in self.speller.misspelled(masked[k], skip):
                    message = f"'{word}' is not in the dictionary"
                    hits.setdefault(k, []).append(("spelling", message, start, end, "translation"))
        return hits

    def finish(
        self, has_words: Callable[[str], bool], on: Callable[[str], bool]
    ) -> list[Inconsistent]:
        if self.consistency is None:
            return []
        return self.consistency.findings(
            has_words, on("inconsistent-translation"), on("inconsistent-source")
        )


def _holding(texts: list[str], words: list[str]) -> list[int]:
    """The indices, in order, of *texts* that hold any of *words* (as a part of a word, too)."""
    joined = "\n".join(texts)
    starts = list(accumulate((len(text) + 1 for text in texts), initial=0))
    found: set[int] = set()
    for word in words:
        at = joined.find(word)
        while at >= 0:
            k = bisect_right(starts, at) - 1
            found.add(k)
            at = joined.find(word, starts[k + 1])
    return sorted(found)


_SPELLERS: dict[Path, spelling.Speller] = {}  # a dictionary loads once per process


def load_speller(tag: str) -> spelling.Speller | None:
    """The speller for *tag*, or None when no dictionary is installed for it."""
    path = spelling.find_dictionary(tag)
    if path is None:
        return None
    found = _SPELLERS.get(path)
    if found is None:
        found = _SPELLERS[path] = spelling.Speller(path)
    return found
