"""JSON Lines: one object per entry, with the same names as the CSV columns.

``{"Collection ID": "products", "Item ID": "p-1", "Field": "title", "en": "Mug", "de": "Becher"}``

Every object has the same names in the same order; values are strings (``null`` reads as an
empty cell). Columns are classified like CSV headers, so CSV → JSONL → CSV gives the same cells.
"""

from __future__ import annotations

import json
from typing import BinaryIO

from wixloc.errors import InputError
from wixloc.formats import Format, ReadOptions
from wixloc.formats._columns import classify, duplicate_key_error
from wixloc.formats._text import decode
from wixloc.model import ColumnKind, Entry, Key, Table

__all__ = ["FORMAT", "read", "write"]


def read(fh: BinaryIO, options: ReadOptions) -> Table:
    text, _bom, _encoding = decode(fh.read(), options.name, options.encoding)
    # Only LF (or CRLF) ends a line: str.splitlines() would also split at U+0085 and U+2028,
    # which json.dumps(ensure_ascii=False) leaves raw inside strings.
    lines = (line.removesuffix("\r") for line in text.split("\n"))
    rows = [(n, line) for n, line in enumerate(lines, start=1) if line.strip()]
    if not rows:
        raise InputError(
            "the file is empty",
            file=options.name,
            hint='expected one JSON object per line, such as {"Item ID": "p-1", "en": "Mug"}',
        )
    first_line, first = rows[0][0], _object(rows[0][1], rows[0][0], options.name)
    names = list(first)
    layout = classify(names, options.name, options.languages, line=first_line)
    if layout.long:
        raise InputError(
            "JSON Lines tables need one name per language (a long layout is read from CSV only)",
            file=options.name,
            line=first_line,
        )
    table = Table(languages=layout.languages, columns=layout.columns)
    keys = [c.name for c in layout.columns if c.kind is ColumnKind.KEY]
    metas = [c.name for c in layout.columns if c.kind is ColumnKind.META]
    langs = [(c.language, c.name) for c in layout.columns if c.language is not None]
    seen: dict[Key, int] = {}
    for line, raw in rows:
        obj = first if line == first_line else _object(raw, line, options.name)
        cells = _cells(obj, names, line, options.name)
        key = tuple(cells[k] for k in keys)
        if key in seen and not options.allow_duplicates:
            raise duplicate_key_error(key, line, seen[key], options.name)
        seen.setdefault(key, line)
        texts = {lang: cells[name] for lang, name in langs}
        table.entries.append(Entry(key, texts, {m: cells[m] for m in metas}, line))
    return table


def _object(raw: str, line: int, name: str) -> dict[str, object]:
    try:
        obj = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"not valid JSON: {exc.msg} (column {exc.colno})", file=name, line=line
        ) from None
    if not isinstance(obj, dict):
        raise InputError(
            f"expected a JSON object, found {type(obj).__name__}", file=name, line=line
        )
    return obj


def _cells(obj: dict[str, object], names: list[str], line: int, name: str) -> dict[str, str]:
    if list(obj) != names:
        missing = [n for n in names if n not in obj]
        extra = [n for n in obj if n not in names]
        detail = "; ".join(
            part
            for part in (
                f"missing {', '.join(repr(m) for m in missing)}" if missing else "",
                f"extra {', '.join(repr(e) for e in extra)}" if extra else "",
                "" if missing or extra else "the names are in another order",
            )
            if part
        )
        raise InputError(f"the names differ from the first line: {detail}", file=name, line=line)
    cells: dict[str, str] = {}
    for key, value in obj.items():
        if value is None:
            cells[key] = ""
        elif isinstance(value, str):
            cells[key] = value
        else:
            raise InputError(
                f"the value of '{key}' is {json.dumps(value)}; expected text (a JSON string)",
                file=name,
                line=line,
            )
    return cells


def write(table: Table, fh: BinaryIO) -> None:
    plan = [(c.name, c.kind, c.language) for c in table.columns]
    key_names = [c.name for c in table.columns if c.kind is ColumnKind.KEY]
    parts: list[str] = []
    for entry in table.entries:
        keys = dict(zip(key_names, entry.key, strict=True))
        obj: dict[str, str] = {}
        for name, kind, lang in plan:
            if kind is ColumnKind.KEY:
                obj[name] = keys[name]
            elif lang is not None:
                obj[name] = entry.texts.get(lang, "")
            else:
                obj[name] = entry.meta.get(name, "")
        parts.append(json.dumps(obj, ensure_ascii=False))
        parts.append("\n")
    fh.write("".join(parts).encode("utf-8"))


FORMAT = Format(
    name="jsonl",
    extensions=(".jsonl", ".ndjson"),
    description="JSON Lines: one object per entry, named like the CSV columns",
    read_table=read,
    write_table=write,
)
