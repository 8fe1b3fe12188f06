"""The one secret mask: every string wixloc shows or logs that may hold a secret passes it.

A client registers its API key here when it is made; :func:`mask` then replaces each
registered secret with ``***`` wherever it appears, also inside text a server echoed back
(a failed job's error, a rejected row's log, an error body). The registry is per process
because what it guards is the process's output: the CLI masks a line without knowing which
client the text came from.
"""

from __future__ import annotations

import threading
from typing import Any

__all__ = ["MASK", "forget_secrets", "mask", "mask_json", "register_secret"]

MASK = "***"
MIN_LENGTH = 4  # a shorter "secret" would blank ordinary text, and no real key is that short
_secrets: set[str] = set()
_lock = threading.Lock()


def register_secret(value: str) -> None:
    """Mask *value* (and it without surrounding whitespace) from now on."""
    with _lock:
        for candidate in (value, value.strip()):
            if len(candidate) >= MIN_LENGTH:
                _secrets.add(candidate)


def forget_secrets() -> None:
    """Forget every registered secret (tests)."""
    with _lock:
        _secrets.clear()


def mask(text: str) -> str:
    """*text* with every registered secret replaced by ``***`` (the longest first)."""
    with _lock:
        secrets = sorted(_secrets, key=len, reverse=True)
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, MASK)
    return text


def mask_json(value: Any) -> Any:
    """A copy of a JSON value with :func:`mask` applied to every string, keys included."""
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, dict):
        return {mask(str(k)): mask_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [mask_json(v) for v in value]
    return value
