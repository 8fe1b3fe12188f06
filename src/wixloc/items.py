"""Collection items to and from files: the Data Movement sample flows besides localization.

``export_items`` runs a ``wixDataCollection`` → ``file`` job (a Wix query filter, selected
fields, another site of the account); ``import_items`` runs ``file`` → ``wixDataCollection`` with
a write policy, after backing the collection up and showing what the policy will do. Nothing
here prints; the CLI shows the plan and the result.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from wixloc.errors import InputError, JobFailedError, UsageError
from wixloc.fsutil import open_input
from wixloc.wix import wire
from wixloc.wix.client import WixClient
from wixloc.wix.jobs import ProgressCallback, job_error, run_from_file, run_to_file

__all__ = [
    "WRITE_POLICIES",
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
BACKUP_DIR = Path(".wixloc") / "backups"
SKIPPED = "WDE0074"  # the movement log code of an item SKIP_EXISTING left alone


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


def _fmt(path: Path, fmt: str | None) -> str:
    if fmt:
        return fmt.upper()
    return "JSONL" if path.suffix.lower() in (".jsonl", ".ndjson") else "CSV"


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
) -> wire.Job:
    """Export the collection's items that pass *filter* to *path* (written atomically)."""
    target = Path(path)
    spec = wire.JobSpec(
        wire.CollectionSource(collection, filter, tuple(fields)),
        wire.FileDestination(_fmt(target, fmt), target.name),
        name=f"wixloc export {collection}",
        source_site_id=site,
    )
    return run_to_file(client, spec, target, on_progress=on_progress)


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

    @property
    def new(self) -> int:
        return self.rows - self.existing


@dataclass
class ItemsImport:
    plan: ItemsPlan
    job: wire.Job | None
    logs: list[wire.MovementLog] = field(default_factory=list)
    cancelled: bool = False

    def error(self) -> JobFailedError | None:
        """The exit-3 error for a FAILED or PARTIALLY_SUCCESSFUL job, with the rejected count."""
        if self.job is None:
            return None
        skipped = sum(1 for log in self.logs if log.code == SKIPPED)
        return job_error(self.job, note=f" ({skipped} already existed)" if skipped else "")


def _ids(data: bytes, fmt: str, name: str) -> list[str]:
    """The ``_id`` of every item in the file (empty for items without one)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("is not UTF-8", file=name) from None
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


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")


def plan_items(
    client: WixClient,
    path: str | Path,
    collection: str,
    policy: str,
    *,
    site: str | None = None,
    root: str | Path = ".",
) -> tuple[ItemsPlan, bytes, str]:
    source = Path(path)
    with open_input(source) as fh:
        data = fh.read()
    fmt = _fmt(source, None)
    ids = _ids(data, fmt, str(source))
    backup = Path(root) / BACKUP_DIR / f"{collection}-{_stamp()}.csv"
    export_items(client, collection, backup, fields=("_id",), site=site)
    with backup.open(encoding="utf-8", newline="") as fh:
        held = {row["_id"] for row in csv.DictReader(fh)}
    existing = sum(1 for i in ids if i and i in held)
    plan = ItemsPlan(str(source), collection, policy, backup, len(ids), existing, len(held))
    return plan, data, fmt


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
    root: str | Path = ".",
) -> ItemsImport:
    """Back the collection up, show the plan, confirm, import, collect the logs.

    A FAILED or PARTIALLY_SUCCESSFUL job is returned, not raised, so that its logs can be
    shown first: ``result.error()`` is the error to raise then.
    """
    policy = WRITE_POLICIES[write_policy]
    plan, data, fmt = plan_items(client, path, collection, policy, site=site, root=root)
    if show is not None:
        show(plan)
    if dry_run:
        return ItemsImport(plan, None)
    if confirm is not None and not confirm(plan):
        return ItemsImport(plan, None, cancelled=True)
    job = run_from_file(
        client,
        data,
        wire.CollectionDestination(collection, policy),
        file_name=Path(path).name,
        fmt=fmt,
        name=f"wixloc import {collection}",
        destination_site_id=site,
        on_progress=on_progress,
    )
    logs = list(client.iter_logs(job.id)) if job.logs_recorded or job.progress.rejected else []
    return ItemsImport(plan, job, logs)
