"""A translation memory: exact and fuzzy matches for a source text, with a score and a band.

- **in-context**: the same source text and the same context (the key it was translated for);
  safe to pre-fill as translated.
- **100 %**: the same source text from another key; pre-filled, marked for review.
- **fuzzy** (50–99 %): the similarity of the two texts with the inline codes (tags, entities)
  held out, as rapidfuzz's ``fuzz.ratio`` (normalized Indel distance), rounded down. A match
  whose text differs only in codes or placeholders scores 99, and its target is *adapted*: each
  code and placeholder of the old source is replaced in the target by the new source's one.
  Fuzzy matches are suggestions, never applied without the translator.

Fuzzy search does not compare every pair: the TM's texts are indexed by their words and pairs
of words; a query scores only the candidates sharing the most of its rarest ones (see ``_Fuzzy``).
``bench/tm.py`` measures the speed, the memory and how many brute-force matches this finds.
"""

from __future__ import annotations

import heapq
import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import cast

from rapidfuzz import fuzz, process

from wixloc.checks.text import _PLACEHOLDER_TOKENS  # the one placeholder grammar of wixloc
from wixloc.formats.markup import Code, parse
from wixloc.fsutil import open_input
from wixloc.tm.tmx import read_tmx

__all__ = ["FUZZY_MIN", "Band", "Match", "TranslationMemory", "band_for", "matchable"]

FUZZY_MIN = 50


class Band(Enum):
    IN_CONTEXT = "in-context"
    EXACT = "100"
    HIGH = "95-99"
    GOOD = "85-94"
    FAIR = "75-84"
    LOW = "50-74"
    NONE = "no-match"


def band_for(score: int, *, in_context: bool = False) -> Band:
    """The band of a score (0–100)."""
    if score >= 100:
        return Band.IN_CONTEXT if in_context else Band.EXACT
    for floor, band in ((95, Band.HIGH), (85, Band.GOOD), (75, Band.FAIR), (FUZZY_MIN, Band.LOW)):
        if score >= floor:
            return band
    return Band.NONE


@dataclass(frozen=True, slots=True)
class Match:
    """A suggestion for a source text: what the TM holds and how well it fits."""

    source: str  # the TM's source text
    target: str  # its translation, adapted to the new source when ``adapted``
    score: int  # 100 for exact matches, 50–99 for fuzzy ones
    band: Band
    context: str = ""  # the key the TM's translation was made for
    origin: str = ""  # the TMX file, or "site" for the site's own translations
    adapted: bool = False  # codes or placeholders replaced to fit the new source

    @property
    def review(self) -> bool:
        """True unless the match can be taken as it is (an in-context match)."""
        return self.band is not Band.IN_CONTEXT


@dataclass(frozen=True, slots=True)
class _Entry:
    source: str
    target: str
    context: str
    origin: str


def matchable(text: str) -> str:
    """*text* with its inline codes (tags, entities) held out: what fuzzy scores compare."""
    if "<" not in text and "&" not in text:
        return text
    return "".join(run for run in parse(text) if isinstance(run, str))


def _protected(text: str) -> tuple[str, list[str]]:
    """*text* with each code and placeholder as one marker, and those codes in order."""
    skeleton: list[str] = []
    tokens: list[str] = []
    for run in parse(text):
        if isinstance(run, Code):
            skeleton.append("\x00")
            tokens.append(run.text)
            continue
        pos = 0
        for m in _PLACEHOLDER_TOKENS.finditer(run):
            if m.group(0) == "%%":
                continue
            skeleton.append(run[pos : m.start()] + "\x00")
            tokens.append(m.group(0))
            pos = m.end()
        skeleton.append(run[pos:])
    return "".join(skeleton), tokens


def adapt(new_source: str, old_source: str, old_target: str) -> str | None:
    """*old_target* with the codes and placeholders of *old_source* replaced by *new_source*'s,
    when the two sources differ only in those; None when they differ in text or the mapping is
    ambiguous."""
    new_skeleton, new_tokens = _protected(new_source)
    old_skeleton, old_tokens = _protected(old_source)
    if new_skeleton != old_skeleton:
        return None
    mapping: dict[str, str] = {}
    for old, new in zip(old_tokens, new_tokens, strict=True):
        if mapping.setdefault(old, new) != new:
            return None  # one old code stands for two new ones: no safe replacement
    target_skeleton, target_tokens = _protected(old_target)
    pieces = target_skeleton.split("\x00")
    out = [pieces[0]]
    for token, piece in zip(target_tokens, pieces[1:], strict=True):
        out.append(mapping.get(token, token))
        out.append(piece)
    return "".join(out)


