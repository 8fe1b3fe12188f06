"""The HTTP client for Wix's Data Movement Jobs, Locales and Locale Settings APIs (httpx).

Safe calls (GETs, queries, idempotent PUTs) are retried with exponential backoff and jitter on
429, 502, 503, 504 and connection errors. A Submit is never blindly resent: after an ambiguous
failure the client looks for the job by the unique name it gave it, and submits again only if
no such job exists. Errors become :mod:`wixloc.errors` (status, Wix code, description, request
id). The API key is held out of every repr, log line and message; the transport is injectable.
"""

from __future__ import annotations

import logging
import os
import random
import re
import time
import uuid
from collections.abc import Callable, Generator, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from wixloc.errors import AuthError, ConfigError, RateLimitError, RemoteError
from wixloc.fsutil import atomic_write
from wixloc.wix import wire

__all__ = ["DEFAULT_URL", "RetryPolicy", "WixClient", "unique_job_name"]

DEFAULT_URL = "https://www.wixapis.com"
RETRY_STATUSES = frozenset({429, 502, 503, 504})
AMBIGUOUS_STATUSES = frozenset({500, 502, 503, 504})
AUTH_HINT = (
    "check WIX_API_KEY and WIX_SITE_ID; the key needs the 'Manage Data Movement Jobs' permission"
)
log = logging.getLogger("wixloc.wix")
_UNIQUE = re.compile(r" \[[0-9a-f]{12}\]$")  # the suffix unique_job_name adds


def unique_job_name(base: str) -> str:
    """*base* with a unique suffix, as a job is found by after an ambiguous submit. A name that
    already has one is kept: the caller may record it before submitting (a journal)."""
    if _UNIQUE.search(base):
        return base
    return f"{base or 'wixloc'}"[: 1024 - 15] + f" [{uuid.uuid4().hex[:12]}]"


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter: try n waits about base·2ⁿ (at most *cap*) seconds."""

    attempts: int = 5
    base: float = 0.5
    cap: float = 10.0

    def delay(self, attempt: int, rng: random.Random) -> float:
        ceiling = min(self.cap, self.base * 2**attempt)
        return float(ceiling / 2 + rng.uniform(0, ceiling / 2))  # "equal jitter": grows, never zero


@dataclass(frozen=True)
class PollPolicy:
    """How ``wait_for_job`` polls: first interval, growth factor, largest interval, timeout."""

    initial: float = 1.0
    factor: float = 1.5
    maximum: float = 10.0
    timeout: float = 3600.0


class _Secret:
    """A string that shows as ``***`` in every repr and str."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "***"

    __str__ = __repr__


class _KeyAuth(httpx.Auth):
    """Adds the raw key as ``Authorization`` (as Wix wants) without keeping it in headers."""

    def __init__(self, key: _Secret) -> None:
        self._key = key

    def __repr__(self) -> str:
        return "_KeyAuth(***)"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = self._key.reveal()
        yield request


