"""The round trip as the field lives it, as a hypothesis state machine (issue 13).

On the embedded sandbox, in process, through the library (``workflow.pull`` / ``push``):
site edits (a translation, a source, an item deleted), pulls, translator edits in the PO files
(fill, blank, reorder, a whitespace-only target, fuzzy, a source pasted onto another key) and
pushes (plain, ``prefer_files``, ``accept_stale``, and one whose client fails half-way) are
interleaved. After every push:

- every site edit made since the pull is on the site still, or the push listed it as a conflict;
- every translation sent sits on its own key, in its own language, and was made from the source
  the site has now (unless ``accept_stale`` took a listed stale one); nothing fuzzy, blank or
  whitespace-only is sent; a deleted item stays deleted;
- a push after a failed one completes (the journal is finished the way the CLI does it), and
  ``status`` works on what it recorded.

A translation says where it came from: ``<source> ~<token>``, the token naming the key, the
language and the source the translator saw.
"""

from __future__ import annotations

import random
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import openpyxl
import polib
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, precondition, rule

from wixloc import workflow
from wixloc.config import CONFIG_NAME, load_config
from wixloc.errors import MergeError, UsageError, WixlocError
from wixloc.formats import load_table, save_table
from wixloc.model import Key, Language, Table
from wixloc.sandbox import Faults, SandboxApp, make_sandbox
from wixloc.site.connect import FAST_POLL, sandbox_client
from wixloc.site.journal import Journal
from wixloc.site.localization import export_content, import_content
from wixloc.site.project import Project
from wixloc.site.recovery import HANDLERS, resolve_pending
from wixloc.wix.client import RetryPolicy, WixClient

MAIN = Language("en")
PLAIN = str.maketrans("", "", "<>{}%[]~\n\r\t0123456789")


@dataclass(frozen=True)
class Made:
    """What a translator's token stands for."""

    key: Key
    language: str
    source: str


def letters(n: int) -> str:
    """A token without digits (a digit would be a number-mismatch finding)."""
    out = ""
    n += 26
    while n:
        n, r = divmod(n, 26)
        out = chr(ord("a") + r) + out
    return out


def plain(text: str) -> bool:
    return bool(text.strip()) and text == text.strip() and text.translate(PLAIN) == text


def key_of(entry: polib.POEntry) -> Key:
    return tuple(str(entry.msgctxt).split("|"))


