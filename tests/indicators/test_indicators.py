"""Indicators against a hand-counted fixture: per round and per year, the 40% target (exactly at it and just
below), the under-45 boundary, referrals and engagements by year, the reports, and bounded query counts.

The fixture (time frozen at 2026-06-15; "young" in 2026 = born on or after 01/01/1982):

round A, 2026, published          gender  ethnicity  born        overseas  field              organisation
  1 published                     female  Kinh       1980-05-01            Khoa học tự nhiên  university
  2 published                     male    Tày        1982-12-31            Khoa học tự nhiên  university
  3 published                     male    Kinh       1981-12-31  yes       Khoa học tự nhiên  enterprise
  4 published                     female  Nùng       1990-01-01            Y dược             enterprise
  5 published                     male    Kinh       1970-01-01            Y dược             university
  6 not_approved                  female  Kinh       1985-03-03            Y dược             university
  7 eligible                      male    Kinh       1982-01-01  yes       Khoa học tự nhiên  enterprise
  8 ineligible                    female  Thái       1975-01-01            Khoa học tự nhiên  university
  9 returned                      male    Kinh       1960-01-01            Y dược             enterprise
 10 submitted                     male    Kinh       1965-01-01            Khoa học tự nhiên  university
 11 draft (never counted)         female  Mường      1995-01-01            Khoa học tự nhiên  university
round B, 2026, not published
 12 approved                      female  Kinh       1979-01-01            Khoa học tự nhiên  university
 13 published (list not out)     male    Kinh       1979-01-01            Y dược             enterprise
 14 submitted                     male    Kinh       2000-01-01            Giáo dục           enterprise
round C, 2025, published: 15 published female Hoa 1990; a 2026 talent-referral round: 16 submitted (not honours)

Round A: nominees 10, women 4 (40.0%, meets), minorities 3 (30.0%), women or minorities 5 (50.0%),
under 45: 2, 4, 6, 7 = 4, overseas 3, 7 = 2; eligible 1-7 = 7; honourees 1-5: women 2/5 = 40.0% (meets),
minorities 2/5, women or minorities 1, 2, 4 = 3/5 = 60.0%, under 45: 2, 4 = 2 (3 turns 45 on 31/12), overseas 1.
Year 2026: nominees 13, women 5/13 = 38.5% (just below), minorities 3/13 = 23.1%, women or minorities 6/13 = 46.2%;
eligible 9; honoured 5 (13 is not: its round's list is not published).
"""
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from honours.core import clock, roles
from honours.core.db import db
from honours.core.text import fold
from honours.indicators import services
from honours.indicators.services import Share
from honours.nominations import states
from honours.talent.models import NeedMatch, Referral, TalentNeed
from tests.conftest import login
from tests.core.test_query_counts import count_queries
from tests.factories import make_dossier, make_org, make_person, make_pool_entry, make_round, make_user

KHTN, YD, GD = "Khoa học tự nhiên", "Y dược", "Giáo dục"

ROUND_A = [
    (states.PUBLISHED, "female", "Kinh", date(1980, 5, 1), False, KHTN, "university"),
    (states.PUBLISHED, "male", "Tày", date(1982, 12, 31), False, KHTN, "university"),
    (states.PUBLISHED, "male", "Kinh", date(1981, 12, 31), True, KHTN, "enterprise"),
    (states.PUBLISHED, "female", "Nùng", date(1990, 1, 1), False, YD, "enterprise"),
    (states.PUBLISHED, "male", "Kinh", date(1970, 1, 1), False, YD, "university"),
    (states.NOT_APPROVED, "female", "Kinh", date(1985, 3, 3), False, YD, "university"),
    (states.ELIGIBLE, "male", "Kinh", date(1982, 1, 1), True, KHTN, "enterprise"),
    (states.INELIGIBLE, "female", "Thái", date(1975, 1, 1), False, KHTN, "university"),
    (states.RETURNED, "male", "Kinh", date(1960, 1, 1), False, YD, "enterprise"),
    (states.SUBMITTED, "male", "Kinh", date(1965, 1, 1), False, KHTN, "university"),
    (states.DRAFT, "female", "Mường", date(1995, 1, 1), False, KHTN, "university"),
]
ROUND_B = [
    (states.APPROVED, "female", "Kinh", date(1979, 1, 1), False, KHTN, "university"),
    (states.PUBLISHED, "male", "Kinh", date(1979, 1, 1), False, YD, "enterprise"),
    (states.SUBMITTED, "male", "Kinh", date(2000, 1, 1), False, GD, "enterprise"),
]


