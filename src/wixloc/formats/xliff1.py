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
            <source>Save <bpt id="1" ctype="bold">&lt;b&gt;</bpt>10%<ept id="1">&lt;/b&gt;</ept>
            </source>
            <target state="needs-translation"/>
            <note>Collection: Products · Item: p-1 · Field: title</note>
            <note from="wixloc:fingerprint" annotates="source">1f2e3d4c5b6a7980</note>
          </trans-unit>

Markup becomes ``<bpt>``/``<ept>`` (pairs), ``<ph>`` (standalone tags and entities) and ``<it>``
(isolated tags), each holding the exact tag text (:mod:`wixloc.formats.markup`). XLIFF 1.2 has no
``<cp>``: a character XML cannot hold (U+0001 ...) in a source or target travels as
``<ph ctype="x-wixloc-char">U+0001</ph>`` and comes back as the character; anywhere else (a key, a
note) it is refused with a FormatError naming the key and language.

The reader streams (iterparse) and accepts what CAT tools send back: ``<seg-source>`` and targets
split into ``<mrk mtype="seg">`` (Trados), targets without ``state`` (state then comes from
Trados' ``sdl:seg conf``, memoQ's ``mq:status`` or whether the target is empty), extra namespaces
and attributes, CDATA, ``<alt-trans>`` (ignored) and a missing ``<target>``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from lxml import etree

from wixloc import __version__
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
from wixloc.formats.markup import Code, CodeKind, Run, align_ids, equiv, parse
from wixloc.model import Key, Language, Unit, UnitFile, UnitState, format_key, parse_key

__all__ = ["FORMAT", "NS", "read", "write"]

NS = "urn:oasis:names:tc:xliff:document:1.2"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_CHAR = "x-wixloc-char"  # ctype of a <ph> standing for a character XML cannot hold
_FP, _PREV, _KEYS = (WIXLOC_NOTE + n for n in ("fingerprint", "previous-source", "key-columns"))

_WRITE_STATE = {
    UnitState.NEEDS_REVIEW: "needs-review-translation",
    UnitState.TRANSLATED: "translated",
    UnitState.REVIEWED: "signed-off",
    UnitState.FINAL: "final",
}
_READ_STATE = {
    "new": UnitState.NEW,
    "needs-translation": UnitState.NEW,
    "needs-adaptation": UnitState.NEW,
    "needs-l10n": UnitState.NEW,
    "needs-review-translation": UnitState.NEEDS_REVIEW,
    "needs-review-adaptation": UnitState.NEEDS_REVIEW,
    "needs-review-l10n": UnitState.NEEDS_REVIEW,
    "translated": UnitState.TRANSLATED,
    "signed-off": UnitState.REVIEWED,
    "final": UnitState.FINAL,
}
# Trados (sdl:seg conf) and memoQ (mq:status) keep their own state when a target has none.
_TOOL_STATE = {
    "Draft": UnitState.NEEDS_REVIEW,
    "RejectedTranslation": UnitState.NEEDS_REVIEW,
    "RejectedSignOff": UnitState.NEEDS_REVIEW,
    "Translated": UnitState.TRANSLATED,
    "ApprovedTranslation": UnitState.REVIEWED,
    "ApprovedSignOff": UnitState.FINAL,
    "NotStarted": UnitState.NEW,
    "Edited": UnitState.NEEDS_REVIEW,
    "PartiallyEdited": UnitState.NEEDS_REVIEW,
    "PreTranslated": UnitState.NEEDS_REVIEW,
    "MachineTranslated": UnitState.NEEDS_REVIEW,
    "Rejected": UnitState.NEEDS_REVIEW,
    "ManuallyConfirmed": UnitState.TRANSLATED,
    "Reviewer1Confirmed": UnitState.REVIEWED,
    "Reviewer2Confirmed": UnitState.FINAL,
}
_BPT_CTYPE = {"b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underlined"}
_BPT_CTYPE["a"] = "link"
_PH_CTYPE = {"br": "lb", "img": "image"}


# --- writing ----------------------------------------------------------------------------------


