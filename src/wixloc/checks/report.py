"""What a check produces: findings and per-language coverage, ready for the reporters."""

from __future__ import annotations

import heapq
import pickle
from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from itertools import accumulate, chain, pairwise, repeat
from operator import attrgetter
from typing import Any, overload

from wixloc.checks.rules import RULES, Rule, Severity
from wixloc.gcpause import paused as gc_paused

__all__ = [
    "Coverage",
    "Finding",
    "Findings",
    "Packed",
    "Related",
    "Report",
    "ReportOrder",
    "in_file_order",
]


@dataclass(frozen=True, slots=True)
class Related:
    """Another entry a finding involves (the other keys of an inconsistent translation)."""

    key: str
    line: int | None
    text: str  # what that entry has: its translation, or its source

    def as_dict(self) -> dict[str, object]:
        return {"key": self.key, "line": self.line, "text": self.text}


# Not frozen, but hashed as if it were: nothing changes a finding once it is made. A frozen
# dataclass sets each field through object.__setattr__ and is about nine times slower to make
# (200,000 findings: 0.49 s against 0.05 s), and a check makes that many, then unpickles them.
@dataclass(slots=True, unsafe_hash=True)
class Finding:
    code: str
    severity: Severity
    file: str
    line: int | None  # the line in *file* (a CSV row: where the row starts); None: whole file
    key: str  # format_key() of the entry's key; "" for findings about the whole file
    language: str  # normalized tag; "" when the finding concerns no one language
    message: str
    source: str = ""  # the entry's main-language text, when the finding is about an entry
    translation: str = ""  # the entry's text in *language*
    # The span the finding points at, in code points of the text named by *span_in*: 1-based,
    # end exclusive (SARIF's convention), so "Hallo" as a whole is columns 1 to 6.
    column: int | None = None
    end_column: int | None = None
    span_in: str = "translation"  # or "source"
    related: tuple[Related, ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "severity": str(self.severity),
            "file": self.file,
            "line": self.line,
            "key": self.key,
            "language": self.language,
            "message": self.message,
            "source": self.source,
            "translation": self.translation,
            "column": self.column,
            "end_column": self.end_column,
            "span_in": self.span_in,
            "related": [r.as_dict() for r in self.related],
        }

    def __reduce__(self) -> tuple[type[Finding], tuple[object, ...]]:
        # Pickled (from a worker process) as its fields: the dataclass's own state is
        # gathered by fields() and set back by a Python loop, about four times slower.
        return Finding, (
            self.code,
            self.severity,
            self.file,
            self.line,
            self.key,
            self.language,
            self.message,
            self.source,
            self.translation,
            self.column,
            self.end_column,
            self.span_in,
            self.related,
        )

    @property
    def spanned_text(self) -> str:
        """The text the span is in."""
        return self.source if self.span_in == "source" else self.translation


_RULE_ORDER = {code: i for i, code in enumerate(RULES)}
_LAST = 1 << 62  # findings about a whole file go after its lines


def in_file_order(f: Finding) -> tuple[int, int, str]:
    """Where *f* goes among the findings of its file: by line (the whole file's last), rule
    (in the order of RULES), language."""
    return (_LAST if f.line is None else f.line), _RULE_ORDER[f.code], f.language


