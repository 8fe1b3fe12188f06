"""A termbase for the ``terminology`` rule: read from CSV or TBX, matched tolerantly.

CSV: ``source,target,language[,note]`` (a header row with those names is optional); a note
``forbidden`` makes *target* a term the translation must not use. TBX (2.0 ``martif`` or v3
``tbx``): each entry's term in the main language is the source, each term in another language a
target; a term whose ``administrativeStatus`` is deprecated, superseded or not recommended is
forbidden. XML is read without entities, DTDs or network, and a DOCTYPE is refused.

Matching: case-insensitive (``casefold``), word by word, the words of a term in order with only
spaces or punctuation between them. A term word of 4 letters or more also matches a word that
starts with its stem, which is the word less its last two letters but at least 4 letters
(``Warenkorb`` matches ``Warenkorbs``, ``Bestellung`` matches ``Bestellungen``, ``cart``
matches ``carts``); a shorter word must match whole. A word in a script written without spaces
(Chinese, Japanese, Thai...) matches wherever it is, whole; a word in Hangul matches the start
of a word (Korean particles follow it). Markup, URLs, e-mail addresses and placeholders are not
read (their characters are masked, :func:`wixloc.checks.text.mask_protected`).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from lxml import etree

from wixloc.checks import text as t
from wixloc.errors import InputError

__all__ = [
    "Term",
    "TermSet",
    "Termbase",
    "check_terms",
    "load_termbase",
    "term_pattern",
]

_MIN_STEM = 4
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_FORBIDDEN_STATUS = frozenset(
    {
        "deprecatedterm-admn",
        "supersededterm-admn",
        "notrecommended",
        "deprecated",
        "superseded",
        "forbidden",
        "obsolete",
    }
)


@dataclass(frozen=True)
class Term:
    source: str  # "" for a forbidden term that is wrong whatever the source says
    target: str
    language: str  # a tag as written: "de", "de-CH"
    note: str = ""
    forbidden: bool = False
    line: int | None = None  # where it is in the termbase file, for messages


_WORD_START = r"(?<!\w)"  # how a term's pattern starts (but a searched one, or unspaced)

# Scripts written without spaces between words: Han, Hiragana, Katakana (and their half-width
# and extension blocks), Thai, Lao, Myanmar, Khmer. A term word in them matches inside a word.
_UNSPACED = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f]"
)
# Hangul: Korean words are spaced, but particles follow them (제품 -> 제품을).
_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")


def term_pattern(term: str, *, searched: bool = False) -> re.Pattern[str]:
    """The regex that finds *term* as the module docstring describes. *searched*: one that
    matches where it does (not always with the same span), faster to search for: the first
    word's letters come first and the word's start is tested after them, by a lookbehind as
    wide as they are, where otherwise every position of the text is tried with a lookbehind.

    A word in a script written without spaces (Chinese, Japanese, Thai...) matches anywhere,
    whole; a word in Hangul matches the start of a word."""
    words = re.findall(r"\w+", term)
    if not words:
        raise ValueError(term)
    parts = []
    bounded = _UNSPACED.search(words[0]) is None
    for n, word in enumerate(words):
        unspaced, stem = _UNSPACED.search(word) is not None, _HANGUL.search(word) is not None
        if unspaced or stem or len(word) < _MIN_STEM:
            letters = word
        else:
            letters, stem = word[: max(_MIN_STEM, len(word) - 2)], True
        start = rf"(?<!\w(?s:.){{{len(letters)}}})" if searched and n == 0 and bounded else ""
        rest = "" if unspaced else r"\w*" if stem else r"(?!\w)"
        parts.append(re.escape(letters) + start + rest)
    head = _WORD_START if bounded and not searched else ""
    between = r"\W{1,3}" if all(_UNSPACED.search(w) is None for w in words) else r"\W{0,3}"
    return re.compile(head + between.join(parts), re.IGNORECASE)


@dataclass
class _Compiled:
    term: Term
    source: re.Pattern[str] | None
    target: re.Pattern[str]
    searched: re.Pattern[str]  # the target's, to search for (term_pattern(searched=True))

    @cached_property
    def target_one_word(self) -> bool:
        """The target term is one word that starts a word (not in an unspaced script)."""
        return _one_word(self.term.target)


def _finder(c: _Compiled) -> Callable[[str], object]:
    """What finds *c*'s target term in a text (true if it is there). A word of characters
    without case in an unspaced script (``製品``) is there where the text holds it: ignoring
    case changes nothing for such characters, so a substring test does what the regex does."""
    words = re.findall(r"\w+", c.term.target)
    word = words[0] if len(words) == 1 else ""
    if word and _UNSPACED.search(word) and all(_uncased(ch) for ch in word):
        return _contains(word)
    return c.searched.search


def _contains(word: str) -> Callable[[str], bool]:
    return lambda text: word in text


def _uncased(ch: str) -> bool:
    return ch.lower() == ch == ch.upper() and ch.casefold() == ch


def _first_word(term: str) -> re.Pattern[str] | None:
    """The pattern of *term*'s first word, if it starts a word (not in an unspaced script):
    where the term is, this pattern matches the whole word it starts with."""
    words = re.findall(r"\w+", term)
    return term_pattern(words[0]) if words and _UNSPACED.search(words[0]) is None else None


def _one_word(term: str) -> bool:
    words = re.findall(r"\w+", term)
    return len(words) == 1 and _UNSPACED.search(words[0]) is None


@dataclass
class Termbase:
    terms: list[Term] = field(default_factory=list)
    name: str = ""

    def for_language(self, tag: str) -> list[_Compiled]:
        """The terms that apply to *tag*: those of that tag and of its primary language."""
        return self._by_language.get(tag.lower(), []) + (
            self._by_language.get(tag.split("-")[0].lower(), []) if "-" in tag else []
        )

    def words(self, tag: str) -> frozenset[str]:
        """Every word of the target terms for *tag*, case-folded (the speller skips them)."""
        return frozenset(
            w.casefold() for c in self.for_language(tag) for w in re.findall(r"\w+", c.term.target)
        )

    @cached_property
    def _by_language(self) -> dict[str, list[_Compiled]]:
        # once a process for the same terms: a termbase comes anew with each part of a table
        key = tuple(self.terms)
        found = _COMPILED.get(key)
        if found is None:
            found = _COMPILED[key] = {}
            for term in self.terms:
                source = term_pattern(term.source) if term.source.strip() else None
                target = term_pattern(term.target)
                searched = term_pattern(term.target, searched=True)
                found.setdefault(term.language.lower(), []).append(
                    _Compiled(term, source, target, searched)
                )
        return found


_COMPILED: dict[tuple[Term, ...], dict[str, list[_Compiled]]] = {}  # see Termbase._by_language
_TERM_SETS: dict[tuple[Term, ...], TermSet] = {}  # see TermSet.of


def load_termbase(path: str | Path, source_language: str | None = None) -> Termbase:
    """Read a CSV or TBX termbase; a wrong file is an InputError naming it (and the line).

    In TBX the source term of an entry is its term in *source_language* (the main language),
    else its first language's.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(
            "no such file", file=path, hint="--terms names a CSV or TBX file"
        ) from None
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror})", file=path) from None
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    terms = (
        _read_tbx(data, str(path), source_language) if head == b"<" else _read_csv(data, str(path))
    )
    if not terms:
        raise InputError("the termbase has no terms", file=path)
    return Termbase(terms, str(path))


