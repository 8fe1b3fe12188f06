"""``wixloc.toml`` and the environment.

The API key is read only from ``WIX_API_KEY``, never from a file, so a project folder can be
committed safely. ``WIX_SITE_ID`` (or ``WIX_ACCOUNT_ID``) and ``WIX_API_URL`` override the file.
"""

from __future__ import annotations

import difflib
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
    "SCHEMA",
    "Config",
    "find_config",
    "load_config",
    "render_config",
    "translator_formats",
    "unknown_key",
    "validate",
]

CONFIG_NAME = "wixloc.toml"
DEFAULT_API_URL = "https://www.wixapis.com"
ONLY = ("missing", "changed", "all")

# The whole of wixloc.toml: each table, its keys, and the type each value must have. A new
# setting is one line here (and its row in docs/config.md). [check]'s values are `object`:
# wixloc.checks.config checks them, with messages that name the rule or the range.
SCHEMA: dict[str, dict[str, type]] = {
    "site": {"id": str, "api_url": str, "sandbox": bool},
    "languages": {"languages": list, "aliases": dict},
    "translators": {"format": str, "dir": str, "only": str, "reuse": bool, "tm": list},
    "stats": {"weights": dict},
    "check": dict.fromkeys(
        (
            "languages",
            "main_language",
            "rules",
            "ignore",
            "severity",
            "min_coverage",
            "allow_unchanged",
            "max_length",
            "field_max_length",
            "field_column",
            "markup_attributes",
            "terms",
            "enable",
        ),
        object,
    ),
}


@dataclass
class Config:
    """A project's settings. Paths are absolute, resolved against the file's folder."""

    root: Path
    site_id: str | None = None
    account_id: str | None = None
    api_url: str = DEFAULT_API_URL
    sandbox: bool = False
    languages: list[str] | None = None  # main first; None: read from the site
    # A translator file's language tag -> the table's ({"pt" = "pt-PT"}), for merge and push
    language_aliases: dict[str, str] = field(default_factory=dict)
    format: str = "po"
    dir: Path = field(default_factory=lambda: Path("translations"))
    only: str = "changed"
    reuse: bool = True  # the site's own translations as a translation memory
    tm: list[Path] = field(default_factory=list)  # [translators] tm: TMX files, absolute
    check: dict[str, Any] = field(default_factory=dict)  # the [check] table, read by checks
    stats: dict[str, Any] = field(default_factory=dict)  # the [stats] table (weights), read by tm
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
    validate(data, path)
    config = _from_dict(data, path)
    _apply_env(config, env)
    return config


def validate(data: Mapping[str, Any], name: str | Path) -> None:
    """Check *data* (a parsed wixloc.toml) against :data:`SCHEMA`: an unknown table or key, or
    a value of the wrong type, is a ConfigError that names it and suggests the closest name."""
    for table, section in data.items():
        keys = SCHEMA.get(table)
        if keys is None:
            raise _unknown_table(table, section, name)
        if not isinstance(section, dict):
            raise ConfigError(f"{name}: [{table}] must be a table")
        for key, value in section.items():
            kind = keys.get(key)
            if kind is None:
                raise unknown_key(table, key, name)
            if not isinstance(value, kind):
                raise ConfigError(
                    f"{name}: [{table}] {key} must be {_kind_name(kind)}, not {value!r}"
                )


def unknown_key(table: str, key: str, name: str | Path) -> ConfigError:
    """``unknown key 'translators.formt' (did you mean 'format'?)``, else the known keys."""
    known = list(SCHEMA[table])
    close = difflib.get_close_matches(key, known, n=1)
    hint = f"did you mean '{close[0]}'?" if close else f"known keys: {', '.join(sorted(known))}"
    return ConfigError(f"{name}: unknown key '{table}.{key}'", hint=hint)


def _unknown_table(table: str, value: object, name: str | Path) -> ConfigError:
    if not isinstance(value, dict):  # a key written above every table header
        owners = [t for t, keys in SCHEMA.items() if table in keys]
        hint = (
            f"did you mean '{table}' under [{owners[0]}]?"
            if owners
            else f"every key belongs in a table: {_tables()}"
        )
        return ConfigError(f"{name}: unknown key '{table}'", hint=hint)
    close = difflib.get_close_matches(table, list(SCHEMA), n=1)
    hint = f"did you mean [{close[0]}]?" if close else f"the tables are {_tables()}"
    return ConfigError(f"{name}: unknown table [{table}]", hint=hint)


def _tables() -> str:
    return ", ".join(f"[{t}]" for t in SCHEMA)


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
        tm=[root / _tmx(p, path) for p in reader.get("translators", "tm", list, [])],
        check=dict(data.get("check", {})),
        stats=dict(data.get("stats", {})),
        language_aliases=_aliases(reader.get("languages", "aliases", dict, {}), path),
    )
    if config.languages is not None and len(config.languages) < 2:
        raise ConfigError(
            f"{path}: [languages] languages needs the main language and at least one more"
        )
    return config


def _tmx(value: object, path: Path) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f'{path}: [translators] tm must be a list of files such as "agency.tmx"')
    return value


def _aliases(value: dict[str, Any], path: Path) -> dict[str, str]:
    found = {}
    for file_tag, table_tag in value.items():
        if not isinstance(table_tag, str):
            raise ConfigError(
                f"{path}: [languages] aliases maps a file's tag to a table's, such as "
                f'{{"pt" = "pt-PT"}}; "{file_tag}" is not given a tag'
            )
        normalize_tag(file_tag)  # raises with the tag named
        normalize_tag(table_tag)
        found[file_tag] = table_tag
    return found


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
# Use the site's own translations as a translation memory: an entry whose source matches one
# already translated is pre-filled, marked for review; a similar one is offered as a suggestion.
reuse = true
# Translation memories (TMX files, relative to this file) to pre-fill from and suggest from.
# tm = ["agency.tmx"]

[check]
# `wixloc check --config wixloc.toml` (the CI gate) fails when a language is below this
# coverage, in percent. `wixloc push` sends what is translated so far at any coverage; it
# stops only for errors in the translations it sends.
min_coverage = 100
# Words that may stay untranslated (brand names) without an `unchanged` warning.
allow_unchanged = ["Wix"]
# Rule severities: "error", "warning" or "off".
[check.severity]
# unchanged = "warning"
# too-long = "error"
"""
