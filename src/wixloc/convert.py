"""Split a table into translator units and merge translated units back, over the model.

:func:`split` makes one :class:`~wixloc.model.UnitFile` per target language; :func:`merge`
applies translated units to a table in place and says, per language, what it applied, what was
already there and what it skipped and why. Both keep the rules of the round trip: entries with no
main-language text are never sent, a non-empty translation is never blanked, a key or language the
table lacks is an error, a translation of an older source is not taken unless asked, and a
translator's edit of the source text is reported and ignored.

:func:`split_files` and :func:`merge_files` add the file I/O the commands need, streamed so
that large tables fit in a few times their size: split reads the table a row at a time and
writes every language's PO or XLIFF file side by side; merge reads each translator file a unit
at a time (:func:`merge_streams`) and applies the changes at the end.

Extension points for the workflow (stale detection, reuse): ``split(previous=...)`` takes the
sources the current translations were made from and marks changed ones for review with the old
source; ``split(reuse=True)`` pre-fills a missing translation from an identical source already
translated, marked for review.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Generator, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, cast

from wixloc import formats
from wixloc.errors import FormatError, MergeError, UsageError
from wixloc.formats._columns import MAX_LENGTH_NAMES
from wixloc.fsutil import atomic_write, open_input
from wixloc.grammar import plural
from wixloc.model import (
    Column,
    ColumnKind,
    Entry,
    Key,
    Language,
    Table,
    Unit,
    UnitFile,
    UnitState,
    fingerprint,
    format_key,
)

__all__ = [
    "LanguageReport",
    "MergeReport",
    "Only",
    "context_note",
    "convert_file",
    "detect_units",
    "iter_split_files",
    "iter_unit_streams",
    "merge",
    "merge_files",
    "merge_paths",
    "merge_streams",
    "split",
    "split_files",
    "target_languages",
    "units_table",
]

Only = Literal["missing", "changed", "all"]
ONLY_CHOICES: tuple[str, ...] = ("missing", "changed", "all")

# Reasons a unit is skipped; the CLI groups by them, so they are fixed phrases.
NOT_TRANSLATED = "not translated"
WOULD_BLANK = "empty, and the table already has a translation (kept)"
NEEDS_REVIEW = "marked for review (fuzzy, needs-review); use --include-fuzzy to apply"
NOT_DONE = "not marked as translated"
STALE = "stale: the source text changed since the file was made; use --accept-stale to apply"
NO_FINGERPRINT = (
    "the source text differs from the table's and the file has no fingerprint; "
    "use --accept-stale to apply"
)
SOURCE_EDITED = "the source text was edited in the file; the edit is ignored"
CHANGED_NOTE = "The source text changed since this was translated; please review."
REUSE_NOTE = "Pre-filled from an identical text already translated ({key}); please review."


# --- split -----------------------------------------------------------------------------------


def target_languages(table: Table, languages: Sequence[str] | None = None) -> list[Language]:
    """The table's languages to translate into: all but the main one, or those named."""
    if not languages:
        return table.languages[1:]
    chosen = [table.language(tag) for tag in languages]
    main = table.main_language
    if main in chosen:
        raise UsageError(f"'{main}' is the main language; it has nothing to translate from")
    return chosen


def context_note(table: Table, entry: Entry) -> str:
    """The key as a translator reads it: ``Collection ID: products · Item ID: p-1 · Field: …``."""
    pairs = zip(table.key_columns, entry.key, strict=False)
    return " · ".join(f"{name}: {value}" for name, value in pairs)


class _Context:
    """What every unit of a table shares: column names, worked out once per split."""

    def __init__(self, table: Table) -> None:
        self.keys = table.key_columns
        metas = table.meta_columns
        self.limit = next((m for m in metas if m.strip().lower() in MAX_LENGTH_NAMES), None)
        self.notes = [m for m in metas if m.strip().lower() not in MAX_LENGTH_NAMES]

    def notes_for(self, entry: Entry) -> list[str]:
        notes = [" · ".join(map(_pair, self.keys, entry.key))] if self.keys else []
        for name in self.notes:
            value = entry.meta.get(name, "")
            if value:
                notes.append(f"{name}: {value}")
        return notes

    def max_length(self, entry: Entry) -> int | None:
        value = entry.meta.get(self.limit, "").strip() if self.limit else ""
        return int(value) if value.isdigit() else None


