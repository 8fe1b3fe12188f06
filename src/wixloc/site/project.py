"""A project on disk: its root folder and everything wixloc keeps under ``ROOT/.wixloc/``.

Every path the site layer and the workflow write (snapshots, backups, merged files, check
reports, the state file, the embedded sandbox's database) and every timestamp they put in a
name or a record come from here, so that a new kind of record (a journal of remote work, a
project lock) has one obvious home::

    .wixloc/state.json      accepted translations (for stale detection), files out
    .wixloc/snapshots/*.csv every export pull and push took, newest last
    .wixloc/backups/*.csv   the site's content (or a collection) before each import
    .wixloc/merged/*.csv    what push merged and imported
    .wixloc/reports/*.html  the check report of each push
    .wixloc/sandbox.db      the embedded sandbox (``--sandbox``)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from wixloc.errors import UsageError
from wixloc.fsutil import atomic_write, relative
from wixloc.state import State, load_state, save_state

__all__ = ["STATE_DIR", "Project"]

STATE_DIR = ".wixloc"

# Only the state file is meant for version control; the rest is local (and large).
_GITIGNORE = (
    b"# Keep state.json under version control; the rest is local.\n"
    b"backups/\nsnapshots/\nreports/\nmerged/\nsandbox.db*\n"
)


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Project:
    """The folder a project lives in. *root* is kept as given: ``Project(Path("."))`` names
    its files relatively (as the commands without a ``wixloc.toml`` print them)."""

    root: Path
    clock: Callable[[], datetime] = field(default=_utc_now, compare=False, repr=False)

    @classmethod
    def here(cls) -> Project:
        """The current folder, named ``.`` (so that paths shown stay relative)."""
        return cls(Path("."))

    # --- where things are ------------------------------------------------------------------

    @property
    def state_dir(self) -> Path:
        return self.root / STATE_DIR

    @property
    def state_path(self) -> Path:
        return self.state_dir / "state.json"

    @property
    def snapshots(self) -> Path:
        return self.state_dir / "snapshots"

    @property
    def backups(self) -> Path:
        return self.state_dir / "backups"

    @property
    def merged(self) -> Path:
        return self.state_dir / "merged"

    @property
    def reports(self) -> Path:
        return self.state_dir / "reports"

    @property
    def sandbox_db(self) -> Path:
        return self.state_dir / "sandbox.db"

    def rel(self, path: str | Path) -> str:
        """*path* as shown to the user: relative to the root when it lies inside it."""
        return relative(path, self.root)

    # --- timestamps ------------------------------------------------------------------------

    def stamp(self) -> str:
        """A sortable UTC timestamp for file names, unique to the microsecond."""
        return self.clock().strftime("%Y%m%d-%H%M%S-%f")

    def now(self) -> str:
        """The UTC time as recorded in the state file (ISO 8601, to the second)."""
        return self.clock().strftime("%Y-%m-%dT%H:%M:%SZ")

    # --- new files -------------------------------------------------------------------------

    def new_backup(self, label: str) -> Path:
        """``backups/LABEL-STAMP.csv``: where the site's values go before an import."""
        return self.backups / f"{label}-{self.stamp()}.csv"

    def new_snapshot(self, label: str) -> Path:
        """``snapshots/STAMP-LABEL.csv``: names sort by time, so the newest is the last."""
        return self.snapshots / f"{self.stamp()}-{label}.csv"

    def new_merged(self, label: str) -> Path:
        return self.merged / f"{self.stamp()}-{label}.csv"

    def report_for(self, path: Path) -> Path:
        """The HTML check report kept beside *path* (a merged file), by its stem."""
        return self.reports / f"{path.stem}.html"

    # --- what is there ---------------------------------------------------------------------

    def latest_snapshot(self) -> Path:
        snapshots = sorted(self.snapshots.glob("*.csv"))
        if not snapshots:
            raise UsageError("no snapshot of the site yet", hint="run 'wixloc pull' first")
        return snapshots[-1]

    def load_state(self) -> State:
        return load_state(self.state_path)

    def save_state(self, state: State) -> None:
        save_state(state, self.state_path)

    def init_state_dir(self) -> None:
        """Write ``.wixloc/.gitignore`` unless there is one (a user's own is kept)."""
        ignore = self.state_dir / ".gitignore"
        if not ignore.exists():
            with atomic_write(ignore) as fh:
                fh.write(_GITIGNORE)
