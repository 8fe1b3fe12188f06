"""Helpers for the Wix client and sandbox tests: a seeded sandbox, clients, a threaded server."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from tests.conftest import DATA
from wixloc.sandbox import Faults, SandboxApp, make_sandbox, serve
from wixloc.wix import client as client_module
from wixloc.wix.client import PollPolicy, RetryPolicy, WixClient

SEED = DATA / "wix" / "site.json"
SITE_ID = "0b7c6f2e-1111-4a6b-9c1d-5e8f00000001"
KEY = "test-key-Zq8x"
ITEM1 = "a1000000-0000-4000-8000-000000000001"
ITEM2 = "a1000000-0000-4000-8000-000000000002"
FAST_POLL = PollPolicy(initial=0.005, factor=1.5, maximum=0.05, timeout=60.0)
FAST_RETRY = RetryPolicy(attempts=6, base=0.001, cap=0.01)

EXPORT_CSV = (
    "Collection ID,Item ID,Field,en,de,fr,he,ja\n"
    f"Products,{ITEM1},title,Gift box,Geschenkbox,,קופסת מתנה,\n"
    f'Products,{ITEM1},description,"<p>A box, ""sturdy"", with a lid</p>",,,,\n'
    f"Products,{ITEM2},title,Candle,,Bougie,,キャンドル\n"
    f'Products,{ITEM2},description,"Line one\nline two",,,,\n'
    "Pages,p1,heading,Welcome,Willkommen,,,\n"
)


class FakeClock:
    """A clock tests move by hand (upload URL expiry)."""

    def __init__(self, now: float = 1_780_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def make_app(db: str | Path = ":memory:", **kw: Any) -> SandboxApp:
    return make_sandbox(db, api_key=KEY, seed=SEED, **kw)


def client_for(
    app: SandboxApp | None = None,
    *,
    base_url: str = "http://sandbox.test",
    key: str = KEY,
    site_id: str | None = SITE_ID,
    **kw: Any,
) -> WixClient:
    transport = httpx.WSGITransport(app=app) if app is not None else None
    kw.setdefault("poll", FAST_POLL)
    kw.setdefault("retry", FAST_RETRY)
    kw.setdefault("sleep", lambda seconds: None)
    return WixClient(key, site_id=site_id, base_url=base_url, transport=transport, **kw)


@contextmanager
def running_server(app: SandboxApp) -> Iterator[str]:
    """Serve *app* on 127.0.0.1, any free port; yields the base URL."""
    server = serve(app, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@contextmanager
def served_site(
    app: SandboxApp, monkeypatch: pytest.MonkeyPatch, site_id: str = SITE_ID
) -> Iterator[str]:
    """*app* served on 127.0.0.1, the environment pointing wixloc at it (WIX_API_URL, the key,
    *site_id*) and the client's poll and retry policies fast; yields the base URL."""
    monkeypatch.setattr(client_module, "PollPolicy", lambda: FAST_POLL)
    monkeypatch.setattr(client_module, "RetryPolicy", lambda: FAST_RETRY)
    with running_server(app) as url:
        monkeypatch.setenv("WIX_API_URL", url)
        monkeypatch.setenv("WIX_API_KEY", KEY)
        monkeypatch.setenv("WIX_SITE_ID", site_id)
        yield url


class Receiver:
    """A local webhook receiver: a threaded server on port 0 that keeps every JSON body."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []
        self.arrived = threading.Condition()
        self.server = make_server("127.0.0.1", 0, self, threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"

    def __call__(self, environ: Any, start_response: Any) -> Any:
        with self.arrived:
            self.events.append(json.loads(Request(environ).get_data()))
            self.arrived.notify_all()
        return Response("ok")(environ, start_response)

    def wait_for(self, count: int, timeout: float = 10.0) -> list[dict[str, Any]]:
        """The events once *count* have arrived (or all there are after *timeout*)."""
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.events) >= count, timeout)
            return list(self.events)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


__all__ = [
    "EXPORT_CSV",
    "FAST_POLL",
    "FAST_RETRY",
    "ITEM1",
    "ITEM2",
    "KEY",
    "SEED",
    "SITE_ID",
    "FakeClock",
    "Faults",
    "Receiver",
    "client_for",
    "make_app",
    "running_server",
    "served_site",
]
