"""Acceptance tests of "Reviewer scoring, council decision and publication of the honoured list": one whole round,
from nomination to the published list, driven once through the service layer and once over HTTP (the test client
as each role, posting the forms the pages actually serve).

The round (make_round): fields "Khoa học tự nhiên" (quota 3), "Y dược" (2), "Giáo dục" (2); criteria max 10 points,
weights 50 / 30 / 20; 5 reviewers per dossier (so the trimmed mean applies), deviation flag 20 per cent, minimum
score 60, quorum two thirds of the council, approval by more than half of the members present.

Council (6 members, creation order = user id order, which auto-assignment uses to break ties):
    M1 Đinh Quang Chủ (chair), M2 Bùi Thị Hạnh, M3 Cao Văn Khải, M4 Dương Thị Lan, M5 Hà Văn Minh,
    M6 Kiều Thị Ngọc — works at organisation A, so never a reviewer of A's dossiers.
Dossiers:
    An    (organisation A, Khoa học tự nhiên) -> approved, custom citation
    Bình  (organisation B, Khoa học tự nhiên) -> fails the vote threshold (2 of 5 present)
    Cường (organisation A, Y dược)            -> approved, citation suggested from the merits summary
    Loại  (organisation C, Giáo dục)          -> ineligible at the eligibility check
"""
import csv
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from html import unescape
from html.parser import HTMLParser

import openpyxl
import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from honours.core import clock, roles
from honours.core.audit import AuditEntry
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.core.outbox.models import OutboxMessage
from honours.council import services as council_services
from honours.council.models import CLOSED, CONFIRMED, Ballot, BallotChoice, BallotReceipt, CouncilSession
from honours.documents.services import minutes_pdf
from honours.nominations import services as nominations
from honours.nominations import states
from honours.nominations.models import Dossier
from honours.publication import services as publication
from honours.publication.services import CitationEdit
from honours.reviews import results
from honours.reviews import services as reviews
from honours.reviews.models import ReviewAssignment
from honours.reviews.services import SheetInput
from tests.conftest import NOW, login
from tests.factories import PDF, make_org, make_round, make_user

D = Decimal

# ---------------------------------------------------------------- the time line (make_round is relative to NOW)
# Nominations 16/05 – 15/07/2026 09:00, review closes 14/08/2026 09:00, council meets 24/08/2026.
NOMINATING = NOW                                   # 15/06/2026 09:00
CHECKING = NOW + timedelta(days=2)                 # the secretariat's eligibility check
REVIEWING = datetime(2026, 7, 20, 9, 0)            # after nominations close, before the review deadline
MEETING = datetime(2026, 8, 24, 8, 30)             # the council date
RECORDING = datetime(2026, 8, 27, 14, 0)           # the provincial decision is recorded
DECISION_DATE = date(2026, 8, 26)
PUBLISHING = datetime(2026, 8, 28, 10, 0)

COUNCIL = ["Đinh Quang Chủ", "Bùi Thị Hạnh", "Cao Văn Khải", "Dương Thị Lan", "Hà Văn Minh", "Kiều Thị Ngọc"]
CHAIR, AFFILIATED = 0, 5
SCIENCE, MEDICINE, EDUCATION = 0, 1, 2

NOMINEES = {
    "an": dict(org="a", field=SCIENCE, full_name="Nguyễn Văn An", gender="male", date_of_birth=date(1970, 4, 12),
               ethnicity="Kinh", hometown="Xã Đông Thọ, huyện Yên Phong", workplace="Viện Hoá học Bắc Ninh",
               position="Viện trưởng", academic_title="PGS", degree="TS", email="an.rieng@example.vn",
               phone="0912 111 222",
               merits_summary="Chủ nhiệm 3 đề tài cấp tỉnh về vật liệu xanh; 24 bài báo quốc tế; 2 bằng độc quyền "
                              "sáng chế được chuyển giao cho doanh nghiệp của tỉnh."),
    "binh": dict(org="b", field=SCIENCE, full_name="Trần Thị Bình", gender="female", date_of_birth=date(1975, 8, 23),
                 ethnicity="Tày", hometown="Phường Vệ An, thành phố Bắc Ninh", workplace="Trường Đại học Kinh Bắc",
                 position="Trưởng khoa", academic_title="", degree="TS", email="binh.rieng@example.vn",
                 phone="0987 333 444", merits_summary="Giảng viên có nhiều bài báo về toán ứng dụng."),
    "cuong": dict(org="a", field=MEDICINE, full_name="Lê Văn Cường", gender="male", date_of_birth=date(1968, 1, 30),
                  ethnicity="Kinh", hometown="Xã Tam Sơn, thị xã Từ Sơn", workplace="Bệnh viện Đa khoa tỉnh Bắc Ninh",
                  position="Phó Giám đốc", academic_title="", degree="TS", email="cuong.rieng@example.vn",
                  phone="0903 555 666",
                  merits_summary="Người đầu tiên thực hiện phẫu thuật nội soi tim tại tỉnh; đào tạo 40 bác sĩ "
                                 "chuyên khoa cho tuyến huyện."),
    "loai": dict(org="c", field=EDUCATION, full_name="Phạm Văn Loại", gender="male", date_of_birth=date(1980, 2, 29),
                 ethnicity="Kinh", hometown="Xã Lạc Vệ, huyện Tiên Du", workplace="Trường THPT Tiên Du 1",
                 position="Giáo viên", academic_title="", degree="ThS", email="loai.rieng@example.vn",
                 phone="0977 777 888", merits_summary="Giáo viên dạy giỏi cấp tỉnh nhiều năm liền, có sáng kiến cấp tỉnh."),
}
ELIGIBLE = ("an", "binh", "cuong")
INELIGIBLE_REASON = "Người được đề cử chưa đủ 5 năm công tác tại tỉnh theo quy định xét tôn vinh."
REVIEW_COMMENT = "Ý kiến riêng của người chấm về hồ sơ"
AN_CITATION = "Nhà hoá học tiên phong về vật liệu xanh, đưa sáng chế của mình vào sản xuất tại Bắc Ninh."
DECISION = {"number": "1234/QĐ-UBND", "date": DECISION_DATE, "signer": "Vương Quốc Tuấn"}

