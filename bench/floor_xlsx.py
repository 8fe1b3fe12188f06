"""The raw openpyxl floor for the XLSX tasks: the same cells, with nothing but openpyxl.

``write TABLE OUTDIR LANG...``: read the wide CSV with the csv module and, per target language,
write one workbook in write-only mode holding, as plain values, the cells of the sheet ``wixloc
split --to xlsx --only all`` writes: the key columns, source, translation, notes, status, max
length, key and fingerprint.

``read TABLE OUT WORKBOOK...``: read the translation sheet of each workbook in read-only mode
(values only), put every non-empty translation into the table by key and write the table with
the csv module.

``read-calamine TABLE OUT WORKBOOK...``: the same with python-calamine (Rust) instead of
openpyxl: the second floor for merging, the least a reader of these cells can take in Python.

No validation, styles, protection or error handling: the least work that moves the same cells,
so ``wixloc``'s XLSX commands can be held to it.
"""

from __future__ import annotations

import csv
import hashlib
import sys
from pathlib import Path

from openpyxl import Workbook, load_workbook

KEYS = 3  # Collection ID, Item ID, Field


def _table(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        return header, list(reader)


def write(table: Path, outdir: Path, languages: list[str]) -> None:
    header, rows = _table(table)
    outdir.mkdir(parents=True, exist_ok=True)
    main = header[KEYS]
    names = [*header[:KEYS], f"Source ({main})", "", "Notes", "Status", "Max length", "Key"]
    for lang in languages:
        col = header.index(lang)
        book = Workbook(write_only=True)
        sheet = book.create_sheet("Translations")
        names[KEYS + 1] = f"Translation ({lang})"
        sheet.append([*names, "Fingerprint"])
        for row in rows:
            source = row[KEYS]
            if not source:
                continue
            note = " · ".join(f"{n}: {v}" for n, v in zip(header[:KEYS], row[:KEYS], strict=True))
            digest = hashlib.blake2b(source.encode(), digest_size=8).hexdigest()
            key = "|".join(row[:KEYS])
            sheet.append([*row[:KEYS], source, row[col], note, "", "", key, digest])
        book.save(outdir / f"{table.stem}.{lang}.xlsx")


def read(table: Path, out: Path, workbooks: list[Path]) -> None:
    header, rows = _table(table)
    index = {tuple(row[:KEYS]): row for row in rows}
    for path in workbooks:
        book = load_workbook(path, read_only=True)
        cells = book["Translations"].iter_rows(values_only=True)
        head = [str(c) for c in next(cells)]
        col = header.index(head[KEYS + 1].removeprefix("Translation (").removesuffix(")"))
        for values in cells:
            target = values[KEYS + 1]
            if target:
                index[tuple(str(v) for v in values[:KEYS])][col] = str(target)
        book.close()
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def read_calamine(table: Path, out: Path, workbooks: list[Path]) -> None:
    from python_calamine import CalamineWorkbook

    header, rows = _table(table)
    index = {tuple(row[:KEYS]): row for row in rows}
    for path in workbooks:
        with CalamineWorkbook.from_path(str(path)) as book:
            cells = book.get_sheet_by_name("Translations").iter_rows()
            head = [str(c) for c in next(cells)]
            col = header.index(head[KEYS + 1].removeprefix("Translation (").removesuffix(")"))
            for values in cells:
                target = values[KEYS + 1]
                if target:
                    index[tuple(str(v) for v in values[:KEYS])][col] = str(target)
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def main(argv: list[str]) -> None:
    if len(argv) >= 3 and argv[0] == "write":
        write(Path(argv[1]), Path(argv[2]), argv[3:])
    elif len(argv) >= 3 and argv[0] == "read":
        read(Path(argv[1]), Path(argv[2]), [Path(a) for a in argv[3:]])
    elif len(argv) >= 3 and argv[0] == "read-calamine":
        read_calamine(Path(argv[1]), Path(argv[2]), [Path(a) for a in argv[3:]])
    else:
        sys.exit(
            "usage: floor_xlsx.py write TABLE OUTDIR LANG... | read TABLE OUT WORKBOOK... "
            "| read-calamine TABLE OUT WORKBOOK..."
        )


if __name__ == "__main__":
    main(sys.argv[1:])
