"""``wixloc export``, ``import``, ``jobs`` and ``sandbox`` through the CLI: the embedded sandbox
(``--sandbox``), a threaded sandbox server on port 0, and every refusal with its message."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner, Result

from tests.conftest import REPO
from tests.support.sandbox import (
    EXPORT_CSV,
    FAST_POLL,
    FAST_RETRY,
    ITEM1,
    ITEM2,
    KEY,
    SEED,
    SITE_ID,
    running_server,
)
from wixloc.cli import cli
from wixloc.sandbox import Faults, make_sandbox
from wixloc.site.connect import SANDBOX_URL
from wixloc.site.project import Project
from wixloc.wix import client as client_module

ORIGINAL = EXPORT_CSV


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty folder whose embedded sandbox is seeded from the test site."""
    monkeypatch.chdir(tmp_path)
    for name in ("WIX_API_KEY", "WIX_SITE_ID", "WIX_ACCOUNT_ID", "WIX_API_URL"):
        monkeypatch.delenv(name, raising=False)
    make_sandbox(Project(tmp_path).sandbox_db, api_key="unused", seed=SEED).store.close()
    return tmp_path


def run(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=input)


def export(name: str = "c.csv", *extra: str) -> str:
    result = run("export", "-o", name, "--sandbox", *extra)
    assert result.exit_code == 0, result.output
    return Path(name).read_text(encoding="utf-8")


def masked(stdout: str) -> str:
    """*stdout* with job ids and result file ids as ``<job>`` and ``<file>``."""
    stdout = re.sub(r"\b([Jj]ob) [0-9a-f-]{36}\b", r"\1 <job>", stdout)
    # the token a download URL carries (issue 15) is masked with the file id
    return re.sub(
        r"/_sandbox/files/[0-9a-f-]{36}(\?token=[\w-]+)?", "/_sandbox/files/<file>", stdout
    )


def write(name: str, text: str) -> None:
    Path(name).write_text(text, encoding="utf-8", newline="")


def test_export(project: Path) -> None:
    result = run("export", "-o", "c.csv", "--sandbox")
    assert result.exit_code == 0 and result.stderr == ""
    assert masked(result.stdout) == (  # no download URL unasked: it would land in CI logs
        "Job <job>: COMPLETED, 5 entries exported, 0 rejected.\n"
        "Wrote c.csv: 5 entries in 5 languages (en, de, fr, he, ja, main first).\n"
    )
    result = run("export", "-o", "c.csv", "--sandbox", "--show-url")
    assert masked(result.stdout) == (
        "Job <job>: COMPLETED, 5 entries exported, 0 rejected.\n"
        f"Download URL: {SANDBOX_URL}/_sandbox/files/<file>\n"
        "Wrote c.csv: 5 entries in 5 languages (en, de, fr, he, ja, main first).\n"
    )
    assert Path("c.csv").read_bytes() == ORIGINAL.encode("utf-8")
    assert export("h.csv", "--languages", "he,EN").startswith("Collection ID,Item ID,Field,EN,he\n")
    assert export("j.jsonl").startswith('{"Collection ID": "Products", "Item ID": ')


