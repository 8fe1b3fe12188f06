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

States: ``initial`` (new; ``subState="wixloc:needs-review"`` marks a suggestion to review),
``translated``, ``reviewed``, ``final``. Read back: ``initial`` with a target wixloc did not write
is a suggestion (not applied); a segment without ``state`` and with a target is translated.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import BinaryIO

from lxml import etree

from wixloc.errors import FormatError, InputError
from wixloc.formats import Format, ReadOptions
from wixloc.formats._xliff import (
    WIXLOC_NOTE,
    UnitIds,
    check_xml,
    is_invalid,
    iterparse,
    language_attr,
    line_of,
    localname,
    parse_language,
    split_invalid,
    xliff_version,
)
from wixloc.formats.markup import Code, CodeKind, Node, Run, align_ids, equiv, parse, tree
from wixloc.model import Language, Unit, UnitFile, UnitState, format_key, parse_key

__all__ = ["FORMAT", "NS", "read", "write"]

NS = "urn:oasis:names:tc:xliff:document:2.0"
SLR = "urn:oasis:names:tc:xliff:sizerestriction:2.0"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_FP, _PREV, _KEYS = (WIXLOC_NOTE + n for n in ("fingerprint", "previous-source", "key-columns"))
_SUB_REVIEW, _SUB_NEW = WIXLOC_NOTE + "needs-review", WIXLOC_NOTE + "new"

