"""The localization CSV: dialects, layouts, exact round trips and bad input."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import DATA
from wixloc.cli import cli
from wixloc.errors import InputError
from wixloc.formats import ReadOptions, load_table
from wixloc.formats import csv as wcsv
from wixloc.model import Entry, Key, Language, Table

GOLDEN = sorted(p for p in DATA.iterdir() if p.suffix in (".csv", ".tsv", ".txt"))


def read_bytes(data: bytes, languages: list[str] | None = None) -> Table:
    return wcsv.read(io.BytesIO(data), ReadOptions(name="t.csv", languages=languages))


def write_bytes(table: Table) -> bytes:
    out = io.BytesIO()
    wcsv.write(table, out)
    return out.getvalue()


@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: p.name)
def test_golden_files_come_back_byte_identical(path: Path) -> None:
    assert write_bytes(load_table(path)) == path.read_bytes()


@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: p.name)
def test_convert_command_is_byte_identical(path: Path, runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / f"copy{path.suffix}"
    result = runner.invoke(cli, ["convert", str(path), str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == path.read_bytes()


def test_dialect_detection() -> None:
    table = load_table(DATA / "dialect-bom-semicolon-crlf.csv")
    d = table.dialect
    assert (d.delimiter, d.line_ending, d.bom, d.quote_all) == (";", "\r\n", True, False)
    assert [lang.tag for lang in table.languages] == ["EN-US", "DE", "HE"]
    assert table.key_columns == ["Collection ID", "Item ID", "Field"]
    assert table.entries[1].texts[Language("de")] == "<p>Scharf;\nschnell</p>"
    assert table.entries[2].texts[Language("en-us")] == '=1+1 is "two"'
    assert [e.line for e in table.entries] == [2, 3, 5]


def test_quote_all_and_no_final_newline() -> None:
    table = load_table(DATA / "dialect-quote-all-no-final-newline.csv")
    assert table.dialect.quote_all and not table.dialect.final_newline


def test_tab_separated() -> None:
    table = load_table(DATA / "dialect-tab.tsv")
    assert table.dialect.delimiter == "\t"
    assert table.entries[1].texts[Language("en")] == "Bye\tnow"


def test_long_layout_is_read_and_written_back() -> None:
    table = load_table(DATA / "long-layout.csv")
    assert table.layout == "long"
    assert [lang.tag for lang in table.languages] == ["en", "de"]
    assert table.key_columns == ["Collection ID", "Item ID", "Field"]
    assert [(e.key[1:], dict(e.texts)) for e in table.entries] == [
        (("p-1", "title"), {Language("en"): "Mug", Language("de"): "Becher"}),
        (("p-2", "title"), {Language("en"): "Bowl"}),
        (("p-1", "description"), {Language("en"): "A mug\nfor coffee"}),
    ]
    assert table.entries[0].line_for(Language("de")) == 3


def test_long_layout_gains_rows_after_its_key() -> None:
    table = load_table(DATA / "long-layout.csv")
    table.entries[1].texts[Language("de")] = "Schüssel"
    assert write_bytes(table).decode() == (
        "Collection ID,Item ID,Field,language,text\n"
        "Products,p-1,title,en,Mug\n"
        "Products,p-1,title,de,Becher\n"
        "Products,p-2,title,en,Bowl\n"
        "Products,p-2,title,de,Schüssel\n"
        'Products,p-1,description,en,"A mug\nfor coffee"\n'
    )


def test_a_changed_cell_is_written_in_the_file_dialect() -> None:
    table = load_table(DATA / "dialect-bom-semicolon-crlf.csv")
    table.entries[0].texts[Language("he")] = "סכין; חדה"
    data = write_bytes(table)
    assert data.startswith(b"\xef\xbb\xbf")
    assert 'Products;p-1;title;Chef knife;Kochmesser;"סכין; חדה"\r\n'.encode() in data


def test_languages_option_names_language_columns() -> None:
    table = read_bytes(b"ID,Item,EN,DE\n1,a,x,y\n", languages=["EN", "DE"])
    assert table.key_columns == ["ID", "Item"]
    assert [lang.tag for lang in table.languages] == ["EN", "DE"]


def test_languages_option_sets_main_language_order() -> None:
    table = read_bytes(b"k,de,en\na,x,y\n", languages=["en", "de"])
    assert [lang.tag for lang in table.languages] == ["en", "de"]
    assert write_bytes(table) == b"k,de,en\na,x,y\n"


def test_id_column_is_not_taken_for_indonesian() -> None:
    table = read_bytes(b"ID,en,de\n1,x,y\n")
    assert table.key_columns == ["ID"]


def test_metadata_columns_are_kept() -> None:
    table = read_bytes(b"key,Notes,Max Length,en\na,shown on buttons,12,Buy\n")
    assert table.key_columns == ["key"]
    assert table.meta_columns == ["Notes", "Max Length"]
    assert table.entries[0].meta == {"Notes": "shown on buttons", "Max Length": "12"}


def test_changed_rows_are_written_in_the_file_column_order() -> None:
    table = read_bytes(b"en,key,Notes,de,Item\nBuy,a,btn,Kaufen,1\n")
    assert table.key_columns == ["key", "Item"]
    de = table.languages[1]
    table.entries[0].texts[de] = "Kauf, jetzt"
    table.entries.append(Entry(("b", "2"), {de: "Neu"}))
    assert write_bytes(table) == (b'en,key,Notes,de,Item\nBuy,a,btn,"Kauf, jetzt",1\n,b,,Neu,2\n')


cell_text = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), max_size=40)
dialects = st.sampled_from([(",", "\n"), (";", "\r\n"), ("\t", "\n"), (",", "\r\n")])


@settings(max_examples=150, deadline=None)
@given(rows=st.lists(st.tuples(cell_text, cell_text), min_size=1, max_size=8), dialect=dialects)
def test_any_cells_round_trip(rows: list[tuple[str, str]], dialect: tuple[str, str]) -> None:
    delim, eol = dialect
    table = read_bytes(f"key{delim}en{delim}de{eol}k{delim}x{delim}y{eol}".encode())
    en, de = table.languages
    table.entries = [Entry((f"k{n}",), {en: a, de: b}) for n, (a, b) in enumerate(rows)]
    data = write_bytes(table)
    back = read_bytes(data)
    assert [(e.key, e.texts[en], e.texts[de]) for e in back.entries] == [
        ((f"k{n}",), a, b) for n, (a, b) in enumerate(rows)
    ]
    assert write_bytes(back) == data


# --- encodings: the same detection for every command that reads a table ----------------------

EXCEL_TEXT = DATA / "excel-unicode-text.txt"  # Excel's "Unicode text": UTF-16 LE, BOM, tabs


def test_excel_unicode_text_is_read_as_tab_separated_utf16() -> None:
    table = load_table(EXCEL_TEXT)
    d = table.dialect
    assert (d.encoding, d.bom, d.delimiter, d.line_ending) == ("utf-16-le", True, "\t", "\r\n")
    assert [lang.tag for lang in table.languages] == ["en", "de", "he", "ja"]
    assert table.entries[1].texts[Language("en")] == "Two lines\nand a\ttab"
    assert table.entries[1].texts[Language("de")] == 'Zwei "Zeilen"'
    assert table.entries[2].texts[Language("he")] == "ברוכים הבאים"


def test_excel_unicode_text_converts_to_a_utf8_csv(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "content.csv"
    result = runner.invoke(cli, ["convert", str(EXCEL_TEXT), str(out)])
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert data.startswith(b"Collection ID,Item ID,Field,en,de,he,ja\r\n")
    assert 'Products,p-1,title,"Mug, large","Tasse, groß",ספל,マグ\r\n'.encode() in data
    back = tmp_path / "back.txt"  # and back: tab-separated again, the source's UTF-8 kept
    assert runner.invoke(cli, ["convert", str(out), str(back)]).exit_code == 0
    assert back.read_bytes().startswith(b"Collection ID\tItem ID\tField\ten\tde\the\tja\r\n")


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_a_byte_order_mark_names_the_encoding(codec: str) -> None:
    text = "key,en,he\nk,Hello 😀,שלום\n"
    data = (
        text.encode(codec) if codec == "utf-8-sig" else "\ufeff".encode(codec) + text.encode(codec)
    )
    table = read_bytes(data)
    assert table.entries[0].texts[Language("he")] == "שלום"
    assert table.dialect.bom
    assert write_bytes(table) == data


def test_a_tsv_is_tab_separated_though_its_header_holds_commas() -> None:
    data = b"key, slug, or path\ten\tde\nk\tHi\tHallo\n"  # as many commas as tabs
    table = wcsv.read(io.BytesIO(data), ReadOptions(name="t.tsv"))
    assert table.dialect.delimiter == "\t"
    assert table.key_columns == ["key, slug, or path"]
    assert write_bytes(table) == data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            "key\ten\nk\tCafé\n".encode("utf-16-le"),
            "t.csv: is UTF-16 LE text without a byte-order mark "
            "(pass --encoding utf-16-le, or re-save it as UTF-8)",
        ),
        (
            "key,en\nk,日本語のテキスト\n".encode("utf-16-be"),
            "t.csv: is UTF-16 BE text without a byte-order mark "
            "(pass --encoding utf-16-be, or re-save it as UTF-8)",
        ),
        (
            "key,en\nk,x\n".encode("utf-32-le"),
            "t.csv: is UTF-32 LE text without a byte-order mark "
            "(pass --encoding utf-32-le, or re-save it as UTF-8)",
        ),
        (bytes(range(256)) * 16, "t.csv: is not a text file (it holds bytes no text file has)"),
        (b"\x00" * 100, "t.csv: is not a text file (it holds bytes no text file has)"),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xd8",
            "t.csv: is not a text file (it holds bytes no text file has)",
        ),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
            "t.csv: is not a text file; it looks like a legacy Office file (an .xls workbook?)",
        ),
    ],
    ids=["utf16le", "utf16be", "utf32le", "random", "zeros", "png", "xls"],
)
def test_what_is_not_utf8_text_is_named(data: bytes, message: str) -> None:
    with pytest.raises(InputError) as err:
        read_bytes(data)
    assert str(err.value) == message


@pytest.mark.parametrize("how", ["read", "stream", "rows", "rewrite"])
def test_a_bad_byte_far_into_the_file_is_named_with_its_line(how: str) -> None:
    rows = b"".join(b"k%d,x,y\n" % n for n in range(20_000))  # past the first chunks read
    data = b"key,en,de\n" + rows + "k,Caf\u00e9,z\n".encode("cp1252")
    message = (
        "t.csv:20002: is not UTF-8 (byte 0xE9); it looks like Windows-1252 (Western European)"
        " (re-save it as UTF-8, or pass --encoding cp1252)"
    )
    options = ReadOptions(name="t.csv")
    with pytest.raises(InputError) as err:
        if how == "read":
            wcsv.read(io.BytesIO(data), options)
        elif how == "stream":
            next(wcsv.stream(io.BytesIO(data), options))  # before the first row
        elif how == "rows":
            list(wcsv.rows(io.BytesIO(data), options))  # where it is met
        else:
            wcsv.rewrite(io.BytesIO(data), options, io.BytesIO(), lambda table: _keep)
    assert str(err.value) == message


def _keep(line: int, key: Key, cells: list[str]) -> None:
    return None


def test_a_stray_nul_in_utf8_text_is_left_to_check() -> None:
    table = read_bytes(b"key,en\nk,a\x00b\n")
    assert table.entries[0].texts[Language("en")] == "a\x00b"


def test_an_explicit_encoding_reads_utf16_without_a_bom() -> None:
    data = "key\ten\nk\tCafé\n".encode("utf-16-le")
    table = wcsv.read(io.BytesIO(data), ReadOptions(name="t.tsv", encoding="utf-16-le"))
    assert table.entries[0].texts[Language("en")] == "Café"
    assert write_bytes(table) == data


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_every_text_table_format_detects_the_same_way(suffix: str, tmp_path: Path) -> None:
    text = (
        "key,en,de\nk,Café,Kaffee\n"
        if suffix == ".csv"
        else '{"key": "k", "en": "Café", "de": "Kaffee"}\n'
    )
    path = tmp_path / f"t{suffix}"
    path.write_bytes("\ufeff".encode("utf-16-le") + text.encode("utf-16-le"))
    assert load_table(path).entries[0].texts[Language("en")] == "Café"
    path.write_bytes(text.encode("utf-16-le"))
    with pytest.raises(InputError, match="is UTF-16 LE text without a byte-order mark"):
        load_table(path)
    path.write_bytes(bytes(range(256)))
    with pytest.raises(InputError, match=r"is not a text file \(it holds bytes no text file has\)"):
        load_table(path)
