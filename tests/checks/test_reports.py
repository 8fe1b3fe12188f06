"""Each report format, parsed the way its consumer parses it."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from lxml import html as lxml_html

from tests.support.checks import (
    EXPECTED,
    HAVE_GERMAN_DICTIONARY,
    planted_config,
    write_clean,
    write_planted,
)
from wixloc.checks import CheckConfig, Finding, Report, Severity, check_files
from wixloc.checks.reporters import FORMATS, github, render
from wixloc.checks.rules import RULES
from wixloc.errors import UsageError


@pytest.fixture
def report(tmp_path: Path) -> Report:
    table, reference = write_planted(tmp_path)
    return check_files([table], planted_config(tmp_path), against=reference)


_WARNINGS = 16 if HAVE_GERMAN_DICTIONARY else 15


def test_json_report(report: Report) -> None:
    data = json.loads(render(report, "json"))
    assert set(data) == {"summary", "findings"}
    assert data["summary"]["languages"]["fr"] == {
        "total": 37,
        "translated": 36,
        "missing": 1,
        "coverage": 97.3,
    }
    assert (data["summary"]["errors"], data["summary"]["warnings"]) == (12, _WARNINGS)
    got = [(f["code"], f["key"], f["language"], f["line"]) for f in data["findings"]]
    assert got == EXPECTED
    assert set(data["findings"][0]) == {
        "code",
        "severity",
        "file",
        "line",
        "key",
        "language",
        "message",
        "source",
        "translation",
        "column",
        "end_column",
        "span_in",
        "related",
    }
    price = next(f for f in data["findings"] if f["code"] == "number-mismatch")
    assert price["source"] == "Only €12.50" and price["translation"] == "Nur 12,90 €"
    assert (price["column"], price["end_column"], price["span_in"]) == (5, 10, "translation")
    assert price["translation"][price["column"] - 1 : price["end_column"] - 1] == "12,90"
    sale = next(f for f in data["findings"] if f["code"] == "inconsistent-translation")
    assert sale["related"] == [{"key": "Products|p-5|sale", "line": 43, "text": "Angebot"}]


def test_text_report_groups_by_language_after_a_coverage_table(report: Report) -> None:
    text = render(report, "text")
    lines = text.splitlines()
    assert lines[:5] == [
        "Language     Entries  Translated  Missing  Coverage",
        "German (de)       37          37        0    100.0%",
        "French (fr)       37          36        1     97.3%",
        "Hebrew (he)       37          37        0    100.0%",
        "(required coverage: 100%)",
    ]
    headings = [line for line in lines if line and not line.startswith((" ", "note: "))][5:]
    assert headings == [
        f"German (de): {11 if HAVE_GERMAN_DICTIONARY else 10} findings",
        "French (fr): 7 findings",
        "Hebrew (he): 4 findings",
        "Japanese (ja): 1 finding",
        "English (en): 1 finding",
        "All languages: 4 findings",
        f"12 errors, {_WARNINGS} warnings in 1 file",
    ]
    assert "content.csv:22: warning: url-mismatch [Products|p-2|help]: URLs differ" in text
    # each finding about an entry shows both texts, and its span when it has one
    at = lines.index(next(line for line in lines if "number-mismatch" in line))
    assert lines[at + 1 : at + 4] == [
        "      source: Only €12.50",
        "      translation: Nur 12,90 €",
        "      span: '12,90' at columns 5-10 of the translation",
    ]


# --- GitHub -------------------------------------------------------------------------------

_COMMAND = re.compile(
    r"^::(error|warning) file=([^,:]+)(?:,line=(\d+))?,title=([a-z-]+)::([^\r\n]*)$"
)


def test_github_lines_follow_the_workflow_command_syntax(report: Report) -> None:
    lines = render(report, "github").splitlines()
    assert len(lines) == len(EXPECTED)
    parsed = [_COMMAND.match(line) for line in lines]
    assert all(parsed), [line for line, m in zip(lines, parsed, strict=True) if not m]
    got = [(m[4], int(m[3]) if m[3] else None) for m in parsed if m]
    assert got == [(code, line) for code, _key, _lang, line in EXPECTED]
    levels = {m[4]: m[1] for m in parsed if m}
    assert levels["unchanged"] == "warning" and levels["too-long"] == "error"


def test_github_escaping() -> None:
    finding = Finding(
        "newline-mismatch", Severity.WARNING, "a,b:c.csv", 3, "k", "de", "50% off\r\nnext"
    )
    out = github.render(Report(["a,b:c.csv"], [], [finding]))
    assert out == (
        "::warning file=a%2Cb%3Ac.csv,line=3,title=newline-mismatch::de k: 50%25 off%0D%0Anext\n"
    )


# --- JUnit --------------------------------------------------------------------------------


def test_junit_parses_with_one_case_per_language_and_rule(report: Report) -> None:
    root = etree.fromstring(render(report, "junit").encode("utf-8"))
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [
        "German (de)",
        "French (fr)",
        "Hebrew (he)",
        "Japanese (ja)",
        "English (en)",
        "All languages",
    ]
    for suite in suites:
        cases = suite.findall("testcase")
        assert [c.get("name") for c in cases] == list(RULES)
        assert int(suite.get("tests", "")) == len(cases)
        assert int(suite.get("failures", "")) == sum(
            1 for c in cases if c.find("failure") is not None
        )
    french = {c.get("name"): c for c in suites[1].findall("testcase")}
    assert french["missing-translation"].find("failure") is not None
    assert french["unchanged"].find("failure") is None  # a warning does not fail
    assert "Products|p-2|ship" in (french["unchanged"].findtext("system-out") or "")
    # the control character itself cannot be in XML 1.0; the message is escaped text
    assert french["control-character"].findtext("system-out") is not None
    assert int(root.get("failures", "")) == 12


def test_junit_holds_control_characters_in_messages() -> None:
    finding = Finding("unchanged", Severity.ERROR, "f.csv", 1, "k\x01", "de", "bad \x07 text")
    root = etree.fromstring(
        render(Report(["f.csv"], [RULES["unchanged"]], [finding]), "junit").encode()
    )
    assert root.find(".//failure").text == "f.csv:1 [k\\x01]: bad \\x07 text"  # type: ignore[union-attr]


# --- SARIF --------------------------------------------------------------------------------


def _require(obj: dict[str, Any], *keys: str) -> None:
    missing = [k for k in keys if k not in obj]
    assert not missing, f"missing {missing} in {obj}"


def test_sarif_has_the_shape_of_the_2_1_0_schema(report: Report) -> None:
    log = json.loads(render(report, "sarif"))
    # required by sarif-schema-2.1.0.json: sarifLog {version, runs}, run {tool},
    # tool {driver}, toolComponent {name}, reportingDescriptor {id}, result {message},
    # message {text|id}, region startLine >= 1
    _require(log, "$schema", "version", "runs")
    assert log["version"] == "2.1.0"
    assert log["$schema"].endswith("sarif-schema-2.1.0.json")
    (run,) = log["runs"]
    _require(run, "tool", "results")
    driver = run["tool"]["driver"]
    _require(driver, "name", "rules")
    ids = [rule["id"] for rule in driver["rules"]]
    assert ids == list(RULES)
    for rule in driver["rules"]:
        assert rule["defaultConfiguration"]["level"] in ("error", "warning")
        assert rule["shortDescription"]["text"]
    got = []
    for result in run["results"]:
        _require(result, "ruleId", "level", "message", "locations")
        assert result["level"] in ("none", "note", "warning", "error")
        assert ids[result["ruleIndex"]] == result["ruleId"]
        assert isinstance(result["message"]["text"], str) and result["message"]["text"]
        (location,) = result["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"]["uri"].endswith("content.csv")
        line = physical.get("region", {}).get("startLine")
        assert line is None or (isinstance(line, int) and line >= 1)
        got.append((result["ruleId"], line))
    assert got == [(code, line) for code, _k, _l, line in EXPECTED]


def test_sarif_regions_carry_the_span_and_results_the_texts(report: Report) -> None:
    results = json.loads(render(report, "sarif"))["runs"][0]["results"]
    price = next(r for r in results if r["ruleId"] == "number-mismatch")
    region = price["locations"][0]["physicalLocation"]["region"]
    assert region == {
        "startLine": 35,
        "startColumn": 5,
        "endColumn": 10,
        "snippet": {"text": "Nur 12,90 €"},
    }
    assert price["properties"]["source"] == "Only €12.50"
    assert price["properties"]["translation"] == "Nur 12,90 €"
    sale = next(r for r in results if r["ruleId"] == "inconsistent-translation")
    (other,) = sale["relatedLocations"]
    assert other["physicalLocation"]["region"] == {"startLine": 43}
    assert other["message"]["text"] == "Products|p-5|sale: Angebot"


def test_html_shows_the_texts_side_by_side_with_the_span_marked(report: Report) -> None:
    doc = lxml_html.fromstring(render(report, "html"))
    rows = doc.findall(".//tr[@class='finding']")
    assert len(rows) == len(EXPECTED)
    price = next(r for r in rows if r.get("data-rule") == "number-mismatch")
    assert (price.get("data-lang"), price.get("data-severity")) == ("de", "warning")
    source, translation = price.findall("td")[-2:]
    assert "".join(map(str, source.itertext())) == "Only €12.50"
    assert "".join(map(str, translation.itertext())) == "Nur 12,90 €"
    assert [m.text for m in translation.findall("mark")] == ["12,90"]
    term = next(r for r in rows if r.get("data-rule") == "terminology")
    assert [m.text for m in term.findall("td")[-2].findall("mark")] == ["cart"]  # in the source
    menus = {
        s.get("name"): [o.get("value") for o in s.findall("option")] for s in doc.iter("select")
    }
    assert menus["lang"] == ["", "de", "fr", "he", "ja", "en", "-"]
    assert menus["severity"] == ["", "error", "warning"]
    assert "number-mismatch" in menus["rule"]
    assert {r.get("data-lang") for r in rows} == {"de", "fr", "he", "ja", "en", "-"}


def test_sarif_relative_paths_stay_relative() -> None:
    finding = Finding("unchanged", Severity.WARNING, "translations/de fr.csv", 2, "k", "de", "m")
    log = json.loads(render(Report(["translations/de fr.csv"], [], [finding]), "sarif"))
    uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert uri == {"uri": "translations/de%20fr.csv"}


# --- HTML ---------------------------------------------------------------------------------


def test_html_is_self_contained_with_a_chart_per_language(report: Report) -> None:
    text = render(report, "html")
    doc = lxml_html.fromstring(text)
    for element in doc.iter():
        for attr in ("src", "href"):
            value = element.get(attr)
            assert value is None or "http" not in value, (element.tag, value)
    # the filters are a few lines of inline script; nothing is loaded from anywhere
    assert all(s.get("src") is None for s in doc.findall(".//script"))
    assert doc.findall(".//link") == []
    assert "@import" not in text and "url(" not in text
    svg = doc.find(".//svg")
    assert svg is not None
    labels = [t.text for t in svg.findall("text")]
    assert labels == ["German (de)", "100.0%", "French (fr)", "97.3%", "Hebrew (he)", "100.0%"]
    bars = [r for r in svg.findall("rect") if r.find("title") is not None]
    assert [r.findtext("title") for r in bars] == [
        "37 of 37 translated",
        "36 of 37 translated",
        "37 of 37 translated",
    ]
    assert "Failed: 12 error(s) must be fixed" in "".join(str(t) for t in doc.itertext())
    rows = doc.findall(".//table")[1:]  # the first table is the coverage table
    assert sum(len(t.findall("tr")) - 1 for t in rows) == len(EXPECTED)


def test_html_escapes_text(tmp_path: Path) -> None:
    finding = Finding(
        "unchanged", Severity.WARNING, "<f>.csv", 2, "<k>", "de", "<script>x</script>"
    )
    text = render(Report(["<f>.csv"], [], [finding]), "html")
    assert "<script>" not in text and "&lt;script&gt;" in text


def test_clean_reports(tmp_path: Path) -> None:
    path = write_clean(tmp_path)
    report = check_files([path], CheckConfig(allow_unchanged=["Wix"]))
    assert render(report, "github") == ""
    assert json.loads(render(report, "json"))["findings"] == []
    assert "Passed: no errors" in render(report, "html")
    assert render(report, "text").endswith("\n0 errors, 0 warnings in 1 file\n")


def test_every_format_is_known_and_others_are_refused(report: Report) -> None:
    assert list(FORMATS) == ["text", "json", "junit", "github", "sarif", "html"]
    with pytest.raises(UsageError, match="unknown report format 'xml'"):
        render(report, "xml")
