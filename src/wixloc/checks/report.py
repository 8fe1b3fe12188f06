"""What a check produces: findings and per-language coverage, ready for the reporters."""

from __future__ import annotations

from dataclasses import dataclass, field

from wixloc.checks.rules import Rule, Severity

__all__ = ["Coverage", "Finding", "Related", "Report"]


@dataclass(frozen=True, slots=True)
class Related:
    """Another entry a finding involves (the other keys of an inconsistent translation)."""

    key: str
    line: int | None
    text: str  # what that entry has: its translation, or its source

    def as_dict(self) -> dict[str, object]:
        return {"key": self.key, "line": self.line, "text": self.text}


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    severity: Severity
    file: str
    line: int | None  # the line in *file* (a CSV row: where the row starts); None: whole file
    key: str  # format_key() of the entry's key; "" for findings about the whole file
    language: str  # normalized tag; "" when the finding concerns no one language
    message: str
    source: str = ""  # the entry's main-language text, when the finding is about an entry
    translation: str = ""  # the entry's text in *language*
    # The span the finding points at, in code points of the text named by *span_in*: 1-based,
    # end exclusive (SARIF's convention), so "Hallo" as a whole is columns 1 to 6.
    column: int | None = None
    end_column: int | None = None
    span_in: str = "translation"  # or "source"
    related: tuple[Related, ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "severity": str(self.severity),
            "file": self.file,
            "line": self.line,
            "key": self.key,
            "language": self.language,
            "message": self.message,
            "source": self.source,
            "translation": self.translation,
            "column": self.column,
            "end_column": self.end_column,
            "span_in": self.span_in,
            "related": [r.as_dict() for r in self.related],
        }

    def __reduce__(self) -> tuple[type[Finding], tuple[object, ...]]:
        # Pickled (from a worker process) as its fields: the dataclass's own state is
        # gathered by fields() and set back by a Python loop, about four times slower.
        return Finding, (
            self.code,
            self.severity,
            self.file,
            self.line,
            self.key,
            self.language,
            self.message,
            self.source,
            self.translation,
            self.column,
            self.end_column,
            self.span_in,
            self.related,
        )

    @property
    def spanned_text(self) -> str:
        """The text the span is in."""
        return self.source if self.span_in == "source" else self.translation


@dataclass
class Coverage:
    """How much of one target language is translated (entries whose source is not empty)."""

    language: str
    total: int = 0
    translated: int = 0

    @property
    def missing(self) -> int:
        return self.total - self.translated

    @property
    def percent(self) -> float:
        return 100.0 if self.total == 0 else 100.0 * self.translated / self.total

    def as_dict(self) -> dict[str, object]:
        return {
            "total": self.total,
            "translated": self.translated,
            "missing": self.missing,
            "coverage": round(self.percent, 2),
        }


@dataclass
class Report:
    files: list[str]
    rules: list[Rule]  # the rules that ran, with the severity they ran at
    findings: list[Finding] = field(default_factory=list)
    coverage: list[Coverage] = field(default_factory=list)  # target languages, in file order
    min_coverage: float | None = None
    notes: list[str] = field(default_factory=list)  # e.g. a rule skipped for want of a dictionary

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return len(self.findings) - self.errors

    @property
    def exit_code(self) -> int:
        """0 when no finding is an error, 1 otherwise (the CI gate)."""
        return 1 if self.errors else 0

    def summary_line(self) -> str:
        files = f"{len(self.files)} file" + ("" if len(self.files) == 1 else "s")
        return f"{_plural(self.errors, 'error')}, {_plural(self.warnings, 'warning')} in {files}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