class Packed:
    """The findings of one part of a file (checked in a worker process), held compactly until a
    report reads them: a run per language, each pickled as columns, with every source,
    translation and key replaced by its number in :attr:`texts`.

    :attr:`texts` holds each text once, as a list of strings. Pickled with the rest of a part's
    results, its strings are the same objects as the sources the part's consistency notes
    hold, so they cross to the main process, and stay there, once. Of the 201,526 findings of
    the benchmark's table (100,000 keys, 6 languages), 150,000 are missing translations that
    quote their source: as objects they take 74 MiB, pickled a run per language 59 MiB; as
    columns beside the texts, a few MiB, and no compression to pay for (zlib at level 1 cost
    1 CPU second in the workers and 0.4 s here).

    *found* is in the order of its rows; it is kept in :func:`in_file_order`."""

    __slots__ = ("counts", "errors", "first", "languages", "order", "runs", "texts")

    def __init__(self, found: list[Finding]) -> None:
        # Made with C-level map, zip and sort keys, not a Python step per finding: 150,000
        # findings took 0.5-0.7 CPU s to pack that way, a part of every worker's time.
        found = _in_file_order(found)
        languages = list(map(_LANGUAGE, found))
        number = {lang: i for i, lang in enumerate(dict.fromkeys(languages))}
        self.languages = list(number)
        self.order = array("B" if len(number) < 256 else "I", map(number.__getitem__, languages))
        # each language's findings, in order: a stable sort by language number
        grouped = list(
            map(found.__getitem__, sorted(range(len(found)), key=self.order.__getitem__))
        )
        self.counts = [self.order.count(i) for i in range(len(number))]
        starts = [0, *accumulate(self.counts)]
        runs = [grouped[start:end] for start, end in pairwise(starts)]
        self.first = [run[0] for run in runs]  # each language's first finding
        columns: list[list[Any]] = [list(zip(*map(_FIELDS, run), strict=True)) for run in runs]
        # every key, source and translation once, numbered in the order they first come
        texts = dict.fromkeys(chain.from_iterable(c[i] for c in columns for i in _TEXTS))
        numbered = dict(zip(texts, range(len(texts)), strict=True))
        for c in columns:
            for i in _TEXTS:
                c[i] = array("I", map(numbered.__getitem__, c[i]))
        self.runs = [pickle.dumps(c, pickle.HIGHEST_PROTOCOL) for c in columns]
        self.texts = list(texts)  # in the order of their numbers
        self.errors = list(map(_SEVERITY, found)).count(Severity.ERROR)

    def __len__(self) -> int:
        return len(self.order)

    def __iter__(self) -> Iterator[Finding]:
        runs = [iter(self._unpack(i)) for i in range(len(self.runs))]
        return (next(runs[i]) for i in self.order)

    def of_language(self, language: str) -> list[Finding]:
        if language not in self.languages:
            return []
        return self._unpack(self.languages.index(language))

    def _unpack(self, run: int) -> list[Finding]:
        with gc_paused():  # thousands of objects made at once, and no cycle among them
            columns = pickle.loads(self.runs[run])  # noqa: S301 - made in __init__
            codes, severities, files, lines, keys, messages, sources, translations, *rest = columns
            text, language = self.texts.__getitem__, repeat(self.languages[run])
            return list(
                map(
                    Finding,
                    codes,
                    severities,
                    files,
                    lines,
                    map(text, keys),
                    language,
                    messages,
                    map(text, sources),
                    map(text, translations),
                    *rest,
                )
            )


# The columns of a packed run: Finding's fields in their order, but the language (a run is one
# language's); the key, source and translation (_TEXTS) are numbers in Packed.texts.
_COLUMNS = [f.name for f in fields(Finding) if f.name != "language"]
_FIELDS = attrgetter(*_COLUMNS)
_TEXTS = tuple(_COLUMNS.index(name) for name in ("key", "source", "translation"))
_LANGUAGE, _SEVERITY = attrgetter("language"), attrgetter("severity")
_LINE, _CODE = attrgetter("line"), attrgetter("code")


def _in_file_order(found: list[Finding]) -> list[Finding]:
    """*found* sorted by :func:`in_file_order` (stable), its keys made in C."""
    lines = list(map(_LINE, found))
    if None in lines:
        lines = [_LAST if line is None else line for line in lines]
    ranks = map(_RULE_ORDER.__getitem__, map(_CODE, found))
    keys = list(zip(lines, ranks, map(_LANGUAGE, found), strict=True))
    return list(map(found.__getitem__, sorted(range(len(found)), key=keys.__getitem__)))


ReportOrder = Callable[[Finding], tuple[int, int, int, str]]


