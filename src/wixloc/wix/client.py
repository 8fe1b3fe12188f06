"""The HTTP client for Wix's Data Movement Jobs, Locales and Locale Settings APIs (httpx).

Every call goes through one retrying layer (:meth:`WixClient._retrying`): idempotent calls
(GETs, queries, idempotent PUTs, downloads) are retried with exponential backoff and jitter on
429, 500, 502, 503, 504 and transport errors, honouring ``Retry-After`` up to
:attr:`RetryPolicy.retry_after_cap`. A Submit is never blindly resent: after an ambiguous
failure (a 5xx, a timeout, a connection lost after sending) the client first looks for the job
by the unique name it gave it, and submits again only if no such job exists. Every list is read
by one paging generator (:meth:`WixClient._pages`). Errors become :mod:`wixloc.errors` (status,
Wix code, description, request id). The API key is held out of every repr, and every string
the client raises, logs or returns from a server's JSON passes :func:`wixloc.wix.mask.mask`.
"""

from __future__ import annotations

import email.utils
import logging
import os
import random
import re
import time
import uuid
from collections.abc import Callable, Generator, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx

from wixloc.errors import AuthError, ConfigError, RateLimitError, RemoteError
from wixloc.fsutil import atomic_write
from wixloc.grammar import plural
from wixloc.wix import wire
from wixloc.wix.mask import mask, mask_json, register_secret

__all__ = ["DEFAULT_URL", "RetryPolicy", "WixClient", "unique_job_name"]