# ---------------------------------------------------------------- the hand-computed scores
# Automatic assignment: dossiers in id order (An, Bình, Cường); members not in conflict, sorted by (not a
# specialist, current load, user id) — nobody is a specialist here.
#   An (org A):    M6 excluded -> M1..M5 (loads M1..M5 = 1)
#   Bình (org B):  M6 (load 0) first, then M1..M4 (load 1, lowest ids) -> loads M1..M4 = 2, M5 = 1, M6 = 1
#   Cường (org A): M6 excluded -> M1..M5
# 15 assignments in all.
ASSIGNED = {"an": {0, 1, 2, 3, 4}, "binh": {5, 0, 1, 2, 3}, "cuong": {0, 1, 2, 3, 4}}
# Points per reviewer (index into COUNCIL); weighted total = p1/10*50 + p2/10*30 + p3/10*20 (scale of 100).
SHEETS = {
    "an": {0: ("9", "8", "7"),     # 45 + 24 + 14 = 83
           1: ("8", "8", "8"),     # 40 + 24 + 16 = 80
           2: ("8.5", "8", "7"),   # 42.5 + 24 + 14 = 80.5
           3: ("9", "9", "8"),     # 45 + 27 + 16 = 88
           4: ("5", "4", "4")},    # 25 + 12 + 8 = 45
    # An: mean 376.5 / 5 = 75.30; deviations 7.7, 4.7, 5.2, 12.7, -30.3; squares 59.29 + 22.09 + 27.04 + 161.29 +
    # 918.09 = 1187.8; sample variance 1187.8 / 4 = 296.95, standard deviation 17.232... -> 17.23.
    # Trimmed (drop 88 and 45): (80 + 80.5 + 83) / 3 = 81.1666... -> 81.17 = the final score.
    # Flag: 20 per cent of 75.3 = 15.06; only |45 - 75.3| = 30.3 exceeds it (|88 - 75.3| = 12.7 does not):
    # M5 Hà Văn Minh is flagged; the dossier has high disagreement (17.23 > 15.06).
    "binh": {5: ("7", "7", "7"),   # 70
             0: ("6", "6", "6"),   # 60
             1: ("7", "6", "5"),   # 35 + 18 + 10 = 63
             2: ("8", "7", "6"),   # 40 + 21 + 12 = 73
             3: ("6", "7", "8")},  # 30 + 21 + 16 = 67
    # Bình: mean 333 / 5 = 66.60; squares 11.56 + 43.56 + 12.96 + 40.96 + 0.16 = 109.2, / 4 = 27.3, sd 5.22;
    # trimmed (drop 73 and 60): (63 + 67 + 70) / 3 = 66.67; limit 13.32: nobody flagged.
    "cuong": {0: ("10", "9", "9"),  # 50 + 27 + 18 = 95
              1: ("9", "9", "9"),   # 45 + 27 + 18 = 90
              2: ("9", "10", "8"),  # 45 + 30 + 16 = 91
              3: ("8", "9", "10"),  # 40 + 27 + 20 = 87
              4: ("9", "8", "9")},  # 45 + 24 + 18 = 87
    # Cường: mean 450 / 5 = 90.00; squares 25 + 0 + 1 + 9 + 9 = 44, / 4 = 11, sd 3.32; trimmed (drop 95 and one 87):
    # (87 + 90 + 91) / 3 = 89.33; limit 18: nobody flagged.
}
EXPECTED = {  # totals by reviewer, mean, sd, trimmed mean (= final), flagged reviewers, high disagreement
    "an": ({0: "83", 1: "80", 2: "80.5", 3: "88", 4: "45"}, "75.30", "17.23", "81.17", {4}, True),
    "binh": ({5: "70", 0: "60", 1: "63", 2: "73", 3: "67"}, "66.60", "5.22", "66.67", set(), False),
    "cuong": ({0: "95", 1: "90", 2: "91", 3: "87", 4: "87"}, "90.00", "3.32", "89.33", set(), False),
}

# ---------------------------------------------------------------- the council session
# Quorum: two thirds of 6 members = 4. First 3 present (M1..M3): voting refused. Then 5 present (M1..M5; M6 absent).
# Threshold: more than half of the 5 present = at least 3 agree.
FIRST_PRESENT, PRESENT = (0, 1, 2), (0, 1, 2, 3, 4)
AGREES = {0: {"an", "binh", "cuong"}, 1: {"an", "binh", "cuong"}, 2: {"an", "cuong"}, 3: {"an", "cuong"}, 4: {"an"}}
# Tally: An 5 agree / 0 (approved), Bình 2 / 3 (2 of 5 is not more than half: not approved), Cường 4 / 1 (approved).
TALLY = {"an": (5, 0, True), "binh": (2, 3, False), "cuong": (4, 1, True)}

# ---------------------------------------------------------------- never public
FORBIDDEN = (
    "Trần Thị Bình", "Phạm Văn Loại",                                   # not approved / ineligible
    *COUNCIL,                                                           # reviewers
    REVIEW_COMMENT, INELIGIBLE_REASON,
    *(n[key] for n in NOMINEES.values() for key in ("email", "phone", "hometown")),
    *(n["date_of_birth"].strftime("%d/%m/%Y") for n in NOMINEES.values()),
    *(n["date_of_birth"].isoformat() for n in NOMINEES.values()),
    "hoikhcn@bacninh.example.vn", "daotao@kinhbac.example.vn", "sogd@bacninh.example.vn", "0222 3811 111",
    "81,17", "81.17", "75,30", "75.30", "75.3", "17,23", "17.23", "89,33", "89.33", "66,67", "66.67", "80,50", "80.5",
)


def assert_clean(text: str, where: str) -> None:
    leaked = [value for value in FORBIDDEN if value in text]
    assert not leaked, f"{where} shows {leaked}"


def squash(html: str) -> str:
    """HTML without the whitespace around tags, so table rows can be compared as strings."""
    return re.sub(r"\s*(<[^>]+>)\s*", r"\1", html)


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF")
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


# ---------------------------------------------------------------- the people

@pytest.fixture
def world(app):
    round_ = make_round(reviewers_per_dossier=5, min_average_score=D(60), quorum_rule="two_thirds",
                        approval_rule="majority", trim_extremes=True, deviation_flag_percent=20)
    orgs = {
        "a": make_org("Hội Khoa học và Công nghệ tỉnh Bắc Ninh", email="hoikhcn@bacninh.example.vn",
                      phone="0222 3811 111"),
        "b": make_org("Trường Đại học Kinh Bắc", org_type="university", email="daotao@kinhbac.example.vn"),
        "c": make_org("Sở Giáo dục và Đào tạo", org_type="department", email="sogd@bacninh.example.vn"),
    }
    return {
        "round": round_, "orgs": orgs,
        "nominators": {key: make_user(roles.NOMINATOR, org, full_name=f"Cán bộ đề cử {key.upper()}")
                       for key, org in orgs.items()},
        "secretary": make_user(roles.SECRETARIAT, full_name="Lưu Thị Thư Ký"),
        "council": [make_user(roles.COUNCIL, full_name=name, is_chair=(i == CHAIR)) for i, name in enumerate(COUNCIL)],
        "dossiers": {},
    }


def criteria_of(world):
    return world["round"].criteria


# ---------------------------------------------------------------- checks shared by both tests

def check_assignments(world):
    council, dossiers = world["council"], world["dossiers"]
    assigned = set(db.session.execute(select(ReviewAssignment.dossier_id, ReviewAssignment.reviewer_id)).all())
    assert assigned == {(dossiers[key].id, council[i].id) for key, members in ASSIGNED.items() for i in members}
    # The member working at organisation A reviews B's dossier but never A's.
    affiliated = council[AFFILIATED].id
    assert (dossiers["an"].id, affiliated) not in assigned and (dossiers["cuong"].id, affiliated) not in assigned
    assert (dossiers["binh"].id, affiliated) in assigned
    assert not any(d == dossiers["loai"].id for d, _r in assigned)  # ineligible: never reviewed
    db.session.expire_all()
    assert {key: dossiers[key].state for key in NOMINEES} == {
        "an": states.UNDER_REVIEW, "binh": states.UNDER_REVIEW, "cuong": states.UNDER_REVIEW, "loai": states.INELIGIBLE}


