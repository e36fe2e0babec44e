"""Benchmark (run by hand, not a test): Excel import of 2,000 and 10,000 nomination rows; the national export of
150,000 persons (the province's scale) as the background job it is, CSV and XLSX, each in a worker process of its
own whose peak memory is reported. A temporary SQLite database and generated files; nothing else is touched.

    .venv/bin/python bench/import_export.py
    BENCH_EXPORT_PERSONS=20000 .venv/bin/python bench/import_export.py   # a quicker run

The import files are written with XlsxWriter, which stores text as Excel and LibreOffice do (shared strings,
real date cells); openpyxl-written files (inline strings) take roughly twice as long to read.
"""
import io
import os
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import xlsxwriter
from sqlalchemy import func, insert, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from honours import create_app  # noqa: E402
from honours.auth.models import User  # noqa: E402
from honours.core import (
    clock,
    roles,  # noqa: E402
)
from honours.core.db import db  # noqa: E402
from honours.core.text import fold, name_sort_key  # noqa: E402
from honours.directory import export  # noqa: E402
from honours.imports import nominations as dossier_imports  # noqa: E402
from honours.nominations.models import Dossier  # noqa: E402
from honours.organisations.models import Organisation  # noqa: E402
from honours.people.models import Person  # noqa: E402
from honours.rounds.models import Round, RoundField  # noqa: E402

IMPORT_TARGET = 5.0
EXPORT_PERSONS = int(os.environ.get("BENCH_EXPORT_PERSONS", 150_000))
EXPORT_TARGETS = {"csv": 5.0, "xlsx": 20.0}  # seconds at 150,000 persons (issue 16)
MEMORY_TARGET_MB = 200  # what the export job adds to the worker process's resident memory at its peak
ROOT = Path(__file__).resolve().parent.parent
# Runs in a fresh worker process: the due job; prints the times, the process's peak memory once the app is loaded
# and its peak after the job (Linux /proc, KB): the difference is what the job itself needed.
WORKER = """
import time
from honours import create_app
from honours.core.jobs import worker

def peak_kb():  # VmHWM: this process's peak resident memory (ru_maxrss would include the parent's, kept by exec)
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))

app = create_app()
with app.app_context():
    idle = peak_kb()
    started, cpu = time.perf_counter(), time.process_time()
    counts = worker.run_due()
    print("RESULT", counts, time.perf_counter() - started, time.process_time() - cpu, idle, peak_kb())
"""
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô")
MIDDLE = ("Văn", "Thị", "Đức", "Minh", "Thu", "Quang", "Ngọc", "Hữu")
GIVEN = ("An", "Bình", "Cường", "Dũng", "Hà", "Hạnh", "Lan", "Long", "Mai", "Nam", "Phúc", "Quân", "Sơn", "Tú")
FIELDS = ("Khoa học tự nhiên", "Kỹ thuật và công nghệ", "Y dược", "Nông nghiệp", "Giáo dục")


def name(i: int) -> str:
    return f"{FAMILY[i % 10]} {MIDDLE[i // 10 % 8]} {GIVEN[i // 80 % 14]} {i}"


def born(i: int) -> date:
    return date(1950, 1, 1) + timedelta(days=(i * 37) % 18000)


def nomination_file(count: int) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False})
    sheet = book.add_worksheet(dossier_imports.SHEET)
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_row(0, 0, [column.header for column in dossier_imports.COLUMNS])
    for row in range(1, count + 1):
        i = row - 1
        sheet.write_row(row, 0, [name(i), "Nữ" if i % 2 else "Nam"])
        sheet.write_datetime(row, 2, born(i), day)
        sheet.write_row(row, 3, [
            "Kinh" if i % 5 else "Tày", "Bắc Ninh", "Trường Đại học Bắc Ninh", "Giảng viên",
            "PGS" if i % 7 == 0 else "",
            "Tiến sĩ (TS)", FIELDS[i % len(FIELDS)], f"nguoi{i}@truong.example.vn", f"09{i:08d}",
            "Không", "Nhiều công trình khoa học được công bố, ứng dụng tại tỉnh."])
    book.close()
    return out.getvalue()


def setup_round() -> Round:
    now = clock.now()
    round_ = Round(name="Đợt đo hiệu năng", programme="honours", year=now.year,
                   nominations_open_at=now - timedelta(days=1), nominations_close_at=now + timedelta(days=30),
                   review_close_at=now + timedelta(days=60), council_date=(now + timedelta(days=70)).date())
    round_.fields = [RoundField(name=field, quota=5, position=i) for i, field in enumerate(FIELDS)]
    db.session.add(round_)
    db.session.commit()
    return round_


def nominator(label: str) -> User:
    organisation = Organisation(name=f"Đơn vị đo {label}", org_type="university")
    user = User(email=f"bench-{label}@example.vn", full_name="Đo hiệu năng", role=roles.NOMINATOR,
                organisation=organisation, password_hash="unusable")
    db.session.add(user)
    db.session.commit()
    return user


