"""Job-level operations over the client: wait for a job, export to a file, import a file.

``wait_for_job`` polls with growing intervals (the client's :class:`PollPolicy`), reports
progress to a callback on every poll, and gives up with a RemoteError after the timeout.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path

from wixloc.errors import JobFailedError, PartialJobError, RemoteError
from wixloc.grammar import plural
from wixloc.wix import wire
from wixloc.wix.client import WixClient

__all__ = [
    "ProgressCallback",
    "check_job",
    "export_localization",
    "import_localization",
    "job_error",
    "run_from_file",
    "run_to_file",
    "stage_file",
    "wait_for_job",
]

ProgressCallback = Callable[[wire.Job], None]


def wait_for_job(
    client: WixClient,
    job_id: str,
    *,
    on_progress: ProgressCallback | None = None,
    timeout: float | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> wire.Job:
    """Poll until the job is COMPLETED, PARTIALLY_SUCCESSFUL or FAILED; return it."""
    policy = client.poll
    limit = policy.timeout if timeout is None else timeout
    deadline = clock() + limit
    interval = policy.initial
    while True:
        job = client.get_job(job_id)
        if on_progress is not None:
            on_progress(job)
        if job.finished:
            return job
        if clock() + interval > deadline:
            raise RemoteError(
                f"job {job_id} did not finish within {plural(limit, 'second')} "
                f"(status {job.status})",
                hint=f"it may still finish: wixloc jobs wait {job_id}",
            )
        client.sleep(interval)
        interval = min(policy.maximum, interval * policy.factor)


def job_error(
    job: wire.Job, noun: str = "items", note: str = "", *, rejected: int | None = None
) -> JobFailedError | None:
    """The error a FAILED or PARTIALLY_SUCCESSFUL job deserves, counting the rejected *noun*
    (and *note*, e.g. why they were), or None for any other status. *rejected* stands in for
    the job's own count (the rows the logs name, when the job did not count them)."""
    p = job.progress
    count = p.rejected if rejected is None else rejected
    counted = f"{count} of {p.total or p.current} {noun} rejected{note}"
    if job.status == "PARTIALLY_SUCCESSFUL":
        return JobFailedError(f"job {job.id} was only partly successful: {counted}")
    if job.status != "FAILED":
        return None
    err = job.error
    detail = f": {err.description}" if err and err.description else ""
    if count:
        detail += f"; {counted}"
    return JobFailedError(
        f"job {job.id} failed{detail}",
        code=err.code if err else None,
        description=err.description if err else None,
    )


def check_job(job: wire.Job) -> None:
    """Raise JobFailedError for a FAILED job (PARTIALLY_SUCCESSFUL is left to the caller)."""
    if job.status == "FAILED":
        error = job_error(job)
        assert error is not None
        raise error


def run_to_file(
    client: WixClient,
    spec: wire.JobSpec,
    path: str | Path,
    *,
    on_progress: ProgressCallback | None = None,
    allow_partial: bool = False,
    noun: str = "items",
) -> wire.Job:
    """Submit a job whose destination is a file, wait, and download the file to *path*.

    A PARTIALLY_SUCCESSFUL job is an error unless *allow_partial*: its file lacks what was
    rejected, so nothing that needs the whole content (a snapshot, a backup) may use it; *path*
    is then left as it was.
    """
    job = client.submit_job(spec)
    job = wait_for_job(client, job.id, on_progress=on_progress)
    check_job(job)
    if job.status == "PARTIALLY_SUCCESSFUL" and not allow_partial:
        error = job_error(job, noun)
        assert error is not None
        raise PartialJobError(
            error.message,
            hint=f"a partial export is not used; see 'wixloc jobs logs {job.id}' "
            "and run the command again",
        )
    if job.download_url is None:
        raise RemoteError(f"job {job.id} finished without a download URL")
    client.download(job.download_url, path)
    return job


def run_from_file(
    client: WixClient,
    data: bytes,
    destination: wire.Localization | wire.CollectionDestination,
    *,
    file_name: str,
    fmt: str = "CSV",
    name: str = "wixloc import",
    destination_site_id: str | None = None,
    on_progress: ProgressCallback | None = None,
) -> wire.Job:
    """Upload *data*, submit a job that reads it, and wait; returns the finished job."""
    spec = stage_file(
        client,
        data,
        destination,
        file_name=file_name,
        fmt=fmt,
        name=name,
        destination_site_id=destination_site_id,
    )
    job = client.submit_job(spec)
    return wait_for_job(client, job.id, on_progress=on_progress)


def stage_file(
    client: WixClient,
    data: bytes,
    destination: wire.Localization | wire.CollectionDestination,
    *,
    file_name: str,
    fmt: str = "CSV",
    name: str = "wixloc import",
    destination_site_id: str | None = None,
) -> wire.JobSpec:
    """Upload *data* and return the spec of a job that reads it (not yet submitted)."""
    target = client.create_upload_url(file_name)
    client.upload(target.url, data)
    return wire.JobSpec(
        wire.FileSource(target.file_id, fmt.upper()),
        destination,
        name=name,
        destination_site_id=destination_site_id,
    )


def export_localization(
    client: WixClient,
    languages: Sequence[str],
    path: str | Path,
    *,
    fmt: str = "CSV",
    on_progress: ProgressCallback | None = None,
    allow_partial: bool = False,
) -> wire.Job:
    """Export the site's translatable content (main language first) to *path*."""
    spec = wire.JobSpec(
        wire.Localization(tuple(languages)),
        wire.FileDestination(fmt.upper(), Path(path).name),
        name="wixloc export",
    )
    return run_to_file(
        client, spec, path, on_progress=on_progress, allow_partial=allow_partial, noun="entries"
    )


def import_localization(
    client: WixClient,
    data: bytes,
    languages: Sequence[str],
    *,
    file_name: str = "import.csv",
    fmt: str = "CSV",
    on_progress: ProgressCallback | None = None,
) -> wire.Job:
    """Upload *data* and import it into the site's content; returns the finished job."""
    return run_from_file(
        client,
        data,
        wire.Localization(tuple(languages)),
        file_name=file_name,
        fmt=fmt,
        on_progress=on_progress,
    )
