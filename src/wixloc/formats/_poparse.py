"""A fast reader for the common shape of PO files, giving what ``polib.pofile`` gives.

polib's parser spent most of the time of ``wixloc merge`` on PO files (about 3 s per 20,000
entries) and built objects several times the file's size. This one follows polib's state machine
(the same transitions, entry boundaries, line numbers, comment, flag and metadata rules and
``polib.unescape``) for the lines wixloc and common editors write: extracted, translator and
reference comments, flags, ``#| msgid``, ``msgctxt``, ``msgid``, ``msgstr`` and continuation
lines. For anything else - plural forms, obsolete entries, other line breaks than LF, a line
polib would reject - it returns None and the caller uses polib, so odd files and errors behave
exactly as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import polib

__all__ = ["Entry", "parse"]

# polib: a quote inside a quoted string that no backslash escapes
_UNESCAPED_QUOTE = re.compile(r'([^\\]|^)"')
_KEYWORDS = {"msgctxt": "ct", "msgid": "mi", "msgstr": "ms"}
_PREVIOUS = {"msgid": "pm", "msgctxt": "pc"}
# polib's transitions for the symbols handled here: symbol -> states it may follow
_ANY = frozenset(
    {"st", "he", "gc", "oc", "fl", "ct", "pc", "pm", "pp", "tc", "ms", "mp", "mx", "mi"}
)
_FROM = {
    "gc": _ANY,
    "oc": _ANY,
    "fl": _ANY,
    "pc": _ANY,
    "pm": _ANY,
    "tc": frozenset({"gc", "oc", "fl", "tc", "pc", "pm", "pp", "ms", "mp", "mx", "mi"}),
    "ct": frozenset({"st", "he", "gc", "oc", "fl", "tc", "pc", "pm", "pp", "ms", "mx"}),
    "mi": frozenset({"st", "he", "gc", "oc", "fl", "ct", "tc", "pc", "pm", "pp", "ms", "mx"}),
    "ms": frozenset({"mi", "mp", "tc"}),
    "mc": frozenset({"ct", "mi", "mp", "ms", "mx", "pm", "pp", "pc"}),
}
_ENDS_ENTRY = frozenset({"ms", "mx"})  # a new entry starts after these (polib's mc never sticks)
_FIELDS = {"ct": "msgctxt", "mi": "msgid", "ms": "msgstr", "pm": "previous_msgid"}
_FIELDS["pc"] = "previous_msgctxt"


class _Unsupported(Exception):
    """A line this reader leaves to polib."""


@dataclass(slots=True)
class Entry:
    """The fields of a ``polib.POEntry`` that wixloc reads, with polib's defaults."""

    linenum: int
    msgid: str = ""
    msgstr: str = ""
    msgctxt: str | None = None
    msgid_plural: str = ""
    comment: str = ""
    tcomment: str = ""
    flags: list[str] = field(default_factory=list)
    previous_msgid: str | None = None
    previous_msgctxt: str | None = None
    obsolete: bool = False


def parse(text: str) -> tuple[list[Entry], dict[str, str]] | None:
    """The entries (metadata entry removed) and the metadata, as polib gives them; None when the
    text holds something this reader leaves to polib."""
    if any(c in text for c in "\r\x0b\x0c\ufeff"):
        return None  # polib splits lines on these too, or strips a BOM: its job
    try:
        entries = _entries(text)
    except _Unsupported:
        return None
    if sum(1 for e in entries if e.msgid == "") > 1:
        return None  # polib's choice of metadata entry among several: its job
    return entries, _metadata(entries)


def _lines(text: str) -> Iterator[str]:
    start, end = 0, len(text)
    while start < end:
        stop = text.find("\n", start)
        if stop < 0:
            stop = end
        yield text[start:stop]
        start = stop + 1


