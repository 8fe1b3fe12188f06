"""The two readers of Hunspell dictionaries: the Hunspell library (through ctypes) and spylls.

Where the library is installed it reads the dictionaries (`.ci/run` installs Debian's
libhunspell-1.7-0); spylls is what a machine without it uses. Both must give the same answers,
so a report does not depend on which one a machine has.
"""

from __future__ import annotations

import gc
import os
import warnings
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from spylls.hunspell import Dictionary  # type: ignore[import-untyped]

from wixloc.checks import CheckConfig, check_files, language_rules, spelling

# On CI the library must be there (.ci/run installs it): there, a missing one fails the tests.
needs_library = pytest.mark.skipif(
    spelling.native_library() is None and not os.environ.get("CI"),
    reason="no Hunspell library (libhunspell-1.7-0)",
)

_WORDS = {
    "de": [
        *[
            "Haus",
            "Häuser",
            "Straße",
            "Geschenkverpackung",
            "Warenkorb",
            "Bestellungen",
            "Qualität",
            "Rücksendung",
        ],
        *["schön", "bügeln", "Größe", "größer", "Kundendienst", "Sonnenlicht", "E-Mail"],
        *[
            "HAUS",
            "haus",
            "Strasse",
            "Geschenkverpackkung",
            "Huas",
            "Qualtiät",
            "Warenkrob",
            "xyzzy",
        ],
        *["Łódź", "naïve", "Ĳssel"],  # letters the dictionary's set may lack
    ],
    "fr": [
        *[
            "maison",
            "aujourd'hui",
            "été",
            "élégant",
            "façon",
            "cœur",
            "œuvre",
            "livraison",
            "quotidien",
        ],
        *["Maison", "ÉTÉ", "Élégant", "l'été", "qu'il", "d'amis"],
        *["masion", "aujourdhui", "élgant", "livriason", "xyzzy", "Łódź"],
    ],
}


@needs_library
@pytest.mark.parametrize("lang", sorted(_WORDS))
def test_the_library_and_spylls_give_the_same_answers(lang: str) -> None:
    path = spelling.find_dictionary(lang)
    if path is None:
        pytest.skip(f"no {lang} dictionary")
    lib = spelling.native_library()
    assert lib is not None
    native = spelling._Native(lib, path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)  # spylls leaves its files open
        port = Dictionary.from_files(str(path))
        gc.collect()
    answers = {word: native.lookup(word) for word in _WORDS[lang]}
    assert answers == {word: bool(port.lookup(word)) for word in _WORDS[lang]}
    assert True in answers.values() and False in answers.values()


_AFF = "SET ISO8859-1\nSFX S Y 1\nSFX S 0 s .\n"
_DIC = "3\nStraße/S\nCafé\nHaus/S\n"


