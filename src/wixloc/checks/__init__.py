"""``wixloc check``: the rules a translation must pass before it goes back to the site.

One small function per rule (:mod:`.pairs` for a translation against its source, :mod:`.engine`
for keys, languages and coverage), a registry of codes and default severities (:mod:`.rules`),
and reporters for people and CI systems (:mod:`.reporters`).

    >>> report = check_files(["content.csv"], CheckConfig(languages=["en", "de"]))
    >>> report.exit_code   # 0: no error-severity finding
"""

from __future__ import annotations

from wixloc.checks.config import CheckConfig, load_config, parse_config
from wixloc.checks.engine import check_files
from wixloc.checks.report import Coverage, Finding, Report
from wixloc.checks.rules import RULES, Rule, Severity

__all__ = [
    "RULES",
    "CheckConfig",
    "Coverage",
    "Finding",
    "Report",
    "Rule",
    "Severity",
    "check_files",
    "load_config",
    "parse_config",
]
