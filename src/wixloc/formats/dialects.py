"""What CAT tools do to the files wixloc writes, and the rules that read them back right.

The readers call :func:`settle_state` to decide a unit's state from what the file says; merge
calls :func:`restore_line_breaks` with the table's source. Each tool's vocabulary is a table
here, written down from the tool's own documentation (see docs/formats/xliff.md and po.md):

- memoQ keeps a row's status in ``mq:status`` (the values of its scripting API's ``TUStatus``
  and of its MQXliff schema); only a confirmation counts as a translation.
- Trados Studio keeps a segment's confirmation level in ``<sdl:seg conf>`` (the values of
  ``Sdl.Core.Globalization.ConfirmationLevel``); ``Translated`` and above count.
"""

from __future__ import annotations

import re

from wixloc.model import UnitState

__all__ = [
    "MEMOQ_STATUS",
    "SDL_CONFIRMATION",
    "combine",
    "restore_line_breaks",
    "settle_state",
]

# memoQ's mq:status. Unconfirmed rows (edited, pre-translated, machine translated, assembled
# from fragments, rejected, split or joined by memoQ) are NEEDS_REVIEW: a draft, not applied.
MEMOQ_STATUS: dict[str, UnitState] = {
    "NotStarted": UnitState.NEW,
    "Edited": UnitState.NEEDS_REVIEW,
    "PartiallyEdited": UnitState.NEEDS_REVIEW,
    "PreTranslated": UnitState.NEEDS_REVIEW,
    "MachineTranslated": UnitState.NEEDS_REVIEW,
    "AssembledFromFragments": UnitState.NEEDS_REVIEW,
    "Rejected": UnitState.NEEDS_REVIEW,
    "AutoJoined": UnitState.NEEDS_REVIEW,
    "AutoSplit": UnitState.NEEDS_REVIEW,
    "AutoSplitAndEmpty": UnitState.NEEDS_REVIEW,
    "Ackknowledged": UnitState.NEEDS_REVIEW,  # (sic, the schema's spelling) meaning undocumented
    "ManuallyConfirmed": UnitState.TRANSLATED,
    "Reviewer1Confirmed": UnitState.REVIEWED,
    "Proofread": UnitState.FINAL,  # confirmed by the second reviewer
    "Reviewer2Confirmed": UnitState.FINAL,  # the same, as older versions name it
}

# Trados Studio's confirmation levels (sdl:seg conf). A segment with no conf is "Unspecified"
# (not translated); with a target that is a draft at most.
SDL_CONFIRMATION: dict[str, UnitState] = {
    "Unspecified": UnitState.NEEDS_REVIEW,
    "NotTranslated": UnitState.NEEDS_REVIEW,
    "Draft": UnitState.NEEDS_REVIEW,
    "RejectedTranslation": UnitState.NEEDS_REVIEW,
    "RejectedSignOff": UnitState.NEEDS_REVIEW,
    "Translated": UnitState.TRANSLATED,
    "ApprovedTranslation": UnitState.REVIEWED,
    "ApprovedSignOff": UnitState.FINAL,
}

_ORDER = list(UnitState)


def combine(states: list[UnitState]) -> UnitState | None:
    """One declared state from several marks on a unit (its target's state, a tool's status,
    each segment's confirmation): a mark of unfinished work wins; else the least finished done
    state (a unit is as done as its least done segment); else NEW (a state left as wixloc wrote
    it, which says nothing of a target a tool filled); None when there is no mark."""
    if len(states) == 1:
        return states[0]  # the common case: each rule below gives a lone mark back as it is
    if UnitState.NEEDS_REVIEW in states:
        return UnitState.NEEDS_REVIEW
    done = [state for state in states if state.done]
    if done:
        return min(done, key=_ORDER.index)
    return UnitState.NEW if states else None


def settle_state(
    declared: UnitState | None,
    target: str,
    *,
    untouched: bool,
    approved: bool | None = None,
) -> UnitState:
    """The state of a unit as a reader gives it to merge.

    *declared* is the least finished state the file states (its own vocabulary mapped, a tool's
    status included; None when it states none); *untouched* whether *target* is what wixloc wrote
    there (empty, or a copy of the source); *approved* XLIFF 1.2's ``approved`` (None: absent).

    1. No target: the declared state, else NEW (merge never applies an empty target). The
       target wixloc wrote: NEW, unless the file states it is done.
    2. A mark of unfinished work wins: NEEDS_REVIEW for a draft state, ``approved="no"``.
    3. A done state stands as stated.
    4. ``approved="yes"``: REVIEWED.
    5. A target the tool filled while it left the state as wixloc wrote it (NEW, as memoQ and
       OmegaT do), or with no state at all: TRANSLATED, since it differs from what wixloc wrote.
    """
    if not target:
        return UnitState.NEW if declared is None else declared
    if declared is UnitState.NEEDS_REVIEW or approved is False:
        return UnitState.NEEDS_REVIEW
    if declared is not None and declared.done:
        return declared
    if untouched:
        return UnitState.REVIEWED if approved else UnitState.NEW
    if approved:
        return UnitState.REVIEWED
    return UnitState.TRANSLATED


# A line break in any convention: CRLF, LF, CR, or the two characters "\r" that OmegaT's PO
# editor leaves before a line break when it cannot write a carriage return.
_BREAK = re.compile(r"\\r\n|\r\n|\r|\n")


def restore_line_breaks(source: str, target: str) -> tuple[str, bool]:
    """*target* with its line breaks in *source*'s convention, and whether that changed it.

    Only when the source uses one convention (all CRLF, or all LF) and the target's breaks
    differ from it only in convention: LF or CR for CRLF, CRLF for LF, and a literal ``\\r``
    (backslash, r) before a line break for a CR; a target mixing conventions gets the source's
    everywhere. A source that mixes conventions, or has no line break, leaves the target alone,
    and so does a literal ``\r`` when the source has no CR (the translator typed it).
    """
    found = _convention(source)
    if found is None or not _BREAK.search(target):
        return target, False
    convention = found

    def swap(match: re.Match[str]) -> str:
        found = match.group(0)
        if found == "\\r\n" and convention == "\n":
            return found  # a "\r" the source lacks is text the translator typed, not a lost CR
        return convention

    fixed = _BREAK.sub(swap, target)
    return fixed, fixed != target


def _convention(source: str) -> str | None:
    breaks = set(re.findall(r"\r\n|\r|\n", source))
    return breaks.pop() if len(breaks) == 1 else None
