"""wixloc side by side with translate-toolkit (and the raw openpyxl and python-calamine floors).

    python bench/run.py                 # 100,000 keys x 6 languages, every task
    python bench/run.py --quick         # 20,000 keys, one round, side by side: a smoke run
    python bench/run.py --json --tasks split-xliff,check --keep
    python bench/run.py --scale 25000,50000,100000   # wixloc alone: how time grows with keys

Every task runs as whole processes: a warm-up, then 3 timed runs, wixloc and its peer taking
turns; the time is the median and the peak RSS the largest ``ru_maxrss`` of a process, each
measured on its own through ``bench/measure.py`` (see there why). A peer made of several processes (one
``csv2po`` per language, ``csv2po`` then ``po2xliff``) is timed as the sum of its processes and
measured as the largest of their peaks. A process both peers share (``csv2po`` for split-po and
split-xliff) is run once per round and counted in both. This full protocol runs one process
at a time.

``--quick`` is a smoke run: 20,000 keys, one round without warm-up, and up to ``--jobs``
processes side by side (default: the number of CPU cores): the preparations first, then the
tasks in order, a process starting as soon as the files it reads are made. Each process is still timed and measured on its own, but
processes side by side compete for the cores, memory bandwidth and caches (as does anything
else running on the machine), so its times and ratios only show that every task runs and
roughly how they compare; publish numbers from the full run.

wixloc runs as ``python -m wixloc`` with ``src`` on ``PYTHONPATH`` (``--python`` picks the
interpreter, default: the one running this script, which needs the project's dependencies).
translate-toolkit lives in the benchmark's own environment, ``bench/.env`` (created on first use
or with ``--setup``), never in the project's.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TypeVar

import datagen
from tasks import GOALS, Cmd, Layout, Task, build_tasks, csv2po, preparations

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
ENV = BENCH / ".env"
TOOLKIT = "translate-toolkit==3.20.4"
T = TypeVar("T")
DATA_VERSION = "4"  # bump when datagen changes, so kept data is made again


@dataclass
class Sample:
    seconds: float
    rss_mb: float
    cpu: float  # user + system seconds: less disturbed than wall time on a busy machine


@dataclass
class Result:
    task: str
    wixloc_s: float
    wixloc_rss_mb: float
    peer: str
    peer_s: float
    peer_rss_mb: float
    ratio: float

    def as_json(self) -> dict[str, object]:
        return {k: (round(v, 3) if isinstance(v, float) else v) for k, v in vars(self).items()}


@dataclass
class Series:
    """The samples of one side of a task: per round, the sum of its processes' times."""

    times: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    rss: float = 0.0

    def add(self, samples: Sequence[Sample]) -> None:
        self.times.append(sum(s.seconds for s in samples))
        self.cpu.append(sum(s.cpu for s in samples))
        self.rss = max([self.rss, *(s.rss_mb for s in samples)])

    @property
    def median(self) -> float:
        return statistics.median(self.times)


# --- running one process ---------------------------------------------------------------------


class CommandFailed(RuntimeError):
    pass


def run_once(cmd: Cmd, env: dict[str, str], logs: Path) -> Sample:
    """Run *cmd* as a process on its own; its wall time and its own peak RSS.

    Measured by ``measure.py``, a tiny process between this one and the command, because the
    command's ``ru_maxrss`` would otherwise include this runner's memory (see that module).
    *logs* is the folder for its result, stdout and stderr, one per process.
    """
    for path in cmd.clean:
        _remove(path)
        path.parent.mkdir(parents=True, exist_ok=True)
    logs.mkdir(parents=True, exist_ok=True)
    result, out, err = logs / "result.txt", logs / "stdout.txt", logs / "stderr.txt"
    wrapper = [sys.executable, "-I", "-S", str(BENCH / "measure.py"), str(result), str(out)]
    subprocess.run([*wrapper, str(err), *cmd.argv], env=env, check=True)
    code, seconds, rss_kib, cpu = result.read_text().split()
    if int(code) not in cmd.ok:
        tail = err.read_text(errors="replace")[-2000:]
        raise CommandFailed(f"{' '.join(cmd.argv)} exited {code}:\n{tail}")
    return Sample(float(seconds), int(rss_kib) / 1024, float(cpu))  # Linux reports KiB


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO / "src")
    env["PATH"] = f"{ENV / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env.pop("PYTHONSTARTUP", None)
    return env


