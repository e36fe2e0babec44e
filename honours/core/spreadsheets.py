"""Spreadsheet output shared by every export (Excel and CSV).

Every workbook the app writes goes through `finish_sheet` (and `describe` for its properties), so they all look
and print the same way: a title row naming what was exported and when, a bold frozen header row, real dates,
numbers and fractions under number formats (never text such as "01/10/2025" or "45,7%"), widths from the content
and a landscape A4 page fitted to the width with the header row repeated on every page.
"""
from datetime import UTC, date, datetime
from numbers import Integral, Real

from flask_babel import gettext as _
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from honours.core.clock import PROVINCE_TZ
from honours.core.i18n import format_datetime

# Characters that make a spreadsheet read a cell as a formula (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
PERCENT_FORMAT = "0.0%"  # of a fraction: 0.457 shows 45.7 %
INTEGER_FORMAT = "0"
DECIMAL_FORMAT = "0.00"
MIN_WIDTH, MAX_WIDTH = 10, 60  # characters
TITLE_FONT = Font(bold=True, size=13)


def defuse(value):
    """Text a spreadsheet would run as a formula gets an apostrophe in front (OWASP CSV injection); numbers stay
    numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def keep_text(worksheet) -> None:
    """openpyxl stores any text starting with "=" as a formula, so a name typed as "=HYPERLINK(...)" would run in
    the reader's Excel (formula injection). Every cell stays text, the header row too: headers can be typed by
    users (a criterion's or a field's name)."""
    for cells in worksheet.iter_rows(min_row=1):
        for cell in cells:
            if cell.data_type == "f":
                cell.data_type = "s"


def title_line(title: str, exported_at: datetime) -> str:
    """What the title row says: what this is (a round's name, a year) and when it was exported."""
    return _("%(title)s — Xuất lúc %(moment)s", title=title, moment=format_datetime(exported_at))


def describe(book, *, title: str, exported_at: datetime, subject: str = "") -> None:
    """The workbook's document properties (File > Info in Excel): what it is and when it was made. Excel reads
    `created` as UTC; `exported_at` is the province's local time (honours.core.clock)."""
    book.properties.title = title[:255]
    book.properties.subject = (subject or title)[:255]
    book.properties.creator = "honours"
    book.properties.created = exported_at.replace(tzinfo=PROVINCE_TZ).astimezone(UTC).replace(tzinfo=None)


def _format_of(value) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        return DATETIME_FORMAT
    if isinstance(value, date):
        return DATE_FORMAT
    if isinstance(value, Integral):
        return INTEGER_FORMAT
    if isinstance(value, Real):
        return DECIMAL_FORMAT
    return None


def _shown_length(value, number_format: str) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    if isinstance(value, Real) and not isinstance(value, bool):
        if number_format == PERCENT_FORMAT:
            return len(f"{value * 100:.1f}") + 1
        return len(f"{value:.2f}") if number_format == DECIMAL_FORMAT else len(str(value))
    return max((len(line) for line in str(value).splitlines()), default=0)


def finish_sheet(sheet, *, header_row: int = 1, title: str | None = None, exported_at: datetime | None = None,
                 percent_columns=(), number_formats: dict[int, str] | None = None,
                 widths: dict[int, int] | None = None, freeze_column: int = 1, keep_header_style: bool = False) -> None:
    """Finish a written sheet whose header is at `header_row` and data below it.

    - with `title` (and `header_row` > 1, row 1 left empty for it): the title row, "<title> — Xuất lúc ...";
    - every text cell stays text (`keep_text`: no formula injection);
    - header bold and wrapped, panes frozen below it (and left of `freeze_column`);
    - data cells get a number format from their value: dates dd/mm/yyyy, datetimes dd/mm/yyyy hh:mm, integers 0,
      decimals 0.00; the (1-based) `percent_columns` hold fractions shown as 0.0%; `number_formats` overrides a
      column;
    - column widths from the content of the header and data rows, within MIN_WIDTH..MAX_WIDTH, or `widths`;
    - print setup: A4 landscape, fitted to one page wide, the header row repeated on every page.
    """
    if title is not None and header_row > 1:
        cell = sheet.cell(row=1, column=1, value=title_line(title, exported_at) if exported_at else title)
        cell.font = TITLE_FONT
    keep_text(sheet)
    formats = {column: PERCENT_FORMAT for column in percent_columns} | (number_formats or {})
    longest: dict[int, int] = {}
    for cell in sheet[header_row]:
        if cell.value is None:
            continue
        if not keep_header_style:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        # a long header wraps: its longest word, not its whole text, sets the minimum
        longest[cell.column] = min(len(str(cell.value)), max([24, *(len(w) for w in str(cell.value).split())]))
    for cells in sheet.iter_rows(min_row=header_row + 1):
        for cell in cells:
            value = cell.value
            if value is None:
                continue
            number_format = formats.get(cell.column) if isinstance(value, (Real, date)) else None
            number_format = number_format or _format_of(value)
            if number_format:
                cell.number_format = number_format
            longest[cell.column] = max(longest.get(cell.column, 0), _shown_length(value, cell.number_format))
    for column, length in longest.items():
        width = (widths or {}).get(column) or min(MAX_WIDTH, max(MIN_WIDTH, length + 2))
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=freeze_column).coordinate
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header_row}:{header_row}"
