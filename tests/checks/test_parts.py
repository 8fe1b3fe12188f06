"""A large CSV table checked in parts, each read and checked by a worker process: the same
report, errors and exit codes as one process reading the whole file."""

from __future__ import annotations

import dataclasses
import io
import itertools
import json
import multiprocessing
import os
import pickle
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import REPO
from tests.support.checks import DEFECTS, SOUND, csv_text, planted_config, write_planted
from tests.support.pools import forked_stream_pools
from wixloc import workers
from wixloc.checks import CheckConfig, Finding, Report, Severity, check_files, consistency, engine
from wixloc.checks.documents import load_document
from wixloc.checks.report import Findings, Packed, Related
from wixloc.checks.reporters import FORMATS, render, text
from wixloc.checks.rules import RULES
from wixloc.cli import cli
from wixloc.errors import InputError
from wixloc.formats import csv_ranges, load_table
from wixloc.model import Key

COPIES = 12  # the planted rows this many times: about 24 KB


def _rows(copies: int = COPIES) -> list[list[str]]:
    """The planted rows again and again, each copy's keys its own; the last row repeats the
    first copy's first key (a duplicate found by a later part)."""
    rows = []
    for n in range(copies):
        for row in SOUND + DEFECTS:
            rows.append([row[0], f"{row[1]}-{n}" if n else row[1], *row[2:]])
    rows.append(rows[0])
    return rows


def _write(folder: Path, text: str, name: str = "content.csv") -> Path:
    path = folder / name
    path.write_bytes(text.encode("utf-8"))
    return path


