"""A raw HTTP client written only from WIX_API.md (plain httpx, not wixloc's client) against the
sandbox served as by ``wixloc sandbox serve``: a threaded server on 127.0.0.1, port 0."""

from __future__ import annotations

import base64
import csv
import io
import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.support.sandbox import ITEM1, KEY, SITE_ID, make_app, running_server

HEADERS = {"Authorization": KEY, "wix-site-id": SITE_ID}


@pytest.fixture(scope="module")
def api() -> Iterator[httpx.Client]:
    with running_server(make_app()) as url, httpx.Client(base_url=url, headers=HEADERS) as c:
        yield c


def r_param(request: dict[str, Any]) -> str:
    """The JS SDK's encoding of a GET request: base64url JSON without padding."""
    return base64.urlsafe_b64encode(json.dumps(request).encode()).decode().rstrip("=")


def wait(api: httpx.Client, job_id: str) -> dict[str, Any]:
    for _ in range(2000):
        job: dict[str, Any] = api.get(
            f"/data-mover/v1/jobs/{job_id}", params={"jobId": job_id}
        ).json()["job"]
        if job["status"] in ("COMPLETED", "FAILED", "PARTIALLY_SUCCESSFUL"):
            return job
        time.sleep(0.005)
    raise AssertionError("the job never finished")


def test_locales(api: httpx.Client) -> None:
    settings = api.get("/locale-settings/v2/settings").json()["settings"]
    # a Locale object, as the SDK types it (issue 16; it was {"languageCode": "en"})
    assert settings["primaryLocale"] == {
        "id": "en",
        "languageCode": "en",
        "primaryLocale": True,
        "visibility": "VISIBLE",
    }
    assert settings["multilingualModeEnabled"] is True
    query = {"query": {"filter": {}, "cursorPaging": {"limit": 50}}}
    by_post = api.post("/locales/v2/locale/query", json=query).json()["locales"]
    by_get = api.get("/locales/v2/locale/query", params={".r": r_param(query)}).json()["locales"]
    assert by_post == by_get
    assert [(x["id"], x["primaryLocale"]) for x in by_get] == [
        ("en", True),
        ("de", False),
        ("fr", False),
        ("he", False),
        ("ja", False),
    ]


def test_export_upload_import_logs(api: httpx.Client) -> None:
    body = {
        "name": "raw export",
        "source": {"localization": {"languages": ["EN", "DE"]}},
        "destination": {"file": {"format": "CSV", "fileName": "x.csv"}},
    }
    submitted = api.post("/data-mover/v1/jobs", json=body)
    assert submitted.status_code == 200 and submitted.headers["x-wix-request-id"]
    job = wait(api, submitted.json()["job"]["id"])
    assert job["status"] == "COMPLETED" and job["progress"]["total"] == 5
    assert job["startedAt"].endswith("Z") and job["finishedAt"].endswith("Z")
    download = httpx.get(job["destination"]["file"]["url"])  # no Wix headers
    rows = list(csv.reader(io.StringIO(download.text, newline="")))
    assert rows[0] == ["Collection ID", "Item ID", "Field", "EN", "DE"]
    assert rows[1] == ["Products", ITEM1, "title", "Gift box", "Geschenkbox"]

    rows[1][4] = "Geschenkkarton"
    rows += [
        ["Products", "no-such-item", "title", "a", "b"],
        ["Products", ITEM1, "price", "1", "2"],
    ]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    upload = api.post("/data-mover/v1/temporary-files/upload-url", json={"fileName": "in.csv"})
    target = upload.json()
    assert httpx.put(target["uploadUrl"], content=out.getvalue().encode()).status_code == 200
    body = {
        "source": {"file": {"fileId": target["fileId"], "format": "CSV"}},
        "destination": {"localization": {"languages": ["EN", "DE"]}},
    }
    job = wait(api, api.post("/data-mover/v1/jobs", json=body).json()["job"]["id"])
    assert job["status"] == "PARTIALLY_SUCCESSFUL" and job["logsRecorded"] == 2
    assert job["progress"] == {"current": 7, "total": 7, "itemsRejected": 2, "itemsSuccessful": 5}

    logs, cursor = [], None
    while True:
        params = {"paging.limit": "1", **({"paging.cursor": cursor} if cursor else {})}
        page = api.get(f"/data-mover/v1/jobs/{job['id']}/logs", params=params).json()
        logs += page["logs"]
        if not page["pagingMetadata"]["hasNext"]:
            break
        cursor = page["pagingMetadata"]["cursors"]["next"]
    assert [(x["sourceItemId"], x["failure"]["code"]) for x in logs] == [
        ("7", "WDE0073"),
        ("8", "WDE0157"),
    ]


