"""Ricos documents in tests: their nodes, and their shape without text."""

from __future__ import annotations

import json
from typing import Any


def nodes(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Every node of *document*, depth first, in document order."""
    found: list[dict[str, Any]] = []
    stack = list(reversed(document["nodes"]))
    while stack:
        node = stack.pop()
        found.append(node)
        stack.extend(reversed(node.get("nodes", [])))
    return found


def without_text(document: dict[str, Any]) -> str:
    """The document with every text (and image alt text) removed: every node id, type and
    other attribute, what a translation must keep."""
    copy = json.loads(json.dumps(document))
    for node in nodes(copy):
        if node["type"] == "TEXT":
            node["textData"]["text"] = ""
        if node["type"] == "IMAGE":
            node["imageData"]["altText"] = ""
    return json.dumps(copy, sort_keys=True)
