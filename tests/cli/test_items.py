"""The seed's collection flows through the CLI: the three sample flows against a served sandbox
seeded from the samples, write policies, a cross-site copy with ``--site``, partial and failed
imports with their logs, and job webhooks from ``wixloc sandbox serve --webhook-url``."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.cli.test_wix import masked, run, write
from tests.conftest import REPO
from tests.support.sandbox import (
    ITEM1,
    ITEM2,
    KEY,
    SEED,
    SITE_ID,
    Receiver,
    served_site,
)
from wixloc.cli import export as export_module
from wixloc.cli._remote import echo_job, plural
from wixloc.sandbox import make_sandbox
from wixloc.site.project import Project
from wixloc.wix.jobs import job_error
from wixloc.wix.wire import Job, JobError, Progress

SAMPLES = REPO / "samples"
XMAS = '{"holidays": {"$hasSome": ["xmas"]}}'


def rows(name: str) -> list[dict[str, str]]:
    with open(name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# --- the seed's three sample flows, against a served sandbox of the sample site ----------------


@pytest.fixture
def sample_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.chdir(tmp_path)
    app = make_sandbox(tmp_path / "served.db", api_key=KEY)  # seeded from samples/site.json
    with served_site(app, monkeypatch, app.store.sites()[0].id) as url:
        yield url


def test_the_seed_sample_flows(sample_site: str) -> None:
    site = json.loads((SAMPLES / "site.json").read_text(encoding="utf-8"))
    products = site["collections"][0]["items"]
    # 1. export, edit and re-import the localized content, main language first
    result = run("export", "-o", "content.csv")
    assert masked(result.stdout) == (
        "Job <job>: COMPLETED, 144 entries exported, 0 rejected.\n"
        "Wrote content.csv: 144 entries in 5 languages (en, de, fr, he, ja, main first).\n"
    )
    assert Path("content.csv").read_bytes() == (SAMPLES / "content.csv").read_bytes()
    text = Path("content.csv").read_bytes().decode("utf-8")  # keeps the CRLF inside cells
    write("content.csv", text.replace("Schneidebrett aus Birke", "Birken-Schneidebrett"))
    result = run("import", "content.csv", "--yes")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:3] == [
        "Changes content.csv would make (languages en, de):",
        "  en (main) 0 added, 0 changed, 0 blanked",
        "  de        0 added, 1 changed, 0 blanked",
    ]
    assert masked(result.stdout).endswith(
        "Job <job>: COMPLETED, 1 row imported, 0 rejected.\n"
        "Verified by a fresh export: the site holds every imported value.\n"
    )
    # 2. export the products whose holidays include xmas
    result = run("export", "--collection", "Products", "--filter", XMAS, "-o", "xmasProducts.csv")
    assert masked(result.stdout) == (
        "Job <job>: COMPLETED, 6 items exported, 0 rejected.\n"
        "Wrote xmasProducts.csv: 6 items of Products.\n"
    )
    xmas = rows("xmasProducts.csv")
    assert [r["_id"] for r in xmas] == [p["_id"] for p in products if "xmas" in p["holidays"]]
    assert list(xmas[0]) == [
        *("_id", "_createdDate", "_updatedDate", "_owner", "title", "description", "badge"),
        *("price", "sku", "slug", "inStock", "holidays", "image"),
    ]
    assert all("xmas" in json.loads(r["holidays"]) for r in xmas)
    # 3. import new products, skipping the existing ones (no question: nothing is replaced)
    write(
        "newProducts.csv",
        "_id,title,price,holidays\n"
        f"{xmas[0]['_id']},Changed title,1,[]\n"
        ',Reindeer Felt Coasters,18,"[""xmas""]"\n'
        "sauna-ladle,Sauna Ladle,29.5,[]\n",
    )
    result = run("import", "newProducts.csv", "--collection", "Products")
    assert result.exit_code == 3
    assert masked(result.stdout.split("\n", 1)[1]) == (
        "newProducts.csv: 3 items into Products (SKIP_EXISTING): 2 new, "
        "1 already exists and will be skipped.\n"
        "Job <job>: PARTIALLY_SUCCESSFUL, 2 items imported, 1 rejected.\n"
        "Movement logs (row or item, code, reason):\n"
        f"  {xmas[0]['_id']}  WDE0074  item already exists\n"
    )
    assert masked(result.stderr) == (
        "wixloc: error: job <job> was only partly successful: 1 of 3 items rejected "
        "(1 already existed)\n"
    )
    run("export", "--collection", "Products", "--fields", "title,price", "-o", "after.csv")
    after = rows("after.csv")
    assert len(after) == len(products) + 2
    assert after[0] == {"_id": xmas[0]["_id"], "title": xmas[0]["title"], "price": "39"}
    assert [(r["title"], r["price"]) for r in after[-2:]] == [
        ("Reindeer Felt Coasters", "18"),
        ("Sauna Ladle", "29.5"),
    ]
    assert after[-1]["_id"] == "sauna-ladle" and after[-2]["_id"]  # a fresh id for the blank


# --- the embedded sandbox: policies, sites, partial and failed imports ----------------------


def two_sites(folder: Path) -> Path:
    seed = json.loads(SEED.read_text(encoding="utf-8"))
    other = {
        "site": {**seed["site"], "id": "site-b", "name": "Live"},
        "collections": [{**c, "items": []} for c in seed["collections"]],
    }
    path = folder / "sites.json"
    path.write_text(json.dumps({"sites": [seed, other]}), encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty folder whose embedded sandbox holds the test site and an empty site-b."""
    monkeypatch.chdir(tmp_path)
    for name in ("WIX_API_KEY", "WIX_SITE_ID", "WIX_ACCOUNT_ID", "WIX_API_URL"):
        monkeypatch.delenv(name, raising=False)
    seed = two_sites(tmp_path)
    make_sandbox(Project(tmp_path).sandbox_db, api_key="unused", seed=seed).store.close()
    return tmp_path