def check_round_results(world):
    """round_results() matches the hand computation exactly."""
    council, dossiers = world["council"], world["dossiers"]
    rankings = {r.name: r for r in results.round_results(world["round"])}
    assert [(r.name, r.quota) for r in rankings.values()] == [("Khoa học tự nhiên", 3), ("Y dược", 2), ("Giáo dục", 2)]
    ranked = {
        "Khoa học tự nhiên": [dossiers["an"].id, dossiers["binh"].id], "Y dược": [dossiers["cuong"].id], "Giáo dục": []}
    assert {name: [r.dossier.id for r in r_.results] for name, r_ in rankings.items()} == ranked
    by_id = {r.dossier.id: r for ranking in rankings.values() for r in ranking.results}
    for key, (totals, mean, stdev, trimmed, flagged, disagreement) in EXPECTED.items():
        result = by_id[dossiers[key].id]
        assert {t.reviewer_name: t.total for t in result.totals} == {COUNCIL[i]: D(v) for i, v in totals.items()}, key
        assert (result.count, result.mean, result.stdev, result.trimmed_mean, result.final) == (
            5, D(mean), D(stdev), D(trimmed), D(trimmed)), key
        assert {t.reviewer_name for t in result.totals if t.flagged} == {COUNCIL[i] for i in flagged}, key
        assert result.high_disagreement is disagreement, key
        assert result.meets_minimum and result.within_quota, key
        assert {t.reviewer_id: t.points for t in result.totals} == {  # the raw points, as typed
            council[i].id: {c.id: D(p) for c, p in zip(criteria_of(world), points)}
            for i, points in SHEETS[key].items()}
    assert [by_id[dossiers[key].id].rank for key in ELIGIBLE] == [1, 2, 1]


def check_tally(world, session):
    dossiers = world["dossiers"]
    tally = council_services.tally(session)
    assert (tally.present, tally.ballots, tally.needed_agree, tally.consistent) == (5, 5, 3, True)
    rows = {row.dossier.id: row for row in tally.rows}
    assert {key: (rows[dossiers[key].id].agree, rows[dossiers[key].id].disagree, rows[dossiers[key].id].approved)
            for key in ELIGIBLE} == TALLY
    assert not rows[dossiers["binh"].id].passes  # below the threshold, not merely outside the quota
    assert tally.below_minimum == []


def check_confirmed(world, session):
    dossiers, chair = world["dossiers"], world["council"][CHAIR]
    db.session.expire_all()
    session = db.session.get(CouncilSession, session.id)
    assert (session.status, session.confirmed_by_id, session.confirmed_at) == (CONFIRMED, chair.id, MEETING)
    assert {key: dossiers[key].state for key in NOMINEES} == {
        "an": states.APPROVED, "binh": states.NOT_APPROVED, "cuong": states.APPROVED, "loai": states.INELIGIBLE}
    reasons = dict(db.session.execute(select(AuditEntry.entity_id, AuditEntry.reason).where(
        AuditEntry.entity_type == "dossier", AuditEntry.action.in_(("approve", "reject")))).all())
    assert reasons == {
        dossiers["an"].id: "Hội đồng thông qua: 5/5 thành viên có mặt đồng ý.",
        dossiers["binh"].id: "Hội đồng không thông qua: 2/5 thành viên có mặt đồng ý.",
        dossiers["cuong"].id: "Hội đồng thông qua: 4/5 thành viên có mặt đồng ý.",
    }
    # The secret ballot: 5 receipts (who), 5 ballots of 3 choices (how), nothing linking them.
    assert [db.session.scalar(select(func.count()).select_from(m)) for m in (BallotReceipt, Ballot, BallotChoice)] == [
        5, 5, 15]


def check_minutes(text: str):
    assert "BIÊN BẢN HỌP HỘI ĐỒNG XÉT TÔN VINH TRÍ THỨC BẮC NINH TIÊU BIỂU" in text
    assert "Tổng số thành viên hội đồng: 6." in text
    assert "Thành viên có mặt (5): " in text and "Thành viên vắng mặt (1): Kiều Thị Ngọc." in text
    for i in PRESENT:
        assert COUNCIL[i] in text
    assert "Túc số: có mặt 5/6 thành viên" in text and "(cần ít nhất 4). Phiên họp đủ túc số." in text
    assert "Số phiếu phát ra: 5; số phiếu thu về: 5." in text
    assert "(cần ít nhất 3/5 phiếu đồng ý)" in text
    # Result rows: name, organisation, final score, agree, disagree, outcome.
    assert re.search(r"Nguyễn Văn An .*?81,17 5 0 Thông qua", text), text
    assert re.search(r"Trần Thị Bình .*?66,67 2 3 Không thông qua", text), text
    assert re.search(r"Lê Văn Cường .*?89,33 4 1 Thông qua", text), text
    assert "Phạm Văn Loại" not in text  # ineligible: never before the council
    assert "Tổng số hồ sơ được thông qua: 2/3." in text
    assert "Chủ tịch Hội đồng Đinh Quang Chủ đã xác nhận kết quả lúc 24/08/2026 08:30." in text
    assert "Quyết định số 1234/QĐ-UBND ngày 26/08/2026; người ký: Vương Quốc Tuấn." in text


def check_published(world):
    round_, dossiers, secretary = world["round"], world["dossiers"], world["secretary"]
    db.session.expire_all()
    assert (round_.published_at, round_.published_by_id) == (PUBLISHING, secretary.id)
    assert {key: dossiers[key].state for key in NOMINEES} == {
        "an": states.PUBLISHED, "binh": states.NOT_APPROVED, "cuong": states.PUBLISHED, "loai": states.INELIGIBLE}
    assert dossiers["an"].citation == AN_CITATION
    assert dossiers["cuong"].citation == NOMINEES["cuong"]["merits_summary"]  # the suggestion, kept as it was


def honouree_url(world, key):
    slug = {"an": "nguyen-van-an", "cuong": "le-van-cuong"}[key]
    return f"/vinh-danh/2026/{world['dossiers'][key].id}-{slug}"


