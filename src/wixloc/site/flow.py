"""The one shape of an import into a site: plan → show → confirm → run → logs → outcome → error.

A flow (the localization import, a collection import) supplies its own steps; :func:`run_flow`
runs them in this order and is the only place that does::

    plan      read the file, back the site up, work out what would change (nothing is sent)
    show      the caller prints the plan
    stop      a dry run, or a plan with nothing to do, ends here
    refuse    the flow may refuse the plan (an error, before anyone is asked)
    confirm   the caller may say no: the outcome is "cancelled"
    run       upload the file; hooks.before_submit; submit; hooks.after_submit; wait;
              hooks.after_wait
    judge     the flow may raise at once for the finished job (before its logs are read)
    logs      the job's movement logs (:func:`fetch_logs`)
              (run, judge and logs once per job a flow's ``stages`` gives: one by default,
              one per language batch for a localization import of more than 64 languages)
    outcome   the flow's result; ``outcome.error()`` is the exit-3 error it deserves, if any

:class:`JobHooks` is where remote work can be recorded around the submit (a journal under the
project's ``.wixloc/``): everything before ``before_submit`` changes nothing on the site. The job's
unique name is given before ``before_submit`` (the client keeps it), so that a record written
there can find the job by name after a kill between the submit and its answer.

``WIXLOC_TEST_KILL_AT`` is for the kill tests only (tests/cli/test_kill.py): set to
``before-submit``, ``after-submit`` or ``after-wait`` it ends the process with ``os._exit(137)``
at that point of :func:`submit_and_wait`, as a ``kill -9`` would (``after-record``: in
``workflow.push``, once it has recorded the job's result). Nothing else reads it.
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, ClassVar, Generic, TypeVar

from wixloc.errors import WixlocError
from wixloc.wix import wire
from wixloc.wix.client import WixClient, unique_job_name
from wixloc.wix.jobs import ProgressCallback, job_error, wait_for_job

__all__ = [
    "NO_HOOKS",
    "Flow",
    "JobHooks",
    "Outcome",
    "fetch_logs",
    "file_format",
    "run_flow",
]

P = TypeVar("P")
R = TypeVar("R", bound="Outcome[Any]")  # the flow's result, as P is its plan


def file_format(path: Path, fmt: str | None) -> str:
    """The job's file format: *fmt* if given, else JSONL for ``.jsonl``/``.ndjson``, else CSV."""
    if fmt:
        return fmt.upper()
    return "JSONL" if path.suffix.lower() in (".jsonl", ".ndjson") else "CSV"


def fetch_logs(
    client: WixClient, job: wire.Job, *, trust_rejected: bool = True
) -> list[wire.MovementLog]:
    """The finished job's movement logs, all pages; none asked for when it recorded none.

    *trust_rejected*: a job that rejected rows has logs of them even when its
    ``logsRecorded`` is missing (an import). An export passes False: it reads the logs
    only when the job says it recorded some.
    """
    recorded = job.logs_recorded or (trust_rejected and job.progress.rejected > 0)
    return list(client.iter_logs(job.id)) if recorded else []


@dataclass
class Outcome(Generic[P]):
    """How a flow ended. ``job`` is None after a dry run, a plan with nothing to do, or a
    "no" to the confirmation (then ``cancelled``)."""

    plan: P
    job: wire.Job | None = None  # the (last) job
    logs: list[wire.MovementLog] = field(default_factory=list)  # every job's
    cancelled: bool = False
    jobs: list[wire.Job] = field(default_factory=list)  # every job, in the order they ran

    noun: ClassVar[str] = "items"  # what the job's counts count, in the error message

    def error(self) -> WixlocError | None:
        """The exit-3 error the finished job deserves (FAILED, PARTIALLY_SUCCESSFUL), if any."""
        if self.job is None:
            return None
        if len(self.jobs) > 1:  # the first job that did not succeed, with its own counts
            found = (job_error(job, self.noun, self.rejected_note()) for job in self.jobs)
            return next((error for error in found if error is not None), None)
        return job_error(self.job, self.noun, self.rejected_note(), rejected=self.rejected_count())

    def rejected_note(self) -> str:
        """Said after the rejected count, e.g. why they were rejected."""
        return ""

    def rejected_count(self) -> int | None:
        """The rejected count to report, when the job's own is not the whole story."""
        return None


