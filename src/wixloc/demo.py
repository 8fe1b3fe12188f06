"""``wixloc demo``: the whole round trip on an embedded sandbox, told step by step.

init → pull (files for every target language) → an "agency" (pseudo-translation) fills the
files → check (with an HTML report) → push (backup, diff, import, verify) → status. Every file is
left in the folder for the user to open. No network, no credentials.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from wixloc import formats
from wixloc.checks import check_files
from wixloc.checks.reporters import render
from wixloc.config import load_config
from wixloc.coverage import coverage
from wixloc.errors import UsageError
from wixloc.fsutil import atomic_write
from wixloc.grammar import plural
from wixloc.model import UnitState
from wixloc.pseudo import pseudo_text
from wixloc.site.localization import ImportPlan
from wixloc.site.project import Project
from wixloc.workflow import check_config, init_project, pull, push, status

__all__ = ["DemoResult", "run_demo"]

MARKER = ".wixloc-demo"
Say = Callable[[str], None]


@dataclass
class DemoResult:
    folder: Path
    before: dict[str, float] = field(default_factory=dict)  # coverage per language, percent
    after: dict[str, float] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)
    report: Path | None = None


def _prepare(folder: Path) -> None:
    if folder.exists() and any(folder.iterdir()):
        if not (folder / MARKER).exists():
            raise UsageError(
                f"{folder} is not empty and was not made by 'wixloc demo'",
                hint="name an empty or new folder with --dir",
            )
        shutil.rmtree(folder)  # a previous demo's folder: start afresh
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MARKER).write_text("made by 'wixloc demo'; safe to delete\n", encoding="utf-8")


def _agency(paths: list[Path]) -> int:
    """Stand in for a translation agency: fill every unit with a pseudo-translation."""
    done = 0
    for path in paths:
        document = formats.open_document(path, expect="units")
        units = document.units()
        for unit in units.units:
            unit.target = pseudo_text(unit.source)
            unit.state = UnitState.TRANSLATED
            done += 1
        formats.save_units(units, path, document.format)
    return done


def run_demo(folder: Path, say: Say, *, fmt: str = "po") -> DemoResult:
    """Run the round trip in *folder*, telling each step through *say*."""
    _prepare(folder)
    result = DemoResult(folder)
    say(f"wixloc demo: the whole round trip on a local sandbox, in {folder}")
    say("(no network, no credentials: an embedded sandbox stands in for Wix)")

    path, languages = init_project(folder, sandbox=True, fmt=fmt, env={})
    project = Project(folder)
    config = load_config(path, env={})
    say(f"\n1. init    wrote {path.name}: a sandbox site in {', '.join(languages or [])}")
    say(f"           (the first, {(languages or ['?'])[0]}, is the main language)")

    pulled = pull(config)
    table = formats.load_table(pulled.snapshot)
    result.before = {c.language.tag: c.percent for c in coverage(table)[1:]}
    say(f"\n2. pull    exported {plural(len(table), 'entry')} from the site; translator files:")
    for f in pulled.files:
        if f.path is None:
            say(f"             {f.language}: nothing to translate")
            continue
        result.files.append(f.path)
        t = f.stats.total
        say(
            f"             {project.rel(f.path)}  {plural(t.entries, 'entry')}, "
            f"{plural(t.words, 'word')} "
            f"({f.stats.new.words} new, {f.stats.repetitions.words} repeated)"
        )

    filled = _agency(result.files)
    files = plural(len(result.files), "file")
    say(f"\n3. agency  pseudo-translated {plural(filled, 'entry')} in {files}")
    say("           (accented, a third longer, placeholders and markup kept: like a real")
    say("           translation, it must pass the checks before it goes back)")

    langs = [lang.tag for lang in table.languages]
    report = check_files(result.files, check_config(config, langs))
    result.report = folder / "check-report.html"
    with atomic_write(result.report) as fh:
        fh.write(render(report, "html").encode("utf-8"))
    say(f"\n4. check   {report.summary_line()}; report: {project.rel(result.report)}")

    shown: list[ImportPlan] = []
    pushed = push(config, show=shown.append)
    say("\n5. push    merged the files, checked them, compared with the site, then imported:")
    if shown:
        plan = shown[0]
        say(f"             the rows it changed, as they were: {project.rel(plan.backup)}")
        for diff in plan.diffs[1:]:
            say(
                f"             {diff.language}: {diff.added} added, {diff.changed} changed, {diff.blanked} blanked"
            )
    if pushed.result is not None and pushed.result.job is not None:
        say(f"             job {pushed.result.job.status}; a fresh export verified every value")

    now = status(config)
    result.after = {r.coverage.language.tag: r.coverage.percent for r in now.languages[1:]}
    say("\n6. status  coverage per language, before → after:")
    for tag, after in result.after.items():
        say(f"             {tag:<4} {result.before.get(tag, 0.0):5.1f}% → {after:5.1f}%")
    say(f"\nEverything is in {folder}: wixloc.toml, translations/, .wixloc/ (snapshots, backup,")
    say("state), check-report.html. Try: cd there and run 'wixloc status'.")
    return result