def titles(*site: str) -> str:
    args = ["export", "--collection", "Products", "--fields", "title,price", "-o", "t.csv"]
    result = run(*args, *site, "--sandbox")
    assert result.exit_code == 0, result.output
    return Path("t.csv").read_text(encoding="utf-8")


def test_a_filter_that_matches_nothing_writes_the_header(project: Path) -> None:
    args = ["export", "--collection", "Products", "--filter", '{"price": {"$gt": 1000}}']
    result = run(*args, "--fields", "title", "-o", "none.csv", "--sandbox")
    assert result.exit_code == 0
    assert masked(result.stdout).startswith("Job <job>: COMPLETED, 0 items exported, 0 rejected.\n")
    assert Path("none.csv").read_text(encoding="utf-8") == "_id,title\n"


def test_overwrite_asks_before_replacing(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("wixloc.cli._remote.interactive", lambda: True)
    write("p.csv", f"_id,title,price\n{ITEM1},Gift crate,20\nnew-1,Sled,30\n")
    args = ["import", "p.csv", "--collection", "Products", "--write-policy", "overwrite"]
    result = run(*args, "--sandbox", input="n\n")
    assert result.stderr == "Replace 1 existing item of Products and add 1? [y/N]: n\n"
    assert result.stdout.splitlines()[1:] == [
        "p.csv: 2 items into Products (OVERWRITE): 1 new, 1 already exists and will be replaced.",
        "Cancelled: nothing was imported.",
    ]
    assert titles() == f"_id,title,price\n{ITEM1},Gift box,12.5\n{ITEM2},Candle,4\n"
    result = run(*args, "--sandbox", "--yes")
    assert result.exit_code == 0 and result.stderr == ""
    assert masked(result.stdout.splitlines()[-1]) == (
        "Job <job>: COMPLETED, 2 items imported, 0 rejected."
    )
    assert titles() == (
        f"_id,title,price\n{ITEM1},Gift crate,20\n{ITEM2},Candle,4\nnew-1,Sled,30\n"
    )


def test_copy_a_collection_to_another_site(project: Path) -> None:
    result = run("export", "--collection", "Products", "-o", "a.csv", "--sandbox")
    assert result.exit_code == 0
    result = run("import", "a.csv", "--collection", "Products", "--site", "site-b", "--sandbox")
    assert result.exit_code == 0, result.output
    lines = masked(result.stdout).splitlines()
    assert lines[0].startswith("Backup of Products: .wixloc/backups/Products-")
    assert lines[1:] == [
        "a.csv: 2 items into Products (SKIP_EXISTING): 2 new, 0 already exist and will be skipped.",
        "Job <job>: COMPLETED, 2 items imported, 0 rejected.",
    ]
    copied = f"_id,title,price\n{ITEM1},Gift box,12.5\n{ITEM2},Candle,4\n"
    assert titles("--site", "site-b") == copied
    assert (
        Path("a.csv")
        .read_text(encoding="utf-8")
        .splitlines()[1]
        .startswith(f"{ITEM1},2026-03-01T10:00:00.000Z,2026-03-01T10:00:00.000Z,")
    )


def test_a_partial_import_lists_its_logs(project: Path) -> None:
    write("p.csv", "_id,price,holidays\nn1,abc,[]\nn2,3,notjson\nn3,5,[]\n")
    result = run("import", "p.csv", "--collection", "Products", "--sandbox")
    assert result.exit_code == 3
    assert masked(result.stdout).splitlines()[2:] == [
        "Job <job>: PARTIALLY_SUCCESSFUL, 1 item imported, 2 rejected.",
        "Movement logs (row or item, code, reason):",
        "  2  WDH0003  field 'price' expects NUMBER, got 'abc'",
        "  3  WDH0003  field 'holidays' expects ARRAY_STRING, got 'notjson'",
    ]
    assert masked(result.stderr) == (
        "wixloc: error: job <job> was only partly successful: 2 of 3 items rejected\n"
    )


def test_a_failed_import_exits_3_with_the_reason(project: Path) -> None:
    write("p.csv", "_id,colour\nx,red\n")
    result = run("import", "p.csv", "--collection", "Products", "--sandbox")
    assert result.exit_code == 3
    assert masked(result.stdout).splitlines()[-1] == (
        "Job <job>: FAILED, 0 items imported, 0 rejected."
    )
    assert masked(result.stderr) == (
        "wixloc: error: job <job> failed: field 'colour' does not exist in Products [WDH0001]\n"
    )
    result = run("import", "p.csv", "--collection", "Nope", "--sandbox")
    assert (result.exit_code, masked(result.stderr)) == (
        3,
        "wixloc: error: job <job> failed: collection 'Nope' does not exist [WDE0025]\n",
    )


# --- job webhooks from a real `wixloc sandbox serve` process ---------------------------------


def test_sandbox_serve_posts_job_events(tmp_path: Path) -> None:
    receiver = Receiver()
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(REPO / "src")}
    args = [
        *(sys.executable, "-m", "wixloc", "sandbox", "serve", "--port", "0"),
        *("--db", str(tmp_path / "s.db"), "--seed", str(SEED), "--api-key", "k1"),
        *("--step-delay", "30", "--webhook-url", receiver.url),  # the job waits: terminate it
    ]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline() for _ in range(5)]
        assert lines[4] == f"Job events go to {receiver.url} (plain JSON, unsigned).\n"
        url = lines[1].split("=", 1)[1].strip()
        headers = {"Authorization": "k1", "wix-site-id": SITE_ID}
        body = {
            "source": {"wixDataCollection": {"collectionId": "Products"}},
            "destination": {"file": {"format": "CSV"}},
        }
        job = httpx.post(f"{url}/data-mover/v1/jobs", json=body, headers=headers).json()["job"]
        httpx.post(f"{url}/data-mover/v1/jobs/{job['id']}/terminate", headers=headers)
        events = receiver.wait_for(3)
    finally:
        proc.terminate()
        proc.wait(10)
        if proc.stdout is not None:
            proc.stdout.close()
        receiver.close()
    assert [(e["entityFqdn"], e["slug"], e["entityId"]) for e in events] == [
        ("wix.hub.v1.job", "created", job["id"]),
        ("wix.hub.v1.job", "updated", job["id"]),
        ("wix.hub.v1.job", "deleted", job["id"]),
    ]
    created: dict[str, Any] = events[0]["createdEvent"]["entity"]
    assert created["status"] == "UNINITIALIZED" and created["source"] == body["source"]
    current = events[1]["updatedEvent"]["currentEntity"]
    assert current["status"] == "FAILED"
    assert current["error"] == {
        "code": "WDH0000",
        "description": "the job was terminated",
        "data": {},
    }
    assert events[2]["deletedEvent"] == {"movedToTrash": False}
    assert len({e["id"] for e in events}) == 3


