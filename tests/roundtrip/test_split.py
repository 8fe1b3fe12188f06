"""split over the model: which entries become units, and how (the round-trip rules of issue 3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.tables import TRICKY_TEXTS, write_table
from wixloc.errors import UsageError
from wixloc.formats import load_table
from wixloc.model import CHANGED_NOTE, Language, UnitState, fingerprint
from wixloc.roundtrip.split import split

DE = Language("de")


@pytest.fixture
def table_path(tmp_path: Path) -> Path:
    return write_table(tmp_path)


def _sent() -> list[int]:
    return [i for i, text in enumerate(TRICKY_TEXTS) if text]


# --- split -----------------------------------------------------------------------------------


def test_split_missing_sends_untranslated_entries_with_a_source(table_path: Path) -> None:
    units = split(load_table(table_path), "de")
    expected = [f"p-{i}" for i in _sent() if i % 3 != 0]
    assert [u.key[1] for u in units.units] == expected
    assert all(u.state is UnitState.NEW and u.target == "" for u in units.units)


def test_split_all_sends_every_entry_with_a_source(table_path: Path) -> None:
    units = split(load_table(table_path), "de", only="all")
    assert [u.key[1] for u in units.units] == [f"p-{i}" for i in _sent()]
    first = units.units[0]
    assert first.state is UnitState.TRANSLATED and first.target == f"DE {TRICKY_TEXTS[0]}"
    assert first.notes == ["Collection ID: products · Item ID: p-0 · Field: title"]
    assert first.fingerprint == fingerprint(TRICKY_TEXTS[0])
    assert first.max_length == 80
    assert units.source_language == "en" and units.target_language == "de"
    assert units.key_columns == ["Collection ID", "Item ID", "Field"]


def test_split_refuses_the_main_language(table_path: Path) -> None:
    with pytest.raises(UsageError, match="'en' is the main language"):
        split(load_table(table_path), "en")


def test_split_changed_marks_a_changed_source_for_review(table_path: Path) -> None:
    table = load_table(table_path)
    units = split(table, "de", only="changed", previous={("products", "p-0", "title"): "Old"})
    changed = [u for u in units.units if u.target]
    assert len(changed) == 1
    assert changed[0].previous_source == "Old"
    assert changed[0].state is UnitState.NEEDS_REVIEW
    assert changed[0].notes[-1] == CHANGED_NOTE
    assert changed[0].changed and not any(u.changed for u in units.units if not u.target)
    assert len(units.units) == 1 + len([i for i in _sent() if i % 3 != 0])


def test_split_reuse_prefills_an_identical_source(table_path: Path) -> None:
    table = load_table(table_path)
    table.entries[1].texts[table.main_language] = TRICKY_TEXTS[0]  # same source as p-0
    unit = split(table, "de", reuse=True).units[0]
    assert (unit.key[1], unit.target, unit.state) == (
        "p-1",
        f"DE {TRICKY_TEXTS[0]}",
        UnitState.NEEDS_REVIEW,
    )
    assert unit.notes[-1].startswith("Pre-filled from an identical text already translated")
