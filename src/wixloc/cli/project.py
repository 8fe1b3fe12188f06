"""``wixloc init``, ``pull``, ``push`` and ``status``: the round trip driven by wixloc.toml."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from wixloc import workflow
from wixloc.cli._options import (
    FilePath,
    comma_list,
    languages_option,
    tm_option,
    translator_format_option,
)
from wixloc.cli._remote import ask, progress, remote_session, timeout_option
from wixloc.cli.import_ import show_plan, show_result
from wixloc.cli.merge import with_hint
from wixloc.config import Config, load_config
from wixloc.grammar import plural
from wixloc.locales import display_name
from wixloc.site.connect import client_for
from wixloc.site.journal import Journal
from wixloc.site.localization import ImportPlan
from wixloc.site.project import Project
from wixloc.wix.client import WixClient
from wixloc.wix.jobs import ProgressCallback

SHOWN = 20  # errors listed when the check stops a push; the rest are in the HTML report


@contextmanager
def _session(
    config: Config, command: str, timeout: float, label: str
) -> Iterator[tuple[WixClient, ProgressCallback]]:
    """The project's remote session (its lock, the journal's leftovers finished) and the jobs'
    progress bar, for pull and push."""
    project = Project(config.root)
    connect = lambda: client_for(config)  # noqa: E731 - the session connects when it starts
    with (
        remote_session(project, command, connect, timeout=timeout, folders=[config.dir]) as client,
        progress(label) as on_progress,
    ):
        yield client, on_progress


def _step(message: str) -> None:
    click.echo(f"• {message}", err=True)


config_option = click.option(
    "--config",
    "config_path",
    type=FilePath(path_type=Path),
    help="The project file (default: the nearest wixloc.toml).",
)


@click.command()
@click.option("--sandbox", is_flag=True, help="Work against an embedded sandbox: no credentials.")
@translator_format_option
@click.option("--dir", "folder", default="translations", show_default=True, help="Where they go.")
@click.option("--force", is_flag=True, help="Overwrite an existing wixloc.toml.")
def init(sandbox: bool, fmt: str, folder: str, force: bool) -> None:
    """Write a commented wixloc.toml in this folder.

    The site id comes from WIX_SITE_ID and the languages from the site (its main language
    first); the API key is never written to the file, only read from WIX_API_KEY.

    \b
    Example:
      wixloc init --sandbox              # try everything offline
      WIX_SITE_ID=... WIX_API_KEY=... wixloc init --format xliff
    """
    path, languages = workflow.init_project(
        Path.cwd(), sandbox=sandbox, fmt=fmt, folder=folder, force=force
    )
    click.echo(f"wrote {path.name}")
    if languages:
        names = ", ".join(f"{tag} ({display_name(tag)})" for tag in languages)
        click.echo(f"languages: {names}; the first is the main language")
    else:
        click.echo("languages: read from the site when you pull (set WIX_API_KEY and WIX_SITE_ID)")
    click.echo("next: wixloc pull")


@click.command()
@config_option
@click.option(
    "--force", is_flag=True, help="Overwrite translator files changed since the last pull."
)
@languages_option("Only these target languages, comma-separated: de,fr (default: all).")
@click.option(
    "--dry-run", is_flag=True, help="Export and show what would be written; write nothing."
)
@tm_option("A translation memory to pre-fill and suggest from, besides [translators] tm (repeat).")
@timeout_option
def pull(
    config_path: Path | None,
    force: bool,
    languages: str | None,
    dry_run: bool,
    tms: tuple[Path, ...],
    timeout: float,
) -> None:
    """Export the site and write translator files for what needs translating.

    Keeps the export in .wixloc/snapshots/, then writes one file per language into the
    translator folder with the entries that are missing (and, with only = "changed", those
    whose source changed since they were translated). Exact matches from the translation
    memories (--tm, [translators] tm, the site's own translations) are pre-filled, fuzzy ones
    offered as suggestions. Prints entries and words per language. With --dry-run the export
    is not kept and no file or state changes.

    \b
    Example:
      wixloc pull
      wixloc pull --languages de,fr
      wixloc pull --dry-run
      wixloc pull --tm agency.tmx
      wixloc pull --config site/wixloc.toml
    """
    config = load_config(config_path)
    project = Project(config.root)
    with _session(config, "pull", timeout, "exporting") as (client, on_progress):
        result = workflow.pull(
            config,
            force=force,
            tms=tms,
            on_step=_step,
            on_progress=on_progress,
            client=client,
            languages=comma_list(languages),
            dry_run=dry_run,
        )
    if result.baseline and not dry_run:
        _step("First pull: the site's current translations are recorded as up to date")
    click.echo(
        f"{'language':<9} {'file':<32} {'entries':>7} {'words':>6}  new / changed / repeated (words)"
    )
    for f in result.files:
        total = f.stats.total
        where = project.rel(f.path) if f.path else "(nothing to translate)"
        parts = f"{f.stats.new.words} / {f.stats.changed.words} / {f.stats.repetitions.words}"
        click.echo(f"{f.language:<9} {where:<32} {total.entries:>7} {total.words:>6}  {parts}")
    if dry_run:
        click.echo("dry run: nothing written")


def _confirm(plan: ImportPlan) -> bool:
    return ask(f"Import {plural(plan.changes, 'change')} into the site?")


@click.command()
@config_option
@click.option("--dry-run", is_flag=True, help="Merge, check and show the changes; import nothing.")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@click.option(
    "--include-fuzzy",
    is_flag=True,
    help="Also apply translations the files mark fuzzy or for review.",
)
@click.option(
    "--accept-stale",
    is_flag=True,
    help="Also send translations made from a source that changed since the pull.",
)
@click.option(
    "--prefer",
    type=click.Choice(["site", "files"]),
    default="site",
    show_default=True,
    help="Who wins a conflict (a value the site changed since the pull): 'files' overwrites it.",
)
@languages_option("Only these languages, comma-separated (e.g. de,fr).")
@timeout_option
def push(
    config_path: Path | None,
    dry_run: bool,
    yes: bool,
    include_fuzzy: bool,
    accept_stale: bool,
    prefer: str,
    languages: str | None,
    timeout: float,
) -> None:
    """Merge the translator files, check them and import what they change into the site.

    Each file is merged into the snapshot it was made from (the pull's); `wixloc check` runs
    on the result (an error stops the push; the HTML report is kept in .wixloc/reports/).
    Then the site is exported again and the push is a three-way merge: a translation goes in
    only where the site still holds what it held at the pull. A value the site changed since
    is a conflict, listed and left alone (--prefer files overwrites it); a translation whose
    source changed on the site since is stale, listed and not sent (the next pull sends it
    again; --accept-stale sends it); rows for items deleted on the site are dropped. Only the
    rows that change are imported; the site's previous values of exactly those rows are kept
    in .wixloc/backups/. Then it verifies and records the accepted translations.

    \b
    Example:
      wixloc push --dry-run
      wixloc push --yes
      wixloc push --yes --languages de --prefer files
    """
    config = load_config(config_path)
    project = Project(config.root)
    with _session(config, "push", timeout, "pushing") as (client, on_progress):
        result = workflow.push(
            config,
            dry_run=dry_run,
            include_fuzzy=include_fuzzy,
            accept_stale=accept_stale,
            prefer_files=prefer == "files",
            languages=comma_list(languages),
            on_step=_step,
            show=show_plan,
            confirm=None if yes or dry_run else _confirm,
            client=client,
            on_progress=on_progress,
            on_checked=lambda merged: _show_merge(project, merged),
        )
    _show_outcome(project, result, dry_run)


def _show_merge(project: Project, result: workflow.PushResult) -> None:
    """The files, the merge and the check: shown before the import's plan."""
    for note in result.notes:
        click.echo(f"{note.path}: {note.reason}")
    for path in result.missing:
        click.echo(f"{path}: pulled, but not in the folder now (nothing of it was pushed)")
    for lang, rep in result.merge_report.languages.items():
        skipped = f", {len(rep.skipped)} skipped" if rep.skipped else ""
        click.echo(f"merged {lang}: {rep.applied} applied, {rep.unchanged} unchanged{skipped}")
        for reason, keys in rep.reasons().items():
            click.echo(f"  {len(keys)} {with_hint(reason)}")
    report = result.check_report
    click.echo(f"check: {report.summary_line()} (report: {project.rel(result.report_html)})")
    shown = [f for f in report.findings if f.severity == "error"] or report.findings
    for finding in shown[:SHOWN]:
        click.echo(
            f"  {finding.severity} {finding.language} {finding.key}: "
            f"{finding.code}: {finding.message}"
        )
    if len(shown) > SHOWN:
        click.echo(f"  ... and {len(shown) - SHOWN} more in the report")


def _show_outcome(project: Project, result: workflow.PushResult, dry_run: bool) -> None:
    if result.stopped_by_check:
        click.echo("nothing imported: fix the errors in the translator files and push again")
        raise click.exceptions.Exit(1)
    outcome = result.result
    if outcome is None or outcome.job is None:
        if dry_run:
            click.echo("nothing imported (dry run)")
        elif outcome is not None and outcome.cancelled:
            click.echo("Cancelled: nothing was imported.")
        else:
            click.echo("nothing to import")
            click.echo(f"recorded the site as it is now in {project.rel(project.state_path)}")
        return
    show_result(outcome)
    accepted = plural(result.accepted, "accepted translation")
    click.echo(f"recorded {accepted} in {project.rel(project.state_path)}")


@click.command()
@config_option
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
def status(config_path: Path | None, as_json: bool) -> None:
    """Show per language: translated, missing, stale and coverage; and files still out.

    Reads the latest snapshot (taken by pull and after each push) and .wixloc/state.json.
    Before the first pull there is nothing to show: one line says so (exit 0).

    \b
    Example:
      wixloc status
      wixloc status --json
    """
    config = load_config(config_path)
    project = Project(config.root)
    if not any(project.snapshots.glob("*.csv")):
        # a new project is not an error: the next step is named instead
        if as_json:
            click.echo(json.dumps(_status_json(project, None), indent=2))
        else:
            click.echo("no pull yet: run 'wixloc pull'")
            _interrupted(project)
        return
    result = workflow.status(config)
    if as_json:
        click.echo(json.dumps(_status_json(project, result), ensure_ascii=False, indent=2))
        return
    click.echo(f"snapshot: {project.rel(result.snapshot)}")
    click.echo(f"{'language':<9} {'translated':>10} {'missing':>8} {'stale':>6} {'coverage':>9}")
    for row in result.languages:
        c = row.coverage
        mark = "  (main)" if c.main else ""
        click.echo(
            f"{c.language.tag:<9} {c.filled:>10} {c.missing:>8} {row.stale:>6} {c.percent:>8.1f}%{mark}"
        )
    if result.out:
        click.echo("translator files out, not yet pushed:")
        for out in result.out:
            entries = plural(out.entries, "entry")
            click.echo(f"  {out.path} ({out.language}, {entries}, pulled {out.pulled})")
    if result.missing:
        click.echo("pulled translator files missing from the folder (nothing of them pushed):")
        for out in result.missing:
            click.echo(f"  {out.path} ({out.language}, pulled {out.pulled})")
    _interrupted(project)


def _status_json(project: Project, result: workflow.StatusResult | None) -> dict[str, object]:
    """The status table as data: the same numbers as the text, plus the interrupted work."""
    pending = [
        {
            "kind": r.kind,
            "what": r.data.get("file") or r.name,
            "job": r.job_id,
            "started": r.started,
        }
        for r in Journal(project.state_dir).pending()
    ]
    if result is None:
        return {"snapshot": None, "languages": [], "out": [], "interrupted": pending}
    languages = [
        {
            "language": row.coverage.language.tag,
            "main": row.coverage.main,
            "translated": row.coverage.filled,
            "missing": row.coverage.missing,
            "stale": row.stale,
            "total": row.coverage.total,
            "coverage": row.coverage.percent,
        }
        for row in result.languages
    ]
    out = [
        {"path": o.path, "language": o.language, "entries": o.entries, "pulled": o.pulled}
        for o in result.out
    ]
    return {
        "snapshot": project.rel(result.snapshot),
        "languages": languages,
        "out": out,
        "interrupted": pending,
    }


def _interrupted(project: Project) -> None:
    """Work a killed command left in the journal: status has no client to look it up with."""
    records = Journal(project.state_dir).pending()
    if not records:
        return
    click.echo("interrupted work, finished by the next pull, push or import:")
    for record in records:
        what = record.data.get("file") or record.name
        job = f"job {record.job_id}" if record.job_id else "job id not known yet"
        click.echo(f"  {record.kind} of {what} ({job}), started {record.started}")


COMMANDS = [init, pull, push, status]
