"""The rules that compare one translation with its source: one small function each.

Each returns a message when the pair breaks the rule, else None. They are called for every
entry and language, so each first tests a cheap trigger (a character that must be present).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from wixloc.checks import text as t
from wixloc.checks.numbers import NumberFormat

__all__ = [
    "GATES",
    "MAY_HOLD_ANY",
    "PAIR_RULES",
    "SIEVES",
    "Hit",
    "MayHold",
    "PairContext",
    "PairRule",
    "Sieve",
    "Trigger",
    "control_character",
    "has_words",
    "markup_mismatch",
    "may_hold",
    "newline_mismatch",
    "placeholder_mismatch",
    "too_long",
    "unchanged",
    "url_mismatch",
    "whitespace_mismatch",
]


@dataclass(frozen=True)
class PairContext:
    """What the pair rules need besides the two texts (one per target language)."""

    ignored_attributes: frozenset[str] = frozenset(t.DEFAULT_IGNORED)
    allow: re.Pattern[str] | None = None  # allow-listed words for `unchanged`
    same_language: bool = False  # e.g. en-GB against en-US: unchanged text is expected
    source_language: str = ""  # the primary subtag, lower case: "en"
    language: str = ""  # the target's primary subtag: "fr"
    region: str = ""  # the target's region, upper case: "CA"
    source_numbers: NumberFormat = NumberFormat(".", ",")  # noqa: RUF009 - frozen, shared
    target_numbers: NumberFormat = NumberFormat(".", ",")  # noqa: RUF009 - frozen, shared


def _diff(source: Counter[str], target: Counter[str], what: str) -> str:
    missing = sorted((source - target).elements())
    extra = sorted((target - source).elements())
    parts = []
    if missing:
        parts.append("missing " + ", ".join(missing))
    if extra:
        parts.append("extra " + ", ".join(extra))
    return f"{what} differ from the source: " + "; ".join(parts)


def placeholder_mismatch(source: str, target: str, ctx: PairContext) -> str | None:
    if not (t.has_placeholder_trigger(source) or t.has_placeholder_trigger(target)):
        return None
    if t.placeholder_list(source) == t.placeholder_list(target):
        return None
    return _diff(t.placeholders(source), t.placeholders(target), "placeholders")


def markup_mismatch(source: str, target: str, ctx: PairContext) -> str | None:
    if "<" not in source and "<" not in target:
        return None
    if t.same_markup(source, target):
        return None  # the common case: the tags are copied as they are
    ignored = ctx.ignored_attributes
    if t.markup_list(source, ignored) == t.markup_list(target, ignored):
        return None
    wanted, got = t.markup(source, ignored), t.markup(target, ignored)
    missing = sorted(e.describe() for e in (wanted - got).elements())
    extra = sorted(e.describe() for e in (got - wanted).elements())
    parts = ([f"missing {_listed(missing)}"] if missing else []) + (
        [f"extra {_listed(extra)}"] if extra else []
    )
    return "HTML tags differ from the source: " + "; ".join(parts)


_LISTED = 20  # elements named in a message, at most


def _listed(described: list[str]) -> str:
    """*described*, comma-separated; past :data:`_LISTED` of them, how many more there are."""
    if len(described) <= _LISTED:
        return ", ".join(described)
    return ", ".join(described[:_LISTED]) + f" and {len(described) - _LISTED} more"


def url_mismatch(source: str, target: str, ctx: PairContext) -> str | None:
    if not (t.has_url_trigger(source) or t.has_url_trigger(target)):
        return None
    if t.url_list(source) == t.url_list(target):
        return None
    return _diff(t.urls(source), t.urls(target), "URLs")


def _edges(text: str) -> tuple[str, str]:
    text = text.replace("\r\n", "\n")
    stripped = text.strip()
    if not stripped:
        return text, ""
    head = text[: len(text) - len(text.lstrip())]
    tail = text[len(text.rstrip()) :]
    return head, tail


def whitespace_mismatch(source: str, target: str, ctx: PairContext) -> str | None:
    if not (source[:1].isspace() or source[-1:].isspace()) and not (
        target[:1].isspace() or target[-1:].isspace()
    ):
        return None
    (s_head, s_tail), (t_head, t_tail) = _edges(source), _edges(target)
    problems = []
    if s_head != t_head:
        problems.append(f"leading whitespace {s_head!r} in the source, {t_head!r} here")
    if s_tail != t_tail:
        problems.append(f"trailing whitespace {s_tail!r} in the source, {t_tail!r} here")
    return "; ".join(problems) or None


def newline_mismatch(source: str, target: str, ctx: PairContext) -> str | None:
    if "\n" not in source and "\r" not in source and "\n" not in target and "\r" not in target:
        return None
    wanted, got = t.line_breaks(source), t.line_breaks(target)
    if wanted == got:
        return None
    return f"{got} line break{'s' if got != 1 else ''}, the source has {wanted}"


_LETTER = re.compile(r"[^\W\d_]")


def unchanged(source: str, target: str, ctx: PairContext) -> str | None:
    if target != source or ctx.same_language or not _has_words(source, ctx.allow):
        return None  # numbers, URLs, placeholders or brand names only: nothing to translate
    return "the translation is identical to the source"


def has_words(text: str) -> bool:
    """Whether *text* has a letter outside markup, URLs, placeholders and e-mail addresses."""
    return _has_words(text, None)


@lru_cache(maxsize=4096)
def _has_words(text: str, allow: re.Pattern[str] | None) -> bool:
    words = t.strip_protected(text)
    if allow is not None:
        words = allow.sub(" ", words)
    return _LETTER.search(words) is not None


CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class MayHold(NamedTuple):
    """What the texts read from a table's bytes may hold (:func:`may_hold`); False: none does."""

    control: bool  # a character CONTROL finds
    wide: bool  # a character beyond U+FFFF (an emoji, say)