# --- CSV ----------------------------------------------------------------------------------

_HEADER = ("source", "target", "language")


def _read_csv(data: bytes, name: str) -> list[Term]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start + 1})", file=name) from None
    terms = []
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for row in reader:
            line = reader.line_num
            cells = [c.strip() for c in row]
            if not any(cells) or (line == 1 and tuple(c.lower() for c in cells[:3]) == _HEADER):
                continue
            terms.append(_csv_term(cells, name, line))
    except csv.Error as exc:
        raise InputError(f"not valid CSV: {exc}", file=name, line=reader.line_num) from None
    return terms


def _csv_term(cells: list[str], name: str, line: int) -> Term:
    if len(cells) not in (3, 4):
        raise InputError(
            f"a term row has {len(cells)} cells; it needs source,target,language[,note]",
            file=name,
            line=line,
        )
    source, target, language = cells[:3]
    note = cells[3] if len(cells) == 4 else ""
    forbidden = note.lower().startswith("forbidden")
    if not target or not re.search(r"\w", target) or not language:
        raise InputError("a term row needs a target term and a language", file=name, line=line)
    if not forbidden and not re.search(r"\w", source):
        raise InputError(
            "a term row needs a source term (or the note 'forbidden')", file=name, line=line
        )
    return Term(source, target, language, note, forbidden, line)


