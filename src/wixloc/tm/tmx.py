"""TMX 1.4b: the translation memory exchange format, written and read back exactly.

Layout (valid against the TMX 1.4 DTD, ``tests/data/tmx/tmx14.dtd``)::

    <?xml version="1.0" encoding="UTF-8"?>
    <!DOCTYPE tmx SYSTEM "tmx14.dtd">
    <tmx version="1.4">
      <header creationtool="wixloc" ... srclang="en" datatype="html" creationdate="..."/>
      <body>
        <tu tuid="Products|p-1|title" srclang="en" creationdate="20260101T120000Z">
          <prop type="x-wixloc-key">Products|p-1|title</prop>
          <prop type="x-collection">Products</prop>
          <prop type="x-field">title</prop>
          <tuv xml:lang="en"><seg><bpt i="1" x="1" type="bold">&lt;b&gt;</bpt>Save<ept
            i="1">&lt;/b&gt;</ept></seg></tuv>
          <tuv xml:lang="de" creationdate="..."><seg>...</seg></tuv>
        </tu>

Markup becomes TMX inline codes that hold the exact tag text (:mod:`wixloc.formats.markup`):
``<bpt>``/``<ept>`` for pairs (``i`` pairs them, ``x`` ties the same code across languages),
``<ph>`` for standalone tags and entities, ``<it pos="begin|end">`` for isolated tags. A reader
that takes the text of a ``<seg>`` with its codes' content (translate-toolkit does) gets the
original string. A character XML cannot hold travels as ``<ph type="x-wixloc-char">U+0001</ph>``.

The reader accepts TMX from CAT tools: a ``<!DOCTYPE tmx SYSTEM "tmx14.dtd">`` is accepted and
never loaded; an internal DTD subset (where entity declarations live) is refused, and so is any
entity reference, so nothing expands and nothing is fetched.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, BinaryIO

from lxml import etree

from wixloc._version import __version__
from wixloc.errors import FormatError, InputError
from wixloc.formats._xliff import (
    Output,
    esc,
    esc_attr,
    invalid_chars,
    is_invalid,
    line_of,
    split_invalid,
)
from wixloc.formats.markup import Code, CodeKind, Run, align_ids, parse

__all__ = ["KEY_PROP", "TmxFile", "TmxUnit", "read_tmx", "tmx_date", "write_tmx"]

KEY_PROP = "x-wixloc-key"  # the prop that carries a unit's key (and is its context)
CONTEXT_PROP = "x-context"  # translate-toolkit's context prop: read as context when no key
_CHAR = "x-wixloc-char"
_PAIR_TYPE = {"b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "ulined"}
_PAIR_TYPE |= {"a": "link", "font": "font", "span": "x-html-span"}
_PH_TYPE = {"br": "lb", "img": "image"}


@dataclass
class TmxUnit:
    """One ``<tu>``: the key, a text per language (source first), properties and dates."""

    key: str
    texts: dict[str, str]  # language tag -> text; the source language first
    props: list[tuple[str, str]] = field(default_factory=list)  # (type, value), key prop excluded
    created: dict[str, str] = field(default_factory=dict)  # language tag -> TMX date

    @property
    def context(self) -> str:
        """What an in-context match compares: the key, else a tool's ``x-context`` prop."""
        if self.key:
            return self.key
        return next((value for kind, value in self.props if kind == CONTEXT_PROP), "")


@dataclass
class TmxFile:
    source_language: str  # "*all*" when any language may be the source
    units: list[TmxUnit] = field(default_factory=list)
    name: str = ""


