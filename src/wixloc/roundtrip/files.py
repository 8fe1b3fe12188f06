"""Split, merge and convert as the commands and the workflow use them: paths in, files out.

Streamed so that large tables fit in a few times their size: split reads the table a row at a
time and writes every language's PO or XLIFF file side by side; merge reads each translator file
a unit at a time (a workbook sheet by sheet) with the table kept out of the garbage collector's
passes. The rules themselves are in :mod:`~wixloc.roundtrip.split` and
:mod:`~wixloc.roundtrip.merge`; what a file is, is decided by :func:`wixloc.formats.open_document`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import itertools
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, cast

from wixloc import formats
from wixloc.errors import InputError, UsageError
from wixloc.formats import xliff1, xliff2
from wixloc.formats.convert import save_table_as, units_table
from wixloc.fsutil import atomic_write, open_input
from wixloc.grammar import plural
from wixloc.model import Entry, Language, Table, Unit, UnitFile
from wixloc.progress import OnProgress, counted
from wixloc.roundtrip import ricos
from wixloc.roundtrip.merge import Locate, MergePolicy, MergeReport, Stream, merge, merge_cells
from wixloc.roundtrip.split import Only, Splitter, check_only, split, target_languages
from wixloc.roundtrip.streamed import index_table, streams_in_passes, write_merged
from wixloc.workers import StreamPool

__all__ = [
    "COPY_SOURCE_FORMATS",
    "SplitFile",
    "convert_file",
    "iter_split_files",
    "merge_files",
    "merge_rich",
    "split_files",
    "translator_streams",
]

SplitFile = tuple[Path, list[tuple[Language, int]]]  # a file written: its languages and counts
# Called on each language's units before they are written (split --tm fills them from a memory)
Prepare = Callable[[Table, UnitFile], None]

# The formats whose writers can put a copy of the source into an empty target, marked so that
# the reader tells an unchanged copy from a translation (--copy-source): format -> opener.
COPY_SOURCE_FORMATS: dict[str, formats.UnitSinkOpener] = {
    xliff1.FORMAT.name: xliff1.open_copy_source,
    xliff2.FORMAT.name: xliff2.open_copy_source,
}


def split_files(
    table_path: str | Path,
    to: str,
    *,
    out_dir: str | Path | None = None,
    languages: Sequence[str] | None = None,
    only: Only = "missing",
    one_workbook: bool = False,
    table_languages: Sequence[str] | None = None,
    force: bool = False,
    copy_source: bool = False,
) -> list[SplitFile]:
    """Read *table_path*, split it and write the files; returns each path, with the language
    and number of units of each file (several for one workbook).

    Files are named ``<out_dir>/<table stem>.<language>.<ext>``; with *one_workbook* (XLSX only)
    every language goes into ``<out_dir>/<table stem>.xlsx``. A file there that holds
    translations is not overwritten unless *force*. *copy_source* (XLIFF only) writes the source
    into each empty target, for tools that translate the target.
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
            force=force,
            copy_source=copy_source,
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
    prepare: Prepare | None = None,
    force: bool = False,
    copy_source: bool = False,
    on_progress: OnProgress | None = None,
) -> Iterator[SplitFile]:
    """:func:`split_files`, yielding each file once written.

    PO and XLIFF files are written side by side while the table is read a row at a time, so
    neither the table nor any language's units are ever held whole; on an error no file is
    written. XLSX files are made one language at a time from the whole table, and so is every
    file when *prepare* is given (it sees each language's units with the whole table).
    """
    fmt = formats.get(to)
    if not fmt.is_bilingual:
        raise UsageError(f"--to {fmt.name} is not a translator-file format")
    if one_workbook and not fmt.is_multilingual:
        several = " or ".join(formats.names("multilingual"))
        raise UsageError(f"--one-workbook works only with --to {several}")
    check_only(only)
    opener = _copy_source_opener(fmt) if copy_source else fmt.open_units
    folder = Path(out_dir) if out_dir is not None else Path(table_path).parent
    stem = Path(table_path).stem
    document = formats.open_document(
        table_path, expect="table", languages=table_languages, encoding=encoding
    )
    if opener is not None and not one_workbook and prepare is None:
        with contextlib.closing(document.stream_table()) as items:
            table = next(items)
            assert isinstance(table, Table)
            entries = counted(  # rows, as read
                ricos.expand_entries(table, cast(Iterator[Entry], items)), on_progress
            )
            targets = target_languages(table, languages)
            paths = [_split_path(folder, stem, lang, fmt) for lang in targets]
            if not force:
                _refuse_overwrite(paths)
            yield from _split_streamed(table, entries, opener, targets, paths, only)
        return
    table = ricos.expand(document.table())
    targets = target_languages(table, languages)
    if one_workbook:
        path = folder / f"{stem}{fmt.extensions[0]}"
        if not force:
            _refuse_overwrite([path])
        unit_files = [_split(table, lang, only, prepare) for lang in targets]
        formats.save_unit_files(unit_files, path, fmt)
        yield path, [(units.target_language, len(units)) for units in unit_files]
        return
    paths = [_split_path(folder, stem, lang, fmt) for lang in targets]
    if not force:
        _refuse_overwrite(paths)
    pairs = list(zip(targets, paths, strict=True))
    for lang, path in counted(pairs, on_progress, len(pairs), every=1):
        units = _split(table, lang, only, prepare)
        if copy_source and opener is not None:
            with atomic_write(path) as fh:
                formats.write_all(opener)(units, fh)
        else:
            formats.save_units(units, path, fmt)
        yield path, [(units.target_language, len(units))]


