"""JSON written a piece at a time: the bytes of ``json.dumps(data, ensure_ascii=False,
indent=2)``, where a long list is an :class:`Items` and only one of its elements is held at
once."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from json.encoder import encode_basestring  # json's own string encoder, in C

__all__ = ["Items", "chunks"]

_INDENT = "  "


class Items:
    """A list whose elements are made as they are written."""

    def __init__(self, items: Iterable[object]) -> None:
        self.items = items


def chunks(value: object, level: int = 0) -> Iterator[str]:
    """*value* as indented JSON: dicts and lists are walked (the report's small frame), an
    :class:`Items`' elements and anything else dumped whole."""
    if isinstance(value, dict) and value:
        opening = "{"
        for name, item in value.items():
            yield f"{opening}\n{_INDENT * (level + 1)}{json.dumps(name, ensure_ascii=False)}: "
            yield from chunks(item, level + 1)
            opening = ","
        yield f"\n{_INDENT * level}}}"
    elif isinstance(value, list) and value:
        opening = "["
        for item in value:
            yield f"{opening}\n{_INDENT * (level + 1)}"
            yield from chunks(item, level + 1)
            opening = ","
        yield f"\n{_INDENT * level}]"
    elif isinstance(value, Items):
        opening = "["
        for item in value.items:  # each element dumped whole
            yield f"{opening}\n{_INDENT * (level + 1)}{_dump(item, level + 1)}"
            opening = ","
        yield "[]" if opening == "[" else f"\n{_INDENT * level}]"
    else:
        yield _dump(value, level)


def _dump(value: object, level: int) -> str:
    """*value* as ``json.dumps(value, ensure_ascii=False, indent=2)`` writes it, indented at
    depth *level* (its strings hold no newline)."""
    return dumps(value, "\n" + _INDENT * level)


def dumps(value: object, newline: str = "\n") -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2)`` with each of its line breaks
    followed by *newline*'s indent: the same text, made with json's C string encoder and one
    call per dict or list (json's own indented encoder is Python, a generator per value).
    A dict with a key other than a str, a float and anything else is left to ``json.dumps``."""
    if isinstance(value, str):
        return encode_basestring(value)
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = newline + _INDENT
        parts = []
        names = _NAMES
        for name, item in value.items():
            shown = names.get(name)
            if shown is None:
                if not isinstance(name, str):
                    return _json_dumps(value, newline)  # json's own key conversions
                shown = encode_basestring(name) + ": "
                if len(names) < 256:
                    names[name] = shown
            if isinstance(item, str):
                parts.append(shown + encode_basestring(item))
            elif item is None:
                parts.append(shown + "null")
            else:
                parts.append(shown + dumps(item, inner))
        return "{" + inner + ("," + inner).join(parts) + newline + "}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        inner = newline + _INDENT
        parts = [encode_basestring(v) if isinstance(v, str) else dumps(v, inner) for v in value]
        return "[" + inner + ("," + inner).join(parts) + newline + "]"
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    return _json_dumps(value, newline)


def _json_dumps(value: object, newline: str) -> str:
    text = json.dumps(value, ensure_ascii=False, indent=2)
    return text.replace("\n", newline) if "\n" in text else text


_NAMES: dict[object, str] = {}  # a dict key as dumps writes it, with its ": "