def check_public_side(app, world):
    """What an anonymous visitor sees: the honoured names and citations, nothing else."""
    client = app.test_client()
    for url in ("/vinh-danh", "/vinh-danh/2026"):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.get_data(as_text=True)
        assert "Trí thức Bắc Ninh tiêu biểu năm 2026" in html
        assert "PGS.TS. Nguyễn Văn An" in html and "TS. Lê Văn Cường" in html
        assert unescape(html).count(AN_CITATION) == 1 and NOMINEES["cuong"]["merits_summary"] in unescape(html)
        # Grouped by field, in the round's field order.
        assert html.index("Khoa học tự nhiên") < html.index("Nguyễn Văn An") < html.index("Y dược") \
            < html.index("Lê Văn Cường")
        assert "Quyết định số 1234/QĐ-UBND ngày 26/08/2026." in html and "Công bố ngày 28/08/2026." in html
        assert "2 trí thức được tôn vinh." in html
        for key in ("an", "cuong"):
            assert f'href="{honouree_url(world, key)}"' in html
        assert_clean(unescape(html), url)

    page = client.get(honouree_url(world, "an"))
    assert page.status_code == 200
    html = unescape(page.get_data(as_text=True))
    for expected in ("PGS.TS. Nguyễn Văn An", AN_CITATION, "Phó giáo sư (PGS)", "Tiến sĩ (TS)", "Viện trưởng",
                     "Viện Hoá học Bắc Ninh", "Khoa học tự nhiên", "Hội Khoa học và Công nghệ tỉnh Bắc Ninh",
                     world["round"].name, "Số 1234/QĐ-UBND ngày 26/08/2026", "28/08/2026"):
        assert expected in html, expected
    assert_clean(html, "honouree page")
    assert_clean(unescape(client.get(honouree_url(world, "cuong")).get_data(as_text=True)), "Cường's page")
    for key in ("binh", "loai"):  # not honoured: no page, whatever the slug
        assert client.get(f"/vinh-danh/2026/{world['dossiers'][key].id}-x").status_code == 404, key
        assert client.get(f"/vinh-danh/2026/{world['dossiers'][key].id}").status_code == 404, key
    for query in ("tran thi binh", "pham van loai"):
        assert "0 kết quả" in client.get(f"/vinh-danh?q={query}").get_data(as_text=True), query
    found = client.get("/vinh-danh?q=nguyen van an").get_data(as_text=True)
    assert "Nguyễn Văn An" in found and "1 kết quả" in found

    check_exports(client, world)


def check_exports(client, world):
    an, cuong = world["dossiers"]["an"], world["dossiers"]["cuong"]

    xlsx = client.get("/vinh-danh/2026.xlsx")
    assert xlsx.status_code == 200 and 'filename="vinh-danh-2026.xlsx"' in xlsx.headers["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(xlsx.data))
    assert book.sheetnames == ["Năm 2026"]
    table = [[cell.value for cell in row] for row in book.active.iter_rows()]
    assert table[0][0].startswith("Danh sách Trí thức Bắc Ninh tiêu biểu năm 2026 — Cập nhật lúc ")
    header, rows = table[1], [dict(zip(table[1], row)) for row in table[2:]]
    # No gender, birth year or ethnicity per person (sensitive data; issue 13).
    assert header == ["STT", "Họ và tên", "Học hàm", "Học vị", "Nơi công tác",
                      "Chức vụ", "Lĩnh vực", "Đơn vị đề cử", "Trích dẫn", "Đợt xét", "Số quyết định",
                      "Ngày quyết định", "Trang giới thiệu"]
    assert [(r["STT"], r["Họ và tên"], r["Lĩnh vực"], r["Đơn vị đề cử"]) for r in rows] == [
        (1, "Nguyễn Văn An", "Khoa học tự nhiên", "Hội Khoa học và Công nghệ tỉnh Bắc Ninh"),
        (2, "Lê Văn Cường", "Y dược", "Hội Khoa học và Công nghệ tỉnh Bắc Ninh"),
    ]
    assert (rows[0]["Học hàm"], rows[0]["Học vị"]) == ("Phó giáo sư (PGS)", "Tiến sĩ (TS)")
    assert rows[0]["Trích dẫn"] == AN_CITATION and rows[1]["Trích dẫn"] == NOMINEES["cuong"]["merits_summary"]
    assert rows[0]["Số quyết định"] == "1234/QĐ-UBND" and rows[0]["Ngày quyết định"] == datetime(2026, 8, 26)
    assert rows[0]["Trang giới thiệu"].endswith(honouree_url(world, "an"))
    assert_clean(" ".join(str(v) for row in table for v in row if v is not None), "xlsx")

    pdf = client.get("/vinh-danh/2026.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = pdf_text(pdf.data)
    for expected in ("Danh sách Trí thức Bắc Ninh tiêu biểu năm 2026", world["round"].name,
                     "Quyết định số 1234/QĐ-UBND ngày 26/08/2026, người ký: Vương Quốc Tuấn.",
                     "Khoa học tự nhiên (1)", "Y dược (1)", "Nguyễn Văn An", "Lê Văn Cường", "Viện Hoá học Bắc Ninh",
                     "Phó giáo sư (PGS), Tiến sĩ (TS)"):
        assert expected in text, expected
    assert "1970" not in text and "1968" not in text  # no birth year per person
    assert_clean(text, "pdf")

    document = client.get("/vinh-danh/2026.json")
    assert document.status_code == 200 and document.mimetype == "application/json"
    data = json.loads(document.data)
    assert (data["year"], data["round"], data["count"], data["decision_number"], data["decision_date"]) == (
        2026, world["round"].name, 2, "1234/QĐ-UBND", "2026-08-26")
    assert data["published_at"].startswith("2026-08-28T10:00:00")
    assert [(h["id"], h["full_name"], h["field"], h["citation"]) for h in data["honourees"]] == [
        (an.id, "Nguyễn Văn An", "Khoa học tự nhiên", AN_CITATION),
        (cuong.id, "Lê Văn Cường", "Y dược", NOMINEES["cuong"]["merits_summary"]),
    ]
    assert not {"birth_year", "gender", "ethnicity"} & set(data["honourees"][0])
    assert data["honourees"][0]["url"].endswith(honouree_url(world, "an"))
    assert_clean(document.data.decode("utf-8"), "json")

    exported = client.get("/vinh-danh/2026.csv")
    assert exported.status_code == 200 and exported.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(exported.data.decode("utf-8-sig"))))
    assert [(r["Họ và tên"], r["Số quyết định"], r["Trích dẫn"]) for r in rows] == [
        ("Nguyễn Văn An", "1234/QĐ-UBND", AN_CITATION),
        ("Lê Văn Cường", "1234/QĐ-UBND", NOMINEES["cuong"]["merits_summary"]),
    ]
    assert "Năm sinh" not in rows[0]
    assert_clean(exported.data.decode("utf-8-sig"), "csv")


def check_outcome_emails(world):
    """One outcome email per organisation whose dossiers reached the council; none for organisation C."""
    orgs = world["orgs"]
    messages = db.session.scalars(select(OutboxMessage).where(OutboxMessage.subject.contains("Kết quả xét tôn vinh"))
                                  .order_by(OutboxMessage.id)).all()
    assert sorted(m.recipient for m in messages) == sorted([orgs["a"].email, orgs["b"].email])
    by_recipient = {m.recipient: m for m in messages}
    subject = f"[Trí thức Bắc Ninh tiêu biểu] Kết quả xét tôn vinh: {world['round'].name}"
    assert {m.subject for m in messages} == {subject}
    to_a, to_b = by_recipient[orgs["a"].email].body, by_recipient[orgs["b"].email].body
    assert "Kính gửi Hội Khoa học và Công nghệ tỉnh Bắc Ninh," in to_a
    assert "Quyết định số 1234/QĐ-UBND ngày 26/08/2026, người ký: Vương Quốc Tuấn." in to_a
    assert "1. Nguyễn Văn An (lĩnh vực Khoa học tự nhiên): ĐƯỢC TÔN VINH" in to_a
    assert "2. Lê Văn Cường (lĩnh vực Y dược): ĐƯỢC TÔN VINH" in to_a
    assert f"{honouree_url(world, 'an')}" in to_a and f"{honouree_url(world, 'cuong')}" in to_a
    assert "1. Trần Thị Bình (lĩnh vực Khoa học tự nhiên): KHÔNG ĐƯỢC HỘI ĐỒNG THÔNG QUA." in to_b
    assert "Nguyễn Văn An" not in to_b and "Trần Thị Bình" not in to_a
    for body in (to_a, to_b):
        assert "Phạm Văn Loại" not in body and "81,17" not in body and "81.17" not in body
        assert not any(name in body for name in COUNCIL)
    # Organisation C's only dossier was ineligible: it never reached the council, so no outcome email.
    assert not db.session.scalar(select(func.count(OutboxMessage.id)).where(
        OutboxMessage.recipient == orgs["c"].email, OutboxMessage.subject == subject))