def _split(table: Table, lang: Language, only: Only, prepare: Prepare | None) -> UnitFile:
    units = split(table, lang, only=only)
    if prepare is not None:
        prepare(table, units)
    return units


def _split_path(folder: Path, stem: str, lang: Language, fmt: formats.Format) -> Path:
    return folder / f"{stem}.{lang.tag}{fmt.extensions[0]}"


def _copy_source_opener(fmt: formats.Format) -> formats.UnitSinkOpener:
    opener = COPY_SOURCE_FORMATS.get(fmt.name)
    if opener is None:
        works = " or ".join(f"--to {name}" for name in COPY_SOURCE_FORMATS)
        raise UsageError(
            f"--copy-source works only with {works}: {fmt.name} has no mark that tells a "
            "copied source from a translation"
        )
    return opener


def _refuse_overwrite(paths: Iterable[Path]) -> None:
    """UsageError naming the first of *paths* that exists and holds a translation (a unit
    with a target), or that cannot be read as a translator file: a translator's work is not
    replaced by empty units without ``--force``."""
    for path in paths:
        if not path.exists():
            continue
        try:
            count = _translations_in(path)
        except InputError:
            raise UsageError(
                f"{path} exists and is not a translator file wixloc can read; "
                "pass --force to overwrite it"
            ) from None
        if count:
            raise UsageError(
                f"{path} holds {plural(count, 'translation')}; pass --force to overwrite it"
            )


def _translations_in(path: Path) -> int:
    count = 0
    for _units, stream in formats.open_document(path, expect="units").stream_units():
        count += sum(1 for unit in stream if _is_translation(unit))
    return count


def _is_translation(unit: Unit) -> bool:
    """A target that is not blank and not wixloc's untouched copy of the source."""
    copied = unit.target == unit.source and not unit.state.done
    return bool(unit.target.strip()) and not copied


def _split_streamed(
    table: Table,
    entries: Iterator[Entry],
    opener: formats.UnitSinkOpener,
    targets: list[Language],
    paths: list[Path],
    only: Only,
) -> Iterator[SplitFile]:
    """Write every target language's file at once, an entry at a time, from *entries*."""
    counts = [0] * len(targets)
    folder = paths[0].parent if paths else Path()
    made = not folder.exists()
    try:
        _write_side_by_side(table, entries, opener, targets, paths, counts, only)
    except BaseException:
        if made and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()  # made for these files: not left behind empty
        raise
    for lang, path, count in zip(targets, paths, counts, strict=True):
        yield path, [(lang, count)]


