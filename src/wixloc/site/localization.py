"""The localization round trip with the site: export, and import with every protection.

An import validates the file, puts the main language first, refuses a file whose first language
is not the site's primary locale, backs the site's content up under ``.wixloc/backups/``,
computes what will change per language, refuses main-language changes unless asked, asks for
confirmation, runs the job, collects the rejected rows from the movement logs and verifies by a
fresh export that the site holds the imported values: the steps of :mod:`wixloc.site.flow`.
Nothing here prints: the CLI shows the plan and the result through callbacks and return values.
"""

from __future__ import annotations

import io
import re
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from wixloc.checks import CheckConfig, check_files
from wixloc.errors import InputError, LanguageError, UsageError, VerificationError, WixlocError
from wixloc.formats import get as get_format
from wixloc.formats import load_table, save_table
from wixloc.fsutil import atomic_write
from wixloc.grammar import plural
from wixloc.model import Key, Language, Table, format_key
from wixloc.roundtrip.threeway import Policy, Reconciled, reconcile
from wixloc.site.batches import MAX_JOB_LANGUAGES, join_tables, language_batches, select_languages
from wixloc.site.flow import NO_HOOKS, Flow, JobHooks, Outcome, file_format, run_flow
from wixloc.site.project import Project
from wixloc.wix import wire
from wixloc.wix.client import WixClient
from wixloc.wix.jobs import ProgressCallback, check_job, export_localization, stage_file

__all__ = [
    "COMPLETENESS_RULES",
    "ExportResult",
    "ImportPlan",
    "ImportResult",
    "LanguageDiff",
    "LocalizationImport",
    "Mismatch",
    "Rejected",
    "Replaced",
    "check_before_import",
    "export_content",
    "import_content",
    "plan_import",
    "refuse_controls",
    "resolve_languages",
    "site_table",
    "validate_for_import",
]

# What an import (and a push) does not hold back: translations still missing are the CI gate's
# business (`wixloc check --min-coverage`), and the languages are checked against the site itself.
COMPLETENESS_RULES = ("missing-translation", "coverage-below-threshold", "missing-language")


# --- export ----------------------------------------------------------------------------------


@dataclass
class ExportResult:
    path: Path
    languages: list[str]
    job: wire.Job  # the last job (the only one, up to 64 languages)
    jobs: list[wire.Job] = field(default_factory=list)  # every job, one per language batch


def resolve_languages(client: WixClient, requested: Sequence[str] | None) -> list[str]:
    """The site's languages (primary first), or *requested* with the primary put first."""
    site = client.site_languages()
    if not requested:
        return site
    primary = Language(site[0])
    wanted = [Language.parse(tag) for tag in requested]
    main = next((lang.tag for lang in wanted if lang == primary), site[0])
    seen = {primary}
    others = []
    for lang in wanted:
        if lang not in seen:
            seen.add(lang)
            others.append(lang.tag)
    return [main, *others]


def export_content(
    client: WixClient,
    path: str | Path,
    *,
    languages: Sequence[str] | None = None,
    fmt: str | None = None,
    on_progress: ProgressCallback | None = None,
    allow_partial: bool = False,
) -> ExportResult:
    """Export the site's translatable content to *path* (written atomically).

    More languages than one job takes (:data:`~wixloc.site.batches.MAX_JOB_LANGUAGES`) are
    exported one job per batch, each led by the main language, and joined by key into one
    file; up to that, the file is the job's own. A PARTIALLY_SUCCESSFUL export is an error
    (and *path* is left as it was) unless *allow_partial*: pull, the backup and the
    verification need the whole content."""
    target = Path(path)
    langs = resolve_languages(client, languages)
    if len(langs) < 2:
        raise LanguageError(
            f"an export needs the main language and at least one other (got {', '.join(langs)})"
        )
    kind = file_format(target, fmt)
    if len(langs) <= MAX_JOB_LANGUAGES:
        job = export_localization(
            client, langs, target, fmt=kind, on_progress=on_progress, allow_partial=allow_partial
        )
        return ExportResult(target, langs, job, [job])
    tables, jobs = _export_batches(client, langs, kind, on_progress, allow_partial)
    table = join_tables(tables)
    save_table(table, target, fmt=get_format(kind.lower()))
    return ExportResult(target, langs, jobs[-1], jobs)


