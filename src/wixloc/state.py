"""``.wixloc/state.json``: what the project knows between pulls and pushes.

For each language and key it records the fingerprint of the main-language text that the accepted
translation was made from; when the site's source text changes later, the translation is *stale*.
It also keeps those source texts (once each) so the translator can be shown what changed, and the
translator files that are out and not yet merged.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from wixloc.errors import ConfigError
from wixloc.fsutil import atomic_write
from wixloc.model import Key, Language, Table, fingerprint, format_key

__all__ = ["OutFile", "State", "load_state", "save_state"]

VERSION = 1


@dataclass
class OutFile:
    """A translator file that ``pull`` handed out (and ``push`` may have merged since)."""

    path: str  # relative to the project root
    language: str
    entries: int
    pulled: str  # ISO-8601 UTC
    snapshot: str  # the snapshot it was split from, relative to the project root
    sha256: str = ""  # the file as pulled (or as pushed): tells whether it has changed since
    pushed: str = ""  # ISO-8601 UTC when push merged it; "" while it is still out
    # translations push held back from this file (conflicts, stale): merged again next push
    held: int = 0


@dataclass
class State:
    # language code (lower case) -> key string -> fingerprint of the source it was made from
    accepted: dict[str, dict[str, str]] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)  # fingerprint -> source text
    out: list[OutFile] = field(default_factory=list)

    def accept(self, table: Table, languages: Iterable[Language] | None = None) -> int:
        """Record every non-empty translation of *table* as made from its current source."""
        main = table.main_language
        count = 0
        for lang in languages if languages is not None else table.languages[1:]:
            record = self.accepted.setdefault(lang.code.lower(), {})
            for entry in table.entries:
                source = entry.texts.get(main, "")
                if source and entry.texts.get(lang):
                    fp = fingerprint(source)
                    record[format_key(entry.key)] = fp
                    self.sources[fp] = source
                    count += 1
        self._prune()
        return count

    def stale(self, table: Table, language: Language) -> dict[Key, str]:
        """Translations made from an older source: key -> that older source text ('' if unknown)."""
        record = self.accepted.get(language.code.lower())
        if not record:
            return {}
        main = table.main_language
        found: dict[Key, str] = {}
        for entry in table.entries:
            source = entry.texts.get(main, "")
            if not source or not entry.texts.get(language):
                continue
            fp = record.get(format_key(entry.key))
            if fp is not None and fp != fingerprint(source):
                found[entry.key] = self.sources.get(fp, "")
        return found

    def _prune(self) -> None:
        used = {fp for record in self.accepted.values() for fp in record.values()}
        self.sources = {fp: text for fp, text in self.sources.items() if fp in used}


def load_state(path: Path) -> State:
    """The state at *path*, or an empty one if the file does not exist yet."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return State()
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(
            f"{path}: the state file is damaged ({exc})", hint="restore it from version control"
        ) from None
    if not isinstance(data, dict) or data.get("version") != VERSION:
        raise ConfigError(
            f"{path}: unknown state file version", hint="was it written by a newer wixloc?"
        )
    return State(
        accepted={k: dict(v) for k, v in data.get("accepted", {}).items()},
        sources=dict(data.get("sources", {})),
        out=[OutFile(**item) for item in data.get("out", [])],
    )


def save_state(state: State, path: Path) -> None:
    data = {
        "version": VERSION,
        "accepted": state.accepted,
        "sources": state.sources,
        "out": [asdict(item) for item in state.out],
    }
    with atomic_write(path) as fh:
        fh.write(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8"))
        fh.write(b"\n")
