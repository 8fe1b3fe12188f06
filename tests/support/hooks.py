"""A JobHooks that keeps what the job flow showed it, for the site tests."""

from __future__ import annotations

from wixloc.site.flow import JobHooks
from wixloc.wix import wire


class HookRecorder(JobHooks):
    """Keeps every spec before its submit and every job after it."""

    def __init__(self) -> None:
        self.specs: list[wire.JobSpec] = []
        self.jobs: list[wire.Job] = []

    def before_submit(self, spec: wire.JobSpec) -> None:
        assert len(self.specs) == len(self.jobs), "a submit without its after_submit"
        self.specs.append(spec)

    def after_submit(self, job: wire.Job) -> None:
        self.jobs.append(job)


__all__ = ["HookRecorder"]
