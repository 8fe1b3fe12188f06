"""``wixloc merge``: translator files back into the table."""

from __future__ import annotations

from pathlib import Path

import click

from wixloc.cli._options import FilePath, encoding_option, jobs_option
from wixloc.cli._progress import bar
from wixloc.config import find_config, load_config
from wixloc.errors import UsageError
from wixloc.locales import normalize_tag
from wixloc.model import Key, format_key
from wixloc.roundtrip.files import merge_files
from wixloc.roundtrip.merge import POLICY_FOR, LanguageReport, MergePolicy
from wixloc.workers import default_jobs

__all__ = ["COMMANDS", "merge", "with_hint"]

SHOWN_KEYS = 3  # keys listed per skip reason
OPTIONS = {"include_fuzzy": "--include-fuzzy", "accept_stale": "--accept-stale"}


@click.command()
@click.argument("table", type=FilePath(path_type=Path))
@click.argument("files", nargs=-1, required=True, type=FilePath(path_type=Path))
@click.option(
    "-o",
    "--output",
    "out",
    type=FilePath(path_type=Path),
    help="Write the merged table here.",
)
@click.option("--in-place", is_flag=True, help="Overwrite TABLE with the merged table.")
@click.option(
    "--include-fuzzy", is_flag=True, help="Also apply translations marked fuzzy / for review."
)
@click.option(
    "--accept-stale", is_flag=True, help="Also apply translations made from an older source text."
)
@click.option(
    "--alias",
    "aliases",
    metavar="FILE=TABLE",
    multiple=True,
    help="Take a file's language FILE as the table's TABLE (pt=pt-PT); repeatable. Adds to "
    "[languages] aliases in wixloc.toml.",
)
@jobs_option(
    "Processes that read the translator files while the table is read (default: one per "
    "CPU core, at most 4; 1: this process only). One file is read in this process."
)
@encoding_option
def merge(
    table: Path,
    files: tuple[Path, ...],
    out: Path | None,
    in_place: bool,
    include_fuzzy: bool,
    accept_stale: bool,
    aliases: tuple[str, ...],
    encoding: str | None,
    jobs: int | None,
) -> None:
    """Apply the translations in FILES (PO, XLIFF, XLSX) to TABLE.

    Each file's format and version are read from its content. A non-empty translation is never
    blanked; keys or languages the table lacks are an error; a unit whose source is not the one
    it was made from (a sorted column, a pasted row) is an error; stale, unfinished, blank and
    copied-source targets are reported and skipped. A file's language matches the table's
    when it is the same language (de-DE for de), or by --alias.

    \b
    Example:
      wixloc merge content.csv translations/content.de.xlf translations/content.he.po -o merged.csv
      wixloc merge content.csv content.xlsx --in-place --include-fuzzy
      wixloc merge content.csv translations/content.de.po translations/content.he.po -o merged.csv -j 2
    """
    if (out is None) == (not in_place):
        raise UsageError("give either -o OUT or --in-place")
    with bar("Merging", "files") as on_progress:
        report = merge_files(
            table,
            files,
            out if out is not None else table,
            policy=MergePolicy(include_fuzzy=include_fuzzy, accept_stale=accept_stale),
            encoding=encoding,
            aliases=_aliases(aliases),
            on_progress=on_progress,
            jobs=jobs or default_jobs(),
        )
    for lang_report in report.languages.values():
        _print(lang_report)
    click.echo(f"wrote {out if out is not None else table}")


def with_hint(reason: str) -> str:
    """A skip reason with the option that applies such units, for the commands that have
    --include-fuzzy and --accept-stale (merge, push)."""
    option = OPTIONS.get(POLICY_FOR.get(reason, ""))
    return f"{reason}; use {option} to apply" if option else reason


def _aliases(given: tuple[str, ...]) -> dict[str, str]:
    """wixloc.toml's [languages] aliases (when there is one), then each --alias over them."""
    path = find_config()
    found = dict(load_config(path).language_aliases) if path is not None else {}
    for text in given:
        file_tag, sep, table_tag = text.partition("=")
        if not sep or not file_tag.strip() or not table_tag.strip():
            raise UsageError(f"--alias takes FILE=TABLE, such as pt=pt-PT, not '{text}'")
        normalize_tag(file_tag.strip())  # raises naming a tag that is not one
        normalize_tag(table_tag.strip())
        found[file_tag.strip()] = table_tag.strip()
    return found


def _print(report: LanguageReport) -> None:
    skipped = len(report.skipped)
    click.echo(
        f"{report.language}: {report.applied} applied, {report.unchanged} unchanged, "
        f"{skipped} skipped"
    )
    for reason, keys in report.reasons().items():
        _group(with_hint(reason), keys)
    notices: dict[str, list[Key]] = {}
    for key, notice in report.notices:
        notices.setdefault(notice, []).append(key)
    for notice, keys in notices.items():
        _group(notice, keys)


def _group(reason: str, keys: list[Key]) -> None:
    shown = ", ".join(format_key(key) for key in keys[:SHOWN_KEYS])
    more = f", and {len(keys) - SHOWN_KEYS} more" if len(keys) > SHOWN_KEYS else ""
    click.echo(f"  {len(keys)} {reason}: {shown}{more}")


COMMANDS = [merge]