def _export_batches(
    client: WixClient,
    languages: Sequence[str],
    kind: str,
    on_progress: ProgressCallback | None,
    allow_partial: bool,
) -> tuple[list[Table], list[wire.Job]]:
    """One export job per language batch, each read back as a table."""
    tables, jobs = [], []
    suffix = ".jsonl" if kind == "JSONL" else ".csv"
    with tempfile.TemporaryDirectory(prefix="wixloc-export-") as tmp:
        for n, batch in enumerate(language_batches(list(languages))):
            path = Path(tmp) / f"site-{n}{suffix}"
            job = export_localization(
                client, batch, path, fmt=kind, on_progress=on_progress, allow_partial=allow_partial
            )
            jobs.append(job)
            tables.append(load_table(path))
    return tables, jobs


# --- import: the plan ------------------------------------------------------------------------


def validate_for_import(table: Table) -> None:
    """Refuse a table that cannot be imported: no key column, one language, an empty key.

    The layout of Wix's localization CSV is not published, so nothing here names a column: the
    key columns are whatever the file's header says they are (see ``formats._columns``).
    """
    if not table.key_columns:
        raise InputError(
            "the file has no key columns, only languages",
            file=table.source,
            hint="import a file as 'wixloc export' wrote it, with its key columns",
        )
    if len(table.languages) < 2:
        raise LanguageError(
            "the file has one language; an import needs the main language and at least one other",
            file=table.source,
        )
    for entry in table.entries:
        if not all(entry.key):
            empty = table.key_columns[entry.key.index("")]
            raise InputError(f"a row with an empty {empty}", file=table.source, line=entry.line)
    refuse_controls(table)


# C0 controls but tab, LF and CR: a site's text fields cannot hold them (Wix drops or refuses
# them, a NUL cuts the text short), so an import must not send them.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def refuse_controls(table: Table) -> None:
    """Refuse a table whose keys or texts hold a control character a site cannot store."""
    for entry in table.entries:
        texts = [("key", part) for part in entry.key]
        texts += [(lang.tag, entry.text(lang)) for lang in table.languages]
        for where, text in texts:
            found = _CONTROLS.search(text)
            if found is not None:
                raise InputError(
                    f"{format_key(entry.key)} ({where}): the text holds the control character "
                    f"U+{ord(found.group()):04X}, which a site cannot store",
                    file=table.source,
                    line=entry.line,
                    hint="remove it from the file",
                )


def check_before_import(path: str | Path, encoding: str | None = None) -> None:
    """Refuse a file with a `wixloc check` error (a broken placeholder or tag, a text too long)."""
    report = check_files([path], CheckConfig(ignore=list(COMPLETENESS_RULES), encoding=encoding))
    errors = [f for f in report.findings if f.severity == "error"]
    if errors:
        first = errors[0]
        where = f"line {first.line}, " if first.line else ""
        raise InputError(
            f"{len(errors)} check {'error' if len(errors) == 1 else 'errors'}, the first: "
            f"{where}{first.key} ({first.language}): {first.code}: {first.message}",
            file=path,
            hint=f"run 'wixloc check {path}' for all of them",
        )


@dataclass
class LanguageDiff:
    language: str
    added: int = 0
    changed: int = 0
    blanked: int = 0
    main: bool = False

    @property
    def total(self) -> int:
        return self.added + self.changed + self.blanked


@dataclass(frozen=True)
class Replaced:
    """A value the site holds now that the import would replace."""

    key: Key
    language: str
    site: str
    new: str


