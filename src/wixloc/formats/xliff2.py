"""XLIFF 2.0 translator files (``.xlf``, ``.xliff``), valid against the OASIS core 2.0 schema.

Layout (see docs/formats/xliff.md)::

    <xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="de">
      <file id="f1" original="content.csv">
        <notes><note category="wixloc:key-columns">Collection ID|Item ID|Field</note></notes>
        <unit id="Products.p-1.title" name="Products|p-1|title" xml:space="preserve">
          <notes>
            <note>Collection: Products · Item: p-1 · Field: title</note>
            <note category="wixloc:fingerprint" appliesTo="source">1f2e3d4c5b6a7980</note>
          </notes>
          <originalData><data id="d1">&lt;b&gt;</data><data id="d2">&lt;/b&gt;</data></originalData>
          <segment state="initial">
            <source>Save <pc id="1" dataRefStart="d1" dataRefEnd="d2" type="fmt">10%</pc></source>
            <target></target>
          </segment>
        </unit>

Unit ids are NMTOKENs derived from the key; the key itself is ``name``. Markup becomes ``<pc>``
(pairs), ``<ph>`` (standalone tags and entities) and isolated ``<sc>``/``<ec>``, whose
``<data>`` holds the exact tag text. A character XML cannot hold is written as ``<cp hex="0001"/>``.
``max_length`` is the Size and Length Restriction module's ``slr:sizeRestriction`` (in code points).

The writer streams each unit as escaped XML text (see :mod:`wixloc.formats._xliff`); the reader
streams with iterparse and joins segments and ignorables as Phrase and Crowdin split them.

States: ``initial`` (new), ``translated``, ``reviewed``, ``final``; a suggestion to review (a
reused or stale translation) is ``translated`` with ``subState="wixloc:needs-review"`` and a note. Read back: ``initial`` with a target wixloc did not write
is a suggestion (not applied); a segment without ``state`` and with a target is translated. A
pre-filled target (``split --copy-source``) carries a ``wixloc:prefilled`` note with its
fingerprint: changed by a tool that left the state as written, it is a translation.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Generator, Iterator, Sequence
from typing import BinaryIO

from lxml import etree

from wixloc.errors import FormatError, InputError
from wixloc.formats import Format, ReadOptions, UnitSinkOpener, read_all, write_all
from wixloc.formats._xliff import (
    WIXLOC_NOTE,
    Output,
    UnitIds,
    check_xml,
    esc,
    esc_attr,
    is_invalid,
    is_plain,
    iterparse,
    language_attr,
    line_of,
    localname,
    parse_language,
    release,
    split_invalid,
    xliff_version,
)
from wixloc.formats.dialects import settle_state
from wixloc.formats.markup import Code, CodeKind, Node, Run, equiv, parse, parse_aligned, tree
from wixloc.model import (
    Key,
    Language,
    Suggestion,
    Unit,
    UnitFile,
    UnitState,
    fingerprint,
    format_key,
    parse_key,
)

__all__ = ["FORMAT", "NS", "open_copy_source", "read", "stream", "write", "write_copy_source"]

NS = "urn:oasis:names:tc:xliff:document:2.0"
SLR = "urn:oasis:names:tc:xliff:sizerestriction:2.0"
MTC = "urn:oasis:names:tc:xliff:matches:2.0"
_SEGMENT_ID = "s1"  # the id a unit's one segment gets when matches refer to it
_FP, _PREV, _KEYS, _PREFILLED = (
    WIXLOC_NOTE + n for n in ("fingerprint", "previous-source", "key-columns", "prefilled")
)
_SUB_REVIEW, _SUB_NEW = WIXLOC_NOTE + "needs-review", WIXLOC_NOTE + "new"

_WRITE_STATE = {
    UnitState.NEW: "initial",
    # XLIFF 2.0 core has no "needs review" state: a suggestion with a target is "translated",
    # qualified by our subState and explained in a note (see _unit); confirming it
    # (reviewed/final) or dropping the subState accepts it
    UnitState.NEEDS_REVIEW: "initial",
    UnitState.TRANSLATED: "translated",
    UnitState.REVIEWED: "reviewed",
    UnitState.FINAL: "final",
}
_READ_STATE = {
    "translated": UnitState.TRANSLATED,
    "reviewed": UnitState.REVIEWED,
    "final": UnitState.FINAL,
}
_PC_TYPE = {"b": "fmt", "strong": "fmt", "i": "fmt", "em": "fmt", "u": "fmt", "a": "link"}


# --- writing ----------------------------------------------------------------------------------


class _Writer:
    """XLIFF 2.0, streamed one ``<unit>`` at a time. *limits*: declare the size-restriction
    module, for units that carry a max length. *copy_source*: an empty target gets a copy of
    the source, marked as wixloc's (see xliff1), for tools that translate the target in place."""

    def __init__(
        self, units: UnitFile, fh: BinaryIO, limits: bool = False, *, copy_source: bool = False
    ) -> None:
        self._copy = copy_source
        self._language = units.target_language
        self._ids = UnitIds()
        self._empty = True
        self._out = Output(fh)
        self._out.add(
            f'<?xml version="1.0" encoding="UTF-8"?>\n<xliff xmlns="{NS}"'
            + (f' xmlns:slr="{SLR}"' if limits else "")
            + f' version="2.0" srcLang="{esc_attr(language_attr(units.source_language))}"'
            f' trgLang="{esc_attr(language_attr(units.target_language))}">\n  <file id="f1"'
            + (f' original="{esc_attr(units.original)}"' if units.original else "")
            + ">"
        )
        if limits:
            self._out.add('\n    <slr:profiles generalProfile="xliff:codepoints"/>')
        if units.key_columns:
            keys = esc(format_key(units.key_columns))
            self._out.add(
                f'\n    <notes>\n      <note category="{_KEYS}">{keys}</note>\n    </notes>'
            )

    def add(self, unit: Unit) -> None:
        self._empty = False
        if self._copy and not unit.target and unit.state is UnitState.NEW:
            unit = dataclasses.replace(unit, target=unit.source)
        self._out.add(_unit(unit, self._ids(unit.key), self._language))

    def close(self) -> None:
        if self._empty:  # a <file> needs a unit or a group; an empty group holds nothing
            self._out.add('\n    <group id="empty"/>')
        self._out.add("\n  </file>\n</xliff>\n")
        self._out.flush()


