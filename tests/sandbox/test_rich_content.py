"""RICH_CONTENT cells in the sandbox's localization export and import (assumed: JSON text)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from tests.conftest import REPO
from tests.support.sandbox import KEY, client_for
from wixloc.sandbox import SandboxApp, make_sandbox
from wixloc.wix.client import WixClient
from wixloc.wix.jobs import export_localization, import_localization

SAMPLE = REPO / "samples" / "site.json"
DOC = {"nodes": [{"type": "PARAGRAPH", "id": "p1", "nodes": [], "paragraphData": {}}]}


def _rich_row(path: Path) -> list[str]:
    rows = csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline=""))
    return next(r for r in rows if r[2] == "richBody")


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def _setup(tmp_path: Path) -> tuple[SandboxApp, str, WixClient, list[str]]:
    app = make_sandbox(api_key=KEY, seed=SAMPLE)
    site = app.store.sites()[0]
    client = client_for(app, site_id=site.id)
    export_localization(client, ["en", "de"], tmp_path / "a.csv")
    return app, site.id, client, _rich_row(tmp_path / "a.csv")


def _seeded() -> dict[str, Any]:
    collections = json.loads(SAMPLE.read_text(encoding="utf-8"))["collections"]
    blog = next(c for c in collections if c["id"] == "BlogPosts")
    value: dict[str, Any] = blog["items"][0]["richBody"]
    return value


def test_a_rich_content_cell_is_the_documents_compact_json(tmp_path: Path) -> None:
    _, _, _, row = _setup(tmp_path)
    assert row[3] == json.dumps(_seeded()["en"], ensure_ascii=False, separators=(",", ":"))
    assert row[3].startswith('{"nodes":[{"type":"HEADING","id":')


def test_an_imported_rich_content_cell_is_stored_as_a_document(tmp_path: Path) -> None:
    app, site_id, client, row = _setup(tmp_path)
    compact = json.dumps(DOC, separators=(",", ":"))
    header = ["Collection ID", "Item ID", "Field", "en", "de"]
    job = import_localization(client, _csv([header, [*row[:4], compact]]), ["en", "de"])
    assert job.status == "COMPLETED"
    item = app.store.item(site_id, "BlogPosts", row[1])
    assert item is not None and item["richBody"]["de"] == DOC
    export_localization(client, ["en", "de"], tmp_path / "b.csv")
    assert _rich_row(tmp_path / "b.csv")[4] == compact


def test_a_rich_content_cell_that_is_no_document_is_rejected(tmp_path: Path) -> None:
    app, site_id, client, row = _setup(tmp_path)
    header = ["Collection ID", "Item ID", "Field", "en", "de"]
    job = import_localization(client, _csv([header, [*row[:4], "<p>Hallo</p>"]]), ["en", "de"])
    assert job.status == "PARTIALLY_SUCCESSFUL"
    [log] = list(client.iter_logs(job.id))
    assert (log.code, log.description) == ("WDE0004", "rich content is not a Ricos document")
    item = app.store.item(site_id, "BlogPosts", row[1])
    assert item is not None and item["richBody"] == _seeded()  # unchanged
