"""The CSV read as cells (:func:`wixloc.formats.csv.rows`) and copied a row at a time with some
rows changed (:func:`wixloc.formats.csv.rewrite`): the same rows as the entries the reader
makes, and the same bytes as reading the whole table, changing it and writing it."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import DATA
from wixloc.errors import InputError
from wixloc.formats import ReadOptions, Row, RowEdit
from wixloc.formats import csv as wcsv
from wixloc.model import ColumnKind, Key, Table

GOLDEN = sorted(p for p in DATA.iterdir() if p.suffix in (".csv", ".tsv", ".txt"))
OPTIONS = ReadOptions(name="t.csv")


def _whole(data: bytes, options: ReadOptions = OPTIONS) -> Table:
    return wcsv.read(io.BytesIO(data), options)


def _written(table: Table) -> bytes:
    out = io.BytesIO()
    wcsv.write(table, out)
    return out.getvalue()


def _rewritten(data: bytes, edit: RowEdit, options: ReadOptions = OPTIONS) -> bytes:
    out = io.BytesIO()
    wcsv.rewrite(io.BytesIO(data), options, out, lambda table: edit)
    return out.getvalue()


def _rows(data: bytes, options: ReadOptions = OPTIONS) -> tuple[Table, list[Row]]:
    items = wcsv.rows(io.BytesIO(data), options)
    table = next(items)
    assert isinstance(table, Table)
    return table, [row for row in items if not isinstance(row, Table)]


def _kept(line: int, key: Key, cells: list[str]) -> None:
    return None


def _cells(table: Table) -> list[tuple[int | None, Key, list[str]]]:
    """Each entry of a table read whole as rows() gives it: its line, key and cells."""
    found = []
    for entry in table.entries:
        keys = iter(entry.key)
        cells = [
            next(keys)
            if c.kind is ColumnKind.KEY
            else entry.texts.get(c.language, "")
            if c.language is not None
            else entry.meta.get(c.name, "")
            for c in table.columns
        ]
        found.append((entry.line, entry.key, cells))
    return found


@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: p.name)
def test_a_table_kept_whole_is_copied_byte_for_byte(path: Path) -> None:
    data = path.read_bytes()
    options = ReadOptions(name=path.name)
    if _whole(data, options).layout == "long":
        with pytest.raises(ValueError, match="long table"):
            _rewritten(data, _kept, options)
        table, rows = _rows(data, options)
        assert table.layout == "long" and rows == []
        return
    assert _rewritten(data, _kept, options) == data
    table, rows = _rows(data, options)
    assert [(line, key, cells) for line, key, cells in rows] == _cells(_whole(data, options))


def test_a_changed_row_is_written_as_the_writer_writes_it_and_the_others_as_read() -> None:
    data = (
        b'Collection ID,Item ID,Field,en,de\r\n"Shop",a,title,Hello,\r\n\r\n'
        b'Shop,b,title,"Two, words",Zwei\r\nShop,c,title,"Line\r\nbreak",'
    )

    def edit(line: int, key: Key, cells: list[str]) -> Sequence[str] | None:
        if key == ("Shop", "c", "title"):
            return [*cells[:4], 'Zeilen-\r\n"umbruch"']
        return None

    assert _rewritten(data, edit) == (
        b'Collection ID,Item ID,Field,en,de\r\n"Shop",a,title,Hello,\r\n\r\n'
        b'Shop,b,title,"Two, words",Zwei\r\nShop,c,title,"Line\r\nbreak","Zeilen-\r\n""umbruch"""'
    )


def test_the_edit_is_given_each_row_with_its_line_and_key() -> None:
    data = b'key,en,de\n\na,Hello,Hallo\nb,"Two\nlines",\n'
    seen: list[tuple[int, Key, list[str]]] = []

    def edit(line: int, key: Key, cells: list[str]) -> None:
        seen.append((line, key, list(cells)))

    assert _rewritten(data, edit) == data
    assert seen == [(3, ("a",), ["a", "Hello", "Hallo"]), (4, ("b",), ["b", "Two\nlines", ""])]


def test_a_row_of_the_wrong_width_is_refused_as_the_reader_refuses_it() -> None:
    data = b"key,en,de\na,Hello\n"
    with pytest.raises(InputError) as whole:
        _whole(data)
    with pytest.raises(InputError) as rewritten:
        _rewritten(data, _kept)
    assert (
        str(rewritten.value)
        == str(whole.value)
        == (
            "t.csv:2: too few cells: the row has 2, the header has 3 (check for a missing or "
            "extra delimiter, or an unquoted line break)"
        )
    )


def test_a_key_twice_is_refused_by_rows_as_by_the_reader() -> None:
    data = b"key,en,de\na,Hello,\nb,Bye,\na,Again,\n"
    with pytest.raises(InputError) as whole:
        _whole(data)
    with pytest.raises(InputError) as rows:
        _rows(data)
    assert str(rows.value) == str(whole.value)
    assert "first on line 2, again on line 4" in str(rows.value)
    _table, kept = _rows(data, ReadOptions(name="t.csv", allow_duplicates=True))
    assert [key for _line, key, _cells in kept] == [("a",), ("b",), ("a",)]


# --- any table, any edit: the bytes of read whole, changed and written -------------------------

_text = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), max_size=12)
_plain = st.text(alphabet="abc xyz", max_size=6)


@st.composite
def _tables(draw: st.DrawFn) -> tuple[bytes, list[tuple[int, int, str]]]:
    """A table's bytes as an editor may leave them (a cell quoted that need not be, blank lines,
    no final line break), and edits: (row, language column, new text)."""
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    ending = draw(st.sampled_from(["\n", "\r\n"]))
    quote_all = draw(st.booleans())
    count = draw(st.integers(min_value=1, max_value=6))

    def spelled(cell: str, extra: bool) -> str:
        special = any(c in cell for c in (delimiter, '"', "\r", "\n")) or (not cell and extra)
        if quote_all or special or extra:
            return '"' + cell.replace('"', '""') + '"'
        return cell

    lines = [delimiter.join(spelled(c, quote_all) for c in ("key", "en", "de", "Notes"))]
    for n in range(count):
        cells = [f"k{n}", draw(_text), draw(_text), draw(_plain)]
        odd = draw(st.lists(st.booleans(), min_size=4, max_size=4))
        lines.append(delimiter.join(spelled(c, o) for c, o in zip(cells, odd, strict=True)))
        if draw(st.integers(0, 5)) == 0:
            lines.append("")  # a blank line
    text = ending.join(lines) + (ending if draw(st.booleans()) else "")
    edits = draw(
        st.lists(
            st.tuples(st.integers(0, count - 1), st.sampled_from([1, 2]), _text), max_size=count
        )
    )
    return text.encode("utf-8"), edits


@settings(max_examples=200, deadline=None)
@given(case=_tables())
def test_any_table_with_any_edits_is_written_as_read_changed_and_written(
    case: tuple[bytes, list[tuple[int, int, str]]],
) -> None:
    data, edits = case
    changes = {(f"k{row}",): (column, text) for row, column, text in edits}
    table = _whole(data)
    for entry in table.entries:
        if entry.key in changes:
            column, text = changes[entry.key]
            entry.texts[table.languages[column - 1]] = text

    def edit(line: int, key: Key, cells: list[str]) -> Sequence[str] | None:
        if key not in changes:
            return None
        column, text = changes[key]
        return [*cells[:column], text, *cells[column + 1 :]]

    assert _rewritten(data, edit) == _written(table)
    assert _rewritten(data, _kept) == data
