"""How commands get a client: a real site from the environment, or an embedded sandbox.

``--sandbox`` runs the sandbox in process (its SQLite file under ``.wixloc/``, seeded from the
samples the first time) and talks to it through httpx's WSGI transport: no network, no
credentials, and otherwise the same code path as a real site. This module sits above both the
client and the sandbox, which never import each other.

:func:`client_for` is the one way to build a client from settings: a project's
``wixloc.toml``, or (for the commands without one) ``Config(Path("."), sandbox=...)``.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path

import httpx

from wixloc.config import Config
from wixloc.sandbox import make_sandbox
from wixloc.site.project import Project
from wixloc.wix.client import PollPolicy, RetryPolicy, WixClient

__all__ = ["SANDBOX_URL", "client_for", "open_client", "sandbox_client"]

SANDBOX_URL = "http://sandbox.wixloc.invalid"
FAST_POLL = PollPolicy(initial=0.02, factor=1.5, maximum=0.5, timeout=600.0)


def sandbox_client(root: str | Path = ".", *, seed: str | Path | None = None) -> WixClient:
    """A client for the embedded sandbox whose database is ``ROOT/.wixloc/sandbox.db``."""
    key = secrets.token_urlsafe(16)  # nobody else talks to it; a fresh key per process
    app = make_sandbox(Project(Path(root)).sandbox_db, api_key=key, seed=seed)
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


def client_for(config: Config, env: Mapping[str, str] | None = None) -> WixClient:
    """The site of *config*: the embedded sandbox under its root, or the real site.

    The key always comes from the environment; the config's site id and API URL fill in
    what the environment leaves unset (``load_config`` has already let it override them).
    """
    if config.sandbox:
        return open_client(sandbox=True, root=config.root)
    merged = dict(os.environ if env is None else env)
    if config.site_id:
        merged.setdefault("WIX_SITE_ID", config.site_id)
    merged.setdefault("WIX_API_URL", config.api_url)
    return open_client(env=merged)
