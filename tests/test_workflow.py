"""The round trip as one workflow, on the embedded sandbox: init, pull, push, status, demo."""

from __future__ import annotations

import json
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from wixloc.cli import cli
from wixloc.config import load_config
from wixloc.demo import run_demo
from wixloc.formats import load_table
from wixloc.model import Language
from wixloc.site.connect import open_client
from wixloc.site.localization import export_content, import_content
from wixloc.site.project import Project


@pytest.fixture
def project(sandbox_project: Path) -> Path:
    return sandbox_project


def run(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def fill(path: Path, prefix: str = "DE ") -> int:
    """Translate every untranslated entry as an outside tool would (polib)."""
    po = polib.pofile(str(path))
    count = 0
    for entry in po:
        if not entry.msgstr:
            entry.msgstr = prefix + entry.msgid if not entry.msgid.startswith("<") else entry.msgid
            count += 1
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.save()
    return count


def test_init_writes_the_site_languages(project: Path, runner: CliRunner) -> None:
    config = load_config(project / "wixloc.toml", env={})
    assert config.sandbox and config.languages == ["en", "de", "fr", "he", "ja"]
    assert (project / ".wixloc" / ".gitignore").read_text().startswith("# Keep state.json")
    code, _out, err = run(runner, "init", "--sandbox")
    assert code == 2
    assert (
        err
        == f"wixloc: error: {project / 'wixloc.toml'} exists already (pass --force to overwrite it)\n"
    )


def test_pull_push_pull(project: Path, runner: CliRunner) -> None:
    code, out, _ = run(runner, "pull")
    assert code == 0
    lines = out.splitlines()
    assert lines[1].split()[:3] == ["de", "translations/content.de.po", "67"]
    de = project / "translations" / "content.de.po"
    assert sorted(p.name for p in de.parent.iterdir()) == [
        "content.de.po", "content.fr.po", "content.he.po", "content.ja.po",
    ]  # fmt: skip
    # seven were pre-filled from identical sources, marked fuzzy (without a TMX the site's own
    # translations give exact matches only: no fuzzy search on every pull)
    assert fill(de) == 60

    code, _out, err = run(runner, "pull")  # would overwrite the translator's work
    assert code == 2
    assert err == (
        "wixloc: error: translations/content.de.po was changed after the last pull and has not "
        "been pushed (run 'wixloc push' first, or pass --force to overwrite it)\n"
    )

    code, out, _ = run(runner, "push", "--yes")
    assert code == 0, out
    assert "merged de: 67 applied, 0 unchanged" in out
    assert ": COMPLETED, " in out
    assert "Verified by a fresh export: the site holds every imported value." in out

    code, out, _ = run(runner, "status")
    assert code == 0
    rows = {line.split()[0]: line.split()[1:] for line in out.splitlines()[2:6]}
    assert rows["de"] == ["144", "0", "0", "100.0%"]
    assert rows["fr"] == ["90", "54", "0", "62.5%"]

    code, out, _ = run(runner, "pull")  # only what is still missing
    assert code == 0
    assert "de        (nothing to translate)" in out
    assert not de.exists()
    fr = polib.pofile(str(project / "translations" / "content.fr.po"))
    assert (
        len([e for e in fr if not e.obsolete]) == 106
    )  # 54 cells: 47 texts, 7 documents in 59 segments


def test_a_changed_source_is_sent_as_stale(project: Path, runner: CliRunner) -> None:
    assert run(runner, "pull")[0] == 0
    client = open_client(sandbox=True, root=project)
    site = project / "site.csv"
    export_content(client, site)
    table = load_table(site)
    entry = next(e for e in table.entries if e.key[2] == "title" and e.text(Language("de")))
    old = entry.texts[Language("en")]
    entry.texts[Language("en")] = old + " (new edition)"
    from wixloc.formats import save_table

    save_table(table, site)
    result = import_content(client, site, update_source=True, project=Project(project))
    assert result.error() is None

    code, out, _ = run(runner, "pull", "--force")
    assert code == 0
    assert out.splitlines()[1].split()[:4] == ["de", "translations/content.de.po", "68", "1984"]
    po = polib.pofile(str(project / "translations" / "content.de.po"))
    stale = next(e for e in po if e.msgid == old + " (new edition)")
    assert stale.previous_msgid == old
    assert "fuzzy" in stale.flags
    assert stale.msgstr == entry.texts[Language("de")]
    code, out, _ = run(runner, "status")
    assert out.splitlines()[3].split() == ["de", "111", "33", "1", "77.1%"]


def test_a_check_error_stops_the_push(project: Path, runner: CliRunner) -> None:
    assert run(runner, "pull")[0] == 0
    de = project / "translations" / "content.de.po"
    fill(de)
    po = polib.pofile(str(de))
    broken = next(e for e in po if "{" in e.msgid)
    broken.msgstr = "ohne Platzhalter"
    po.save()
    code, out, _ = run(runner, "push", "--yes")
    assert code == 1
    assert "check: 1 error" in out
    assert f"  error de {broken.msgctxt}: placeholder-mismatch: " in out
    assert out.endswith("nothing imported: fix the errors in the translator files and push again\n")
    reports = list((project / ".wixloc" / "reports").glob("*.html"))
    assert len(reports) == 1
    code, out, _ = run(runner, "status")
    assert out.splitlines()[3].split()[-1] == "77.1%"  # nothing reached the site


def test_dry_run_imports_nothing(project: Path, runner: CliRunner) -> None:
    assert run(runner, "pull")[0] == 0
    fill(project / "translations" / "content.de.po")
    code, out, _ = run(runner, "push", "--dry-run")
    assert code == 0
    assert out.endswith("nothing imported (dry run)\n")
    state = json.loads((project / ".wixloc" / "state.json").read_text())
    assert len(state["out"]) == 4  # still out: nothing was accepted


def test_demo_runs_the_whole_round_trip(tmp_path: Path) -> None:
    said: list[str] = []
    result = run_demo(tmp_path / "demo", said.append)
    assert result.before == {"de": 77.1, "fr": 62.5, "he": 39.6, "ja": 28.5}
    assert result.after == {"de": 100.0, "fr": 100.0, "he": 100.0, "ja": 100.0}
    assert [p.name for p in result.files] == [f"content.{t}.po" for t in ("de", "fr", "he", "ja")]
    assert result.report is not None
    html = result.report.read_text(encoding="utf-8")
    assert "<svg" in html and "http://" not in html.replace("http://www.w3.org", "")
    text = "\n".join(said)
    assert "4. check   0 errors, 0 warnings in 4 files" in text
    assert "             de    77.1% → 100.0%" in text
    again = run_demo(tmp_path / "demo", said.append)  # a demo folder is replaced
    assert again.after == result.after


def test_demo_refuses_a_folder_it_did_not_make(tmp_path: Path) -> None:
    (tmp_path / "mine.txt").write_text("keep me")
    from wixloc.errors import UsageError

    with pytest.raises(UsageError, match="is not empty and was not made by 'wixloc demo'"):
        run_demo(tmp_path, print)
    assert (tmp_path / "mine.txt").exists()


def test_pull_never_overwrites_translator_work(project: Path, runner: CliRunner) -> None:
    assert run(runner, "pull")[0] == 0
    fr = project / "translations" / "content.fr.po"
    fill(project / "translations" / "content.de.po")
    assert run(runner, "push", "--yes")[0] == 0
    # the agency sends a corrected German file after the push, and French comes back
    de = project / "translations" / "content.de.po"
    de.write_text(de.read_text(encoding="utf-8").replace("DE ", "DE: "), encoding="utf-8")
    code, _out, err = run(runner, "pull")
    assert (code, err) == (
        2,
        "wixloc: error: translations/content.de.po was changed after it was pushed "
        "(run 'wixloc push' first, or pass --force to overwrite it)\n",
    )
    assert run(runner, "pull", "--force")[0] == 0
    assert fr.exists()


def test_pull_never_overwrites_a_file_it_did_not_write(project: Path, runner: CliRunner) -> None:
    mine = project / "translations" / "content.he.po"
    mine.parent.mkdir()
    mine.write_text("# my own notes\n", encoding="utf-8")
    code, _out, err = run(runner, "pull")
    assert (code, err) == (
        2,
        "wixloc: error: translations/content.he.po is not a file that the last pull wrote "
        "(run 'wixloc push' first, or pass --force to overwrite it)\n",
    )
    assert mine.read_text(encoding="utf-8") == "# my own notes\n"
    assert not (project / ".wixloc" / "snapshots").exists()  # refused before the export
