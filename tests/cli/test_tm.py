"""``wixloc tm export`` end to end on a project made with the embedded sandbox."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from tests.conftest import DATA
from wixloc.cli import cli
from wixloc.formats import load_table
from wixloc.fsutil import open_input
from wixloc.model import format_key
from wixloc.tm.memory import Band, TranslationMemory
from wixloc.tm.tmx import read_tmx


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, runner: CliRunner) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("WIX_API_KEY", "WIX_SITE_ID", "WIX_ACCOUNT_ID", "WIX_API_URL"):
        monkeypatch.delenv(name, raising=False)
    result = runner.invoke(cli, ["init", "--sandbox"])
    assert result.exit_code == 0, result.output
    return tmp_path


def test_export_before_any_pull(project: Path, runner: CliRunner) -> None:
    result = runner.invoke(cli, ["tm", "export"])
    assert result.exit_code == 2
    assert result.stderr == "wixloc: error: no snapshot of the site yet (run 'wixloc pull' first)\n"


def test_export_after_pull(project: Path, runner: CliRunner) -> None:
    assert runner.invoke(cli, ["pull"]).exit_code == 0
    (snapshot,) = sorted((project / ".wixloc" / "snapshots").glob("*.csv"))
    table = load_table(snapshot)
    main = table.main_language
    translated = [
        e
        for e in table.entries
        if e.text(main) and any(e.texts[lang] for lang in table.languages[1:])
    ]

    result = runner.invoke(cli, ["tm", "export", "-o", "site.tmx"])
    assert result.exit_code == 0, result.output
    rel = snapshot.relative_to(project).as_posix()
    assert result.stdout == f"Wrote {len(translated)} translation units to site.tmx (from {rel})\n"

    data = (project / "site.tmx").read_bytes()
    dtd = etree.DTD(str(DATA / "tmx" / "tmx14.dtd"))
    assert dtd.validate(etree.fromstring(data, etree.XMLParser(resolve_entities=False)))
    with open_input(project / "site.tmx") as fh:
        tmx = read_tmx(fh, "site.tmx")
    assert tmx.source_language == "en"
    first, unit = translated[0], tmx.units[0]
    assert unit.key == format_key(first.key)
    assert unit.props == [
        ("x-collection", first.key[0]),
        ("x-item", first.key[1]),
        ("x-field", first.key[2]),
    ]
    assert unit.texts == {lang.tag: text for lang, text in first.texts.items() if text}
    stamp = re.match(r"(\d{8})-(\d{6})", snapshot.name)
    assert stamp is not None
    assert set(unit.created.values()) == {f"{stamp.group(1)}T{stamp.group(2)}Z"}

    # the export is a memory for the next pull: every translated key is an in-context match
    tm = TranslationMemory.from_tmx([project / "site.tmx"])
    de = table.language("de")
    for entry in translated:
        if entry.texts[de]:
            match = tm.best("en", entry.text(main), "de", format_key(entry.key))
            assert match is not None and match.band is Band.IN_CONTEXT
            assert match.target == entry.texts[de]


def test_the_default_output_name(project: Path, runner: CliRunner) -> None:
    assert runner.invoke(cli, ["pull"]).exit_code == 0
    result = runner.invoke(cli, ["tm", "export"])
    assert result.exit_code == 0, result.output
    assert (project / "site.tmx").is_file()


def test_an_output_that_cannot_be_written(project: Path, runner: CliRunner) -> None:
    assert runner.invoke(cli, ["pull"]).exit_code == 0
    (project / "site.tmx").mkdir()
    result = runner.invoke(cli, ["tm", "export", "-o", "site.tmx"])
    assert result.exit_code == 2
    # the one wording of a folder where a file is expected (issue 18)
    assert result.stderr == "wixloc: error: site.tmx: is a folder, not a file\n"


def test_pull_and_stats_count_the_same(project: Path, runner: CliRunner) -> None:
    """The issue's symptom: pull, stats on the PO file and stats on the table disagreed."""
    result = runner.invoke(cli, ["pull"])
    assert result.exit_code == 0
    pulled = next(line for line in result.stdout.splitlines() if line.startswith("de "))
    (snapshot,) = (project / ".wixloc" / "snapshots").glob("*.csv")
    po = runner.invoke(cli, ["stats", "translations/content.de.po", "--json"]).stdout
    table = runner.invoke(cli, ["stats", str(snapshot), "--json"]).stdout
    from_po = json.loads(po)["languages"]["de"]
    from_table = json.loads(table)["languages"]["de"]
    assert from_po == from_table
    total = from_po["total"]
    assert pulled.split()[2:4] == [str(total["entries"]), str(total["words"])]
    repeated = f"/ {from_po['repetitions']['words']}"
    assert pulled.endswith(repeated)
    bands_po = json.loads(
        runner.invoke(cli, ["stats", "translations/content.de.po", "--format", "json"]).stdout
    )
    assert bands_po["languages"]["de"]["total"]["words"] == total["words"]
