"""Issue 18: the commands as a user expects them (status before a pull, bare wixloc, --json,
pull --dry-run and --languages)."""

from __future__ import annotations

import contextlib
import dataclasses
import io
import json
import shutil
import sys
from pathlib import Path

import click
import polib
import pytest
from click.testing import CliRunner

from tests.conftest import REPO
from tests.support.cli import named_commands
from wixloc import formats
from wixloc.checks import CheckConfig, check_files
from wixloc.cli import cli
from wixloc.cli._progress import bar
from wixloc.coverage import coverage
from wixloc.formats import load_table
from wixloc.progress import counted
from wixloc.pseudo import pseudo_file
from wixloc.roundtrip.files import convert_file, iter_split_files, merge_files
from wixloc.stats import compute_stats
from wixloc.wix.client import WixClient
from wixloc.wix.wire import Job, Progress

SAMPLE_ENTRIES = len(load_table(REPO / "samples" / "content.csv"))  # the sandbox's seed


@pytest.fixture
def project(sandbox_project: Path) -> Path:
    return sandbox_project


def _files(root: Path) -> set[str]:
    """Every file under *root* but the sandbox's own store (the site, not the project)."""
    return {
        str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and p.name != "sandbox.db"
    }


def test_bare_wixloc_shows_the_help_and_succeeds(runner: CliRunner) -> None:
    result = runner.invoke(cli, [], prog_name="wixloc")
    assert result.exit_code == 0
    assert result.stdout.startswith("Usage: wixloc [OPTIONS] COMMAND [ARGS]...")
    assert "Commands:" in result.stdout


