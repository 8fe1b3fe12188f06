"""The state file: accepted translations, stale detection, persistence."""

from __future__ import annotations

from pathlib import Path

import pytest

from wixloc.errors import ConfigError
from wixloc.model import Column, ColumnKind, Entry, Language, Table
from wixloc.state import OutFile, State, load_state, save_state

EN, DE, HE = Language("en"), Language("DE"), Language("he")


def table(title: str = "Mug", body: str = "A mug") -> Table:
    cols = [
        Column("k", ColumnKind.KEY),
        *(Column(x.tag, ColumnKind.LANGUAGE, x) for x in (EN, DE, HE)),
    ]
    return Table(
        [EN, DE, HE],
        cols,
        [
            Entry(("title",), {EN: title, DE: "Becher", HE: ""}),
            Entry(("body",), {EN: body, DE: "Ein Becher", HE: "ספל"}),
            Entry(("empty",), {EN: "", DE: "übrig", HE: ""}),
        ],
    )


def test_a_changed_source_makes_its_translations_stale() -> None:
    state = State()
    assert state.accept(table()) == 3
    assert state.stale(table(), DE) == {}
    changed = table(title="Big mug")
    assert state.stale(changed, DE) == {("title",): "Mug"}
    assert state.stale(changed, HE) == {}  # he had no translation of the title
    state.accept(changed, [DE])
    assert state.stale(changed, DE) == {}
    assert "Mug" not in state.sources.values()  # old texts no longer needed are dropped


def test_language_spelling_does_not_matter() -> None:
    state = State()
    state.accept(table())
    assert state.stale(table(title="X"), Language("de")) == {("title",): "Mug"}


def test_round_trip_through_the_file(tmp_path: Path) -> None:
    state = State()
    state.accept(table())
    state.out.append(
        OutFile(
            "translations/content.de.po", "de", 2, "2026-11-29T10:00:00Z", ".wixloc/snapshots/a.csv"
        )
    )
    path = tmp_path / ".wixloc" / "state.json"
    save_state(state, path)
    assert load_state(path) == state
    assert load_state(tmp_path / "none.json") == State()


def test_a_damaged_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"state.json: the state file is damaged"):
        load_state(path)
