"""merge of a CSV table in passes (roundtrip/streamed.py): the same bytes and the same report
as the merge into the whole table in memory, for every kind of row the CSV keeps exactly."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import DATA, REPO
from wixloc.errors import InputError, MergeError
from wixloc.formats import get as get_format
from wixloc.formats import load_table, load_units, markup, open_document, save_table, save_units
from wixloc.model import Language, UnitState
from wixloc.roundtrip import streamed
from wixloc.roundtrip.files import merge_files, merge_rich, split_files, translator_streams
from wixloc.roundtrip.merge import MergePolicy, MergeReport

SAMPLE = REPO / "samples" / "content.csv"
DE = Language("de")

# Rows the dialect alone does not write back (quoted where it need not be, blank lines), a
# CRLF file with no final line break, and a long table (read whole: merged in memory).
ODD = (
    'Collection ID,Item ID,Field,en,de\r\n"Shop",a,title,Hello,\r\n\r\n'
    'Shop,b,title,"Two, words",Zwei\r\nShop,c,title,"Line\r\nbreak",'
)
LONG = "Collection ID,Item ID,Field,Language,Text\nShop,a,title,en,Hello\nShop,a,title,de,\n"


def _in_memory(table: Path, files: list[Path], out: Path, policy: MergePolicy) -> MergeReport:
    """What merge_files did before the passes: the whole table merged, then written."""
    loaded = load_table(table)
    with translator_streams(files) as streams:
        report = merge_rich(loaded, streams, policy)
    save_table(loaded, out)
    return report


def _upper(source: str) -> str:
    """A stand-in translation: the text upper-cased, every tag kept."""
    return "".join(r.upper() if isinstance(r, str) else r.text for r in markup.parse(source))


def _translated(table: Path, folder: Path, fmt: str, every: int) -> list[Path]:
    """Each language's file of *table*, every *every*-th unit translated (upper-cased)."""
    paths = [p for p, _ in split_files(table, fmt, out_dir=folder, only="all")]
    for path in paths:
        units = load_units(path)
        for n, unit in enumerate(units.units):
            if n % every == 0:
                unit.target = _upper(unit.source) if n % (2 * every) else unit.source
                unit.state = UnitState.TRANSLATED
        save_units(units, path, get_format(fmt))
    return paths


def _summary(report: MergeReport) -> list[object]:
    return [
        (str(lang), r.files, r.applied, r.unchanged, r.skipped, r.notices)
        for lang, r in report.languages.items()
    ]


@pytest.mark.parametrize("fmt", ["po", "xliff", "xlsx"])
@pytest.mark.parametrize("every", [1, 3])
def test_the_passes_write_what_the_merge_in_memory_writes(
    tmp_path: Path, fmt: str, every: int
) -> None:
    files = _translated(SAMPLE, tmp_path / "files", fmt, every)
    policy = MergePolicy(include_fuzzy=True)
    report = merge_files(SAMPLE, files, tmp_path / "passes.csv", policy=policy)
    expected = _in_memory(SAMPLE, files, tmp_path / "memory.csv", policy)
    assert (tmp_path / "passes.csv").read_bytes() == (tmp_path / "memory.csv").read_bytes()
    assert _summary(report) == _summary(expected)
    assert report.applied > 0


@pytest.mark.parametrize("text", [ODD, LONG], ids=["odd-rows", "long"])
def test_rows_kept_exactly_stay_exact(tmp_path: Path, text: str) -> None:
    table = tmp_path / "table.csv"
    table.write_bytes(text.encode("utf-8"))
    files = _translated(table, tmp_path / "files", "po", 2)
    report = merge_files(table, files, tmp_path / "passes.csv")
    expected = _in_memory(table, files, tmp_path / "memory.csv", MergePolicy())
    assert (tmp_path / "passes.csv").read_bytes() == (tmp_path / "memory.csv").read_bytes()
    assert _summary(report) == _summary(expected)


# Tables as Excel and LibreOffice save them: a BOM, semicolons and CRLF; every cell quoted and
# no final line break; tabs; Excel's "Unicode text" (UTF-16 with a BOM); odd quoting and blanks.
SAVED = sorted(
    p for p in DATA.iterdir() if p.suffix in (".csv", ".tsv", ".txt") and "long" not in p.name
)


@pytest.mark.parametrize("path", SAVED, ids=lambda p: p.name)
def test_a_table_as_excel_or_libreoffice_saved_it_is_merged_as_in_memory(
    tmp_path: Path, path: Path
) -> None:
    table = tmp_path / path.name
    table.write_bytes(path.read_bytes())
    files = _translated(table, tmp_path / "files", "po", 2)
    out = tmp_path / f"passes{path.suffix}"
    report = merge_files(table, files, out, jobs=2)
    expected = _in_memory(table, files, tmp_path / f"memory{path.suffix}", MergePolicy())
    assert report.applied > 0
    assert out.read_bytes() == (tmp_path / f"memory{path.suffix}").read_bytes()
    assert _summary(report) == _summary(expected)