write = write_all(_Writer)
#: The unit sink and writer of ``split --copy-source``: empty targets hold the source
open_copy_source: UnitSinkOpener = functools.partial(_Writer, copy_source=True)
write_copy_source = write_all(open_copy_source)


_IN, _IN2 = "\n      ", "\n        "  # indentation inside a unit, and one level deeper


def _unit(unit: Unit, uid: str, language: Language) -> str:
    name = esc_attr(check_xml(format_key(unit.key), "key", unit.key, language, "XLIFF"))
    head = f'\n    <unit id="{uid}" name="{name}" xml:space="preserve"'
    if unit.max_length is not None:
        head += f' slr:sizeRestriction="{unit.max_length}"'
    parts = [head, ">"]
    if unit.suggestions:
        _matches(parts, unit)
    _unit_notes(parts, unit, language)
    data = _Data()
    sub_state = _sub_state(unit)
    sub = f' subState="{sub_state}"' if sub_state else ""
    review = unit.state is UnitState.NEEDS_REVIEW and unit.target
    state = "translated" if review else _WRITE_STATE[unit.state]
    sid = f'id="{_SEGMENT_ID}" ' if unit.suggestions else ""
    segment = [f'{_IN}<segment {sid}state="{state}"{sub}>']
    source = _element(segment, f"{_IN2}<source", "source", unit.source, None, data)
    _element(segment, f"{_IN2}<target", "target", unit.target, source, data)
    segment.append(f"{_IN}</segment>\n    </unit>")
    if data.texts:
        parts.append(f"{_IN}<originalData>")
        parts += [f'{_IN2}<data id="{ref}">{esc(raw)}</data>' for raw, ref in data.texts.items()]
        parts.append(f"{_IN}</originalData>")
    return "".join(parts + segment)