def add_dossiers(round_, rows, orgs, nominator, prefix):
    fields = {f.name: f.id for f in round_.fields}
    for i, (state, gender, ethnicity, born, overseas, field, org_type) in enumerate(rows):
        make_dossier(round_, orgs[org_type], nominator, state=state, full_name=f"{prefix} Người Số {i + 1}",
                     date_of_birth=born, gender=gender, ethnicity=ethnicity, is_overseas=overseas,
                     field_id=fields[field], with_attachment=False)


def add_referral(org, user, name, state, submitted_at=None, screened_at=None, overseas=False):
    referral = Referral(organisation_id=org.id, state=state, full_name=name, name_folded=fold(name), gender="male",
                        date_of_birth=date(1985, 1, 1), ethnicity="Kinh", is_overseas=overseas, field=KHTN,
                        submitted_at=submitted_at, screened_at=screened_at, created_by_id=user.id)
    db.session.add(referral)
    return referral


def add_engagements(org, user, outcomes):
    """outcomes: (person index, need index, outcome, outcome_at)."""
    people = []
    for i in range(2):
        person = make_person(f"Chuyên Gia {i}", date_of_birth=date(1980, 1, 1))
        people.append(make_pool_entry(person, user, field=KHTN, next_review_on=date(2027, 1, 1)))
    needs = [TalentNeed(organisation_id=org.id, title=f"Nhiệm vụ {i}", field=KHTN, deadline=date(2026, 12, 31),
                        posted_by_id=user.id) for i in range(2)]
    db.session.add_all(needs)
    db.session.flush()
    for person, need, outcome, at in outcomes:
        db.session.add(NeedMatch(need_id=needs[need].id, entry_id=people[person].id, outcome=outcome, outcome_at=at,
                                 created_by_id=user.id))


@pytest.fixture
def fixture(app):
    orgs = {"university": make_org("Trường Đại học Thử", "university"),
            "enterprise": make_org("Doanh nghiệp Thử", "enterprise")}
    nominator = make_user(roles.NOMINATOR, orgs["university"])
    round_a = make_round(name="Đợt A 2026", published_at=clock.now())
    round_b = make_round(name="Đợt B 2026")
    round_c = make_round(name="Đợt 2025", published_at=datetime(2025, 12, 1))
    round_c.year = 2025
    other_programme = make_round(name="Tiến cử 2026")
    other_programme.programme = "talent_referral"
    db.session.commit()
    add_dossiers(round_a, ROUND_A, orgs, nominator, "A")
    add_dossiers(round_b, ROUND_B, orgs, nominator, "B")
    add_dossiers(round_c, [(states.PUBLISHED, "female", "Hoa", date(1990, 1, 1), False, KHTN, "university")], orgs,
                 nominator, "C")
    add_dossiers(other_programme, [(states.SUBMITTED, "female", "Tày", date(1990, 1, 1), True, KHTN,
                                    "university")], orgs, nominator, "D")

    org, user = orgs["university"], nominator
    add_referral(org, user, "Tiến Cử Một", "submitted", datetime(2026, 3, 1), overseas=True)
    add_referral(org, user, "Tiến Cử Hai", "accepted", datetime(2026, 2, 1), datetime(2026, 4, 1))
    add_referral(org, user, "Tiến Cử Ba", "declined", datetime(2025, 11, 1), datetime(2026, 1, 10))
    add_referral(org, user, "Tiến Cử Bốn", "accepted", datetime(2026, 5, 1), datetime(2026, 5, 20), overseas=True)
    add_referral(org, user, "Tiến Cử Nháp", "draft")
    add_referral(org, user, "Tiến Cử Sáu", "accepted", datetime(2025, 6, 1), datetime(2025, 7, 1))
    add_engagements(org, user, [(0, 0, "engaged", datetime(2026, 4, 2)), (0, 1, "engaged", datetime(2026, 5, 3)),
                                (1, 0, "contacted", datetime(2026, 5, 4)),
                                (1, 1, "engaged", datetime(2025, 12, 31, 23, 0))])
    db.session.commit()
    return {"a": round_a, "b": round_b, "c": round_c}


