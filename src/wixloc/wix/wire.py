"""The JSON of the Wix APIs: the only module that knows field names.

Requests are built from small dataclasses (``JobSpec`` with one source and one destination);
answers are read into frozen dataclasses, tolerating the spellings Wix is known to use
(``{"job": {...}}`` or the bare job, ``id`` or ``_id``, ``finishedAt`` or ``finished_at``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

__all__ = [
    "FINISHED",
    "CollectionDestination",
    "CollectionSource",
    "FileDestination",
    "FileSource",
    "Job",
    "JobError",
    "JobSpec",
    "Locale",
    "Localization",
    "MovementLog",
    "Page",
    "Progress",
    "UploadUrl",
    "error_parts",
    "job_from_json",
    "jobs_page",
    "locales_from_json",
    "locales_page",
    "logs_page",
    "paging_params",
    "primary_from_settings",
    "query_body",
    "upload_url_from_json",
]

FINISHED = ("COMPLETED", "FAILED", "PARTIALLY_SUCCESSFUL")
Json = dict[str, Any]


class _Part(Protocol):
    @property
    def kind(self) -> str: ...

    def body(self) -> Json: ...


# --- requests --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Localization:
    """``source.localization`` or ``destination.localization``: languages, the main one first."""

    languages: tuple[str, ...]
    kind: str = "localization"

    def body(self) -> Json:
        return {"languages": list(self.languages)}


@dataclass(frozen=True)
class FileSource:
    file_id: str
    format: str | None = None  # "CSV" | "JSONL"
    kind: str = "file"

    def body(self) -> Json:
        out: Json = {"fileId": self.file_id}
        if self.format:
            out["format"] = self.format
        return out


@dataclass(frozen=True)
class FileDestination:
    format: str = "CSV"
    file_name: str | None = None
    kind: str = "file"

    def body(self) -> Json:
        out: Json = {"format": self.format}
        if self.file_name:
            out["fileName"] = self.file_name
        return out


@dataclass(frozen=True)
class CollectionSource:
    collection_id: str
    filter: Json | None = None
    fields: tuple[str, ...] = ()
    kind: str = "wixDataCollection"

    def body(self) -> Json:
        out: Json = {"collectionId": self.collection_id}
        if self.filter is not None or self.fields:
            query: Json = {"filter": self.filter or {}}
            if self.fields:
                query["fields"] = list(self.fields)
            out["filterQuery"] = query
        return out


@dataclass(frozen=True)
class CollectionDestination:
    collection_id: str
    write_policy: str = "SKIP_EXISTING"  # OVERWRITE | SKIP_EXISTING | TRUNCATE_BEFORE
    kind: str = "wixDataCollection"

    def body(self) -> Json:
        return {"collectionId": self.collection_id, "writePolicy": self.write_policy}


@dataclass(frozen=True)
class JobSpec:
    """What to submit: one source, one destination, a name, optional other sites."""

    source: _Part
    destination: _Part
    name: str = ""
    source_site_id: str | None = None
    destination_site_id: str | None = None

    def body(self, name: str | None = None) -> Json:
        out: Json = {
            "name": self.name if name is None else name,
            "source": {self.source.kind: self.source.body()},
            "destination": {self.destination.kind: self.destination.body()},
        }
        if self.source_site_id:
            out["sourceSiteId"] = self.source_site_id
        if self.destination_site_id:
            out["destinationSiteId"] = self.destination_site_id
        return out


def paging_params(limit: int, cursor: str | None) -> dict[str, str]:
    """The REST reference's dotted paging parameters."""
    params = {"paging.limit": str(limit)}
    if cursor:
        params["paging.cursor"] = cursor
    return params


def query_body(
    filter: Json | None, sort: list[tuple[str, str]] | None, limit: int, cursor: str | None
) -> Json:
    paging: Json = {"limit": limit}
    if cursor:
        paging["cursor"] = cursor
    query: Json = {"cursorPaging": paging}
    if filter:
        query["filter"] = filter
    if sort:
        query["sort"] = [{"fieldName": f, "order": o} for f, o in sort]
    return {"query": query}


# --- answers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    current: int = 0
    total: int | None = None
    rejected: int = 0
    successful: int = 0


@dataclass(frozen=True)
class JobError:
    code: str
    description: str
    data: Json = field(default_factory=dict)


@dataclass(frozen=True)
class Job:
    id: str
    status: str
    name: str = ""
    started_at: str | None = None
    finished_at: str | None = None
    progress: Progress = field(default_factory=Progress)
    error: JobError | None = None
    partial_cause: str | None = None
    logs_recorded: bool = False
    source: Json = field(default_factory=dict)
    destination: Json = field(default_factory=dict)
    source_site_id: str | None = None
    destination_site_id: str | None = None

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def download_url(self) -> str | None:
        url = (self.destination.get("file") or {}).get("url")
        return str(url) if url else None

    @property
    def kind(self) -> str:
        """``source → destination`` kinds, e.g. ``localization → file``."""
        return f"{next(iter(self.source), '?')} → {next(iter(self.destination), '?')}"


