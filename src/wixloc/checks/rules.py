"""The rule registry: every rule's code, default severity and description.

Codes are stable: they appear in reports, in ``--rules``/``--ignore`` and in ``wixloc.toml``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["RULES", "Rule", "Severity", "rule"]


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity  # the default; wixloc.toml may change it
    description: str
    optional: bool = False  # runs only when asked for (--enable, --rules, [check] enable)


_E, _W = Severity.ERROR, Severity.WARNING

RULES: dict[str, Rule] = {
    r.code: r
    for r in (
        Rule("missing-language", _E, "A required language has no column."),
        Rule("missing-translation", _E, "The source text is not empty but the translation is."),
        Rule("missing-key", _E, "A key of the reference export (--against) is not in the file."),
        Rule("unknown-key", _E, "A key in the file is not in the reference export (--against)."),
        Rule("duplicate-key", _E, "The same key appears more than once."),
        Rule("invalid-language", _E, "A header looks like a language tag that babel cannot parse."),
        Rule("main-language-order", _E, "The stated main language is not the first language."),
        Rule(
            "placeholder-mismatch",
            _E,
            "The translation's placeholders ({name}, {{ name }}, %s, %(name)s, ${name}, %1$s ...) "
            "differ from the source's.",
        ),
        Rule(
            "markup-mismatch",
            _E,
            "The translation's HTML tags differ from the source's in names, nesting, count or "
            "attributes.",
        ),
        Rule("url-mismatch", _W, "The translation's URLs differ from the source's."),
        Rule(
            "whitespace-mismatch",
            _W,
            "The translation's leading or trailing whitespace differs from the source's.",
        ),
        Rule("newline-mismatch", _W, "The translation has a different number of line breaks."),
        Rule("unchanged", _W, "The translation is identical to a source text that has words."),
        Rule(
            "number-mismatch",
            _W,
            "The translation's numbers differ in value from the source's, each read with its "
            "language's decimal and group symbols.",
        ),
        Rule("email-mismatch", _W, "The translation's e-mail addresses differ from the source's."),
        Rule(
            "punctuation-mismatch",
            _W,
            "The translation ends with other punctuation than the source, or not in its "
            "language's form (。, ؟, ¿...?, a space before ? ! : ; in French).",
        ),
        Rule(
            "bracket-mismatch",
            _W,
            "The translation's brackets are unbalanced while the source's are balanced.",
        ),
        Rule(
            "quote-mismatch",
            _W,
            "The translation's quotation marks are unpaired while the source's are paired.",
        ),
        Rule("double-space", _W, "The translation has two or more spaces in a row."),
        Rule("repeated-word", _W, "The translation repeats a word (the the)."),
        Rule(
            "inconsistent-translation",
            _W,
            "The same source text is translated in different ways in one language.",
        ),
        Rule(
            "inconsistent-source",
            _W,
            "The same translation is used for different source texts in one language.",
        ),
        Rule(
            "terminology",
            _E,
            "A termbase source term is in the source but its target term is not in the "
            "translation, or the translation uses a forbidden term (--terms).",
        ),
        Rule(
            "spelling",
            _W,
            "A word of the translation is not in the language's Hunspell dictionary.",
            optional=True,
        ),
        Rule("too-long", _E, "The translation is longer than its field's or the file's limit."),
        Rule(
            "control-character", _W, "The text holds a control character (other than tab, LF, CR)."
        ),
        Rule(
            "stale-translation",
            _W,
            "The translation was made from an older main-language text (per .wixloc/state.json).",
        ),
        Rule(
            "coverage-below-threshold",
            _E,
            "A language's share of translated entries is below --min-coverage.",
        ),
    )
}


def rule(code: str) -> Rule:
    return RULES[code]