# --- TBX ----------------------------------------------------------------------------------


def _parse_xml(data: bytes, name: str) -> etree._Element:
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno else None
        msg = re.sub(r",? line \d+, column \d+$", "", exc.msg or str(exc)).strip()
        raise InputError(f"not well-formed XML: {msg}", file=name, line=line) from None
    if getattr(root.getroottree().docinfo, "doctype", ""):  # missing from the stubs
        raise InputError(
            "the termbase has a DOCTYPE declaration; wixloc does not read them (they can define "
            "entities that expand without limit or read other files): remove that line",
            file=name,
        )
    return root


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _text(element: etree._Element) -> str:
    return "".join(str(part) for part in element.itertext()).strip()


def _read_tbx(data: bytes, name: str, source_language: str | None) -> list[Term]:
    root = _parse_xml(data, name)
    if _local(root.tag) not in ("martif", "tbx"):
        raise InputError(f"not a TBX file (its root is <{_local(root.tag)}>)", file=name)
    terms: list[Term] = []
    for entry in root.iter():
        if _local(entry.tag) in ("termEntry", "conceptEntry"):
            terms += _entry_terms(entry, source_language)
    return terms


def _source_language(found: list[tuple[str, str, bool, int | None]], wanted: str | None) -> str:
    """The entry's source language: *wanted* (or its primary language) when present, else the
    language of the entry's first langSet."""
    if wanted:
        for lang in (wanted, wanted.split("-")[0]):
            for tag, *_ in found:
                if tag.lower() == lang.lower():
                    return tag
    return found[0][0]


def _entry_terms(entry: etree._Element, source_language: str | None) -> list[Term]:
    by_language: list[tuple[str, str, bool, int | None]] = []
    for lang_set in entry:
        if _local(lang_set.tag) != "langSet":
            continue
        lang = lang_set.get(_XML_LANG) or lang_set.get("lang") or ""
        for term, forbidden in _lang_set_terms(lang_set):
            line: object = lang_set.sourceline  # the stubs say int | Ellipsis; it is int | None
            by_language.append((lang, term, forbidden, line if isinstance(line, int) else None))
    if not by_language:
        return []
    main = _source_language(by_language, source_language)
    sources = [t for lang, t, bad, _ in by_language if lang.lower() == main.lower() and not bad]
    source = sources[0] if sources else ""
    return [
        Term(source if not bad else "", term, lang, "", bad, line)
        for lang, term, bad, line in by_language
        if lang.lower() != main.lower()
    ]


def _lang_set_terms(lang_set: etree._Element) -> Iterable[tuple[str, bool]]:
    for group in lang_set.iter():
        if _local(group.tag) not in ("tig", "ntig", "termSec"):
            continue
        term = next((e for e in group.iter() if _local(e.tag) == "term"), None)
        if term is None or not _text(term):
            continue
        status = [
            _text(e).lower()
            for e in group.iter()
            if _local(e.tag) in ("termNote", "descrip") and e.get("type") == "administrativeStatus"
        ]
        yield _text(term), any(s in _FORBIDDEN_STATUS for s in status)


# --- the rule -----------------------------------------------------------------------------

TermHit = tuple[str, int, int, str]  # message, start, end, "source" or "translation"


