"""A staff list loaded into the intellectuals database: Trường Đại học Kinh Bắc's lecturers (new records of the
university, one of them with a citizen identification number the secretariat sees on the profile), in its
history of loaded lists."""
import io
from datetime import datetime, timedelta

import openpyxl

from honours.core import clock, roles
from honours.intake import services as intake

STAFF = (  # name, gender, born, citizen number, degree, field, position
    ("Đinh Thị Phương Thảo", "Nữ", "14/02/1984", "027184001122", "Tiến sĩ (TS)", "Kỹ thuật và công nghệ",
     "Trưởng bộ môn"),
    ("Kiều Văn Lâm", "Nam", "03/09/1979", "", "Tiến sĩ (TS)", "Khoa học tự nhiên", "Giảng viên chính"),
    ("Mạc Thị Hồng Nhung", "Nữ", "21/11/1990", "", "Thạc sĩ (ThS)", "Giáo dục", "Giảng viên"),
    ("Tô Quang Huy", "Nam", "08/06/1975", "", "Tiến sĩ khoa học (TSKH)", "Kỹ thuật và công nghệ",
     "Phó Hiệu trưởng"),
)


def _workbook() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = intake.SHEET
    sheet.append([column.header for column in intake.COLUMNS])
    for name, gender, born, number, degree, field, position in STAFF:
        sheet.append([name, gender, born, number, "Kinh", "Bắc Ninh", "Trường Đại học Kinh Bắc", position, "",
                      degree, field, "", "", "", "Không"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def seed_intake(now: datetime, accounts: list, organisations: dict) -> list[str]:
    university = organisations["U1"]
    user = next(u for u in accounts if u.role == roles.NOMINATOR and u.organisation_id == university.id)
    with clock.frozen(now - timedelta(days=3)):
        outcome = intake.intake(user, _workbook(), filename="danh-sach-giang-vien-2026.xlsx")
    if not outcome.ok:  # the demo's own list: a problem is a bug in the demo
        raise RuntimeError(f"demo staff list refused: {outcome.problems}")
    return [f"  Staff list: {university.name} loaded {len(STAFF)} lecturers into the intellectuals database."]