def _pair(name: str, value: str) -> str:
    return f"{name}: {value}"


def split(
    table: Table,
    language: str | Language,
    *,
    only: Only = "missing",
    previous: Mapping[Key, str] | None = None,
    reuse: bool = False,
) -> UnitFile:
    """The units to send a translator for *language*.

    *only*: ``missing`` sends entries with no translation yet, ``all`` every entry with a
    main-language text, ``changed`` the missing ones and those whose source differs from
    *previous* (the source each current translation was made from, by key). A changed entry
    carries its old source (``previous_source``) and is marked for review.
    *reuse* pre-fills a missing translation from an identical source already translated.
    """
    if only not in ONLY_CHOICES:
        raise UsageError(f"--only must be one of {', '.join(ONLY_CHOICES)}, not '{only}'")
    if only == "changed" and previous is None:
        previous = {}
    lang = table.language(language)
    main = table.main_language
    if lang == main:
        raise UsageError(f"'{lang}' is the main language; it has nothing to translate from")
    memory = _translation_memory(table, lang) if reuse else {}
    context = _Context(table)
    units = [
        unit
        for entry in table.entries
        if (unit := _unit(context, entry, main, lang, only, previous, memory)) is not None
    ]
    return UnitFile(
        source_language=main,
        target_language=lang,
        units=units,
        key_columns=list(table.key_columns),
        original=Path(table.source).name if table.source else None,
    )


def _unit(
    context: _Context,
    entry: Entry,
    main: Language,
    lang: Language,
    only: Only,
    previous: Mapping[Key, str] | None,
    memory: Mapping[str, tuple[Key, str]],
) -> Unit | None:
    source = entry.texts.get(main, "")
    if not source:
        return None  # nothing to translate from: never sent
    target = entry.texts.get(lang, "")
    old = previous.get(entry.key) if previous is not None and target else None
    changed = old is not None and old != source
    if target and only == "missing":
        return None
    if target and only == "changed" and not changed:
        return None
    unit = Unit(
        key=entry.key,
        source=source,
        target=target,
        state=UnitState.TRANSLATED if target else UnitState.NEW,
        notes=context.notes_for(entry),
        fingerprint=fingerprint(source),
        max_length=context.max_length(entry),
    )
    if changed:
        unit.previous_source = old or None  # '' when the old text is unknown
        unit.state = UnitState.NEEDS_REVIEW
        unit.notes.append(CHANGED_NOTE)
    elif not target and source in memory:
        other, unit.target = memory[source]
        unit.state = UnitState.NEEDS_REVIEW
        unit.notes.append(REUSE_NOTE.format(key=format_key(other)))
    return unit


def _translation_memory(table: Table, lang: Language) -> dict[str, tuple[Key, str]]:
    """Main-language text -> (key, translation) of the first entry translated into *lang*."""
    memory: dict[str, tuple[Key, str]] = {}
    main = table.main_language
    for entry in table.entries:
        target = entry.text(lang)
        if target:
            memory.setdefault(entry.text(main), (entry.key, target))
    memory.pop("", None)
    return memory


SplitFile = tuple[Path, list[tuple[Language, int]]]  # a file written: its languages and counts


def split_files(
    table_path: str | Path,
    to: str,
    *,
    out_dir: str | Path | None = None,
    languages: Sequence[str] | None = None,
    only: Only = "missing",
    one_workbook: bool = False,
    table_languages: Sequence[str] | None = None,
) -> list[SplitFile]:
    """Read *table_path*, split it and write the files; returns each path, with the language
    and number of units of each file (several for one workbook).

    Files are named ``<out_dir>/<table stem>.<language>.<ext>``; with *one_workbook* (XLSX only)
    every language goes into ``<out_dir>/<table stem>.xlsx``.
    """
    return list(  # iter_split_files checks the arguments on the first step
        iter_split_files(
            table_path,
            to,
            out_dir=out_dir,
            languages=languages,
            only=only,
            one_workbook=one_workbook,
            table_languages=table_languages,
        )
    )


