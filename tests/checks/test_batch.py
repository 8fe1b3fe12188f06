"""The pair rules read a batch at once: the same hits as asking every rule for every pair."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.support.checks import planted_config, write_planted
from wixloc.checks import CheckConfig, Report, check_files, engine, prose
from wixloc.checks.batch import SEPARATOR, Batch, Joined
from wixloc.checks.numbers import number_format
from wixloc.checks.pairs import PAIR_RULES, Hit, PairContext
from wixloc.checks.prose import PROSE_RULES

RULES = (*PAIR_RULES, *PROSE_RULES)
FR = PairContext(
    source_language="en",
    language="fr",
    source_numbers=number_format("en"),
    target_numbers=number_format("fr"),
)
JA = PairContext(source_language="en", language="ja")

# Sources, each with its translations: triggers at the very start and end of a text (next to
# the separator), in the source only, in the target only, a text holding the separator itself.
ROWS: list[tuple[str, list[str]]] = [
    ("Hello there", ["the the end", "end end"]),  # a repeated word at the very start
    ("Hello {name}", ["Bonjour", "{name} こんにちは"]),
    ("word word", ["mot mot", "mot"]),
    ("word", ["mot mot", "Mot mot"]),
    ("Save 5 now", ["5 maintenant", "Sauvez 6", "Sauvez"]),
    ("Plain text.", ["Texte simple.", "テキスト。"]),
    ("<b>Bold</b>", ["<b>Gras", "<i>太字</i>", "Gras"]),
    ("see https://x.io/a", ["voir https://x.io/b", "https://x.io/a", "voir"]),
    ("two  spaces", ["deux  espaces", "un espace"]),
    ("(open", ["(ouvert", "ouvert)"]),
    ('say "hi"', ['dites "salut', "言う"]),
    ("mail a@b.io", ["courrier c@d.io", "a@b.io", "courrier"]),
    (" lead", ["pas d'espace", " avant "]),
    ("line\nbreak", ["ligne\nsaut", "ligne"]),
    ("Same", ["Same", "Autre"]),
    ("start Start", ["début", "Début début"]),
    ("1,5 kg", ["1,5 kg", "1.5 kg"]),
    (f"odd {SEPARATOR} text", [f"bizarre {SEPARATOR} texte", "bizarre  texte"]),
    ("end (", ["fin (", "fin"]),
    ("50% off", ["-50%", "50 % de remise"]),
    # a word run into a placeholder: masked, "%sPanier Panier" repeats a word the plain does not
    ("%scart", ["%sPanier Panier", "%dカート カート"]),
    ("cart www.x.io", ["panier panierwww.x.io", "panier panierHTTPS://x.io", "panier panier"]),
    # an address ends at a glued letter, and starts after one: masked, the words next to it
    # repeat, where the plain text's words run into the address
    ("see https://x.io/a", ["https://x.io/aにアクセス にアクセス", "www.x.io을 을", "x.io"]),
    ("mail a@b.io", ["a@b.ioまで まで", "は はa@b.io", "WWW.x.ioは は"]),
]


def _direct(rows: list[tuple[str, list[str]]]) -> dict[int, list[tuple[str, Hit]]]:
    found: dict[int, list[tuple[str, Hit]]] = {}
    i = 0
    for source, targets in rows:
        for n, target in enumerate(targets):
            ctx = FR if n % 2 == 0 else JA
            for code, rule in RULES:
                hit = rule(source, target, ctx)
                if hit is not None:
                    found.setdefault(i, []).append((code, hit))
            i += 1
    return found


def _batched(
    rows: list[tuple[str, list[str]]], narrow: bool = False
) -> dict[int, list[tuple[str, Hit]]]:
    batch = Batch()
    batch.narrow = narrow
    for source, targets in rows:
        batch.add_row(source)
        for n, target in enumerate(targets):
            batch.add(target, FR if n % 2 == 0 else JA)
    return batch.hits(RULES)


@pytest.mark.parametrize(
    "rows", [ROWS, ROWS[:-3], ROWS[-3:], ROWS[::-1], ROWS[:1], ROWS[2:3], ROWS[3:4]]
)
def test_a_batch_gives_the_hits_of_every_rule_for_every_pair(
    rows: list[tuple[str, list[str]]],
) -> None:
    assert _direct(rows) == _batched(rows)
    assert _direct(rows) == _batched(rows, narrow=True)  # no text beyond U+FFFF


def test_the_narrow_gates_find_what_the_gates_find_in_text_up_to_u_ffff() -> None:
    """Every character up to U+FFFF (surrogates too): a digit to number-mismatch's narrow gate
    where it is one to \\d; to repeated-word's, before, in and after a repeated word where \\W,
    \\w and \\b take it as a non-word or a word character."""
    gates, narrow = prose.GATES, prose.narrow_gates()
    digit, narrow_digit = gates["number-mismatch"][0], narrow["number-mismatch"][0]
    repeated, narrow_repeated = gates["repeated-word"][0], narrow["repeated-word"][0]
    assert isinstance(digit, re.Pattern) and isinstance(narrow_digit, re.Pattern)
    assert isinstance(repeated, re.Pattern) and isinstance(narrow_repeated, re.Pattern)
    for code in range(0x10000):
        c = chr(code)
        assert bool(narrow_digit.match(c)) == bool(digit.match(c)), hex(code)
        for text in (c + "Mot mot", f".{c} {c}", f".{c}a {c}A", ".Mot mot" + c):
            assert bool(narrow_repeated.match(text)) == bool(repeated.match(text)), hex(code)
    assert sum(bool(narrow_digit.match(chr(c))) for c in range(0x10000)) > 300


def test_a_batch_without_the_separator_in_any_text_gives_the_same_hits() -> None:
    rows = [row for row in ROWS if SEPARATOR not in row[0]]
    assert _direct(rows) == _batched(rows)
    assert len(_direct(rows)) > 10  # the rows do break rules


def test_joined_finds_a_trigger_at_either_end_of_a_text_once() -> None:
    joined = Joined(["<a", "b", "c<", "<<", "d", "<"])
    assert joined.sound
    assert joined.holding(("<",)) == [0, 2, 3, 5]
    assert joined.holding(("b", "d", "<")) == [0, 1, 2, 3, 4, 5]
    assert not Joined(["a", SEPARATOR]).sound


SAMPLE = REPO / "samples" / "content.csv"


@pytest.fixture(scope="module")
def expected(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Report, Report]:
    folder = tmp_path_factory.mktemp("planted")
    table, reference = write_planted(folder)
    planted = check_files([table], planted_config(folder), against=reference)
    return table, reference, planted, check_files([SAMPLE], CheckConfig())


@pytest.mark.parametrize("size", [1, 2, 7])
def test_findings_do_not_depend_on_where_batches_end(
    expected: tuple[Path, Path, Report, Report], monkeypatch: pytest.MonkeyPatch, size: int
) -> None:
    """Batches of any size (a pair at a boundary, a last partial batch) give the same report;
    the sample's Ricos cells give several rows with one line."""
    table, reference, planted, sample = expected
    monkeypatch.setattr(engine, "_BATCH", size)
    got = check_files([table], planted_config(table.parent), against=reference)
    assert got.findings == planted.findings
    assert check_files([SAMPLE], CheckConfig()).findings == sample.findings
    assert sample.findings
