"""The annual report (báo cáo trước ngày 10/12): Excel with one sheet per table, and PDF."""
import io

from flask_babel import gettext as _
from openpyxl import Workbook

from honours.core import clock
from honours.core.i18n import format_datetime
from honours.core.pdf import Document
from honours.core.spreadsheets import describe, finish_sheet

from .services import HonoursIndicators, TalentIndicators
from .tables import all_tables, definitions


def report_title(year: int) -> str:
    return _("Báo cáo bộ chỉ số Trí thức Bắc Ninh tiêu biểu và tiến cử người tài năm %(year)s", year=year)


def report_deadline(year: int) -> str:
    return _("Báo cáo trước ngày 10/12/%(year)s", year=year)


def _intro(honours: HonoursIndicators) -> list[str]:
    lines = [_("Số liệu tính đến %(moment)s.", moment=format_datetime(clock.now()))]
    if honours.rounds:
        lines.append(_("Các đợt xét trong năm: %(names)s.", names="; ".join(r.name for r in honours.rounds)))
    else:
        lines.append(_("Trong năm không có đợt xét tôn vinh nào."))
    return lines


def to_xlsx(honours: HonoursIndicators, talent: TalentIndicators) -> bytes:
    """One sheet per table under a title row naming the report and the export time; shares are fractions
    formatted as percentages (38.5 % is 0.385), counts are numbers."""
    year = honours.year
    exported_at = clock.now()
    title = report_title(year)
    book = Workbook()
    about = book.active
    about.title = _("Thông tin báo cáo")[:31]
    for line in [_("Nội dung"), title, report_deadline(year), *_intro(honours),
                 *definitions(year, honours.young_born_from)]:
        about.append([line])
    finish_sheet(about, widths={1: 120})
    for table in all_tables(honours, talent):
        sheet = book.create_sheet(table.sheet[:31])
        sheet.append([])  # the title row
        sheet.append(table.columns)
        for row in [*table.rows, *([table.total] if table.total else [])]:
            sheet.append([cell.excel for cell in row])
        percent_columns = {position for row in table.rows for position, cell in enumerate(row, start=1)
                           if cell.kind in ("percent", "target")}
        finish_sheet(sheet, header_row=2, title=title, exported_at=exported_at, percent_columns=percent_columns,
                     widths={1: 48}, freeze_column=2)
    describe(book, title=title, exported_at=exported_at, subject=report_deadline(year))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_pdf(honours: HonoursIndicators, talent: TalentIndicators) -> bytes:
    year = honours.year
    title = report_title(year)
    document = Document(title)
    document.heading(title)
    document.heading(f"({report_deadline(year)})", size=11)
    for line in _intro(honours):
        document.paragraph(line)
    for table in all_tables(honours, talent):
        document.paragraph(table.title, size=12, bold=True)
        rows = [[cell.text for cell in row] for row in table.rows]
        if table.total:
            rows.append([cell.text for cell in table.total])
        document.data_table(table.columns, rows, list(table.widths) or None)
    document.paragraph(_("Cách tính"), size=12, bold=True)
    for line in definitions(year, honours.young_born_from):
        document.paragraph(f"– {line}", size=9)
    return document.bytes()
