"""Opening an XLSX package safely, and what python-calamine cannot tell us about its cells.

calamine reads cell values quickly, but it gives a formula cell's cached value (or nothing), an
error value as an empty cell, and it undoes the ``_xHHHH_`` escape only for ``_x0000_`` to
``_x00FF_`` (so ``_xFFFE_``, U+FFFE as Excel and wixloc write it, reads as those seven
characters, indistinguishable from a literal ``_x005F_xFFFE_``). It also holds a sheet's used
range as a dense grid, so one cell at ``XFD1048576`` would make it allocate hundreds of
gigabytes and abort the process.

So before calamine sees a part, this module streams it once through zlib in chunks and looks
at its bytes: the unpacked size against the packed size, the number of shared strings and
cells, and whether the sheet holds anything calamine would misread (a ``<f>`` element, a
``t="e"`` cell, an escape above ``_x00FF_``, a cell reference past column Z or row 999,999,
a space beside an attribute's ``=``, a namespace prefix). Nearly every sheet holds none of these, and calamine reads it alone. A
sheet that does is read once more with lxml's ``iterparse``, which finds the formula and error
cells with their references, the exact stored text of cells with escapes, and the exact extent
of the sheet; those cells then replace calamine's values (``Patches``).
"""

from __future__ import annotations

import io
import os
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any, cast

from lxml import etree

from wixloc.errors import FormatError
from wixloc.formats._xlsx_common import column_letter, unescape

__all__ = ["Bad", "DiskFile", "Package", "Patches"]

MAX_UNZIPPED = 1 << 30  # the whole workbook, unpacked (zip bombs)
MAX_RATIO = 200  # a part that unpacks to more than 200 times its packed size ...
RATIO_FROM = 1 << 20  # ... and to more than 1 MiB; real sheets pack 4 to 20 times
MAX_SHARED_STRINGS = 10_000_000  # 200,000 keys in 13 languages need under 4 million
MAX_CELLS = 50_000_000  # in all the sheets read
MAX_AREA = 30_000_000  # rows x columns of one sheet's used range, which calamine holds dense
CHUNK = 1 << 20
SEGMENT = 1 << 20  # a clean sheet goes to calamine this many unpacked bytes at a time
SMALL_SHARED = 1 << 18  # ... in a workbook without shared strings, or with this much at most
_OVERLAP = 32  # bytes of the previous chunk searched again: a pattern may straddle two chunks

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_ROOT = re.compile(rb"<(?:([A-Za-z_][\w.-]*):)?(worksheet|sst)[\s>/]")
# a formula (<f>, or <x:f> in a sheet whose other elements have no prefix), or markup lxml is
# left to read (a comment, CDATA section, processing instruction). The prefixed formula is
# searched for only where ":f" is (a pattern with a literal start is searched for quickly)
_FORMULA = re.compile(rb"<(?:f[\s/>]|[!?])")
_COLON_F = re.compile(rb":f[\s/>]")
_PREFIXED_FORMULA = re.compile(rb"<[A-Za-z_][\w.-]*:f[\s/>]")
# At an "=": an error cell (t="e"); a cell or row reference past column Z or row 999,999 (16
# letters count whatever follows, so that no match is longer than the overlap); r or t in
# single quotes, which the other branches do not read. The name before the "=" must be r or t
# itself, after a space or a quote (quick-xml also reads s="1"r="A1"): operator="greaterThan"
# and xmlns:r="http..." are not references. Last, a space on either side of the "=", which XML
# allows and calamine reads (r = "XFD999999" would make a grid of 16 billion cells): what
# _odd_attribute then looks at, since a text may say "x = y".
_ATTRIBUTE = re.compile(
    rb"""=(?:"(?:(?<=[\s"']t=")e|(?<=[\s"']r=")(?:[A-Za-z]{2,15}\d|[A-Za-z]{16}|[A-Za-z]?\d{7}))"""
    rb"""|'(?<=[\s"'][rt]=')|(?P<space>\s|(?<=\s=)))"""
)
_SPACES = b" \t\r\n"
_QUOTES_AND_SPACES = (b" ", b"\t", b"\r", b"\n", b'"', b"'")
_CUT = re.compile(rb"""<row\s[^>]*?(?<=[\s"'])r="\d""")  # a row that names its number
_CLOSE = b"</sheetData></worksheet>"
_WIDE_ESCAPE = re.compile(rb"_x(?!00[0-9A-Fa-f]{2}_)[0-9A-Fa-f]{4}_")  # calamine keeps these
_REF = re.compile(r"([A-Za-z]*)(\d*)")
_ROW, _CELL = f"{{{_MAIN}}}row", f"{{{_MAIN}}}c"
_WALKED = (_ROW, _CELL)  # the elements lxml reports: the rest is parsed in C, unseen
_PARSER = {"resolve_entities": False, "no_network": True, "load_dtd": False, "huge_tree": False}


