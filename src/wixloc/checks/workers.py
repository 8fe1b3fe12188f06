"""Batches of pure work done in other processes, the results taken back in order.

``check`` spends most of its time in the rules that compare one translation with its source:
pure functions of the two texts and the language pair. A large file's pairs are sent to
worker processes in batches while this process reads the file on and does everything that
needs the whole file (duplicates, coverage, consistency, the report). Results come back in
the order the batches were sent, so what is made of them is exactly what one process makes.

A small file never starts a worker: the first batch is worked here, and workers start only
when a second one follows (unless the caller has nothing else to do meanwhile: *first_here*).
With one job, or where worker processes cannot start, every batch is worked here.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from types import TracebackType
from typing import Generic, TypeVar

__all__ = ["MOST_JOBS", "BatchPool", "default_jobs"]

S = TypeVar("S")  # what every batch needs (small: sent with each batch)
B = TypeVar("B")  # one batch
R = TypeVar("R")  # its result
T = TypeVar("T")  # what the caller keeps beside each batch

AHEAD = 2  # batches waiting per worker: enough to keep each busy while this process reads


# More workers than this only wait: the main process (reading the file, the report) is then
# what the check waits for, and each worker holds its own interpreter (about 70 MB).
MOST_JOBS = 4


def default_jobs() -> int:
    """The CPU cores this process may use, at most :data:`MOST_JOBS` (a CI machine may show
    dozens of cores)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MOST_JOBS))


def _ignore_interrupt() -> None:
    """In a worker: Ctrl+C is for the main process, which stops the workers itself."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class BatchPool(Generic[S, B, R, T]):
    """Runs ``work(shared, batch)`` for each batch given to :meth:`put`, in up to *jobs*
    worker processes, and yields ``(kept, result)`` in the order the batches were put.

    *work* must be a module-level function (it is sent to the workers by name). Use it as a
    context manager, so that the workers stop however the caller leaves. Without *first_here*
    the first batch goes to a worker too: for a caller that only gathers the results.
    """

    def __init__(
        self, work: Callable[[S, B], R], shared: S, jobs: int, *, first_here: bool = True
    ) -> None:
        self.work, self.shared, self.jobs = work, shared, jobs
        self.first_here = first_here
        self.put_count = 0
        self.executor: ProcessPoolExecutor | None = None
        self.broken = jobs <= 1
        self.waiting: deque[tuple[T, B, Future[R]]] = deque()

    def __enter__(self) -> BatchPool[S, B, R, T]:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close(cancel=kind is not None)

    def put(self, batch: B, kept: T) -> Iterator[tuple[T, R]]:
        """Hand over *batch*; yields the results that are due, oldest first."""
        self.put_count += 1
        here = self.broken or (self.put_count == 1 and self.first_here)
        executor = None if here else self._executor()
        if executor is None:
            yield from self.finish()  # results keep their order
            yield kept, self.work(self.shared, batch)
            return
        try:
            future = executor.submit(self.work, self.shared, batch)
        except (OSError, BrokenProcessPool):
            # no process could be started (a limit on processes, say): this one works on
            self.broken = True
            self.close(cancel=True)
            yield from self.finish()
            yield kept, self.work(self.shared, batch)
            return
        self.waiting.append((kept, batch, future))
        while len(self.waiting) > AHEAD * self.jobs:
            yield self._oldest()

    def finish(self) -> Iterator[tuple[T, R]]:
        """Every result still due, oldest first."""
        while self.waiting:
            yield self._oldest()

    def close(self, cancel: bool = False) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=not cancel, cancel_futures=cancel)
            self.executor = None

    def _oldest(self) -> tuple[T, R]:
        kept, batch, future = self.waiting.popleft()
        try:
            return kept, future.result()
        except BrokenProcessPool:
            # a worker was killed (out of memory, say): this batch and the rest are worked here
            self.broken = True
            self.close(cancel=True)
            return kept, self.work(self.shared, batch)

    def _executor(self) -> ProcessPoolExecutor | None:
        if self.executor is None and not self.broken:
            try:
                self.executor = ProcessPoolExecutor(
                    max_workers=self.jobs,
                    # not fork: a forked copy of a process with threads can deadlock
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_ignore_interrupt,
                )
            except (OSError, ValueError, NotImplementedError):
                self.broken = True  # no processes here (a sandbox without semaphores)
        return self.executor