def time_import(round_: Round, count: int) -> tuple[float, float]:
    data = nomination_file(count)
    user = nominator(str(count))
    started, cpu = time.perf_counter(), time.process_time()
    outcome = dossier_imports.import_dossiers(user, round_.id, data, "bench.xlsx")
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    assert outcome.ok, outcome.problems[:5]
    created = db.session.scalar(select(func.count(Dossier.id)).where(Dossier.organisation_id == user.organisation_id))
    assert created == count, created
    return elapsed, cpu


def add_persons(count: int, batch: int = 10_000) -> None:
    for start in range(0, count, batch):
        _add_persons(range(start, min(count, start + batch)))


def _add_persons(numbers: range) -> None:
    now = clock.now()
    db.session.execute(insert(Person), [{
        "full_name": name(i), "name_folded": fold(name(i)), "sort_key": name_sort_key(name(i)),
        "gender": "female" if i % 2 else "male", "date_of_birth": born(i), "ethnicity": "Kinh",
        "hometown": "Bắc Ninh", "workplace": "Trường Đại học Bắc Ninh", "position": "Giảng viên",
        "academic_title": "PGS" if i % 7 == 0 else "", "degree": "TS", "field": FIELDS[i % len(FIELDS)],
        "expertise": "Vật liệu mới; năng lượng", "email": f"nguoi{i}@truong.example.vn", "phone": f"09{i:08d}",
        "consent_national_db": i % 3 == 0, "created_at": now, "updated_at": now,
    } for i in numbers])
    db.session.commit()


def secretary() -> User:
    user = User(email="bench-thuky@example.vn", full_name="Thư ký đo hiệu năng", role=roles.SECRETARIAT,
                password_hash="unusable")
    db.session.add(user)
    db.session.commit()
    return user


def time_export_job(user: User, extension: str, environment: dict) -> tuple[float, float, float, float, int]:
    """Queue the export as the button does, run it in a worker process; (seconds, CPU seconds, the idle worker's
    MB, the MB the job added at its peak, bytes written)."""
    from honours.core.jobs import Job
    from honours.core.jobs.registry import stored_path

    job_id = export.start_national_export(user, extension).id
    db.session.commit()
    finished = subprocess.run([sys.executable, "-c", WORKER], cwd=ROOT, env=environment, check=True,
                              capture_output=True, text=True)
    line = next(line for line in finished.stdout.splitlines() if line.startswith("RESULT"))
    *_counts, elapsed, cpu, idle_kb, max_rss_kb = line.rsplit(" ", 4)
    db.session.expire_all()
    job = db.session.get(Job, job_id)
    assert job.state == "done", (job.state, job.error, finished.stderr[-2000:])
    return (float(elapsed), float(cpu), int(idle_kb) / 1024, (int(max_rss_kb) - int(idle_kb)) / 1024,
            os.path.getsize(stored_path(job.result_stored_name)))


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="honours-bench-") as folder:
        database, uploads = "sqlite:///" + os.path.join(folder, "bench.sqlite"), os.path.join(folder, "uploads")
        app = create_app({"SQLALCHEMY_DATABASE_URI": database, "UPLOAD_FOLDER": uploads, "IMPORT_MAX_ROWS": 10_000})
        environment = {**os.environ, "DATABASE_URL": database, "UPLOAD_FOLDER": uploads,
                       "HONOURS_INSTANCE_PATH": folder, "PYTHONPATH": str(ROOT)}
        results = []
        with app.app_context(), app.test_request_context():
            db.create_all()
            round_ = setup_round()
            for count in (2_000, 10_000):
                results.append((f"Import dossiers ({count:,} rows)", *time_import(round_, count), IMPORT_TARGET))
            add_persons(EXPORT_PERSONS)
            user = secretary()
            for extension, target in EXPORT_TARGETS.items():
                elapsed, cpu, idle, peak, size = time_export_job(user, extension, environment)
                results.append((f"Export job {extension.upper()} ({EXPORT_PERSONS:,} persons, {size // 1024:,} KB)",
                                elapsed, cpu, target))
                results.append((f"  memory the job added to its worker ({idle:,.0f} MB idle)", peak, None,
                                MEMORY_TARGET_MB, "MB"))
            db.session.remove()
            db.engine.dispose()
    report(results)
    return 0 if all(value < target for _label, value, _cpu, target, *_unit in results) else 1


def report(results) -> None:
    """One line per step; a step is (label, value, CPU seconds or None, target[, unit]) (unit "s" or "MB")."""
    width = max(len(label) for label, *_ in results)
    print(f"{'Step':<{width}}  {'Value':>8}  {'CPU (s)':>7}  {'Target':>8}  Result")
    for label, value, cpu, target, *unit in results:
        unit = unit[0] if unit else "s"
        shown_cpu = f"{cpu:>7.2f}" if cpu is not None else " " * 7
        print(f"{label:<{width}}  {value:>8.2f}  {shown_cpu}  {'< ' + format(target, '.0f') + ' ' + unit:>8}  "
              f"{'pass' if value < target else 'FAIL'}")
    load, cores = os.getloadavg()[0], os.cpu_count() or 1
    if load > cores:
        print(f"Note: load average {load:.1f} on {cores} CPU(s): wall times are inflated; CPU time is this "
              "process's share.")


if __name__ == "__main__":
    sys.exit(main())
