"""``inconsistent-translation`` and ``inconsistent-source``: rules across the entries of a file.

While the rows go by, each translated pair of a language is noted under its source and under its
translation (two dict appends, nothing else); at the end of the file a source with more than one
translation, or a translation of more than one source, is one finding at its first entry, listing
every entry involved. Texts are compared exactly, except that surrounding whitespace is ignored,
and texts without a letter (numbers, placeholders, URLs) are skipped: "5" may well stay "5".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from wixloc.model import Key

__all__ = ["Consistency", "Inconsistent"]

# (key, line, source, translation); keys are formatted only for the findings
_Seen = tuple[Key, int | None, str, str]


@dataclass(frozen=True)
class Inconsistent:
    code: str
    key: Key
    line: int | None
    source: str
    translation: str
    message: str
    related: tuple[tuple[Key, int | None, str], ...]  # the other entries: key, line, text


@dataclass
class Consistency:
    """The pairs of one language of one file."""

    # A text seen once maps to its entry, a text seen again to the list of its entries: most
    # texts are seen once, and a list for each cost a quarter of check's memory at 100k keys.
    by_source: dict[str, _Seen | list[_Seen]] = field(default_factory=dict)
    by_target: dict[str, _Seen | list[_Seen]] = field(default_factory=dict)

    def note(self, key: Key, line: int | None, source: str, target: str) -> None:
        seen = (key, line, source, target)
        _add(self.by_source, source.strip(), seen)
        _add(self.by_target, target.strip(), seen)

    def findings(
        self, has_words: Callable[[str], bool], translation: bool, source: bool
    ) -> list[Inconsistent]:
        found = []
        if translation:
            found += _groups(self.by_source, _target, "inconsistent-translation", has_words)
        if source:
            found += _groups(self.by_target, _source, "inconsistent-source", has_words)
        return found


def _add(groups: dict[str, _Seen | list[_Seen]], text: str, seen: _Seen) -> None:
    found = groups.get(text)
    if found is None:
        groups[text] = seen
    elif isinstance(found, list):
        found.append(seen)
    else:
        groups[text] = [found, seen]


def _source(seen: _Seen) -> str:
    return seen[2]


def _target(seen: _Seen) -> str:
    return seen[3]


_SHOWN = 5  # variants named in a message; every entry is in the finding's related entries


def _groups(
    groups: dict[str, _Seen | list[_Seen]],
    varies: Callable[[_Seen], str],
    code: str,
    has_words: Callable[[str], bool],
) -> list[Inconsistent]:
    found = []
    for text, seen in groups.items():
        if not isinstance(seen, list) or not has_words(text):
            continue  # a text seen once varies from nothing
        variants: dict[str, list[_Seen]] = {}
        for entry in seen:
            variants.setdefault(varies(entry).strip(), []).append(entry)
        if len(variants) < 2:
            continue
        key, line, source, target = seen[0]
        related = tuple((e[0], e[1], varies(e)) for e in seen[1:])
        found.append(
            Inconsistent(code, key, line, source, target, _message(code, variants), related)
        )
    return found


def _message(code: str, variants: dict[str, list[_Seen]]) -> str:
    what = "translated in" if code == "inconsistent-translation" else "the translation of"
    parts = [
        f"'{text}' ({len(entries)} {'entry' if len(entries) == 1 else 'entries'})"
        for text, entries in list(variants.items())[:_SHOWN]
    ]
    more = len(variants) - _SHOWN
    tail = f" and {more} more" if more > 0 else ""
    if code == "inconsistent-translation":
        return f"the same source is {what} {len(variants)} ways: {', '.join(parts)}{tail}"
    return f"this text is {what} {len(variants)} different sources: {', '.join(parts)}{tail}"
