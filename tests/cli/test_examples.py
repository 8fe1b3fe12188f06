"""Every command's --help, every documented example, and every hint the program prints
(issue 18).

The examples are read from ``docs/commands/*.md`` (the lines of code blocks that start with
``wixloc``) and from the commands' help texts (the lines under ``Example:``). Each one must name
a command and options that exist, and each one runs in a copy of a project made with
``wixloc init --sandbox`` (a remote command gets ``--sandbox``; a job id placeholder becomes a job
of the sandbox, a backup's or snapshot's name the project's own) and must exit as documented:
``init`` for a real site talks to a served sandbox, ``sandbox serve`` runs as a process that is
requested once and stopped. An example that cannot run is listed in ``NOT_RUN`` with why.
"""

from __future__ import annotations

import csv
import re
import shlex
import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from tests.conftest import REPO
from tests.support.cli import all_commands
from tests.support.examples import serve_once
from tests.support.sandbox import make_app, served_site
from wixloc.cli import cli

SRC = REPO / "src" / "wixloc"


COMMANDS = all_commands(cli)


def _options(command: click.Command) -> set[str]:
    names = {"--help", "-h"}
    for param in command.params:
        if isinstance(param, click.Option):
            names.update(param.opts)
            names.update(param.secondary_opts)
    return names


ALL_OPTIONS = set().union(*(_options(c) for c in COMMANDS.values()), _options(cli))


def _resolve(words: list[str]) -> tuple[tuple[str, ...], click.Command]:
    """The longest command path at the start of *words* (after ``wixloc``)."""
    path: tuple[str, ...] = ()
    for word in words:
        if (*path, word) not in COMMANDS:
            break
        path = (*path, word)
    assert path, f"no command {words[0]!r}: wixloc {' '.join(words)}"
    return path, COMMANDS[path]


# --- the examples ----------------------------------------------------------------------------------


def _doc_examples() -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for page in sorted((REPO / "docs" / "commands").glob("*.md")):
        fenced = False
        for line in page.read_text(encoding="utf-8").splitlines():
            if line.startswith("```"):
                fenced = not fenced
                continue
            text = line.strip().removeprefix("$ ")
            if fenced and text.startswith("wixloc "):
                found.append((f"docs/commands/{page.name}", text))
    return found


def _help_examples() -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for path, command in COMMANDS.items():
        text = command.help or ""
        if "Example:" not in text:
            continue
        for line in text.split("Example:", 1)[1].splitlines():
            if line.strip().startswith("wixloc "):
                found.append((f"wixloc {' '.join(path)} --help", line.strip()))
    return found


EXAMPLES = sorted({text: where for where, text in _doc_examples() + _help_examples()}.items())


def _args(example: str) -> list[str]:
    """The example's arguments after ``wixloc``: no comment, no shell redirection."""
    words = shlex.split(example, comments=True)
    assert words[0] == "wixloc"
    if ">" in words:
        words = words[: words.index(">")]
    return words[1:]


def test_examples_were_found() -> None:
    assert len(EXAMPLES) > 60
    assert {e for e, _ in EXAMPLES} >= {
        "wixloc status",
        "wixloc check content.csv --format html -o report.html",
    }


def _unknown_names(example: str) -> list[str]:
    """What *example* names that the CLI lacks: its command, or each option its command lacks."""
    words = _args(example)
    if (words[0],) not in COMMANDS:
        return [f"no command {words[0]!r}"]
    path, command = _resolve(words)
    known = _options(command)
    return [
        f"{command.name} has no option {word.split('=', 1)[0]}"
        for word in words[len(path) :]
        if word.startswith("-")
        and not re.fullmatch(r"-\d.*", word)
        and word.split("=", 1)[0] not in known
    ]


@pytest.mark.parametrize(("example", "where"), EXAMPLES, ids=[e for e, _ in EXAMPLES])
def test_every_example_names_commands_and_options_that_exist(example: str, where: str) -> None:
    assert _unknown_names(example) == [], f"{where}: {example}"


# Examples that cannot run in a test, each with why: none today. An entry must still be a
# documented example naming commands and options that exist (test_examples_not_run_...).
NOT_RUN: dict[str, str] = {}
# The exit code an example documents when it is not 0.
EXIT = {
    "wixloc check content.csv": 1,  # the sample lacks translations: findings are errors
    "wixloc check content.csv --languages en,de,fr,he --min-coverage 95": 1,
    "wixloc check content.csv --format html -o report.html": 1,
    "wixloc check translations/*.po --format github": 1,
    "wixloc check content.csv --format github": 1,
    "wixloc check content.csv --terms glossary.csv --enable spelling": 1,
}
REMOTE = {"export", "import", "jobs", "sandbox"}


