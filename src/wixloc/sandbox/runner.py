"""Jobs in the background: each job runs in its own thread through Wix's statuses.

``UNINITIALIZED`` (submitted) → ``INITIALIZING`` (``startedAt`` set, the request is validated)
→ ``IN_PROGRESS`` (``progress`` counts rows) → ``COMPLETED``, ``PARTIALLY_SUCCESSFUL`` (some rows
rejected, each with a movement log) or ``FAILED`` (``error`` set), with ``finishedAt``.

What a job does is chosen by the kinds of its source and destination one-ofs: the runner is
given its :class:`Flow` list (the factory, :func:`wixloc.sandbox.make_sandbox`, names them
all), one per ``(source kind, destination kind)``. A new flow is a handler module plus one line
in that list; this module never imports a flow. ``step_delay`` slows the steps down (0 in tests).
"""

from __future__ import annotations

import copy
import secrets
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from wixloc.sandbox.errors import ApiError, JobFailure, invalid, one_of_violation
from wixloc.sandbox.store import Site, Store, StoredFile

__all__ = [
    "FILE_URL_TTL",
    "FINISHED",
    "Flow",
    "JobContext",
    "Runner",
    "iso",
    "one_of",
]

FINISHED = ("COMPLETED", "FAILED", "PARTIALLY_SUCCESSFUL")
FILE_URL_TTL = 15 * 60.0  # upload and download URLs both expire after 15 minutes
SOURCE_KINDS = ("localization", "file", "wixDataCollection")
DESTINATION_KINDS = ("localization", "file", "wixDataCollection")
Handler = Callable[["JobContext"], None]
Validator = Callable[[dict[str, Any]], None]


@dataclass(frozen=True)
class Flow:
    """What a job from *source* kind to *destination* kind does, and its submit-time check
    (raising ApiError 400) if it has one."""

    source: str
    destination: str
    run: Handler
    validate: Validator | None = None


def iso(seconds: float) -> str:
    """ISO-8601 UTC with milliseconds, as Wix writes timestamps."""
    stamp = datetime.fromtimestamp(seconds, tz=UTC)
    return stamp.strftime("%Y-%m-%dT%H:%M:%S.") + f"{stamp.microsecond // 1000:03d}Z"


def one_of(part: Any, name: str, kinds: tuple[str, ...]) -> str:
    """The kind of a source or destination one-of, or a 400 naming what is wrong."""
    if not isinstance(part, dict):
        raise invalid(name, f"is required and must be one of: {', '.join(kinds)}")
    present = [k for k in part if k in kinds and part[k] is not None]
    if len(present) != 1:
        raise invalid(name, f"must set exactly one of: {', '.join(kinds)}")
    if not isinstance(part[present[0]], dict):
        raise invalid(f"{name}.{present[0]}", "must be an object")
    return str(present[0])


