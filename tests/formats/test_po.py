"""The PO format: round trips, msgfmt --check, what Poedit returns, and refusals."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import DATA as TEST_DATA
from wixloc.errors import FormatError, LanguageError
from wixloc.formats import ReadOptions, load_units
from wixloc.formats import po as po_format
from wixloc.model import Language, Unit, UnitFile, UnitState, fingerprint

DATA = TEST_DATA
MSGFMT = shutil.which("msgfmt")
needs_msgfmt = pytest.mark.skipif(MSGFMT is None, reason="msgfmt (GNU gettext) is not installed")

# PO cannot hold NUL or EOT; every other character is fair game.
text = st.text(st.characters(blacklist_characters="\x00\x04", codec="utf-8"))
states = st.sampled_from([UnitState.NEW, UnitState.NEEDS_REVIEW, UnitState.TRANSLATED])
# Notes are one-line human context ("Field: title"): printable, no surrounding spaces.
note = st.text(st.characters(whitelist_categories=("L", "N", "P", "S")), min_size=1)


@st.composite
def unit_files(draw: st.DrawFn) -> UnitFile:
    keys = draw(st.lists(st.tuples(text, text), min_size=1, max_size=6, unique=True))
    units = []
    for key in keys:
        source, target, state = draw(text), draw(text), draw(states)
        if state is UnitState.NEW:
            target = ""  # PO has no "new, with a text": an untranslated msgstr is empty
        elif state is UnitState.TRANSLATED and not target:
            state = UnitState.NEW
        notes = [n for n in draw(st.lists(note, max_size=2)) if not n.startswith("wixloc-")]
        units.append(
            Unit(
                key,
                source,
                target,
                state,
                notes,
                fingerprint(source),
                draw(st.none() | text),
                draw(st.none() | st.integers(0, 10_000)),
            )
        )
    return UnitFile(
        Language("en"), Language("he"), units, ["Collection ID", "Field"], original="c.csv"
    )


def _write(units: UnitFile) -> bytes:
    out = io.BytesIO()
    po_format.write(units, out)
    return out.getvalue()


def _read(data: bytes, name: str = "x.po") -> UnitFile:
    return po_format.read(io.BytesIO(data), ReadOptions(name=name))


def _msgfmt(path: Path) -> subprocess.CompletedProcess[str]:
    assert MSGFMT is not None
    return subprocess.run(
        [MSGFMT, "--check", "-o", "/dev/null", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )


@settings(max_examples=60, deadline=None)
@given(unit_files())
def test_round_trip(units: UnitFile) -> None:
    back = _read(_write(units))
    for unit in back.units:
        unit.line = None
    assert back.units == units.units
    assert (back.source_language, back.target_language) == (Language("en"), Language("he"))
    assert (back.key_columns, back.original) == (["Collection ID", "Field"], "c.csv")


@needs_msgfmt
@settings(max_examples=15, deadline=None)
@given(unit_files())
def test_every_written_file_passes_msgfmt_check(
    tmp_path_factory: pytest.TempPathFactory, units: UnitFile
) -> None:
    path = tmp_path_factory.mktemp("po") / "x.po"
    path.write_bytes(_write(units))
    result = _msgfmt(path)
    assert result.returncode == 0, result.stderr


@needs_msgfmt
def test_newline_mismatch_is_written_fuzzy_and_read_back_translated(tmp_path: Path) -> None:
    unit = Unit(("k",), "line\n", "Zeile", UnitState.TRANSLATED)
    data = _write(UnitFile(Language("en"), Language("de"), [unit]))
    assert b"#, fuzzy, wixloc-newline-mismatch\n" in data
    path = tmp_path / "x.po"
    path.write_bytes(data)
    assert _msgfmt(path).returncode == 0
    assert _read(data).units[0].state is UnitState.TRANSLATED


def test_layout_of_an_entry() -> None:
    unit = Unit(("products", "p|1", "title"), "New", "Neu", UnitState.NEEDS_REVIEW,
                ["Collection ID: products"], "abc", "Old", 40)  # fmt: skip
    data = _write(UnitFile(Language("en"), Language("de"), [unit])).decode()
    assert data.endswith(
        "#. Collection ID: products\n"
        "#. wixloc-source: abc\n"
        "#. wixloc-max-length: 40\n"
        "#, fuzzy\n"
        '#| msgid "Old"\n'
        'msgctxt "products|p\\\\|1|title"\n'
        'msgid "New"\n'
        'msgstr "Neu"\n'
    )
    assert '"Language: de\\n"' in data
    assert '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"' in data
    assert '"Content-Type: text/plain; charset=UTF-8\\n"' in data


def test_reads_a_file_saved_by_poedit() -> None:
    units = load_units(DATA / "poedit-wrapped.de.po")
    assert units.target_language == "de" and units.source_language == "en"
    assert [(u.key[1], u.state, u.line) for u in units.units] == [
        ("p-1", UnitState.TRANSLATED, 21),
        ("p-2", UnitState.NEEDS_REVIEW, 31),
        ("p-3", UnitState.NEW, 41),
    ]
    first = units.units[0]
    assert first.target == (
        "Eine lange Produktbeschreibung, die Poedit bei neunundsiebzig Spalten umbricht, "
        "sodass sie in der nächsten Zeile weitergeht, und hier wieder."
    )
    assert first.fingerprint == "3b4d1a5a4e5b9f3e"
    assert first.notes == ["Collection ID: products · Item ID: p-1 · Field: description"]
    assert units.units[1].target == "Zwei\nZeilen"


@pytest.mark.parametrize(
    ("char", "name"),
    [("\x00", "U+0000 (NUL)"), ("\x04", "U+0004 (EOT, gettext's context separator)")],
)
def test_nul_and_eot_are_refused_naming_key_and_language(char: str, name: str) -> None:
    unit = Unit(("products", "p-1", "title"), f"a{char}b")
    with pytest.raises(FormatError) as err:
        _write(UnitFile(Language("en"), Language("de"), [unit]))
    assert str(err.value) == (
        f"key products|p-1|title, language de: a PO file cannot hold the character {name} "
        "(use XLIFF 2.0 or XLSX for this text)"
    )


def test_a_header_without_language_is_an_error() -> None:
    data = b'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n'
    with pytest.raises(FormatError) as err:
        _read(data, "de.po")
    assert str(err.value) == (
        "de.po: the PO header has no 'Language' field "
        '(add a line such as "Language: de\\n" to the header entry)'
    )


def test_a_bad_language_is_an_error() -> None:
    data = b'msgid ""\nmsgstr "Language: klingon\\nX-Source-Language: en\\n"\n'
    with pytest.raises(LanguageError) as err:
        _read(data, "de.po")
    assert (
        str(err.value) == "de.po: the PO header field 'Language' is not a language tag: 'klingon'"
    )


def test_an_entry_without_msgctxt_is_an_error() -> None:
    data = b'msgid ""\nmsgstr "Language: de\\nX-Source-Language: en\\n"\n\nmsgid "a"\nmsgstr "b"\n'
    with pytest.raises(FormatError) as err:
        _read(data, "de.po")
    assert str(err.value) == (
        "de.po:4: the entry has no msgctxt, so no key "
        "(wixloc writes each entry's key as its msgctxt; keep it)"
    )


@pytest.mark.parametrize("piece", [None, 64], ids=["whole", "pieces"])
def test_a_file_without_header_fails_on_its_header_before_its_first_entry(
    piece: int | None,
) -> None:
    # the fast reader makes the first entry into a unit only when it is taken, after the
    # header's checks; read in pieces too (a file larger than a piece)
    entries = b'msgid "a"\nmsgstr "b"\n\n' + b'msgctxt "k"\nmsgid "c"\nmsgstr "d"\n\n' * 10
    with pytest.MonkeyPatch.context() as mp:
        if piece is not None:
            mp.setattr(po_format, "_PIECE", piece)
        with pytest.raises(FormatError) as err:
            _read(entries, "de.po")
        assert str(err.value) == (
            "de.po: the PO header has no 'Language' field "
            '(add a line such as "Language: de\\n" to the header entry)'
        )
        header = b'msgid ""\nmsgstr "Language: de\\nX-Source-Language: en\\n"\n\n'
        with pytest.raises(FormatError) as err:
            _read(header + entries, "de.po")
        assert str(err.value) == (
            "de.po:4: the entry has no msgctxt, so no key "
            "(wixloc writes each entry's key as its msgctxt; keep it)"
        )


def test_detected_from_content_by_load_units(tmp_path: Path) -> None:
    path = tmp_path / "x.po"
    path.write_bytes(_write(UnitFile(Language("en"), Language("ja"), [Unit(("k",), "a")])))
    assert load_units(path).target_language == "ja"


def test_a_latin1_file_is_read_by_its_declared_charset() -> None:
    data = (
        'msgid ""\nmsgstr ""\n"Language: de\\n"\n"X-Source-Language: en\\n"\n'
        '"Content-Type: text/plain; charset=ISO-8859-1\\n"\n\n'
        'msgctxt "k"\nmsgid "Cheese"\nmsgstr "Käse"\n'
    ).encode("latin-1")
    assert _read(data).units[0].target == "Käse"


# --- as strict as GNU msgfmt about strings ---------------------------------------------------

_HEAD = 'msgid ""\nmsgstr ""\n"Language: de\\n"\n"X-Source-Language: en\\n"\n\n'


def _read_po(text: str) -> UnitFile:
    data = (_HEAD + text).encode("utf-8")
    return po_format.read(io.BytesIO(data), ReadOptions(name="t.po"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('msgctxt "k"\nmsgid "Hello"\nmsgstr "oops\n',
         "t.po:8: a string without its closing quote (GNU msgfmt refuses the file too)"),
        ('msgctxt "k"\nmsgid "Hello"\nmsgstr ""\n"line\\n\n"more"\n',
         "t.po:9: a string without its closing quote (GNU msgfmt refuses the file too)"),
        ('msgctxt "k"\nmsgid "Hello"\nmsgstr "a\\"\n',
         "t.po:8: a string without its closing quote (GNU msgfmt refuses the file too)"),
        ('msgctxt "k"\nmsgid "Hello" x\nmsgstr "a"\n',
         "t.po:7: text after the closing quote of a string (GNU msgfmt refuses the file too)"),
        ('msgctxt "k"\nmsgid Hello\nmsgstr "a"\n',
         "t.po:7: msgid has no quoted string (GNU msgfmt refuses the file too)"),
        ('#| msgid "old\nmsgctxt "k"\nmsgid "Hello"\nmsgstr "a"\n',
         "t.po:6: a string without its closing quote (GNU msgfmt refuses the file too)"),
        ('msgctxt "k"\nmsgid "He\x00llo"\nmsgstr "a"\n',
         "t.po:7: the file contains a NUL byte, which a PO file cannot hold (remove it; GNU "
         "msgfmt refuses the file too)"),
    ],
)  # fmt: skip
def test_strings_msgfmt_refuses_are_refused_with_their_line(text: str, message: str) -> None:
    with pytest.raises(FormatError) as err:
        _read_po(text)
    assert str(err.value) == message


def test_quotes_escaped_and_comments_with_quotes_are_fine() -> None:
    units = _read_po(
        '# a "translator" comment with "an open quote\n#. "extracted\nmsgctxt "k"\n'
        'msgid "Say \\"hi\\""\nmsgstr ""\n"Sag \\"hallo\\"\\\\"\n'
    )
    assert [(u.source, u.target) for u in units.units] == [('Say "hi"', 'Sag "hallo"\\')]


def test_a_large_file_with_a_nul_is_refused_with_its_line() -> None:
    body = "".join(f'msgctxt "k{i}"\nmsgid "s{i}"\nmsgstr "t{i}"\n\n' for i in range(200_000))
    body += 'msgctxt "bad"\nmsgid "a\x00b"\nmsgstr ""\n'
    with pytest.raises(FormatError) as err:
        _read_po(body)
    assert str(err.value).startswith("t.po:800007: the file contains a NUL byte")