def test_status_before_any_pull_is_not_an_error(project: Path, runner: CliRunner) -> None:
    result = runner.invoke(cli, ["status"])
    assert result.exit_code == 0
    assert result.stdout == "no pull yet: run 'wixloc pull'\n"
    assert result.stderr == ""
    result = runner.invoke(cli, ["status", "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "snapshot": None, "languages": [], "out": [], "interrupted": [],
    }  # fmt: skip


def test_status_json_has_the_numbers_of_the_table(project: Path, runner: CliRunner) -> None:
    assert runner.invoke(cli, ["pull"]).exit_code == 0
    text = runner.invoke(cli, ["status"]).stdout.splitlines()
    data = json.loads(runner.invoke(cli, ["status", "--json"]).stdout)
    assert data["snapshot"] == text[0].removeprefix("snapshot: ")
    de = next(row for row in data["languages"] if row["language"] == "de")
    snapshot = load_table(project / data["snapshot"])
    counted_de = next(c for c in coverage(snapshot) if c.language.tag == "de")
    assert de == {
        "language": "de", "main": False, "translated": counted_de.filled,
        "missing": counted_de.missing, "stale": 0, "total": counted_de.total,
        "coverage": counted_de.percent,
    }  # fmt: skip
    assert counted_de.missing > 0
    assert text[3].split()[:4] == ["de", str(de["translated"]), str(de["missing"]), "0"]
    assert [o["path"] for o in data["out"]] == [
        f"translations/content.{t}.po" for t in ("de", "fr", "he", "ja")
    ]


def test_jobs_list_json(project: Path, runner: CliRunner) -> None:
    assert runner.invoke(cli, ["pull"]).exit_code == 0
    result = runner.invoke(cli, ["jobs", "list", "--json", "--sandbox"])
    assert result.exit_code == 0, result.output
    (job,) = json.loads(result.stdout)
    assert job["status"] == "COMPLETED"
    assert (job["source"], job["destination"]) == ("localization", "file")
    assert job["current"] == job["total"] == SAMPLE_ENTRIES and job["rejected"] == 0
    assert job["id"] in runner.invoke(cli, ["jobs", "list", "--sandbox"]).stdout


def test_pull_dry_run_writes_nothing(project: Path, runner: CliRunner) -> None:
    before = _files(project)
    result = runner.invoke(cli, ["pull", "--dry-run"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[1].split()[:2] == ["de", "translations/content.de.po"]
    assert lines[-1] == "dry run: nothing written"
    assert f"Exported {SAMPLE_ENTRIES} entries (dry run: not kept)" in result.stderr
    assert _files(project) == before
    # the real pull afterwards writes the same files, and is the first (the baseline)
    result = runner.invoke(cli, ["pull"])
    assert result.stdout.splitlines()[:5] == lines[:5]
    assert "First pull" in result.stderr


def test_pull_languages_writes_only_those(project: Path, runner: CliRunner) -> None:
    result = runner.invoke(cli, ["pull", "--languages", "DE,fr"])
    assert result.exit_code == 0, result.output
    assert [line.split()[0] for line in result.stdout.splitlines()[1:]] == ["de", "fr"]
    assert sorted(p.name for p in (project / "translations").iterdir()) == [
        "content.de.po", "content.fr.po",
    ]  # fmt: skip
    # a later pull of he keeps the records of de and fr
    assert runner.invoke(cli, ["pull", "-l", "he"]).exit_code == 0
    data = json.loads(runner.invoke(cli, ["status", "--json"]).stdout)
    assert sorted(o["language"] for o in data["out"]) == ["de", "fr", "he"]


def test_pull_languages_unknown_is_refused_before_the_export(
    project: Path, runner: CliRunner
) -> None:
    result = runner.invoke(cli, ["pull", "--languages", "de,xx"])
    assert result.exit_code == 2
    assert result.stderr == (
        "wixloc: error: --languages names xx, not a target language of the site "
        "(the site's target languages: de, fr, he, ja)\n"
    )
    assert not (project / ".wixloc" / "snapshots").exists() or not any(
        (project / ".wixloc" / "snapshots").iterdir()
    )


# --- one meaning per short flag ----------------------------------------------------------------


def test_every_short_flag_has_one_meaning_across_the_cli() -> None:
    meanings: dict[str, set[tuple[str, ...]]] = {}
    for _name, command in named_commands(cli):
        for param in command.params:
            if not isinstance(param, click.Option):
                continue
            longs = tuple(sorted(o for o in param.opts if o.startswith("--")))
            for opt in (*param.opts, *param.secondary_opts):
                if not opt.startswith("--"):
                    meanings.setdefault(opt, set()).add(longs)
    assert {flag: len(longs) for flag, longs in meanings.items() if len(longs) > 1} == {}
    assert meanings["-l"] == {("--languages",)}
    assert meanings["-o"] == {("--output",)}


def test_split_has_dash_l(runner: CliRunner, tmp_path: Path) -> None:
    table = REPO / "samples" / "content.csv"
    result = runner.invoke(
        cli, ["split", str(table), "--to", "po", "-l", "de", "--out-dir", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert [p.name for p in tmp_path.iterdir()] == ["content.de.po"]


def test_pseudo_language_still_works_with_a_deprecation_line(
    runner: CliRunner, tmp_path: Path
) -> None:
    table, out = REPO / "samples" / "content.csv", tmp_path / "p.csv"
    old = runner.invoke(cli, ["pseudo", str(table), "--language", "de", "--all", "-o", str(out)])
    assert old.exit_code == 0, old.output
    assert old.stderr == "wixloc: --language is deprecated; use --languages\n"
    first = out.read_bytes()
    new = runner.invoke(cli, ["pseudo", str(table), "--languages", "de", "--all", "-o", str(out)])
    assert (new.exit_code, new.stderr, new.stdout) == (0, "", old.stdout)
    assert out.read_bytes() == first
    missing = runner.invoke(cli, ["pseudo", str(table), "-o", str(out)])
    assert missing.exit_code == 2
    assert "Missing option '--languages' / '-l'." in missing.stderr


def test_convert_target_language_and_the_old_name(runner: CliRunner, tmp_path: Path) -> None:
    table = REPO / "samples" / "content.csv"
    new, old = tmp_path / "new.de.po", tmp_path / "old.de.po"
    result = runner.invoke(cli, ["convert", str(table), str(new), "--target-language", "de"])
    assert (result.exit_code, result.stderr.count("deprecated")) == (0, 0)
    result = runner.invoke(cli, ["convert", str(table), str(old), "--language", "de"])
    assert result.exit_code == 0
    assert result.stderr.startswith("wixloc: --language is deprecated; use --target-language\n")
    assert new.read_bytes() == old.read_bytes()


# --- progress --------------------------------------------------------------------------------


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_counted_reports_counts_at_the_start_every_n_and_at_the_end() -> None:
    calls: list[tuple[int, int | None]] = []
    assert list(counted(range(5), lambda d, t: calls.append((d, t)), 5, every=2)) == [0, 1, 2, 3, 4]
    assert calls == [(0, 5), (2, 5), (4, 5), (5, 5)]
    calls.clear()
    list(counted(iter("abc"), lambda d, t: calls.append((d, t)), every=2))
    assert calls == [(0, None), (2, None), (3, 3)]  # the total is known at the end


def test_library_functions_report_progress_with_counts(tmp_path: Path) -> None:
    calls: list[tuple[int, int | None]] = []
    table = REPO / "samples" / "content.csv"
    written = pseudo_file(
        table, tmp_path / "p.csv", ["de"], on_progress=lambda d, t: calls.append((d, t))
    )
    n = SAMPLE_ENTRIES
    assert written > 0 and calls[0] == (0, n) and calls[-1] == (n, n)
    calls.clear()
    rows: list[tuple[int, int | None]] = []
    compute_stats(table, on_progress=lambda d, t: rows.append((d, t)))
    # rows as read (a rich-text cell is a row per segment): the total given at the end
    last, total = rows[-1]
    assert rows[0] == (0, None) and last == total and last >= n
    calls.clear()
    files = [
        p
        for p, _ in iter_split_files(
            table, "xlsx", out_dir=tmp_path, on_progress=lambda d, t: calls.append((d, t))
        )
    ]
    assert len(files) == 4 and calls == [(0, 4), (1, 4), (2, 4), (3, 4), (4, 4)]
    calls.clear()
    check_files(files[:2], CheckConfig(), on_progress=lambda d, t: calls.append((d, t)))
    assert calls == [(0, 2), (1, 2), (2, 2)]
    calls.clear()
    merge_files(table, files[:3], tmp_path / "m.csv", on_progress=lambda d, t: calls.append((d, t)))
    assert calls == [(0, 3), (1, 3), (2, 3), (3, 3)]
    calls.clear()
    convert_file(table, tmp_path / "c.jsonl", on_progress=lambda d, t: calls.append((d, t)))
    assert calls == [(0, 2), (1, 2), (2, 2)]  # read, written


@pytest.mark.parametrize(
    "args",
    [
        ["pseudo", "content.csv", "-l", "de", "-o", "p.csv"],
        ["stats", "content.csv"],
        ["split", "content.csv", "--to", "po"],
        ["check", "content.csv"],
        ["convert", "content.csv", "c.jsonl"],
        ["merge", "content.csv", "content.de.po", "-o", "m.csv"],
    ],
    ids=lambda a: a[0],
)
def test_a_bar_only_on_a_terminal_and_never_in_ci(
    args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copy(REPO / "samples" / "content.csv", tmp_path)
    assert (
        CliRunner().invoke(cli, ["split", "content.csv", "--to", "po", "-l", "de"]).exit_code == 0
    )
    monkeypatch.delenv("CI", raising=False)
    for stream, ci, drawn in ((io.StringIO(), None, False), (_Terminal(), "true", False),
                              (_Terminal(), None, True)):  # fmt: skip
        if ci is not None:
            monkeypatch.setenv("CI", ci)
        else:
            monkeypatch.delenv("CI", raising=False)
        monkeypatch.setattr(sys, "stderr", stream)
        with contextlib.suppress(SystemExit):
            cli.main(args, prog_name="wixloc", standalone_mode=True)
        shown = stream.getvalue()
        if drawn:
            assert "/s" in shown and any(f"{n}/{n}" in shown for n in (1, 2, 4, SAMPLE_ENTRIES)), (
                shown
            )
        else:
            assert "/s" not in shown and "%" not in shown


def test_the_bar_shows_count_percent_and_rate(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with bar("Working", "rows") as update:
        update(0, 10)
        update(5, 10)
        update(10, 10)
    shown = terminal.getvalue()
    assert "Working" in shown and "10/10" in shown and "100%" in shown and "rows/s" in shown


# --- Ctrl+C during a job -----------------------------------------------------------------------


def test_ctrl_c_during_export_names_the_job(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    import wixloc.cli.export as export_module

    def interrupted(client: object, path: Path, **kwargs: object) -> None:
        on_progress = kwargs["on_progress"]
        assert callable(on_progress)
        on_progress(Job("job-42", "IN_PROGRESS", progress=Progress(10, 134)))
        raise KeyboardInterrupt

    monkeypatch.setattr(export_module, "export_content", interrupted)
    result = runner.invoke(cli, ["export", "-o", "out.csv", "--sandbox"])
    assert result.exit_code == 130
    assert result.stderr == (
        "wixloc: job job-42 goes on running on the site; follow it with "
        "'wixloc jobs wait job-42' or stop it with 'wixloc jobs terminate job-42'\n"
        "wixloc: interrupted\n"
    )


def test_ctrl_c_in_the_clients_sleep_during_import(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real flow: the import job was submitted and polled; Ctrl+C while waiting to poll."""
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(cli, ["export", "-o", "c.csv", "--sandbox"]).exit_code == 0
    args = ["pseudo", "c.csv", "-l", "de", "--all", "-o", "changed.csv"]
    assert runner.invoke(cli, args).exit_code == 0
    original = WixClient.get_job

    def sleep(seconds: float) -> None:
        raise KeyboardInterrupt

    def get_job(self: WixClient, job_id: str) -> Job:
        job = original(self, job_id)
        if "file" not in job.source:  # the plan's exports finish as they do
            return job
        self.sleep = sleep  # the poll's wait is where Ctrl+C lands
        return dataclasses.replace(job, status="IN_PROGRESS")

    monkeypatch.setattr(WixClient, "get_job", get_job)
    result = runner.invoke(cli, ["import", "changed.csv", "--sandbox", "--yes"])
    assert result.exit_code == 130
    *_, named, last = result.stderr.splitlines()
    assert last == "wixloc: interrupted"
    job_id = named.split()[2]
    assert named == (
        f"wixloc: job {job_id} goes on running on the site; follow it with "
        f"'wixloc jobs wait {job_id}' or stop it with 'wixloc jobs terminate {job_id}'"
    )


# --- folders -----------------------------------------------------------------------------------


def test_check_a_folder_checks_every_translator_file_in_it(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copy(REPO / "samples" / "content.csv", tmp_path)
    args = ["split", "content.csv", "--to", "po", "-l", "de,fr", "--out-dir", "translations"]
    assert runner.invoke(cli, args).exit_code == 0
    (tmp_path / "translations" / "notes.txt").write_text("not a translator file\n")
    (tmp_path / "translations" / "sub").mkdir()
    by_folder = runner.invoke(cli, ["check", "translations", "--format", "json"])
    by_files = runner.invoke(
        cli,
        ["check", "translations/content.de.po", "translations/content.fr.po", "--format", "json"],
    )
    assert by_folder.exit_code == by_files.exit_code
    assert json.loads(by_folder.stdout) == json.loads(by_files.stdout)
    assert json.loads(by_folder.stdout)["summary"]["files"] == [
        "translations/content.de.po", "translations/content.fr.po",
    ]  # fmt: skip


def test_check_a_folder_without_translator_files(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["check", str(tmp_path)])
    assert result.exit_code == 2
    known = ", ".join(sorted(formats.extensions("translator")))  # the registry's
    assert {".po", ".xlf", ".xlsx"} <= set(formats.extensions("translator"))
    assert result.stderr == (
        f"wixloc: error: {tmp_path}: is a folder with no translator files ({known}) in it\n"
    )


FOLDER_CASES = [
    ["info", "d"],
    ["convert", "d", "x.csv"],
    ["convert", "content.csv", "d"],
    ["stats", "d"],
    ["stats", "content.csv", "--against", "d"],
    ["pseudo", "d", "-l", "de", "-o", "x.csv"],
    ["pseudo", "content.csv", "-l", "de", "-o", "d"],
    ["split", "d", "--to", "po"],
    ["merge", "d", "x.po", "-o", "x.csv"],
    ["merge", "content.csv", "d", "-o", "x.csv"],
    ["merge", "content.csv", "x.po", "-o", "d"],
    ["check", "content.csv", "--against", "d"],
    ["check", "content.csv", "-o", "d"],
    ["import", "d", "--sandbox", "--dry-run"],
    ["export", "-o", "d", "--sandbox"],
    ["status", "--config", "d"],
]


@pytest.mark.parametrize("args", FOLDER_CASES, ids=" ".join)
def test_one_wording_for_a_folder_where_a_file_is_expected(
    args: list[str], runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copy(REPO / "samples" / "content.csv", tmp_path)
    (tmp_path / "d").mkdir()
    assert runner.invoke(cli, ["convert", "content.csv", "x.po", "--target-language", "de"])
    result = runner.invoke(cli, args)
    assert (result.exit_code, result.stderr) == (2, "wixloc: error: d: is a folder, not a file\n")


def test_a_file_where_a_folder_is_expected(runner: CliRunner, tmp_path: Path) -> None:
    table = REPO / "samples" / "content.csv"
    result = runner.invoke(cli, ["split", str(table), "--to", "po", "--out-dir", str(table)])
    assert (result.exit_code, result.stderr) == (
        2, f"wixloc: error: {table}: is a file, not a folder\n",
    )  # fmt: skip


# --- info on a translator file ---------------------------------------------------------------------


def test_info_on_a_translator_file(runner: CliRunner, tmp_path: Path) -> None:
    table, po = REPO / "samples" / "content.csv", tmp_path / "content.de.po"
    assert runner.invoke(cli, ["convert", str(table), str(po), "--target-language", "de"])
    entries = polib.pofile(str(po))
    empty = [e for e in entries if not e.msgstr]
    empty[0].msgstr = "Übersetzt"
    empty[1].msgstr, empty[1].flags = "Vorschlag", ["fuzzy"]
    entries.save()
    total, new = len(entries), len(empty) - 2
    fuzzy = len([e for e in entries if "fuzzy" in e.flags])
    done = total - new - fuzzy
    result = runner.invoke(cli, ["info", str(po)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"{po}: {total} units, en (English) to de (German), po",
        "",
        "state          units",
        f"new           {new:>6}",
        f"needs-review  {fuzzy:>6}",
        f"translated    {done:>6}",
        "reviewed           0",
        "final              0",
        "",
        f"done: {done}/{total} ({100 * done / total:.1f}%)",
    ]
    data = json.loads(runner.invoke(cli, ["info", str(po), "--json"]).stdout)
    assert data["states"] == {
        "new": new, "needs-review": fuzzy, "translated": done, "reviewed": 0, "final": 0,
    }  # fmt: skip
    assert (data["source_language"], data["target_language"], data["done"]) == ("en", "de", done)
    assert new > 0 and fuzzy >= 1 and done > 1


def test_push_dry_run_writes_no_backup(project: Path, runner: CliRunner) -> None:
    """Item 13 of issue 18 for push: the dry run exports (to plan) but backs nothing up."""
    assert runner.invoke(cli, ["pull"]).exit_code == 0
    po = polib.pofile(str(project / "translations" / "content.de.po"))
    for entry in po:
        entry.msgstr = entry.msgstr or entry.msgid
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.save()
    result = runner.invoke(cli, ["push", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "nothing imported (dry run)"
    backups = project / ".wixloc" / "backups"
    assert not backups.exists() or list(backups.iterdir()) == []


def test_the_bar_of_an_unknown_total_counts_then_shows_the_total(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CI", raising=False)
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with bar("Reading", "rows") as update:
        update(0, None)
        update(500, None)
        update(700, 700)  # the end: the total is known
    frames = terminal.getvalue().split("\r")
    assert "/0" not in terminal.getvalue()
    assert "Reading" in frames[-2] and " 500 " in frames[-2] and "rows/s" in frames[-2]
    assert "700/700" in frames[-1]


def test_a_new_job_status_is_drawn_without_a_step(monkeypatch: pytest.MonkeyPatch) -> None:
    from wixloc.cli._remote import progress

    monkeypatch.delenv("CI", raising=False)
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with progress("Exporting") as update:
        update(Job("j", "INITIALIZING", progress=Progress(0, 4)))
        update(Job("j", "IN_PROGRESS", progress=Progress(0, 4)))
    assert "Exporting (INITIALIZING)" in terminal.getvalue()
    assert "Exporting (IN_PROGRESS)" in terminal.getvalue()
