"""The Wix API client: :mod:`.client` (HTTP, retries, paging, errors), :mod:`.jobs` (wait,
export, import), :mod:`.wire` (the JSON field names) and :mod:`.mask` (the one secret mask every
string shown or logged passes). It never imports the sandbox."""

from __future__ import annotations

from wixloc.wix.client import DEFAULT_URL, PollPolicy, RetryPolicy, WixClient
from wixloc.wix.jobs import check_job, export_localization, import_localization, wait_for_job
from wixloc.wix.wire import Job, JobSpec, MovementLog

__all__ = [
    "DEFAULT_URL",
    "Job",
    "JobSpec",
    "MovementLog",
    "PollPolicy",
    "RetryPolicy",
    "WixClient",
    "check_job",
    "export_localization",
    "import_localization",
    "wait_for_job",
]
