"""A fast reader for the common shape of PO files, giving what ``polib.pofile`` gives.

polib's parser spent most of the time of ``wixloc merge`` on PO files. This one reads a whole
entry with one regular-expression match instead of a Python step per line, and checks the whole
file against the same grammar in one pass before it gives the first entry, so the caller knows
up front whether to use it or polib.

The grammar is a strict subset of what polib reads, in the canonical line forms wixloc, polib,
msgmerge and Poedit write: an entry is translator comments (``#``), extracted comments (``#.``),
translator comments again (polib writes them after ``#.``), references (``#:``), flags (``#,``),
``#| msgctxt`` and ``#| msgid`` (each with ``#|`` continuation lines), ``msgctxt``, ``msgid``
and ``msgstr`` (each with continuation lines), in this order, then blank lines. Every line is
exactly as polib sees it after ``strip()`` (no leading or trailing blanks) and every string has
only escaped quotes, so each field is what polib's state machine builds line by line: the same
entry boundaries, line numbers (the first entry's is 0, like polib's), comment joining, flags
and ``polib.unescape`` (the strings concatenated first: an escape never spans two lines here).
Before the first entry, comment and blank lines are polib's file header comment. Only the first
entry may have an empty msgid (polib's metadata entry).

For anything else - plural forms, obsolete entries, other line breaks than LF, entries in
another order, odd spacing, a line polib would reject, a file ending in a comment (polib drops
the last entry then) - :func:`parse` returns None and the caller uses polib, so odd files and
errors behave exactly as before.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from typing import Any, TypeVar, overload

__all__ = ["Entry", "Make", "parse", "parse_pieces"]

# Characters polib's str.splitlines() breaks lines on besides LF, the BOM polib strips, and NUL,
# which a PO file cannot hold (the caller refuses it, naming its line)
_ODD_CHARACTERS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\ufeff\x00"

# The inside of a quoted string: no newline, every quote and backslash escaped by a backslash.
# The check of the whole file uses it; reading the entries of a checked file then takes the
# rest of the line up to the last quote, which is the same and much faster.
_STRICT_BODY = r'[^"\\\n]*+(?:\\.[^"\\\n]*+)*+'
_BODY = r"[^\n]*"
_LINE_END = r"[^\n]*\S"  # the rest of a comment line: not blank, no trailing blanks
_TRANSLATOR = rf"#(?: {_LINE_END})?\n"  # "# text" or a lone "#"
_BLANK_OR_SKIPPED = r"(?:[^\S\n]*+\n|#[.,:][^\S\n]*+\n)"  # polib skips a lone "#." etc.
_HEAD = rf"(?:{_BLANK_OR_SKIPPED}|#(?:[^\S\n][^\n]*+)?\n|##[^\n]*+\n)*+"
_EMPTY_MSGID = r'msgid ""\n(?:""\n)*+(?!")'
_PREVIOUS = r"#\| "


def _entry_pattern(body: str, capture: bool, empty_msgid: bool = True) -> str:
    def group(name: str, pattern: str) -> str:
        return f"(?P<{name}>{pattern})" if capture else f"(?:{pattern})"

    def comments(name: str, prefix: str) -> str:
        # the lines' text without the first prefix and the last line break
        lines = _LINE_END + "(?:\\n" + prefix + _LINE_END + ")*+"
        return f"(?:{prefix}{group(name, lines)}\\n)?+"

    def string(name: str, prefix: str) -> str:
        # the first line's inside, then its continuation lines as they stand
        return f'"{group(name, body)}"\\n' + group(name + "_", f'(?:{prefix}"{body}"\\n)*+')

    return (
        group("tc", f"(?:{_TRANSLATOR})*+")
        + comments("gc", "#\\. ")
        + group("tc2", f"(?:{_TRANSLATOR})*+")
        + f"(?:#: {_LINE_END}\\n)*+"
        + comments("fl", "#, ")
        + f"(?:{_PREVIOUS}msgctxt {string('pc', _PREVIOUS)})?+"
        + f"(?:{_PREVIOUS}msgid {string('pm', _PREVIOUS)})?+"
        + f"(?:msgctxt {string('ct', '')})?+"
        + ("" if empty_msgid else f"(?!{_EMPTY_MSGID})")
        + f"msgid {string('mi', '')}"
        + f"msgstr {string('ms', '')}"
        + f"{_BLANK_OR_SKIPPED}*+"
    )


# The whole file: header comment lines, then entries; only the first may have an empty msgid
_FILE_RE = re.compile(
    _HEAD
    + "(?:"
    + _entry_pattern(_STRICT_BODY, capture=False)
    + "(?:"
    + _entry_pattern(_STRICT_BODY, capture=False, empty_msgid=False)
    + ")*+)?+"
)
_HEAD_RE = re.compile(_HEAD)
# A later piece of a file cut after a blank line (see parse_pieces): the rest of the blank and
# skipped lines that end the entry before it, then entries
_REST_RE = re.compile(
    f"{_BLANK_OR_SKIPPED}*+(?:"
    + _entry_pattern(_STRICT_BODY, capture=False, empty_msgid=False)
    + ")*+"
)
_SKIPPED_RE = re.compile(f"{_BLANK_OR_SKIPPED}*+")
_ENTRY_RE = re.compile(_entry_pattern(_BODY, capture=True))
# polib.unescape's sequences: in a checked string every backslash starts one of these pairs or
# another one polib leaves as it is, so unescaping strings joined is unescaping each
_ESCAPE_RE = re.compile(r'\\([\\ntrvbf"])')
_ESCAPES = dict(zip('\\ntrvbf"', '\\\n\t\r\v\b\f"', strict=True))


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


T = TypeVar("T")
# What an entry is made into, from Entry's fields but obsolete (always False here), by position:
# linenum, msgid, msgstr, msgctxt, msgid_plural, comment, tcomment, flags, previous_msgid,
# previous_msgctxt. Entry itself by default; a caller that wants its own objects (po's Unit)
# saves making an Entry per entry and reading it back.
Make = Callable[[int, str, str, str | None, str, str, str, list[str], str | None, str | None], T]


@overload
def parse(text: str) -> tuple[Iterator[Entry], dict[str, str]] | None: ...
@overload
def parse(text: str, make: Make[T]) -> tuple[Iterator[T], dict[str, str]] | None: ...
def parse(text: str, make: Make[Any] = Entry) -> tuple[Iterator[Any], dict[str, str]] | None:
    """The entries (metadata entry removed) and the metadata, as polib gives them; None when the
    text holds something this reader leaves to polib. Each entry is made by *make* from its
    fields (an :class:`Entry` unless told).

    The whole text is checked first; the entries are then read one by one as they are taken,
    so a large file's entries need not all be held at once."""
    if any(c in text for c in _ODD_CHARACTERS):
        return None
    if not text.endswith("\n"):
        text += "\n"  # the same lines for polib's splitlines()
    if _FILE_RE.fullmatch(text) is None or _ends_in_comment(text):
        return None
    head = _HEAD_RE.match(text)
    assert head is not None  # it matches any text, possibly empty
    return _split_metadata(_entries(text, head.end(), make), make)


