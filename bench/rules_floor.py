"""What check with every rule on costs without the work of its language rules, and with masking
only: the floor under the check-all task, whatever terminology and spelling are made to cost.

    python bench/rules_floor.py [--runs 3] [--data DIR] [--peer]

DIR holds the benchmark's data (``table.csv`` and ``terms.csv``, as ``python bench/run.py
--keep`` leaves them; default ``bench/data/k100000-l6``). The check-all command, ``wixloc check
table.csv --enable spelling --terms terms.csv``, is run three ways, each a whole process timed
by ``measure.py``, the three in turn in every round, after ``wixloc check table.csv`` (the
default rules alone, the benchmark's check task):

- ``none``: the language rules (terminology and spelling) read no pair; everything else is as
  shipped (the dictionaries and the termbase are loaded, consistency is noted, the report is
  written);
- ``mask``: they only mask each translation's markup, URLs, entities, e-mail addresses and
  placeholders (``text.mask_protected``), which an exact reading of the translation must do
  before it looks for terms or words;
- ``real``: as shipped.

It prints each way's median wall and CPU seconds; with ``--peer`` it times pofilter's six tests
on the same data in each round too (``bench/.env``, made by ``python bench/run.py --setup``), and
prints the ratio each way gives: the machine's speed changes from one hour to the next, so only
runs of the same hour are compared.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from run import Sample
    from tasks import Cmd

BENCH = Path(__file__).resolve().parent
MODES = ("none", "mask", "real")  # the ways of check-all; "check" is the default rules alone
Found = dict[int, list[tuple[str, str, int, int, str]]]  # LanguageRules.check_all's result


def _child(mode: str, argv: list[str]) -> None:
    """Run the CLI in this process with the language rules' batch reading replaced."""
    from wixloc.checks import language_rules
    from wixloc.checks import text as t
    from wixloc.cli import main

    def nothing(self: object, sources: object, targets: Sequence[str], seen: object) -> Found:
        return {}

    def mask_only(self: object, sources: object, targets: Sequence[str], seen: object) -> Found:
        for target in targets:
            t.mask_protected(target)
        return {}

    rules = language_rules.LanguageRules
    if mode == "none":
        setattr(rules, "check_all", nothing)  # noqa: B010 - replaced on purpose
    elif mode == "mask":
        setattr(rules, "check_all", mask_only)  # noqa: B010 - replaced on purpose
    sys.argv = ["wixloc", *argv]
    main()


def _commands(data: Path, peer: bool) -> dict[str, Cmd]:
    """The command of each way, and pofilter's from the benchmark's check task with *peer*."""
    import datagen
    from tasks import Cmd, Layout, build_tasks

    table, terms = str(data / "table.csv"), str(data / "terms.csv")
    check = ("check", table, "--enable", "spelling", "--terms", terms)
    me = (sys.executable, str(Path(__file__).resolve()), "--child")
    found = {"check": Cmd((*me, "real", *check[:2]), ok=(0, 1))}
    found.update({mode: Cmd((*me, mode, *check), ok=(0, 1)) for mode in MODES})
    if peer:
        layout = Layout(data, datagen.languages_for(6))
        if not layout.peer_po(layout.targets[0]).is_file():
            raise SystemExit(f"no PO files in {data / 'peer'}: run `python bench/run.py --keep`")
        task = next(t for t in build_tasks(layout, sys.executable) if t.name == "check")
        found["pofilter"] = task.peer[0]
    return found


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--child"]:
        _child(args[1], args[2:])
        return 0
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--runs", type=int, default=3, help="rounds of the three ways (3)")
    p.add_argument("--data", default=str(BENCH / "data" / "k100000-l6"), help="the data folder")
    p.add_argument("--peer", action="store_true", help="time pofilter (6 tests) too, each round")
    ns = p.parse_args(args)
    data = Path(ns.data)
    if not (data / "table.csv").is_file() or not (data / "terms.csv").is_file():
        raise SystemExit(f"no table.csv and terms.csv in {data}: run `python bench/run.py --keep`")
    from run import environment, run_once  # not in the timed processes: they import wixloc only

    commands = _commands(data, ns.peer)
    times: dict[str, list[Sample]] = {way: [] for way in commands}
    env = environment()
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(ns.runs):
            for way, cmd in commands.items():
                times[way].append(run_once(cmd, env, Path(folder)))
    peer = statistics.median(s.seconds for s in times.pop("pofilter", [])) if ns.peer else None
    print(f"{'way':<6}{'wall s':>9}{'cpu s':>9}" + ("   ratio to pofilter" if peer else ""))
    for way, samples in times.items():
        wall = statistics.median(s.seconds for s in samples)
        cpu = statistics.median(s.cpu for s in samples)
        ratio = f"{peer / wall:>10.2f}x" if peer else ""
        print(f"{way:<6}{wall:>9.2f}{cpu:>9.2f}{ratio}")
    if peer:
        print(f"pofilter {peer:.2f} s: 8x allows {peer / 8:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