def write(units: UnitFile, fh: BinaryIO) -> None:
    """Write *units* as XLIFF 1.2, streaming one ``<trans-unit>`` at a time."""
    file_attrs = {
        "original": units.original or "",
        "source-language": language_attr(units.source_language),
        "target-language": language_attr(units.target_language),
        "datatype": "plaintext",
    }
    ids = UnitIds()
    fh.write(b'<?xml version="1.0" encoding="UTF-8"?>\n')
    with (
        etree.xmlfile(fh, encoding="UTF-8") as xf,
        xf.element(f"{{{NS}}}xliff", nsmap={None: NS}, version="1.2"),
    ):
        xf.write("\n  ")
        with xf.element(f"{{{NS}}}file", file_attrs):
            xf.write("\n    ")
            xf.write(_header(units))
            with xf.element(f"{{{NS}}}body"):
                for unit in units.units:
                    xf.write("\n      ")
                    xf.write(_trans_unit(unit, ids(unit.key), units.target_language))
                xf.write("\n    ")
            xf.write("\n  ")
        xf.write("\n")
    fh.write(b"\n")


# Elements below are built without a namespace and written inside the <xliff> element, whose
# default namespace they inherit: lxml would otherwise redeclare it on every unit.


def _header(units: UnitFile) -> etree._Element:
    header = etree.Element("header")
    etree.SubElement(
        header, "tool", {"tool-id": "wixloc", "tool-name": "wixloc", "tool-version": __version__}
    )
    if units.key_columns:
        note = etree.SubElement(header, "note", {"from": _KEYS})
        note.text = format_key(units.key_columns)
    _indent(header, "\n      ", "\n    ")
    header.tail = "\n    "
    return header


def _trans_unit(unit: Unit, uid: str, language: Language) -> etree._Element:
    resname = check_xml(format_key(unit.key), "key", unit.key, language, "XLIFF")
    tu = etree.Element("trans-unit", {"id": uid, "resname": resname, _XML_SPACE: "preserve"})
    if unit.max_length is not None:
        tu.set("maxwidth", str(unit.max_length))
        tu.set("size-unit", "char")
    source_runs = parse(unit.source)
    _inline(etree.SubElement(tu, "source"), source_runs)
    target = etree.SubElement(tu, "target", state=_state_name(unit))
    _inline(target, align_ids(parse(unit.target), source_runs))
    for text in unit.notes:
        _note(tu, check_xml(text, "note", unit.key, language, "XLIFF"))
    if unit.fingerprint is not None:
        _note(tu, check_xml(unit.fingerprint, "fingerprint", unit.key, language, "XLIFF"), _FP)
    if unit.previous_source is not None:
        old = check_xml(unit.previous_source, "previous source", unit.key, language, "XLIFF")
        _note(tu, old, _PREV)
    _indent(tu, "\n        ", "\n      ")
    return tu


def _state_name(unit: Unit) -> str:
    if unit.state is UnitState.NEW:
        return "new" if unit.target else "needs-translation"
    return _WRITE_STATE[unit.state]


def _note(parent: etree._Element, text: str, source: str | None = None) -> None:
    note = etree.SubElement(parent, "note")
    if source is not None:
        note.set("from", source)
        note.set("annotates", "source")
    note.text = text


def _indent(parent: etree._Element, inner: str, last: str) -> None:
    children = list(parent)
    parent.text = inner
    for child in children:
        child.tail = inner
    children[-1].tail = last


def _inline(parent: etree._Element, runs: list[Run]) -> None:
    """Append text and inline codes to *parent*; codes for invalid characters follow the rest."""
    next_id = max((r.id for r in runs if isinstance(r, Code)), default=0) + 1
    last: etree._Element | None = None
    for run in runs:
        if isinstance(run, Code):
            last = _code(parent, run)
            continue
        for piece in split_invalid(run):
            if is_invalid(piece):
                last = etree.SubElement(parent, "ph", id=str(next_id), ctype=_CHAR)
                last.text = f"U+{ord(piece):04X}"
                next_id += 1
            elif last is None:
                parent.text = (parent.text or "") + piece
            else:
                last.tail = (last.tail or "") + piece


