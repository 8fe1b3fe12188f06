"""Collection export with Wix filters, import with write policies, several sites, webhooks."""

from __future__ import annotations

import csv
import json
import threading
from pathlib import Path
from typing import Any

import pytest

from tests.support.sandbox import ITEM1, ITEM2, KEY, SEED, SITE_ID, Receiver, client_for, make_app
from wixloc.errors import JobFailedError
from wixloc.sandbox import SandboxApp, make_sandbox
from wixloc.sandbox.webhooks import WebhookSender
from wixloc.site.collections import export_items, import_items
from wixloc.site.project import Project
from wixloc.wix import wire
from wixloc.wix.client import WixClient
from wixloc.wix.jobs import run_from_file


@pytest.fixture
def app() -> SandboxApp:
    return make_app()


@pytest.fixture
def client(app: SandboxApp) -> WixClient:
    return client_for(app)


def ids(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [row["_id"] for row in csv.DictReader(fh)]


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        ({"title": "Candle"}, [ITEM2]),
        ({"price": {"$eq": 12.5}}, [ITEM1]),
        ({"price": {"$ne": 12.5}}, [ITEM2]),
        ({"price": {"$in": [4, 5]}}, [ITEM2]),
        ({"holidays": {"$hasSome": ["xmas", "easter"]}}, [ITEM1]),
        ({"price": {"$gt": 4}}, [ITEM1]),
        ({"price": {"$lt": 12.5}}, [ITEM2]),
        ({"title": {"$contains": "BOX"}}, [ITEM1]),
        ({"title": {"$startsWith": "Can"}}, [ITEM2]),
        ({"$and": [{"price": {"$gt": 1}}, {"price": {"$lt": 5}}]}, [ITEM2]),
        ({"$or": [{"title": "Candle"}, {"holidays": {"$hasSome": ["xmas"]}}]}, [ITEM1, ITEM2]),
        ({"$not": {"title": "Candle"}}, [ITEM1]),
        ({"price": {"$gt": 1000}}, []),
        ({}, [ITEM1, ITEM2]),
        ({"price": {"$gte": 12.5}}, [ITEM1]),
        ({"price": {"$lte": 4}}, [ITEM2]),
        ({"price": {"$gte": 4, "$lte": 12.5}}, [ITEM1, ITEM2]),
        ({"price": {"$nin": [4]}}, [ITEM1]),
        ({"holidays": {"$in": ["xmas", "easter"]}}, [ITEM1]),
        ({"holidays": {"$hasAll": ["xmas"]}}, [ITEM1]),
        ({"holidays": {"$hasAll": ["xmas", "easter"]}}, []),
        ({"holidays": {"$hasSome": ["easter"]}}, []),
        ({"title": {"$endsWith": "DLE"}}, [ITEM2]),
        ({"title": {"$contains": "box", "$startsWith": "Gift"}}, [ITEM1]),
        ({"holidays": {"$isEmpty": True}}, [ITEM2]),
        ({"holidays": {"$isNotEmpty": True}}, [ITEM1]),
        ({"description": {"$contains": "line"}}, [ITEM2]),  # the main-language text
        ({"title": {"$eq": "Geschenkbox"}}, []),  # translations are not searched
        ({"_id": ITEM2}, [ITEM2]),
        ({"$or": [{"price": {"$lt": 0}}, {"$not": {"holidays": {"$isEmpty": True}}}]}, [ITEM1]),
        (
            {"$and": [{"$or": [{"title": "Candle"}, {"price": 12.5}]}, {"price": {"$lt": 5}}]},
            [ITEM2],
        ),
    ],
)
def test_filter_operators(
    client: WixClient, tmp_path: Path, flt: dict[str, Any], expected: list[str]
) -> None:
    job = export_items(client, "Products", tmp_path / "out.csv", filter=flt, fields=["title"])
    assert ids(tmp_path / "out.csv") == expected
    assert job.progress.total == len(expected)


def test_exists_tells_missing_fields_apart(
    app: SandboxApp, client: WixClient, tmp_path: Path
) -> None:
    bare = {"_id": "bare", "_createdDate": "2026-03-02T00:00:00.000Z", "title": {"en": "Bare"}}
    app.store.put_item(SITE_ID, "Products", bare)
    export_items(client, "Products", tmp_path / "a.csv", filter={"price": {"$exists": False}})
    export_items(client, "Products", tmp_path / "b.csv", filter={"price": {"$exists": True}})
    assert (ids(tmp_path / "a.csv"), ids(tmp_path / "b.csv")) == (["bare"], [ITEM1, ITEM2])


