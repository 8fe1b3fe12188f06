"""The pair rules in worker processes: the same findings, in the same order, as in one process."""

from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.context
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.support.checks import EXPECTED, planted_config, write_planted
from tests.support.pools import forked_stream_pools
from wixloc import workers
from wixloc.checks import CheckConfig, Report, check_files, engine
from wixloc.checks.consistency import Inconsistent
from wixloc.checks.language_rules import LanguageRules
from wixloc.checks.reporters import render
from wixloc.workers import BatchPool, default_jobs

Pool = BatchPool[int, list[int], list[int], str]


def _square_all(offset: int, batch: list[int]) -> list[int]:
    return [offset + n * n for n in batch]


def _die_in_a_worker(offset: int, batch: list[int]) -> list[int]:
    if multiprocessing.parent_process() is not None:
        os._exit(1)  # a worker killed mid-batch, as by the kernel's out-of-memory killer
    return _square_all(offset, batch)


def _worker_state(offset: int, batch: list[int]) -> list[int]:
    """In a worker: [collector on, a worker, SIGTERM's default action, SIGTERM let through]."""
    in_worker = multiprocessing.parent_process() is not None
    default_term = signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
    held = signal.pthread_sigmask(signal.SIG_BLOCK, set())  # the mask, unchanged
    return [int(gc.isenabled()), int(in_worker), int(default_term), int(signal.SIGTERM not in held)]


def _collect(pool: Pool, batches: int) -> list[tuple[str, list[int]]]:
    got: list[tuple[str, list[int]]] = []
    for i in range(batches):
        got.extend(pool.put([i, i + 1], f"batch {i}"))
    got.extend(pool.finish())
    return got


EXPECTED_SQUARES = [(f"batch {i}", [100 + i * i, 100 + (i + 1) * (i + 1)]) for i in range(9)]


def test_results_come_back_in_the_order_the_batches_were_put() -> None:
    with Pool(_square_all, 100, jobs=2) as pool:
        assert _collect(pool, 9) == EXPECTED_SQUARES
        assert pool.executor is not None  # the batches after the first went to workers


def test_one_job_or_one_batch_starts_no_worker() -> None:
    with Pool(_square_all, 100, jobs=1) as pool:
        assert _collect(pool, 9) == EXPECTED_SQUARES
        assert pool.executor is None
    with Pool(_square_all, 100, jobs=4) as pool:
        assert list(pool.put([3], "only")) == [("only", [109])]
        assert list(pool.finish()) == []
        assert pool.executor is None


def test_without_first_here_even_the_first_batch_goes_to_a_worker() -> None:
    """For a caller that only gathers: its one batch is worked in a worker process."""
    with Pool(_die_in_a_worker, 100, jobs=2, first_here=False) as pool:
        assert _collect(pool, 1) == EXPECTED_SQUARES[:1]  # the worker died: done here
        assert pool.broken
    with Pool(_square_all, 100, jobs=2, first_here=False) as pool:
        assert _collect(pool, 3) == EXPECTED_SQUARES[:3]
        assert not pool.broken


def test_a_killed_worker_leaves_the_rest_to_this_process() -> None:
    with Pool(_die_in_a_worker, 100, jobs=2) as pool:
        assert _collect(pool, 9) == EXPECTED_SQUARES
        assert pool.broken and pool.executor is None


def _marked_slowly(folder: str, batch: list[int]) -> list[int]:
    """In a worker: wait, then leave a file in *folder* (as a part's spooled texts)."""
    time.sleep(1)
    Path(folder, f"late-{batch[0]}").write_text("x")
    return batch


def test_a_pool_left_by_an_error_stops_its_workers_at_once(tmp_path: Path) -> None:
    """Leaving the pool with an exception stops the workers working then: none goes on to
    write into a folder the caller removes next (a check's temporary folder)."""
    earlier = set(multiprocessing.active_children())  # other tests' still stopping
    marking = BatchPool[str, list[int], list[int], int]
    with (
        pytest.raises(KeyError),
        marking(_marked_slowly, str(tmp_path), jobs=2, first_here=False) as pool,
    ):
        for i in range(2):
            assert list(pool.put([i], i)) == []  # both in workers, working
        raise KeyError("stopped")
    assert set(multiprocessing.active_children()) <= earlier  # stopped, not left to finish
    time.sleep(1.2)
    assert list(tmp_path.iterdir()) == []


