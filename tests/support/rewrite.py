"""A WSGI middleware that rewrites the sandbox's JSON answers, for faults the sandbox does not
make itself (a partial export, a job error that echoes the key), and an embedded client on it."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

import httpx

from tests.support.sandbox import FAST_POLL, FAST_RETRY, KEY, SEED
from wixloc.sandbox import SandboxApp, make_sandbox
from wixloc.site.project import Project
from wixloc.wix.client import WixClient

Rewrite = Callable[[str, str, dict[str, Any]], None]  # (method, path, answer) changed in place


class Rewriting:
    """*app* whose JSON answers pass through *rewrite* first."""

    def __init__(self, app: SandboxApp, rewrite: Rewrite) -> None:
        self.app = app
        self.rewrite = rewrite

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        seen: dict[str, Any] = {}

        def keep(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            seen.update(status=status, headers=headers)
            return lambda data: None

        body = b"".join(self.app(environ, keep))
        headers = list(seen["headers"])
        if any(k.lower() == "content-type" and "json" in v for k, v in headers):
            data = json.loads(body)
            self.rewrite(environ["REQUEST_METHOD"], environ["PATH_INFO"], data)
            body = json.dumps(data).encode("utf-8")
            headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
            headers.append(("Content-Length", str(len(body))))
        start_response(seen["status"], headers)
        return [body]


def embedded(rewrite: Rewrite, **kw: Any) -> Callable[..., WixClient]:
    """A stand-in for :func:`wixloc.site.connect.sandbox_client`: the project's embedded
    sandbox (seeded from the test site, key ``KEY``) behind :class:`Rewriting`."""

    def sandbox_client(root: Any = ".", *, seed: Any = None) -> WixClient:
        app = make_sandbox(Project(root).sandbox_db, api_key=KEY, seed=SEED, **kw)
        return WixClient(
            KEY,
            site_id=app.store.sites()[0].id,
            base_url="http://sandbox.wixloc.invalid",
            transport=httpx.WSGITransport(app=Rewriting(app, rewrite)),
            retry=FAST_RETRY,
            poll=FAST_POLL,
            sleep=lambda seconds: None,
        )

    return sandbox_client


def exports_end_partial(method: str, path: str, data: dict[str, Any]) -> None:
    """Every finished export job (a file destination) says PARTIALLY_SUCCESSFUL, 1 rejected."""
    job = data.get("job")
    if method != "GET" or not isinstance(job, dict) or "file" not in job.get("destination", {}):
        return
    if job["status"] == "COMPLETED":
        job["status"] = "PARTIALLY_SUCCESSFUL"
        progress = job.setdefault("progress", {})
        progress["itemsRejected"] = 1
        progress["itemsSuccessful"] = max(int(progress.get("itemsSuccessful") or 1) - 1, 0)


__all__ = ["Rewriting", "embedded", "exports_end_partial"]
