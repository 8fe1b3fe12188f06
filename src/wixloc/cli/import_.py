"""``wixloc import``: a table back into the site, with the protections of
:mod:`wixloc.site.localization` (or into a collection: :mod:`wixloc.site.collections`)."""

from __future__ import annotations

from pathlib import Path

import click

from wixloc.cli._options import FilePath, comma_list, encoding_option
from wixloc.cli._remote import (
    SHOWN,
    ask,
    echo_job,
    echo_logs,
    mask,
    plural,
    progress,
    project_here,
    remote,
    remote_session,
    sandbox_option,
    site_languages_option,
    timeout_option,
)
from wixloc.errors import UsageError
from wixloc.fsutil import relative
from wixloc.model import format_key
from wixloc.roundtrip.threeway import Policy
from wixloc.site.collections import WRITE_POLICIES, ItemsPlan, import_items
from wixloc.site.flow import NO_HOOKS, JobHooks
from wixloc.site.localization import ImportPlan, ImportResult, import_content
from wixloc.site.project import Project
from wixloc.site.recovery import JournalHooks

__all__ = ["COMMANDS"]


def _shown(path: str | Path) -> str:
    """A path as the user can type it here: relative to the current folder when inside it."""
    return relative(path, Path.cwd())


def show_plan(plan: ImportPlan) -> None:
    against = f"the snapshot {_shown(plan.base)}" if plan.base else "the site"
    source = _shown(plan.source)
    click.echo(f"Changes {source} would make (languages {', '.join(plan.languages)}):")
    width = max(len(d.language) for d in plan.diffs) + 7
    for diff in plan.diffs:
        label = f"{diff.language} (main)" if diff.main else diff.language
        click.echo(
            f"  {label:<{width}} {diff.added} added, {diff.changed} changed, {diff.blanked} blanked"
        )
    if plan.replaced:
        _listing(
            "Values on the site it replaces (key, language: on the site → from the file):",
            [f"{format_key(r.key)}, {r.language}: {r.site!r} → {r.new!r}" for r in plan.replaced],
        )
    show_held_back(plan, against)
    if plan.changes == 0 and not plan.main_changes:
        click.echo("The site already holds these values: nothing to import.")


def show_held_back(plan: ImportPlan, against: str) -> None:
    """What the import does not send, and why: conflicts, stale entries, unknown rows."""
    result = plan.reconciled
    if result.conflicts:
        taken = any(c.taken for c in result.conflicts)
        what = "sent anyway (--prefer files)" if taken else "not sent"
        _listing(
            f"{plural(len(result.conflicts), 'conflict')}: the site changed the value since "
            f"{against}; {what} (key, language: then / on the site now / from the file):",
            [
                f"{format_key(c.key)}, {c.language.tag}: {c.base!r} / {c.site!r} / {c.file!r}"
                for c in result.conflicts
            ],
        )
    if result.stale:
        taken = any(st.taken for st in result.stale)
        what = (
            "sent anyway (--accept-stale)" if taken else "not sent; the next pull sends them again"
        )
        _listing(
            f"{plural(len(result.stale), 'stale translation')}: the source changed on the site "
            f"since {against}; {what} (key, language: source then → now):",
            [
                f"{format_key(st.key)}, {st.language.tag}: {st.old_source!r} → {st.new_source!r}"
                for st in result.stale
            ],
        )
    if plan.unknown:
        _listing(
            f"{plural(len(plan.unknown), 'row')} for entries the site does not have (deleted, "
            "or never there), not sent:",
            [format_key(key) for key in plan.unknown],
        )


def _listing(header: str, lines: list[str]) -> None:
    """A header, then the first SHOWN lines indented, then how many more there are."""
    click.echo(mask(header))
    for line in lines[:SHOWN]:
        click.echo(mask(f"  {line}"))
    if len(lines) > SHOWN:
        click.echo(f"  ... and {len(lines) - SHOWN} more")


def _confirm(plan: ImportPlan) -> bool:
    return ask(f"Import {plural(plan.changes, 'change')} into the site?")


