"""The localization flows: export the site's translatable content to a file, import it back.

Export writes ``Collection ID,Item ID,Field,<languages in job order>`` (CSV, UTF-8 without BOM,
LF, minimal quoting) or one JSON object per row (JSONL): every translatable field of every item,
collections, items and fields in site order, an empty cell where a language has no text.

Import reads CSV or JSONL by its header. The job's first language must be the site's primary
locale and the file's first language column too (else ``WDH0001``); a language not enabled on the
site fails the job (``WDE0162``); an unreadable file fails it (``WDH0003``). Rows for an unknown
collection (``WDE0025``), item (``WDE0073``) or a field that is not translatable (``WDE0157``) are
rejected with a movement log whose ``sourceItemId`` is the row number (the header is row 1).
An empty cell removes that language's text (the main language's too).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from wixloc.sandbox.errors import JobFailure, invalid
from wixloc.sandbox.runner import JobContext, iso
from wixloc.sandbox.store import Site

__all__ = [
    "KEY_COLUMNS",
    "check_destination_format",
    "csv_bytes",
    "export_localization",
    "export_rows",
    "import_localization",
    "render",
    "validate_export",
    "validate_import",
]

KEY_COLUMNS = ("Collection ID", "Item ID", "Field")
FORMATS = ("CSV", "JSONL")
Row = list[str]


def _check_languages(languages: Any, field: str) -> None:
    if not isinstance(languages, list) or not all(isinstance(x, str) for x in languages):
        raise invalid(field, "must be a list of language tags")
    if not 2 <= len(languages) <= 64:
        raise invalid(field, "must hold 2 to 64 languages, the main language first")


def _check_format(fmt: Any, field: str, *, required: bool = False) -> None:
    """A file destination's format is required; a file source's may be left to Wix."""
    if fmt is None and required:
        raise invalid(field, "is required (CSV or JSONL)")
    if fmt is not None and fmt not in FORMATS:
        raise invalid(field, "must be CSV or JSONL")


def validate_export(body: dict[str, Any]) -> None:
    _check_languages(
        body["source"]["localization"].get("languages"), "source.localization.languages"
    )
    check_destination_format(body)


def check_destination_format(body: dict[str, Any]) -> None:
    """``destination.file.format``: required, CSV or JSONL (a 400 naming the field)."""
    fmt = body["destination"]["file"].get("format")
    _check_format(fmt, "destination.file.format", required=True)


def validate_import(body: dict[str, Any]) -> None:
    _check_languages(
        body["destination"]["localization"].get("languages"), "destination.localization.languages"
    )
    if not body["source"]["file"].get("fileId"):
        raise invalid("source.file.fileId", "is required")
    _check_format(body["source"]["file"].get("format"), "source.file.format")


def site_languages(site: Site, languages: list[str]) -> list[str]:
    """The site's spelling of each job language; fails the job as Wix would."""
    spelled = []
    for tag in languages:
        locale = site.locale(tag)
        if locale is None:
            raise JobFailure("WDE0162", f"language '{tag}' is not enabled for the site")
        spelled.append(locale)
    if spelled[0] != site.primary_locale:
        raise JobFailure(
            "WDH0001",
            f"the first language must be the site's main language '{site.primary_locale}',"
            f" not '{languages[0]}'",
        )
    return spelled


def _text(value: Any, locale: str, primary: str) -> str:
    # a plain value in a translatable field counts as main-language text
    plain = value if locale == primary else None
    text = value.get(locale) if isinstance(value, dict) else plain
    if isinstance(text, dict | list):  # a RICH_CONTENT (Ricos) document: its compact JSON text
        return json.dumps(text, ensure_ascii=False, separators=(",", ":"))
    return "" if text is None else str(text)


def export_rows(ctx_site: Site, store: Any, locales: list[str]) -> Iterator[Row]:
    """Key cells then one text per locale, for every translatable field of every item."""
    for collection in store.collections(ctx_site.id):
        fields = collection.translatable
        if not fields:
            continue
        for item in store.items(ctx_site.id, collection.id):
            for f in fields:
                value = item.get(f.key)
                texts = [_text(value, loc, ctx_site.primary_locale) for loc in locales]
                yield [collection.id, str(item["_id"]), f.key, *texts]


def render(header: list[str], rows: list[Row], fmt: str) -> bytes:
    """CSV (LF, minimal quoting, no BOM) or JSONL bytes."""
    if fmt == "JSONL":
        lines = [
            json.dumps(dict(zip(header, row, strict=True)), ensure_ascii=False) for row in rows
        ]
        return "".join(line + "\n" for line in lines).encode("utf-8")
    return csv_bytes([header, *rows])