def answer_consent_link(client, email: str) -> None:
    """The nominee opens the link the submission emailed and consents to every purpose."""
    body = db.session.scalars(select(OutboxMessage.body).where(
        OutboxMessage.recipient == email, OutboxMessage.subject.contains("Xin ý kiến đồng ý"))
        .order_by(OutboxMessage.id.desc())).first()
    path = re.search(r"/dong-y/\S+", body).group()
    answered = client.post(path, data={f"purpose_{code}": "yes" for code in "abcde"}, follow_redirects=True)
    assert answered.status_code == 200 and "Đã ghi nhận ý kiến" in answered.get_data(as_text=True)


# ---------------------------------------------------------------- 1. through the service layer

def test_a_whole_round_through_the_services(app, world):
    round_, orgs, secretary, council = world["round"], world["orgs"], world["secretary"], world["council"]
    dossiers = world["dossiers"]

    # --- nominations: drafted, a CV attached, submitted before the deadline
    for key, nominee in NOMINEES.items():
        nominator = world["nominators"][nominee["org"]]
        data = nominations.DossierData(
            field_id=round_.fields[nominee["field"]].id,
            achievements=[nominations.AchievementData("publication", 2021, f"Công trình tiêu biểu của {key}")],
            **{k: v for k, v in nominee.items() if k not in ("org", "field")})
        dossier = nominations.save_dossier(nominator, round_, data)
        nominations.add_attachment(nominator, dossier, io.BytesIO(PDF), "ly-lich-khoa-hoc.pdf", "cv")
        assert nominations.submit(nominator, dossier, dossier.version) == []
        answer_consent_link(app.test_client(), nominee["email"])
        dossiers[key] = dossier
    assert {d.state for d in dossiers.values()} == {states.SUBMITTED}

    # --- eligibility check
    with clock.frozen(CHECKING):
        for key in ELIGIBLE:
            nominations.decide(secretary, dossiers[key], "mark_eligible", expected_version=dossiers[key].version, confirmed=True)
        nominations.decide(secretary, dossiers["loai"], "mark_ineligible", INELIGIBLE_REASON, dossiers["loai"].version, confirmed=True)
    assert {key: d.state for key, d in dossiers.items()} == {
        "an": states.ELIGIBLE, "binh": states.ELIGIBLE, "cuong": states.ELIGIBLE, "loai": states.INELIGIBLE}

    with clock.frozen(REVIEWING):
        # --- the council: M6 works at organisation A
        for i, user in enumerate(council):
            reviews.save_member(None, round_, user, affiliation_organisation_id=orgs["a"].id if i == AFFILIATED else None)
        affiliated = reviews.membership(round_.id, council[AFFILIATED].id)
        assert reviews.conflict_reason(affiliated, dossiers["an"], set()) == "Thành viên thuộc đơn vị đề cử hồ sơ này."
        assert reviews.conflict_reason(affiliated, dossiers["binh"], set()) is None

        # --- automatic assignment: 5 reviewers per dossier, never a conflicted one
        assert reviews.auto_assign(secretary, round_) == 15
        check_assignments(world)
        with pytest.raises(RuleViolation, match="Không thể phân công: Thành viên thuộc đơn vị đề cử hồ sơ này."):
            reviews.assign(secretary, dossiers["an"], council[AFFILIATED])
        db.session.rollback()
        assert reviews.auto_assign(secretary, round_) == 0  # everyone has their 5 reviewers

        # --- every reviewer scores and submits
        for key, sheets in SHEETS.items():
            for i, points in sheets.items():
                reviewer, dossier = council[i], dossiers[key]
                sheet = reviews.sheet_for(reviewer, dossier)
                data = SheetInput(points={c.id: D(p) for c, p in zip(criteria_of(world), points)},
                                  comments={c.id: f"{REVIEW_COMMENT} ({c.name})" for c in criteria_of(world)},
                                  overall_comment=REVIEW_COMMENT)
                assert reviews.save_sheet(reviewer, sheet, data, sheet.version, submit=True) is True
                assert dossier.state == (states.SCORED if i == list(sheets)[-1] else states.UNDER_REVIEW)
        check_round_results(world)

    with clock.frozen(MEETING):
        # --- the council session: a vote is refused without the quorum, then allowed
        session = council_services.open_session(secretary, round_, [council[i].id for i in FIRST_PRESENT],
                                                  confirmed=True)
        assert session.members_total == 6
        ballot = {dossiers[key].id: key in AGREES[0] for key in ELIGIBLE}
        with pytest.raises(RuleViolation) as refused:
            council_services.cast_ballot(council[0], session, ballot)
        assert refused.value.message == "Chưa đủ túc số: có mặt 3/6 thành viên, cần ít nhất 4."
        db.session.rollback()
        assert db.session.scalar(select(func.count(BallotReceipt.id))) == 0
        council_services.update_attendance(secretary, session, [council[i].id for i in PRESENT])
        assert council_services.quorum(session) == council_services.Quorum(present=5, total=6, needed=4)
        with pytest.raises(RuleViolation, match="không có tên trong danh sách thành viên có mặt"):
            council_services.cast_ballot(council[AFFILIATED], session, ballot)
        db.session.rollback()

        # --- every present member votes by secret ballot
        for i in PRESENT:
            council_services.cast_ballot(council[i], session,
                                         {dossiers[key].id: key in AGREES[i] for key in ELIGIBLE})
        with pytest.raises(RuleViolation, match="đã bỏ phiếu"):
            council_services.cast_ballot(council[0], session, ballot)
        db.session.rollback()

        # --- close (the ballots leave the sealed urn), the chair confirms
        with pytest.raises(RuleViolation, match="Chỉ xác nhận kết quả sau khi Ban thư ký đã đóng bỏ phiếu"):
            council_services.confirm(council[CHAIR], session)
        db.session.rollback()
        council_services.close_voting(secretary, session, confirmed=True)
        assert session.status == CLOSED
        check_tally(world, session)
        with pytest.raises(RuleViolation, match="Chỉ Chủ tịch Hội đồng"):
            council_services.confirm(council[1], session)
        db.session.rollback()
        council_services.confirm(council[CHAIR], session)
        check_confirmed(world, session)

    with clock.frozen(RECORDING):
        # --- the secretariat records the provincial decision, the minutes are produced
        with pytest.raises(RuleViolation, match="Chưa ghi nhận quyết định tặng danh hiệu"):
            publication.publish(secretary, round_, confirmed=True)
        db.session.rollback()
        council_services.record_decision(secretary, db.session.get(CouncilSession, session.id), DECISION["number"],
                                         DECISION["date"], DECISION["signer"])
        check_minutes(pdf_text(minutes_pdf(db.session.get(CouncilSession, session.id))))

    with clock.frozen(PUBLISHING):
        # --- publication, with An's citation edited and Cường's suggested citation kept
        info = publication.overview(round_)
        assert [d.id for d in info.candidates] == [dossiers["an"].id, dossiers["cuong"].id]
        assert info.blockers == [] and info.not_approved == 1 and info.undecided == 0
        assert publication.publish(secretary, round_, [CitationEdit(dossiers["an"].id, dossiers["an"].version,
                                                                    AN_CITATION)], confirmed=True) == 2
        check_published(world)
        check_public_side(app, world)
    check_outcome_emails(world)


