"""How commands get a client: a real site from the environment, or an embedded sandbox.

``--sandbox`` runs the sandbox in process (its SQLite file under ``.wixloc/``, seeded from the
samples the first time) and talks to it through httpx's WSGI transport: no network, no
credentials, and otherwise the same code path as a real site. This module sits above both the
client and the sandbox, which never import each other.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from pathlib import Path

import httpx

from wixloc.sandbox import make_sandbox
from wixloc.wix.client import PollPolicy, RetryPolicy, WixClient

__all__ = ["SANDBOX_DB", "SANDBOX_URL", "open_client", "sandbox_client"]

SANDBOX_DB = Path(".wixloc") / "sandbox.db"
SANDBOX_URL = "http://sandbox.wixloc.invalid"
FAST_POLL = PollPolicy(initial=0.02, factor=1.5, maximum=0.5, timeout=600.0)


def sandbox_client(root: str | Path = ".", *, seed: str | Path | None = None) -> WixClient:
    """A client for the embedded sandbox whose database is ``ROOT/.wixloc/sandbox.db``."""
    key = secrets.token_urlsafe(16)  # nobody else talks to it; a fresh key per process
    app = make_sandbox(Path(root) / SANDBOX_DB, api_key=key, seed=seed)
    site = app.store.sites()[0]
    return WixClient(
        key,
        site_id=site.id,
        base_url=SANDBOX_URL,
        transport=httpx.WSGITransport(app=app),
        retry=RetryPolicy(attempts=3, base=0.05, cap=0.5),
        poll=FAST_POLL,
    )


def open_client(
    *, sandbox: bool = False, root: str | Path = ".", env: Mapping[str, str] | None = None
) -> WixClient:
    """The embedded sandbox with *sandbox*, else the site named by the environment."""
    if sandbox:
        return sandbox_client(root)
    return WixClient.from_env(env)
