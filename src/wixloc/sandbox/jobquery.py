"""Cursor paging and the job query's filter and sort, shared by the list endpoints."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from wixloc.sandbox.errors import invalid
from wixloc.sandbox.filters import FilterError, matches

__all__ = ["page", "query_jobs"]

DEFAULT_LIMIT = 50
MAX_LIMIT = 100


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"o": offset}).encode()).decode().rstrip("=")


def _offset(cursor: Any) -> int:
    if not cursor:
        return 0
    try:
        raw = base64.urlsafe_b64decode(str(cursor) + "=" * (-len(str(cursor)) % 4))
        offset = json.loads(raw)["o"]
    except (binascii.Error, ValueError, KeyError, TypeError):
        raise invalid("paging.cursor", "is not a cursor this API returned") from None
    if not isinstance(offset, int) or offset < 0:
        raise invalid("paging.cursor", "is not a cursor this API returned")
    return offset


def _limit(paging: dict[str, Any]) -> int:
    raw = paging.get("limit", DEFAULT_LIMIT)
    try:
        limit = int(raw)
    except (TypeError, ValueError):
        raise invalid("paging.limit", "must be a whole number") from None
    if not 1 <= limit <= MAX_LIMIT:
        raise invalid("paging.limit", f"must be between 1 and {MAX_LIMIT}")
    return limit


def page(items: list[Any], paging: Any) -> tuple[list[Any], dict[str, Any]]:
    """One page of *items* and its ``pagingMetadata`` (``count``, ``cursors``, ``hasNext``)."""
    paging = paging if isinstance(paging, dict) else {}
    limit = _limit(paging)
    offset = _offset(paging.get("cursor"))
    found = items[offset : offset + limit]
    has_next = offset + limit < len(items)
    cursors: dict[str, str] = {}
    if has_next:
        cursors["next"] = _cursor(offset + limit)
    if offset > 0:
        cursors["prev"] = _cursor(max(0, offset - limit))
    return found, {"count": len(found), "cursors": cursors, "hasNext": has_next}


def query_jobs(jobs: list[dict[str, Any]], query: dict[str, Any]) -> list[dict[str, Any]]:
    """*jobs* (newest first) filtered and sorted as the query asks."""
    flt = query.get("filter") or {}
    if not isinstance(flt, dict):
        raise invalid("query.filter", "must be an object")
    try:
        found = [job for job in jobs if matches(job, flt)]
    except FilterError as exc:
        raise invalid("query.filter", str(exc)) from None
    sorts = query.get("sort") or []
    if not isinstance(sorts, list):
        raise invalid("query.sort", "must be a list of {fieldName, order}")
    for spec in reversed(sorts):
        name = spec.get("fieldName") if isinstance(spec, dict) else None
        if not isinstance(name, str):
            raise invalid("query.sort.fieldName", "is required")
        descending = str(spec.get("order", "ASC")).upper() == "DESC"
        found.sort(
            key=lambda job: (job.get(name) is None, str(job.get(name) or "")), reverse=descending
        )
    return found