DEFAULT_URL = "https://www.wixapis.com"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
AMBIGUOUS_STATUSES = frozenset({500, 502, 503, 504})  # the request may have taken effect
# transport errors raised before a byte of the request left: a submit that met one did nothing
UNSENT_ERRORS = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.UnsupportedProtocol,
)
AUTH_HINT = (
    "check WIX_API_KEY and WIX_SITE_ID; the key needs the 'Manage Data Movement Jobs' permission"
)
JOBS = "/data-mover/v1/jobs"
T = TypeVar("T")
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
    retry_after_cap: float = 60.0  # a longer Retry-After is cut to this, so a run never stalls

    def after(self, header: str | None, now: float) -> float | None:
        """The wait a ``Retry-After`` header asks for (seconds or an HTTP date), capped."""
        if not header:
            return None
        header = header.strip()
        if header.isdigit():
            return min(float(header), self.retry_after_cap)
        try:
            when = email.utils.parsedate_to_datetime(header)
        except (TypeError, ValueError):
            return None
        return min(max(when.timestamp() - now, 0.0), self.retry_after_cap)

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
        register_secret(api_key)
        _check_header(api_key, "the API key", "WIX_API_KEY")
        if not site_id and not account_id:
            raise ConfigError("no site or account id", hint="set WIX_SITE_ID or WIX_ACCOUNT_ID")
        if site_id:
            _check_header(site_id, "the site id", "WIX_SITE_ID")
        elif account_id:
            _check_header(account_id, "the account id", "WIX_ACCOUNT_ID")
        self.base_url = _check_url(base_url).rstrip("/")
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

    # --- the one retrying layer ----------------------------------------------------------

    def _retrying(self, attempt: Callable[[], T]) -> T:
        """Call *attempt* until it returns. An attempt raises :class:`_Retryable` for a failure
        worth another try; after the last try that failure's error is raised."""
        for n in range(self.retry.attempts):
            try:
                return attempt()
            except _Retryable as failure:
                if n + 1 >= self.retry.attempts:
                    raise failure.error from None
                self.sleep(self._wait(n, failure.response))
        raise AssertionError("RetryPolicy.attempts must be at least 1")  # pragma: no cover

    def _send(self, client: httpx.Client, method: str, url: str, **kw: Any) -> httpx.Response:
        """One idempotent request, retried while the failure is retryable. Raises RemoteError."""
        return self._retrying(lambda: self._once(client, method, url, **kw))

    def _once(self, client: httpx.Client, method: str, url: str, **kw: Any) -> httpx.Response:
        """One try: the response, or _Retryable for a transport error or a retryable status."""
        try:
            response = client.request(method, url, **kw)
        except httpx.TransportError as exc:
            log.debug("%s %s: %s", method, mask(_shown(url)), type(exc).__name__)
            failure = _Retryable(self._unreachable(exc))
            failure.ambiguous = not isinstance(exc, UNSENT_ERRORS)
            raise failure from None
        log.debug("%s %s -> %s", method, mask(_shown(url)), response.status_code)
        if response.status_code in RETRY_STATUSES:
            failure = _Retryable(self._error(response), response)
            failure.ambiguous = response.status_code in AMBIGUOUS_STATUSES
            raise failure
        return response

    def _wait(self, attempt: int, response: httpx.Response | None) -> float:
        header = response.headers.get("Retry-After") if response is not None else None
        after = self.retry.after(header, time.time())
        return self.retry.delay(attempt, self._rng) if after is None else after

    def _unreachable(self, exc: httpx.TransportError) -> RemoteError:
        host = exc.request.url.host if _has_request(exc) else self.base_url
        return RemoteError(
            f"cannot reach {host}: {type(exc).__name__} after {plural(self.retry.attempts, 'try')}",
            hint="check the network and WIX_API_URL",
        )

    def _call(self, method: str, path: str, **kw: Any) -> dict[str, Any]:
        return self._json(self._send(self._api, method, path, auth=self._auth, **kw))

    def _pages(self, fetch: Callable[[str | None], wire.Page]) -> Iterator[Any]:
        """The one paging loop: every item of every page, following ``cursors.next``."""
        cursor: str | None = None
        while True:
            page = fetch(cursor)
            yield from page.items
            if page.next_cursor is None:
                return
            cursor = page.next_cursor

    def _json(self, response: httpx.Response) -> dict[str, Any]:
        if response.status_code >= 400:
            raise self._error(response)
        try:
            body = mask_json(response.json()) if response.content else {}
        except ValueError:
            raise RemoteError(
                "the API answered with something that is not JSON",
                status=response.status_code,
                request_id=_request_id(response),
            ) from None
        return body if isinstance(body, dict) else {}

    def _scrub(self, text: str | None) -> str | None:
        return mask(text) if text else text

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
                "Wix is rate-limiting requests "
                f"(still refused after {plural(self.retry.attempts, 'try')})",
                hint="wait a minute and run the command again",
                **kw,
            )
        return RemoteError(f"Wix API error: {detail}", **kw)

    # --- jobs ------------------------------------------------------------------------------

    def submit_job(self, spec: wire.JobSpec) -> wire.Job:
        """Submit *spec*; after an ambiguous failure, find the job by name before resubmitting."""
        name = unique_job_name(spec.name)
        body = spec.body(name)

        def attempt() -> wire.Job:
            try:
                response = self._once(self._api, "POST", JOBS, json=body, auth=self._auth)
            except _Retryable as failure:
                if failure.ambiguous:  # before anything else: did that try create the job?
                    found = self._find_job(name, failure.error)
                    if found is not None:
                        return found  # it did: do not submit twice
                raise
            return wire.job_from_json(self._json(response))

        return self._retrying(attempt)

    def _find_job(self, name: str, cause: RemoteError) -> wire.Job | None:
        query = wire.query_body({"name": {"$eq": name}}, None, 10, None)
        try:
            page = wire.jobs_page(self._call("POST", f"{JOBS}/query", json=query))
        except RemoteError as exc:
            raise RemoteError(
                f"submitting job '{name}' failed ({cause.message}) and looking it up failed "
                f"too ({exc.message}): it may or may not exist",
                status=exc.status,
                code=exc.code,
                request_id=exc.request_id,
                hint="see 'wixloc jobs list' before running the command again",
            ) from None
        return next((job for job in page.items if job.name == name), None)

    def get_job(self, job_id: str) -> wire.Job:
        return wire.job_from_json(self._call("GET", f"{JOBS}/{job_id}"))

    def terminate_job(self, job_id: str) -> wire.Job:
        # terminating twice is harmless, so the call is retried like a safe one
        return wire.job_from_json(self._call("POST", f"{JOBS}/{job_id}/terminate", json={}))

    def iter_jobs(self, *, limit: int = 50) -> Iterator[wire.Job]:
        """Every job of the site, page by page (cursor paging)."""

        def fetch(cursor: str | None) -> wire.Page:
            params = wire.paging_params(limit, cursor)
            return wire.jobs_page(self._call("GET", JOBS, params=params))

        return self._pages(fetch)

    def query_jobs(
        self,
        filter: dict[str, Any] | None = None,
        sort: list[tuple[str, str]] | None = None,
        *,
        limit: int = 50,
    ) -> Iterator[wire.Job]:
        def fetch(cursor: str | None) -> wire.Page:
            body = wire.query_body(filter, sort, limit, cursor)
            return wire.jobs_page(self._call("POST", f"{JOBS}/query", json=body))

        return self._pages(fetch)

    def iter_logs(self, job_id: str, *, limit: int = 100) -> Iterator[wire.MovementLog]:
        """Every movement log of the job, all pages."""

        def fetch(cursor: str | None) -> wire.Page:
            params = wire.paging_params(limit, cursor)
            return wire.logs_page(self._call("GET", f"{JOBS}/{job_id}/logs", params=params))

        return self._pages(fetch)

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
        """Stream the file at *url* to *path* (atomically), without Wix headers. A body cut
        short is retried like any GET, then reported as cut off; a 403 as an expired URL."""
        self._retrying(lambda: self._download_once(url, path))

    def _download_once(self, url: str, path: str | Path) -> None:
        try:
            with self._plain.stream("GET", url) as response:
                if response.status_code >= 400:
                    response.read()
                    error = self._download_error(response)
                    if response.status_code in RETRY_STATUSES:
                        raise _Retryable(error, response)
                    raise error
                _save(response, path)
        except httpx.TransportError as exc:  # before the answer began: the host is unreachable
            raise _Retryable(self._unreachable(exc)) from None

    def _download_error(self, response: httpx.Response) -> RemoteError:
        error = self._error(response)
        if response.status_code != 403:
            return error
        # download URLs are signed and short-lived: a 403 is about the URL, not the API key
        return RemoteError(
            "the download URL has expired or is not valid",
            status=error.status,
            code=error.code,
            description=error.description,
            request_id=error.request_id,
            hint="download URLs are short-lived; run the command again for a new job and URL",
        )

    # --- locales ---------------------------------------------------------------------------

    def primary_locale(self) -> str | None:
        return wire.primary_from_settings(self._call("GET", "/locale-settings/v2/settings"))

    def locales(self) -> list[wire.Locale]:
        """Every locale of the site (up to 200), following the query's cursor page by page."""

        def fetch(cursor: str | None) -> wire.Page:
            body = wire.query_body(None, None, 100, cursor)
            if cursor is None:  # later pages: the cursor alone, as Wix's cursor paging wants
                body["query"]["filter"] = {}
            return wire.locales_page(self._call("POST", "/locales/v2/locale/query", json=body))

        return list(self._pages(fetch))

    def site_languages(self) -> list[str]:
        """The site's languages, the primary locale first, then the others in site order."""
        locales = self.locales()
        primary = next((loc.tag for loc in locales if loc.primary), None) or self.primary_locale()
        if primary is None:
            raise RemoteError("the site has no primary locale", hint="is it multilingual?")
        return [primary, *(loc.tag for loc in locales if loc.tag.lower() != primary.lower())]