def iter_split_files(
    table_path: str | Path,
    to: str,
    *,
    out_dir: str | Path | None = None,
    languages: Sequence[str] | None = None,
    only: Only = "missing",
    one_workbook: bool = False,
    table_languages: Sequence[str] | None = None,
    encoding: str | None = None,
) -> Iterator[SplitFile]:
    """:func:`split_files`, yielding each file once written.

    PO and XLIFF files are written side by side while the table is read a row at a time, so
    neither the table nor any language's units are ever held whole; on an error no file is
    written. XLSX files are made one language at a time from the whole table.
    """
    fmt = formats.get(to)
    if not fmt.is_bilingual:
        raise UsageError(f"--to {fmt.name} is not a translator-file format")
    if one_workbook and fmt.name != "xlsx":
        raise UsageError("--one-workbook works only with --to xlsx")
    if only not in ONLY_CHOICES:
        raise UsageError(f"--only must be one of {', '.join(ONLY_CHOICES)}, not '{only}'")
    folder = Path(out_dir) if out_dir is not None else Path(table_path).parent
    stem = Path(table_path).stem
    if fmt.open_units is not None and not one_workbook:
        with contextlib.closing(
            formats.stream_table(table_path, languages=table_languages, encoding=encoding)
        ) as items:
            table = next(items)
            assert isinstance(table, Table)
            entries = cast(Iterator[Entry], items)
            yield from _split_streamed(table, entries, fmt, languages, only, folder / stem)
        return
    table = formats.load_table(table_path, languages=table_languages, encoding=encoding)
    targets = target_languages(table, languages)
    if one_workbook:
        from wixloc.formats import xlsx  # the one format with a multi-language file

        unit_files = [split(table, lang, only=only) for lang in targets]
        path = folder / f"{stem}{fmt.extensions[0]}"
        xlsx.save_workbook(unit_files, path)
        yield path, [(units.target_language, len(units)) for units in unit_files]
        return
    for lang in targets:
        units = split(table, lang, only=only)
        path = folder / f"{stem}.{units.target_language.tag}{fmt.extensions[0]}"
        formats.save_units(units, path, fmt)
        yield path, [(units.target_language, len(units))]


def _split_streamed(
    table: Table,
    entries: Iterator[Entry],
    fmt: formats.Format,
    languages: Sequence[str] | None,
    only: Only,
    stem: Path,
) -> Iterator[SplitFile]:
    """Write every target language's file at once, an entry at a time, from *entries*."""
    targets = target_languages(table, languages)
    paths = [stem.with_name(f"{stem.name}.{lang.tag}{fmt.extensions[0]}") for lang in targets]
    counts = [0] * len(targets)
    original = Path(table.source).name if table.source else None
    folder = stem.parent
    made = not folder.exists()
    try:
        _write_side_by_side(table, entries, fmt, targets, paths, counts, only, original)
    except BaseException:
        if made and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()  # made for these files: not left behind empty
        raise
    for lang, path, count in zip(targets, paths, counts, strict=True):
        yield path, [(lang, count)]


def _write_side_by_side(
    table: Table,
    entries: Iterator[Entry],
    fmt: formats.Format,
    targets: list[Language],
    paths: list[Path],
    counts: list[int],
    only: Only,
    original: str | None,
) -> None:
    assert fmt.open_units is not None
    main = table.main_language
    context = _Context(table)
    previous: dict[Key, str] | None = {} if only == "changed" else None
    with contextlib.ExitStack() as stack:  # every file is renamed into place, or none
        sinks = []
        for lang, path in zip(targets, paths, strict=True):
            fh = stack.enter_context(atomic_write(path))
            header = UnitFile(main, lang, key_columns=table.key_columns, original=original)
            # the size-restriction module is declared when the table has a max-length column
            sinks.append(fmt.open_units(header, fh, context.limit is not None))
        outputs = list(enumerate(zip(targets, sinks, strict=True)))
        for entry in entries:
            for i, (lang, sink) in outputs:
                unit = _unit(context, entry, main, lang, only, previous, _NO_MEMORY)
                if unit is not None:
                    sink.add(unit)
                    counts[i] += 1
        for sink in sinks:
            sink.close()


