"""The rules that read a translation as prose: numbers, spaces, repeated words, punctuation,
brackets, quotes and e-mail addresses. One small function each, as in :mod:`.pairs`.

Each returns None or (message, start, end): the span, in offsets of the translation, that a
report highlights. They read the texts with markup, URLs, placeholders and e-mail addresses
masked (:func:`wixloc.checks.text.mask_protected`), so nothing inside a tag or a URL is taken for
a word, a number, a bracket or a quote, and the offsets stay those of the real text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from functools import cache, lru_cache

from wixloc.checks import numbers as n
from wixloc.checks import text as t
from wixloc.checks.pairs import Hit, PairContext, PairRule, Sieve, Trigger

__all__ = [
    "GATES",
    "PROSE_RULES",
    "SIEVES",
    "bracket_mismatch",
    "double_space",
    "email_mismatch",
    "number_mismatch",
    "punctuation_mismatch",
    "punctuation_sieve",
    "quote_mismatch",
    "repeated_word",
]

# Runs of digits, with the separators between digits that make the languages' symbols matter.
# (\d\d* rather than \d+: a pattern that starts with a character set lets the regex engine skip
# to the next digit in C; one that starts with a repeat is tried at every position.)
_DIGIT_RUNS = re.compile(r"\d\d*(?:[.,'\u2019 \u00a0\u202f\u2009\u066b\u066c]\d+)*")


def _quoted(values: list[str]) -> str:
    return ", ".join(values)


def number_mismatch(source: str, target: str, ctx: PairContext) -> Hit | None:
    if _same_plain_digits(source, target):
        return None  # also when neither has a digit
    masked_source, masked_target = t.mask_protected(source), t.mask_protected(target)
    wanted = n.values(masked_source, ctx.source_numbers)
    found = n.numbers(masked_target, ctx.target_numbers)
    got = Counter(value for value, _, _ in found)
    if wanted == got:
        return None
    if n.spaced(masked_source) or n.spaced(masked_target):
        wanted, found = _closest_reading(masked_source, masked_target, ctx, wanted, found)
        got = Counter(value for value, _, _ in found)
        if wanted == got:
            return None
    if ("&" in source or "&" in target) and _same_with_spaces_decoded(source, target, ctx):
        return None  # 10&nbsp;000 is 10 000
    missing = sorted((wanted - got).elements())
    extra = (got - wanted).elements()
    extra_set = set(extra)
    parts = ([f"missing {_quoted(missing)}"] if missing else []) + (
        [f"extra {_quoted(sorted(extra_set))}"] if extra_set else []
    )
    message = "numbers differ from the source: " + "; ".join(parts)
    for value, start, end in found:
        if value in extra_set:
            return message, start, end
    return message, 0, len(target)  # only missing numbers: the whole translation


def _closest_reading(
    source: str,
    target: str,
    ctx: PairContext,
    wanted: Counter[str],
    found: list[tuple[str, int, int]],
) -> tuple[Counter[str], list[tuple[str, int, int]]]:
    """The numbers of both texts read so that they differ least, a plain space between digits
    read as grouping (``10 000``) or as two numbers side by side (``3 250 ml``: 3 and 250), in
    either text or both."""
    sources = [wanted]
    if n.spaced(source):
        sources.append(n.values(source, ctx.source_numbers, True))
    targets = [found]
    if n.spaced(target):
        targets.append(n.numbers(target, ctx.target_numbers, True))

    def apart(reading: tuple[Counter[str], list[tuple[str, int, int]]]) -> int:
        got = Counter(value for value, _, _ in reading[1])
        return sum(((reading[0] - got) + (got - reading[0])).values())

    return min(((a, b) for a in sources for b in targets), key=apart)


# A no-break, narrow no-break or thin space between digits, written as an HTML entity.
_DIGIT_SPACE_ENTITY = re.compile(
    r"(?<=\d)&(?:nbsp|thinsp|#160|#x0*a0|#8239|#x202f|#8201|#x2009);(?=\d)", re.IGNORECASE
)


def _same_with_spaces_decoded(source: str, target: str, ctx: PairContext) -> bool:
    """Whether the numbers are the same once space entities between digits are spaces."""
    source, target = (_DIGIT_SPACE_ENTITY.sub("\u00a0", text) for text in (source, target))
    masked_source, masked_target = t.mask_protected(source), t.mask_protected(target)
    wanted = n.values(masked_source, ctx.source_numbers)
    found = n.numbers(masked_target, ctx.target_numbers)
    wanted, found = _closest_reading(masked_source, masked_target, ctx, wanted, found)
    return wanted == Counter(value for value, _, _ in found)


_DOUBLE_SPACE = re.compile(r"(?<=\S)[ \u00a0]{2,}(?=\S)")


def _has_double_space(text: str) -> bool:
    return "  " in text or " \u00a0" in text or "\u00a0 " in text


def _same_plain_digits(source: str, target: str) -> bool:
    """The common case, decided without reading any number: the same runs of ASCII digits and
    no separator between digits on either side (so no symbol can change a value). Numbers in
    URLs and placeholders count here too; if they differ, the full comparison decides."""
    wanted, found = _plain_digits(source), _plain_digits_uncached(target)
    if wanted is None or found is None or len(found) != len(wanted):
        return False
    return found == wanted or sorted(found) == sorted(wanted)


def _plain_digits_uncached(text: str) -> tuple[str, ...] | None:
    """The runs of ASCII digits of *text*, or None when a separator or another script's digit
    makes reading the numbers necessary."""
    runs = _DIGIT_RUNS.findall(text)  # one scan: runs joined by separators are one token
    if not runs:
        return ()
    joined = "".join(runs)
    return tuple(runs) if joined.isascii() and joined.isdigit() else None


_plain_digits = lru_cache(maxsize=4096)(_plain_digits_uncached)  # sources repeat per language


def double_space(source: str, target: str, ctx: PairContext) -> Hit | None:
    if not _has_double_space(target) or _has_double_space(source):
        return None  # a source with double spaces (alignment, say) sets the style
    match = _DOUBLE_SPACE.search(t.mask_protected(target))
    if match is None:
        return None
    return f"{len(match.group())} spaces in a row", match.start(), match.end()


# A word, spaces (no tag: a masked tag is not a space), the same word; case-insensitive.
# Possessive: a word is never retried shorter, so the search stays linear in the text.
# Searched in the text after a :data:`~wixloc.checks.text.MASK` (see :func:`_repetitions`): a
# pattern that starts with a non-word character lets the regex engine skip over the words in C
# and try once per word; one that starts with (?<!\w) is tried at every position, about half
# as fast.
_REPEATED = re.compile(r"\W([^\W\d_]++)[ \t\u00a0]++(\1)(?!\w)", re.IGNORECASE)
# What every match of _REPEATED matches too (a run of word characters is a letter run when the
# separator follows it), scanned about 40% faster: \w is a plain class, [^\W\d_] a negated one.
# Searched after a MASK too.
_REPEATED_GATE = re.compile(r"\W(\w++)[ \t\u00a0]++\1\b", re.IGNORECASE)


def _repetitions(masked: str) -> list[re.Match[str]]:
    """_REPEATED's matches in MASK + *masked*: the word is group 1, and each offset is one more
    than in *masked* (a match's own first character is the one before its word)."""
    text = t.MASK + masked
    first = _REPEATED_GATE.search(text)
    if first is None:
        return []
    # Where _REPEATED matches, _REPEATED_GATE matches too (at the same offset), so no match
    # starts before the gate's first one: the text before it is not read twice.
    return list(_REPEATED.finditer(text, first.start()))


# Masking makes a repetition the plain text does not show only where a protected span and a
# word run into each other ("%sfoo foo": the word after the masked "%s" is "foo", not
# "sfoo"; "foo foohttps://..."). A printf conversion s or d runs into a letter on its right,
# a URL (http..., www.) may start right after a word character, and a URL or an e-mail address
# ends at a glued letter (t.GLUED: "https://x/aにアクセス", "…@wix.comまで") and an address
# starts after one ("サポートはhelp@…"). Each of these searches starts from a character few
# texts hold (the third, from a glued letter, fails at the next one but where an ASCII letter
# follows).
_RUN_INTO = (
    re.compile(t.PRINTF_HEAD + r"[sd][^\W\d_]"),
    re.compile(r"://(?<=\whttp://)|://(?<=\whttps://)", re.IGNORECASE),
    re.compile(r"\.(?<=\wwww\.)", re.IGNORECASE),
    re.compile(r"(?:://|\.(?<=[wW][wW][wW]\.)|@)[^\s" + t.GLUED + r"]*+[" + t.GLUED + "]"),
    re.compile("[" + t.GLUED + r"](?:[^\W" + t.GLUED + r"]|[.+-])++@"),
)


@lru_cache(maxsize=1024)  # a source is read once for all its languages
def _repeats(text: str) -> Counter[str]:
    return Counter(m.group(1).casefold() for m in _repetitions(t.mask_protected(text)))


def _more_than_source(repeats: list[re.Match[str]], source: str) -> bool:
    return bool(repeats) and len(repeats) > sum(_repeats(source).values())


# Words that grammar puts twice in a row, by language: a reflexive pronoun ("nous nous
# réservons", "vous vous inscrivez"), "wenn Sie sie bestellen", "dat dat", "that that", "had
# had"; and, only after a comma, a German relative pronoun before an article ("die Produkte,
# die die Kunden kaufen"), where at a sentence's start "Der der" is a slip.
GRAMMATICAL_REPEATS: dict[str, frozenset[str]] = {
    "de": frozenset({"sie"}),
    "nl": frozenset({"dat", "die"}),
    "fr": frozenset({"nous", "vous"}),
    "en": frozenset({"that", "had"}),
}
AFTER_A_COMMA: dict[str, frozenset[str]] = {
    "de": frozenset({"der", "die", "das", "dem", "des"}),  # "den den" is rarely meant
}


def _grammatical(match: re.Match[str], language: str) -> bool:
    """Whether the repetition *match* (of :func:`_repetitions`) is one its language's grammar
    makes (see :data:`GRAMMATICAL_REPEATS`)."""
    word = match.group(1).casefold()
    if word in GRAMMATICAL_REPEATS.get(language, ()):
        return True
    if word not in AFTER_A_COMMA.get(language, ()):
        return False
    before = match.string[: match.start(1)].rstrip(" \t\u00a0" + t.MASK)  # markup too
    return before.endswith((",", "\uff0c"))


def repeated_word(source: str, target: str, ctx: PairContext) -> Hit | None:
    # Where nothing runs into a word, masking can only break repetitions, never make one, so
    # the masked text has no more of them than the plain text (both counted as finditer
    # counts them: a match's end grows with its start, so its count is the most that do not
    # overlap). No more than the source's: no finding, and the translation need not be masked.
    run_into = any(p.search(target) for p in _RUN_INTO)
    if not run_into and not _more_than_source(_repetitions(target), source):
        return None
    repeats = _repetitions(t.mask_protected(target))
    if ctx.language in GRAMMATICAL_REPEATS:
        repeats = [m for m in repeats if not _grammatical(m, ctx.language)]
    # A repetition the source has too ("bye bye", "kitchen kitchen") is taken as meant.
    if not _more_than_source(repeats, source):
        return None
    allowed = _repeats(source)
    first = next((m for m in repeats if m.group(1).casefold() not in allowed), repeats[-1])
    return f"the word '{first.group(1)}' is repeated", first.start(1) - 1, first.end() - 1


# --- ending punctuation -------------------------------------------------------------------

_MARKS = {
    ".": "period",
    "\u3002": "period",  # 。
    "\uff0e": "period",  # ．
    "\uff61": "period",  # ｡
    "\u0964": "period",  # । (Devanagari danda)
    "\u06d4": "period",  # ۔ (Urdu full stop)
    "\u104b": "period",  # ။ (Burmese)
    "?": "question",
    "\uff1f": "question",  # ？
    "\u061f": "question",  # ؟
    "!": "exclamation",
    "\uff01": "exclamation",  # ！
    ":": "colon",
    "\uff1a": "colon",  # ：
    ";": "semicolon",
    "\uff1b": "semicolon",  # ；
    "\u061b": "semicolon",  # ؛
    "\u2026": "ellipsis",  # …
}
_CLOSERS = (
    " \t\r\n\u00a0\u202f"
    # marks of direction and zero-width characters, written after a right-to-left sentence
    + "\u200b\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
    + t.MASK
    + "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb\u2039\u203a)]}\u300d\u300f\uff09"
)
# A text that ends with an abbreviation (Fig., etc., z.B., U.S., É.-U.) has no sentence end to
# compare; nor one that ends with two one-letter abbreviations (z. B., u. a.).
_ABBREVIATION = re.compile(
    r"(?:[^\W\d_]\.(?:-?[^\W\d_]\.)+|(?:fig|figs|no|nos|nr|vol|etc|approx|ca|abb|bzw|usw|"
    r"vgl|inkl|zzgl|exkl|mwst|ggf|evtl|bspw|sog|tel|pp|vs|inc|incl|excl|ltd|co|corp|dr|mr|mrs|"
    r"ms|prof|st|jr|sr|cf|ff|ss|mme|mlle|env|éd|suiv|ex|ej|uu|aa|resp|min|max)\.)",
    re.IGNORECASE,
)
_INITIAL = re.compile(r"[^\W\d_]\.")
# Languages that write an ordinal as a number with a full stop (am 3., bis 31.12.): a text of
# theirs that ends with one has no sentence end to compare.
_ORDINAL_DOT = frozenset(
    {"de", "da", "nb", "nn", "no", "fi", "is", "et", "lv", "cs", "sk", "sl", "hr", "sr", "bs"}
    | {"hu", "tr", "fo"}
)
_DOTTED_NUMBER = re.compile(r"(?:\d{1,4}\.)+")
_NO_PERIOD = frozenset({"th", "lo", "km", "bo"})  # scripts that end sentences with a space
_WIDE_PERIOD = frozenset({"ja", "zh", "yue"})
_ARABIC_QUESTION = frozenset({"ar", "fa", "ur", "ps", "ckb", "sd", "ug"})
_FRENCH_SPACED = {"question", "exclamation", "colon", "semicolon"}
_SPACES_BEFORE = " \u00a0\u202f"
_NAMES = {"period": "a full stop", "question": "a question mark", "exclamation": "an exclamation"}


_source_ending = lru_cache(maxsize=4096)  # a source is read once for all its languages


def _ending(text: str, lang: str) -> tuple[str | None, int, int]:
    """(kind of ending mark or None, start, end) of *text*'s last mark, read for *lang*."""
    end = _plain_end(text)
    last = text[end - 1 : end]
    if last.isalnum():
        return None, end - 1, end  # a letter or digit ends it
    if last in _MARKS and last != ";":
        # After a mark, text[:end] is the body (no URL, placeholder or entity ends with a
        # mark), read in place
        if text.endswith("...", 0, end):
            return "ellipsis", end - 3, end
        mark = _MARKS[last]
        if mark == "period" and _abbreviated(text, end, lang):
            return "abbreviation", end - 1, end
        return mark, end - 1, end
    # Otherwise a URL, placeholder or entity may end the text (or hide the mark before it)
    body = t.mask_protected(text).rstrip(_CLOSERS)
    if not body:
        return None, 0, 0
    if body.endswith("..."):
        return "ellipsis", len(body) - 3, len(body)
    last = body[-1]
    kind = _MARKS.get(last)
    if lang == "el" and last in ";\u037e":
        kind = "question"  # Greek asks with what looks like a semicolon
    if kind == "period" and _abbreviated(body, len(body), lang):
        return "abbreviation", len(body) - 1, len(body)
    return kind, len(body) - 1, len(body)


_cached_ending = _source_ending(_ending)
_PLAIN_CLOSERS = frozenset(_CLOSERS) - {"}", t.MASK}


def _plain_end(text: str) -> int:
    """Where *text* ends once trailing spaces, tags, closing quotes and brackets are skipped,
    found by walking back from the end (no copy, no regex over the text)."""
    end = len(text)
    while end:
        ch = text[end - 1]
        if ch == ">":
            start = text.rfind("<", 0, end)
            if start < 0:
                return end
            end = start
        elif ch in _PLAIN_CLOSERS:
            end -= 1
        else:
            return end
    return end


def _last_word(text: str, end: int) -> str:
    """The last word of text[:end]."""
    # abbreviations are short: no need to split all; and one split from the right is enough
    tail = text[max(0, end - 24) : end].rsplit(None, 1)
    return tail[-1] if tail else ""


def _abbreviated(text: str, end: int, lang: str = "") -> bool:
    """Whether the last word of text[:end] is an abbreviation (:data:`_ABBREVIATION`), the
    second of two initials (``z. B.``), or in *lang* an ordinal (:data:`_ORDINAL_DOT`)."""
    word = _last_word(text, end)
    if lang in _ORDINAL_DOT and _DOTTED_NUMBER.fullmatch(word) is not None:
        return True
    if _INITIAL.fullmatch(word) is not None:
        words = text[max(0, end - 24) : end].split()
        return len(words) > 1 and _INITIAL.fullmatch(words[-2]) is not None
    if len(word) > 7 and word[-3:-2] != ".":
        return False  # longer than "approx.", and not a run of letters each with its period
    return _ABBREVIATION.fullmatch(word) is not None


def punctuation_mismatch(source: str, target: str, ctx: PairContext) -> Hit | None:
    hit = _punctuation(source, target, ctx)
    if hit is not None and _pseudo(source, target):
        return None  # asked only when there is a finding: most pairs have none
    return hit


# Per mark, the languages with a form of their own for it (see _convention): for any other,
# a translation that ends with the very mark its source ends with breaks no rule.
_OWN_FORM = {
    ".": _WIDE_PERIOD,
    "?": _ARABIC_QUESTION | {"es", "fr"},
    "!": frozenset({"es", "fr"}),
    ":": frozenset({"fr"}),
    "\u2026": frozenset(),
}


@lru_cache(maxsize=4096)  # a source is read once for all its languages
def _source_end(source: str) -> tuple[str, bool]:
    """The character *source* ends with once closers are skipped, and whether that is "..."."""
    end = _plain_end(source)
    return source[end - 1 : end], source.endswith("...", 0, end)


def _punctuation(source: str, target: str, ctx: PairContext) -> Hit | None:
    want, _, _ = _cached_ending(source, ctx.source_language)
    if want is None and target[-1:].isalnum():
        return None  # neither ends with a mark (the common case)
    # The next common case: the same mark (and "..." on both sides or neither). Both ends are
    # then read as the same kind, or one as an abbreviation, so only the target language's
    # own form of the mark is left to check.
    end = _plain_end(target)
    mark = target[end - 1 : end]
    own = _OWN_FORM.get(mark)
    if own is not None:
        dots = target.endswith("...", 0, end)
        if _source_end(source) == (mark, dots) and (dots or ctx.language not in own):
            return None
    got, start, end = _ending(target, ctx.language)
    if "abbreviation" in (want, got):
        return None  # "See Fig." is no sentence end; the translation may spell the word out
    if want != got:
        if want == "period" and got is None and ctx.language in _NO_PERIOD:
            return None
        mark = target[start:end]
        if got is None:
            return f"no ending punctuation; the source ends with '{_mark(source)}'", start, end
        if want is None:
            return f"ends with '{mark}'; the source has no ending punctuation", start, end
        return f"ends with '{mark}'; the source ends with '{_mark(source)}'", start, end
    return _convention(target, got, start, end, ctx.language, ctx.region)


def _end_kind(text: str) -> str:
    """How *text* ends once trailing spaces, tags, closing quotes and brackets are skipped (as
    :func:`_punctuation` reads it first), for :func:`punctuation_sieve`: "a" for a letter or
    digit, "..." or a mark of :data:`_OWN_FORM`, else "" (the rule reads it)."""
    last, end = text[-1:], len(text)
    if last in _PLAIN_CLOSERS or last == ">":
        end = _plain_end(text)
        last = text[end - 1 : end]
    if last.isalnum():
        return "a"
    if last == ".":
        return "..." if text.endswith("...", 0, end) else "."
    return last if last in _OWN_FORM else ""


@lru_cache(maxsize=64)
def _settled_ends(lang: str) -> frozenset[str]:
    """The ends (:func:`_end_kind`) with which a pair breaks no punctuation rule in *lang* when
    its source and translation both have it: a letter or digit, "...", or a mark *lang* writes
    as any other language does."""
    return frozenset({"a", "...", *(mark for mark, own in _OWN_FORM.items() if lang not in own)})


def punctuation_sieve(
    sources: list[str], targets: list[str], rows: list[int], contexts: list[PairContext]
) -> list[int]:
    """The pairs (of a batch: each target's source is ``sources[rows[i]]``) that
    :func:`punctuation_mismatch` must read. The others end, once closers are skipped, with a
    letter or digit on both sides (the rule then finds no mark on either), or with the same mark
    on both, one the target language writes as the source does (its second test). Asked here
    in one pass over the batch, not a call per pair: most pairs of a table end one of these
    ways."""
    kinds = [_end_kind(source) for source in sources]
    each = {id(ctx): ctx for ctx in contexts}  # a batch shares a context per language
    settled = {key: _settled_ends(ctx.language) for key, ctx in each.items()}
    return [
        i
        for i, (target, row, ctx) in enumerate(zip(targets, rows, contexts, strict=True))
        if (kind := kinds[row]) not in settled[id(ctx)] or _end_kind(target) != kind
    ]


def _pseudo(source: str, target: str) -> bool:
    """A pseudo-translation (``wixloc pseudo``) is the source wrapped in [ ] with padding before
    the ], so its end is padding, not a sentence end."""
    # the ends only: a strip() of the whole text would copy it for every pair
    head, tail = target[:8].lstrip()[:1], target[-8:].rstrip()[-1:]
    return head == "[" and tail == "]" and source[:8].lstrip()[:1] != "["


def _mark(text: str) -> str:
    _, start, end = _cached_ending(text, "")
    return text[start:end]


def _convention(
    target: str, kind: str | None, start: int, end: int, lang: str, region: str
) -> Hit | None:
    """The target language's own form of the mark it ends with (a language given one here
    must be in :data:`_OWN_FORM` for that mark too)."""
    mark = target[start:end]
    if lang in _WIDE_PERIOD and mark == ".":
        return "ends with '.'; this language ends a sentence with '。'", start, end
    if lang in _ARABIC_QUESTION and mark == "?":
        return "ends with '?'; this language asks with '؟'", start, end
    if lang == "es" and kind in ("question", "exclamation"):
        opening = "¿" if kind == "question" else "¡"
        if opening not in target:
            return f"ends with '{mark}' but has no opening '{opening}'", start, end
    french = lang == "fr" and kind in _FRENCH_SPACED and not (region == "CA" and kind != "colon")
    if french and not _spaced(target, start):
        return f"French puts a no-break space before '{mark}'", start, end
    return None


# A no-break, narrow no-break or thin space written as an HTML entity (&nbsp; &#160; &#x202F;).
_SPACE_ENTITY = re.compile(
    r"&(?:nbsp|thinsp|#160|#x0*a0|#8239|#x202f|#8201|#x2009);\Z", re.IGNORECASE
)


def _spaced(target: str, start: int) -> bool:
    """Whether a space stands before the mark at *start* (and the marks it follows: ?! !!),
    as a character or as an entity."""
    while start > 0 and target[start - 1] in "!?":
        start -= 1
    if start > 0 and target[start - 1] in _SPACES_BEFORE:
        return True
    return _SPACE_ENTITY.search(target, max(0, start - 10), start) is not None


# --- brackets and quotes ------------------------------------------------------------------

_OPEN = "([{\uff08\uff3b\uff5b\u300c\u300e\u3010\u3014\u3008\u300a"
_CLOSE = ")]}\uff09\uff3d\uff5d\u300d\u300f\u3011\u3015\u3009\u300b"
_PARTNER = dict(zip(_CLOSE, _OPEN, strict=True))
_BRACKET = re.compile("[" + re.escape(_OPEN + _CLOSE) + "]")


def _unbalanced(masked: str) -> tuple[int, str] | None:
    """The first bracket without a partner: (offset, bracket), or None when all are paired."""
    stack: list[tuple[int, str]] = []
    for match in _BRACKET.finditer(masked):
        ch = match.group()
        if ch in _PARTNER:
            if not stack or stack[-1][1] != _PARTNER[ch]:
                return match.start(), ch
            stack.pop()
        else:
            stack.append((match.start(), ch))
    return stack[0] if stack else None


def bracket_mismatch(source: str, target: str, ctx: PairContext) -> Hit | None:
    if _BRACKET.search(target) is None or _unbalanced(target) is None:
        return None  # what masking removes (placeholders, tags) is balanced in itself
    wrong = _unbalanced(t.mask_protected(target))
    if wrong is None or _unbalanced(t.mask_protected(source)) is not None:
        return None  # balanced, or the source is not balanced either ("1) first")
    offset, ch = wrong
    what = "closing" if ch in _PARTNER else "opening"
    return f"the {what} '{ch}' has no partner", offset, offset + 1


# Double quotes by family; each family must come in pairs. Single quotes are left alone: the
# same characters are apostrophes (it's, l’homme). A '"' between Hebrew letters is a gershayim.
_QUOTE_FAMILIES = (
    re.compile(r'(?<![\u05d0-\u05ea])"|"(?![\u05d0-\u05ea])'),
    re.compile("[\u201c\u201d\u201e\u201f]"),
    re.compile("[\u00ab\u00bb]"),
    re.compile("[\u2039\u203a]"),
)


_QUOTES = re.compile('["\u201c\u201d\u201e\u201f\u00ab\u00bb\u2039\u203a]')


def _paired_by_count(text: str) -> bool:
    """Every family's count is even (counted in C, no regex over the text)."""
    if _QUOTES.search(text) is None:
        return True
    n = text.count
    return (
        n('"') % 2 == 0
        and (n("\u201c") + n("\u201d") + n("\u201e") + n("\u201f")) % 2 == 0
        and (n("\u00ab") + n("\u00bb")) % 2 == 0
        and (n("\u2039") + n("\u203a")) % 2 == 0
    )


def _odd_family(masked: str) -> tuple[str, int] | None:
    for family in _QUOTE_FAMILIES:
        found = list(family.finditer(masked))
        if len(found) % 2:
            return found[-1].group(), found[-1].start()
    return None


def quote_mismatch(source: str, target: str, ctx: PairContext) -> Hit | None:
    if _paired_by_count(target):
        return None  # quotes in tags come in pairs (attribute values): the plain text decides
    odd = _odd_family(t.mask_protected(target))
    if odd is None or _odd_family(t.mask_protected(source)) is not None:
        return None
    ch, offset = odd
    return f"the quotation mark '{ch}' has no partner", offset, offset + 1


def email_mismatch(source: str, target: str, ctx: PairContext) -> Hit | None:
    if "@" not in source and "@" not in target:
        return None
    wanted = Counter(e for e, _, _ in t.email_spans(source))
    found = t.email_spans(target)
    got = Counter(e for e, _, _ in found)
    if wanted == got:
        return None
    missing = sorted((wanted - got).elements())
    extra = set((got - wanted).elements())
    parts = ([f"missing {_quoted(missing)}"] if missing else []) + (
        [f"extra {_quoted(sorted(extra))}"] if extra else []
    )
    message = "e-mail addresses differ from the source: " + "; ".join(parts)
    for email, start, end in found:
        if email in extra:
            return message, start, end
    return message, 0, len(target)


# In report order, after the rules of :mod:`.pairs`.
PROSE_RULES: tuple[tuple[str, PairRule], ...] = (
    ("number-mismatch", number_mismatch),
    ("email-mismatch", email_mismatch),
    ("punctuation-mismatch", punctuation_mismatch),
    ("bracket-mismatch", bracket_mismatch),
    ("quote-mismatch", quote_mismatch),
    ("double-space", double_space),
    ("repeated-word", repeated_word),
)

_DIGIT = re.compile(r"\d")

# As :data:`wixloc.checks.pairs.GATES`; a rule whose first test reads the translation only has
# no trigger in the source (None).
GATES: dict[str, tuple[Trigger, Trigger | None]] = {
    "number-mismatch": (_DIGIT, _DIGIT),  # no digit on either side: the same plain digits
    "email-mismatch": (("@",), ("@",)),
    "bracket-mismatch": (_BRACKET, None),
    "quote-mismatch": (_QUOTES, None),
    # _has_double_space, or a no-break space alone: two scans, not three (few texts hold one)
    "double-space": (("  ", "\u00a0"), None),
    "repeated-word": (_REPEATED_GATE, None),
}


def _bmp_class(test: Callable[[str], bool]) -> str:
    """The inside of a regex character class: the characters up to U+FFFF that pass *test*."""
    ranges: list[list[int]] = []
    for code in range(0x10000):
        if test(chr(code)):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
    return "".join(f"\\u{first:04x}-\\u{last:04x}" for first, last in ranges)


@cache
def narrow_gates() -> dict[str, tuple[Trigger, Trigger | None]]:
    """:data:`GATES` for texts with no character beyond U+FFFF: number-mismatch's digit, and
    repeated-word's non-word and word characters, spelled out as ranges, which the regex
    engine looks up in a table, where it asks the Unicode database of each character whether
    it is a \\d or a \\w, several function calls a character (at 100,000 keys x 6 languages
    the two gates took 0.5 CPU s more). A class that holds characters beyond U+FFFF is
    checked range by range, slower than \\d: the narrow gates are for narrow texts only.
    Built from this Python's Unicode database (``str.isdecimal`` is \\d; ``str.isalnum`` or
    ``_`` is \\w), once a process, in about 20 ms."""
    digit = re.compile("[" + _bmp_class(str.isdecimal) + "]")
    # case-sensitive: a class that ignores case is checked a character's lower case at a time
    word = "(?-i:[" + _bmp_class(lambda c: c.isalnum() or c == "_") + "])"
    non_word = "(?-i:[" + _bmp_class(lambda c: not (c.isalnum() or c == "_")) + "])"
    # _REPEATED_GATE's \W(\w++)[ \t\u00a0]++\1\b: the word's last character is a word
    # character, so \b is a character after it that is not one
    after = r"[ \t\u00a0]++\1(?!" + word + ")"
    repeated = re.compile(non_word + "(" + word + "++)" + after, re.IGNORECASE)
    return {**GATES, "number-mismatch": (digit, digit), "repeated-word": (repeated, None)}


# Texts a rule reads besides those its gate finds in the plain text: repeated_word reads the
# masked text, in which a placeholder or a URL run into a word makes a repetition
# (:data:`_RUN_INTO`). In one regex (or as an alternative in _REPEATED_GATE) these were
# searched at every position, several times slower; calling the rule for every text with a
# "%" or a URL cost a tenth of check.
ALSO: dict[str, tuple[re.Pattern[str], ...]] = {"repeated-word": _RUN_INTO}
# As :data:`wixloc.checks.pairs.SIEVES`: punctuation-mismatch's first tests read the ends of
# the two texts, not a trigger anywhere in them.
SIEVES: dict[str, Sieve] = {"punctuation-mismatch": punctuation_sieve}
