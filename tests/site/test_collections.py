"""The collection import's steps against the sandbox in process: the collection's backup where
the Project puts it, what the write policy will do, the job's logs and its error."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.support.hooks import HookRecorder
from tests.support.sandbox import ITEM1, ITEM2, SITE_ID, client_for, make_app
from wixloc.errors import UsageError
from wixloc.sandbox import SandboxApp
from wixloc.site.collections import import_items, parse_filter
from wixloc.site.project import Project
from wixloc.wix import wire

NEW = f"_id,title,price\n{ITEM1},Gift crate,20\nnew-1,Sled,30\n"


@pytest.fixture
def app() -> SandboxApp:
    return make_app()


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project(tmp_path, clock=lambda: datetime(2026, 3, 1, 10, 0, 5, 123, tzinfo=UTC))


def new_items(tmp_path: Path) -> Path:
    path = tmp_path / "new.csv"
    path.write_text(NEW, encoding="utf-8")
    return path


def test_a_dry_run_backs_the_collection_up_and_counts(
    app: SandboxApp, project: Project, tmp_path: Path
) -> None:
    client = client_for(app)
    result = import_items(client, new_items(tmp_path), "Products", dry_run=True, project=project)
    plan = result.plan
    assert plan.backup == tmp_path / ".wixloc" / "backups" / "Products-20260301-100005-000123.csv"
    assert plan.backup.read_text(encoding="utf-8").split() == ["_id", ITEM1, ITEM2]
    assert (plan.policy, plan.rows, plan.existing, plan.new, plan.held) == (
        "SKIP_EXISTING", 2, 1, 1, 2,
    )  # fmt: skip
    assert result.job is None and not result.cancelled


def test_skip_existing_ends_partial_with_its_logs(
    app: SandboxApp, project: Project, tmp_path: Path
) -> None:
    hooks = HookRecorder()
    client = client_for(app)
    result = import_items(client, new_items(tmp_path), "Products", project=project, hooks=hooks)
    assert result.job is not None and result.job.status == "PARTIALLY_SUCCESSFUL"
    assert [(log.source_item_id, log.code) for log in result.logs] == [(ITEM1, "WDE0074")]
    assert str(result.error()) == (
        f"job {result.job.id} was only partly successful: 1 of 2 items rejected (1 already existed)"
    )
    (spec,) = hooks.specs
    # The hooks see the job's unique name (issue 15: a journal records it before the submit),
    # and the client submits it as it is.
    assert spec.destination == wire.CollectionDestination("Products", "SKIP_EXISTING")
    assert re.fullmatch(r"wixloc import Products \[[0-9a-f]{12}\]", spec.name)
    assert result.job.name == spec.name
    assert [i["_id"] for i in app.store.items(SITE_ID, "Products")] == [ITEM1, ITEM2, "new-1"]


def test_a_no_leaves_the_collection_alone(
    app: SandboxApp, project: Project, tmp_path: Path
) -> None:
    result = import_items(
        client_for(app),
        new_items(tmp_path),
        "Products",
        write_policy="truncate-before",
        project=project,
        confirm=lambda plan: False,
    )
    assert (result.job, result.cancelled, result.error()) == (None, True, None)
    assert [i["_id"] for i in app.store.items(SITE_ID, "Products")] == [ITEM1, ITEM2]


def test_a_filter_must_be_a_json_object() -> None:
    assert parse_filter(None) is None
    assert parse_filter('{"price": {"$gt": 10}}') == {"price": {"$gt": 10}}
    with pytest.raises(UsageError) as caught:
        parse_filter("[1]")
    assert str(caught.value) == '--filter must be a JSON object such as {"price": {"$gt": 10}}'
