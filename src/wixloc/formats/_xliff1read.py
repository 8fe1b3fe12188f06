"""Reading XLIFF 1.2: wixloc's own files, and the same files as CAT tools write them back.

What tools change, and how it is read (see docs/formats/xliff.md for each tool):

- states: ``<target state>``, ``approved``, memoQ's ``mq:status``, Trados' ``<sdl:seg conf>`` and
  Phrase's ``m:confirmed``,
  settled by :func:`wixloc.formats.dialects.settle_state` (a target the tool filled counts as a
  translation unless the file marks it unfinished);
- inline codes: wixloc's ``<bpt>``/``<ept>``/``<ph>``/``<it>`` carry the tag text; ``<g>``,
  ``<x/>``, ``<bx/>``, ``<ex/>`` (Trados, Okapi) and memoQ's ``{}`` placeholders are matched by
  id to the codes of the unit's source, or to the ``<tag-defs>`` of an ``.sdlxliff`` header; an id
  that matches nothing is refused, naming the unit;
- Trados track changes: ``<mrk mtype="x-sdl-added">`` is kept, ``x-sdl-deleted`` dropped; a mark
  wixloc does not know is refused;
- memoQ's ``mq:leadingws`` / ``mq:endingws``: the edge whitespace memoQ moved out of the text;
- Phrase's ``.mxliff``: units without ``resname`` have their key read back from wixloc's ``id``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Generator
from dataclasses import dataclass, field
from typing import BinaryIO, cast

from lxml import etree

from wixloc.errors import FormatError, InputError
from wixloc.formats import ReadOptions
from wixloc.formats._xliff import (
    LOCAL_NAMES,
    WIXLOC_NOTE,
    iterparse,
    line_of,
    localname,
    parse_language,
)
from wixloc.formats._xliff import release as release_unit
from wixloc.formats.dialects import MEMOQ_STATUS, SDL_CONFIRMATION, combine, settle_state
from wixloc.model import (
    Key,
    Suggestion,
    Unit,
    UnitFile,
    UnitState,
    fingerprint,
    format_key,
    parse_key,
)

__all__ = ["stream"]

CHAR = "x-wixloc-char"  # ctype of a <ph> standing for a character XML cannot hold
MEMOQ_NS = "MQXliff"
SDL_NS = "http://sdl.com/FileTypes/SdlXliff/1.0"
PHRASE_NS = "http://www.memsource.com/mxlf/2.0"
# attribute names looked up on every unit, spelled once
_MQ_STATUS, _MQ_LEAD, _MQ_END = (f"{{{MEMOQ_NS}}}{n}" for n in ("status", "leadingws", "endingws"))
_CONFIRMED = f"{{{PHRASE_NS}}}confirmed"
_APPROVED = {"yes": True, "no": False}
_FP, _PREV, _KEYS, _PREFILLED = (
    WIXLOC_NOTE + n for n in ("fingerprint", "previous-source", "key-columns", "prefilled")
)

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

# <mrk mtype> values: XLIFF 1.2's own (annotations of the text, read through) and Trados'.
_MTYPES = frozenset(
    [
        "abbrev",
        "abbreviated-form",
        "abbreviation",
        "acronym",
        "appellation",
        "collocation",
        "common-name",
        "datetime",
        "equation",
        "expanded-form",
        "formula",
        "head-term",
        "initialism",
        "international-scientific-term",
        "internationalism",
        "logical-expression",
        "materials-management-unit",
        "name",
        "near-synonym",
        "part-number",
        "phrase",
        "phraseological-unit",
        "protected",
        "romanized-form",
        "seg",
        "set-phrase",
        "short-form",
        "sku",
        "standard-text",
        "symbol",
        "synonym",
        "synonymous-phrase",
        "term",
        "transcribed-form",
        "transliterated-form",
        "truncated-term",
        "variant",
        "x-sdl-comment",
        "x-sdl-location",
        "x-sdl-feedback-comment",
    ]
)
# annotations other tools add: terminology (x-term-...), ITS data categories (Okapi's x-its...)
_ANNOTATION_PREFIXES = ("x-term", "x-its")
_ADDED = frozenset({"x-sdl-added", "x-sdl-feedback-added"})  # track changes: insertions
_DELETED = frozenset({"x-sdl-deleted", "x-sdl-feedback-deleted"})  # ... and deletions
_MEMOQ_PLACEHOLDER = "{}"  # what memoQ shows (and writes) for a tag it keeps elsewhere
_XLIFF_CODE = re.compile(r"<(bpt|ept|ph|it|x|bx|ex|g)\b[^>]*?(?:/>|>(?P<text>.*)</\1>)\Z", re.S)

_NEW = UnitState.NEW  # (an Enum member's attribute lookup is slow in Python 3.11)
_Codes = dict[tuple[str, str], str]  # (role, id) -> original text; role: open, close, ph, it
_CODE_ROLES = {"bpt": "open", "ept": "close", "ph": "ph", "it": "it"}


@dataclass
class _File:
    """What the reader knows about the file around the units."""

    name: str
    key_width: int | None = None
    # Trados' <tag-defs>: tag id -> (role, original text), role open, close or ph
    tag_defs: _Codes = field(default_factory=dict)
    # Whether memoQ's and Phrase's namespaces were declared so far: an attribute of theirs needs
    # one in scope, so until then their attributes are not looked for (each lookup costs)
    memoq: bool = False
    phrase: bool = False

    def declared(self, uri: str) -> None:
        """Take note of a namespace declaration met by the parser."""
        if uri == MEMOQ_NS:
            self.memoq = True
        elif uri == PHRASE_NS:
            self.phrase = True


def stream(fh: BinaryIO, options: ReadOptions) -> Generator[UnitFile | Unit, None, None]:
    """An XLIFF 1.2 file (ours, or as a CAT tool wrote it back): its UnitFile, then its units
    as they are parsed."""
    context = _File(options.name)
    result: UnitFile | None = None
    started = False
    tags = ("{*}xliff", "{*}file", "{*}header", "{*}trans-unit")
    local = LOCAL_NAMES.get
    for event, element in iterparse(fh, options.name, tags, namespaces=True):
        if event == "start-ns":
            context.declared(cast(tuple[str, str], element)[1])
            continue
        tag = local(element.tag) or localname(element)
        if event == "end":
            if tag == "trans-unit" and result is not None:
                unit = _UnitReader(element, context).read()
                release_unit(element)
                if not started:
                    started = True
                    yield result
                yield unit
            elif tag == "header" and result is not None:
                _header(element, result, context)
        elif tag == "xliff":
            _check_version(element, context)
        elif tag == "file":
            result = _file(element, result, options.name)
    if result is None:
        raise InputError("not an XLIFF 1.2 file: it has no <file> element", file=options.name)
    if not started:
        yield result


def _check_version(root: etree._Element, context: _File) -> None:
    version = root.get("version", "")
    if version.startswith("2"):
        raise FormatError(
            f"this is XLIFF {version}, not XLIFF 1.2", file=context.name, hint="read it as xliff2"
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


def _header(header: etree._Element, result: UnitFile, context: _File) -> None:
    for child in header.iter():
        tag = localname(child)
        if tag == "note" and child.get("from") == _KEYS and child.text:
            result.key_columns = list(parse_key(child.text))
            context.key_width = len(result.key_columns)
        elif tag == "tag" and _parent_name(child) == "tag-defs":
            _tag_def(child, context)


def _parent_name(element: etree._Element) -> str:
    parent = element.getparent()
    return "" if parent is None else localname(parent)


def _tag_def(tag: etree._Element, context: _File) -> None:
    """One of Trados' ``<tag-defs>``: the original text of a ``<g>`` (``<bpt>`` and ``<ept>``)
    or an ``<x/>`` (``<ph>``, ``<st>``). When the original file was XLIFF, the text is the XLIFF
    code itself (``<bpt id="1">&lt;b&gt;</bpt>``): its content is the tag text."""
    tid = tag.get("id", "")
    for part in tag:
        role = {"bpt": "open", "ept": "close", "ph": "ph", "st": "ph"}.get(localname(part))
        if role is not None:
            text = part.text or ""
            found = _XLIFF_CODE.match(text)
            if found is not None:
                text = html.unescape(found.group("text") or "")
            context.tag_defs[role, tid] = text


class _UnitReader:
    """One ``<trans-unit>``: its key, texts, notes and state."""

    def __init__(self, tu: etree._Element, context: _File) -> None:
        self.tu = tu
        self.context = context
        # the fields by position (key, source, ... line): keywords took longer, once per unit
        self.unit = Unit(self._key(), "", "", _NEW, [], None, None, None, line_of(tu))
        self.codes: _Codes = {}
        self.prefilled: str | None = None

    def fail(self, what: str, element: etree._Element) -> InputError:
        return InputError(
            f"unit '{format_key(self.unit.key)}': {what}",
            file=self.context.name,
            line=line_of(element),
        )

    def _key(self) -> Key:
        resname = self.tu.get("resname")
        if resname is not None:
            return parse_key(resname)
        uid = self.tu.get("id")
        key = tuple(uid.split(".")) if uid else ()
        width = self.context.key_width
        if not uid or (width is not None and len(key) != width):
            raise InputError(
                f"trans-unit '{uid}' has no resname, and its id is not one wixloc wrote "
                "(wixloc keeps the entry's key in resname, and in the id as its parts joined "
                "with '.')",
                file=self.context.name,
                line=line_of(self.tu),
            )
        return key  # Phrase drops resname; the id is the key's parts joined with "."

    def read(self) -> Unit:
        unit = self.unit
        target: etree._Element | None = None
        segments: etree._Element | None = None
        local = LOCAL_NAMES.get
        memoq = self.context.memoq
        for child in self.tu:
            tag = local(child.tag) or localname(child)
            if tag == "source":  # (text(), spelled out: it runs for every unit)
                text = "".join(self._pieces(child, True, [])) if len(child) else child.text or ""
                unit.source = self._edge_whitespace(child, text) if text and memoq else text
            elif tag == "target":
                target = child
            elif tag == "note":
                self._note(child)
            elif tag == "seg-defs":
                segments = child
            elif tag == "alt-trans":
                self._alt_trans(child)
        if target is not None:
            text = "".join(self._pieces(target, False, [])) if len(target) else target.text or ""
            unit.target = self._edge_whitespace(target, text) if text and memoq else text
        untouched = self.prefilled is not None and self.prefilled == fingerprint(unit.target)
        unit.state = settle_state(
            self._declared(target, segments),
            unit.target,
            untouched=untouched,
            approved=_APPROVED.get(self.tu.get("approved", "")),
        )
        if self.tu.get("maxwidth") is not None:  # (most units have none)
            unit.max_length = _max_length(self.tu)
        return unit

    def _alt_trans(self, alt: etree._Element) -> None:
        """A suggestion (a memory's match), never the unit's translation; one without a target
        or a match-quality wixloc can read is left out."""
        source = target = None
        try:
            for child in alt:
                tag = localname(child)
                if tag == "source":
                    source = self.text(child, record=False)
                elif tag == "target":
                    target = self.text(child, record=False)
        except InputError:
            return  # another tool's match with codes wixloc cannot resolve: only a suggestion
        quality = (alt.get("match-quality") or "").strip().rstrip("%").strip()
        if not target or not quality.replace(".", "", 1).isdigit():
            return
        score = int(float(quality))
        origin = alt.get("origin") or ""
        self.unit.suggestions.append(Suggestion(source or "", target, score, origin))

    def _note(self, note: etree._Element) -> None:
        text = note.text or ""
        source = note.get("from")
        if source == _FP:
            self.unit.fingerprint = text.strip()
        elif source == _PREV:
            self.unit.previous_source = text
        elif source == _PREFILLED:
            self.prefilled = text.strip()
        else:
            self.unit.notes.append(text)

    def _declared(
        self, target: etree._Element | None, segments: etree._Element | None
    ) -> UnitState | None:
        """The state the file states: the target's, memoQ's, Phrase's, Trados' combined."""
        states: list[UnitState] = []
        if target is not None:
            name = target.get("state")
            if name is not None:  # a tool's own x- state: a draft at most
                draft = UnitState.NEEDS_REVIEW if self.unit.target else UnitState.NEW
                states.append(_READ_STATE.get(name, draft))
            qualifier = target.get("state-qualifier")
            if qualifier is not None and self.unit.target and _unconfirmed(qualifier, states):
                states.append(UnitState.NEEDS_REVIEW)
        status = self.tu.get(_MQ_STATUS) if self.context.memoq else None
        if status is not None:  # an unknown status is not a confirmation
            states.append(MEMOQ_STATUS.get(status, UnitState.NEEDS_REVIEW))
        confirmed = self.tu.get(_CONFIRMED) if self.context.phrase else None
        if confirmed is not None:  # Phrase: 1 confirmed by a linguist, 0 not (MT, TM, draft)
            states.append(UnitState.TRANSLATED if confirmed == "1" else UnitState.NEEDS_REVIEW)
        if segments is not None:
            for seg in segments:  # Trados: one <sdl:seg> a segment
                if localname(seg) == "seg":
                    conf = seg.get("conf", "Draft")
                    states.append(SDL_CONFIRMATION.get(conf, UnitState.NEEDS_REVIEW))
        return states[0] if len(states) == 1 else combine(states)  # (combine's common case)

    # --- text --------------------------------------------------------------------------------

    def text(self, element: etree._Element, *, record: bool) -> str:
        # the common case first: no inline codes
        text = "".join(self._pieces(element, record, [])) if len(element) else element.text or ""
        return self._edge_whitespace(element, text) if text and self.context.memoq else text

    def _edge_whitespace(self, element: etree._Element, text: str) -> str:
        """memoQ moves a text's leading and trailing whitespace into attributes: put it back."""
        if not text:  # (the attributes are looked for wherever memoQ's namespace is declared)
            return text
        for owner in (element, self.tu):
            lead, end = owner.get(_MQ_LEAD), owner.get(_MQ_END)
            if lead and not text.startswith(lead):
                text = lead + text
            if end and not text.endswith(end):
                text += end
        return text

    def _pieces(self, element: etree._Element, record: bool, out: list[str]) -> list[str]:
        """*out* with the pieces of *element*'s text added (a list, not a generator: a text
        has a few pieces per inline code, and this runs for every unit with codes)."""
        add = out.append
        local = LOCAL_NAMES.get
        text = element.text
        if text:
            add(text)
        for child in element:
            tag = local(child.tag) or localname(child)
            role = _CODE_ROLES.get(tag)
            if role is not None:
                code = child.text
                if (
                    code
                    and not len(child)
                    and code != _MEMOQ_PLACEHOLDER
                    and child.get("ctype") != CHAR
                ):
                    if record:  # the common case of _code, a step of Python less per code
                        self.codes[role, child.get("id", "")] = code
                    add(code)
                else:
                    add(self._code(child, tag, role, record))
            elif tag == "mrk":
                self._mark(child, record, out)
            elif tag == "g":
                add(self._original(child, "open", child.get("id", ""), record))
                self._pieces(child, record, out)
                add(self._original(child, "close", child.get("id", ""), record))
            elif tag in ("x", "bx", "ex"):
                add(self._placeholder(child, tag, record))
            else:
                raise self.fail(
                    f"unexpected <{tag}> in the text (inline codes are <bpt>, <ept>, <ph>, "
                    "<it>, <g>, <x/>, <bx/> and <ex/>)",
                    child,
                )
            tail = child.tail
            if tail:
                add(tail)
        return out

    def _mark(self, mrk: etree._Element, record: bool, out: list[str]) -> None:
        mtype = mrk.get("mtype", "")
        if mtype in _DELETED:
            return  # a deletion tracked by Trados: the accepted text lacks it
        if mtype in _ADDED or mtype in _MTYPES or mtype.startswith(_ANNOTATION_PREFIXES):
            self._pieces(mrk, record, out)  # segments and annotations are transparent
            return
        raise self.fail(
            f'<mrk mtype="{mtype}"> is a mark wixloc cannot resolve (it may be a tracked change)'
            "; accept or reject the changes in the tool and export again",
            mrk,
        )

    def _code(self, code: etree._Element, tag: str, role: str, record: bool) -> str:
        cid = code.get("id", "")
        if len(code):  # (wixloc's codes hold only their text)
            text = "".join(t for t in code.itertext() if isinstance(t, str))
        else:
            text = code.text or ""
        if code.get("ctype") == CHAR:
            return self._char(text, code)
        if text == _MEMOQ_PLACEHOLDER:  # never a tag wixloc wrote, whoever wrote the file
            text = ""  # memoQ's stand-in for the tag: the original is the source's code
        if record and text:
            self.codes[role, cid] = text
        if not text:  # a tool that kept the code but dropped its content: take the source's
            text = self.codes.get((role, cid), "")
        if not text:
            raise self.fail(f'inline code <{tag} id="{cid}"> has no original text', code)
        return text

    def _placeholder(self, code: etree._Element, tag: str, record: bool) -> str:
        cid = code.get("id", "")
        if tag == "x":
            return self._original(code, "ph", cid, record)
        if tag == "bx":
            return self._original(code, "open", cid, record)
        return self._original(code, "close", code.get("rid") or cid, record)

    def _original(self, code: etree._Element, role: str, cid: str, record: bool) -> str:
        """The tag text a ``<g>``, ``<x/>``, ``<bx/>`` or ``<ex/>`` of id *cid* stands for: the
        source's code of that id (wixloc's), else the file's tag definition (Trados')."""
        roles = (role, "it") if role in ("open", "close") else (role, "it", "open")
        for candidate in roles:
            text = self.codes.get((candidate, cid)) or self.context.tag_defs.get((candidate, cid))
            if text:
                return text
        raise self.fail(
            f'inline code <{localname(code)} id="{cid}"> matches no code of the unit\'s source '
            "or of the file's tag definitions",
            code,
        )

    def _char(self, label: str, code: etree._Element) -> str:
        try:
            return chr(int(label.removeprefix("U+"), 16))
        except ValueError:
            raise self.fail(f"'{label}' is not a character code such as U+0001", code) from None


def _unconfirmed(qualifier: str, states: list[UnitState]) -> bool:
    """Whether a target's ``state-qualifier`` says a tool filled it and no one confirmed it: a
    rejection, or a match (``mt-suggestion``, ``leveraged-tm`` ...) under a state still new, as
    Okapi leaves leveraged targets."""
    return qualifier.startswith("rejected-") or not any(state.done for state in states)


def _max_length(tu: etree._Element) -> int | None:
    width = tu.get("maxwidth")
    if width is None or tu.get("size-unit") != "char" or not width.isdigit():
        return None
    return int(width)
