"""XLIFF 1.2 translator files (``.xlf``, ``.xliff``), valid against the OASIS strict schema.

Layout (see docs/formats/xliff.md)::

    <xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">
      <file original="content.csv" source-language="en" target-language="de" datatype="plaintext">
        <header>
          <tool tool-id="wixloc" tool-name="wixloc" tool-version="0.1.0"/>
          <note from="wixloc:key-columns">Collection ID|Item ID|Field</note>
        </header>
        <body>
          <trans-unit id="Products.p-1.title" resname="Products|p-1|title" xml:space="preserve">
            <source><bpt id="1" ctype="bold">&lt;b&gt;</bpt>Save<ept id="1">&lt;/b&gt;</ept></source>
            <target state="needs-translation"/>
            <note>Collection: Products · Item: p-1 · Field: title</note>
            <note from="wixloc:fingerprint" annotates="source">1f2e3d4c5b6a7980</note>
          </trans-unit>

Markup becomes ``<bpt>``/``<ept>`` (pairs), ``<ph>`` (standalone tags and entities) and ``<it>``
(isolated tags), each holding the exact tag text (:mod:`wixloc.formats.markup`). XLIFF 1.2 has no
``<cp>``: a character XML cannot hold (U+0001 ...) in a source or target travels as
``<ph ctype="x-wixloc-char">U+0001</ph>`` and comes back as the character; anywhere else (a key, a
note) it is refused with a FormatError naming the key and language.

The writer streams: each unit becomes escaped XML text (see :mod:`wixloc.formats._xliff`), written
in chunks. A translated unit carries ``approved="yes"`` (translate-toolkit reads a unit without it
as fuzzy); a new unit with a target (``copy_source``, :data:`open_copy_source`) carries
``<note from="wixloc:prefilled">``, the fingerprint of the target as written. The reader
(:mod:`wixloc.formats._xliff1read`) streams too and accepts what CAT tools send back: Trados'
segments, tag definitions and track changes, memoQ's statuses, placeholders and edge whitespace,
Phrase's units without ``resname``, ``<g>``/``<x/>``/``<bx/>``/``<ex/>``, CDATA, ``<alt-trans>``
(ignored) and a missing target.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import BinaryIO

from wixloc._version import __version__
from wixloc.formats import Format, UnitSinkOpener, read_all, write_all
from wixloc.formats._xliff import (
    WIXLOC_NOTE,
    Output,
    UnitIds,
    check_xml,
    esc,
    esc_attr,
    is_invalid,
    is_plain,
    language_attr,
    split_invalid,
    xliff_version,
)
from wixloc.formats._xliff1read import CHAR as _CHAR
from wixloc.formats._xliff1read import stream
from wixloc.formats.markup import Code, CodeKind, Run, equiv, parse, parse_aligned
from wixloc.model import (
    Language,
    Suggestion,
    Unit,
    UnitFile,
    UnitState,
    fingerprint,
    format_key,
)

__all__ = ["FORMAT", "NS", "open_copy_source", "read", "stream", "write", "write_copy_source"]

NS = "urn:oasis:names:tc:xliff:document:1.2"
_FP, _PREV, _KEYS, _PREFILLED = (
    WIXLOC_NOTE + n for n in ("fingerprint", "previous-source", "key-columns", "prefilled")
)

_WRITE_STATE = {
    UnitState.NEEDS_REVIEW: "needs-review-translation",
    UnitState.TRANSLATED: "translated",
    UnitState.REVIEWED: "signed-off",
    UnitState.FINAL: "final",
}
_BPT_CTYPE = {
    **{"b": "bold", "strong": "bold", "i": "italic", "em": "italic"},
    **{"u": "underlined", "a": "link"},
}
_PH_CTYPE = {"br": "lb", "img": "image"}


# --- writing ----------------------------------------------------------------------------------


class _Writer:
    """XLIFF 1.2, streamed one ``<trans-unit>`` at a time.

    *copy_source*: an empty target gets a copy of the source, for tools that translate the
    target in place (OmegaT); the copy is marked as wixloc's, so an unchanged copy reads back
    as untranslated (see :func:`_prefilled`)."""

    def __init__(
        self, units: UnitFile, fh: BinaryIO, limits: bool = False, *, copy_source: bool = False
    ) -> None:
        self._copy = copy_source
        self._language = units.target_language
        self._ids = UnitIds()
        self._out = Output(fh)
        self._out.add(
            f'<?xml version="1.0" encoding="UTF-8"?>\n<xliff xmlns="{NS}" version="1.2">\n'
            f'  <file original="{esc_attr(units.original or "")}"'
            f' source-language="{esc_attr(language_attr(units.source_language))}"'
            f' target-language="{esc_attr(language_attr(units.target_language))}"'
            ' datatype="plaintext">\n    <header>\n'
            f'      <tool tool-id="wixloc" tool-name="wixloc" tool-version="{__version__}"/>'
        )
        if units.key_columns:
            keys = esc(format_key(units.key_columns))
            self._out.add(f'\n      <note from="{_KEYS}">{keys}</note>')
        self._out.add("\n    </header>\n    <body>")

    def add(self, unit: Unit) -> None:
        if self._copy and not unit.target and unit.state is UnitState.NEW:
            unit = dataclasses.replace(unit, target=unit.source)
        self._out.add(_trans_unit(unit, self._ids(unit.key), self._language))

    def close(self) -> None:
        self._out.add("\n    </body>\n  </file>\n</xliff>\n")
        self._out.flush()


write = write_all(_Writer)
#: The unit sink and writer of ``split --copy-source``: empty targets hold the source
open_copy_source: UnitSinkOpener = functools.partial(_Writer, copy_source=True)
write_copy_source = write_all(open_copy_source)


_IN = "\n        "  # indentation inside a trans-unit


def _trans_unit(unit: Unit, uid: str, language: Language) -> str:
    resname = check_xml(format_key(unit.key), "key", unit.key, language, "XLIFF")
    parts = [f'\n      <trans-unit id="{uid}" resname="{esc_attr(resname)}" xml:space="preserve"']
    if unit.target and unit.state.done:
        parts.append(' approved="yes"')  # translate-toolkit reads a unit without it as fuzzy
    if unit.max_length is not None:
        parts.append(f' maxwidth="{unit.max_length}" size-unit="char"')
    parts.append(">")
    xml, source = _source(unit.source)
    parts.append(xml)
    _element(parts, f'{_IN}<target state="{_state_name(unit)}"', "target", unit.target, source)
    for note in unit.notes:
        text = esc(check_xml(note, "note", unit.key, language, "XLIFF"))
        parts.append(f"{_IN}<note>{text}</note>" if text else f"{_IN}<note/>")
    if unit.fingerprint is not None:
        fp = esc(check_xml(unit.fingerprint, "fingerprint", unit.key, language, "XLIFF"))
        parts.append(f'{_IN}<note from="{_FP}" annotates="source">{fp}</note>')
    if unit.previous_source is not None:
        old = esc(check_xml(unit.previous_source, "previous source", unit.key, language, "XLIFF"))
        parts.append(f'{_IN}<note from="{_PREV}" annotates="source">{old}</note>')
    if unit.target and unit.state is UnitState.NEW:
        parts.append(
            f'{_IN}<note from="{_PREFILLED}" annotates="target">{_prefilled(unit.target)}</note>'
        )
    for offered in unit.suggestions:
        _alt_trans(parts, offered)
    parts.append("\n      </trans-unit>")
    return "".join(parts)


_ALT = _IN + "  "  # indentation inside an alt-trans


def _xml_only(text: str) -> list[str]:
    """*text*'s pieces without the characters XML cannot hold."""
    return [piece for piece in split_invalid(text) if not is_invalid(piece)]


