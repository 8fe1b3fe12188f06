"""The client under faults (issue 15): 500s, ambiguous submits, Retry-After, the secret mask,
expired and cut-off downloads, and settings that could never work refused before any request."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from wixloc.cli import cli
from wixloc.errors import AuthError, ConfigError, JobFailedError, RemoteError
from wixloc.wix import wire
from wixloc.wix.client import RetryPolicy, WixClient
from wixloc.wix.jobs import job_error
from wixloc.wix.mask import mask, register_secret

KEY = "fault-key-5d2e9a"
Handler = Callable[[httpx.Request], httpx.Response]
SPEC = wire.JobSpec(wire.Localization(("en", "de")), wire.FileDestination(), name="x")


def make(handler: Handler, **kw: Any) -> tuple[WixClient, list[float]]:
    sleeps: list[float] = []
    kw.setdefault("retry", RetryPolicy(attempts=4, base=0.5, cap=10.0))
    client = WixClient(
        KEY, site_id="s", transport=httpx.MockTransport(handler), sleep=sleeps.append, seed=1, **kw
    )
    return client, sleeps


def job_json(status: str = "COMPLETED", **extra: Any) -> dict[str, Any]:
    return {"id": "j1", "name": "n", "status": status, "source": {}, "destination": {}, **extra}


# --- retries -------------------------------------------------------------------------------


def test_a_500_is_retried_for_idempotent_calls() -> None:
    answers = [httpx.Response(500), httpx.Response(500)]

    def handler(request: httpx.Request) -> httpx.Response:
        return answers.pop(0) if answers else httpx.Response(200, json={"job": job_json()})

    client, sleeps = make(handler)
    assert client.get_job("j1").status == "COMPLETED"
    assert len(sleeps) == 2


def test_a_500_on_submit_looks_the_job_up_before_anything_else() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        if request.url.path == "/data-mover/v1/jobs":
            return httpx.Response(500)
        name = json.loads(request.content)["query"]["filter"]["name"]["$eq"]
        return httpx.Response(200, json={"jobs": [job_json("UNINITIALIZED", name=name)]})

    client, sleeps = make(handler)
    job = client.submit_job(SPEC)
    assert seen == ["/data-mover/v1/jobs", "/data-mover/v1/jobs/query"] and sleeps == []
    assert job.name.startswith("x [")


@pytest.mark.parametrize(
    ("error", "looked_up"),
    [
        (httpx.ReadTimeout, True),  # the request went out; the answer did not come
        (httpx.RemoteProtocolError, True),  # the connection dropped after sending
        (httpx.ConnectError, False),  # nothing was sent: resending is safe
    ],
)
def test_transport_failures_of_a_submit(error: type[httpx.TransportError], looked_up: bool) -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        if request.url.path == "/data-mover/v1/jobs/query":
            return httpx.Response(200, json={"jobs": []})
        if seen.count("/data-mover/v1/jobs") == 1:
            raise error("lost", request=request)
        return httpx.Response(200, json={"job": job_json("UNINITIALIZED")})

    client, _ = make(handler)
    assert client.submit_job(SPEC).id == "j1"
    lookup = ["/data-mover/v1/jobs/query"] if looked_up else []
    assert seen == ["/data-mover/v1/jobs", *lookup, "/data-mover/v1/jobs"]


def test_a_failed_lookup_after_an_ambiguous_submit_is_not_resent() -> None:
    posts = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/data-mover/v1/jobs":
            posts.append(request)
            return httpx.Response(503)
        return httpx.Response(401, json={"message": "no"})

    client, _ = make(handler)
    with pytest.raises(RemoteError) as info:
        client.submit_job(SPEC)
    assert len(posts) == 1
    assert str(info.value).startswith("submitting job 'x [")
    assert str(info.value).endswith(
        "failed (Wix API error: Service Unavailable) and looking it up failed too (Wix refused "
        "the request: no): it may or may not exist [HTTP 401] "
        "(see 'wixloc jobs list' before running the command again)"
    )


@pytest.mark.parametrize(
    ("header", "waited"),
    [("30", 30.0), ("600", 60.0), ("Thu, 01 Jan 2099 00:00:00 GMT", 60.0), ("soon", None)],
)
def test_retry_after_is_honoured_up_to_its_cap(header: str, waited: float | None) -> None:
    answers = [httpx.Response(429, headers={"Retry-After": header})]

    def handler(request: httpx.Request) -> httpx.Response:
        return answers.pop(0) if answers else httpx.Response(200, json={"job": job_json()})

    client, sleeps = make(handler)
    client.get_job("j1")
    if waited is None:  # unreadable: the usual backoff
        assert len(sleeps) == 1 and 0.25 <= sleeps[0] <= 0.5
    else:
        assert sleeps == [waited]
    assert RetryPolicy().retry_after_cap == 60.0


# --- the secret mask -----------------------------------------------------------------------


def test_text_a_server_echoes_in_job_data_is_masked(caplog: pytest.LogCaptureFixture) -> None:
    failed = job_json(
        "FAILED",
        error={"code": "WDH0000", "description": f"bad header Authorization: {KEY}"},
        progress={"current": 2, "total": 2, "itemsRejected": 1},
    )
    logs = {"logs": [{"sourceItemId": "2", "failure": {"code": "X", "description": f"k={KEY}"}}]}

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/logs"):
            return httpx.Response(200, json=logs)
        return httpx.Response(200, json={"job": failed})

    caplog.set_level(logging.DEBUG)
    client, _ = make(handler)
    job = client.get_job("j1")
    error = job_error(job)
    assert isinstance(error, JobFailedError)
    assert str(error) == (
        "job j1 failed: bad header Authorization: ***; 1 of 2 items rejected [WDH0000]"
    )
    assert [log.description for log in client.iter_logs("j1")] == ["k=***"]
    assert KEY not in caplog.text


def test_the_mask_is_one_function_of_the_wix_layer() -> None:
    register_secret("another-secret-value\n")
    assert mask("a another-secret-value b") == "a *** b"
    make(lambda r: httpx.Response(200))  # a client registers its key
    assert mask(f"key {KEY}!") == "key ***!"
    assert mask("abc") == "abc"  # nothing registered matches


def test_the_cli_masks_every_error_line(tmp_path: Path) -> None:
    register_secret("cli-secret-77f1")
    result = CliRunner().invoke(cli, ["info", str(tmp_path / "cli-secret-77f1.csv")])
    assert result.exit_code == 2
    assert result.stderr == f"wixloc: error: {tmp_path / '***.csv'}: no such file\n"


def test_download_urls_are_logged_without_their_token(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    client, _ = make(lambda r: httpx.Response(200, content=b"x"))
    client.upload("https://files.test/up/1?token=tok-secret-1", b"x")
    ours = [r.getMessage() for r in caplog.records if r.name == "wixloc.wix"]
    assert ours == ["PUT https://files.test/up/1 -> 200"]


# --- downloads -----------------------------------------------------------------------------


def test_a_403_on_a_download_says_the_url_expired(tmp_path: Path) -> None:
    body = {"message": "PERMISSION_DENIED: the download URL has expired (after 15 minutes)"}
    client, _ = make(lambda r: httpx.Response(403, json=body))
    with pytest.raises(RemoteError) as info:
        client.download("https://files.test/f?token=t", tmp_path / "f.csv")
    assert not isinstance(info.value, AuthError)
    assert str(info.value) == (
        "the download URL has expired or is not valid [HTTP 403] "
        "(download URLs are short-lived; run the command again for a new job and URL)"
    )
    assert "WIX_API_KEY" not in str(info.value)


class _CutOff(httpx.SyncByteStream):
    def __iter__(self) -> Iterator[bytes]:
        yield b"a,b\n1,"
        raise httpx.ReadError("peer closed")


def test_a_cut_off_download_is_retried_then_says_so(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=_CutOff())

    client, sleeps = make(handler)
    with pytest.raises(RemoteError) as info:
        client.download("https://files.test/f.csv", tmp_path / "f.csv")
    assert str(info.value) == (
        "the download was cut off after 6 bytes (ReadError); nothing was written "
        "(check the network and run the command again)"
    )
    assert len(sleeps) == 3 and list(tmp_path.iterdir()) == []


def test_a_download_shorter_than_announced_is_cut_off(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        headers = {"Content-Length": "100"}
        return httpx.Response(200, headers=headers, stream=httpx.ByteStream(b"a,b\n"))

    client, _ = make(handler)
    with pytest.raises(RemoteError, match=r"^the download was cut off after 4 of 100 bytes"):
        client.download("https://files.test/f.csv", tmp_path / "f.csv")
    assert list(tmp_path.iterdir()) == []


# --- settings that can never work ----------------------------------------------------------


@pytest.mark.parametrize("key", ["good-key\n", " good-key", "good-key\r\n"])
def test_a_key_with_whitespace_is_refused_before_any_request(key: str) -> None:
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(200)

    with pytest.raises(ConfigError) as info:
        WixClient(key, site_id="s", transport=httpx.MockTransport(handler))
    assert str(info.value) == (
        "the API key (WIX_API_KEY) starts or ends with a space or a line break "
        "(remove the whitespace around WIX_API_KEY, e.g. the newline of a file)"
    )
    assert info.value.exit_code == 2 and calls == []


def test_a_key_with_a_control_character_is_refused() -> None:
    with pytest.raises(ConfigError) as info:
        WixClient("abc\adef", site_id="s")
    assert str(info.value) == (
        "the API key (WIX_API_KEY) holds a character that cannot be sent in an HTTP header "
        "(U+0007 at position 4) (copy WIX_API_KEY again from the Wix dashboard)"
    )


def test_a_site_id_with_a_newline_is_refused() -> None:
    with pytest.raises(ConfigError, match=r"^the site id \(WIX_SITE_ID\) starts or ends with"):
        WixClient.from_env({"WIX_API_KEY": "k", "WIX_SITE_ID": "site-1\n"})


@pytest.mark.parametrize("url", ["not-a-url", "ftp://host", "http://", "www.wixapis.com"])
def test_a_base_url_that_is_not_http_is_refused(url: str) -> None:
    with pytest.raises(ConfigError) as info:
        WixClient.from_env({"WIX_API_KEY": "k", "WIX_SITE_ID": "s", "WIX_API_URL": url})
    assert str(info.value) == (
        f"the API base URL {url!r} is not an http:// or https:// URL "
        "(set WIX_API_URL to a URL such as https://www.wixapis.com, or unset it)"
    )


@pytest.fixture
def bare_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    monkeypatch.chdir(tmp_path)
    for name in ("WIX_API_KEY", "WIX_SITE_ID", "WIX_ACCOUNT_ID", "WIX_API_URL"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_the_cli_exits_2_on_a_bad_key_or_url(bare_env: pytest.MonkeyPatch) -> None:
    bare_env.setenv("WIX_SITE_ID", "s")
    bare_env.setenv("WIX_API_KEY", "k-123456\n")
    result = CliRunner().invoke(cli, ["jobs", "list"])
    assert result.exit_code == 2
    assert result.stderr == (
        "wixloc: error: the API key (WIX_API_KEY) starts or ends with a space or a line break "
        "(remove the whitespace around WIX_API_KEY, e.g. the newline of a file)\n"
    )
    bare_env.setenv("WIX_API_KEY", "k-123456")
    bare_env.setenv("WIX_API_URL", "not-a-url")
    result = CliRunner().invoke(cli, ["jobs", "list"])
    assert result.exit_code == 2
    assert result.stderr.startswith("wixloc: error: the API base URL 'not-a-url' is not an")


def test_jobs_list_refuses_a_limit_below_one(bare_env: pytest.MonkeyPatch) -> None:
    result = CliRunner().invoke(cli, ["jobs", "list", "--limit", "-1", "--sandbox"])
    assert result.exit_code == 2
    assert "Invalid value for '--limit': -1 is not in the range x>=1." in result.stderr
    assert "Traceback" not in result.output