def _code(parent: etree._Element, code: Code) -> etree._Element:
    kind = code.kind
    if kind is CodeKind.OPEN:
        element = etree.SubElement(parent, "bpt", id=str(code.id))
        element.set("ctype", _BPT_CTYPE.get(code.name, f"x-html-{code.name}"))
    elif kind is CodeKind.CLOSE:
        element = etree.SubElement(parent, "ept", id=str(code.id))
    elif kind in (CodeKind.ISOLATED_OPEN, CodeKind.ISOLATED_CLOSE):
        pos = "open" if kind is CodeKind.ISOLATED_OPEN else "close"
        element = etree.SubElement(parent, "it", id=str(code.id), pos=pos)
        element.set("ctype", f"x-html-{code.name}")
    else:
        element = etree.SubElement(parent, "ph", id=str(code.id))
        element.set("ctype", _ph_ctype(code))
        value = equiv(code)
        if value is not None:
            element.set("equiv-text", value)
    element.text = code.text
    return element


def _ph_ctype(code: Code) -> str:
    if code.kind is CodeKind.ENTITY:
        return "x-html-entity"
    if not code.name:
        return "x-html-other"  # a comment or declaration
    return _PH_CTYPE.get(code.name, f"x-html-{code.name}")


# --- reading ----------------------------------------------------------------------------------

_Codes = dict[tuple[str, str], str]  # (element name, id) -> original text, from a unit's source


def read(fh: BinaryIO, options: ReadOptions) -> UnitFile:
    """Read an XLIFF 1.2 file (ours, or as a CAT tool wrote it back), streaming."""
    name = options.name
    result: UnitFile | None = None
    for event, element in iterparse(
        fh, name, ("{*}xliff", "{*}file", "{*}header", "{*}trans-unit")
    ):
        tag = localname(element)
        if event == "start" and tag == "xliff":
            _check_version(element, name)
        elif event == "start" and tag == "file":
            result = _file(element, result, name)
        elif event == "end" and tag == "header" and result is not None:
            _key_columns(element, result)
        elif event == "end" and tag == "trans-unit" and result is not None:
            result.units.append(_unit(element, name))
            _release(element)
    if result is None:
        raise InputError("not an XLIFF 1.2 file: it has no <file> element", file=name)
    return result


def _check_version(root: etree._Element, name: str) -> None:
    version = root.get("version", "")
    if version.startswith("2"):
        raise FormatError(
            f"this is XLIFF {version}, not XLIFF 1.2", file=name, hint="read it as xliff2"
        )


def _file(element: etree._Element, result: UnitFile | None, name: str) -> UnitFile:
    line = line_of(element)
    target = parse_language(element.get("target-language"), "target-language", name, line)
    if result is not None:
        if target != result.target_language:
            raise InputError(
                f"<file> elements for two target languages ({result.target_language}, {target})",
                file=name,
                line=line,
                hint="send one file per target language",
            )
        return result
    source = parse_language(element.get("source-language"), "source-language", name, line)
    return UnitFile(source, target, original=element.get("original") or None)


def _key_columns(header: etree._Element, result: UnitFile) -> None:
    for note in header:
        if localname(note) == "note" and note.get("from") == _KEYS and note.text:
            result.key_columns = list(parse_key(note.text))


def _release(element: etree._Element) -> None:
    """Free a processed unit and the ones before it, so memory stays flat on large files."""
    element.clear()
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def _unit(tu: etree._Element, name: str) -> Unit:
    resname = tu.get("resname")
    if resname is None:
        raise InputError(
            f"trans-unit '{tu.get('id')}' has no resname (wixloc keeps the entry's key there)",
            file=name,
            line=line_of(tu),
        )
    unit = Unit(key=parse_key(resname), source="", line=line_of(tu))
    codes: _Codes = {}
    target: etree._Element | None = None
    for child in tu:
        tag = localname(child)
        if tag == "source":
            unit.source = _text(child, codes, unit.key, name, record=True)
        elif tag == "target":
            target = child
        elif tag == "note":
            _read_note(child, unit)
    if target is not None:
        unit.target = _text(target, codes, unit.key, name)
    unit.state = _read_state(tu, target, unit.target)
    unit.max_length = _max_length(tu)
    return unit


