"""The fast PO reader reads every file exactly as polib does (it hands odd files to polib)."""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable, Iterable, Iterator

import polib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.strings import TRICKY
from wixloc.formats import ReadOptions, _poparse, po
from wixloc.model import Language, Unit, UnitFile, UnitState, fingerprint


def po_bytes(units: list[Unit]) -> bytes:
    out = io.BytesIO()
    po.write(UnitFile(Language("en"), Language("de"), units, ["k"]), out)
    return out.getvalue()


def read_both(data: bytes) -> tuple[UnitFile, UnitFile, bool]:
    """(read by the fast path, read by polib alone, whether the fast path took the file)."""
    taken = _poparse.parse(data.decode("utf-8")) is not None
    fast = po.read(io.BytesIO(data), ReadOptions(name="t.po"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_poparse, "parse", lambda text, make=None: None)
        slow = po.read(io.BytesIO(data), ReadOptions(name="t.po"))
    return fast, slow, taken


def wrapped(data: bytes, width: int) -> bytes:
    """The file as Poedit saves it: polib with line wrapping."""
    return polib.pofile(data.decode("utf-8"), wrapwidth=width).__unicode__().encode("utf-8")


def test_our_files_and_their_wrapped_copies_take_the_fast_path_and_agree() -> None:
    units = [
        Unit(("k", name), text, text[::-1] if n % 2 else "", UnitState.TRANSLATED,
             [f"Field: {name}"], fingerprint(text), previous_source="old" if n % 3 == 0 else None)
        for n, (name, text) in enumerate(TRICKY.items())
        if text
    ]  # fmt: skip
    for data in (po_bytes(units), wrapped(po_bytes(units), 40)):
        fast, slow, taken = read_both(data)
        assert taken
        assert fast == slow


# NUL and EOT are refused by the PO writer (see docs/formats/po.md)
chars = st.characters(codec="utf-8", exclude_characters="\x00\x04")
texts = st.text(alphabet=chars, min_size=1)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(texts, st.text(chars, max_size=20), st.booleans()), min_size=1, max_size=6)
)
def test_any_units_read_the_same_both_ways(rows: list[tuple[str, str, bool]]) -> None:
    units = [
        Unit(("k", str(n)), source, target, UnitState.NEEDS_REVIEW if fuzzy else UnitState.TRANSLATED,
             ["note"], fingerprint(source), previous_source=source[::-1] if fuzzy else None)
        for n, (source, target, fuzzy) in enumerate(rows)
    ]  # fmt: skip
    data = po_bytes(units)
    for variant in (data, wrapped(data, 30)):
        fast, slow, _taken = read_both(variant)
        assert fast == slow


# --- the reader against polib on PO text written line by line ------------------------------

# Characters that are PO syntax, blanks that str.strip() and \s know (NBSP, the ideographic
# space, U+001F), letters of other scripts; in strings also what polib escapes
_SYNTAX = ' \t\xa0\u3000\x1f#,.:~|"\\abnt\u00e9\u05d0\u65e5\U0001f600'
line_texts = st.text(st.sampled_from(_SYNTAX), max_size=10)
comment_texts = line_texts.map(lambda text: text.strip() or "x")  # what polib keeps of a line
value_texts = st.text(st.sampled_from(_SYNTAX + "\n\r\x0b\x08\x0c"), max_size=10)
COMMENTS = {"tc": "# ", "gc": "#. ", "tc2": "# ", "oc": "#: ", "fl": "#, "}
FIELDS: tuple[str, ...] = (
    "linenum",
    "msgid",
    "msgstr",
    "msgctxt",
    "msgid_plural",
    "comment",
    "tcomment",
)
FIELDS += ("flags", "previous_msgid", "previous_msgctxt")


@st.composite
def quoted(draw: st.DrawFn, keyword: str, prefix: str = "", empty: bool = True) -> list[str]:
    """A string field as PO writers put it: on one line, or wrapped over several (never inside
    an escape sequence)."""
    pieces = draw(st.lists(value_texts, min_size=1, max_size=3))
    if not empty and not "".join(pieces):
        pieces.append("x")
    lines = [f'{prefix}"{polib.escape(piece)}"' for piece in pieces]
    if len(pieces) > 1 and pieces[0]:
        lines.insert(0, f'{prefix}""')  # the way msgmerge and Poedit start a wrapped string
    lines[0] = f"{prefix}{keyword} {lines[0][len(prefix) :]}"
    return lines


