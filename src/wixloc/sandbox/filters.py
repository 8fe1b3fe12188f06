"""Wix's query filter syntax, evaluated against plain dicts (items or jobs).

``{"field": value}`` is ``$eq``; ``{"field": {"$op": arg}}`` with ``$eq $ne $gt $gte $lt $lte
$in $nin $hasSome $hasAll $contains $startsWith $endsWith $exists $isEmpty $isNotEmpty``;
``$and`` / ``$or`` take lists of filters, ``$not`` a filter. A malformed filter raises
:class:`FilterError` naming what is wrong; callers turn it into their own error.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["FilterError", "check", "matches"]


class FilterError(ValueError):
    """A filter that is not valid Wix query syntax."""


def _ordered(op: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    def compare(value: Any, arg: Any) -> bool:
        if value is None or isinstance(value, (list, dict)):
            return False
        try:
            return op(value, arg)
        except TypeError:
            return False

    return compare


def _text(op: Callable[[str, str], bool]) -> Callable[[Any, Any], bool]:
    def compare(value: Any, arg: Any) -> bool:
        if not isinstance(arg, str):
            raise FilterError("expects a string")
        return isinstance(value, str) and op(value.lower(), arg.lower())

    return compare


def _list_arg(op: Callable[[Any, list[Any]], bool]) -> Callable[[Any, Any], bool]:
    def compare(value: Any, arg: Any) -> bool:
        if not isinstance(arg, list):
            raise FilterError("expects a list")
        return op(value, arg)

    return compare


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _empty(value: Any) -> bool:
    return value is None or value in ("", [], {})


OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "$eq": lambda v, a: bool(v == a),
    "$ne": lambda v, a: bool(v != a),
    "$gt": _ordered(lambda v, a: bool(v > a)),
    "$gte": _ordered(lambda v, a: bool(v >= a)),
    "$lt": _ordered(lambda v, a: bool(v < a)),
    "$lte": _ordered(lambda v, a: bool(v <= a)),
    "$in": _list_arg(lambda v, a: any(x in a for x in _as_list(v))),
    "$nin": _list_arg(lambda v, a: not any(x in a for x in _as_list(v))),
    "$hasSome": _list_arg(lambda v, a: any(x in _as_list(v) for x in a)),
    "$hasAll": _list_arg(lambda v, a: all(x in _as_list(v) for x in a)),
    "$contains": _text(lambda v, a: a in v),
    "$startsWith": _text(lambda v, a: v.startswith(a)),
    "$endsWith": _text(lambda v, a: v.endswith(a)),
    "$exists": lambda v, a: (v is not None) == bool(a),
    "$isEmpty": lambda v, a: _empty(v) == bool(a),
    "$isNotEmpty": lambda v, a: (not _empty(v)) == bool(a),
}


def matches(
    obj: dict[str, Any], flt: Any, value: Callable[[dict[str, Any], str], Any] | None = None
) -> bool:
    """True if *obj* passes *flt*. *value* reads a field (default: ``obj.get(field)``)."""
    if not isinstance(flt, dict):
        raise FilterError("a filter must be an object")
    get = value or (lambda o, f: o.get(f))
    return all(_clause(obj, key, cond, get) for key, cond in flt.items())


def _clause(obj: dict[str, Any], key: str, cond: Any, get: Callable[..., Any]) -> bool:
    if key in ("$and", "$or"):
        if not isinstance(cond, list) or not all(isinstance(c, dict) for c in cond):
            raise FilterError(f"{key} expects a list of filters")
        results = [matches(obj, c, get) for c in cond]
        return all(results) if key == "$and" else any(results)
    if key == "$not":
        return not matches(obj, cond, get)
    if key.startswith("$"):
        raise FilterError(f"unknown operator '{key}'")
    field_value = get(obj, key)
    if not isinstance(cond, dict) or not any(k.startswith("$") for k in cond):
        return bool(field_value == cond)
    for op, arg in cond.items():
        compare = OPERATORS.get(op)
        if compare is None:
            raise FilterError(f"unknown operator '{op}' on field '{key}'")
        try:
            ok = compare(field_value, arg)
        except FilterError as exc:
            raise FilterError(f"{op} on field '{key}' {exc}") from None
        if not ok:
            return False
    return True


def check(flt: Any) -> None:
    """Raise FilterError if *flt* is malformed (evaluated against an empty object)."""
    matches({}, flt)
