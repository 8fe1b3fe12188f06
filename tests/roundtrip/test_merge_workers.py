"""merge reading its translator files in worker processes (``--jobs``): the same table, report
and errors, in the same order, as reading them in one process; a killed worker, one that
cannot start and Ctrl+C."""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterable, Iterator
from multiprocessing.context import ForkProcess, SpawnProcess
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import ClassVar

import pytest
from click.testing import CliRunner

from tests.conftest import REPO
from tests.roundtrip.test_streamed import SAMPLE, _summary, _translated
from wixloc import errors
from wixloc.cli import cli
from wixloc.errors import InputError, MergeError
from wixloc.formats import get as get_format
from wixloc.formats import load_table, save_unit_files
from wixloc.model import Unit
from wixloc.roundtrip import files, ricos
from wixloc.roundtrip.files import merge_files, split_files
from wixloc.roundtrip.merge import MergePolicy, Stream
from wixloc.roundtrip.split import split
from wixloc.workers import StreamPool

POLICY = MergePolicy(include_fuzzy=True)


class _Recorded(StreamPool[tuple[str | Path, int], files.Chunk]):
    """The pool merge uses, keeping what it started (every instance in ``made``)."""

    made: ClassVar[list[_Recorded]] = []

    def start(self) -> None:
        super().start()
        self.started = len(self.workers)
        _Recorded.made.append(self)


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> list[_Recorded]:
    """Small chunks (several per file), and the pools merge makes."""
    monkeypatch.setattr(files, "CHUNK", 7)
    monkeypatch.setattr(files, "StreamPool", _Recorded)
    monkeypatch.setattr(_Recorded, "made", [])
    return _Recorded.made


def _both(tmp_path: Path, paths: list[Path], out: str = "m.csv") -> tuple[bytes, bytes]:
    """The table merged with one job and with two, and check the reports are the same."""
    one = merge_files(SAMPLE, paths, tmp_path / f"one.{out}", policy=POLICY)
    two = merge_files(SAMPLE, paths, tmp_path / f"two.{out}", policy=POLICY, jobs=2)
    assert _summary(two) == _summary(one)
    return (tmp_path / f"one.{out}").read_bytes(), (tmp_path / f"two.{out}").read_bytes()


@pytest.mark.parametrize("fmt", ["po", "xliff", "xlsx"])
@pytest.mark.parametrize("out", ["m.csv", "m.xlsx"])  # read in passes; merged in memory
def test_workers_merge_what_one_process_merges(
    tmp_path: Path, recorded: list[_Recorded], fmt: str, out: str
) -> None:
    paths = _translated(SAMPLE, tmp_path / "files", fmt, 3)
    one, two = _both(tmp_path, paths, out)
    if out.endswith(".xlsx"):  # a workbook's bytes hold the time it was written
        one, two = (
            repr(load_table(tmp_path / f"{n}.{out}").entries).encode() for n in ("one", "two")
        )
    assert one == two
    assert [pool.started for pool in recorded] == [2]  # the files were read in 2 workers
    assert not recorded[0].workers  # and the workers are gone


def test_a_workbook_of_several_sheets_among_other_files(
    tmp_path: Path, recorded: list[_Recorded]
) -> None:
    """Each sheet is a file for merge: their headers and units come from a worker in order,
    and a refused unit's cell is still found by reading the workbook again."""
    table = ricos.expand(load_table(SAMPLE))  # a rich text is one unit per segment
    sheets = [split(table, lang, only="all") for lang in ("de", "fr", "he")]
    for unit in sheets[1].units[30:]:
        unit.target = unit.source.upper()
    moved = sheets[1].units[40]
    assert moved.target
    moved.source += " (pasted)"  # its fingerprint is the old source's: refused, by its cell
    book = tmp_path / "book.xlsx"
    save_unit_files(sheets, book, get_format("xlsx"))
    po = _translated(SAMPLE, tmp_path / "po", "po", 2)
    paths = [po[0], book, po[1]]
    with pytest.raises(MergeError) as one:
        merge_files(SAMPLE, paths, tmp_path / "one.csv")
    with pytest.raises(MergeError) as two:
        merge_files(SAMPLE, paths, tmp_path / "two.csv", jobs=2)
    assert str(two.value) == str(one.value)
    assert str(one.value).startswith(f"{book} (fr), sheet 'fr', cell D42: unit ")
    whole = split_files(SAMPLE, "xlsx", out_dir=tmp_path / "whole", only="all", one_workbook=True)
    one_sheets, two_sheets = _both(tmp_path, [po[3], whole[0][0]])
    assert one_sheets == two_sheets
    assert all(pool.started == 2 for pool in recorded)