_IN3 = _IN2 + "  "


def _matches(parts: list[str], unit: Unit) -> None:
    """The Translation Candidates module's ``<mtc:matches>``: a memory's suggestions for the
    unit's segment, each with its own ``originalData``; never the unit's translation."""
    parts.append(f'{_IN}<mtc:matches xmlns:mtc="{MTC}">')
    for offered in unit.suggestions:
        source, target = offered.source, offered.target  # control characters: <cp>, as ever
        valid = "".join(p for p in split_invalid(offered.origin) if not is_invalid(p))
        origin = esc_attr(" ".join(valid.split()))  # an attribute: one line
        extra = f' origin="{origin}"' if origin else ""
        parts.append(
            f'{_IN2}<mtc:match ref="#{_SEGMENT_ID}" matchQuality="{offered.score}"{extra}>'
        )
        data = _Data()
        texts: list[str] = []
        runs = _element(texts, f"{_IN3}<source", "source", source, None, data)
        _element(texts, f"{_IN3}<target", "target", target, runs, data)
        if data.texts:
            parts.append(f"{_IN3}<originalData>")
            parts += [
                f'{_IN3}  <data id="{ref}">{esc(raw)}</data>' for raw, ref in data.texts.items()
            ]
            parts.append(f"{_IN3}</originalData>")
        parts += texts
        parts.append(f"{_IN2}</mtc:match>")
    parts.append(f"{_IN}</mtc:matches>")


def _sub_state(unit: Unit) -> str | None:
    if unit.state is UnitState.NEEDS_REVIEW:
        return _SUB_REVIEW
    if unit.state is UnitState.NEW and unit.target:
        return _SUB_NEW  # a pre-filled target that is not a translation yet
    return None


def _unit_notes(parts: list[str], unit: Unit, language: Language) -> None:
    prefilled = unit.state is UnitState.NEW and bool(unit.target)
    if not (unit.notes or prefilled) and unit.fingerprint is None and unit.previous_source is None:
        return
    parts.append(f"{_IN}<notes>")
    for text in unit.notes:
        note = esc(check_xml(text, "note", unit.key, language, "XLIFF"))
        parts.append(f"{_IN2}<note>{note}</note>" if note else f"{_IN2}<note/>")
    if unit.fingerprint is not None:
        fp = esc(check_xml(unit.fingerprint, "fingerprint", unit.key, language, "XLIFF"))
        parts.append(f'{_IN2}<note category="{_FP}" appliesTo="source">{fp}</note>')
    if unit.previous_source is not None:
        old = esc(check_xml(unit.previous_source, "previous source", unit.key, language, "XLIFF"))
        parts.append(f'{_IN2}<note category="{_PREV}" appliesTo="source">{old}</note>')
    if prefilled:  # what wixloc wrote, so the reader can tell a tool's change from it
        mark = fingerprint(unit.target)
        parts.append(f'{_IN2}<note category="{_PREFILLED}" appliesTo="target">{mark}</note>')
    parts.append(f"{_IN}</notes>")


class _Data:
    """The unit's ``<originalData>``: one ``<data>`` per distinct tag text, shared by both sides."""

    def __init__(self) -> None:
        self.texts: dict[str, str] = {}

    def ref(self, text: str) -> str:
        if text not in self.texts:
            self.texts[text] = f"d{len(self.texts) + 1}"
        return self.texts[text]


