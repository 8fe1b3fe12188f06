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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from wixloc.checks import CheckConfig, check_files
from wixloc.errors import InputError, LanguageError, UsageError, VerificationError, WixlocError
from wixloc.formats import get as get_format
from wixloc.formats import load_table
from wixloc.model import Column, ColumnKind, Entry, Key, Language, Table, format_key
from wixloc.site.flow import NO_HOOKS, Flow, JobHooks, Outcome, file_format, run_flow
from wixloc.site.project import Project
from wixloc.wix import wire
from wixloc.wix.client import WixClient
from wixloc.wix.jobs import ProgressCallback, check_job, export_localization, stage_file

__all__ = [
    "COMPLETENESS_RULES",
    "KEY_COLUMNS",
    "ExportResult",
    "ImportPlan",
    "ImportResult",
    "LanguageDiff",
    "LocalizationImport",
    "Mismatch",
    "Rejected",
    "check_before_import",
    "export_content",
    "import_content",
    "plan_import",
    "refuse_controls",
    "resolve_languages",
    "validate_for_import",
]

KEY_COLUMNS = ("Collection ID", "Item ID", "Field")

# What an import (and a push) does not hold back: translations still missing are the CI gate's
# business (`wixloc check --min-coverage`), and the languages are checked against the site itself.
COMPLETENESS_RULES = ("missing-translation", "coverage-below-threshold", "missing-language")


# --- export ----------------------------------------------------------------------------------


