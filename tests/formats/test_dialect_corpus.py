"""The tool-dialect corpus (tests/data/dialects): files made from a split of samples/content.csv
in the shapes CAT tools give them back, each with its expected reading.

Every file's units are checked against the sample table (their key exists, their source is the
table's main text, their language matches a table language), so a merge of the file finds
nothing stale; then each unit's state and target is exactly what merge must take.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.conftest import DATA
from wixloc.errors import InputError
from wixloc.formats import ReadOptions, load_table, load_units, xliff1
from wixloc.formats.dialects import restore_line_breaks
from wixloc.locales import match_language
from wixloc.model import Key, Table, UnitFile, UnitState

CORPUS = DATA / "dialects"
SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "content.csv"

NEW, REVIEW, DONE = UnitState.NEW, UnitState.NEEDS_REVIEW, UnitState.TRANSLATED
REVIEWED, FINAL = UnitState.REVIEWED, UnitState.FINAL

LABELS = ("Products", "e15f8b95-20b5-56c6-81e0-0796a5b9dc7f")
TRIVET = ("Products", "da498828-c8b2-5f18-9061-dc001410c5e1", "title")
APRON_BADGE = ("Products", "effca4d7-a9f7-5b0b-a7ee-c48f369dac62", "badge")
RACK = ("Products", "15a507e4-b04a-5561-974d-7c7f13cf86d4", "title")
RETURNS = ("FAQ", "030ebd67-be8c-57bc-b803-b61d6a9987d8", "answer")
LETTER = ("BlogPosts", "391bf6ba-8cdf-5fe2-8a57-c7cd7b4f5ed6", "body")

LABELS_DE = "<p>24 Etiketten aus Kraftpapier mit Platz für das Datum und <em>den Inhalt</em>.</p>"
LETTER_DE = (
    "<p>Liebe(r) {name},</p>\n<p>Danke für ein weiteres Jahr mit uns. Dieses Frühjahr bringt "
    "drei neue Leinenfarben und eine offene Werkstatt am <strong>12. April</strong>.</p>\n"
    "<p>Bis bald,<br/>Ingrid</p>"
)
RETURNS_LF = (
    "1. Melden Sie sich in Ihrem Konto an.\n"
    "2. Öffnen Sie die Bestellung und wählen Sie „Artikel zurücksenden“.\n"
    "3. Geben Sie das Paket mit dem Etikett bei einer Postfiliale ab."
)

Reading = list[tuple[Key, UnitState, str]]

# file -> (the file's language tag as written, its units: key, state, target)
EXPECTED: dict[str, tuple[str, Reading]] = {
    "trados.de-DE.sdlxliff": (
        "de-DE",
        [
            ((*LABELS, "description"), DONE, LABELS_DE),  # <g> from <tag-defs>
            ((*LABELS, "badge"), REVIEWED, "Neu"),  # track changes: "Neuheit" deleted
            (TRIVET, REVIEW, "Untersetzer aus Speckstein"),  # conf="Draft"
            (LETTER, FINAL, LETTER_DE),  # <g> and <x/> with plain tag definitions
        ],
    ),
    "memoq.de-de.mqxliff": (
        "de-de",
        [
            ((*LABELS, "description"), DONE, LABELS_DE),  # {} placeholders matched by id
            ((*LABELS, "badge"), NEW, ""),  # NotStarted
            (TRIVET, DONE, "Untersetzer aus Speckstein"),  # needs-translation as we wrote it
            (APRON_BADGE, REVIEW, "Nur {{count}} übrig"),  # AssembledFromFragments
            (RACK, DONE, "Gewürzregal aus Kiefer "),  # Proofread, mq:endingws restored
            (LETTER, REVIEWED, LETTER_DE),  # Reviewer1Confirmed
        ],
    ),
    "phrase.de.mxliff": (
        "de",
        [
            ((*LABELS, "badge"), DONE, "Neu"),  # no resname: keyed by wixloc's id
            (TRIVET, DONE, "Untersetzer aus Speckstein"),
            (APRON_BADGE, REVIEW, "Nur noch {{count}} übrig"),  # m:confirmed="0": MT
        ],
    ),
    "okapi.de.xlf": (
        "de",
        [
            ((*LABELS, "description"), REVIEWED, LABELS_DE),  # approved="yes"
            ((*LABELS, "badge"), REVIEW, "Neuheit!"),  # approved="no"
            (TRIVET, DONE, "Untersetzer aus Speckstein"),  # leveraged, state left
            (LETTER, DONE, LETTER_DE),  # <g>, <bx/>, <ex rid/>, <x/> matched by id
        ],
    ),
    "omegat.de.xlf": (
        "de",
        [
            ((*LABELS, "badge"), DONE, "Neu"),  # needs-translation left as wixloc wrote it
            (TRIVET, NEW, ""),
            (APRON_BADGE, DONE, "Nur noch {{count}} übrig"),
            (RETURNS, DONE, RETURNS_LF),  # CRLF returned as LF: merge restores it
        ],
    ),
    "omegat-copy-source.de.xlf": (
        "de",
        [
            ((*LABELS, "description"), DONE, LABELS_DE),
            ((*LABELS, "badge"), DONE, "Neu"),
            (TRIVET, NEW, "Soapstone Trivet"),  # wixloc's copy of the source, unchanged
            (APRON_BADGE, DONE, "Nur noch {{count}} übrig"),
        ],
    ),
    "poedit.de_DE.po": (
        "de_DE",
        [
            ((*LABELS, "description"), DONE, LABELS_DE),  # wrapped at 79 columns
            ((*LABELS, "badge"), DONE, "Neu"),
            (TRIVET, REVIEW, "Untersetzer aus Speckstein"),  # fuzzy
        ],
    ),
    "lokalize.de_DE.po": (
        "de_DE",
        [
            ((*LABELS, "badge"), DONE, "Neu"),
            (TRIVET, NEW, ""),
            (APRON_BADGE, DONE, "Nur noch {{count}} übrig"),
        ],
    ),
    "crowdin.de_DE.po": (
        "de_DE",
        [((*LABELS, "badge"), DONE, "Neu"), (TRIVET, NEW, ""), (LETTER, DONE, LETTER_DE)],
    ),
    "weblate.de.po": (
        "de",
        [
            ((*LABELS, "description"), DONE, LABELS_DE),
            (APRON_BADGE, REVIEW, "Nur noch {{count}}"),  # "needs editing" is fuzzy
        ],
    ),
    "omegat.de.po": (
        "de",
        [(RETURNS, DONE, RETURNS_LF.replace("\n", "\\r\n"))],  # a literal \r: merge restores
    ),
}


@pytest.fixture(scope="module")
def table() -> Table:
    return load_table(SAMPLE)


def _load(name: str) -> UnitFile:
    # .sdlxliff, .mqxliff and .mxliff are XLIFF 1.2 under the tools' own extensions
    fmt = None if name.endswith((".xlf", ".po")) else xliff1.FORMAT
    return load_units(CORPUS / name, fmt=fmt)


def test_the_corpus_is_the_expected_files() -> None:
    assert sorted(p.name for p in CORPUS.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_tool_file_reads_as_expected(name: str, table: Table) -> None:
    tag, expected = EXPECTED[name]
    units = _load(name)
    assert units.target_language.tag == tag
    assert match_language(tag, table.languages).tag == "de"
    assert match_language(units.source_language.tag, table.languages).tag == "en"
    assert [(u.key, u.state, u.target) for u in units.units] == expected


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_tool_file_is_made_from_the_sample_split(name: str, table: Table) -> None:
    """Every unit's key is the table's and its source the table's main text, so merge finds
    nothing stale and the only question is the one the expected reading answers."""
    index = table.index()
    main = table.main_language
    for unit in _load(name).units:
        assert unit.key in index, unit.key
        assert unit.source == index[unit.key].text(main), unit.key


@pytest.mark.parametrize("name", ["omegat.de.xlf", "omegat.de.po"])
def test_line_breaks_of_a_crlf_source_come_back(name: str, table: Table) -> None:
    (unit,) = [u for u in _load(name).units if u.key == RETURNS]
    fixed, changed = restore_line_breaks(unit.source, unit.target)
    assert changed
    assert fixed == RETURNS_LF.replace("\n", "\r\n")
    assert "\r\n" in table.index()[RETURNS].text(table.main_language)


# --- what cannot be resolved is refused, naming the unit --------------------------------------


def _xliff(unit: str, *, root: str = "") -> bytes:
    return (
        '<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2"'
        f'{root}><file source-language="en" target-language="de-DE"><body>\n{unit}'
        "</body></file></xliff>"
    ).encode()


def _read(data: bytes) -> UnitFile:
    return xliff1.read(io.BytesIO(data), ReadOptions(name="t.xlf"))


@pytest.mark.parametrize(
    ("unit", "root", "message"),
    [
        (
            '<trans-unit id="x" resname="a|b"><source>New<bpt id="1">&lt;b&gt;</bpt></source>'
            '<target><x id="9"/>Neu</target></trans-unit>',
            "",
            "t.xlf:2: unit 'a|b': inline code <x id=\"9\"> matches no code of the unit's source "
            "or of the file's tag definitions",
        ),
        (
            '<trans-unit id="x" resname="a|b"><source>New</source><target>'
            '<mrk mtype="x-mq-deleted">Neuheit</mrk>Neu</target></trans-unit>',
            "",
            "t.xlf:2: unit 'a|b': <mrk mtype=\"x-mq-deleted\"> is a mark wixloc cannot resolve "
            "(it may be a tracked change); accept or reject the changes in the tool and export "
            "again",
        ),
        (
            '<trans-unit id="x" resname="a|b"><source>New <bpt id="1">{}</bpt>x'
            '<ept id="1">{}</ept></source><target>Neu</target></trans-unit>',
            ' xmlns:mq="MQXliff"',
            "t.xlf:2: unit 'a|b': inline code <bpt id=\"1\"> has no original text",
        ),
        (
            '<trans-unit id="x" resname="a|b"><source>New <bpt id="1">&lt;b&gt;</bpt>x'
            '<ept id="1">&lt;/b&gt;</ept></source><target>Neu <bpt id="2">{}</bpt>x'
            '<ept id="2">{}</ept></target></trans-unit>',
            ' xmlns:mq="MQXliff"',
            "t.xlf:2: unit 'a|b': inline code <bpt id=\"2\"> has no original text",
        ),
    ],
)
def test_an_unresolvable_code_or_mark_is_refused(unit: str, root: str, message: str) -> None:
    with pytest.raises(InputError) as err:
        _read(_xliff(unit, root=root))
    assert str(err.value) == message


def test_a_deleted_mark_spanning_codes_is_dropped_whole() -> None:
    units = _read(
        _xliff(
            '<trans-unit id="x" resname="k"><source>a <bpt id="1">&lt;b&gt;</bpt>b'
            '<ept id="1">&lt;/b&gt;</ept></source><target><mrk mtype="x-sdl-deleted">alt '
            '<g id="1">b</g></mrk><mrk mtype="x-sdl-added">neu <g id="1">B</g></mrk></target>'
            "</trans-unit>"
        )
    )
    assert units.units[0].target == "neu <b>B</b>"


def test_annotation_marks_are_read_through() -> None:
    units = _read(
        _xliff(
            '<trans-unit id="x" resname="k"><source>New</source><target><mrk mtype="x-sdl-comment"'
            ' sdl:cid="c1" xmlns:sdl="http://sdl.com/FileTypes/SdlXliff/1.0">Ne</mrk>'
            '<mrk mtype="x-term-approved">u</mrk><mrk mtype="protected">!</mrk>'
            '<mrk mtype="x-its-Translate-No">?</mrk><mrk mtype="x-sdl-location" mid="l1"/>'
            "</target></trans-unit>"
        )
    )
    assert units.units[0].target == "Neu!?"


# What merge must apply from each file once it matches the file's language (locales.
# match_language) and restores line breaks (dialects.restore_line_breaks): the keys, by the
# field they translate. Everything else in the file is reported, never applied.
APPLIED: dict[str, list[Key]] = {
    "trados.de-DE.sdlxliff": [(*LABELS, "description"), (*LABELS, "badge"), LETTER],
    "memoq.de-de.mqxliff": [(*LABELS, "description"), TRIVET, RACK, LETTER],
    "phrase.de.mxliff": [(*LABELS, "badge"), TRIVET],
    "okapi.de.xlf": [(*LABELS, "description"), TRIVET, LETTER],
    "omegat.de.xlf": [(*LABELS, "badge"), APRON_BADGE, RETURNS],
    "omegat-copy-source.de.xlf": [(*LABELS, "description"), (*LABELS, "badge"), APRON_BADGE],
    "poedit.de_DE.po": [(*LABELS, "description"), (*LABELS, "badge")],
    "lokalize.de_DE.po": [(*LABELS, "badge"), APRON_BADGE],
    "crowdin.de_DE.po": [(*LABELS, "badge"), LETTER],
    "weblate.de.po": [(*LABELS, "description")],
    "omegat.de.po": [RETURNS],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_what_merge_must_apply(name: str, table: Table) -> None:
    index = table.index()
    main = table.main_language
    applied = {}
    for unit in _load(name).units:
        if unit.target and unit.state.done:
            text, _changed = restore_line_breaks(index[unit.key].text(main), unit.target)
            applied[unit.key] = text
    assert list(applied) == APPLIED[name]
    if RETURNS in applied:  # the CRLF source's translation keeps CRLF
        assert applied[RETURNS] == RETURNS_LF.replace("\n", "\r\n")


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ('<target state="needs-translation" state-qualifier="mt-suggestion">Neu</target>', REVIEW),
        ('<target state="new" state-qualifier="leveraged-tm">Neu</target>', REVIEW),
        ('<target state="translated" state-qualifier="exact-match">Neu</target>', DONE),
        ('<target state="translated" state-qualifier="rejected-inaccurate">Neu</target>', REVIEW),
        ('<target state="needs-translation" state-qualifier="mt-suggestion"/>', NEW),
    ],
)
def test_a_state_qualifier_of_an_unconfirmed_match_is_not_done(
    target: str, expected: UnitState
) -> None:
    units = _read(
        _xliff(f'<trans-unit id="x" resname="k"><source>New</source>{target}</trans-unit>')
    )
    assert units.units[0].state is expected


def test_memoq_marks_are_read_wherever_its_namespace_is_declared() -> None:
    units = _read(
        _xliff(
            '<trans-unit xmlns:mq="MQXliff" id="x" resname="k" mq:status="ManuallyConfirmed" '
            'mq:leadingws=" "><source>New <bpt id="1">&lt;b&gt;</bpt>x<ept id="1">&lt;/b&gt;'
            '</ept></source><target state="needs-translation">Neu <bpt id="1">{}</bpt>x'
            '<ept id="1">{}</ept></target></trans-unit>'
        )
    )
    unit = units.units[0]
    assert (unit.source, unit.target, unit.state) == (" New <b>x</b>", " Neu <b>x</b>", DONE)


def test_memoq_and_phrase_marks_count_once_their_namespace_is_declared() -> None:
    # the reader looks for these attributes only once the parser has met their namespace: a
    # declaration on a later unit, or on its text alone, still counts from there on
    plain = '<trans-unit id="a" resname="a"><source>A</source><target>Ä</target></trans-unit>'
    units = _read(
        _xliff(
            plain + '<trans-unit id="b" resname="b"><source xmlns:q="MQXliff" q:endingws=" ">'
            'B</source><target state="translated" xmlns:q2="MQXliff" q2:leadingws=" ">B</target>'
            '</trans-unit><trans-unit xmlns:m="http://www.memsource.com/mxlf/2.0" id="c" '
            'resname="c" m:confirmed="0"><source>C</source><target>Ç</target></trans-unit>'
            '<trans-unit xmlns:mq="MQXliff" id="d" resname="d" mq:status="Edited">'
            "<source>D</source><target>D2</target></trans-unit>" + plain.replace('"a"', '"e"')
        )
    )
    got = [(u.key, u.source, u.target, u.state) for u in units.units]
    assert got == [
        (("a",), "A", "Ä", UnitState.TRANSLATED),
        (("b",), "B ", " B", UnitState.TRANSLATED),
        (("c",), "C", "Ç", UnitState.NEEDS_REVIEW),
        (("d",), "D", "D2", UnitState.NEEDS_REVIEW),
        (("e",), "A", "Ä", UnitState.TRANSLATED),
    ]
