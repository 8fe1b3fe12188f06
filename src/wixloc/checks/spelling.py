"""The optional ``spelling`` rule: words of a translation that a Hunspell dictionary lacks.

Dictionaries are the ``.aff``/``.dic`` pairs that Debian's ``hunspell-*`` packages install (and
any folder in ``DICPATH``, as Hunspell itself looks there). They are read by the Hunspell
library itself where it is installed (``libhunspell``, Debian's ``libhunspell-1.7-0``), called
through ctypes, else by spylls, a pure Python port of Hunspell, so nothing is compiled. Both
give the same answers; the library loads a dictionary in 0.02-0.03 s where spylls takes 0.5-2 s,
and looks a word up in 4-8 microseconds where spylls takes 0.8 ms. A dictionary loads once per
process and each distinct word is looked up once, so a table's repeated words cost a dict
lookup.

Never flagged: anything in markup, URLs, e-mail addresses and placeholders (masked before the
words are read), words of the termbase's target terms and the allow-list, words the source has
too (names, brands), words with a digit or a capital inside (``iPhone``, ``SKU12``), and
one-letter words.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import os
import re
import sys
import warnings
import weakref
from collections.abc import Iterator, Sequence
from functools import cache
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


# The Hunspell library's names: Debian's and most Linux systems', Homebrew's, then any
_LIBRARIES = ("libhunspell-1.7.so.0", "libhunspell-1.6.so.0", "libhunspell-1.7.0.dylib")


@cache
def native_library() -> ctypes.CDLL | None:
    """The Hunspell C library, if one is installed (else spylls reads the dictionaries)."""
    names = [*_LIBRARIES, *(n for n in ("hunspell-1.7", "hunspell") if sys.platform != "linux")]
    for name in names:
        path = name if name.startswith("lib") else ctypes.util.find_library(name)
        if path is None:
            continue
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        lib.Hunspell_create.restype = ctypes.c_void_p
        lib.Hunspell_create.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
        lib.Hunspell_destroy.restype = None
        lib.Hunspell_destroy.argtypes = [ctypes.c_void_p]
        lib.Hunspell_spell.restype = ctypes.c_int
        lib.Hunspell_spell.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
        lib.Hunspell_get_dic_encoding.restype = ctypes.c_char_p
        lib.Hunspell_get_dic_encoding.argtypes = [ctypes.c_void_p]
        return lib
    return None


class _Native:
    """A dictionary read by the Hunspell library: words go to it in the dictionary's own
    encoding (``SET`` in the ``.aff``); a word that encoding cannot write is not in it."""

    def __init__(self, lib: ctypes.CDLL, path: Path) -> None:
        aff, dic = (os.fsencode(path.with_name(path.name + ext)) for ext in (".aff", ".dic"))
        self.lib, self.handle = lib, lib.Hunspell_create(aff, dic)
        if not self.handle:
            raise OSError(f"Hunspell could not read {path}")
        weakref.finalize(self, lib.Hunspell_destroy, self.handle)
        self.encoding = (lib.Hunspell_get_dic_encoding(self.handle) or b"UTF-8").decode("ascii")

    def lookup(self, word: str) -> bool:
        try:
            data = word.encode(self.encoding)
        except (UnicodeEncodeError, LookupError):
            return False
        return bool(self.lib.Hunspell_spell(self.handle, data))


def _dictionary(path: Path) -> _Dictionary:
    lib = native_library()
    if lib is not None:
        try:
            return _Native(lib, path)
        except OSError:
            pass  # spylls says what is wrong with the files, if anything
    from spylls.hunspell import Dictionary  # type: ignore[import-untyped]  # only when used

    with warnings.catch_warnings():
        # spylls leaves its dictionary files to the garbage collector: close them here,
        # quietly (once per dictionary: a collection over its big heap takes a while)
        warnings.simplefilter("ignore", ResourceWarning)
        found: _Dictionary = Dictionary.from_files(str(path))
        gc.collect()
    return found


class Speller:
    """One language's dictionary and the answers it gave."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.dictionary = _dictionary(path)
        self.known: dict[str, bool] = {}
        self._pieces: dict[
            str, list[str]
        ] = {}  # a text's pieces between white space: unknown words

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

    def unknown(self, masked: Sequence[str]) -> list[str]:
        """The words of *masked* (texts masked as for :meth:`misspelled`) that it would flag
        if the pair's source and the skipped words did not have them, each once."""
        # Cut at white space (no word holds any): each distinct piece's words are found once.
        pieces = {piece for text in masked for piece in text.split()}
        new = pieces.difference(self._pieces)
        if new:
            correct = self.correct
            for piece in new:
                self._pieces[piece] = [
                    word
                    for word in _WORD.findall(piece)
                    if len(word) >= 2 and not _looks_like_a_name(word) and not correct(word)
                ]
        unknown = {word for piece in pieces for word in self._pieces[piece]}
        return list(unknown)


def _looks_like_a_name(word: str) -> bool:
    return any(ch.isupper() for ch in word[1:])


def words(text: str) -> frozenset[str]:
    """The case-folded words of *text* (those of the source are never flagged)."""
    return frozenset(w.casefold() for w in _WORD.findall(text))