def csv_bytes(rows: list[Row]) -> bytes:
    """CSV with LF line ends and minimal quoting, UTF-8 without BOM.

    Python's csv module leaves a lone CR unquoted when the line terminator is LF, and every
    reader then takes it for a line break: such a cell is quoted by hand.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in rows:
        if any("\r" in cell for cell in row):
            out.write(",".join(_quoted(cell) for cell in row) + "\n")
        else:
            writer.writerow(row)
    return out.getvalue().encode("utf-8")


def _quoted(cell: str) -> str:
    if any(ch in cell for ch in ',"\r\n'):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def export_localization(ctx: JobContext) -> None:
    languages = list(ctx.job["source"]["localization"]["languages"])
    locales = site_languages(ctx.source_site, languages)
    rows = list(export_rows(ctx.source_site, ctx.store, locales))
    ctx.begin(len(rows))
    for _ in rows:
        ctx.ok()
    dest = ctx.job["destination"]["file"]
    fmt = dest.get("format") or "CSV"
    dest["format"] = fmt
    name = dest.get("fileName") or f"localization.{fmt.lower()}"
    ctx.write_result(render([*KEY_COLUMNS, *languages], rows, fmt), name)


# --- import ----------------------------------------------------------------------------------


def _parse(data: bytes, fmt: str | None) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise JobFailure("WDH0003", "the file is not UTF-8 text") from None
    if fmt == "JSONL" or (fmt is None and text.lstrip().startswith("{")):
        return _parse_jsonl(text)
    return parse_csv(text)


def parse_csv(text: str) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """An uploaded CSV's header and its rows as (row number, cells by column); WDH0003 if bad.

    The sandbox reads uploads with the csv module, not wixloc's own reader, so that the tests
    of wixloc's files against the sandbox compare two implementations.
    """
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as exc:
        raise JobFailure("WDH0003", f"the CSV file cannot be parsed: {exc}") from None
    if not records:
        raise JobFailure("WDH0003", "the file is empty")
    header = records[0]
    rows = []
    for number, cells in enumerate(records[1:], start=2):
        if not cells:
            continue
        if len(cells) != len(header):
            raise JobFailure("WDH0003", f"row {number} has {len(cells)} cells, not {len(header)}")
        rows.append((number, dict(zip(header, cells, strict=True))))
    return header, iter(rows)


def _parse_jsonl(text: str) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    rows = []
    header: list[str] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError:
            raise JobFailure("WDH0003", f"line {number} is not a JSON object") from None
        if not isinstance(obj, dict):
            raise JobFailure("WDH0003", f"line {number} is not a JSON object")
        header = header or list(obj)
        rows.append((number, {str(k): "" if v is None else str(v) for k, v in obj.items()}))
    return header, iter(rows)


def _language_columns(header: list[str], languages: list[str], site: Site) -> dict[str, str]:
    """Site locale → the file's column for it; checks key columns and the first language."""
    missing = [k for k in KEY_COLUMNS if k not in header]
    if missing:
        raise JobFailure("WDH0003", f"the file has no column {', '.join(missing)}")
    columns: dict[str, str] = {}
    for title in header:
        locale = site.locale(title)
        if locale is not None and any(locale == site.locale(t) for t in languages):
            columns.setdefault(locale, title)
    for tag in languages:
        if site.locale(tag) not in columns:
            raise JobFailure("WDH0003", f"the file has no column for language '{tag}'")
    first = next(iter(columns))
    if first != site.primary_locale:
        raise JobFailure(
            "WDH0001",
            f"the file's first language column is '{columns[first]}', "
            f"not the site's main language '{site.primary_locale}'",
        )
    return columns


def import_localization(ctx: JobContext) -> None:
    site = ctx.destination_site
    languages = list(ctx.job["destination"]["localization"]["languages"])
    site_languages(site, languages)
    source = ctx.job["source"]["file"]
    header, rows = _parse(ctx.read_upload(source["fileId"]), source.get("format"))
    columns = _language_columns(header, languages, site)
    rows_list = list(rows)
    ctx.begin(len(rows_list))
    for number, row in rows_list:
        _import_row(ctx, site, number, row, columns)


def _ricos(text: str) -> Any:
    """The Ricos document a RICH_CONTENT cell holds as JSON text, or None."""
    try:
        document = json.loads(text)
    except ValueError:
        return None
    return (
        document if isinstance(document, dict) and isinstance(document.get("nodes"), list) else None
    )


def _import_row(
    ctx: JobContext, site: Site, number: int, row: dict[str, str], columns: dict[str, str]
) -> None:
    key = {"collectionId": row["Collection ID"], "itemId": row["Item ID"], "field": row["Field"]}
    collection = ctx.store.collection(site.id, key["collectionId"])
    if collection is None:
        ctx.reject(str(number), "WDE0025", "collection does not exist", **key)
        return
    item = ctx.store.item(site.id, collection.id, key["itemId"])
    if item is None:
        ctx.reject(str(number), "WDE0073", "item does not exist", **key)
        return
    field = collection.field(key["field"])
    if field is None or not field.translatable:
        ctx.reject(str(number), "WDE0157", "field type is not translatable", **key)
        return
    value = item.get(field.key)
    texts = dict(value) if isinstance(value, dict) else {}
    if isinstance(value, str):
        texts[site.primary_locale] = value
    for locale, column in columns.items():
        if row[column] and field.type == "RICH_CONTENT":
            document = _ricos(row[column])
            if document is None:
                ctx.reject(str(number), "WDE0004", "rich content is not a Ricos document", **key)
                return
            texts[locale] = document
        elif row[column]:
            texts[locale] = row[column]
        else:
            texts.pop(locale, None)
    if texts != value:
        item[field.key] = texts
        item["_updatedDate"] = iso(ctx.now())
        ctx.store.put_item(site.id, collection.id, item)
    ctx.ok()