@pytest.fixture(params=["fork", "spawn"])
def started(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Workers started one way or the other, whatever this process would choose; the list
    gets the start method each time a pool starts its workers."""
    method: str = request.param
    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"no {method} on this system")
    pools: list[str] = []

    def context() -> multiprocessing.context.BaseContext:
        pools.append(method)
        return multiprocessing.get_context(method)

    monkeypatch.setattr(workers, "_context", context)
    return pools


def test_a_worker_runs_without_the_cyclic_collector(started: list[str]) -> None:
    """As the main process pauses it for a check (wixloc.gcpause), forked or spawned; and a
    SIGTERM handler of this process is not a forked worker's (close() stops workers with it)."""
    before = signal.signal(signal.SIGTERM, lambda signum, frame: None)
    try:
        with Pool(_worker_state, 0, jobs=2, first_here=False) as pool:
            assert _collect(pool, 3) == [(f"batch {i}", [0, 1, 1, 1]) for i in range(3)]
            assert not pool.broken
    finally:
        signal.signal(signal.SIGTERM, before)
    assert gc.isenabled()  # this process's collector is as it was
    assert len(started) == 1


def test_workers_are_forked_only_where_this_process_runs_one_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not workers._one_thread()
        assert workers._context().get_start_method() == "spawn"
    finally:
        stop.set()
        thread.join()
    monkeypatch.setattr(workers, "_one_thread", lambda: True)
    expected = "fork" if sys.platform == "linux" else "spawn"
    assert workers._context().get_start_method() == expected


def test_a_thread_just_joined_does_not_count(monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker pool shut down a moment ago leaves its thread in the system's count a little
    longer (18 times in 20, in a loop of pools measured): the next pool still forks. A thread
    Python runs is counted at once."""
    if sys.platform != "linux" or threading.active_count() > 1 or not workers._one_thread():
        pytest.skip("needs Linux and a process with one thread")
    listed = os.listdir
    leaving = [3]  # the system lists a joined thread three more times

    def tasks(path: str) -> list[str]:
        found = listed(path)
        if path == "/proc/self/task" and leaving[0] > 0:
            leaving[0] -= 1
            return [*found, "0"]
        return found

    monkeypatch.setattr(os, "listdir", tasks)
    assert workers._one_thread() and leaving == [0]
    leaving[0] = 10**6  # one that does not leave: given up after _SETTLE seconds
    assert not workers._one_thread()
    monkeypatch.setattr(os, "listdir", listed)
    for _ in range(4):
        with Pool(_square_all, 100, jobs=2) as pool:
            assert _collect(pool, 3) == EXPECTED_SQUARES[:3]
            assert pool.executor is not None
        assert workers._one_thread()
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        monkeypatch.setattr(workers, "_SETTLE", 60.0)  # not waited for: Python runs it
        assert not workers._one_thread()
    finally:
        stop.set()
        thread.join()


def test_forked_and_spawned_workers_give_the_same_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, started: list[str]
) -> None:
    table, reference = write_planted(tmp_path)
    one = _report([table], planted_config(tmp_path, jobs=1), reference)
    monkeypatch.setattr(engine, "_BATCH", 2)  # many batches: workers start
    several = _report([table], planted_config(tmp_path, jobs=2), reference)
    assert render(several, "text") == render(one, "text")
    assert started  # the batches went to workers started that way


def _report(paths: list[Path], config: CheckConfig, against: Path | None = None) -> Report:
    return check_files(paths, config, against=against)


@pytest.mark.parametrize("batch_size", [1, 2, 7])
def test_workers_give_the_planted_findings_exactly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch_size: int
) -> None:
    """Every rule's planted defect, with batches of 1, 2 and 7 pairs: the pairs of one
    batch are finished only when its hits are back, and their findings are those of one process."""
    table, reference = write_planted(tmp_path)
    one = _report([table], planted_config(tmp_path, jobs=1), reference)
    monkeypatch.setattr(engine, "_BATCH", batch_size)
    several = _report([table], planted_config(tmp_path, jobs=2), reference)
    assert [(f.code, f.key, f.language, f.line) for f in several.findings] == EXPECTED
    assert render(several, "json") == render(one, "json")
    assert render(several, "text") == render(one, "text")


def test_workers_check_rich_content_segments_as_one_process_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The sample's Ricos cells give several rows with one line: their findings keep their order."""
    sample = REPO / "samples" / "content.csv"
    languages = ["en", "de", "fr", "he"]
    one = _report([sample], CheckConfig(languages=languages, min_coverage=100, jobs=1))
    monkeypatch.setattr(engine, "_BATCH", 3)
    several = _report([sample], CheckConfig(languages=languages, min_coverage=100, jobs=2))
    assert render(several, "text") == render(one, "text")
    assert any("#" in f.key for f in one.findings)  # segment findings are among them


@pytest.fixture
def spread(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Consistency across a file found in forked workers however small the file; the list
    gets the number of workers each time a StreamPool starts them."""
    monkeypatch.setattr(engine, "_SPREAD_MIN", 0)
    return forked_stream_pools(monkeypatch)


def test_consistency_found_in_forked_workers_is_that_of_one_process(
    tmp_path: Path, spread: list[int]
) -> None:
    table, reference = write_planted(tmp_path)
    one = _report([table], planted_config(tmp_path, jobs=1), reference)
    several = _report([table], planted_config(tmp_path, jobs=2), reference)
    assert spread == [2]  # the languages went to two workers
    assert render(several, "text") == render(one, "text")
    assert render(several, "json") == render(one, "json")
    assert {"inconsistent-translation", "inconsistent-source"} <= {f.code for f in one.findings}


_FINISHED = engine._finished


def _die_finishing(
    asked: tuple[LanguageRules | None, frozenset[str]],
) -> Iterator[list[Inconsistent]]:
    if multiprocessing.parent_process() is not None:
        os._exit(1)  # killed while it finds a language's inconsistencies
    yield from _FINISHED(asked)


def test_a_worker_killed_finding_consistency_leaves_it_to_this_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spread: list[int]
) -> None:
    table, reference = write_planted(tmp_path)
    one = _report([table], planted_config(tmp_path, jobs=1), reference)
    monkeypatch.setattr(engine, "_finished", _die_finishing)
    several = _report([table], planted_config(tmp_path, jobs=2), reference)
    assert spread == [2]
    assert render(several, "text") == render(one, "text")


def test_no_process_to_start_leaves_every_batch_to_this_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A machine that refuses a new process (its process limit reached): the batches are
    worked here, in order, and nothing is raised."""

    def refuse(self: object, *args: object, **kwargs: object) -> None:
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(ProcessPoolExecutor, "submit", refuse)
    with Pool(_square_all, 100, jobs=2) as pool:
        assert _collect(pool, 9) == EXPECTED_SQUARES
        assert pool.broken and pool.executor is None


def test_the_default_is_the_usable_cores_but_never_more_than_four(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(64)), raising=False)
    assert default_jobs() == 4
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    assert default_jobs() == 2


def _made_by(args: tuple[int, object]) -> Iterator[tuple[int, bool]]:
    yield args[0], multiprocessing.parent_process() is not None


def test_a_fork_only_stream_pool_never_spawns(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where workers would be spawned, a fork-only pool starts none: its arguments (here one
    that does not pickle) never leave this process, and every stream is made here."""
    monkeypatch.setattr(workers, "_context", lambda: multiprocessing.get_context("spawn"))
    asked = [(n, lambda n=n: n) for n in range(3)]
    with workers.StreamPool(_made_by, asked, 2, fork_only=True) as pool:
        assert pool.workers == [] and pool.broken
        assert [list(pool.chunks(i)) for i in range(3)] == [[(n, False)] for n in range(3)]
    if "fork" in multiprocessing.get_all_start_methods():
        monkeypatch.setattr(workers, "_context", lambda: multiprocessing.get_context("fork"))
        with workers.StreamPool(_made_by, asked, 2, fork_only=True) as pool:
            assert len(pool.workers) == 2
            assert [list(pool.chunks(i)) for i in range(3)] == [[(n, True)] for n in range(3)]


def _big_chunks(size: int) -> Iterator[bytes]:
    for n in range(4):
        yield bytes([n]) * size


@pytest.mark.skipif(sys.platform != "linux", reason="F_SETPIPE_SZ is Linux's")
def test_a_stream_pools_pipes_hold_a_mib_and_chunks_larger_come_through_whole() -> None:
    """Each worker's pipe is widened to 1 MiB where the system lets a process ask for it (a
    chunk of a few hundred KB then goes through in one turn, not a dozen); chunks larger
    than the pipe still come through whole and in order."""
    import fcntl

    allowed = int(Path("/proc/sys/fs/pipe-max-size").read_text()) >= workers._PIPE_BYTES
    with workers.StreamPool(_big_chunks, [300_000, 3_000_000], 2) as pool:
        if not pool.workers:
            pytest.skip("no worker process could be started here")
        sizes = [fcntl.fcntl(conn.fileno(), fcntl.F_GETPIPE_SZ) for _, conn in pool.workers]
        if allowed or os.geteuid() == 0:  # root may pass the limit
            assert sizes == [workers._PIPE_BYTES] * 2
        got = [list(pool.chunks(i)) for i in range(2)]
    assert got == [[bytes([n]) * size for n in range(4)] for size in (300_000, 3_000_000)]
