"""Excel workbooks: a whole table, or translator sheets (one or several languages).

**Table** workbooks hold one sheet ``Table``: the table's columns with a header row.

**Translator** workbooks hold one sheet per target language (``Translations``, or the language tag
when one workbook holds several), an ``Instructions`` sheet and a hidden ``wixloc`` sheet::

    <key columns> | Source (en) | Translation (de) | Notes | Status | Max length | Key | Fingerprint

The key and source columns are locked (sheet protection without a password), the translation and
status columns unlocked; the header row is frozen; text wraps; a right-to-left language gets a
right-to-left sheet. The hidden ``Key`` column repeats the key so that an edited key cell is
caught; ``Fingerprint`` is the fingerprint of the source the unit was made from.

Every cell is written as an inline string, never a formula (``=SUM(A1)`` stays text). Characters
XML cannot hold (and CR) are written with OOXML's ``_xHHHH_`` escape, and a literal ``_xHHHH_`` in
the text as ``_x005F_xHHHH_``, so every text reads back exactly. A text over Excel's
32,767-character cell limit cannot be written (a FormatError naming key and language). Reading
finds the sheets and columns by their header, so reordered sheets and extra columns are fine; a
formula or error cell, an edited key or an over-long text is an error naming the sheet and cell.

The work is done in ``_xlsx_write`` (the XML written directly), ``_xlsx_read`` (cell values
from python-calamine) and ``_xlsx_package`` (the zip's limits, and what calamine cannot tell).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from wixloc.errors import FormatError
from wixloc.formats import Format, ReadOptions
from wixloc.formats._xlsx_common import (
    INSTRUCTIONS_SHEET,
    MAX_CELL,
    META_SHEET,
    STATUS_BY_NAME,
    STATUS_NAMES,
    TABLE_SHEET,
    UNITS_SHEET,
    escape,
    unescape,
)
from wixloc.formats._xlsx_package import MAX_UNZIPPED
from wixloc.formats._xlsx_read import (
    Book,
    book_table,
    is_translator_header,
    read_table,
    stream_sheets,
)
from wixloc.formats._xlsx_write import write_table, write_workbook
from wixloc.fsutil import atomic_write, open_input
from wixloc.model import Table, Unit, UnitFile

__all__ = [
    "FORMAT",
    "INSTRUCTIONS_SHEET",
    "MAX_CELL",
    "MAX_UNZIPPED",
    "META_SHEET",
    "STATUS_BY_NAME",
    "STATUS_NAMES",
    "TABLE_SHEET",
    "UNITS_SHEET",
    "escape",
    "holds_units",
    "load_workbook_units",
    "read_either",
    "read_table",
    "read_unit_files",
    "read_units",
    "read_workbook",
    "save_workbook",
    "stream_workbook_units",
    "unescape",
    "write_table",
    "write_units",
    "write_workbook",
]


def write_units(units: UnitFile, fh: BinaryIO) -> None:
    write_workbook([units], fh)


def save_workbook(unit_files: Sequence[UnitFile], path: str | Path) -> None:
    """Write :func:`write_workbook` atomically to *path*."""
    with atomic_write(path) as fh:
        write_workbook(unit_files, fh)


def read_workbook(fh: BinaryIO, options: ReadOptions) -> list[UnitFile]:
    """Every translator sheet of a workbook, one UnitFile each, in sheet order."""
    found = []
    for units, rows in stream_sheets(Book(fh, options.name)):
        units.units = list(rows)
        found.append(units)
    return found


def read_units(fh: BinaryIO, options: ReadOptions) -> UnitFile:
    found = read_workbook(fh, options)
    if len(found) > 1:
        tags = ", ".join(str(units.target_language) for units in found)
        raise FormatError(
            f"the workbook holds several languages ({tags})",
            file=options.name,
            hint="'wixloc merge' reads them all",
        )
    return found[0]


def holds_units(path: str | Path) -> bool:
    """True if the workbook at *path* has a translator sheet (False for a table workbook)."""
    with open_input(path) as fh:
        return is_translator_header(Book(fh, str(path)))


def load_workbook_units(path: str | Path) -> list[UnitFile]:
    """Every language of a translator workbook on disk."""
    found = []
    for units, rows in stream_workbook_units(path):
        units.units = list(rows)
        found.append(units)
    return found


def stream_workbook_units(path: str | Path) -> Iterator[tuple[UnitFile, Iterator[Unit]]]:
    """Every language of a translator workbook on disk, its rows read as they are used
    (``merge`` uses this): each sheet's UnitFile (no units) and an iterator of its units."""
    with open_input(path) as fh:
        book = Book(fh, str(path))
    found = stream_sheets(book)
    for units, rows in found:
        units.source = str(path) if len(found) == 1 else f"{path} ({units.target_language})"
        yield units, rows


def read_unit_files(fh: BinaryIO, options: ReadOptions) -> list[tuple[UnitFile, Iterator[Unit]]]:
    """Every translator sheet's UnitFile (no units yet) and an iterator reading its rows."""
    return stream_sheets(Book(fh, options.name))


def read_either(
    fh: BinaryIO, options: ReadOptions
) -> Table | list[tuple[UnitFile, Iterator[Unit]]]:
    """A translator workbook's sheets (as :func:`read_unit_files`), or a table workbook's
    table: the workbook is opened once to see which it is and to read it."""
    book = Book(fh, options.name)
    if is_translator_header(book):
        return stream_sheets(book)
    return book_table(book, options)


def _sniff(head: bytes) -> bool:
    return head.startswith(b"PK")


FORMAT = Format(
    name="xlsx",
    extensions=(".xlsx",),
    description="Excel workbook: a whole table, or translator sheets (one or all languages)",
    read_table=read_table,
    write_table=write_table,
    read_units=read_units,
    write_units=write_units,
    read_unit_files=read_unit_files,
    write_unit_files=write_workbook,
    read_either=read_either,
    sniff=_sniff,
)