def _write_side_by_side(
    table: Table,
    entries: Iterator[Entry],
    opener: formats.UnitSinkOpener,
    targets: list[Language],
    paths: list[Path],
    counts: list[int],
    only: Only,
) -> None:
    main = table.main_language
    original = Path(table.source).name if table.source else None
    splitter = Splitter(table, only)
    with contextlib.ExitStack() as stack:  # every file is renamed into place, or none
        sinks = []
        for lang, path in zip(targets, paths, strict=True):
            fh = stack.enter_context(atomic_write(path))
            header = UnitFile(main, lang, key_columns=table.key_columns, original=original)
            # the size-restriction module is declared when the table has a max-length column
            sinks.append(opener(header, fh, splitter.limit is not None))
        outputs = list(enumerate(zip(targets, sinks, strict=True)))
        unit_of = splitter.unit
        for entry in entries:
            for i, (lang, sink) in outputs:
                unit = unit_of(entry, lang)
                if unit is not None:
                    sink.add(unit)
                    counts[i] += 1
        for sink in sinks:
            sink.close()


# --- merge -----------------------------------------------------------------------------------


def _streams(
    paths: Sequence[str | Path], pool: _Readers | None = None
) -> Generator[Stream, None, None]:
    """Each file's streams, read here, or taken from *pool*'s workers when there is one."""
    for number, path in enumerate(paths):
        if pool is not None:
            yield from _received(Path(path), pool.chunks(number))
            continue
        document = formats.open_document(path, expect="units")
        sheets = document.format.read_unit_files is not None
        for i, (units, rest) in enumerate(document.stream_units()):
            yield (units, rest, _sheet_cell(Path(path), i)) if sheets else (units, rest)


# A translator file as a worker process sends it (StreamPool): each language's UnitFile (no
# units) with its sheet's number in a workbook (None: not a workbook), then its units in lists
# of CHUNK, each unit a tuple of Unit's positional fields with only those that merge reads (key,
# source, target, state, fingerprint, line): pickling and unpickling 2,000 Units took 29 ms,
# these tuples 4 ms, and making the Units again 1 ms.
UnitFields = tuple[Any, ...]
Chunk = tuple[UnitFile, int | None] | list[UnitFields]
_Readers = StreamPool[tuple[str | Path, int], Chunk]
CHUNK = 500  # units per chunk: about 250 KB pickled, a few times a pipe's buffer


def _read_chunks(given: tuple[str | Path, int]) -> Iterator[Chunk]:
    """In a worker: the file at *path* as :data:`Chunk` items of *size* units (the size given,
    not read in the worker, so that a test may change it); the units read before an error are
    sent before it (the merge meets them first, as it does reading the file itself)."""
    path, size = given
    document = formats.open_document(path, expect="units")
    sheets = document.format.read_unit_files is not None
    for i, (units, rest) in enumerate(document.stream_units()):
        yield dataclasses.replace(units, units=[]), i if sheets else None
        chunk: list[UnitFields] = []
        try:
            for unit in rest:
                chunk.append(_fields(unit))
                if len(chunk) == size:
                    yield chunk
                    chunk = []
        except Exception:
            if chunk:
                yield chunk
            raise
        if chunk:
            yield chunk


def _fields(unit: Unit) -> UnitFields:
    """*unit* as :data:`UnitFields` (no notes, previous source, length limit or changed mark:
    merge reads none of them)."""
    return (
        unit.key,
        unit.source,
        unit.target,
        unit.state,
        [],
        unit.fingerprint,
        None,
        None,
        unit.line,
    )


