"""What the XLIFF 1.2 and 2.0 modules share: version sniffing, safe streaming parsing, unit ids,
and the checks for characters XML cannot hold."""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from typing import BinaryIO

from lxml import etree

from wixloc.errors import FormatError, InputError, LanguageError
from wixloc.formats.markup import XML_INVALID
from wixloc.model import Key, Language, format_key

__all__ = [
    "LOCAL_NAMES",
    "WIXLOC_NOTE",
    "Output",
    "UnitIds",
    "check_xml",
    "esc",
    "esc_attr",
    "invalid_chars",
    "is_invalid",
    "is_plain",
    "iterparse",
    "language_attr",
    "line_of",
    "localname",
    "parse_language",
    "release",
    "split_invalid",
    "xliff_version",
]

WIXLOC_NOTE = "wixloc:"  # prefix of the note `from` (1.2) / `category` (2.0) values wixloc owns

_INVALID = re.compile(f"[{XML_INVALID}]")
_XLIFF_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?xliff\b[^>]*>", re.S)
_VERSION = re.compile(rb"""\bversion\s*=\s*["']\s*([0-9.]+)\s*["']""")
_NAMESPACES = {
    b"urn:oasis:names:tc:xliff:document:1.": "1",
    b"urn:oasis:names:tc:xliff:document:2.": "2",
}


def xliff_version(head: bytes) -> str | None:
    """The XLIFF version a file's first bytes declare (``1.2``, ``2.0`` ...), or None.

    Read from the ``version`` attribute of the ``<xliff>`` start tag, else from its namespace, so
    the two sniffers can never both claim a file.
    """
    if head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):  # some Windows tools save UTF-16
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    start = _XLIFF_START.search(head)
    if start is None:
        return None
    found = _VERSION.search(start.group(0))
    if found is not None:
        return found.group(1).decode("ascii")
    for prefix, major in _NAMESPACES.items():
        if prefix in start.group(0):
            return major
    return None


# The writers build XML as text: an lxml element costs microseconds per attribute, and a split of
# 100,000 units must stay fast. Only these two functions put data into the markup, the XML
# characters they escape are the complete set (lxml escapes the same way, so the output is the same
# bytes lxml would write), and the tests parse and schema-validate everything written.


def esc(value: str) -> str:
    """*value* escaped for element content (a CR is kept as ``&#13;``, not normalized away)."""
    if "&" in value:
        value = value.replace("&", "&amp;")
    if "<" in value:
        value = value.replace("<", "&lt;")
    if ">" in value:
        value = value.replace(">", "&gt;")
    if "\r" in value:
        value = value.replace("\r", "&#13;")
    return value


def esc_attr(value: str) -> str:
    """*value* escaped for a double-quoted attribute (tabs and line breaks kept as references)."""
    value = esc(value)
    if '"' in value:
        value = value.replace('"', "&quot;")
    if "\n" in value:
        value = value.replace("\n", "&#10;")
    if "\t" in value:
        value = value.replace("\t", "&#9;")
    return value


class Output:
    """UTF-8 output in chunks of many units, so a large file is written with few system calls."""

    def __init__(self, fh: BinaryIO) -> None:
        self._fh = fh
        self._parts: list[str] = []

    def add(self, part: str) -> None:
        self._parts.append(part)
        if len(self._parts) >= 2000:
            self.flush()

    def flush(self) -> None:
        self._fh.write("".join(self._parts).encode("utf-8"))
        self._parts.clear()


def invalid_chars(text: str) -> list[str]:
    """The characters of *text* that XML 1.0 cannot hold, as ``U+0001`` labels."""
    return [f"U+{ord(c):04X}" for c in dict.fromkeys(_INVALID.findall(text))]


def split_invalid(text: str) -> list[str]:
    """*text* cut so that each character XML cannot hold is a piece of its own."""
    if _INVALID.search(text) is None:
        return [text] if text else []  # the common case
    pieces: list[str] = []
    pos = 0
    for m in _INVALID.finditer(text):
        if m.start() > pos:
            pieces.append(text[pos : m.start()])
        pieces.append(m.group(0))
        pos = m.end()
    if pos < len(text):
        pieces.append(text[pos:])
    return pieces


_WORK = re.compile(f"[<&{XML_INVALID}]")


def is_plain(text: str) -> bool:
    """True if *text* has no markup and no character XML cannot hold: it is written as is."""
    return _WORK.search(text) is None


def is_invalid(char: str) -> bool:
    return _INVALID.fullmatch(char) is not None