def profile(p):
    return (p.total, p.women, p.minorities, p.women_or_minorities, p.young, p.overseas)


def by(groups):
    return {g.label: (g.counts.nominees.total, g.counts.eligible.total, g.counts.honourees.total) for g in groups}


# ---------------------------------------------------------------- shares

def test_share_percentages_and_the_target():
    assert Share(2, 5, 40).percent == Decimal("40.0") and Share(2, 5, 40).meets_target is True
    assert Share(5, 13, 40).percent == Decimal("38.5") and Share(5, 13, 40).meets_target is False
    assert Share(399, 1000, 40).percent == Decimal("39.9") and Share(399, 1000, 40).meets_target is False
    # Rounded to 40.0% but below the minimum: the target is judged on the exact share.
    assert Share(3996, 10000, 40).percent == Decimal("40.0") and Share(3996, 10000, 40).meets_target is False
    assert Share(1, 6).percent == Decimal("16.7") and Share(1, 6).meets_target is None  # no target
    assert Share(0, 0, 40).percent is None and Share(0, 0, 40).meets_target is None


def test_young_means_under_45_on_31_december():
    assert services.young_born_from(2026) == date(1982, 1, 1)


# ---------------------------------------------------------------- per round

def test_round_indicators_match_the_hand_count(fixture):
    result = services.round_indicators(fixture["a"])
    assert profile(result.total.nominees) == (10, 4, 3, 5, 4, 2)
    assert result.total.eligible.total == 7
    assert profile(result.total.honourees) == (5, 2, 2, 3, 2, 1)

    nominees, honourees = result.total.nominees, result.total.honourees
    assert (nominees.women_share.percent, nominees.women_share.meets_target) == (Decimal("40.0"), True)
    assert (nominees.minorities_share.percent, nominees.minorities_share.meets_target) == (Decimal("30.0"), False)
    assert nominees.women_or_minorities_share.percent == Decimal("50.0")
    assert nominees.young_share.percent == Decimal("40.0") and nominees.young_share.meets_target is None
    assert (honourees.women_share.percent, honourees.women_share.meets_target) == (Decimal("40.0"), True)
    assert (honourees.minorities_share.percent, honourees.minorities_share.meets_target) == (Decimal("40.0"), True)
    assert honourees.women_or_minorities_share.percent == Decimal("60.0")
    assert honourees.overseas_share.percent == Decimal("20.0")

    assert by(result.by_field) == {KHTN: (6, 4, 3), YD: (4, 3, 2), GD: (0, 0, 0)}
    assert [g.quota for g in result.by_field] == [3, 2, 2]
    types = by(result.by_org_type)
    assert (types["Trường đại học"], types["Doanh nghiệp"], types["Hội"]) == ((6, 4, 3), (4, 3, 2), (0, 0, 0))


def test_an_unpublished_round_honours_nobody(fixture):
    result = services.round_indicators(fixture["b"])
    assert (result.total.nominees.total, result.total.eligible.total, result.total.honourees.total) == (3, 2, 0)
    women = result.total.honourees.women_share
    assert (women.total, women.percent, women.meets_target) == (0, None, None)
    assert result.unpublished_rounds == [fixture["b"]]


# ---------------------------------------------------------------- per year

