"""Split, merge and convert as the commands and the workflow use them: paths in, files out.

Streamed so that large tables fit in a few times their size: split reads the table a row at a
time and writes every language's PO or XLIFF file side by side; merge reads each translator file
a unit at a time (a workbook sheet by sheet) with the table kept out of the garbage collector's
passes. The rules themselves are in :mod:`~wixloc.roundtrip.split` and
:mod:`~wixloc.roundtrip.merge`; what a file is, is decided by :func:`wixloc.formats.open_document`.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Generator, Iterable, Iterator, Sequence
from pathlib import Path
from typing import cast

from wixloc import formats
from wixloc.errors import UsageError
from wixloc.formats.convert import save_table_as, units_table
from wixloc.fsutil import atomic_write
from wixloc.grammar import plural
from wixloc.model import Entry, Language, Table, Unit, UnitFile
from wixloc.roundtrip import ricos
from wixloc.roundtrip.merge import MergePolicy, MergeReport, Stream, merge
from wixloc.roundtrip.split import Only, Splitter, check_only, split, target_languages

__all__ = [
    "SplitFile",
    "convert_file",
    "iter_split_files",
    "merge_files",
    "merge_rich",
    "split_files",
    "translator_streams",
]

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
    if one_workbook and not fmt.is_multilingual:
        several = " or ".join(formats.names("multilingual"))
        raise UsageError(f"--one-workbook works only with --to {several}")
    check_only(only)
    folder = Path(out_dir) if out_dir is not None else Path(table_path).parent
    stem = Path(table_path).stem
    document = formats.open_document(
        table_path, expect="table", languages=table_languages, encoding=encoding
    )
    if fmt.open_units is not None and not one_workbook:
        with contextlib.closing(document.stream_table()) as items:
            table = next(items)
            assert isinstance(table, Table)
            entries = ricos.expand_entries(table, cast(Iterator[Entry], items))
            yield from _split_streamed(table, entries, fmt, languages, only, folder / stem)
        return
    table = ricos.expand(document.table())
    targets = target_languages(table, languages)
    if one_workbook:
        unit_files = [split(table, lang, only=only) for lang in targets]
        path = folder / f"{stem}{fmt.extensions[0]}"
        formats.save_unit_files(unit_files, path, fmt)
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
    folder = stem.parent
    made = not folder.exists()
    try:
        _write_side_by_side(table, entries, fmt, targets, paths, counts, only)
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
) -> None:
    assert fmt.open_units is not None
    main = table.main_language
    original = Path(table.source).name if table.source else None
    splitter = Splitter(table, only)
    with contextlib.ExitStack() as stack:  # every file is renamed into place, or none
        sinks = []
        for lang, path in zip(targets, paths, strict=True):
            fh = stack.enter_context(atomic_write(path))
            header = UnitFile(main, lang, key_columns=table.key_columns, original=original)
            # the size-restriction module is declared when the table has a max-length column
            sinks.append(fmt.open_units(header, fh, splitter.limit is not None))
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
    paths: Iterable[str | Path],
) -> Generator[tuple[UnitFile, Iterator[Unit]], None, None]:
    for path in paths:
        yield from formats.open_document(path, expect="units").stream_units()


@contextlib.contextmanager
def translator_streams(
    paths: Iterable[str | Path],
) -> Iterator[Iterator[tuple[UnitFile, Iterator[Unit]]]]:
    """The translator files at *paths* for :func:`~wixloc.roundtrip.merge.merge`, each
    language read a unit at a time, with the objects that exist now (a table just read) kept
    out of the cyclic garbage collector's passes until the block ends.

    Each full pass walks every live object: with a 100,000-key table held, they took a quarter
    of a merge of five XLIFF files (45 -> 34 s), and more the larger the table. Objects are
    still freed by reference counting.
    """
    gc.freeze()
    try:
        with contextlib.closing(_streams(paths)) as streams:
            yield streams
    finally:
        gc.unfreeze()


def merge_rich(
    table: Table,
    files: Iterable[UnitFile | Stream],
    policy: MergePolicy = MergePolicy(),  # noqa: B008 - frozen, shared safely
) -> MergeReport:
    """:func:`~wixloc.roundtrip.merge.merge` for a table that may hold Ricos cells: the units
    are merged into its :func:`~wixloc.roundtrip.ricos.expand` (one entry per segment), then
    each document is rebuilt into *table* (changed in place, as merge changes it)."""
    expanded = ricos.expand(table)
    report = merge(expanded, files, policy)
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
) -> MergeReport:
    """Read the table and the translator files, merge, and write the table to *out*
    atomically (in the format its extension names)."""
    if not files:
        raise UsageError("no translator files to merge")
    table = formats.load_table(table_path, languages=table_languages, encoding=encoding)
    with translator_streams(files) as streams:
        report = merge_rich(table, streams, policy)
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
) -> str:
    """Convert *src* to *dst* by their extensions; returns what was written, for the CLI.

    Table to table keeps everything (:func:`wixloc.formats.convert.save_table_as`). A table to
    a translator format needs *language* and holds every entry with a source text (a split of
    ``only="all"``). A translator file converts to another translator format, or to a
    two-language table.
    """
    document = formats.open_document(src, encoding=encoding, languages=languages)
    out_fmt = formats.for_output(dst)
    if document.holds_units:
        units = document.units()
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
        table = document.table()
        save_table_as(table, dst, out_fmt)
        return f"{plural(len(table), 'entry')}, {plural(len(table.languages), 'language')}"
    if language is None:
        raise UsageError(
            f"{out_fmt.name} holds one target language; name it with --language",
            hint=f"e.g. wixloc convert {src} {dst} --language de",
        )
    units = split(ricos.expand(document.table()), language, only="all")
    formats.save_units(units, dst, out_fmt)
    return f"{plural(len(units), 'unit')}, {units.source_language} to {units.target_language}"
