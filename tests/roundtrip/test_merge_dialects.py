"""merge wired to the dialect readers (issue 14): each tool's file merges whole into the sample
table, locale variants and aliases match, line breaks come back in the source's convention."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.formats.test_dialect_corpus import APPLIED, CORPUS, EXPECTED, RETURNS, RETURNS_LF
from wixloc.cli import cli
from wixloc.errors import MergeError
from wixloc.formats import load_table
from wixloc.model import Key, Language, Table, Unit, UnitFile, UnitState, fingerprint
from wixloc.roundtrip import merge as merge_rules
from wixloc.roundtrip.files import merge_files
from wixloc.roundtrip.merge import merge

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "content.csv"
DE = Language("de")


def _changes(before: Table, after: Table) -> dict[Key, str]:
    old = before.index()
    return {e.key: e.text(DE) for e in after.entries if e.text(DE) != old[e.key].text(DE)}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_corpus_file_merges_exactly_what_it_must(name: str, tmp_path: Path) -> None:
    out = tmp_path / "merged.csv"
    report = merge_files(SAMPLE, [CORPUS / name], out)
    before, after = load_table(SAMPLE), load_table(out)
    changes = _changes(before, after)
    assert sorted(changes) == sorted(APPLIED[name])  # the table's order, not the file's
    expected = {key: target for key, _state, target in EXPECTED[name][1]}
    for key, text in changes.items():
        wanted = RETURNS_LF.replace("\n", "\r\n") if key == RETURNS else expected[key]
        assert text == wanted, key
    lang = report.languages[DE]
    units = len(EXPECTED[name][1])
    assert lang.applied == len(APPLIED[name])
    assert lang.applied + lang.unchanged + len(lang.skipped) == units  # every unit accounted
    assert [e.key for e in after.entries] == [e.key for e in before.entries]
    others = [lang for lang in before.languages if lang != DE]
    for entry, old in zip(after.entries, before.entries, strict=True):
        assert [entry.text(x) for x in others] == [old.text(x) for x in others]


def test_the_copied_source_is_reported_as_such(tmp_path: Path) -> None:
    report = merge_files(SAMPLE, [CORPUS / "omegat-copy-source.de.xlf"], tmp_path / "m.csv")
    assert report.languages[DE].reasons() == {
        merge_rules.COPIED_SOURCE: [("Products", "da498828-c8b2-5f18-9061-dc001410c5e1", "title")]
    }


# --- over the model --------------------------------------------------------------------------


def _table(*texts: tuple[str, str], languages: tuple[str, ...] = ("en", "de")) -> Table:
    from wixloc.model import Column, ColumnKind, Entry

    langs = [Language(tag) for tag in languages]
    columns = [Column("Key", ColumnKind.KEY)] + [
        Column(tag, ColumnKind.LANGUAGE, lang) for tag, lang in zip(languages, langs, strict=True)
    ]
    entries = [
        Entry((f"k{i}",), {langs[0]: source, langs[1]: target})
        for i, (source, target) in enumerate(texts)
    ]
    return Table(langs, columns, entries)


def _unit(i: int, source: str, target: str, state: UnitState = UnitState.TRANSLATED) -> Unit:
    return Unit((f"k{i}",), source, target, state, fingerprint=fingerprint(source))


def _file(*units: Unit, target: str = "de", source: str = "en") -> UnitFile:
    return UnitFile(Language(source), Language(target), list(units), source="t.xlf")


def test_line_breaks_come_back_with_a_notice_and_the_rest_untouched() -> None:
    table = _table(("a\r\nb", ""), ("c\nd", ""), ("e\r\nf", ""))
    report = merge(
        table,
        [_file(_unit(0, "a\r\nb", "A\nB"), _unit(1, "c\nd", "C\nD"), _unit(2, "e\r\nf", "E\rF"))],
    )
    assert [e.text(DE) for e in table.entries] == ["A\r\nB", "C\nD", "E\r\nF"]
    lang = report.languages[DE]
    notice = "line breaks restored to the source's CRLF"
    assert (lang.applied, lang.skipped) == (3, [])
    assert lang.notices == [(("k0",), notice), (("k2",), notice)]


def test_a_restored_translation_equal_to_the_table_is_unchanged() -> None:
    table = _table(("a\r\nb", "A\r\nB"))
    report = merge(table, [_file(_unit(0, "a\r\nb", "A\nB"))])
    lang = report.languages[DE]
    assert (lang.applied, lang.unchanged, lang.notices) == (0, 1, [])


def test_the_merge_cli_prints_the_line_break_count(tmp_path: Path) -> None:
    table = tmp_path / "content.csv"
    shutil.copyfile(SAMPLE, table)
    result = CliRunner().invoke(
        cli, ["merge", str(table), str(CORPUS / "omegat.de.xlf"), "--in-place"]
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "de: 3 applied, 0 unchanged, 1 skipped",
        "  1 not translated: Products|da498828-c8b2-5f18-9061-dc001410c5e1|title",
        "  1 line breaks restored to the source's CRLF: "
        "FAQ|030ebd67-be8c-57bc-b803-b61d6a9987d8|answer",
        f"wrote {table}",
    ]


@pytest.mark.parametrize("tag", ["de-DE", "de_DE", "de-de", "DE"])
def test_a_regional_file_merges_into_the_language(tag: str) -> None:
    table = _table(("Hello", ""))
    report = merge(table, [_file(_unit(0, "Hello", "Hallo"), target=tag, source="en-US")])
    assert table.entries[0].text(DE) == "Hallo"
    assert list(report.languages) == [DE]


def test_another_region_never_matches_silently() -> None:
    table = _table(("Hello", ""), languages=("en", "pt-PT"))
    with pytest.raises(MergeError) as err:
        merge(table, [_file(_unit(0, "Hello", "Olá"), target="pt-BR")])
    assert str(err.value) == (
        "t.xlf: the table has no language 'pt-BR' (it has en, pt-PT) "
        '(map it in wixloc.toml: [languages] aliases = {"pt-BR" = "<table language>"})'
    )
    assert table.entries[0].text(Language("pt-PT")) == ""


def test_an_alias_maps_a_file_language() -> None:
    table = _table(("Hello", ""), languages=("en", "pt-PT"))
    merge(table, [_file(_unit(0, "Hello", "Olá"), target="pt-BR")], aliases={"pt-BR": "pt-PT"})
    assert table.entries[0].text(Language("pt-PT")) == "Olá"


def test_the_merge_cli_takes_aliases_from_the_option_and_the_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wixloc.formats import get, save_table, save_units

    table_path = tmp_path / "t.csv"
    save_table(_table(("Hello", ""), ("Bye", ""), languages=("en", "pt-PT")), table_path)
    unit_path = tmp_path / "t.pt.po"
    save_units(_file(_unit(0, "Hello", "Olá"), target="pt"), unit_path, get("po"))
    runner = CliRunner()
    args = ["merge", str(table_path), str(unit_path), "--in-place"]
    result = runner.invoke(cli, [*args, "--alias", "pt=pt-PT"])
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.startswith("pt-PT: 1 applied, 0 unchanged, 0 skipped\n")
    result = runner.invoke(cli, [*args, "--alias", "pt"])
    assert (result.exit_code, result.stderr) == (
        2,
        "wixloc: error: --alias takes FILE=TABLE, such as pt=pt-PT, not 'pt'\n",
    )
    (tmp_path / "wixloc.toml").write_text('[languages]\naliases = {"pt" = "pt-PT"}\n')
    save_units(_file(_unit(1, "Bye", "Tchau"), target="pt"), unit_path, get("po"))
    monkeypatch.chdir(tmp_path)  # merge reads the wixloc.toml of the folder it runs in
    result = runner.invoke(cli, args)
    assert (result.exit_code, result.stderr) == (0, "")
    assert [e.text(Language("pt-PT")) for e in load_table(table_path).entries] == ["Olá", "Tchau"]


def test_whitespace_is_a_translation_only_of_whitespace() -> None:
    table = _table(("Hello", "Hallo"), ("  ", ""), ("x", ""))
    report = merge(
        table, [_file(_unit(0, "Hello", " "), _unit(1, "  ", " "), _unit(2, "x", "\t\n"))]
    )
    assert [e.text(DE) for e in table.entries] == ["Hallo", " ", ""]
    assert report.languages[DE].skipped == [
        (("k0",), merge_rules.BLANK),
        (("k2",), merge_rules.BLANK),
    ]


def test_a_target_equal_to_the_source_marked_done_is_a_translation() -> None:
    # the false positive: "OK" translated as "OK" is a translation, not a copy
    table = _table(("OK", ""), ("Menu", ""))
    report = merge(
        table,
        [_file(_unit(0, "OK", "OK"), _unit(1, "Menu", "Menu", UnitState.NEW))],
    )
    assert [e.text(DE) for e in table.entries] == ["OK", ""]
    assert report.languages[DE].skipped == [(("k1",), merge_rules.COPIED_SOURCE)]


def test_a_fingerprint_of_another_text_is_refused_even_when_stale_is_accepted() -> None:
    from wixloc.roundtrip.merge import MergePolicy

    table = _table(("Hello", ""), ("Bye", ""))
    swapped = Unit(
        ("k0",), "Bye", "Tschüss", UnitState.TRANSLATED, fingerprint=fingerprint("Hello")
    )
    swapped.line = 12
    with pytest.raises(MergeError) as err:
        merge(table, [_file(swapped)], MergePolicy(accept_stale=True, include_fuzzy=True))
    assert str(err.value) == f"t.xlf:12: unit k0: {merge_rules.MISPLACED}"
    assert table.entries[0].text(DE) == ""


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        (
            '[languages]\naliases = {"pt" = 3}\n',
            "[languages] aliases maps a file's tag to a table's, such as "
            '{"pt" = "pt-PT"}; "pt" is not given a tag',
        ),
        ('[languages]\naliases = "pt=pt-PT"\n', "[languages] aliases must be"),
    ],
)
def test_a_bad_alias_table_is_a_config_error(tmp_path: Path, toml: str, message: str) -> None:
    from wixloc.config import load_config
    from wixloc.errors import ConfigError

    path = tmp_path / "wixloc.toml"
    path.write_text(toml)
    with pytest.raises(ConfigError) as err:
        load_config(path, env={})
    assert str(err.value).startswith(f"{path}: {message}")


def test_the_config_reads_aliases(tmp_path: Path) -> None:
    from wixloc.config import load_config

    path = tmp_path / "wixloc.toml"
    path.write_text('[languages]\naliases = {"pt" = "pt-PT", "nb" = "no"}\n')
    assert load_config(path, env={}).language_aliases == {"pt": "pt-PT", "nb": "no"}
