"""The one progress bar of the CLI: click's, on stderr, on a terminal only.

Never in CI logs or pipes: the bar is shown only when stderr is a terminal and ``CI`` is not
set. It shows the count (``done/total``, or ``done`` while the total is not known), the
percentage and the rate (items per second) after the bar. The library reports through
:data:`wixloc.progress.OnProgress`; jobs through :func:`wixloc.cli._remote.progress`, which
draws the same bar.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import TYPE_CHECKING, Any

import click

from wixloc.progress import OnProgress

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar

__all__ = ["Bar", "bar", "shown"]


def shown() -> bool:
    """True when a bar may be drawn: stderr is a terminal, and not a CI job's log."""
    return sys.stderr.isatty() and not os.environ.get("CI")


def _unsized() -> Iterator[int]:
    yield from ()


class Bar:
    """A click progress bar made on the first :meth:`update`: what a command prints before
    its work (a plan, a question) stays apart from the bar."""

    def __init__(self, stack: ExitStack, label: str, unit: str) -> None:
        self.stack, self.label, self.unit = stack, label, unit
        self.bar: ProgressBar[Any] | None = None
        self.started = time.monotonic()

    def _rate(self, done: int) -> str:
        elapsed = time.monotonic() - self.started
        return f"{done / elapsed:,.0f} {self.unit}/s" if elapsed > 0 and done else ""

    def update(self, done: int, total: int | None, label: str | None = None) -> None:
        if label is not None:
            self.label = label
        if self.bar is None:
            # an iterable without a length (a generator: not even a hint), for a bar of a count
            # alone until the total is known
            made: ProgressBar[Any] = click.progressbar(
                _unsized() if not total else None,
                length=total or None,
                label=self.label,
                file=sys.stderr,
                show_pos=True,
                show_percent=bool(total),
                item_show_func=lambda text: text,
            )
            self.bar = self.stack.enter_context(made)
        self.bar.label = self.label
        if total:
            self.bar.length = total
        step = max(done - self.bar.pos, 0)
        if step:
            self.bar.update(step, self._rate(done))
        else:  # click draws only on a step: the label (a job's status) or total may be new
            self.bar.current_item = self._rate(done) or self.bar.current_item
            self.bar.render_progress()


@contextmanager
def bar(label: str, unit: str = "items") -> Iterator[OnProgress]:
    """An :data:`~wixloc.progress.OnProgress` that draws the bar (a no-op when not shown)."""
    if not shown():
        yield lambda done, total: None
        return
    with ExitStack() as stack:
        drawn = Bar(stack, label, unit)
        yield drawn.update
