"""Push as a three-way merge: the pull's snapshot, the site as it is now, and the files.

A site keeps changing while an agency works for weeks. So push never imports the snapshot it
pulled; it compares three tables cell by cell:

- *base*: the snapshot the translator files were made from (what the site held at pull time);
- *site*: a fresh export taken at push time;
- *ours*: *base* with the translator files merged into it.

Only a cell that the files changed is ever sent, and only where the site still holds the base
value. Everything else is reported, never silently dropped or overwritten:

- the site changed the cell since the pull: a :class:`Conflict` (``prefer_files`` takes ours,
  and if the source changed too, only together with ``accept_stale``);
- the site changed the entry's main-language text since the pull: the translation is
  :class:`Stale` (made from an older source; ``accept_stale`` takes it all the same);
- the site no longer has the entry (its item was deleted), or never had it: listed in
  ``deleted``, never sent;
- the site already holds exactly our value: counted in ``already``.

The import then uploads only the rows that change, as the site's own export spelled them (its
columns, in its order, every other cell verbatim), and the backup holds exactly those rows
before the change. Nothing here does I/O.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from wixloc.errors import InputError
from wixloc.model import Entry, Key, Language, Table

__all__ = ["Conflict", "Policy", "Reconciled", "Stale", "reconcile"]


@dataclass(frozen=True)
class Policy:
    """How to settle what the site changed since the pull."""

    prefer_files: bool = False  # a conflict takes the translator's value
    accept_stale: bool = False  # a translation of an older source is applied all the same
    update_source: bool = False  # main-language text of ours is sent too (an import's choice)
    languages: frozenset[Language] | None = None  # only these target languages (None: all)


@dataclass(frozen=True)
class Conflict:
    """A cell both the site and the files changed since the pull, to different values."""

    key: Key
    language: Language
    base: str  # the value at pull time
    site: str  # the value on the site now
    file: str  # the translator's value
    taken: bool = False  # True: --prefer files sent the translator's value


@dataclass(frozen=True)
class Stale:
    """A translation made from a source the site has changed since the pull."""

    key: Key
    language: Language
    old_source: str  # the main-language text the translator saw
    new_source: str  # the site's main-language text now
    translation: str
    taken: bool = False  # True: --accept-stale sent it all the same


@dataclass
class Reconciled:
    """What a push sends, and everything it does not send, with the reason."""

    upload: Table  # the site's rows that change, with the new values (site's columns verbatim)
    backup: Table  # the same rows as the site holds them now
    applied: dict[Language, list[Key]] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)
    stale: list[Stale] = field(default_factory=list)
    deleted: list[Key] = field(default_factory=list)  # keys the site does not have (not sent)
    already: int = 0  # cells where the site already holds the translator's value

    @property
    def changes(self) -> int:
        return sum(len(keys) for keys in self.applied.values())


def reconcile(base: Table, site: Table, ours: Table, policy: Policy | None = None) -> Reconciled:
    """Three-way merge of *ours* (base plus the files) against *site*, from *base*.

    *base* and *ours* share their keys; *site* is matched to them by its key-column names.
    """
    policy = policy or Policy()
    project = _key_projection(base, site)
    base_index = base.index()
    site_index = {project(entry.key): entry for entry in site.entries}
    languages = _target_languages(ours, site, policy)
    if policy.update_source:
        languages.insert(0, ours.main_language)
    result = Reconciled(_empty_like(site), _empty_like(site))
    changed: dict[Key, Entry] = {}  # site key -> the row to upload, in the site's order below
    for entry in ours.entries:
        before = base_index.get(entry.key)
        if before is None:
            if entry.key not in site_index:
                result.deleted.append(entry.key)  # a key neither the base nor the site has
            continue  # a key the site has gained since the base: nothing of ours to send
        edits = [lang for lang in languages if entry.text(lang) != before.text(lang)]
        if not edits:
            continue
        now = site_index.get(entry.key)
        if now is None:
            result.deleted.append(entry.key)
            continue
        for lang in edits:
            value = _settle(result, policy, before, now, entry, lang, base.main_language)
            if value is None:
                continue
            row = changed.setdefault(now.key, _copy(now))
            row.texts[_spelled(site, lang)] = value
            result.applied.setdefault(lang, []).append(entry.key)
    _collect(result, site, changed)
    return result


def _settle(
    result: Reconciled,
    policy: Policy,
    before: Entry,
    now: Entry,
    ours: Entry,
    lang: Language,
    main: Language,
) -> str | None:
    """The value to send for one cell the files changed, or None (the reason is recorded)."""
    value, base_value, site_value = ours.text(lang), before.text(lang), now.text(lang)
    if site_value == value:
        result.already += 1
        return None
    old_source, new_source = before.text(main), now.text(main)
    source_changed = lang != main and old_source != new_source
    if site_value != base_value:  # the site's own edit comes first: never overwritten unasked
        taken = policy.prefer_files and (policy.accept_stale or not source_changed)
        result.conflicts.append(Conflict(ours.key, lang, base_value, site_value, value, taken))
        return value if taken else None
    if source_changed:
        result.stale.append(
            Stale(ours.key, lang, old_source, new_source, value, taken=policy.accept_stale)
        )
        return value if policy.accept_stale else None
    return value


def _collect(result: Reconciled, site: Table, changed: dict[Key, Entry]) -> None:
    """Upload and backup rows in the site's own order."""
    for entry in site.entries:
        row = changed.get(entry.key)
        if row is not None:
            result.upload.entries.append(row)
            result.backup.entries.append(_copy(entry))


def _target_languages(ours: Table, site: Table, policy: Policy) -> list[Language]:
    """Target languages of *ours* that the site has (and the policy names)."""
    chosen = [
        lang
        for lang in ours.languages[1:]
        if site.has_language(lang) and (policy.languages is None or lang in policy.languages)
    ]
    return chosen


def _spelled(table: Table, lang: Language) -> Language:
    """*table*'s own Language object for *lang*, so the row keeps the table's spelling."""
    return table.language(lang)


def _key_projection(base: Table, site: Table) -> _Projection:
    """How to turn a site key into a base key: by key-column name, in base's order."""
    if site.key_columns == base.key_columns:
        return _identity
    missing = [name for name in base.key_columns if name not in site.key_columns]
    if missing:
        raise InputError(
            f"the site's export has no key column {', '.join(repr(m) for m in missing)} "
            "that the pulled snapshot has",
            file=site.source,
            hint="the export's layout changed since the pull; run 'wixloc pull --force' again",
        )
    positions = [site.key_columns.index(name) for name in base.key_columns]
    return _Projection(positions)


class _Projection:
    """Reorders a key tuple by column positions."""

    __slots__ = ("positions",)

    def __init__(self, positions: Iterable[int]) -> None:
        self.positions = tuple(positions)

    def __call__(self, key: Key) -> Key:
        return tuple(key[i] for i in self.positions)


class _Identity(_Projection):
    def __call__(self, key: Key) -> Key:
        return key


_identity = _Identity(())


def _empty_like(table: Table) -> Table:
    """A table with *table*'s languages, columns and dialect, and no rows."""
    return Table(
        languages=list(table.languages),
        columns=list(table.columns),
        dialect=table.dialect,
        layout=table.layout,
        source=table.source,
    )


def _copy(entry: Entry) -> Entry:
    return Entry(entry.key, dict(entry.texts), dict(entry.meta), entry.line, entry.lines)
