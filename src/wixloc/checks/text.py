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
    "MASK",
    "PRINTF_HEAD",
    "Element",
    "email_spans",
    "has_placeholder_trigger",
    "has_url_trigger",
    "line_breaks",
    "markup",
    "markup_list",
    "mask_protected",
    "placeholder_list",
    "placeholders",
    "protected_spans",
    "same_markup",
    "strip_protected",
    "url_list",
    "url_spans",
    "urls",
]

# A printf placeholder up to its conversion: %, then position, flags, width, precision, length.
PRINTF_HEAD = r"%(?:\d+\$|\([A-Za-z_]\w*\))?[-+#0]*(?:\d+|\*)?(?:\.\d+)?(?:hh|h|ll|l|L|z|j|t)?"
# Placeholders, longest forms first so that `{{ name }}` and `${name}` win over `{name}`.
# `%%` is matched (and then dropped) so that its second `%` cannot start a conversion.
_PLACEHOLDER_FORMS = (
    r"(?P<escaped>%%)",
    r"\{\{\s*[A-Za-z_][\w.\-]*(?:\s*\|[^{}]*)?\s*\}\}",  # {{ name }}, {{ name | filter }}
    r"\$\{[A-Za-z_][\w.\-]*\}",  # ${name}
    r"\{(?:\d+|[A-Za-z_][\w.\-]*)?(?:![rsa])?(?::[^{}\s]*)?\}",  # {}, {0}, {name}, {price:.2f}
    # printf: %s, %d, %1$s, %(name)s, %-5.2f. No space flag, so "50% off" is prose; and a
    # conversion other than s and d must not run into a word, so German "5%ige" is prose too.
    PRINTF_HEAD + r"(?:[sd@]|[iufFeEgGxXoc](?![^\W\d_]))",
)
_SPACES = re.compile(r"\s+")

# An HTML tag: <name attrs>, </name>, <name/>. A `<` not followed by a letter (a < b, <3) is text.
_TAG = re.compile(r"<(/?)([A-Za-z][\w:.-]*)((?:[^<>\"']|\"[^\"]*\"|'[^']*')*?)(/?)>")
# The same tags as whole strings (no groups): two texts with the same tags in the same order
# have the same elements, found by one findall each and no parsing.
_TAG_TEXT = re.compile(r"</?[A-Za-z][\w:.-]*(?:[^<>\"']|\"[^\"]*\"|'[^']*')*?/?>")
_ATTR = re.compile(r"([^\s=/\"'<>]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?")
# What a comment is; _comment_spans finds the same spans with str.find, in linear time.
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
# Attributes whose values are text for people (a translation changes them); configurable.
DEFAULT_IGNORED = frozenset({"alt", "title", "aria-label", "placeholder"})

# The letters of scripts whose words are written against what comes before or after them:
# those written without spaces (Thai, Lao, Myanmar, Khmer, kana, Han), Hangul (a Korean
# particle follows its word: https://wix.com/shop을), and the full-width forms. A URL or an
# e-mail address ends where one of them starts (https://wix.com/shopにアクセス,
# サポートはhelp@wix.comまで): such text glued to an address is far more common than an address
# spelled in them (which is written with percent escapes when it is copied from a browser).
GLUED = (
    "\u0e00-\u0eff\u1000-\u109f\u1100-\u11ff\u1780-\u17ff\u3040-\u30ff\u3130-\u318f"
    "\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef"
    "\U00020000-\U0003134f"
)
# Punctuation beyond ASCII, which no URL holds unescaped: inverted marks, guillemets, Arabic
# comma, semicolon and question mark, general punctuation (quotation marks „“”‘’‹›, dashes,
# spaces), supplemental punctuation, CJK symbols and punctuation (、。「」『』【】).
_WIDE_PUNCTUATION = (
    "\u00a1\u00ab\u00bb\u00bf\u060c\u061b\u061f\u2000-\u206f\u2e00-\u2e7f\u3000-\u303f"
)
# A URL may hold placeholders ({lang}, {{id}}) but ends where a spaced one ({{ id }}) starts,
# and at a glued letter or wide punctuation (Besuchen Sie „https://wix.com/shop“).
# It starts with http://, https:// or www. in any case; spelled out as the letters that match
# them ignoring case (s: also U+017F), so that the search skips to each h or w (about 2.7 times
# faster than `(?:https?://|www\.)` with IGNORECASE, which is tried at every position).
_URL = re.compile(
    r"[hHwW](?:(?<=[hH])[tT][tT][pP][sS\u017f]?://|(?<=[wW])[wW][wW]\.)"
    r"(?:[^\s<>\"'`{}" + GLUED + _WIDE_PUNCTUATION + r"]|\{\{?[^{}\s]*\}\}?)+"
)
_URL_TAIL = ".,;:!?)]}'\""
_ENTITY = re.compile(r"&(?:#\d+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);")
# An address's characters: word characters but glued letters, and . + - before the @.
_ADDRESS = r"(?:[^\W" + GLUED + r"]|[.+-])"
_DOMAIN = r"(?:[^\W" + GLUED + r"]|-)+"
# Starts only where a run of address characters starts: tried at every position of a long
# unbroken word, the run was scanned to its end each time (quadratic). A match found from
# inside a run is found from its start too; only a second address glued to a first
# (a@b.c+d@e.f) is no longer taken for one.
_EMAIL = re.compile(f"(?<!{_ADDRESS}){_ADDRESS}+@{_DOMAIN}(?:\\.{_DOMAIN})+")


