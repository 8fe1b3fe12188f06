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
import tempfile
from collections.abc import Callable, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from wixloc import formats
from wixloc.checks import CheckConfig, Report, check_files, parse_config
from wixloc.checks.reporters import render
from wixloc.config import CONFIG_NAME, Config, render_config
from wixloc.coverage import LanguageCoverage, coverage
from wixloc.errors import UsageError, WixlocError
from wixloc.fsutil import atomic_write
from wixloc.grammar import plural
from wixloc.locales import match_language
from wixloc.model import Language, Table
from wixloc.roundtrip import ricos
from wixloc.roundtrip.files import merge_rich, translator_streams
from wixloc.roundtrip.merge import MergePolicy, MergeReport
from wixloc.roundtrip.split import Only, split
from wixloc.roundtrip.threeway import Conflict, Policy, Stale
from wixloc.site.connect import client_for
from wixloc.site.flow import _test_kill
from wixloc.site.journal import Record
from wixloc.site.localization import (
    COMPLETENESS_RULES,
    ImportPlan,
    ImportResult,
    export_content,
    import_content,
)
from wixloc.site.project import Project
from wixloc.site.recovery import Handler, JournalHooks
from wixloc.state import OutFile, State
from wixloc.stats import LanguageStats, unit_stats
from wixloc.tm.prefill import Filled, load_memory, prefill
from wixloc.wix import wire
from wixloc.wix.client import WixClient
from wixloc.wix.jobs import ProgressCallback

__all__ = [
    "FileNote",
    "PullResult",
    "PushResult",
    "StatusResult",
    "init_project",
    "pull",
    "push",
    "push_recovery",
    "status",
]

Step = Callable[[str], None]
ALREADY_PUSHED = "already pushed, unchanged since: not merged again"
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
    tms: Sequence[Path] = (),
    on_step: Step = _quiet,
    on_progress: ProgressCallback | None = None,
    client: WixClient | None = None,
    languages: Sequence[str] | None = None,
    dry_run: bool = False,
) -> PullResult:
    """Export the site, keep a snapshot, write translator files for what needs work.

    The translation memories are the config's ``[translators] tm`` files, then *tms*, and
    (with ``reuse``) the site's own translations: exact matches are pre-filled; with TMX files
    given, fuzzy ones from all of them are written as suggestions (see docs/tm.md). Without
    TMX files only exact matches are looked for: a fuzzy search of the site's own translations
    costs a large site many times the pull itself.

    *languages*: only these target languages get files (the snapshot still holds every
    language; the other languages' files and records are left as they are). *dry_run*: the
    export goes to a temporary folder and is dropped; no snapshot, file or state is written,
    and the result names the files a pull would write."""
    tm_paths = [*config.tm, *tms]
    memory = load_memory(tm_paths)  # read before the export: a bad TMX fails early
    use_memory = bool(tm_paths) or config.reuse
    client = client or client_for(config)
    project = _project(config)
    state = project.load_state()
    wanted = _pull_languages(config, languages)
    if config.languages and not force:  # fail before the export when the languages are known
        _refuse_to_overwrite(
            project,
            state,
            [_file_for(config, Language(t)) for t in config.languages[1:] if _wanted(wanted, t)],
        )
    on_step("Exporting the site's content")
    with ExitStack() as stack:
        if dry_run:
            scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="wixloc-")))
            snapshot = scratch / f"{STEM}.csv"
            export_content(client, snapshot, languages=config.languages, on_progress=on_progress)
            table = formats.load_table(snapshot)
            on_step(f"Exported {plural(len(table), 'entry')} (dry run: not kept)")
        else:
            snapshot, table = _take_snapshot(config, client, "pull", on_progress)
            on_step(f"Kept the export as {project.rel(snapshot)} ({plural(len(table), 'entry')})")
        targets = [lang for lang in table.languages[1:] if _wanted(wanted, lang.tag)]
        _unknown_languages(wanted, [lang.tag for lang in table.languages[1:]])
        baseline = not state.accepted
        if baseline:
            state.accept(table)  # what the site holds now is the starting point for stale detection
        fmt = _translator_format(config)
        if not force:
            _refuse_to_overwrite(project, state, [_file_for(config, lang) for lang in targets])
        files: list[PulledFile] = []
        kept = {lang.tag for lang in targets}
        state.out = [o for o in state.out if wanted is not None and o.language not in kept]
        filled = Filled()
        units_table = ricos.expand(table)  # a Ricos cell: one unit per segment
        for lang in targets:
            stale = ricos.expand_previous(table, state.stale(table, lang))
            previous = stale if config.only == "changed" else None
            units = split(units_table, lang, only=cast(Only, config.only), previous=previous)
            if use_memory:
                fuzzy = bool(tm_paths)
                found = prefill(units_table, units, memory, stale, site=config.reuse, fuzzy=fuzzy)
                filled.add(found)
            units.original = f"{STEM}.csv"
            path = _file_for(config, lang)
            if not units.units:
                if not dry_run:
                    path.unlink(missing_ok=True)  # nothing left to do; an old file would mislead
                files.append(PulledFile(lang.tag, None, unit_stats(units)))
                continue
            files.append(PulledFile(lang.tag, path, unit_stats(units)))
            if dry_run:
                continue
            formats.save_units(units, path, fmt)
            rel = project.rel(path)
            state.out.append(
                OutFile(
                    rel, lang.tag, len(units), project.now(), project.rel(snapshot), _digest(path)
                )
            )
    if not dry_run:
        project.save_state(state)
    if filled.in_context or filled.exact or filled.suggested:
        on_step(
            f"Translation memory: {filled.in_context} in-context and {filled.exact} 100 % "
            f"{'match' if filled.in_context + filled.exact == 1 else 'matches'} pre-filled, "
            f"{plural(filled.suggested, 'entry')} with suggestions"
        )
    return PullResult(snapshot, files, baseline)


