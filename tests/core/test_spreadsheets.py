"""The shared finish of every workbook (honours/core/spreadsheets.py): read back with openpyxl as Excel would."""
import io
from datetime import date, datetime
from decimal import Decimal

from openpyxl import Workbook, load_workbook

from honours.core import spreadsheets
from honours.core.spreadsheets import describe, finish_sheet

DATE_FORMAT, DATETIME_FORMAT, PERCENT_FORMAT = (spreadsheets.DATE_FORMAT, spreadsheets.DATETIME_FORMAT,
                                                spreadsheets.PERCENT_FORMAT)
MIN_WIDTH, MAX_WIDTH = spreadsheets.MIN_WIDTH, spreadsheets.MAX_WIDTH


def written(rows, **options):
    book = Workbook()
    sheet = book.active
    sheet.append([])  # the title row
    for row in rows:
        sheet.append(row)
    finish_sheet(sheet, header_row=2, **options)
    describe(book, title="Đợt xét 2026", exported_at=datetime(2026, 12, 4, 9, 5), subject="Kết quả")
    buffer = io.BytesIO()
    book.save(buffer)
    return load_workbook(io.BytesIO(buffer.getvalue()))


ROWS = [["Họ và tên", "Ngày quyết định", "Thời điểm", "Số phiếu", "Điểm", "Tỷ lệ", "Ghi chú"],
        ["=HYPERLINK(\"http://evil.example\")", date(2025, 10, 1), datetime(2026, 6, 15, 9, 30), 3, 81.5, 0.457,
         "x" * 200],
        ["Trần Thị Bình", None, None, 0, Decimal("7.25"), 1.0, None]]


def test_values_keep_their_types_under_number_formats():
    sheet = written(ROWS, title="Kết quả chấm điểm", exported_at=datetime(2026, 12, 4, 9, 5),
                    percent_columns={6}).active
    day, moment, count, score, rate = (sheet.cell(row=3, column=c) for c in range(2, 7))
    assert isinstance(day.value, datetime) and day.value == datetime(2025, 10, 1) and day.number_format == DATE_FORMAT
    assert isinstance(moment.value, datetime) and moment.number_format == DATETIME_FORMAT == "dd/mm/yyyy hh:mm"
    assert isinstance(count.value, int) and count.number_format == "0"
    assert isinstance(score.value, float) and score.number_format == "0.00"
    assert rate.value == 0.457 and rate.number_format == PERCENT_FORMAT == "0.0%"
    assert sheet.cell(row=4, column=6).number_format == "0.0%" and sheet.cell(row=4, column=5).value == 7.25


def test_text_that_looks_like_a_formula_stays_text():
    cell = written(ROWS).active["A3"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_title_row_header_panes_and_print_setup():
    sheet = written(ROWS, title="Kết quả chấm điểm", exported_at=datetime(2026, 12, 4, 9, 5),
                    freeze_column=2).active
    assert sheet["A1"].value == "Kết quả chấm điểm — Xuất lúc 04/12/2026 09:05" and sheet["A1"].font.b
    assert all(cell.font.b for cell in sheet[2]) and not sheet["A3"].font.b
    assert sheet.freeze_panes == "B3"
    assert sheet.print_title_rows == "$2:$2"
    setup = sheet.page_setup
    assert setup.orientation == "landscape" and setup.paperSize == 9  # A4
    assert setup.fitToWidth == 1 and setup.fitToHeight == 0 and sheet.sheet_properties.pageSetUpPr.fitToPage


def test_widths_follow_the_content_within_bounds():
    sheet = written(ROWS, widths={1: 40}).active
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCDEFG"}
    assert widths["A"] == 40  # given
    assert widths["G"] == MAX_WIDTH  # 200 characters: capped
    assert widths["D"] == len("Số phiếu") + 2 and widths["B"] == len("Ngày quyết định") + 2
    assert all(MIN_WIDTH <= width <= MAX_WIDTH for letter, width in widths.items() if letter != "A")


def test_workbook_properties_name_the_export_in_utc():
    book = written(ROWS)
    assert book.properties.title == "Đợt xét 2026" and book.properties.subject == "Kết quả"
    assert book.properties.created == datetime(2026, 12, 4, 2, 5)  # 09:05 in Bắc Ninh (UTC+7)


def test_a_sheet_without_title_keeps_its_header_in_row_one():
    book = Workbook()
    sheet = book.active
    sheet.append(["Dòng", "Lỗi"])
    sheet.append([8, "Sai"])
    finish_sheet(sheet, keep_header_style=True)
    assert sheet["A1"].value == "Dòng" and not sheet["A1"].font.b  # its own style kept
    assert sheet.freeze_panes == "A2" and sheet.print_title_rows == "$1:$1" and sheet["A2"].number_format == "0"