class PushCycle(RuleBasedStateMachine):
    FORMAT = "po"

    def __init__(self) -> None:
        super().__init__()
        self.root = Path(tempfile.mkdtemp(prefix="wixloc-cycle-"))
        workflow.init_project(self.root, sandbox=True, fmt=self.FORMAT, env={})
        self.config = load_config(self.root / CONFIG_NAME, env={})
        self.project = Project(self.root)
        self.client = sandbox_client(self.root)
        self.made: dict[str, Made] = {}
        self.edits: dict[tuple[Key, str], str] = {}  # site edits since the pull
        self.deleted: set[tuple[str, str]] = set()  # (collection, item id)
        self.pulled = False
        self.failed = False  # the last push failed: the next one must complete
        self.apps: list[SandboxApp] = []
        self.misplaced: dict[Path, bytes] = {}  # files with a misplaced source: as they were
        self.counter = 0

    def teardown(self) -> None:
        for app in self.apps:
            app.runner.join()
        shutil.rmtree(self.root, ignore_errors=True)

    # --- the site ----------------------------------------------------------------------------

    def site(self) -> Table:
        self.counter += 1
        path = self.root / "edits" / f"site-{self.counter}.csv"
        path.parent.mkdir(exist_ok=True)
        export_content(self.client, path)
        return load_table(path)

    def change_site(self, table: Table) -> None:
        path = self.root / "edits" / f"edit-{self.counter}.csv"
        save_table(table, path)
        result = import_content(
            self.client, path, update_source=True, check=False, project=self.project
        )
        assert result.error() is None

    @precondition(lambda self: self.pulled)
    @rule(data=st.data(), in_files=st.booleans())
    def site_edits_a_translation(self, data: st.DataObject, in_files: bool) -> None:
        table = self.site()
        out = self.file_keys() if in_files else set()
        cells = [
            (e.key, lang)
            for e in table.entries
            for lang in table.languages[1:]
            if plain(e.text(MAIN)) and ((e.key, lang.tag) in out or (not in_files and e.text(lang)))
        ]
        if not cells:
            return
        key, lang = data.draw(st.sampled_from(cells[:40]))
        self.counter += 1
        value = f"site edit {letters(self.counter)}"
        table.index()[key].texts[lang] = value
        self.change_site(table)
        self.edits[(key, lang.tag)] = value

    @precondition(lambda self: self.pulled)
    @rule(data=st.data(), in_files=st.booleans())
    def site_edits_a_source(self, data: st.DataObject, in_files: bool) -> None:
        table = self.site()
        out = {key for key, _ in self.file_keys()} if in_files else None
        keys = [
            e.key for e in table.entries if plain(e.text(MAIN)) and (out is None or e.key in out)
        ]
        if not keys:
            return
        key = data.draw(st.sampled_from(keys[:40]))
        self.counter += 1
        value = f"{table.index()[key].text(MAIN)} revised {letters(self.counter)}"
        table.index()[key].texts[MAIN] = value
        self.change_site(table)
        self.edits[(key, MAIN.tag)] = value

    @precondition(lambda self: self.pulled)
    @rule(data=st.data())
    def site_deletes_an_item(self, data: st.DataObject) -> None:
        keys = sorted({(k[0], k[1]) for k, _ in self.file_keys()} - self.deleted)
        if not keys:
            return
        collection, item = data.draw(st.sampled_from(keys[:20]))
        site = self.client.site_id
        store = make_sandbox(self.project.sandbox_db, api_key="cycle").store
        with store.transaction() as db:
            db.execute(
                "DELETE FROM items WHERE site_id = ? AND collection_id = ? AND id = ?",
                (site, collection, item),
            )
        store.close()
        self.deleted.add((collection, item))

    # --- pull and the translator --------------------------------------------------------------

    @initialize()
    def first_pull(self) -> None:
        self.pull()

    @rule()
    def pull(self) -> None:
        self.resolve()
        workflow.pull(self.config, force=True, client=self.client)
        self.misplaced = {}
        self.pulled = True
        self.edits = {}
        self.check_status()

    def files(self) -> list[Path]:
        if self.FORMAT != "po" or not self.config.dir.is_dir():
            return []
        return sorted(self.config.dir.glob("content.*.po"))

    def file_keys(self) -> set[tuple[Key, str]]:
        return {
            (key_of(e), path.name.split(".")[1])
            for path in self.files()
            for e in polib.pofile(str(path))
        }

    def entries(self, data: st.DataObject) -> tuple[polib.POFile, Path] | None:
        files = self.files()
        if not files:
            return None
        path = data.draw(st.sampled_from(files))
        return polib.pofile(str(path)), path

    def token(self, entry: polib.POEntry, path: Path, fuzzy: bool = False) -> str:
        self.counter += 1
        token = ("fz" if fuzzy else "tr") + letters(self.counter)
        self.made[token] = Made(key_of(entry), path.name.split(".")[1], entry.msgid)
        return f"{entry.msgid} ~{token}"

    @rule(data=st.data(), fuzzy=st.booleans(), share=st.integers(1, 3))
    def translator_fills(self, data: st.DataObject, fuzzy: bool, share: int) -> None:
        opened = self.entries(data)
        if opened is None:
            return
        po, path = opened
        for i, entry in enumerate(po):
            if i % share == 0 and plain(entry.msgid):
                entry.msgstr = self.token(entry, path, fuzzy)
                flags = [f for f in entry.flags if f != "fuzzy"]
                entry.flags = [*flags, "fuzzy"] if fuzzy else flags
        po.save()

    @rule(data=st.data())
    def translator_blanks(self, data: st.DataObject) -> None:
        self.blank(data, "")

    @rule(data=st.data())
    def translator_types_whitespace(self, data: st.DataObject) -> None:
        self.blank(data, "  ")

    def blank(self, data: st.DataObject, value: str) -> None:
        opened = self.entries(data)
        if opened is None:
            return
        po, _ = opened
        filled = [e for e in po if e.msgstr]
        if not filled:
            return
        entry = data.draw(st.sampled_from(filled))
        entry.msgstr = value
        entry.flags = [f for f in entry.flags if f != "fuzzy"]
        po.save()

    @rule(data=st.data(), seed=st.integers(0, 1000))
    def translator_reorders(self, data: st.DataObject, seed: int) -> None:
        opened = self.entries(data)
        if opened is None:
            return
        po, _ = opened
        entries = list(po)
        random.Random(seed).shuffle(entries)
        po[:] = entries
        po.save()

    @rule(data=st.data())
    def translator_pastes_onto_another_key(self, data: st.DataObject) -> None:
        """Two rows' source and translation swapped, their keys (msgctxt) left in place."""
        opened = self.entries(data)
        if opened is None:
            return
        po, path = opened
        candidates = [e for e in po if plain(e.msgid)]
        if len(candidates) < 2:
            return
        a, b = candidates[0], candidates[-1]
        if a.msgid == b.msgid:
            return
        self.misplaced.setdefault(path, path.read_bytes())
        ta, tb = self.token(a, path), self.token(b, path)
        a.msgid, b.msgid = b.msgid, a.msgid
        a.msgstr, b.msgstr = tb, ta
        po.save()

    # --- push -----------------------------------------------------------------------------

    def resolve(self) -> None:
        """What the CLI does before a remote command: finish interrupted work."""
        handlers = {**HANDLERS, "push": workflow.push_recovery(self.config)}
        resolve_pending(self.project, self.client, handlers)

    # pushes come in three rules so that they are as likely as the edits between them

    @rule()
    def push(self) -> None:
        self.push_with()

    @rule()
    def push_preferring_files(self) -> None:
        self.push_with(prefer_files=True)

    @rule(prefer_files=st.booleans())
    def push_accepting_stale(self, prefer_files: bool) -> None:
        self.push_with(prefer_files=prefer_files, accept_stale=True)

    def push_with(self, *, prefer_files: bool = False, accept_stale: bool = False) -> None:
        self.resolve()
        must_complete, self.failed = self.failed, False
        before = self.site()
        try:
            result = workflow.push(
                self.config,
                prefer_files=prefer_files,
                accept_stale=accept_stale,
                client=self.client,
            )
        except UsageError as e:
            assert e.message.startswith("no translator files to push"), e
            return
        except MergeError as e:  # refused whole: a source on another key is never applied
            assert self.misplaced and "pasted on its own" in e.message, e
            assert self.site().entries == before.entries  # nothing reached the site
            for path, data in self.misplaced.items():
                path.write_bytes(data)  # the translator undoes the sort, as the message asks
            self.misplaced = {}
            return
        assert not result.stopped_by_check, [f.message for f in result.check_report.findings]
        assert result.result is not None
        assert result.result.error() is None or not must_complete, result.result.error()
        self.judge(before, result)
        assert Journal(self.project.state_dir).pending() == []
        self.check_status()

    @rule(seed=st.integers(0, 50))
    def push_fails_half_way(self, seed: int) -> None:
        """A push whose connection fails now and then; the next push must complete it."""
        self.resolve()
        key = "cycle-faults"
        app = make_sandbox(
            self.project.sandbox_db, api_key=key, faults=Faults(fail_rate=0.2, seed=seed)
        )
        self.apps.append(app)
        client = WixClient(
            key,
            site_id=self.client.site_id,
            base_url="http://sandbox.wixloc.invalid",
            transport=httpx.WSGITransport(app=app),
            retry=RetryPolicy(attempts=1, base=0.0, cap=0.0),
            poll=FAST_POLL,
        )
        try:
            workflow.push(self.config, client=client)
        except WixlocError:
            self.failed = True
        app.runner.join()

    def judge(self, before: Table, result: workflow.PushResult) -> None:
        assert result.result is not None
        reconciled = result.result.plan.reconciled
        now = self.site().index()
        main = MAIN
        conflicts = {(c.key, c.language.tag): c for c in reconciled.conflicts}
        stale_taken = {(s.key, s.language.tag) for s in reconciled.stale if s.taken}
        # every site edit since the pull survives, or was listed as a conflict
        for (key, lang), value in list(self.edits.items()):
            if (key[0], key[1]) in self.deleted:
                continue
            entry = now.get(key)
            assert entry is not None, key
            if lang == main.tag:
                assert entry.text(main) == value, (key, "a source edit was reverted")
                continue
            conflict = conflicts.get((key, lang))
            if conflict is not None and conflict.taken:
                del self.edits[(key, lang)]  # listed as overwritten (--prefer files)
                continue
            assert entry.text(Language(lang)) == value, (key, lang, "a site edit was lost")
        # every value sent sits on its own key, from the source the site has now
        backup = {e.key: e for e in reconciled.backup.entries}
        for row in reconciled.upload.entries:
            for language in reconciled.upload.languages[1:]:
                value = row.text(language)
                old = backup[row.key].text(language)
                if value == old:
                    continue
                assert value.strip(), (row.key, language, "a blank or whitespace value was sent")
                token = value.rpartition("~")[2]
                made = self.made.get(token)
                if made is None:
                    continue
                assert not token.startswith("fz"), (row.key, language, "a fuzzy value was sent")
                assert made.key == row.key and made.language == language.tag, (
                    made,
                    row.key,
                    language,
                )
                if (row.key, language.tag) not in stale_taken:
                    assert made.source == row.text(main), (made, row.text(main))
        # nothing sent for a deleted item, and the site never got one back
        for key in now:
            assert (key[0], key[1]) not in self.deleted, key
        for entry in before.entries:
            for language in before.languages[1:]:
                if entry.text(language) and entry.key in now:
                    assert now[entry.key].text(language), (
                        entry.key,
                        language,
                        "a site value blanked",
                    )

    def check_status(self) -> None:
        status = workflow.status(self.config)
        assert status.snapshot == self.project.latest_snapshot()
        assert len(status.languages) == len(load_table(status.snapshot).languages)