@pytest.fixture(scope="module")
def example_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project on the embedded sandbox with the files the examples name."""
    root = tmp_path_factory.mktemp("examples") / "project"
    root.mkdir()
    runner = CliRunner()
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(root)
        for name in ("WIX_API_KEY", "WIX_SITE_ID", "WIX_ACCOUNT_ID", "WIX_API_URL", "CI"):
            mp.delenv(name, raising=False)

        def run(*args: str) -> None:
            result = runner.invoke(cli, list(args))
            assert result.exit_code == 0, (args, result.output)

        run("init", "--sandbox")
        run("pull")
        (root / "site").mkdir()  # a project in another folder, for pull --config
        mp.chdir(root / "site")
        run("init", "--sandbox")
        mp.chdir(root)
        shutil.copy(REPO / "samples" / "content.csv", root / "content.csv")
        shutil.copy(root / "content.csv", root / "last-month.csv")
        (root / "glossary.csv").write_text("source,target,language\ncart,Warenkorb,de\n", "utf-8")
        (root / "samples").mkdir()
        shutil.copy(REPO / "samples" / "content.csv", root / "samples" / "content.csv")
        _export_csv(root / "content.csv", root / "export.csv")
        run("convert", "export.csv", "export.de.po", "--target-language", "de")
        run("export", "-o", "export.jsonl", "--sandbox")
        run("export", "--collection", "Products", "-o", "products.csv", "--sandbox")
        _new_products(root / "products.csv", root / "newProducts.csv")
        run("convert", "translations/content.de.po", "translations/content.de.xlf")
        shutil.copy(root / "translations" / "content.de.po", root / "content.de.po")
        run("split", "content.csv", "--to", "xlsx", "--one-workbook", "--only", "all")
        run("tm", "export", "-o", "agency.tmx")
        run("tm", "export", "-o", "site.tmx")
    return root


def _export_csv(source: Path, target: Path) -> None:
    """An export whose language headers are not plain tags (EN-US, DE, HE): what the examples
    of ``--languages`` on info and convert are about."""
    with source.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    keep = [header.index(c) for c in ("Collection ID", "Item ID", "Field", "en", "de", "he")]
    names = {"en": "EN-US", "de": "DE", "he": "HE"}
    with target.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([names.get(header[i], header[i]) for i in keep])
        writer.writerows([row[i] for i in keep] for row in rows[1:])


def _new_products(export: Path, target: Path) -> None:
    """Two items of a collection export under ids the site does not have: new products."""
    with export.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    header, items = rows[0], rows[1:3]
    for number, item in enumerate(items, 1):
        item[header.index("_id")] = f"b2000000-0000-4000-8000-00000000000{number}"
        item[header.index("title")] = f"New product {number}"
    with target.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([header, *items])


def _run_args(example: str) -> list[str]:
    """The arguments an example runs with on the sandbox."""
    args = _args(example)
    if args[:2] == ["sandbox", "serve"]:  # any free port, not the documented one
        return [*args[:2], *(("0" if a == "8077" else a) for a in args[2:])]
    if args[0] in REMOTE and "--sandbox" not in args and args[:2] != ["sandbox", "reset"]:
        args.append("--sandbox")
    return args


def _import_changed(folder: Path, runner: CliRunner) -> Path:
    """Import a copy of content.csv with one German value changed, as the earlier import the
    backup examples undo; returns the backup it wrote."""
    with (folder / "content.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    rows[1][rows[0].index("de")] = "Geändert"
    with (folder / "changed.csv").open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    result = runner.invoke(cli, ["import", "changed.csv", "--yes", "--sandbox"])
    assert result.exit_code == 0, result.output
    (backup,) = (folder / ".wixloc" / "backups").glob("backup-*.csv")
    return backup


EXAMPLES_RUN = [(e, w) for e, w in EXAMPLES if not any(e.startswith(n) for n in NOT_RUN)]


@pytest.mark.parametrize(("example", "where"), EXAMPLES_RUN, ids=[e for e, _ in EXAMPLES_RUN])
def test_every_example_runs_as_documented(
    example: str, where: str, example_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = _run_args(example)
    folder = tmp_path / "project"
    shutil.copytree(example_project, folder)
    monkeypatch.chdir(folder if args[0] != "init" else tmp_path)
    for name in ("WIX_API_KEY", "WIX_SITE_ID", "WIX_ACCOUNT_ID", "WIX_API_URL", "CI"):
        monkeypatch.delenv(name, raising=False)
    runner = CliRunner()
    if args[0] == "split":  # split writes into a folder without translator files of its own
        for old in [*folder.glob("content.*.*"), folder / "content.xlsx"]:
            old.unlink(missing_ok=True)
        for old in (folder / "translations").glob("*.xlf"):
            old.unlink()
    if any(a.startswith("3f2a") for a in args):  # a job id: one of the sandbox's
        listed = runner.invoke(cli, ["jobs", "list", "--json", "--sandbox", "--limit", "1"])
        job = re.search(r'"id": "([^"]+)"', listed.stdout)
        assert job is not None, listed.output
        args = [job.group(1) if a.startswith("3f2a") else a for a in args]
    snapshot = re.compile(r"\.wixloc/snapshots/[\d-]+-pull\.csv")  # a snapshot: the project's
    (taken,) = (folder / ".wixloc" / "snapshots").glob("*-pull.csv")
    args = [str(taken.relative_to(folder)) if snapshot.fullmatch(a) else a for a in args]
    backup = re.compile(r"\.wixloc/backups/backup-[\d-]+\.csv")  # one an earlier import wrote
    if any(backup.fullmatch(a) for a in args):
        written = _import_changed(folder, runner).relative_to(folder)
        args = [str(written) if backup.fullmatch(a) else a for a in args]
    expanded: list[str] = []
    for arg in args:  # the shell's glob
        matches = sorted(str(p.relative_to(folder)) for p in folder.glob(arg)) if "*" in arg else []
        expanded.extend(matches or [arg])
    if args[:2] == ["sandbox", "serve"]:  # a process: served, requested once, stopped
        status, code, output = serve_once(expanded, folder)
        assert status == (429 if "--burst-429" in args else 200), output
        assert "Press Ctrl+C to stop." in output  # and Ctrl+C stops it: exit 0
        if "--api-key" in args:
            assert f"export WIX_API_KEY={args[args.index('--api-key') + 1]}\n" in output
    elif args[0] == "init" and "--sandbox" not in args:  # a real site: a served sandbox
        with served_site(make_app(), monkeypatch):
            result = runner.invoke(cli, expanded)
        code, output = result.exit_code, result.output
    else:
        result = runner.invoke(cli, expanded)
        code, output = result.exit_code, result.output
    assert code == EXIT.get(example, 0), f"{where}: {example}\n{output}"
    assert "Traceback" not in output


def _stale(table: dict[str, str]) -> list[str]:
    """The entries of a NOT_RUN table that no longer hold: no reason, no documented example
    starting so, or a command or option the CLI lacks."""
    documented = [e for e, _ in EXAMPLES]
    problems: list[str] = []
    for example, why in table.items():
        if not why:
            problems.append(f"{example}: no reason given")
        if not any(e.startswith(example) for e in documented):
            problems.append(f"{example}: no longer documented")
        problems.extend(f"{example}: {p}" for p in _unknown_names(example))
    return problems


def test_examples_not_run_are_documented_and_name_what_exists() -> None:
    assert _stale(NOT_RUN) == []
    assert _stale({"wixloc status": "a reason", "wixloc sandbox serve --port 8077": ""}) == [
        "wixloc sandbox serve --port 8077: no reason given"
    ]
    assert _stale({"wixloc status --everything": "gone"}) == [
        "wixloc status --everything: no longer documented",
        "wixloc status --everything: status has no option --everything",
    ]
    assert _stale({"wixloc publish": "gone"}) == [
        "wixloc publish: no longer documented",
        "wixloc publish: no command 'publish'",
    ]


# --- every --help ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(COMMANDS), ids=" ".join)
def test_every_help_runs(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(cli, [*path, "--help"], prog_name="wixloc")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Usage: wixloc {' '.join(path)} ")


# --- every hint names what exists --------------------------------------------------------------------

QUOTED = re.compile(r"'wixloc ([^']+)'")
# a hint with a command in it, unquoted: "it may still finish: wixloc jobs wait {job_id}"
INLINE = re.compile(r"hint=f?\"[^\"']*?wixloc ([a-z][^\"'{]*)")
OPTION_HINT = re.compile(r"\b(?:pass|use|with|needs?|name it with) (--[a-z][a-z0-9-]*)")


def _sources() -> list[tuple[Path, str]]:
    return [(p, p.read_text(encoding="utf-8")) for p in sorted(SRC.rglob("*.py"))]


def _hinted_commands() -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for path, text in _sources():
        for pattern in (QUOTED, INLINE):
            for match in pattern.finditer(text):
                hint = match.group(1).strip()
                if pattern is INLINE and (hint.split()[0],) not in COMMANDS:
                    continue  # prose about wixloc ("wixloc writes each entry's key ...")
                found.append((str(path.relative_to(REPO)), hint))
    return found


def test_hints_were_found() -> None:
    hinted = {h for _, h in _hinted_commands()}
    assert {"pull", "jobs wait {last.id}", "init --sandbox"} <= hinted


@pytest.mark.parametrize(("where", "hint"), _hinted_commands(), ids=lambda v: v)
def test_every_hinted_command_exists_with_its_options(where: str, hint: str) -> None:
    words = [w for w in hint.split() if not w.startswith("{")]
    path, command = _resolve(words)
    known = _options(command)
    for word in words[len(path) :]:
        if word.startswith("--"):
            assert word.rstrip("{") in known, f"{where}: 'wixloc {hint}': no option {word}"


def _hinted_options() -> list[tuple[str, str]]:
    return [
        (str(path.relative_to(REPO)), m.group(1))
        for path, text in _sources()
        for m in OPTION_HINT.finditer(text)
    ]


@pytest.mark.parametrize(("where", "option"), _hinted_options(), ids=lambda v: v)
def test_every_hinted_option_exists(where: str, option: str) -> None:
    assert option in ALL_OPTIONS, f"{where}: names {option}, which no command has"