# ---------------------------------------------------------------- 2. over HTTP, as each role

@dataclass
class HtmlForm:
    """A form as a browser would submit it: the current value of every named control, and the allowed options."""

    action: str
    values: dict[str, list[str]] = field(default_factory=dict)
    options: dict[str, list[str]] = field(default_factory=dict)
    buttons: list[dict] = field(default_factory=list)

    def fill(self, **changes) -> "HtmlForm":
        for name, value in changes.items():
            assert name in self.values or name in self.options, f"no control named {name!r} in {self.action}"
            value = [str(v) for v in value] if isinstance(value, (list, tuple, set)) else [str(value)]
            if name in self.options:
                unknown = [v for v in value if v not in self.options[name]]
                assert not unknown, f"{name}: {unknown} not among the choices {self.options[name]}"
            self.values[name] = value
        return self

    def button(self, which: str) -> dict:
        """A submit button, by its name or by its formaction."""
        chosen = next((b for b in self.buttons if which in (b["name"], b["formaction"])), None)
        assert chosen is not None, f"no button {which!r} in the form posting to {self.action}"
        return chosen

    def data(self, button: str | None = None) -> dict:
        data = {name: values for name, values in self.values.items() if values}
        if button is not None and self.button(button)["name"]:
            data[self.button(button)["name"]] = self.button(button)["value"]
        return data

    def submit_to(self, button: str | None = None) -> str:
        formaction = self.button(button)["formaction"] if button else None
        return (formaction or self.action).split("#")[0]


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[HtmlForm] = []
        self._form: HtmlForm | None = None
        self._textarea: list | None = None
        self._select: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = HtmlForm(a.get("action") or "")
            self.forms.append(self._form)
        if self._form is None or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                self._form.options.setdefault(name, []).append(a.get("value", "on"))
                self._form.values.setdefault(name, [])
                if "checked" in a:
                    self._form.values[name].append(a.get("value", "on"))
            elif kind == "submit":
                self._form.buttons.append({"name": name, "value": a.get("value", ""),
                                           "formaction": a.get("formaction")})
            elif kind == "hidden":  # a browser submits every one (a confirmation page repeats a multiple choice)
                self._form.values.setdefault(name, []).append(a.get("value", ""))
            else:
                self._form.values[name] = [] if kind == "file" else [a.get("value", "")]
        elif tag == "button":
            self._form.buttons.append({"name": name, "value": a.get("value", ""), "formaction": a.get("formaction")})
        elif tag == "textarea" and name:
            self._textarea = [name, ""]
        elif tag == "select" and name:
            self._select = {"name": name, "options": [], "selected": []}
        elif tag == "option" and self._select is not None:
            self._select["options"].append(a.get("value", ""))
            if "selected" in a:
                self._select["selected"].append(a.get("value", ""))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            self._form.values[name] = [text[1:] if text.startswith("\n") else text.removeprefix("\r\n")]
            self._textarea = None
        elif tag == "select" and self._select is not None:
            select_ = self._select
            self._form.options[select_["name"]] = select_["options"]
            self._form.values[select_["name"]] = select_["selected"][:1] or select_["options"][:1]
            self._select = None
        elif tag == "form":
            self._form = None


def form_on(html: str, action: str = "", url: str = "") -> HtmlForm:
    """The page's form posting to `action` ("" for a form without an action, which posts back to `url`)."""
    parser = _FormParser()
    parser.feed(html)
    found = [f for f in parser.forms if f.action.split("#")[0] == action]
    assert len(found) == 1, f"{len(found)} forms posting to {action!r}: {[f.action for f in parser.forms]}"
    if not found[0].action:
        found[0].action = url
    return found[0]


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    return response.get_data(as_text=True)


def post(client, form: HtmlForm, button: str | None = None, expect: int = 302, **kwargs):
    response = client.post(form.submit_to(button), data=form.data(button), **kwargs)
    assert response.status_code == expect, (form.submit_to(button), response.status_code,
                                            response.get_data(as_text=True)[:3000])
    return response


def followed(client, response) -> str:
    return page(client, response.headers["Location"])


def signed_in(app, user):
    client = app.test_client()
    login(client, user)
    return client