def translator_comments(texts: list[str]) -> list[str]:
    return ["# " + text if text else "#" for text in texts]


@st.composite
def po_entry(draw: st.DrawFn, header: bool = False) -> list[str]:
    """One entry in the order gettext and polib write its lines, every kind of line possible
    ("#" comments before "#." as gettext writes them, or after as polib does)."""
    kinds = st.sampled_from(list(COMMENTS))
    comments = draw(st.lists(st.tuples(kinds, comment_texts | st.just("")), max_size=4))
    lines = []
    for kind, prefix in COMMENTS.items():
        for text in (text for k, text in comments if k == kind):
            lines.append(prefix + text if text or prefix == "# " else prefix + "x")
    lines = [line if line != "# " else "#" for line in lines]
    for keyword in ("msgctxt", "msgid"):
        if draw(st.booleans()):
            lines += draw(quoted(keyword, "#| "))
    if draw(st.booleans()):
        lines += draw(quoted("msgctxt"))
    if header:
        fields = draw(st.lists(st.tuples(comment_texts, line_texts), max_size=3))
        metadata = "".join(f"{name}: {value}\n" for name, value in fields)
        return [*lines, 'msgid ""', f'msgstr "{polib.escape(metadata)}"']
    return lines + draw(quoted("msgid", empty=False)) + draw(quoted("msgstr"))


@st.composite
def po_files(draw: st.DrawFn) -> str:
    """A PO file polib reads and this reader takes: header comments, maybe a metadata entry,
    entries, with blank and lone "#." lines between them."""
    blank = st.sampled_from(["", " ", "\t", "#.", "#,", "#:", "#. \t"])
    lines = translator_comments(draw(st.lists(comment_texts | st.just(""), max_size=2)))
    entries = draw(st.lists(po_entry(), min_size=1, max_size=4))
    if draw(st.booleans()):
        entries.insert(0, draw(po_entry(header=True)))
    for entry in entries:
        lines += draw(st.lists(blank, max_size=2)) + entry
    lines += draw(st.lists(st.just(""), max_size=2))
    return "\n".join(lines) + draw(st.sampled_from(["", "\n"]))


def polib_result(text: str) -> tuple[list[dict[str, object]], dict[str, str]]:
    po = polib.pofile(text)
    return [{f: getattr(e, f) for f in FIELDS} | {"obsolete": bool(e.obsolete)} for e in po], dict(
        po.metadata
    )


Parsed = tuple[Iterable[_poparse.Entry], dict[str, str]] | None
Result = tuple[list[dict[str, object]], dict[str, str]] | None


def fields(parsed: Parsed) -> Result:
    if parsed is None:
        return None
    entries, metadata = parsed
    return [
        {f: getattr(e, f) for f in FIELDS} | {"obsolete": e.obsolete} for e in entries
    ], metadata


def our_result(text: str) -> Result:
    return fields(_poparse.parse(text))


@settings(max_examples=200, deadline=None)
@given(po_files())
def test_po_text_of_every_kind_is_taken_and_read_exactly_as_polib_reads_it(text: str) -> None:
    ours = our_result(text)
    assert ours is not None
    assert ours == polib_result(text)


# Changes that make a line something this reader leaves to polib, or something polib refuses
MUTATIONS = [
    lambda line: " " + line,
    lambda line: line + " ",
    lambda line: line + "\r",
    lambda line: line + "\u2028x",
    lambda line: "#~ " + line,
    lambda line: "#| " + line,
    lambda line: line.replace("msgid", "msgid_plural", 1),
    lambda line: line.replace("msgstr", "msgstr[0]", 1),
    lambda line: line.replace(" ", "  ", 1),
    lambda line: line.replace(" ", "\t", 1),
    lambda line: line.replace('"', '\\"', 1),
    lambda line: line[:-1] + '\\"' if line.endswith('"') else line,
    lambda line: line.replace("\\", "", 1),
    lambda line: line.replace("#.", "#", 1),
    lambda line: line.replace("#", "##", 1),
    lambda line: line.replace(" ", "", 1),
    lambda line: "",
    lambda line: line + "\n" + line,
    lambda line: '"x"',
    lambda line: 'msgid ""',
    lambda line: "#.",
    lambda line: line + "\n#,",
]


