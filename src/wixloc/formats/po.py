"""Gettext PO translator files (polib).

One entry per unit::

    #. Collection ID: products · Item ID: p-1 · Field: title
    #. wixloc-source: 3f2a9c0d1e4b5a6f
    #, fuzzy
    #| msgid "Old source"
    msgctxt "products|p-1|title"
    msgid "Source text"
    msgstr "Translation"

- ``msgctxt`` is the key (:func:`~wixloc.model.format_key`, reversible), so identical source
  texts of different entries stay separate entries.
- ``#.`` extracted comments carry the human context and, on lines starting ``wixloc-``, the
  fingerprint of the source and the max length; Poedit, msgcat and msgmerge keep them.
- ``#, fuzzy`` is a unit marked for review; ``#|`` the previous source of a changed entry.
- A translation memory's suggestion for an untranslated unit is a fuzzy entry whose ``#|
  msgid`` is the memory's source and whose msgstr is its translation, with the comment
  ``wixloc-suggestion: <score> <origin>``. Read back while still fuzzy, it is a suggestion
  (``Unit.suggestions``), not a translation and not a changed source; with the fuzzy flag
  removed (the translator accepted it), it is the translation.
- msgfmt requires a translated msgid and msgstr to agree on a leading and a trailing newline.
  A translated unit that does not is written fuzzy (msgfmt checks no fuzzy entry) with the flag
  ``wixloc-newline-mismatch``, which the reader takes back as "translated".
- A PO file cannot hold NUL (gettext strings are C strings) or EOT (the context separator of
  .mo files): writing either is a FormatError naming the key and the language.

Files are written without line wrapping (fast, and every PO tool reads long lines); the reader
takes any wrapping, as Poedit writes it.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Generator, Iterable, Iterator
from datetime import UTC, datetime
from functools import partial
from typing import BinaryIO

import polib

from wixloc._version import __version__
from wixloc.errors import FormatError, LanguageError
from wixloc.formats import Format, ReadOptions, _poparse, read_all, write_all
from wixloc.formats._text import decode
from wixloc.locales import plural_forms
from wixloc.model import (
    Language,
    Suggestion,
    Unit,
    UnitFile,
    UnitState,
    format_key,
    parse_key,
)

__all__ = ["FORMAT", "read", "stream", "write"]

FINGERPRINT_TAG = "wixloc-source: "
MAX_LENGTH_TAG = "wixloc-max-length: "
KEY_COLUMNS_TAG = "X-Wixloc-Key-Columns"
ORIGINAL_TAG = "X-Wixloc-Original"
SOURCE_LANGUAGE_TAG = "X-Source-Language"
NEWLINE_FLAG = "wixloc-newline-mismatch"
SUGGESTION_TAG = "wixloc-suggestion: "
_TAG_PREFIX = "wixloc-"  # what the three tags above start with

# Characters str.splitlines() breaks on that polib writes raw inside a quoted string. polib
# splits a PO text given as a string with splitlines(), which would cut such a string in two,
# so the reader swaps them for private-use stand-ins first and restores them in the values.
# gettext strings are C strings (no NUL), and EOT separates context from msgid in .mo files.
_UNHOLDABLE = re.compile("[\x00\x04]")
_UNHOLDABLE_NAMES = {"\x00": "U+0000 (NUL)", "\x04": "U+0004 (EOT, gettext's context separator)"}
_Entry = polib.POEntry | _poparse.Entry
_LINE_BREAKERS = "\x1c\x1d\x1e\x85\u2028\u2029"


class _Writer:
    """A PO file written entry by entry: the same text as str() of a POFile holding every
    entry (polib joins the header and the entries with a newline). The whole file as one
    POFile and one string took several times the units' own memory on large tables."""

    def __init__(self, units: UnitFile, fh: BinaryIO, limits: bool = False) -> None:
        self._fh = fh
        self._language = units.target_language
        self._chunk: list[str] = []
        po = polib.POFile(wrapwidth=0, check_for_duplicates=False)
        po.metadata = _metadata(units)
        fh.write(str(po).encode("utf-8"))

    def add(self, unit: Unit) -> None:
        self._chunk.append("\n" + _entry_text(unit, self._language))
        if len(self._chunk) == 1000:
            self._flush()

    def close(self) -> None:
        self._flush()

    def _flush(self) -> None:
        self._fh.write("".join(self._chunk).encode("utf-8"))
        self._chunk.clear()