def _element(
    parts: list[str], head: str, name: str, text: str, source: list[Run] | None, data: _Data
) -> list[Run]:
    """Append ``<source>``/``<target>`` (*head* is its start tag without ``>``) holding *text*."""
    if not text:
        parts.append(head + "/>")
        return []
    parts.append(head + ">")
    if is_plain(text):
        parts.append(esc(text))  # no "<" or "&" in plain text: only ">" and CR to escape
        runs: list[Run] = [text]
    else:
        runs = parse(text) if source is None else parse_aligned(text, source)
        _inline(parts, tree(runs), data)
    parts.append(f"</{name}>")
    return runs


def _inline(parts: list[str], items: Sequence[Run | Node], data: _Data) -> None:
    for item in items:
        if isinstance(item, str):
            for piece in split_invalid(item):
                parts.append(f'<cp hex="{ord(piece):04X}"/>' if is_invalid(piece) else esc(piece))
        elif isinstance(item, Node):
            start, end = data.ref(item.open.text), data.ref(item.close.text)
            kind = _PC_TYPE.get(item.open.name)
            extra = f' type="{kind}"' if kind else ""
            parts.append(
                f'<pc id="{item.open.id}" dataRefStart="{start}" dataRefEnd="{end}"{extra}>'
            )
            _inline(parts, item.children, data)
            parts.append("</pc>")
        else:
            parts.append(_code(item, data))


def _code(code: Code, data: _Data) -> str:
    ref = data.ref(code.text)
    if code.kind is CodeKind.ISOLATED_OPEN:
        return f'<sc id="{code.id}" isolated="yes" dataRef="{ref}"/>'
    if code.kind is CodeKind.ISOLATED_CLOSE:
        return f'<ec id="{code.id}" isolated="yes" dataRef="{ref}"/>'
    value = equiv(code)
    extra = "" if value is None else f' equiv="{esc_attr(value)}"'
    return f'<ph id="{code.id}" dataRef="{ref}"{extra}/>'


# --- reading ----------------------------------------------------------------------------------


def stream(fh: BinaryIO, options: ReadOptions) -> Generator[UnitFile | Unit, None, None]:
    """An XLIFF 2.0 file (ours, or as a CAT tool wrote it back): its UnitFile, then its units
    as they are parsed."""
    name = options.name
    result: UnitFile | None = None
    original: str | None = None
    started = False
    for event, element in iterparse(fh, name, ("{*}xliff", "{*}file", "{*}notes", "{*}unit")):
        tag = localname(element)
        if event == "start" and tag == "xliff":
            result = _root(element, name)
        elif event == "start" and tag == "file" and original is None:
            original = element.get("original")
            if result is not None:
                result.original = original or None
        elif event == "end" and tag == "notes" and result is not None:
            _file_notes(element, result)
        elif event == "end" and tag == "unit" and result is not None:
            width = len(result.key_columns) if result.key_columns else None
            unit = _read_unit(element, name, width)
            release(element)
            if not started:
                started = True
                yield result
            yield unit
    if result is None:
        raise InputError("not an XLIFF 2.0 file: it has no <xliff> element", file=name)
    if not started:
        yield result


read = read_all(stream)


def _root(root: etree._Element, name: str) -> UnitFile:
    version = root.get("version", "")
    line = line_of(root)
    if not version.startswith("2"):
        raise FormatError(
            f"this is XLIFF {version or '1.x'}, not XLIFF 2", file=name, hint="read it as xliff"
        )
    source = parse_language(root.get("srcLang"), "srcLang", name, line)
    target = parse_language(root.get("trgLang"), "trgLang", name, line)
    return UnitFile(source, target)


def _file_notes(notes: etree._Element, result: UnitFile) -> None:
    parent = notes.getparent()
    if parent is None or localname(parent) != "file":
        return
    for note in notes:
        if note.get("category") == _KEYS and note.text:
            result.key_columns = list(parse_key(note.text))


_ALIASES = {
    "ph": ("ph",),
    "sc": ("sc", "pc-start"),
    "ec": ("ec", "pc-end"),
    "pc-start": ("pc-start", "sc"),
    "pc-end": ("pc-end", "ec"),
}
_Codes = dict[tuple[str, str], str]  # (code kind, id) -> original text, from the unit's source


