"""Remote work interrupted by a kill, finished or rolled back by the next command.

:class:`JournalHooks` records a flow's job in the project's journal (:mod:`wixloc.site.journal`):
the intent with the job's unique name before the submit, the job id after it, and (for the kinds
whose job implies nothing more in the project) the record's end once the job has finished.

:func:`resolve_pending` is what the next remote command in the project runs first: for every
record left, it looks the job up (by id, else by name, as a kill between the submit and its
answer leaves no id), waits for it if it still runs, and hands it to the handler of the
record's kind, which records what the job implies and says in one sentence what happened; then
the record is closed. A job that is nowhere never reached the site: the handler says so. A new
kind of record (a push) is a new entry in the handlers passed in, not an edit here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from wixloc.errors import ConfigError
from wixloc.site.flow import JobHooks
from wixloc.site.journal import Journal, Record
from wixloc.site.project import Project
from wixloc.wix import wire
from wixloc.wix.client import WixClient
from wixloc.wix.jobs import wait_for_job

__all__ = [
    "HANDLERS",
    "Handler",
    "JournalHooks",
    "find_job",
    "import_handler",
    "resolve_pending",
]

# (project, client, record, the job or None when it never reached the site) -> what happened
Handler = Callable[[Project, WixClient, Record, wire.Job | None], str]


class JournalHooks(JobHooks):
    """Journal a flow's job under *kind*; *data* is what the kind's handler needs.

    *close_when_finished*: end the record as soon as the job has finished (an import records
    nothing else); a kind that records more afterwards (a push) closes it itself.
    """

    def __init__(
        self,
        project: Project,
        kind: str,
        data: Mapping[str, Any] | None = None,
        *,
        close_when_finished: bool = True,
    ) -> None:
        self.journal = Journal(project.state_dir)
        self.kind = kind
        self.data = dict(data or {})
        self.close_when_finished = close_when_finished
        self.record: Record | None = None  # the record of the job being submitted or waited for
        self.open: list[Record] = []  # every record still open (an import of several jobs)

    def before_submit(self, spec: wire.JobSpec) -> None:
        self.record = self.journal.begin(self.kind, spec.name, self.data)
        self.open.append(self.record)

    def after_submit(self, job: wire.Job) -> None:
        if self.record is not None:
            self.journal.submitted(self.record, job.id)

    def after_wait(self, job: wire.Job) -> None:
        if self.record is not None and self.close_when_finished:
            self.journal.close(self.record)
            self.open.remove(self.record)
            self.record = None

    def close_all(self) -> None:
        """End every record still open: the kind has recorded what its jobs imply."""
        for record in self.open:
            self.journal.close(record)
        self.open, self.record = [], None


def find_job(client: WixClient, record: Record) -> wire.Job | None:
    """The record's job: by id when it has one, else by its unique name; None if none."""
    if record.job_id:
        return client.get_job(record.job_id)
    found = client.query_jobs({"name": {"$eq": record.name}}, limit=10)
    return next((job for job in found if job.name == record.name), None)


def import_handler(
    project: Project, client: WixClient, record: Record, job: wire.Job | None
) -> str:
    """An import records nothing in the project beyond its journal entry: say what happened."""
    what = str(record.data.get("file") or record.name)
    if job is None:
        return f"the import of {what} that was interrupted never reached the site; nothing was imported"
    return f"the import job {job.id} ({what}) that was interrupted finished {job.status}; recorded"


HANDLERS: dict[str, Handler] = {"import": import_handler, "import-items": import_handler}


def resolve_pending(
    project: Project, client: WixClient, handlers: Mapping[str, Handler] = HANDLERS
) -> list[str]:
    """Finish every record of interrupted work in *project*; return what happened, oldest first.

    A job still running is waited for (the client's poll timeout applies; on timeout the record
    stays for the next command). A record of a kind without a handler is an error.
    """
    journal = Journal(project.state_dir)
    messages = []
    for record in journal.pending():
        handler = handlers.get(record.kind)
        if handler is None:
            name = record.path.name if record.path else record.name
            raise ConfigError(
                f"journal/{name}: interrupted '{record.kind}' work this wixloc cannot finish",
                hint="look the job up with 'wixloc jobs list', then delete the record",
            )
        job = find_job(client, record)
        if job is not None and not job.finished:
            job = wait_for_job(client, job.id)
        messages.append(handler(project, client, record, job))
        journal.close(record)
    return messages