@overload
def parse_pieces(
    pieces: Callable[[], Iterator[str]],
) -> tuple[Iterator[Entry], dict[str, str]] | None: ...
@overload
def parse_pieces(
    pieces: Callable[[], Iterator[str]], make: Make[T]
) -> tuple[Iterator[T], dict[str, str]] | None: ...
def parse_pieces(
    pieces: Callable[[], Iterator[str]], make: Make[Any] = Entry
) -> tuple[Iterator[Any], dict[str, str]] | None:
    """:func:`parse` for a file given as consecutive pieces, each cut right after a blank line:
    ``pieces()`` gives them in order, afresh at each call. Every piece is checked first (one
    pass), then the entries are read piece by piece (a second pass), so only one piece's text
    is held at a time. The same entries, line numbers and metadata as :func:`parse` of the
    whole text; None when it would be None, or when a cut falls where this reader cannot
    tell it is an entry boundary.
    """
    last, ends = "", True
    for i, text in enumerate(pieces()):
        if any(c in text for c in _ODD_CHARACTERS):
            return None
        if (_FILE_RE if i == 0 else _REST_RE).fullmatch(text) is None:
            return None
        if i == 0 and (head := _HEAD_RE.match(text)) is not None and head.end() == len(text):
            return None  # comment lines before the first entry must not reach a later piece
        ends = text.endswith("\n")
        if not text.isspace():
            last = text
    if not ends or _ends_in_comment(last):
        return None  # (a last line with no line break: left to parse() of the whole text)
    return _split_metadata(_piece_entries(pieces(), make), make)


def _split_metadata(
    entries: Iterator[Entry | T], make: Make[T]
) -> tuple[Iterator[T], dict[str, str]]:
    """The entries and the metadata, taken from the first entry (always an Entry, see
    :func:`_entries`) when its msgid is empty."""
    first = next(entries, None)
    if first is None:
        return iter(()), {}  # only blank and comment lines
    assert isinstance(first, Entry)
    rest: Iterator[T] = entries  # type: ignore[assignment]  # (every entry after the first)
    if first.msgid == "":
        return rest, _metadata(first.msgstr)
    if make is not Entry:
        return chain(_made(first, make), rest), {}
    return chain((first,), rest), {}  # type: ignore[arg-type]  # (an Entry is a T here)