def check_xml(value: str, what: str, key: Key, language: Language, name: str) -> str:
    """*value* unchanged, or a FormatError naming the key and language if XML cannot hold it."""
    if _INVALID.search(value) is not None:
        bad = invalid_chars(value)
        raise FormatError(
            f"the {what} of '{format_key(key)}' ({language}) contains {', '.join(bad)}, which "
            f"{name} cannot hold",
            hint="remove the control character from the table",
        )
    return value


_XSD_LANGUAGE = re.compile(r"[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*")


def language_attr(language: Language) -> str:
    """The tag as written if it is a valid xsd:language, else its normalized form."""
    return language.tag if _XSD_LANGUAGE.fullmatch(language.tag) else language.code


def parse_language(tag: str | None, what: str, name: str, line: int | None) -> Language:
    if not tag:
        raise InputError(f"the file has no {what}", file=name, line=line)
    try:
        return Language.parse(tag)
    except LanguageError as exc:
        raise LanguageError(f"{what}: {exc.message}", file=name, line=line, hint=exc.hint) from None


class UnitIds:
    """Unit ids derived from keys: NMTOKENs (letters, digits, ``.-_``), unique in a file.

    ``("Products", "p-1", "title")`` -> ``Products.p-1.title``; a clash gets ``_2``, ``_3`` ...
    The real key travels in ``resname`` (1.2) / ``name`` (2.0).
    """

    _UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")

    def __init__(self) -> None:
        self._used: set[str] = set()

    def __call__(self, key: Key) -> str:
        base = ".".join(key)
        if self._UNSAFE.search(base) is not None:
            base = ".".join(self._UNSAFE.sub("_", part) for part in key)
        base = base or "_"
        candidate, n = base, 1
        while candidate in self._used:
            n += 1
            candidate = f"{base}_{n}"
        self._used.add(candidate)
        return candidate


def line_of(element: etree._Element) -> int | None:
    """The line an element starts on (the stubs type ``sourceline`` loosely)."""
    line = getattr(element, "sourceline", None)
    return line if isinstance(line, int) else None


# "{namespace}name" -> "name": a file uses a few tags many times. A reader's loop over many
# elements may look a tag up here first (``LOCAL_NAMES.get(child.tag) or localname(child)``).
LOCAL_NAMES: dict[object, str] = {}


def localname(element: etree._Element) -> str:
    tag: object = element.tag  # typed as str, but an entity or comment node has a function here
    name = LOCAL_NAMES.get(tag)
    if name is None:
        name = tag.rpartition("}")[2] if isinstance(tag, str) else ""
        if isinstance(tag, str) and len(LOCAL_NAMES) < 1000:
            LOCAL_NAMES[tag] = name
    return name


_LXML_POSITION = re.compile(r",? line \d+, column \d+$")


def iterparse(
    fh: BinaryIO, name: str, tags: tuple[str, ...], *, namespaces: bool = False
) -> Iterator[tuple[str, etree._Element]]:
    """(event, element) for the start and end of *tags*, parsed safely. With *namespaces*, also
    ``("start-ns", (prefix, uri))`` for each namespace declaration, on any element, as the
    parser meets it (the second item is then that tuple, not an element).

    No entity expansion, no network, no DTD: a file with a DOCTYPE is refused outright (an XLIFF
    file never needs one, and it is how entity bombs and external entities arrive). Malformed XML
    becomes one InputError line naming the file and line.
    """
    events = etree.iterparse(
        fh,
        events=("start", "end", "start-ns") if namespaces else ("start", "end"),
        tag=tags,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        for event, element in events:
            if event != "start-ns":  # (a declaration on the root comes before its start)
                _refuse_doctype(element, name)
                yield event, element
                break
            yield event, element
        yield from events  # (the rest without a step of Python each)
    except etree.XMLSyntaxError as exc:
        message = _LXML_POSITION.sub("", exc.msg or str(exc)).strip()
        line = exc.lineno if exc.lineno else None
        if message in ("Document is empty", "no element found"):
            raise InputError("the file is empty, not XLIFF", file=name) from None
        raise InputError(f"not well-formed XML: {message}", file=name, line=line) from None


def _refuse_doctype(element: etree._Element, name: str) -> None:
    if getattr(element.getroottree().docinfo, "doctype", ""):  # missing from the stubs
        raise InputError(
            "the file has a DOCTYPE declaration; XLIFF files never need one and wixloc does not "
            "read them (they can define entities that expand without limit or read other files)",
            file=name,
        )


def release(element: etree._Element) -> None:
    """Free a processed unit and the ones before it, so memory stays flat on large files."""
    element.clear()
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]
