"""Every sandbox endpoint through the client, in process (httpx.WSGITransport)."""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path
from typing import Any

import pytest

from tests.support.sandbox import (
    EXPORT_CSV,
    ITEM1,
    ITEM2,
    KEY,
    SEED,
    SITE_ID,
    FakeClock,
    Faults,
    client_for,
    make_app,
)
from wixloc.errors import AuthError, InputError, RemoteError
from wixloc.sandbox import UPLOAD_TTL, SandboxApp, Store, load_seed, make_sandbox, samples_dir
from wixloc.wix import wire
from wixloc.wix.client import WixClient
from wixloc.wix.jobs import export_localization, import_localization, wait_for_job

LANGS = ["en", "de", "fr", "he", "ja"]
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


@pytest.fixture
def app() -> SandboxApp:
    return make_app()


@pytest.fixture
def client(app: SandboxApp) -> WixClient:
    return client_for(app)


def hold(gate: threading.Event) -> None:
    """Stands in for the runner's pause: the job waits until the test opens the gate."""
    gate.wait(5)


def run_import(client: WixClient, text: str, languages: list[str], **kw: Any) -> wire.Job:
    return import_localization(client, text.encode("utf-8"), languages, **kw)


def test_export_writes_the_documented_csv(client: WixClient, tmp_path: Path) -> None:
    job = export_localization(client, LANGS, tmp_path / "out.csv")
    assert (tmp_path / "out.csv").read_bytes() == EXPORT_CSV.encode("utf-8")
    assert job.status == "COMPLETED" and job.progress == wire.Progress(5, 5, 0, 5)
    assert ISO.match(job.started_at or "") and ISO.match(job.finished_at or "")
    assert job.download_url is not None


def test_export_jsonl_in_the_job_spelling_and_order(client: WixClient, tmp_path: Path) -> None:
    export_localization(client, ["EN", "HE"], tmp_path / "out.jsonl", fmt="JSONL")
    lines = (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[0]) == {
        "Collection ID": "Products",
        "Item ID": ITEM1,
        "Field": "title",
        "EN": "Gift box",
        "HE": "קופסת מתנה",
    }
    assert len(lines) == 5 and list(json.loads(lines[4])) == [
        "Collection ID",
        "Item ID",
        "Field",
        "EN",
        "HE",
    ]


def test_job_walks_through_every_status(app: SandboxApp, client: WixClient) -> None:
    seen: list[str] = []
    app.runner.on_save = lambda job: seen.append(job["status"])
    export_localization(client, LANGS, Path("/dev/null"))
    app.runner.join()
    statuses = [s for n, s in enumerate(seen) if n == 0 or seen[n - 1] != s]
    assert statuses == ["UNINITIALIZED", "INITIALIZING", "IN_PROGRESS", "COMPLETED"]


@pytest.mark.parametrize(
    ("languages", "code", "description"),
    [
        (
            ["de", "en"],
            "WDH0001",
            "the first language must be the site's main language 'en', not 'de'",
        ),
        (["en", "pt"], "WDE0162", "language 'pt' is not enabled for the site"),
    ],
)
def test_export_fails_like_wix(
    client: WixClient, languages: list[str], code: str, description: str
) -> None:
    spec = wire.JobSpec(wire.Localization(tuple(languages)), wire.FileDestination())
    job = wait_for_job(client, client.submit_job(spec).id)
    assert job.status == "FAILED" and job.error == wire.JobError(code, description, {})
    assert ISO.match(job.finished_at or "")


def test_submit_validation_errors(client: WixClient) -> None:
    spec = wire.JobSpec(wire.Localization(("en",)), wire.FileDestination())
    with pytest.raises(RemoteError) as info:
        client.submit_job(spec)
    assert info.value.status == 400
    assert info.value.description == (
        "source.localization.languages: must hold 2 to 64 languages, the main language first"
    )
    spec = wire.JobSpec(wire.CollectionSource("Products"), wire.CollectionDestination("X"))
    with pytest.raises(RemoteError, match="does not emulate jobs from wixDataCollection"):
        client.submit_job(spec)


def test_import_round_trip_changes_only_what_the_file_says(
    app: SandboxApp, client: WixClient, tmp_path: Path
) -> None:
    text = (
        "Collection ID,Item ID,Field,en,de\n"
        f"Products,{ITEM1},title,Gift box,Geschenkkarton\n"
        f"Products,{ITEM2},title,Candle,Kerze\n"
    )
    job = run_import(client, text, ["en", "de"])
    assert job.status == "COMPLETED" and job.progress == wire.Progress(2, 2, 0, 2)
    assert not job.logs_recorded and list(client.iter_logs(job.id)) == []
    export_localization(client, LANGS, tmp_path / "after.csv")
    expected = EXPORT_CSV.replace("Geschenkbox", "Geschenkkarton").replace(
        "Candle,,Bougie", "Candle,Kerze,Bougie"
    )
    assert (tmp_path / "after.csv").read_text(encoding="utf-8") == expected
    item = app.store.item(SITE_ID, "Products", ITEM1)
    assert item is not None and item["_updatedDate"] != "2026-03-01T10:00:00.000Z"
    assert item["price"] == 12.5 and item["_owner"] == "0e000000-0000-4000-8000-000000000001"