def _save(response: httpx.Response, path: str | Path) -> None:
    """The body to *path*; a connection lost mid-body, or fewer bytes than announced, is a
    retryable "cut off" (the partial file is never kept)."""
    expected = response.headers.get("Content-Length")
    if response.headers.get("Content-Encoding") or not (expected or "").isdigit():
        expected = None  # a compressed body's length says nothing about the bytes written
    written = 0
    with atomic_write(path) as fh:
        try:
            for chunk in response.iter_bytes():
                fh.write(chunk)
                written += len(chunk)
        except httpx.TransportError as exc:
            raise _Retryable(_cut_off(written, expected, type(exc).__name__)) from None
        if expected is not None and written < int(expected):
            raise _Retryable(_cut_off(written, expected, "the connection closed"))


def _cut_off(written: int, expected: str | None, why: str) -> RemoteError:
    of = f" of {expected}" if expected else ""
    return RemoteError(
        f"the download was cut off after {written}{of} bytes ({why}); nothing was written",
        hint="check the network and run the command again",
    )


def _check_header(value: str, what: str, variable: str) -> None:
    """Refuse a value that could never be sent as a header, before any request is made
    (httpx would fail each try with a LocalProtocolError, and retrying cannot mend it)."""
    if value != value.strip():
        raise ConfigError(
            f"{what} ({variable}) starts or ends with a space or a line break",
            hint=f"remove the whitespace around {variable}, e.g. the newline of a file",
        )
    bad = next((i for i, ch in enumerate(value) if not " " < ch < "\x7f"), None)
    if bad is not None:
        raise ConfigError(
            f"{what} ({variable}) holds a character that cannot be sent in an HTTP header "
            f"(U+{ord(value[bad]):04X} at position {bad + 1})",
            hint=f"copy {variable} again from the Wix dashboard",
        )


def _check_url(url: str) -> str:
    try:
        parsed: httpx.URL | None = httpx.URL(url)
    except (httpx.InvalidURL, TypeError):
        parsed = None
    if parsed is None or parsed.scheme not in ("http", "https") or not parsed.host:
        raise ConfigError(
            f"the API base URL {mask(str(url))!r} is not an http:// or https:// URL",
            hint=f"set WIX_API_URL to a URL such as {DEFAULT_URL}, or unset it",
        )
    return url


class _Retryable(Exception):
    """One try failed in a way another try may mend: the error to raise if none does."""

    def __init__(self, error: RemoteError, response: httpx.Response | None = None) -> None:
        super().__init__(error.message)
        self.error = error
        self.response = response
        self.ambiguous = False  # the request may have taken effect (a 5xx, a lost answer)


def _shown(url: str) -> str:
    """*url* for a log line: upload and download URLs carry their token in the query."""
    return url.split("?", 1)[0]


def _has_request(exc: httpx.TransportError) -> bool:
    try:
        exc.request  # noqa: B018 - raises RuntimeError when the error has no request
    except RuntimeError:
        return False
    return True


def _request_id(response: httpx.Response) -> str | None:
    found = response.headers.get("x-wix-request-id") or response.headers.get("x-request-id")
    return str(found) if found else None
