"""The collection flows: export a collection's items to a file, import a file into a collection.

Export (source ``wixDataCollection``, destination ``file``) keeps the items that pass
``filterQuery.filter`` (Wix query syntax) and writes ``filterQuery.fields`` (default: the system
fields then every field), ``_id`` first: CSV with the field keys as header, or JSONL. A
translatable field is written as its primary-locale text.

Import (source ``file``, destination ``wixDataCollection``) honours ``writePolicy`` (Wix's
default when it is left out: ``OVERWRITE``):
``SKIP_EXISTING`` logs each item whose ``_id`` exists (``WDE0074``), ``OVERWRITE`` replaces it,
``TRUNCATE_BEFORE`` empties the collection first. A value of the wrong type is logged for its
row (``WDH0003``). A missing collection fails the job (``WDE0025``), a malformed filter or an
unknown column too (``WDH0001``).
"""

from __future__ import annotations

import json
import math
import uuid
from typing import Any

from wixloc.sandbox.errors import JobFailure, invalid
from wixloc.sandbox.filters import FilterError, matches
from wixloc.sandbox.localization import check_destination_format, csv_bytes, parse_csv
from wixloc.sandbox.runner import JobContext, iso
from wixloc.sandbox.store import Collection, Field, Site

__all__ = [
    "SYSTEM_FIELDS",
    "WRITE_POLICIES",
    "export_collection",
    "import_collection",
    "validate_export",
    "validate_import",
]

SYSTEM_FIELDS = ("_id", "_createdDate", "_updatedDate", "_owner")
WRITE_POLICIES = ("OVERWRITE", "SKIP_EXISTING", "TRUNCATE_BEFORE")
DEFAULT_POLICY = "OVERWRITE"  # Wix's default when writePolicy is left out


def validate_export(body: dict[str, Any]) -> None:
    source = body["source"]["wixDataCollection"]
    if not source.get("collectionId"):
        raise invalid("source.wixDataCollection.collectionId", "is required")
    check_destination_format(body)


def validate_import(body: dict[str, Any]) -> None:
    dest = body["destination"]["wixDataCollection"]
    if not dest.get("collectionId"):
        raise invalid("destination.wixDataCollection.collectionId", "is required")
    if dest.get("writePolicy", DEFAULT_POLICY) not in WRITE_POLICIES:
        raise invalid(
            "destination.wixDataCollection.writePolicy",
            "must be one of " + ", ".join(WRITE_POLICIES),
        )
    if not body["source"]["file"].get("fileId"):
        raise invalid("source.file.fileId", "is required")


def _collection(ctx: JobContext, site: Site, collection_id: str) -> Collection:
    found = ctx.store.collection(site.id, collection_id)
    if found is None:
        raise JobFailure("WDE0025", f"collection '{collection_id}' does not exist")
    return found


def _plain(item: dict[str, Any], key: str, collection: Collection, primary: str) -> Any:
    """A field's value as a query or an export sees it (translatable: the primary text)."""
    value = item.get(key)
    f = collection.field(key)
    if f is not None and f.translatable and isinstance(value, dict):
        return value.get(primary)
    return value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def export_collection(ctx: JobContext) -> None:
    site = ctx.source_site
    source = ctx.job["source"]["wixDataCollection"]
    collection = _collection(ctx, site, source["collectionId"])
    query = source.get("filterQuery") or {}
    flt = query.get("filter") or source.get("filter") or {}  # top-level "filter": deprecated
    fields = _fields(collection, query.get("fields"))

    def value(item: dict[str, Any], key: str) -> Any:
        return _plain(item, key, collection, site.primary_locale)

    try:
        items = [i for i in ctx.store.items(site.id, collection.id) if matches(i, flt, value)]
    except FilterError as exc:
        raise JobFailure("WDH0001", f"invalid filter: {exc}") from None
    ctx.begin(len(items))
    rows = []
    for item in items:
        rows.append({key: value(item, key) for key in fields})
        ctx.ok()
    dest = ctx.job["destination"]["file"]
    fmt = dest.setdefault("format", dest.get("format") or "CSV")
    name = dest.get("fileName") or f"{collection.id}.{fmt.lower()}"
    ctx.write_result(_render(fields, rows, fmt), name)