@dataclass
class ExportResult:
    path: Path
    languages: list[str]
    job: wire.Job


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

    A PARTIALLY_SUCCESSFUL export is an error (and *path* is left as it was) unless
    *allow_partial*: pull, the backup and the verification need the whole content."""
    target = Path(path)
    langs = resolve_languages(client, languages)
    if len(langs) < 2:
        raise LanguageError(
            f"an export needs the main language and at least one other (got {', '.join(langs)})"
        )
    job = export_localization(
        client,
        langs,
        target,
        fmt=file_format(target, fmt),
        on_progress=on_progress,
        allow_partial=allow_partial,
    )
    return ExportResult(target, langs, job)


# --- import: the plan ------------------------------------------------------------------------


def validate_for_import(table: Table) -> None:
    """Refuse a table that cannot be imported. Structure and languages for now.

    The check rules that are errors (issue ``wixloc check``) are to be added here, so that every
    import runs them.
    """
    missing = [name for name in KEY_COLUMNS if name not in table.key_columns]
    if missing:
        raise InputError(
            f"no column {', '.join(repr(m) for m in missing)}",
            file=table.source,
            hint=f"an import needs the key columns {', '.join(KEY_COLUMNS)} "
            "as 'wixloc export' writes them",
        )
    if len(table.languages) < 2:
        raise LanguageError(
            "the file has one language; an import needs the main language and at least one other",
            file=table.source,
        )
    for entry in table.entries:
        if not all(entry.key[table.key_columns.index(n)] for n in KEY_COLUMNS):
            raise InputError(
                "a row with an empty Collection ID, Item ID or Field",
                file=table.source,
                line=entry.line,
            )
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


def check_before_import(path: str | Path) -> None:
    """Refuse a file with a `wixloc check` error (a broken placeholder or tag, a text too long)."""
    report = check_files([path], CheckConfig(ignore=list(COMPLETENESS_RULES)))
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


@dataclass
class ImportPlan:
    """What an import would do: the file to upload and the differences with the site."""

    source: str
    languages: list[str]  # main first, as sent in destination.localization.languages
    rows: list[tuple[Key, dict[str, str]]]  # (Collection ID, Item ID, Field) → text per language
    backup: Path
    diffs: list[LanguageDiff]
    unknown: list[Key] = field(default_factory=list)  # keys the site does not have
    main_changes: list[Key] = field(default_factory=list)

    @property
    def changes(self) -> int:
        return sum(d.total for d in self.diffs) + len(self.unknown)

    def upload_bytes(self) -> bytes:
        """The CSV to upload: key columns, then the languages, main first."""
        columns = [Column(name, ColumnKind.KEY) for name in KEY_COLUMNS]
        langs = [Language(tag) for tag in self.languages]
        columns += [Column(lang.tag, ColumnKind.LANGUAGE, lang) for lang in langs]
        table = Table(languages=langs, columns=columns)
        for key, texts in self.rows:
            table.entries.append(Entry(key, {lang: texts[lang.tag] for lang in langs}))
        out = io.BytesIO()
        writer = get_format("csv").write_table
        assert writer is not None
        writer(table, out)
        return out.getvalue()


def _keyed(table: Table) -> list[tuple[Key, Entry]]:
    positions = [table.key_columns.index(name) for name in KEY_COLUMNS]
    return [(tuple(e.key[i] for i in positions), e) for e in table.entries]


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


def _diff(
    rows: list[tuple[Key, dict[str, str]]], langs: list[Language], site: dict[Key, Entry]
) -> tuple[list[LanguageDiff], list[Key], list[Key]]:
    diffs = [LanguageDiff(lang.tag, main=n == 0) for n, lang in enumerate(langs)]
    unknown: list[Key] = []
    main_changes: list[Key] = []
    for key, texts in rows:
        current = site.get(key)
        if current is None:
            unknown.append(key)
            continue
        for diff, lang in zip(diffs, langs, strict=True):
            new, old = texts[lang.tag], current.text(lang)
            if new == old:
                continue
            if diff.main:
                main_changes.append(key)
            if not old:
                diff.added += 1
            elif not new:
                diff.blanked += 1
            else:
                diff.changed += 1
    return diffs, unknown, main_changes


def plan_import(
    client: WixClient,
    path: str | Path,
    *,
    languages: Sequence[str] | None = None,
    project: Project | None = None,
    on_progress: ProgressCallback | None = None,
    check: bool = True,
) -> ImportPlan:
    """Validate the file, back the site up, and work out what the import would change.

    *check*: run `wixloc check`'s error rules first (False when the caller has just done so).
    """
    table = load_table(path)
    validate_for_import(table)
    if check:
        check_before_import(path)
    site_langs = client.site_languages()
    langs = _select(table, site_langs, languages)
    backup = (project or Project.here()).new_backup("backup")
    export_localization(client, site_langs, backup, on_progress=on_progress)
    current = dict(_keyed(load_table(backup)))
    rows = [(key, {lang.tag: e.text(lang) for lang in langs}) for key, e in _keyed(table)]
    diffs, unknown, main_changes = _diff(rows, langs, current)
    tags = [lang.tag for lang in langs]
    return ImportPlan(str(path), tags, rows, backup, diffs, unknown, main_changes)


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
            error = VerificationError(
                f"{len(self.mismatches)} imported values are not on the site after the import"
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
    skip = {r.key for r in rejected}
    with tempfile.TemporaryDirectory(prefix="wixloc-verify-") as tmp:
        fresh = Path(tmp) / "verify.csv"
        export_localization(client, plan.languages, fresh)
        site = dict(_keyed(load_table(fresh)))
    found = []
    for key, texts in plan.rows:
        if format_key(key) in skip or key in plan.unknown:
            continue
        entry = site.get(key)
        for tag, expected in texts.items():
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
    ) -> None:
        super().__init__(client)
        self.path = Path(path)
        self.languages = languages
        self.update_source = update_source
        self.project = project or Project.here()
        self.check = check

    def plan(self) -> ImportPlan:
        return plan_import(
            self.client, self.path, languages=self.languages, project=self.project, check=self.check
        )

    def nothing_to_do(self, plan: ImportPlan) -> bool:
        return plan.changes == 0

    def refuse(self, plan: ImportPlan) -> None:
        if plan.main_changes and not self.update_source:
            raise UsageError(
                f"the file changes main-language ({plan.languages[0]}) text of "
                f"{len(plan.main_changes)} entries, e.g. {format_key(plan.main_changes[0])}",
                hint="pass --update-source to change the site's main-language text",
            )

    def stage(self, plan: ImportPlan) -> wire.JobSpec:
        return stage_file(
            self.client,
            plan.upload_bytes(),
            wire.Localization(tuple(plan.languages)),
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
) -> ImportResult:
    """Plan, show, refuse or confirm, import, collect rejected rows, verify."""
    flow = LocalizationImport(
        client,
        path,
        languages=languages,
        update_source=update_source,
        project=project,
        check=check,
    )
    return run_flow(
        flow, dry_run=dry_run, show=show, confirm=confirm, on_progress=on_progress, hooks=hooks
    )
