"""What the engine looks up for each entry: its texts in the languages' order (:class:`Picker`),
its length limit (:class:`Limits`), whether its translation was made from an older source
(:class:`Stale`), the message of a missing translation, what the pair rules need to know of a
language pair."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from operator import itemgetter
from typing import cast

from wixloc.checks import pairs
from wixloc.checks.config import CheckConfig
from wixloc.checks.numbers import number_format
from wixloc.errors import LanguageError
from wixloc.locales import display_name
from wixloc.model import Key, Language, fingerprint, format_key
from wixloc.state import State

__all__ = [
    "STALE_MESSAGE",
    "Limits",
    "Picker",
    "Stale",
    "format_key_cached",
    "no_translation",
    "pair_context",
]

format_key_cached = lru_cache(maxsize=1024)(format_key)  # an entry's findings share its key
STALE_MESSAGE = "the translation was made from an older source text; have it reviewed"


class Stale:
    """Answers whether a translation was accepted for a source other than the current one."""

    def __init__(self, state: State) -> None:
        self.accepted = state.accepted

    def made_from_older(self, key: Key, lang: Language, source: str) -> bool:
        record = self.accepted.get(lang.code.lower())
        if not record:
            return False
        made_from = record.get(format_key_cached(key))
        return made_from is not None and made_from != fingerprint(source)


class Picker:
    """Texts of an entry in a fixed language order, without hashing Language objects.

    ``Language.__hash__`` is Python code; a table's entries share its Language objects, so they
    are found by identity (a C-level int lookup), and by equality only the first time. Entries
    with the same languages in the same order (a table's) are picked by one itemgetter.
    """

    def __init__(self, order: list[Language]) -> None:
        self.order = order
        self.by_id: dict[int, int] = {}
        self.keep: list[Language] = []  # holds the objects whose ids are cached
        self.keys: list[Language] = []  # the languages of the last entry, in its order
        self.getter: Callable[[list[str]], tuple[str, ...]] = self._learn([])

    def __call__(self, texts: Mapping[Language, str]) -> tuple[str, ...]:
        keys = list(texts)
        if keys != self.keys:  # compared by identity first, so in C for a table's entries
            self.keys, self.getter = keys, self._learn(keys)
        return self.getter([*texts.values(), ""])  # a language the entry lacks: ""

    def _learn(self, keys: list[Language]) -> Callable[[list[str]], tuple[str, ...]]:
        positions = [len(keys)] * len(self.order)
        by_id = self.by_id
        for at, lang in enumerate(keys):
            index = by_id.get(id(lang))
            if index is None:
                index = by_id[id(lang)] = self._index(lang)
                self.keep.append(lang)
            if index >= 0:
                positions[index] = at
        if len(positions) == 1:
            only = positions[0]
            return lambda values: (values[only],)
        return cast(Callable[[list[str]], tuple[str, ...]], itemgetter(*positions))

    def _index(self, lang: Language) -> int:
        for i, wanted in enumerate(self.order):
            if wanted == lang:
                return i
        return -1


@lru_cache(maxsize=256)
def no_translation(lang: Language) -> str:
    try:
        return f"no {display_name(lang.code)} translation"
    except LanguageError:
        return f"no '{lang}' translation"


class Limits:
    """An entry's length limit: its own (max-length column, unit), its field's, or the file's."""

    def __init__(self, key_columns: list[str], config: CheckConfig) -> None:
        self.by_field = config.field_max_length
        self.file_limit = config.max_length
        self.index = _field_index(key_columns, config.field_column) if self.by_field else None

    def limit(self, key: Key, own: int | None) -> tuple[int, str] | None:
        if own is not None:
            return own, "the entry's max length"
        if self.index is not None and self.index < len(key):
            name = key[self.index]
            if name in self.by_field:
                return self.by_field[name], f"field '{name}'"
        if self.file_limit is not None:
            return self.file_limit, "the file limit"
        return None


def _field_index(columns: list[str], wanted: str | None) -> int | None:
    lowered = [c.strip().lower() for c in columns]
    name = (wanted or "field").strip().lower()
    if name in lowered:
        return lowered.index(name)
    return len(columns) - 1 if wanted is None and columns else None


def pair_context(
    ignored_attributes: frozenset[str],
    allow: re.Pattern[str] | None,
    main: Language,
    lang: Language,
) -> pairs.PairContext:
    """What the pair rules need to know of a language pair."""
    source, target = main.code.split("-")[0].lower(), lang.code.split("-")[0].lower()
    region = next((p.upper() for p in lang.code.split("-")[1:] if len(p) == 2), "")
    return pairs.PairContext(
        ignored_attributes,
        allow,
        source == target,
        source,
        target,
        region,
        number_format(main.code),
        number_format(lang.code),
    )
