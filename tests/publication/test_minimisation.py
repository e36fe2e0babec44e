"""Minimisation (issue 13, Law 91/2025/QH15): no public page or public export of the demo data carries an
honouree's gender, ethnicity, birth date or birth year as a per-person field. The demo is seeded once for the module
(as tests/core/test_demo.py does) and every public output of every published year is scanned."""
import csv
import io
import json
import re
from datetime import date
from types import SimpleNamespace

import openpyxl
import pytest
from pypdf import PdfReader
from sqlalchemy import select

from demo.cli import seed_demo_command
from honours.core.db import db
from honours.core.reference import ETHNICITIES, MAJORITY_ETHNICITY
from honours.nominations import states
from honours.nominations.models import Dossier
from honours.publication import services

SENSITIVE_KEYS = {"gender", "birth_year", "date_of_birth", "ethnicity", "age", "male", "female"}
SENSITIVE_HEADERS = {"Giới tính", "Năm sinh", "Ngày sinh", "Dân tộc", "Tuổi", "Gender", "Year of birth", "Ethnicity"}
GENDER_VALUES = {"Nam", "Nữ", "male", "female", "Male", "Female"}


@pytest.fixture(scope="module")
def demo(module_app):
    result = module_app.test_cli_runner().invoke(seed_demo_command, args=[])
    assert result.exit_code == 0, result.output + repr(result.exception)
    with module_app.app_context():
        people = db.session.execute(select(Dossier.id, Dossier.full_name, Dossier.date_of_birth, Dossier.ethnicity)
                                    .where(Dossier.state == states.PUBLISHED)).all()
        years = services.published_years()
    assert people and years
    assert any(p.ethnicity != MAJORITY_ETHNICITY for p in people), "the demo should publish a minority honouree"
    return {"people": people, "years": years}


@pytest.fixture
def app(module_app, db_savepoint):
    return module_app


def _birth_marks(person) -> set[str]:
    born = person.date_of_birth
    return {str(born.year), born.strftime("%d/%m/%Y"), born.isoformat()}


def assert_no_sensitive_cells(header: list, rows: list[list], people, where: str) -> None:
    """A table (CSV/XLSX): no sensitive column, and no cell holding a gender, an ethnicity or a birth mark."""
    assert not SENSITIVE_HEADERS & {str(h) for h in header}, f"{where}: {header}"
    marks = set().union(*(_birth_marks(p) for p in people))
    for row in rows:
        for cell in row:
            value = "" if cell is None else str(cell).strip()
            assert value not in GENDER_VALUES, f"{where}: gender {value!r} in {row}"
            assert value not in ETHNICITIES, f"{where}: ethnicity {value!r} in {row}"
            assert value not in marks, f"{where}: birth {value!r} in {row}"


def assert_no_sensitive_text(text: str, people, where: str) -> None:
    """A page or a PDF: no sensitive label, no birth mark, no gender or ethnicity standing as a field value."""
    for label in SENSITIVE_HEADERS:
        assert label not in text, f"{where} shows the label {label!r}"
    for person in people:
        for mark in _birth_marks(person):
            assert not re.search(rf"(?<!\d){re.escape(mark)}(?!\d)", text), f"{where} shows {person.full_name}'s {mark}"
    # A value standing alone in an element (HTML) or on a line (PDF text): `>Nữ<`, `<td>Tày</td>`, "Nam\n".
    for value in (*GENDER_VALUES, *ETHNICITIES):
        pattern = rf"(>\s*{re.escape(value)}\s*<)|(^\s*{re.escape(value)}\s*$)"
        assert not re.search(pattern, text, re.MULTILINE), f"{where} shows {value!r} as a value"


def test_no_public_export_carries_gender_ethnicity_or_birth(app, demo):
    client = app.test_client()
    people = demo["people"]
    for year in demo["years"]:
        document = client.get(f"/vinh-danh/{year}.json")
        assert document.status_code == 200
        data = json.loads(document.data)
        assert data["format_version"] == 2 and data["honourees"]
        for honouree in data["honourees"]:
            assert not SENSITIVE_KEYS & set(honouree), honouree
            flat = [v for v in honouree.values() if isinstance(v, str | int)]
            assert_no_sensitive_cells([], [flat], people, f"{year}.json")

        text = client.get(f"/vinh-danh/{year}.csv").data.decode("utf-8-sig")
        table = list(csv.reader(io.StringIO(text)))
        assert len(table) == len(data["honourees"]) + 1
        assert_no_sensitive_cells(table[0], table[1:], people, f"{year}.csv")

        sheet = openpyxl.load_workbook(io.BytesIO(client.get(f"/vinh-danh/{year}.xlsx").data)).active
        table = [[cell.value for cell in row] for row in sheet.iter_rows()]
        assert len(table) == len(data["honourees"]) + 2  # the title row, the header row, one row per honouree
        assert_no_sensitive_cells(table[1], [table[0], *table[2:]], people, f"{year}.xlsx")

        pdf = client.get(f"/vinh-danh/{year}.pdf")
        text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
        assert data["honourees"][0]["full_name"] in text
        assert_no_sensitive_text(text, people, f"{year}.pdf")


def test_no_public_page_carries_gender_ethnicity_or_birth(app, demo):
    client = app.test_client()
    people = demo["people"]
    pages = ["/vinh-danh", "/sitemap.xml", "/"]
    for year in demo["years"]:
        pages.append(f"/vinh-danh/{year}")
        data = json.loads(client.get(f"/vinh-danh/{year}.json").data)
        pages += [h["url"].split("://", 1)[-1].split("/", 1)[-1] for h in data["honourees"]]
    pages += [f"/vinh-danh?q={p.full_name.split()[-1]}" for p in people]
    seen = 0
    for page in pages:
        response = client.get(page if page.startswith("/") else "/" + page)
        assert response.status_code == 200, page
        html = response.get_data(as_text=True)
        assert_no_sensitive_text(html, people, page)
        seen += any(p.full_name in html for p in people)
    assert seen > len(people)  # the scan did read the honourees' pages and the lists


def test_the_scan_catches_a_leak():
    """The checks themselves fail on what used to be published."""
    person = SimpleNamespace(full_name="A", date_of_birth=date(1971, 3, 2))
    for header, rows in ((["Giới tính"], []), ([], [["Nữ"]]), ([], [["Tày"]]), ([], [[1971]])):
        with pytest.raises(AssertionError):
            assert_no_sensitive_cells(header, rows, [person], "t")
    for text in ("<td>Nam</td>", "<dd> Sán Dìu </dd>", "sinh 1971.", "Năm sinh"):
        with pytest.raises(AssertionError):
            assert_no_sensitive_text(text, [person], "t")