@pytest.fixture
def cut_small(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Parts of a few KB; counts the tables checked in parts."""
    monkeypatch.setattr(engine, "_PART_MIN", 2048)
    calls: list[int] = []
    original = engine._check_parts

    def counted(*args: object) -> dict[Key, int | None]:
        calls.append(1)
        return original(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "_check_parts", counted)
    return calls


def _both(path: Path, config: CheckConfig, against: Path | None = None) -> tuple[Report, Report]:
    one = check_files([path], config, against=against)
    config.jobs = 2
    return one, check_files([path], config, against=against)


def _entries(path: Path) -> list[tuple[object, ...]]:
    table = load_table(path, allow_duplicates=True)
    return [(e.key, e.texts, e.meta, e.line) for e in table.entries]


@pytest.mark.parametrize("ending", ["\n", "\r\n"])
@pytest.mark.parametrize("bom", [False, True])
@pytest.mark.parametrize("size", [1, 300, 5000])
def test_the_parts_are_whole_records_with_their_lines(
    tmp_path: Path, ending: str, bom: bool, size: int
) -> None:
    """Cut after every record (size 1) or every few: cells with line breaks and quotes are
    never cut, and the parts read one by one give the entries and lines of one reading."""
    text = csv_text(_rows(3)).replace("\n", ending)
    path = _write(tmp_path, ("\ufeff" if bom else "") + text)
    table = load_document(path).table
    assert table is not None and csv_ranges.readable(table)
    parts = csv_ranges.cut(path, size)
    assert parts is not None and len(parts) > 1
    assert parts[0].start == len(text.split(ending)[0].encode()) + len(ending) + 3 * bom
    assert all(a.end == b.start for a, b in itertools.pairwise(parts))
    assert parts[-1].end == path.stat().st_size
    read = [(e.key, e.texts, e.meta, e.line) for p in parts for e in csv_ranges.read_part(table, p)]
    assert read == _entries(path)


# Line breaks to str.splitlines that are plain characters to the csv module and StringIO
_OTHER_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


@pytest.mark.parametrize("other", list(_OTHER_BREAKS))
def test_a_cell_with_a_line_break_only_splitlines_knows_is_read_whole_in_parts(
    tmp_path: Path, other: str
) -> None:
    """A cell holding a form feed, U+2028... (quoted or not) is one cell in parts as in one
    reading, at the start, the middle and the end of a part."""
    rows = _rows(3)
    for n, row in enumerate(rows[:-1]):
        row[3] = (other + row[3], row[3] + other + "x", row[3] + other)[n % 3]
    path = _write(tmp_path, csv_text(rows))
    table = load_document(path).table
    assert table is not None
    for size in (1, 700):
        parts = csv_ranges.cut(path, size)
        assert parts is not None and len(parts) > 1
        read = [
            (e.key, e.texts, e.meta, e.line) for p in parts for e in csv_ranges.read_part(table, p)
        ]
        assert read == _entries(path)


@given(st.lists(st.sampled_from(["a", ",", '"', "\n", "\r\n", "é", "\U0001f600", *_OTHER_BREAKS])))
def test_a_parts_lines_are_those_stringio_gives(pieces: list[str]) -> None:
    """A part (no lone CR) is fed to the csv reader in the lines io.StringIO(newline="") gives;
    as a plain list unless a line break only splitlines knows would split one of them."""
    text = "".join(pieces)
    lines = csv_ranges._lines(text)
    assert list(lines) == list(io.StringIO(text, newline=""))
    if not any(c in text for c in _OTHER_BREAKS) and text:
        assert isinstance(lines, list)


def test_a_lone_cr_or_a_blank_first_line_is_not_cut(tmp_path: Path) -> None:
    """A lone CR is a line break to the csv module that a count of LFs misses."""
    text = csv_text(_rows(2))
    assert csv_ranges.cut(_write(tmp_path, text.replace("Hallo", "Hal\rlo", 1)), 100) is None
    assert csv_ranges.cut(_write(tmp_path, "\n" + text), 100) is None
    assert csv_ranges.cut(_write(tmp_path, text), 100) is not None


def _tapered_whole(parts: list[csv_ranges.Part], jobs: int) -> list[csv_ranges.Part]:
    """The tapering of a list of every part: the last 2 per job as they are, the others
    joined 4 at a time from the first."""
    head, last = parts[: -2 * jobs], parts[-2 * jobs :]
    runs = [head[i : i + engine._TAPER] for i in range(0, len(head), engine._TAPER)]
    return [csv_ranges.Part(r[0].start, r[-1].end, r[0].line) for r in runs] + last


@given(st.integers(0, 40), st.integers(1, 4))
def test_parts_tapered_as_they_are_cut_are_those_of_the_whole_list(count: int, jobs: int) -> None:
    parts = [csv_ranges.Part(10 * n, 10 * n + 10, n + 2) for n in range(count)]
    assert list(engine._tapered(iter(parts), jobs)) == _tapered_whole(parts, jobs)


def test_the_first_parts_are_checked_while_the_rest_is_cut(
    tmp_path: Path, cut_small: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _write(tmp_path, csv_text(_rows()))
    events: list[str] = []
    cutting = csv_ranges.parts

    def parts(*args: object) -> Iterator[csv_ranges.Part]:
        for part in cutting(*args):  # type: ignore[arg-type]
            events.append("cut")
            yield part

    put = workers.BatchPool.put

    def counted(self: workers.BatchPool[Any, Any, Any, Any], *args: Any) -> Iterator[Any]:
        if isinstance(args[0], csv_ranges.Part):
            events.append("put")
        return put(self, *args)

    monkeypatch.setattr(csv_ranges, "parts", parts)
    monkeypatch.setattr(workers.BatchPool, "put", counted)
    several = check_files([path], CheckConfig(jobs=2))
    assert cut_small == [1]
    assert events.index("put") < len(events) - 1 - events[::-1].index("cut")  # before the last
    assert render(several, "text") == render(check_files([path], CheckConfig(jobs=1)), "text")


def test_a_lone_cr_found_late_in_the_cut_reads_the_table_whole(
    tmp_path: Path, cut_small: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Parts already handed over are dropped: the report is that of one reading (a lone CR
    is a line break to the csv module, which the parts would not have counted)."""
    rows = _rows()
    rows[-3][5] = "Hello,\rthere"  # quoted (the comma): one cell to the csv module
    path = _write(tmp_path, csv_text(rows))
    monkeypatch.setattr(csv_ranges, "_CHUNK", 1024)  # the CR is in a late chunk
    put, handed = workers.BatchPool.put, []

    def counted(self: workers.BatchPool[Any, Any, Any, Any], *args: Any) -> Iterator[Any]:
        handed.append(isinstance(args[0], csv_ranges.Part))
        return put(self, *args)

    monkeypatch.setattr(workers.BatchPool, "put", counted)
    one, several = _both(path, CheckConfig(jobs=1))
    assert cut_small == [1] and handed.count(True) >= 2
    assert render(several, "text") == render(one, "text")
    assert several.findings


def test_the_report_in_parts_is_one_process_report(tmp_path: Path, cut_small: list[int]) -> None:
    """Every rule's planted defect twelve times over (a duplicate key in a later part, the
    consistency rules across parts, a reference file, a state, a termbase), in every format."""
    _, reference = write_planted(tmp_path)
    path = _write(tmp_path, csv_text(_rows()))
    one, several = _both(path, planted_config(tmp_path, jobs=1, enable=[]), reference)
    assert cut_small == [1]  # only the second check was in parts
    for fmt in FORMATS:
        assert render(several, fmt) == render(one, fmt)
    codes = {f.code for f in one.findings}
    assert {"duplicate-key", "inconsistent-translation", "missing-key"} <= codes


def _ricos(text: str) -> str:
    paragraph = {"type": "TEXT", "id": "", "nodes": [], "textData": {"text": text}}
    return json.dumps({"nodes": [{"type": "PARAGRAPH", "id": "p1", "nodes": [paragraph]}]})


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("Bell\x07", "control-character"),
        ("C1\x85", "control-character"),
        ("Del\x7f", "control-character"),
        (_ricos("Bell\x07"), "control-character"),  # \u0007 in the JSON
        (_ricos("Form\x0c"), "control-character"),  # \f
        (_ricos("C1\x9f").replace("u009f", "u009F"), "control-character"),
        # beyond U+FFFF: the part's batches are not searched by the narrow gates
        ("\U0001f600Mot mot", "repeated-word"),  # the emoji is the non-word character before
        (_ricos("\U0001f600Mot mot"), "repeated-word"),  # \ud83d\ude00 in the JSON
        ("Prix \U0001d7d3", "number-mismatch"),  # a mathematical digit 5
    ],
)
def test_what_a_parts_bytes_may_hold_is_found_as_in_one_process(
    tmp_path: Path, cut_small: list[int], cell: str, code: str
) -> None:
    """A part whose bytes hold no control character is not searched for one, and one with no
    character beyond U+FFFF is searched by the narrow gates; a control character written as
    it is or as the JSON escape of a Ricos cell, and a repeated word or a digit a character
    beyond U+FFFF makes, are found all the same, in their language."""
    rows = [[r[0], f"{r[1]}-{n}", *r[2:]] for n in range(COPIES * 3) for r in SOUND]
    row = rows[len(rows) // 2]  # in a later part
    row[6] = cell
    if cell.startswith("{"):
        row[4] = _ricos("Klingel")  # the source a Ricos document too: its segments are read
    path = _write(tmp_path, csv_text(rows))
    one, several = _both(path, CheckConfig(jobs=1))
    assert cut_small == [1]
    assert render(several, "text") == render(one, "text")
    found = [(f.language, f.code) for f in several.findings if f.code == code]
    assert found == [("fr", code)]


def test_the_command_in_parts_prints_and_exits_as_one_process(
    tmp_path: Path, cut_small: list[int]
) -> None:
    path = _write(tmp_path, csv_text(_rows()))
    runner = CliRunner()
    one = runner.invoke(cli, ["check", str(path), "--jobs", "1"])
    several = runner.invoke(cli, ["check", str(path), "--jobs", "2"])
    assert cut_small == [1]
    assert (several.exit_code, several.stdout, several.stderr) == (
        one.exit_code,
        one.stdout,
        one.stderr,
    )
    assert one.exit_code == 1


def _error(path: Path, jobs: int) -> str:
    with pytest.raises(InputError) as caught:
        check_files([path], CheckConfig(jobs=jobs))
    return str(caught.value)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        # a row with a cell too many, in the last part
        (lambda t: t[:-1] + ",extra\n", "too many cells: the row has 10"),
        # a quote never closed, in the last part
        (lambda t: t + 'Products,p-x,title,,"Hallo\n', "a quoted cell is never closed"),
    ],
)
def test_an_error_in_a_later_part_is_one_reading_error(
    tmp_path: Path, cut_small: list[int], change: object, expected: str
) -> None:
    assert callable(change)
    path = _write(tmp_path, change(csv_text(_rows())))
    message = _error(path, 1)
    assert expected in message and f"{path}:" in message
    line = int(message.split(f"{path}:")[1].split(":")[0])
    assert line > 100  # a global line, not one counted from the part's start
    assert _error(path, 2) == message
    assert cut_small == [1]