def _key(element: etree._Element, name: str, width: int | None) -> Key:
    """The unit's key: its ``name``, else (a tool dropped it) wixloc's id, the key's parts
    joined with ``.``."""
    key_text = element.get("name")
    if key_text is not None:
        return parse_key(key_text)
    uid = element.get("id")
    key = tuple(uid.split(".")) if uid else ()
    if not uid or (width is not None and len(key) != width):
        raise InputError(
            f"unit '{uid}' has no name, and its id is not one wixloc wrote (wixloc keeps the "
            "entry's key in name, and in the id as its parts joined with '.')",
            file=name,
            line=line_of(element),
        )
    return key


class _UnitReader:
    def __init__(self, element: etree._Element, name: str, key_width: int | None) -> None:
        self.name = name
        self.unit = Unit(key=_key(element, name, key_width), source="", line=line_of(element))
        self.data: dict[str, str] = {}
        self.codes: _Codes = {}
        self.prefilled: str | None = None  # the fingerprint of a target wixloc pre-filled

    def fail(self, what: str, line: int | None) -> InputError:
        return InputError(f"unit '{format_key(self.unit.key)}': {what}", file=self.name, line=line)

    def text(self, element: etree._Element, record: bool) -> str:
        if not len(element):
            return element.text or ""  # the common case: no inline codes
        return "".join(self._pieces(element, record))

    def _pieces(self, element: etree._Element, record: bool) -> Iterator[str]:
        if element.text:
            yield element.text
        for child in element:
            tag = localname(child)
            if tag == "pc":
                yield self._code(child, "pc-start", "dataRefStart", record)
                yield from self._pieces(child, record)
                yield self._code(child, "pc-end", "dataRefEnd", record)
            elif tag in ("ph", "sc", "ec"):
                yield self._code(child, tag, "dataRef", record)
            elif tag == "cp":
                yield self._cp(child)
            elif tag == "mrk":
                yield from self._pieces(child, record)  # annotations are transparent
            elif tag not in ("sm", "em"):
                raise self.fail(f"unexpected <{tag}> in the text", line_of(child))
            if child.tail:
                yield child.tail

    def _code(self, code: etree._Element, kind: str, attr: str, record: bool) -> str:
        cid = code.get("id") or code.get("startRef") or ""
        ref = code.get(attr)
        text = self.data.get(ref) if ref is not None else None
        if text is None and not record:  # a tool dropped dataRef: take the source code's text
            for alias in _ALIASES[kind]:  # a <pc> may come back as <sc>/<ec>, and the reverse
                text = text or self.codes.get((alias, cid))
        if text is None:
            what = f'inline code <{localname(code)} id="{cid}"> has no original data'
            raise self.fail(what, line_of(code))
        if record:
            self.codes[(kind, cid)] = text
        return text

    def _cp(self, cp: etree._Element) -> str:
        value = cp.get("hex", "")
        try:
            return chr(int(value, 16))
        except ValueError:
            raise self.fail(f'<cp hex="{value}"> is not a character code', line_of(cp)) from None


def _read_unit(element: etree._Element, name: str, key_width: int | None) -> Unit:
    reader = _UnitReader(element, name, key_width)
    unit = reader.unit
    size = element.get(f"{{{SLR}}}sizeRestriction")
    unit.max_length = int(size) if size is not None and size.isdigit() else None
    parts: list[etree._Element] = []
    matches: list[etree._Element] = []
    for child in element:
        tag = localname(child)
        if child.tag == f"{{{MTC}}}matches":
            matches.extend(m for m in child if m.tag == f"{{{MTC}}}match")
        elif tag == "notes":
            reader.prefilled = _unit_notes_read(child, unit)
        elif tag == "originalData":
            reader.data = {d.get("id", ""): reader.text(d, False) for d in child}
        elif tag in ("segment", "ignorable"):
            parts.append(child)
    _segments(reader, parts)
    for match in matches:  # after the segments: a match's codes may fall back on the source's
        _read_match(reader, match)
    if unit.state is UnitState.NEW and reader.prefilled is not None and unit.target:
        # wixloc wrote "initial" with a marked target: a tool that changed the target and
        # left the state as written (OmegaT) translated it (formats.dialects.settle_state)
        untouched = reader.prefilled == fingerprint(unit.target)
        unit.state = settle_state(UnitState.NEW, unit.target, untouched=untouched)
    return unit


