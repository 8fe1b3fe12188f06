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
in chunks. The reader streams too (iterparse) and accepts what CAT tools send back:
``<seg-source>`` and targets split into ``<mrk mtype="seg">`` (Trados), targets without ``state``
(state then comes from Trados' ``sdl:seg conf``, memoQ's ``mq:status`` or whether the target is
empty), extra namespaces and attributes, CDATA, ``<alt-trans>`` (ignored) and a missing target.
"""

from __future__ import annotations

import functools
from collections.abc import Generator, Iterator
from typing import BinaryIO

from lxml import etree

from wixloc._version import __version__
from wixloc.errors import FormatError, InputError
from wixloc.formats import Format, ReadOptions, read_all, write_all
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
from wixloc.formats.markup import Code, CodeKind, Run, align_ids, equiv, parse
from wixloc.model import Key, Language, Unit, UnitFile, UnitState, format_key, parse_key

__all__ = ["FORMAT", "NS", "read", "stream", "write"]

NS = "urn:oasis:names:tc:xliff:document:1.2"
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
_BPT_CTYPE = {
    **{"b": "bold", "strong": "bold", "i": "italic", "em": "italic"},
    **{"u": "underlined", "a": "link"},
}
_PH_CTYPE = {"br": "lb", "img": "image"}


# --- writing ----------------------------------------------------------------------------------


class _Writer:
    """XLIFF 1.2, streamed one ``<trans-unit>`` at a time."""

    def __init__(self, units: UnitFile, fh: BinaryIO, limits: bool = False) -> None:
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
        self._out.add(_trans_unit(unit, self._ids(unit.key), self._language))

    def close(self) -> None:
        self._out.add("\n    </body>\n  </file>\n</xliff>\n")
        self._out.flush()


write = write_all(_Writer)


_IN = "\n        "  # indentation inside a trans-unit


def _trans_unit(unit: Unit, uid: str, language: Language) -> str:
    resname = check_xml(format_key(unit.key), "key", unit.key, language, "XLIFF")
    parts = [f'\n      <trans-unit id="{uid}" resname="{esc_attr(resname)}" xml:space="preserve"']
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
    parts.append("\n      </trans-unit>")
    return "".join(parts)


@functools.lru_cache(maxsize=64)
def _source(text: str) -> tuple[str, list[Run]]:
    """The ``<source>`` element for *text* and its runs. Cached: a split writes every target
    language's file side by side, so each source text comes several times in a row, and
    parsing its markup was a quarter of the time of writing a file."""
    parts: list[str] = []
    runs = _element(parts, f"{_IN}<source", "source", text, None)
    return "".join(parts), runs


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
    runs = parse(text)
    _content(parts, runs if source is None else align_ids(runs, source))
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


# --- reading ----------------------------------------------------------------------------------

_Codes = dict[tuple[str, str], str]  # (element name, id) -> original text, from a unit's source


def stream(fh: BinaryIO, options: ReadOptions) -> Generator[UnitFile | Unit, None, None]:
    """An XLIFF 1.2 file (ours, or as a CAT tool wrote it back): its UnitFile, then its units
    as they are parsed."""
    name = options.name
    result: UnitFile | None = None
    started = False
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
            unit = _unit(element, name)
            release(element)
            if not started:
                started = True
                yield result
            yield unit
    if result is None:
        raise InputError("not an XLIFF 1.2 file: it has no <file> element", file=name)
    if not started:
        yield result


read = read_all(stream)


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
    if not len(element):
        return element.text or ""  # the common case: no inline codes
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
    stream_units=stream,
    open_units=_Writer,
    sniff=sniff,
)
