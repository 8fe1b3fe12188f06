"""The fast PO reader reads every file exactly as polib does (it hands odd files to polib)."""

from __future__ import annotations

import io

import polib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.strings import TRICKY
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
        mp.setattr(_poparse, "parse", lambda text: None)
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