def _alt_trans(parts: list[str], offered: Suggestion) -> None:
    """A translation memory's suggestion: ``<alt-trans>`` with its own source and target, coded
    as the unit's are; readers (and merge) never take it as the unit's translation."""
    # the texts' control characters become codes as the unit's do; the origin drops them
    origin = esc_attr(" ".join("".join(_xml_only(offered.origin)).split()))
    head = f'{_IN}<alt-trans match-quality="{offered.score}"'
    parts.append(head + (f' origin="{origin}">' if origin else ">"))
    runs = _element(parts, f"{_ALT}<source", "source", offered.source, None)
    _element(parts, f"{_ALT}<target", "target", offered.target, runs)
    parts.append(f"{_IN}</alt-trans>")


@functools.lru_cache(maxsize=64)
def _source(text: str) -> tuple[str, list[Run]]:
    """The ``<source>`` element for *text* and its runs. Cached: a split writes every target
    language's file side by side, so each source text comes several times in a row, and
    parsing its markup was a quarter of the time of writing a file."""
    parts: list[str] = []
    runs = _element(parts, f"{_IN}<source", "source", text, None)
    return "".join(parts), runs


def _prefilled(target: str) -> str:
    """The mark of a target wixloc filled that is not a translation (a copy of the source): the
    fingerprint of what it wrote, so the reader can tell whether a tool changed it."""
    return fingerprint(target)


