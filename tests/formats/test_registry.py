"""The format registry is an explicit list, the only one: config and the CLI take their choices
from it, and only the formats package knows the XLSX module."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import click

from tests.conftest import REPO
from wixloc import config, formats
from wixloc.cli import cli

SRC = REPO / "src" / "wixloc"


def _imports(path: Path) -> set[str]:
    """Every module *path* imports, spelled out (``from wixloc.formats import xlsx`` included)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_no_module_outside_formats_imports_the_xlsx_module() -> None:
    outside = [p for p in SRC.rglob("*.py") if "formats" not in p.relative_to(SRC).parts]
    assert outside
    offenders = [str(p.relative_to(REPO)) for p in outside if "wixloc.formats.xlsx" in _imports(p)]
    assert offenders == []


def test_formats_do_not_import_the_root_package() -> None:
    # the root package imports formats; the version comes from wixloc._version
    offenders = [
        str(p.relative_to(REPO))
        for p in (SRC / "formats").glob("*.py")
        if any(name == "wixloc" or name.startswith("wixloc.__") for name in _imports(p))
    ]
    assert offenders == []


def test_the_registry_lists_every_format_module_in_order() -> None:
    defined = sorted(
        p.stem for p in (SRC / "formats").glob("*.py") if "\nFORMAT = Format(" in p.read_text()
    )
    assert sorted(formats.FORMAT_MODULES) == defined
    assert formats.names() == ("csv", "jsonl", "po", "xliff", "xliff2", "xlsx")
    assert formats.names("table") == ("csv", "jsonl", "xlsx")
    assert formats.names("translator") == ("po", "xliff", "xliff2", "xlsx")
    assert formats.names("multilingual") == ("xlsx",)


def _choices(command: str, option: str) -> tuple[str, ...]:
    group = cli.commands[command]
    param = next(p for p in group.params if isinstance(p, click.Option) and option in p.opts)
    assert isinstance(param.type, click.Choice)
    return tuple(param.type.choices)


def test_config_and_the_cli_take_their_choices_from_the_registry() -> None:
    translators = formats.names("translator")
    assert config.translator_formats() == translators
    assert _choices("split", "--to") == translators
    assert _choices("init", "--format") == translators
    assert _choices("demo", "--format") == translators


def test_the_format_modules_load_on_first_use() -> None:
    # neither `import wixloc` nor the format package loads a format module (openpyxl for XLSX)
    code = (
        "import sys, wixloc, wixloc.formats, wixloc.config; "
        "print(sorted(m for m in sys.modules if m.startswith('wixloc.formats.') "
        "or m == 'openpyxl'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert out.stdout == "[]\n"
