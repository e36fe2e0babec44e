"""The national export streams: rows come from the database a chunk at a time and go to the file as they come,
so memory stays flat whatever the number of persons (CSV row by row, Excel through honours.core.xlsx_stream)."""
import csv
import io
import tracemalloc
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import insert

from honours.core import clock
from honours.core.db import db
from honours.core.text import fold, name_sort_key
from honours.directory import export
from honours.people.models import Person
from tests.core.test_query_counts import count_queries

CHUNK = 250


def add_persons(start: int, count: int) -> None:
    now = clock.now()
    names = [f"Nguyễn Văn Người Thứ {i}" for i in range(start, start + count)]
    db.session.execute(insert(Person), [{
        "full_name": name, "name_folded": fold(name), "sort_key": name_sort_key(name), "gender": "male",
        "date_of_birth": date(1950, 1, 1) + timedelta(days=i * 37 % 18000), "ethnicity": "Kinh",
        "hometown": "Bắc Ninh", "workplace": "Trường Đại học Bắc Ninh", "position": "Giảng viên", "degree": "TS",
        "field": "Y dược", "expertise": "Vật liệu mới; năng lượng " * 4, "email": f"nguoi{i}@example.vn",
        "phone": f"09{i:08d}", "consent_national_db": i % 3 == 0, "created_at": now, "updated_at": now,
    } for i, name in zip(range(start, start + count), names)])
    db.session.commit()


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(export, "CHUNK", CHUNK)


def peak_of(function) -> int:
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_stays_flat_from_a_few_hundred_to_a_few_thousand_persons(app, small_chunks, tmp_path):
    peaks = {}
    reports = []
    added = 0
    for size in (500, 3000):
        add_persons(added, size - added)
        added = size
        for extension, write in (("csv", export.write_csv), ("xlsx", export.write_xlsx)):
            path = tmp_path / f"{size}.{extension}"

            def run(write=write, path=path):
                with open(path, "wb") as out:
                    reports.append(write(out, lambda done, total=None: None))

            db.session.expire_all()
            peaks[(size, extension)] = peak_of(run)
        peaks[(size, "list")] = peak_of(export.rows)  # what building every row at once costs, for comparison
    assert [(r.rows, r.consented) for r in reports] == [(500, 167), (500, 167), (3000, 1000), (3000, 1000)]
    for extension in ("csv", "xlsx"):
        assert peaks[(3000, extension)] < 1.3 * peaks[(500, extension)] + 256 * 1024, peaks
        # ...while holding the rows would grow with them: the measure can tell the difference.
        assert peaks[(3000, extension)] < peaks[(3000, "list")] / 2, peaks
    assert peaks[(3000, "list")] > 3 * peaks[(500, "list")], peaks
    # The files are whole: every person, in name order.
    with open(tmp_path / "3000.csv", encoding="utf-8-sig", newline="") as written:
        table = list(csv.reader(written))
    assert table[0] == export.HEADERS and len(table) == 3001
    assert [row[1] for row in table[1:]] == [row[1] for row in export.rows()]
    sheet = load_workbook(tmp_path / "3000.xlsx", read_only=True)[export.SHEET_NAME]
    assert sum(1 for _row in sheet.iter_rows()) == 3001


def test_the_first_rows_come_before_the_database_is_read_to_the_end(app, small_chunks):
    add_persons(0, 3 * CHUNK + 10)
    rows = export.iter_rows()
    with count_queries() as statements:
        first = next(rows)
    assert len(statements) == 4  # the honours, talent-pool entries and own consents once, the first chunk
    assert first[1] == export.rows()[0][1]
    with count_queries() as statements:
        rest = list(rows)
    assert len(rest) == 3 * CHUNK + 9 and len(statements) == 3  # one query per further chunk


def test_progress_counts_the_rows_up_to_the_total(app, small_chunks, monkeypatch):
    monkeypatch.setattr(export, "PROGRESS_EVERY", 100)
    add_persons(0, 650)
    seen = []
    export.write_csv(io.BytesIO(), lambda done, total=None: seen.append((done, total)))
    assert seen == [(done, 650) for done in (0, 100, 200, 300, 400, 500, 600, 650)]