def assert_read_as_polib_reads_it_or_left_to_polib(text: str) -> None:
    ours = our_result(text)
    try:
        theirs = polib_result(text)
    except OSError:
        assert ours is None  # polib refuses the text: so must this reader, leaving it the error
        return
    assert ours is None or ours == theirs


@settings(max_examples=200, deadline=None)
@given(po_files(), st.lists(st.tuples(st.integers(0), st.sampled_from(MUTATIONS)), max_size=3))
def test_changed_po_text_is_read_as_polib_reads_it_or_left_to_polib(
    text: str, changes: list[tuple[int, Callable[[str], str]]]
) -> None:
    lines = text.split("\n")
    for where, change in changes:
        lines[where % len(lines)] = change(lines[where % len(lines)])
    assert_read_as_polib_reads_it_or_left_to_polib("\n".join(lines))


LINES = ["# c", "#", "#. c", "#: c", "#, c", '#| msgctxt "c"', '#| msgid "c"', 'msgctxt "c"']
LINES += ['msgid "c"', 'msgstr "c"', '"c"', '#| "c"', "#.", "#|", "#~", ""]
BLANKS = [" ", "\t", "\xa0", "\u3000", "\x1f", "\ufeff", "\x1c", "\x85", "\u2028", "\r"]


@pytest.mark.parametrize("blank", BLANKS, ids=ascii)
@pytest.mark.parametrize("line", LINES)
def test_blanks_and_line_breaks_anywhere_in_a_line_are_read_as_polib_reads_them(
    line: str, blank: str
) -> None:
    text = '#. x\n#| msgid "p"\nmsgctxt "k"\nmsgid "a"\n"b"\nmsgstr "s"\n"t"\n'
    lines = text.split("\n")
    for where in range(len(lines)):
        for at in range(len(line) + 1):
            changed = [*lines[:where], line[:at] + blank + line[at:], *lines[where:]]
            assert_read_as_polib_reads_it_or_left_to_polib("\n".join(changed))


@pytest.mark.parametrize(
    "text",
    [
        'msgid "a"\nmsgid_plural "as"\nmsgstr[0] "b"\nmsgstr[1] "bs"\n',
        '#~ msgid "a"\n#~ msgstr "b"\n',
        'msgid "a"\nmsgstr "b"\n\n#~ msgid "c"\n#~ msgstr "d"\n',
        'msgid "a"\r\nmsgstr "b"\r\n',
        '\ufeffmsgid "a"\nmsgstr "b"\n',
        'msgid "a"\nmsgstr "b"\n#.\n',
        'msgid "a"\nmsgstr "b"\n\nmsgid ""\nmsgstr "Language: de\\n"\n',
        'msgid "a"\nmsgstr "b"\n\nmsgid ""\n""\nmsgstr "Language: de\\n"\n',
        ' msgid "a"\nmsgstr "b"\n',
        'msgctxt "k"\n#. a comment where gettext puts none\nmsgid "a"\nmsgstr "b"\n',
    ],
    ids=["plural", "obsolete", "obsolete-after", "crlf", "bom", "ends-in-comment", "two-headers",
         "two-headers-wrapped",
         "indented", "comment-inside"],
)  # fmt: skip
def test_files_polib_reads_otherwise_are_left_to_polib(text: str) -> None:
    polib.pofile(text)  # polib reads each of them
    assert _poparse.parse(text) is None


@pytest.mark.parametrize(
    "text",
    ['msgid "a"b"\nmsgstr ""\n', 'msgstr "b"\n', 'msgid "a"\nmsgstr "b"\nmsgstr "c"\n'],
    ids=["unescaped-quote", "no-msgid", "two-msgstr"],
)
def test_files_polib_refuses_are_left_to_polib(text: str) -> None:
    with pytest.raises(OSError):
        polib.pofile(text)
    assert _poparse.parse(text) is None


