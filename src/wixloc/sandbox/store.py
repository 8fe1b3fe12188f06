"""The sandbox's state in SQLite: sites, their collections and items, jobs, logs, files.

Several sites live in one database, keyed by site id, so cross-site jobs (``sourceSiteId`` /
``destinationSiteId``) can be emulated. Collections keep their fields as data and items as JSON
objects with the Wix system fields (``_id``, ``_createdDate``, ``_updatedDate``, ``_owner``); a
translatable field's value is an object keyed by locale (a missing locale: not translated).
Jobs and logs are stored in their wire shape, so the app answers with exactly what was stored.
One connection guarded by a lock: the app's request threads and the job runner share it.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["Collection", "Field", "Site", "Store", "StoredFile"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sites (
    id TEXT PRIMARY KEY, position INTEGER, name TEXT, primary_locale TEXT, locales TEXT);
CREATE TABLE IF NOT EXISTS collections (
    site_id TEXT, id TEXT, position INTEGER, display_name TEXT, fields TEXT,
    PRIMARY KEY (site_id, id));
CREATE TABLE IF NOT EXISTS items (
    site_id TEXT, collection_id TEXT, id TEXT, position INTEGER, data TEXT,
    PRIMARY KEY (site_id, collection_id, id));
CREATE TABLE IF NOT EXISTS jobs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE, site_id TEXT, data TEXT);
CREATE TABLE IF NOT EXISTS logs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, job_id TEXT, data TEXT);
CREATE TABLE IF NOT EXISTS files (
    id TEXT PRIMARY KEY, site_id TEXT, name TEXT, kind TEXT, data BLOB,
    created REAL, expires REAL, token TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS items_order ON items (site_id, collection_id, position);
"""
_TABLES = ("sites", "collections", "items", "jobs", "logs", "files")


@dataclass(frozen=True)
class Field:
    key: str
    type: str
    translatable: bool = False


@dataclass(frozen=True)
class Collection:
    id: str
    display_name: str
    fields: tuple[Field, ...]

    def field(self, key: str) -> Field | None:
        return next((f for f in self.fields if f.key == key), None)

    @property
    def translatable(self) -> list[Field]:
        return [f for f in self.fields if f.translatable]


@dataclass(frozen=True)
class Site:
    id: str
    name: str
    primary_locale: str
    locales: tuple[str, ...]  # every enabled locale, the primary first

    def locale(self, tag: str) -> str | None:
        """The site's spelling of *tag* (compared case-insensitively), or None."""
        folded = tag.replace("_", "-").lower()
        return next((loc for loc in self.locales if loc.lower() == folded), None)


@dataclass(frozen=True)
class StoredFile:
    id: str
    site_id: str
    name: str
    kind: str  # "upload" (a URL waiting for a PUT, then the bytes) or "result"
    data: bytes | None
    created: float
    expires: float | None
    token: str = ""  # the secret its URL carries: without it the file cannot be reached


