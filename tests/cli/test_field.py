"""The field scenarios of issue 13, on the embedded sandbox through the CLI, with exact lines:
a site edit after the pull survives a push, a source changed after the pull makes only its
translation stale, an item deleted between pull and push is dropped and recorded, push names
the files it cannot use, status names pulled files that are gone, and an export with another
meta column is uploaded with it, verbatim."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from tests.test_workflow import fill
from wixloc.cli import cli
from wixloc.formats import load_table, save_table
from wixloc.model import Key, Language, Table
from wixloc.sandbox import localization as sandbox_localization
from wixloc.sandbox import make_sandbox
from wixloc.site.connect import open_client
from wixloc.site.localization import export_content, import_content
from wixloc.site.project import Project

EN, DE = Language("en"), Language("de")
BIRCH: Key = ("Products", "22c523f8-544e-5a24-af71-01a1ac5bf7c0", "title")
TRIVET: Key = ("Products", "da498828-c8b2-5f18-9061-dc001410c5e1", "title")
LABELS = ("Products", "e15f8b95-20b5-56c6-81e0-0796a5b9dc7f")
SNAPSHOT = r"\.wixloc/snapshots/[0-9-]+-pull\.csv"
DE_PO = Path("translations", "content.de.po")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return make_project(tmp_path, monkeypatch)


def make_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """init --sandbox and a first pull."""
    monkeypatch.chdir(tmp_path)
    for name in ("WIX_API_KEY", "WIX_SITE_ID", "WIX_ACCOUNT_ID", "WIX_API_URL"):
        monkeypatch.delenv(name, raising=False)
    for args in (["init", "--sandbox"], ["pull"]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
    return tmp_path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout


def site(project: Path) -> Table:
    path = project / "site.csv"
    export_content(open_client(sandbox=True, root=project), path)
    return load_table(path)


def edit_site(project: Path, change: Callable[[Table], None]) -> None:
    """An editor changes the site (an import of a changed export, as the issue tried)."""
    table = site(project)
    change(table)
    path = project / "edit.csv"
    save_table(table, path)
    client = open_client(sandbox=True, root=project)
    result = import_content(client, path, update_source=True, check=False, project=Project(project))
    assert result.error() is None


def set_text(key: Key, lang: Language, value: str) -> Callable[[Table], None]:
    def change(table: Table) -> None:
        table.index()[key].texts[table.language(lang)] = value

    return change


def lines_matching(out: str, pattern: str) -> list[str]:
    return [line for line in out.splitlines() if re.fullmatch(pattern, line)]


def test_a_site_edit_after_the_pull_survives_the_push(project: Path) -> None:
    edit_site(project, set_text(BIRCH, DE, "Birkenbrett"))  # a cell no file has
    edit_site(project, set_text(TRIVET, DE, "Speckstein-Untersetzer"))  # a cell the file fills
    fill(project / DE_PO)
    code, out = run("push", "--yes")
    assert code == 0, out
    assert "  de        32 added, 0 changed, 0 blanked" in out.splitlines()  # no revert
    conflict = (
        rf"1 conflict: the site changed the value since the snapshot {SNAPSHOT}; not sent "
        r"\(key, language: then / on the site now / from the file\):"
    )
    assert len(lines_matching(out, conflict)) == 1
    assert (
        f"  {'|'.join(TRIVET)}, de: '' / 'Speckstein-Untersetzer' / 'DE Soapstone Trivet'"
        in out.splitlines()
    )
    now = site(project).index()
    assert now[BIRCH].text(DE) == "Birkenbrett"
    assert now[TRIVET].text(DE) == "Speckstein-Untersetzer"

    # the file's value was held back, so the German file is merged again: --prefer files
    code, out = run("push", "--yes", "--prefer", "files")
    assert code == 0, out
    assert "  de        0 added, 1 changed, 0 blanked" in out.splitlines()
    assert (
        len(lines_matching(out, conflict.replace("not sent", r"sent anyway \(--prefer files\)")))
        == 1
    )
    now = site(project).index()
    assert (now[BIRCH].text(DE), now[TRIVET].text(DE)) == ("Birkenbrett", "DE Soapstone Trivet")


def test_a_source_changed_after_the_pull_holds_back_only_its_translation(project: Path) -> None:
    edit_site(project, set_text(TRIVET, EN, "Soapstone Trivet, large"))
    fill(project / DE_PO)
    code, out = run("push", "--yes")
    assert code == 0, out
    assert "  de        32 added, 0 changed, 0 blanked" in out.splitlines()
    stale = (
        rf"1 stale translation: the source changed on the site since the snapshot {SNAPSHOT}; "
        r"not sent; the next pull sends them again \(key, language: source then → now\):"
    )
    assert len(lines_matching(out, stale)) == 1
    assert f"  {'|'.join(TRIVET)}, de: 'Soapstone Trivet' → 'Soapstone Trivet, large'" in (
        out.splitlines()
    )
    assert site(project).index()[TRIVET].text(DE) == ""
    code, out = run("status")
    assert out.splitlines()[3].split() == ["de", "143", "1", "0", "99.3%"]
    code, out = run("pull")  # no --force: the German file was pushed
    assert code == 0, out
    assert out.splitlines()[1].split()[:3] == ["de", "translations/content.de.po", "1"]
    (entry,) = [e for e in polib.pofile(str(project / DE_PO)) if not e.obsolete]
    assert (entry.msgctxt, entry.msgid, entry.msgstr) == (
        "|".join(TRIVET),
        "Soapstone Trivet, large",
        "",
    )


def delete_item(project: Path, collection: str, item: str) -> None:
    store = make_sandbox(Project(project).sandbox_db, api_key="field").store
    with store.transaction() as db:
        db.execute("DELETE FROM items WHERE collection_id = ? AND id = ?", (collection, item))
    store.close()


def test_an_item_deleted_before_the_push_is_dropped_and_recorded(project: Path) -> None:
    fill(project / DE_PO)
    delete_item(project, *LABELS)
    code, out = run("push", "--yes")
    assert code == 0, out
    assert (
        "2 rows for entries the site does not have (deleted, or never there), not sent:\n"
        f"  {'|'.join(LABELS)}|description\n"
        f"  {'|'.join(LABELS)}|badge\n"
    ) in out
    assert "  de        31 added, 0 changed, 0 blanked" in out.splitlines()
    assert out.endswith("recorded 329 accepted translations in .wixloc/state.json\n")
    code, out = run("status")
    assert code == 0
    assert out.splitlines()[2:4] == [
        "en               141        0      0    100.0%  (main)",
        "de               141        0      0    100.0%",
    ]
    assert "translator files out" not in out
    code, out = run("push", "--yes")  # the next push is clean
    assert code == 0, out
    assert out.endswith("nothing to import\nrecorded the site as it is now in .wixloc/state.json\n")


def test_push_names_every_file_it_cannot_use_and_status_the_missing(project: Path) -> None:
    folder = project / "translations"
    (folder / "README.txt").write_text("notes for the agency\n", encoding="utf-8")
    (folder / "content.de.csv").write_text("a,b\n", encoding="utf-8")
    (folder / "content.fr.po").replace(folder / "content.de.po")  # French saved as German
    (folder / "content.he.po").unlink()
    code, out = run("push", "--dry-run")
    assert code == 0, out
    assert out.splitlines()[:5] == [
        "translations/README.txt: not a translator file (PO, XLIFF, XLSX): not used",
        "translations/content.de.csv: not a translator file (PO, XLIFF, XLSX): not used",
        "translations/content.de.po: named for 'de' but holds 'fr': merged as 'fr'; "
        "no file holding 'de' came back",
        "translations/content.fr.po: pulled, but not in the folder now (nothing of it was pushed)",
        "translations/content.he.po: pulled, but not in the folder now (nothing of it was pushed)",
    ]
    code, out = run("status")
    assert code == 0
    tail = out.splitlines()[7:]
    assert [line.split(" (")[0] for line in tail] == [
        "translator files out, not yet pushed:",
        "  translations/content.de.po",
        "  translations/content.ja.po",
        "pulled translator files missing from the folder",
        "  translations/content.fr.po",
        "  translations/content.he.po",
    ]


def test_an_export_with_another_meta_column_is_uploaded_with_it_verbatim(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Header-driven: a site whose export has a 'Field Type' column gets it back as it was."""
    render = sandbox_localization.render

    def with_type(header: list[str], rows: list[list[str]], fmt: str) -> bytes:
        return render(
            [*header[:3], "Field Type", *header[3:]],
            [[*row[:3], f"TEXT {row[2]}", *row[3:]] for row in rows],
            fmt,
        )

    uploads: list[bytes] = []
    parse = sandbox_localization._parse

    def keep(data: bytes, fmt: str | None):  # type: ignore[no-untyped-def]
        uploads.append(data)
        return parse(data, fmt)

    monkeypatch.setattr(sandbox_localization, "render", with_type)
    monkeypatch.setattr(sandbox_localization, "_parse", keep)
    project = make_project(tmp_path, monkeypatch)
    fill(project / DE_PO)
    code, out = run("push", "--yes")
    assert code == 0, out
    (upload,) = uploads
    lines = upload.decode("utf-8").splitlines()
    assert lines[0] == "Collection ID,Item ID,Field,Field Type,en,de"
    assert f"{','.join(TRIVET)},TEXT title,Soapstone Trivet,DE Soapstone Trivet" in lines
    assert len(load_table(sorted((project / ".wixloc" / "backups").iterdir())[-1])) == 33