def _pull_languages(config: Config, languages: Sequence[str] | None) -> set[str] | None:
    """The target languages a pull is limited to (None: all), as the project spells them."""
    if not languages:
        return None
    known = {t.lower(): t for t in config.languages or ()}
    wanted = {known.get(t.lower(), t) for t in languages}
    if config.languages:  # fail before the export when the languages are known
        _unknown_languages(wanted, config.languages[1:])
    return wanted


def _wanted(wanted: set[str] | None, tag: str) -> bool:
    return wanted is None or tag in wanted


def _unknown_languages(wanted: set[str] | None, targets: Sequence[str]) -> None:
    if wanted is None:
        return
    unknown = sorted(wanted - set(targets))
    if unknown:
        raise UsageError(
            f"--languages names {', '.join(unknown)}, not a target language of the site",
            hint=f"the site's target languages: {', '.join(targets)}",
        )


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


@dataclass(frozen=True)
class FileNote:
    """A file in the translator folder that push did not merge as it is, and why."""

    path: str
    reason: str


@dataclass
class PushResult:
    merged: Path
    merge_report: MergeReport
    check_report: Report
    report_html: Path
    base: Path  # the snapshot the files were made from (the three-way merge's base)
    result: ImportResult | None = None  # None: stopped before the import (check)
    accepted: int = 0
    after: Path | None = None  # the snapshot taken after the import (or after nothing to do)
    notes: list[FileNote] = field(default_factory=list)  # files not used, files named wrong
    missing: list[str] = field(default_factory=list)  # pulled files that did not come back

    @property
    def stopped_by_check(self) -> bool:
        return self.check_report.exit_code != 0


def translator_files(config: Config) -> list[Path]:
    """Every translator file in the folder, of any translator format."""
    return [
        p for p in _folder_files(config) if p.suffix.lower() in formats.extensions("translator")
    ]