def _entries(text: str) -> list[Entry]:
    entries: list[Entry] = []
    entry = Entry(linenum=0)
    state = "st"
    last_first = ""  # first token of the last non-blank line
    number = 0
    for raw in _lines(text):
        number += 1
        line = raw.strip()
        if not line:
            continue
        symbol, token, last_first = _symbol(line)
        if symbol is None:
            continue  # a comment line polib skips ("#.", "#,", "#:" with nothing after)
        if symbol == "tc" and state in ("st", "he"):
            state = "he"  # a comment before the first entry: the file's header comment
            continue
        if state not in _FROM[symbol]:
            raise _Unsupported  # polib reports a syntax error here
        if symbol == "mc":
            _continue(entry, state, token)
            continue  # polib's continuation never changes the state
        if state in _ENDS_ENTRY and symbol != "ms":
            entries.append(entry)
            entry = Entry(linenum=number)
        _set(entry, symbol, token)
        state = symbol
    if last_first and not last_first.startswith("#"):
        entries.append(entry)  # polib drops an entry begun by trailing comments only
    return entries


def _symbol(line: str) -> tuple[str | None, str, str]:
    """polib's symbol for a stripped line, its token and the line's first word; raises
    _Unsupported for the lines left to polib."""
    if line[0] == '"':
        if _unescaped_quote(line[1:-1]):
            raise _Unsupported
        return "mc", line, line[0]  # only whether it starts with "#" matters
    tokens = line.split(None, 2)
    first = tokens[0]
    if first in _KEYWORDS and len(tokens) > 1:
        token = line[len(first) :].lstrip()
        if _unescaped_quote(token[1:-1]):
            raise _Unsupported
        return _KEYWORDS[first], token, first
    if first in ("#.", "#,", "#:"):
        if len(tokens) <= 1:
            return None, line, first
        return {"#.": "gc", "#,": "fl", "#:": "oc"}[first], line, first
    if first == "#" or (first.startswith("##") and not first.startswith("#~")):
        return "tc", line + " " if line == "#" else line, first
    if first == "#|" and len(tokens) > 2 and tokens[1] in _PREVIOUS:
        rest = line[2:].lstrip()
        return _PREVIOUS[tokens[1]], rest[len(tokens[1]) :].lstrip(), first
    if first == "#|" and len(tokens) > 1 and tokens[1].startswith('"'):
        return "mc", line[2:].lstrip(), first
    raise _Unsupported  # obsolete entries, plurals, msgstr[n], anything polib may reject


def _unescaped_quote(body: str) -> bool:
    return '"' in body and _UNESCAPED_QUOTE.search(body) is not None


def _unescape(text: str) -> str:
    return polib.unescape(text) if "\\" in text else text  # only backslash sequences change


def _set(entry: Entry, symbol: str, token: str) -> None:
    if symbol == "gc":
        entry.comment = entry.comment + "\n" + token[3:] if entry.comment else token[3:]
    elif symbol == "tc":
        text = token.lstrip("#")
        text = text[1:] if text.startswith(" ") else text
        entry.tcomment = entry.tcomment + "\n" + text if entry.tcomment else text
    elif symbol == "fl":
        entry.flags += [c.strip() for c in token[3:].split(",")]
    elif symbol != "oc":  # references: wixloc does not read them
        setattr(entry, _FIELDS[symbol], _unescape(token[1:-1]))
        if symbol == "mi":
            entry.obsolete = False


def _continue(entry: Entry, state: str, line: str) -> None:
    name = _FIELDS.get(state)
    if name is None:
        raise _Unsupported  # a continuation of a plural: polib's job
    setattr(entry, name, getattr(entry, name) + _unescape(line[1:-1]))


def _metadata(entries: list[Entry]) -> dict[str, str]:
    """polib's metadata: the first entry whose msgid is empty, removed from *entries*."""
    found = next((e for e in entries if e.msgid == ""), None)
    meta: dict[str, str] = {}
    if found is None:
        return meta
    entries.remove(found)
    key = None
    for msg in found.msgstr.splitlines():
        try:
            key, val = msg.split(":", 1)
            meta[key] = val.strip()
        except (ValueError, KeyError):
            if key is not None:
                meta[key] += "\n" + msg.strip()
    return meta