@dataclass
class JobContext:
    """What a handler gets: the job, the site(s), the store, and ways to report."""

    runner: Runner
    job: dict[str, Any]
    site: Site  # the site the job was submitted for
    source_site: Site
    destination_site: Site
    base_url: str
    rejected: int = 0
    succeeded: int = 0
    current: int = 0
    total: int | None = None
    _last_save: int = field(default=0, repr=False)

    @property
    def store(self) -> Store:
        return self.runner.store

    def now(self) -> float:
        return self.runner.clock()

    def begin(self, total: int | None) -> None:
        """Validation is over: the job is IN_PROGRESS with *total* rows (None if unknown)."""
        self.total = total
        self.job["status"] = "IN_PROGRESS"
        self._save_progress()
        self.runner.pause()

    def ok(self) -> None:
        self.succeeded += 1
        self._step()

    def reject(self, source_item_id: str, code: str, description: str, **data: Any) -> None:
        """Log a rejected row or item (a movement log) and count it."""
        self.rejected += 1
        log = {
            "sourceItemId": source_item_id,
            "failure": {"code": code, "description": description, "data": data},
            "details": {},
        }
        self.store.add_log(self.job["id"], log)
        self.job["logsRecorded"] = self.job.get("logsRecorded", 0) + 1  # documented: a count
        self._step()

    def _step(self) -> None:
        self.current += 1
        self.runner.check_terminated(self.job["id"])
        if self.current - self._last_save >= 25 or self.runner.step_delay:
            self._save_progress()
            self.runner.pause()

    def _save_progress(self) -> None:
        self._last_save = self.current
        self.job["progress"] = {
            "current": self.current,
            "total": self.total,
            "itemsRejected": self.rejected,
            "itemsSuccessful": self.succeeded,
        }
        self.runner.save(self.site.id, self.job)

    def read_upload(self, file_id: str) -> bytes:
        """The bytes PUT to an upload URL, or the job fails."""
        stored = self.store.file(file_id)
        if stored is None or stored.kind != "upload":
            raise JobFailure("WDH0001", f"file '{file_id}' does not exist")
        if stored.data is None:
            raise JobFailure("WDH0003", f"nothing was uploaded for file '{file_id}'")
        return stored.data

    def write_result(self, data: bytes, file_name: str) -> None:
        """Keep the result file and put its download URL in ``destination.file.url``: signed
        with an unguessable token and valid for :data:`FILE_URL_TTL` seconds, as upload URLs."""
        file_id = str(uuid.uuid4())
        token = secrets.token_urlsafe(24)
        now = self.now()
        expires = now + FILE_URL_TTL
        stored = StoredFile(file_id, self.site.id, file_name, "result", data, now, expires, token)
        self.store.put_file(stored)
        url = f"{self.base_url}_sandbox/files/{file_id}?token={token}"
        self.job["destination"]["file"]["url"] = url

    def finish(self) -> None:
        self._save_progress()


