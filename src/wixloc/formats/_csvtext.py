"""A CSV row's text as ``csv.writer`` spells it, and a table's text written in its encoding:
what :mod:`wixloc.formats.csv` writes with, whether it renders a whole table or copies one a
row at a time."""

from __future__ import annotations

import codecs
import functools
from collections.abc import Iterable, Iterator, Sequence
from typing import BinaryIO, cast

from wixloc.errors import InputError
from wixloc.model import Dialect

__all__ = ["line_text", "trimmed", "write_text"]


def line_text(cells: Sequence[str], dialect: Dialect) -> str:
    """One row as ``csv.writer`` spells it in *dialect*: minimal quoting (or every cell),
    quotes doubled. Except: a cell with a lone CR is quoted when the line ending is LF, where
    Python 3.11's csv leaves it bare and a reader then takes it for a line break.

    Built with str methods rather than a csv.writer per row: several times faster, and the
    same function decides both which rows keep their raw text and how rows are written.
    """
    q, delimiter, ending = dialect.quotechar, dialect.delimiter, dialect.line_ending
    if dialect.quote_all:
        return delimiter.join([q + c.replace(q, q + q) + q for c in cells]) + ending
    if len(cells) == 1 and not cells[0]:
        return q + q + ending  # csv.writer's spelling of a row with one empty cell
    a, b, c, d = _quoting(delimiter, q, ending)
    qq = q + q
    return (
        delimiter.join(
            [
                q + cell.replace(q, qq) + q
                if a in cell or b in cell or c in cell or d in cell
                else cell
                for cell in cells
            ]
        )
        + ending
    )


@functools.cache
def _quoting(delimiter: str, quotechar: str, ending: str) -> tuple[str, str, str, str]:
    """The characters that make minimal quoting quote a cell: the delimiter, the quote
    character and the line-break characters (CR and LF; only CR for a lone-CR line ending, as
    csv.writer does), four of them (the quote character twice when there are three).

    Tested with ``in``: a search for one character is several times faster than a regular
    expression's scan for a class of them, and most cells hold none.
    """
    special = (
        {delimiter, quotechar, *ending} if "\r" in ending else {delimiter, quotechar, "\r", "\n"}
    )
    chars = sorted(special - {quotechar})
    if len(chars) > 3:
        raise ValueError(f"not a CSV line ending: {ending!r}")
    return cast(tuple[str, str, str, str], (*chars, quotechar, quotechar, quotechar)[:4])


def trimmed(pieces: Iterable[str], dialect: Dialect) -> Iterator[str]:
    """*pieces* without the last line ending if the file had none (``final_newline``, read
    once *pieces* are used up)."""
    last = ""
    for piece in pieces:
        if piece:
            if last:
                yield last
            last = piece
    if not dialect.final_newline and last.endswith(dialect.line_ending):
        last = last[: -len(dialect.line_ending)]
    yield last


def write_text(pieces: Iterable[str], dialect: Dialect, fh: BinaryIO) -> None:
    # Encoded and written in chunks: rendering the whole text first held it several times over.
    encoder = codecs.getincrementalencoder(dialect.encoding)()
    if dialect.bom:
        fh.write("\ufeff".encode(dialect.encoding))
    chunk: list[str] = []
    size = lines = 0
    for piece in pieces:
        chunk.append(piece)
        size += len(piece)
        if size >= 1 << 20:
            lines = _write_chunk(fh, encoder, "".join(chunk), lines, dialect)
            chunk, size = [], 0
    _write_chunk(fh, encoder, "".join(chunk), lines, dialect)
    fh.write(encoder.encode("", final=True))


def _write_chunk(
    fh: BinaryIO, encoder: codecs.IncrementalEncoder, text: str, lines: int, dialect: Dialect
) -> int:
    """Encode and write *text*; the number of LFs written so far (for an error's line)."""
    try:
        fh.write(encoder.encode(text))
    except UnicodeEncodeError as exc:
        line = lines + text.count("\n", 0, exc.start) + 2
        raise InputError(
            f"the character {text[exc.start]!r} cannot be written in {dialect.encoding}",
            line=line,
            hint="write the table as UTF-8 instead",
        ) from None
    return lines + text.count("\n")