def _state_name(unit: Unit) -> str:
    if unit.state is UnitState.NEW:
        return "new" if unit.target else "needs-translation"
    return _WRITE_STATE[unit.state]


def _element(
    parts: list[str], head: str, name: str, text: str, source: list[Run] | None
) -> list[Run]:
    """Append ``<source>``/``<target>`` (*head* is its start tag without ``>``) holding *text*.

    Returns the runs of *text*, so the target's codes can take the ids of the source's.
    """
    if not text:
        parts.append(head + "/>")
        return []
    parts.append(head + ">")
    if is_plain(text):
        parts.append(esc(text))  # no "<" or "&" in plain text: only ">" and CR to escape
        parts.append(f"</{name}>")
        return [text]
    runs = parse(text) if source is None else parse_aligned(text, source)
    _content(parts, runs)
    parts.append(f"</{name}>")
    return runs


def _content(parts: list[str], runs: list[Run]) -> None:
    next_id = 0  # ids for characters XML cannot hold, after the codes' ids
    for run in runs:
        if isinstance(run, Code):
            parts.append(_code(run))
            continue
        for piece in split_invalid(run):
            if not is_invalid(piece):
                parts.append(esc(piece))
                continue
            if not next_id:
                next_id = max((r.id for r in runs if isinstance(r, Code)), default=0) + 1
            # XLIFF 1.2 has no <cp>: a placeholder code names the character instead
            parts.append(f'<ph id="{next_id}" ctype="{_CHAR}">U+{ord(piece):04X}</ph>')
            next_id += 1


def _code(code: Code) -> str:
    kind, cid, raw, name = code
    if kind is CodeKind.OPEN:
        ctype = _BPT_CTYPE.get(name, f"x-html-{name}")
        return f'<bpt id="{cid}" ctype="{ctype}">{esc(raw)}</bpt>'
    if kind is CodeKind.CLOSE:
        return f'<ept id="{cid}">{esc(raw)}</ept>'
    if kind is CodeKind.ISOLATED_OPEN or kind is CodeKind.ISOLATED_CLOSE:
        pos = "open" if kind is CodeKind.ISOLATED_OPEN else "close"
        return f'<it id="{cid}" pos="{pos}" ctype="x-html-{name}">{esc(raw)}</it>'
    value = equiv(code)
    extra = "" if value is None else f' equiv-text="{esc_attr(value)}"'
    return f'<ph id="{cid}" ctype="{_ph_ctype(code)}"{extra}>{esc(raw)}</ph>'


def _ph_ctype(code: Code) -> str:
    if code.kind is CodeKind.ENTITY:
        return "x-html-entity"
    if not code.name:
        return "x-html-other"  # a comment or declaration
    return _PH_CTYPE.get(code.name, f"x-html-{code.name}")


# --- reading (in wixloc.formats._xliff1read) ------------------------------------------------

read = read_all(stream)


def sniff(head: bytes) -> bool:
    version = xliff_version(head)
    return version is not None and version.startswith("1")


FORMAT = Format(
    name="xliff",
    # Trados Studio's, memoQ's and Phrase's bilingual files are XLIFF 1.2 under their own names
    extensions=(".xlf", ".xliff", ".sdlxliff", ".mqxliff", ".mxliff"),
    description="XLIFF 1.2 translator file (Trados, memoQ, Phrase, Crowdin ...)",
    read_units=read,
    write_units=write,
    stream_units=stream,
    open_units=_Writer,
    sniff=sniff,
)
