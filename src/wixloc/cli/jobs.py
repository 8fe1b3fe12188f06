"""``wixloc jobs``: list, show, logs, wait and terminate Data Movement jobs."""

from __future__ import annotations

import json
from itertools import islice

import click

from wixloc.cli._remote import mask, progress, remote, sandbox_option
from wixloc.errors import JobFailedError
from wixloc.wix.jobs import wait_for_job
from wixloc.wix.wire import Job

__all__ = ["COMMANDS"]


@click.group("jobs")
def jobs_group() -> None:
    """Data Movement jobs of the site: list, show, logs, wait, terminate.

    \b
    Example:
      wixloc jobs list --limit 5
      wixloc jobs logs 3f2a...  --sandbox
    """


def _progress(job: Job) -> str:
    p = job.progress
    total = "?" if p.total is None else str(p.total)
    return f"{p.current}/{total}, {p.rejected} rejected"


def _describe(job: Job) -> list[str]:
    lines = [
        f"id:        {job.id}",
        f"name:      {job.name}",
        f"kind:      {job.kind}",
        f"status:    {job.status}",
        f"progress:  {_progress(job)}",
        f"started:   {job.started_at or '-'}",
        f"finished:  {job.finished_at or '-'}",
        f"logs:      {'yes' if job.logs_recorded else 'no'}",
    ]
    if job.download_url:
        lines.append(f"file:      {job.download_url}")
    if job.error is not None:
        lines.append(f"error:     {job.error.code} {job.error.description}")
    if job.partial_cause:
        lines.append(f"partial:   {job.partial_cause}")
    return lines


@jobs_group.command("list")
@click.option(
    "--limit", type=click.IntRange(min=1), default=20, show_default=True, help="Jobs to show."
)
@click.option("--json", "as_json", is_flag=True, help="Print the jobs as JSON (a list).")
@sandbox_option
def list_cmd(limit: int, as_json: bool, sandbox: bool) -> None:
    """List the site's jobs.

    \b
    Example:
      wixloc jobs list --limit 5
      wixloc jobs list --json
    """
    with remote(sandbox) as client:
        found = list(islice(client.iter_jobs(limit=min(limit, 100)), limit))
    if as_json:
        click.echo(mask(json.dumps([job_json(job) for job in found], ensure_ascii=False, indent=2)))
        return
    for job in found:
        click.echo(
            mask(
                f"{job.id}  {job.status:<20} {job.kind:<26} {_progress(job):<22} "
                f"{job.started_at or '-'}  {job.name}"
            )
        )


def job_json(job: Job) -> dict[str, object]:
    """A job as the table shows it, as data (the kind as source and destination)."""
    p = job.progress
    return {
        "id": job.id,
        "name": job.name,
        "status": job.status,
        "source": next(iter(job.source), None),
        "destination": next(iter(job.destination), None),
        "current": p.current,
        "total": p.total,
        "rejected": p.rejected,
        "started": job.started_at,
        "finished": job.finished_at,
    }


@jobs_group.command("show")
@click.argument("job_id")
@sandbox_option
def show_cmd(job_id: str, sandbox: bool) -> None:
    """Show one job.

    \b
    Example:
      wixloc jobs show 3f2a9c1e-...
    """
    with remote(sandbox) as client:
        job = client.get_job(job_id)
    click.echo(mask("\n".join(_describe(job))))


@jobs_group.command("logs")
@click.argument("job_id")
@sandbox_option
def logs_cmd(job_id: str, sandbox: bool) -> None:
    """Print a job's movement logs (row or item, code, reason), all pages.

    \b
    Example:
      wixloc jobs logs 3f2a9c1e-...
    """
    with remote(sandbox) as client:
        count = 0
        for log in client.iter_logs(job_id):
            count += 1
            click.echo(mask(f"{log.source_item_id}  {log.code}  {log.description}"))
    if count == 0:
        click.echo("No movement logs.")


@jobs_group.command("wait")
@click.argument("job_id")
@click.option("--timeout", type=float, default=3600, show_default=True, help="Seconds.")
@sandbox_option
def wait_cmd(job_id: str, timeout: float, sandbox: bool) -> None:
    """Wait for a job to finish and show it (exit 3 unless COMPLETED).

    \b
    Example:
      wixloc jobs wait 3f2a9c1e-... --timeout 600
    """
    with remote(sandbox) as client, progress("Waiting") as update:
        job = wait_for_job(client, job_id, on_progress=update, timeout=timeout)
    click.echo(mask("\n".join(_describe(job))))
    if job.status != "COMPLETED":
        raise JobFailedError(f"job {job.id} ended {job.status}")


@jobs_group.command("terminate")
@click.argument("job_id")
@sandbox_option
def terminate_cmd(job_id: str, sandbox: bool) -> None:
    """Stop a running job.

    \b
    Example:
      wixloc jobs terminate 3f2a9c1e-...
    """
    with remote(sandbox) as client:
        job = client.terminate_job(job_id)
    click.echo(f"Job {job.id}: {job.status}")


COMMANDS = [jobs_group]
