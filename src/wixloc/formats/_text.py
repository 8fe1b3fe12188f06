"""Decoding text files: UTF-8 with or without BOM, and a clear error for anything else."""

from __future__ import annotations

import codecs

from wixloc.errors import InputError

__all__ = ["decode"]

_GUESSES = (
    (codecs.BOM_UTF16_LE, "UTF-16", "utf-16"),
    (codecs.BOM_UTF16_BE, "UTF-16", "utf-16"),
)


def decode(data: bytes, name: str, encoding: str | None) -> tuple[str, bool, str]:
    """Return (text, had_bom, encoding). Raises InputError naming the line of a bad byte."""
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InputError(f"unknown encoding '{encoding}'", file=name) from None
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise InputError(
                f"cannot be read as {encoding} (byte 0x{data[exc.start]:02X})",
                file=name,
                line=data.count(b"\n", 0, exc.start) + 1,
            ) from None
        bom = text.startswith("\ufeff")
        return (text[1:] if bom else text), bom, encoding
    bom = data.startswith(codecs.BOM_UTF8)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _not_utf8(data, name, exc.start) from None
    return text, bom, "utf-8"


def _not_utf8(data: bytes, name: str, offset: int) -> InputError:
    line = data.count(b"\n", 0, offset) + 1
    for bom, label, codec in _GUESSES:
        if data.startswith(bom):
            return InputError(
                f"is not UTF-8; it looks like {label}",
                file=name,
                hint=f"re-save it as UTF-8, or pass --encoding {codec}",
            )
    guess, codec = ("Windows-1252 (Western European)", "cp1252")
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        guess, codec = ("Latin-1", "latin-1")
    return InputError(
        f"is not UTF-8 (byte 0x{data[offset]:02X}); it looks like {guess}",
        file=name,
        line=line,
        hint=f"re-save it as UTF-8, or pass --encoding {codec}",
    )