@pytest.mark.parametrize("reader", ["library", "spylls"])
def test_a_dictionary_in_latin_1(
    tmp_path: Path, reader: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A dictionary's words are in its own encoding (SET): a word with a letter that encoding
    has not is not in it, for either reader."""
    if reader == "library" and spelling.native_library() is None:
        if os.environ.get("CI"):
            pytest.fail("no Hunspell library on CI (.ci/run installs libhunspell-1.7-0)")
        pytest.skip("no Hunspell library")
    if reader == "spylls":
        monkeypatch.setattr(spelling, "native_library", lambda: None)
    (tmp_path / "xx_XX.aff").write_bytes(_AFF.encode("latin-1"))
    (tmp_path / "xx_XX.dic").write_bytes(_DIC.encode("latin-1"))
    speller = spelling.Speller(tmp_path / "xx_XX")
    assert isinstance(speller.dictionary, spelling._Native) == (reader == "library")
    got = {w: speller.correct(w) for w in ("Straße", "Straßes", "Café", "Häuser", "Łódź", "Haus")}
    assert got == {
        "Straße": True,
        "Straßes": True,
        "Café": True,
        "Häuser": False,
        "Łódź": False,
        "Haus": True,
    }


@pytest.mark.parametrize("reader", ["library", "spylls"])
def test_a_report_is_the_same_with_either_reader(
    tmp_path: Path, reader: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if spelling.find_dictionary("de") is None or spelling.find_dictionary("fr") is None:
        pytest.skip("no German or French dictionary")
    if reader == "library" and spelling.native_library() is None and not os.environ.get("CI"):
        pytest.skip("no Hunspell library")
    if reader == "spylls":
        monkeypatch.setattr(spelling, "native_library", lambda: None)
    monkeypatch.setattr(language_rules, "_SPELLERS", {})
    path = tmp_path / "t.csv"
    path.write_text(
        "Key,en,de,fr\n"
        "a,Gift wrapping,Geschenkverpackkung,Emballage cadaeu\n"
        "b,Free delivery today,Kostenlose Lieferung heute,Livraison gratuite aujourd'hui\n"
        "c,Our shop,Unser Ladn,Notre boutique\n",
        encoding="utf-8",
    )
    report = check_files([path], CheckConfig(rules=["spelling"]))
    readers = {type(s.dictionary).__name__ for s in language_rules._SPELLERS.values()}
    assert readers == ({"_Native"} if reader == "library" else {"Dictionary"})
    assert {f.span_in for f in report.findings} == {"translation"}  # the span is the word's
    assert [(f.key, f.language, f.message, f.column) for f in report.findings] == [
        ("a", "de", "'Geschenkverpackkung' is not in the dictionary", 1),
        ("a", "fr", "'cadaeu' is not in the dictionary", 11),
        ("c", "de", "'Ladn' is not in the dictionary", 7),
    ]


@pytest.fixture(scope="module")
def small_speller(tmp_path_factory: pytest.TempPathFactory) -> spelling.Speller:
    folder = tmp_path_factory.mktemp("dictionary")
    (folder / "xx_XX.aff").write_text("SET UTF-8\nSFX S Y 1\nSFX S 0 s .\n", encoding="utf-8")
    (folder / "xx_XX.dic").write_text("4\nHaus/S\nkart/S\nrot\nl'été\n", encoding="utf-8")
    return spelling.Speller(folder / "xx_XX")


_SPELL_PIECES = st.sampled_from(
    [
        *["Haus", "Hauses", "haus", "Huas", "kart", "Karts", "karz", "rot", "rto", "l'été"],
        *[
            "iPhone",
            "x",
            "xq",
            "Ab-rot",
            "rot-kart",
            "{{ Huas }}",
            "<b>Huas</b>",
            "https://x.io/Huas",
        ],
        *[" ", "\n", ",", "'", "-", "\u00a0", "Haus\u2028rto"],
    ]
)
_SPELL_TEXT = st.lists(_SPELL_PIECES, max_size=8).map("".join)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(_SPELL_TEXT, _SPELL_TEXT), max_size=6),
    st.sets(st.sampled_from(["rto", "karz"])),
)
def test_a_batch_of_pairs_has_the_spelling_findings_of_each_pair(
    small_speller: spelling.Speller, texts: list[tuple[str, str]], allowed: set[str]
) -> None:
    """LanguageRules.check_all (the batch's words looked up at once, only the pairs holding an
    unknown one read) finds, pair by pair, what check finds in each: with words of the source,
    allowed words, names, markup and white space of every kind between them."""
    rules = language_rules.LanguageRules(None, "xx", small_speller, skip_words=frozenset(allowed))
    expected = {
        k: hits for k, (s, t) in enumerate(texts) if (hits := rules.check(("k",), None, s, t))
    }
    sources, targets = [s for s, _ in texts], [t for _, t in texts]
    assert rules.check_all(sources, targets, {}) == expected
    assert rules.check_all(sources, targets, {}) == expected  # words known from the first