def _read_match(reader: _UnitReader, match: etree._Element) -> None:
    """A ``<mtc:match>`` as a suggestion; one wixloc cannot read (no target, no quality, codes
    it cannot resolve) is left out: it is only a suggestion."""
    quality = match.get("matchQuality") or ""
    try:
        score = int(float(quality))
    except ValueError:
        return
    own = reader.data
    try:
        data = _child(match, "originalData")
        reader.data = (
            {d.get("id", ""): reader.text(d, False) for d in data} if data is not None else {}
        )
        source = _child(match, "source")
        target = _child(match, "target")
        if target is None:
            return
        text = reader.text(target, False)
        old = reader.text(source, False) if source is not None else ""
    except InputError:
        return
    finally:
        reader.data = own
    if text:
        reader.unit.suggestions.append(Suggestion(old, text, score, match.get("origin") or ""))


def _unit_notes_read(notes: etree._Element, unit: Unit) -> str | None:
    """Read the unit's notes into *unit*; the fingerprint of a target wixloc pre-filled."""
    prefilled = None
    for note in notes:
        text = note.text or ""
        category = note.get("category")
        if category == _FP:
            unit.fingerprint = text.strip()
        elif category == _PREV:
            unit.previous_source = text
        elif category == _PREFILLED:
            prefilled = text.strip()
        else:
            unit.notes.append(text)
    return prefilled


def _segments(reader: _UnitReader, parts: list[etree._Element]) -> None:
    """Join segments and ignorables: source, target (if any segment has one), least done state."""
    sources: list[str] = []
    targets: list[str] = []
    states: list[UnitState] = []
    any_target = False
    for part in parts:
        source = _child(part, "source")
        target = _child(part, "target")
        text = reader.text(source, True) if source is not None else ""
        sources.append(text)
        translated = reader.text(target, False) if target is not None else None
        if localname(part) == "ignorable":
            targets.append(text if translated is None else translated)
            continue
        any_target = any_target or translated is not None
        targets.append(translated or "")
        states.append(_state(part, translated or ""))
    unit = reader.unit
    unit.source = "".join(sources)
    unit.target = "".join(targets) if any_target else ""
    order = list(UnitState)
    unit.state = min(states, key=order.index) if states else UnitState.NEW


def _child(element: etree._Element, tag: str) -> etree._Element | None:
    for child in element:
        if localname(child) == tag:
            return child
    return None


def _state(segment: etree._Element, target: str) -> UnitState:
    name = segment.get("state")
    sub_state = segment.get("subState")  # ours qualifies "initial" and "translated" only
    if sub_state == _SUB_REVIEW and name in (None, "initial", "translated"):
        return UnitState.NEEDS_REVIEW
    if name in _READ_STATE:
        return _READ_STATE[name]
    if sub_state == _SUB_NEW:
        return UnitState.NEW
    if name is None and target:
        return UnitState.TRANSLATED  # tools that leave state out mean the target is done
    return UnitState.NEEDS_REVIEW if target else UnitState.NEW  # "initial": a draft at most


def sniff(head: bytes) -> bool:
    version = xliff_version(head)
    return version is not None and version.startswith("2")


FORMAT = Format(
    name="xliff2",
    extensions=(".xlf", ".xliff"),
    description="XLIFF 2.0 translator file (Phrase, Crowdin, memoQ, Trados ...)",
    read_units=read,
    write_units=write,
    stream_units=stream,
    open_units=_Writer,
    sniff=sniff,
)
