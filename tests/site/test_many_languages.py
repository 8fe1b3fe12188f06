"""A site of more languages than a localization job takes: export in batches, one table."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx

from tests.support.sandbox import FAST_POLL, FAST_RETRY, KEY, SEED, SITE_ID
from wixloc.formats import load_table, save_table
from wixloc.locales import is_language_tag
from wixloc.model import Language
from wixloc.sandbox import SandboxApp, make_sandbox
from wixloc.site.batches import MAX_JOB_LANGUAGES
from wixloc.site.flow import JobHooks
from wixloc.site.localization import export_content, import_content
from wixloc.site.project import Project
from wixloc.wix import wire
from wixloc.wix.client import WixClient

SAMPLE_LANGUAGES = ["en", "de", "fr", "he", "ja"]  # the seed's own, first


def _seed(tmp_path: Path, count: int) -> tuple[Path, list[str]]:
    seed = json.loads(SEED.read_text(encoding="utf-8"))
    letters = "abcdefghijklmnopqrstuvwxyz"
    # real language codes: a file's column is a language only when its name is one
    extra = [f"{a}{b}" for a in letters for b in letters if is_language_tag(f"{a}{b}")]
    others = [t for t in extra if t not in SAMPLE_LANGUAGES]
    locales = [*seed["site"]["locales"], *others][:count]
    seed["site"]["locales"] = locales
    path = tmp_path / "many.json"
    path.write_text(json.dumps(seed), encoding="utf-8")
    return path, locales


def _recording_client(app: SandboxApp, submitted: list[dict[str, Any]]) -> WixClient:
    inner = httpx.WSGITransport(app=app)

    def handle(request: httpx.Request) -> httpx.Response:
        if request.method == "POST" and request.url.path == "/data-mover/v1/jobs":
            submitted.append(json.loads(request.content))
        return inner.handle_request(request)

    return WixClient(
        KEY,
        site_id=SITE_ID,
        base_url="http://sandbox.test",
        transport=httpx.MockTransport(handle),
        poll=FAST_POLL,
        retry=FAST_RETRY,
        sleep=lambda seconds: None,
    )


def _languages(body: dict[str, Any]) -> list[str]:
    job = body.get("job", body)
    languages: list[str] = job["source"]["localization"]["languages"]
    return languages


def test_a_site_of_130_locales_exports_in_jobs_of_64_into_one_table(tmp_path: Path) -> None:
    seed, locales = _seed(tmp_path, 130)
    app = make_sandbox(api_key=KEY, seed=seed)
    submitted: list[dict[str, Any]] = []
    client = _recording_client(app, submitted)
    result = export_content(client, tmp_path / "content.csv")

    batches = [_languages(body) for body in submitted]
    assert [len(b) for b in batches] == [64, 64, 4]
    assert all(b[0] == "en" and len(b) <= MAX_JOB_LANGUAGES for b in batches)
    assert [t for b in batches for t in b[1:]] == locales[1:]
    assert len(result.jobs) == 3 and result.job is result.jobs[-1]
    assert result.languages == locales

    table = load_table(tmp_path / "content.csv")
    assert [lang.tag for lang in table.languages] == locales
    own = json.loads(SEED.read_text(encoding="utf-8"))["site"]["locales"]
    export_content(client, tmp_path / "own.csv", languages=own)  # one job: the seed's own
    five = load_table(tmp_path / "own.csv")
    assert len(submitted) == 4 and len(five.languages) == len(own)
    assert len(table) == len(five)
    index = table.index()
    for entry in five.entries:  # the seed's texts, each in its language's column
        joined = index[entry.key]
        for lang in five.languages:
            assert joined.text(Language(lang.tag)) == entry.text(lang), (entry.key, lang)
        assert joined.text(Language(locales[-1])) == ""


def test_up_to_64_languages_is_one_job_whose_file_is_kept_as_is(tmp_path: Path) -> None:
    seed, locales = _seed(tmp_path, 64)
    app = make_sandbox(api_key=KEY, seed=seed)
    submitted: list[dict[str, Any]] = []
    result = export_content(_recording_client(app, submitted), tmp_path / "content.csv")
    assert [len(_languages(body)) for body in submitted] == [64]
    assert result.jobs == [result.job]
    assert [lang.tag for lang in load_table(tmp_path / "content.csv").languages] == locales


def test_an_import_of_129_changed_languages_runs_one_job_per_batch(tmp_path: Path) -> None:
    seed, locales = _seed(tmp_path, 130)
    app = make_sandbox(api_key=KEY, seed=seed)
    submitted: list[dict[str, Any]] = []
    client = _recording_client(app, submitted)
    export_content(client, tmp_path / "content.csv")
    table = load_table(tmp_path / "content.csv")
    entry = table.entries[0]
    for lang in table.languages[1:]:
        entry.texts[lang] = f"text in {lang.tag}"
    save_table(table, tmp_path / "content.csv")
    submitted.clear()

    journal: list[str] = []
    result = import_content(
        client,
        tmp_path / "content.csv",
        project=Project(tmp_path),
        hooks=_Recording(journal),
    )
    assert result.error() is None and result.mismatches == []
    imports = [b for b in submitted if "file" in b.get("job", b)["source"]]
    batches = [b.get("job", b)["destination"]["localization"]["languages"] for b in imports]
    assert [len(b) for b in batches] == [64, 64, 4]
    assert all(b[0] == "en" for b in batches)
    assert [t for b in batches for t in b[1:]] == locales[1:]
    assert len(result.jobs) == 3 and result.job is result.jobs[-1]
    assert journal == ["before", "after", "waited"] * 3  # each job journaled on its own
    site = load_table(_export(client, tmp_path / "after.csv"))
    after = site.index()[entry.key]
    assert all(after.text(lang) == f"text in {lang.tag}" for lang in site.languages[1:])


class _Recording(JobHooks):
    def __init__(self, said: list[str]) -> None:
        self.said = said

    def before_submit(self, spec: wire.JobSpec) -> None:
        self.said.append("before")

    def after_submit(self, job: wire.Job) -> None:
        self.said.append("after")

    def after_wait(self, job: wire.Job) -> None:
        self.said.append("waited")


def _export(client: WixClient, path: Path) -> Path:
    export_content(client, path)
    return path


def test_a_jsonl_export_of_130_locales_is_one_jsonl_file(tmp_path: Path) -> None:
    seed, locales = _seed(tmp_path, 130)
    app = make_sandbox(api_key=KEY, seed=seed)
    submitted: list[dict[str, Any]] = []
    export_content(_recording_client(app, submitted), tmp_path / "content.jsonl")
    assert [body.get("job", body)["destination"]["file"]["format"] for body in submitted] == [
        "JSONL"
    ] * 3
    table = load_table(tmp_path / "content.jsonl")
    assert [lang.tag for lang in table.languages] == locales
    first = json.loads((tmp_path / "content.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert list(first)[:4] == ["Collection ID", "Item ID", "Field", "en"]