def test_year_indicators_add_up_the_honours_rounds_of_the_year(fixture):
    result = services.year_indicators(2026)
    assert [r.name for r in result.rounds] == ["Đợt A 2026", "Đợt B 2026"]  # not 2025, not the referral round
    assert profile(result.total.nominees) == (13, 5, 3, 6, 5, 2)
    assert (result.total.nominees.women_share.percent, result.total.nominees.women_share.meets_target) == \
        (Decimal("38.5"), False)  # just below the minimum
    assert result.total.nominees.minorities_share.percent == Decimal("23.1")
    assert result.total.nominees.women_or_minorities_share.percent == Decimal("46.2")
    assert result.total.eligible.total == 9
    assert profile(result.total.honourees) == (5, 2, 2, 3, 2, 1)
    assert by(result.by_round) == {"Đợt A 2026": (10, 7, 5), "Đợt B 2026": (3, 2, 0)}
    assert by(result.by_field) == {KHTN: (7, 5, 3), YD: (5, 4, 2), GD: (1, 0, 0)}
    assert [g.quota for g in result.by_field] == [6, 4, 4]  # the fields of both rounds, quotas added
    types = by(result.by_org_type)
    assert (types["Trường đại học"], types["Doanh nghiệp"]) == ((7, 5, 3), (6, 4, 2))

    last_year = services.year_indicators(2025)
    assert profile(last_year.total.honourees) == (1, 1, 1, 1, 1, 0)
    assert last_year.total.honourees.women_share.meets_target is True


def test_referrals_and_engagements_count_by_year(fixture):
    this_year = services.talent_indicators(2026)
    assert (this_year.received, this_year.received_overseas) == (3, 2)
    assert (this_year.screened, this_year.accepted, this_year.declined) == (3, 2, 1)
    assert (this_year.engagements, this_year.engaged_people) == (2, 1)
    last_year = services.talent_indicators(2025)
    assert (last_year.received, last_year.screened, last_year.accepted, last_year.declined) == (2, 1, 1, 0)
    assert (last_year.engagements, last_year.engaged_people) == (1, 1)


def test_years_and_the_default_year(fixture):
    assert services.available_years() == [2026, 2025]
    data = services.dashboard()
    assert data.year == 2026 and data.honours.round is None and data.honours.total.nominees.total == 13
    data = services.dashboard(2026, fixture["a"].id)
    assert data.honours.round == fixture["a"] and data.honours.total.nominees.total == 10
    assert data.talent.received == 3  # referrals are counted for the whole year
    data = services.dashboard(2026, fixture["c"].id)  # a round of another year: ignored
    assert data.ignored_round and data.honours.round is None
    data = services.dashboard(1999)
    assert data.ignored_year == 1999 and data.year == 2026


def test_empty_database_shows_the_current_year(app):
    data = services.dashboard()
    assert data.year == 2026 and data.years == [2026]
    assert data.honours.total.nominees.total == 0 and data.honours.total.nominees.women_share.percent is None


# ---------------------------------------------------------------- the page and the reports

def secretary_client(app):
    client = app.test_client()
    login(client, make_user(roles.SECRETARIAT))
    return client


def test_dashboard_page_shows_the_tables_charts_and_definitions(app, fixture):
    client = secretary_client(app)
    html = client.get("/chi-so/").get_data(as_text=True)
    assert "38,5%" in html and "Chưa đạt" in html  # 5 women of 13 nominees: shown
    assert "40,0%" not in html and "&lt; 5" in html  # 2 women of 5 honourees: a small cell
    assert 'id="figure-nominations">13<' in html and 'id="figure-honoured">5<' in html
    assert html.count("data-chart='") == 4 and "vendor/chartjs/chart.umd.min.js" in html
    assert "sinh từ ngày 01/01/1982 trở đi" in html
    assert "Báo cáo trước ngày 10/12/2026" in html
    assert 'style="' not in html and "<script>" not in html

    html = client.get(f"/chi-so/?year=2026&round_id={fixture['b'].id}").get_data(as_text=True)
    assert 'id="figure-nominations">3<' in html and 'id="figure-honoured">0<' in html
    assert "—" in html  # honourees' shares have no denominator

    html = client.get("/chi-so/?year=2025").get_data(as_text=True)
    assert 'id="figure-nominations">1<' in html

    response = client.get("/chi-so/?year=abc&round_id=xyz")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Không có số liệu của năm được chọn; đang hiển thị năm 2026." in html
    assert "Đợt xét được chọn không thuộc năm 2026" in html


