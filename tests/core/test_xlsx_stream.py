"""The streaming sheet writer: what openpyxl reads back from it."""
import io
from datetime import date, datetime

from openpyxl import load_workbook

from honours.core import xlsx_stream
from honours.core.xlsx_stream import DATE, NUMBER, Column, SheetWriter

COLUMNS = [Column("Số", NUMBER, 8), Column("Tên", width=30), Column("Ngày", DATE, 12)]


def written(rows, **options) -> bytes:
    out = io.BytesIO()
    with SheetWriter(out, options.pop("name", "Trang 1"), COLUMNS, title="Thử", created=datetime(2026, 1, 2, 9, 0),
                     **options) as sheet:
        for row in rows:
            sheet.write(row)
    return out.getvalue()


def test_values_come_back_typed_and_text_comes_back_unchanged():
    tricky = ['=1+1', ' lề trái', 'a & b < c > d', 'tab\there', 'Nguyễn Thị Ánh', "'trích'"]
    sheet = load_workbook(io.BytesIO(written([[i, text, date(2025, 10, 1)] for i, text in enumerate(tricky)])))
    sheet = sheet["Trang 1"]
    rows = list(sheet.iter_rows(min_row=2))
    assert [row[1].value for row in rows] == tricky  # never a formula, spaces kept, characters escaped
    assert all(row[1].data_type == "s" for row in rows)
    assert [row[0].value for row in rows] == list(range(len(tricky)))
    assert rows[0][2].value == datetime(2025, 10, 1) and rows[0][2].number_format == "dd/mm/yyyy"


def test_characters_xml_cannot_hold_are_dropped_not_fatal():
    sheet = load_workbook(io.BytesIO(written([[1, "a\x00b\x1fc\x0b", None]])))["Trang 1"]
    assert sheet["B2"].value == "abc" and sheet["C2"].value is None


def test_an_empty_sheet_still_has_its_header_filter_and_print_titles():
    book = load_workbook(io.BytesIO(written([], name="Bà 'Ba' & Co")))
    sheet = book["Bà 'Ba' & Co"]
    assert [cell.value for cell in sheet[1]] == ["Số", "Tên", "Ngày"] and sheet.max_row == 1
    assert sheet.auto_filter.ref == "A1:C1" and sheet.print_title_rows == "$1:$1"
    assert sheet.freeze_panes == "A2" and sheet.column_dimensions["B"].width == 30
    assert book.properties.title == "Thử" and book.properties.created == datetime(2026, 1, 2, 2, 0)


def test_column_letters():
    assert [xlsx_stream.column_letter(i) for i in (0, 25, 26, 51, 52, 701, 702)] == [
        "A", "Z", "AA", "AZ", "BA", "ZZ", "AAA"]