write = write_all(_Writer)


def _metadata(units: UnitFile) -> dict[str, str]:
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M+0000")
    meta = {
        "Project-Id-Version": units.original or "wixloc",
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": now,
        "PO-Revision-Date": now,
        "Last-Translator": "",
        "Language-Team": "",
        "Language": units.target_language.tag,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": plural_forms(units.target_language.tag),
        "X-Generator": f"wixloc {__version__}",
        SOURCE_LANGUAGE_TAG: units.source_language.tag,
        KEY_COLUMNS_TAG: format_key(units.key_columns),
    }
    if units.original:
        meta[ORIGINAL_TAG] = units.original
    return meta


def _checked_key(unit: Unit, language: Language) -> str:
    key = format_key(unit.key)
    for text in (key, unit.source, unit.target, unit.previous_source or ""):
        bad = _UNHOLDABLE.search(text)
        if bad is not None:
            raise FormatError(
                f"a PO file cannot hold the character {_UNHOLDABLE_NAMES[bad.group(0)]}",
                location=f"key {key}, language {language}",
                hint="use XLIFF 2.0 or XLSX for this text",
            )
    return key


def _comments(unit: Unit) -> list[str]:
    comments = [note.replace("\n", " ") for note in unit.notes]
    if unit.fingerprint is not None:
        comments.append(FINGERPRINT_TAG + unit.fingerprint)
    if unit.max_length is not None:
        comments.append(f"{MAX_LENGTH_TAG}{unit.max_length}")
    offered = _offered(unit)
    if offered is not None:
        origin = " ".join(offered.origin.split())  # one comment line
        comments.append(f"{SUGGESTION_TAG}{offered.score} {origin}".rstrip())
    return comments


def _offered(unit: Unit) -> Suggestion | None:
    """The suggestion a PO entry can show: the best one, for a unit with no target of its own
    (the entry's msgstr and ``#|`` are free only then); the origin is one line."""
    if unit.suggestions and not unit.target and unit.previous_source is None:
        best = unit.suggestions[0]
        if not any(_UNHOLDABLE.search(t) for t in (best.source, best.target, best.origin)):
            return best  # else left out: a suggestion is not worth failing the file for
    return None


def _entry_text(unit: Unit, language: Language) -> str:
    """The entry as polib's ``POEntry(...).__unicode__(0)`` writes it with no wrapping,
    spelled out here. Building a POEntry to format it was most of the time of writing a file."""
    key = _checked_key(unit, language)
    comment = "\n".join(_comments(unit))
    lines = ["#. " + line for line in comment.split("\n")] if comment else []
    offered = _offered(unit)
    flags = _flags(unit) if offered is None else ["fuzzy"]
    if flags:
        lines.append("#, " + ", ".join(flags))
    previous = unit.previous_source if offered is None else offered.source
    if previous is not None:
        lines += _field("#| ", "msgid", previous)
    lines += _field("", "msgctxt", key)
    lines += _field("", "msgid", unit.source)
    lines += _field("", "msgstr", unit.target if offered is None else offered.target)
    lines.append("")
    return "\n".join(lines)


def _field(prefix: str, name: str, text: str) -> list[str]:
    """polib's ``_str_field`` with no wrapping: a multi-line text starts with an empty string."""
    parts = text.splitlines(True)
    if len(parts) <= 1:
        return [f'{prefix}{name} "{polib.escape(text)}"']
    return [f'{prefix}{name} ""', *(f'{prefix}"{polib.escape(part)}"' for part in parts)]


def _flags(unit: Unit) -> list[str]:
    if unit.state is UnitState.NEEDS_REVIEW:
        return ["fuzzy"]
    if unit.target and unit.state.done and _newlines_differ(unit.source, unit.target):
        return ["fuzzy", NEWLINE_FLAG]
    return []


