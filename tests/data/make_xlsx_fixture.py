"""Make ``excel-extra-column.xlsx``: a wixloc workbook as an Excel user returns it.

Run from the repository root: ``PYTHONPATH=src python tests/data/make_xlsx_fixture.py``.
openpyxl (in normal, not write-only, mode) stands in for Excel's edits; then, as Excel does on
saving, every text is moved into the shared-strings table, with a carriage return stored as
``_x000D_`` and a literal ``_x0041_`` as ``_x005F_x0041_``. The user inserted a "Reviewer
comment" column, moved the Instructions sheet first, typed three translations and marked one
for review.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
from lxml import etree

from wixloc.formats import xlsx
from wixloc.model import Language, Unit, UnitFile, UnitState, fingerprint

HERE = Path(__file__).parent
SOURCES = ["Plain title", "two\r\nlines", "literal _x0041_", "=SUM(A1)"]


def main() -> None:
    units = [
        Unit(("products", f"p-{i}", "title"), text, "", UnitState.NEW, [], fingerprint(text))
        for i, text in enumerate(SOURCES)
    ]
    out = io.BytesIO()
    xlsx.write_units(
        UnitFile(Language("en"), Language("fr"), units, ["Collection ID", "Item ID", "Field"]),
        out,
    )
    wb = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    ws = wb["Translations"]
    ws.insert_cols(6)  # after "Translation (fr)"
    ws.cell(1, 6).value = "Reviewer comment"
    for row, text in (
        (2, "Titre simple"),
        (3, "deux_x000D_\nlignes"),
        (4, "littéral _x005F_x0041_"),
    ):
        ws.cell(row, 5).value = text
    ws.cell(3, 6).value = "checked with the client"
    ws.cell(4, 8).value = "needs review"
    wb.move_sheet("Instructions", offset=-1)
    edited = io.BytesIO()
    wb.save(edited)
    (HERE / "excel-extra-column.xlsx").write_bytes(_to_shared_strings(edited.getvalue()))


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SST_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
SST_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def _to_shared_strings(data: bytes) -> bytes:
    """Move every inline string into xl/sharedStrings.xml, as Excel stores texts."""
    source = zipfile.ZipFile(io.BytesIO(data))
    strings: list[str] = []
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename.startswith("xl/worksheets/sheet"):
                body = _sheet(body, strings)
            elif info.filename == "[Content_Types].xml":
                override = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SST_TYPE}"/>'
                body = body.replace(b"</Types>", override.encode() + b"</Types>")
            elif info.filename == "xl/_rels/workbook.xml.rels":
                rel = f'<Relationship Id="rIdSst" Type="{SST_REL}" Target="sharedStrings.xml"/>'
                body = body.replace(b"</Relationships>", rel.encode() + b"</Relationships>")
            target.writestr(info, body)
        sst = etree.fromstring(f'<sst xmlns="{MAIN}"/>')
        for text in strings:
            t = etree.SubElement(etree.SubElement(sst, f"{{{MAIN}}}si"), f"{{{MAIN}}}t")
            t.text = text
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        target.writestr(
            "xl/sharedStrings.xml", etree.tostring(sst, xml_declaration=True, encoding="UTF-8")
        )
    return out.getvalue()


def _sheet(body: bytes, strings: list[str]) -> bytes:
    root = etree.fromstring(body, etree.XMLParser(resolve_entities=False, no_network=True))
    for cell in root.iter(f"{{{MAIN}}}c"):
        if cell.get("t") != "inlineStr":
            continue
        inline = cell.find(f"{{{MAIN}}}is")
        if inline is None:  # an empty cell
            del cell.attrib["t"]
            continue
        text = "".join(str(part) for part in inline.itertext()).replace("\r", "_x000D_")
        cell.remove(inline)
        cell.set("t", "s")
        etree.SubElement(cell, f"{{{MAIN}}}v").text = str(len(strings))
        strings.append(text)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


if __name__ == "__main__":
    main()
