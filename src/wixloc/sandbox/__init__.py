"""A local stand-in for the Wix APIs wixloc uses: Data Movement Jobs, Locales, Locale Settings.

State lives in SQLite (:mod:`.store`), jobs run in background threads (:mod:`.runner`, given
the flows listed in :mod:`.flows`, one handler module per flow such as :mod:`.localization`),
and :mod:`.app` serves the documented paths over WSGI (its route table: ``app.ROUTES``). :func:`make_sandbox` builds one; :func:`serve` runs it as a threaded server.
The sandbox never imports the client.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from werkzeug.serving import BaseWSGIServer, make_server

from wixloc.errors import UsageError
from wixloc.sandbox.app import UPLOAD_TTL, Faults, SandboxApp
from wixloc.sandbox.flows import FLOWS
from wixloc.sandbox.runner import Runner
from wixloc.sandbox.seed import default_seed, load_seed, samples_dir
from wixloc.sandbox.store import Store
from wixloc.sandbox.webhooks import WebhookSender

__all__ = [
    "UPLOAD_TTL",
    "Faults",
    "SandboxApp",
    "Store",
    "default_seed",
    "load_seed",
    "make_sandbox",
    "samples_dir",
    "serve",
]


def make_sandbox(
    db: str | Path = ":memory:",
    *,
    api_key: str,
    seed: str | Path | None = None,
    reset: bool = False,
    site_id: str | None = None,
    account_id: str | None = None,
    clock: Callable[[], float] = time.time,
    step_delay: float = 0.0,
    faults: Faults | None = None,
    webhook_url: str | None = None,
) -> SandboxApp:
    """A sandbox on *db*, seeded from *seed* (default: the samples) when empty or on *reset*.

    *site_id* renames the seed's first site (the one a client without ``wix-site-id`` choice
    would use).
    """
    store = Store(db)
    if reset or store.is_empty():
        load_seed(store, seed if seed is not None else default_seed(), site_id=site_id)
    elif site_id and store.site(site_id) is None:
        have = ", ".join(s.id for s in store.sites())
        raise UsageError(
            f"the sandbox database holds site {have}, not {site_id}",
            hint="pass --reset to seed it again under the new site id",
        )
    runner = Runner(store, FLOWS, clock=clock, step_delay=step_delay)
    if webhook_url:
        runner.on_event = WebhookSender(webhook_url, clock=clock)
    return SandboxApp(
        store,
        runner=runner,
        api_key=api_key,
        account_id=account_id,
        clock=clock,
        step_delay=step_delay,
        faults=faults,
    )


def serve(app: SandboxApp, host: str = "127.0.0.1", port: int = 0) -> BaseWSGIServer:
    """A threaded server for *app* (port 0: any free port; see ``server.server_port``)."""
    return make_server(host, port, app, threaded=True)