class Store:
    """SQLite-backed state. ``path`` ``":memory:"`` keeps everything in memory."""

    def __init__(self, path: str | Path = ":memory:") -> None:
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._lock = threading.RLock()
        # a stand-in, not a system of record: speed over surviving a power cut
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=OFF")
        self._migrate()
        self._db.executescript(_SCHEMA)

    def _migrate(self) -> None:
        """Databases written before files had tokens get the column (their URLs stop working)."""
        columns = [r[1] for r in self._db.execute("PRAGMA table_info(files)").fetchall()]
        if columns and "token" not in columns:
            self._db.execute("ALTER TABLE files ADD COLUMN token TEXT NOT NULL DEFAULT ''")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _rows(self, sql: str, *args: Any) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    def reset(self) -> None:
        """Forget everything: sites, content, jobs, logs and files."""
        with self.transaction() as db:
            for table in _TABLES:
                db.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names

    def is_empty(self) -> bool:
        return not self._rows("SELECT 1 FROM sites LIMIT 1")

    # --- sites and content -----------------------------------------------------------------

    def add_site(self, site: Site) -> None:
        with self.transaction() as db:
            pos = db.execute("SELECT COUNT(*) FROM sites").fetchone()[0]
            db.execute(
                "INSERT OR REPLACE INTO sites VALUES (?, ?, ?, ?, ?)",
                (site.id, pos, site.name, site.primary_locale, json.dumps(site.locales)),
            )

    def sites(self) -> list[Site]:
        rows = self._rows("SELECT id, name, primary_locale, locales FROM sites ORDER BY position")
        return [Site(r[0], r[1], r[2], tuple(json.loads(r[3]))) for r in rows]

    def site(self, site_id: str) -> Site | None:
        return next((s for s in self.sites() if s.id == site_id), None)

    def add_collection(self, site_id: str, collection: Collection) -> None:
        fields = [
            {"key": f.key, "type": f.type, "translatable": f.translatable}
            for f in collection.fields
        ]
        with self.transaction() as db:
            pos = db.execute(
                "SELECT COUNT(*) FROM collections WHERE site_id = ?", (site_id,)
            ).fetchone()[0]
            db.execute(
                "INSERT OR REPLACE INTO collections VALUES (?, ?, ?, ?, ?)",
                (site_id, collection.id, pos, collection.display_name, json.dumps(fields)),
            )

    def collections(self, site_id: str) -> list[Collection]:
        rows = self._rows(
            "SELECT id, display_name, fields FROM collections WHERE site_id = ? ORDER BY position",
            site_id,
        )
        return [Collection(r[0], r[1], tuple(Field(**f) for f in json.loads(r[2]))) for r in rows]

    def collection(self, site_id: str, collection_id: str) -> Collection | None:
        return next((c for c in self.collections(site_id) if c.id == collection_id), None)

    def items(self, site_id: str, collection_id: str) -> list[dict[str, Any]]:
        rows = self._rows(
            "SELECT data FROM items WHERE site_id = ? AND collection_id = ? ORDER BY position",
            site_id,
            collection_id,
        )
        return [json.loads(r[0]) for r in rows]

    def item(self, site_id: str, collection_id: str, item_id: str) -> dict[str, Any] | None:
        rows = self._rows(
            "SELECT data FROM items WHERE site_id = ? AND collection_id = ? AND id = ?",
            site_id,
            collection_id,
            item_id,
        )
        return json.loads(rows[0][0]) if rows else None

    def put_item(self, site_id: str, collection_id: str, item: dict[str, Any]) -> None:
        """Insert *item* (at the end) or replace the item with its ``_id`` (in place)."""
        with self.transaction() as db:
            row = db.execute(
                "SELECT position FROM items WHERE site_id = ? AND collection_id = ? AND id = ?",
                (site_id, collection_id, item["_id"]),
            ).fetchone()
            if row is None:
                row = db.execute(
                    "SELECT COALESCE(MAX(position) + 1, 0) FROM items"
                    " WHERE site_id = ? AND collection_id = ?",
                    (site_id, collection_id),
                ).fetchone()
            db.execute(
                "INSERT OR REPLACE INTO items VALUES (?, ?, ?, ?, ?)",
                (site_id, collection_id, item["_id"], row[0], json.dumps(item)),
            )

    def add_items(self, site_id: str, collection_id: str, items: list[dict[str, Any]]) -> None:
        """Put many items in one transaction (seeding): as :meth:`put_item` one by one, but
        the collection's end is looked up once, so the time grows with the items, no faster."""
        with self.transaction() as db:
            known = dict(
                db.execute(
                    "SELECT id, position FROM items WHERE site_id = ? AND collection_id = ?",
                    (site_id, collection_id),
                ).fetchall()
            )
            end = max(known.values(), default=-1) + 1
            rows: dict[str, tuple[str, str, str, int, str]] = {}
            for item in items:
                item_id = str(item["_id"])
                if item_id not in known and item_id not in rows:
                    known[item_id], end = end, end + 1
                position = known[item_id]
                rows[item_id] = (site_id, collection_id, item_id, position, json.dumps(item))
            db.executemany("INSERT OR REPLACE INTO items VALUES (?, ?, ?, ?, ?)", rows.values())

    def clear_items(self, site_id: str, collection_id: str) -> int:
        with self.transaction() as db:
            cur = db.execute(
                "DELETE FROM items WHERE site_id = ? AND collection_id = ?",
                (site_id, collection_id),
            )
            return cur.rowcount

    # --- jobs and logs ---------------------------------------------------------------------

    def put_job(self, site_id: str, job: dict[str, Any]) -> None:
        """Insert a new job or replace a stored one (same id), keeping its creation order."""
        with self.transaction() as db:
            data = json.dumps(job)
            cur = db.execute("UPDATE jobs SET data = ? WHERE id = ?", (data, job["id"]))
            if cur.rowcount == 0:
                db.execute(
                    "INSERT INTO jobs (id, site_id, data) VALUES (?, ?, ?)",
                    (job["id"], site_id, data),
                )

    def job(self, job_id: str) -> tuple[str, dict[str, Any]] | None:
        """(site id, job) or None."""
        rows = self._rows("SELECT site_id, data FROM jobs WHERE id = ?", job_id)
        return (rows[0][0], json.loads(rows[0][1])) if rows else None

    def jobs(self, site_id: str) -> list[dict[str, Any]]:
        """The site's jobs, newest first."""
        rows = self._rows("SELECT data FROM jobs WHERE site_id = ? ORDER BY seq DESC", site_id)
        return [json.loads(r[0]) for r in rows]

    def add_log(self, job_id: str, log: dict[str, Any]) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO logs (job_id, data) VALUES (?, ?)", (job_id, json.dumps(log))
            )

    def logs(self, job_id: str) -> list[dict[str, Any]]:
        rows = self._rows("SELECT data FROM logs WHERE job_id = ? ORDER BY seq", job_id)
        return [json.loads(r[0]) for r in rows]

    # --- temporary files -------------------------------------------------------------------

    def put_file(self, f: StoredFile) -> None:
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO files"
                " (id, site_id, name, kind, data, created, expires, token)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (f.id, f.site_id, f.name, f.kind, f.data, f.created, f.expires, f.token),
            )

    def file(self, file_id: str) -> StoredFile | None:
        rows = self._rows(
            "SELECT id, site_id, name, kind, data, created, expires, token FROM files WHERE id = ?",
            file_id,
        )
        return StoredFile(*rows[0]) if rows else None
