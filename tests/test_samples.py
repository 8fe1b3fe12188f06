"""The sample site (samples/site.json) and its export (samples/content.csv) agree and are sound.

The sandbox and `wixloc demo` seed from site.json, and the sandbox's own export must reproduce
content.csv byte for byte, so both files are checked here with the standard library only,
independent of wixloc's CSV code.
"""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
from collections import Counter
from datetime import datetime
from typing import Any

import pytest

from tests.conftest import REPO
from tests.support.ricos import nodes, without_text

SAMPLES = REPO / "samples"
SYSTEM_FIELDS = ("_id", "_createdDate", "_updatedDate", "_owner")
FIELD_TYPES = {
    "TEXT",
    "RICH_TEXT",
    "RICH_CONTENT",
    "NUMBER",
    "BOOLEAN",
    "DATETIME",
    "URL",
    "ARRAY_STRING",
    "IMAGE",
}
PLACEHOLDER = re.compile(r"\{\{\w+\}\}|\{\w+\}")
TAG = re.compile(r"<[^>]+>")
ISO_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")


@pytest.fixture(scope="module")
def site() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SAMPLES / "site.json").read_text(encoding="utf-8"))
    return data


def _locales(site: dict[str, Any]) -> list[str]:
    locales: list[str] = site["site"]["locales"]
    return locales


def _translatable(site: dict[str, Any]) -> list[tuple[str, dict[str, Any], str]]:
    """(collection id, item, field key) for every translatable field, in seed order."""
    return [
        (coll["id"], item, field["key"])
        for coll in site["collections"]
        for item in coll["items"]
        for field in coll["fields"]
        if field["translatable"]
    ]


def _is_iso_utc(value: object) -> bool:
    if not isinstance(value, str) or not ISO_UTC.fullmatch(value):
        return False
    datetime.fromisoformat(value.replace("Z", "+00:00"))
    return True


def _is_guid(value: object) -> bool:
    return isinstance(value, str) and str(uuid.UUID(value)) == value


def _value_fits(field_type: str, value: object) -> bool:
    checks: dict[str, bool] = {
        "TEXT": isinstance(value, str),
        "RICH_TEXT": isinstance(value, str),
        "URL": isinstance(value, str) and value.startswith(("https://", "http://")),
        "IMAGE": isinstance(value, str) and value.startswith("wix:image://v1/"),
        "NUMBER": isinstance(value, int | float) and not isinstance(value, bool),
        "BOOLEAN": isinstance(value, bool),
        "DATETIME": _is_iso_utc(value),
        "ARRAY_STRING": isinstance(value, list) and all(isinstance(v, str) for v in value),
    }
    return checks[field_type]


def test_site_header(site: dict[str, Any]) -> None:
    header = site["site"]
    assert _is_guid(header["id"])
    assert header["name"]
    assert header["primaryLocale"] == "en"
    assert _locales(site) == ["en", "de", "fr", "he", "ja"]
    assert _locales(site)[0] == header["primaryLocale"]


def test_collections_and_fields(site: dict[str, Any]) -> None:
    ids = [coll["id"] for coll in site["collections"]]
    assert ids == ["Products", "BlogPosts", "FAQ"]
    for coll in site["collections"]:
        assert set(coll) == {"id", "displayName", "fields", "items"}
        keys = [field["key"] for field in coll["fields"]]
        assert len(keys) == len(set(keys)), coll["id"]
        for field in coll["fields"]:
            assert set(field) == {"key", "type", "translatable"}
            assert field["type"] in FIELD_TYPES, (coll["id"], field)
            assert not field["key"].startswith("_")


def test_items_have_system_fields_and_typed_values(site: dict[str, Any]) -> None:
    locales = _locales(site)
    all_ids = [item["_id"] for coll in site["collections"] for item in coll["items"]]
    assert len(all_ids) == len(set(all_ids))
    for coll in site["collections"]:
        fields = coll["fields"]
        for item in coll["items"]:
            where = (coll["id"], item.get("_id"))
            assert list(item) == [*SYSTEM_FIELDS, *(f["key"] for f in fields)], where
            assert _is_guid(item["_id"]) and _is_guid(item["_owner"]), where
            assert _is_iso_utc(item["_createdDate"]) and _is_iso_utc(item["_updatedDate"]), where
            assert item["_createdDate"] <= item["_updatedDate"], where
            for field in fields:
                value = item[field["key"]]
                if not field["translatable"]:
                    assert _value_fits(field["type"], value), (*where, field["key"])
                    continue
                assert isinstance(value, dict), (*where, field["key"])
                assert next(iter(value)) == locales[0], (*where, field["key"])
                # Locales appear in site order; a missing locale means "not translated".
                assert list(value) == [loc for loc in locales if loc in value]
                for text in value.values():
                    if field["type"] == "RICH_CONTENT":
                        assert _is_ricos_document(text), (*where, field["key"])
                        continue
                    assert isinstance(text, str) and text, (*where, field["key"])