@dataclass(frozen=True)
class Bad:
    """A cell that is not text: a formula (its text) or an error value."""

    kind: str  # "formula" or "error"
    value: str


# (1-based row, 0-based column) -> what the cell holds, where calamine's value is not it
Patches = dict[tuple[int, int], "Bad | str"]


@dataclass
class _Scan:
    """What the bytes of one part showed."""

    prefixed: bool = False
    formula: bool = False
    attribute: bool = False  # an error cell, a far or quoted reference, a space at an "="
    wide_escape: bool = False
    root: int = 0  # where the root element starts
    count: int = 0  # shared strings or cells; at most, for a part too small to hold the limit

    @property
    def needs_lxml(self) -> bool:
        return self.prefixed or self.formula or self.attribute or self.wide_escape


class DiskFile(io.RawIOBase):
    """An open file read by position (``os.pread``) on a descriptor of its own, so that the
    caller may close its file object and its offset is left alone; closed when collected.

    The workbook is read in several passes (the byte check, then calamine's runs). A file saved
    over in place meanwhile (``cp``, some sync clients; an editor's save makes a new file, which
    this descriptor does not see) would mix two workbooks' bytes: every read first compares the
    file's size and modification time with those it had when opened, and refuses a change."""

    def __init__(self, fh: IO[bytes], name: str = "") -> None:
        super().__init__()
        self._base = fh.tell()
        self._fd = os.dup(fh.fileno())
        info = os.fstat(self._fd)
        self._stamp = info.st_size, info.st_mtime_ns
        self._size = info.st_size - self._base
        self._pos = 0
        self.name = name

    @classmethod
    def of(cls, fh: IO[bytes], name: str = "") -> DiskFile | None:
        """A DiskFile for *fh* (the workbook *name*), or None if it is not a file on disk (a
        BytesIO)."""
        if not hasattr(os, "pread"):
            return None
        try:
            fh.fileno()
        except (AttributeError, OSError, ValueError):
            return None
        return cls(fh, name)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        info = os.fstat(self._fd)
        if (info.st_size, info.st_mtime_ns) != self._stamp:
            raise FormatError(
                "the workbook changed while it was read (it was saved again): "
                "run the command again",
                file=self.name or None,
            )
        data = os.pread(self._fd, len(buffer), self._base + self._pos)
        buffer[: len(data)] = data
        self._pos += len(data)
        return len(data)

    def seek(self, offset: int, whence: int = 0) -> int:
        self._pos = max(0, offset + (0, self._pos, self._size)[whence])
        return self._pos

    def tell(self) -> int:
        return self._pos

    def close(self) -> None:
        if not self.closed:
            os.close(self._fd)
        super().close()


