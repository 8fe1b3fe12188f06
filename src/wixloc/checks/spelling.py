"""The optional ``spelling`` rule: words of a translation that a Hunspell dictionary lacks.

Dictionaries are the ``.aff``/``.dic`` pairs that Debian's ``hunspell-*`` packages install (and
any folder in ``DICPATH``, as Hunspell itself looks there); they are read by spylls, a pure
Python port of Hunspell, so nothing is compiled. A dictionary loads once per language and each
distinct word is looked up once, so a table's repeated words cost a dict lookup.

Never flagged: anything in markup, URLs, e-mail addresses and placeholders (masked before the
words are read), words of the termbase's target terms and the allow-list, words the source has
too (names, brands), words with a digit or a capital inside (``iPhone``, ``SKU12``), and
one-letter words.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

__all__ = ["Speller", "dictionary_folders", "find_dictionary", "words"]

_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_STANDARD_FOLDERS = ("/usr/share/hunspell", "/usr/share/myspell", "/usr/share/myspell/dicts")


def dictionary_folders() -> list[Path]:
    """Where dictionaries are looked for: ``DICPATH`` first, then the system folders."""
    extra = [p for p in os.environ.get("DICPATH", "").split(os.pathsep) if p]
    return [Path(p) for p in (*extra, *_STANDARD_FOLDERS)]


def find_dictionary(tag: str) -> Path | None:
    """The dictionary for *tag* (without extension): ``de-AT`` is ``de_AT``, else ``de_DE``,
    else ``de``, else any ``de_*``."""
    parts = tag.replace("_", "-").split("-")
    lang = parts[0].lower()
    region = next((p.upper() for p in parts[1:] if len(p) == 2 and p.isalpha()), "")
    names = [f"{lang}_{region}"] if region else []
    names += [f"{lang}_{lang.upper()}", lang]
    for folder in dictionary_folders():
        for name in names:
            if (folder / f"{name}.dic").is_file() and (folder / f"{name}.aff").is_file():
                return folder / name
    for folder in dictionary_folders():
        found = sorted(folder.glob(f"{lang}_*.dic")) if folder.is_dir() else []
        for dic in found:
            if dic.with_suffix(".aff").is_file():
                return dic.with_suffix("")
    return None


class _Dictionary(Protocol):
    def lookup(self, word: str) -> bool: ...


class Speller:
    """One language's dictionary and the answers it gave."""

    def __init__(self, path: Path) -> None:
        from spylls.hunspell import Dictionary  # type: ignore[import-untyped]  # only when used

        self.path = path
        self.dictionary: _Dictionary = Dictionary.from_files(str(path))
        self.known: dict[str, bool] = {}

    def correct(self, word: str) -> bool:
        answer = self.known.get(word)
        if answer is None:
            answer = self.known[word] = self._lookup(word)
        return answer

    def _lookup(self, word: str) -> bool:
        lookup = self.dictionary.lookup
        if lookup(word) or (word[0].isupper() and lookup(word.lower())):
            return True
        if "-" in word:  # a compound written with a hyphen: each part on its own
            return all(lookup(p) or lookup(p.lower()) for p in word.split("-") if p)
        return False

    def misspelled(self, masked: str, skip: frozenset[str]) -> Iterator[tuple[str, int, int]]:
        """(word, start, end) of each word of *masked* not in the dictionary."""
        for match in _WORD.finditer(masked):
            word = match.group()
            if len(word) < 2 or word.casefold() in skip or _looks_like_a_name(word):
                continue
            if not self.correct(word.strip("'’-")):
                yield word, match.start(), match.end()


def _looks_like_a_name(word: str) -> bool:
    return any(ch.isupper() for ch in word[1:])


def words(text: str) -> frozenset[str]:
    """The case-folded words of *text* (those of the source are never flagged)."""
    return frozenset(w.casefold() for w in _WORD.findall(text))