def _is_ricos_document(value: object) -> bool:
    """A Ricos document: a list of typed nodes, every block with an id of its own."""
    if not isinstance(value, dict) or not isinstance(value.get("nodes"), list):
        return False
    ids = [n["id"] for n in nodes(value) if n["type"] != "TEXT"]
    return all(ids) and len(ids) == len(set(ids))


def _cell(value: object) -> str:
    """A cell of the export: text as it is, a Ricos document as its compact JSON."""
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    assert isinstance(value, str)
    return value


def test_rich_content_documents(site: dict[str, Any]) -> None:
    """The RICH_CONTENT field: realistic Ricos documents, translations keeping the structure."""
    rich = [
        (item, key) for _, item, key in _translatable(site) if isinstance(item[key]["en"], dict)
    ]
    assert len(rich) == 10
    kinds: Counter[str] = Counter()
    decorations: Counter[str] = Counter()
    for item, key in rich:
        main = item[key]["en"]
        found = nodes(main)
        assert any(n["type"] == "IMAGE" and n["imageData"]["altText"] for n in found), item["_id"]
        kinds.update(n["type"] for n in found)
        for n in found:
            if n["type"] == "TEXT":
                decorations.update(d["type"] for d in n["textData"]["decorations"])
        for locale, doc in item[key].items():
            assert without_text(doc) == without_text(main), (item["_id"], locale)
    assert {"PARAGRAPH", "HEADING", "BULLETED_LIST", "LIST_ITEM", "IMAGE", "TEXT"} <= set(kinds)
    assert {"BOLD", "ITALIC", "LINK"} <= set(decorations)
    translated = Counter(loc for item, key in rich for loc in item[key])
    assert translated["en"] == 10 and all(translated[loc] for loc in ("de", "fr", "he", "ja"))


def test_size_and_filter_examples(site: dict[str, Any]) -> None:
    assert len(site["collections"]) >= 3
    assert len(_translatable(site)) >= 120
    products = next(c for c in site["collections"] if c["id"] == "Products")
    xmas = [item for item in products["items"] if "xmas" in item["holidays"]]
    assert 4 <= len(xmas) < len(products["items"])


def test_translations_keep_placeholders_and_markup(site: dict[str, Any]) -> None:
    for coll_id, item, key in _translatable(site):
        texts: dict[str, Any] = item[key]
        main = texts["en"]
        if not isinstance(main, str):
            continue  # a Ricos document: test_rich_content_documents
        for locale, text in texts.items():
            where = (coll_id, item["_id"], key, locale)
            assert Counter(PLACEHOLDER.findall(text)) == Counter(PLACEHOLDER.findall(main)), where
            assert Counter(TAG.findall(text)) == Counter(TAG.findall(main)), where
            assert text.count("\n") == main.count("\n"), where


def test_coverage_is_partial_and_differs_per_language(site: dict[str, Any]) -> None:
    entries = [item[key] for _, item, key in _translatable(site)]
    filled = {loc: sum(loc in texts for texts in entries) for loc in _locales(site)}
    assert filled["en"] == len(entries)
    assert len(entries) > filled["de"] > filled["fr"] > filled["he"] > filled["ja"] > 0
    assert any(len(texts) == 1 for texts in entries), "some entries untranslated everywhere"


def _expected_rows(site: dict[str, Any]) -> list[list[str]]:
    locales = _locales(site)
    rows = [["Collection ID", "Item ID", "Field", *locales]]
    for coll_id, item, key in _translatable(site):
        texts: dict[str, str] = item[key]
        cells = (_cell(texts[loc]) if loc in texts else "" for loc in locales)
        rows.append([coll_id, item["_id"], key, *cells])
    return rows


def test_content_csv_matches_site(site: dict[str, Any]) -> None:
    raw = (SAMPLES / "content.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    expected = _expected_rows(site)
    assert rows[0] == expected[0]
    assert len(rows) == len(expected)
    for got, want in zip(rows, expected, strict=True):
        assert got == want, want[:3]


def test_content_csv_bytes_are_the_plain_writer_dialect(site: dict[str, Any]) -> None:
    """Minimal quoting, LF row ends: what csv.writer(f, lineterminator="\\n") gives."""
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\n").writerows(_expected_rows(site))
    assert (SAMPLES / "content.csv").read_bytes() == buffer.getvalue().encode("utf-8")