def _made(entry: Entry, make: Make[T]) -> Iterator[T]:
    """*entry* made by *make* when it is taken (not before: the caller reads the metadata
    first, and making it may raise)."""
    yield make(
        entry.linenum,
        entry.msgid,
        entry.msgstr,
        entry.msgctxt,
        entry.msgid_plural,
        entry.comment,
        entry.tcomment,
        entry.flags,
        entry.previous_msgid,
        entry.previous_msgctxt,
    )


def _piece_entries(pieces: Iterator[str], make: Make[T]) -> Iterator[Entry | T]:
    lines = 0  # line breaks in the pieces before
    for i, text in enumerate(pieces):
        if i == 0:
            head = _HEAD_RE.match(text)
            assert head is not None
            yield from _entries(text, head.end(), make)
        else:
            skipped = _SKIPPED_RE.match(text)
            assert skipped is not None
            yield from _entries(text, skipped.end(), make, lines)
        lines += text.count("\n")


def _ends_in_comment(text: str) -> bool:
    """Whether the last line that is not blank is a comment: polib then drops the last entry."""
    end = len(text)
    while end and text[end - 1].isspace():
        end -= 1
    return text.startswith("#", text.rfind("\n", 0, end) + 1)


def _entries(text: str, pos: int, make: Make[T], lines: int | None = None) -> Iterator[Entry | T]:
    """The entries of a checked text from *pos*, made by *make*; the file's first entry (the
    first of a text with no *lines*) is an Entry, for the metadata. The first one's line
    number is 0, as polib's, unless the text is a later piece of a file, after *lines* line
    breaks."""
    matches = _ENTRY_RE.finditer(text, pos)
    match = next(matches, None)
    if match is None:
        return
    count = text.count
    counted = match.start()
    line = count("\n", 0, counted) + 1
    if lines is None:
        yield _entry(match, 0, Entry)
    else:
        yield _entry(match, lines + line, make)
        line += lines
    for match in matches:
        start = match.start()
        line += count("\n", counted, start)  # each part of the text counted once
        counted = start
        yield _entry(match, line, make)


def _entry(match: re.Match[str], linenum: int, make: Make[T]) -> T:
    tc, gc, tc2, fl, pc, pc_, pm, pm_, ct, ct_, mi, mi_, ms, ms_ = match.groups()
    if mi_ or "\\" in mi:
        mi = _string(mi, mi_, 1)
    if ms_ or "\\" in ms:
        ms = _string(ms, ms_, 1)
    if ct is not None and (ct_ or "\\" in ct):
        ct = _string(ct, ct_, 1)
    return make(
        linenum,
        mi,
        ms,
        ct,
        "",
        "" if gc is None else gc.replace("\n#. ", "\n"),
        _translator_comment(tc + tc2) if tc or tc2 else "",
        [] if fl is None else [flag.strip() for flag in fl.replace("\n#, ", ",").split(",")],
        None if pm is None else _string(pm, pm_, 4),
        None if pc is None else _string(pc, pc_, 4),
    )


def _string(body: str, more: str, prefix: int) -> str:
    """A field's value from its first line's inside and its continuation lines (each starting
    with a prefix of *prefix* characters and the quote)."""
    if more:
        body += more[prefix:-2].replace('"\n' + more[: prefix - 1] + '"', "")
    return _unescape(body) if "\\" in body else body


def _unescape(text: str) -> str:
    quotes = text.replace('\\"', '"')
    if "\\" not in quotes:
        return quotes  # every backslash escaped a quote, as in HTML: no call per sequence
    return _ESCAPE_RE.sub(_unescaped, text)


def _unescaped(match: re.Match[str]) -> str:
    return _ESCAPES[match.group(1)]


def _translator_comment(lines: str) -> str:
    # "# text" gives "text", a lone "#" an empty line; polib adds a line break only after a
    # line that is not empty, so leading empty lines vanish
    return "\n".join(line[2:] for line in lines[:-1].split("\n")).lstrip("\n")


def _metadata(msgstr: str) -> dict[str, str]:
    """polib's metadata from the metadata entry's msgstr."""
    meta: dict[str, str] = {}
    key = None
    for msg in msgstr.splitlines():
        try:
            key, val = msg.split(":", 1)
            meta[key] = val.strip()
        except (ValueError, KeyError):
            if key is not None:
                meta[key] += "\n" + msg.strip()
    return meta