def _newlines_differ(source: str, target: str) -> bool:
    return (source[:1] == "\n") != (target[:1] == "\n") or (source[-1:] == "\n") != (
        target[-1:] == "\n"
    )


# --- reading ---------------------------------------------------------------------------------


def stream(fh: BinaryIO, options: ReadOptions) -> Generator[UnitFile | Unit, None, None]:
    """The file's UnitFile (languages, key columns), then its units one at a time."""
    made = partial(_made_unit, options.name)  # (for the fast reader)
    units: Iterable[Unit] | None = None  # the units when the fast reader makes them
    parsed: tuple[Iterable[_Entry], dict[str, str]] | None = None
    meta: dict[str, str] = {}
    restore: Callable[[str], str] = _SAME
    pieces = _parse_pieces(fh, options, made)
    if pieces is not None:
        units, meta = pieces
    else:  # small, not UTF-8, or unusual: the whole text at once
        data = fh.read()
        text, _bom, _encoding = decode(data, options.name, options.encoding or _charset(data))
        del data  # large files: hold the text once
        _check_strict(text, options.name)
        stand_ins = _stand_ins(text)
        for char, stand_in in stand_ins.items():
            text = text.replace(char, stand_in)
        text = text if "\n" in text else text + "\n"
        fast = None if stand_ins else _poparse.parse(text, made)
        if fast is not None:
            units, meta = fast
        else:  # (the fast reader's Entries with the stand-ins restored, or polib's)
            parsed = _parse(text, options.name)
            restore = _restorer(stand_ins)
        del text
    if parsed is not None:
        meta = {k: restore(v) for k, v in parsed[1].items()}
    target = _language(meta.get("Language", ""), "Language", options.name)
    source = _language(meta.get(SOURCE_LANGUAGE_TAG, ""), SOURCE_LANGUAGE_TAG, options.name)
    key_columns = meta.get(KEY_COLUMNS_TAG)
    yield UnitFile(
        source_language=source,
        target_language=target,
        key_columns=list(parse_key(key_columns)) if key_columns else [],
        original=meta.get(ORIGINAL_TAG),
    )
    if units is not None:
        yield from units
        return
    assert parsed is not None
    for entry in parsed[0]:
        if not entry.obsolete:
            yield _unit(entry, restore, options.name)


read = read_all(stream)


_PIECE = 1 << 22  # bytes read at a time by the piece-wise reader


def _parse_pieces(
    fh: BinaryIO, options: ReadOptions, made: _poparse.Make[Unit]
) -> tuple[Iterator[Unit], dict[str, str]] | None:
    """A large UTF-8 file read in pieces of about 4 MB cut after blank lines (twice: checked,
    then read), so that its text is never held whole: a 60 MB file of Hebrew is 100 MB of
    text. None, with *fh* back at its start, when the file is small or not plain UTF-8, or
    when the fast reader does not take it."""
    start = fh.tell()
    head = fh.read(_PIECE)
    fh.seek(start)
    if len(head) < _PIECE or not fh.seekable() or options.encoding is not None:
        return None
    if head.startswith(codecs.BOM_UTF8) or _charset(head) is not None:
        return None

    def pieces() -> Iterator[str]:
        fh.seek(start)
        rest = b""
        while block := fh.read(_PIECE):
            block = rest + block
            cut = block.rfind(b"\n\n") + 2
            if cut < 2:
                rest = block
                continue
            yield block[:cut].decode("utf-8")
            rest = block[cut:]
        if rest:
            yield rest.decode("utf-8")

    try:
        parsed = _poparse.parse_pieces(pieces, made)
    except UnicodeDecodeError:
        parsed = None  # the whole-text reader names the bad byte
    if parsed is None:
        fh.seek(start)
    return parsed


