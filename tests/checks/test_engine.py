"""`check` over whole files: the planted-defect table, clean tables, translator files, keys."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import pytest

from tests.support.checks import (
    EXPECTED,
    HAVE_GERMAN_DICTIONARY,
    PLANTED,
    planted_config,
    write_clean,
    write_planted,
)
from wixloc import formats
from wixloc.checks import CheckConfig, Report, Severity, check_files
from wixloc.errors import InputError, UsageError
from wixloc.formats import Format, ReadOptions
from wixloc.model import Language, Unit, UnitFile, UnitState, parse_key

LANGS = ["en", "de", "fr", "he", "ja"]


def _planted_config(folder: Path) -> CheckConfig:
    return planted_config(folder)


def _found(report: Report) -> list[tuple[str, str, str, int | None]]:
    return [(f.code, f.key, f.language, f.line) for f in report.findings]


def test_one_planted_defect_per_rule_gives_exactly_those_findings(tmp_path: Path) -> None:
    table, reference = write_planted(tmp_path)
    report = check_files([table], _planted_config(tmp_path), against=reference)
    assert _found(report) == EXPECTED
    assert {f.file for f in report.findings} == {str(table)}
    assert report.exit_code == 1


def test_every_rule_is_planted() -> None:
    from wixloc.checks import RULES

    assert sorted(code for code, *_ in PLANTED) == sorted(RULES)


def test_planted_severities_are_the_defaults(tmp_path: Path) -> None:
    table, reference = write_planted(tmp_path)
    report = check_files([table], _planted_config(tmp_path), against=reference)
    warnings = {f.code for f in report.findings if f.severity is Severity.WARNING}
    assert warnings == {
        "url-mismatch",
        "whitespace-mismatch",
        "newline-mismatch",
        "unchanged",
        "control-character",
        "stale-translation",
        "number-mismatch",
        "email-mismatch",
        "punctuation-mismatch",
        "bracket-mismatch",
        "quote-mismatch",
        "double-space",
        "repeated-word",
        "inconsistent-translation",
        "inconsistent-source",
        *(["spelling"] if HAVE_GERMAN_DICTIONARY else []),
    }
    assert (report.errors, report.warnings) == (12, 16 if HAVE_GERMAN_DICTIONARY else 15)


def test_planted_coverage_counts_each_key_once(tmp_path: Path) -> None:
    table, reference = write_planted(tmp_path)
    report = check_files([table], _planted_config(tmp_path), against=reference)
    cov = {c.language: (c.total, c.translated) for c in report.coverage}
    # 13 sound rows with a source + 24 defect rows (the duplicate is not counted again)
    assert cov == {"de": (37, 37), "fr": (37, 36), "he": (37, 37)}


def test_a_clean_table_has_no_finding(tmp_path: Path) -> None:
    path = write_clean(tmp_path)
    config = CheckConfig(
        languages=["en", "de", "fr", "he"], min_coverage=100, allow_unchanged=["Wix"]
    )
    report = check_files([path], config)
    assert report.findings == []
    assert report.exit_code == 0


def test_without_the_allow_list_a_brand_name_is_unchanged(tmp_path: Path) -> None:
    path = write_clean(tmp_path)
    report = check_files([path], CheckConfig())
    assert _found(report) == [
        ("unchanged", "Products|p-1|brand", lang, 9) for lang in ("de", "fr", "he")
    ]


def test_rules_and_ignore_pick_rules(tmp_path: Path) -> None:
    table, reference = write_planted(tmp_path)
    config = _planted_config(tmp_path)
    config.rules = ["placeholder-mismatch", "unchanged", "missing-translation"]
    config.ignore = ["unchanged"]
    report = check_files([table], config, against=reference)
    assert [f.code for f in report.findings] == ["placeholder-mismatch", "missing-translation"]
    assert [r.code for r in report.rules] == ["missing-translation", "placeholder-mismatch"]


def test_severity_can_be_changed_or_switched_off(tmp_path: Path) -> None:
    table, reference = write_planted(tmp_path)
    config = _planted_config(tmp_path)
    config.severity = {"unchanged": Severity.ERROR, "too-long": None}
    report = check_files([table], config, against=reference)
    by_code = {f.code: f.severity for f in report.findings}
    assert by_code["unchanged"] is Severity.ERROR
    assert "too-long" not in by_code


def test_unknown_rule_is_a_usage_error(tmp_path: Path) -> None:
    path = write_clean(tmp_path)
    with pytest.raises(UsageError, match="unknown rule 'placeholders'"):
        check_files([path], CheckConfig(rules=["placeholders"]))


def test_main_language_option_without_languages(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("Key,de,en\nk,Hallo,Hello\n", encoding="utf-8")
    report = check_files([path], CheckConfig(main_language="en"))
    assert _found(report) == [("main-language-order", "", "en", 1)]
    assert [c.language for c in report.coverage] == ["de"]


def test_long_layout_duplicates_and_lines(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text(
        "Key,Language,Text\nk1,en,Hello {name}\nk1,de,Hallo {nam}\nk2,en,Bye\nk1,de,Hallo {name}\n",
        encoding="utf-8",
    )
    report = check_files([path], CheckConfig())
    assert _found(report) == [
        ("placeholder-mismatch", "k1", "de", 3),
        ("missing-translation", "k2", "de", 4),
        ("duplicate-key", "k1", "de", 5),
    ]


def test_lines_after_multiline_cells_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "crlf.csv"
    path.write_bytes(
        b'Key,en,de\r\nk1,"a\r\nb","x\r\ny"\r\nk2,"one\r\n\r\ntwo",\r\nk3,Ok {n},Gut\r\n'
    )
    report = check_files([path], CheckConfig())
    assert _found(report) == [
        ("missing-translation", "k2", "de", 5),  # k1 spans lines 2-4
        ("placeholder-mismatch", "k3", "de", 8),  # k2 spans lines 5-7
    ]


def test_headers_that_are_not_plain_tags_are_named_by_languages(tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("Key,fil,haw\nk,Kumusta,\n", encoding="utf-8")
    with pytest.raises(InputError, match="no language column"):
        check_files([path], CheckConfig())
    report = check_files([path], CheckConfig(languages=["fil", "haw"]))
    assert _found(report) == [("missing-translation", "k", "haw", 2)]


# --- translator files: a tiny bilingual format registered for the test --------------------


def _read_units(fh: BinaryIO, options: ReadOptions) -> UnitFile:
    units = UnitFile(
        Language("en"), Language("de"), key_columns=["Collection ID", "Item ID", "Field"]
    )
    for n, raw in enumerate(fh.read().decode("utf-8").splitlines(), start=1):
        if n == 1:
            continue  # a header line, so that unit lines start at 2
        data = json.loads(raw)
        units.units.append(
            Unit(
                parse_key(data["key"]),
                data["source"],
                data["target"],
                UnitState.TRANSLATED if data["target"] else UnitState.NEW,
                max_length=data.get("max"),
                line=n,
            )
        )
    return units


def _write_units(units: UnitFile, fh: BinaryIO) -> None:
    raise NotImplementedError


FAKE = Format(
    "fake", (".fake",), "a test bilingual format", read_units=_read_units, write_units=_write_units
)


@pytest.fixture
def fake_format(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    real = formats.all_formats()
    monkeypatch.setattr(formats, "all_formats", lambda: (*real, FAKE))
    yield


def _unit_file(path: Path, units: list[dict[str, object]]) -> Path:
    path.write_text("# units\n" + "".join(json.dumps(u) + "\n" for u in units), encoding="utf-8")
    return path


@pytest.mark.usefixtures("fake_format")
def test_translator_files_are_checked_with_their_unit_lines(tmp_path: Path) -> None:
    path = _unit_file(
        tmp_path / "de.fake",
        [
            {"key": "Products|p-1|title", "source": "Hello {name}", "target": "Hallo {name}"},
            {"key": "Products|p-1|badge", "source": "<b>New</b>", "target": "<i>Neu</i>"},
            {"key": "Products|p-1|desc", "source": "Text", "target": ""},
            {"key": "Products|p-1|short", "source": "Hi", "target": "Guten Tag", "max": 4},
        ],
    )
    report = check_files([path], CheckConfig(min_coverage=90, main_language="en"))
    assert _found(report) == [
        ("markup-mismatch", "Products|p-1|badge", "de", 3),
        ("missing-translation", "Products|p-1|desc", "de", 4),
        ("too-long", "Products|p-1|short", "de", 5),
        ("coverage-below-threshold", "", "de", None),
    ]
    assert [(c.language, c.total, c.translated) for c in report.coverage] == [("de", 4, 3)]


@pytest.mark.usefixtures("fake_format")
def test_translator_file_keys_against_a_reference(tmp_path: Path) -> None:
    path = _unit_file(
        tmp_path / "de.fake",
        [
            {"key": "Products|p-1|title", "source": "Hello", "target": "Hallo"},
            {"key": "Products|p-7|title", "source": "Old", "target": "Alt"},
        ],
    )
    ref = tmp_path / "ref.csv"
    ref.write_text(
        "Collection ID,Item ID,Field,en\nProducts,p-1,title,Hello\nProducts,p-2,title,Mug\n",
        encoding="utf-8",
    )
    report = check_files([path], CheckConfig(main_language="fr"), against=ref)
    assert _found(report) == [
        ("unknown-key", "Products|p-7|title", "", 3),
        ("missing-key", "Products|p-2|title", "de", None),
    ]


@pytest.mark.usefixtures("fake_format")
def test_tables_and_translator_files_together(tmp_path: Path) -> None:
    table = write_clean(tmp_path)
    units = _unit_file(
        tmp_path / "ja.fake",
        [{"key": "Products|p-1|title", "source": "Hello {name}", "target": "Hallo {name}"}],
    )
    report = check_files([table, units], CheckConfig(allow_unchanged=["Wix"]))
    assert report.findings == []
    assert report.files == [str(table), str(units)]
    de = next(c for c in report.coverage if c.language == "de")
    assert (de.total, de.translated) == (13 + 1, 13 + 1)


# --- configuration ------------------------------------------------------------------------


def test_the_documented_config_is_valid(tmp_path: Path) -> None:
    from tests.conftest import REPO
    from wixloc.checks import load_config

    page = (REPO / "docs" / "check.md").read_text(encoding="utf-8")
    block = page.split("```toml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "wixloc.toml"
    path.write_text(block, encoding="utf-8")
    config = load_config(path)
    assert config.languages == ["en", "de", "fr", "he"]
    assert config.min_coverage == 95.0
    assert config.field_max_length == {"title": 60, "seo-description": 160}
    assert config.severity == {"unchanged": Severity.ERROR, "url-mismatch": None}


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[check]\nmin_coverage = 120\n", "check.min_coverage must be a number from 0 to 100"),
        ("[check]\nmax_length = 0\n", "check.max_length must be a positive whole number"),
        ("[check]\nallow = []\n", "unknown key 'check.allow'"),
        ('[check]\nignore = ["typo"]\n', "check.ignore: unknown rule 'typo'"),
        ('[check.severity]\nbogus = "error"\n', "check.severity: unknown rule 'bogus'"),
        ('[check]\nallow_unchanged = "Wix"\n', "check.allow_unchanged must be a list of strings"),
        ("[check\n", "not valid TOML"),
        ("[check]\nterms = 3\n", "check.terms must be a string"),
        ('[check]\nenable = ["speling"]\n', "check.enable: unknown rule 'speling'"),
    ],
)
def test_config_errors_name_the_key(tmp_path: Path, toml: str, message: str) -> None:
    from wixloc.checks import load_config
    from wixloc.errors import ConfigError

    path = tmp_path / "wixloc.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_config(path)


def test_the_termbase_of_wixloc_toml_is_found_beside_it(tmp_path: Path) -> None:
    from wixloc.checks import load_config

    (tmp_path / "project").mkdir()
    (tmp_path / "project" / "terms.csv").write_text("cart,Warenkorb,de\n", encoding="utf-8")
    config_file = tmp_path / "project" / "wixloc.toml"
    config_file.write_text('[check]\nterms = "terms.csv"\nenable = ["spelling"]\n', "utf-8")
    config = load_config(config_file)
    assert config.terms == str(tmp_path / "project" / "terms.csv")
    assert config.enable == ["spelling"]
    path = tmp_path / "t.csv"
    path.write_text("Key,en,de\na,Your cart,Ihr Korb\n", encoding="utf-8")
    config.enable = []
    report = check_files([path], config)
    assert [(f.code, f.key) for f in report.findings] == [("terminology", "a")]


def test_field_and_file_limits(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text(
        "Collection ID,Item ID,Field,Max Length,en,de\n"
        "P,1,title,,Mug,Ein sehr langer Becher\n"  # field limit 10
        "P,1,body,,Text,Ein etwas längerer Text\n"  # file limit 20
        "P,2,title,30,Mug,Ein sehr langer Becher\n"  # its own limit wins
        "P,2,body,,Text,Kurz\n",
        encoding="utf-8",
    )
    config = CheckConfig(max_length=20, field_max_length={"title": 10})
    report = check_files([path], config)
    assert [(f.code, f.line, f.message) for f in report.findings] == [
        ("too-long", 2, "22 characters, over the limit of 10 (field 'title')"),
        ("too-long", 3, "23 characters, over the limit of 20 (the file limit)"),
    ]


def test_pre_commit_hook_runs_check() -> None:
    from tests.conftest import REPO

    hooks = (REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert "- id: wixloc-check\n" in hooks
    assert "  entry: wixloc check\n" in hooks
    pattern = re.search(r"files: (.+)\n", hooks)
    assert pattern is not None
    for name in ("content.csv", "de.po", "he.xlf", "fr.xliff", "all.xlsx", "t.jsonl"):
        assert re.search(pattern[1], name), name
    assert not re.search(pattern[1], "notes.txt")


def test_a_mistyped_tag_header_is_metadata_not_key(tmp_path: Path) -> None:
    from wixloc.formats import load_table
    from wixloc.model import ColumnKind

    path = tmp_path / "t.csv"
    path.write_text("Item,row_id,xx-YY,en,de\nk,1,x,Hi,Hallo\n", encoding="utf-8")
    table = load_table(path)
    kinds = {c.name: c.kind for c in table.columns}
    assert kinds == {
        "Item": ColumnKind.KEY,
        "row_id": ColumnKind.KEY,
        "xx-YY": ColumnKind.META,
        "en": ColumnKind.LANGUAGE,
        "de": ColumnKind.LANGUAGE,
    }
    assert table.entries[0].key == ("k", "1")
