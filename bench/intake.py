"""Benchmark (run by hand, not a test): a staff list of 50,000 rows loaded into the intellectuals database
(honours.intake.services.intake), into an empty database and again over the records the first load created (every
row matched, proposals instead of writes). A temporary SQLite database, or BENCH_INTAKE_DATABASE_URL (an empty
PostgreSQL database); nothing else is touched.

    .venv/bin/python bench/intake.py            # BENCH_INTAKE_ROWS=50000

The file is written with XlsxWriter (shared strings, real date cells), as Excel and LibreOffice write them.
"""
import io
import os
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import xlsxwriter

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from honours import create_app  # noqa: E402
from honours.auth.models import User  # noqa: E402
from honours.core import roles  # noqa: E402
from honours.core.db import db  # noqa: E402
from honours.intake import services as intake  # noqa: E402
from honours.organisations.models import Organisation  # noqa: E402

ROWS = int(os.environ.get("BENCH_INTAKE_ROWS", "50000"))
TARGET = 60.0  # seconds for 50,000 rows: a background job's budget, not a web request's
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô")
MIDDLE = ("Văn", "Thị", "Đức", "Minh", "Thu", "Quang", "Ngọc", "Hữu")
GIVEN = ("An", "Bình", "Cường", "Dũng", "Hà", "Hạnh", "Lan", "Long", "Mai", "Nam", "Phúc", "Quân", "Sơn", "Tú")
FIELDS = ("Khoa học tự nhiên", "Kỹ thuật và công nghệ", "Y dược", "Nông nghiệp", "Giáo dục")


def staff_list(count: int, workplace: str) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False})
    sheet = book.add_worksheet(intake.SHEET)
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_row(0, 0, [column.header for column in intake.COLUMNS])
    for row in range(1, count + 1):
        i = row - 1
        sheet.write_row(row, 0, [f"{FAMILY[i % 10]} {MIDDLE[i // 10 % 8]} {GIVEN[i // 80 % 14]} {i}",
                                 "Nữ" if i % 2 else "Nam"])
        sheet.write_datetime(row, 2, date(1950, 1, 1) + timedelta(days=(i * 37) % 18000), day)
        sheet.write_row(row, 3, [
            f"027{i:09d}" if i % 2 else "", "Kinh" if i % 5 else "Tày", "Bắc Ninh", workplace, "Giảng viên",
            "PGS" if i % 7 == 0 else "", "Tiến sĩ (TS)", FIELDS[i % len(FIELDS)], "Vật liệu mới",
            f"nguoi{i}@truong.example.vn", f"09{i:08d}", "Không"])
    book.close()
    return out.getvalue()


def timed(user, data: bytes) -> tuple[float, float, dict]:
    started, cpu = time.perf_counter(), time.process_time()
    outcome = intake.intake(user, data, filename="bench.xlsx")
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    assert outcome.ok, outcome.problems[:5]
    return elapsed, cpu, outcome.created


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="honours-bench-") as folder:
        url = os.environ.get("BENCH_INTAKE_DATABASE_URL") or "sqlite:///" + os.path.join(folder, "bench.sqlite")
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "UPLOAD_FOLDER": os.path.join(folder, "uploads")})
        results = []
        with app.app_context(), app.test_request_context():
            db.create_all()
            organisation = Organisation(name="Trường Đại học đo hiệu năng", org_type="university")
            user = User(email="bench-intake@example.vn", full_name="Đo hiệu năng", role=roles.NOMINATOR,
                        organisation=organisation, password_hash="unusable")
            db.session.add(user)
            db.session.commit()
            first = staff_list(ROWS, "Trường Đại học Bắc Ninh")
            again = staff_list(ROWS, "Viện Nghiên cứu Kinh Bắc")  # every row matches, the workplace differs
            for label, data in (("new records", first), ("all matched: proposals", again)):
                elapsed, cpu, created = timed(user, data)
                db.session.commit()
                results.append((f"Intake {ROWS:,} rows ({len(data) // 1024:,} KB), {label}: {created}", elapsed, cpu))
            db.session.remove()
            db.engine.dispose()
    width = max(len(label) for label, *_ in results)
    print(f"{'Step':<{width}}  {'Time (s)':>8}  {'CPU (s)':>7}  {'Target':>7}  Result")
    for label, elapsed, cpu in results:
        print(f"{label:<{width}}  {elapsed:>8.2f}  {cpu:>7.2f}  {'< ' + format(TARGET, '.0f') + ' s':>7}  "
              f"{'pass' if elapsed < TARGET else 'FAIL'}")
    return 0 if all(elapsed < TARGET for _, elapsed, _cpu in results) else 1


if __name__ == "__main__":
    sys.exit(main())