def show_result(result: ImportResult) -> None:
    job = result.job
    assert job is not None
    p = job.progress
    backup = _shown(result.plan.backup)
    source = " --update-source" if any(d.main and d.total for d in result.plan.diffs) else ""
    click.echo(f"Backup of the rows it changed, as they were: {backup}")
    click.echo(f"  (to undo the import: wixloc import {backup} --yes{source})")
    click.echo(
        f"Job {job.id}: {job.status}, {plural(p.successful, 'row')} imported, "
        f"{p.rejected} rejected."
    )
    if result.rejected:
        click.echo("Rejected rows (row, key, code, reason):")
        for r in result.rejected[:SHOWN]:
            click.echo(mask(f"  row {r.row}  {r.key}  {r.code}  {r.reason}"))
        if len(result.rejected) > SHOWN:
            click.echo(f"  ... and {len(result.rejected) - SHOWN} more")
    if result.mismatches:
        click.echo("Values that did not stick (key, language: sent / on the site):")
        for m in result.mismatches[:SHOWN]:
            actual = "(no such entry)" if m.actual is None else repr(m.actual)
            click.echo(f"  {format_key(m.key)}, {m.language}: {m.expected!r} / {actual}")
        if len(result.mismatches) > SHOWN:
            click.echo(f"  ... and {len(result.mismatches) - SHOWN} more")
    else:
        click.echo("Verified by a fresh export: the site holds every imported value.")


@click.command("import")
@click.argument("file", type=FilePath())
@site_languages_option
@click.option("--dry-run", is_flag=True, help="Show what would change, then stop.")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@click.option(
    "--update-source",
    is_flag=True,
    help="Allow the import to change the site's main-language text.",
)
@click.option(
    "--base",
    type=FilePath(exists=True),
    help="The export the file was made from: a value the site changed since is a conflict, "
    "listed and not overwritten.",
)
@click.option(
    "--prefer",
    type=click.Choice(["site", "files"]),
    default="site",
    show_default=True,
    help="With --base: who wins a conflict. 'files' overwrites the site's newer value.",
)
@click.option(
    "--collection",
    metavar="ID",
    help="Import the file's items into this collection instead of translations.",
)
@click.option(
    "--write-policy",
    type=click.Choice(list(WRITE_POLICIES)),
    default="skip-existing",
    show_default=True,
    help="With --collection: what to do with existing items.",
)
@click.option(
    "--site", metavar="ID", help="With --collection: import into this site of the account."
)
@timeout_option
@sandbox_option
@encoding_option
def import_cmd(
    file: str,
    languages: str | None,
    dry_run: bool,
    yes: bool,
    update_source: bool,
    base: str | None,
    prefer: str,
    collection: str | None,
    write_policy: str,
    site: str | None,
    timeout: float,
    sandbox: bool,
    encoding: str | None,
) -> None:
    """Import a table (CSV, JSONL ...) into the site's translations.

    The file is validated and compared with a fresh export of the site; only the rows that
    change are sent, as the export spells them, with the languages that change. Every value
    on the site that the import replaces is listed; rows for entries the site does not have
    are listed and not sent. Changing main-language text needs --update-source.

    With --base (the export the file was made from) the import is a three-way merge: a value
    the site changed since that export is a conflict, listed and left alone (--prefer files
    overwrites it). Just before the job, the rows it changes are kept as they were under
    .wixloc/backups/; importing that file undoes the import. After the job, rejected rows are
    listed and a fresh export verifies the result. Exit 3 when the job failed, was partial,
    or a value did not stick. Without a terminal, pass --yes (or --dry-run).

    With --collection the file's items go into a collection instead: the collection is
    backed up first, the plan is shown, and an import that would delete or replace items
    (truncate-before, overwrite) asks first unless --yes. Then the job's status and its
    movement logs; exit 3 when it failed or was partial (skip-existing logs each existing
    item as rejected with WDE0074).

    In a project (a wixloc.toml here or above), the import holds the project's lock and is
    recorded in .wixloc/journal/ while it runs: a killed import is looked up and reported
    by the next command.

    \b
    Example:
      wixloc import content.csv --dry-run
      wixloc import content.csv --base .wixloc/snapshots/20261201-pull.csv --yes
      wixloc import content.csv --languages de,he --yes
      wixloc import content.csv --sandbox --yes
      wixloc import newProducts.csv --collection Products --write-policy skip-existing
    """
    if collection is not None:
        if languages or update_source or base or encoding:
            raise UsageError(
                "--languages, --update-source, --base and --encoding do not apply to --collection"
            )
        _import_collection(file, collection, write_policy, site, dry_run, yes, sandbox, timeout)
        return
    if site:
        raise UsageError("--site needs --collection")
    project = project_here()
    hooks = _hooks(project, "import", file)
    with (
        remote_session(project, "import", lambda: remote(sandbox), timeout=timeout) as client,
        progress("Importing") as update,
    ):
        result = import_content(
            client,
            Path(file),
            languages=comma_list(languages),
            dry_run=dry_run,
            update_source=update_source,
            show=show_plan,
            confirm=None if yes else _confirm,
            on_progress=update,
            project=Project.here(),
            base=base,
            policy=Policy(prefer_files=prefer == "files"),
            encoding=encoding,
            hooks=hooks,
        )
    if dry_run:
        click.echo("Dry run: nothing was imported.")
        if result.plan.main_changes:
            click.echo("Note: main-language text differs; the import needs --update-source.")
        return
    if result.cancelled:
        click.echo("Cancelled: nothing was imported.")
        return
    if result.job is None:
        return
    show_result(result)
    error = result.error()
    if error is not None:
        raise error