class TermSet:
    """One language's terms, each side's patterns joined into one regex with a group per term,
    so a pair costs one search of the source and one of the translation, whatever the size of
    the termbase. Where two terms overlap (``cart``, ``shopping cart``) the longer one wins."""

    @classmethod
    def of(cls, terms: list[_Compiled]) -> TermSet:
        """The TermSet of *terms*, made once a process (each part of a table asks again)."""
        key = tuple(c.term for c in terms)
        found = _TERM_SETS.get(key)
        if found is None:
            found = _TERM_SETS[key] = cls(terms)
        return found

    def __init__(self, terms: list[_Compiled]) -> None:
        self.forbidden = [c for c in terms if c.term.forbidden]
        self.required = [c for c in terms if not c.term.forbidden and c.source is not None]
        self.find_forbidden = _joined([c.target for c in self.forbidden])
        self.find_source = _joined([c.source for c in self.required if c.source is not None])
        # per source term, its allowed targets (any one will do)
        self.choices: dict[str, list[_Compiled]] = {}
        for c in self.required:
            self.choices.setdefault(c.term.source.casefold(), []).append(c)
        # For check_all, found by the words of a text: the required target terms of one word
        # that start a word (by their index: there exactly where such a word is); and by their
        # first word, where it starts a word, the source terms and the forbidden terms (by -1 -
        # their index: maybe there, the pair is then read). The others by regex.
        self._keys = [c.term.source.casefold() for c in self.required]
        sources = [(i, _first_word(c.term.source)) for i, c in enumerate(self.required)]
        self._sources = _Words.of([(i, p) for i, p in sources if p is not None])
        self._other_sources = [i for i, p in sources if p is None]
        self._find_other_sources = _joined(
            [c.source for i in self._other_sources if (c := self.required[i]).source is not None]
        )
        forbidden = [(-1 - i, _first_word(c.term.target)) for i, c in enumerate(self.forbidden)]
        self._targets = _Words.of(
            [(i, c.target) for i, c in enumerate(self.required) if c.target_one_word]
            + [(i, p) for i, p in forbidden if p is not None]
        )
        self._find_other_forbidden = _joined(
            [self.forbidden[-1 - i].target for i, p in forbidden if p is None]
        )
        # A source term by its first row (a "kid"): a target term found stands for its row's
        # source term. A source term with a target not of one word is searched for as well.
        first: dict[str, int] = {}
        self._kid = [first.setdefault(key, i) for i, key in enumerate(self._keys)]
        self._kids_are_rows = all(k == i for i, k in enumerate(self._kid))
        self._searched: dict[int, list[Callable[[str], object]]] = {}
        for key, choices in self.choices.items():
            if not all(c.target_one_word for c in choices):
                others = [_finder(c) for c in choices if not c.target_one_word]
                self._searched[first[key]] = others
        self._searched_kids = frozenset(self._searched)
        self._forbidden_ids = frozenset(-1 - i for i in range(len(self.forbidden)))
        # terms of several words found by their first: searched for where it is
        self._whole_source = {
            i: c.source
            for i, c in enumerate(self.required)
            if c.source is not None and len(re.findall(r"\w+", c.term.source)) > 1
        }
        self._whole_forbidden = {
            -1 - i: c.target for i, c in enumerate(self.forbidden) if not c.target_one_word
        }
        self._signature = (self.find_source.pattern if self.find_source else "", *self._kid)

    def check_all(
        self,
        sources: Sequence[str],
        targets: Sequence[str],
        seen: dict[tuple[object, ...], dict[str, frozenset[int]]],
    ) -> dict[int, list[TermHit]]:
        """:func:`check_terms` of each pair (*targets* masked), by the pair's index, for those
        with any hit. *seen*: the source terms found in each source so far, for this batch's
        other languages (their source terms are most often the same).

        A text's words are looked up (each distinct word is matched against the terms once):
        a term of one word that starts a word is where a word matches its pattern whole; other
        target terms are searched for. Only a pair whose source has a term whose target terms
        are all absent, or whose translation has a forbidden term, is then read by
        :func:`check_terms`, which says what is wrong.
        A source term found by its (first) word may not be there whole, or be part of a longer
        term, and a forbidden term of several words is found by its first: this reads more
        pairs than have a hit, never fewer."""
        hits: dict[int, list[TermHit]] = {}
        other = self._find_other_forbidden
        if other is not None and other.search(_SEPARATOR.join(targets)) is None:
            other = None  # joined by a non-word character, a term is found where it is in its text
        if self.find_source is None and not self.forbidden:
            return hits
        cache = seen.setdefault(self._signature, {})
        words, forbidden, kid = self._targets, self._forbidden_ids, self._kid
        searched, searched_kids = self._searched, self._searched_kids
        for k, (source, target) in enumerate(zip(sources, targets, strict=True)):
            in_source = cache.get(source)
            if in_source is None:
                in_source = cache[source] = self._source_terms(source)
            in_target = words.terms(target)
            if in_target and not self._kids_are_rows:
                in_target = frozenset([kid[i] if i >= 0 else i for i in in_target])
            read = (
                not in_target.isdisjoint(forbidden) and self._forbidden_in(in_target, target)
            ) or (other is not None and other.search(target) is not None)
            if not read and in_source and not in_source <= in_target:
                missing = in_source - in_target
                read = not missing <= searched_kids or any(
                    not any(find(target) for find in searched[i]) for i in missing
                )
            if read:
                found = _check_masked(source, target, self)
                if found:
                    hits[k] = found
        return hits

    def _forbidden_in(self, in_target: frozenset[int], target: str) -> bool:
        """Whether a forbidden term whose first word *target* has (in *in_target*) is there."""
        whole = self._whole_forbidden
        for i in in_target & self._forbidden_ids:
            pattern = whole.get(i)
            if pattern is None or pattern.search(target) is not None:
                return True
        return False

    def _source_terms(self, source: str) -> frozenset[int]:
        """The source terms *source* may have, each by its first row (those of one word are
        found by its words, so one may be part of a longer term)."""
        masked = t.mask_protected(source)
        found = set(self._sources.terms(masked))
        whole = self._whole_source
        if whole and not found.isdisjoint(whole):
            found = {i for i in found if i not in whole or whole[i].search(masked) is not None}
        if self._find_other_sources is not None:
            others = self._other_sources
            found.update(others[_index(m)] for m in self._find_other_sources.finditer(masked))
        kid = self._kid
        return frozenset([kid[i] for i in found])