class _Fuzzy:
    """Candidates by words, then rapidfuzz on the few that share the most rare words and pairs.

    A query's words and word pairs are sorted from rarest to most common in the TM; the rarest
    pick the candidates, counted by how many of them each shares, until ``BUDGET`` postings were
    counted (after at least 3 features), so a query's cost is bounded whatever the TM holds; the
    best ``CANDIDATES`` within the length a 50 % score allows are scored. Common words ("the",
    "and") would make every text a candidate and say little about the match.
    """

    BUDGET = 6000
    CANDIDATES = 200

    def __init__(self, texts: Sequence[str]) -> None:
        self.texts = texts
        self.postings: dict[str, list[int]] = {}
        for index, text in enumerate(texts):
            for gram in _grams(text):
                self.postings.setdefault(gram, []).append(index)

    def search(self, query: str, limit: int) -> list[tuple[int, int]]:
        """(text index, score) of the best matches scoring FUZZY_MIN or more, best first."""
        postings = self.postings
        grams = sorted((g for g in _grams(query) if g in postings), key=lambda g: len(postings[g]))
        if not grams:
            return []
        counts: Counter[int] = Counter(postings[grams[0]][: self.BUDGET])
        scanned = len(counts)
        for gram in grams[1:]:
            posting = postings[gram]
            scanned += len(posting)
            if scanned > self.BUDGET:
                break  # common from here on: they would make the count, not the choice
            counts.update(posting)
        low, high = len(query) / 3, len(query) * 3  # a ratio of 50 % needs lengths within 3x
        texts = self.texts
        floor = max(counts.values()) / 2  # sharing half as much as the best: few, good ones
        shortlist = [(c, i) for i, c in counts.items() if c >= floor]
        if len(shortlist) > self.CANDIDATES * 4:
            shortlist = heapq.nlargest(self.CANDIDATES * 4, shortlist)
        else:
            shortlist.sort(reverse=True)
        candidates: dict[int, str] = {}
        for _count, index in shortlist:
            if low <= len(texts[index]) <= high:
                candidates[index] = texts[index]
                if len(candidates) == self.CANDIDATES:
                    break
        found = cast(
            list[tuple[str, float, int]],
            process.extract(
                query, candidates, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN, limit=limit
            ),
        )
        return [(pos, math.floor(score)) for _text, score, pos in found]


# A word is a run of letters and digits, or one Chinese or Japanese character (as counted).
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
_WORD = re.compile(rf"[{_CJK}]|[^\W_{_CJK}]+")


def _grams(text: str) -> set[str]:
    """The words of *text* and its pairs of neighbouring words: pairs are rare, so they pick
    the texts that say the same thing; single words still find a text with one word changed."""
    words = _WORD.findall(text.lower())
    pairs = {f"{a} {b}" for a, b in itertools.pairwise(words)}
    return pairs.union(words)


class _Sources:
    """The translations of one source text: one per (target, context), found by context too."""

    __slots__ = ("by_context", "entries")

    def __init__(self) -> None:
        self.entries: dict[tuple[str, str], _Entry] = {}
        self.by_context: dict[str, _Entry] = {}

    def add(self, entry: _Entry) -> None:
        self.entries.setdefault((entry.target, entry.context), entry)
        if entry.context:
            self.by_context.setdefault(entry.context, entry)

    def first(self, limit: int, context: str = "") -> list[_Entry]:
        """The entry for *context* (if any), then others in the order they were added."""
        found: list[_Entry] = []
        own = self.by_context.get(context) if context else None
        if own is not None:
            found.append(own)
        for entry in self.entries.values():
            if len(found) >= limit:
                break
            if entry is not own:
                found.append(entry)
        return found


@dataclass
class _Pair:
    """The memory of one source language into one target language."""

    exact: dict[str, _Sources] = field(default_factory=dict)
    fuzzy: _Fuzzy | None = None
    keys: list[str] = field(default_factory=list)  # matchable texts, in the fuzzy index's order
    by_text: dict[str, list[str]] = field(default_factory=dict)  # matchable -> sources

    def add(self, entry: _Entry) -> None:
        sources = self.exact.get(entry.source)
        if sources is None:
            sources = self.exact[entry.source] = _Sources()
            self._index(entry.source)
        sources.add(entry)

    def _index(self, source: str) -> None:
        text = matchable(source)
        if not text.strip():
            return
        same = self.by_text.get(text)
        if same is None:
            same = self.by_text[text] = []
            self.keys.append(text)
            self.fuzzy = None  # rebuilt on the next fuzzy search
        same.append(source)

    def index(self) -> _Fuzzy:
        if self.fuzzy is None:
            self.fuzzy = _Fuzzy(self.keys)
        return self.fuzzy