def has_placeholder_trigger(text: str) -> bool:
    return "{" in text or "%" in text


def has_url_trigger(text: str) -> bool:
    return "://" in text or "www." in text or "WWW." in text


# The same forms without a group, so findall returns whole tokens (fast).
_PLACEHOLDER_TOKENS = re.compile("|".join(["%%", *_PLACEHOLDER_FORMS[1:]]))


@lru_cache(maxsize=8192)
def placeholder_list(text: str) -> tuple[str, ...]:
    """The placeholders of *text*, sorted; ``{{ name }}`` and ``{{name}}`` are the same."""
    found = [
        _SPACES.sub("", token) if token.startswith("{{") else token
        for token in _PLACEHOLDER_TOKENS.findall(text)
        if token != "%%"  # noqa: S105 - an escaped percent sign, not a password
    ]
    found.sort()
    return tuple(found)


def placeholders(text: str) -> Counter[str]:
    """The placeholders of *text* as a multiset."""
    return Counter(placeholder_list(text))


class Element(tuple[str, tuple[str, ...], tuple[tuple[str, str], ...]]):
    """An HTML element: its name, its ancestors' names (outermost first), compared attributes."""

    def describe(self) -> str:
        name, parents, attrs = self
        shown = "".join(f' {k}="{v}"' if v else f" {k}" for k, v in attrs)
        inside = f" inside <{'> <'.join(parents)}>" if parents else ""
        return f"<{name}{shown}>{inside}"


@lru_cache(maxsize=8192)
def markup_list(text: str, ignored: frozenset[str]) -> tuple[Element, ...]:
    """Elements of *text* by name, nesting and attributes (except *ignored* ones), sorted.

    Order among siblings is free (translations reorder phrases); unclosed and stray closing tags
    count as elements of their own, so a broken structure differs from a sound one.
    """
    found: list[Element] = []
    stack: list[str] = []
    for match in _TAG.finditer(_without_comments(text) if "<!--" in text else text):
        closing, name, attrs, self_closing = match.groups()
        name = name.lower()
        if closing:
            _close(name, stack, found)
            continue
        found.append(Element((name, _ancestors(stack), _attributes(attrs, ignored))))
        if not self_closing and name not in _VOID:
            stack.append(name)
    for i, name in enumerate(stack):
        found.append(Element((f"unclosed {name}", _ancestors(stack[:i]), ())))
    found.sort()
    return tuple(found)


# The ancestors an element is described by, at most: each element's own copy of them made
# 20,000 unclosed tags take a minute (quadratic); no page nests deeper than this.
_DEPTH = 32


def _ancestors(stack: list[str]) -> tuple[str, ...]:
    """The names of the innermost :data:`_DEPTH` open elements, outermost first."""
    return tuple(stack[-_DEPTH:])


@lru_cache(maxsize=4096)  # a source is compared with every language
def _tag_texts(text: str) -> list[str]:
    """The tags of *text* as written, in order (see :func:`same_markup`)."""
    return _TAG_TEXT.findall(text)


def same_markup(source: str, target: str) -> bool:
    """True when both texts have the very same tags in the same order, so that their
    :func:`markup_list` are equal; False means only that they must be compared."""
    if "<!--" in source or "<!--" in target:
        return False  # tags inside a comment are not elements
    return _tag_texts(source) == _TAG_TEXT.findall(target)


def markup(text: str, ignored: frozenset[str]) -> Counter[Element]:
    """The elements of *text* as a multiset (see :func:`markup_list`)."""
    return Counter(markup_list(text, ignored))


def _close(name: str, stack: list[str], found: list[Element]) -> None:
    if name in stack:
        while stack and stack[-1] != name:
            unclosed = stack.pop()
            found.append(Element((f"unclosed {unclosed}", tuple(stack), ())))
        stack.pop()
    elif name not in _VOID:
        found.append(Element((f"stray /{name}", tuple(stack), ())))


def _attributes(text: str, ignored: frozenset[str]) -> tuple[tuple[str, str], ...]:
    if not text.strip():
        return ()
    pairs = []
    for name, value in _ATTR.findall(text):
        key = name.lower()
        if key not in ignored:
            pairs.append((key, value[1:-1] if value[:1] in "\"'" and value else value))
    return tuple(sorted(pairs))


@lru_cache(maxsize=8192)
def url_list(text: str) -> tuple[str, ...]:
    """The URLs of *text* (``http(s)://`` or ``www.``), trailing punctuation removed, sorted."""
    return tuple(sorted(m.rstrip(_URL_TAIL) for m in _URL.findall(text)))


