"""The rules of issue 19 one by one: cases that fire (exact message and span) and cases that
must not (false positives are defects)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from unittest.mock import patch

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wixloc.checks import CheckConfig, check_files, prose
from wixloc.checks.numbers import number_format, numbers
from wixloc.checks.pairs import PairContext
from wixloc.checks.spelling import find_dictionary
from wixloc.checks.terms import (
    Term,
    Termbase,
    TermSet,
    _joined,
    check_terms,
    load_termbase,
    term_pattern,
)
from wixloc.checks.text import MASK, mask_protected
from wixloc.errors import InputError


def ctx(target: str, source: str = "en") -> PairContext:
    lang, _, region = target.partition("-")
    return PairContext(
        source_language=source,
        language=lang,
        region=region,
        source_numbers=number_format(source),
        target_numbers=number_format(target),
    )


# --- number-mismatch ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "tag", "value"),
    [
        ("1,000.5", "en", "1000.5"),
        ("1.000,5", "de", "1000.5"),
        ("1\u202f000,5", "fr", "1000.5"),
        ("1 000,5", "fr", "1000.5"),
        ("1'000.5", "de-CH", "1000.5"),
        ("\u0661\u066c\u0660\u0660\u0660\u066b\u0665", "ar", "1000.5"),  # Arabic-Indic digits
        ("\uff11\uff12\uff13", "ja", "123"),  # full-width digits
        ("3.5", "de", "3.5"),  # no group of three after the dot: a decimal point
        ("1,000", "de", "1"),  # in German this is one, not a thousand
    ],
)
def test_numbers_are_read_with_the_language_symbols(text: str, tag: str, value: str) -> None:
    assert [v for v, _, _ in numbers(text, number_format(tag))] == [value]


@pytest.mark.parametrize(
    ("source", "target", "tag"),
    [
        ("1,000.5 kg", "1.000,5 kg", "de"),
        ("1,000.5 kg", "1 000,5 kg", "fr"),
        ("3.5 stars", "3,5 Sterne", "de"),
        ("3.5 stars", "3.5 Sterne", "de"),  # the same value; the style is not this rule's
        ("Only 5 left", "Nur noch \u0665", "de"),
        ("Ref {0} and page 2", "Seite 2, Ref {0}", "de"),
        ("See https://x.com/p/801710", "Siehe https://x.com/p/801710", "de"),
        ("No digits", "Keine Ziffern", "de"),
        # a plain space between digits: two numbers side by side, or one grouped
        ("Set of 3 250 ml jars", "Lot de 3 bocaux de 250 ml", "fr"),
        ("Buy 2 500 g packs", "2 Packungen à 500 g", "de"),
        ("10,000 customers", "10 000 Kunden", "de"),
        ("10 000 customers", "10.000 Kunden", "de"),
        # a space between digits written as an entity
        ("10,000 customers", "10&nbsp;000 clients", "fr"),
        ("1,500 items", "1&#160;500 articles", "fr"),
        ("1,500 items", "1&#x202F;500 articles", "fr"),
    ],
)
def test_number_mismatch_does_not_fire(source: str, target: str, tag: str) -> None:
    assert prose.number_mismatch(source, target, ctx(tag)) is None


def test_number_mismatch_fires_with_the_span_of_the_wrong_number() -> None:
    hit = prose.number_mismatch("Only €12.50", "Nur 12,90 €", ctx("de"))
    assert hit == ("numbers differ from the source: missing 12.5; extra 12.9", 4, 9)
    # a thousand in English written the English way in German is one
    hit = prose.number_mismatch("1,000 items", "1,000 Artikel", ctx("de"))
    assert hit == ("numbers differ from the source: missing 1000; extra 1", 0, 5)
    # read the way the two differ least: 3 and 250 in both, 250 is not 260
    hit = prose.number_mismatch("Set of 3 250 ml jars", "3 bocaux de 260 ml", ctx("fr"))
    assert hit == ("numbers differ from the source: missing 250; extra 260", 12, 15)
    hit = prose.number_mismatch("1,500 items", "1&#160;600 articles", ctx("fr"))
    assert hit == ("numbers differ from the source: missing 1500; extra 1, 600", 0, 1)
    # only missing: the whole translation
    assert prose.number_mismatch("Top 10", "Die besten", ctx("de")) == (
        "numbers differ from the source: missing 10",
        0,
        10,
    )


# --- double-space and repeated-word -------------------------------------------------------


def test_double_space() -> None:
    assert prose.double_space("Free returns", "Kostenlose  Rückgabe", ctx("de")) == (
        "2 spaces in a row",
        10,
        12,
    )
    assert prose.double_space("A  B", "A  B", ctx("de")) is None  # the source does it too
    assert prose.double_space("Total: ", "Summe:  ", ctx("de")) is None  # trailing: whitespace
    assert prose.double_space("a b", '<a  href="x">b</a>', ctx("de")) is None  # inside a tag


@pytest.mark.parametrize(
    ("source", "target", "hit"),
    [
        ("Add to the cart", "In den den Warenkorb", ("the word 'den' is repeated", 3, 10)),
        ("The cart", "Der der Warenkorb", ("the word 'Der' is repeated", 0, 7)),
        # a placeholder right before the word: the word is the one after it, not "sWarenkorb"
        ("%scart", "%sWarenkorb Warenkorb", ("the word 'Warenkorb' is repeated", 2, 21)),
        ("{n}cart", "{n}Warenkorb Warenkorb", ("the word 'Warenkorb' is repeated", 3, 22)),
    ],
)
def test_repeated_word_fires(source: str, target: str, hit: tuple[str, int, int]) -> None:
    assert prose.repeated_word(source, target, ctx("de")) == hit


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("the cart", "der <b>der</b> Warenkorb"),  # not across a tag
        ("bye bye", "tschüss tschüss"),  # the source repeats too
        ("kitchen kitchen", "Küche Küche"),
        ("10 10", "10 10"),  # numbers are not words
        ("that", "dass das"),
        ("see https://x.io/den", "siehe https://x.io/den den"),  # the first "den" is the URL's
        ("%sbye bye", "%stschüss tschüss"),  # the source has it too
    ],
)
def test_repeated_word_does_not_fire(source: str, target: str) -> None:
    assert prose.repeated_word(source, target, ctx("de")) is None


@pytest.mark.parametrize(
    ("source", "target", "tag", "fires"),
    [
        ("Products customers buy", "Die Produkte, die die Kunden kaufen", "de", False),
        ("Products that the team makes", "Produkte, <b>die die</b> Werkstatt fertigt", "de", False),
        ("when you order them", "wenn Sie sie bestellen", "de", False),
        ("We reserve the right", "Nous nous réservons le droit", "fr", False),
        ("You sign up", "Vous vous inscrivez", "fr", False),
        ("I know that works", "Ik weet dat dat werkt", "nl", False),
        ("The cart", "Die die Kunden", "de", True),  # no comma before: a slip
        ("The cart", "Kunden. Die die Ware", "de", True),
        ("In the cart", "In den den Warenkorb", "de", True),
        ("We reserve", "Nous nous nous réservons", "fr", False),  # one pair, then "nous" alone
        ("Products customers buy", "Die Produkte, die die Kunden kaufen", "es", True),
    ],
)
def test_repeated_word_grammatical_doubles(source: str, target: str, tag: str, fires: bool) -> None:
    assert (prose.repeated_word(source, target, ctx(tag)) is not None) is fires


def _masked_repeats(text: str) -> list[re.Match[str]]:
    return list(prose._REPEATED.finditer(MASK + mask_protected(text)))


def _repeated_word_from_masked_texts(source: str, target: str) -> tuple[str, int, int] | None:
    """repeated-word as it reads by its definition: both texts masked, every repetition."""
    repeats = [m for m in _masked_repeats(target) if not prose._grammatical(m, "de")]
    allowed = Counter(m.group(1).casefold() for m in _masked_repeats(source))
    if not repeats or len(repeats) <= sum(allowed.values()):
        return None
    first = next((m for m in repeats if m.group(1).casefold() not in allowed), repeats[-1])
    return f"the word '{first.group(1)}' is repeated", first.start(1) - 1, first.end() - 1


# Words (one with a digit, cased and accented ones), the spaces between them, punctuation, and
# protected pieces run into words or not: tags (one with words in an attribute), placeholders,
# printf conversions, URLs, an entity and an e-mail address.
_PIECES = st.sampled_from(
    [
        *("ab", "Ab", "AB", "a", "x1", "ß", "SS", "été", "den", "die"),
        *(" ", " ", " ", "  ", "\t", "\u00a0", ",", ".", "(", "\n", ", die"),
        *("<b>", "</b>", '<a title="ab ab">', "{n}", "{{ n }}", "%s", "%d", "%1$s", "%i"),
        *("https://x.io/ab", "xhttp://x.io", "www.ab.io", "abwww.x.io", "&amp;", "a@b.io"),
        *("は", "カート", "을", "「", "“"),  # glued letters end an address; wide punctuation too
    ]
)
_TEXTS = st.lists(_PIECES, max_size=12).map("".join)


@settings(max_examples=400, deadline=None)
@given(_TEXTS, _TEXTS)
def test_repeated_word_reads_as_if_both_texts_were_masked_in_full(source: str, target: str) -> None:
    """The rule skips masking a translation that masking cannot give more repetitions; its
    findings are those of the masked texts all the same."""
    expected = _repeated_word_from_masked_texts(source, target)
    assert prose.repeated_word(source, target, ctx("de")) == expected
    assert prose.repeated_word(target, target, ctx("de")) is None


# --- punctuation-mismatch -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "target", "tag", "hit"),
    [
        ("Ready?", "Bereit.", "de", ("ends with '.'; the source ends with '?'", 6, 7)),
        ("Done.", "Fertig", "de", ("no ending punctuation; the source ends with '.'", 5, 6)),
        ("Done", "Fertig!", "de", ("ends with '!'; the source has no ending punctuation", 6, 7)),
        ("Done.", "完了.", "ja", ("ends with '.'; this language ends a sentence with '。'", 2, 3)),
        ("Why?", "لماذا?", "ar", ("ends with '?'; this language asks with '؟'", 5, 6)),
        ("Why?", "Por qué?", "es", ("ends with '?' but has no opening '¿'", 7, 8)),
        ("Why?", "Pourquoi?", "fr", ("French puts a no-break space before '?'", 8, 9)),
        ("Really?!", "Vraiment?!", "fr", ("French puts a no-break space before '!'", 9, 10)),
        ("Why?", "Pourquoi&amp;?", "fr", ("French puts a no-break space before '?'", 13, 14)),
        # a one-letter word alone, or a number in a language that has no ordinal dot
        ("Plan B", "Plan B.", "de", ("ends with '.'; the source has no ending punctuation", 6, 7)),
        (
            "on the 3rd",
            "le 3.",
            "fr",
            ("ends with '.'; the source has no ending punctuation", 4, 5),
        ),
        ("Done.", "تم!\u200f", "ar", ("ends with '!'; the source ends with '.'", 2, 3)),
    ],
)
def test_punctuation_mismatch_fires(
    source: str, target: str, tag: str, hit: tuple[str, int, int]
) -> None:
    assert prose.punctuation_mismatch(source, target, ctx(tag)) == hit


@pytest.mark.parametrize(
    ("source", "target", "tag"),
    [
        ("See Fig. 1", "Siehe Abb. 1", "de"),  # Fig. 1 is no sentence end
        ("See Fig.", "Siehe Abbildung", "de"),  # an abbreviation at the end: nothing to compare
        ("Apples, pears etc.", "Äpfel, Birnen usw.", "de"),
        ("Done.", "完了。", "ja"),
        ("Why?", "لماذا؟", "ar"),
        ("Why?", "¿Por qué?", "es"),
        ("Why?", "Pourquoi\u202f?", "fr"),
        ("Note:", "Remarque\u00a0:", "fr"),
        ("Why?", "Pourquoi?", "fr-CA"),  # Canadian French: no space before ?
        ("Why?", "Γιατί;", "el"),  # the Greek question mark
        ("Done.", "เสร็จแล้ว", "th"),  # Thai ends a sentence without a mark
        ('Say "hi."', "Sag „hallo.“", "de"),  # closing quotes after the mark
        ("<p>Done.</p>", "<p>Fertig.</p>", "de"),  # markup after the mark
        ("Wait...", "Warte …", "de"),
        # abbreviations, one-letter ones in pairs, and ordinals where a full stop writes them
        ("Prices incl. VAT", "Preise inkl. MwSt.", "de"),
        ("e.g.", "Z. B.", "de"),
        ("among others", "u. a.", "de"),
        ("USA", "EE. UU.", "es"),
        ("USA", "É.-U.", "fr"),
        ("For example", "Par ex.", "fr"),
        ("For example", "P. ej.", "es"),
        ("and the following pages", "S. 4 ff.", "de"),
        ("on the 3rd", "am 3.", "de"),
        ("Valid until 31 December", "Gültig bis 31.12.", "de"),
        ("on the 3rd", "den 3.", "da"),
        # a mark of direction after the mark, as right-to-left text often has
        ("Ready!", "جاهز!\u200f", "ar"),
        ("Why?", "למה?\u200f", "he"),
        # French: one space before a run of marks, or a space written as an entity
        ("Really?!", "Vraiment\u202f?!", "fr"),
        ("Wow!!", "Waouh\u00a0!!", "fr"),
        ("<p>Ready?</p>", "<p>Prêt&nbsp;?</p>", "fr"),
        ("Note:", "Remarque&#160;:", "fr"),
        ("Why not?", "Pourquoi pas&#x202F;?", "fr"),
    ],
)
def test_punctuation_mismatch_does_not_fire(source: str, target: str, tag: str) -> None:
    assert prose.punctuation_mismatch(source, target, ctx(tag)) is None


# --- brackets, quotes, e-mail -------------------------------------------------------------


_BODIES = st.sampled_from(["Done", "See Fig", "etc", "z.B", "U.S", "Wait", "", "¿Qué", "Hi "])
_MARKS = st.sampled_from(
    [".", "...", "?", "!", ":", ";", "\u2026", "\u3002", "\uff1f", "\u061f", "\u037e", "", "a"]
)
_ENDS = st.tuples(
    st.sampled_from(["", " ", "\u202f", "\u00a0"]),
    _MARKS,
    st.sampled_from(["", "", "</p>", "<br/>", "{n}", "%s", '"', "\u00bb", ")", " "]),
).map("".join)
_TAGS = st.sampled_from(["de", "ja", "zh", "fr", "fr-CA", "es", "ar", "fa", "el", "th", "he"])


@settings(max_examples=1000, deadline=None)
@given(_BODIES, _ENDS, _BODIES, st.none() | _ENDS, _TAGS, st.sampled_from(["en", "el"]))
def test_punctuation_mismatch_reads_the_same_mark_as_the_full_comparison(
    source_body: str, source_end: str, body: str, end: str | None, tag: str, source_tag: str
) -> None:
    """A translation ending with its source's very mark is settled without reading either
    ending in full: the findings are those of the full comparison all the same."""
    source, target = source_body + source_end, body + (source_end if end is None else end)
    found = prose.punctuation_mismatch(source, target, ctx(tag, source_tag))
    with patch.dict(prose._OWN_FORM, clear=True):  # no shortcut: the full comparison
        assert prose.punctuation_mismatch(source, target, ctx(tag, source_tag)) == found


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            _BODIES,
            _ENDS,
            st.lists(st.tuples(_BODIES, st.none() | _ENDS, _TAGS), min_size=1, max_size=4),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_the_punctuation_sieve_leaves_out_only_pairs_without_a_finding(
    rows: list[tuple[str, str, list[tuple[str, str | None, str]]]],
) -> None:
    """The batch asks punctuation-mismatch only for the pairs the sieve keeps: every pair it
    leaves out is one the rule finds nothing in."""
    sources, targets, owners, contexts = [], [], [], []
    for body, end, translations in rows:
        sources.append(body + end)
        for t_body, t_end, tag in translations:
            targets.append(t_body + (end if t_end is None else t_end))
            owners.append(len(sources) - 1)
            contexts.append(ctx(tag))
    kept = prose.punctuation_sieve(sources, targets, owners, contexts)
    assert kept == sorted(set(kept))
    for i, (target, row, c) in enumerate(zip(targets, owners, contexts, strict=True)):
        if i not in kept:
            assert prose.punctuation_mismatch(sources[row], target, c) is None


@pytest.mark.parametrize(
    ("source", "target", "tag", "kept"),
    [
        ("Done.", "Fertig.", "de", False),  # the same mark, written the same way
        ("<p>Done.</p>", "<p>Fertig.</p>", "de", False),  # after the tags
        ("Done", "Fertig", "de", False),  # no mark on either side
        ("Wait...", "Warte...", "ja", False),
        ("Done.", "完了.", "ja", True),  # Japanese writes its own full stop
        ("Why?", "Pourquoi?", "fr", True),  # and French its own question mark
        ("Done.", "Fertig", "de", True),
        ("Done.", "Fertig...", "de", True),
        ("Hi {name}", "Hallo {name}", "de", True),  # a placeholder: read by the rule
    ],
)
def test_the_punctuation_sieve_keeps_the_pairs_the_rule_must_read(
    source: str, target: str, tag: str, kept: bool
) -> None:
    assert prose.punctuation_sieve([source], [target], [0], [ctx(tag)]) == ([0] if kept else [])


def test_bracket_mismatch() -> None:
    c = ctx("de")
    assert prose.bracket_mismatch("Size (cm)", "Größe (cm", c) == (
        "the opening '(' has no partner",
        6,
        7,
    )
    assert prose.bracket_mismatch("Size (cm)", "Größe cm)", c) == (
        "the closing ')' has no partner",
        8,
        9,
    )
    assert prose.bracket_mismatch("Size (cm)", "Größe [cm]", c) is None
    assert prose.bracket_mismatch("1) first", "1) erstens", c) is None  # the source is not balanced
    assert prose.bracket_mismatch("Hi {name}", "Hallo {name} :)", c) is not None
    assert prose.bracket_mismatch("{name}", "{name}", c) is None  # placeholders are not brackets
    assert prose.bracket_mismatch("x", "「引用」", ctx("ja")) is None


def test_quote_mismatch() -> None:
    c = ctx("he")
    assert prose.quote_mismatch('Say "hi"', 'אמרו "היי', c) == (
        "the quotation mark '\"' has no partner",
        5,
        6,
    )
    assert prose.quote_mismatch('Say "hi"', "Sag „hallo“", ctx("de")) is None
    assert prose.quote_mismatch('Say "hi"', "Dites « salut »", ctx("fr")) is None
    assert prose.quote_mismatch("IDF", 'צה"ל', c) is None  # a gershayim, not a quote
    assert prose.quote_mismatch("it's", "c’est l’heure", ctx("fr")) is None  # apostrophes
    assert prose.quote_mismatch('5" screen', '5" Bildschirm', ctx("de")) is None
    assert prose.quote_mismatch("a", '<a title="x">b</a>', ctx("de")) is None  # in a tag


def test_email_mismatch() -> None:
    c = ctx("fr")
    assert prose.email_mismatch("Write to help@wix.com", "Écrivez à aide@wix.com", c) == (
        "e-mail addresses differ from the source: missing help@wix.com; extra aide@wix.com",
        10,
        22,
    )
    assert prose.email_mismatch("Write to help@wix.com.", "Écrivez à help@wix.com.", c) is None
    assert prose.email_mismatch("See https://x.com/@team", "Voir https://x.com/@team", c) is None
    ja, ko = ctx("ja"), ctx("ko")
    assert prose.email_mismatch("Email help@wix.com", "サポートはhelp@wix.comまで", ja) is None
    assert prose.email_mismatch("Email help@wix.com", "help@wix.com으로 문의하세요", ko) is None
    assert prose.email_mismatch("Email help@wix.com", "サポートはinfo@wix.comまで", ja) == (
        "e-mail addresses differ from the source: missing help@wix.com; extra info@wix.com",
        5,
        17,
    )


def test_a_term_written_against_a_url_is_found() -> None:
    """The text after a URL, in a script without spaces, is read for terms (not masked with
    the URL)."""
    term_set = TermSet(Termbase([Term("cart", "カート", "ja", "", False)]).for_language("ja"))
    source = "View your cart at https://wix.com/shop"
    assert check_terms(source, "https://wix.com/shopでカートを確認", term_set) == []
    assert check_terms(source, "https://wix.com/shopで確認", term_set) == [
        ("the source has the term 'cart'; the translation lacks 'カート'", 10, 14, "source")
    ]


# --- inconsistency, terminology, spelling over files --------------------------------------


def _table(folder: Path, rows: list[str], header: str = "Key,en,de") -> Path:
    path = folder / "t.csv"
    path.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_inconsistent_translation_names_every_entry(tmp_path: Path) -> None:
    path = _table(tmp_path, ["a,Sale,Ausverkauf", "b,Sale,Angebot", "c,Sale,Ausverkauf", "d,5,5"])
    report = check_files([path], CheckConfig(rules=["inconsistent-translation"]))
    (finding,) = report.findings
    assert (finding.key, finding.line) == ("a", 2)
    assert finding.message == (
        "the same source is translated in 2 ways: 'Ausverkauf' (2 entries), 'Angebot' (1 entry)"
    )
    assert [(r.key, r.line, r.text) for r in finding.related] == [
        ("b", 3, "Angebot"),
        ("c", 4, "Ausverkauf"),
    ]


def test_inconsistent_source(tmp_path: Path) -> None:
    path = _table(tmp_path, ["a,Order,Bestellung", "b,Orders,Bestellung", "c,12,12", "d,1 2,12"])
    report = check_files([path], CheckConfig(rules=["inconsistent-source"]))
    assert [(f.key, f.message) for f in report.findings] == [
        (
            "a",
            "this text is the translation of 2 different sources: 'Order' (1 entry), "
            "'Orders' (1 entry)",
        )
    ]


def test_an_entry_with_a_terminology_error_is_no_variant(tmp_path: Path) -> None:
    """A translation with a forbidden term has an error of its own: it is not compared."""
    terms = tmp_path / "terms.csv"
    terms.write_text("cart,Warenkorb,de\n,Einkaufswagen,de,forbidden\n", encoding="utf-8")
    path = _table(
        tmp_path, ["a,Your cart,Ihr Warenkorb", "b,Your cart,Ihr Einkaufswagen", "c,Hi,Hallo"]
    )
    rules = ["inconsistent-translation", "terminology"]
    report = check_files([path], CheckConfig(rules=rules, terms=str(terms)))
    assert [(f.code, f.key) for f in report.findings] == [("terminology", "b")] * 2
    # with the termbase's rule off, the two translations are variants
    report = check_files([path], CheckConfig(rules=["inconsistent-translation"]))
    assert [(f.code, f.key) for f in report.findings] == [("inconsistent-translation", "a")]


def test_consistent_files_give_nothing(tmp_path: Path) -> None:
    path = _table(tmp_path, ["a,Sale,Angebot", "b,Sale,Angebot", "c,Shop,Laden"])
    rules = ["inconsistent-translation", "inconsistent-source"]
    assert check_files([path], CheckConfig(rules=rules)).findings == []


def test_terminology_from_csv(tmp_path: Path) -> None:
    terms = tmp_path / "terms.csv"
    terms.write_text(
        "source,target,language,note\n"
        "shopping cart,Warenkorb,de,\n"
        ",Einkaufswagen,de,forbidden: use Warenkorb\n",
        encoding="utf-8",
    )
    path = _table(
        tmp_path,
        [
            "a,Of your shopping carts,Ihres Warenkorbs",  # the stem Warenko: matched
            "b,Your Shopping Cart,Ihr warenkorb",  # case does not matter
            "c,Your shopping cart,Ihr Korb",
            "d,Empty,Der Einkaufswagen ist leer",
        ],
    )
    report = check_files([path], CheckConfig(rules=["terminology"], terms=str(terms)))
    got = [(f.key, f.message, f.span_in, f.column, f.end_column) for f in report.findings]
    assert got == [
        (
            "c",
            "the source has the term 'shopping cart'; the translation lacks 'Warenkorb'",
            "source",
            6,
            19,
        ),
        (
            "d",
            "'Einkaufswagen' is a forbidden term (forbidden: use Warenkorb)",
            "translation",
            5,
            18,
        ),
    ]


def test_terminology_from_tbx(tmp_path: Path) -> None:
    tbx = tmp_path / "terms.tbx"
    tbx.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<martif type="TBX" xml:lang="en"><text><body>'
        '<termEntry><langSet xml:lang="en"><tig><term>checkout</term></tig></langSet>'
        '<langSet xml:lang="de"><tig><term>Kasse</term></tig>'
        '<tig><term>Checkout</term><termNote type="administrativeStatus">deprecatedTerm-admn'
        "</termNote></tig></langSet></termEntry></body></text></martif>",
        encoding="utf-8",
    )
    path = _table(tmp_path, ["a,Go to checkout,Zur Kasse", "b,Go to checkout,Zum Checkout"])
    report = check_files([path], CheckConfig(rules=["terminology"], terms=str(tbx)))
    assert [(f.key, f.message) for f in report.findings] == [
        ("b", "'Checkout' is a forbidden term"),
        ("b", "the source has the term 'checkout'; the translation lacks 'Kasse'"),
    ]


def test_a_tbx_with_a_doctype_is_refused(tmp_path: Path) -> None:
    tbx = tmp_path / "bomb.tbx"
    tbx.write_text(
        '<?xml version="1.0"?><!DOCTYPE martif [<!ENTITY a "aaaa">]><martif>&a;</martif>',
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="DOCTYPE declaration"):
        load_termbase(tbx)


def test_a_bad_csv_termbase_names_the_line(tmp_path: Path) -> None:
    terms = tmp_path / "terms.csv"
    terms.write_text("cart,Warenkorb,de\ncart,Warenkorb\n", encoding="utf-8")
    with pytest.raises(InputError, match="a term row has 2 cells") as err:
        load_termbase(terms)
    assert err.value.line == 2


needs_german = pytest.mark.skipif(
    find_dictionary("de") is None, reason="no German Hunspell dictionary (hunspell-de-de)"
)


@needs_german
def test_spelling_flags_a_misspelled_word_only(tmp_path: Path) -> None:
    terms = tmp_path / "terms.csv"
    terms.write_text("cart,Wixkorb,de\n", encoding="utf-8")
    path = _table(
        tmp_path,
        [
            "a,Gift wrapping,Geschenkverpackkung",
            "b,Wix Stores,Wix Stores sind toll",  # words of the source: names
            "c,Cart,Ihr Wixkorb",  # a termbase term
            'd,Link,<a href="https://wix.com/Hilfeseite">Hilfe</a> {Platzhalterwort}',
            "e,Mail,schreiben@beispielxyz.de",
            "f,Phone,iPhone und SKU12",
        ],
    )
    config = CheckConfig(rules=["spelling"], terms=str(terms))
    report = check_files([path], config)
    assert [(f.key, f.message, f.column, f.end_column) for f in report.findings] == [
        ("a", "'Geschenkverpackkung' is not in the dictionary", 1, 20)
    ]
    assert report.notes == []


def test_spelling_without_a_dictionary_is_one_note(tmp_path: Path) -> None:
    path = _table(tmp_path, ["a,Hello,こんにちは", "b,Bye,さようなら"], "Key,en,ja")
    report = check_files([path], CheckConfig(enable=["spelling"]))
    assert report.findings == []
    assert report.notes == [
        "spelling: no Hunspell dictionary for 'ja' is installed (a hunspell-* package, or a "
        "folder in DICPATH); its spelling was not checked"
    ]


def test_spelling_is_optional(tmp_path: Path) -> None:
    path = _table(tmp_path, ["a,Gift wrapping,Geschenkverpackkung"])
    assert check_files([path], CheckConfig()).findings == []


def test_a_pseudo_translation_is_not_judged_by_its_ending() -> None:
    # wixloc pseudo wraps the text and pads it before the ]: the end is padding
    assert prose.punctuation_mismatch("Done.", "[Ðöñé. ļöŕéɱ]", ctx("de")) is None
    assert prose.punctuation_mismatch("[Done.]", "[Fertig]", ctx("de")) is not None


def test_the_longer_of_two_overlapping_terms_wins(tmp_path: Path) -> None:
    terms = tmp_path / "terms.csv"
    terms.write_text("cart,Korb,de\nshopping cart,Warenkorb,de\n", encoding="utf-8")
    path = _table(tmp_path, ["a,Your shopping cart,Ihr Warenkorb", "b,Your cart,Ihr Korb"])
    report = check_files([path], CheckConfig(rules=["terminology"], terms=str(terms)))
    assert report.findings == []


# Letters the regex engine matches across case in ways str.lower() does not show (the Kelvin
# sign, the long s, the dotted and dotless i, the sharp s), words, spaces and punctuation; a
# Han character and a Hangul syllable (their words match inside a word, or at its start)
_TERM_TEXT = st.text(
    st.sampled_from(
        [*"kKsSiIab", "\u212a", "\u017f", "\u0130", "\u0131", "ß", "ẞ", " ", "-", ".", "日", "제"]
    )
)
_TERMS = st.lists(
    _TERM_TEXT.filter(lambda t: re.search(r"\w", t) is not None), min_size=1, max_size=8
)


@given(_TERMS, _TERM_TEXT)
def test_the_joined_terms_find_what_their_alternation_finds(terms: list[str], text: str) -> None:
    """The terms of a language tried a first letter at a time find, at each place, the term
    the plain alternation of their patterns (longest first, those that start at a word's start
    before those that start anywhere) finds; a term's pattern to search for is found where its
    own is."""
    patterns = [term_pattern(term) for term in terms]
    order = sorted(
        range(len(patterns)),
        key=lambda i: (not patterns[i].pattern.startswith("(?<!"), -len(patterns[i].pattern)),
    )
    plain = re.compile("|".join(f"(?P<t{i}>{patterns[i].pattern})" for i in order), re.I)
    joined = _joined(patterns)
    assert joined is not None
    found = [(m.lastgroup, m.span()) for m in joined.finditer(text)]
    assert found == [(m.lastgroup, m.span()) for m in plain.finditer(text)]
    for term, pattern in zip(terms, patterns, strict=True):
        searched = term_pattern(term, searched=True)
        assert (searched.search(text) is None) == (pattern.search(text) is None)


@pytest.mark.parametrize("upper", ["K", "\u212a"])  # K, and the Kelvin sign
def test_terms_whose_first_letters_match_across_case_keep_their_order(upper: str) -> None:
    """Of two terms found at the same place, the one first in the alternation wins, as when
    they were tried one by one, also where their first letters differ in case."""
    patterns = [term_pattern("kaa b"), term_pattern(f"{upper}aa"), term_pattern("kaa")]
    joined = _joined(patterns)
    assert joined is not None
    assert [(m.lastgroup, m.span()) for m in joined.finditer("kaa KAA")] == [
        ("t1", (0, 3)),
        ("t1", (4, 7)),
    ]


def test_terms_in_scripts_written_without_spaces_match_inside_words(tmp_path: Path) -> None:
    """Japanese has no spaces between words and Korean adds particles to them: a term is
    found there as it is written; it still has to be there."""
    terms = tmp_path / "terms.csv"
    terms.write_text("product,製品,ja\nproduct,제품,ko\n製品,product,en\n", encoding="utf-8")
    path = _table(
        tmp_path,
        [
            "a,Our product,当社の製品です,제품을 보세요",  # found inside a word, before a particle
            "b,Our product,当社の品です,상품을 보세요",
            "c,Our products,製品一覧,제품들",
        ],
        header="Key,en,ja,ko",
    )
    report = check_files([path], CheckConfig(rules=["terminology"], terms=str(terms)))
    assert [(f.key, f.language, f.message) for f in report.findings] == [
        ("b", "ja", "the source has the term 'product'; the translation lacks '製品'"),
        ("b", "ko", "the source has the term 'product'; the translation lacks '제품'"),
    ]
    japanese = _table(
        tmp_path, ["a,日本製品の紹介,Japanese products", "b,当社の製品,Our goods"], "Key,ja,en"
    )
    config = CheckConfig(rules=["terminology"], terms=str(terms))
    assert [(f.key, f.message, f.column) for f in check_files([japanese], config).findings] == [
        ("b", "the source has the term '製品'; the translation lacks 'product'", 4)
    ]


def test_terms_inside_placeholders_markup_and_urls_are_not_terms(tmp_path: Path) -> None:
    """``{{ product }}`` stays as it is in the translation, and so do a URL and a tag's
    attributes: a term word inside them needs no target term and is no forbidden one."""
    terms = tmp_path / "terms.csv"
    terms.write_text(
        "product,Produkt,de\n,product,de,forbidden\n,shop,de,forbidden\n", encoding="utf-8"
    )
    path = _table(
        tmp_path,
        [
            "a,Hello {{ product }},Hallo {{ product }}",
            'b,<a href="https://example.com/product">Buy</a>,'
            '"<a href=""https://example.com/product"">Kaufen</a>"',
            'c,<span title="product">Buy</span>,"<span title=""product"">Kaufen</span>"',
            "d,Write to shop@example.com,Schreiben Sie an shop@example.com",
            "e,The product {name},Das Ding {name}",
        ],
    )
    report = check_files([path], CheckConfig(rules=["terminology"], terms=str(terms)))
    assert [(f.key, f.message, f.column) for f in report.findings] == [
        ("e", "the source has the term 'product'; the translation lacks 'Produkt'", 5)
    ]


def test_a_source_term_found_once_for_its_languages_is_checked_in_each(tmp_path: Path) -> None:
    """The languages share the source term's pattern, so a source is searched once for them;
    each still needs its own target, and a language whose source terms differ finds its own."""
    terms = tmp_path / "terms.csv"
    terms.write_text("cart,Warenkorb,de\ncart,panier,fr\nshop,boutique,fr\n", encoding="utf-8")
    path = _table(
        tmp_path,
        ["a,Your cart in the shop,Ihr Warenkorb,Votre chariot"],
        header="Key,en,de,fr",
    )
    report = check_files([path], CheckConfig(rules=["terminology"], terms=str(terms)))
    assert [(f.language, f.message) for f in report.findings] == [
        ("fr", "the source has the term 'cart'; the translation lacks 'panier'"),
        ("fr", "the source has the term 'shop'; the translation lacks 'boutique'"),
    ]


# Texts of words that may be terms, in any case, with placeholders, tags and URLs around them
_TERM_PIECES = st.sampled_from(
    [
        *["Kart", "kart", "KART", "carts", "cart-shop", "Shop", "shops", "ſhop", "\u212aart"],
        *["ıcart", "İcart", "製品", "当社の製品", "제품을", "제품", "{{ cart }}", "{shop}"],
        *["<b>Kart</b>", "https://x.com/cart", "%s", ".", ",", "-", ";", " ", "\n"],
    ]
)
_PAIR_TEXT = st.lists(_TERM_PIECES, max_size=8).map(" ".join)
_TERM_ROWS = st.lists(
    st.tuples(
        st.sampled_from(["cart", "shop", "Cart shop", "製品", "ıcart", ""]),
        st.sampled_from(["Kart", "kart", "shop", "製品", "제품", "cart-shop", "Shops"]),
        st.booleans(),
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=300, deadline=None)
@given(_TERM_ROWS, st.lists(st.tuples(_PAIR_TEXT, _PAIR_TEXT), max_size=6))
def test_a_batch_of_pairs_has_the_terms_findings_of_each_pair(
    rows: list[tuple[str, str, bool]], texts: list[tuple[str, str]]
) -> None:
    """TermSet.check_all (words looked up, only some pairs read) finds, pair by pair, what
    check_terms finds in each, with every kind of term: of one word, of two, in an unspaced
    script, in Hangul, forbidden, with letters that match across case."""
    terms = [Term(s, t, "de", "", forbidden or not s) for s, t, forbidden in rows]
    term_set = TermSet(Termbase(terms).for_language("de"))
    sources, targets = [s for s, _ in texts], [t for _, t in texts]
    expected = {k: hits for k, (s, t) in enumerate(texts) if (hits := check_terms(s, t, term_set))}
    masked = [mask_protected(t) for t in targets]
    assert term_set.check_all(sources, masked, {}) == expected
    # again, with the words and sources the first call saw
    assert term_set.check_all(sources, masked, {}) == expected