def test_a_bad_byte_in_a_later_part_is_one_reading_error(
    tmp_path: Path, cut_small: list[int]
) -> None:
    path = tmp_path / "content.csv"
    path.write_bytes(csv_text(_rows()).encode("utf-8") + b"Products,p-x,title,,\xff,,,,\n")
    message = _error(path, 1)
    line = path.read_bytes().count(b"\n")  # the last line's
    assert message == (
        f"{path}:{line}: is neither UTF-8 (byte 0xFF) nor Windows-1252 (re-save it as UTF-8,"
        " or pass --encoding with the encoding it was saved in)"
    )
    assert _error(path, 2) == message
    assert cut_small == [1]  # not decoded whole first: the parts were read, then the file


def test_a_bare_quote_that_misleads_the_cut_gives_one_reading_report(
    tmp_path: Path, cut_small: list[int]
) -> None:
    """Not RFC 4180: a quote inside an unquoted cell, which the csv module keeps as a plain
    character, turns the count of quotes after it; the parts then end inside quoted cells,
    and the file is read whole instead."""
    rows = _rows()
    rows[3][5] = "5 inch screen"
    text = csv_text(rows).replace("5 inch screen", '5" screen', 1)
    path = _write(tmp_path, text)
    assert '5" screen' in load_table(path, allow_duplicates=True).entries[3].texts.values()
    one, several = _both(path, CheckConfig(jobs=1))
    assert render(several, "json") == render(one, "json")