def test_import_rejects_rows_with_logs(client: WixClient) -> None:
    text = (
        "Collection ID,Item ID,Field,EN,HE\n"
        f"Products,{ITEM1},title,Gift box,קופסה\n"
        "Products,missing,title,x,y\n"
        f"Products,{ITEM1},price,12,13\n"
        "Nope,1,title,x,y\n"
    )
    job = run_import(client, text, ["EN", "HE"])
    assert job.status == "PARTIALLY_SUCCESSFUL" and job.logs_recorded
    assert job.progress == wire.Progress(4, 4, 3, 1)
    assert job.partial_cause == "3 of 4 items were rejected; see the logs"
    logs = [(log.source_item_id, log.code, log.description) for log in client.iter_logs(job.id)]
    assert logs == [
        ("3", "WDE0073", "item does not exist"),
        ("4", "WDE0157", "field type is not translatable"),
        ("5", "WDE0025", "collection does not exist"),
    ]


def test_import_jsonl(client: WixClient, tmp_path: Path) -> None:
    row = {
        "Collection ID": "Pages",
        "Item ID": "p1",
        "Field": "heading",
        "en": "Welcome",
        "ja": "ようこそ",
    }
    job = run_import(client, json.dumps(row, ensure_ascii=False) + "\n", ["en", "ja"], fmt="JSONL")
    assert job.status == "COMPLETED"
    export_localization(client, ["en", "ja"], tmp_path / "x.csv")
    assert (
        (tmp_path / "x.csv")
        .read_text(encoding="utf-8")
        .endswith("Pages,p1,heading,Welcome,ようこそ\n")
    )


@pytest.mark.parametrize(
    ("text", "languages", "code", "description"),
    [
        (
            "Collection ID,Item ID,Field,de,en\nPages,p1,heading,a,b\n",
            ["en", "de"],
            "WDH0001",
            "the file's first language column is 'de', not the site's main language 'en'",
        ),
        (
            "Collection ID,Item ID,Field,de,en\n",
            ["de", "en"],
            "WDH0001",
            "the first language must be the site's main language 'en', not 'de'",
        ),
        (
            "Collection ID,Item ID,Field,en,pt\n",
            ["en", "pt"],
            "WDE0162",
            "language 'pt' is not enabled for the site",
        ),
        (
            "Collection ID,Item ID,Field,en\n",
            ["en", "de"],
            "WDH0003",
            "the file has no column for language 'de'",
        ),
        ("Item ID,en,de\n", ["en", "de"], "WDH0003", "the file has no column Collection ID, Field"),
        (
            'Collection ID,Item ID,Field,en,de\n"Pages,p1\n',
            ["en", "de"],
            "WDH0003",
            "the CSV file cannot be parsed: unexpected end of data",
        ),
        ("\xff\xfe", ["en", "de"], "WDH0003", "the file is not UTF-8 text"),
    ],
)
def test_import_failures(
    client: WixClient, text: str, languages: list[str], code: str, description: str
) -> None:
    data = text.encode("latin-1") if text.startswith("\xff") else text.encode("utf-8")
    job = import_localization(client, data, languages)
    assert job.status == "FAILED" and job.error is not None
    assert (job.error.code, job.error.description) == (code, description)


def test_upload_url_expires_after_15_minutes() -> None:
    clock = FakeClock()
    client = client_for(make_app(clock=clock))
    target = client.create_upload_url("late.csv")
    clock.advance(UPLOAD_TTL - 1)
    client.upload(target.url, b"early")
    clock.advance(2)
    with pytest.raises(RemoteError) as info:
        client.upload(target.url, b"late")
    assert re.sub(r", request id \w+", "", str(info.value)) == (
        "the upload was refused: the upload URL has expired [HTTP 403, URL_EXPIRED] "
        "(upload URLs expire after 15 minutes; run the command again)"
    )


def test_unknown_upload_file_fails_the_job(client: WixClient) -> None:
    spec = wire.JobSpec(wire.FileSource("nope"), wire.Localization(("en", "de")))
    job = wait_for_job(client, client.submit_job(spec).id)
    assert job.error == wire.JobError("WDH0001", "file 'nope' does not exist", {})
    target = client.create_upload_url()
    spec = wire.JobSpec(wire.FileSource(target.file_id), wire.Localization(("en", "de")))
    job = wait_for_job(client, client.submit_job(spec).id)
    assert job.error is not None and job.error.code == "WDH0003"


@pytest.mark.parametrize(
    ("key", "site", "cls", "text"),
    [
        (
            "wrong",
            SITE_ID,
            AuthError,
            "Wix refused the request: the Authorization header holds "
            "an invalid API key [HTTP 401, UNAUTHENTICATED",
        ),
        (
            "test-key-Zq8x",
            "other-site",
            AuthError,
            "Wix refused the request: site 'other-site' "
            "is not accessible with this API key [HTTP 403, PERMISSION_DENIED",
        ),
    ],
)
def test_wrong_credentials(app: SandboxApp, key: str, site: str, cls: type, text: str) -> None:
    with pytest.raises(cls) as info:
        client_for(app, key=key, site_id=site).locales()
    assert str(info.value).startswith(text)


