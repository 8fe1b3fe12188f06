"""Decoding text files, the same for every format that reads text (CSV, TSV, JSONL, PO).

Without ``--encoding``: a byte-order mark decides (UTF-8, UTF-16 and UTF-32, either byte order;
Excel's "Unicode text" is UTF-16 LE with a BOM), else the file must be UTF-8. A file that is
neither gets an error that says what it looks like: UTF-16 or UTF-32 without a BOM (ASCII text in
them is every other byte NUL), binary (NUL and control bytes no text has), or a legacy 8-bit
encoding (Windows-1252) to pass with ``--encoding``.
"""

from __future__ import annotations

import codecs
import re
from typing import BinaryIO

from wixloc.errors import InputError

__all__ = ["HEAD", "bom_encoding", "check_head", "decode", "reading_codec", "stream_codec"]

HEAD = 1 << 16  # the bytes looked at to tell what a file is

# Longest first: the UTF-32 LE mark starts with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Codecs that take the mark off as they decode (and so read a whole file, mark included).
_READERS = {"utf-8": "utf-8-sig", "utf-16-le": "utf-16", "utf-16-be": "utf-16"}
_READERS |= {"utf-32-le": "utf-32", "utf-32-be": "utf-32"}
_NAMES = {"utf-8": "UTF-8", "utf-16-le": "UTF-16 LE", "utf-16-be": "UTF-16 BE"}
_NAMES |= {"utf-32-le": "UTF-32 LE", "utf-32-be": "UTF-32 BE"}
# Bytes text seldom holds: C0 controls but tab, LF, VT, FF, CR, and DEL.
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1f\x7f]")
_MAGIC = (
    (b"PK\x03\x04", "a ZIP archive (an .xlsx workbook?)"),
    (b"\xd0\xcf\x11\xe0", "a legacy Office file (an .xls workbook?)"),
    (b"%PDF", "a PDF document"),
)


def bom_encoding(head: bytes) -> str | None:
    """The codec a byte-order mark at the start of *head* names (``utf-16-le`` ...), or None."""
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return codec
    return None


def reading_codec(codec: str) -> str:
    """The codec that reads a file with *codec*'s byte-order mark, taking the mark off."""
    return _READERS.get(codec, codec)


def check_head(head: bytes, name: str) -> None:
    """Refuse a file without a BOM that is valid UTF-8 byte for byte (NUL is) but not text:
    UTF-16 or UTF-32 without a BOM, or mostly NUL bytes. A stray NUL in a text is left to
    ``wixloc check``'s control-character rule."""
    if b"\x00" not in head:
        return
    wide = _wide_encoding(head)
    if wide is not None:
        raise InputError(
            f"is {_NAMES[wide]} text without a byte-order mark",
            file=name,
            hint=f"pass --encoding {wide}, or re-save it as UTF-8",
        )
    if head.count(0) * 10 > len(head):
        raise _binary(head, name)


def decode(data: bytes, name: str, encoding: str | None) -> tuple[str, bool, str]:
    """Return (text, had_bom, codec). Raises InputError naming the line of a bad byte."""
    if encoding is not None:
        return _decode_as(data, name, encoding)
    codec = bom_encoding(data)
    if codec is not None:
        return _decode_as(data, name, codec)
    check_head(data[:HEAD], name)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _not_utf8(data, name, exc.start) from None
    return text, False, "utf-8"


def stream_codec(
    fh: BinaryIO, name: str, encoding: str | None, whole: bool = True
) -> tuple[str, str, bool]:
    """For a file read as a stream: (the codec to read with, the file's codec, whether it starts
    with a BOM), found as :func:`decode` finds them. With *whole*, a file it cannot decode fails
    here, before any row is read, with decode's message (the line and byte), as when the text
    was decoded whole. *fh* is left where it was."""
    start = fh.tell()
    head = fh.read(HEAD)
    fh.seek(start)
    codec = encoding
    found = bom_encoding(head) if codec is None else None
    if codec is None:
        codec = found or "utf-8"
        if found is None:
            check_head(head, name)
    reader = reading_codec(codec) if found else codec
    try:
        decoder = codecs.getincrementaldecoder(reader)()
    except LookupError:
        raise InputError(f"unknown encoding '{encoding}'", file=name) from None
    if not whole:
        return reader, codec, found is not None
    try:
        while chunk := fh.read(1 << 20):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        fh.seek(start)
        decode(fh.read(), name, encoding)  # raises the InputError
        raise  # pragma: no cover - decode() found the same bad byte
    fh.seek(start)
    return reader, codec, found is not None


