"""Every tricky string survives the round trip through the sandbox: table → import job →
export job → table, through the client and wixloc's own CSV reader and writer."""

from __future__ import annotations

import io
import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.sandbox import ITEM1, client_for, make_app
from tests.support.strings import TRICKY
from wixloc.formats import get as get_format
from wixloc.formats import load_table
from wixloc.model import Column, ColumnKind, Entry, Language, Table
from wixloc.wix.jobs import export_localization, import_localization

KEY = ("Products", ITEM1, "title")


def upload(texts: dict[str, str]) -> bytes:
    """The CSV wixloc uploads for one row, written by its own CSV writer."""
    langs = [Language(tag) for tag in texts]
    columns = [Column(name, ColumnKind.KEY) for name in ("Collection ID", "Item ID", "Field")]
    columns += [Column(lang.tag, ColumnKind.LANGUAGE, lang) for lang in langs]
    table = Table(langs, columns, [Entry(KEY, {Language(t): v for t, v in texts.items()})])
    out = io.BytesIO()
    write = get_format("csv").write_table
    assert write is not None
    write(table, out)
    return out.getvalue()


def round_trip(text: str, folder: Path) -> str:
    client = client_for(make_app())
    job = import_localization(client, upload({"en": "Gift box", "de": text}), ["en", "de"])
    assert job.status == "COMPLETED", job.error
    export_localization(client, ["en", "de"], folder / "out.csv")
    entry = load_table(folder / "out.csv").index()[KEY]
    return entry.text(Language("de"))


def test_tricky_strings(tmp_path: Path) -> None:
    for name, text in TRICKY.items():
        assert round_trip(text, tmp_path) == text, name


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), min_size=1))
def test_any_text(tmp_path: Path, text: str) -> None:
    assert round_trip(text, tmp_path) == text


def test_tricky_strings_through_jsonl(tmp_path: Path) -> None:
    """JSONL splits at LF only: U+2028, U+0085 and CR stay inside strings."""
    client = client_for(make_app())
    texts = {**TRICKY, "separators": "a\u2028b\u0085c\u2029d\x0be\x0cf"}
    for name, text in texts.items():
        row = {"Collection ID": KEY[0], "Item ID": KEY[1], "Field": KEY[2], "en": "x", "de": text}
        data = (json.dumps(row, ensure_ascii=False) + "\r\n").encode("utf-8")
        job = import_localization(client, data, ["en", "de"], fmt="JSONL")
        assert job.status == "COMPLETED", (name, job.error)
        export_localization(client, ["en", "de"], tmp_path / "out.jsonl", fmt="JSONL")
        first = (tmp_path / "out.jsonl").read_text(encoding="utf-8").split("\n")[0]
        assert json.loads(first)["de"] == text, name