def _broken(path: Path, line: int) -> Path:
    """*path* with its *line*-th line replaced by one no PO reader accepts."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[line] = 'msgstr "never closed\n'
    path.write_text("".join(lines), encoding="utf-8")
    return path


def _errors(tmp_path: Path, paths: list[Path]) -> tuple[str, str]:
    found = []
    for jobs in (1, 2):
        with pytest.raises(errors.WixlocError) as caught:
            merge_files(SAMPLE, paths, tmp_path / f"{jobs}.csv", jobs=jobs)
        found.append(f"{type(caught.value).__name__}: {caught.value}")
        assert not (tmp_path / f"{jobs}.csv").exists()
    return found[0], found[1]


def test_the_first_files_error_wins_as_in_one_process(
    tmp_path: Path, recorded: list[_Recorded]
) -> None:
    """File 2 broken after many units, file 4 at its start: file 2's error, at its line."""
    paths = _translated(SAMPLE, tmp_path / "files", "po", 2)
    _broken(paths[1], 400)
    _broken(paths[3], 3)
    one, two = _errors(tmp_path, paths)
    assert two == one
    assert one.startswith(f"FormatError: {paths[1]}:401: ")


def test_a_units_refusal_before_a_read_error_comes_first(
    tmp_path: Path, recorded: list[_Recorded]
) -> None:
    """A key twice in file 2 and file 4 broken: merge refuses file 2's key though a worker
    read file 4 before, as in one process."""
    paths = _translated(SAMPLE, tmp_path / "files", "po", 2)
    text = paths[1].read_text(encoding="utf-8")
    entries = text.split("\n\n")
    paths[1].write_text("\n\n".join([*entries[:20], entries[5], *entries[20:]]), encoding="utf-8")
    _broken(paths[3], 500)
    one, two = _errors(tmp_path, paths)
    assert two == one
    assert one.startswith(f"MergeError: {paths[1]}: the key ") and "appears twice" in one


def test_a_missing_file_among_others_is_the_same_error(
    tmp_path: Path, recorded: list[_Recorded], runner: CliRunner
) -> None:
    paths = _translated(SAMPLE, tmp_path / "files", "po", 2)
    paths[2].unlink()
    one, two = _errors(tmp_path, paths)
    assert two == one
    results = [
        runner.invoke(cli, ["merge", str(SAMPLE), *map(str, paths), "-o", "x.csv", "-j", jobs])
        for jobs in ("1", "2")
    ]
    assert [r.exit_code for r in results] == [2, 2]
    assert results[1].stderr == results[0].stderr
    assert results[0].stderr.startswith("wixloc: error: ") and results[0].stderr.count("\n") == 1


def test_the_cli_prints_the_same_with_jobs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, runner: CliRunner
) -> None:
    monkeypatch.chdir(tmp_path)
    paths = [str(p) for p in _translated(SAMPLE, tmp_path / "files", "xliff", 2)]
    results = [
        runner.invoke(cli, ["merge", str(SAMPLE), *paths, "-o", "out.csv", "--jobs", jobs])
        for jobs in ("1", "3")
    ]
    assert [r.exit_code for r in results] == [0, 0]
    assert results[1].stdout == results[0].stdout and results[1].stderr == results[0].stderr
    assert "--jobs N" in runner.invoke(cli, ["merge", "--help"]).stdout