def _parse(text: str, name: str) -> tuple[Iterable[_Entry], dict[str, str]]:
    """Entries and metadata: by the fast reader when it takes the file, else by polib."""
    parsed = _poparse.parse(text)
    if parsed is not None:
        return parsed
    try:
        po = polib.pofile(text)
    except (OSError, ValueError) as exc:
        raise FormatError(f"not a valid PO file: {exc}", file=name) from None
    return po, po.metadata


# A line that holds a string: a keyword (also in a previous "#|" or obsolete "#~" entry) or a
# continuation; what follows must be one complete C string, as GNU msgfmt requires.
_STRING_LINE = re.compile(
    r"(?:#~ ?)?(?:#\| ?)?(?:(?P<keyword>msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\b\s*)?"
    r"(?P<rest>.*)"
)
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"\s*')


def _check_strict(text: str, name: str) -> None:
    """Refuse what GNU msgfmt refuses and polib would read as something else: a NUL byte
    (gettext strings are C strings) and a string without its closing quote, or with text
    after it (polib reads ``msgstr "oops`` as ``oop``)."""
    nul = text.find("\x00")
    if nul >= 0:
        raise FormatError(
            "the file contains a NUL byte, which a PO file cannot hold",
            file=name,
            line=text.count("\n", 0, nul) + 1,
            hint="remove it; GNU msgfmt refuses the file too",
        )
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.strip()
        if not line or (line.startswith("#") and not line.startswith(("#|", "#~"))):
            continue
        found = _STRING_LINE.fullmatch(line)
        if found is None or (found["keyword"] is None and not found["rest"].startswith('"')):
            continue  # not a string line: polib judges it
        rest = found["rest"]
        if _STRING.fullmatch(rest) is not None:
            continue
        if not rest.startswith('"'):
            what = f"{found['keyword']} has no quoted string"
        elif re.match(r'"(?:[^"\\]|\\.)*"', rest):
            what = "text after the closing quote of a string"
        else:
            what = "a string without its closing quote"
        raise FormatError(what, file=name, line=number, hint="GNU msgfmt refuses the file too")


_CHARSET = re.compile(rb"charset=([A-Za-z0-9_.:-]+)")


def _charset(data: bytes) -> str | None:
    """The header's declared charset when it is not UTF-8 (older tools write Latin-1)."""
    match = _CHARSET.search(data, 0, 4096)
    if match is None or match.group(1).lower().replace(b"-", b"") in (b"utf8", b"charset"):
        return None
    return match.group(1).decode("ascii")


def _stand_ins(text: str) -> dict[str, str]:
    present = [c for c in _LINE_BREAKERS if c in text]
    free = (chr(c) for c in range(0xE000, 0xF900) if chr(c) not in text)
    return {char: next(free) for char in present}


def _same(value: str) -> str:
    return value


_SAME = _same  # the restorer when there are no stand-ins: _unit skips calling it


def _restorer(stand_ins: dict[str, str]) -> Callable[[str], str]:
    if not stand_ins:
        return _SAME
    back = {stand_in: char for char, stand_in in stand_ins.items()}
    pattern = re.compile("|".join(back))
    return lambda value: pattern.sub(lambda m: back[m.group(0)], value)


def _language(tag: str, header: str, name: str) -> Language:
    if not tag.strip():
        raise FormatError(
            f"the PO header has no '{header}' field",
            file=name,
            hint=f'add a line such as "{header}: de\\n" to the header entry',
        )
    try:
        return Language.parse(tag)
    except LanguageError:
        raise LanguageError(
            f"the PO header field '{header}' is not a language tag: {tag!r}", file=name
        ) from None


def _unit(entry: _Entry, restore: Callable[[str], str], name: str) -> Unit:
    """The unit of a polib entry, or of an Entry the fast reader made, with *restore* applied
    to its texts."""
    comment, msgid, msgstr, msgctxt = entry.comment, entry.msgid, entry.msgstr, entry.msgctxt
    previous = entry.previous_msgid
    if restore is not _SAME:
        comment, msgid, msgstr = restore(comment), restore(msgid), restore(msgstr)
        msgctxt = restore(msgctxt) if msgctxt is not None else None
        previous = restore(previous) if previous is not None else None
    return _made_unit(
        name,
        entry.linenum,
        msgid,
        msgstr,
        msgctxt,
        entry.msgid_plural,
        comment,
        "",
        entry.flags,
        previous,
        None,
    )