MAY_HOLD_ANY = MayHold(control=True, wide=True)

# What may_hold() keeps of the UTF-8 bytes: those of CONTROL's characters (a C0 control but
# tab, LF and CR, or DEL: one byte each; a C1 control, U+0080-U+009F: 0xC2 and a byte
# 0x80-0x9F), the first byte of a character beyond U+FFFF (0xF0-0xF4), and the backslash of a
# JSON escape (a Ricos cell's texts are its JSON decoded).
_WIDE_LEADS = bytes(range(0xF0, 0xF5))
_KEPT = frozenset([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, 0xC2, 0x5C, *_WIDE_LEADS])
_DROPPED = bytes(b for b in range(256) if b not in _KEPT)
_NOT_CONTROL = b"\xc2\\" + _WIDE_LEADS  # what is kept but not a control character itself
_C1 = re.compile(rb"\xc2[\x80-\x9f]")
# \b, \f, or a \u escape of U+0000-U+001F, U+007F or U+0080-U+009F (hex digits in either case)
_JSON_CONTROL = re.compile(rb"\\(?:[bf]|u00(?:[01]|7[fF]|[89]))")
_JSON_WIDE = re.compile(rb"\\u[dD][89abAB]")  # the first of a surrogate pair


def may_hold(data: bytes) -> MayHold:
    """What the texts read from the UTF-8 *data* (a CSV table's bytes, its Ricos cells' JSON
    decoded) may hold. Two passes of ``bytes.translate``, and searches from a byte that is
    rarely there: a tenth of the time of searching the texts a character at a time. True
    where such a character may be there (a ``\\b`` in a key, say): the texts are then read."""
    kept = data.translate(None, _DROPPED)
    if not kept:
        return MayHold(control=False, wide=False)
    escapes = b"\\" in kept
    control = (
        bool(kept.translate(None, _NOT_CONTROL))  # a C0 control or DEL as it is
        or (b"\xc2" in kept and _C1.search(data) is not None)
        or (escapes and _JSON_CONTROL.search(data) is not None)
    )
    wide = any(lead in kept for lead in _WIDE_LEADS) or (
        escapes and _JSON_WIDE.search(data) is not None
    )
    return MayHold(control=control, wide=wide)


def control_character(text: str) -> str | None:
    match = CONTROL.search(text)
    if match is None:
        return None
    return f"control character U+{ord(match.group()):04X} at position {match.start() + 1}"


def too_long(target: str, limit: int | None, what: str) -> str | None:
    if limit is None or len(target) <= limit:
        return None
    return f"{len(target)} characters, over the limit of {limit} ({what})"


# A finding's message, or its message and span (start, end offsets in the translation).
Hit = str | tuple[str, int, int]
PairRule = Callable[[str, str, PairContext], Hit | None]

# In report order; `missing-translation`, `too-long` and `control-character` are run by the engine.
PAIR_RULES: tuple[tuple[str, PairRule], ...] = (
    ("placeholder-mismatch", placeholder_mismatch),
    ("markup-mismatch", markup_mismatch),
    ("url-mismatch", url_mismatch),
    ("whitespace-mismatch", whitespace_mismatch),
    ("newline-mismatch", newline_mismatch),
    ("unchanged", unchanged),
)

# What a rule's first test looks for: a regex, or strings found as they are (any of them).
Trigger = re.Pattern[str] | tuple[str, ...]

# Per rule, (its trigger in the translation, in the source), for :mod:`.batch` to search a
# whole batch at once: a rule here returns None for a pair in which neither is found.
GATES: dict[str, tuple[Trigger, Trigger | None]] = {
    "placeholder-mismatch": (("{", "%"), ("{", "%")),
    "markup-mismatch": (("<",), ("<",)),
    "url-mismatch": (("://", "www.", "WWW."), ("://", "www.", "WWW.")),
    "newline-mismatch": (("\n", "\r"), ("\n", "\r")),
}

# A rule whose first test compares the two texts (their ends, or the whole texts) rather than
# looking for a trigger in either: a function that finds, in one pass over a batch's columns
# (sources, targets, each target's row in sources, contexts), the pairs the rule must read.
Sieve = Callable[[list[str], list[str], list[int], list[PairContext]], list[int]]


def _whitespace_sieve(
    sources: list[str], targets: list[str], rows: list[int], contexts: list[PairContext]
) -> list[int]:
    """The pairs whose source or translation starts or ends with a space."""
    edges = [s[:1].isspace() or s[-1:].isspace() for s in sources]
    return [
        i
        for i, (target, row) in enumerate(zip(targets, rows, strict=True))
        if edges[row] or target[:1].isspace() or target[-1:].isspace()
    ]


def _unchanged_sieve(
    sources: list[str], targets: list[str], rows: list[int], contexts: list[PairContext]
) -> list[int]:
    """The pairs whose translation is its source."""
    return [
        i
        for i, (target, row) in enumerate(zip(targets, rows, strict=True))
        if target == sources[row]
    ]


SIEVES: dict[str, Sieve] = {
    "whitespace-mismatch": _whitespace_sieve,
    "unchanged": _unchanged_sieve,
}
