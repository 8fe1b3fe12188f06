"""The contract every registered format meets: what is written is read back exactly.

Parametrized over the registry, so a new format is tested the moment it registers. Table formats
round-trip a whole table; bilingual (translator) formats round-trip a file of units.
"""

from __future__ import annotations

import io

import pytest

from tests.support.strings import KEY_TRICKY, TRICKY
from wixloc.formats import Format, ReadOptions, all_formats
from wixloc.model import (
    Column,
    ColumnKind,
    Entry,
    Language,
    Table,
    Unit,
    UnitFile,
    UnitState,
    fingerprint,
)

TABLE_FORMATS = [f for f in all_formats() if f.is_table]
BILINGUAL_FORMATS = [f for f in all_formats() if f.is_bilingual]
LANGS = [Language("en"), Language("de"), Language("he"), Language("ja")]
KEYS = ["Collection ID", "Item ID", "Field"]


def tricky_table() -> Table:
    columns = [Column(k, ColumnKind.KEY) for k in KEYS]
    columns += [Column(lang.tag, ColumnKind.LANGUAGE, lang) for lang in LANGS]
    table = Table(languages=list(LANGS), columns=columns)
    texts = list(TRICKY.values())
    for n, (name, text) in enumerate(TRICKY.items()):
        other = texts[(n + 1) % len(texts)]
        table.entries.append(
            Entry(
                ("Products", f"item-{n}", name),
                {LANGS[0]: text, LANGS[1]: other, LANGS[2]: text, LANGS[3]: ""},
            )
        )
    table.entries.append(Entry(KEY_TRICKY, dict.fromkeys(LANGS, "")))
    table.entries.append(
        Entry(("Products", "item-x", "empty-source"), {LANGS[0]: "", LANGS[1]: "übrig"})
    )
    return table


def cells(table: Table) -> list[tuple[tuple[str, ...], list[str]]]:
    return [(e.key, [e.texts.get(lang, "") for lang in table.languages]) for e in table.entries]


@pytest.mark.parametrize("fmt", TABLE_FORMATS, ids=lambda f: f.name)
def test_table_round_trip(fmt: Format) -> None:
    assert fmt.write_table is not None and fmt.read_table is not None
    table = tricky_table()
    out = io.BytesIO()
    fmt.write_table(table, out)
    back = fmt.read_table(io.BytesIO(out.getvalue()), ReadOptions(name=f"t{fmt.extensions[0]}"))
    assert [lang.tag for lang in back.languages] == [lang.tag for lang in LANGS]
    assert back.key_columns == KEYS
    assert cells(back) == cells(table)
    again = io.BytesIO()
    fmt.write_table(back, again)
    if fmt.name != "xlsx":  # a zip's timestamps differ; its cells are compared above
        assert again.getvalue() == out.getvalue()


def tricky_units() -> UnitFile:
    units = UnitFile(Language("en"), Language("de"), key_columns=list(KEYS))
    states = [UnitState.NEW, UnitState.TRANSLATED, UnitState.NEEDS_REVIEW]
    texts = list(TRICKY.values())
    for n, (name, text) in enumerate(TRICKY.items()):
        state = states[n % len(states)]
        target = "" if state is UnitState.NEW else texts[(n + 3) % len(texts)]
        units.units.append(
            Unit(
                key=("Products", f"item-{n}", name),
                source=text,
                target=target,
                state=state,
                notes=[f"Collection ID: Products · Item ID: item-{n} · Field: {name}"],
                fingerprint=fingerprint(text),
            )
        )
    units.units.append(Unit(KEY_TRICKY, "Pipes | and \\ in keys", "", fingerprint=fingerprint("x")))
    return units


@pytest.mark.parametrize("fmt", BILINGUAL_FORMATS, ids=lambda f: f.name)
def test_units_round_trip(fmt: Format) -> None:
    assert fmt.write_units is not None and fmt.read_units is not None
    units = tricky_units()
    out = io.BytesIO()
    fmt.write_units(units, out)
    back = fmt.read_units(io.BytesIO(out.getvalue()), ReadOptions(name=f"t{fmt.extensions[0]}"))
    assert back.source_language == units.source_language
    assert back.target_language == units.target_language
    got = [(u.key, u.source, u.target, u.fingerprint, u.state.done) for u in back.units]
    want = [(u.key, u.source, u.target, u.fingerprint, u.state.done) for u in units.units]
    assert got == want


def test_registry_has_the_foundation_formats() -> None:
    names = {f.name for f in all_formats()}
    assert {"csv", "jsonl"} <= names