def urls(text: str) -> Counter[str]:
    return Counter(url_list(text))


def line_breaks(text: str) -> int:
    """Line breaks: LF, CRLF and a lone CR each count once."""
    return text.count("\n") + text.count("\r") - text.count("\r\n")


def _comment_spans(text: str) -> list[tuple[int, int]]:
    """The spans ``_COMMENT.finditer`` gives, found with str.find: the regex scanned to the end
    of the text from every ``<!--`` that is never closed (quadratic on a long run of them)."""
    spans = []
    start = text.find("<!--")
    while start != -1:
        end = text.find("-->", start + 4)
        if end == -1:
            break  # no later <!-- is closed either
        spans.append((start, end + 3))
        start = text.find("<!--", end + 3)
    return spans


def _without_comments(text: str) -> str:
    """``_COMMENT.sub("", text)``, in linear time (see :func:`_comment_spans`)."""
    parts, pos = [], 0
    for start, end in _comment_spans(text):
        parts.append(text[pos:start])
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


def _protected_patterns(text: str) -> list[re.Pattern[str]]:
    """The patterns of the protected kinds *text* may hold: each needs its character, so the
    scans that cannot match are skipped."""
    return [
        pattern
        for pattern, present in (
            (_TAG, "<" in text),
            (_URL, has_url_trigger(text) or "ww." in text or "WW." in text),
            (_ENTITY, "&" in text),
            (_EMAIL, "@" in text),
            (_PLACEHOLDER_TOKENS, "{" in text or "%" in text),
        )
        if present
    ]


def protected_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every tag, comment, URL, entity, e-mail address and placeholder.

    Each kind is found on its own, as the rules find it, and overlapping spans are merged, so a
    URL next to a placeholder (``https://x/help{{ n }}``) keeps both whole.
    """
    patterns = _protected_patterns(text)
    comments = _comment_spans(text) if "<!--" in text else []
    spans = comments
    for pattern in patterns:
        spans += [m.span() for m in pattern.finditer(text)]
    if len(patterns) + bool(comments) < 2:
        return spans  # one kind: its matches are in order and never overlap
    spans.sort()
    merged: list[tuple[int, int]] = []
    last = -1
    for start, end in spans:
        if start < last:
            if end > last:
                merged[-1] = (merged[-1][0], end)
                last = end
        else:
            merged.append((start, end))
            last = end
    return merged


def _may_have_protected(text: str) -> bool:
    """False when *text* cannot hold markup, a URL, an entity, an e-mail or a placeholder."""
    return (
        "<" in text
        or "{" in text
        or "%" in text
        or "&" in text
        or "@" in text
        or "$" in text
        or "://" in text
        or "ww." in text
        or "WW." in text
    )


MASK = "\ufffc"  # neither a word character nor a space, so no rule sees words or spaces in it


def _masked(match: re.Match[str]) -> str:
    return MASK * (match.end() - match.start())


@lru_cache(maxsize=8192)
def mask_protected(text: str) -> str:
    """*text* with markup, URLs, entities, e-mail addresses and placeholders masked.

    Each protected character becomes :data:`MASK`, so offsets stay those of *text* (the rules
    report spans in it) and no word, number, bracket or quote inside a tag or URL is seen.
    """
    if not _may_have_protected(text):
        return text
    patterns = _protected_patterns(text)
    if len(patterns) == 1 and "<!--" not in text:
        return patterns[0].sub(_masked, text)  # one kind (most HTML): its matches, in C
    parts, pos = [], 0
    for start, end in protected_spans(text):
        parts += [text[pos:start], MASK * (end - start)]
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


def url_spans(text: str) -> list[tuple[str, int, int]]:
    """Each URL of *text* (trailing punctuation removed) with its start and end offsets."""
    found = []
    for m in _URL.finditer(text):
        url = m.group().rstrip(_URL_TAIL)
        found.append((url, m.start(), m.start() + len(url)))
    return found


def email_spans(text: str) -> list[tuple[str, int, int]]:
    """Each e-mail address of *text* with its offsets, outside URLs (``https://x/@team``)."""
    if "@" not in text:
        return []
    taken = [(s, e) for _, s, e in url_spans(text)] if has_url_trigger(text) else []
    return [
        (m.group().rstrip("."), m.start(), m.end() - (m.group().endswith(".")))
        for m in _EMAIL.finditer(text)
        if not any(s <= m.start() < e for s, e in taken)
    ]


def strip_protected(text: str, replacement: str = " ") -> str:
    """*text* without markup, URLs, entities, e-mail addresses and placeholders."""
    if not ("<" in text or "{" in text or "%" in text or "&" in text or "@" in text or "." in text):
        return text
    parts, pos = [], 0
    for start, end in protected_spans(text):
        parts += [text[pos:start], replacement]
        pos = end
    parts.append(text[pos:])
    return "".join(parts)