SETTINGS = settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PushCycle.TestCase.settings = settings(SETTINGS, max_examples=12, stateful_step_count=10)
TestPushCycle = PushCycle.TestCase


# --- the same round trip with XLSX workbooks -------------------------------------------------

SOURCE, TARGET, STATUS, KEY, PRINT = 4, 5, 7, 9, 10  # the workbook's columns (1-based)


class XlsxPushCycle(PushCycle):
    """The translator works in Excel: fills, blanks, marks rows for review, sorts whole rows,
    and sorts only the Source and Translation columns of two rows (the partial sort)."""

    FORMAT = "xlsx"

    def books(self) -> list[Path]:
        if not self.config.dir.is_dir():
            return []
        return sorted(self.config.dir.glob("content.*.xlsx"))

    def file_keys(self) -> set[tuple[Key, str]]:
        keys = set()
        for path in self.books():
            sheet = openpyxl.load_workbook(path)["Translations"]
            for (key,) in sheet.iter_rows(min_row=2, min_col=KEY, max_col=KEY, values_only=True):
                keys.add((tuple(str(key).split("|")), path.name.split(".")[1]))
        return keys

    def book(self, data: st.DataObject) -> tuple[Path, Any, Any] | None:
        books = self.books()
        if not books:
            return None
        path = data.draw(st.sampled_from(books))
        workbook = openpyxl.load_workbook(path)
        return path, workbook, workbook["Translations"]

    def xtoken(self, sheet: Any, row: int, path: Path, fuzzy: bool = False) -> str:
        self.counter += 1
        token = ("fz" if fuzzy else "tr") + letters(self.counter)
        key = tuple(str(sheet.cell(row, KEY).value).split("|"))
        source = str(sheet.cell(row, SOURCE).value)
        self.made[token] = Made(key, path.name.split(".")[1], source)
        return f"{source} ~{token}"

    @rule(data=st.data(), fuzzy=st.booleans(), share=st.integers(1, 3))
    def translator_fills_cells(self, data: st.DataObject, fuzzy: bool, share: int) -> None:
        opened = self.book(data)
        if opened is None:
            return
        path, workbook, sheet = opened
        for row in range(2, sheet.max_row + 1):
            if row % share == 0 and plain(str(sheet.cell(row, SOURCE).value)):
                sheet.cell(row, TARGET).value = self.xtoken(sheet, row, path, fuzzy)
                sheet.cell(row, STATUS).value = "needs review" if fuzzy else None
        workbook.save(path)

    @rule(data=st.data(), whitespace=st.booleans())
    def translator_clears_a_cell(self, data: st.DataObject, whitespace: bool) -> None:
        opened = self.book(data)
        if opened is None:
            return
        path, workbook, sheet = opened
        rows = [r for r in range(2, sheet.max_row + 1) if sheet.cell(r, TARGET).value]
        if rows:
            row = data.draw(st.sampled_from(rows))
            sheet.cell(row, TARGET).value = "  " if whitespace else None
            sheet.cell(row, STATUS).value = None
            workbook.save(path)

    @rule(data=st.data(), partial=st.booleans())
    def translator_sorts(self, data: st.DataObject, partial: bool) -> None:
        """By source: every column (a harmless sort), or only Source and Translation."""
        opened = self.book(data)
        if opened is None:
            return
        path, workbook, sheet = opened
        if partial:
            self.misplaced.setdefault(path, path.read_bytes())
        rows = list(range(2, sheet.max_row + 1))
        columns = (SOURCE, TARGET) if partial else tuple(range(1, sheet.max_column + 1))
        for row in rows:  # a partial sort moves values the translator typed: give them tokens
            if partial and plain(str(sheet.cell(row, SOURCE).value)):
                sheet.cell(row, TARGET).value = self.xtoken(sheet, row, path)
        values = [[sheet.cell(r, c).value for c in columns] for r in rows]
        values.sort(key=lambda v: str(v[columns.index(SOURCE)]))
        for row, cells in zip(rows, values, strict=True):
            for column, value in zip(columns, cells, strict=True):
                sheet.cell(row, column).value = value
        workbook.save(path)


XlsxPushCycle.TestCase.settings = settings(SETTINGS, max_examples=5, stateful_step_count=10)
TestXlsxPushCycle = XlsxPushCycle.TestCase
