"""Worker pools forced to fork, for the tests of what check does in them."""

from __future__ import annotations

import multiprocessing

import pytest

from wixloc import workers


def forked_stream_pools(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """StreamPools made to fork whatever this process would choose (skipped where there is
    no fork); the list gets the number of workers each time one starts them."""
    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("no fork on this system")
    monkeypatch.setattr(workers, "_context", lambda: multiprocessing.get_context("fork"))
    pools: list[int] = []
    start = workers.StreamPool.start

    def counted(self: workers.StreamPool[object, object]) -> None:
        start(self)
        pools.append(len(self.workers))

    monkeypatch.setattr(workers.StreamPool, "start", counted)
    return pools