@dataclass
class ImportPlan:
    """What an import would do: the rows to upload and how they differ from the site.

    The upload holds only the rows that change, as the site's own export spelled them (its
    columns in its order, every other cell verbatim); the backup, written just before the job
    is submitted, holds the same rows as the site has them now, so that importing the backup
    undoes the import.
    """

    source: str
    languages: list[str]  # main first, as sent in destination.localization.languages
    reconciled: Reconciled
    backup: Path
    diffs: list[LanguageDiff]
    main_changes: list[Key] = field(default_factory=list)  # the file edits main-language text
    replaced: list[Replaced] = field(default_factory=list)
    base: str | None = None  # the snapshot compared with; None: the site as it is now

    @property
    def changes(self) -> int:
        return self.reconciled.changes

    @property
    def unknown(self) -> list[Key]:
        """Keys of the file that the site does not have (not sent)."""
        return self.reconciled.deleted

    @property
    def rows(self) -> list[tuple[Key, dict[str, str]]]:
        """The upload's rows: key, then text per language tag."""
        return [
            (e.key, {lang.tag: e.text(lang) for lang in self.reconciled.upload.languages})
            for e in self.reconciled.upload.entries
        ]

    def upload_bytes(self, languages: Sequence[str] | None = None) -> bytes:
        """The CSV to upload: the changed rows in the export's own layout, with the language
        columns of the main language and of the languages that change (so a language the
        import does not touch is not written back, even as it was); *languages*: those of
        one job's batch (main first) instead."""
        tags = self.languages if languages is None else languages
        return _csv_bytes(select_languages(self.reconciled.upload, tags))

    def write_backup(self) -> None:
        """Keep the site's current values of the rows about to change."""
        with atomic_write(self.backup) as fh:
            fh.write(_csv_bytes(self.reconciled.backup))


def _csv_bytes(table: Table) -> bytes:
    out = io.BytesIO()
    writer = get_format("csv").write_table
    assert writer is not None
    writer(table, out)
    return out.getvalue()


def _select(table: Table, site: list[str], requested: Sequence[str] | None) -> list[Language]:
    primary = Language(site[0])
    if table.main_language != primary:
        raise LanguageError(
            f"the file's first language is '{table.main_language}', "
            f"but the site's main language is '{site[0]}'",
            file=table.source,
            hint=f"put the {site[0]} column first",
        )
    chosen = table.languages
    if requested:
        wanted = [Language.parse(tag) for tag in requested]
        chosen = [table.main_language, *(table.language(w) for w in wanted if w != primary)]
    on_site = {Language(tag) for tag in site}
    for lang in chosen:
        if lang not in on_site:
            raise LanguageError(
                f"language '{lang}' is not enabled on the site (it has {', '.join(site)})",
                file=table.source,
            )
    if len(chosen) < 2:
        raise LanguageError("nothing to import: name at least one language besides the main one")
    return chosen


def _diffs(
    plan_langs: list[Language], reconciled: Reconciled
) -> tuple[list[LanguageDiff], list[Replaced]]:
    diffs = [LanguageDiff(lang.tag, main=n == 0) for n, lang in enumerate(plan_langs)]
    by_lang = dict(zip(plan_langs, diffs, strict=True))
    replaced: list[Replaced] = []
    before = {e.key: e for e in reconciled.backup.entries}
    for row in reconciled.upload.entries:
        old_row = before[row.key]
        for lang, diff in by_lang.items():
            new, old = row.text(lang), old_row.text(lang)
            if new == old:
                continue
            if not old:
                diff.added += 1
                continue
            replaced.append(Replaced(row.key, lang.tag, old, new))
            if not new:
                diff.blanked += 1
            else:
                diff.changed += 1
    return diffs, replaced


def site_table(
    client: WixClient,
    languages: Sequence[str],
    *,
    on_progress: ProgressCallback | None = None,
) -> Table:
    """The site's content now, in one table (several jobs for more languages than one takes)."""
    tables, _ = _export_batches(client, languages, "CSV", on_progress, False)
    table = join_tables(tables)
    table.source = "the site"
    return table


