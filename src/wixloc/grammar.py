"""Counted nouns for messages: ``1 entry``, ``2 entries``, never ``1 entries``."""

from __future__ import annotations

__all__ = ["plural"]


def plural(count: float, noun: str, plural_form: str | None = None) -> str:
    """*count* and *noun*, in the plural unless *count* is 1: ``1 entry``, ``0 entries``.

    The plural is English's regular one (``key`` keys, ``entry`` entries, ``match`` matches);
    pass *plural_form* for others. Only the last word changes: ``1 translator file``,
    ``3 translator files``. A whole float is shown without its ``.0``.
    """
    shown = f"{count:g}" if isinstance(count, float) else str(count)
    if count == 1:
        return f"{shown} {noun}"
    return f"{shown} {plural_form or _regular_plural(noun)}"


def _regular_plural(noun: str) -> str:
    if noun.endswith("y") and noun[-2:-1] not in ("a", "e", "i", "o", "u", ""):
        return noun[:-1] + "ies"
    if noun.endswith(("s", "x", "z", "ch", "sh")):
        return noun + "es"
    return noun + "s"
