"""``inconsistent-translation`` and ``inconsistent-source``: rules across the entries of a file.

While the rows go by, each translated pair of a language is noted compactly: its key and line,
a reference to its source (shared by every language of the row), the hashes of its stripped
source and translation, and the translation itself, compressed in blocks or, for the parts of a
big table, written to temporary files (:class:`_Texts`), so a big file's translations are not all
held as strings until its end. The hashes are CRC-32s of the
UTF-8 text, the same in every process: the pairs of a file's parts, noted in worker processes,
are put together in this one (:meth:`Consistency.extend`). At the end of the file the
pairs are sorted by hash; only pairs that share a hash are looked at, by their exact texts. A
source with more than one translation, or a translation of more than one source, is one finding
at its first entry, listing every entry involved. Texts are compared exactly, except that
surrounding whitespace is ignored, and texts without a letter (numbers, placeholders, URLs) are
skipped: "5" may well stay "5".
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import zlib
from array import array
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import accumulate, islice

from wixloc.errors import WixlocError
from wixloc.model import Key

__all__ = ["Consistency", "Inconsistent", "source_hashes"]


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
    """Texts appended one by one and read back by their number, as UTF-8: compressed a block
    of up to :data:`_BLOCK` texts at a time (a table's texts compress about threefold); or,
    given a *spool* folder, written uncompressed to a file of their own there each time they
    are sealed (once per part of a table, in a worker process). At 100,000 keys x 6 languages
    the translations are 70 MB; compressing them cost 0.6 CPU s, and nearly every block was
    opened again at the end (an eighth of the texts are read back, spread over the file):
    0.2 s more. Written to files, they cost neither, and are not in the process's memory
    (they are in RAM all the same where the temporary folder is a tmpfs)."""

    _BLOCK = 512

    def __init__(self, spool: str | None = None) -> None:
        self.spool = spool
        self.blocks: list[bytes | str] = []  # compressed, or the path of a spooled file
        self.firsts = array("I")  # the number of each block's first text
        self.ends = array("I")  # each text's end in its block's bytes
        self.pending: list[bytes] = []
        self.size = 0  # bytes pending
        self.count = 0  # texts in blocks

    def __len__(self) -> int:
        return self.count + len(self.pending)

    def extend_data(self, texts: list[bytes]) -> None:
        """Append *texts* (each as its UTF-8 bytes), in order; without a spool, a block is
        sealed each time it holds :data:`_BLOCK` texts."""
        at = 0
        while at < len(texts):
            room = len(texts) if self.spool is not None else self._BLOCK - len(self.pending)
            chunk = texts[at : at + room]
            at += len(chunk)
            self.ends.extend(islice(accumulate(map(len, chunk), initial=self.size), 1, None))
            self.size = self.ends[-1]
            self.pending += chunk
            if len(self.pending) == self._BLOCK and self.spool is None:
                self.seal()

    def seal(self) -> None:
        """Make the pending texts a block (a shorter one at the end of a part)."""
        if self.pending:
            data = b"".join(self.pending)
            spooled = _spooled(data, self.spool) if self.spool is not None else None
            self.firsts.append(self.count)
            self.blocks.append(spooled if spooled is not None else zlib.compress(data, 1))
            self.count += len(self.pending)
            self.pending.clear()
            self.size = 0

    def extend(self, other: _Texts) -> None:
        """Append *other*'s texts (its blocks as they are)."""
        self.seal()
        other.seal()
        self.firsts.extend(self.count + first for first in other.firsts)
        self.blocks += other.blocks
        self.ends += other.ends
        self.count += other.count

    def read(self, wanted: list[int]) -> dict[int, str]:
        """The texts numbered *wanted* (sorted), each block opened once."""
        found: dict[int, str] = {}
        first = after = 0  # the texts of the block opened: first to after - 1
        data = b""
        for i in wanted:
            if not first <= i < after:
                if i >= self.count:
                    first, after, data = self.count, len(self), b"".join(self.pending)
                else:
                    block = bisect_right(self.firsts, i) - 1
                    first = self.firsts[block]
                    last = block + 1 == len(self.firsts)
                    after = self.count if last else self.firsts[block + 1]
                    data = _opened(self.blocks[block])
            start = 0 if i == first else self.ends[i - 1]
            found[i] = data[start : self.ends[i]].decode("utf-8", "surrogatepass")
        return found


def _spooled(data: bytes, spool: str) -> str | None:
    """The path of a new file in *spool* holding *data*; None where it cannot be written (a
    full disk, a folder removed): the block is then kept compressed."""
    try:
        fd, path = tempfile.mkstemp(suffix=".texts", dir=spool)
    except OSError:
        return None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(path)
        return None
    return path


def _opened(block: bytes | str) -> bytes:
    if isinstance(block, bytes):
        return zlib.decompress(block)
    try:
        with open(block, "rb") as fh:
            return fh.read()
    except OSError as exc:  # removed meanwhile (a cleaner of the temporary folder, say)
        raise WixlocError(
            f"a temporary file of this check could not be read: {block}: {exc.strerror}",
            hint="run 'wixloc check' again",
        ) from None


_crc = zlib.crc32  # a hash of bytes that is the same in every process (hash() of a str is not)


def _hash(text: str) -> int:
    return _crc(text.encode("utf-8", "surrogatepass"))


def source_hashes(sources: list[str]) -> list[int]:
    """The hash :meth:`Consistency.note` takes of each source (stripped)."""
    return [_hash(source.strip()) for source in sources]


class Consistency:
    """The sound pairs of one language of one file."""

    def __init__(self, spool: str | None = None) -> None:
        """*spool*: a folder for the translations (see :class:`_Texts`)."""
        self.keys: list[Key] = []
        # Lines in an array, 0 for none (lines count from 1): a list would hold an int object
        # per pair, and one sent from a worker is a new object per pair (pickle shares no int).
        self.lines = array("q")
        self.sources: list[str] = []
        self.source_hashes = array("I")  # CRC-32s: unsigned, 32 bits
        self.target_hashes = array("I")
        self.targets = _Texts(spool)

    def note(self, key: Key, line: int | None, source: str, target: str) -> None:
        self.note_all([key], [line], [source], source_hashes([source]), [target])

    def note_all(
        self,
        keys: list[Key],
        lines: list[int | None],
        sources: list[str],
        source_hashes: list[int],
        targets: list[str],
    ) -> None:
        """:meth:`note` each pair, the hashes of their stripped sources given (see
        :func:`source_hashes`)."""
        self.keys += keys
        self.lines.extend([line or 0 for line in lines])
        self.sources += sources
        self.source_hashes.extend(source_hashes)
        data = [target.encode("utf-8", "surrogatepass") for target in targets]
        self.target_hashes.extend(
            [
                _crc(encoded) if (stripped := target.strip()) is target else _hash(stripped)
                for target, encoded in zip(targets, data, strict=True)
            ]
        )
        self.targets.extend_data(data)

    def extend(self, other: Consistency) -> None:
        """Append the pairs *other* noted (those of the next part of the file)."""
        self.keys += other.keys
        self.lines += other.lines
        self.sources += other.sources
        self.source_hashes += other.source_hashes
        self.target_hashes += other.target_hashes
        self.targets.extend(other.targets)

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
        lines = self.lines
        related = tuple((self.keys[i], lines[i] or None, varies[i]) for i in group[1:])
        found = Inconsistent(
            code,
            self.keys[first],
            lines[first] or None,
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
