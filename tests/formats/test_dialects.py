"""The rules for files as CAT tools return them: states and line-break conventions."""

from __future__ import annotations

import pytest

from wixloc.formats.dialects import (
    MEMOQ_STATUS,
    SDL_CONFIRMATION,
    combine,
    restore_line_breaks,
    settle_state,
)
from wixloc.model import UnitState

NEW, REVIEW, DONE = UnitState.NEW, UnitState.NEEDS_REVIEW, UnitState.TRANSLATED


@pytest.mark.parametrize(
    ("source", "target", "expected"),
    [
        ("a\r\nb", "x\ny", ("x\r\ny", True)),  # LibreOffice, OmegaT: LF for CRLF
        ("a\r\nb\r\nc", "x\\r\ny\nz", ("x\r\ny\r\nz", True)),  # OmegaT's PO editor: a literal \r
        ("a\r\nb", "x\r\ny", ("x\r\ny", False)),
        ("a\nb", "x\r\ny", ("x\ny", True)),
        ("a\nb", "x\\r\ny", ("x\\r\ny", False)),  # typed by the translator: the source has no CR
        ("a\r\nb\nc", "x\ny\nz", ("x\ny\nz", False)),  # mixed source: no convention to restore
        ("ab", "x\ny", ("x\ny", False)),  # no break in the source
        ("a\r\nb", "xy", ("xy", False)),
        ("a\r\nb", "", ("", False)),
    ],
)
def test_line_breaks_get_the_sources_convention(
    source: str, target: str, expected: tuple[str, bool]
) -> None:
    assert restore_line_breaks(source, target) == expected


@pytest.mark.parametrize(
    ("declared", "target", "untouched", "approved", "expected"),
    [
        (NEW, "", True, None, NEW),
        (NEW, "Hallo", False, None, DONE),  # memoQ, OmegaT: filled, state left as wixloc wrote it
        (None, "Hallo", False, None, DONE),  # no state at all
        (NEW, "Hello", True, None, NEW),  # our copy of the source, unchanged
        (NEW, "Hello", True, True, UnitState.REVIEWED),  # ... approved by the translator
        (REVIEW, "Hallo", False, None, REVIEW),  # fuzzy, needs-review-*, a tool's draft status
        (DONE, "Hallo", False, False, REVIEW),  # approved="no" wins over a done state
        (NEW, "Hallo", False, True, UnitState.REVIEWED),  # Okapi, OmegaT: approved="yes"
        (UnitState.FINAL, "Hallo", False, True, UnitState.FINAL),
        (DONE, "Hallo", True, None, DONE),  # the translator confirmed the copy as it is
        (DONE, "", False, None, DONE),  # as declared: merge never applies an empty target
        (REVIEW, "", False, None, REVIEW),  # a stale entry sent for review, still empty
    ],
)
def test_settle_state(
    declared: UnitState | None,
    target: str,
    untouched: bool,
    approved: bool | None,
    expected: UnitState,
) -> None:
    assert settle_state(declared, target, untouched=untouched, approved=approved) is expected


def test_memoq_confirms_only_by_a_person() -> None:
    done = sorted(name for name, state in MEMOQ_STATUS.items() if state.done)
    assert done == ["ManuallyConfirmed", "Proofread", "Reviewer1Confirmed", "Reviewer2Confirmed"]
    assert MEMOQ_STATUS["AssembledFromFragments"] is REVIEW
    assert MEMOQ_STATUS["Proofread"] is UnitState.FINAL


def test_trados_counts_from_translated_up() -> None:
    done = sorted(name for name, state in SDL_CONFIRMATION.items() if state.done)
    assert done == ["ApprovedSignOff", "ApprovedTranslation", "Translated"]


@pytest.mark.parametrize(
    ("states", "expected"),
    [
        ([], None),
        ([NEW], NEW),
        ([NEW, REVIEW], REVIEW),  # needs-translation as wixloc wrote it, memoQ unconfirmed
        ([NEW, DONE], DONE),  # needs-translation as wixloc wrote it, memoQ ManuallyConfirmed
        ([UnitState.FINAL, DONE, UnitState.REVIEWED], DONE),  # segments: the least done
        ([UnitState.FINAL, REVIEW], REVIEW),
    ],
)
def test_combine_marks_of_one_unit(states: list[UnitState], expected: UnitState | None) -> None:
    assert combine(states) is expected