def tmx_date(moment: datetime | None = None) -> str:
    """A TMX date (ISO 8601 basic format, UTC): ``20260101T120000Z``."""
    return (moment or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


# --- writing ----------------------------------------------------------------------------------


def write_tmx(
    fh: BinaryIO, units: Iterable[TmxUnit], source_language: str, *, created: str | None = None
) -> int:
    """Write *units* as TMX 1.4b; returns how many were written."""
    out = Output(fh)
    out.add(_header(source_language, created or tmx_date()))
    count = 0
    for unit in units:
        out.add(_unit(unit, source_language))
        count += 1
    out.add("  </body>\n</tmx>\n")
    out.flush()
    return count


def _header(source_language: str, created: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n'
        '<tmx version="1.4">\n'
        f'  <header creationtool="wixloc" creationtoolversion="{esc_attr(__version__)}"'
        f' segtype="block" o-tmf="wixloc" adminlang="en" srclang="{esc_attr(source_language)}"'
        f' datatype="html" creationdate="{created}"/>\n'
        "  <body>\n"
    )


def _unit(unit: TmxUnit, source_language: str) -> str:
    key = _checked(unit.key, "key", unit.key)
    dates = sorted(unit.created.values())
    first = f' creationdate="{esc_attr(dates[0])}"' if dates else ""
    parts = [f'    <tu tuid="{esc_attr(key)}" srclang="{esc_attr(source_language)}"{first}>\n']
    if key:
        parts.append(f'      <prop type="{KEY_PROP}">{esc(key)}</prop>\n')
    for kind, value in unit.props:
        kind, value = _checked(kind, "property", unit.key), _checked(value, "property", unit.key)
        parts.append(f'      <prop type="{esc_attr(kind)}">{esc(value)}</prop>\n')
    source_runs: list[Run] | None = None
    for lang, text in unit.texts.items():
        runs = parse(text)
        if source_runs is None:
            source_runs = runs
        else:
            runs = align_ids(runs, source_runs)  # the same tag gets the same x in every language
        date = unit.created.get(lang)
        stamp = f' creationdate="{esc_attr(date)}"' if date else ""
        parts.append(f'      <tuv xml:lang="{esc_attr(lang)}"{stamp}><seg>')
        _content(parts, runs)
        parts.append("</seg></tuv>\n")
    parts.append("    </tu>\n")
    return "".join(parts)


def _checked(value: str, what: str, key: str) -> str:
    if any(is_invalid(c) for c in value):
        raise FormatError(
            f"the {what} of '{key}' contains {', '.join(invalid_chars(value))}, which TMX cannot "
            "hold",
            hint="remove the control character from the table",
        )
    return value


def _content(parts: list[str], runs: list[Run]) -> None:
    next_id = max((r.id for r in runs if isinstance(r, Code)), default=0) + 1
    for run in runs:
        if isinstance(run, Code):
            parts.append(_code(run))
            continue
        for piece in split_invalid(run):
            if is_invalid(piece):  # TMX has no way to carry it: a placeholder names it
                parts.append(f'<ph x="{next_id}" type="{_CHAR}">U+{ord(piece):04X}</ph>')
                next_id += 1
            else:
                parts.append(esc(piece))


def _code(code: Code) -> str:
    kind, cid, raw, name = code
    if kind is CodeKind.OPEN:
        return f'<bpt i="{cid}" x="{cid}" type="{_PAIR_TYPE.get(name, "x-html-" + name)}">{esc(raw)}</bpt>'
    if kind is CodeKind.CLOSE:
        return f'<ept i="{cid}">{esc(raw)}</ept>'
    if kind is CodeKind.ISOLATED_OPEN or kind is CodeKind.ISOLATED_CLOSE:
        pos = "begin" if kind is CodeKind.ISOLATED_OPEN else "end"
        return f'<it pos="{pos}" x="{cid}" type="x-html-{name}">{esc(raw)}</it>'
    if kind is CodeKind.ENTITY:
        kind_name = "x-html-entity"
    else:
        kind_name = _PH_TYPE.get(name, f"x-html-{name}" if name else "x-html-other")
    return f'<ph x="{cid}" type="{kind_name}">{esc(raw)}</ph>'


# --- reading ----------------------------------------------------------------------------------


def read_tmx(fh: BinaryIO, name: str) -> TmxFile:
    """A TMX file (ours or a CAT tool's), parsed safely; malformed input is one InputError."""
    result = TmxFile(source_language="", name=name)
    for element in _elements(fh, name):
        tag = element.tag
        if tag == "header":
            result.source_language = element.get("srclang", "")
        elif tag == "tu":
            unit = _read_unit(element, name)
            if unit.texts:
                result.units.append(unit)
            element.clear()  # a TM can be large: keep only what was taken from it
    if not result.source_language:
        raise InputError("not a TMX file: no <header srclang=...>", file=name)
    return result


def _elements(fh: BinaryIO, name: str) -> Iterator[etree._Element]:
    events = etree.iterparse(
        fh,
        events=("start", "end"),
        tag=("tmx", "header", "tu"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        for event, element in events:
            if event == "start":
                if element.tag == "tmx":
                    _check_doctype(element, name)
                continue
            yield element
    except etree.XMLSyntaxError as exc:
        message = (exc.msg or str(exc)).split(", line ")[0].strip()
        if message in ("Document is empty", "no element found"):
            raise InputError("the file is empty, not TMX", file=name) from None
        raise InputError(
            f"not well-formed XML: {message}", file=name, line=exc.lineno or None
        ) from None


def _check_doctype(root: etree._Element, name: str) -> None:
    """Accept ``<!DOCTYPE tmx SYSTEM "tmx14.dtd">`` (never loaded); refuse an internal subset."""
    subset: Any = root.getroottree().docinfo.internalDTD  # also there for a bare DOCTYPE
    if subset is not None and (any(subset.iterentities()) or any(subset.iterelements())):
        raise InputError(
            "the file's DOCTYPE declares its own DTD content; wixloc reads TMX without it (such "
            "declarations can define entities that expand without limit or read other files)",
            file=name,
        )


def _read_unit(tu: etree._Element, name: str) -> TmxUnit:
    unit = TmxUnit(key="", texts={})
    for child in tu:
        tag = child.tag
        if tag == "prop":
            kind, value = child.get("type", ""), _plain(child, name)
            if kind == KEY_PROP:
                unit.key = value
            else:
                unit.props.append((kind, value))
        elif tag == "tuv":
            lang = child.get("{http://www.w3.org/XML/1998/namespace}lang") or child.get("lang")
            seg = child.find("seg")
            if not lang or seg is None:
                raise InputError(
                    "a <tuv> needs xml:lang and a <seg>", file=name, line=line_of(child)
                )
            unit.texts[lang] = _seg_text(seg, name)
            if child.get("creationdate"):
                unit.created[lang] = child.get("creationdate", "")
    return unit


def _plain(element: etree._Element, name: str) -> str:
    for node in element.iter():
        if isinstance(node, etree._Entity):
            _refuse_entity(node, name)
    return element.text or ""


def _seg_text(seg: etree._Element, name: str) -> str:
    if not len(seg):
        return seg.text or ""  # the common case: no inline codes
    return "".join(_pieces(seg, name))


def _pieces(element: etree._Element, name: str) -> Iterator[str]:
    if element.text:
        yield element.text
    for child in element:
        if isinstance(child, etree._Entity):
            _refuse_entity(child, name)
        tag = child.tag
        if tag in ("bpt", "ept", "ph", "it", "ut"):
            text = "".join(_code_pieces(child, name))
            yield _char(text, name, child) if child.get("type") == _CHAR else text
        elif tag in ("hi", "sub"):
            yield from _pieces(child, name)  # highlighting is transparent
        elif isinstance(tag, str):
            raise InputError(
                f"unexpected <{tag}> in a <seg> (TMX inline codes are <bpt>, <ept>, <ph>, <it>, "
                "<hi>)",
                file=name,
                line=line_of(child),
            )
        if child.tail:
            yield child.tail


def _code_pieces(code: etree._Element, name: str) -> Iterator[str]:
    for node in code.iter():
        if isinstance(node, etree._Entity):
            _refuse_entity(node, name)
    yield "".join(t for t in code.itertext() if isinstance(t, str))


def _refuse_entity(node: etree._Element, name: str) -> None:
    raise InputError(
        f"the entity reference {node.text} is not defined in TMX; wixloc does not read DTDs",
        file=name,
        line=line_of(node),
    )


def _char(label: str, name: str, code: etree._Element) -> str:
    try:
        return chr(int(label.removeprefix("U+"), 16))
    except ValueError:
        raise InputError(
            f"'{label}' is not a character code such as U+0001", file=name, line=line_of(code)
        ) from None
