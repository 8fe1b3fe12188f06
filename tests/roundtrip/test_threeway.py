"""Push's three-way merge: site edits survive or are conflicts, stale sources are held back,
deleted items are listed, and only changed rows are sent, spelled as the site spelled them."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from wixloc.model import Column, ColumnKind, Dialect, Entry, Key, Language, Table
from wixloc.roundtrip.threeway import Conflict, Policy, Stale, reconcile

EN, DE, FR = Language("en"), Language("de"), Language("fr")
KEYS = ["Collection ID", "Item ID", "Field"]


def table(rows: dict[Key, dict[str, str]], *, extra: bool = False, upper: bool = False) -> Table:
    langs = [Language(t.upper() if upper else t) for t in ("en", "de", "fr")]
    columns = [Column(name, ColumnKind.KEY) for name in KEYS]
    columns += [Column(lang.tag, ColumnKind.LANGUAGE, lang) for lang in langs]
    if extra:
        columns.append(Column("Notes", ColumnKind.META))
    t = Table(languages=langs, columns=columns, dialect=Dialect(line_ending="\r\n"))
    for key, texts in rows.items():
        meta = {"Notes": f"note {key[1]}"} if extra else {}
        t.entries.append(Entry(key, {t.language(k): v for k, v in texts.items()}, meta))
    return t


K1: Key = ("c", "1", "title")
K2: Key = ("c", "2", "title")
K3: Key = ("c", "3", "title")
BASE: dict[Key, dict[str, str]] = {
    K1: {"en": "Hello", "de": "", "fr": ""},
    K2: {"en": "World", "de": "Welt", "fr": ""},
    K3: {"en": "Bye", "de": "", "fr": ""},
}


def edited(rows: dict[Key, dict[str, str]], key: Key, **texts: str) -> dict[Key, dict[str, str]]:
    out = {k: dict(v) for k, v in rows.items()}
    out[key].update(texts)
    return out


def test_a_cell_the_files_filled_is_sent_when_the_site_did_not_change_it() -> None:
    ours = edited(BASE, K1, de="Hallo")
    result = reconcile(table(BASE), table(BASE), table(ours))
    assert result.applied == {DE: [K1]}
    assert [(e.key, e.text(DE)) for e in result.upload.entries] == [(K1, "Hallo")]
    assert [(e.key, e.text(DE)) for e in result.backup.entries] == [(K1, "")]
    assert not result.conflicts and not result.stale and not result.deleted


def test_a_site_edit_since_the_pull_is_never_reverted_by_an_untouched_file() -> None:
    site = edited(BASE, K2, de="Welt!")  # an editor fixed the German title on the site
    ours = edited(BASE, K1, de="Hallo")  # the agency filled another entry
    result = reconcile(table(BASE), table(site), table(ours))
    assert result.applied == {DE: [K1]}
    assert [e.key for e in result.upload.entries] == [K1]


def test_a_cell_both_changed_is_a_conflict_with_the_three_values() -> None:
    site = edited(BASE, K2, de="Welt!")
    ours = edited(BASE, K2, de="Die Welt")
    result = reconcile(table(BASE), table(site), table(ours))
    assert result.conflicts == [Conflict(K2, DE, "Welt", "Welt!", "Die Welt")]
    assert result.applied == {} and result.upload.entries == []
    taken = reconcile(table(BASE), table(site), table(ours), Policy(prefer_files=True))
    assert taken.conflicts == [Conflict(K2, DE, "Welt", "Welt!", "Die Welt", taken=True)]
    assert [e.text(DE) for e in taken.upload.entries] == ["Die Welt"]


def test_the_same_value_on_both_sides_is_no_conflict_and_sends_nothing() -> None:
    site = edited(BASE, K1, de="Hallo")
    result = reconcile(table(BASE), table(site), table(edited(BASE, K1, de="Hallo")))
    assert result.already == 1 and result.changes == 0 and not result.conflicts


def test_a_source_changed_since_the_pull_makes_only_that_translation_stale() -> None:
    site = edited(BASE, K1, en="Hello there")
    ours = edited(edited(BASE, K1, de="Hallo"), K3, de="Tschüss")
    result = reconcile(table(BASE), table(site), table(ours))
    assert result.stale == [Stale(K1, DE, "Hello", "Hello there", "Hallo")]
    assert result.applied == {DE: [K3]}
    accepted = reconcile(table(BASE), table(site), table(ours), Policy(accept_stale=True))
    assert accepted.applied == {DE: [K1, K3]}
    # the site's new source is what goes back: push never writes the old English
    assert [e.text(EN) for e in accepted.upload.entries] == ["Hello there", "Bye"]


def test_an_item_deleted_on_the_site_is_listed_and_the_rest_goes_in() -> None:
    site = {k: v for k, v in BASE.items() if k != K1}
    ours = edited(edited(BASE, K1, de="Hallo"), K3, fr="Au revoir")
    result = reconcile(table(BASE), table(site), table(ours))
    assert result.deleted == [K1]
    assert result.applied == {FR: [K3]}


def test_the_upload_keeps_the_sites_columns_spelling_and_other_cells_verbatim() -> None:
    ours = edited(BASE, K3, fr="Au revoir")
    site = table(BASE, extra=True, upper=True)  # the export spells EN, DE, FR and has Notes
    result = reconcile(table(BASE), site, table(ours))
    assert [c.name for c in result.upload.columns] == [*KEYS, "EN", "DE", "FR", "Notes"]
    (row,) = result.upload.entries
    assert [lang.tag for lang in row.texts] == ["EN", "DE", "FR"]
    assert row.text(FR) == "Au revoir" and row.meta == {"Notes": "note 3"}
    assert result.upload.dialect.line_ending == "\r\n"


def test_languages_limit_what_is_sent() -> None:
    ours = edited(BASE, K1, de="Hallo", fr="Bonjour")
    result = reconcile(table(BASE), table(BASE), table(ours), Policy(languages=frozenset({FR})))
    assert result.applied == {FR: [K1]}
    assert [e.text(DE) for e in result.upload.entries] == [""]


def test_upload_rows_follow_the_sites_order() -> None:
    ours = edited(edited(BASE, K3, de="Tschüss"), K1, de="Hallo")
    site = table(BASE)
    site.entries.reverse()
    result = reconcile(table(BASE), site, table(ours))
    assert [e.key for e in result.upload.entries] == [K3, K1]


VALUES = st.sampled_from(["", "a", "b", "c"])
CELLS = [(k, lang) for k in (K1, K2, K3) for lang in ("en", "de", "fr")]


@st.composite
def three_tables(draw: st.DrawFn) -> tuple[dict[Key, dict[str, str]], ...]:
    base: dict[Key, dict[str, str]] = {
        k: {lang: draw(VALUES) for lang in ("en", "de", "fr")} for k in (K1, K2, K3)
    }
    site = {k: dict(v) for k, v in base.items()}
    ours = {k: dict(v) for k, v in base.items()}
    for key, lang in CELLS:
        if draw(st.booleans()):
            site[key][lang] = draw(VALUES)
        if lang != "en" and draw(st.booleans()):
            ours[key][lang] = draw(VALUES)
    for key in (K1, K2, K3):
        if draw(st.integers(0, 5)) == 0:
            del site[key]
    return base, site, ours


@settings(max_examples=300, deadline=None)
@given(three_tables(), st.booleans(), st.booleans())
def test_no_site_edit_is_lost_and_every_sent_value_is_the_files_own(
    tables: tuple[dict[Key, dict[str, str]], ...], prefer: bool, stale: bool
) -> None:
    base, site, ours = tables
    policy = Policy(prefer_files=prefer, accept_stale=stale)
    result = reconcile(table(base), table(site), table(ours), policy)
    sent = {(e.key, lang.code): e.text(lang) for e in result.upload.entries for lang in e.texts}
    conflicts = {(c.key, c.language.code) for c in result.conflicts}
    stale_cells = {(s.key, s.language.code) for s in result.stale}
    for key, texts in site.items():
        for lang, now in texts.items():
            if (key, lang) not in sent:
                continue
            value = sent[(key, lang)]
            if value == now:
                continue  # unchanged cell of a changed row: the site's value, verbatim
            # a changed cell carries the translator's value for its own key
            assert value == ours[key][lang]
            if now != base[key][lang]:  # the site edited it: only ever as a reported conflict
                assert (key, lang) in conflicts and prefer
            if site[key]["en"] != base[key]["en"]:  # made from an older source: only if asked
                assert stale and (key, lang) in stale_cells | conflicts
    for key in result.deleted:
        assert key not in site
    for entry in result.upload.entries:
        assert entry.text(EN) == site[entry.key]["en"]  # the source is never written back


def test_an_import_without_a_base_compares_with_the_site_itself() -> None:
    site = table(BASE)
    ours = edited(edited(BASE, K2, de="Die Welt"), K1, de="Hallo")
    result = reconcile(site, site, table(ours))
    assert result.applied == {DE: [K1, K2]} and not result.conflicts
    assert [e.text(DE) for e in result.backup.entries] == ["", "Welt"]  # what it replaces


def test_a_key_the_site_never_had_is_listed_and_not_sent() -> None:
    ours = table(edited(BASE, K1, de="Hallo"))
    ours.entries.append(Entry(("c", "9", "title"), {EN: "New", DE: "Neu", FR: ""}))
    result = reconcile(table(BASE), table(BASE), ours)
    assert result.deleted == [("c", "9", "title")]
    assert [e.key for e in result.upload.entries] == [K1]


def test_main_language_text_is_sent_only_with_update_source() -> None:
    ours = edited(BASE, K1, en="Hello!")
    assert reconcile(table(BASE), table(BASE), table(ours)).changes == 0
    result = reconcile(table(BASE), table(BASE), table(ours), Policy(update_source=True))
    assert result.applied == {EN: [K1]}
    assert [e.text(EN) for e in result.upload.entries] == ["Hello!"]