_NO_MEMORY: Mapping[str, tuple[Key, str]] = {}


# --- merge -----------------------------------------------------------------------------------


@dataclass
class LanguageReport:
    """What merge did for one target language."""

    language: Language
    files: list[str] = field(default_factory=list)
    applied: int = 0
    unchanged: int = 0
    skipped: list[tuple[Key, str]] = field(default_factory=list)  # (key, reason)
    notices: list[tuple[Key, str]] = field(default_factory=list)  # applied, with a remark

    def reasons(self) -> dict[str, list[Key]]:
        """Skipped keys grouped by reason, in first-seen order."""
        grouped: dict[str, list[Key]] = {}
        for key, reason in self.skipped:
            grouped.setdefault(reason, []).append(key)
        return grouped


@dataclass
class MergeReport:
    """Per target language, in the order first met: applied, unchanged, skipped and why."""

    languages: dict[Language, LanguageReport] = field(default_factory=dict)

    def for_language(self, language: Language) -> LanguageReport:
        report = self.languages.get(language)
        if report is None:
            report = self.languages[language] = LanguageReport(language)
        return report

    @property
    def applied(self) -> int:
        return sum(r.applied for r in self.languages.values())


def merge(
    table: Table,
    unit_files: Iterable[UnitFile],
    *,
    include_fuzzy: bool = False,
    accept_stale: bool = False,
) -> MergeReport:
    """Apply the translations in *unit_files* to *table* in place.

    Every file is checked (its languages and keys) before anything is applied, so a MergeError
    leaves the table untouched. See :func:`merge_streams` for files read as they are used.
    """
    return merge_streams(
        table,
        ((units, units.units) for units in unit_files),
        include_fuzzy=include_fuzzy,
        accept_stale=accept_stale,
    )


def merge_streams(
    table: Table,
    streams: Iterable[tuple[UnitFile, Iterable[Unit]]],
    *,
    include_fuzzy: bool = False,
    accept_stale: bool = False,
) -> MergeReport:
    """:func:`merge` for files read a unit at a time: each stream is a file's UnitFile (its
    languages) and its units, which may be read as they are used (see
    :func:`iter_unit_streams`); a file's units are never held whole.

    The changes are noted as the units go by and applied at the end, in order, so an error in
    any file (a key the table lacks, a key twice, a language) leaves the table untouched.
    """
    index = table.index()
    main = table.main_language
    report = MergeReport()
    pending: dict[tuple[Key, int], str] = {}  # changes not yet in the table, by language index
    for units, stream in streams:
        name = _name(units)
        _check_languages(table, units, name)
        lang = table.language(units.target_language)
        number = table.languages.index(lang)
        lang_report = report.for_language(lang)
        lang_report.files.append(units.source or "<units>")
        missing: list[Key] = []
        seen: set[Key] = set()
        for unit in stream:
            entry = index.get(unit.key)
            if entry is None:
                missing.append(unit.key)
                continue
            if entry.key in seen:
                raise MergeError(f"{name}: the key {format_key(unit.key)} appears twice")
            seen.add(entry.key)
            if missing:
                continue  # the file is refused at its end; nothing more to note
            texts = entry.texts
            before = pending.get((entry.key, number))
            current = texts.get(lang, "") if before is None else before
            target = _apply(unit, current, texts.get(main, ""), lang_report,
                            include_fuzzy, accept_stale)  # fmt: skip
            if target is not None:
                pending[entry.key, number] = target
        if missing:
            shown = ", ".join(format_key(key) for key in missing[:5])
            more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
            count = "1 key is" if len(missing) == 1 else f"{len(missing)} keys are"
            raise MergeError(f"{name}: {count} not in the table: {shown}{more}")
    for (key, number), target in pending.items():
        index[key].texts[table.languages[number]] = target
    return report