@pytest.mark.parametrize(
    ("flt", "reason"),
    [
        ({"price": {"$near": 1}}, "unknown operator '$near' on field 'price'"),
        ({"$nor": [{"price": 1}]}, "unknown operator '$nor'"),
        ({"$and": {"price": 1}}, "$and expects a list of filters"),
        ({"$or": [1, 2]}, "$or expects a list of filters"),
        ({"$not": [{"price": 1}]}, "a filter must be an object"),
        ({"price": {"$in": 4}}, "$in on field 'price' expects a list"),
        ({"holidays": {"$hasSome": "xmas"}}, "$hasSome on field 'holidays' expects a list"),
        ({"title": {"$contains": 3}}, "$contains on field 'title' expects a string"),
    ],
)
def test_malformed_filters_fail_with_wdh0001(
    client: WixClient, tmp_path: Path, flt: dict[str, Any], reason: str
) -> None:
    with pytest.raises(JobFailedError) as info:
        export_items(client, "Products", tmp_path / "x.csv", filter=flt)
    assert info.value.code == "WDH0001"
    assert str(info.value).endswith(f" failed: invalid filter: {reason} [WDH0001]")
    assert not (tmp_path / "x.csv").exists()


def test_malformed_filter_fails_with_wdh0001(client: WixClient, tmp_path: Path) -> None:
    with pytest.raises(JobFailedError) as info:
        export_items(client, "Products", tmp_path / "x.csv", filter={"price": {"$near": 1}})
    assert str(info.value).startswith("job ") and str(info.value).endswith(
        "failed: invalid filter: unknown operator '$near' on field 'price' [WDH0001]"
    )