def test_paging_in_both_encodings_query_and_terminate(api: httpx.Client) -> None:
    body = {
        "source": {"localization": {"languages": ["en", "fr"]}},
        "destination": {"file": {"format": "JSONL"}},
    }
    ids = [api.post("/data-mover/v1/jobs", json=body).json()["job"]["id"] for _ in range(3)]
    for job_id in ids:
        wait(api, job_id)
    seen, cursor = [], None
    while True:
        request: dict[str, Any] = {"paging": {"limit": 2, **({"cursor": cursor} if cursor else {})}}
        page = api.get("/data-mover/v1/jobs", params={".r": r_param(request)}).json()
        assert page["pagingMetadata"]["count"] == len(page["jobs"]) <= 2
        seen += [j["id"] for j in page["jobs"]]
        if not page["pagingMetadata"]["hasNext"]:
            break
        cursor = page["pagingMetadata"]["cursors"]["next"]
    assert seen[:3] == ids[::-1]
    dotted = api.get("/data-mover/v1/jobs", params={"paging.limit": "1"}).json()
    assert [j["id"] for j in dotted["jobs"]] == [ids[-1]]
    query = {
        "query": {
            "filter": {"id": {"$in": ids[:2]}},
            "sort": [{"fieldName": "id", "order": "DESC"}],
            "cursorPaging": {"limit": 10},
        }
    }
    found = api.post("/data-mover/v1/jobs/query", json=query).json()["jobs"]
    assert [j["id"] for j in found] == sorted(ids[:2], reverse=True)
    stopped = api.post(f"/data-mover/v1/jobs/{ids[0]}/terminate", json={"jobId": ids[0]})
    assert stopped.json()["job"]["status"] == "COMPLETED"  # finished jobs stay as they are


@pytest.mark.parametrize(
    ("method", "path", "headers", "kwargs", "status", "code"),
    [
        ("GET", "/data-mover/v1/jobs", {"Authorization": "wrong"}, {}, 401, "UNAUTHENTICATED"),
        ("GET", "/data-mover/v1/jobs", {"Authorization": ""}, {}, 401, "UNAUTHENTICATED"),
        ("GET", "/data-mover/v1/jobs", {"wix-site-id": "nope"}, {}, 403, "PERMISSION_DENIED"),
        ("GET", "/data-mover/v1/jobs/nope", {}, {}, 404, "JOB_NOT_FOUND"),
        ("POST", "/data-mover/v1/jobs/a/terminate", {}, {"json": {"jobId": "b"}}, 400, None),
        ("GET", "/data-mover/v1/jobs", {}, {"params": {"paging.limit": "101"}}, 400, None),
        ("GET", "/data-mover/v1/jobs", {}, {"params": {"paging.cursor": "zz"}}, 400, None),
        ("POST", "/data-mover/v1/jobs", {}, {"json": {"source": {}}}, 400, None),
    ],
)
def test_errors_in_wix_shape(
    api: httpx.Client,
    method: str,
    path: str,
    headers: dict[str, str],
    kwargs: dict[str, Any],
    status: int,
    code: str | None,
) -> None:
    response = api.request(method, path, headers={**HEADERS, **headers}, **kwargs)
    assert response.status_code == status
    body = response.json()
    assert isinstance(body["message"], str) and body["message"]
    if code is not None:
        assert body["details"]["applicationError"]["code"] == code
    else:
        violation = body["details"]["validationError"]["fieldViolations"][0]
        assert violation["field"] and violation["description"]


def test_missing_site_header_is_403(api: httpx.Client) -> None:
    response = httpx.get(api.base_url.join("/data-mover/v1/jobs"), headers={"Authorization": KEY})
    assert response.status_code == 403
    assert response.json()["details"]["applicationError"]["description"] == (
        "a wix-site-id or wix-account-id header is required"
    )
