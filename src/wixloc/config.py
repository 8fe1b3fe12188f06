"""``wixloc.toml`` and the environment.

The API key is read only from ``WIX_API_KEY``, never from a file, so a project folder can be
committed safely. ``WIX_SITE_ID`` (or ``WIX_ACCOUNT_ID``) and ``WIX_API_URL`` override the file.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wixloc import formats
from wixloc.errors import ConfigError
from wixloc.locales import normalize_tag

__all__ = [
    "CONFIG_NAME",
    "DEFAULT_API_URL",
    "ONLY",
    "Config",
    "find_config",
    "load_config",
    "render_config",
    "translator_formats",
]

CONFIG_NAME = "wixloc.toml"
DEFAULT_API_URL = "https://www.wixapis.com"
ONLY = ("missing", "changed", "all")


@dataclass
class Config:
    """A project's settings. Paths are absolute, resolved against the file's folder."""

    root: Path
    site_id: str | None = None
    account_id: str | None = None
    api_url: str = DEFAULT_API_URL
    sandbox: bool = False
    languages: list[str] | None = None  # main first; None: read from the site
    format: str = "po"
    dir: Path = field(default_factory=lambda: Path("translations"))
    only: str = "changed"
    reuse: bool = True
    check: dict[str, Any] = field(default_factory=dict)  # the [check] table, read by checks
    path: Path | None = None

    @property
    def state_dir(self) -> Path:
        """``.wixloc/``: snapshots, backups, the state file and the embedded sandbox."""
        return self.root / ".wixloc"


def translator_formats() -> tuple[str, ...]:
    """The formats a project's translator files may have: those of the registry."""
    return formats.names("translator")


def find_config(start: Path | None = None) -> Path | None:
    """The nearest ``wixloc.toml`` in *start* or a parent folder."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def load_config(path: Path | None = None, env: Mapping[str, str] | None = None) -> Config:
    """Read *path* (default: the nearest wixloc.toml) and apply the environment over it."""
    env = os.environ if env is None else env
    path = path or find_config()
    if path is None:
        raise ConfigError(
            f"no {CONFIG_NAME} here or in a parent folder",
            hint="run 'wixloc init' (or 'wixloc init --sandbox' to try it offline)",
        )
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    config = _from_dict(data, path)
    _apply_env(config, env)
    return config


def _from_dict(data: dict[str, Any], path: Path) -> Config:
    reader = _Reader(data, path)
    root = path.resolve().parent
    languages = reader.get("languages", "languages", list, None)
    config = Config(
        root=root,
        path=path,
        site_id=reader.get("site", "id", str, None) or None,
        api_url=reader.get("site", "api_url", str, DEFAULT_API_URL),
        sandbox=reader.get("site", "sandbox", bool, False),
        languages=[_tag(t, path) for t in languages] if languages else None,
        format=reader.choice("translators", "format", translator_formats(), "po"),
        dir=root / reader.get("translators", "dir", str, "translations"),
        only=reader.choice("translators", "only", ONLY, "changed"),
        reuse=reader.get("translators", "reuse", bool, True),
        check=dict(data.get("check", {})),
    )
    if config.languages is not None and len(config.languages) < 2:
        raise ConfigError(
            f"{path}: [languages] languages needs the main language and at least one more"
        )
    return config


def _tag(value: object, path: Path) -> str:
    if not isinstance(value, str):
        raise ConfigError(f'{path}: [languages] languages must be a list of tags such as "en"')
    normalize_tag(value)  # raises with the tag named
    return value


class _Reader:
    def __init__(self, data: dict[str, Any], path: Path) -> None:
        self.data = data
        self.path = path

    def get(self, table: str, key: str, kind: type, default: Any) -> Any:
        section = self.data.get(table, {})
        if not isinstance(section, dict):
            raise ConfigError(f"{self.path}: [{table}] must be a table")
        value = section.get(key, default)
        if value is not default and not isinstance(value, kind):
            raise ConfigError(
                f"{self.path}: [{table}] {key} must be {_kind_name(kind)}, not {value!r}"
            )
        return value

    def choice(self, table: str, key: str, choices: tuple[str, ...], default: str) -> str:
        value: str = self.get(table, key, str, default)
        if value not in choices:
            raise ConfigError(
                f"{self.path}: [{table}] {key} = {value!r} is not one of {', '.join(choices)}"
            )
        return value


def _kind_name(kind: type) -> str:
    return {str: "a string", bool: "true or false", list: "a list", int: "a number"}.get(
        kind, kind.__name__
    )


def _apply_env(config: Config, env: Mapping[str, str]) -> None:
    if env.get("WIX_SITE_ID"):
        config.site_id = env["WIX_SITE_ID"]
    if env.get("WIX_ACCOUNT_ID"):
        config.account_id = env["WIX_ACCOUNT_ID"]
    if env.get("WIX_API_URL"):
        config.api_url = env["WIX_API_URL"]


def render_config(
    *,
    sandbox: bool,
    fmt: str = "po",
    folder: str = "translations",
    site_id: str | None = None,
    languages: list[str] | None = None,
) -> str:
    """The commented ``wixloc.toml`` that ``wixloc init`` writes."""
    langs = ", ".join(f'"{t}"' for t in languages) if languages else ""
    lang_line = (
        f"languages = [{langs}]"
        if languages
        else '# languages = ["en", "de", "fr"]   # unset: read from the site'
    )
    return _TEMPLATE.format(
        site_id=site_id or "",
        sandbox="true" if sandbox else "false",
        lang_line=lang_line,
        fmt=fmt,
        folder=folder,
    )


_TEMPLATE = """\
# wixloc project settings. Every key is described in docs/config.md.

[site]
# The site's id (a GUID). WIX_SITE_ID overrides it; WIX_ACCOUNT_ID may be set instead for
# account-level calls. The API key is never stored here: set WIX_API_KEY in the environment.
id = "{site_id}"
# api_url = "https://www.wixapis.com"   # WIX_API_URL overrides it
# true: work against an embedded sandbox (.wixloc/sandbox.db) with no credentials or network.
sandbox = {sandbox}

[languages]
# Main language first, then the languages to translate into.
{lang_line}

[translators]
# The files translators get: po, xliff (1.2), xliff2 or xlsx.
format = "{fmt}"
# Where `wixloc pull` writes them and `wixloc push` reads them back.
dir = "{folder}"
# What to send: "missing" (no translation yet), "changed" (missing, plus translations whose
# source text changed since they were made) or "all".
only = "changed"
# Pre-fill an entry whose source matches one already translated, marked for review.
reuse = true

[check]
# Fail `wixloc check` (and `wixloc push`) when a language is below this coverage, in percent.
min_coverage = 100
# Words that may stay untranslated (brand names) without an `unchanged` warning.
allow_unchanged = ["Wix"]
# Rule severities: "error", "warning" or "off".
[check.severity]
# unchanged = "warning"
# too-long = "error"
"""
