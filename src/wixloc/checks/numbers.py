"""Numbers in a text, read with the language's decimal and group symbols (babel's CLDR data).

``1,000.5`` in English, ``1.000,5`` in German and ``1 000,5`` in French are the same number;
digits of other scripts (Arabic-Indic ``١٢٣``, Devanagari, full-width ``１２３``) are read by their
Unicode digit value. The symbols are looked up once per language, never per entry.

How a separator between digits is read, in this order:
- a space (plain, no-break, narrow no-break, thin) or an apostrophe followed by exactly three
  digits groups thousands, in every language (``1 000``, ``1'000``); with *apart*, a plain
  space does not (``Set of 3 250 ml jars``: 3 and 250), the other reading number-mismatch tries
  before it reports a difference;
- the language's decimal symbol is the decimal point (the first one; a second makes the token a
  version or a date, compared as written);
- the language's group symbol followed by exactly three digits groups thousands;
- any other ``.`` or ``,`` can only be a decimal point (``3.5`` in German has no group of three
  after the dot): it is read as one, so the value is compared, not the style.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from babel import Locale, UnknownLocaleError
from babel.numbers import get_decimal_symbol, get_group_symbol

__all__ = ["NumberFormat", "number_format", "numbers"]

# Digits (any script) joined by at most one separator at a time (\d\d*, not \d+: a pattern that
# starts with a character set lets the regex engine skip to the next digit in C).
_NUMBER = re.compile(
    r"\d\d*(?:(?:[.,\u066b\u066c]|[' \u00a0\u202f\u2009\u2019](?=\d{3}(?!\d)))\d+)*"
)
_SPACES = frozenset(" \u00a0\u202f\u2009'\u2019")
_ARABIC_DECIMAL, _ARABIC_GROUP = "\u066b", "\u066c"  # ٫ and ٬, whatever the locale says
_PART = re.compile(r"(\d+)([^\d]?)")


@dataclass(frozen=True)
class NumberFormat:
    decimal: str
    group: str


@lru_cache(maxsize=256)
def number_format(tag: str) -> NumberFormat:
    """The decimal and group symbols of *tag* (``.`` and ``,`` for a tag babel does not know)."""
    try:
        locale = Locale.parse(tag.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return NumberFormat(".", ",")
    return NumberFormat(get_decimal_symbol(locale), get_group_symbol(locale))


def _ascii(digits: str) -> str:
    if digits.isascii():
        return digits
    return "".join(str(unicodedata.decimal(ch, 0)) for ch in digits)


def _value(token: str, fmt: NumberFormat) -> str:
    """The number *token* writes, as a canonical string (``1000.5``); or the token as written."""
    parts = _PART.findall(token)
    whole, fraction = [_ascii(parts[0][0])], ""
    for (_, sep), (digits, _) in pairwise(parts):
        number = _ascii(digits)
        grouping = len(digits) == 3 and not fraction
        if sep in _SPACES or sep == _ARABIC_GROUP:
            if not grouping:
                return token  # "1 23": not one number as any language writes it
            whole.append(number)
        elif fraction:
            return token  # 1.2.3, 31.12.2024: compared as written
        elif sep == fmt.decimal or sep == _ARABIC_DECIMAL:
            fraction = number
        elif sep == fmt.group and grouping:
            whole.append(number)
        else:
            fraction = number  # not a grouping here, so a decimal point whoever wrote it
    integer = "".join(whole).lstrip("0") or "0"
    fraction = fraction.rstrip("0")
    return f"{integer}.{fraction}" if fraction else integer


def numbers(text: str, fmt: NumberFormat, apart: bool = False) -> list[tuple[str, int, int]]:
    """Each number in *text* as (value, start, end); *text* should have its markup masked.
    *apart*: a plain space between digits parts two numbers (it groups thousands otherwise)."""
    if not apart or " " not in text:
        return [(_value(m.group(), fmt), m.start(), m.end()) for m in _NUMBER.finditer(text)]
    found = []
    for m in _NUMBER.finditer(text):
        start = m.start()
        for piece in m.group().split(" "):
            found.append((_value(piece, fmt), start, start + len(piece)))
            start += len(piece) + 1
    return found


def values(text: str, fmt: NumberFormat, apart: bool = False) -> Counter[str]:
    return Counter(value for value, _, _ in numbers(text, fmt, apart))


def spaced(text: str) -> bool:
    """Whether a plain space stands between two digits of *text* (read two ways)."""
    return any(" " in m.group() for m in _NUMBER.finditer(text)) if " " in text else False
