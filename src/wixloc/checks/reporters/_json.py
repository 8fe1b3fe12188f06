"""JSON written a piece at a time: the bytes of ``json.dumps(data, ensure_ascii=False,
indent=2)``, where a long list is an :class:`Items` and only one of its elements is held at
once."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

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
    """*value* as ``json.dumps`` indents it at depth *level* (its strings hold no newline)."""
    text = json.dumps(value, ensure_ascii=False, indent=2)
    return text.replace("\n", "\n" + _INDENT * level) if level and "\n" in text else text
