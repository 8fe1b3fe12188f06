"""Work done in other processes, the results taken back in order: batches (:class:`BatchPool`,
check's pair rules) and streams (:class:`StreamPool`, merge's translator files).

``check`` spends most of its time in the rules that compare one translation with its source:
pure functions of the two texts and the language pair. A large file's pairs are sent to
worker processes in batches while this process reads the file on and does everything that
needs the whole file (duplicates, coverage, consistency, the report). Results come back in
the order the batches were sent, so what is made of them is exactly what one process makes.

A small file never starts a worker: the first batch is worked here, and workers start only
when a second one follows (unless the caller has nothing else to do meanwhile: *first_here*).
With one job, or where worker processes cannot start, every batch is worked here.

``merge`` spends most of its time reading its translator files. :class:`StreamPool` reads them
in worker processes while this process indexes the table, each file sent back in chunks as it
is read and taken in the order of the files, so the merge sees the units, and any error, at
the same point as when it reads them itself.
"""

from __future__ import annotations

import gc
import itertools
import multiprocessing
import multiprocessing.context
import os
import pickle
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, suppress
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from types import TracebackType
from typing import Any, Generic, TypeVar

if sys.platform != "win32":
    import fcntl

__all__ = ["MOST_JOBS", "BatchPool", "StreamPool", "default_jobs"]

S = TypeVar("S")  # what every batch needs (small: sent with each batch)
B = TypeVar("B")  # one batch
R = TypeVar("R")  # its result
T = TypeVar("T")  # what the caller keeps beside each batch
A = TypeVar("A")  # what a stream is made from (a path)
C = TypeVar("C")  # one chunk of a stream

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