@dataclass
class Package:
    """An XLSX package checked: its sheets by name, limits enforced. *data* is the workbook's
    bytes, or (from a file on disk) a DiskFile: a 100,000-row workbook is 20 MB, not held."""

    data: bytes | DiskFile
    name: str
    sheets: dict[str, str] = field(default_factory=dict)  # name -> part, in workbook order
    shared: str | None = None
    cells: int = 0
    _zip: zipfile.ZipFile | None = None
    _main: str = ""
    _styles: str | None = None
    _clean: set[str] = field(default_factory=set)  # parts calamine may read in segments
    _frame: list[tuple[str, bytes]] | None = None
    _shared_scan: _Scan | None = None
    _shared_raw: list[str] | None = None

    def __post_init__(self) -> None:
        try:
            self._zip = zipfile.ZipFile(self.file())
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, OSError, ValueError):
            raise FormatError("not an Excel workbook (.xlsx)", file=self.name) from None
        self._check_sizes(infos)
        self._read_structure()
        if self.shared is not None:
            self._shared_scan = self._scan(self.shared, b"si")
            if self._shared_scan.count > MAX_SHARED_STRINGS:
                raise self._limit(f"more than {MAX_SHARED_STRINGS:,} shared strings")

    def file(self) -> IO[bytes]:
        """The workbook as a file object, from its start."""
        if isinstance(self.data, bytes):
            return io.BytesIO(self.data)
        self.data.seek(0)
        return cast(IO[bytes], self.data)

    # --- errors and sizes --------------------------------------------------------------------

    def error(self, message: str) -> FormatError:
        return FormatError(f"not a readable Excel workbook: {message}", file=self.name)

    def _limit(self, what: str) -> FormatError:
        return FormatError(
            f"the workbook holds {what}; refusing (no real workbook comes near)", file=self.name
        )

    def _check_sizes(self, infos: list[zipfile.ZipInfo]) -> None:
        names = [info.filename for info in infos]
        if len(set(names)) != len(names):
            raise self.error("a part name appears twice in the zip archive")
        size = sum(info.file_size for info in infos)
        if size > MAX_UNZIPPED:
            raise FormatError(f"the workbook unpacks to {size:,} bytes; refusing", file=self.name)
        for info in infos:
            if info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * info.compress_size:
                raise FormatError(
                    f"{info.filename} unpacks to {info.file_size:,} bytes from "
                    f"{info.compress_size:,}; refusing (real workbooks pack at most "
                    f"{MAX_RATIO} times)",
                    file=self.name,
                )

    # --- streaming parts ---------------------------------------------------------------------

    def open_part(self, part: str) -> IO[bytes]:
        assert self._zip is not None
        try:
            return self._zip.open(part)
        except KeyError:
            raise self.error(f"the part {part} is missing") from None

    def chunks(self, part: str) -> Iterator[bytes]:
        """The part's bytes, unpacked a chunk at a time; zipfile stops at the size the archive
        declares (which _check_sizes checked) and checks the CRC at the end."""
        with self.open_part(part) as src:
            try:
                while chunk := src.read(CHUNK):
                    yield chunk
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
                raise self.error(f"{part}: {exc}") from None

    def read_small(self, part: str) -> bytes:
        return b"".join(self.chunks(part))

    def _scan(self, part: str, counted: bytes) -> _Scan:
        """One pass over *part*'s bytes: see the module docstring for what it looks for.

        Each chunk is searched as it is, and its first bytes once more after the previous
        chunk's last ones (no pattern matches more than _OVERLAP bytes). Once a sheet is known
        to need the lxml walk, which finds everything again exactly, only the count goes on.
        An element takes at least its opening and "/>", so a part too small to hold more than
        the limit is not counted: it is charged the most it could hold."""
        scan = _Scan()
        sheet = counted == b"c"
        limit = MAX_CELLS - self.cells if sheet else MAX_SHARED_STRINGS
        needle = b"<" + counted
        tail = b""
        for number, chunk in enumerate(self.chunks(part)):
            if not number:
                needle = self._check_head(part, chunk, scan, counted)
                assert self._zip is not None
                most = self._zip.getinfo(part).file_size // (len(needle) + 2)
                if most <= limit:
                    scan.count, needle = most, b""
            edge = tail + chunk[:_OVERLAP]
            if needle:
                # in the chunk, and across its start (a string too short to hold a match on
                # either side of the boundary, so each match is counted once)
                width = len(needle) - 1
                scan.count += chunk.count(needle) + (tail[-width:] + chunk[:width]).count(needle)
                if scan.count > limit:
                    what = "cells" if sheet else "shared strings"
                    raise self._limit(f"more than {MAX_CELLS if sheet else limit:,} {what}")
            if not scan.wide_escape and (b"_" in chunk or b"_" in edge):  # memchr: rare
                scan.wide_escape = bool(_WIDE_ESCAPE.search(chunk) or _WIDE_ESCAPE.search(edge))
            if sheet and not scan.needs_lxml:
                if number:
                    scan.formula = _formula(chunk) or _formula(edge)
                else:  # after the declaration
                    scan.formula = _formula(chunk, scan.root + 1)
                scan.attribute = _odd_attribute(chunk) or _odd_attribute(edge)
            tail = chunk[-_OVERLAP:]
        return scan

    def _check_head(self, part: str, head: bytes, scan: _Scan, counted: bytes) -> bytes:
        root = _ROOT.search(head)
        if root is None:
            raise self.error(f"{part} is not a worksheet or shared strings part")
        if b"<!DOCTYPE" in head[: root.start()]:
            raise self.error(f"{part} has a DOCTYPE (refused: entities)")
        prefix = root.group(1)
        scan.root = root.start()
        scan.prefixed = prefix is not None
        # a prefix on the counted element ("<x:c") in a prefixed part
        return b"<" + (prefix + b":" if prefix else b"") + counted

    # --- the workbook's structure ------------------------------------------------------------

    def _xml(self, part: str) -> Any:
        data = self.read_small(part)
        if b"<!DOCTYPE" in data:
            raise self.error(f"{part} has a DOCTYPE (refused: entities)")
        try:
            return etree.fromstring(data, etree.XMLParser(**_PARSER))  # type: ignore[arg-type]
        except etree.XMLSyntaxError as exc:
            raise self.error(f"{part}: {exc}") from None

    def _rels(self, part: str) -> dict[str, tuple[str, str]]:
        """Relationship id -> (type, target part) of *part*."""
        folder, base = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", base + ".rels")
        found: dict[str, tuple[str, str]] = {}
        for rel in self._xml(rels):
            target = rel.get("Target", "")
            if rel.get("TargetMode") == "External":
                continue
            path = target[1:] if target.startswith("/") else posixpath.join(folder, target)
            found[rel.get("Id", "")] = (rel.get("Type", ""), posixpath.normpath(path))
        return found

    def _read_structure(self) -> None:
        main = next(
            (t for kind, t in self._rels("").values() if kind.endswith("/officeDocument")), None
        )
        if main is None:
            raise self.error("no workbook part in the package")
        self._main = main
        rels = self._rels(main)
        for sheet in self._xml(main).iter(f"{{{_MAIN}}}sheet"):
            kind, target = rels.get(sheet.get(f"{{{_DOC_REL}}}id", ""), ("", ""))
            if kind.endswith("/worksheet"):  # not chart or dialog sheets
                self.sheets[sheet.get("name", "")] = target
        self.shared = next((t for k, t in rels.values() if k.endswith("/sharedStrings")), None)
        for kind, target in rels.values():
            if kind.endswith("/styles"):  # calamine reads it whole: held to its size and CRC
                self._styles = target
                for _ in self.chunks(target):
                    pass

    # --- one sheet ---------------------------------------------------------------------------

    def inspect(self, sheet: str) -> Patches:
        """Check *sheet*'s part; the cells whose calamine value is not what they hold."""
        part = self.sheets[sheet]
        scan = self._scan(part, b"c")
        shared_wide = self._shared_scan is not None and self._shared_scan.wide_escape
        if not scan.needs_lxml and not shared_wide:
            self.cells += scan.count
            if self.shared is None or self._size(self.shared) <= SMALL_SHARED:
                self._clean.add(part)
            return {}
        return self._inspect_with_lxml(sheet, part, scan.wide_escape or shared_wide)

    def _size(self, part: str) -> int:
        assert self._zip is not None
        return self._zip.getinfo(part).file_size

    def segmented(self, sheet: str) -> Iterator[bytes] | None:
        """*sheet* as workbooks of about SEGMENT bytes of its rows each, for calamine to read
        one at a time (its grid of a whole sheet is most of a read's memory); None for a sheet
        that :meth:`inspect` did not find clean, or that has not been inspected.

        Each workbook holds this one's structure, styles and shared strings, and as the sheet
        the part's head (everything before its rows), a run of whole rows, and the closing
        tags (the last one the part's own end). A run is cut only before a ``<row`` that gives
        its number: calamine numbers a row without one after the row before it. A clean part
        has no comment, CDATA section or processing instruction (the scan sends those to
        lxml), so every ``<row`` in it is a tag."""
        part = self.sheets[sheet]
        if part not in self._clean:
            return None
        return (self._workbook(part, xml) for xml in self._runs(part))

    def _runs(self, part: str) -> Iterator[bytes]:
        buf = bytearray()
        head: bytes | None = None  # the part up to its first row, once a run is cut
        for chunk in self.chunks(part):
            buf += chunk
            if len(buf) < SEGMENT:
                continue
            if head is None:
                data = buf.find(b"<sheetData")
                rows = buf.find(b">", data) + 1 if data >= 0 else 0
                if not rows or buf[rows - 2 : rows] == b"/>":
                    continue
            else:
                rows = len(head)
            cut = buf.rfind(b"<row", rows + 1)
            if cut < 0 or _CUT.match(buf, cut) is None:
                continue  # cut after the next chunk
            yield bytes(buf[:cut]) + _CLOSE
            if head is None:
                head = bytes(buf[:rows])
            del buf[len(head) : cut]
        yield bytes(buf)

    def _workbook(self, part: str, xml: bytes) -> bytes:
        """A stored (uncompressed) zip of this workbook's frame and *xml* as *part*."""
        if self._frame is None:
            names = ["[Content_Types].xml", "_rels/.rels", self._main]
            folder, base = posixpath.split(self._main)
            names.append(posixpath.join(folder, "_rels", base + ".rels"))
            names += [p for p in (self._styles, self.shared) if p is not None]
            assert self._zip is not None
            have = set(self._zip.namelist())
            self._frame = [(n, self.read_small(n)) for n in names if n in have]
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as mini:
            for name, data in self._frame:
                mini.writestr(name, data)
            mini.writestr(part, xml)
        return out.getvalue()

    def _inspect_with_lxml(self, sheet: str, part: str, escapes: bool) -> Patches:
        walk = _Walk(self._shared_texts if escapes else None)
        with self.open_part(part) as src:
            try:
                events = etree.iterparse(src, events=("start", "end"), tag=_WALKED, **_PARSER)
                for event, element in events:
                    walk.step(event, element)
                    if walk.cells + self.cells > MAX_CELLS:
                        raise self._limit(f"more than {MAX_CELLS:,} cells")
            except etree.XMLSyntaxError as exc:
                raise self.error(f"sheet '{sheet}': {exc}") from None
            except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
                raise self.error(f"{part}: {exc}") from None
        self.cells += walk.cells
        if walk.area() > MAX_AREA:
            raise self._limit(f"a sheet of {walk.area():,} cells ('{sheet}', {walk.extent()})")
        return walk.patches

    def _shared_texts(self) -> list[str]:
        """The shared strings as stored (escapes kept), read with lxml the first time needed."""
        if self._shared_raw is None:
            assert self.shared is not None
            texts: list[str] = []
            with self.open_part(self.shared) as src:
                try:
                    for _, si in etree.iterparse(src, tag=f"{{{_MAIN}}}si", **_PARSER):
                        texts.append(rich_text(si))
                        si.clear()
                except etree.XMLSyntaxError as exc:
                    raise self.error(f"{self.shared}: {exc}") from None
            self._shared_raw = texts
        return self._shared_raw