_WRITE_STATE = {
    UnitState.NEW: "initial",
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


def write(units: UnitFile, fh: BinaryIO) -> None:
    """Write *units* as XLIFF 2.0, streaming one ``<unit>`` at a time."""
    root_attrs = {
        "version": "2.0",
        "srcLang": language_attr(units.source_language),
        "trgLang": language_attr(units.target_language),
    }
    file_attrs = {"id": "f1"}
    if units.original:
        file_attrs["original"] = units.original
    ids = UnitIds()
    fh.write(b'<?xml version="1.0" encoding="UTF-8"?>\n')
    with (
        etree.xmlfile(fh, encoding="UTF-8") as xf,
        xf.element(f"{{{NS}}}xliff", root_attrs, nsmap={None: NS}),
    ):
        xf.write("\n  ")
        with xf.element(f"{{{NS}}}file", file_attrs):
            for element in _file_head(units):
                xf.write("\n    ")
                xf.write(element)
            for unit in units.units:
                xf.write("\n    ")
                xf.write(_unit(unit, ids(unit.key), units.target_language))
            if not units.units:  # a <file> needs a unit or a group; an empty group holds nothing
                xf.write("\n    ")
                xf.write(etree.Element("group", id="empty"))
            xf.write("\n  ")
        xf.write("\n")
    fh.write(b"\n")


# Elements below are built without a namespace and written inside the <xliff> element, whose
# default namespace they inherit: lxml would otherwise redeclare it on every unit.


def _file_head(units: UnitFile) -> list[etree._Element]:
    head: list[etree._Element] = []
    if any(unit.max_length is not None for unit in units.units):
        profiles = etree.Element(f"{{{SLR}}}profiles", nsmap={"slr": SLR})
        profiles.set("generalProfile", "xliff:codepoints")
        head.append(profiles)
    if units.key_columns:
        notes = etree.Element("notes")
        _note(notes, format_key(units.key_columns), _KEYS, applies=False)
        _indent(notes, "\n      ", "\n    ")
        head.append(notes)
    return head


def _unit(unit: Unit, uid: str, language: Language) -> etree._Element:
    name = check_xml(format_key(unit.key), "key", unit.key, language, "XLIFF")
    if unit.max_length is None:
        element = etree.Element("unit", {"id": uid, "name": name, _XML_SPACE: "preserve"})
    else:
        element = etree.Element("unit", {"id": uid, "name": name}, nsmap={"slr": SLR})
        element.set(_XML_SPACE, "preserve")
        element.set(f"{{{SLR}}}sizeRestriction", str(unit.max_length))
    _unit_notes(element, unit, language)
    source_runs = parse(unit.source)
    target_runs = align_ids(parse(unit.target), source_runs)
    data = _Data()
    original = etree.SubElement(element, "originalData")
    segment = etree.SubElement(element, "segment", state=_WRITE_STATE[unit.state])
    sub_state = _sub_state(unit)
    if sub_state:
        segment.set("subState", sub_state)
    _inline(etree.SubElement(segment, "source"), tree(source_runs), data)
    _inline(etree.SubElement(segment, "target"), tree(target_runs), data)
    if data.texts:
        data.write(original)
        _indent(original, "\n        ", "\n      ")
    else:
        element.remove(original)
    _indent(segment, "\n        ", "\n      ")
    _indent(element, "\n      ", "\n    ")
    return element


def _sub_state(unit: Unit) -> str | None:
    if unit.state is UnitState.NEEDS_REVIEW:
        return _SUB_REVIEW
    if unit.state is UnitState.NEW and unit.target:
        return _SUB_NEW  # a pre-filled target that is not a translation yet
    return None


def _unit_notes(element: etree._Element, unit: Unit, language: Language) -> None:
    notes = etree.Element("notes")
    for text in unit.notes:
        _note(notes, check_xml(text, "note", unit.key, language, "XLIFF"), None, applies=False)
    if unit.fingerprint is not None:
        fp = check_xml(unit.fingerprint, "fingerprint", unit.key, language, "XLIFF")
        _note(notes, fp, _FP, applies=True)
    if unit.previous_source is not None:
        old = check_xml(unit.previous_source, "previous source", unit.key, language, "XLIFF")
        _note(notes, old, _PREV, applies=True)
    if len(notes):
        _indent(notes, "\n        ", "\n      ")
        element.append(notes)


def _note(parent: etree._Element, text: str, category: str | None, *, applies: bool) -> None:
    note = etree.SubElement(parent, "note")
    if category is not None:
        note.set("category", category)
    if applies:
        note.set("appliesTo", "source")
    note.text = text


def _indent(parent: etree._Element, inner: str, last: str) -> None:
    children = list(parent)
    parent.text = inner
    for child in children:
        child.tail = inner
    children[-1].tail = last


class _Data:
    """The unit's ``<originalData>``: one ``<data>`` per distinct tag text, shared by both sides."""

    def __init__(self) -> None:
        self.texts: dict[str, str] = {}

    def ref(self, text: str) -> str:
        if text not in self.texts:
            self.texts[text] = f"d{len(self.texts) + 1}"
        return self.texts[text]

    def write(self, parent: etree._Element) -> None:
        for text, ref in self.texts.items():
            etree.SubElement(parent, "data", id=ref).text = text


def _inline(parent: etree._Element, items: Sequence[Run | Node], data: _Data) -> None:
    last: etree._Element | None = None
    for item in items:
        if isinstance(item, str):
            last = _text(parent, last, item)
            continue
        if isinstance(item, Node):
            last = etree.SubElement(parent, "pc", id=str(item.open.id))
            last.set("dataRefStart", data.ref(item.open.text))
            last.set("dataRefEnd", data.ref(item.close.text))
            if item.open.name in _PC_TYPE:
                last.set("type", _PC_TYPE[item.open.name])
            _inline(last, item.children, data)
        else:
            last = _code(parent, item, data)


def _text(parent: etree._Element, last: etree._Element | None, text: str) -> etree._Element | None:
    for piece in split_invalid(text):
        if is_invalid(piece):
            last = etree.SubElement(parent, "cp", hex=f"{ord(piece):04X}")
        elif last is None:
            parent.text = (parent.text or "") + piece
        else:
            last.tail = (last.tail or "") + piece
    return last


def _code(parent: etree._Element, code: Code, data: _Data) -> etree._Element:
    if code.kind in (CodeKind.ISOLATED_OPEN, CodeKind.ISOLATED_CLOSE):
        tag = "sc" if code.kind is CodeKind.ISOLATED_OPEN else "ec"
        return etree.SubElement(
            parent, tag, id=str(code.id), isolated="yes", dataRef=data.ref(code.text)
        )
    element = etree.SubElement(parent, "ph", id=str(code.id), dataRef=data.ref(code.text))
    value = equiv(code)
    if value is not None:
        element.set("equiv", value)
    return element


# --- reading ----------------------------------------------------------------------------------


def read(fh: BinaryIO, options: ReadOptions) -> UnitFile:
    """Read an XLIFF 2.0 file (ours, or as a CAT tool wrote it back), streaming."""
    name = options.name
    result: UnitFile | None = None
    original: str | None = None
    for event, element in iterparse(fh, name, ("{*}xliff", "{*}file", "{*}notes", "{*}unit")):
        tag = localname(element)
        if event == "start" and tag == "xliff":
            result = _root(element, name)
        elif event == "start" and tag == "file" and original is None:
            original = element.get("original")
        elif event == "end" and tag == "notes" and result is not None:
            _file_notes(element, result)
        elif event == "end" and tag == "unit" and result is not None:
            result.units.append(_read_unit(element, name))
            _release(element)
    if result is None:
        raise InputError("not an XLIFF 2.0 file: it has no <xliff> element", file=name)
    result.original = original or None
    return result


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


def _release(element: etree._Element) -> None:
    """Free a processed unit and the ones before it, so memory stays flat on large files."""
    element.clear()
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


_Codes = dict[tuple[str, str], str]  # (code kind, id) -> original text, from the unit's source


class _UnitReader:
    def __init__(self, element: etree._Element, name: str) -> None:
        key_text = element.get("name")
        if key_text is None:
            raise InputError(
                f"unit '{element.get('id')}' has no name (wixloc keeps the entry's key there)",
                file=name,
                line=line_of(element),
            )
        self.name = name
        self.unit = Unit(key=parse_key(key_text), source="", line=line_of(element))
        self.data: dict[str, str] = {}
        self.codes: _Codes = {}

    def fail(self, what: str, line: int | None) -> InputError:
        return InputError(f"unit '{format_key(self.unit.key)}': {what}", file=self.name, line=line)

    def text(self, element: etree._Element, record: bool) -> str:
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
        if text is None and not record:
            text = self.codes.get((kind, cid))  # a tool that dropped dataRef: take the source's
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


def _read_unit(element: etree._Element, name: str) -> Unit:
    reader = _UnitReader(element, name)
    unit = reader.unit
    size = element.get(f"{{{SLR}}}sizeRestriction")
    unit.max_length = int(size) if size is not None and size.isdigit() else None
    parts: list[etree._Element] = []
    for child in element:
        tag = localname(child)
        if tag == "notes":
            _unit_notes_read(child, unit)
        elif tag == "originalData":
            reader.data = {d.get("id", ""): reader.text(d, False) for d in child}
        elif tag in ("segment", "ignorable"):
            parts.append(child)
    _segments(reader, parts)
    return unit


def _unit_notes_read(notes: etree._Element, unit: Unit) -> None:
    for note in notes:
        text = note.text or ""
        category = note.get("category")
        if category == _FP:
            unit.fingerprint = text.strip()
        elif category == _PREV:
            unit.previous_source = text
        else:
            unit.notes.append(text)


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
    if name in _READ_STATE:
        return _READ_STATE[name]
    sub_state = segment.get("subState")  # ours only qualifies "initial"
    if sub_state == _SUB_REVIEW:
        return UnitState.NEEDS_REVIEW
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
    sniff=sniff,
)
