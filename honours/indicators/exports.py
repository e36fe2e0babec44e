"""The annual report (báo cáo trước ngày 10/12): Excel with one sheet per table, and PDF."""
import io

import pandas as pd
from flask_babel import gettext as _

from honours.core import clock
from honours.core.i18n import format_datetime
from honours.core.pdf import Document
from honours.core.spreadsheets import keep_text

from .services import HonoursIndicators, TalentIndicators
from .tables import Table, all_tables, definitions

# Shares are stored as numbers of percent (38.5) and shown with the sign, as on the page.
PERCENT_FORMAT = '0.0"%"'


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


def _frame(table: Table) -> pd.DataFrame:
    rows = [[cell.excel for cell in row] for row in table.rows]
    if table.total:
        rows.append([cell.excel for cell in table.total])
    return pd.DataFrame(rows, columns=table.columns)


def to_xlsx(honours: HonoursIndicators, talent: TalentIndicators) -> bytes:
    year = honours.year
    about = pd.DataFrame({_("Nội dung"): [report_title(year), report_deadline(year), *_intro(honours),
                                          *definitions(year, honours.young_born_from)]})
    out = io.BytesIO()
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        about_name = _("Thông tin báo cáo")[:31]
        about.to_excel(writer, sheet_name=about_name, index=False)
        keep_text(writer.sheets[about_name])  # round names are typed by users
        writer.sheets[about_name].column_dimensions["A"].width = 120
        for table in all_tables(honours, talent):
            name = table.sheet[:31]
            _frame(table).to_excel(writer, sheet_name=name, index=False)
            sheet = writer.sheets[name]
            keep_text(sheet)
            percent_columns = {position for row in table.rows for position, cell in enumerate(row)
                               if cell.kind == "percent"}
            for position in range(len(table.columns)):
                letter = sheet.cell(row=1, column=position + 1).column_letter
                sheet.column_dimensions[letter].width = 48 if position == 0 else 16
                if position in percent_columns:
                    for (cell,) in sheet.iter_rows(min_row=2, min_col=position + 1, max_col=position + 1):
                        cell.number_format = PERCENT_FORMAT
            sheet.freeze_panes = "B2"
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
