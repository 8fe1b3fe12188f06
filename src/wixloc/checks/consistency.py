"""``inconsistent-translation`` and ``inconsistent-source``: rules across the entries of a file.

While the rows go by, each translated pair of a language is noted compactly: its key and line,
a reference to its source (shared by every language of the row), the hashes of its stripped
source and translation, and the translation itself compressed in blocks (:class:`_Texts`), so a
big file's translations are not all held as strings until its end. At the end of the file the
pairs are sorted by hash; only pairs that share a hash are looked at, by their exact texts. A
source with more than one translation, or a translation of more than one source, is one finding
at its first entry, listing every entry involved. Texts are compared exactly, except that
surrounding whitespace is ignored, and texts without a letter (numbers, placeholders, URLs) are
skipped: "5" may well stay "5".
"""

from __future__ import annotations

import zlib
from array import array
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from wixloc.model import Key

__all__ = ["Consistency", "Inconsistent"]


@dataclass(frozen=True)
class Inconsistent:
    code: str
    key: Key
    line: int | None
    source: str
    translation: str
    message: str
    related: tuple[tuple[Key, int | None, str], ...]  # the other entries: key, line, text


class _Texts:
    """Texts appended one by one and read back by their number: a block of :data:`_BLOCK`
    texts at a time joined, UTF-8 encoded and compressed (a table's texts compress about
    threefold); a text is found in its block's decoded text by its end, in characters."""

    _BLOCK = 512

    def __init__(self) -> None:
        self.blocks: list[bytes] = []
        self.ends = array("I")  # each text's end in its block's text
        self.pending: list[str] = []
        self.size = 0  # characters pending

    def __len__(self) -> int:
        return len(self.blocks) * self._BLOCK + len(self.pending)

    def append(self, text: str) -> None:
        self.size += len(text)
        self.ends.append(self.size)
        pending = self.pending
        pending.append(text)
        if len(pending) == self._BLOCK:
            data = "".join(pending).encode("utf-8", "surrogatepass")
            self.blocks.append(zlib.compress(data, 1))
            pending.clear()
            self.size = 0

    def read(self, wanted: list[int]) -> dict[int, str]:
        """The texts numbered *wanted* (sorted), each block opened once."""
        found: dict[int, str] = {}
        block, text, ends = -1, "", self.ends
        for i in wanted:
            if i // self._BLOCK != block:
                block = i // self._BLOCK
                text = (
                    zlib.decompress(self.blocks[block]).decode("utf-8", "surrogatepass")
                    if block < len(self.blocks)
                    else "".join(self.pending)
                )
            found[i] = text[0 if i % self._BLOCK == 0 else ends[i - 1] : ends[i]]
        return found


class Consistency:
    """The sound pairs of one language of one file."""

    def __init__(self) -> None:
        self.keys: list[Key] = []
        self.lines: list[int | None] = []
        self.sources: list[str] = []
        self.source_hashes = array("q")
        self.target_hashes = array("q")
        self.targets = _Texts()

    def note(self, key: Key, line: int | None, source: str, target: str) -> None:
        self.keys.append(key)
        self.lines.append(line)
        self.sources.append(source)
        self.source_hashes.append(hash(source.strip()))
        self.target_hashes.append(hash(target.strip()))
        self.targets.append(target)

    def findings(
        self, has_words: Callable[[str], bool], translation: bool, source: bool
    ) -> list[Inconsistent]:
        by_source = list(_runs(self.source_hashes)) if translation else []
        by_target = list(_runs(self.target_hashes)) if source else []
        wanted = sorted({i for run in (*by_source, *by_target) for i in run})
        targets = self.targets.read(wanted)
        sources = self.sources
        found: list[tuple[int, Inconsistent]] = []
        for run in by_source:
            for group in _exact(run, lambda i: sources[i].strip()):
                found += self._group(group, "inconsistent-translation", targets, has_words)
        at = len(found)
        for run in by_target:
            for group in _exact(run, lambda i: targets[i].strip()):
                found += self._group(group, "inconsistent-source", targets, has_words)
        # as the entries came: a group in the order of its first entry, sources' rule first
        return [f for _, f in sorted(found[:at], key=_first)] + [
            f for _, f in sorted(found[at:], key=_first)
        ]

    def _group(
        self,
        group: list[int],
        code: str,
        targets: dict[int, str],
        has_words: Callable[[str], bool],
    ) -> list[tuple[int, Inconsistent]]:
        """The finding of pairs with the same stripped source (or translation), if they vary."""
        first, sources = group[0], self.sources
        same = sources[first] if code == "inconsistent-translation" else targets[first]
        if not has_words(same.strip()):
            return []
        varies: dict[int, str] | list[str] = (
            targets if code == "inconsistent-translation" else sources
        )
        variants: dict[str, int] = {}
        for i in group:
            shown = varies[i].strip()
            variants[shown] = variants.get(shown, 0) + 1
        if len(variants) < 2:
            return []
        related = tuple((self.keys[i], self.lines[i], varies[i]) for i in group[1:])
        found = Inconsistent(
            code,
            self.keys[first],
            self.lines[first],
            sources[first],
            targets[first],
            _message(code, variants),
            related,
        )
        return [(first, found)]


def _first(item: tuple[int, Inconsistent]) -> int:
    return item[0]


def _runs(hashes: array[int]) -> Iterator[list[int]]:
    """The numbers of the pairs that share a hash, a list per hash (in the order of the
    pairs; the lists in the order of their first pair), for hashes more than one pair has.

    Counted in C first: in a table most hashes are one pair's, and only the pairs of a
    shared hash are walked."""
    counts = Counter(hashes)
    if len(counts) == len(hashes):
        return
    shared = {h for h, n in counts.items() if n > 1}
    runs: dict[int, list[int]] = {}
    for i in [i for i, h in enumerate(hashes) if h in shared]:
        runs.setdefault(hashes[i], []).append(i)
    yield from runs.values()


def _exact(run: list[int], text: Callable[[int], str]) -> Iterator[list[int]]:
    """*run* split by the exact text (pairs whose texts merely share a hash are apart)."""
    groups: dict[str, list[int]] = {}
    for i in run:
        groups.setdefault(text(i), []).append(i)
    return (group for group in groups.values() if len(group) > 1)


_SHOWN = 5  # variants named in a message; every entry is in the finding's related entries


def _message(code: str, variants: dict[str, int]) -> str:
    what = "translated in" if code == "inconsistent-translation" else "the translation of"
    parts = [
        f"'{text}' ({count} {'entry' if count == 1 else 'entries'})"
        for text, count in list(variants.items())[:_SHOWN]
    ]
    more = len(variants) - _SHOWN
    tail = f" and {more} more" if more > 0 else ""
    if code == "inconsistent-translation":
        return f"the same source is {what} {len(variants)} ways: {', '.join(parts)}{tail}"
    return f"this text is {what} {len(variants)} different sources: {', '.join(parts)}{tail}"
