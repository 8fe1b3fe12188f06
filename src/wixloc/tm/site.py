"""The site's accepted translations as TMX: what ``wixloc tm export`` writes.

The caller reads the project's latest snapshot and its state (the ``site`` layer's Project
does); this module only turns them into TMX units.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from wixloc.errors import InputError
from wixloc.fsutil import atomic_write
from wixloc.model import Table, fingerprint, format_key
from wixloc.state import State
from wixloc.tm.tmx import TmxUnit, tmx_date, write_tmx

__all__ = ["ExportResult", "export_tmx", "tmx_units"]

# Key columns of a Wix export, as TMX properties (any other key column: x-<its name>)
_PROPS = {"collection id": "x-collection", "item id": "x-item", "field": "x-field"}
_STAMP = re.compile(r"^(\d{8})-(\d{6})")  # a snapshot's name starts with its UTC time


def _dates(snapshot: Path, state: State) -> tuple[str, dict[str, str]]:
    """A TMX date per language: when its file was last pushed, else when the snapshot was taken."""
    found = _STAMP.match(snapshot.name)
    taken = (
        f"{found.group(1)}T{found.group(2)}Z"
        if found
        else tmx_date(datetime.fromtimestamp(snapshot.stat().st_mtime, UTC))
    )
    pushed: dict[str, str] = {}
    for out in state.out:
        if out.pushed and out.language:
            stamp = out.pushed.replace("-", "").replace(":", "")
            pushed[out.language.lower()] = max(pushed.get(out.language.lower(), ""), stamp)
    return taken, pushed


def tmx_units(table: Table, state: State, snapshot: Path) -> Iterator[TmxUnit]:
    """One unit per key with its source and every translation the state accepted for it."""
    main = table.main_language
    taken, pushed = _dates(snapshot, state)
    props = [_PROPS.get(name.lower(), "x-" + name) for name in table.key_columns]
    for entry in table.entries:
        source = entry.texts.get(main, "")
        if not source.strip():
            continue
        key = format_key(entry.key)
        fp = fingerprint(source)
        texts = {main.tag: source}
        created: dict[str, str] = {}
        for lang in table.languages[1:]:
            target = entry.texts.get(lang, "")
            code = lang.code.lower()
            if target.strip() and state.accepted.get(code, {}).get(key) == fp:
                texts[lang.tag] = target
                created[lang.tag] = pushed.get(code, taken)
        if len(texts) > 1:
            yield TmxUnit(key, texts, list(zip(props, entry.key, strict=False)), created)


class ExportResult:
    def __init__(self, path: Path, snapshot: Path, units: int) -> None:
        self.path, self.snapshot, self.units = path, snapshot, units


def export_tmx(snapshot: Path, table: Table, state: State, out: Path) -> ExportResult:
    """Write the accepted translations of *table* (read from *snapshot*) to *out* as TMX 1.4b."""
    try:
        with atomic_write(out) as fh:
            count = write_tmx(fh, tmx_units(table, state, snapshot), table.main_language.tag)
    except OSError as exc:
        raise InputError(f"cannot write it: {exc.strerror}", file=out) from None
    return ExportResult(out, snapshot, count)
