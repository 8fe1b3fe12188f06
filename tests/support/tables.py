"""A Wix-style localization table with every tricky string kind, for the split/merge tests."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from tests.support.strings import TRICKY

# The foundation's tricky strings, an empty source (never sent) and the kinds that trouble
# translator formats: newlines at either end (msgfmt), OOXML escapes, line separators, controls.
TRICKY_TEXTS = [
    *TRICKY.values(),
    "",
    "ends with newline\n",
    "\nstarts with newline",
    "literal _x0041_ and _x005F_",
    "   ",
    "line\u2028separator",
    "vertical\x0btab",
]

HEADER = ["Collection ID", "Item ID", "Field", "en", "de", "he", "Max Length"]


def wix_csv(line_ending: str = "\r\n") -> bytes:
    """The table as Wix-style CSV bytes: de translated for every third entry, he empty."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=line_ending)
    writer.writerow(HEADER)
    for i, text in enumerate(TRICKY_TEXTS):
        de = f"DE {text}" if text and i % 3 == 0 else ""
        writer.writerow(["products", f"p-{i}", "title", text, de, "", "80" if i == 0 else ""])
    return out.getvalue().encode("utf-8")


def write_table(folder: Path, name: str = "content.csv") -> Path:
    path = folder / name
    path.write_bytes(wix_csv())
    return path
