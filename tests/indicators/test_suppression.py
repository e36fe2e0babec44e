"""Small-cell suppression (issue 13): gender, ethnicity and age are shown in aggregates only, and a count or share
based on fewer than 5 people reads "< 5" — on the dashboard (table and chart JSON) and in the Excel and PDF reports.
4 women → "< 5"; 5 women → 5 and the percentage. Totals stay."""
import html as html_lib
import json
import re
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from honours.core import roles
from honours.indicators import charts, services, tables
from honours.indicators.services import SMALL_CELL, Share, is_small_cell
from honours.nominations import states
from tests.factories import make_dossier, make_org, make_round, make_user
from tests.indicators.test_indicators import secretary_client


def test_the_rule():
    assert SMALL_CELL == 5
    assert [is_small_cell(n, 20) for n in range(7)] == [False, True, True, True, True, False, False]
    assert is_small_cell(0, 4) and is_small_cell(4, 4) and not is_small_cell(0, 0) and not is_small_cell(5, 5)
    assert tables._share_row("Nữ", "x", Share(4, 10, 40))[2:] == [tables.SMALL, tables.number(10), tables.SMALL,
                                                                  tables.Cell(40, "target"), tables.Cell(None, "verdict")]
    row = tables._share_row("Nữ", "x", Share(5, 10, 40))
    assert [c.value for c in row[2:5]] == [5, 10, Decimal("50.0")] and row[6].value is True
    assert tables.SMALL.text == tables.SMALL.excel == "< 5" and tables.SMALL.value is None


def world(women: int, men: int, minorities: int):
    """`women` women and `men` men nominated (submitted), the first `minorities` women of the Tày people."""
    org = make_org("Trường Đại học Thử", "university")
    nominator = make_user(roles.NOMINATOR, org)
    round_ = make_round(name="Đợt thử 2026")
    field_id = round_.fields[0].id
    for i in range(women + men):
        make_dossier(round_, org, nominator, state=states.SUBMITTED, full_name=f"Người Số {i + 1}",
                     gender="female" if i < women else "male", ethnicity="Tày" if i < minorities else "Kinh",
                     date_of_birth=date(1970, 1, 1), is_overseas=False, field_id=field_id, with_attachment=False)
    return round_


def inclusion_rows(client) -> dict[str, tuple]:
    book = load_workbook(BytesIO(client.get("/chi-so/bao-cao/2026.xlsx").data))
    return {(row[0], row[1]): row for row in book["Hòa nhập"].iter_rows(min_row=3, values_only=True)}


def chart_of(page: str, key: str) -> dict:
    match = re.search(rf"id=\"chart-{key}\" data-chart='([^']*)'", page)
    return json.loads(html_lib.unescape(match.group(1)))


@pytest.mark.parametrize(("women", "shown"), [(4, False), (5, True)])
def test_dashboard_and_reports_suppress_fewer_than_five(app, women, shown):
    world(women=women, men=10 - women, minorities=0)
    client = secretary_client(app)
    nominees = "Người được đề cử"
    page = client.get("/chi-so/").get_data(as_text=True)
    table = page[page.index('id="table-inclusion"'):]
    table = table[:table.index("</table>")]
    women_row = next(r for r in table.split("<tr>") if r.startswith("<th scope=\"row\">Nữ</th><td>" + nominees))
    percent = f"{women * 10},0%"
    if shown:
        assert f'<td class="number">{women}</td><td class="number">10</td><td class="number">{percent}</td>' in women_row
    else:
        assert '<td class="number">&lt; 5</td><td class="number">10</td><td class="number">&lt; 5</td>' in women_row
        assert percent not in women_row and "Đạt" not in women_row
    chart = chart_of(page, "inclusion")
    assert chart["series"][0]["data"][0] == (women * 10.0 if shown else None)  # nothing leaks through the JSON

    row = inclusion_rows(client)[("Nữ", nominees)]
    assert row[2:5] == ((women, 10, women / 10) if shown else ("< 5", 10, "< 5"))
    assert row[3] == 10  # the population stays

    pdf = client.get("/chi-so/bao-cao/2026.pdf")
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(BytesIO(pdf.data)).pages)
    assert f"Nữ {nominees} {women} 10 {percent}" in text if shown else f"Nữ {nominees} < 5 10 < 5" in text
    assert "Tổng cộng 10" in text  # totals stay


def test_minorities_and_both_are_suppressed_each(app):
    """9 women of 10 (shown), 3 of them Tày: minorities "< 5"; women or minorities still 9 (shown)."""
    world(women=9, men=1, minorities=3)
    rows = inclusion_rows(secretary_client(app))
    assert rows[("Nữ", "Người được đề cử")][2] == 9
    assert rows[("Người dân tộc thiểu số", "Người được đề cử")][2:5] == ("< 5", 10, "< 5")
    assert rows[("Nữ hoặc dân tộc thiểu số (mỗi người tính một lần)", "Người được đề cử")][2] == 9
    assert rows[("Dưới 45 tuổi", "Người được đề cử")][2:5] == (0, 10, 0.0)  # nobody: nothing to protect
    # Honourees: nobody yet, so no share at all ("—"), not a small cell.
    assert rows[("Nữ", "Người được tôn vinh")][2:5] == (0, 0, "—")


def test_chart_data_carries_no_suppressed_value():
    profile = services.Profile(total=10, women=4, minorities=5, women_or_minorities=7)
    honours = type("H", (), {"total": type("C", (), {"nominees": profile, "honourees": services.Profile()})()})()
    data = charts.inclusion_chart(honours)["series"][0]["data"]
    assert data == [None, 50.0, 70.0]
