"""What the XLSX reader and writer share: sheet and column names, statuses, OOXML escapes."""

from __future__ import annotations

import re
from collections.abc import Sequence

from wixloc.errors import FormatError
from wixloc.model import UnitFile, UnitState, format_key, parse_key

MAX_CELL = 32_767  # Excel's limit on the characters in one cell
TABLE_SHEET = "Table"
UNITS_SHEET = "Translations"
INSTRUCTIONS_SHEET = "Instructions"
META_SHEET = "wixloc"
NOTES, STATUS, MAX_LENGTH, KEY, FINGERPRINT = "Notes", "Status", "Max length", "Key", "Fingerprint"
RESERVED = (NOTES, STATUS, MAX_LENGTH, KEY, FINGERPRINT)
# A translation memory's best suggestion and its score, in columns of their own (only in a
# sheet with suggestions): never read as the translation, which the translator types or pastes
SUGGESTION, MATCH = "Suggestion", "Match"
SOURCE = re.compile(r"^Source \((?P<tag>[^()]+)\)$")
TARGET = re.compile(r"^Translation \((?P<tag>[^()]+)\)$")

STATUS_NAMES = {
    UnitState.NEW: "new",
    UnitState.NEEDS_REVIEW: "needs review",
    UnitState.TRANSLATED: "translated",
    UnitState.REVIEWED: "reviewed",
    UnitState.FINAL: "final",
}
STATUS_BY_NAME = {name: state for state, name in STATUS_NAMES.items()} | {
    "fuzzy": UnitState.NEEDS_REVIEW,
    "needs-review": UnitState.NEEDS_REVIEW,
}

INSTRUCTIONS = (
    "How to fill in this workbook",
    "",
    "Type each translation in the 'Translation' column of the language's sheet.",
    "Leave the other columns as they are: the key and source columns are locked, "
    "and the hidden columns are needed to merge your work back.",
    "Status: leave it empty (a filled translation counts as translated), or write "
    "'needs review' for a translation you are unsure of; it is then not used until reviewed.",
    "Text is kept exactly: line breaks (Alt+Enter), spaces at either end, and text starting "
    "with = + - @ (the cells are text, not formulas).",
    "Max length: the most characters the field may hold on the site.",
    "The sheets are protected without a password only to prevent accidental edits.",
)

# --- OOXML escaping --------------------------------------------------------------------------

_NEEDS_ESCAPE = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def escape(text: str) -> str:
    """OOXML ``_xHHHH_`` for characters XML cannot hold (and CR), ``_x005F_`` for a literal."""
    return _NEEDS_ESCAPE.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)


def unescape(text: str) -> str:
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


def column_letter(index: int) -> str:
    """``A`` for column 1, ``AA`` for 27 (openpyxl's ``get_column_letter``, without openpyxl)."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_error(
    message: str, name: str, sheet: str, coordinate: str, hint: str | None = None
) -> FormatError:
    return FormatError(
        message, file=name, location=f"sheet '{sheet}', cell {coordinate}", hint=hint
    )


# --- the hidden wixloc sheet -----------------------------------------------------------------


def encode_list(values: Sequence[str]) -> str:
    """``3:a|b|c``: the count tells ``[]`` from ``[""]``."""
    return f"{len(values)}:{format_key(values)}"


def decode_list(text: str) -> list[str]:
    count, _, joined = text.partition(":")
    return list(parse_key(joined)) if count != "0" else []


def key_headers(units: UnitFile) -> list[str]:
    """The key columns' titles: the file's key column names, or Key 1, Key 2 ... if it has none."""
    width = len(units.units[0].key) if units.units else len(units.key_columns)
    if any(len(unit.key) != width for unit in units.units):
        raise FormatError("the units' keys have different numbers of parts")
    if len(units.key_columns) == width:
        return list(units.key_columns)
    return [f"Key {i}" for i in range(1, width + 1)]