def _received(path: Path, chunks: Iterator[Chunk]) -> Generator[Stream, None, None]:
    """The streams of the file at *path* from its :data:`Chunk` items."""
    item = next(chunks, None)
    while item is not None:
        assert isinstance(item, tuple)
        units, sheet = item
        following: list[Chunk] = []
        rest = _units(chunks, following)
        yield (units, rest, _sheet_cell(path, sheet)) if sheet is not None else (units, rest)
        for _unit in rest:  # not used up: the next language's header is past its units
            pass
        item = following[0] if following else None


def _units(chunks: Iterator[Chunk], following: list[Chunk]) -> Iterator[Unit]:
    """The units of *chunks* up to the next language's UnitFile, put in *following*."""
    for chunk in chunks:
        if not isinstance(chunk, list):
            following.append(chunk)
            return
        yield from itertools.starmap(Unit, chunk)


def _readers(
    paths: Sequence[str | Path], jobs: int
) -> contextlib.AbstractContextManager[_Readers | None]:
    """Worker processes reading *paths* (started now), or None for one job or one file."""
    if jobs <= 1 or len(paths) <= 1:
        return contextlib.nullcontext()
    return StreamPool(_read_chunks, [(path, CHUNK) for path in paths], jobs)


def _sheet_cell(path: Path, index: int) -> Locate:
    """Names a unit's source cell in the *index*-th translator sheet of the workbook at *path*
    (read again only when merge refuses a unit, so a merge that refuses nothing pays nothing)."""

    def locate(unit: Unit) -> str | None:
        from wixloc.formats._xlsx_common import column_letter
        from wixloc.formats._xlsx_read import Book, _header, _locate

        with open_input(path) as fh:
            book = Book(fh, str(path))
        found = []
        for sheet in book.data_sheets():
            first = next(book.rows(sheet), None)
            columns = _locate(_header(first, book.name, sheet), {}) if first else None
            if columns is not None:
                found.append((sheet, columns.source))
        if index >= len(found) or unit.line is None:
            return None
        sheet, source = found[index]
        return f"sheet '{sheet}', cell {column_letter(source + 1)}{unit.line}"

    return locate


@contextlib.contextmanager
def translator_streams(paths: Sequence[str | Path], *, jobs: int = 1) -> Iterator[Iterator[Stream]]:
    """The translator files at *paths* for :func:`~wixloc.roundtrip.merge.merge`, each
    language read a unit at a time, with the objects that exist now (a table just read) kept
    out of the cyclic garbage collector's passes until the block ends.

    Each full pass walks every live object: with a 100,000-key table held, they took a quarter
    of a merge of five XLIFF files (45 -> 34 s), and more the larger the table. Objects are
    still freed by reference counting.

    With *jobs* above 1 and several files, the files are read in up to *jobs* worker processes
    (:class:`~wixloc.workers.StreamPool`), their units taken in the same order, and an error in
    a file raised at the same point, as when they are read here. Worker processes re-import
    the calling program's main module: it needs an ``if __name__ == "__main__"`` guard.
    """
    with _readers(paths, jobs) as pool, _frozen_streams(paths, pool) as streams:
        yield streams


@contextlib.contextmanager
def _frozen_streams(
    paths: Sequence[str | Path], pool: _Readers | None
) -> Iterator[Iterator[Stream]]:
    gc.freeze()
    try:
        with contextlib.closing(_streams(paths, pool)) as streams:
            yield streams
    finally:
        gc.unfreeze()


def merge_rich(
    table: Table,
    files: Iterable[UnitFile | Stream],
    policy: MergePolicy = MergePolicy(),  # noqa: B008 - frozen, shared safely
    *,
    aliases: Mapping[str, str] | None = None,
) -> MergeReport:
    """:func:`~wixloc.roundtrip.merge.merge` for a table that may hold Ricos cells: the units
    are merged into its :func:`~wixloc.roundtrip.ricos.expand` (one entry per segment), then
    each document is rebuilt into *table* (changed in place, as merge changes it)."""
    expanded = ricos.expand(table)
    report = merge(expanded, files, policy, aliases=aliases)
    ricos.collapse(expanded, table)
    return report