_TOKEN = re.compile(r"\w+")
_WORDS: dict[tuple[tuple[int, str, int], ...], _Words] = {}  # see _Words.of
_NONE: frozenset[int] = frozenset()


class _Words:
    """Which terms of one word the words of a text are (by the terms' ids), for terms whose
    pattern starts at a word's start: such a term is at a place of a text exactly where a
    whole word (a run of word characters) starts that its pattern matches whole.

    A text is cut at white space (``str.split``, three times as fast as finding its words):
    no word character is white space, so a text's words are those of its pieces, and each
    distinct piece's words are found and matched once."""

    @classmethod
    def of(cls, patterns: list[tuple[int, re.Pattern[str]]]) -> _Words:
        """The words of these *patterns* in this process: what one part of a table learnt,
        the next part's (its own TermSet, and another language's with the same source
        terms) knows."""
        key = tuple((i, p.pattern, p.flags) for i, p in patterns)
        found = _WORDS.get(key)
        if found is None:
            found = _WORDS[key] = cls(patterns)
        return found

    def __init__(self, patterns: list[tuple[int, re.Pattern[str]]]) -> None:
        self.patterns = patterns
        self.find = _joined([p for _, p in patterns])
        self.known: dict[str, frozenset[int]] = {}  # each piece seen: the terms its words are
        self.seen: set[str] = set()  # the pieces in known (a set is quicker to compare)
        self.pieces: set[str] = set()  # the pieces seen that hold a term
        self.words: dict[str, frozenset[int]] = {}  # each word of the pieces: the terms it is

    def terms(self, text: str) -> frozenset[int]:
        if self.find is None:
            return _NONE
        pieces = text.split()
        if not self.seen.issuperset(pieces):
            for piece in set(pieces).difference(self.seen):
                ids = _NONE.union(*map(self._word, _TOKEN.findall(piece)))
                self.known[piece] = ids
                self.seen.add(piece)
                if ids:
                    self.pieces.add(piece)
        found = self.pieces.intersection(pieces)
        if not found:
            return _NONE
        if len(found) == 1:
            return self.known[found.pop()]
        return _NONE.union(*map(self.known.__getitem__, found))

    def _word(self, word: str) -> frozenset[int]:
        """The terms *word* is (a word is in many pieces: ``Laden``, ``Laden,``, ``(Laden``)."""
        found = self.words.get(word)
        if found is None:
            # the joined pattern matches where any of its terms does: a quick no for most words
            found = _NONE
            if self.find is not None and self.find.match(word) is not None:
                found = frozenset(i for i, p in self.patterns if p.fullmatch(word))
            self.words[word] = found
        return found


