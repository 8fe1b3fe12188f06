"""Running the rules over files: the rows of each file (:mod:`.documents`), the pair rules in
batches (:mod:`.batch`, in worker processes for a large file: :mod:`wixloc.workers`), and what needs
a whole file (duplicates, coverage, consistency); the findings become one Report.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections import deque
from collections.abc import Generator, Iterator, Mapping, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from wixloc import workers
from wixloc.checks import pairs, prose
from wixloc.checks.batch import Batch
from wixloc.checks.config import CheckConfig
from wixloc.checks.consistency import Consistency, Inconsistent, source_hashes
from wixloc.checks.documents import (
    Document,
    documents,
    expand_folders,
    load_document,
    table_document,
)
from wixloc.checks.entries import (
    STALE_MESSAGE,
    Limits,
    Picker,
    Stale,
    format_key_cached,
    no_translation,
    pair_context,
)
from wixloc.checks.language_rules import EntryHit, LanguageRules, load_speller
from wixloc.checks.report import (
    Coverage,
    Finding,
    Findings,
    Packed,
    Related,
    Report,
    in_file_order,
)
from wixloc.checks.rules import RULES, Rule, Severity
from wixloc.checks.terms import Termbase, load_termbase
from wixloc.errors import InputError, UsageError
from wixloc.formats import csv_ranges
from wixloc.gcpause import paused as gc_paused
from wixloc.model import Key, Language, Table
from wixloc.progress import OnProgress, counted

__all__ = ["check_files", "load_document"]


@dataclass
class _Run:
    """Settings resolved once per check."""

    config: CheckConfig
    severity: dict[str, Severity]  # enabled rules only
    required: list[Language] | None
    stated_main: Language | None
    reference: dict[Key, int | None] | None
    reference_name: str = ""
    allow: re.Pattern[str] | None = None
    ignored_attributes: frozenset[str] = frozenset()
    findings: list[Finding] = field(default_factory=list)
    packed: list[Packed] = field(default_factory=list)  # the findings of a large file's parts
    coverage: dict[Language, Coverage] = field(default_factory=dict)
    termbase: Termbase | None = None
    notes: list[str] = field(default_factory=list)
    no_dictionary: set[str] = field(default_factory=set)  # languages already noted
    spool: str | None = None  # a folder for the translations noted for consistency

    def on(self, code: str) -> bool:
        return code in self.severity

    def add(
        self,
        code: str,
        file: str,
        line: int | None,
        key: Key | str,
        lang: str,
        msg: str,
        texts: tuple[str, str] = ("", ""),
        span: tuple[int, int] | None = None,
        span_in: str = "translation",
        related: tuple[Related, ...] = (),
    ) -> None:
        shown = key if isinstance(key, str) else format_key_cached(key)
        start, end = (span[0] + 1, span[1] + 1) if span is not None else (None, None)
        self.findings.append(
            Finding(
                code,
                self.severity[code],
                file,
                line,
                shown,
                lang,
                msg,
                texts[0],
                texts[1],
                start,
                end,
                span_in,
                related,
            )
        )


def check_files(
    paths: Sequence[str | Path],
    config: CheckConfig,
    against: str | Path | None = None,
    *,
    on_progress: OnProgress | None = None,
) -> Report:
    """Check every file in *paths* (a folder: every translator file in it); the Report holds
    the findings and per-language coverage."""
    paths = expand_folders(paths)
    run = _prepare(config, against)
    with gc_paused():
        for path in counted(paths, on_progress, len(paths), every=1):  # files checked
            for doc in documents(path, config.languages, encoding=config.encoding):
                _check_document(doc, run)
    rules = [Rule(code, sev, RULES[code].description) for code, sev in run.severity.items()]
    files = [str(p) for p in paths]
    rank = {name: i for i, name in enumerate(files)}

    def sort_key(f: Finding) -> tuple[int, int, int, str]:
        return rank.get(f.file, 0), *in_file_order(f)

    run.findings.sort(key=sort_key)
    found = Findings(run.findings, run.packed, sort_key)
    return Report(files, rules, found, list(run.coverage.values()), config.min_coverage, run.notes)


def _prepare(config: CheckConfig, against: str | Path | None) -> _Run:
    required = [Language.parse(tag) for tag in config.languages] if config.languages else None
    stated = Language.parse(config.main_language) if config.main_language else None
    if stated is None and required:
        stated = required[0]
    reference = _reference_keys(against) if against is not None else None
    run = _Run(config, _severities(config), required, stated, reference, str(against or ""))
    if config.allow_unchanged:
        words = sorted(config.allow_unchanged, key=len, reverse=True)
        run.allow = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, words)) + r")(?!\w)")
    run.ignored_attributes = frozenset(a.lower() for a in config.markup_attributes)
    if config.terms is not None and (run.on("terminology") or run.on("spelling")):
        # the speller never flags a term's words either
        main = stated.code if stated is not None else None
        run.termbase = load_termbase(config.terms, main)
    return run


def _severities(config: CheckConfig) -> dict[str, Severity]:
    for code in [*(config.rules or []), *config.ignore]:
        if code not in RULES:
            known = ", ".join(RULES)
            raise UsageError(f"unknown rule '{code}'", hint=f"known rules: {known}")
    for code in config.enable:
        if code not in RULES:
            raise UsageError(f"unknown rule '{code}'", hint=f"known rules: {', '.join(RULES)}")
    chosen = (
        config.rules
        if config.rules is not None
        else [c for c, r in RULES.items() if not r.optional or c in config.enable]
    )
    result: dict[str, Severity] = {}
    for code in RULES:
        if code not in chosen or code in config.ignore:
            continue
        level = config.severity.get(code, RULES[code].severity)
        if level is not None:
            result[code] = level
    if "coverage-below-threshold" in result and config.min_coverage is None:
        del result["coverage-below-threshold"]  # nothing to compare with
    if "terminology" in result and config.terms is None:
        del result["terminology"]  # no termbase
    return result


def _reference_keys(path: str | Path) -> dict[Key, int | None]:
    doc = load_document(path)
    keys: dict[Key, int | None] = {}
    for key, line, *_ in doc.rows:
        keys.setdefault(key, line)
    return keys


# --- checking ----------------------------------------------------------------------------


def _check_document(doc: Document, run: _Run) -> None:
    main, targets = _header_findings(doc, run)
    coverage = {lang: Coverage(lang.code) for lang in targets}
    seen = _check_rows(doc, run, main, targets, coverage)
    if run.reference is not None and run.on("missing-key"):
        tag = targets[0].code if not doc.is_table and targets else ""
        for key, ref_line in run.reference.items():
            if key not in seen:
                where = f" (line {ref_line})" if ref_line else ""
                msg = f"the key is in {run.reference_name}{where} but not in this file"
                run.add("missing-key", doc.file, None, key, tag, msg)
    _coverage_findings(doc, run, coverage)
    for lang, cov in coverage.items():
        total = run.coverage.setdefault(lang, Coverage(lang.code))
        total.total += cov.total
        total.translated += cov.translated


def _header_findings(doc: Document, run: _Run) -> tuple[Language, list[Language]]:
    """Findings about the languages; returns the source language and the languages to check."""
    line = 1 if doc.is_table else None
    present = {lang: lang for lang in doc.languages}
    if doc.is_table and run.required and run.on("missing-language"):
        for lang in run.required:
            if lang not in present:
                msg = f"no column for the required language '{lang}'"
                run.add("missing-language", doc.file, line, "", lang.code, msg)
    if run.on("invalid-language"):
        for tag in doc.header_tags:
            msg = f"the column '{tag}' is headed like a language tag, but no language has that tag"
            run.add("invalid-language", doc.file, line, "", "", msg)
    stated = run.stated_main
    wrong_order = stated is not None and stated in present and doc.main != stated
    if stated is not None and wrong_order and run.on("main-language-order"):
        msg = f"the main language '{stated}' must come first; the file starts with '{doc.main}'"
        run.add("main-language-order", doc.file, line, "", stated.code, msg)
    main = (
        present[stated] if doc.is_table and stated is not None and stated in present else doc.main
    )
    if not doc.is_table or not run.required:
        return main, [lang for lang in doc.languages if lang != main]
    return main, [present[lang] for lang in run.required if lang in present and lang != main]


def _check_rows(
    doc: Document,
    run: _Run,
    main: Language,
    targets: list[Language],
    coverage: dict[Language, Coverage],
) -> dict[Key, int | None]:
    parts = _parts(doc, run)
    if parts is not None:
        try:
            seen = _check_parts(doc, run, main, targets, coverage, parts)
        except (InputError, csv_ranges.NotCut):
            pass  # read whole below, which fails (or not) as one reading of the file does
        else:
            if isinstance(doc.rows, Generator):
                doc.rows.close()  # the parts were read instead
            return seen
    seen = {}
    extras = _check_entries(doc, run, main, targets, coverage, seen, run.config.jobs)
    _finish_language_rules(run, doc.file, targets, extras)
    return seen


def _check_entries(
    doc: Document,
    run: _Run,
    main: Language,
    targets: list[Language],
    coverage: dict[Language, Coverage],
    seen: dict[Key, int | None],
    jobs: int,
) -> list[_Extra]:
    """Every rule that reads one entry at a time, over *doc*'s rows; the language rules, for
    what needs the whole file, are returned."""
    codes = tuple(code for code in _RULES if run.on(code))
    state = run.config.state
    stale = Stale(state) if state is not None and run.on("stale-translation") else None
    # The pair rules read a batch of rows at once (batch.Batch), in worker processes when the
    # file is large; the findings of each pair are then added in row order, as if each pair
    # had been read as it came.
    with _Pool(_batch_hits, codes, jobs) as pool:
        pending = _Pending(run, doc.file, pool, stale)
        pending.batch.narrow = not doc.holds.wide
        _read_rows(doc, run, main, targets, coverage, pending, seen)
        pending.finish()
    return pending.extras


# --- a large CSV table in parts, each read and checked by a worker process ------------------

_Parts = Generator[csv_ranges.Part, None, None]
_PART_MIN = 1 << 20  # bytes: a smaller table is read here, its pair rules in batches
_PARTS_PER_JOB = 8  # parts enough that no worker waits long for the last ones
_TAPER = 4  # the last parts are this many times smaller (see _tapered)


@dataclass
class _Job:
    """What each part's check needs beside the part (sent with every part)."""

    run: _Run  # without findings
    table: Table  # the header read here (columns, dialect)
    main: Language
    targets: list[Language]