def test_languages_push_one_language_past_an_error_in_another(project: Path) -> None:
    """An error in the German file holds back neither French nor, later, German itself."""
    fill(project / DE_PO)
    fill(project / "translations" / "content.fr.po", prefix="FR ")
    po = polib.pofile(str(project / DE_PO))
    broken = next(e for e in po if "{" in e.msgid)
    broken.msgstr = "ohne Platzhalter"
    po.save()
    code, out = run("push", "--yes", "--languages", "fr")
    assert code == 0, out
    assert "check: 0 errors, " in out
    assert "  fr        54 added, 0 changed, 0 blanked" in out.splitlines()
    code, out = run("push", "--yes")  # German was not marked pushed: merged, and stopped
    assert code == 1, out
    assert "translations/content.fr.po: already pushed, unchanged since: not merged again" in out
    assert f"  error de {broken.msgctxt}: placeholder-mismatch: " in out


def test_a_file_of_a_regional_variant_is_not_called_misnamed(project: Path) -> None:
    po = project / "translations" / "content.de.po"
    text = po.read_text(encoding="utf-8")
    assert '"Language: de\\n"' in text
    po.write_text(text.replace('"Language: de\\n"', '"Language: de_DE\\n"'), encoding="utf-8")
    code, out = run("push", "--dry-run")
    assert code == 0, out
    assert "named for 'de'" not in out  # de_DE, as Poedit saves it, is German for merge too