def _int(value: Any, default: int | None = 0) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def job_from_json(obj: Json) -> Job:
    """A job from ``{"job": {...}}`` or the bare job object."""
    raw = obj.get("job", obj) if isinstance(obj, dict) else {}
    if not isinstance(raw, dict):
        raw = {}
    prog = raw.get("progress") or {}
    err = raw.get("error")
    partial = raw.get("partiallySuccessfulOptions") or {}
    return Job(
        id=str(raw.get("id") or raw.get("_id") or ""),
        status=str(raw.get("status") or "UNINITIALIZED"),
        name=str(raw.get("name") or ""),
        started_at=raw.get("startedAt") or raw.get("started_at"),
        finished_at=raw.get("finishedAt") or raw.get("finished_at"),
        progress=Progress(
            current=_int(prog.get("current")) or 0,
            total=_int(prog.get("total"), None),
            rejected=_int(prog.get("itemsRejected")) or 0,
            successful=_int(prog.get("itemsSuccessful")) or 0,
        ),
        error=JobError(
            str(err.get("code") or ""), str(err.get("description") or ""), err.get("data") or {}
        )
        if isinstance(err, dict)
        else None,
        partial_cause=partial.get("cause"),
        logs_recorded=bool(raw.get("logsRecorded")),  # a count in the reference, a flag in samples
        source=raw.get("source") or {},
        destination=raw.get("destination") or {},
        source_site_id=raw.get("sourceSiteId"),
        destination_site_id=raw.get("destinationSiteId"),
    )


@dataclass(frozen=True)
class Page:
    items: list[Any]
    next_cursor: str | None


def _next(obj: Json) -> str | None:
    meta = obj.get("pagingMetadata") or {}
    cursor = (meta.get("cursors") or {}).get("next")
    if meta.get("hasNext") is False:
        return None
    return str(cursor) if cursor else None


def jobs_page(obj: Json) -> Page:
    return Page([job_from_json(j) for j in obj.get("jobs") or []], _next(obj))


@dataclass(frozen=True)
class MovementLog:
    source_item_id: str
    code: str
    description: str
    data: Json = field(default_factory=dict)


def logs_page(obj: Json) -> Page:
    logs = []
    for raw in obj.get("logs") or []:
        failure = raw.get("failure") or {}
        logs.append(
            MovementLog(
                source_item_id=str(raw.get("sourceItemId") or ""),
                code=str(failure.get("code") or ""),
                description=str(failure.get("description") or ""),
                data=failure.get("data") or {},
            )
        )
    return Page(logs, _next(obj))


@dataclass(frozen=True)
class UploadUrl:
    file_id: str
    url: str


def upload_url_from_json(obj: Json) -> UploadUrl:
    return UploadUrl(str(obj.get("fileId") or ""), str(obj.get("uploadUrl") or ""))


@dataclass(frozen=True)
class Locale:
    tag: str
    primary: bool
    visible: bool = True


def _tag(raw: Any) -> str | None:
    if isinstance(raw, str):
        return raw or None
    if isinstance(raw, dict):
        if raw.get("id"):
            return str(raw["id"])
        lang = raw.get("languageCode")
        if lang:
            region = raw.get("regionCode")
            return f"{lang}-{region}" if region else str(lang)
    return None


def locales_from_json(obj: Json) -> list[Locale]:
    found = []
    for raw in obj.get("locales") or []:
        tag = _tag(raw)
        if tag:
            visible = raw.get("visibility", "VISIBLE") != "HIDDEN"
            found.append(Locale(tag, bool(raw.get("primaryLocale")), visible))
    return found


def locales_page(obj: Json) -> Page:
    """One page of the Locales query: its locales and the next cursor."""
    return Page(locales_from_json(obj), _next(obj))


def primary_from_settings(obj: Json) -> str | None:
    """The main language of Locale Settings: ``primaryLocale`` as a Locale object (``id``,
    ``languageCode``, ``regionCode``, ... as the SDK types it), as the REST reference's
    ``PrimaryLocale`` (``languageCode``, ``regionCode``) or as a plain tag."""
    return _tag((obj.get("settings") or {}).get("primaryLocale"))


def error_parts(obj: Any) -> tuple[str | None, str | None, str | None]:
    """(message, code, description) from Wix's error body; Nones for an empty body."""
    if not isinstance(obj, dict):
        return None, None, None
    message = obj.get("message")
    details = obj.get("details") or {}
    app = details.get("applicationError") or {}
    if app:
        return message, app.get("code"), app.get("description")
    violations = (details.get("validationError") or {}).get("fieldViolations") or []
    if violations:
        text = "; ".join(f"{v.get('field')}: {v.get('description')}" for v in violations)
        return message, violations[0].get("ruleName"), text
    return message, None, None