def _die_in_a_worker(
    job: engine._Job, part: csv_ranges.Part, earlier: Mapping[Key, int | None] | None = None
) -> engine._Checked:
    if multiprocessing.parent_process() is not None:
        os._exit(1)  # a worker killed mid-part, as by the kernel's out-of-memory killer
    return _check_part(job, part, earlier)


_check_part = engine._check_part


def test_a_killed_worker_leaves_its_part_to_this_process(
    tmp_path: Path, cut_small: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _write(tmp_path, csv_text(_rows()))
    one = check_files([path], CheckConfig(jobs=1))
    monkeypatch.setattr(engine, "_check_part", _die_in_a_worker)
    several = check_files([path], CheckConfig(jobs=2))
    assert render(several, "text") == render(one, "text")
    assert cut_small == [1]


def test_a_small_table_or_one_job_is_not_cut(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Below two parts' worth of bytes the table is read here, as before (and a table of one
    batch starts no process: see test_workers)."""
    calls: list[int] = []
    monkeypatch.setattr(engine, "_check_parts", lambda *args: calls.append(1))
    path = _write(tmp_path, csv_text(_rows()))
    check_files([path], CheckConfig(jobs=2))
    monkeypatch.setattr(engine, "_PART_MIN", 2048)
    check_files([path], CheckConfig(jobs=1))
    assert calls == []


def test_ctrl_c_while_the_parts_are_checked_is_one_line(
    tmp_path: Path, cut_small: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(self: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(workers.BatchPool, "_oldest", interrupted)
    path = _write(tmp_path, csv_text(_rows()))
    result = CliRunner().invoke(cli, ["check", str(path), "--jobs", "2"])
    assert (result.exit_code, result.stdout, result.stderr) == (130, "", "wixloc: interrupted\n")


def test_a_finding_is_sent_between_processes_whole() -> None:
    """Finding.__reduce__ names every field, in order."""
    finding = Finding(
        "inconsistent-translation",
        Severity.ERROR,
        "content.csv",
        7,
        "Products/p-1/title",
        "de",
        "the same source is translated in 2 ways",
        "Hello",
        "Hallo",
        1,
        6,
        "source",
        (Related("Products/p-2/title", 9, "Servus"),),
    )
    assert [f.name for f in dataclasses.fields(Finding)] == list(Finding.__match_args__)
    assert pickle.loads(pickle.dumps(finding)) == finding  # noqa: S301 - made just above
    fields = tuple(getattr(finding, f.name) for f in dataclasses.fields(Finding))
    assert finding.__reduce__() == (Finding, fields)
    assert hash(pickle.loads(pickle.dumps(finding))) == hash(finding)  # noqa: S301


def test_the_parts_findings_are_held_packed_and_read_as_one_process(
    tmp_path: Path, cut_small: list[int]
) -> None:
    """A part's findings stay pickled and compressed until a report reads them; read whole,
    by language or by index, they are the one-process findings, in the same order."""
    _, reference = write_planted(tmp_path)
    path = _write(tmp_path, csv_text(_rows()))
    one, several = _both(path, planted_config(tmp_path, jobs=1, enable=[]), reference)
    packed = several.view()
    assert len(packed.packed) > 1 and one.view().packed == []
    assert packed.loose  # consistency, missing keys: made here, merged among the parts'
    assert list(several.findings) == list(one.findings)
    assert several.findings == one.findings and len(several.findings) == len(one.findings)
    assert several.findings[3] == one.findings[3]
    assert several.findings[-2:] == list(one.findings)[-2:]
    assert (several.errors, several.warnings) == (one.errors, one.warnings)
    languages = one.view().languages()
    assert list(packed.languages().items()) == list(languages.items()) and len(languages) > 2
    for lang in languages:
        assert list(packed.of_language(lang)) == [f for f in one.findings if f.language == lang]
        pieces = [list(packed.of_piece(lang, i)) for i in range(packed.pieces(lang))]
        assert [f for piece in pieces for f in piece] == list(packed.of_language(lang))


def _finding(line: int | None, code: str, lang: str) -> Finding:
    return Finding(code, Severity.ERROR, "f.csv", line, f"k{line}", lang, "m")


@pytest.fixture
def render_spread(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The text report rendered in forked workers however few its findings; the list gets
    the number of workers each time a StreamPool starts them."""
    monkeypatch.setattr(text, "_SPREAD", 0)
    return forked_stream_pools(monkeypatch)


def _parted(tmp_path: Path) -> tuple[Report, Report]:
    _, reference = write_planted(tmp_path)
    path = _write(tmp_path, csv_text(_rows()))
    one, several = _both(path, planted_config(tmp_path, jobs=1, enable=[]), reference)
    assert len(several.view().packed) > 1
    return one, several


def test_the_text_report_rendered_by_workers_is_the_one_rendered_here(
    tmp_path: Path, cut_small: list[int], render_spread: list[int]
) -> None:
    one, several = _parted(tmp_path)
    expected = render(one, "text").encode("utf-8")
    assert b"".join(text.encoded(several, jobs=2)) == expected
    assert render_spread == [2]  # the pieces went to two workers
    assert b"".join(text.encoded(several, jobs=1)) == expected  # no worker
    assert render_spread == [2]


def _die_rendering(asked: tuple[Findings, str, int, str]) -> Iterator[bytes]:
    if multiprocessing.parent_process() is not None:
        os._exit(1)  # killed while it renders a piece
    yield from _RENDERED(asked)


_RENDERED = text._rendered


def test_a_worker_killed_rendering_leaves_its_pieces_to_this_process(
    tmp_path: Path, cut_small: list[int], render_spread: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    one, several = _parted(tmp_path)
    monkeypatch.setattr(text, "_rendered", _die_rendering)
    assert b"".join(text.encoded(several, jobs=2)) == render(one, "text").encode("utf-8")
    assert render_spread == [2]


def test_check_writes_the_workers_rendering_to_stdout_and_to_a_file(
    tmp_path: Path, cut_small: list[int], render_spread: list[int]
) -> None:
    path = _write(tmp_path, csv_text(_rows()))
    expected = render(check_files([path], CheckConfig(jobs=1)), "text")
    shown = CliRunner().invoke(cli, ["check", str(path), "--jobs", "2"])
    assert (shown.exit_code, shown.output) == (1, expected)
    out = tmp_path / "report.txt"
    written = CliRunner().invoke(cli, ["check", str(path), "--jobs", "2", "--output", str(out)])
    assert written.exit_code == 1 and out.read_text(encoding="utf-8") == expected
    assert render_spread == [2, 2]


def test_the_parts_translations_are_spooled_and_removed_after_the_check(
    tmp_path: Path, cut_small: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The translations the parts note for consistency go to files in a temporary folder,
    which is gone once the check is over; where no folder can be made, they are kept
    compressed, and the findings are the same."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    written: list[str] = []
    spooled = consistency._spooled

    def counted(data: bytes, spool: str) -> str | None:
        path = spooled(data, spool)
        written.extend([path] if path is not None else [])
        return path

    monkeypatch.setattr(consistency, "_spooled", counted)
    one, several = _parted(tmp_path)
    assert several.findings == one.findings
    assert {f.code for f in one.findings} >= {"inconsistent-translation", "inconsistent-source"}
    assert len(written) > 1 and all(Path(p).parent.parent == temporary for p in written)
    assert list(temporary.iterdir()) == []  # removed, with every file in it
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "not-there"))
    written.clear()
    _, again = _parted(tmp_path)
    assert again.findings == one.findings and written == []


def test_a_temporary_file_gone_before_the_end_is_one_line_of_error(
    tmp_path: Path, cut_small: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A spooled file removed meanwhile (a cleaner of the temporary folder, say)."""
    spooled = consistency._spooled

    def gone(data: bytes, spool: str) -> str | None:
        path = spooled(data, spool)
        if path is not None:
            os.unlink(path)
        return path

    monkeypatch.setattr(consistency, "_spooled", gone)
    path = _write(tmp_path, csv_text(_rows()))
    result = CliRunner().invoke(cli, ["check", str(path), "--jobs", "2"])
    assert result.exit_code == 2 and result.stdout == ""
    start, end = (
        "wixloc: error: a temporary file of this check could not be read: ",
        (": No such file or directory (run 'wixloc check' again)\n"),
    )
    assert result.stderr.startswith(start) and result.stderr.endswith(end)
    assert result.stderr.count("\n") == 1


@pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM is not a signal to catch there")
def test_sigterm_stops_a_check_as_ctrl_c_does_and_removes_its_temporary_folder(
    tmp_path: Path,
) -> None:
    """A CI job cancelled: the check says it was interrupted, and its spool is gone."""
    path = _write(tmp_path, csv_text(_rows(3000)))  # 6 MB: parts, a second or more of them
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "TMPDIR": str(temporary)}
    args = [sys.executable, "-m", "wixloc", "check", str(path), "--jobs", "2"]
    with subprocess.Popen(
        args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:
        deadline = time.monotonic() + 60
        while not any(temporary.iterdir()) and time.monotonic() < deadline:
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            time.sleep(0.005)
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=60)
    assert (process.returncode, err, out) == (130, "wixloc: interrupted\n", "")
    assert list(temporary.iterdir()) == []


def test_a_file_named_twice_is_checked_once(tmp_path: Path, cut_small: list[int]) -> None:
    """Checked twice, its findings were listed twice, in an order that depended on --jobs."""
    path = _write(tmp_path, csv_text(_rows()))
    once = check_files([path], CheckConfig(jobs=2))
    for again in ([path, path], [path, tmp_path / "." / path.name]):
        twice = check_files(again, CheckConfig(jobs=2))
        assert twice.files == once.files
        assert render(twice, "text") == render(once, "text")


def test_parts_out_of_report_order_are_read_as_one_piece() -> None:
    order = {code: i for i, code in enumerate(RULES)}

    def key(f: Finding) -> tuple[int, int, int, str]:
        return 0, f.line if f.line is not None else 1 << 62, order[f.code], f.language

    early, late = Packed([_finding(2, _CODES[0], "de")]), Packed([_finding(9, _CODES[0], "de")])
    found = Findings([_finding(5, _CODES[2], "de")], [late, early], key)
    assert found.pieces("de") == 1
    assert list(found.of_piece("de", 0)) == list(found.of_language("de"))
    assert len(list(found.of_piece("de", 0))) == 3


_CODES = ["missing-translation", "punctuation-mismatch", "inconsistent-translation"]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(  # per part: its findings, (line within the part, rule, language)
        st.lists(
            st.tuples(st.integers(0, 4), st.sampled_from(_CODES), st.sampled_from("ab")),
            max_size=6,
        ),
        max_size=4,
    ),
    st.lists(  # the loose ones: (line or None, rule, language), anywhere
        st.tuples(st.none() | st.integers(0, 25), st.sampled_from(_CODES), st.sampled_from("ab")),
        max_size=8,
    ),
)
def test_the_pieces_of_a_language_are_its_findings_in_order(
    parts: list[list[tuple[int, str, str]]], loose: list[tuple[int | None, str, str]]
) -> None:
    """Loose findings before, between, after and at the very line of the parts' own (the
    same line and rule: the loose one first, as heapq.merge puts it)."""
    order = {code: i for i, code in enumerate(RULES)}

    def key(f: Finding) -> tuple[int, int, int, str]:
        return 0, f.line if f.line is not None else 1 << 62, order[f.code], f.language

    packed = [
        Packed([_finding(5 * i + line + 1, code, lang) for line, code, lang in found])
        for i, found in enumerate(parts)
    ]
    made = sorted((_finding(line, code, lang) for line, code, lang in loose), key=key)
    found = Findings(made, packed, key)
    for lang in "ab":
        expected = list(found.of_language(lang))
        assert found.pieces(lang) == max(1, sum(1 for p in packed if lang in p.languages))
        pieces = [list(found.of_piece(lang, i)) for i in range(found.pieces(lang))]
        joined = [f for piece in pieces for f in piece]
        assert joined == expected
        # and a loose finding where a packed one is equal to it: at the same place
        assert _places(joined, made) == _places(expected, made)


def _places(found: list[Finding], loose: list[Finding]) -> list[int]:
    """Where in *found* the very objects of *loose* are (packed ones are made anew)."""
    ids = {id(f) for f in loose}
    return [i for i, f in enumerate(found) if id(f) in ids]


def test_loose_findings_go_between_the_packed_ones_in_report_order() -> None:
    """A whole-file rule's finding at a line inside a part comes among that part's findings;
    a language first found in a later part comes after those found earlier."""
    order = {code: i for i, code in enumerate(RULES)}

    def key(f: Finding) -> tuple[int, int, int, str]:
        return 0, f.line if f.line is not None else 1 << 62, order[f.code], f.language

    first = [_finding(3, "punctuation-mismatch", "de"), _finding(2, "missing-translation", "fr")]
    second = [_finding(9, "missing-translation", "de"), _finding(8, "control-character", "en")]
    loose = [
        _finding(1, "missing-language", ""),
        _finding(3, "inconsistent-translation", "de"),
        _finding(None, "missing-key", "fr"),
    ]
    found = Findings(loose, [Packed(first), Packed(second)], key)
    expected = sorted(loose + first + second, key=key)
    assert list(found) == expected and len(found) == 7
    assert [f.language for f in found.of_language("de")] == ["de"] * 3
    assert list(found.of_language("de")) == [f for f in expected if f.language == "de"]
    assert list(found.languages().items()) == [("", 1), ("fr", 2), ("de", 3), ("en", 1)]
    assert found.errors == 7
    with pytest.raises(ValueError, match="report order"):
        Findings([], [Packed(first)])
