"""The ``[check]`` table of ``wixloc.toml``: severities, allow-list, limits, coverage.

Kept apart from the rules so that the project-wide configuration can take it over. Every key is
documented in ``docs/check.md``.
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wixloc.checks.rules import RULES, Severity
from wixloc.config import unknown_key, validate
from wixloc.errors import ConfigError
from wixloc.state import State

__all__ = ["DEFAULT_TRANSLATABLE_ATTRIBUTES", "CheckConfig", "load_config", "parse_config"]

# Attributes whose values are text for people, so a translation changes them.
DEFAULT_TRANSLATABLE_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder")


@dataclass
class CheckConfig:
    """Everything that tunes a check; the CLI fills it from options and ``wixloc.toml``."""

    languages: list[str] | None = None  # required languages, main first
    main_language: str | None = None
    rules: list[str] | None = None  # only these rules (None: all)
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, Severity | None] = field(default_factory=dict)  # None: off
    min_coverage: float | None = None  # percent, per language
    allow_unchanged: list[str] = field(default_factory=list)  # brand names, kept as is
    max_length: int | None = None  # per-file limit, in characters
    field_max_length: dict[str, int] = field(default_factory=dict)  # by field name
    field_column: str | None = None  # the key column naming the field (default: "Field")
    # accepted translations and their sources' fingerprints, for `stale-translation`
    state: State | None = None
    encoding: str | None = None  # of the text files checked (--encoding); None: detected
    markup_attributes: list[str] = field(
        default_factory=lambda: list(DEFAULT_TRANSLATABLE_ATTRIBUTES)
    )  # attributes that may differ between source and translation
    enable: list[str] = field(default_factory=list)  # optional rules to run (spelling)
    terms: str | None = None  # a termbase file (CSV or TBX), for `terminology`
    # Processes for the pair rules. 1 here: a program that calls check_files starts no process
    # unless it asks (worker processes re-import its main module, which needs a __main__
    # guard); the CLI's --jobs defaults to one per CPU core.
    jobs: int = 1


def load_config(path: str | Path) -> CheckConfig:
    """Read the ``[check]`` table of a ``wixloc.toml`` file (an absent table: the defaults)."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the file ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    validate(data, path)  # the whole file: a typo in another table is an error here too
    table = data.get("check", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [check] must be a table")
    config = parse_config(table, str(path))
    if config.terms is not None:
        # a termbase named in wixloc.toml is found beside it, wherever the command runs
        config.terms = str(Path(path).parent / config.terms)
    project = data.get("languages", {})
    if config.languages is None and isinstance(project, dict) and "languages" in project:
        # the project's languages (main first) are the required ones unless [check] says otherwise
        config.languages = _strings(project["languages"], f"{path}: languages.languages")
    return config


def parse_config(table: dict[str, Any], name: str = "wixloc.toml") -> CheckConfig:
    """Build a CheckConfig from the ``[check]`` table; unknown keys and wrong types are errors."""
    config = CheckConfig()
    for key, value in table.items():
        setter = _SETTERS.get(key)
        if setter is None:
            raise unknown_key("check", key, name)
        setter(config, value, f"{name}: check.{key}")
    return config


def _strings(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where} must be a list of strings")
    return list(value)


def _string(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"{where} must be a string")
    return value


def _positive(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ConfigError(f"{where} must be a positive whole number")
    return value


def _codes(value: Any, where: str) -> list[str]:
    codes = _strings(value, where)
    for code in codes:
        if code not in RULES:
            raise _unknown_rule(code, where)
    return codes


def _unknown_rule(code: str, where: str) -> ConfigError:
    close = difflib.get_close_matches(code, list(RULES), n=1)
    hint = f"did you mean '{close[0]}'?" if close else f"known rules: {', '.join(RULES)}"
    return ConfigError(f"{where}: unknown rule '{code}'", hint=hint)


def _set_severity(config: CheckConfig, value: Any, where: str) -> None:
    if not isinstance(value, dict):
        raise ConfigError(f'{where} must be a table such as {{ unchanged = "error" }}')
    for code, level in value.items():
        if code not in RULES:
            raise _unknown_rule(code, where)
        if level not in ("error", "warning", "off"):
            raise ConfigError(f'{where}.{code} must be "error", "warning" or "off"')
        config.severity[code] = None if level == "off" else Severity(level)


def _set_coverage(config: CheckConfig, value: Any, where: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
        raise ConfigError(f"{where} must be a number from 0 to 100")
    config.min_coverage = float(value)


def _set_field_limits(config: CheckConfig, value: Any, where: str) -> None:
    if not isinstance(value, dict):
        raise ConfigError(f"{where} must be a table such as {{ title = 60 }}")
    config.field_max_length = {str(k): _positive(v, f"{where}.{k}") for k, v in value.items()}


_SETTERS: dict[str, Any] = {
    "languages": lambda c, v, w: setattr(c, "languages", _strings(v, w)),
    "main_language": lambda c, v, w: setattr(c, "main_language", _string(v, w)),
    "rules": lambda c, v, w: setattr(c, "rules", _codes(v, w)),
    "ignore": lambda c, v, w: setattr(c, "ignore", _codes(v, w)),
    "severity": _set_severity,
    "min_coverage": _set_coverage,
    "allow_unchanged": lambda c, v, w: setattr(c, "allow_unchanged", _strings(v, w)),
    "max_length": lambda c, v, w: setattr(c, "max_length", _positive(v, w)),
    "field_max_length": _set_field_limits,
    "field_column": lambda c, v, w: setattr(c, "field_column", _string(v, w)),
    "markup_attributes": lambda c, v, w: setattr(c, "markup_attributes", _strings(v, w)),
    "enable": lambda c, v, w: setattr(c, "enable", _codes(v, w)),
    "terms": lambda c, v, w: setattr(c, "terms", _string(v, w)),
}
