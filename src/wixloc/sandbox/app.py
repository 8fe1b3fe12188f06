"""The sandbox's HTTP face: a WSGI app with an explicit route table (werkzeug).

Accepts requests as the REST reference writes them and as Wix's JavaScript SDK encodes them:
nested GET parameters dotted (``paging.limit=1``) or as one ``.r`` parameter (base64url JSON),
path parameters repeated in the query or body, the Locales query by GET or POST. Every answer
carries an ``x-wix-request-id``; errors use Wix's body shape. Upload and download URLs need no
Wix headers but carry an unguessable token (404 without it) and expire 15 minutes after they
were made (403), by the injected clock.

A new route is one line in :data:`ROUTES` and a ``_<endpoint>(request, site, args)`` method
that gets the request's query, ``.r``, body and path parameters merged into *args*.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import hmac
import json
import random
import secrets
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from wixloc.sandbox.errors import ApiError, invalid
from wixloc.sandbox.flows import FLOWS
from wixloc.sandbox.jobquery import page, query_jobs
from wixloc.sandbox.runner import FILE_URL_TTL, Runner
from wixloc.sandbox.store import Site, Store, StoredFile

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

__all__ = ["UPLOAD_TTL", "Faults", "SandboxApp"]

UPLOAD_TTL = FILE_URL_TTL
Args = dict[str, Any]

# The route table: path, methods, endpoint (the handler is SandboxApp._<endpoint>). A static
# path wins over a path parameter (``jobs/query`` over ``jobs/<jobId>``) whatever the order.
ROUTES: list[tuple[str, list[str], str]] = [
    ("/data-mover/v1/jobs", ["GET"], "list_jobs"),
    ("/data-mover/v1/jobs", ["POST"], "submit_job"),
    ("/data-mover/v1/jobs/list", ["POST"], "list_jobs"),  # the SDK's fallback, long requests
    ("/data-mover/v1/jobs/query", ["GET", "POST"], "query_jobs"),  # the SDK sends GET ?.r=
    ("/data-mover/v1/jobs/<jobId>", ["GET"], "get_job"),
    ("/data-mover/v1/jobs/<jobId>/terminate", ["POST"], "terminate_job"),
    ("/data-mover/v1/jobs/<jobId>/logs", ["GET"], "list_logs"),
    ("/data-mover/v1/temporary-files/upload-url", ["POST"], "upload_url"),
    ("/locale-settings/v2/settings", ["GET"], "locale_settings"),
    ("/locales/v2/locale/query", ["GET", "POST"], "query_locales"),
    ("/_sandbox/upload/<fileId>", ["PUT"], "put_upload"),
    ("/_sandbox/files/<fileId>", ["GET"], "download"),
]
PUBLIC = frozenset({"put_upload", "download"})  # fetched without Wix headers


@dataclass
class Faults:
    """Fault injection: a share of requests failing with 503, added latency, a 429 burst."""

    fail_rate: float = 0.0
    latency: float = 0.0
    burst_429: int = 0  # the first N requests are answered 429
    seed: int | None = None

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)
        self._lock = threading.Lock()
        self.requests = 0
        self.injected: list[int] = []  # the statuses injected, in order (for tests)

    def check(self) -> None:
        if self.latency:
            time.sleep(self.latency)
        with self._lock:
            self.requests += 1
            if self.requests <= self.burst_429:
                self.injected.append(429)
                raise ApiError(
                    429, "Too many requests", code="WDE0014", description="request quota exceeded"
                )
            if self.fail_rate and self._rng.random() < self.fail_rate:
                self.injected.append(503)
                raise ApiError(503, "Service unavailable (injected fault)", code="UNAVAILABLE")


class SandboxApp:
    """The WSGI application. One instance per sandbox; ``runner`` and ``store`` are exposed."""

    def __init__(
        self,
        store: Store,
        *,
        api_key: str,
        account_id: str | None = None,
        clock: Callable[[], float] = time.time,
        step_delay: float = 0.0,
        faults: Faults | None = None,
        runner: Runner | None = None,
    ) -> None:
        self.store = store
        self.runner = runner or Runner(store, FLOWS, clock=clock, step_delay=step_delay)
        self.clock = clock
        self.faults = faults or Faults()
        self._api_key = api_key
        self._account_id = account_id
        self.url_map = Map([Rule(path, methods=m, endpoint=e) for path, m, e in ROUTES])

    def __repr__(self) -> str:
        return f"SandboxApp(sites={[s.id for s in self.store.sites()]})"

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        request = Request(environ)
        response = self.dispatch(request)
        response.headers["x-wix-request-id"] = uuid.uuid4().hex
        return response(environ, start_response)

    def dispatch(self, request: Request) -> Response:
        try:
            endpoint, path_args = self.url_map.bind_to_environ(request.environ).match()
            self.faults.check()
            site = None if endpoint in PUBLIC else self._authenticate(request)
            method: Callable[..., Response] = getattr(self, f"_{endpoint}")
            if site is None:
                return method(request, path_args)
            return method(request, site, _request_args(request, path_args))
        except ApiError as exc:
            return _json(exc.body(), exc.status)
        except HTTPException as exc:
            status = exc.code or 500
            return _json(ApiError(status, exc.name, code=exc.name.upper()).body(), status)

    def _authenticate(self, request: Request) -> Site:
        key = request.headers.get("Authorization", "")
        if not key or not hmac.compare_digest(key.encode(), self._api_key.encode()):
            reason = "missing" if not key else "invalid"
            raise ApiError(
                401,
                f"UNAUTHENTICATED: {reason} API key",
                code="UNAUTHENTICATED",
                description=f"the Authorization header holds an {reason} API key"
                if key
                else "the Authorization header is missing",
            )
        site_id = request.headers.get("wix-site-id")
        account_id = request.headers.get("wix-account-id")
        if site_id:
            site = self.store.site(site_id)
            if site is not None:
                return site
            raise _forbidden(f"site '{site_id}' is not accessible with this API key")
        if account_id and self._account_id and account_id == self._account_id:
            sites = self.store.sites()
            if sites:
                return sites[0]
        if account_id:
            raise _forbidden(f"account '{account_id}' is not accessible with this API key")
        raise _forbidden("a wix-site-id or wix-account-id header is required")

    # --- data mover ------------------------------------------------------------------------

    def _submit_job(self, request: Request, site: Site, args: Args) -> Response:
        job = self.runner.submit(site, args, request.host_url)
        return _json({"job": job})

    def _get_job(self, request: Request, site: Site, args: Args) -> Response:
        return _json({"job": self._job(site, args)})

    def _job(self, site: Site, args: Args) -> dict[str, Any]:
        found = self.store.job(str(args["jobId"]))
        if found is None or found[0] != site.id:
            raise ApiError(
                404,
                f"NOT_FOUND: job '{args['jobId']}' does not exist",
                code="JOB_NOT_FOUND",
                description="job does not exist",
            )
        return found[1]

    def _list_jobs(self, request: Request, site: Site, args: Args) -> Response:
        jobs, meta = page(self.store.jobs(site.id), args.get("paging"))
        return _json({"jobs": jobs, "pagingMetadata": meta})

    def _query_jobs(self, request: Request, site: Site, args: Args) -> Response:
        query = args.get("query") or {}
        if not isinstance(query, dict):
            raise invalid("query", "must be an object")
        jobs = query_jobs(self.store.jobs(site.id), query)
        found, meta = page(jobs, query.get("cursorPaging"))
        return _json({"jobs": found, "pagingMetadata": meta})

    def _terminate_job(self, request: Request, site: Site, args: Args) -> Response:
        job = self.runner.terminate(site.id, self._job(site, args))
        return _json({"job": job})

    def _list_logs(self, request: Request, site: Site, args: Args) -> Response:
        job = self._job(site, args)
        logs, meta = page(self.store.logs(job["id"]), args.get("paging"))
        return _json({"logs": logs, "pagingMetadata": meta})

    def _upload_url(self, request: Request, site: Site, args: Args) -> Response:
        name = args.get("fileName") or "upload"
        if not isinstance(name, str) or len(name) > 512:
            raise invalid("fileName", "must be a string of at most 512 characters")
        file_id = str(uuid.uuid4())
        token = secrets.token_urlsafe(16)
        now = self.clock()
        self.store.put_file(
            StoredFile(file_id, site.id, name, "upload", None, now, now + UPLOAD_TTL, token)
        )
        url = f"{request.host_url}_sandbox/upload/{file_id}?token={token}"
        return _json({"fileId": file_id, "uploadUrl": url})

    def _signed_file(self, request: Request, args: Args, kind: str) -> StoredFile:
        """The file a signed URL names: 404 without its token, 403 once 15 minutes are over."""
        stored = self.store.file(str(args["fileId"]))
        token = request.args.get("token", "")
        if (
            stored is None
            or stored.kind != kind
            or not stored.token
            or not hmac.compare_digest(stored.token, token)
        ):
            what = "upload URL" if kind == "upload" else "file"
            raise ApiError(404, f"NOT_FOUND: no such {what}", code="NOT_FOUND")
        if stored.expires is not None and self.clock() > stored.expires:
            what = "upload" if kind == "upload" else "download"
            raise ApiError(
                403,
                f"PERMISSION_DENIED: the {what} URL has expired (after 15 minutes)",
                code="URL_EXPIRED",
                description=f"the {what} URL has expired",
            )
        return stored

    def _put_upload(self, request: Request, args: Args) -> Response:
        stored = self._signed_file(request, args, "upload")
        self.store.put_file(dataclasses.replace(stored, data=request.get_data()))
        return Response(status=200)

    def _download(self, request: Request, args: Args) -> Response:
        stored = self._signed_file(request, args, "result")
        if stored.data is None:
            raise ApiError(404, "NOT_FOUND: no such file", code="NOT_FOUND")
        kind = "application/x-ndjson" if stored.name.endswith(".jsonl") else "text/csv"
        response = Response(stored.data, content_type=f"{kind}; charset=utf-8")
        response.headers["Content-Disposition"] = f'attachment; filename="{stored.name}"'
        return response

    # --- locales ---------------------------------------------------------------------------

    def _locale_settings(self, request: Request, site: Site, args: Args) -> Response:
        settings = {
            "multilingualModeEnabled": len(site.locales) > 1,
            "primaryLocale": _locale(site, site.primary_locale),  # a Locale, as the SDK types it
            "urlStructure": "SUBDIRECTORY",
        }
        return _json({"settings": settings})

    def _query_locales(self, request: Request, site: Site, args: Args) -> Response:
        locales = [_locale(site, loc) for loc in site.locales]
        query = args.get("query") or {}
        found, meta = page(locales, query.get("cursorPaging") if isinstance(query, dict) else None)
        return _json({"locales": found, "pagingMetadata": meta})


def _forbidden(message: str) -> ApiError:
    return ApiError(
        403, f"PERMISSION_DENIED: {message}", code="PERMISSION_DENIED", description=message
    )


def _locale(site: Site, tag: str) -> dict[str, Any]:
    """A Locale object of the Locales API: ``id`` (the tag), its parts, primary and visibility."""
    return {
        "id": tag,
        **_locale_parts(tag),
        "primaryLocale": tag == site.primary_locale,
        "visibility": "VISIBLE",
    }


def _locale_parts(tag: str) -> dict[str, str]:
    language, _, region = tag.partition("-")
    parts = {"languageCode": language.lower()}
    if region:
        parts["regionCode"] = region.upper()
    return parts


def _json(body: Any, status: int = 200) -> Response:
    return Response(
        json.dumps(body, ensure_ascii=False), status=status, content_type="application/json"
    )


def _request_args(request: Request, path_args: Mapping[str, Any]) -> Args:
    """Query (dotted or ``.r``), JSON body and path parameters as one request object."""
    args: Args = {}
    for key, value in request.args.items(multi=True):
        if key == ".r":
            _merge(args, _decode_r(value))
        else:
            _set_dotted(args, key, value)
    if request.method in ("POST", "PUT", "PATCH") and request.get_data():
        try:
            body = json.loads(request.get_data())
        except (ValueError, UnicodeDecodeError):
            raise invalid("body", "is not valid JSON") from None
        if not isinstance(body, dict):
            raise invalid("body", "must be a JSON object")
        _merge(args, body)
    for key, value in path_args.items():
        given = args.get(key)
        if given not in (None, value):
            raise invalid(key, f"'{given}' differs from the path's '{value}'")
        args[key] = value
    return args


def _decode_r(value: str) -> Args:
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
        decoded = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise invalid(".r", "is not base64url-encoded JSON") from None
    if not isinstance(decoded, dict):
        raise invalid(".r", "must encode a JSON object")
    return decoded


def _set_dotted(args: Args, key: str, value: str) -> None:
    *parents, last = key.split(".")
    node = args
    for part in parents:
        child = node.setdefault(part, {})
        if not isinstance(child, dict):
            raise invalid(key, "conflicts with another parameter")
        node = child
    node[last] = value


def _merge(target: Args, extra: Args) -> None:
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge(target[key], value)
        else:
            target[key] = value
