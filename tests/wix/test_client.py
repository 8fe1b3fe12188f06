"""The Wix client against httpx.MockTransport: error mapping, retries, submit, secrecy, waiting."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from wixloc.errors import AuthError, ConfigError, RateLimitError, RemoteError
from wixloc.wix import wire
from wixloc.wix.client import PollPolicy, RetryPolicy, WixClient
from wixloc.wix.jobs import wait_for_job

KEY = "secret-key-8f3b1c"
SITE = "site-1"
Handler = Callable[[httpx.Request], httpx.Response]


def make(handler: Handler, **kw: Any) -> tuple[WixClient, list[float]]:
    sleeps: list[float] = []
    kw.setdefault("retry", RetryPolicy(attempts=4, base=0.5, cap=10.0))
    client = WixClient(
        KEY,
        site_id=SITE,
        transport=httpx.MockTransport(handler),
        sleep=sleeps.append,
        seed=1,
        **kw,
    )
    return client, sleeps


def job_json(status: str = "COMPLETED", **extra: Any) -> dict[str, Any]:
    return {"id": "j1", "name": "n", "status": status, "source": {}, "destination": {}, **extra}


def error(status: int, code: str, description: str, message: str = "boom") -> httpx.Response:
    body = {
        "message": message,
        "details": {"applicationError": {"code": code, "description": description}},
    }
    return httpx.Response(status, json=body, headers={"x-wix-request-id": "req-42"})


def test_auth_error_maps_status_code_description_and_request_id() -> None:
    client, _ = make(lambda r: error(403, "PERMISSION_DENIED", "no permission"))
    with pytest.raises(AuthError) as info:
        client.get_job("j1")
    assert str(info.value) == (
        "Wix refused the request: no permission [HTTP 403, PERMISSION_DENIED, request id req-42] "
        "(check WIX_API_KEY and WIX_SITE_ID; the key needs the 'Manage Data Movement Jobs' "
        "permission)"
    )
    assert info.value.exit_code == 3


def test_validation_error_and_empty_body() -> None:
    violation = {"field": "source", "description": "is required", "ruleName": "REQUIRED"}
    body = {"message": "bad", "details": {"validationError": {"fieldViolations": [violation]}}}
    client, _ = make(lambda r: httpx.Response(400, json=body))
    with pytest.raises(RemoteError) as info:
        client.get_job("j1")
    assert (info.value.code, info.value.description) == ("REQUIRED", "source: is required")
    client, _ = make(lambda r: httpx.Response(500))
    with pytest.raises(RemoteError) as info:
        client.get_job("j1")
    assert str(info.value) == "Wix API error: Internal Server Error [HTTP 500]"


def test_safe_call_retries_with_growing_jittered_backoff() -> None:
    answers = [503, 502, 504]

    def handler(request: httpx.Request) -> httpx.Response:
        if answers:
            return httpx.Response(answers.pop(0))
        return httpx.Response(200, json={"job": job_json()})

    client, sleeps = make(handler)
    assert client.get_job("j1").status == "COMPLETED"
    assert len(sleeps) == 3
    for n, seconds in enumerate(sleeps):
        ceiling = 0.5 * 2**n
        assert ceiling / 2 <= seconds <= ceiling


def test_rate_limit_gives_up_after_all_attempts() -> None:
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return error(429, "WDE0014", "request quota exceeded")

    client, sleeps = make(handler)
    with pytest.raises(RateLimitError) as info:
        list(client.iter_jobs())
    assert len(calls) == 4 and len(sleeps) == 3
    assert str(info.value).startswith("Wix is rate-limiting requests (still refused after 4 tries)")


def test_retry_after_header_is_honoured() -> None:
    answers = [httpx.Response(429, headers={"Retry-After": "3"})]

    def handler(request: httpx.Request) -> httpx.Response:
        return answers.pop(0) if answers else httpx.Response(200, json={"job": job_json()})

    client, sleeps = make(handler)
    client.get_job("j1")
    assert sleeps == [3.0]


def test_connection_errors_are_retried_then_reported() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    client, sleeps = make(handler)
    with pytest.raises(RemoteError) as info:
        client.get_job("j1")
    assert str(info.value) == (
        "cannot reach www.wixapis.com: ConnectError after 4 tries "
        "(check the network and WIX_API_URL)"
    )
    assert len(sleeps) == 3


def test_submit_is_not_resent_when_the_first_try_created_the_job() -> None:
    posts: list[dict[str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/data-mover/v1/jobs":
            posts.append(json.loads(request.content))
            return httpx.Response(503)
        assert request.url.path == "/data-mover/v1/jobs/query"
        name = json.loads(request.content)["query"]["filter"]["name"]["$eq"]
        return httpx.Response(200, json={"jobs": [job_json("UNINITIALIZED", name=name)]})

    client, _ = make(handler)
    spec = wire.JobSpec(wire.Localization(("en", "de")), wire.FileDestination(), name="x")
    job = client.submit_job(spec)
    assert len(posts) == 1
    assert job.status == "UNINITIALIZED" and job.name == posts[0]["name"]


def test_submit_is_resent_only_after_the_lookup_finds_nothing() -> None:
    posts: list[dict[str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/data-mover/v1/jobs/query":
            return httpx.Response(200, json={"jobs": []})
        posts.append(json.loads(request.content))
        if len(posts) == 1:
            return httpx.Response(504)
        return httpx.Response(200, json=job_json("UNINITIALIZED"))  # the bare shape

    client, _ = make(handler)
    spec = wire.JobSpec(wire.Localization(("en", "de")), wire.FileDestination(), name="x")
    assert client.submit_job(spec).id == "j1"
    assert len(posts) == 2 and posts[0] == posts[1]
    assert posts[0]["source"] == {"localization": {"languages": ["en", "de"]}}
    assert posts[0]["destination"] == {"file": {"format": "CSV"}}


def test_submit_validation_error_is_not_retried() -> None:
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return error(400, "WDH0001", "bad languages")

    client, _ = make(handler)
    spec = wire.JobSpec(wire.Localization(("en",)), wire.FileDestination())
    with pytest.raises(RemoteError, match="bad languages"):
        client.submit_job(spec)
    assert len(calls) == 1


def test_the_key_is_sent_raw_and_never_shown(caplog: pytest.LogCaptureFixture) -> None:
    seen: dict[str, str | None] = {}

    def handler(request: httpx.Request) -> httpx.Response:
        seen[request.url.path] = request.headers.get("Authorization")
        if request.url.path == "/upload":
            return httpx.Response(200)
        assert request.headers["wix-site-id"] == SITE
        return error(401, "UNAUTHENTICATED", f"key {KEY} is not valid", message=f"bad {KEY}")

    caplog.set_level(logging.DEBUG)
    client, _ = make(handler)
    with pytest.raises(AuthError) as info:
        client.get_job("j1")
    client.upload("https://files.test/upload", b"x")
    assert seen == {"/data-mover/v1/jobs/j1": KEY, "/upload": None}
    shown = [
        repr(client),
        str(info.value),
        repr(info.value),
        caplog.text,
        repr(info.value.args),
        str(info.value.description),
        repr(client.__dict__),
    ]
    assert all(KEY not in text for text in shown)
    assert "key *** is not valid" in str(info.value)


def test_from_env() -> None:
    with pytest.raises(ConfigError, match="WIX_API_KEY is not set"):
        WixClient.from_env({})
    with pytest.raises(ConfigError, match=r"WIX_SITE_ID \(or WIX_ACCOUNT_ID\) is not set"):
        WixClient.from_env({"WIX_API_KEY": "k"})
    seen: dict[str, str] = {}

    def handler(request: httpx.Request) -> httpx.Response:
        seen.update(request.headers)
        seen["url"] = str(request.url)
        return httpx.Response(200, json={"job": job_json()})

    env = {"WIX_API_KEY": "k", "WIX_ACCOUNT_ID": "acc", "WIX_API_URL": "http://api.test/"}
    WixClient.from_env(env, transport=httpx.MockTransport(handler)).get_job("j1")
    assert seen["wix-account-id"] == "acc" and "wix-site-id" not in seen
    assert seen["url"] == "http://api.test/data-mover/v1/jobs/j1"


def test_paging_follows_cursors() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        cursor = request.url.params.get("paging.cursor")
        assert request.url.params["paging.limit"] == "2"
        n = int(cursor or 0)
        jobs = [job_json(id=f"j{n + i}") for i in range(2)]
        more = n < 4
        meta = {"count": 2, "cursors": {"next": str(n + 2)} if more else {}, "hasNext": more}
        return httpx.Response(200, json={"jobs": jobs, "pagingMetadata": meta})

    client, _ = make(handler)
    assert [j.id for j in client.iter_jobs(limit=2)] == ["j0", "j1", "j2", "j3", "j4", "j5"]


def test_wait_for_job_polls_with_growing_intervals_and_reports_progress() -> None:
    states = [
        {"job": job_json("UNINITIALIZED")},
        {"job": job_json("INITIALIZING", startedAt="2026-01-01T00:00:00.000Z")},
        {"job": job_json("IN_PROGRESS", progress={"current": 1, "total": 3})},
        {"job": job_json("IN_PROGRESS", progress={"current": 2, "total": 3})},
        {"job": job_json("IN_PROGRESS", progress={"current": 3, "total": 3, "itemsRejected": 1})},
        # the bare shape with _id and the snake-case spelling of one documentation sample
        {**job_json("PARTIALLY_SUCCESSFUL", finished_at="2026-01-01T00:01:00.000Z"), "_id": "j1"},
    ]
    states[-1].pop("id")

    client, sleeps = make(
        lambda r: httpx.Response(200, json=states.pop(0)),
        poll=PollPolicy(initial=1.0, factor=2.0, maximum=5.0),
    )
    seen: list[tuple[str, int]] = []
    job = wait_for_job(
        client, "j1", on_progress=lambda j: seen.append((j.status, j.progress.current))
    )
    assert sleeps == [1.0, 2.0, 4.0, 5.0, 5.0]
    assert seen[2:] == [
        ("IN_PROGRESS", 1),
        ("IN_PROGRESS", 2),
        ("IN_PROGRESS", 3),
        ("PARTIALLY_SUCCESSFUL", 0),
    ]
    assert (job.id, job.finished_at) == ("j1", "2026-01-01T00:01:00.000Z")


def test_wait_for_job_times_out() -> None:
    now = [0.0]
    client, _ = make(lambda r: httpx.Response(200, json={"job": job_json("IN_PROGRESS")}))
    client.sleep = lambda s: now.__setitem__(0, now[0] + s)
    with pytest.raises(RemoteError) as info:
        wait_for_job(client, "j1", timeout=10, clock=lambda: now[0])
    assert str(info.value) == (
        "job j1 did not finish within 10 seconds (status IN_PROGRESS) "
        "(it may still finish: wixloc jobs wait j1)"
    )


def test_download_is_streamed_retried_and_atomic(tmp_path: Path) -> None:
    answers = [httpx.Response(503), httpx.Response(200, content=b"a,b\n1,2\n")]
    seen: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("Authorization"))
        return answers.pop(0)

    client, sleeps = make(handler)
    client.download("https://static.test/file.csv", tmp_path / "out.csv")
    assert (tmp_path / "out.csv").read_bytes() == b"a,b\n1,2\n"
    assert seen == [None, None] and len(sleeps) == 1
    client, _ = make(lambda r: error(404, "NOT_FOUND", "no such file"))
    with pytest.raises(RemoteError, match=r"no such file \[HTTP 404, NOT_FOUND"):
        client.download("https://static.test/gone.csv", tmp_path / "gone.csv")
    assert not (tmp_path / "gone.csv").exists()
    client, _ = make(lambda r: httpx.Response(503))
    with pytest.raises(RemoteError, match=r"\[HTTP 503\]"):
        client.download("https://static.test/busy.csv", tmp_path / "busy.csv")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]