def _name(units: UnitFile) -> str:
    return units.source or f"the {units.target_language} units"


def _check_languages(table: Table, units: UnitFile, name: str) -> None:
    have = ", ".join(str(lang) for lang in table.languages)
    if not table.has_language(units.target_language):
        raise MergeError(
            f"{name}: the table has no language '{units.target_language}' (it has {have})"
        )
    if units.target_language == table.main_language:
        raise MergeError(f"{name}: '{units.target_language}' is the table's main language")
    if units.source_language != table.main_language:
        raise MergeError(
            f"{name}: translates from '{units.source_language}', "
            f"but the table's main language is '{table.main_language}'"
        )


def _apply(
    unit: Unit,
    current: str,
    source: str,
    report: LanguageReport,
    include_fuzzy: bool,
    accept_stale: bool,
) -> str | None:
    """Count *unit* in *report*; the translation to set, if any. *current* is the entry's
    translation (or one an earlier unit set, not yet in the table), *source* its main text."""
    reason = _skip_reason(unit, current, include_fuzzy)
    edited = False
    if reason is None and unit.source != source:
        if unit.fingerprint is None:
            reason = None if accept_stale else NO_FINGERPRINT
        elif unit.fingerprint != fingerprint(source):
            reason = None if accept_stale else STALE
        else:
            edited = True
    applied: str | None = None
    if reason is not None:
        report.skipped.append((unit.key, reason))
    elif unit.target == current:
        report.unchanged += 1
    else:
        applied = unit.target
        report.applied += 1
    if edited and reason is None:
        report.notices.append((unit.key, SOURCE_EDITED))
    return applied


def _skip_reason(unit: Unit, current: str, include_fuzzy: bool) -> str | None:
    if not unit.target:
        return WOULD_BLANK if current else NOT_TRANSLATED
    if unit.state is UnitState.NEEDS_REVIEW:
        return None if include_fuzzy else NEEDS_REVIEW
    if not unit.state.done:
        return NOT_DONE
    return None


def iter_unit_streams(
    paths: Iterable[str | Path],
) -> Generator[tuple[UnitFile, Iterator[Unit]], None, None]:
    """Each translator file (each language of a workbook) as its UnitFile, without units, and
    an iterator reading them; the iterator must be used before the next step."""
    from wixloc.formats import xlsx

    for path in paths:
        fmt = detect_units(path)
        if fmt.name == "xlsx":
            yield from xlsx.stream_workbook_units(path)
        else:
            yield from formats.stream_units(path, fmt)


def detect_units(path: str | Path) -> formats.Format:
    """The translator format of *path* by its first bytes, whatever its extension."""
    with open_input(path) as fh:
        head = fh.read(4096)
    by_extension = [f for f in formats.for_extension(path) if f.is_bilingual]
    candidates = by_extension + [f for f in formats.all_formats() if f.is_bilingual]
    for fmt in candidates:
        if fmt.sniff(head):
            return fmt
    known = ", ".join(f.name for f in formats.all_formats() if f.is_bilingual)
    raise FormatError(f"not a translator file ({known})", file=str(path))


@contextlib.contextmanager
def _kept_out_of_gc() -> Iterator[None]:
    """Leave the objects that exist now (a table just read) out of the cyclic garbage
    collector's passes until the block ends. Each full pass walks every live object: with a
    100,000-key table held, they took a quarter of a merge of five XLIFF files (45 -> 34 s),
    and more the larger the table. Objects are still freed by reference counting."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def merge_paths(
    table: Table,
    files: Iterable[str | Path],
    *,
    include_fuzzy: bool = False,
    accept_stale: bool = False,
) -> MergeReport:
    """:func:`merge` the translator files at *files* into *table*, each read a unit at a time
    (a workbook sheet by sheet), with the table kept out of the garbage collector's passes."""
    with _kept_out_of_gc(), contextlib.closing(iter_unit_streams(files)) as streams:
        return merge_streams(table, streams, include_fuzzy=include_fuzzy, accept_stale=accept_stale)