def compile_sources(python: str) -> None:
    """Compile wixloc's modules to bytecode before anything is timed, as installing a wheel
    does: translate-toolkit's were compiled when ``bench/.env`` was installed, and with
    ``PYTHONDONTWRITEBYTECODE`` set (or a read-only tree) every wixloc process, each of
    check's and merge's workers too, would compile its modules from source, about 0.25 CPU s
    each."""
    subprocess.run([python, "-m", "compileall", "-q", str(REPO / "src" / "wixloc")], check=True)


# --- the benchmark environment and the data --------------------------------------------------


def setup(force: bool = False) -> None:
    """Create ``bench/.env`` with translate-toolkit (the peer), unless it is there already."""
    if (ENV / "bin" / "po2xliff").exists() and not force:
        return
    print(f"setting up {ENV.relative_to(REPO)} with {TOOLKIT} ...", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "venv", str(ENV)], check=True)
    pip = [str(ENV / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    subprocess.run([*pip, TOOLKIT], check=True)


def toolkit_version() -> str:
    done = subprocess.run(
        [str(ENV / "bin" / "python"), "-c", "from translate.__version__ import sver; print(sver)"],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() or "unknown"


def make_data(folder: Path, keys: int, languages: list[str]) -> bool:
    """Generate the tables and peer CSVs into *folder*; False if kept data was reused."""
    marker = folder / ".complete"
    if marker.exists() and marker.read_text() == DATA_VERSION:
        return False
    _remove(folder)
    started = time.perf_counter()
    print(f"generating {keys:,} keys x {len(languages)} languages ...", file=sys.stderr)
    datagen.write_data(
        folder / "table.csv",
        folder / "full.csv",
        folder / "peer" / "csv",
        folder / "terms.csv",
        keys,
        languages,
    )
    marker.write_text(DATA_VERSION)
    print(f"  done in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return True


def prepare(tasks: list[Task], layout: Layout, env: dict[str, str], peers: bool = True) -> None:
    """Make the inputs the selected tasks read (translator files to merge, peer PO files)."""
    for name, outputs, cmd in preparations(tasks, layout):
        if all(p.exists() for p in outputs) or (name.startswith("peer") and not peers):
            continue
        print(f"preparing {name} ...", file=sys.stderr)
        run_once(cmd, env, layout.logs / "prepare" / name)


# --- rounds ----------------------------------------------------------------------------------


@dataclass(eq=False)
class Job:
    """One thing to do in a round (mostly a process to run), once the jobs it needs are done."""

    label: str
    action: Callable[[], Sample | None]
    after: list[Job] = field(default_factory=list)


def run_jobs(jobs: Sequence[Job], workers: int) -> dict[Job, Sample | None]:
    """Do *jobs*, at most *workers* at a time, each once the jobs it needs are done; of the jobs
    ready to start, the earliest in the list goes first (with one worker: the list's order)."""
    found: dict[Job, Sample | None] = {}
    pending = list(jobs)
    running: dict[Future[Sample | None], Job] = {}
    with ThreadPoolExecutor(max_workers=workers) as pool:
        while pending or running:
            ready = [job for job in pending if all(need in found for need in job.after)]
            for job in ready[: workers - len(running)]:
                pending.remove(job)
                running[pool.submit(job.action)] = job
            if not running:
                raise RuntimeError(f"jobs wait for each other: {[j.label for j in pending]}")
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                found[running.pop(future)] = future.result()
    return found


def _process(label: str, cmd: Cmd, env: dict[str, str], logs: Path) -> Job:
    def action() -> Sample:
        sys.stderr.write(f"  {label}\n")  # one write: lines of processes side by side stay whole
        return run_once(cmd, env, logs)

    return Job(label, action)


def task_jobs(
    tasks: list[Task], env: dict[str, str], layout: Layout, label: str, peers: bool
) -> tuple[list[Job], dict[Cmd, Job]]:
    """A round's processes, task by task, wixloc's then the peer's: a process both peers share
    runs once. A process needs the one that writes a file it reads (``po2xliff`` after its
    ``csv2po``, ``po2csv`` after its ``xliff2po``)."""
    jobs: list[Job] = []
    by_cmd: dict[Cmd, Job] = {}
    for task in tasks:
        for cmd in [*task.wixloc, *(task.peer if peers else [])]:
            if cmd in by_cmd:
                continue
            program = Path(cmd.argv[0]).name
            if program.startswith("python"):
                program = " ".join([Path(a).name for a in cmd.argv[1:4] if a != "-m"][:2])
            logs = layout.logs / task.name / f"{len(jobs):02d}-{program.replace(' ', '-')}"
            job = _process(f"{label}: {task.name}: {program}", cmd, env, logs)
            job.after = [by_cmd[c] for c in by_cmd if any(str(p) in cmd.argv for p in c.clean)]
            jobs.append(job)
            by_cmd[cmd] = job
    return jobs, by_cmd


def prepare_jobs(
    tasks: list[Task], layout: Layout, env: dict[str, str], peers: bool, by_cmd: dict[Cmd, Job]
) -> dict[str, Job]:
    """The preparations the selected tasks need, as jobs of the first round (run concurrently).

    The peer PO files are csv2po's output on the peer CSVs: when this round runs csv2po on
    each of them anyway (split-po's peer), they are copied from there instead of made twice.
    """
    found: dict[str, Job] = {}
    for name, outputs, cmd in preparations(tasks, layout):
        if all(p.exists() for p in outputs) or (name.startswith("peer") and not peers):
            continue
        found[name] = _process(f"preparing {name}", cmd, env, layout.logs / "prepare" / name)
        if name == "peer-po":
            made = {csv2po(layout, lang): layout.peer_po(lang) for lang in layout.targets}
            if all(c in by_cmd for c in made):
                found[name] = Job(name, partial(_copy_outputs, made), [by_cmd[c] for c in made])
    return found


def _copy_outputs(made: dict[Cmd, Path]) -> None:
    for cmd, target in made.items():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(cmd.clean[0], target)
    sys.stderr.write(f"  copied csv2po's {len(made)} PO files for pofilter and pocount\n")


def measure(
    tasks: list[Task],
    env: dict[str, str],
    layout: Layout,
    runs: int,
    warmup: bool,
    peers: bool,
    workers: int = 1,
) -> list[tuple[Task, Series, Series]]:
    """Time every task's processes, round after round.

    With one worker the processes run one at a time in task order, the preparations having
    been made before (``prepare``). With more, the first round also makes the preparations, and
    up to *workers* processes run side by side, each still measured on its own.
    """
    series = [(task, Series(), Series()) for task in tasks]
    rounds = ([0] if warmup else []) + list(range(1, runs + 1))
    for n in rounds:
        label = "warm-up" if n == 0 else f"run {n}/{runs}"
        jobs, by_cmd = task_jobs(_longest_first(tasks, workers), env, layout, label, peers)
        if workers > 1 and n == rounds[0]:
            made = prepare_jobs(tasks, layout, env, peers, by_cmd)
            made = dict(_longest_first(list(made.items()), workers, lambda item: item[0]))
            for task in tasks:
                for cmd in [*task.wixloc, *task.peer]:
                    if cmd in by_cmd:
                        by_cmd[cmd].after += [made[need] for need in task.needs if need in made]
            jobs = [*made.values(), *jobs]  # first: they are what the merge tasks wait for
        samples = run_jobs(jobs, workers)
        if not n:
            continue
        for task, ours, theirs in series:
            ours.add([_sample(samples[by_cmd[c]]) for c in task.wixloc])
            if peers:
                theirs.add([_sample(samples[by_cmd[c]]) for c in task.peer])
    return series


def _longest_first(
    items: list[T], workers: int, name: Callable[[T], str] = lambda t: getattr(t, "name", "")
) -> list[T]:
    """With processes side by side, the XLSX tasks and preparation go first: theirs are the
    longest processes (20 to 40 s each at 20,000 keys, the others 1 to 12 s), and starting them
    first leaves short ones to fill the end instead of one core idling while the other works.
    """
    if workers == 1:
        return items
    return sorted(items, key=lambda item: "xlsx" not in name(item))  # stable


def _sample(found: Sample | None) -> Sample:
    assert found is not None  # every process job returns its sample
    return found


def cpu_times(measured: list[tuple[Task, Series, Series]]) -> list[dict[str, object]]:
    """Median CPU seconds (user + system) per side: a cross-check of the wall times."""
    return [
        {
            "task": task.name,
            "wixloc_cpu_s": round(statistics.median(ours.cpu), 3),
            "peer_cpu_s": round(statistics.median(theirs.cpu), 3) if theirs.cpu else None,
        }
        for task, ours, theirs in measured
    ]


def results(measured: list[tuple[Task, Series, Series]]) -> list[Result]:
    out = []
    for task, ours, theirs in measured:
        peer_s = theirs.median if theirs.times else 0.0
        ratio = peer_s / ours.median if theirs.times else 0.0
        out.append(
            Result(task.name, ours.median, ours.rss, task.peer_name, peer_s, theirs.rss, ratio)
        )
    return out


def check_goals(found: list[Result], input_mb: float) -> list[dict[str, object]]:
    """Each goal of the performance issue that applies to the measured tasks, met or not."""
    verdicts: list[dict[str, object]] = []
    for r in found:
        goal = GOALS.get(r.task)
        if goal is not None and r.peer_s:
            met = r.ratio >= goal.speed
            text = goal.label or f"{goal.speed:g}x faster than {r.peer}"
            verdicts.append({"task": r.task, "goal": text, "value": round(r.ratio, 2), "met": met})
            if goal.rss_fraction is not None:
                value = r.wixloc_rss_mb / r.peer_rss_mb
                verdicts.append(
                    {
                        "task": r.task,
                        "goal": f"peak RSS <= {goal.rss_fraction:g} of {r.peer}'s",
                        "value": round(value, 3),
                        "met": value <= goal.rss_fraction,
                    }
                )
        times = 2 if r.task.startswith(("merge", "check")) else 4  # issue 17: 2x for these
        limit = times * input_mb
        verdicts.append(
            {
                "task": r.task,
                "goal": f"peak RSS <= {times}x the input CSV ({limit:.0f} MB)",
                "value": round(r.wixloc_rss_mb, 1),
                "met": r.wixloc_rss_mb <= limit,
            }
        )
    return verdicts


def machine(python: str) -> dict[str, object]:
    mem = 0
    with open("/proc/meminfo") as fh:
        for line in fh:
            if line.startswith("MemTotal:"):
                mem = int(line.split()[1]) // 1024
    version = subprocess.run(
        [python, "-c", "import platform; print(platform.python_version())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    return {
        "cpus": os.cpu_count(),
        "cpu": _cpu_model(),
        "ram_mb": mem,
        "python": version,
        "os": platform.platform(),
        "translate_toolkit": toolkit_version(),
    }


def _cpu_model() -> str:
    with open("/proc/cpuinfo") as fh:
        for line in fh:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


# --- output ----------------------------------------------------------------------------------


def print_table(
    found: list[Result], cpu: list[dict[str, object]], verdicts: list[dict[str, object]]
) -> None:
    head = (
        f"{'task':<12} {'wixloc s':>9} {'cpu s':>7} {'MB':>6}  {'peer':<27} "
        f"{'peer s':>8} {'cpu s':>7} {'MB':>6} {'ratio':>7}"
    )
    print(head)
    print("-" * len(head))
    for r, c in zip(found, cpu, strict=True):
        ours = f"{r.wixloc_s:9.2f} {c['wixloc_cpu_s']:7.2f} {r.wixloc_rss_mb:6.0f}"
        theirs = f"{'-':>8} {'-':>7} {'-':>6} {'-':>7}"
        if r.peer_s:
            theirs = f"{r.peer_s:8.2f} {c['peer_cpu_s']:7.2f} {r.peer_rss_mb:6.0f} {r.ratio:6.1f}x"
        print(f"{r.task:<12} {ours}  {r.peer:<27} {theirs}")
    print()
    for v in verdicts:
        mark = "met    " if v["met"] else "NOT MET"
        print(f"{mark} {v['task']:<12} {v['goal']}: {v['value']}")


# --- scaling ---------------------------------------------------------------------------------


def scale(args: argparse.Namespace, sizes: list[int], env: dict[str, str]) -> int:
    """wixloc alone at several sizes: seconds per task, to show that time grows linearly."""
    rows: dict[str, list[float]] = {}
    for keys in sizes:
        layout, made = _data(args, keys)
        tasks = _select(build_tasks(layout, args.python), args.tasks)
        try:
            prepare(tasks, layout, env, peers=False)
            warmup = not args.no_warmup
            measured = measure(tasks, env, layout, args.runs, warmup, False, args.jobs)
        finally:
            if made and not args.keep:
                _remove(layout.root)
        for task, ours, _ in measured:
            rows.setdefault(task.name, []).append(ours.median)
    if args.json:
        print(json.dumps({"keys": sizes, "seconds": rows}, indent=2))
        return 0
    print(f"{'task':<12}" + "".join(f"{k:>10,}" for k in sizes) + "   s per 1k keys")
    for name, times in rows.items():
        per = " / ".join(f"{t / k * 1000:.3f}" for t, k in zip(times, sizes, strict=True))
        print(f"{name:<12}" + "".join(f"{t:10.2f}" for t in times) + f"   {per}")
    return 0


# --- main ------------------------------------------------------------------------------------


def _data(args: argparse.Namespace, keys: int) -> tuple[Layout, bool]:
    languages = datagen.languages_for(args.languages)
    root = Path(args.data_dir) / f"k{keys}-l{len(languages)}"
    made = make_data(root, keys, languages)
    return Layout(root, languages), made


def _select(tasks: list[Task], wanted: str | None) -> list[Task]:
    if not wanted:
        return tasks
    names = [w.strip() for w in wanted.split(",") if w.strip()]
    known = {t.name for t in tasks}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise SystemExit(f"unknown task(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    return [t for t in tasks if t.name in names]


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--keys", type=int, default=100_000, help="keys in the table (100,000)")
    p.add_argument("--languages", type=int, default=6, help="languages, main first (6)")
    p.add_argument(
        "--quick",
        action="store_true",
        help="20,000 keys, one timed run, no warm-up, processes side by side (see --jobs):\n"
        "a smoke run, its times not comparable with the full run's",
    )
    p.add_argument("--tasks", help="comma-separated tasks to run (default: all)")
    p.add_argument("--runs", type=int, help="timed runs per task (3; 1 with --quick)")
    p.add_argument("--no-warmup", action="store_true", help="skip the warm-up round")
    p.add_argument(
        "--jobs",
        type=int,
        help="processes run at a time (1: strictly one after another; with --quick, the\n"
        "number of CPU cores). Each is still timed and measured on its own, but processes\n"
        "side by side share the cores, memory bandwidth and caches, so their times are a\n"
        "smoke test, not a measurement to publish",
    )
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    p.add_argument("--keep", action="store_true", help="keep the generated data and outputs")
    p.add_argument("--data-dir", default=str(BENCH / "data"), help="where data goes")
    p.add_argument("--python", default=sys.executable, help="interpreter for wixloc")
    p.add_argument("--no-peers", action="store_true", help="time wixloc alone")
    p.add_argument("--setup", action="store_true", help="(re)create bench/.env and exit")
    p.add_argument("--scale", help="comma-separated key counts: wixloc alone at each size")
    args = p.parse_args(argv)
    if args.quick:
        args.keys = 20_000
        args.no_warmup = True
    if args.runs is None:
        args.runs = 1 if args.quick else 3
    if args.jobs is None:
        args.jobs = (os.cpu_count() or 1) if args.quick else 1
    if args.jobs < 1:
        p.error("--jobs must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.setup:
        setup(force=True)
        return 0
    env = environment()
    compile_sources(args.python)
    if args.scale:
        return scale(args, [int(k) for k in args.scale.split(",")], env)
    peers = not args.no_peers
    if peers:
        setup()
    layout, made = _data(args, args.keys)
    tasks = _select(build_tasks(layout, args.python), args.tasks)
    try:
        started = time.perf_counter()
        if args.jobs == 1:  # otherwise the first round makes them, side by side with the tasks
            prepare(tasks, layout, env, peers)
            started = time.perf_counter()
        measured = measure(tasks, env, layout, args.runs, not args.no_warmup, peers, args.jobs)
        elapsed = time.perf_counter() - started
        input_mb = (layout.root / "table.csv").stat().st_size / 2**20
        found = results(measured)
        cpu = cpu_times(measured)
        verdicts = check_goals(found, input_mb)
    finally:
        if made and not args.keep:
            _remove(layout.root)
    if args.json:
        report = {
            "results": [r.as_json() for r in found],
            "goals": verdicts,
            "cpu": cpu,
            "config": {
                "keys": args.keys,
                "languages": layout.languages,
                "runs": args.runs,
                "warmup": not args.no_warmup,
                "jobs": args.jobs,
                "input_csv_mb": round(input_mb, 1),
                "seconds": round(elapsed, 1),
            },
            "machine": machine(args.python),
        }
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        print(f"{args.keys:,} keys x {len(layout.languages)} languages, input {input_mb:.1f} MB")
        print_table(found, cpu, verdicts)
    return 0 if all(v["met"] for v in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