def _formula(data: bytes, at: int = 0) -> bool:
    """True if *data* holds a formula element or markup (see _FORMULA)."""
    if _FORMULA.search(data, at) is not None:
        return True
    return _COLON_F.search(data, at) is not None and _PREFIXED_FORMULA.search(data, at) is not None


def _odd_attribute(data: bytes) -> bool:
    """True if *data* holds an attribute _ATTRIBUTE stands for: one of its first branches, or a
    space beside the "=" of an attribute named r or t (or one whose name is out of sight)."""
    at = 0
    while found := _ATTRIBUTE.search(data, at):
        if found["space"] is None:
            return True
        name = data[max(0, found.start() - _OVERLAP) : found.start()].rstrip(_SPACES)
        if name[-1:] in (b"r", b"t") and name[-2:-1] in (*_QUOTES_AND_SPACES, b""):
            return True  # a name at the window's start may be longer: taken as r or t
        if not name:
            return True
        at = found.end()
    return False


def rich_text(node: Any) -> str:
    """The text of an ``<si>`` or ``<is>``: its ``<t>``, or its runs' ``<t>`` (not ``<rPh>``,
    the phonetic guide Excel keeps for East Asian text)."""
    t, run = f"{{{_MAIN}}}t", f"{{{_MAIN}}}r"
    parts = []
    for child in node:
        if child.tag == t:
            parts.append(child.text or "")
        elif child.tag == run:
            parts.extend(c.text or "" for c in child if c.tag == t)
    return "".join(parts)


