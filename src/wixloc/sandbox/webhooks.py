"""Job events as webhooks: Job Created, Job Updated, Job Deleted, POSTed to one URL.

The envelope follows Wix's entity events as the SDK types them: ``id``, ``entityFqdn``
(``wix.hub.v1.job``), ``slug`` (``created``, ``updated``, ``deleted``), ``entityId``,
``eventTime``, ``entityEventSequence`` (1, 2, ... per job, as a string like every int64),
``triggeredByAnonymizeRequest``, ``originatedFrom`` (null: no other app caused it) and, by slug,
``createdEvent.entity``, ``updatedEvent.currentEntity`` with ``updatedEvent.modifiedFields``
(the top-level fields that changed since the job's previous event, with their new values) or
``deletedEvent`` (metadata only). Real Wix sends the
event inside a JWT signed with the app's key; the sandbox sends the plain JSON, unsigned.
Deliveries run on one background thread in order; a failed delivery is retried 3 times, then
dropped (as a receiver that is down would miss it).
"""

from __future__ import annotations

import queue
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

import httpx

from wixloc.sandbox.runner import iso

__all__ = ["WebhookSender", "envelope"]

FQDN = "wix.hub.v1.job"


def envelope(
    slug: str,
    job: dict[str, Any],
    now: float,
    *,
    sequence: int = 1,
    previous: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The event for *job*; *previous* is the job as its last event showed it (for updates)."""
    event: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "entityFqdn": FQDN,
        "slug": slug,
        "entityId": job["id"],
        "eventTime": iso(now),
        "entityEventSequence": str(sequence),
        "triggeredByAnonymizeRequest": False,
        "originatedFrom": None,
    }
    if slug == "created":
        event["createdEvent"] = {"entity": job}
    elif slug == "updated":
        before = previous or {}
        modified = {k: v for k, v in job.items() if before.get(k) != v}
        event["updatedEvent"] = {"currentEntity": job, "modifiedFields": modified}
    else:
        event["deletedEvent"] = {"movedToTrash": False}
    return event


class WebhookSender:
    """Queues events and POSTs them to *url* from a daemon thread."""

    def __init__(
        self,
        url: str,
        *,
        clock: Callable[[], float] = time.time,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.url = url
        self.clock = clock
        self._queue: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._http = httpx.Client(transport=transport, timeout=10.0)
        self._last: dict[str, tuple[int, dict[str, Any]]] = {}  # job id: (sequence, job)
        self._thread = threading.Thread(target=self._deliver, daemon=True)
        self._thread.start()

    def __call__(self, slug: str, job: dict[str, Any]) -> None:
        sequence, previous = self._last.get(job["id"], (0, None))
        event = envelope(slug, dict(job), self.clock(), sequence=sequence + 1, previous=previous)
        self._last[job["id"]] = (sequence + 1, dict(job))
        self._queue.put(event)

    def _deliver(self) -> None:
        while True:
            event = self._queue.get()
            if event is None:
                return
            for attempt in range(4):
                try:
                    if self._http.post(self.url, json=event).status_code < 500:
                        break
                except httpx.HTTPError:
                    pass
                time.sleep(0.2 * 2**attempt)

    def flush(self, timeout: float = 10.0) -> None:
        """Deliver everything queued so far, then stop the thread (tests, shutdown)."""
        self._queue.put(None)
        self._thread.join(timeout)
        self._http.close()