def _read_note(note: etree._Element, unit: Unit) -> None:
    text = note.text or ""
    source = note.get("from")
    if source == _FP:
        unit.fingerprint = text.strip()
    elif source == _PREV:
        unit.previous_source = text
    else:
        unit.notes.append(text)


def _max_length(tu: etree._Element) -> int | None:
    width = tu.get("maxwidth")
    if width is None or tu.get("size-unit") != "char" or not width.isdigit():
        return None
    return int(width)


def _read_state(tu: etree._Element, target: etree._Element | None, text: str) -> UnitState:
    name = target.get("state") if target is not None else None
    if name is not None:
        if name in _READ_STATE:
            return _READ_STATE[name]
        return UnitState.NEEDS_REVIEW if text else UnitState.NEW  # a tool's own x- state
    tool = _tool_state(tu)
    if tool is not None:
        return tool
    if tu.get("approved") == "yes" and text:
        return UnitState.REVIEWED
    return UnitState.TRANSLATED if text else UnitState.NEW


def _tool_state(tu: etree._Element) -> UnitState | None:
    """The least finished state Trados (``sdl:seg conf``) or memoQ (``mq:status``) recorded."""
    names = [v for k, v in tu.attrib.items() if isinstance(k, str) and k.endswith("}status")]
    for child in tu:
        if localname(child) == "seg-defs":
            names += [seg.get("conf", "Draft") for seg in child if localname(seg) == "seg"]
    states = [_TOOL_STATE[n] for n in names if n in _TOOL_STATE]
    order = list(UnitState)
    return min(states, key=order.index) if states else None


def _text(
    element: etree._Element, codes: _Codes, key: Key, name: str, *, record: bool = False
) -> str:
    return "".join(_pieces(element, codes, key, name, record))


def _pieces(
    element: etree._Element, codes: _Codes, key: Key, name: str, record: bool
) -> Iterator[str]:
    if element.text:
        yield element.text
    for child in element:
        tag = localname(child)
        if tag == "mrk":
            yield from _pieces(child, codes, key, name, record)  # segment markers are transparent
        elif tag in ("bpt", "ept", "ph", "it"):
            yield _code_text(child, tag, codes, key, name, record)
        else:
            raise InputError(
                f"unit '{format_key(key)}': unexpected <{tag}> in the text (wixloc writes inline "
                "codes as <bpt>, <ept>, <ph> and <it>, which carry the original tags)",
                file=name,
                line=line_of(child),
            )
        if child.tail:
            yield child.tail


def _code_text(
    code: etree._Element, tag: str, codes: _Codes, key: Key, name: str, record: bool
) -> str:
    cid = code.get("id", "")
    text = "".join(t for t in code.itertext() if isinstance(t, str))
    if code.get("ctype") == _CHAR:
        return _char(text, key, name, line_of(code))
    if record:
        codes[(tag, cid)] = text
    elif not text:  # a tool that kept the code but dropped its content: take the source's
        text = codes.get((tag, cid), "")
    if not text:
        raise InputError(
            f"unit '{format_key(key)}': inline code <{tag} id=\"{cid}\"> has no original text",
            file=name,
            line=line_of(code),
        )
    return text


def _char(label: str, key: Key, name: str, line: int | None) -> str:
    try:
        return chr(int(label.removeprefix("U+"), 16))
    except ValueError:
        raise InputError(
            f"unit '{format_key(key)}': '{label}' is not a character code such as U+0001",
            file=name,
            line=line,
        ) from None


def sniff(head: bytes) -> bool:
    version = xliff_version(head)
    return version is not None and version.startswith("1")


FORMAT = Format(
    name="xliff",
    extensions=(".xlf", ".xliff"),
    description="XLIFF 1.2 translator file (Trados, memoQ, Phrase, Crowdin ...)",
    read_units=read,
    write_units=write,
    sniff=sniff,
)