def plan_import(
    client: WixClient,
    path: str | Path,
    *,
    languages: Sequence[str] | None = None,
    project: Project | None = None,
    on_progress: ProgressCallback | None = None,
    check: bool = True,
    table: Table | None = None,
    base: str | Path | None = None,
    policy: Policy | None = None,
    encoding: str | None = None,
) -> ImportPlan:
    """Validate the file, export the site, and work out what the import would change.

    *table*: the content to import, already read (push passes what it merged); else *path* is
    read. *base*: the snapshot the file was made from, for a three-way comparison (a cell the
    site changed since then is a conflict, not overwritten); without it the file is compared
    with the site as it is now. *check*: run `wixloc check`'s error rules first.
    Nothing is written: the backup is kept only when the import runs.
    """
    if table is None:
        table = load_table(path, encoding=encoding)
        if check:
            check_before_import(path, encoding)
    validate_for_import(table)
    site_langs = client.site_languages()
    langs = _select(table, site_langs, languages)
    site = site_table(client, site_langs, on_progress=on_progress)
    _same_keys(table, site)
    base_table = site if base is None else load_table(base)
    wanted = frozenset(langs[1:]) if languages else None
    settle = policy or Policy()
    settle = Policy(settle.prefer_files, settle.accept_stale, settle.update_source, wanted)
    reconciled = reconcile(base_table, site, table, settle)
    diffs, replaced = _diffs([site.language(lang) for lang in langs], reconciled)
    main_changes = _main_changes(base_table, table)
    if main_changes and not settle.update_source:
        diffs[0].changed += len(main_changes)  # shown, then refused (see LocalizationImport)
    backup = (project or Project.here()).new_backup("backup")
    sent = [d.language for d in diffs if d.main or d.total]
    if len(sent) == 1 and len(diffs) > 1:
        sent.append(diffs[1].language)  # a job takes two languages: one as the site has it
    return ImportPlan(
        str(path),
        sent,
        reconciled,
        backup,
        diffs,
        main_changes,
        replaced,
        None if base is None else str(base),
    )


def _same_keys(table: Table, site: Table) -> None:
    """The file's rows must be addressed as the site's export addresses them."""
    if table.key_columns != site.key_columns:
        mine, theirs = ", ".join(table.key_columns), ", ".join(site.key_columns)
        raise InputError(
            f"the file's key columns ({mine}) are not the site's ({theirs})",
            file=table.source,
            hint="import a file as 'wixloc export' wrote it, with its key columns",
        )


def _main_changes(base: Table, table: Table) -> list[Key]:
    """Keys whose main-language text the file changes (compared with the base)."""
    main = base.main_language
    index = base.index()
    changed = []
    for entry in table.entries:
        before = index.get(entry.key)
        if before is not None and entry.text(main) != before.text(main):
            changed.append(entry.key)
    return changed


# --- import: the run -------------------------------------------------------------------------


@dataclass(frozen=True)
class Rejected:
    row: str
    key: str
    code: str
    reason: str


@dataclass(frozen=True)
class Mismatch:
    key: Key
    language: str
    expected: str
    actual: str | None  # None: the site has no such entry


@dataclass
class ImportResult(Outcome[ImportPlan]):
    """A FAILED job is raised before its logs are read; a partial one is returned."""

    rejected: list[Rejected] = field(default_factory=list)
    mismatches: list[Mismatch] = field(default_factory=list)

    noun: ClassVar[str] = "rows"

    def error(self) -> WixlocError | None:
        """The exit-3 error the outcome deserves, if any: the job's, else the verification's."""
        error = super().error()
        if error is None and self.mismatches:
            count = len(self.mismatches)
            error = VerificationError(
                f"{plural(count, 'imported value')} {'is' if count == 1 else 'are'} "
                "not on the site after the import"
            )
        return error

    def rejected_count(self) -> int | None:
        return (self.job.progress.rejected if self.job else 0) or len(self.rejected)


def _rejected(logs: list[wire.MovementLog], plan: ImportPlan) -> list[Rejected]:
    found = []
    for log in logs:
        data = log.data
        if {"collectionId", "itemId", "field"} <= set(data):
            key = format_key((str(data["collectionId"]), str(data["itemId"]), str(data["field"])))
        elif log.source_item_id.isdigit() and 2 <= int(log.source_item_id) < len(plan.rows) + 2:
            key = format_key(plan.rows[int(log.source_item_id) - 2][0])
        else:
            key = ""
        found.append(Rejected(log.source_item_id, key, log.code, log.description))
    return found


def _verify(client: WixClient, plan: ImportPlan, rejected: list[Rejected]) -> list[Mismatch]:
    """Every value sent, compared with a fresh export of the site."""
    skip = {r.key for r in rejected}
    site = site_table(client, plan.languages).index()
    found = []
    for key, texts in plan.rows:
        if format_key(key) in skip:
            continue
        entry = site.get(key)
        for tag in plan.languages:
            expected = texts[tag]
            actual = None if entry is None else entry.text(Language(tag))
            if actual != expected:
                found.append(Mismatch(key, tag, expected, actual))
    return found


