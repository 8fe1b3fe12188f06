"""Progress of long local work, reported through a callback: the library never prints.

A function that can take more than a second or two takes ``on_progress`` (an
:data:`OnProgress`): it is called with the items done so far and the total when known
(``None`` while it is not: a streamed table's rows). The CLI turns the calls into one style of
progress bar (:mod:`wixloc.cli._progress`); without a callback nothing is counted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

__all__ = ["EVERY", "OnProgress", "counted"]

T = TypeVar("T")

OnProgress = Callable[[int, "int | None"], None]  # (done, total or None)
EVERY = 500  # items between two calls: often enough for a bar, rare enough to cost nothing


def counted(
    items: Iterable[T],
    on_progress: OnProgress | None,
    total: int | None = None,
    *,
    every: int = EVERY,
) -> Iterator[T]:
    """*items*, calling *on_progress* with the count at the start, every *every* items and at
    the end (when the iteration runs to its end), each count once (the total, when not known
    before, given with the last)."""
    if on_progress is None:
        yield from items
        return
    done = 0
    on_progress(0, total)
    for item in items:
        yield item
        done += 1
        if done % every == 0:
            on_progress(done, total)
    if done % every or done == 0 or total is None:  # the last count, unless just reported
        on_progress(done, total if total is not None else done)
