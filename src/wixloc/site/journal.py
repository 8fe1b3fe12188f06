"""``.wixloc/journal/``: remote work recorded before and after it reaches the site.

A command that changes the site writes a record of its intent *before* it submits the job (the
kind of work, the job's unique name, the files and snapshot it is based on), adds the job id as
soon as it has one, and removes the record when everything the job implies has been recorded
in the project (accepted translations, snapshot, files marked pushed). A command killed at any
point therefore leaves either no record (finished, or never reached the site) or one record
that tells the next command exactly what to look up: the job by id, or by name when the kill
came between the submit and its answer. Records are written atomically.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from wixloc.errors import ConfigError
from wixloc.fsutil import atomic_write

__all__ = ["JOURNAL_DIR", "Journal", "Record"]

JOURNAL_DIR = "journal"
VERSION = 1


@dataclass
class Record:
    """One piece of remote work: its intent, and its job once submitted."""

    kind: str  # "push", "import", ...
    name: str  # the job's unique name, given before submitting (found by it after a kill)
    started: str  # ISO-8601 UTC
    data: dict[str, Any] = field(default_factory=dict)  # what the kind needs to complete it
    job_id: str | None = None
    path: Path | None = None  # where the record lives (not written into it)

    def to_json(self) -> dict[str, Any]:
        return {
            "version": VERSION,
            "kind": self.kind,
            "name": self.name,
            "started": self.started,
            "job_id": self.job_id,
            "data": self.data,
        }


class Journal:
    """The records under ``STATE_DIR/journal``, oldest first."""

    def __init__(self, state_dir: Path) -> None:
        self.folder = state_dir / JOURNAL_DIR

    def begin(self, kind: str, name: str, data: dict[str, Any]) -> Record:
        """Record the intent of a job about to be submitted."""
        now = datetime.now(UTC)
        record = Record(kind, name, now.strftime("%Y-%m-%dT%H:%M:%SZ"), dict(data))
        record.path = self.folder / f"{now.strftime('%Y%m%d-%H%M%S-%f')}-{kind}.json"
        self._write(record)
        return record

    def submitted(self, record: Record, job_id: str) -> None:
        """The job exists on the site: remember its id."""
        record.job_id = job_id
        self._write(record)

    def update(self, record: Record, **data: Any) -> None:
        """Add what a later step of the work must know if it is interrupted."""
        record.data.update(data)
        self._write(record)

    def close(self, record: Record) -> None:
        """Everything the job implies is recorded: forget it."""
        if record.path is not None:
            record.path.unlink(missing_ok=True)

    def pending(self) -> list[Record]:
        """Records of work that did not finish, oldest first."""
        if not self.folder.is_dir():
            return []
        return [self._read(path) for path in sorted(self.folder.glob("*.json"))]

    def _write(self, record: Record) -> None:
        assert record.path is not None
        text = json.dumps(record.to_json(), ensure_ascii=False, indent=1, sort_keys=True)
        with atomic_write(record.path) as fh:
            fh.write(text.encode("utf-8") + b"\n")

    def _read(self, path: Path) -> Record:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("version") != VERSION:
                raise ValueError(f"unknown version {data.get('version')!r}")
            record = Record(
                str(data["kind"]),
                str(data["name"]),
                str(data["started"]),
                dict(data.get("data") or {}),
                data.get("job_id"),
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ConfigError(
                f"{path.parent.name}/{path.name}: a journal record is damaged ({exc})",
                hint="look the job up with 'wixloc jobs list', then delete the record",
            ) from None
        record.path = path
        return record