def test_chart_only_on_the_dashboard(app, fixture):
    client = secretary_client(app)
    assert "chart.umd.min.js" not in client.get("/rounds/").get_data(as_text=True)
    assert client.get("/static/vendor/chartjs/chart.umd.min.js").status_code == 200
    assert client.get("/static/js/indicators.js").status_code == 200


def test_excel_report_has_one_sheet_per_table(app, fixture):
    response = secretary_client(app).get("/chi-so/bao-cao/2026.xlsx")
    assert response.status_code == 200
    assert 'filename="bao-cao-chi-so-2026.xlsx"' in response.headers["Content-Disposition"]
    book = load_workbook(BytesIO(response.data))
    assert book.sheetnames == ["Thông tin báo cáo", "Theo đợt xét", "Theo lĩnh vực", "Theo loại đơn vị", "Hòa nhập",
                               "Tiến cử người tài"]
    about = [row[0] for row in book["Thông tin báo cáo"].iter_rows(values_only=True)]
    assert any("năm 2026" in (line or "") for line in about)
    assert "Báo cáo trước ngày 10/12/2026" in about

    rounds = list(book["Theo đợt xét"].iter_rows(values_only=True))
    assert rounds[0][0].startswith("Báo cáo bộ chỉ số") and "năm 2026 — Xuất lúc " in rounds[0][0]
    assert rounds[2][:4] == ("Đợt A 2026", 10, 7, 5) and rounds[-1][:4] == ("Tổng cộng", 13, 9, 5)
    fields = list(book["Theo lĩnh vực"].iter_rows(values_only=True))
    assert fields[2:] == [(KHTN, 6, 7, 5, 3), (YD, 4, 5, 4, 2), (GD, 4, 1, 0, 0), ("Tổng cộng", 14, 13, 9, 5)]
    inclusion = list(book["Hòa nhập"].iter_rows(values_only=True))
    assert inclusion[1] == ("Chỉ số", "Đối tượng", "Số người", "Mẫu số", "Tỷ lệ", "Mục tiêu", "Đánh giá")
    assert inclusion[2] == ("Nữ", "Người được đề cử", 5, 13, 0.385, 0.4, "Chưa đạt")
    assert inclusion[7] == ("Nữ", "Người được tôn vinh", "< 5", 5, "< 5", 0.4, "—")
    assert book["Hòa nhập"]["E3"].number_format == book["Hòa nhập"]["F3"].number_format == "0.0%"
    assert book["Hòa nhập"]["C3"].number_format == "0"
    talent = dict(list(book["Tiến cử người tài"].iter_rows(values_only=True))[2:])
    assert talent["Phiếu tiến cử nhận trong năm"] == 3 and talent["Lượt tham gia nhiệm vụ, đặt hàng"] == 2


def test_excel_report_is_titled_frozen_bold_and_prints_landscape(app, fixture):
    with clock.frozen(datetime(2026, 11, 20, 9, 30)):
        book = load_workbook(BytesIO(secretary_client(app).get("/chi-so/bao-cao/2026.xlsx").data))
    assert "năm 2026" in book.properties.title and book.properties.created == datetime(2026, 11, 20, 2, 30)
    sheet = book["Hòa nhập"]
    assert sheet["A1"].value.endswith("Xuất lúc 20/11/2026 09:30")
    assert sheet["A2"].font.b and sheet.freeze_panes == "B3" and sheet.print_title_rows == "$2:$2"
    assert sheet.page_setup.orientation == "landscape" and sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert isinstance(sheet["E3"].value, float) and isinstance(sheet["D3"].value, int)


