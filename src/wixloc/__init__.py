"""wixloc: the localization round trip for Wix CMS content.

Export a site's translatable CMS content through Wix's Data Movement Jobs API, hand translators
PO, XLIFF or XLSX files, check completeness in CI, and import the result with the main language
first, losing nothing. Importing this package never imports click.
"""

from __future__ import annotations

from wixloc._version import __version__
from wixloc.errors import (
    AuthError,
    ConfigError,
    FormatError,
    InputError,
    JobFailedError,
    LanguageError,
    MergeError,
    RateLimitError,
    RemoteError,
    UsageError,
    VerificationError,
    WixlocError,
)
from wixloc.formats import load_table, load_units, open_document, save_table, save_units
from wixloc.model import Entry, Language, Table, Unit, UnitFile, UnitState

__all__ = [
    "AuthError",
    "ConfigError",
    "Entry",
    "FormatError",
    "InputError",
    "JobFailedError",
    "Language",
    "LanguageError",
    "MergeError",
    "RateLimitError",
    "RemoteError",
    "Table",
    "Unit",
    "UnitFile",
    "UnitState",
    "UsageError",
    "VerificationError",
    "WixlocError",
    "__version__",
    "load_table",
    "load_units",
    "open_document",
    "save_table",
    "save_units",
]