def test_round_trip(project: Path) -> None:
    edited = (
        ORIGINAL.replace("Geschenkbox", "Geschenkkarton")
        .replace("Welcome,Willkommen,,,", "Welcome,Willkommen,Bienvenue,,")
        .replace(",קופסת מתנה,", ",,")
    )
    write("c.csv", edited)
    result = run("import", "c.csv", "--sandbox", "--yes")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:10] == [
        "Changes c.csv would make (languages en, de, fr, he):",
        "  en (main) 0 added, 0 changed, 0 blanked",
        "  de        0 added, 1 changed, 0 blanked",
        "  fr        1 added, 0 changed, 0 blanked",
        "  he        0 added, 0 changed, 1 blanked",
        "  ja        0 added, 0 changed, 0 blanked",
        "Values on the site it replaces (key, language: on the site → from the file):",
        f"  Products|{ITEM1}|title, de: 'Geschenkbox' → 'Geschenkkarton'",
        f"  Products|{ITEM1}|title, he: 'קופסת מתנה' → ''",
        lines[9],
    ]
    assert lines[9].startswith("Backup of the rows it changed, as they were: .wixloc/backups/")
    backup = lines[9].split(": ", 1)[1]
    assert lines[10] == f"  (to undo the import: wixloc import {backup} --yes)"
    assert lines[11].endswith(": COMPLETED, 2 rows imported, 0 rejected.")
    assert lines[12:] == ["Verified by a fresh export: the site holds every imported value."]
    # the backup holds exactly the two rows, as the site had them
    header, *rows = ORIGINAL.splitlines()
    kept = [r for r in rows if r.startswith((f"Products,{ITEM1},title,", "Pages,p1,heading,"))]
    assert Path(backup).read_text(encoding="utf-8").splitlines() == [header, *kept]
    assert export("after.csv") == edited
    # and importing the backup undoes the import
    result = run("import", backup, "--sandbox", "--yes")
    assert result.exit_code == 0, result.output
    assert export("undone.csv") == ORIGINAL


def test_dry_run_changes_nothing(project: Path) -> None:
    write("c.csv", ORIGINAL.replace("Geschenkbox", "Geschenkkarton"))
    result = run("import", "c.csv", "--sandbox", "--dry-run")
    assert result.exit_code == 0
    assert result.stdout.endswith("Dry run: nothing was imported.\n")
    assert export("after.csv") == ORIGINAL
    jobs = run("jobs", "list", "--sandbox").stdout
    assert "file → localization" not in jobs and jobs.count("localization → file") == 2


def test_nothing_to_import(project: Path) -> None:
    write("c.csv", ORIGINAL)
    result = run("import", "c.csv", "--sandbox", "--yes")
    assert result.exit_code == 0
    assert result.stdout.endswith("The site already holds these values: nothing to import.\n")


def test_main_language_change_needs_update_source(project: Path) -> None:
    write("c.csv", ORIGINAL.replace("Welcome,", "Hello,"))
    result = run("import", "c.csv", "--sandbox", "--yes")
    assert result.exit_code == 2
    assert result.stderr == (
        "wixloc: error: the file changes main-language (en) text of 1 entry, e.g. "
        "Pages|p1|heading (pass --update-source to change the site's main-language text)\n"
    )
    assert "  en (main) 0 added, 1 changed, 0 blanked" in result.stdout
    result = run("import", "c.csv", "--sandbox", "--yes", "--update-source")
    assert result.exit_code == 0, result.output
    assert "Pages,p1,heading,Hello,Willkommen" in export("after.csv")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "Collection ID,Item ID,Field,de,en\nPages,p1,heading,a,b\n",
            "c.csv: the file's first language is 'de', but the site's main language is 'en' "
            "(put the en column first)",
        ),
        (
            "Collection ID,Item ID,Field,en,pt\nPages,p1,heading,a,b\n",
            "c.csv: language 'pt' is not enabled on the site (it has en, de, fr, he, ja)",
        ),
        (
            "Collection,Item ID,Field,en,de\nPages,p1,heading,a,b\n",
            "c.csv: the file's key columns (Collection, Item ID, Field) are not the site's "
            "(Collection ID, Item ID, Field) (import a file as 'wixloc export' wrote it, "
            "with its key columns)",
        ),
        (
            "Collection ID,Item ID,Field,en\nPages,p1,heading,a\n",
            "c.csv: the file has one language; an import needs the main language and at least "
            "one other",
        ),
        (
            "Collection ID,Item ID,Field,en,de\nPages,p1,heading,Hi {name},Hallo\n"
            "Pages,p1,body,<b>x</b>,<i>x</i>\n",
            "c.csv: 2 check errors, the first: line 2, Pages|p1|heading (de): placeholder-mismatch: "
            "placeholders differ from the source: missing {name} "
            "(run 'wixloc check c.csv' for all of them)",
        ),
        (
            "Collection ID,Item ID,Field,en,de\nPages,p1,heading,a,b,c\n",
            "c.csv:2: too many cells: the row has 6, the header has 5 "
            "(check for a missing or extra delimiter, or an unquoted line break)",
        ),
    ],
)
def test_refusals(project: Path, text: str, message: str) -> None:
    write("c.csv", text)
    result = run("import", "c.csv", "--sandbox", "--yes")
    assert (result.exit_code, result.stderr) == (2, f"wixloc: error: {message}\n")
    assert not (project / ".wixloc" / "backups").exists()