class Findings(Sequence[Finding]):
    """A report's findings, in report order: *loose* ones (sorted by *key*) and *packed* parts
    (each in :func:`in_file_order`, the parts in *key* order). A packed part is unpickled each
    time it is read, and only then; reading the findings of one language unpickles only that
    language's findings. Indexing (``findings[0]``, a slice) reads them all once and keeps
    them: the reporters only iterate."""

    def __init__(
        self,
        loose: list[Finding],
        packed: Sequence[Packed] = (),
        key: ReportOrder | None = None,
    ) -> None:
        if packed and key is None:
            raise ValueError("packed findings need the report order")
        self.loose, self.packed, self.key = loose, list(packed), key
        self._whole: list[Finding] | None = None if self.packed else loose
        self._cuts: dict[str, tuple[list[Packed], list[list[Finding]]]] = {}

    def __len__(self) -> int:
        return len(self.loose) + sum(len(p) for p in self.packed)

    def __iter__(self) -> Iterator[Finding]:
        if self._whole is not None:
            return iter(self._whole)
        return self._merged(self.loose, chain.from_iterable(self.packed))

    @overload
    def __getitem__(self, index: int) -> Finding: ...
    @overload
    def __getitem__(self, index: slice) -> list[Finding]: ...
    def __getitem__(self, index: int | slice) -> Finding | list[Finding]:
        if self._whole is None:
            self._whole = list(self)
        return self._whole[index]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Findings({list(self)!r})"

    @property
    def errors(self) -> int:
        packed = sum(p.errors for p in self.packed)
        return packed + sum(1 for f in self.loose if f.severity is Severity.ERROR)

    def languages(self) -> dict[str, int]:
        """Each language's count of findings, the languages in the order they first come."""
        counts: dict[str, int] = {}
        firsts: dict[str, Finding] = {}
        for f in self.loose:
            counts[f.language] = counts.get(f.language, 0) + 1
            firsts.setdefault(f.language, f)
        if self.key is None or not self.packed:
            return counts  # in the order of the loose findings, the report's
        key = self.key
        for p in self.packed:
            for lang, count, first in zip(p.languages, p.counts, p.first, strict=True):
                counts[lang] = counts.get(lang, 0) + count
                if lang not in firsts or key(first) < key(firsts[lang]):
                    firsts[lang] = first
        return {lang: counts[lang] for lang in sorted(counts, key=lambda g: key(firsts[g]))}

    def of_language(self, language: str) -> Iterator[Finding]:
        """The findings of *language*, in report order."""
        loose = [f for f in self.loose if f.language == language]
        if not self.packed:
            return iter(loose)
        runs = chain.from_iterable(p.of_language(language) for p in self.packed)
        return self._merged(loose, runs)

    def pieces(self, language: str) -> int:
        """How many pieces :meth:`of_piece` cuts the findings of *language* into (at least 1)."""
        return max(1, len(self._cut(language)[0]))

    def of_piece(self, language: str, piece: int) -> Iterator[Finding]:
        """The findings of *language* in piece *piece*: a packed part's, with the loose
        findings that come between its first finding and the next part's (those before the
        first part's go with it). The pieces, in order, are :meth:`of_language`'s findings, so
        each can be rendered apart (in another process) and the renderings joined."""
        parts, loose = self._cut(language)
        if not parts:
            return iter(loose[0]) if piece == 0 else iter(())
        return self._merged(loose[piece], parts[piece].of_language(language))

    def _cut(self, language: str) -> tuple[list[Packed], list[list[Finding]]]:
        """The packed parts with findings of *language*, and the loose findings of each piece;
        no part (one piece: :meth:`of_language`) where the parts are not in report order."""
        cut = self._cuts.get(language)
        if cut is None:
            cut = self._cuts[language] = self._cut_anew(language)
        return cut

    def _cut_anew(self, language: str) -> tuple[list[Packed], list[list[Finding]]]:
        parts = [p for p in self.packed if language in p.languages]
        loose = [f for f in self.loose if f.language == language]
        if not parts:
            return [], [loose]
        key = self.key
        assert key is not None  # packed findings have one (see __init__)
        firsts = [key(p.first[p.languages.index(language)]) for p in parts]
        if any(later < earlier for earlier, later in pairwise(firsts)):
            # parts out of report order (of two files with one name): read as one piece
            return [], [list(self.of_language(language))]
        groups: list[list[Finding]] = [[] for _ in parts]
        for f in loose:
            # the last part whose first finding is not after it; one equal to that first
            # finding comes before it, as in heapq.merge
            groups[max(0, bisect_right(firsts, key(f)) - 1)].append(f)
        return parts, groups

    def _merged(self, loose: list[Finding], packed: Iterable[Finding]) -> Iterator[Finding]:
        if not loose or self.key is None:
            return iter(packed)  # no key: nothing packed either
        return heapq.merge(loose, packed, key=self.key)


@dataclass
class Coverage:
    """How much of one target language is translated (entries whose source is not empty)."""

    language: str
    total: int = 0
    translated: int = 0

    @property
    def missing(self) -> int:
        return self.total - self.translated

    @property
    def percent(self) -> float:
        return 100.0 if self.total == 0 else 100.0 * self.translated / self.total

    def as_dict(self) -> dict[str, object]:
        return {
            "total": self.total,
            "translated": self.translated,
            "missing": self.missing,
            "coverage": round(self.percent, 2),
        }


@dataclass
class Report:
    files: list[str]
    rules: list[Rule]  # the rules that ran, with the severity they ran at
    findings: Sequence[Finding] = field(default_factory=list)  # check_files gives a Findings
    coverage: list[Coverage] = field(default_factory=list)  # target languages, in file order
    min_coverage: float | None = None
    notes: list[str] = field(default_factory=list)  # e.g. a rule skipped for want of a dictionary

    @property
    def errors(self) -> int:
        return self.view().errors

    def view(self) -> Findings:
        """The findings as a :class:`Findings` (counted and read by language)."""
        found = self.findings
        return found if isinstance(found, Findings) else Findings(list(found))

    @property
    def warnings(self) -> int:
        return len(self.findings) - self.errors

    @property
    def exit_code(self) -> int:
        """0 when no finding is an error, 1 otherwise (the CI gate)."""
        return 1 if self.errors else 0

    def summary_line(self) -> str:
        files = f"{len(self.files)} file" + ("" if len(self.files) == 1 else "s")
        return f"{_plural(self.errors, 'error')}, {_plural(self.warnings, 'warning')} in {files}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