@dataclass
class _Checked:
    """A part's results, in the order of its rows."""

    findings: Packed
    coverage: list[tuple[int, int]]  # per target language: pairs, pairs translated
    seen: dict[Key, int | None]  # each key and its first line
    notes: list[Consistency | None]  # per target language: its pairs, for consistency


def _parts(doc: Document, run: _Run) -> _Parts | None:
    """The parts of a wide CSV table large enough to cut, for more than one job, as they are
    cut (:func:`wixloc.formats.csv_ranges.parts`: may raise NotCut); else None."""
    table = doc.table
    if run.config.jobs <= 1 or table is None or not csv_ranges.readable(table):
        return None
    size = os.path.getsize(doc.file)
    if size < 2 * _PART_MIN:
        return None
    jobs = run.config.jobs
    parts = csv_ranges.parts(
        doc.file, max(_PART_MIN // _TAPER, size // (jobs * _PARTS_PER_JOB * _TAPER))
    )
    return _tapered(parts, jobs)


def _tapered(parts: Iterator[csv_ranges.Part], jobs: int) -> _Parts:
    """*parts*, cut small, joined :data:`_TAPER` at a time, except the last two for each job:
    the workers then finish within a small part of each other, where with parts of one size
    one of them went on alone for up to a whole part while the other had nothing left. Each
    joined part is given once the parts after it are enough to be the last ones."""
    last = 2 * jobs
    held: deque[csv_ranges.Part] = deque()
    for part in parts:
        held.append(part)
        if len(held) == last + _TAPER:
            yield _joined([held.popleft() for _ in range(_TAPER)])
    if len(held) > last:
        yield _joined([held.popleft() for _ in range(len(held) - last)])
    yield from held


def _joined(run: list[csv_ranges.Part]) -> csv_ranges.Part:
    return csv_ranges.Part(run[0].start, run[-1].end, run[0].line)


def _check_parts(
    doc: Document,
    run: _Run,
    main: Language,
    targets: list[Language],
    coverage: dict[Language, Coverage],
    parts: _Parts,
) -> dict[Key, int | None]:
    """The table checked a part at a time in worker processes; their findings are kept as
    they come, packed (:class:`Packed`), then what needs the whole file is done here. An error
    in any part is raised before anything is added to *run*."""
    assert doc.table is not None
    with closing(parts), _spool() as spool:  # the file being cut closed however this ends
        job = _Job(
            replace(run, findings=[], packed=[], notes=[], coverage={}, spool=spool),
            doc.table,
            main,
            targets,
        )
        return _check_parts_with(doc, run, job, coverage, parts)


@contextmanager
def _spool() -> Iterator[str | None]:
    """A temporary folder for the translations the parts note for consistency, removed with
    what is in it once the check of the table is over (None where none can be made: they
    are then kept compressed)."""
    try:
        folder = tempfile.TemporaryDirectory(prefix="wixloc-check-", ignore_cleanup_errors=True)
    except OSError:
        yield None
        return
    with folder as path:
        yield path


def _check_parts_with(
    doc: Document,
    run: _Run,
    job: _Job,
    coverage: dict[Language, Coverage],
    parts: Iterator[csv_ranges.Part],
) -> dict[Key, int | None]:
    targets = job.targets
    packed: list[Packed] = []
    seen: dict[Key, int | None] = {}
    counts = [[0, 0] for _ in targets]
    extras = _language_rules(run, targets)
    with _PartPool(_check_part, job, run.config.jobs, first_here=False) as pool:
        for part, checked in _in_order(pool, parts):
            if not seen.keys().isdisjoint(checked.seen):
                # a key of an earlier part again: checked here, knowing the keys before it
                checked = _check_part(job, part, seen)
            packed.append(checked.findings)
            seen.update(checked.seen)
            for count, (total, translated) in zip(counts, checked.coverage, strict=True):
                count[0] += total
                count[1] += translated
            for extra, noted in zip(extras, checked.notes, strict=True):
                if extra is not None and extra.consistency is not None and noted is not None:
                    extra.consistency.extend(noted)
    run.packed += packed
    for lang, (total, translated) in zip(targets, counts, strict=True):
        coverage[lang].total += total
        coverage[lang].translated += translated
    _finish_language_rules(run, doc.file, targets, extras)
    return seen


_PartPool = workers.BatchPool[_Job, csv_ranges.Part, _Checked, csv_ranges.Part]


def _in_order(
    pool: _PartPool, parts: Iterator[csv_ranges.Part]
) -> Iterator[tuple[csv_ranges.Part, _Checked]]:
    for part in parts:
        yield from pool.put(part, part)
    yield from pool.finish()


def _check_part(
    job: _Job, part: csv_ranges.Part, earlier: Mapping[Key, int | None] | None = None
) -> _Checked:
    """Read *part* of the table and check its entries (in a worker process); *earlier*: the
    keys before it, when one of them is in it again."""
    run = replace(job.run, findings=[], packed=[], notes=[], coverage={}, no_dictionary=set())
    data = csv_ranges.part_bytes(job.table, part)
    doc = table_document(job.table, csv_ranges.read_part(job.table, part, data))
    doc.holds = pairs.may_hold(data)
    coverage = {lang: Coverage(lang.code) for lang in job.targets}
    seen = dict(earlier or {})
    extras = _check_entries(doc, run, job.main, job.targets, coverage, seen, 1)
    if earlier:
        seen = {key: line for key, line in seen.items() if key not in earlier}
    return _Checked(
        Packed(run.findings),
        [(cov.total, cov.translated) for cov in coverage.values()],
        seen,
        [_sealed(extra.consistency) if extra is not None else None for extra in extras],
    )


def _sealed(noted: Consistency | None) -> Consistency | None:
    """*noted* with its last translations made a block too, spooled or compressed (before it
    is sent)."""
    if noted is not None:
        noted.targets.seal()
    return noted


def _read_rows(
    doc: Document,
    run: _Run,
    main: Language,
    targets: list[Language],
    coverage: dict[Language, Coverage],
    pending: _Pending,
    seen: dict[Key, int | None],
) -> None:
    """What each row needs at once (duplicates, unknown keys, control characters, coverage,
    missing translations); its translated pairs go to *pending*."""
    contexts = [pair_context(run.ignored_attributes, run.allow, main, lang) for lang in targets]
    counters = [coverage[lang] for lang in targets]
    extras = pending.extras = _language_rules(run, targets)
    missing_on = run.on("missing-translation")
    control_on = run.on("control-character") and doc.holds.control
    limits = Limits(doc.key_columns, run.config) if run.on("too-long") else None
    reference = run.reference if run.on("unknown-key") else None
    add, file = run.add, doc.file
    pick = Picker([main, *targets])
    batch, rest = pending.batch, pending.rest  # emptied by flush(), never replaced
    add_source, add_target = batch.sources.append, batch.targets.append
    add_context, add_row, add_rest = batch.contexts.append, batch.rows.append, rest.append
    languages = [main, *targets]
    # a missing translation is most of a big table's findings: made here at once, as add()
    # makes it (no span, the source quoted)
    missing = (
        partial(Finding, "missing-translation", run.severity["missing-translation"], file)
        if missing_on
        else None
    )
    found, undone = run.findings.append, doc.undone
    absent = [(lang.code, no_translation(lang)) for lang in targets]  # tag, message
    for key, line, texts, lines, own_limit in doc.rows:
        if key in seen:
            _duplicate(run, file, key, line, lines, seen[key])
            continue
        seen[key] = line
        if reference is not None and key not in reference:
            add("unknown-key", file, line, key, "", f"the key is not in {run.reference_name}")
        if control_on:
            _control(run, file, key, line, lines, languages, texts)
        source, *translations = pick(texts)
        if not source:
            continue  # no source, nothing to translate (as in `wixloc info`'s coverage)
        limit = limits.limit(key, own_limit) if limits is not None else None
        row = len(batch.sources)
        add_source(source)
        for lang, target, ctx, cov, extra, (tag, message) in zip(
            targets, translations, contexts, counters, extras, absent, strict=True
        ):
            cov.total += 1
            where = line if lines is None else lines.get(lang, line)
            if not target:
                if missing is not None:
                    said = undone.get(key) or message
                    found(missing(where, format_key_cached(key), tag, said, source))
                continue
            cov.translated += 1
            add_target(target)
            add_context(ctx)
            add_row(row)
            add_rest((key, where, lang, limit, extra))
        if len(rest) >= _BATCH:
            pending.flush()


_BATCH = 4096  # pairs read by the pair rules at once
_RULES = dict((*pairs.PAIR_RULES, *prose.PROSE_RULES))
# per pair: key, line, language, length limit, language rules
_Rest = list[tuple[Key, int | None, Language, tuple[int, str] | None, "_Extra"]]
_Found = dict[int, list[tuple[str, pairs.Hit]]]  # per pair index, the (rule, hit) it breaks
_Pool = workers.BatchPool[tuple[str, ...], Batch, _Found, tuple[Batch, _Rest]]


def _batch_hits(codes: tuple[str, ...], batch: Batch) -> _Found:
    """The pair rules' hits in *batch*; run in a worker process when the file is large."""
    return batch.hits([(code, _RULES[code]) for code in codes])


class _Pending:
    """The translated pairs read but not yet checked, and what their findings need."""

    def __init__(self, run: _Run, file: str, pool: _Pool, stale: Stale | None) -> None:
        self.run, self.file, self.pool, self.stale = run, file, pool, stale
        self.batch = Batch()
        self.rest: _Rest = []
        self.extras: list[_Extra] = []

    def flush(self) -> None:
        """Hand the batch to the pool (it is then emptied), and add the findings of every batch
        whose hits are back."""
        if not len(self.batch):
            return
        sent, rest = self.batch.copy(), self.rest.copy()
        self.batch.clear()
        self.rest.clear()
        for (batch, done), found in self.pool.put(sent, (sent, rest)):
            self._add(batch, done, found)

    def finish(self) -> None:
        self.flush()
        for (batch, done), found in self.pool.finish():
            self._add(batch, done, found)

    def _add(self, batch: Batch, rest: _Rest, found: _Found) -> None:
        run, file, stale = self.run, self.file, self.stale
        add, findings = run.add, run.findings
        sources, targets, rows = batch.sources, batch.targets, batch.rows
        # Per language with consistency on, its pairs to note, in order: noted a batch at a
        # time once the batch is read. By id() of its rules.
        noting: dict[int, tuple[Consistency, list[int]]] = {
            id(extra): (extra.consistency, [])
            for extra in self.extras
            if extra is not None and extra.consistency is not None
        }
        more = _language_hits(batch, rest)  # terminology, spelling
        for i, (key, where, lang, limit, extra) in enumerate(rest):
            hits = found.get(i)
            if hits is None and limit is None and stale is None and i not in more:
                if (notes := noting.get(id(extra))) is not None:
                    notes[1].append(i)
                continue
            source, target = sources[rows[i]], targets[i]
            pair, before = (source, target), len(findings)
            if stale is not None and stale.made_from_older(key, lang, source):
                add("stale-translation", file, where, key, lang.code, STALE_MESSAGE, pair)
            for code, hit in hits or ():
                if isinstance(hit, str):
                    add(code, file, where, key, lang.code, hit, pair)
                else:
                    add(code, file, where, key, lang.code, hit[0], pair, hit[1:])
            if limit is not None and len(target) > limit[0]:
                over = pairs.too_long(target, limit[0], limit[1])
                if over is not None:
                    add("too-long", file, where, key, lang.code, over, pair)
            for code, msg, start, end, span_in in more.get(i, ()):
                add(code, file, where, key, lang.code, msg, pair, (start, end), span_in)
            # an entry with an error of its own (a terminology one too) is not a variant of the
            # others' translation
            notes = noting.get(id(extra))
            if notes is not None and all(
                f.severity is not Severity.ERROR for f in findings[before:]
            ):
                notes[1].append(i)
        if any(chosen for _, chosen in noting.values()):
            hashes = source_hashes(sources)  # each row's source hashed once for all languages
            for consistency, chosen in noting.values():
                consistency.note_all(
                    [rest[i][0] for i in chosen],
                    [rest[i][1] for i in chosen],
                    [sources[rows[i]] for i in chosen],
                    [hashes[rows[i]] for i in chosen],
                    [targets[i] for i in chosen],
                )


_Extra = LanguageRules | None


def _language_hits(batch: Batch, rest: _Rest) -> dict[int, list[EntryHit]]:
    """The findings of terminology and spelling in *batch*, by pair index, for the pairs with
    any: each language's pairs read at once (:meth:`LanguageRules.check_all`)."""
    chosen: dict[int, tuple[LanguageRules, list[int]]] = {}
    for i, r in enumerate(rest):
        extra = r[4]
        if extra is not None and extra.per_pair:
            chosen.setdefault(id(extra), (extra, []))[1].append(i)
    found: dict[int, list[EntryHit]] = {}
    sources, targets, rows = batch.sources, batch.targets, batch.rows
    seen: dict[
        tuple[object, ...], dict[str, frozenset[int]]
    ] = {}  # a row's source terms, for all its languages
    for extra, pairs_of in chosen.values():
        texts = [sources[rows[i]] for i in pairs_of], [targets[i] for i in pairs_of]
        for k, hits in extra.check_all(*texts, seen).items():
            found[pairs_of[k]] = hits
    return found


def _language_rules(run: _Run, targets: list[Language]) -> list[LanguageRules | None]:
    """Per target language, what terminology, spelling and consistency need (None: no rule)."""
    consistent = run.on("inconsistent-translation") or run.on("inconsistent-source")
    found: list[LanguageRules | None] = []
    for lang in targets:
        speller = load_speller(lang.code) if run.on("spelling") else None
        if run.on("spelling") and speller is None and lang.code not in run.no_dictionary:
            run.no_dictionary.add(lang.code)
            run.notes.append(
                f"spelling: no Hunspell dictionary for '{lang.code}' is installed (a "
                "hunspell-* package, or a folder in DICPATH); its spelling was not checked"
            )
        if run.termbase is None and speller is None and not consistent:
            found.append(None)
            continue
        skip = frozenset(w.casefold() for w in run.config.allow_unchanged)
        found.append(
            LanguageRules(
                run.termbase,
                lang.code,
                speller,
                Consistency(run.spool) if consistent else None,
                skip,
                run.on("terminology"),
            )
        )
    return found


def _finish_language_rules(
    run: _Run, file: str, targets: list[Language], extras: list[LanguageRules | None]
) -> None:
    for lang, found in zip(targets, _whole_file_findings(run, extras), strict=True):
        for f in found:
            span = (0, len(f.translation))
            texts = (f.source, f.translation)
            related = tuple(Related(format_key_cached(k), ln, text) for k, ln, text in f.related)
            key = format_key_cached(f.key)
            run.add(f.code, file, f.line, key, lang.code, f.message, texts, span, related=related)


_SPREAD_MIN = 100_000  # pairs noted for consistency: with fewer, a forked process costs more


def _whole_file_findings(
    run: _Run, extras: list[LanguageRules | None]
) -> Iterator[list[Inconsistent]]:
    """Per target language, what its rules find across the whole file (consistency).

    These are found once the whole file is read, in this process alone while the other
    cores wait; for a large file, each language's are found in worker processes instead,
    where they are forked (they start with the noted pairs, which are not copied). A worker
    that cannot start or dies leaves its languages to this process, so the findings are the
    same."""
    notes = [e.consistency for e in extras if e is not None and e.consistency is not None]
    noted = sum(len(c.keys) for c in notes)
    if run.config.jobs > 1 and len(extras) > 1 and noted >= _SPREAD_MIN:
        enabled = frozenset(run.severity)
        asked = [(extra, enabled) for extra in extras]
        with workers.StreamPool(_finished, asked, run.config.jobs, fork_only=True) as pool:
            for i in range(len(asked)):
                yield [f for chunk in pool.chunks(i) for f in chunk]
        return
    for extra in extras:
        yield extra.finish(pairs.has_words, run.on) if extra is not None else []


def _finished(
    asked: tuple[LanguageRules | None, frozenset[str]],
) -> Iterator[list[Inconsistent]]:
    """One language's findings across the whole file (for :class:`workers.StreamPool`), the
    rules *enabled* given by their codes."""
    extra, enabled = asked
    yield extra.finish(pairs.has_words, enabled.__contains__) if extra is not None else []


def _duplicate(
    run: _Run,
    file: str,
    key: Key,
    line: int | None,
    lines: Mapping[Language, int] | None,
    first: int | None,
) -> None:
    if not run.on("duplicate-key"):
        return
    lang = next(iter(lines)).code if lines else ""
    where = f" (first on line {first})" if first is not None else ""
    run.add("duplicate-key", file, line, key, lang, f"the key appears more than once{where}")


def _control(
    run: _Run,
    file: str,
    key: Key,
    line: int | None,
    lines: Mapping[Language, int] | None,
    languages: list[Language],
    texts: Mapping[Language, str],
) -> None:
    if pairs.CONTROL.search("".join(texts.values())) is None:
        return  # one search over all the texts of the entry, the common case
    for lang in languages:
        text = texts.get(lang, "")
        message = pairs.control_character(text) if text else None
        if message is not None:
            where = line if lines is None else lines.get(lang, line)
            run.add("control-character", file, where, key, lang.code, message)


def _coverage_findings(doc: Document, run: _Run, coverage: dict[Language, Coverage]) -> None:
    threshold = run.config.min_coverage
    if threshold is None or not run.on("coverage-below-threshold"):
        return
    for lang, cov in coverage.items():
        if cov.percent < threshold:
            msg = (
                f"{cov.percent:.1f}% of entries are translated ({cov.translated} of {cov.total}); "
                f"at least {threshold:g}% is required"
            )
            run.add("coverage-below-threshold", doc.file, None, "", lang.code, msg)