def _decode_as(data: bytes, name: str, encoding: str) -> tuple[str, bool, str]:
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise InputError(f"unknown encoding '{encoding}'", file=name) from None
    bom = bom_encoding(data)
    start = 0
    if bom is not None and codecs.lookup(bom).name == codecs.lookup(encoding).name:
        start = len(next(b for b, c in _BOMS if c == bom))
    try:
        text = data[start:].decode(encoding)
    except UnicodeDecodeError as exc:
        offset = start + exc.start
        raise InputError(
            f"cannot be read as {_NAMES.get(encoding, encoding)} (byte 0x{data[offset]:02X})",
            file=name,
            line=data.count(b"\n", 0, offset) + 1,
        ) from None
    if text.startswith("\ufeff"):  # --encoding utf-8 on a file with a BOM, say
        return text[1:], True, encoding
    return text, start > 0, encoding


def _not_utf8(data: bytes, name: str, offset: int) -> InputError:
    """The error for a file without a BOM that is not UTF-8, the first bad byte at *offset*."""
    head = data[:HEAD]
    if b"\x00" in head or len(_CONTROL.findall(head)) * 100 > len(head):
        return _binary(head, name)  # not Latin-1 either, though Latin-1 would read any bytes
    line = data.count(b"\n", 0, offset) + 1
    byte = f"byte 0x{data[offset]:02X}"
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        # Not Windows-1252 either (0x81 0x8D 0x8F 0x90 0x9D are unassigned there): Latin-1
        # would read it, as it reads any bytes, so naming it would be a guess.
        return InputError(
            f"is neither UTF-8 ({byte}) nor Windows-1252",
            file=name,
            line=line,
            hint="re-save it as UTF-8, or pass --encoding with the encoding it was saved in",
        )
    return InputError(
        f"is not UTF-8 ({byte}); it looks like Windows-1252 (Western European)",
        file=name,
        line=line,
        hint="re-save it as UTF-8, or pass --encoding cp1252",
    )


def _wide_encoding(head: bytes) -> str | None:
    """``utf-16-le`` ... when *head* reads as UTF-16 or UTF-32 text: it decodes, holds no control
    characters, and at least a third of its code units are ASCII (a table's header and keys are),
    which in these encodings is the telltale pattern of NUL bytes."""
    for codec, width, low in (
        ("utf-32-le", 4, 0),
        ("utf-32-be", 4, 3),
        ("utf-16-le", 2, 0),
        ("utf-16-be", 2, 1),
    ):
        size = len(head) - len(head) % width
        units = size // width
        ascii_units = sum(
            1
            for i in range(0, size, width)
            if head[i + low] and head.count(0, i, i + width) == width - 1 and head[i + low] < 0x80
        )
        if units and ascii_units * 3 >= units and _is_text(head[:size], codec):
            return codec
    return None


def _is_text(data: bytes, codec: str) -> bool:
    try:
        text = codecs.getincrementaldecoder(codec)().decode(data)  # may end inside a character
    except UnicodeDecodeError:
        return False
    return _CONTROL.search(text.encode("utf-8", "surrogatepass")) is None


def _binary(head: bytes, name: str) -> InputError:
    kind = next((what for magic, what in _MAGIC if head.startswith(magic)), None)
    what = f"; it looks like {kind}" if kind else " (it holds bytes no text file has)"
    return InputError(f"is not a text file{what}", file=name)
