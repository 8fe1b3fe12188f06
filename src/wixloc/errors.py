"""The one exception tree of wixloc.

Every error a user can cause or meet derives from :class:`WixlocError`; the CLI turns each into one
line on stderr and the exit code its class names. Nothing else should escape the library.

::

    WixlocError                 exit 2  anything wixloc reports
    ├── UsageError              exit 2  options that do not fit together, a missing argument
    ├── InputError              exit 2  a file or value that cannot be read (names file, line, cell)
    │   ├── LanguageError       exit 2  an invalid language tag, a language a file lacks
    │   └── FormatError         exit 2  a value a format cannot hold, an unknown file kind
    ├── MergeError              exit 2  translations that cannot be applied (unknown keys, languages)
    ├── ConfigError             exit 2  a bad wixloc.toml or environment variable
    └── RemoteError             exit 3  anything that went wrong talking to Wix (or the sandbox)
        ├── AuthError           exit 3  401/403: wrong key, site id or permission
        ├── RateLimitError      exit 3  429 after all retries
        ├── JobFailedError      exit 3  a job that ended FAILED or PARTIALLY_SUCCESSFUL
        │   └── PartialJobError exit 3  a partial export where the whole content was needed
        └── VerificationError   exit 3  an import whose result differs from what was sent

``str(error)`` is the one line the user sees: ``where: what`` where *where* is ``file:line`` or
``file, sheet 'X', cell B4`` when known. Secrets are never part of any message.
"""

from __future__ import annotations

from pathlib import PurePath

__all__ = [
    "AuthError",
    "ConfigError",
    "FormatError",
    "InputError",
    "JobFailedError",
    "LanguageError",
    "MergeError",
    "PartialJobError",
    "RateLimitError",
    "RemoteError",
    "UsageError",
    "VerificationError",
    "WixlocError",
]


class WixlocError(Exception):
    """Base of every error wixloc raises on purpose."""

    exit_code: int = 2

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        if self.hint:
            return f"{self.message} ({self.hint})"
        return self.message


class UsageError(WixlocError):
    """Options or arguments that do not fit together."""


class InputError(WixlocError):
    """A file or value that cannot be read. Names the file and, when known, the line or cell."""

    def __init__(
        self,
        message: str,
        *,
        file: str | PurePath | None = None,
        line: int | None = None,
        location: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message, hint=hint)
        self.file = str(file) if file is not None else None
        self.line = line
        self.location = location

    @property
    def where(self) -> str:
        parts = []
        if self.file is not None:
            parts.append(self.file if self.line is None else f"{self.file}:{self.line}")
        elif self.line is not None:
            parts.append(f"line {self.line}")
        if self.location:
            parts.append(self.location)
        return ", ".join(parts)

    def __str__(self) -> str:
        text = super().__str__()
        return f"{self.where}: {text}" if self.where else text


class LanguageError(InputError):
    """An invalid language tag, or a language that a file or table does not have."""


class FormatError(InputError):
    """A value that a format cannot hold, or a file whose format is unknown."""


class MergeError(WixlocError):
    """Translations that cannot be applied to a table."""


class ConfigError(WixlocError):
    """A bad configuration file or environment variable."""


class RemoteError(WixlocError):
    """A failure talking to the Wix API (or the sandbox standing in for it)."""

    exit_code = 3

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        code: str | None = None,
        description: str | None = None,
        request_id: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message, hint=hint)
        self.status = status
        self.code = code
        self.description = description
        self.request_id = request_id

    def __str__(self) -> str:
        text = self.message
        extra = []
        if self.status is not None:
            extra.append(f"HTTP {self.status}")
        if self.code:
            extra.append(self.code)
        if self.request_id:
            extra.append(f"request id {self.request_id}")
        if extra:
            text = f"{text} [{', '.join(extra)}]"
        if self.hint:
            text = f"{text} ({self.hint})"
        return text


class AuthError(RemoteError):
    """401/403: a wrong or missing API key, site id or permission."""


class RateLimitError(RemoteError):
    """429 Too Many Requests, still refused after every retry."""


class JobFailedError(RemoteError):
    """A job that ended FAILED or PARTIALLY_SUCCESSFUL."""


class PartialJobError(JobFailedError):
    """A PARTIALLY_SUCCESSFUL export where the whole content was needed (its file is not used)."""


class VerificationError(RemoteError):
    """An import whose result on the site differs from what was sent."""
