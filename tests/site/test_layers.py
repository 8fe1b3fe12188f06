"""The site layer's place: it imports only downward, and nothing below it imports it."""

from __future__ import annotations

import ast
from pathlib import Path

import wixloc

PACKAGE = Path(wixloc.__file__).parent
ABOVE = ("wixloc.workflow", "wixloc.demo", "wixloc.cli")
BELOW = ("wix", "sandbox", "formats", "checks", "model.py", "state.py", "config.py", "errors.py")


def imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.startswith("wixloc")}


def modules(*names: str) -> list[Path]:
    paths: list[Path] = []
    for name in names:
        target = PACKAGE / name
        paths += sorted(target.rglob("*.py")) if target.is_dir() else [target]
    return paths


def test_the_site_layer_imports_nothing_above_it() -> None:
    upward = {
        (path.name, name)
        for path in modules("site")
        for name in imports(path)
        if name.startswith(ABOVE)
    }
    assert upward == set()


def test_nothing_below_imports_the_site_layer() -> None:
    reaching_up = {
        (str(path.relative_to(PACKAGE)), name)
        for path in modules(*BELOW)
        for name in imports(path)
        if name.startswith("wixloc.site")
    }
    assert reaching_up == set()