class _Walk:
    """The state of an lxml walk over one sheet: position, extent, patches."""

    def __init__(self, shared: Any) -> None:
        self.shared = shared  # a function giving the stored shared strings, or None
        self.patches: Patches = {}
        self.cells = 0
        self.row = 0
        self.col = -1
        self.rows = [0, 0]  # min, max (1-based)
        self.cols = [0, 0]  # min, max (0-based)

    def step(self, event: str, element: Any) -> None:
        tag = element.tag
        if event == "start":
            if tag == _ROW:
                r = element.get("r", "")
                self.row = int(r) if r.isdigit() else self.row + 1
                self.col = -1
            else:
                self._position(element.get("r"))
        elif tag == _CELL:
            self._cell(element)
            element.clear()
        else:
            element.clear()
            while element.getprevious() is not None:
                del element.getparent()[0]

    def _position(self, ref: str | None) -> None:
        match = _REF.fullmatch(ref or "")
        letters, digits = match.groups() if match else ("", "")
        if letters:
            self.col = _column_index(letters)
        else:
            self.col += 1
        if digits:
            self.row = int(digits)

    def _cell(self, element: Any) -> None:
        self.cells += 1
        if self.cells == 1:
            self.rows, self.cols = [self.row, self.row], [self.col, self.col]
        else:
            self.rows = [min(self.rows[0], self.row), max(self.rows[1], self.row)]
            self.cols = [min(self.cols[0], self.col), max(self.cols[1], self.col)]
        at = (self.row, self.col)
        kind = element.get("t", "n")
        formula = element.find(f"{{{_MAIN}}}f")
        if formula is not None:
            self.patches[at] = Bad("formula", "=" + (formula.text or ""))
        elif kind == "e":
            self.patches[at] = Bad("error", element.findtext(f"{{{_MAIN}}}v") or "")
        elif self.shared is not None:
            raw = self._stored_text(element, kind)
            if raw is not None and "_x" in raw:
                self.patches[at] = unescape(raw)

    def _stored_text(self, element: Any, kind: str) -> str | None:
        if kind == "inlineStr":
            inline = element.find(f"{{{_MAIN}}}is")
            return rich_text(inline) if inline is not None else None
        if kind == "s":
            index = element.findtext(f"{{{_MAIN}}}v") or ""
            texts = self.shared()
            return texts[int(index)] if index.isdigit() and int(index) < len(texts) else None
        return None

    def area(self) -> int:
        if not self.cells:
            return 0
        return (self.rows[1] - self.rows[0] + 1) * (self.cols[1] - self.cols[0] + 1)

    def extent(self) -> str:
        first = f"{column_letter(self.cols[0] + 1)}{self.rows[0]}"
        return f"{first}:{column_letter(self.cols[1] + 1)}{self.rows[1]}"


def _column_index(letters: str) -> int:
    index = 0
    for ch in letters.upper():
        index = index * 26 + ord(ch) - 64
    return index - 1
