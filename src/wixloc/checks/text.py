"""What the rules look for in a text: placeholders, HTML tags, URLs, words, line breaks.

Each extractor is a precompiled regex behind a small cache: a table's source text is compared with
every target language, so it is analysed once. Callers test for a trigger character (``{``, ``%``,
``$``, ``<``, ``http``/``www.``) first, so plain prose costs almost nothing.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

__all__ = [
    "DEFAULT_IGNORED",
    "MARKUP_TRIGGER",
    "Element",
    "has_placeholder_trigger",
    "has_url_trigger",
    "line_breaks",
    "markup",
    "placeholders",
    "protected_spans",
    "strip_protected",
    "urls",
]

# Placeholders, longest forms first so that `{{ name }}` and `${name}` win over `{name}`.
# `%%` is matched (and then dropped) so that its second `%` cannot start a conversion.
_PLACEHOLDER_FORMS = (
    r"(?P<escaped>%%)",
    r"\{\{\s*[A-Za-z_][\w.\-]*(?:\s*\|[^{}]*)?\s*\}\}",  # {{ name }}, {{ name | filter }}
    r"\$\{[A-Za-z_][\w.\-]*\}",  # ${name}
    r"\{(?:\d+|[A-Za-z_][\w.\-]*)(?:![rsa])?(?::[^{}\s]*)?\}",  # {0}, {name}, {price:.2f}
    # printf: %s, %d, %1$s, %(name)s, %-5.2f; no space flag, so "50% off" is prose
    r"%(?:\d+\$|\([A-Za-z_]\w*\))?[-+#0]*(?:\d+|\*)?(?:\.\d+)?(?:hh|h|ll|l|L|z|j|t)?[sdiufFeEgGxXoc@]",
)
_PLACEHOLDER = re.compile("|".join(_PLACEHOLDER_FORMS))
_SPACES = re.compile(r"\s+")

# An HTML tag: <name attrs>, </name>, <name/>. A `<` not followed by a letter (a < b, <3) is text.
_TAG = re.compile(r"<(/?)([A-Za-z][\w:.-]*)((?:[^<>\"']|\"[^\"]*\"|'[^']*')*?)(/?)>")
_ATTR = re.compile(r"([^\s=/\"'<>]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
MARKUP_TRIGGER = "<"
# Attributes whose values are text for people (a translation changes them); configurable.
DEFAULT_IGNORED = frozenset({"alt", "title", "aria-label", "placeholder"})

_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'`]+", re.IGNORECASE)
_URL_TAIL = ".,;:!?)]}'\""
_ENTITY = re.compile(r"&(?:#\d+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PROTECTED = re.compile(
    "|".join(
        f"(?:{p})"
        for p in (_COMMENT.pattern, _TAG.pattern, _URL.pattern, _ENTITY.pattern, _EMAIL.pattern)
    )
    + "|"
    + "|".join(_PLACEHOLDER_FORMS[1:]),
    re.IGNORECASE | re.DOTALL,
)


def has_placeholder_trigger(text: str) -> bool:
    return "{" in text or "%" in text


def has_url_trigger(text: str) -> bool:
    return "http" in text or "www." in text or "HTTP" in text or "WWW." in text


@lru_cache(maxsize=4096)
def placeholders(text: str) -> Counter[str]:
    """The placeholders of *text* as a multiset; ``{{ name }}`` and ``{{name}}`` are the same."""
    found: Counter[str] = Counter()
    for match in _PLACEHOLDER.finditer(text):
        if match.group("escaped") is None:
            token = match.group()
            found[_SPACES.sub("", token) if token.startswith("{{") else token] += 1
    return found


class Element(tuple[str, tuple[str, ...], tuple[tuple[str, str], ...]]):
    """An HTML element: its name, its ancestors' names (outermost first), compared attributes."""

    def describe(self) -> str:
        name, parents, attrs = self
        shown = "".join(f' {k}="{v}"' if v else f" {k}" for k, v in attrs)
        inside = f" inside <{'> <'.join(parents)}>" if parents else ""
        return f"<{name}{shown}>{inside}"


@lru_cache(maxsize=4096)
def markup(text: str, ignored: frozenset[str]) -> Counter[Element]:
    """Elements of *text* by name, nesting and attributes (except *ignored* ones), as a multiset.

    Order among siblings is free (translations reorder phrases); unclosed and stray closing tags
    count as elements of their own, so a broken structure differs from a sound one.
    """
    found: Counter[Element] = Counter()
    stack: list[str] = []
    for match in _TAG.finditer(_COMMENT.sub("", text)):
        closing, name, attrs, self_closing = match.groups()
        name = name.lower()
        if closing:
            _close(name, stack, found)
            continue
        found[Element((name, tuple(stack), _attributes(attrs, ignored)))] += 1
        if not self_closing and name not in _VOID:
            stack.append(name)
    for i, name in enumerate(stack):
        found[Element((f"unclosed {name}", tuple(stack[:i]), ()))] += 1
    return found


def _close(name: str, stack: list[str], found: Counter[Element]) -> None:
    if name in stack:
        while stack and stack[-1] != name:
            unclosed = stack.pop()
            found[Element((f"unclosed {unclosed}", tuple(stack), ()))] += 1
        stack.pop()
    elif name not in _VOID:
        found[Element((f"stray /{name}", tuple(stack), ()))] += 1


def _attributes(text: str, ignored: frozenset[str]) -> tuple[tuple[str, str], ...]:
    if not text.strip():
        return ()
    pairs = []
    for name, value in _ATTR.findall(text):
        key = name.lower()
        if key not in ignored:
            pairs.append((key, value[1:-1] if value[:1] in "\"'" and value else value))
    return tuple(sorted(pairs))


@lru_cache(maxsize=4096)
def urls(text: str) -> Counter[str]:
    """The URLs of *text* (``http(s)://`` or ``www.``), trailing punctuation removed."""
    return Counter(m.group().rstrip(_URL_TAIL) for m in _URL.finditer(text))


def line_breaks(text: str) -> int:
    """Line breaks: LF, CRLF and a lone CR each count once."""
    return text.count("\n") + text.count("\r") - text.count("\r\n")


def protected_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every tag, comment, URL, entity, e-mail address and placeholder."""
    return [m.span() for m in _PROTECTED.finditer(text)]


def strip_protected(text: str, replacement: str = " ") -> str:
    """*text* without markup, URLs, entities, e-mail addresses and placeholders."""
    if not ("<" in text or "{" in text or "%" in text or "&" in text or "@" in text or "." in text):
        return text
    return _PROTECTED.sub(replacement, text)