def _joined(patterns: list[re.Pattern[str]]) -> re.Pattern[str] | None:
    """One regex of *patterns* (each :func:`term_pattern`'s), the longest first, each in a
    group of its own, that finds what their alternation finds.

    Their common start, a word's, is tested once, and then the terms are tried a first letter
    at a time: a lookahead for the letter, then the terms that start with it. Tried one by
    one, with the lookbehind in each, every position of a text tried every term (300 terms:
    a quarter of a millisecond a text, ten times check's other rules together). Letters that
    match each other ignoring case (``k``, ``K`` and the Kelvin sign) are one group, so a
    position's letter opens one group at most, and the terms keep their order within it."""
    if not patterns:
        return None
    order = sorted(range(len(patterns)), key=lambda i: -len(patterns[i].pattern))
    # by whether it starts at a word's start, then by the first letter of its group, in order
    groups: dict[bool, dict[str, list[str]]] = {True: {}, False: {}}
    for i in order:
        bounded = patterns[i].pattern.startswith(_WORD_START)
        body = patterns[i].pattern.removeprefix(_WORD_START)
        letters = groups[bounded]
        first = next((g for g in letters if _same_letter(g, body[:1])), body[:1])
        letters.setdefault(first, []).append(f"(?P<t{i}>{body})")
    sides = []
    for bounded, letters in groups.items():
        if letters:
            alternatives = "|".join(
                f"(?={re.escape(first)})(?:{'|'.join(bodies)})" for first, bodies in letters.items()
            )
            sides.append((_WORD_START if bounded else "") + "(?:" + alternatives + ")")
    return re.compile("|".join(sides), re.IGNORECASE)


def _same_letter(one: str, other: str) -> bool:
    """Whether the regex engine takes *one* and *other* for each other, ignoring case."""
    return re.fullmatch(re.escape(one), other, re.IGNORECASE) is not None


def check_terms(source: str, target: str, terms: TermSet) -> list[TermHit]:
    """Source terms whose target term is absent, and forbidden terms used, in this pair.

    A source term may have several allowed targets (synonyms): any one of them will do. Markup,
    URLs, e-mail addresses and placeholders are not read (``{{ product }}`` holds no term).
    """
    return _check_masked(source, t.mask_protected(target), terms)


def _check_masked(source: str, target: str, terms: TermSet) -> list[TermHit]:
    """:func:`check_terms` with *target* masked."""
    hits = _forbidden(target, terms)
    if terms.find_source is None:
        return hits
    done: set[str] = set()
    for index, start, end, text in _find_source_terms(terms.find_source, source):
        key = terms.required[index].term.source.casefold()
        if key in done:
            continue
        done.add(key)
        choices = terms.choices[key]
        if not any(c.searched.search(target) for c in choices):
            needed = " or ".join(f"'{c.term.target}'" for c in choices)
            message = f"the source has the term '{text}'; the translation lacks {needed}"
            hits.append((message, start, end, "source"))
    return hits


_SEPARATOR = "\n"  # between a batch's translations: no word character, so no term spans it
_SourceTerms = tuple[tuple[int, int, int, str], ...]  # a source's terms: index, start, end, text


def _forbidden(target: str, terms: TermSet) -> list[TermHit]:
    """The forbidden terms in *target* (masked)."""
    hits: list[TermHit] = []
    if terms.find_forbidden is not None:
        for found in terms.find_forbidden.finditer(target):
            c = terms.forbidden[_index(found)]
            shown = c.term.note and c.term.note.lower() != "forbidden"
            note = f" ({c.term.note})" if shown else ""
            message = f"'{found.group()}' is a forbidden term{note}"
            hits.append((message, found.start(), found.end(), "translation"))
    return hits


def _find_source_terms(find: re.Pattern[str], source: str) -> _SourceTerms:
    """The terms *find* finds in *source* (its markup, URLs and placeholders masked): each
    one's index, span and text."""
    masked = t.mask_protected(source)
    return tuple((_index(m), m.start(), m.end(), m.group()) for m in find.finditer(masked))


def _index(match: re.Match[str]) -> int:
    return int((match.lastgroup or "t0")[1:])
