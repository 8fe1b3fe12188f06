"""Collection items to and from files: the Data Movement sample flows besides localization.

``export_items`` runs a ``wixDataCollection`` → ``file`` job (a Wix query filter, selected
fields, another site of the account); ``import_items`` runs ``file`` → ``wixDataCollection`` with
a write policy, after backing the collection up and showing what the policy will do: the
steps of :mod:`wixloc.site.flow`. Nothing here prints; the CLI shows the plan and the result.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wixloc.errors import InputError, UsageError
from wixloc.fsutil import open_input
from wixloc.site.flow import NO_HOOKS, Flow, JobHooks, Outcome, file_format, run_flow
from wixloc.site.project import Project
from wixloc.wix import wire
from wixloc.wix.client import WixClient
from wixloc.wix.jobs import ProgressCallback, run_to_file, stage_file

__all__ = [
    "WRITE_POLICIES",
    "CollectionImport",
    "ItemsImport",
    "ItemsPlan",
    "export_items",
    "import_items",
    "parse_filter",
]

WRITE_POLICIES = {
    "overwrite": "OVERWRITE",
    "skip-existing": "SKIP_EXISTING",
    "truncate-before": "TRUNCATE_BEFORE",
}
SKIPPED = "WDE0074"  # the movement log code of an item SKIP_EXISTING left alone
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")  # C0 but tab, LF, CR


def parse_filter(text: str | None) -> dict[str, Any] | None:
    """``--filter`` as a JSON object, or a UsageError saying what is wrong."""
    if not text:
        return None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(
            f"--filter is not valid JSON: {exc.msg} at character {exc.pos + 1}",
            hint='for example --filter \'{"holidays": {"$hasSome": ["xmas"]}}\'',
        ) from None
    if not isinstance(value, dict):
        raise UsageError('--filter must be a JSON object such as {"price": {"$gt": 10}}')
    return value


def export_items(
    client: WixClient,
    collection: str,
    path: str | Path,
    *,
    filter: dict[str, Any] | None = None,
    fields: Sequence[str] = (),
    fmt: str | None = None,
    site: str | None = None,
    on_progress: ProgressCallback | None = None,
    allow_partial: bool = False,
) -> wire.Job:
    """Export the collection's items that pass *filter* to *path* (written atomically).

    A PARTIALLY_SUCCESSFUL export is an error (and *path* is left as it was) unless
    *allow_partial* (the backup before an import needs every item)."""
    target = Path(path)
    spec = wire.JobSpec(
        wire.CollectionSource(collection, filter, tuple(fields)),
        wire.FileDestination(file_format(target, fmt), target.name),
        name=f"wixloc export {collection}",
        source_site_id=site,
    )
    return run_to_file(client, spec, target, on_progress=on_progress, allow_partial=allow_partial)


# --- import ----------------------------------------------------------------------------------


@dataclass
class ItemsPlan:
    source: str
    collection: str
    policy: str  # OVERWRITE | SKIP_EXISTING | TRUNCATE_BEFORE
    backup: Path
    rows: int
    existing: int  # items of the file whose _id is in the collection
    held: int  # items the collection holds now
    fmt: str = "CSV"  # the file's job format: CSV or JSONL
    upload: bytes = field(default=b"", repr=False)  # the file as read, sent as it is

    @property
    def new(self) -> int:
        return self.rows - self.existing


@dataclass
class ItemsImport(Outcome[ItemsPlan]):
    """A FAILED or PARTIALLY_SUCCESSFUL job is returned with its logs: ``error()`` names it."""

    def rejected_note(self) -> str:
        skipped = sum(1 for log in self.logs if log.code == SKIPPED)
        return f" ({skipped} already existed)" if skipped else ""


def _ids(data: bytes, fmt: str, name: str) -> list[str]:
    """The ``_id`` of every item in the file (empty for items without one)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("is not UTF-8", file=name) from None
    found = _CONTROLS.search(text)
    if found is not None:  # a site cannot store them (see site.localization.refuse_controls)
        raise InputError(
            f"holds the control character U+{ord(found.group()):04X}, which a site cannot store",
            file=name,
            line=text.count("\n", 0, found.start()) + 1,
            hint="remove it from the file",
        )
    if fmt == "JSONL":
        ids = []
        for number, line in enumerate(text.split("\n"), start=1):
            if line.strip():
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError:
                    raise InputError("not a JSON object", file=name, line=number) from None
                if not isinstance(obj, dict):
                    raise InputError("not a JSON object", file=name, line=number)
                ids.append(str(obj.get("_id") or ""))
        return ids
    try:
        rows = list(csv.DictReader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as exc:
        raise InputError(f"cannot parse the CSV: {exc}", file=name) from None
    return [str(row.get("_id") or "") for row in rows]


def plan_items(
    client: WixClient,
    path: str | Path,
    collection: str,
    policy: str,
    *,
    site: str | None = None,
    project: Project | None = None,
) -> ItemsPlan:
    """Read the file, back the collection up, and count what the policy will do."""
    source = Path(path)
    with open_input(source) as fh:
        data = fh.read()
    fmt = file_format(source, None)
    ids = _ids(data, fmt, str(source))
    backup = (project or Project.here()).new_backup(collection)
    export_items(client, collection, backup, fields=("_id",), site=site)
    with backup.open(encoding="utf-8", newline="") as fh:
        held = {row["_id"] for row in csv.DictReader(fh)}
    existing = sum(1 for i in ids if i and i in held)
    return ItemsPlan(
        str(source), collection, policy, backup, len(ids), existing, len(held), fmt, data
    )


class CollectionImport(Flow[ItemsPlan, ItemsImport]):
    """The collection import's steps for :func:`~wixloc.site.flow.run_flow`."""

    def __init__(
        self,
        client: WixClient,
        path: str | Path,
        collection: str,
        policy: str,
        *,
        site: str | None = None,
        project: Project | None = None,
    ) -> None:
        super().__init__(client)
        self.path = Path(path)
        self.collection = collection
        self.policy = policy
        self.site = site
        self.project = project

    def plan(self) -> ItemsPlan:
        return plan_items(
            self.client,
            self.path,
            self.collection,
            self.policy,
            site=self.site,
            project=self.project,
        )

    def stage(self, plan: ItemsPlan) -> wire.JobSpec:
        return stage_file(
            self.client,
            plan.upload,
            wire.CollectionDestination(self.collection, self.policy),
            file_name=self.path.name,
            fmt=plan.fmt,
            name=f"wixloc import {self.collection}",
            destination_site_id=self.site,
        )

    def outcome(self, plan: ItemsPlan, job: wire.Job, logs: list[wire.MovementLog]) -> ItemsImport:
        return ItemsImport(plan, job, logs)

    def stopped(self, plan: ItemsPlan, *, cancelled: bool) -> ItemsImport:
        return ItemsImport(plan, cancelled=cancelled)


def import_items(
    client: WixClient,
    path: str | Path,
    collection: str,
    *,
    write_policy: str = "skip-existing",
    site: str | None = None,
    dry_run: bool = False,
    show: Callable[[ItemsPlan], None] | None = None,
    confirm: Callable[[ItemsPlan], bool] | None = None,
    on_progress: ProgressCallback | None = None,
    project: Project | None = None,
    hooks: JobHooks = NO_HOOKS,
) -> ItemsImport:
    """Back the collection up, show the plan, confirm, import, collect the logs.

    A FAILED or PARTIALLY_SUCCESSFUL job is returned, not raised, so that its logs can be
    shown first: ``result.error()`` is the error to raise then.
    """
    flow = CollectionImport(
        client, path, collection, WRITE_POLICIES[write_policy], site=site, project=project
    )
    return run_flow(
        flow, dry_run=dry_run, show=show, confirm=confirm, on_progress=on_progress, hooks=hooks
    )