def _made_unit(
    name: str,
    line: int | None,
    msgid: str,
    msgstr: str,
    msgctxt: str | None,
    msgid_plural: str,
    comment: str,
    _tcomment: str,
    flags: list[str],
    previous: str | None,
    _previous_msgctxt: str | None,
) -> Unit:
    """The unit of an entry from its fields, in the order of :data:`_poparse.Make`: the fast
    reader makes the file's units directly with it (``partial(_made_unit, name)``), with no
    Entry made and read back per entry."""
    if msgid_plural:
        raise FormatError("plural entries (msgid_plural) are not supported", file=name, line=line)
    if msgctxt is None:
        raise FormatError(
            "the entry has no msgctxt, so no key",
            file=name,
            line=line,
            hint="wixloc writes each entry's key as its msgctxt; keep it",
        )
    notes: list[str] = []
    fp: str | None = None
    max_length: int | None = None
    offered: str | None = None
    for note in comment.split("\n") if comment else ():
        if not note.startswith(_TAG_PREFIX):
            notes.append(note)  # most notes: one test, not three
        elif note.startswith(FINGERPRINT_TAG):
            fp = note[len(FINGERPRINT_TAG) :].strip()
        elif note.startswith(MAX_LENGTH_TAG) and note[len(MAX_LENGTH_TAG) :].isdigit():
            max_length = int(note[len(MAX_LENGTH_TAG) :])
        elif note.startswith(SUGGESTION_TAG):
            offered = note[len(SUGGESTION_TAG) :]
        else:
            notes.append(note)
    if offered is not None:
        return _suggested(
            line, flags, msgctxt, msgid, msgstr, previous, offered, notes, fp, max_length
        )
    # the fields by position: a call with keywords took twice as long, once per unit
    return Unit(
        parse_key(msgctxt),  # key
        msgid,  # source
        msgstr,  # target
        _state(flags, msgstr),
        notes,
        fp,  # fingerprint
        previous,  # previous_source
        max_length,
        line,
    )


def _suggested(
    line: int | None,
    flags: list[str],
    msgctxt: str,
    msgid: str,
    msgstr: str,
    previous: str | None,
    offered: str,
    notes: list[str],
    fp: str | None,
    max_length: int | None,
) -> Unit:
    """An entry written as a memory's suggestion: still fuzzy, the unit is untranslated and
    carries the suggestion; accepted (not fuzzy), its msgstr is the translation. Either way its
    ``#|`` is the memory's source, not an old source of this unit."""
    unit = Unit(
        key=parse_key(msgctxt),
        source=msgid,
        notes=notes,
        fingerprint=fp,
        max_length=max_length,
        line=line,
    )
    if "fuzzy" not in flags:
        unit.target = msgstr
        unit.state = _TRANSLATED if msgstr else _NEW
        return unit
    score, _, origin = offered.partition(" ")
    if msgstr:
        value = int(score) if score.isdigit() else 0
        unit.suggestions = [Suggestion(previous or "", msgstr, value, origin)]
    return unit


# Looked up once: an Enum member's attribute lookup is slow in Python 3.11, and this runs per unit.
_NEEDS_REVIEW, _TRANSLATED, _NEW = UnitState.NEEDS_REVIEW, UnitState.TRANSLATED, UnitState.NEW


def _state(flags: list[str], target: str) -> UnitState:
    if flags and "fuzzy" in flags and NEWLINE_FLAG not in flags:
        return _NEEDS_REVIEW
    return _TRANSLATED if target else _NEW


def _sniff(head: bytes) -> bool:
    return b"msgid" in head or b"msgctxt" in head


FORMAT = Format(
    name="po",
    extensions=(".po", ".pot"),
    description="gettext PO, one file per target language (Poedit, Crowdin, Weblate ...)",
    read_units=read,
    write_units=write,
    stream_units=stream,
    open_units=_Writer,
    sniff=_sniff,
)