def _folder_files(config: Config) -> list[Path]:
    if not config.dir.is_dir():
        return []
    return sorted(
        p for p in config.dir.iterdir() if p.is_file() and not p.name.startswith((".", "~$"))
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


@dataclass
class _Files:
    """The translator folder sorted out for a push."""

    usable: list[Path]
    base: Path
    notes: list[FileNote]
    missing: list[str]


def _sort_files(config: Config, project: Project, state: State) -> _Files:
    """Which files push merges, into which snapshot, and what it says about the rest.

    A file pull wrote is merged into the snapshot it was made from; a file already pushed
    and unchanged since is not merged again; a file pull did not write (a translator's own
    name) is merged into the snapshot of the last pull. Anything else in the folder is named.
    """
    records = {out.path: out for out in state.out}
    usable: list[Path] = []
    notes: list[FileNote] = []
    bases: list[str] = [out.snapshot for out in state.out if out.snapshot]
    translator = formats.extensions("translator")
    for path in _folder_files(config):
        rel = project.rel(path)
        record = records.get(rel)
        if path.suffix.lower() not in translator:
            notes.append(FileNote(rel, "not a translator file (PO, XLIFF, XLSX): not used"))
        elif record is not None and _pushed_as_is(record, path):
            notes.append(FileNote(rel, ALREADY_PUSHED))
        else:
            usable.append(path)
            if record is None:
                notes.append(FileNote(rel, "not a file the last pull wrote: merged all the same"))
    held = {p: _languages_held(p) for p in usable}
    came_back = {lang for langs in held.values() for lang in langs}
    for path in usable:
        notes.extend(_named_wrong(project, path, held[path], came_back))
    base = project.root / bases[-1] if bases else project.latest_snapshot()
    back = {project.rel(p) for p in usable} | {n.path for n in notes}
    missing = [out.path for out in state.out if not out.pushed and out.path not in back]
    return _Files(usable, base, notes, missing)


def _pushed_as_is(record: OutFile, path: Path) -> bool:
    """Pushed, unchanged since, and nothing of it held back for a later push."""
    return bool(record.pushed) and not record.held and record.sha256 == _digest(path)


def _named_wrong(
    project: Project, path: Path, held: list[Language], came_back: set[Language]
) -> list[FileNote]:
    """A note for a file whose name says one language and whose content another, saying also
    when no file of the folder holds the language it is named for."""
    parts = path.name.split(".")
    if len(parts) < 3 or parts[0] != STEM:
        return []
    named = parts[1]
    if not held or any(_same_language(lang, named) for lang in held):
        return []
    tags = ", ".join(str(lang) for lang in held)
    reason = f"named for '{named}' but holds '{tags}': merged as '{tags}'"
    if not any(_same_language(lang, named) for lang in came_back):
        reason += f"; no file holding '{named}' came back"
    return [FileNote(project.rel(path), reason)]


def _same_language(held: Language, named: str) -> bool:
    """The file's language is the one its name says, as merge matches them (``de-DE`` held
    in a file named for ``de``)."""
    try:
        match_language(held.tag, [Language(named)])
    except WixlocError:
        return False
    return True


def _languages_held(path: Path) -> list[Language]:
    try:
        document = formats.open_document(path, expect="units")
        return [units.target_language for units in document.unit_files()]
    except WixlocError:
        return []  # the merge reports the file's own error


def push(
    config: Config,
    *,
    dry_run: bool = False,
    include_fuzzy: bool = False,
    accept_stale: bool = False,
    prefer_files: bool = False,
    languages: Sequence[str] | None = None,
    on_step: Step = _quiet,
    show: Callable[[ImportPlan], None] | None = None,
    confirm: Callable[[ImportPlan], bool] | None = None,
    on_progress: ProgressCallback | None = None,
    client: WixClient | None = None,
    on_checked: Callable[[PushResult], None] | None = None,
) -> PushResult:
    """Merge the translator files into the snapshot they were made from, check, and import
    what they changed as a three-way merge against the site as it is now; verify, record.

    A value the site changed since the pull is a conflict (*prefer_files* takes the file's);
    a translation whose source changed on the site since is stale (*accept_stale* takes it);
    rows for items the site no longer has are dropped. All of them are listed in the plan.
    *on_checked* sees the merge and the check before the import is planned (and *show* shows it).
    """
    project = _project(config)
    state = project.load_state()
    files = _sort_files(config, project, state)
    if not files.usable and not any(n.reason == ALREADY_PUSHED for n in files.notes):
        raise UsageError(
            f"no translator files to push in {project.rel(config.dir)}",
            hint="run 'wixloc pull' first",
        )
    table = formats.load_table(files.base)
    if files.usable:
        count = plural(len(files.usable), "translator file")
        on_step(f"Merging {count} into {project.rel(files.base)}, the snapshot they were made from")
    else:  # pushed already (or completed after a kill): compare and record, nothing to merge
        on_step("Every translator file was pushed already and is unchanged since")
    with translator_streams(files.usable) as streams:
        policy = MergePolicy(include_fuzzy, accept_stale)
        # Ricos cells: one unit per segment, each document rebuilt
        merge_report = merge_rich(table, streams, policy, aliases=config.language_aliases)
    merged = project.new_merged("push")
    formats.save_table(table, merged)
    on_step("Checking the merged content")
    langs = _checked_languages(table, languages)
    report = check_files([merged], check_config(config, langs, completeness=False))
    html = project.report_for(merged)
    with atomic_write(html) as fh:
        fh.write(render(report, "html").encode("utf-8"))
    result = PushResult(merged, merge_report, report, html, files.base)
    result.notes, result.missing = files.notes, files.missing
    if on_checked is not None:
        on_checked(result)
    if result.stopped_by_check:
        return result
    client = client or client_for(config)
    sent = _sent_files(files.usable, languages)
    on_step("Comparing with the site as it is now, then importing what changed")
    journal = JournalHooks(
        project, "push", _journal_data(project, sent, files.base), close_when_finished=False
    )
    result.result = import_content(
        client,
        merged,  # what the plan names; the table itself is given below
        languages=languages,
        dry_run=dry_run,
        show=show,
        confirm=confirm,
        on_progress=on_progress,
        project=project,
        check=False,  # checked above, with the project's own [check] settings
        table=table,
        base=files.base,
        policy=Policy(prefer_files=prefer_files, accept_stale=accept_stale),
        hooks=journal,
    )
    outcome = result.result
    if dry_run or outcome.cancelled:
        return result  # nothing happened: nothing to record
    if outcome.job is not None:
        on_step("Recording what the site now holds")
    held = _held_back(outcome)
    result.after, result.accepted = _record(config, project, client, sent, on_progress, held=held)
    _test_kill("after-record")  # recorded, the journal not closed yet: recovery records again
    journal.close_all()
    error = outcome.error()
    if error is not None:
        raise error  # recorded first: the next push starts clean
    return result


def _checked_languages(table: Table, languages: Sequence[str] | None) -> list[str]:
    """The languages the gate checks: all, or with --languages the main one and those (an
    error in a language not pushed must not hold back the others)."""
    if not languages:
        return [lang.tag for lang in table.languages]
    chosen = {Language(tag) for tag in languages}
    return [lang.tag for i, lang in enumerate(table.languages) if i == 0 or lang in chosen]


def _held_back(outcome: ImportResult) -> dict[str, int]:
    """Per language code: the translations the push did not send (conflicts, stale)."""
    held: dict[str, int] = {}
    reconciled = outcome.plan.reconciled
    items: list[Conflict | Stale] = [*reconciled.conflicts, *reconciled.stale]
    for item in items:
        if not item.taken:
            code = item.language.code.lower()
            held[code] = held.get(code, 0) + 1
    return held


def _journal_data(project: Project, sent: list[Path], base: Path) -> dict[str, object]:
    """What a push killed after its submit needs to be completed by the next command."""
    return {
        "base": project.rel(base),
        "files": {project.rel(p): _digest(p) for p in sent},
    }


def _sent_files(paths: list[Path], languages: Sequence[str] | None) -> list[Path]:
    """The files the push imports from: with --languages only those holding one of them (the
    others are not marked pushed, so that the next push merges them)."""
    if not languages:
        return list(paths)
    chosen = {Language(tag) for tag in languages}
    return [p for p in paths if any(lang in chosen for lang in _languages_held(p))]


def _record(
    config: Config,
    project: Project,
    client: WixClient,
    paths: Sequence[Path],
    on_progress: ProgressCallback | None = None,
    held: dict[str, int] | None = None,
) -> tuple[Path, int]:
    """A snapshot of the site now; its translations accepted; the files marked pushed."""
    after, table = _take_snapshot(config, client, "push", on_progress)
    state = project.load_state()
    accepted = state.accept(table)
    records = {out.path: out for out in state.out}
    for path in paths:
        rel = project.rel(path)
        record = records.get(rel)
        if record is None:  # a file pull did not write (a translator's own name): note it too
            record = OutFile(rel, "", 0, "", "")
            state.out.append(record)
        record.pushed = project.now()
        record.sha256 = _digest(path)
        langs = [lang.code.lower() for lang in _languages_held(path)] or [record.language.lower()]
        record.held = sum((held or {}).get(code, 0) for code in langs)
    project.save_state(state)
    return after, accepted


def push_recovery(config: Config) -> Handler:
    """The journal's handler for a push killed after its submit: record what the site now
    holds (a snapshot, the accepted translations). The files stay out: the push that runs next
    merges them again, finds on the site what the killed one sent (nothing is sent twice) and
    marks them pushed, listing again what a conflict or a stale source held back."""

    def finish(project: Project, client: WixClient, record: Record, job: wire.Job | None) -> str:
        if job is None:
            return "the push that was interrupted never reached the site; nothing was imported"
        _, accepted = _record(config, project, client, [])
        return (
            f"the push job {job.id} that was interrupted finished {job.status}; recorded "
            f"{plural(accepted, 'accepted translation')} (push again to mark the files pushed)"
        )

    return finish


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
    missing: list[OutFile] = field(default_factory=list)  # pulled, not pushed, not there now


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
    waiting = [o for o in state.out if not o.pushed]
    out = [o for o in waiting if (config.root / o.path).exists()]
    missing = [o for o in waiting if not (config.root / o.path).exists()]
    return StatusResult(snapshot, rows, out, missing)