def merge_files(
    table_path: str | Path,
    files: Sequence[str | Path],
    out: str | Path,
    *,
    policy: MergePolicy = MergePolicy(),  # noqa: B008 - frozen, shared safely
    table_languages: Sequence[str] | None = None,
    encoding: str | None = None,
    aliases: Mapping[str, str] | None = None,
    on_progress: OnProgress | None = None,
    jobs: int = 1,
) -> MergeReport:
    """Read the table and the translator files, merge, and write the table to *out*
    atomically (in the format its extension names). *aliases* map a file's language tag to
    the table's (``[languages] aliases``). With *jobs* above 1, several files are read in up
    to *jobs* worker processes while the table is read (see :func:`translator_streams`)."""
    if not files:
        raise UsageError("no translator files to merge")
    with _readers(files, jobs) as pool:  # the workers read while the table is indexed
        document = formats.open_document(
            table_path, expect="table", languages=table_languages, encoding=encoding
        )
        outputs = formats.for_extension(out)
        if outputs and streams_in_passes(document, outputs[0]):
            # the table read in passes, never held (roundtrip/streamed.py)
            table, index = index_table(document)
        else:
            table, index = document.table(), None
        with _frozen_streams(files, pool) as streams:
            given = counted(streams, on_progress, len(files), every=1)
            if index is not None:
                report = merge_cells(index, table, given, policy, aliases=aliases)
            else:
                report = merge_rich(table, given, policy, aliases=aliases)
    if index is not None:
        write_merged(document, index, out)
        return report
    out_fmt = formats.for_output(out)
    if out_fmt.write_table is None:
        raise UsageError(f"cannot write a table as {out_fmt.name}: {out}")
    formats.save_table(table, out, fmt=out_fmt)
    return report


# --- convert ---------------------------------------------------------------------------------


def convert_file(
    src: str | Path,
    dst: str | Path,
    *,
    language: str | None = None,
    encoding: str | None = None,
    languages: Sequence[str] | None = None,
    on_progress: OnProgress | None = None,
) -> str:
    """Convert *src* to *dst* by their extensions; returns what was written, for the CLI.

    Table to table keeps everything (:func:`wixloc.formats.convert.save_table_as`). A table to
    a translator format needs *language* and holds every entry with a source text (a split of
    ``only="all"``). A translator file converts to another translator format, or to a
    two-language table. *on_progress* counts two steps: read, written.
    """
    step = on_progress or _no_progress
    step(0, 2)
    what = _convert(src, dst, language, encoding, languages, step)
    step(2, 2)
    return what


def _no_progress(done: int, total: int | None) -> None:
    pass


def _convert(
    src: str | Path,
    dst: str | Path,
    language: str | None,
    encoding: str | None,
    languages: Sequence[str] | None,
    step: OnProgress,
) -> str:
    document = formats.open_document(src, encoding=encoding, languages=languages)
    out_fmt = formats.for_output(dst)
    if document.holds_units:
        units = document.units()
        step(1, 2)
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
            raise UsageError(f"--target-language is for translator files; {dst} is a table")
        table = document.table()
        step(1, 2)
        save_table_as(table, dst, out_fmt)
        return f"{plural(len(table), 'entry')}, {plural(len(table.languages), 'language')}"
    if language is None:
        raise UsageError(
            f"{out_fmt.name} holds one target language; name it with --target-language",
            hint=f"e.g. wixloc convert {src} {dst} --target-language de",
        )
    units = split(ricos.expand(document.table()), language, only="all")
    step(1, 2)
    formats.save_units(units, dst, out_fmt)
    return f"{plural(len(units), 'unit')}, {units.source_language} to {units.target_language}"
