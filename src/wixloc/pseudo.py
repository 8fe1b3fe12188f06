"""Pseudo-translation for layout tests: accented, about a third longer, bracketed.

``Hello <b>{name}</b>!`` becomes ``[Ĥéļļö <b>{name}</b>! ļöŕéɱ]``: every letter accented so
untranslated strings stand out, text lengthened by 30-40% (as German or Finnish would) so clipped
layouts show, and brackets so truncation is visible. Placeholders, HTML tags, URLs, entities and
e-mail addresses are kept exactly, as are leading and trailing whitespace and line breaks, so
``wixloc check`` finds nothing wrong with the result.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

from wixloc.checks.text import protected_spans
from wixloc.errors import UsageError
from wixloc.formats import load_table, save_table
from wixloc.model import Table
from wixloc.progress import OnProgress, counted
from wixloc.roundtrip import ricos

__all__ = ["pseudo_file", "pseudo_table", "pseudo_text"]

_PLAIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ACCENTED = "áƀçðéƒĝĥíĵķļɱñöƥʠŕšţûṽŵẋýžÁƁÇÐÉƑĜĤÍĴĶĻṀÑÖƤɊŔŠŢÛṼŴẊÝŽ"
_MAP = str.maketrans(_PLAIN, _ACCENTED)
_FILLER = " ļöŕéɱ ïƥšûɱ ðöļöŕ šïţ áɱéţ çöñšéçţéţûŕ áðïƥïšçïñĝ éļïţ"
GROWTH = 0.35  # a third longer: within the 30-40% that translations into German or French add


def pseudo_text(text: str) -> str:
    """The pseudo-translation of *text* (empty and whitespace-only texts are returned as is)."""
    core = text.strip()
    if not core:
        return text
    head = text[: len(text) - len(text.lstrip())]
    tail = text[len(text.rstrip()) :]
    parts: list[str] = []
    pos = 0
    for start, end in protected_spans(core):
        parts.append(core[pos:start].translate(_MAP))
        parts.append(core[start:end])
        pos = end
    parts.append(core[pos:].translate(_MAP))
    accented = "".join(parts)
    wanted = math.ceil(len(text) * (1 + GROWTH))
    padding = _padding(wanted - len(head) - len(tail) - len(accented) - 2)
    return f"{head}[{accented}{padding}]{tail}"


def _padding(size: int) -> str:
    if size <= 0:
        return ""
    repeats = size // len(_FILLER) + 1
    return (_FILLER * repeats)[:size].rstrip().ljust(size, "~")


def pseudo_table(
    table: Table,
    languages: Sequence[str],
    *,
    overwrite: bool = False,
    on_progress: OnProgress | None = None,
) -> int:
    """Fill *languages* with pseudo-translations of the main language; returns the texts written.

    Only empty cells are filled unless *overwrite*.
    """
    main = table.main_language
    targets = [table.language(tag) for tag in languages]
    for lang in targets:
        if lang == main:
            raise UsageError(f"'{lang}' is the main language; pseudo-translate another language")
    written = 0
    for entry in counted(table.entries, on_progress, len(table.entries)):
        source = entry.texts.get(main, "")
        if not source:
            continue
        for lang in targets:
            if overwrite or not entry.texts.get(lang, ""):
                entry.texts[lang] = _pseudo_cell(source)
                written += 1
    return written


def _pseudo_cell(source: str) -> str:
    """A cell's pseudo-translation; a Ricos document keeps its JSON, its segments pseudo."""
    if not ricos.is_ricos(source):
        return pseudo_text(source)
    return ricos.rebuild(source, {s.id: pseudo_text(s.text) for s in ricos.segments(source)})


def pseudo_file(
    path: str | Path,
    output: str | Path,
    languages: Sequence[str],
    *,
    overwrite: bool = False,
    encoding: str | None = None,
    on_progress: OnProgress | None = None,
) -> int:
    """Read the table *path*, pseudo-translate *languages*, write *output* atomically."""
    table = load_table(path, encoding=encoding)
    written = pseudo_table(table, languages, overwrite=overwrite, on_progress=on_progress)
    save_table(table, output)
    return written