def test_a_refused_file_leaves_no_output(tmp_path: Path) -> None:
    files = _translated(SAMPLE, tmp_path / "files", "po", 1)
    smaller = tmp_path / "smaller.csv"
    lines = SAMPLE.read_bytes().splitlines(keepends=True)
    smaller.write_bytes(b"".join(lines[:-1]))  # a key of the files is not in this table
    with pytest.raises(MergeError, match="not in the table"):
        merge_files(smaller, files, tmp_path / "out.csv")
    assert not (tmp_path / "out.csv").exists()


def test_a_table_that_changed_between_the_reads_is_refused(tmp_path: Path) -> None:
    table = tmp_path / "table.csv"
    table.write_text(ODD, encoding="utf-8")
    document = open_document(table, expect="table")
    _header, index = streamed.index_table(document)
    assert index is not None
    before = table.stat()
    table.write_text(ODD.replace("Shop,b,", "Shop,x,"), encoding="utf-8")
    # the same size and modification time (a copy that keeps times): the rows tell
    os.utime(table, ns=(before.st_atime_ns, before.st_mtime_ns))
    with pytest.raises(InputError, match="the table changed while it was merged"):
        streamed.write_merged(document, index, tmp_path / "out.csv")
    assert not (tmp_path / "out.csv").exists()


def test_a_table_saved_again_while_it_is_merged_is_refused(tmp_path: Path) -> None:
    """A cell edited and saved between the index and the write (an editor, a sync client):
    the changes were decided on the old text, so nothing is written."""
    table = tmp_path / "table.csv"
    table.write_text(ODD, encoding="utf-8")
    document = open_document(table, expect="table")
    _header, index = streamed.index_table(document)
    assert index is not None
    table.write_text(ODD.replace("Zwei", "Drei"), encoding="utf-8")
    os.utime(table, ns=(0, index.stamp[1] + 1 if index.stamp else 1))
    with pytest.raises(InputError) as caught:
        streamed.write_merged(document, index, tmp_path / "out.csv")
    assert str(caught.value) == (
        f"{table}: the table changed while it was merged (it was saved again since it was "
        "read); nothing was written: run the merge again"
    )
    assert not (tmp_path / "out.csv").exists()


def test_an_empty_text_has_a_falsy_token_and_equal_texts_equal_ones(tmp_path: Path) -> None:
    table = tmp_path / "table.csv"
    table.write_text(ODD, encoding="utf-8")
    header, index = streamed.index_table(open_document(table, expect="table"))
    assert index is not None
    column = header.languages.index(DE)
    assert not index.current(0, column)  # "Shop,a" has no German text
    assert index.current(1, column)
    assert index.same("Zwei", index.current(1, column))
    assert not index.same("Drei", index.current(1, column))
    index.set(0, column, "Hallo")
    assert index.same("Hallo", index.current(0, column))


def test_a_table_merged_in_place_is_read_twice_and_replaced_once(tmp_path: Path) -> None:
    table = tmp_path / "table.csv"
    table.write_bytes(SAMPLE.read_bytes())
    files = _translated(table, tmp_path / "files", "xliff", 2)
    expected = _in_memory(table, files, tmp_path / "memory.csv", MergePolicy())
    report = merge_files(table, files, table)
    assert table.read_bytes() == (tmp_path / "memory.csv").read_bytes()
    assert _summary(report) == _summary(expected)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["files", "memory.csv", "table.csv"]


def test_a_cell_set_back_to_its_text_by_a_later_file_keeps_the_row_as_read(tmp_path: Path) -> None:
    """Two German files: the first changes a cell, the second gives it its old text back. The
    row (quoted where it need not be) is written as it was read, as the merge in memory does."""
    table = tmp_path / "table.csv"
    table.write_bytes(b'Collection ID,Item ID,Field,en,de\n"Shop",a,title,Hello,Hallo\n')
    [(made, _)] = split_files(table, "po", out_dir=tmp_path / "files", only="all")
    files = []
    for n, text in enumerate(["Servus", "Hallo"]):
        units = load_units(made)
        units.units[0].target, units.units[0].state = text, UnitState.TRANSLATED
        path = tmp_path / f"de-{n}.po"
        save_units(units, path, get_format("po"))
        files.append(path)
    report = merge_files(table, files, tmp_path / "passes.csv")
    expected = _in_memory(table, files, tmp_path / "memory.csv", MergePolicy())
    assert (tmp_path / "passes.csv").read_bytes() == table.read_bytes()
    assert (tmp_path / "memory.csv").read_bytes() == table.read_bytes()
    assert _summary(report) == _summary(expected)