def test_account_id_is_accepted(app: SandboxApp) -> None:
    app._account_id = "acc-1"
    client = WixClient(
        "test-key-Zq8x",
        account_id="acc-1",
        base_url="http://x",
        transport=__import__("httpx").WSGITransport(app=app),
    )
    assert client.site_languages() == LANGS


def test_locales_and_settings(client: WixClient) -> None:
    assert client.primary_locale() == "en"
    assert [(loc.tag, loc.primary) for loc in client.locales()] == [
        ("en", True),
        ("de", False),
        ("fr", False),
        ("he", False),
        ("ja", False),
    ]
    assert client.site_languages() == LANGS


def test_list_query_and_paging(client: WixClient, tmp_path: Path, app: SandboxApp) -> None:
    ids = [export_localization(client, LANGS, tmp_path / f"{n}.csv").id for n in range(5)]
    assert [j.id for j in client.iter_jobs(limit=2)] == ids[::-1]
    found = list(client.query_jobs({"status": {"$in": ["COMPLETED"]}}, [("name", "ASC")], limit=3))
    assert sorted(j.id for j in found) == sorted(ids)
    assert [j.name for j in found] == sorted(j.name for j in found)
    assert list(client.query_jobs({"status": "FAILED"})) == []
    with pytest.raises(RemoteError, match=r"unknown operator '\$regex' on field 'status'"):
        list(client.query_jobs({"status": {"$regex": "x"}}))


def test_terminate_stops_a_running_job(app: SandboxApp, client: WixClient) -> None:
    gate = threading.Event()
    app.runner.pause = lambda: hold(gate)  # type: ignore[method-assign]
    spec = wire.JobSpec(wire.Localization(tuple(LANGS)), wire.FileDestination())
    job = client.submit_job(spec)
    stopped = client.terminate_job(job.id)
    gate.set()
    app.runner.join()
    assert stopped.status == "FAILED"
    final = client.get_job(job.id)
    assert final.status == "FAILED" and final.error == wire.JobError(
        "WDH0000", "the job was terminated", {}
    )
    assert client.terminate_job(job.id) == final  # a finished job stays as it is


def test_unknown_job_is_404(client: WixClient) -> None:
    with pytest.raises(RemoteError) as info:
        client.get_job("nope")
    assert (info.value.status, info.value.code) == (404, "JOB_NOT_FOUND")


def test_state_survives_a_restart_and_unfinished_jobs_fail(tmp_path: Path) -> None:
    db = tmp_path / "sb.db"
    first = make_app(db)
    client = client_for(first)
    run_import(
        client, "Collection ID,Item ID,Field,en,fr\nPages,p1,heading,Welcome,Salut\n", ["en", "fr"]
    )
    gate = threading.Event()
    first.runner.pause = lambda: hold(gate)  # type: ignore[method-assign]
    stuck = client.submit_job(wire.JobSpec(wire.Localization(("en", "de")), wire.FileDestination()))
    second = make_app(db)  # a new process on the same file
    again = client_for(second)
    assert again.get_job(stuck.id).error == wire.JobError(
        "WDH0000", "the sandbox stopped while the job was running", {}
    )
    export_localization(again, ["en", "fr"], tmp_path / "x.csv")
    assert "Pages,p1,heading,Welcome,Salut\n" in (tmp_path / "x.csv").read_text(encoding="utf-8")
    gate.set()


def test_faults_are_survived_by_the_client(tmp_path: Path) -> None:
    app = make_app(faults=Faults(fail_rate=0.3, burst_429=3, seed=7))
    client = client_for(app)
    export_localization(client, LANGS, tmp_path / "out.csv")
    assert (tmp_path / "out.csv").read_text(encoding="utf-8") == EXPORT_CSV
    assert app.faults.injected.count(429) == 3 and app.faults.injected.count(503) >= 2


def test_bad_seed_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "seed.json"
    bad.write_text('{"site": {"id": "x"}}', encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_seed(Store(), bad)
    assert str(info.value) == (
        f"{bad}: not a seed file: missing or wrong value 'primaryLocale' "
        '(expected {"site": {...}, "collections": [...]})'
    )


def test_seed_export_equals_the_sample_file(tmp_path: Path) -> None:
    folder = samples_dir()
    if folder is None or not (folder / "content.csv").is_file():
        pytest.skip("samples/content.csv is not on this branch yet")
    app = make_sandbox(api_key=KEY, seed=folder / "site.json")
    site = app.store.sites()[0]
    client = client_for(app, site_id=site.id)
    export_localization(client, client.site_languages(), tmp_path / "content.csv")
    assert (tmp_path / "content.csv").read_bytes() == (folder / "content.csv").read_bytes()


def test_seed_file_used_by_these_tests_is_valid() -> None:
    assert load_seed(Store(), SEED)[0].locales == tuple(LANGS)