def test_confirmation(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write("c.csv", ORIGINAL.replace("Geschenkbox", "Geschenkkarton"))
    result = run("import", "c.csv", "--sandbox")  # no terminal to ask: never a silent "no"
    assert (result.exit_code, result.stderr) == (
        2,
        "wixloc: error: cannot ask 'Import 1 change into the site?' without a terminal "
        "(pass --yes to go ahead without asking, or --dry-run to see the changes first)\n",
    )
    assert export("after.csv") == ORIGINAL
    monkeypatch.setattr("wixloc.cli._remote.interactive", lambda: True)
    result = run("import", "c.csv", "--sandbox", input="n\n")
    assert result.exit_code == 0
    assert result.stdout.endswith("Cancelled: nothing was imported.\n")
    assert "Import 1 change into the site? [y/N]" in result.stderr
    result = run("import", "c.csv", "--sandbox", input="y\n")
    assert result.exit_code == 0 and "COMPLETED" in result.stdout


def test_only_the_named_languages_are_imported(project: Path) -> None:
    write("c.csv", ORIGINAL.replace("Geschenkbox", "Geschenkkarton").replace("Bougie", "Cierge"))
    result = run("import", "c.csv", "--sandbox", "--yes", "--languages", "fr")
    assert result.exit_code == 0, result.output
    assert "Changes c.csv would make (languages en, fr):" in result.stdout
    assert export("after.csv") == ORIGINAL.replace("Bougie", "Cierge")


def test_rows_the_site_does_not_have_are_listed_and_not_sent(project: Path) -> None:
    write("c.csv", ORIGINAL.replace("Bougie", "Cierge") + "Products,nope,title,X,Y,,,\n")
    result = run("import", "c.csv", "--sandbox", "--yes")
    assert result.exit_code == 0, result.output
    assert (
        "1 row for entries the site does not have (deleted, or never there), not sent:\n"
        "  Products|nope|title\n"
    ) in result.stdout
    assert masked(result.stdout).count("Job <job>: COMPLETED, 1 row imported, 0 rejected.") == 1
    assert export("after.csv") == ORIGINAL.replace("Bougie", "Cierge")


def test_partial_import_lists_rejected_rows_and_exits_3(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wixloc.sandbox import localization

    real = localization._import_row

    def deleted_meanwhile(
        ctx: Any, site: Any, number: int, row: dict[str, str], columns: Any
    ) -> None:
        if row["Item ID"] == ITEM2:  # the item was deleted between the export and the job
            ctx.reject(str(number), "WDE0073", "item does not exist")
            return
        real(ctx, site, number, row, columns)

    monkeypatch.setattr(localization, "_import_row", deleted_meanwhile)
    write("c.csv", ORIGINAL.replace("Bougie", "Cierge").replace("Geschenkbox", "Geschenkkarton"))
    result = run("import", "c.csv", "--sandbox", "--yes")
    assert result.exit_code == 3
    assert (
        "Rejected rows (row, key, code, reason):\n"
        f"  row 3  Products|{ITEM2}|title  WDE0073  item does not exist\n"
    ) in result.stdout
    assert result.stderr.startswith("wixloc: error: job ")
    assert result.stderr.endswith(" was only partly successful: 1 of 2 rows rejected\n")
    job_id = result.stderr.split()[3]
    logs = run("jobs", "logs", job_id, "--sandbox")
    assert logs.stdout == "3  WDE0073  item does not exist\n"


def test_values_that_did_not_stick_exit_3(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from wixloc.sandbox import localization

    real = localization._import_row

    def lossy(ctx: Any, site: Any, number: int, row: dict[str, str], columns: Any) -> None:
        if row["Collection ID"] == "Pages":
            ctx.ok()  # accepted, but silently not stored
            return
        real(ctx, site, number, row, columns)

    monkeypatch.setattr(localization, "_import_row", lossy)
    write("c.csv", ORIGINAL.replace("Welcome,Willkommen,,,", "Welcome,Willkommen,Bienvenue,,"))
    result = run("import", "c.csv", "--sandbox", "--yes")
    assert result.exit_code == 3
    assert (
        "Values that did not stick (key, language: sent / on the site):\n"
        "  Pages|p1|heading, fr: 'Bienvenue' / ''\n"
    ) in result.stdout
    assert result.stderr == (
        "wixloc: error: 1 imported value is not on the site after the import\n"
    )


def test_jobs_commands(project: Path) -> None:
    export()
    listed = run("jobs", "list", "--sandbox")
    job_id = listed.stdout.split()[0]
    shown = run("jobs", "show", job_id, "--sandbox").stdout.splitlines()
    assert shown[0] == f"id:        {job_id}"
    assert shown[2:5] == [
        "kind:      localization → file",
        "status:    COMPLETED",
        "progress:  5/5, 0 rejected",
    ]
    assert run("jobs", "logs", job_id, "--sandbox").stdout == "No movement logs.\n"
    assert run("jobs", "wait", job_id, "--sandbox").exit_code == 0
    assert run("jobs", "terminate", job_id, "--sandbox").stdout == f"Job {job_id}: COMPLETED\n"
    missing = run("jobs", "show", "nope", "--sandbox")
    assert missing.exit_code == 3
    assert missing.stderr.startswith(
        "wixloc: error: Wix API error: job does not exist [HTTP 404, JOB_NOT_FOUND, request id "
    )


# --- against a served sandbox, configured by the environment ---------------------------------


@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, dict[str, Any]]]:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(client_module, "PollPolicy", lambda: FAST_POLL)
    monkeypatch.setattr(client_module, "RetryPolicy", lambda: FAST_RETRY)
    app = make_sandbox(
        tmp_path / "served.db",
        api_key=KEY,
        seed=SEED,
        faults=Faults(fail_rate=0.15, burst_429=2, seed=3),
    )
    with running_server(app) as url:
        monkeypatch.setenv("WIX_API_URL", url)
        monkeypatch.setenv("WIX_API_KEY", KEY)
        monkeypatch.setenv("WIX_SITE_ID", SITE_ID)
        yield url, {"faults": app.faults}


def test_round_trip_against_a_served_sandbox_with_faults(
    served: tuple[str, dict[str, Any]],
) -> None:
    result = run("export", "-o", "c.csv")
    assert result.exit_code == 0, result.output
    assert Path("c.csv").read_text(encoding="utf-8") == ORIGINAL
    write("c.csv", ORIGINAL.replace("Geschenkbox", "Geschenkkarton"))
    result = run("import", "c.csv", "--yes")
    assert result.exit_code == 0, result.output
    assert "Verified by a fresh export" in result.stdout
    result = run("export", "-o", "after.csv")
    assert Path("after.csv").read_text(encoding="utf-8") == ORIGINAL.replace(
        "Geschenkbox", "Geschenkkarton"
    )
    injected = served[1]["faults"].injected
    assert injected.count(429) == 2 and 503 in injected


def test_wrong_key_exits_3_without_echoing_it(
    served: tuple[str, dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WIX_API_KEY", "wrong-key-5d1e")
    result = run("export", "-o", "c.csv")
    assert result.exit_code == 3
    assert result.stderr.startswith(
        "wixloc: error: Wix refused the request: the Authorization header holds an invalid API "
        "key [HTTP 401, UNAUTHENTICATED, request id "
    )
    assert result.stderr.endswith(
        "(check WIX_API_KEY and WIX_SITE_ID; the key needs the 'Manage Data Movement Jobs' "
        "permission)\n"
    )
    assert result.stderr.count("\n") == 1 and "wrong-key-5d1e" not in result.output
    assert not Path("c.csv").exists()


def test_missing_credentials(project: Path) -> None:
    result = run("export", "-o", "c.csv")
    assert result.exit_code == 2
    assert result.stderr == (
        "wixloc: error: WIX_API_KEY is not set (create an API key with the 'Manage Data "
        "Movement Jobs' permission, or use --sandbox)\n"
    )


def test_sandbox_reset(project: Path) -> None:
    result = run("sandbox", "reset", "--db", "x.db", "--seed", str(SEED))
    assert result.stdout == f"Reset x.db: site {SITE_ID} (en, de, fr, he, ja).\n"


def test_sandbox_serve_command(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PYTHONUNBUFFERED": "1",
        "PYTHONPATH": str(REPO / "src"),
    }
    args = [
        sys.executable,
        "-m",
        "wixloc",
        "sandbox",
        "serve",
        "--port",
        "0",
        "--db",
        str(tmp_path / "s.db"),
        "--seed",
        str(SEED),
        "--api-key",
        "k1",
        "--step-delay",
        "0",
    ]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline() for _ in range(5)]
        url = lines[1].split("=", 1)[1].strip()
        assert url.startswith("http://127.0.0.1:")
        assert lines[2:4] == ["  export WIX_API_KEY=k1\n", f"  export WIX_SITE_ID={SITE_ID}\n"]
        headers = {"Authorization": "k1", "wix-site-id": SITE_ID}
        answer = httpx.get(f"{url}/locale-settings/v2/settings", headers=headers)
        primary = answer.json()["settings"]["primaryLocale"]  # a Locale object (issue 16)
        assert (primary["id"], primary["languageCode"]) == ("en", "en")
    finally:
        proc.terminate()
        proc.wait(10)
        if proc.stdout is not None:
            proc.stdout.close()


# --- collections (the seed's other two flows) ------------------------------------------------

XMAS = '{"holidays": {"$hasSome": ["xmas"]}}'


def test_export_a_filtered_collection(served: tuple[str, dict[str, Any]]) -> None:
    result = run(
        "export",
        "--collection",
        "Products",
        "--filter",
        XMAS,
        "--fields",
        "title,price",
        "-o",
        "xmasProducts.csv",
    )
    assert result.exit_code == 0, result.output
    assert masked(result.stdout) == (
        "Job <job>: COMPLETED, 1 item exported, 0 rejected.\n"
        "Wrote xmasProducts.csv: 1 item of Products.\n"
    )
    assert Path("xmasProducts.csv").read_text(encoding="utf-8") == (
        f"_id,title,price\n{ITEM1},Gift box,12.5\n"
    )


def test_import_new_items_skipping_existing(project: Path) -> None:
    write("new.csv", f"_id,title,price\n{ITEM1},Gift crate,20\nnew-1,Sled,30\n")
    result = run("import", "new.csv", "--collection", "Products", "--sandbox", "--yes")
    assert result.exit_code == 3
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Backup of Products: .wixloc/backups/Products-")
    assert lines[1] == (
        "new.csv: 2 items into Products (SKIP_EXISTING): 1 new, "
        "1 already exists and will be skipped."
    )
    assert masked(lines[2]) == "Job <job>: PARTIALLY_SUCCESSFUL, 1 item imported, 1 rejected."
    assert lines[3:] == [
        "Movement logs (row or item, code, reason):",
        f"  {ITEM1}  WDE0074  item already exists",
    ]
    assert result.stderr.endswith(
        " was only partly successful: 1 of 2 items rejected (1 already existed)\n"
    )
    run("export", "--collection", "Products", "--fields", "title", "-o", "p.csv", "--sandbox")
    assert Path("p.csv").read_text(encoding="utf-8") == (
        f"_id,title\n{ITEM1},Gift box\n{ITEM2},Candle\nnew-1,Sled\n"
    )


def test_truncate_before_asks_naming_the_collection(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("wixloc.cli._remote.interactive", lambda: True)
    write("new.csv", "_id,title\nnew-1,Sled\n")
    args = [
        "import",
        "new.csv",
        "--collection",
        "Products",
        "--write-policy",
        "truncate-before",
        "--sandbox",
    ]
    result = run(*args, input="n\n")
    assert result.stderr == "Delete all 2 items of Products, then import 1 item? [y/N]: n\n"
    assert result.exit_code == 0 and result.stdout.endswith("Cancelled: nothing was imported.\n")
    result = run(*args, input="y\n")
    assert result.exit_code == 0, result.output
    run("export", "--collection", "Products", "--fields", "title", "-o", "p.csv", "--sandbox")
    assert Path("p.csv").read_text(encoding="utf-8") == "_id,title\nnew-1,Sled\n"
    backups = sorted((project / ".wixloc" / "backups").glob("Products-*.csv"))
    assert backups and ITEM1 in backups[-1].read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["export", "-o", "x.csv", "--collection", "P", "--languages", "en,de"],
            "--languages does not apply to a collection export",
        ),
        (
            ["export", "-o", "x.csv", "--filter", "{}"],
            "--filter, --fields and --site need --collection",
        ),
        (["import", "x.csv", "--site", "s"], "--site needs --collection"),
        (
            ["export", "-o", "x.csv", "--collection", "P", "--filter", "[1]"],
            '--filter must be a JSON object such as {"price": {"$gt": 10}}',
        ),
        (
            ["export", "-o", "x.csv", "--collection", "P", "--filter", "{x"],
            "--filter is not valid JSON: Expecting property name enclosed in double quotes at "
            'character 2 (for example --filter \'{"holidays": {"$hasSome": ["xmas"]}}\')',
        ),
    ],
)
def test_collection_option_errors(project: Path, args: list[str], message: str) -> None:
    result = run(*args, "--sandbox")
    assert (result.exit_code, result.stderr) == (2, f"wixloc: error: {message}\n")


def test_malformed_filter_is_a_clear_wdh0001(project: Path) -> None:
    result = run(
        "export",
        "--collection",
        "Products",
        "--filter",
        '{"price": {"$near": 1}}',
        "-o",
        "x.csv",
        "--sandbox",
    )
    assert result.exit_code == 3
    assert masked(result.stderr) == (
        "wixloc: error: job <job> failed: invalid filter: unknown operator '$near' on field "
        "'price' [WDH0001]\n"
    )
    assert result.stdout == "" and not Path("x.csv").exists()


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from wixloc.cli._remote import progress
    from wixloc.wix.wire import Job, Progress

    monkeypatch.delenv("CI", raising=False)  # a CI job's log never gets a bar
    steps = [Job("j", "IN_PROGRESS", progress=Progress(n, 4)) for n in (0, 2, 4)]
    quiet = io.StringIO()
    monkeypatch.setattr(sys, "stderr", quiet)
    with progress("Exporting") as update:
        for job in steps:
            update(job)
    assert quiet.getvalue() == ""
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with progress("Exporting") as update:
        for job in steps:
            update(job)
    shown = terminal.getvalue()
    assert "Exporting (IN_PROGRESS)" in shown and "4/4" in shown