def test_a_partial_export_exits_3(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The sandbox's exports never end partial; Wix's may (a row it could not read).
    job = Job("j1", "PARTIALLY_SUCCESSFUL", progress=Progress(5, 5, 2, 3))
    monkeypatch.setattr(export_module, "export_items", lambda *a, **k: job)
    result = run("export", "--collection", "Products", "-o", "x.csv", "--sandbox")
    # Issue 15: a partial export no longer writes (or claims to write) the output file.
    assert (result.exit_code, result.stdout, result.stderr) == (
        3,
        "Job j1: PARTIALLY_SUCCESSFUL, 3 items exported, 2 rejected.\n",
        "wixloc: error: job j1 was only partly successful: 2 of 5 items rejected "
        "(x.csv was left as it was; --allow-partial writes the partial file)\n",
    )


def test_a_failed_job_counts_what_it_rejected() -> None:
    job = Job("j2", "FAILED", progress=Progress(3, 10, 3, 0), error=JobError("WDE0014", "quota"))
    error = job_error(job)
    assert error is not None and error.code == "WDE0014"
    assert str(error) == "job j2 failed: quota; 3 of 10 items rejected [WDE0014]"
    assert job_error(Job("j3", "COMPLETED")) is None


def test_job_summary_lines(capsys: pytest.CaptureFixture[str]) -> None:
    failed = Job("j4", "FAILED", progress=Progress(2, 5, 2, 0))
    done = Job("j5", "COMPLETED", progress=Progress(3, 3, 0, 0))  # itemsSuccessful left out
    shown = Job("j6", "COMPLETED", destination={"file": {"url": "http://127.0.0.1/f"}})
    for job in (failed, done):
        echo_job(job, "entry", "exported")
    echo_job(shown, "entry", "exported", show_url=True)
    echo_job(shown, "entry", "exported")  # the URL only when asked
    assert capsys.readouterr().out == (
        "Job j4: FAILED, 0 entries exported, 2 rejected.\n"
        "Job j5: COMPLETED, 3 entries exported, 0 rejected.\n"
        "Job j6: COMPLETED, 0 entries exported, 0 rejected.\n"
        "Download URL: http://127.0.0.1/f\n"
        "Job j6: COMPLETED, 0 entries exported, 0 rejected.\n"
    )
    assert [plural(n, w) for n, w in [(1, "entry"), (2, "entry"), (1, "item"), (0, "row")]] == [
        "1 entry",
        "2 entries",
        "1 item",
        "0 rows",
    ]