def test_the_metadata_comes_first_and_the_entries_one_by_one() -> None:
    text = 'msgid ""\nmsgstr "Language: de\\n"\n\nmsgctxt "k"\nmsgid "a"\nmsgstr "b"\n'
    parsed = _poparse.parse(text * 1 + 'msgctxt "l"\nmsgid "c"\nmsgstr "d"\n')
    assert parsed is not None
    entries, metadata = parsed
    assert metadata == {"Language": "de"}
    assert isinstance(entries, Iterator)
    assert [(e.linenum, e.msgctxt, e.msgid, e.msgstr) for e in entries] == [
        (4, "k", "a", "b"),
        (7, "l", "c", "d"),
    ]


# --- read in pieces ----------------------------------------------------------------------------


def cuts(text: str) -> list[int]:
    """Every place the piece-wise reader may cut: right after a blank line ("\\n\\n")."""
    return [i + 2 for i in range(len(text) - 1) if text.startswith("\n\n", i)]


def pieces_result(text: str, at: list[int]) -> Result:
    bounds = [0, *sorted(set(at)), len(text)]
    parts = [text[a:b] for a, b in itertools.pairwise(bounds) if b > a]
    return fields(_poparse.parse_pieces(lambda: iter(parts)))


@settings(max_examples=200, deadline=None)
@given(po_files(), st.data())
def test_a_file_read_in_pieces_reads_as_the_whole_text(text: str, data: st.DataObject) -> None:
    at = data.draw(st.lists(st.sampled_from(cuts(text)), max_size=4)) if cuts(text) else []
    ours, whole = pieces_result(text, at), our_result(text)
    if ours is None:  # left to the whole text: no final line break, or no entry in the first
        first = min(at, default=len(text))
        head = _poparse._HEAD_RE.match(text[:first])
        no_entry = head is not None and head.end() == first
        assert whole is None or not text.endswith("\n") or no_entry
        return
    assert ours == whole


@settings(max_examples=100, deadline=None)
@given(
    po_files(),
    st.data(),
    st.lists(st.tuples(st.integers(0), st.sampled_from(MUTATIONS)), max_size=3),
)
def test_a_changed_file_read_in_pieces_reads_as_polib_reads_it_or_is_left_to_polib(
    text: str, data: st.DataObject, changes: list[tuple[int, Callable[[str], str]]]
) -> None:
    lines = text.split("\n")
    for where, change in changes:
        lines[where % len(lines)] = change(lines[where % len(lines)])
    text = "\n".join(lines)
    at = data.draw(st.lists(st.sampled_from(cuts(text)), max_size=4)) if cuts(text) else []
    ours = pieces_result(text, at)
    try:
        theirs = polib_result(text)
    except OSError:
        assert ours is None
        return
    assert ours is None or ours == theirs


def test_a_large_po_file_is_read_in_pieces_exactly_as_polib_reads_it() -> None:
    # po.read takes a file of more than one piece in pieces: the same units as polib's
    units = [
        Unit((f"c{i}", "item", "title"), f"Text {i} " + "x" * 400, f'Übersetzung {i}\n"zwei"')
        for i in range(2_000)
    ]
    data = po_bytes(units)
    counted: list[int] = []  # pieces, over both passes
    taken: list[bool] = []
    real = _poparse.parse_pieces

    def spy(make: Callable[[], Iterator[str]], units: _poparse.Make[Unit]) -> object:
        def counting() -> Iterator[str]:
            for piece in make():
                counted.append(len(piece))
                yield piece

        parsed = real(counting, units)
        taken.append(parsed is not None)
        return parsed

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(po, "_PIECE", 1 << 16)  # pieces of 64 KiB: about 15 of them
        mp.setattr(_poparse, "parse_pieces", spy)
        fast = po.read(io.BytesIO(data), ReadOptions(name="big.po"))
        mp.setattr(_poparse, "parse_pieces", lambda make, units: None)
        mp.setattr(_poparse, "parse", lambda text, make=None: None)
        slow = po.read(io.BytesIO(data), ReadOptions(name="big.po"))
    assert taken == [True]
    assert len(counted) >= 20  # read in pieces, twice
    assert fast.units == slow.units
    assert len(fast.units) == 2_000