class LocalizationImport(Flow[ImportPlan, ImportResult]):
    """The localization import's steps for :func:`~wixloc.site.flow.run_flow`."""

    def __init__(
        self,
        client: WixClient,
        path: str | Path,
        *,
        languages: Sequence[str] | None = None,
        update_source: bool = False,
        project: Project | None = None,
        check: bool = True,
        table: Table | None = None,
        base: str | Path | None = None,
        policy: Policy | None = None,
        encoding: str | None = None,
    ) -> None:
        super().__init__(client)
        self.encoding = encoding
        self.path = Path(path)
        self.languages = languages
        self.update_source = update_source
        self.project = project or Project.here()
        self.check = check
        self.table = table
        self.base = base
        given = policy or Policy()
        self.policy = Policy(given.prefer_files, given.accept_stale, update_source, given.languages)

    def plan(self) -> ImportPlan:
        return plan_import(
            self.client,
            self.path,
            languages=self.languages,
            project=self.project,
            check=self.check,
            table=self.table,
            base=self.base,
            policy=self.policy,
            encoding=self.encoding,
        )

    def nothing_to_do(self, plan: ImportPlan) -> bool:
        return plan.changes == 0 and not (plan.main_changes and not self.update_source)

    def refuse(self, plan: ImportPlan) -> None:
        if plan.main_changes and not self.update_source:
            raise UsageError(
                f"the file changes main-language ({plan.languages[0]}) text of "
                f"{plural(len(plan.main_changes), 'entry')}, e.g. {format_key(plan.main_changes[0])}",
                hint="pass --update-source to change the site's main-language text",
            )

    def stage(self, plan: ImportPlan) -> wire.JobSpec:
        plan.write_backup()  # before anything reaches the site
        return self._stage(plan, plan.languages)

    def stages(self, plan: ImportPlan) -> Iterator[wire.JobSpec]:
        """One job per batch of at most 64 languages, each led by the main language and
        holding the same rows (so a rejected row's number means the same in every job)."""
        if len(plan.languages) <= MAX_JOB_LANGUAGES:
            yield self.stage(plan)
            return
        plan.write_backup()  # before anything reaches the site
        for batch in language_batches(plan.languages):
            yield self._stage(plan, batch)

    def _stage(self, plan: ImportPlan, languages: list[str]) -> wire.JobSpec:
        return stage_file(
            self.client,
            plan.upload_bytes(languages),
            wire.Localization(tuple(languages)),
            file_name=self.path.with_suffix(".csv").name,
        )

    def judge(self, job: wire.Job) -> None:
        check_job(job)  # FAILED: nothing to verify; PARTIALLY_SUCCESSFUL: the logs say what

    def outcome(
        self, plan: ImportPlan, job: wire.Job, logs: list[wire.MovementLog]
    ) -> ImportResult:
        rejected = _rejected(logs, plan)
        mismatches = _verify(self.client, plan, rejected)
        return ImportResult(plan, job, logs, rejected=rejected, mismatches=mismatches)

    def stopped(self, plan: ImportPlan, *, cancelled: bool) -> ImportResult:
        return ImportResult(plan, cancelled=cancelled)


def import_content(
    client: WixClient,
    path: str | Path,
    *,
    languages: Sequence[str] | None = None,
    dry_run: bool = False,
    update_source: bool = False,
    show: Callable[[ImportPlan], None] | None = None,
    confirm: Callable[[ImportPlan], bool] | None = None,
    on_progress: ProgressCallback | None = None,
    project: Project | None = None,
    check: bool = True,
    hooks: JobHooks = NO_HOOKS,
    table: Table | None = None,
    base: str | Path | None = None,
    policy: Policy | None = None,
    encoding: str | None = None,
) -> ImportResult:
    """Plan, show, refuse or confirm, import, collect rejected rows, verify.

    *base* makes the import a three-way merge (see :mod:`wixloc.roundtrip.threeway`); *table*
    is the content to import when the caller has it already (push).
    """
    flow = LocalizationImport(
        client,
        path,
        languages=languages,
        update_source=update_source,
        project=project,
        check=check,
        table=table,
        base=base,
        policy=policy,
        encoding=encoding,
    )
    return run_flow(
        flow, dry_run=dry_run, show=show, confirm=confirm, on_progress=on_progress, hooks=hooks
    )