def test_a_whole_round_over_http(app, world):
    round_, orgs, council, dossiers = world["round"], world["orgs"], world["council"], world["dossiers"]
    rid = round_.id
    secretariat = signed_in(app, world["secretary"])
    nominators = {key: signed_in(app, user) for key, user in world["nominators"].items()}
    members = [signed_in(app, user) for user in council]

    # --- nominators draft (adding an achievement row without JavaScript), attach a CV and submit
    for key, nominee in NOMINEES.items():
        client = nominators[nominee["org"]]
        new = f"/dossiers/new?round_id={rid}"
        with_row = post(client, form_on(page(client, new), url=new).fill(full_name=nominee["full_name"]),
                        "add_achievement", expect=200).get_data(as_text=True)
        form = form_on(with_row, url=new).fill(
            field_id=round_.fields[nominee["field"]].id, full_name=nominee["full_name"], gender=nominee["gender"],
            date_of_birth=nominee["date_of_birth"].strftime("%d/%m/%Y"), ethnicity=nominee["ethnicity"],
            hometown=nominee["hometown"], workplace=nominee["workplace"], position=nominee["position"],
            academic_title=nominee["academic_title"], degree=nominee["degree"], email=nominee["email"],
            phone=nominee["phone"], merits_summary=nominee["merits_summary"],
            **{"achievements-0-kind": "project", "achievements-0-year": "2022",
               "achievements-0-title": f"Đề tài cấp tỉnh của {nominee['full_name']}"})
        created = post(client, form)
        dossier_id = int(re.fullmatch(r".*/dossiers/(\d+)", created.headers["Location"]).group(1))
        shown = followed(client, created)
        assert "Đã lưu hồ sơ." in shown
        upload = form_on(shown, f"/dossiers/{dossier_id}/attachments").fill(kind="cv")
        assert "file" in upload.values  # the file control of the served form
        upload.values["file"] = [(io.BytesIO(PDF), "Lý lịch khoa học.pdf")]
        uploaded = post(client, upload, content_type="multipart/form-data")
        shown = followed(client, uploaded)
        assert 'Đã tải lên tệp "Lý lịch khoa học.pdf".' in unescape(shown)
        submitted = post(client, form_on(shown, f"/dossiers/{dossier_id}/submit"))
        assert "Đã nộp hồ sơ." in followed(client, submitted)
        dossiers[key] = db.session.get(Dossier, dossier_id)
        answer_consent_link(app.test_client(), nominee["email"])
    db.session.expire_all()
    assert {key: (d.state, d.full_name, d.organisation_id) for key, d in dossiers.items()} == {
        key: (states.SUBMITTED, n["full_name"], orgs[n["org"]].id) for key, n in NOMINEES.items()}
    assert dossiers["an"].achievements[0].title == "Đề tài cấp tỉnh của Nguyễn Văn An"

    # --- the secretariat's eligibility check
    with clock.frozen(CHECKING):
        for key in NOMINEES:
            decision = form_on(page(secretariat, f"/dossiers/{dossiers[key].id}"),
                               f"/eligibility/{dossiers[key].id}/decision")
            if key == "loai":
                decision.fill(action="mark_ineligible", reason=INELIGIBLE_REASON)
            else:
                decision.fill(action="mark_eligible")
            # The decision is recorded on its confirmation page, which posts the same form again.
            confirmation = post(secretariat, decision, expect=200).get_data(as_text=True)
            assert "Việc này sẽ:" in confirmation
            post(secretariat, form_on(confirmation, f"/eligibility/{dossiers[key].id}/decision"))
    db.session.expire_all()
    assert {key: d.state for key, d in dossiers.items()} == {
        "an": states.ELIGIBLE, "binh": states.ELIGIBLE, "cuong": states.ELIGIBLE, "loai": states.INELIGIBLE}

    with clock.frozen(REVIEWING):
        # --- the council, built on its page; M6 works at organisation A
        for i, user in enumerate(council):
            form = form_on(page(secretariat, f"/rounds/{rid}/council"), f"/rounds/{rid}/council")
            form.fill(user_id=user.id, affiliation_organisation_id=orgs["a"].id if i == AFFILIATED else 0)
            post(secretariat, form)
        html = squash(page(secretariat, f"/rounds/{rid}/council"))
        assert all(name in html for name in COUNCIL) and "Hội Khoa học và Công nghệ tỉnh Bắc Ninh" in html

        # --- automatic assignment
        assignments = page(secretariat, f"/rounds/{rid}/assignments")
        auto = post(secretariat, form_on(assignments, f"/rounds/{rid}/assignments/auto"))
        assert "Đã phân công tự động 15 lượt chấm." in followed(secretariat, auto)
        check_assignments(world)
        manual = form_on(page(secretariat, f"/rounds/{rid}/assignments"), f"/rounds/{rid}/assignments")
        refused = post(secretariat, manual.fill(dossier_ids=[dossiers["an"].id], reviewer_id=council[AFFILIATED].id),
                       expect=422)
        assert "Không thể phân công: Thành viên thuộc đơn vị đề cử hồ sơ này." in refused.get_data(as_text=True)
        assert "chưa đủ người chấm." not in page(secretariat, f"/rounds/{rid}/assignments")  # 5 reviewers each

        # --- every reviewer opens "Hồ sơ của tôi", fills the sheet and submits it
        for i, client in enumerate(members):
            mine = page(client, "/reviews/")
            for key in NOMINEES:
                assert (NOMINEES[key]["full_name"] in mine) == (i in ASSIGNED.get(key, ())), (i, key)
        for key, sheets in SHEETS.items():
            dossier_id = dossiers[key].id
            for i, points in sheets.items():
                client = members[i]
                sheet = form_on(page(client, f"/reviews/{dossier_id}"), f"/reviews/{dossier_id}")
                sheet.fill(overall_comment=REVIEW_COMMENT, **{
                    name: value for c, p in zip(criteria_of(world), points)
                    for name, value in ((f"points_{c.id}", p), (f"comment_{c.id}", f"{REVIEW_COMMENT} ({c.name})"))})
                done = followed(client, post(client, sheet, "submit_sheet"))
                assert f"Đã nộp phiếu chấm điểm hồ sơ {NOMINEES[key]['full_name']}." in done
                assert 'name="points_' not in done  # read-only now
        db.session.expire_all()
        assert {dossiers[key].state for key in ELIGIBLE} == {states.SCORED}
        check_round_results(world)

        # --- the results page shows exactly the hand-computed numbers
        html = squash(page(secretariat, f"/rounds/{rid}/results"))
        org_a = "Hội Khoa học và Công nghệ tỉnh Bắc Ninh"
        rows = {
            "an": f'<td>1</td><td><a href="/dossiers/{dossiers["an"].id}">Nguyễn Văn An</a></td><td>{org_a}</td>'
                  "<td>5</td><td>75,30</td><td>17,23</td><td>81,17</td><td><strong>81,17</strong></td>",
            "binh": f'<td>2</td><td><a href="/dossiers/{dossiers["binh"].id}">Trần Thị Bình</a></td>'
                    "<td>Trường Đại học Kinh Bắc</td><td>5</td><td>66,60</td><td>5,22</td><td>66,67</td>"
                    "<td><strong>66,67</strong></td>",
            "cuong": f'<td>1</td><td><a href="/dossiers/{dossiers["cuong"].id}">Lê Văn Cường</a></td><td>{org_a}</td>'
                     "<td>5</td><td>90,00</td><td>3,32</td><td>89,33</td><td><strong>89,33</strong></td>",
        }
        for key, row in rows.items():
            assert row in html, key
        assert html.count("Chênh lệch cao giữa người chấm") == 1  # An only
        assert html.index(rows["an"]) < html.index("Ngưỡng chỉ tiêu (3 hồ sơ)") and html.index(rows["binh"]) < \
            html.index("Ngưỡng chỉ tiêu (3 hồ sơ)")
        assert '<td>Đinh Quang Chủ</td><td>9</td><td>8</td><td>7</td><td>83,00</td>' in html
        assert '<td>Cao Văn Khải</td><td>8,5</td><td>8</td><td>7</td><td>80,50</td>' in html
        assert ('<td><strong>Hà Văn Minh</strong><span class="badge warn">Lệch nhiều so với trung bình</span></td>'
                '<td>5</td><td>4</td><td>4</td><td><strong>45,00</strong></td>') in html
        assert '<td>Dương Thị Lan</td><td>9</td><td>9</td><td>8</td><td>88,00</td>' in html  # 12.7 off: not flagged
        assert html.count('<tr class="flagged">') == 1
        assert "Phạm Văn Loại" not in html

    with clock.frozen(MEETING):
        # --- the session opens with 3 of 6 present: no quorum, a vote is refused and nothing is stored
        session_page = page(secretariat, f"/council/rounds/{rid}")
        opening = form_on(session_page, f"/council/rounds/{rid}/sessions")
        assert sorted(opening.options["present"]) == sorted(str(u.id) for u in council)
        asked = post(secretariat, opening.fill(present=[council[i].id for i in FIRST_PRESENT]), expect=200)
        assert "Mở phiên họp hội đồng với 3/6 thành viên có mặt." in asked.get_data(as_text=True)
        assert db.session.scalar(select(CouncilSession)) is None  # nothing opened before the confirmation
        post(secretariat, form_on(asked.get_data(as_text=True), f"/council/rounds/{rid}/sessions"))
        session = db.session.scalar(select(CouncilSession))
        sid = session.id
        assert "có mặt 3/6 thành viên, cần ít nhất 4." in page(secretariat, f"/council/rounds/{rid}")
        ballot_page = page(members[0], f"/council/sessions/{sid}/ballot")
        assert "Chưa đủ túc số: có mặt 3/6 thành viên, cần ít nhất 4." in ballot_page
        assert 'type="radio"' not in ballot_page
        refused = members[0].post(f"/council/sessions/{sid}/ballot",
                                  data={f"dossier_{dossiers[key].id}": "agree" for key in ELIGIBLE})
        assert refused.status_code == 422
        assert "Chưa đủ túc số: có mặt 3/6 thành viên, cần ít nhất 4." in refused.get_data(as_text=True)
        assert db.session.scalar(select(func.count(BallotReceipt.id))) == 0

        # --- attendance corrected to 5 of 6: quorum met
        attendance = form_on(page(secretariat, f"/council/rounds/{rid}"), f"/council/sessions/{sid}/attendance")
        post(secretariat, attendance.fill(present=[council[i].id for i in PRESENT]))
        assert "có mặt 5/6 thành viên, cần ít nhất 4." in page(secretariat, f"/council/rounds/{rid}")
        absent = page(members[AFFILIATED], f"/council/sessions/{sid}/ballot")
        assert "không có tên trong danh sách thành viên có mặt" in absent and 'type="radio"' not in absent

        # --- every present member votes on the ballot form
        for i in PRESENT:
            ballot = form_on(page(members[i], f"/council/sessions/{sid}/ballot"), f"/council/sessions/{sid}/ballot")
            ballot.fill(**{f"dossier_{dossiers[key].id}": "agree" if key in AGREES[i] else "disagree"
                           for key in ELIGIBLE})
            voted = followed(members[i], post(members[i], ballot))
            assert "Phiếu bầu của bạn đã được ghi nhận." in voted and "Bạn đã bỏ phiếu" in voted
        html = page(secretariat, f"/council/rounds/{rid}")
        assert "Đã bỏ phiếu: 5/5 thành viên có mặt." in html and "Kết quả kiểm phiếu" not in html

        # --- the secretariat closes the vote; the chair sees the tally and confirms
        asked = post(secretariat, form_on(html, f"/council/sessions/{sid}/close"), expect=200).get_data(as_text=True)
        assert "Đóng bỏ phiếu với 5/5 thành viên có mặt đã bỏ phiếu." in asked
        post(secretariat, form_on(asked, f"/council/sessions/{sid}/close"))
        check_tally(world, db.session.get(CouncilSession, sid))
        assert "Xác nhận kết quả" not in page(members[1], f"/council/sessions/{sid}/ballot")
        chair_page = squash(page(members[CHAIR], f"/council/sessions/{sid}/ballot"))
        assert "Kết quả kiểm phiếu" in chair_page
        assert ("Số thành viên có mặt: 5 · số phiếu bầu: 5 · cần ít nhất 3 phiếu đồng ý để đạt ngưỡng."
                in unescape(chair_page))
        assert ("<td>Trần Thị Bình</td><td>Trường Đại học Kinh Bắc</td><td>66,67</td><td>2/5</td><td>3</td>"
                "<td>Không đạt</td>") in chair_page
        assert "<td>Nguyễn Văn An</td><td>Hội Khoa học và Công nghệ tỉnh Bắc Ninh</td><td>81,17</td><td>5/5</td>" \
            in chair_page
        confirmed = post(members[CHAIR], form_on(chair_page, f"/council/sessions/{sid}/confirm"))
        assert "Đã xác nhận kết quả bỏ phiếu" in followed(members[CHAIR], confirmed)
        check_confirmed(world, session)

    with clock.frozen(RECORDING):
        # --- the secretariat records the decision (number, date, signer) and downloads the minutes
        html = page(secretariat, f"/council/rounds/{rid}")
        decision = form_on(html, f"/council/sessions/{sid}/decision").fill(
            decision_number=DECISION["number"], decision_date=DECISION["date"].strftime("%d/%m/%Y"),
            decision_signer=DECISION["signer"])
        recorded = followed(secretariat, post(secretariat, decision))
        assert "Quyết định số 1234/QĐ-UBND ngày 26/08/2026, người ký: Vương Quốc Tuấn." in recorded
        minutes = secretariat.get(f"/council/sessions/{sid}/minutes.pdf")
        assert minutes.status_code == 200 and minutes.mimetype == "application/pdf"
        check_minutes(pdf_text(minutes.data))
        assert pdf_text(members[CHAIR].get(f"/council/sessions/{sid}/minutes.pdf").data) == pdf_text(minutes.data)

    with clock.frozen(PUBLISHING):
        # --- publication: An's citation typed on the page, Cường's suggestion kept, the confirmation ticked
        html = page(secretariat, f"/publication/rounds/{rid}")
        assert "Trần Thị Bình" not in html and "Phạm Văn Loại" not in html
        form = form_on(html, f"/publication/rounds/{rid}/citations")
        rows = {int(form.values[f"citations-{i}-dossier_id"][0]): i for i in range(2)}
        assert set(rows) == {dossiers["an"].id, dossiers["cuong"].id}
        assert form.values[f"citations-{rows[dossiers['cuong'].id]}-citation"] == [NOMINEES["cuong"]["merits_summary"]]
        form.fill(**{f"citations-{rows[dossiers['an'].id]}-citation": AN_CITATION})
        publish_button = f"/publication/rounds/{rid}/publish"  # the form's second button, with its formaction
        asked = post(secretariat, form, publish_button, expect=200).get_data(as_text=True)
        assert "Công bố 2 người được tôn vinh" in asked and 'name="override_reason"' not in asked  # complete list
        db.session.expire_all()
        assert round_.published_at is None
        confirmation = form_on(asked, publish_button)  # the same fields, what was typed kept, and confirmed=1
        assert confirmation.values[f"citations-{rows[dossiers['an'].id]}-citation"] == [AN_CITATION]
        done = followed(secretariat, post(secretariat, confirmation))
        assert ("Đã công bố danh sách 2 trí thức được tôn vinh và gửi thông báo kết quả cho các đơn vị đề cử."
                in done)
        check_published(world)
        check_public_side(app, world)
        # The nominating organisation now sees the outcome of its dossiers.
        assert "Đã công bố" in page(nominators["a"], f"/dossiers/{dossiers['an'].id}")
        assert "Hội đồng không thông qua" in page(nominators["b"], f"/dossiers/{dossiers['binh'].id}")
    check_outcome_emails(world)