def _worker_start() -> None:
    """In a worker, first: Ctrl+C is for the main process, which stops the workers itself; and
    the cyclic garbage collector is off for the worker's life, as the caller's work pauses it
    in the main process (:mod:`wixloc.gcpause`). A worker only runs that work, whose objects
    hold no cycles: left on, the collector walked each batch's results again and again (at
    100,000 keys, a thousand collections: 0.85 of the 13 CPU s of check's parts). SIGTERM
    is set back to its default: a forked worker would keep a handler of this process, and
    :meth:`StreamPool.close` stops a worker with it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):  # held back while it was started (_signals_held)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD)
    gc.disable()


_HELD = {signal.SIGINT, signal.SIGTERM}


@contextmanager
def _signals_held() -> Iterator[None]:
    """SIGINT and SIGTERM held back (blocked: they come afterwards, not lost) while this
    thread starts workers. Arriving during a fork, a Python handler would run inside the
    fork's own hooks (logging's lock release in this process), where its exception is
    printed and dropped: a Ctrl+C or a SIGTERM at that moment was a traceback on stderr and
    no stop. A worker starts with them held too, and lets them through in _worker_start."""
    if not hasattr(signal, "pthread_sigmask"):  # Windows: no fork
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _context() -> multiprocessing.context.ForkContext | multiprocessing.context.SpawnContext:
    """How workers start: forked on Linux when this process runs one thread, else spawned.

    A forked worker has every module this process imported; a spawned one imports them again
    (about 0.2 CPU s each, before its first batch). A forked copy of a process with more than
    one thread can deadlock on a lock another thread held (Python 3.12 warns of it), so such a
    process, and every other system, spawns."""
    if sys.platform == "linux" and _one_thread():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _one_thread() -> bool:
    """Whether this process runs a single thread (counted by the system, as Python's own
    warning counts them: a thread started by a C library is not in :mod:`threading`).

    A thread just joined (a worker pool's, shut down a moment ago) is still counted until its
    system thread has left, a little after ``join()`` returns: while Python runs no other
    thread, the count is asked again for up to :data:`_SETTLE` seconds."""
    deadline = time.monotonic() + _SETTLE
    while True:
        try:
            if len(os.listdir("/proc/self/task")) == 1:
                return True
        except OSError:
            return False
        if threading.active_count() > 1 or time.monotonic() > deadline:
            return False
        time.sleep(0.0005)


_SETTLE = 0.05


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
            with _signals_held():  # the first submit forks the workers
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
        """Stop the workers once their work is done, or (*cancel*) at once: a worker left to
        finish its batch went on after this returned, writing into the temporary folder of a
        check that had stopped and removed it (its files were left behind)."""
        executor, self.executor = self.executor, None
        if executor is None:
            return
        if not cancel:
            executor.shutdown(wait=True)
            return
        # The executor names its processes only in a private attribute (without it: waits for
        # the batches being worked). Once one is stopped, the executor stops and reaps the
        # others itself, and its shutdown waits for that.
        for process in list((getattr(executor, "_processes", None) or {}).values()):
            if process.is_alive():
                process.terminate()
        executor.shutdown(wait=True, cancel_futures=True)

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
                    mp_context=_context(),
                    initializer=_worker_start,
                )
            except (OSError, ValueError, NotImplementedError):
                self.broken = True  # no processes here (a sandbox without semaphores)
        return self.executor


# What a stream's worker sends, a message at a time: ("chunk", chunk), then ("end",), or
# ("error", the exception) where it raised one that pickles, or ("redo",) for any other failure
# (this process then makes the stream itself from the start, meeting the failure itself).
_CHUNK, _END, _ERROR, _REDO = "chunk", "end", "error", "redo"


class StreamPool(Generic[A, C]):
    """Runs ``produce(arg)`` (a generator of chunks) for each of *args* in up to *jobs* worker
    processes and gives each stream's chunks back with :meth:`chunks`, in order.

    Worker *w* makes the streams *w*, *w + jobs*, ... one after the other; each chunk goes
    through the worker's own pipe, and a worker reads ahead of what is taken by up to
    *ahead* bytes of pickled chunks (:data:`AHEAD_BYTES` unless given), held in the worker
    (so that the second file is read while this process takes the first). :meth:`chunks`
    must be asked for the streams in the order of *args*. A worker that dies, or that cannot be started, leaves its streams to this process: the
    stream it was sending is made again here, the chunks already taken skipped. *produce* must
    be a module-level function (sent to the workers by name). Use it as a context manager, so
    that the workers stop however the caller leaves. With *fork_only*, workers start only
    where they are forked, and so start with this process's memory as it is: for *args* that
    are not to be pickled (large, or holding local functions); elsewhere every stream is made
    in this process.
    """

    def __init__(
        self,
        produce: Callable[[A], Iterator[C]],
        args: Sequence[A],
        jobs: int,
        *,
        ahead: int | None = None,
        fork_only: bool = False,
    ) -> None:
        self.produce, self.args = produce, list(args)
        self.ahead = AHEAD_BYTES if ahead is None else ahead
        self.fork_only = fork_only  # never spawned: then every stream is made here
        self.jobs = max(1, min(jobs, len(self.args)))
        self.workers: list[tuple[BaseProcess, Connection]] = []
        self.broken = self.jobs <= 1
        self.next = list(range(self.jobs))  # per worker: the stream its pipe carries next

    def __enter__(self) -> StreamPool[A, C]:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def start(self) -> None:
        """Start the workers (they begin at once: this process goes on with its own work)."""
        if self.broken or self.workers:
            return
        context = _context()
        if self.fork_only and context.get_start_method() != "fork":
            self.close()  # its arguments are for workers that start with this memory
            return
        try:
            # held while they start: a worker never sees Ctrl+C (see _worker_start)
            with _signals_held():
                for w in range(self.jobs):
                    reader, writer = context.Pipe(duplex=False)
                    _widened(reader)
                    try:
                        process = context.Process(
                            target=_stream_worker,
                            args=(self.produce, self.args[w :: self.jobs], writer, self.ahead),
                            daemon=True,
                        )
                        process.start()
                    except BaseException:
                        reader.close()
                        raise
                    finally:
                        writer.close()  # the worker's own end: its death is this end's EOF
                    self.workers.append((process, reader))
        except (OSError, ValueError, NotImplementedError):
            self.close()  # no process could be started (a process limit, a sandbox)

    def chunks(self, index: int) -> Iterator[C]:
        """The chunks of stream *index*; raises, after the chunks before it, what *produce*
        raised."""
        taken = 0
        if not self.broken:
            w = index % self.jobs
            conn = self.workers[w][1]
            message = self._receive(conn, w, index)
            while message is not None and message[0] == _CHUNK:
                taken += 1
                yield message[1]
                message = self._receive(conn, w, index)
            if message is not None:
                self.next[w] = index + self.jobs
                if message[0] == _END:
                    return
                if message[0] == _ERROR:
                    raise message[1]
        # no worker, a dead one, or a failure that did not pickle: made here
        yield from itertools.islice(self.produce(self.args[index]), taken, None)

    def close(self) -> None:
        """Stop the workers (at once: whatever they were making is not needed)."""
        self.broken = True
        for process, conn in self.workers:
            if process.is_alive():
                process.terminate()
            conn.close()
        for process, _conn in self.workers:
            process.join(5)
            if process.is_alive():
                process.kill()
                process.join()
        self.workers = []

    def _receive(self, conn: Connection, worker: int, index: int) -> Any:
        """The next message of stream *index* from *worker*'s pipe (the ends of streams
        before it that were not taken whole skipped); None when the worker is gone."""
        try:
            while True:
                message = conn.recv()
                if self.next[worker] == index:
                    return message
                if message[0] != _CHUNK:  # the end of an earlier stream not used up
                    self.next[worker] += self.jobs
        except (EOFError, OSError, pickle.UnpicklingError):
            # killed (out of memory, say): this stream and every later one are made here
            self.close()
            return None


# Bytes a StreamPool's pipe holds where the system lets it be widened (Linux; 1 MiB is the
# most an unprivileged process may ask for by default): with the default 64 KiB, a chunk of
# a few hundred KB went through in a dozen turns of its worker writing and this process
# reading, each waking the other, and the report's two workers idled a third of the time.
_PIPE_BYTES = 1 << 20


def _widened(conn: Connection) -> None:
    """*conn*'s pipe widened to :data:`_PIPE_BYTES`, where the system allows; else as it is."""
    if sys.platform == "win32" or not hasattr(fcntl, "F_SETPIPE_SZ"):
        return
    with suppress(OSError):  # a smaller limit set by the administrator, say
        fcntl.fcntl(conn.fileno(), fcntl.F_SETPIPE_SZ, _PIPE_BYTES)