class WixClient:
    """One site (or account) on one API base URL."""

    def __init__(
        self,
        api_key: str,
        *,
        site_id: str | None = None,
        account_id: str | None = None,
        base_url: str = DEFAULT_URL,
        transport: httpx.BaseTransport | None = None,
        retry: RetryPolicy | None = None,
        poll: PollPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        timeout: float = 30.0,
        seed: int | None = None,
    ) -> None:
        if not api_key:
            raise ConfigError("no API key", hint="set WIX_API_KEY")
        if not site_id and not account_id:
            raise ConfigError("no site or account id", hint="set WIX_SITE_ID or WIX_ACCOUNT_ID")
        self.base_url = base_url.rstrip("/")
        self.site_id = site_id
        self.account_id = account_id
        self.retry = retry or RetryPolicy()
        self.poll = poll or PollPolicy()
        self.sleep = sleep
        self._secret = _Secret(api_key)
        self._auth = _KeyAuth(self._secret)
        self._rng = random.Random(seed)
        headers = {"wix-site-id": site_id} if site_id else {"wix-account-id": account_id or ""}
        self._api = httpx.Client(
            base_url=self.base_url, headers=headers, transport=transport, timeout=timeout
        )
        self._plain = httpx.Client(transport=transport, timeout=timeout)  # upload/download URLs

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **kwargs: Any) -> WixClient:
        """From ``WIX_API_KEY``, ``WIX_SITE_ID`` or ``WIX_ACCOUNT_ID``, ``WIX_API_URL``."""
        env = os.environ if env is None else env
        key = env.get("WIX_API_KEY", "")
        if not key:
            raise ConfigError(
                "WIX_API_KEY is not set",
                hint="create an API key with the 'Manage Data Movement Jobs' permission, "
                "or use --sandbox",
            )
        site, account = env.get("WIX_SITE_ID"), env.get("WIX_ACCOUNT_ID")
        if not site and not account:
            raise ConfigError("WIX_SITE_ID (or WIX_ACCOUNT_ID) is not set")
        url = env.get("WIX_API_URL") or DEFAULT_URL
        return cls(key, site_id=site, account_id=account, base_url=url, **kwargs)

    def __repr__(self) -> str:
        who = f"site_id={self.site_id!r}" if self.site_id else f"account_id={self.account_id!r}"
        return f"WixClient({self.base_url!r}, {who})"

    def close(self) -> None:
        self._api.close()
        self._plain.close()

    def __enter__(self) -> WixClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- transport, retries and error mapping ---------------------------------------------

    def _send(self, client: httpx.Client, method: str, url: str, **kw: Any) -> httpx.Response:
        """One request, retried while the failure is retryable. Raises RemoteError."""
        attempt = 0
        while True:
            response: httpx.Response | None = None
            try:
                response = client.request(method, url, **kw)
            except httpx.TransportError as exc:
                if attempt + 1 >= self.retry.attempts:
                    raise self._unreachable(exc) from None
                log.debug("%s %s: %s, retrying", method, url, type(exc).__name__)
            else:
                log.debug("%s %s -> %s", method, url, response.status_code)
                if response.status_code not in RETRY_STATUSES or attempt + 1 >= self.retry.attempts:
                    return response
            self.sleep(self._wait(attempt, response))
            attempt += 1

    def _wait(self, attempt: int, response: httpx.Response | None) -> float:
        after = response.headers.get("Retry-After") if response is not None else None
        if after is not None and after.isdigit():
            return min(float(after), self.retry.cap)
        return self.retry.delay(attempt, self._rng)

    def _unreachable(self, exc: httpx.TransportError) -> RemoteError:
        host = exc.request.url.host if _has_request(exc) else self.base_url
        return RemoteError(
            f"cannot reach {host}: {type(exc).__name__} after {self.retry.attempts} tries",
            hint="check the network and WIX_API_URL",
        )

    def _call(self, method: str, path: str, *, safe: bool = True, **kw: Any) -> dict[str, Any]:
        if safe:
            response = self._send(self._api, method, path, auth=self._auth, **kw)
        else:
            response = self._api.request(method, path, auth=self._auth, **kw)
        return self._json(response)

    def _json(self, response: httpx.Response) -> dict[str, Any]:
        if response.status_code >= 400:
            raise self._error(response)
        try:
            body = response.json() if response.content else {}
        except ValueError:
            raise RemoteError(
                "the API answered with something that is not JSON",
                status=response.status_code,
                request_id=_request_id(response),
            ) from None
        return body if isinstance(body, dict) else {}

    def _scrub(self, text: str | None) -> str | None:
        key = self._secret.reveal()
        return text.replace(key, "***") if text and key else text

    def _error(self, response: httpx.Response) -> RemoteError:
        try:
            body = response.json() if response.content else None
        except ValueError:
            body = None
        message, code, description = (self._scrub(x) for x in wire.error_parts(body))
        status = response.status_code
        detail = description or message or response.reason_phrase or "no details"
        kw: dict[str, Any] = {
            "status": status,
            "code": code,
            "description": description,
            "request_id": _request_id(response),
        }
        if status in (401, 403):
            return AuthError(f"Wix refused the request: {detail}", hint=AUTH_HINT, **kw)
        if status == 429:
            return RateLimitError(
                f"Wix is rate-limiting requests (still refused after {self.retry.attempts} tries)",
                hint="wait a minute and run the command again",
                **kw,
            )
        return RemoteError(f"Wix API error: {detail}", **kw)

    # --- jobs ------------------------------------------------------------------------------

    def submit_job(self, spec: wire.JobSpec) -> wire.Job:
        """Submit *spec*; after an ambiguous failure, find the job by name before resubmitting."""
        name = unique_job_name(spec.name)
        body = spec.body(name)
        failure: RemoteError | None = None
        for attempt in range(self.retry.attempts):
            response: httpx.Response | None = None
            try:
                response = self._api.post("/data-mover/v1/jobs", json=body, auth=self._auth)
            except httpx.TransportError as exc:
                failure = self._unreachable(exc)
            else:
                if response.status_code not in RETRY_STATUSES:
                    return wire.job_from_json(self._json(response))
                failure = self._error(response)
            if response is None or response.status_code in AMBIGUOUS_STATUSES:
                found = self._find_job(name)
                if found is not None:
                    return found  # the first try did create it: do not submit twice
            if attempt + 1 < self.retry.attempts:
                self.sleep(self._wait(attempt, response))
        assert failure is not None
        raise failure

    def _find_job(self, name: str) -> wire.Job | None:
        page = wire.jobs_page(
            self._call(
                "POST",
                "/data-mover/v1/jobs/query",
                json=wire.query_body({"name": {"$eq": name}}, None, 10, None),
            )
        )
        return next((job for job in page.items if job.name == name), None)

    def get_job(self, job_id: str) -> wire.Job:
        return wire.job_from_json(self._call("GET", f"/data-mover/v1/jobs/{job_id}"))

    def terminate_job(self, job_id: str) -> wire.Job:
        # terminating twice is harmless, so the call is retried like a safe one
        body = self._call("POST", f"/data-mover/v1/jobs/{job_id}/terminate", json={})
        return wire.job_from_json(body)

    def iter_jobs(self, *, limit: int = 50) -> Iterator[wire.Job]:
        """Every job of the site, page by page (cursor paging)."""
        cursor: str | None = None
        while True:
            page = wire.jobs_page(
                self._call("GET", "/data-mover/v1/jobs", params=wire.paging_params(limit, cursor))
            )
            yield from page.items
            if page.next_cursor is None:
                return
            cursor = page.next_cursor

    def query_jobs(
        self,
        filter: dict[str, Any] | None = None,
        sort: list[tuple[str, str]] | None = None,
        *,
        limit: int = 50,
    ) -> Iterator[wire.Job]:
        cursor: str | None = None
        while True:
            body = wire.query_body(filter, sort, limit, cursor)
            page = wire.jobs_page(self._call("POST", "/data-mover/v1/jobs/query", json=body))
            yield from page.items
            if page.next_cursor is None:
                return
            cursor = page.next_cursor

    def iter_logs(self, job_id: str, *, limit: int = 100) -> Iterator[wire.MovementLog]:
        """Every movement log of the job, all pages."""
        cursor: str | None = None
        while True:
            params = wire.paging_params(limit, cursor)
            page = wire.logs_page(
                self._call("GET", f"/data-mover/v1/jobs/{job_id}/logs", params=params)
            )
            yield from page.items
            if page.next_cursor is None:
                return
            cursor = page.next_cursor

    # --- files -----------------------------------------------------------------------------

    def create_upload_url(self, file_name: str | None = None) -> wire.UploadUrl:
        body = {"fileName": file_name[:512]} if file_name else {}
        # creating a URL has no lasting effect, so retrying is safe
        found = self._call("POST", "/data-mover/v1/temporary-files/upload-url", json=body)
        return wire.upload_url_from_json(found)

    def upload(self, url: str, data: bytes) -> None:
        """PUT *data* to an upload URL, without Wix headers (a PUT is idempotent: retried)."""
        response = self._send(self._plain, "PUT", url, content=data)
        if response.status_code >= 400:
            error = self._error(response)
            raise RemoteError(
                f"the upload was refused: {error.description or error.message}",
                status=error.status,
                code=error.code,
                request_id=error.request_id,
                hint="upload URLs expire after 15 minutes; run the command again",
            )

    def download(self, url: str, path: str | Path) -> None:
        """Stream the file at *url* to *path* (atomically), without Wix headers."""
        for attempt in range(self.retry.attempts):
            last = attempt + 1 >= self.retry.attempts
            try:
                with self._plain.stream("GET", url) as response:
                    if response.status_code in RETRY_STATUSES and not last:
                        continue_after = self._wait(attempt, response)
                    elif response.status_code >= 400:
                        response.read()
                        raise self._error(response)
                    else:
                        with atomic_write(path) as fh:
                            for chunk in response.iter_bytes():
                                fh.write(chunk)
                        return
            except httpx.TransportError as exc:
                if last:
                    raise self._unreachable(exc) from None
                continue_after = self.retry.delay(attempt, self._rng)
            self.sleep(continue_after)

    # --- locales ---------------------------------------------------------------------------

    def primary_locale(self) -> str | None:
        return wire.primary_from_settings(self._call("GET", "/locale-settings/v2/settings"))

    def locales(self) -> list[wire.Locale]:
        body = {"query": {"filter": {}, "cursorPaging": {"limit": 100}}}
        return wire.locales_from_json(self._call("POST", "/locales/v2/locale/query", json=body))

    def site_languages(self) -> list[str]:
        """The site's languages, the primary locale first, then the others in site order."""
        locales = self.locales()
        primary = next((loc.tag for loc in locales if loc.primary), None) or self.primary_locale()
        if primary is None:
            raise RemoteError("the site has no primary locale", hint="is it multilingual?")
        return [primary, *(loc.tag for loc in locales if loc.tag.lower() != primary.lower())]


def _has_request(exc: httpx.TransportError) -> bool:
    try:
        exc.request  # noqa: B018 - raises RuntimeError when the error has no request
    except RuntimeError:
        return False
    return True


def _request_id(response: httpx.Response) -> str | None:
    found = response.headers.get("x-wix-request-id") or response.headers.get("x-request-id")
    return str(found) if found else None
