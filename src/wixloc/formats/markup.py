"""Rich text ⇄ text runs and inline codes, rebuilt exactly.

Wix rich text is HTML (``<p>Hello <strong>{name}</strong><br/></p>``). Translators must not edit
its tags, so the XLIFF writers turn each tag into an *inline code* that CAT tools protect, and the
readers turn codes back into the tag text they carry. :func:`parse` splits a string into runs:
plain ``str`` text and :class:`Code` objects; :func:`render` of the runs is the original string,
byte for byte, for any input (malformed HTML included), because every code keeps the exact text it
was cut from (attributes, quoting, case and whitespace as written).

What becomes a code:

- a tag ``<name ...>`` / ``</name>`` / ``<name .../>`` (quoted attribute values may hold ``>``);
- a comment ``<!-- ... -->``, a declaration ``<!...>``, a processing instruction ``<?...?>``;
- an entity or character reference ``&amp;``, ``&nbsp;``, ``&#233;``, ``&#x1F600;``. An entity in
  the HTML is data, not text: ``&amp;`` travels as a standalone code carrying the five characters
  ``&amp;`` (its ``equiv`` is ``&`` so tools can show it), and comes back as ``&amp;``, never as
  ``&``. A translator who types ``&`` gets a literal ``&`` in the target, as typed.

Anything else is text: ``a < b``, a lone ``&``, ``<3``, an unterminated ``<b``. Placeholders such as
``{name}`` and ``{{count}}`` stay plain text (CAT tools recognise them by pattern; the placeholder
check compares them).

Opening and closing tags are paired with a stack, by case-insensitive name: a closing tag that
matches an open tag further down the stack closes it, and the unclosed tags above it become
*isolated*; a closing tag with no open partner, and tags still open at the end, are isolated too.
Void elements (``br``, ``img`` ...) and self-closed tags are standalone. Pairs are therefore always
properly nested, which XLIFF 2's ``<pc>`` needs. A pair shares one id; ids count from 1.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import NamedTuple

__all__ = [
    "Code",
    "CodeKind",
    "Node",
    "Run",
    "align_ids",
    "equiv",
    "parse",
    "render",
    "tree",
]


class CodeKind(Enum):
    OPEN = "open"  # opening tag of a pair
    CLOSE = "close"  # closing tag of a pair
    STANDALONE = "standalone"  # void or self-closed tag, comment, declaration
    ENTITY = "entity"  # entity or character reference
    ISOLATED_OPEN = "isolated-open"  # opening tag without its closing tag in this text
    ISOLATED_CLOSE = "isolated-close"  # closing tag without its opening tag in this text


class Code(NamedTuple):
    """One inline code: its kind, its id (shared by a pair), its exact text and tag name."""

    kind: CodeKind
    id: int
    text: str
    name: str  # lower-case tag name; "" for comments, declarations and entities


Run = str | Code

# Characters XML 1.0 cannot hold. Tags never contain them (such a "<" stays text), so a code's text
# is always writable as XML; the writers deal with them in text runs.
XML_INVALID = "\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff"

# Attribute characters exclude "<" so that text like "<a <b <c" is scanned in linear time.
_TOKEN = re.compile(
    rf"""
    (?P<tag><(?P<close>/)?(?P<name>[A-Za-z][A-Za-z0-9:._-]*)
        (?P<attrs>(?:[^<>"'{XML_INVALID}]|"[^"{XML_INVALID}]*"|'[^'{XML_INVALID}]*')*)>)
    | (?P<other><!--(?:(?!-->)[^{XML_INVALID}])*-->|<![A-Za-z\[][^<>{XML_INVALID}]*>
        |<\?[^<>{XML_INVALID}]*\?>)
    | (?P<entity>&(?:[A-Za-z][A-Za-z0-9]*|\#[0-9]+|\#[xX][0-9A-Fa-f]+);)
    """,
    re.VERBOSE,
)

VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param"}
    | {"source", "track", "wbr"}
)


def parse(text: str) -> list[Run]:
    """Split *text* into text runs and codes; ``render(parse(t)) == t`` for every string."""
    if "<" not in text and "&" not in text:
        return [text] if text else []  # the common case: no markup at all
    runs: list[Run] = []
    stack: list[tuple[int, str]] = []  # open tags waiting for their closing tag: (run index, name)
    next_id = 1
    pos = 0
    for m in _TOKEN.finditer(text):
        start = m.start()
        if start > pos:
            runs.append(text[pos:start])
        pos = m.end()
        raw = m.group(0)
        group = m.lastgroup
        if group != "tag":
            kind = CodeKind.ENTITY if group == "entity" else CodeKind.STANDALONE
            runs.append(Code(kind, next_id, raw, ""))
        else:
            name = m.group("name").lower()
            if m.group("close"):
                if _close(runs, stack, raw, name):
                    continue  # a closing tag shares its opening tag's id
                runs.append(Code(CodeKind.ISOLATED_CLOSE, next_id, raw, name))
            elif name in VOID or m.group("attrs").rstrip().endswith("/"):
                runs.append(Code(CodeKind.STANDALONE, next_id, raw, name))
            else:
                stack.append((len(runs), name))
                runs.append(Code(CodeKind.OPEN, next_id, raw, name))
        next_id += 1
    if pos < len(text):
        runs.append(text[pos:])
    _isolate(runs, stack)
    return runs


def _close(runs: list[Run], stack: list[tuple[int, str]], raw: str, name: str) -> bool:
    """Pair a closing tag with the nearest open tag of its name; tags open inside are isolated."""
    for depth in range(len(stack) - 1, -1, -1):
        index, open_name = stack[depth]
        if open_name == name:
            opener = runs[index]
            assert isinstance(opener, Code)
            runs.append(Code(CodeKind.CLOSE, opener.id, raw, name))
            _isolate(runs, stack[depth + 1 :])
            del stack[depth:]
            return True
    return False


def _isolate(runs: list[Run], unclosed: list[tuple[int, str]]) -> None:
    for index, _ in unclosed:
        code = runs[index]
        assert isinstance(code, Code)
        runs[index] = code._replace(kind=CodeKind.ISOLATED_OPEN)


def render(runs: Sequence[Run]) -> str:
    """The string *runs* were parsed from (codes give back their exact text)."""
    return "".join(r if isinstance(r, str) else r.text for r in runs)


def equiv(code: Code) -> str | None:
    """What an entity code stands for (``&amp;`` -> ``&``), for tools that display it."""
    if code.kind is not CodeKind.ENTITY:
        return None
    value = html.unescape(code.text)
    if not value or value == code.text or re.search(f"[{XML_INVALID}]", value):
        return None  # an unknown entity, or one that stands for a character XML cannot hold
    return value


@dataclass(frozen=True, slots=True)
class Node:
    """A properly nested pair and what it encloses (for XLIFF 2 ``<pc>``)."""

    open: Code
    close: Code
    children: list[Run | Node]


def tree(runs: Sequence[Run]) -> list[Run | Node]:
    """Runs with every pair folded into a :class:`Node` around its content."""
    root: list[Run | Node] = []
    stack: list[tuple[Code, list[Run | Node]]] = []
    current = root
    for run in runs:
        if isinstance(run, Code) and run.kind is CodeKind.OPEN:
            stack.append((run, current))
            current = []
        elif isinstance(run, Code) and run.kind is CodeKind.CLOSE:
            opener, parent = stack.pop()
            parent.append(Node(opener, run, current))
            current = parent
        else:
            current.append(run)
    return current


def parse_aligned(text: str, source: Sequence[Run]) -> list[Run]:
    """``align_ids(parse(text), source)``, without parsing when *text*'s tags and entities are
    the source's, as written and in the same order (a translation that kept its markup, most
    of them): parsing assigns kinds and ids by that sequence alone, so *text*'s codes are then
    the source's codes themselves, and only the text between them is new."""
    codes = [run for run in source if not isinstance(run, str)]
    runs: list[Run] = []
    pos = found = 0
    for m in _TOKEN.finditer(text):
        if found == len(codes) or m.group(0) != codes[found].text:
            return align_ids(parse(text), source)
        start = m.start()
        if start > pos:
            runs.append(text[pos:start])
        runs.append(codes[found])
        found += 1
        pos = m.end()
    if found != len(codes):
        return align_ids(parse(text), source)
    if pos < len(text):
        runs.append(text[pos:])
    return runs


def align_ids(target: Sequence[Run], source: Sequence[Run]) -> list[Run]:
    """Renumber the codes of *target* so a code with the same text as a source code gets its id.

    CAT tools match codes by id; a pre-filled translation whose tags are the source's tags then
    shows them as the same codes. Codes the source lacks get ids after the source's.
    """
    free: dict[tuple[CodeKind, str], list[int]] = {}
    top = 0
    for run in source:
        if isinstance(run, Code) and run.kind is not CodeKind.CLOSE:
            free.setdefault((run.kind, run.text), []).append(run.id)
            top = max(top, run.id)
    mapping: dict[int, int] = {}
    out: list[Run] = []
    for run in target:
        if isinstance(run, Code) and run.kind is not CodeKind.CLOSE:
            candidates = free.get((run.kind, run.text))
            if candidates:
                mapping[run.id] = candidates.pop(0)
            else:
                top += 1
                mapping[run.id] = top
        out.append(run if isinstance(run, str) else run._replace(id=mapping[run.id]))
    return out