class JobHooks:
    """Called around the submit of every flow's job; does nothing by default."""

    def before_submit(self, spec: wire.JobSpec) -> None:
        """The file is uploaded and the job is about to be submitted."""

    def after_submit(self, job: wire.Job) -> None:
        """The site accepted the job (``job.id``); it has not been waited for yet."""

    def after_wait(self, job: wire.Job) -> None:
        """The job finished (any status); its logs have not been read yet."""


NO_HOOKS = JobHooks()


class Flow(ABC, Generic[P, R]):
    """The steps one kind of import supplies to :func:`run_flow`."""

    def __init__(self, client: WixClient) -> None:
        self.client = client

    @abstractmethod
    def plan(self) -> P:
        """Read, back up and compare; nothing on the site changes."""

    def nothing_to_do(self, plan: P) -> bool:
        return False

    def refuse(self, plan: P) -> None:
        """Raise if the plan must not run whatever the user says."""

    @abstractmethod
    def stage(self, plan: P) -> wire.JobSpec:
        """Upload the file and return the job that reads it."""

    def stages(self, plan: P) -> Iterator[wire.JobSpec]:
        """The jobs to run one after another, each staged when its turn comes (after the one
        before it finished): by default the one :meth:`stage` gives."""
        yield self.stage(plan)

    def judge(self, job: wire.Job) -> None:
        """Raise at once for a finished job that is not worth reading the logs of."""

    @abstractmethod
    def outcome(self, plan: P, job: wire.Job, logs: list[wire.MovementLog]) -> R:
        """The result of a job that ran."""

    @abstractmethod
    def stopped(self, plan: P, *, cancelled: bool) -> R:
        """The result when no job ran."""


def run_flow(
    flow: Flow[P, R],
    *,
    dry_run: bool = False,
    show: Callable[[P], None] | None = None,
    confirm: Callable[[P], bool] | None = None,
    on_progress: ProgressCallback | None = None,
    hooks: JobHooks = NO_HOOKS,
) -> R:
    """Run *flow*'s steps in the order the module describes."""
    plan = flow.plan()
    if show is not None:
        show(plan)
    if dry_run or flow.nothing_to_do(plan):
        return flow.stopped(plan, cancelled=False)
    flow.refuse(plan)
    if confirm is not None and not confirm(plan):
        return flow.stopped(plan, cancelled=True)
    jobs: list[wire.Job] = []
    logs: list[wire.MovementLog] = []
    for spec in flow.stages(plan):
        job = submit_and_wait(flow.client, spec, hooks=hooks, on_progress=on_progress)
        flow.judge(job)
        jobs.append(job)
        logs.extend(fetch_logs(flow.client, job))
    result = flow.outcome(plan, jobs[-1], logs)
    result.jobs = jobs
    return result


def submit_and_wait(
    client: WixClient,
    spec: wire.JobSpec,
    *,
    hooks: JobHooks = NO_HOOKS,
    on_progress: ProgressCallback | None = None,
) -> wire.Job:
    """Submit *spec* between the hooks and wait for the job to finish."""
    spec = replace(spec, name=unique_job_name(spec.name))
    hooks.before_submit(spec)
    _test_kill("before-submit")
    job = client.submit_job(spec)
    _test_kill("after-submit")  # the job exists, its id is not recorded: found by name
    hooks.after_submit(job)
    job = wait_for_job(client, job.id, on_progress=on_progress)
    _test_kill("after-wait")
    hooks.after_wait(job)
    return job


def _test_kill(point: str) -> None:
    """Test only (see the module's doc): die here as ``kill -9`` would."""
    if os.environ.get("WIXLOC_TEST_KILL_AT") == point:
        os._exit(137)
