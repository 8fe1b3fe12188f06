"""Reports written a piece at a time are the reports rendered whole."""

from __future__ import annotations

import json
from enum import IntEnum, StrEnum
from pathlib import Path

import pytest

from tests.support.checks import planted_config, write_planted
from wixloc.checks import CheckConfig, Finding, Report, Severity, check_files
from wixloc.checks.report import Related
from wixloc.checks.reporters import FORMATS, batches, chunks, junit, render
from wixloc.checks.reporters._common import details, location
from wixloc.checks.reporters._json import Items, dumps
from wixloc.checks.reporters._json import chunks as json_chunks
from wixloc.checks.reporters.text import findings_text


@pytest.fixture
def report(tmp_path: Path) -> Report:
    table, reference = write_planted(tmp_path)
    return check_files([table], planted_config(tmp_path), against=reference)


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_batches_join_to_the_rendered_report(report: Report, fmt: str) -> None:
    pieces = list(chunks(report, fmt))
    assert len(pieces) >= 1
    assert "".join(batches(iter(pieces))) == render(report, fmt)


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_streamed_json_is_what_json_dumps_writes(report: Report, fmt: str) -> None:
    text = render(report, fmt)
    assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=2) + "\n"


@pytest.mark.parametrize(
    "value",
    [
        {},
        [],
        {"a": [], "b": {}, "c": [1, {"d": "e\nf"}], "g": None},
        [[1, 2], {"x": [3]}, "y"],
        {"nested": {"items": [{"k": "ü"}, {"k": ["l", {"m": 1.5}]}]}},
    ],
)
def test_items_stream_like_lists(value: object) -> None:
    def streamed(v: object) -> object:
        if isinstance(v, dict):
            return {k: Items(x) if k == "items" else streamed(x) for k, x in v.items()}
        if isinstance(v, list):
            return [streamed(x) for x in v]
        return v

    expected = json.dumps(value, ensure_ascii=False, indent=2)
    assert "".join(json_chunks(value)) == expected
    assert "".join(json_chunks(streamed(value))) == expected


def test_an_empty_report_streams(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("Collection ID,Item ID,Field,en,de\nc,1,title,Hello,Hallo\n", encoding="utf-8")
    report = check_files([path], CheckConfig())
    for fmt in FORMATS:
        assert "".join(batches(chunks(report, fmt))) == render(report, fmt)
    assert "".join(json_chunks({"findings": Items(iter(()))})) == '{\n  "findings": []\n}'


def test_batches_never_split_a_piece() -> None:
    pieces = ["x" * 40_000, "y" * 40_000, "z"]
    assert list(batches(pieces)) == ["x" * 40_000 + "y" * 40_000, "z"]
    assert list(batches([])) == []


class _Code(IntEnum):
    ONE = 1


class _Name(StrEnum):
    A = "a"


@pytest.mark.parametrize(
    "value",
    [
        "",
        'tab\there "quoted" \\ back \x00\x1f\u2028 ü 日本 \U0001f600',
        0,
        -12,
        True,
        False,
        None,
        1.5,
        float("nan"),
        float("-inf"),
        _Code.ONE,
        _Name.A,
        (1, "two", [3]),
        {"a": {"b": [{}, [], {"c": (None, True)}]}},
        {1: "int key", None: "none key", 2.5: "float key", False: "bool key"},
        {"x": {3: "a nested dict with an int key"}, "y": [1.25, -0.0]},
        {"é": "ü", "": ""},
    ],
)
def test_dumps_is_json_dumps(value: object) -> None:
    expected = json.dumps(value, ensure_ascii=False, indent=2)
    assert dumps(value) == expected
    assert dumps(value, "\n    ") == expected.replace("\n", "\n    ")


@pytest.mark.parametrize(
    "text", ["", "plain", "tab\tLF\nCR\r", "\x00\x08\x0b\x0c\x0e\x1f\x7f", "\ufffd\ufffe\uffff"]
)
def test_junit_text_keeps_what_xml_holds_and_shows_the_rest(text: str) -> None:
    shown = "".join(
        ch if ch in "\t\n\r" or (ch >= " " and ch not in "\ufffe\uffff") else f"\\x{ord(ch):02x}"
        for ch in text
    )
    assert junit._clean(text) == shown


def _listed(f: Finding) -> str:
    """A finding's lines in the text report, spelled out from details() (the reference)."""
    key = f" [{f.key}]" if f.key else ""
    message = f.message.replace("\r", "\\r").replace("\n", "\\n")
    lines = [f"  {location(f)}: {f.severity}: {f.code}{key}: {message}"]
    lines += [f"      {line}" for line in details(f, related_limit=20)]
    return "".join(f"{line}\n" for line in lines)


_ODD = [
    Finding("missing-translation", Severity.ERROR, "t.csv", 3, "c|1|title", "de", "no German"),
    Finding("x", Severity.WARNING, "t.csv", None, "", "", "about the file\r\nitself"),
    Finding("y", Severity.ERROR, "u.po", 7, "k", "fr", "m", source="a\nb", translation=""),
    Finding("y", Severity.ERROR, "u.po", 8, "k", "fr", "m", source="", translation="c\rd"),
    Finding(
        "placeholder",
        Severity.ERROR,
        "t.csv",
        9,
        "k",
        "de",
        "lost {n}",
        source="x {n}\ny",
        translation="x\ny",
        column=3,
        end_column=7,
        span_in="source",
    ),
    Finding("z", Severity.WARNING, "t.csv", 2, "k", "de", "m", column=1, end_column=1),
    Finding("z", Severity.WARNING, "t.csv", 2, "k", "de", "m", source="s", column=1),
    Finding(
        "inconsistent-translation",
        Severity.WARNING,
        "t.csv",
        4,
        "k1",
        "de",
        "varies",
        source="Hi",
        translation="Hallo",
        related=tuple(Related(f"k{i}", i if i % 2 else None, f"Hi\n{i}") for i in range(25)),
    ),
]


def test_findings_text_is_each_finding_listed(report: Report) -> None:
    found = [*report.findings, *_ODD]
    assert findings_text(found) == "".join(_listed(f) for f in found)
    assert findings_text([]) == ""


def test_findings_text_of_parts_joins_to_the_whole(report: Report) -> None:
    found = [*_ODD, *report.findings, *_ODD]
    whole = findings_text(found)
    for cut in (1, 3, len(found) // 2, len(found) - 1):
        assert findings_text(found[:cut]) + findings_text(found[cut:]) == whole
