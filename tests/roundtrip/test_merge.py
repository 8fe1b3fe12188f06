"""merge over the model and its policy: what is applied, skipped and refused (issue 3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.tables import TRICKY_TEXTS, write_table
from wixloc.errors import MergeError
from wixloc.formats import load_table
from wixloc.model import Language, Unit, UnitFile, UnitState, fingerprint
from wixloc.roundtrip import merge as merge_rules
from wixloc.roundtrip.merge import MergePolicy, merge

DE = Language("de")


@pytest.fixture
def table_path(tmp_path: Path) -> Path:
    return write_table(tmp_path)


# --- merge over the model --------------------------------------------------------------------


def _file(*units: Unit, target: str = "de") -> UnitFile:
    return UnitFile(Language("en"), Language(target), list(units), source="de.po")


def _unit(i: int, target: str, **kw: object) -> Unit:
    source = TRICKY_TEXTS[i]
    fields: dict[str, object] = {"state": UnitState.TRANSLATED, "fingerprint": fingerprint(source)}
    fields.update(kw)
    return Unit(("products", f"p-{i}", "title"), fields.pop("source", source), target, **fields)  # type: ignore[arg-type]


def test_merge_applies_and_counts(table_path: Path) -> None:
    table = load_table(table_path)
    report = merge(table, [_file(_unit(0, f"DE {TRICKY_TEXTS[0]}"), _unit(1, "zwei\nZeilen"))])
    assert table.entries[1].texts[DE] == "zwei\nZeilen"
    lang = report.languages[DE]
    assert (lang.applied, lang.unchanged, lang.skipped) == (1, 1, [])


def test_merge_never_blanks_a_translation(table_path: Path) -> None:
    table = load_table(table_path)
    report = merge(table, [_file(_unit(0, ""))])
    assert table.entries[0].texts[DE] == f"DE {TRICKY_TEXTS[0]}"
    assert report.languages[DE].skipped == [(("products", "p-0", "title"), merge_rules.WOULD_BLANK)]


def test_merge_skips_stale_unless_accepted(table_path: Path) -> None:
    table = load_table(table_path)
    stale = _unit(1, "alt", source="Old", fingerprint=fingerprint("Old"))
    report = merge(table, [_file(stale)])
    assert table.entries[1].texts[DE] == ""
    assert report.languages[DE].skipped == [(stale.key, merge_rules.STALE)]
    merge(table, [_file(stale)], MergePolicy(accept_stale=True))
    assert table.entries[1].texts[DE] == "alt"


def test_merge_refuses_an_edited_source_and_applies_nothing(table_path: Path) -> None:
    # issue 13: an edited source (or a row sorted apart from its key) is refused, not applied
    table = load_table(table_path)
    edited = _unit(1, "zwei", source="two lines (typo fixed)", line=7)
    with pytest.raises(MergeError) as err:
        merge(table, [_file(_unit(0, "eins"), edited)])
    assert str(err.value) == f"de.po:7: unit products|p-1|title: {merge_rules.MISPLACED}"
    assert table.entries[0].texts[DE] == f"DE {TRICKY_TEXTS[0]}"
    assert table.entries[1].texts[DE] == ""


def test_merge_without_fingerprint_takes_a_differing_source_as_stale(table_path: Path) -> None:
    table = load_table(table_path)
    unit = _unit(1, "zwei", source="other", fingerprint=None)
    report = merge(table, [_file(unit)])
    assert report.languages[DE].skipped == [(unit.key, merge_rules.NO_FINGERPRINT)]


def test_merge_skips_fuzzy_and_unfinished_units(table_path: Path) -> None:
    table = load_table(table_path)
    fuzzy = _unit(1, "zwei", state=UnitState.NEEDS_REVIEW)
    new = _unit(2, "drei", state=UnitState.NEW)
    report = merge(table, [_file(fuzzy, new)])
    assert report.languages[DE].skipped == [
        (fuzzy.key, merge_rules.NEEDS_REVIEW),
        (new.key, merge_rules.NOT_DONE),
    ]
    merge(table, [_file(fuzzy, new)], MergePolicy(include_fuzzy=True))
    assert [table.entries[1].texts[DE], table.entries[2].texts[DE]] == ["zwei", ""]


def test_merge_refuses_unknown_keys_listing_them(table_path: Path) -> None:
    table = load_table(table_path)
    units = [Unit(("products", f"gone-{n}", "title"), "x", "y") for n in range(7)]
    with pytest.raises(MergeError) as err:
        merge(table, [_file(_unit(1, "zwei"), *units)])
    assert str(err.value) == (
        "de.po: 7 keys are not in the table: products|gone-0|title, products|gone-1|title, "
        "products|gone-2|title, products|gone-3|title, products|gone-4|title and 2 more"
    )
    assert table.entries[1].texts[DE] == ""  # nothing applied


def test_merge_refuses_a_language_the_table_lacks(table_path: Path) -> None:
    with pytest.raises(MergeError) as err:
        merge(load_table(table_path), [_file(_unit(1, "x"), target="fr")])
    assert str(err.value) == (
        "de.po: the table has no language 'fr' (it has en, de, he) "
        '(map it in wixloc.toml: [languages] aliases = {"fr" = "<table language>"})'
    )


def test_merge_refuses_another_source_language(table_path: Path) -> None:
    units = UnitFile(Language("fr"), DE, [], source="de.po")
    with pytest.raises(MergeError) as err:
        merge(load_table(table_path), [units])
    assert str(err.value) == "de.po: translates from 'fr', but the table's main language is 'en'"


def test_merge_reads_each_file_as_it_goes(table_path: Path) -> None:
    # merge takes a file's units from an iterator that is used only once
    table = load_table(table_path)
    header = UnitFile(Language("en"), DE, [], source="de.po")
    report = merge(table, [(header, iter([_unit(1, "zwei")]))])
    assert report.applied == 1
    assert table.entries[1].texts[DE] == "zwei"


def test_merge_refuses_a_key_twice_before_applying_anything(table_path: Path) -> None:
    table = load_table(table_path)
    with pytest.raises(MergeError) as err:
        merge(table, [_file(_unit(1, "zwei"), _unit(1, "deux"))])
    assert str(err.value) == "de.po: the key products|p-1|title appears twice"
    assert table.entries[1].texts[DE] == ""
