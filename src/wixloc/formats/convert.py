"""Conversion between formats that needs no round-trip rules: a table written in another table
format, and a translator file's units as a two-language table.

(A table turned into a translator file is a split: :func:`wixloc.roundtrip.files.convert_file`
puts the cases together for ``wixloc convert``.)
"""

from __future__ import annotations

from pathlib import Path

from wixloc.formats import Format, for_output, save_table
from wixloc.model import Column, ColumnKind, Entry, Table, UnitFile

__all__ = ["save_table_as", "units_table"]


def save_table_as(table: Table, dst: str | Path, fmt: Format | None = None) -> None:
    """Write *table* (read from any table format) to *dst* in the format its extension names.

    The same format and dialect give the same bytes; ``.tsv`` and ``.txt`` output is
    tab-separated, and a ``.csv`` made from UTF-16 or UTF-32 text (Excel's "Unicode text") is UTF-8.
    """
    fmt = fmt or for_output(dst)
    tab = Path(dst).suffix.lower() in (".tsv", ".txt")
    if fmt.name == "csv" and tab != (table.dialect.delimiter == "\t"):
        table.dialect.delimiter = "\t" if tab else ","
        table.format_state.pop("csv", None)  # raw rows were spelled with the old delimiter
        if not tab and table.dialect.encoding.startswith(("utf-16", "utf-32")):
            table.dialect.encoding, table.dialect.bom = "utf-8", False
    save_table(table, dst, fmt=fmt)


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