def _lang(tag: str) -> str:
    return tag.strip().lower().replace("_", "-")


class TranslationMemory:
    """Translations by source language, target language and source text.

    >>> tm = TranslationMemory()
    >>> tm.add("en", "Add to cart", "de", "In den Warenkorb", context="Products|p-1|button")
    >>> [(m.score, m.band.value) for m in tm.lookup("en", "Add to cart", "de")]
    [(100, '100')]
    """

    def __init__(self) -> None:
        self._pairs: dict[tuple[str, str], _Pair] = {}

    def __len__(self) -> int:
        return sum(len(e.entries) for pair in self._pairs.values() for e in pair.exact.values())

    @classmethod
    def from_tmx(cls, paths: Iterable[str | Path]) -> TranslationMemory:
        """A memory holding every translation of the TMX files at *paths*."""
        memory = cls()
        for path in paths:
            memory.load_tmx(path)
        return memory

    def load_tmx(self, path: str | Path) -> int:
        """Add the translations of one TMX file; returns how many were read."""
        with open_input(path) as fh:
            tmx = read_tmx(fh, str(path))
        count = 0
        origin = Path(path).name
        for unit in tmx.units:
            languages = list(unit.texts)
            source_lang = tmx.source_language
            if source_lang == "*all*" or source_lang not in unit.texts:
                source_lang = languages[0]
            source = unit.texts[source_lang]
            for lang, text in unit.texts.items():
                if lang != source_lang and text:
                    self.add(source_lang, source, lang, text, context=unit.context, origin=origin)
                    count += 1
        return count

    def add(
        self,
        source_language: str,
        source: str,
        target_language: str,
        target: str,
        *,
        context: str = "",
        origin: str = "",
    ) -> None:
        """Remember that *source* translates as *target* (for the key *context*)."""
        if not source or not target:
            return
        pair = self._pairs.setdefault((_lang(source_language), _lang(target_language)), _Pair())
        pair.add(_Entry(source, target, context, origin))

    def lookup(
        self,
        source_language: str,
        source: str,
        target_language: str,
        context: str = "",
        *,
        limit: int = 3,
        fuzzy: bool = True,
    ) -> list[Match]:
        """The best matches for *source*, best first: exact ones, else (with *fuzzy*) fuzzy
        ones from 50 %."""
        pair = self._pairs.get((_lang(source_language), _lang(target_language)))
        if pair is None or not source.strip():
            return []
        exact = pair.exact.get(source)
        if exact is not None:
            return _exact(exact.first(limit, context), context)
        return self._fuzzy(pair, source, limit) if fuzzy else []

    def best(
        self, source_language: str, source: str, target_language: str, context: str = ""
    ) -> Match | None:
        found = self.lookup(source_language, source, target_language, context, limit=1)
        return found[0] if found else None

    def _fuzzy(self, pair: _Pair, source: str, limit: int) -> list[Match]:
        text = matchable(source)
        if not text.strip() or not pair.keys:
            return []
        matches: list[Match] = []
        for index, score in pair.index().search(text, limit):
            for old_source in pair.by_text[pair.keys[index]]:
                for entry in pair.exact[old_source].first(limit):
                    matches.append(_fuzzy_match(source, entry, min(score, 99)))
            if len(matches) >= limit:
                break  # the search gives the best first
        matches.sort(key=lambda m: -m.score)
        return matches[:limit]


def _exact(entries: list[_Entry], context: str) -> list[Match]:
    matches = [
        Match(
            e.source,
            e.target,
            100,
            band_for(100, in_context=bool(context) and e.context == context),
            e.context,
            e.origin,
        )
        for e in entries
    ]
    return matches  # in-context first: first() puts the entry of the context first


def _fuzzy_match(source: str, entry: _Entry, score: int) -> Match:
    adapted = adapt(source, entry.source, entry.target)
    if adapted is not None:
        return Match(entry.source, adapted, 99, Band.HIGH, entry.context, entry.origin, True)
    return Match(entry.source, entry.target, score, band_for(score), entry.context, entry.origin)