def _fields(collection: Collection, wanted: Any) -> list[str]:
    known = [*SYSTEM_FIELDS, *(f.key for f in collection.fields)]
    if not wanted:
        return known
    if not isinstance(wanted, list) or not all(isinstance(k, str) for k in wanted):
        raise JobFailure("WDH0001", "filterQuery.fields must be a list of field keys")
    unknown = [k for k in wanted if k not in known]
    if unknown:
        raise JobFailure("WDH0001", f"unknown field '{unknown[0]}' in {collection.id}")
    return ["_id", *(k for k in wanted if k != "_id")]


def _render(fields: list[str], rows: list[dict[str, Any]], fmt: str) -> bytes:
    if fmt == "JSONL":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8")
    return csv_bytes([fields, *([_cell(r[k]) for k in fields] for r in rows)])


# --- import ----------------------------------------------------------------------------------


def _records(data: bytes, fmt: str | None) -> tuple[list[str], list[tuple[int, dict[str, Any]]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise JobFailure("WDH0003", "the file is not UTF-8 text") from None
    if fmt == "JSONL" or (fmt is None and text.lstrip().startswith("{")):
        rows = []
        for number, line in enumerate(text.split("\n"), start=1):
            if line.strip():
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError:
                    obj = None
                if not isinstance(obj, dict):
                    raise JobFailure("WDH0003", f"line {number} is not a JSON object")
                rows.append((number, obj))
        header = list(dict.fromkeys(k for _, r in rows for k in r))
        return header, rows
    header, records = parse_csv(text)
    return header, list(records)


def _convert(f: Field, raw: Any) -> Any:
    """A CSV cell or JSON value as the field's type; ValueError when it is not one."""
    if not isinstance(raw, str):
        return raw
    if raw == "":
        return None
    if f.type == "NUMBER":
        number = float(raw)
        if not math.isfinite(number):
            raise ValueError(raw)
        return int(number) if number.is_integer() and "." not in raw else number
    if f.type == "BOOLEAN":
        if raw.lower() not in ("true", "false"):
            raise ValueError(raw)
        return raw.lower() == "true"
    if f.type.startswith("ARRAY"):
        value = json.loads(raw)
        if not isinstance(value, list):
            raise ValueError(raw)
        return value
    return raw


def import_collection(ctx: JobContext) -> None:
    site = ctx.destination_site
    dest = ctx.job["destination"]["wixDataCollection"]
    collection = _collection(ctx, site, dest["collectionId"])
    policy = dest.setdefault("writePolicy", DEFAULT_POLICY)
    source = ctx.job["source"]["file"]
    header, rows = _records(ctx.read_upload(source["fileId"]), source.get("format"))
    allowed = {*SYSTEM_FIELDS, *(f.key for f in collection.fields)}
    unknown = [k for k in header if k not in allowed]
    if unknown:
        raise JobFailure("WDH0001", f"field '{unknown[0]}' does not exist in {collection.id}")
    if policy == "TRUNCATE_BEFORE":
        ctx.store.clear_items(site.id, collection.id)
    ctx.begin(len(rows))
    for number, row in rows:
        _import_item(ctx, site, collection, policy, number, row)


def _import_item(
    ctx: JobContext,
    site: Site,
    collection: Collection,
    policy: str,
    number: int,
    row: dict[str, Any],
) -> None:
    item_id = str(row.get("_id") or uuid.uuid4())
    existing = ctx.store.item(site.id, collection.id, item_id)
    if existing is not None and policy == "SKIP_EXISTING":
        ctx.reject(item_id, "WDE0074", "item already exists", row=number)
        return
    now = iso(ctx.now())
    item: dict[str, Any] = {
        "_id": item_id,
        "_createdDate": str(row.get("_createdDate") or (existing or {}).get("_createdDate") or now),
        "_updatedDate": now,
        "_owner": str(row.get("_owner") or (existing or {}).get("_owner") or ""),
    }
    for f in collection.fields:
        if f.key not in row:
            continue
        try:
            value = _convert(f, row[f.key])
        except ValueError:
            ctx.reject(
                str(number),
                "WDH0003",
                f"field '{f.key}' expects {f.type}, got {str(row[f.key])[:40]!r}",
                itemId=item_id,
                field=f.key,
            )
            return
        item[f.key] = (
            {site.primary_locale: value} if f.translatable and value is not None else value
        )
    ctx.store.put_item(site.id, collection.id, item)
    ctx.ok()