def merge_files(
    table_path: str | Path,
    files: Sequence[str | Path],
    out: str | Path,
    *,
    include_fuzzy: bool = False,
    accept_stale: bool = False,
    table_languages: Sequence[str] | None = None,
    encoding: str | None = None,
) -> MergeReport:
    """Read the table and the files, merge, and write the table to *out* atomically."""
    if not files:
        raise UsageError("no translator files to merge")
    table = formats.load_table(table_path, languages=table_languages, encoding=encoding)
    report = merge_paths(table, files, include_fuzzy=include_fuzzy, accept_stale=accept_stale)
    out_fmt = formats.detect(out)
    if out_fmt.write_table is None:
        raise UsageError(f"cannot write a table as {out_fmt.name}: {out}")
    formats.save_table(table, out, fmt=out_fmt)
    return report


# --- convert ---------------------------------------------------------------------------------


def units_table(units: UnitFile) -> Table:
    """A two-language table (source, target) holding a translator file's units."""
    width = len(units.units[0].key) if units.units else len(units.key_columns)
    names = list(units.key_columns)
    if len(names) != width:
        names = [f"Key {i}" for i in range(1, width + 1)]
    src, tgt = units.source_language, units.target_language
    columns = [Column(name, ColumnKind.KEY) for name in names]
    columns += [Column(lang.tag, ColumnKind.LANGUAGE, lang) for lang in (src, tgt)]
    entries = [Entry(u.key, {src: u.source, tgt: u.target}) for u in units.units]
    return Table(languages=[src, tgt], columns=columns, entries=entries)


def _holds_units(path: str | Path, fmt: formats.Format) -> bool:
    """Whether *path* (of a format that can be either) is a translator file."""
    if not fmt.is_bilingual:
        return False
    if not fmt.is_table:
        return True
    from wixloc.formats import xlsx

    return xlsx.holds_units(path)


def convert_file(
    src: str | Path,
    dst: str | Path,
    *,
    language: str | None = None,
    encoding: str | None = None,
    languages: Sequence[str] | None = None,
) -> str:
    """Convert *src* to *dst* by their extensions; returns what was written, for the CLI.

    Table to table keeps everything (see :func:`wixloc.formats.convert_table`). A table to a
    translator format needs *language* and holds every entry with a source text. A translator
    file converts to another translator format, or to a two-language table.
    """
    in_fmt, out_fmt = formats.detect(src), formats.detect(dst)
    if _holds_units(src, in_fmt):
        units = formats.load_units(src, fmt=in_fmt)
        if language is not None and units.target_language != language:
            raise UsageError(f"{src} holds '{units.target_language}', not '{language}'")
        if out_fmt.is_bilingual:
            formats.save_units(units, dst, out_fmt)
            return (
                f"{plural(len(units), 'unit')}, {units.source_language} to {units.target_language}"
            )
        formats.save_table(units_table(units), dst, fmt=out_fmt)
        return f"{plural(len(units), 'entry')}, 2 languages"
    if out_fmt.is_table and (language is None or not out_fmt.is_bilingual):
        if language is not None:
            raise UsageError(f"--language is for translator files; {dst} is a table")
        table = formats.convert_table(src, dst, encoding=encoding, languages=languages)
        return f"{plural(len(table), 'entry')}, {plural(len(table.languages), 'language')}"
    if language is None:
        raise UsageError(
            f"{out_fmt.name} holds one target language; name it with --language",
            hint=f"e.g. wixloc convert {src} {dst} --language de",
        )
    table = formats.load_table(src, encoding=encoding, languages=languages)
    units = split(table, language, only="all")
    formats.save_units(units, dst, out_fmt)
    return f"{plural(len(units), 'unit')}, {units.source_language} to {units.target_language}"
