"""The agency's analysis: per target language, segments and words by match band, and a quote.

One counting rule for every command (``pull``, ``split``, ``stats``), defined here:

- **What is counted**: a segment with a main-language text that still needs work: in a table,
  an entry with no translation for the language (or one whose source changed, with
  ``against``); in a translator file, a unit that is not done (new, or pre-filled and marked for
  review). The same content gives the same segments as a table and as the file split from it.
- **Words** (:func:`count_words`): in the main-language text without markup, placeholders, URLs
  and entities; each Chinese or Japanese character is one word. **Characters** include spaces.
- **Bands**, in this order of precedence: *in-context* (the TM holds this source for this very
  key), *repetitions* (the same source text met earlier in the same job and language), then the
  best TM match: *100* (the same source for another key, or pre-filled from one), *95-99*,
  *85-94*, *75-84*, *50-74*, else *no-match*. The TMs are the files given and the site's own
  translations (the table's translated entries); for a translator file, also the suggestions
  it carries (``Unit.suggestions``), so that it counts as the table it was split from.
- **Weighted words**: words x the band's weight, from ``[stats] weights`` in wixloc.toml.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from wixloc import formats
from wixloc.checks.text import strip_protected
from wixloc.errors import ConfigError
from wixloc.model import Key, Language, Table, Unit, UnitFile, format_key
from wixloc.roundtrip import ricos
from wixloc.tm.memory import FUZZY_MIN, Band, TranslationMemory, band_for
from wixloc.tm.suggest import IN_CONTEXT_NOTE

__all__ = [
    "BANDS",
    "DEFAULT_WEIGHTS",
    "Analysis",
    "LanguageAnalysis",
    "Repetitions",
    "Segment",
    "Tally",
    "analyze",
    "analyze_file",
    "count_words",
    "counted",
    "needs_work",
    "parse_weights",
    "render",
    "site_memory",
    "table_segments",
    "unit_segments",
]

BANDS = ("repetitions", "in-context", "100", "95-99", "85-94", "75-84", "50-74", "no-match")
# A common agency grid; a project sets its own in [stats] weights.
DEFAULT_WEIGHTS: dict[str, float] = {
    "repetitions": 0.25,
    "in-context": 0.1,
    "100": 0.25,
    "95-99": 0.5,
    "85-94": 0.6,
    "75-84": 0.7,
    "50-74": 1.0,
    "no-match": 1.0,
}

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
_WORD = re.compile(rf"[{_CJK}]|[^\W_{_CJK}]+(?:['’\-.][^\W_{_CJK}]+)*")


def count_words(text: str) -> tuple[int, int]:
    """(words, characters) of *text* as agencies count them: the one word count of wixloc."""
    visible = strip_protected(text, "")
    return len(_WORD.findall(strip_protected(text))), len(visible)


class Repetitions:
    """Tells whether a source text was met before in this job (the first time it is not)."""

    def __init__(self) -> None:
        self._seen: set[str] = set()

    def __call__(self, source: str) -> bool:
        if source in self._seen:
            return True
        self._seen.add(source)
        return False


def needs_work(unit: Unit) -> bool:
    """A unit that counts: it has a source and is not done (a pre-filled one is not done)."""
    return bool(unit.source.strip()) and not unit.state.done


def counted(unit: Unit) -> bool:
    """A unit the counting rule counts: work (:func:`needs_work`), or filled in from a memory
    as an in-context match (done, but still work in the table it was split from)."""
    return needs_work(unit) or (IN_CONTEXT_NOTE in unit.notes and bool(unit.source.strip()))


@dataclass(frozen=True, slots=True)
class Segment:
    """One piece of work: its source text, its key (the context) and a pre-filled target."""

    source: str
    context: str = ""
    prefilled: str = ""  # the band of a match the file was filled in from: "100", "in-context"
    suggested: int = 0  # the score of the best suggestion the file offers for it (0: none)


def table_segments(
    table: Table, language: Language, previous: Mapping[Key, str] | None = None
) -> list[Segment]:
    """The work for *language* in a table; with *previous* (source by key), changed entries too."""
    main = table.main_language
    found = []
    for entry in table.entries:
        source = entry.texts.get(main, "")
        if not source.strip():
            continue
        changed = previous is not None and entry.key in previous and previous[entry.key] != source
        if entry.texts.get(language, "").strip() and not changed:
            continue
        found.append(Segment(source, format_key(entry.key)))
    return found


def unit_segments(units: UnitFile) -> list[Segment]:
    """The work in a translator file (see :func:`needs_work`), and the units a translation
    memory filled in as in-context matches (done, but counted in their band)."""
    found = []
    for unit in units.units:
        key = format_key(unit.key)
        if IN_CONTEXT_NOTE in unit.notes and unit.source.strip():
            found.append(Segment(unit.source, key, Band.IN_CONTEXT.value))
        elif needs_work(unit):
            filled = bool(unit.target) and unit.previous_source is None
            best = max((s.score for s in unit.suggestions), default=0)
            found.append(Segment(unit.source, key, Band.EXACT.value if filled else "", best))
    return found


def site_memory(
    table: Table,
    memory: TranslationMemory | None = None,
    previous: Mapping[Key, str] | None = None,
    languages: Sequence[Language] | None = None,
) -> TranslationMemory:
    """*memory* (or a new one) with the table's own translations (of *languages*, default all),
    each for its key; a translation whose source changed since (*previous*: the source it was
    made from, by key, as ``State.stale`` gives it per language) is not one of the source it has
    now."""
    memory = memory if memory is not None else TranslationMemory()
    main = table.main_language
    for entry in table.entries:
        source = entry.texts.get(main, "")
        if not source.strip():
            continue
        if previous is not None and entry.key in previous and previous[entry.key] != source:
            continue
        for lang in languages if languages is not None else table.languages[1:]:
            target = entry.texts.get(lang, "")
            if target.strip():
                memory.add(
                    main.code,
                    source,
                    lang.code,
                    target,
                    context=format_key(entry.key),
                    origin="site",
                )
    return memory


@dataclass
class Tally:
    segments: int = 0
    words: int = 0
    characters: int = 0

    def add(self, other: Tally) -> None:
        self.segments += other.segments
        self.words += other.words
        self.characters += other.characters

    def as_dict(self) -> dict[str, int]:
        return {"segments": self.segments, "words": self.words, "characters": self.characters}


@dataclass
class LanguageAnalysis:
    language: str
    bands: dict[str, Tally] = field(default_factory=lambda: {band: Tally() for band in BANDS})

    @property
    def total(self) -> Tally:
        total = Tally()
        for tally in self.bands.values():
            total.add(tally)
        return total

    def weighted(self, weights: Mapping[str, float]) -> float:
        return round(sum(t.words * weights[b] for b, t in self.bands.items()), 2)


def analyze(
    segments: Iterable[Segment],
    main: str,
    language: str,
    memory: TranslationMemory | None = None,
) -> LanguageAnalysis:
    """Count *segments* into bands (see the module's rule)."""
    result = LanguageAnalysis(language)
    repeated = Repetitions()
    counted: dict[str, tuple[int, int]] = {}
    for segment in segments:
        counts = counted.get(segment.source)
        if counts is None:
            counts = counted[segment.source] = count_words(segment.source)
        band = _band(segment, main, language, memory, repeated(segment.source))
        result.bands[band].add(Tally(1, *counts))
    return result


def _band(
    segment: Segment, main: str, language: str, memory: TranslationMemory | None, repeat: bool
) -> str:
    match = memory.best(main, segment.source, language, segment.context) if memory else None
    if segment.prefilled == Band.IN_CONTEXT.value or (
        match is not None and match.band is Band.IN_CONTEXT
    ):
        return Band.IN_CONTEXT.value
    if repeat:
        return "repetitions"
    if match is not None:
        return match.band.value
    if not segment.prefilled and segment.suggested >= FUZZY_MIN:
        return band_for(min(segment.suggested, 99)).value  # the file's own suggestion
    return segment.prefilled or Band.NONE.value


@dataclass
class Analysis:
    file: str
    main_language: str
    languages: list[LanguageAnalysis]
    weights: dict[str, float]
    tms: list[str] = field(default_factory=list)

    @property
    def total(self) -> LanguageAnalysis:
        total = LanguageAnalysis("total")
        for lang in self.languages:
            for band, tally in lang.bands.items():
                total.bands[band].add(tally)
        return total

    def as_dict(self) -> dict[str, object]:
        def one(lang: LanguageAnalysis) -> dict[str, object]:
            return {
                "bands": {b: t.as_dict() for b, t in lang.bands.items()},
                "total": lang.total.as_dict(),
                "weighted_words": lang.weighted(self.weights),
            }

        return {
            "file": self.file,
            "main_language": self.main_language,
            "tms": self.tms,
            "weights": self.weights,
            "languages": {lang.language: one(lang) for lang in self.languages},
            "total": one(self.total),
        }


def analyze_file(
    path: str | Path,
    tms: Sequence[str | Path] = (),
    *,
    against: str | Path | None = None,
    weights: Mapping[str, float] | None = None,
) -> Analysis:
    """The analysis of a table or translator file against the TMX files *tms*."""
    memory = TranslationMemory.from_tmx(tms)
    document = formats.open_document(path)
    chosen = dict(weights) if weights is not None else dict(DEFAULT_WEIGHTS)
    names = [str(p) for p in tms]
    if document.holds_units:
        units = document.units()
        main, lang = units.source_language.code, units.target_language.code
        result = analyze(unit_segments(units), main, lang, memory)
        return Analysis(str(path), main, [result], chosen, names)
    table = ricos.expand(document.table())  # a Ricos cell: its segments, not its JSON
    previous = _previous(against) if against is not None else None
    site_memory(table, memory, previous)
    main = table.main_language.code
    languages = [
        analyze(table_segments(table, lang, previous), main, lang.code, memory)
        for lang in table.languages[1:]
    ]
    return Analysis(str(path), main, languages, chosen, names)


def _previous(path: str | Path) -> dict[Key, str]:
    table = ricos.expand(formats.load_table(path))
    main = table.main_language
    return {entry.key: entry.texts.get(main, "") for entry in table.entries}


def parse_weights(table: object, where: str) -> dict[str, float]:
    """The ``[stats] weights`` table: band -> weight; bands not named keep the default."""
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: [stats] weights must be a table such as {{ 100 = 0.3 }}")
    weights = dict(DEFAULT_WEIGHTS)
    for band, value in table.items():
        if band not in weights:
            raise ConfigError(
                f"{where}: [stats] weights has an unknown band '{band}' (bands: {', '.join(BANDS)})"
            )
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise ConfigError(
                f"{where}: [stats] weights.{band} must be a number >= 0, not {value!r}"
            )
        weights[band] = float(value)
    return weights


# --- output -----------------------------------------------------------------------------------


def render(result: Analysis, fmt: str, names: Mapping[str, str] | None = None) -> str:
    """*result* as ``text`` (a table for people), ``csv`` or ``json``."""
    if fmt == "json":
        return json.dumps(result.as_dict(), ensure_ascii=False, indent=2) + "\n"
    rows = _rows(result)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(
            ["language", "band", "segments", "words", "characters", "weight", "weighted_words"]
        )
        writer.writerows(rows)
        return out.getvalue()
    return _text(result, rows, names or {})


def _rows(result: Analysis) -> list[list[str]]:
    rows = []
    for lang in [*result.languages, result.total]:
        for band, tally in lang.bands.items():
            weight = result.weights[band]
            rows.append(
                [
                    lang.language,
                    band,
                    str(tally.segments),
                    str(tally.words),
                    str(tally.characters),
                    _num(weight),
                    _num(round(tally.words * weight, 2)),
                ]
            )
        total = lang.total
        rows.append(
            [
                lang.language,
                "total",
                str(total.segments),
                str(total.words),
                str(total.characters),
                "",
                _num(lang.weighted(result.weights)),
            ]
        )
    return rows


def _num(value: float) -> str:
    return f"{value:g}" if value != int(value) else str(int(value))


def _text(result: Analysis, rows: list[list[str]], names: Mapping[str, str]) -> str:
    head = ["Language", "Band", "Segments", "Words", "Characters", "Weight", "Weighted"]
    shown = [head]
    previous = None
    for row in rows:
        lang = row[0]
        label = "" if lang == previous else ("Total" if lang == "total" else names.get(lang, lang))
        previous = lang
        shown.append([label, *row[1:]])
    widths = [max(len(r[i]) for r in shown) for i in range(len(head))]
    lines = [
        "  ".join(
            [r[0].ljust(widths[0]), r[1].ljust(widths[1])]
            + [v.rjust(w) for v, w in zip(r[2:], widths[2:], strict=True)]
        ).rstrip()
        for r in shown
    ]
    title = f"{result.file}: main language {result.main_language}"
    if result.tms:
        title += f", against {', '.join(result.tms)}"
    return "\n".join([title, "", *lines]) + "\n"