def _stream_worker(
    produce: Callable[[Any], Iterator[Any]], args: list[Any], conn: Connection, ahead: int
) -> None:
    """A worker of :class:`StreamPool`: each of *args*'s streams sent through *conn*, read
    ahead of what is taken by up to *ahead* bytes (see :class:`_Sender`)."""
    _worker_start()
    sender = _Sender(conn, ahead)
    try:
        for arg in args:
            try:
                for chunk in produce(arg):
                    sender.send((_CHUNK, chunk))
            except _Stopped:
                raise
            except Exception as exc:  # sent on: raised there, at its point of the streams
                sender.send(_failure(exc))
                continue
            sender.send((_END,))
    except _Stopped:
        pass  # this process stopped reading: nothing more to send
    finally:
        sender.close()


# What a stream's worker may have made and not yet sent: the files are taken in order, so
# without it the worker of the second file would wait, a chunk ahead, until the first is
# taken whole, and the files would be read one at a time. 96 MiB holds a 100,000-key file's
# units, pickled, with room to spare.
AHEAD_BYTES = 96 << 20


class _Stopped(Exception):
    """The other end stopped reading."""


class _Sender:
    """Messages pickled here and sent by a thread of their own, so that making them does not
    wait for this process's pipe to be read; up to *ahead* bytes wait to be sent."""

    def __init__(self, conn: Connection, ahead: int = AHEAD_BYTES) -> None:
        self.conn, self.ahead = conn, ahead
        self.waiting: deque[bytes] = deque()
        self.size = 0
        self.done = self.failed = False
        self.ready = threading.Condition()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def send(self, message: object) -> None:
        data = pickle.dumps(message, pickle.HIGHEST_PROTOCOL)
        with self.ready:
            while self.size > self.ahead and not self.failed:
                self.ready.wait()
            if self.failed:
                raise _Stopped
            self.waiting.append(data)
            self.size += len(data)
            self.ready.notify_all()

    def close(self) -> None:
        with self.ready:
            self.done = True
            self.ready.notify_all()
        self.thread.join()
        self.conn.close()

    def _run(self) -> None:
        while True:
            with self.ready:
                while not self.waiting and not self.done:
                    self.ready.wait()
                if not self.waiting:
                    return
                data = self.waiting.popleft()
            try:
                self.conn.send_bytes(data)
            except OSError:
                with self.ready:
                    self.failed = True
                    self.waiting.clear()
                    self.ready.notify_all()
                return
            with self.ready:
                self.size -= len(data)
                self.ready.notify_all()


def _failure(exc: Exception) -> tuple[str] | tuple[str, Exception]:
    """The message for an exception: itself if it comes through pickling whole, else a redo."""
    try:
        pickle.loads(pickle.dumps(exc))  # noqa: S301 - its own bytes, just made
    except Exception:
        return (_REDO,)
    return (_ERROR, exc)