@pytest.mark.parametrize(
    "error",
    [
        errors.InputError("bad", file="a.po", line=3, location="cell B2", hint="fix it"),
        errors.FormatError("unknown kind", file=Path("b.xlf")),
        errors.LanguageError("no such language", hint="use de"),
        errors.MergeError("a key twice", hint="split again"),
        errors.UsageError("no"),
        errors.RemoteError("down", status=503, code="X", request_id="r-1"),
    ],
)
def test_errors_come_through_pickling_whole(error: errors.WixlocError) -> None:
    """What a worker sends back when a file cannot be read."""
    again = pickle.loads(pickle.dumps(error))  # noqa: S301 - bytes just made
    assert type(again) is type(error)
    assert str(again) == str(error) and again.exit_code == error.exit_code
    assert vars(again) == vars(error)


def test_a_killed_worker_leaves_its_files_to_this_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, recorded: list[_Recorded]
) -> None:
    """kill -9 of a worker half-way through its file: that file is read here from the start,
    the units already merged skipped, and every later file too."""
    paths = _translated(SAMPLE, tmp_path / "files", "po", 3)
    original = files._received

    def kill_after_some(path: Path, chunks: Iterator[files.Chunk]) -> Iterator[Stream]:
        for units, rest in original(path, chunks):  # type: ignore[misc]  # PO: no Locate
            yield units, _killing(rest) if path == paths[1] else rest

    def _killing(rest: Iterable[Unit]) -> Iterator[Unit]:
        for n, unit in enumerate(rest):
            if n == 1 and recorded[-1].workers:  # the second unit: worker 1 is mid-file
                process = recorded[-1].workers[1][0]
                assert process.pid is not None
                os.kill(process.pid, signal.SIGKILL)
                process.join()
            yield unit

    monkeypatch.setattr(files, "_received", kill_after_some)
    one, two = _both(tmp_path, paths)
    assert one == two
    assert recorded[0].broken and not recorded[0].workers


def test_no_process_to_start_reads_every_file_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, recorded: list[_Recorded]
) -> None:
    def refuse(self: SpawnProcess | ForkProcess) -> None:
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(SpawnProcess, "start", refuse)
    monkeypatch.setattr(ForkProcess, "start", refuse)
    paths = _translated(SAMPLE, tmp_path / "files", "xliff", 2)
    one, two = _both(tmp_path, paths)
    assert one == two
    assert [pool.started for pool in recorded] == [0]


def test_ctrl_c_stops_the_workers_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, recorded: list[_Recorded], runner: CliRunner
) -> None:
    paths = [str(p) for p in _translated(SAMPLE, tmp_path / "files", "po", 2)]
    processes: list[BaseProcess] = []

    def interrupted(*args: object, **kwargs: object) -> None:
        processes.extend(process for process, _conn in recorded[-1].workers)
        raise KeyboardInterrupt

    monkeypatch.setattr(files, "merge_cells", interrupted)
    result = runner.invoke(cli, ["merge", str(SAMPLE), *paths, "-o", str(tmp_path / "o.csv")])
    assert result.exit_code == 130
    assert result.stderr == "wixloc: interrupted\n"
    assert len(processes) == 2 and not any(process.is_alive() for process in processes)
    assert not (tmp_path / "o.csv").exists()


# --- the pool itself ---------------------------------------------------------------------------


def _numbers(arg: int) -> Iterator[list[int]]:
    for i in range(4):
        yield [arg, i]


def _die_in_a_worker(arg: int) -> Iterator[list[int]]:
    for i in range(4):
        if i == 2 and arg == 1 and multiprocessing.parent_process() is not None:
            os._exit(1)  # killed mid-stream, as by the kernel's out-of-memory killer
        yield [arg, i]