class Runner:
    """Starts a thread per submitted job; ``clock`` and ``step_delay`` are injectable."""

    def __init__(
        self,
        store: Store,
        flows: Iterable[Flow] = (),
        *,
        clock: Callable[[], float] = time.time,
        step_delay: float = 0.0,
        on_save: Callable[[dict[str, Any]], None] | None = None,
        on_event: Callable[[str, dict[str, Any]], None] | None = None,
    ) -> None:
        self.store = store
        self.clock = clock
        self.step_delay = step_delay
        self.on_save = on_save
        self.on_event = on_event  # ("created" | "updated" | "deleted", job): webhooks
        self._lock = threading.RLock()
        self._terminated: set[str] = set()
        self._threads: list[threading.Thread] = []
        self.flows = {(f.source, f.destination): f for f in flows}
        self._recover()

    def pause(self) -> None:
        if self.step_delay:
            time.sleep(self.step_delay)

    def save(self, site_id: str, job: dict[str, Any]) -> None:
        with self._lock:
            if job["id"] in self._terminated:
                return  # terminated meanwhile: the terminated state stands
            found = self.store.job(job["id"])
            self.store.put_job(site_id, job)
            if self.on_save is not None:
                self.on_save(dict(job))
            if found is None:
                self._event("created", job)
            elif found[1].get("status") != job.get("status"):
                self._event("updated", job)

    def _event(self, slug: str, job: dict[str, Any]) -> None:
        if self.on_event is not None:
            self.on_event(slug, copy.deepcopy(job))

    def _recover(self) -> None:
        """Jobs left unfinished by a previous process can never finish: fail them."""
        for site in self.store.sites():
            for job in self.store.jobs(site.id):
                if job["status"] not in FINISHED:
                    self._fail(job, "WDH0000", "the sandbox stopped while the job was running")
                    self.store.put_job(site.id, job)

    def _fail(self, job: dict[str, Any], code: str, description: str) -> None:
        job["status"] = "FAILED"
        job["error"] = {"code": code, "description": description, "data": {}}
        job["finishedAt"] = iso(self.clock())

    def submit(self, site: Site, body: dict[str, Any], base_url: str) -> dict[str, Any]:
        """Validate *body* (ApiError 400 if malformed), store the job, start its thread."""
        flow = self._validate(body)
        source_site = self._other_site(body, "sourceSiteId", site)
        destination_site = self._other_site(body, "destinationSiteId", site)
        job: dict[str, Any] = {
            "id": str(uuid.uuid4()),
            "name": str(body.get("name") or ""),
            "status": "UNINITIALIZED",
            "source": body["source"],
            "destination": body["destination"],
            "progress": {"current": 0, "total": None, "itemsRejected": 0, "itemsSuccessful": 0},
            "logsRecorded": 0,
        }
        for key in ("sourceSiteId", "destinationSiteId"):
            if body.get(key):
                job[key] = body[key]
        self.save(site.id, job)
        ctx = JobContext(self, copy.deepcopy(job), site, source_site, destination_site, base_url)
        thread = threading.Thread(target=self._run, args=(ctx, flow.run), daemon=True)
        self._threads = [t for t in self._threads if t.is_alive()]  # a server runs for days
        self._threads.append(thread)
        thread.start()
        return job

    def _validate(self, body: dict[str, Any]) -> Flow:
        name = body.get("name")
        if name is not None and (not isinstance(name, str) or len(name) > 1024):
            raise invalid("name", "must be a string of at most 1024 characters")
        if body.get("sourceSiteId") and body.get("destinationSiteId"):
            raise one_of_violation("sourceSiteId", "destinationSiteId")
        source = one_of(body.get("source"), "source", SOURCE_KINDS)
        destination = one_of(body.get("destination"), "destination", DESTINATION_KINDS)
        flow = self.flows.get((source, destination))
        if flow is None:
            raise ApiError(
                501,
                f"UNIMPLEMENTED: a job from {source} to {destination}",
                code="UNIMPLEMENTED",
                description=f"the sandbox does not emulate jobs from {source} to {destination}",
            )
        if flow.validate is not None:
            flow.validate(body)
        return flow

    def _other_site(self, body: dict[str, Any], key: str, default: Site) -> Site:
        site_id = body.get(key)
        if not site_id:
            return default
        site = self.store.site(str(site_id))
        if site is None:
            raise invalid(key, f"site '{site_id}' does not exist in this account")
        return site

    def _run(self, ctx: JobContext, run: Handler) -> None:
        job = ctx.job
        try:
            self.pause()
            job["status"] = "INITIALIZING"
            job["startedAt"] = iso(self.clock())
            self.save(ctx.site.id, job)
            self.pause()
            run(ctx)
            ctx.finish()
            self._complete(ctx)
        except _Terminated:
            return
        except JobFailure as exc:
            ctx.finish()
            self._fail(job, exc.code, exc.description)
        except Exception as exc:  # an emulator bug must still end the job, as Wix would
            self._fail(job, "WDH0000", f"unexpected error: {exc}")
        self.save(ctx.site.id, job)

    def _complete(self, ctx: JobContext) -> None:
        job = ctx.job
        job["finishedAt"] = iso(self.clock())
        if ctx.rejected:
            job["status"] = "PARTIALLY_SUCCESSFUL"
            job["partiallySuccessfulOptions"] = {
                "cause": f"{ctx.rejected} of {ctx.current} items were rejected; see the logs"
            }
        else:
            job["status"] = "COMPLETED"

    def terminate(self, site_id: str, job: dict[str, Any]) -> dict[str, Any]:
        """Stop an unfinished job (it ends FAILED); a finished job is returned unchanged."""
        with self._lock:
            if job["status"] in FINISHED:
                return job
            self._terminated.add(job["id"])
            self._fail(job, "WDH0000", "the job was terminated")
            self.store.put_job(site_id, job)
            self._event("updated", job)
            self._event("deleted", job)
            return job

    def check_terminated(self, job_id: str) -> None:
        if job_id in self._terminated:
            raise _Terminated

    def join(self, timeout: float = 10.0) -> None:
        """Wait for every job thread (tests and shutdown)."""
        for thread in list(self._threads):
            thread.join(timeout)


class _Terminated(Exception):
    """Unwinds a handler whose job was terminated."""
