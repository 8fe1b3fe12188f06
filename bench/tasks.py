"""The benchmark's tasks: for each, the wixloc command and the peer's commands on the same data.

Paths under the data folder (``Layout``)::

    table.csv               the Wix-style table (about 30% of translations missing)
    full.csv                the same table with every translation filled in
    peer/csv/<lang>.csv     location,source,target per target language (what csv2po reads)
    peer/po/<lang>.po       csv2po's output (pofilter and pocount read these)
    in/<fmt>/full.<lang>.*  translated files to merge: `wixloc split full.csv --only all`
    out/...                 everything the timed commands write
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["GOALS", "Cmd", "Goal", "Layout", "Task", "build_tasks", "csv2po", "preparations"]

BENCH = Path(__file__).resolve().parent
PYTHON_FLOOR = sys.executable  # the floor scripts need only openpyxl and python-calamine
PO_TESTS = ("printf", "pythonbraceformat", "variables", "xmltags", "urls", "untranslated")
EXTENSIONS = {"po": "po", "xliff": "xlf", "xliff2": "xlf", "xlsx": "xlsx"}


@dataclass(frozen=True)
class Cmd:
    """One process: its arguments, the exit codes that mean success, what to delete first."""

    argv: tuple[str, ...]
    ok: tuple[int, ...] = (0,)
    clean: tuple[Path, ...] = ()


@dataclass
class Task:
    name: str
    wixloc: list[Cmd]
    peer_name: str
    peer: list[Cmd]
    needs: list[str] = field(default_factory=list)  # names of preparations it reads


@dataclass(frozen=True)
class Goal:
    speed: float  # the peer's time over wixloc's must be at least this
    rss_fraction: float | None = None  # wixloc's peak RSS over the peer's must be at most this
    label: str = ""


GOALS = {
    "split-po": Goal(3),
    "split-xliff": Goal(7, 0.25),
    "merge-po": Goal(3),
    "merge-xliff": Goal(4),
    "check": Goal(8),
    "check-all": Goal(8, label="8x faster than pofilter (6 tests), every rule on"),
    "stats": Goal(5),
    "split-xlsx": Goal(1.5),
    "merge-xlsx": Goal(4),
    "merge-xlsx-calamine": Goal(1 / 1.5, label="within 1.5x of a raw python-calamine read"),
}


@dataclass
class Layout:
    root: Path
    languages: list[str]

    @property
    def targets(self) -> list[str]:
        return self.languages[1:]

    @property
    def table(self) -> Path:
        return self.root / "table.csv"

    @property
    def full(self) -> Path:
        return self.root / "full.csv"

    @property
    def terms(self) -> Path:
        return self.root / "terms.csv"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    def peer_csv(self, lang: str) -> Path:
        return self.root / "peer" / "csv" / f"{lang}.csv"

    def peer_po(self, lang: str) -> Path:
        return self.root / "peer" / "po" / f"{lang}.po"

    def translated(self, fmt: str, lang: str) -> Path:
        return self.root / "in" / fmt / f"full.{lang}.{EXTENSIONS[fmt]}"

    def out(self, *parts: str) -> Path:
        return self.root.joinpath("out", *parts)


def _tool(name: str, *args: str) -> tuple[str, ...]:
    """A translate-toolkit command; no progress bar, as a script would run it."""
    progress = ("--progress=none",) if name != "pocount" else ()
    return (str(BENCH / ".env" / "bin" / name), *progress, *args)


def _wixloc(python: str, *args: object) -> tuple[str, ...]:
    return (python, "-m", "wixloc", *(str(a) for a in args))


def _split(layout: Layout, python: str, fmt: str) -> Task:
    out = layout.out("wixloc", f"split-{fmt}")
    ours = Cmd(
        _wixloc(python, "split", layout.table, "--to", fmt, "--only", "all", "--out-dir", out),
        clean=(out,),
    )
    return Task(f"split-{fmt}", [ours], "", [])


def csv2po(layout: Layout, lang: str) -> Cmd:
    """csv2po on one language's CSV: the peer of split-po, and the first half of split-xliff's.

    Its output is byte for byte the ``peer/po`` file that the ``peer-po`` preparation makes
    (``csv2po -i`` on the folder), so a quick run copies it from here instead of converting twice.
    """
    out = layout.out("peer", "po", f"{lang}.po")
    return Cmd(_tool("csv2po", str(layout.peer_csv(lang)), str(out)), clean=(out,))


def _po2xliff(layout: Layout, lang: str) -> Cmd:
    src, out = layout.out("peer", "po", f"{lang}.po"), layout.out("peer", "xliff", f"{lang}.xlf")
    return Cmd(_tool("po2xliff", str(src), str(out)), clean=(out,))


def _merge(layout: Layout, python: str, fmt: str) -> Cmd:
    out = layout.out("wixloc", f"merge-{fmt}.csv")
    files = [layout.translated(fmt, lang) for lang in layout.targets]
    return Cmd(_wixloc(python, "merge", layout.table, *files, "-o", out), clean=(out,))


def _back_to_csv(layout: Layout, fmt: str, tool: str | None) -> list[Cmd]:
    """The peer of merging: (xliff2po then) po2csv for each translated file."""
    cmds = []
    for lang in layout.targets:
        po = layout.translated(fmt, lang)
        if tool is not None:
            src, po = po, layout.out("peer", f"merge-{fmt}", f"{lang}.po")
            cmds.append(Cmd(_tool(tool, str(src), str(po)), clean=(po,)))
        out = layout.out("peer", f"merge-{fmt}", f"{lang}.csv")
        cmds.append(Cmd(_tool("po2csv", str(po), str(out)), clean=(out,)))
    return cmds


def build_tasks(layout: Layout, python: str) -> list[Task]:
    langs = layout.targets
    split_po = _split(layout, python, "po")
    split_po.peer_name = f"csv2po x{len(langs)}"
    split_po.peer = [csv2po(layout, lang) for lang in langs]

    split_xliff = _split(layout, python, "xliff")
    split_xliff.peer_name = f"csv2po+po2xliff x{len(langs)}"
    split_xliff.peer = [
        c for lang in langs for c in (csv2po(layout, lang), _po2xliff(layout, lang))
    ]

    merge_po = Task("merge-po", [_merge(layout, python, "po")], f"po2csv x{len(langs)}", [])
    merge_po.peer = _back_to_csv(layout, "po", None)
    merge_po.needs = ["in-po"]

    merge_xliff = Task("merge-xliff", [_merge(layout, python, "xliff")], "", [])
    merge_xliff.peer_name = f"xliff2po+po2csv x{len(langs)}"
    merge_xliff.peer = _back_to_csv(layout, "xliff", "xliff2po")
    merge_xliff.needs = ["in-xliff"]

    checked = layout.out("peer", "pofilter")
    tests = [arg for t in PO_TESTS for arg in ("-t", t)]
    pofilter = _tool("pofilter", *tests, "-i", str(layout.peer_po(langs[0]).parent))
    check = Task(
        "check",
        [Cmd(_wixloc(python, "check", layout.table), ok=(0, 1))],
        "pofilter (6 tests)",
        [Cmd((*pofilter, "-o", str(checked)), clean=(checked,))],
        ["peer-po"],
    )
    # Every rule on: the optional spelling rule (German and French have real words and
    # dictionaries; the other languages' have none, one note each) and the termbase.
    everything = ("--enable", "spelling", "--terms", layout.terms)
    check_all = Task(
        "check-all",
        [Cmd(_wixloc(python, "check", layout.table, *everything), ok=(0, 1))],
        "pofilter (6 tests)",
        [Cmd((*pofilter, "-o", str(checked)), clean=(checked,))],
        ["peer-po"],
    )
    pocount = _tool("pocount", *(str(layout.peer_po(lang)) for lang in langs))
    stats = Task("stats", [Cmd(_wixloc(python, "stats", layout.table))], "pocount", [Cmd(pocount)])
    stats.needs = ["peer-po"]

    split_xlsx = _split(layout, python, "xlsx")
    floor_out = layout.out("floor", "xlsx")
    floor = (PYTHON_FLOOR, str(BENCH / "floor_xlsx.py"))
    split_xlsx.peer_name = "openpyxl write-only"
    split_xlsx.peer = [
        Cmd((*floor, "write", str(layout.table), str(floor_out), *langs), clean=(floor_out,))
    ]

    merge_xlsx = Task("merge-xlsx", [_merge(layout, python, "xlsx")], "openpyxl read-only", [])
    merged = layout.out("floor", "merged.csv")
    books = [str(layout.translated("xlsx", lang)) for lang in langs]
    merge_xlsx.peer = [
        Cmd((*floor, "read", str(layout.table), str(merged), *books), clean=(merged,))
    ]
    merge_xlsx.needs = ["in-xlsx"]

    # The second floor: the same merge against python-calamine. The wixloc process is the same
    # command as merge-xlsx's, so a round runs it once and counts it in both tasks.
    merge_calamine = Task(
        "merge-xlsx-calamine", [_merge(layout, python, "xlsx")], "python-calamine read", []
    )
    merged_calamine = layout.out("floor", "merged-calamine.csv")
    merge_calamine.peer = [
        Cmd(
            (*floor, "read-calamine", str(layout.table), str(merged_calamine), *books),
            clean=(merged_calamine,),
        )
    ]
    merge_calamine.needs = ["in-xlsx"]

    return [
        *(split_po, split_xliff, merge_po, merge_xliff, check, check_all, stats),
        *(split_xlsx, merge_xlsx, merge_calamine),
    ]


def preparations(tasks: list[Task], layout: Layout) -> Iterator[tuple[str, list[Path], Cmd]]:
    """(name, outputs, command) for each input the selected tasks need, in a working order."""
    needed = {need for task in tasks for need in task.needs}
    python = next((t.wixloc[0].argv[0] for t in tasks), sys.executable)
    if "peer-po" in needed:
        folder = layout.peer_po(layout.targets[0]).parent
        outputs = [layout.peer_po(lang) for lang in layout.targets]
        src = layout.peer_csv(layout.targets[0]).parent
        yield "peer-po", outputs, Cmd(_tool("csv2po", "-i", str(src), "-o", str(folder)))
    for fmt in ("po", "xliff", "xlsx"):
        if f"in-{fmt}" in needed:
            folder = layout.translated(fmt, layout.targets[0]).parent
            outputs = [layout.translated(fmt, lang) for lang in layout.targets]
            args = ("split", layout.full, "--to", fmt, "--only", "all", "--out-dir", folder)
            yield f"in-{fmt}", outputs, Cmd(_wixloc(python, *args))
