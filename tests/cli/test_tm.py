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
from wixloc.config import load_config
from wixloc.errors import ConfigError
from wixloc.formats import load_table, load_units
from wixloc.fsutil import open_input
from wixloc.model import Table, UnitState, format_key
from wixloc.roundtrip.ricos import is_ricos
from wixloc.site.connect import open_client
from wixloc.site.localization import export_content
from wixloc.tm.memory import Band, TranslationMemory
from wixloc.tm.suggest import EXACT_NOTE, IN_CONTEXT_NOTE
from wixloc.tm.tmx import TmxUnit, read_tmx, write_tmx


@pytest.fixture
def project(sandbox_project: Path) -> Path:
    return sandbox_project


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


# --- translation memories in pull and split ---------------------------------------------------


def _site_table(project: Path) -> Table:
    client = open_client(sandbox=True, root=project)
    export_content(client, project / "site.csv")
    return load_table(project / "site.csv")


def _agency_tmx(project: Path, table: Table) -> tuple[Path, dict[str, str]]:
    """A TMX holding, for three German entries still missing: one for its own key (in-context),
    one for another key (100 %), and one with a word dropped (fuzzy). Returns what each is."""
    de, main = table.language("de"), table.main_language
    seen: dict[str, int] = {}
    for e in table.entries:
        seen[e.text(main)] = seen.get(e.text(main), 0) + 1
    missing = [
        e
        for e in table.entries
        if e.text(main)
        and not e.text(de)
        and seen[e.text(main)] == 1
        and len(e.text(main)) > 30
        and "<" not in e.text(main)
        and not is_ricos(e.text(main))  # a rich-content cell reaches translators as segments
    ][:3]
    ctx, exact, fuzzy = missing
    words = fuzzy.text(main).split()
    units = [
        TmxUnit(format_key(ctx.key), {"en": ctx.text(main), "de": "DE in context"}),
        TmxUnit("Other|x|y", {"en": exact.text(main), "de": "DE exact"}),
        TmxUnit("Other|x|z", {"en": " ".join(words[:2] + words[3:]), "de": "DE fuzzy"}),
    ]
    path = project / "agency.tmx"
    with path.open("wb") as fh:
        write_tmx(fh, units, "en")
    keys = {"in-context": format_key(ctx.key), "100": format_key(exact.key)}
    keys["fuzzy"] = format_key(fuzzy.key)
    return path, keys


def test_pull_with_a_tm(project: Path, runner: CliRunner) -> None:
    tmx, keys = _agency_tmx(project, _site_table(project))
    result = runner.invoke(cli, ["pull", "--tm", "agency.tmx"])
    assert result.exit_code == 0, result.output
    step = next(line for line in result.stderr.splitlines() if "Translation memory" in line)
    assert step.startswith("• Translation memory: 1 in-context and "), step
    assert step.endswith(" entries with suggestions")
    units = {format_key(u.key): u for u in load_units(project / "translations/content.de.po").units}
    ctx, exact, fuzzy = (units[keys[k]] for k in ("in-context", "100", "fuzzy"))
    assert (ctx.target, ctx.state, ctx.notes[-1]) == (
        "DE in context",
        UnitState.TRANSLATED,
        IN_CONTEXT_NOTE,
    )
    assert (exact.target, exact.state, exact.notes[-1]) == (
        "DE exact",
        UnitState.NEEDS_REVIEW,
        EXACT_NOTE,
    )
    assert (fuzzy.target, fuzzy.state, fuzzy.previous_source) == ("", UnitState.NEW, None)
    (best, *_) = fuzzy.suggestions
    assert (best.target, best.origin) == ("DE fuzzy", "agency.tmx")
    assert 75 <= best.score < 100

    # one counting rule: pull's numbers, stats on the pulled file, stats on the table
    pulled = next(line for line in result.stdout.splitlines() if line.startswith("de "))
    (snapshot,) = (project / ".wixloc" / "snapshots").glob("*.csv")
    po = json.loads(runner.invoke(cli, ["stats", "translations/content.de.po", "--json"]).stdout)
    table = json.loads(runner.invoke(cli, ["stats", str(snapshot), "--json"]).stdout)
    assert po["languages"]["de"] == table["languages"]["de"]
    total = po["languages"]["de"]["total"]
    assert pulled.split()[2:4] == [str(total["entries"]), str(total["words"])]

    # and the analysis by band: the file (with or without the TM) counts as its table does
    def bands(*args: str) -> dict[str, object]:
        out = runner.invoke(cli, ["stats", *args, "--format", "json"])
        assert out.exit_code == 0, out.output
        found: dict[str, object] = json.loads(out.stdout)["languages"]["de"]
        return found

    of_table = bands(str(snapshot), "--tm", str(tmx))
    assert bands("translations/content.de.po") == of_table
    assert bands("translations/content.de.po", "--tm", str(tmx)) == of_table
    counted = of_table["bands"]
    assert isinstance(counted, dict)
    assert counted["in-context"]["segments"] == 1
    assert counted["100"]["segments"] >= 1  # ours, and the site's own repeated texts
    assert of_table["total"] == {
        "segments": total["entries"],
        "words": total["words"],
        "characters": total["characters"],
    }


def test_the_config_names_the_tm(project: Path, runner: CliRunner) -> None:
    _tmx, keys = _agency_tmx(project, _site_table(project))
    toml = project / "wixloc.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace("reuse = true\n", 'reuse = true\ntm = ["agency.tmx"]\n'))
    assert load_config(toml, env={}).tm == [project / "agency.tmx"]
    assert runner.invoke(cli, ["pull"]).exit_code == 0
    units = {format_key(u.key): u for u in load_units(project / "translations/content.de.po").units}
    assert units[keys["in-context"]].target == "DE in context"


def test_a_missing_tm_fails_before_the_export(project: Path, runner: CliRunner) -> None:
    result = runner.invoke(cli, ["pull", "--tm", "nothere.tmx"])
    assert result.exit_code == 2
    assert "nothere.tmx" in result.stderr and result.stderr.startswith("wixloc: error: ")
    assert not list((project / ".wixloc" / "snapshots").glob("*.csv"))


@pytest.mark.parametrize("fmt", ["po", "xliff", "xliff2", "xlsx"])
def test_split_with_a_tm(project: Path, runner: CliRunner, fmt: str) -> None:
    table = _site_table(project)
    _tmx, keys = _agency_tmx(project, table)
    result = runner.invoke(
        cli,
        ["split", "site.csv", "--to", fmt, "--languages", "de", "--tm", "agency.tmx"],
    )
    assert result.exit_code == 0, result.output
    (path,) = list(project.glob("site.de.*"))
    units = {format_key(u.key): u for u in load_units(path).units}
    assert units[keys["in-context"]].target == "DE in context"
    assert units[keys["100"]].state is UnitState.NEEDS_REVIEW
    fuzzy = units[keys["fuzzy"]]
    assert fuzzy.target == "" and fuzzy.suggestions[0].target == "DE fuzzy"


@pytest.mark.parametrize("value", ["[1]", '[""]'])
def test_the_config_refuses_a_tm_that_is_not_a_file_name(project: Path, value: str) -> None:
    toml = project / "wixloc.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace("reuse = true\n", f"reuse = true\ntm = {value}\n"))
    with pytest.raises(ConfigError) as caught:
        load_config(toml, env={})
    assert str(caught.value) == (
        f'{toml}: [translators] tm must be a list of files such as "agency.tmx"'
    )
