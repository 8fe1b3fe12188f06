"""The sandbox against Wix's documented contract and its SDK's request shapes (issue 16), over
plain HTTP written from WIX_API.md, plus the client's side of the same points."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.sandbox import ITEM1, KEY, SEED, SITE_ID, client_for, make_app, running_server
from wixloc.sandbox import SandboxApp, make_sandbox
from wixloc.sandbox.webhooks import envelope
from wixloc.site.collections import import_items
from wixloc.site.project import Project
from wixloc.wix import wire
from wixloc.wix.client import RetryPolicy, WixClient

HEADERS = {"Authorization": KEY, "wix-site-id": SITE_ID}
JOBS = "/data-mover/v1/jobs"
EXPORT = {
    "name": "contract",
    "source": {"localization": {"languages": ["en", "de"]}},
    "destination": {"file": {"format": "CSV"}},
}


@pytest.fixture(scope="module")
def app() -> SandboxApp:
    return make_app()


@pytest.fixture(scope="module")
def api(app: SandboxApp) -> Iterator[httpx.Client]:
    with running_server(app) as url, httpx.Client(base_url=url, headers=HEADERS) as c:
        yield c


def r_param(request: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(request).encode()).decode().rstrip("=")


def wait(api: httpx.Client, job_id: str) -> dict[str, Any]:
    for _ in range(2000):
        job: dict[str, Any] = api.get(f"{JOBS}/{job_id}").json()["job"]
        if job["status"] in ("COMPLETED", "FAILED", "PARTIALLY_SUCCESSFUL"):
            return job
        time.sleep(0.005)
    raise AssertionError("the job never finished")


def submit(api: httpx.Client, body: dict[str, Any]) -> dict[str, Any]:
    answer = api.post(JOBS, json=body)
    assert answer.status_code == 200, answer.text
    return wait(api, answer.json()["job"]["id"])


def violations(response: httpx.Response) -> list[tuple[str, str]]:
    assert response.status_code == 400
    body = response.json()
    assert body["message"].startswith("INVALID_ARGUMENT: ")
    found = body["details"]["validationError"]["fieldViolations"]
    assert all(
        set(v) == {"field", "description", "violatedRule", "ruleName", "data"} for v in found
    )
    return [(v["field"], v["description"]) for v in found]


# --- the SDK's request shapes --------------------------------------------------------------


def test_query_jobs_as_the_sdk_sends_it_get_with_r(api: httpx.Client) -> None:
    job = submit(api, {**EXPORT, "name": "by .r"})
    request = {"query": {"filter": {"name": {"$eq": "by .r"}}, "cursorPaging": {"limit": 5}}}
    answer = api.get(f"{JOBS}/query", params={".r": r_param(request)})
    assert answer.status_code == 200
    assert [j["id"] for j in answer.json()["jobs"]] == [job["id"]]
    by_post = api.post(f"{JOBS}/query", json=request).json()["jobs"]
    assert [j["id"] for j in by_post] == [job["id"]]


def test_list_jobs_by_the_sdks_post_fallback(api: httpx.Client) -> None:
    submit(api, EXPORT)
    answer = api.post(f"{JOBS}/list", json={"paging": {"limit": 1}})
    assert answer.status_code == 200
    body = answer.json()
    assert len(body["jobs"]) == 1 and body["pagingMetadata"]["hasNext"] is True
    listed = api.get(JOBS, params={"paging.limit": "1"}).json()["jobs"]
    assert body["jobs"] == listed


def test_path_ids_repeated_in_query_r_and_body(api: httpx.Client) -> None:
    job_id = submit(api, EXPORT)["id"]
    dotted = api.get(f"{JOBS}/{job_id}", params={"jobId": job_id})
    packed = api.get(f"{JOBS}/{job_id}", params={".r": r_param({"jobId": job_id})})
    assert dotted.json()["job"]["id"] == packed.json()["job"]["id"] == job_id
    logs = api.get(
        f"{JOBS}/{job_id}/logs", params={".r": r_param({"jobId": job_id, "paging": {"limit": 5}})}
    )
    assert logs.status_code == 200 and logs.json()["logs"] == []
    stopped = api.post(f"{JOBS}/{job_id}/terminate", json={"jobId": job_id})
    assert stopped.json()["job"]["id"] == job_id
    other = api.get(f"{JOBS}/{job_id}", params={"jobId": "another"})
    assert violations(other) == [("jobId", f"'another' differs from the path's '{job_id}'")]


# --- request validation --------------------------------------------------------------------


def test_destination_file_format_is_required(api: httpx.Client) -> None:
    for source in (
        {"localization": {"languages": ["en", "de"]}},
        {"wixDataCollection": {"collectionId": "Products"}},
    ):
        answer = api.post(JOBS, json={"source": source, "destination": {"file": {}}})
        assert violations(answer) == [("destination.file.format", "is required (CSV or JSONL)")]


def test_source_and_destination_site_ids_are_a_one_of(api: httpx.Client) -> None:
    body = {**EXPORT, "sourceSiteId": SITE_ID, "destinationSiteId": SITE_ID}
    answer = api.post(JOBS, json=body)
    description = "only one of sourceSiteId, destinationSiteId may be set"
    assert violations(answer) == [
        ("sourceSiteId", description),
        ("destinationSiteId", description),
    ]
    assert answer.json()["message"] == (
        "INVALID_ARGUMENT: sourceSiteId and destinationSiteId are a one-of"
    )


def test_collection_import_without_write_policy_overwrites(api: httpx.Client) -> None:
    target = api.post("/data-mover/v1/temporary-files/upload-url", json={}).json()
    csv_text = f"_id,title\n{ITEM1},Replaced\n"
    assert httpx.put(target["uploadUrl"], content=csv_text.encode()).status_code == 200
    job = submit(
        api,
        {
            "source": {"file": {"fileId": target["fileId"], "format": "CSV"}},
            "destination": {"wixDataCollection": {"collectionId": "Products"}},
        },
    )
    assert job["status"] == "COMPLETED"
    assert job["destination"]["wixDataCollection"]["writePolicy"] == "OVERWRITE"
    assert job["progress"]["itemsRejected"] == 0


def test_wixloc_sends_its_own_write_policy(tmp_path: Path) -> None:
    app = make_app()
    created: list[dict[str, Any]] = []
    app.runner.on_event = lambda slug, job: created.append(job) if slug == "created" else None
    path = tmp_path / "items.csv"
    path.write_text(f"_id,title\n{ITEM1},Replaced\n", encoding="utf-8")
    result = import_items(client_for(app), path, "Products", project=Project(tmp_path))
    app.runner.join()
    # as submitted (after the backup's export job), before the sandbox fills in any default
    imports = [job["destination"] for job in created if "wixDataCollection" in job["destination"]]
    assert imports == [
        {"wixDataCollection": {"collectionId": "Products", "writePolicy": "SKIP_EXISTING"}}
    ]
    assert result.job is not None and result.job.status == "PARTIALLY_SUCCESSFUL"
    assert app.store.item(SITE_ID, "Products", ITEM1)["title"] == {  # type: ignore[index]
        "en": "Gift box",
        "de": "Geschenkbox",
        "he": "קופסת מתנה",
    }
    body = wire.CollectionDestination("Products").body()
    assert body == {"collectionId": "Products", "writePolicy": "SKIP_EXISTING"}


# --- locales -------------------------------------------------------------------------------


def test_primary_locale_is_a_locale_object(api: httpx.Client) -> None:
    settings = api.get("/locale-settings/v2/settings").json()["settings"]
    assert settings["primaryLocale"] == {
        "id": "en",
        "languageCode": "en",
        "primaryLocale": True,
        "visibility": "VISIBLE",
    }


@pytest.mark.parametrize(
    "primary",
    [
        {"id": "en-US", "languageCode": "en", "regionCode": "US", "visibility": "VISIBLE"},
        {"languageCode": "en", "regionCode": "US"},  # the REST reference's PrimaryLocale
        "en-US",
    ],
)
def test_the_client_reads_every_shape_of_primary_locale(primary: Any) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/locale-settings/v2/settings":
            return httpx.Response(200, json={"settings": {"primaryLocale": primary}})
        return httpx.Response(200, json={"locales": [{"id": "de", "primaryLocale": False}]})

    client = WixClient("k", site_id="s", transport=httpx.MockTransport(handler))
    assert client.primary_locale() == "en-US"
    assert client.site_languages() == ["en-US", "de"]


def many_locales_seed(tmp_path: Path, count: int) -> Path:
    seed = json.loads(SEED.read_text(encoding="utf-8"))
    letters = "abcdefghijklmnopqrstuvwxyz"
    extra = [f"{letters[i // 26]}{letters[i % 26]}" for i in range(count)]
    seed["site"]["locales"] = ["en", *(tag for tag in extra if tag != "en")][:count]
    path = tmp_path / "many.json"
    path.write_text(json.dumps(seed), encoding="utf-8")
    return path


def test_a_site_of_200_locales_is_read_whole_page_by_page(tmp_path: Path) -> None:
    app = make_sandbox(api_key=KEY, seed=many_locales_seed(tmp_path, 200))
    bodies: list[dict[str, Any]] = []
    inner = httpx.WSGITransport(app=app)

    def recording(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/locales/v2/locale/query":
            bodies.append(json.loads(request.content))
        return inner.handle_request(request)

    client = WixClient(
        KEY,
        site_id=SITE_ID,
        base_url="http://sandbox.test",
        transport=httpx.MockTransport(recording),
        retry=RetryPolicy(attempts=1),
    )
    languages = client.site_languages()
    assert len(languages) == 200 and languages[0] == "en" and len(set(languages)) == 200
    assert len(bodies) == 2
    assert bodies[0] == {"query": {"cursorPaging": {"limit": 100}, "filter": {}}}
    assert (
        set(bodies[1]["query"]) == {"cursorPaging"} and bodies[1]["query"]["cursorPaging"]["cursor"]
    )


def test_the_sandbox_pages_locales_with_cursors(tmp_path: Path) -> None:
    app = make_sandbox(api_key=KEY, seed=many_locales_seed(tmp_path, 120))
    with running_server(app) as url, httpx.Client(base_url=url, headers=HEADERS) as api:
        first = {"query": {"filter": {}, "cursorPaging": {"limit": 50}}}
        page = api.get("/locales/v2/locale/query", params={".r": r_param(first)}).json()
        seen = [x["id"] for x in page["locales"]]
        while page["pagingMetadata"]["hasNext"]:
            cursor = page["pagingMetadata"]["cursors"]["next"]
            following = {"query": {"cursorPaging": {"limit": 50, "cursor": cursor}}}
            page = api.post("/locales/v2/locale/query", json=following).json()
            seen += [x["id"] for x in page["locales"]]
    assert len(seen) == 120 and seen[0] == "en" and len(set(seen)) == 120


# --- webhooks ------------------------------------------------------------------------------


def test_webhook_envelopes_carry_sequence_origin_and_modified_fields() -> None:
    job = {"id": "j1", "status": "UNINITIALIZED", "progress": {"current": 0}}
    created = envelope("created", job, 1_780_000_000.0)
    assert created["entityEventSequence"] == "1" and created["originatedFrom"] is None
    assert created["triggeredByAnonymizeRequest"] is False
    later = {**job, "status": "IN_PROGRESS", "progress": {"current": 3}}
    updated = envelope("updated", later, 1_780_000_001.0, sequence=2, previous=job)
    assert updated["entityEventSequence"] == "2"
    assert updated["updatedEvent"] == {
        "currentEntity": later,
        "modifiedFields": {"status": "IN_PROGRESS", "progress": {"current": 3}},
    }
    deleted = envelope("deleted", later, 1_780_000_002.0, sequence=3)
    assert deleted["deletedEvent"] == {"movedToTrash": False} and "updatedEvent" not in deleted