class _Unpicklable(Exception):
    def __init__(self, a: int, b: int) -> None:  # pickling calls it with one argument
        super().__init__(f"{a} and {b}")


def _fail(arg: int) -> Iterator[list[int]]:
    yield [arg, 0]
    if arg == 1:
        raise _Unpicklable(arg, 2)
    if arg == 2:
        raise InputError("broken", file=f"{arg}.po", line=9)
    yield [arg, 1]


def _slow(arg: int) -> Iterator[list[int]]:
    while True:
        time.sleep(0.05)
        yield [arg]


EXPECTED = [[arg, i] for arg in range(5) for i in range(4)]


def _all(pool: StreamPool[int, list[int]], count: int) -> list[list[int]]:
    return [chunk for index in range(count) for chunk in pool.chunks(index)]


def test_chunks_come_back_in_the_order_of_the_streams() -> None:
    with StreamPool(_numbers, range(5), jobs=2) as pool:
        assert len(pool.workers) == 2
        assert _all(pool, 5) == EXPECTED
    with StreamPool(_numbers, range(5), jobs=1) as pool:
        assert not pool.workers and _all(pool, 5) == EXPECTED


def test_a_stream_not_used_up_does_not_spill_into_the_next() -> None:
    with StreamPool(_numbers, range(5), jobs=2) as pool:
        assert next(pool.chunks(0)) == [0, 0]
        assert list(pool.chunks(2)) == [[2, i] for i in range(4)]  # worker 0's next stream
        assert list(pool.chunks(4)) == [[4, i] for i in range(4)]


def test_a_dead_worker_leaves_the_rest_to_this_process() -> None:
    with StreamPool(_die_in_a_worker, range(5), jobs=2) as pool:
        assert _all(pool, 5) == EXPECTED
        assert pool.broken and not pool.workers


def test_errors_are_raised_at_their_point_pickled_or_not() -> None:
    with StreamPool(_fail, range(4), jobs=2) as pool:
        assert list(pool.chunks(0)) == [[0, 0], [0, 1]]
        taken = []
        with pytest.raises(_Unpicklable, match="1 and 2"):  # made again here, where it fails
            for chunk in pool.chunks(1):
                taken.append(chunk)
        assert taken == [[1, 0]]
        taken = []
        with pytest.raises(InputError) as caught:
            for chunk in pool.chunks(2):
                taken.append(chunk)
        assert taken == [[2, 0]] and str(caught.value) == "2.po:9: broken"
        assert list(pool.chunks(3)) == [[3, 0], [3, 1]]
        assert not pool.broken


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="reads /proc")
def test_ctrl_c_at_the_terminal_reaches_no_worker(tmp_path: Path) -> None:
    """SIGINT to the whole process group (a terminal's Ctrl+C): the workers ignore it (no
    traceback of theirs), the main process stops them, and none is left running."""
    script = tmp_path / "main.py"
    script.write_text(
        textwrap.dedent(
            """\
            import sys
            from tests.roundtrip.test_merge_workers import _slow
            from wixloc.workers import StreamPool

            if __name__ == "__main__":
                try:
                    with StreamPool(_slow, range(3), jobs=2) as pool:
                        chunks = pool.chunks(0)
                        next(chunks)
                        print(*(p.pid for p, _ in pool.workers), flush=True)
                        for _chunk in chunks:
                            pass
                except KeyboardInterrupt:
                    print("interrupted", file=sys.stderr)
                    sys.exit(130)
            """
        )
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), str(REPO / "src")])}
    process = subprocess.Popen(
        [sys.executable, str(script)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    assert process.stdout is not None
    pids = [int(pid) for pid in process.stdout.readline().split()]
    os.killpg(process.pid, signal.SIGINT)
    _out, err = process.communicate(timeout=60)
    assert (process.returncode, err) == (130, "interrupted\n")
    assert len(pids) == 2 and not any(_running(pid) for pid in pids)


def _running(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status  # a zombie has stopped
