"""Issue 18: the commands as a user expects them (status before a pull, bare wixloc, --json,
pull --dry-run and --languages)."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from tests.conftest import REPO
from wixloc.cli import cli


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, runner: CliRunner) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("WIX_API_KEY", "WIX_SITE_ID", "WIX_ACCOUNT_ID", "WIX_API_URL"):
        monkeypatch.delenv(name, raising=False)
    result = runner.invoke(cli, ["init", "--sandbox"])
    assert result.exit_code == 0, result.output
    return tmp_path


def _files(root: Path) -> set[str]:
    """Every file under *root* but the sandbox's own store (the site, not the project)."""
    return {
        str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and p.name != "sandbox.db"
    }


def test_bare_wixloc_shows_the_help_and_succeeds(runner: CliRunner) -> None:
    result = runner.invoke(cli, [], prog_name="wixloc")
    assert result.exit_code == 0
    assert result.stdout.startswith("Usage: wixloc [OPTIONS] [COMMAND] [ARGS]...")
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
    assert de == {
        "language": "de", "main": False, "translated": 107, "missing": 27, "stale": 0,
        "total": 134, "coverage": 79.9,
    }  # fmt: skip
    assert text[3].split()[:4] == ["de", "107", "27", "0"]
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
    assert job["current"] == job["total"] == 134 and job["rejected"] == 0
    assert job["id"] in runner.invoke(cli, ["jobs", "list", "--sandbox"]).stdout


def test_pull_dry_run_writes_nothing(project: Path, runner: CliRunner) -> None:
    before = _files(project)
    result = runner.invoke(cli, ["pull", "--dry-run"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[1].split()[:3] == ["de", "translations/content.de.po", "27"]
    assert lines[-1] == "dry run: nothing written"
    assert "Exported 134 entries (dry run: not kept)" in result.stderr
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


def _walk(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found: list[tuple[str, click.Command]] = []
    for name, command in sorted(group.commands.items()):
        found.append((prefix + name, command))
        if isinstance(command, click.Group):
            found.extend(_walk(command, prefix + name + " "))
    return found


def test_every_short_flag_has_one_meaning_across_the_cli() -> None:
    meanings: dict[str, set[tuple[str, ...]]] = {}
    for _name, command in _walk(cli):
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