def _hooks(project: Project | None, kind: str, file: str, **data: str) -> JobHooks:
    """In a project, the import's job is journaled (see :mod:`wixloc.site.recovery`)."""
    if project is None:
        return NO_HOOKS
    return JournalHooks(project, kind, {"file": file, **data})


def show_items_plan(plan: ItemsPlan) -> None:
    click.echo(f"Backup of {plan.collection}: {plan.backup}")
    exist = f"{plan.existing} already {'exists' if plan.existing == 1 else 'exist'}"
    what = {
        "SKIP_EXISTING": f"{exist} and will be skipped",
        "OVERWRITE": f"{exist} and will be replaced",
        "TRUNCATE_BEFORE": f"the collection's {plural(plan.held, 'item')} will be deleted first",
    }[plan.policy]
    click.echo(
        f"{plan.source}: {plural(plan.rows, 'item')} into {plan.collection} ({plan.policy}): "
        f"{plan.new} new, {what}."
    )


def _confirm_items(plan: ItemsPlan) -> bool:
    """Ask before an import deletes or replaces items; one that only adds items just runs."""
    rows = plural(plan.rows, "item")
    if plan.policy == "TRUNCATE_BEFORE" and plan.held:
        held = plural(plan.held, "item")
        question = f"Delete all {held} of {plan.collection}, then import {rows}?"
    elif plan.policy == "OVERWRITE" and plan.existing:
        existing = plural(plan.existing, "existing item")
        question = f"Replace {existing} of {plan.collection} and add {plan.new}?"
    else:
        return True
    return ask(question)


def _import_collection(
    file: str,
    collection: str,
    policy: str,
    site: str | None,
    dry_run: bool,
    yes: bool,
    sandbox: bool,
    timeout: float,
) -> None:
    project = project_here()
    hooks = _hooks(project, "import-items", file, collection=collection)
    with (
        remote_session(project, "import", lambda: remote(sandbox), timeout=timeout) as client,
        progress("Importing") as update,
    ):
        result = import_items(
            client,
            Path(file),
            collection,
            write_policy=policy,
            site=site,
            dry_run=dry_run,
            show=show_items_plan,
            confirm=None if yes else _confirm_items,
            on_progress=update,
            project=Project.here(),
            hooks=hooks,
        )
    if dry_run:
        click.echo("Dry run: nothing was imported.")
        return
    if result.job is None:
        click.echo("Cancelled: nothing was imported.")
        return
    echo_job(result.job, "item", "imported")
    echo_logs(result.logs)
    error = result.error()
    if error is not None:
        raise error


COMMANDS = [import_cmd]