def test_fields_and_formats(client: WixClient, tmp_path: Path) -> None:
    export_items(client, "Products", tmp_path / "x.csv", fields=["price", "holidays", "title"])
    assert (tmp_path / "x.csv").read_text(encoding="utf-8") == (
        f'_id,price,holidays,title\n{ITEM1},12.5,"[""xmas""]",Gift box\n{ITEM2},4,[],Candle\n'
    )
    export_items(client, "Products", tmp_path / "x.jsonl", fields=["holidays"])
    lines = (tmp_path / "x.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[0]) == {"_id": ITEM1, "holidays": ["xmas"]}
    with pytest.raises(JobFailedError, match=r"collection 'Nope' does not exist \[WDE0025\]"):
        export_items(client, "Nope", tmp_path / "y.csv")


def import_csv(client: WixClient, text: str, policy: str, **kw: Any) -> wire.Job:
    dest = wire.CollectionDestination("Products", policy)
    return run_from_file(client, text.encode("utf-8"), dest, file_name="in.csv", **kw)


NEW = f"_id,title,price\n{ITEM1},Gift crate,20\nnew-1,Sled,30\n"


def test_skip_existing_logs_each_skipped_item(app: SandboxApp, client: WixClient) -> None:
    job = import_csv(client, NEW, "SKIP_EXISTING")
    assert job.status == "PARTIALLY_SUCCESSFUL" and job.progress == wire.Progress(2, 2, 1, 1)
    logs = list(client.iter_logs(job.id))
    assert [(x.source_item_id, x.code, x.description) for x in logs] == [
        (ITEM1, "WDE0074", "item already exists")
    ]
    assert [i["_id"] for i in app.store.items(SITE_ID, "Products")] == [ITEM1, ITEM2, "new-1"]
    assert app.store.items(SITE_ID, "Products")[2]["title"] == {"en": "Sled"}


def test_overwrite_replaces(app: SandboxApp, client: WixClient) -> None:
    job = import_csv(client, NEW, "OVERWRITE")
    assert job.status == "COMPLETED"
    item = app.store.item(SITE_ID, "Products", ITEM1)
    assert item is not None and item["title"] == {"en": "Gift crate"} and item["price"] == 20
    assert item["_createdDate"] == "2026-03-01T10:00:00.000Z"


def test_truncate_before_clears_first(app: SandboxApp, client: WixClient) -> None:
    assert import_csv(client, NEW, "TRUNCATE_BEFORE").status == "COMPLETED"
    assert [i["_id"] for i in app.store.items(SITE_ID, "Products")] == [ITEM1, "new-1"]


def test_type_errors_are_logged_per_row(client: WixClient) -> None:
    text = "_id,price,holidays\nn1,abc,[]\nn2,3,notjson\nn3,5,[]\n"
    job = import_csv(client, text, "SKIP_EXISTING")
    assert job.progress == wire.Progress(3, 3, 2, 1)
    logs = [(x.source_item_id, x.code, x.description) for x in client.iter_logs(job.id)]
    assert logs == [
        ("2", "WDH0003", "field 'price' expects NUMBER, got 'abc'"),
        ("3", "WDH0003", "field 'holidays' expects ARRAY_STRING, got 'notjson'"),
    ]


def test_unknown_column_fails(client: WixClient) -> None:
    job = import_csv(client, "_id,colour\nx,red\n", "OVERWRITE")
    assert job.error == wire.JobError("WDH0001", "field 'colour' does not exist in Products", {})


def two_sites(tmp_path: Path) -> Path:
    seed = json.loads(SEED.read_text(encoding="utf-8"))
    other = {
        "site": {**seed["site"], "id": "site-b", "name": "Live"},
        "collections": [{**c, "items": []} for c in seed["collections"]],
    }
    path = tmp_path / "sites.json"
    path.write_text(json.dumps({"sites": [seed, other]}), encoding="utf-8")
    return path


def test_copy_between_sites(tmp_path: Path) -> None:
    app = make_sandbox(api_key=KEY, seed=two_sites(tmp_path))
    on_b = client_for(app, site_id="site-b")
    export_items(on_b, "Products", tmp_path / "a.csv", site=SITE_ID)  # sourceSiteId
    assert ids(tmp_path / "a.csv") == [ITEM1, ITEM2]
    on_a = client_for(app)
    result = import_items(
        on_a, tmp_path / "a.csv", "Products", site="site-b", project=Project(tmp_path)
    )
    assert result.job is not None and result.job.status == "COMPLETED"
    assert result.job.destination_site_id == "site-b"
    copied = app.store.items("site-b", "Products")
    assert [i["_id"] for i in copied] == [ITEM1, ITEM2]
    assert copied[0]["_createdDate"] == "2026-03-01T10:00:00.000Z"
    assert copied[0]["title"] == {"en": "Gift box"}  # an item export carries the main language
    assert app.store.items(SITE_ID, "Products")[0]["title"]["de"] == "Geschenkbox"


def test_webhooks_are_delivered(tmp_path: Path) -> None:
    receiver = Receiver()
    try:
        app = make_app(webhook_url=receiver.url)
        client = client_for(app)
        export_items(client, "Products", tmp_path / "x.csv")
        app.runner.join()
        sender = app.runner.on_event
        assert isinstance(sender, WebhookSender)
        sender.flush()
    finally:
        receiver.close()
    events = receiver.events
    assert [
        (e["slug"], e.get("updatedEvent", {}).get("currentEntity", {}).get("status"))
        for e in events
    ] == [
        ("created", None),
        ("updated", "INITIALIZING"),
        ("updated", "IN_PROGRESS"),
        ("updated", "COMPLETED"),
    ]
    assert {e["entityFqdn"] for e in events} == {"wix.hub.v1.job"}
    job_id = events[0]["createdEvent"]["entity"]["id"]
    assert {e["entityId"] for e in events} == {job_id}
    assert events[-1]["updatedEvent"]["currentEntity"]["destination"]["file"]["url"]
    assert [e["entityEventSequence"] for e in events] == ["1", "2", "3", "4"]
    assert {e["originatedFrom"] for e in events} == {None}
    modified = events[-1]["updatedEvent"]["modifiedFields"]
    assert modified["status"] == "COMPLETED" and "finishedAt" in modified and "id" not in modified


def hold(gate: threading.Event) -> None:
    gate.wait(5)


def test_terminate_sends_job_deleted() -> None:
    seen: list[tuple[str, str]] = []
    app = make_app()
    app.runner.on_event = lambda slug, job: seen.append((slug, job["status"]))
    gate = threading.Event()
    app.runner.pause = lambda: hold(gate)  # type: ignore[method-assign]
    client = client_for(app)
    job = client.submit_job(wire.JobSpec(wire.CollectionSource("Products"), wire.FileDestination()))
    client.terminate_job(job.id)
    gate.set()
    app.runner.join()
    assert seen == [("created", "UNINITIALIZED"), ("updated", "FAILED"), ("deleted", "FAILED")]
