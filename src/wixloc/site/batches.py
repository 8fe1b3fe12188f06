"""Sites with more languages than one job takes: batches of at most 64, joined by key.

A localization job takes 2 to 64 language tags, the first treated as the site's main language,
while a site can have up to 200 locales. So an export of more languages runs one job per batch,
each batch led by the main language, and the tables are joined by key into one; an import of
more languages sends one job per batch, each upload holding the main language and its batch.
"""

from __future__ import annotations

from collections.abc import Sequence

from wixloc.errors import InputError, UsageError
from wixloc.model import Column, ColumnKind, Entry, Table

__all__ = ["MAX_JOB_LANGUAGES", "join_tables", "language_batches", "select_languages"]

MAX_JOB_LANGUAGES = 64  # documented: 2 to 64 tags per localization source or destination


def language_batches(languages: Sequence[str], size: int = MAX_JOB_LANGUAGES) -> list[list[str]]:
    """*languages* (main first) cut into job-sized lists, each led by the main language.

    ``["en", "de", "fr"]`` with size 2 -> ``[["en", "de"], ["en", "fr"]]``.
    """
    if size < 2:
        raise UsageError("a job needs room for the main language and at least one other")
    if len(languages) < 2:
        raise UsageError("a job needs the main language and at least one other")
    main, others = languages[0], list(languages[1:])
    step = size - 1
    return [[main, *others[i : i + step]] for i in range(0, len(others), step)]


def join_tables(tables: Sequence[Table]) -> Table:
    """One table from exports of the same site in language batches, joined by key.

    The first table gives the columns, the order of the rows and the main language's text;
    each later one adds its languages' columns (after the earlier ones) and texts. A key that
    only a later export has (an item created between the jobs) is added at the end.
    """
    if not tables:
        raise UsageError("nothing to join")
    first = tables[0]
    joined = Table(
        languages=list(first.languages),
        columns=list(first.columns),
        dialect=first.dialect,
        layout=first.layout,
        source=first.source,
    )
    index: dict[tuple[str, ...], Entry] = {}
    for entry in first.entries:
        copy = Entry(entry.key, dict(entry.texts), dict(entry.meta), entry.line)
        joined.entries.append(copy)
        index[entry.key] = copy
    for table in tables[1:]:
        _add(joined, index, table)
    return joined


def _add(joined: Table, index: dict[tuple[str, ...], Entry], table: Table) -> None:
    if table.main_language != joined.main_language or table.key_columns != joined.key_columns:
        raise InputError(
            "the exports of the language batches do not share their main language and key columns",
            file=table.source,
        )
    new = [lang for lang in table.languages[1:] if not joined.has_language(lang)]
    joined.languages.extend(new)
    joined.columns.extend(Column(lang.tag, ColumnKind.LANGUAGE, lang) for lang in new)
    main = joined.main_language
    for entry in table.entries:
        target = index.get(entry.key)
        if target is None:
            target = Entry(entry.key, {main: entry.text(main)}, dict(entry.meta), entry.line)
            joined.entries.append(target)
            index[entry.key] = target
        for lang in new:
            target.texts[lang] = entry.text(lang)


def select_languages(table: Table, tags: Sequence[str]) -> Table:
    """*table* with only the languages *tags* (main first): an upload for one batch."""
    wanted = [table.language(tag) for tag in tags]
    keep = set(wanted)
    columns = [c for c in table.columns if c.kind is not ColumnKind.LANGUAGE or c.language in keep]
    out = Table(
        languages=wanted,
        columns=columns,
        dialect=table.dialect,
        layout=table.layout,
        source=table.source,
    )
    for entry in table.entries:
        texts = {lang: entry.texts[lang] for lang in wanted if lang in entry.texts}
        out.entries.append(Entry(entry.key, texts, dict(entry.meta), entry.line))
    return out