def test_excel_report_shows_a_dash_without_denominator(app):
    make_round(name="Đợt chưa có hồ sơ")
    response = secretary_client(app).get("/chi-so/bao-cao/2026.xlsx")
    inclusion = list(load_workbook(BytesIO(response.data))["Hòa nhập"].iter_rows(values_only=True))
    assert inclusion[2] == ("Nữ", "Người được đề cử", 0, 0, "—", 0.4, "—")


def test_excel_report_keeps_typed_names_as_text(app):
    make_round(name="=HYPERLINK(\"http://evil.example\")")
    response = secretary_client(app).get("/chi-so/bao-cao/2026.xlsx")
    cell = load_workbook(BytesIO(response.data))["Theo đợt xét"]["A3"]
    assert cell.value.startswith("=HYPERLINK") and cell.data_type == "s"


def test_pdf_report_contains_the_year_and_key_numbers(app, fixture):
    response = secretary_client(app).get("/chi-so/bao-cao/2026.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(BytesIO(response.data)).pages)
    assert "năm 2026" in text and "Báo cáo trước ngày 10/12/2026" in text
    assert "Đợt A 2026 10 7 5" in text and "Tổng cộng 13 9 5" in text
    assert "38,5%" in text and "Chưa đạt" in text and "40,0%" not in text and "Nữ Người được tôn vinh < 5 5 < 5" in text
    assert "01/01/1982" in text


def test_report_of_a_year_without_data_is_not_found(app, fixture):
    client = secretary_client(app)
    assert client.get("/chi-so/bao-cao/2031.xlsx").status_code == 404
    assert client.get("/chi-so/bao-cao/2031.pdf").status_code == 404


def test_only_the_secretariat(app, fixture):
    for role in (roles.ADMIN, roles.COUNCIL, roles.NOMINATOR):
        client = app.test_client()
        login(client, make_user(role, make_org() if role == roles.NOMINATOR else None))
        for url in ("/chi-so/", "/chi-so/bao-cao/2026.xlsx", "/chi-so/bao-cao/2026.pdf"):
            assert client.get(url).status_code == 403, (role, url)
    assert "/login" in app.test_client().get("/chi-so/").headers["Location"]


# ---------------------------------------------------------------- bounded queries

def grow(size: int):
    """size more dossiers (across organisations, fields and states), referrals and engagements, in 2026."""
    round_ = make_round(name=f"Đợt lớn {size}", published_at=clock.now())
    orgs = [make_org(f"Đơn vị {size}-{i}", ("university", "enterprise", "association")[i % 3]) for i in range(5)]
    nominator = make_user(roles.NOMINATOR, orgs[0])
    choices = [states.SUBMITTED, states.ELIGIBLE, states.PUBLISHED, states.NOT_APPROVED]
    for i in range(size):
        make_dossier(round_, orgs[i % 5], nominator, state=choices[i % 4], full_name=f"Người Thử {size} {i}",
                     gender=("male", "female")[i % 2], ethnicity=("Kinh", "Tày", "Nùng")[i % 3],
                     field_id=round_.fields[i % 3].id, with_attachment=False)
        add_referral(orgs[i % 5], nominator, f"Tiến Cử {size} {i}", "accepted", datetime(2026, 2, 1),
                     datetime(2026, 3, 1))
    add_engagements(orgs[0], nominator, [(0, 0, "engaged", datetime(2026, 4, 2))])
    db.session.commit()


def test_query_count_does_not_grow_with_the_data(app):
    client = secretary_client(app)
    grow(3)
    db.session.expire_all()
    for url in ("/chi-so/", "/chi-so/bao-cao/2026.xlsx", "/chi-so/bao-cao/2026.pdf"):
        client.get(url)
    small = {}
    for url in ("/chi-so/", "/chi-so/bao-cao/2026.xlsx", "/chi-so/bao-cao/2026.pdf"):
        with count_queries() as statements:
            assert client.get(url).status_code == 200
        small[url] = len(statements)
    grow(40)
    for url, expected in small.items():
        with count_queries() as statements:
            assert client.get(url).status_code == 200
        assert len(statements) == expected, url
    with count_queries() as statements:
        services.dashboard(2026)
    assert len(statements) <= 8
