"""The round trip as one workflow: ``init``, ``pull``, ``push``, ``status`` and ``demo``.

Each step is a call into the layers below (``site`` for the site and the project's files,
``roundtrip`` for translator files, checks for the gate, state for what was accepted). Nothing
here prints: progress goes to an ``on_step`` callback with plain sentences, and results come back
as values the CLI shows.

Files of a project (all relative to the folder holding ``wixloc.toml``)::

    wixloc.toml                     settings (no secrets)
    translations/content.de.po      what pull hands out and push reads back
    .wixloc/                        wixloc's own records: see :mod:`wixloc.site.project`
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from wixloc import formats
from wixloc.checks import CheckConfig, Report, check_files, parse_config
from wixloc.checks.reporters import render
from wixloc.config import CONFIG_NAME, Config, render_config
from wixloc.coverage import LanguageCoverage, coverage
from wixloc.errors import UsageError
from wixloc.fsutil import atomic_write
from wixloc.grammar import plural
from wixloc.model import Language, Table
from wixloc.roundtrip import ricos

# push merges through merge_rich (Ricos cells: one unit per segment, each document rebuilt)
from wixloc.roundtrip.files import merge_rich as merge
from wixloc.roundtrip.files import translator_streams
from wixloc.roundtrip.merge import MergeReport
from wixloc.roundtrip.split import Only, split
from wixloc.site.connect import client_for
from wixloc.site.localization import (
    COMPLETENESS_RULES,
    ImportPlan,
    ImportResult,
    export_content,
    import_content,
)
from wixloc.site.project import Project
from wixloc.state import OutFile, State
from wixloc.stats import LanguageStats, unit_stats
from wixloc.wix.client import WixClient
from wixloc.wix.jobs import ProgressCallback

__all__ = [
    "PullResult",
    "PushResult",
    "StatusResult",
    "init_project",
    "pull",
    "push",
    "status",
]

Step = Callable[[str], None]
STEM = "content"  # translator files are named content.<language>.<ext>


def _quiet(_: str) -> None:
    pass


def _project(config: Config) -> Project:
    return Project(config.root)


# --- init ------------------------------------------------------------------------------------


def init_project(
    root: Path,
    *,
    sandbox: bool,
    fmt: str = "po",
    folder: str = "translations",
    force: bool = False,
    env: Mapping[str, str] | None = None,
) -> tuple[Path, list[str] | None]:
    """Write ``ROOT/wixloc.toml``; returns its path and the languages read from the site."""
    env = os.environ if env is None else env
    path = root / CONFIG_NAME
    if path.exists() and not force:
        raise UsageError(f"{path} exists already", hint="pass --force to overwrite it")
    languages: list[str] | None = None
    reachable = env.get("WIX_API_KEY") and (env.get("WIX_SITE_ID") or env.get("WIX_ACCOUNT_ID"))
    if sandbox or reachable:  # else the languages are read from the site at the first pull
        languages = client_for(Config(root, sandbox=sandbox), env).site_languages()
    text = render_config(
        sandbox=sandbox,
        fmt=fmt,
        folder=folder,
        site_id=env.get("WIX_SITE_ID"),
        languages=languages,
    )
    with atomic_write(path) as fh:
        fh.write(text.encode("utf-8"))
    Project(root).init_state_dir()
    return path, languages


# --- shared ----------------------------------------------------------------------------------


def _take_snapshot(
    config: Config, client: WixClient, label: str, on_progress: ProgressCallback | None
) -> tuple[Path, Table]:
    path = _project(config).new_snapshot(label)
    export_content(client, path, languages=config.languages, on_progress=on_progress)
    table = formats.load_table(path)
    return path, table


def _translator_format(config: Config) -> formats.Format:
    return formats.get(config.format)


def _file_for(config: Config, language: Language) -> Path:
    return config.dir / f"{STEM}.{language.tag}{_translator_format(config).extensions[0]}"


# --- pull ------------------------------------------------------------------------------------


@dataclass
class PulledFile:
    language: str
    path: Path | None  # None: nothing to send for this language
    stats: LanguageStats


@dataclass
class PullResult:
    snapshot: Path
    files: list[PulledFile]
    baseline: bool  # True: the first pull recorded the site's translations as accepted


def pull(
    config: Config,
    *,
    force: bool = False,
    on_step: Step = _quiet,
    on_progress: ProgressCallback | None = None,
    client: WixClient | None = None,
) -> PullResult:
    """Export the site, keep a snapshot, write translator files for what needs work."""
    client = client or client_for(config)
    project = _project(config)
    state = project.load_state()
    if config.languages and not force:  # fail before the export when the languages are known
        _refuse_to_overwrite(
            project, state, [_file_for(config, Language(t)) for t in config.languages[1:]]
        )
    on_step("Exporting the site's content")
    snapshot, table = _take_snapshot(config, client, "pull", on_progress)
    on_step(f"Kept the export as {project.rel(snapshot)} ({plural(len(table), 'entry')})")
    baseline = not state.accepted
    if baseline:
        state.accept(table)  # what the site holds now is the starting point for stale detection
    fmt = _translator_format(config)
    if not force:
        _refuse_to_overwrite(
            project, state, [_file_for(config, lang) for lang in table.languages[1:]]
        )
    files: list[PulledFile] = []
    state.out = []
    units_table = ricos.expand(table)  # a Ricos cell: one unit per segment
    for lang in table.languages[1:]:
        stale = state.stale(table, lang) if config.only == "changed" else None
        previous = None if stale is None else ricos.expand_previous(table, stale)
        units = split(
            units_table, lang, only=cast(Only, config.only), previous=previous, reuse=config.reuse
        )
        units.original = f"{STEM}.csv"
        path = _file_for(config, lang)
        if not units.units:
            path.unlink(missing_ok=True)  # nothing left to do; an old file would mislead
            files.append(PulledFile(lang.tag, None, unit_stats(units)))
            continue
        formats.save_units(units, path, fmt)
        rel = project.rel(path)
        state.out.append(
            OutFile(rel, lang.tag, len(units), project.now(), project.rel(snapshot), _digest(path))
        )
        files.append(PulledFile(lang.tag, path, unit_stats(units)))
    project.save_state(state)
    return PullResult(snapshot, files, baseline)


def _refuse_to_overwrite(project: Project, state: State, paths: list[Path]) -> None:
    """Translator work is never overwritten or deleted: a file in the way must be exactly as
    wixloc last wrote it (pulled and untouched) or as it was pushed."""
    records = {out.path: out for out in state.out}
    for path in paths:
        if not path.exists():
            continue
        rel = project.rel(path)
        record = records.get(rel)
        if record is not None and _digest(path) == record.sha256:
            continue
        if record is None:
            problem = "is not a file that the last pull wrote"
        elif record.pushed:
            problem = "was changed after it was pushed"
        else:
            problem = "was changed after the last pull and has not been pushed"
        raise UsageError(
            f"{rel} {problem}", hint="run 'wixloc push' first, or pass --force to overwrite it"
        )


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- push ------------------------------------------------------------------------------------


@dataclass
class PushResult:
    merged: Path
    merge_report: MergeReport
    check_report: Report
    report_html: Path
    result: ImportResult | None = None  # None: stopped before the import (check, dry run)
    accepted: int = 0
    after: Path | None = None  # the snapshot taken after the import

    @property
    def stopped_by_check(self) -> bool:
        return self.check_report.exit_code != 0


def translator_files(config: Config) -> list[Path]:
    """Every translator file in the folder, of any translator format."""
    if not config.dir.is_dir():
        return []
    extensions = formats.extensions("translator")
    return sorted(
        p
        for p in config.dir.iterdir()
        if p.is_file() and p.suffix.lower() in extensions and not p.name.startswith((".", "~$"))
    )


def check_config(
    config: Config, languages: Sequence[str], *, completeness: bool = True
) -> CheckConfig:
    """The project's [check] settings, with its languages as the required ones.

    *completeness* False: a push sends what is translated so far, so the rules about what is
    still missing are left to `wixloc check` in CI (the import's own COMPLETENESS_RULES).
    """
    name = str(config.path or CONFIG_NAME)
    checks = parse_config(dict(config.check), name)
    if checks.languages is None:
        checks.languages = list(languages)
    if not completeness:
        checks.ignore = [*checks.ignore, *(c for c in COMPLETENESS_RULES if c not in checks.ignore)]
    return checks


def push(
    config: Config,
    *,
    dry_run: bool = False,
    update_source: bool = False,
    on_step: Step = _quiet,
    show: Callable[[ImportPlan], None] | None = None,
    confirm: Callable[[ImportPlan], bool] | None = None,
    on_progress: ProgressCallback | None = None,
    client: WixClient | None = None,
) -> PushResult:
    """Merge the translator files into the latest snapshot, check, import, verify, record."""
    project = _project(config)
    snapshot = project.latest_snapshot()
    paths = translator_files(config)
    if not paths:
        raise UsageError(
            f"no translator files in {project.rel(config.dir)}", hint="run 'wixloc pull' first"
        )
    table = formats.load_table(snapshot)
    on_step(f"Merging {plural(len(paths), 'translator file')} into {project.rel(snapshot)}")
    with translator_streams(paths) as streams:
        merge_report = merge(table, streams)
    merged = project.new_merged("push")
    formats.save_table(table, merged)
    on_step("Checking the merged content")
    langs = [lang.tag for lang in table.languages]
    report = check_files([merged], check_config(config, langs, completeness=False))
    html = project.report_for(merged)
    with atomic_write(html) as fh:
        fh.write(render(report, "html").encode("utf-8"))
    result = PushResult(merged, merge_report, report, html)
    if result.stopped_by_check:
        return result
    client = client or client_for(config)
    on_step("Importing (backup first, then the differences, then verification)")
    result.result = import_content(
        client,
        merged,
        dry_run=dry_run,
        update_source=update_source,
        show=show,
        confirm=confirm,
        on_progress=on_progress,
        project=project,
        check=False,  # checked above, with the project's own [check] settings
    )
    if result.result.job is None:
        return result  # dry run, nothing to change, or not confirmed
    error = result.result.error()
    if error is not None:
        raise error
    result.after, after = _take_snapshot(config, client, "push", on_progress)
    result.accepted = _record(project, after, paths)
    return result


def _record(project: Project, after: Table, merged_files: list[Path]) -> int:
    """Accept what the site now holds; the merged files are no longer out."""
    state = project.load_state()
    accepted = state.accept(after)
    merged = {project.rel(p): p for p in merged_files}
    records = {out.path: out for out in state.out}
    for rel, path in merged.items():
        record = records.get(rel)
        if record is None:  # a file pull did not write (a translator's own name): note it too
            record = OutFile(rel, "", 0, "", "")
            state.out.append(record)
        record.pushed, record.sha256 = project.now(), _digest(path)
    project.save_state(state)
    return accepted


# --- status ----------------------------------------------------------------------------------


@dataclass
class LanguageStatus:
    coverage: LanguageCoverage
    stale: int


@dataclass
class StatusResult:
    snapshot: Path
    languages: list[LanguageStatus]
    out: list[OutFile] = field(default_factory=list)


def status(config: Config) -> StatusResult:
    """Per language: translated, missing, stale and coverage, from the latest snapshot."""
    project = _project(config)
    snapshot = project.latest_snapshot()
    table = formats.load_table(snapshot)
    state = project.load_state()
    rows = [
        LanguageStatus(c, 0 if c.main else len(state.stale(table, c.language)))
        for c in coverage(table)
    ]
    out = [o for o in state.out if not o.pushed and (config.root / o.path).exists()]
    return StatusResult(snapshot, rows, out)
