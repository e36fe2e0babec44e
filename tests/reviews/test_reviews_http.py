"""The review stage over HTTP: council and assignment (secretariat), score sheets (council members),
results, ranking and the Excel export; privacy of reviewers; bounded query counts."""
import re
from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from honours.auth.models import User
from honours.core import clock, roles
from honours.core.audit import AuditEntry
from honours.core.db import db
from honours.core.text import fold
from honours.nominations import states
from honours.nominations.models import Dossier
from honours.organisations.models import Organisation
from honours.reviews import services
from honours.reviews.export import sheet_name
from honours.reviews.models import ConflictDeclaration, CouncilMember, ReviewAssignment, ScoreItem, ScoreSheet
from honours.reviews.totals import refresh_round_totals
from honours.rounds.models import RoundField
from tests.conftest import login, wipe
from tests.core.test_query_counts import queries_for
from tests.factories import make_council_member, make_dossier, make_org, make_round, make_user


def squash(html: str) -> str:
    """HTML without the whitespace between tags, so table rows can be compared as strings."""
    return re.sub(r">\s+<", "><", html)


def version_of(html: str) -> int:
    return int(re.search(r'name="version"[^>]*value="(\d+)"', html).group(1))


def sheet_data(round_, marks, version, submit=False, comments=(), overall=""):
    data = {"version": version, "overall_comment": overall}
    for i, criterion in enumerate(round_.criteria):
        data[f"points_{criterion.id}"] = "" if marks[i] is None else str(marks[i])
        data[f"comment_{criterion.id}"] = comments[i] if i < len(comments) else ""
    data["submit_sheet" if submit else "save"] = "Nộp phiếu" if submit else "Lưu nháp"
    return data


def score_over_http(app, reviewer, dossier, marks, submit=True, comments=(), overall=""):
    client = app.test_client()
    login(client, reviewer)
    page = client.get(f"/reviews/{dossier.id}")
    assert page.status_code == 200
    response = client.post(f"/reviews/{dossier.id}", data=sheet_data(
        dossier.round, marks, version_of(page.get_data(as_text=True)), submit, comments, overall))
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


@pytest.fixture
def world(app):
    round_ = make_round(reviewers_per_dossier=3)
    org = make_org("Hội Y học tỉnh Bắc Ninh")
    nominator = make_user(roles.NOMINATOR, org)
    return {"round": round_, "org": org, "nominator": nominator,
            "secretary": make_user(roles.SECRETARIAT, full_name="Ban Thư Ký")}


def eligible(world, name="Nguyễn Văn An", **fields):
    return make_dossier(world["round"], world["org"], world["nominator"], state=states.ELIGIBLE, full_name=name,
                        **fields)


def council_of(world, names, **member_fields):
    users = [make_user(roles.COUNCIL, full_name=name) for name in names]
    for user in users:
        make_council_member(world["round"], user, **member_fields)
    return users


# ---------------------------------------------------------------- secretariat: council and assignment

def test_secretariat_builds_the_council_and_assigns_without_conflicts(app, client, world):
    round_, org = world["round"], world["org"]
    fields = round_.fields
    conflicted, second, third = (make_user(roles.COUNCIL, full_name=n)
                                 for n in ("Phạm Văn Cẩn", "Lê Thị Dung", "Hoàng Văn Em"))
    make_user(roles.COUNCIL, full_name="Tài Khoản Khoá", active=False)
    first, other = eligible(world, "Trần Thị Bình"), eligible(world, "Lê Văn Cường", field_id=fields[1].id)
    login(client, world["secretary"])

    page = client.get(f"/rounds/{round_.id}/council")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Phạm Văn Cẩn" in html and "Tài Khoản Khoá" not in html  # inactive accounts are not offered
    added = client.post(f"/rounds/{round_.id}/council", data={
        "user_id": conflicted.id, "panel_field_id": 0, "affiliation_organisation_id": org.id,
        "affiliation": "", "expertise": [fields[0].id, fields[1].id]})
    assert added.status_code == 302
    for user in (second, third):
        assert client.post(f"/rounds/{round_.id}/council", data={
            "user_id": user.id, "panel_field_id": fields[0].id, "affiliation_organisation_id": 0,
            "affiliation": "Viện Toán học"}).status_code == 302
    again = client.post(f"/rounds/{round_.id}/council", data={"user_id": second.id, "panel_field_id": 0,
                                                              "affiliation_organisation_id": 0})
    assert again.status_code == 422  # already a member: no longer a choice
    members = {m.user_id: m for m in services.council(round_.id)}
    assert set(members) == {conflicted.id, second.id, third.id}
    assert [f.name for f in members[conflicted.id].expertise] == ["Khoa học tự nhiên", "Y dược"]
    assert members[conflicted.id].affiliation_organisation_id == org.id
    council_page = squash(client.get(f"/rounds/{round_.id}/council").get_data(as_text=True))
    assert "Hội Y học tỉnh Bắc Ninh" in council_page and "Khoa học tự nhiên, Y dược" in council_page

    auto = client.post(f"/rounds/{round_.id}/assignments/auto", follow_redirects=True)
    assert "Đã phân công tự động 4 lượt chấm." in auto.get_data(as_text=True)
    assigned = set(db.session.execute(select(ReviewAssignment.dossier_id, ReviewAssignment.reviewer_id)).all())
    assert assigned == {(d.id, u.id) for d in (first, other) for u in (second, third)}  # never the conflicted one
    db.session.expire_all()
    assert db.session.get(Dossier, first.id).state == states.UNDER_REVIEW

    html = squash(client.get(f"/rounds/{round_.id}/assignments").get_data(as_text=True))
    assert "<td>Lê Thị Dung</td><td>Khoa học tự nhiên</td><td>2</td><td>0</td>" in html  # load
    assert "<td>Phạm Văn Cẩn</td><td>—</td><td>0</td><td>0</td>" in html
    assert "2 hồ sơ chưa đủ người chấm." in html
    assert (f'<a href="/dossiers/{first.id}">Trần Thị Bình</a></td><td>Khoa học tự nhiên</td>'
            '<td>Hội Y học tỉnh Bắc Ninh</td><td>2/3 <span class="badge warn">Thiếu</span>') in html
    lacking_only = client.get(f"/rounds/{round_.id}/assignments?only=lacking")
    assert "Lê Văn Cường" in lacking_only.get_data(as_text=True)

    refused = client.post(f"/rounds/{round_.id}/assignments", data={"dossier_id": first.id,
                                                                    "reviewer_id": conflicted.id})
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "Không thể phân công: Thành viên thuộc đơn vị đề cử hồ sơ này." in html
    assert f'value="{first.id}" id="pick-{first.id}" checked' in html  # the choice is kept
    assert f'<option selected value="{conflicted.id}">' in html
    assert not services.is_assigned(conflicted, first)

    # Members who review cannot be removed; the others can, and their details can be edited.
    blocked = client.post(f"/rounds/{round_.id}/council/{members[second.id].id}/remove", follow_redirects=True)
    assert "Không thể bỏ thành viên đang được phân công" in blocked.get_data(as_text=True)
    edit = client.post(f"/rounds/{round_.id}/council/{members[third.id].id}/edit", data={
        "panel_field_id": fields[2].id, "affiliation_organisation_id": 0, "affiliation": "Đại học Y Hà Nội",
        "expertise": [fields[2].id]})
    assert edit.status_code == 302
    db.session.expire_all()
    changed = db.session.get(CouncilMember, members[third.id].id)
    assert (changed.panel_field_id, changed.affiliation, [f.id for f in changed.expertise]) == (
        fields[2].id, "Đại học Y Hà Nội", [fields[2].id])
    assert client.post(f"/rounds/{round_.id}/council/{members[conflicted.id].id}/remove").status_code == 302
    assert services.membership(round_.id, conflicted.id) is None
    # A member of another round is not reachable through this round's URLs.
    other_round = make_round(name="Đợt khác")
    stranger = council_of({"round": other_round}, ["Người Đợt Khác"])[0]
    stranger_member = services.membership(other_round.id, stranger.id)
    assert client.get(f"/rounds/{round_.id}/council/{stranger_member.id}/edit").status_code == 404

    # Unassigning (with a reason) frees the place; a dossier short of reviewers shows up again.
    assignment = db.session.scalar(select(ReviewAssignment).where(ReviewAssignment.dossier_id == first.id,
                                                                  ReviewAssignment.reviewer_id == second.id))
    response = client.post(f"/rounds/assignments/{assignment.id}/unassign",
                           data={"reason": "Bận công tác", "confirmed": "1"})
    assert response.status_code == 302
    assert not services.is_assigned(second, first)
    manual = client.post(f"/rounds/{round_.id}/assignments", data={"dossier_id": first.id, "reviewer_id": second.id})
    assert manual.status_code == 302 and services.is_assigned(second, first)


def test_reminders_and_declared_conflicts_over_http(app, client, world):
    round_ = world["round"]
    reviewers = council_of(world, ["Trịnh Văn An", "Đỗ Thị Bích", "Vũ Văn Công"])
    dossier = eligible(world)
    services.auto_assign(world["secretary"], round_)

    reviewer = app.test_client()
    login(reviewer, reviewers[0])
    missing = reviewer.post(f"/reviews/{dossier.id}/conflict", data={"reason": " "})
    assert missing.status_code == 422
    assert "Vui lòng nhập thông tin này." in missing.get_data(as_text=True)
    declared = reviewer.post(f"/reviews/{dossier.id}/conflict", data={"reason": "Là đồng tác giả"},
                             follow_redirects=True)
    assert declared.request.path == "/reviews/"
    assert "Đã ghi nhận xung đột lợi ích" in declared.get_data(as_text=True)
    assert not services.is_assigned(reviewers[0], dossier)
    assert reviewer.get(f"/reviews/{dossier.id}").status_code == 404

    login(client, world["secretary"])
    html = client.get(f"/rounds/{round_.id}/assignments").get_data(as_text=True)
    assert "Là đồng tác giả" in html and "1 hồ sơ chưa đủ người chấm." in html
    reminded = client.post(f"/rounds/{round_.id}/assignments/remind", follow_redirects=True)
    assert "Đã gửi email nhắc nhở tới 2 thành viên" in reminded.get_data(as_text=True)


# ---------------------------------------------------------------- scoring and results

def test_three_reviewers_score_through_the_form_and_the_results_page_shows_the_ranking(app, client, world):
    round_ = world["round"]  # criteria max 10, weights 50/30/20; trimming needs 5 sheets
    reviewers = council_of(world, ["Trịnh Văn An", "Đỗ Thị Bích", "Vũ Văn Công"])
    dossier = eligible(world, "Trần Thị Bình")
    services.auto_assign(world["secretary"], round_)
    # Weighted totals: 9,8,7 -> 83; 8,8,8 -> 80; 7,7,7 -> 70. Mean 77.67, sample deviation 6.81.
    for reviewer, marks in zip(reviewers, [[9, 8, 7], ["8", "8,0", "8"], [7, 7, 7]]):
        score_over_http(app, reviewer, dossier, marks, submit=True)
    db.session.expire_all()
    assert db.session.get(Dossier, dossier.id).state == states.SCORED

    login(client, world["secretary"])
    page = client.get(f"/rounds/{round_.id}/results")
    assert page.status_code == 200
    html = squash(page.get_data(as_text=True))
    assert ("<td>1</td><td><a href=\"/dossiers/%d\">Trần Thị Bình</a></td><td>Hội Y học tỉnh Bắc Ninh</td>"
            "<td>3</td><td>77,67</td><td>6,81</td><td>—</td><td><strong>77,67</strong></td>" % dossier.id) in html
    assert "Ngưỡng chỉ tiêu (3 hồ sơ)" in html
    assert "<td>Trịnh Văn An</td><td>9</td><td>8</td><td>7</td><td>83,00</td>" in html
    assert "Chênh lệch cao" not in html and "Lệch nhiều so với trung bình</span>" not in html

    sheet = db.session.scalar(select(ScoreSheet).where(ScoreSheet.reviewer_id == reviewers[2].id))
    assert client.get(f"/rounds/sheets/{sheet.id}/reopen").status_code == 200
    no_reason = client.post(f"/rounds/sheets/{sheet.id}/reopen", data={"reason": ""})
    assert no_reason.status_code == 422 and "Vui lòng nhập thông tin này." in no_reason.get_data(as_text=True)
    reopened = client.post(f"/rounds/sheets/{sheet.id}/reopen", data={"reason": "Thành viên xin chấm lại"})
    assert reopened.status_code == 302
    db.session.expire_all()
    assert db.session.get(ScoreSheet, sheet.id).status == "draft"
    assert db.session.get(Dossier, dossier.id).state == states.UNDER_REVIEW
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "reopen_sheet"))
    assert (entry.entity_id, entry.actor_id, entry.reason) == (sheet.id, world["secretary"].id,
                                                                "Thành viên xin chấm lại")
    again = client.post(f"/rounds/sheets/{sheet.id}/reopen", data={"reason": "Lần nữa"})
    assert again.status_code == 422 and "Phiếu chưa nộp." in again.get_data(as_text=True)
    # The reopened sheet no longer counts: two sheets left.
    html = squash(client.get(f"/rounds/{round_.id}/results").get_data(as_text=True))
    assert "<td>2</td><td>81,50</td>" in html


def test_flags_below_minimum_and_quota_line(app, client, world):
    round_ = world["round"]
    round_.reviewers_per_dossier = 2
    round_.min_average_score = Decimal(50)
    db.session.commit()
    reviewers = council_of(world, ["Trịnh Văn An", "Đỗ Thị Bích"])
    dossiers = [eligible(world, f"Ứng viên {i}") for i in range(5)]
    services.auto_assign(world["secretary"], round_)
    marks = {0: ([9] * 3, [9] * 3), 1: ([4] * 3, [4] * 3), 2: ([7] * 3, [7] * 3), 3: ([10] * 3, [4] * 3),
             4: ([6] * 3, [6] * 3)}
    for i, dossier in enumerate(dossiers):
        for reviewer, points in zip(reviewers, marks[i]):
            score_over_http(app, reviewer, dossier, points)
    login(client, world["secretary"])
    html = squash(client.get(f"/rounds/{round_.id}/results").get_data(as_text=True))
    # Ranks: 0 (90), 3 (70, high disagreement), 2 (70) | quota 3 | 4 (60), 1 (40, below the minimum)
    order = [m.group(1) for m in re.finditer(r">(Ứng viên \d)</a>", html)]
    assert order == ["Ứng viên 0", "Ứng viên 2", "Ứng viên 3", "Ứng viên 4", "Ứng viên 1"]
    quota_at = html.index("Ngưỡng chỉ tiêu (3 hồ sơ)")
    assert html.index("Ứng viên 3") < quota_at < html.index("Ứng viên 4")
    assert html.count("Chênh lệch cao giữa người chấm") == 1
    assert html.count("Dưới điểm tối thiểu</span>") == 1
    # 100 and 40 around a mean of 70: both further than 20 per cent of it from the mean
    assert html.count('<tr class="flagged">') == 2
    assert ('<td><strong>Đỗ Thị Bích</strong><span class="badge warn">Lệch nhiều so với trung bình</span></td>'
            '<td>4</td><td>4</td><td>4</td><td><strong>40,00</strong></td>') in html


def test_a_reviewer_sees_only_their_own_dossiers_and_sheet(app, world):
    round_ = world["round"]
    round_.reviewers_per_dossier = 2
    db.session.commit()
    mine_first, other, third = council_of(world, ["Trịnh Văn An", "Đỗ Thị Bích", "Vũ Văn Công"])
    shared = eligible(world, "Hồ sơ chung")
    foreign = eligible(world, "Hồ sơ khác")
    for dossier, reviewer in ((shared, mine_first), (shared, other), (foreign, other), (foreign, third)):
        services.assign(world["secretary"], dossier, reviewer)
    me = app.test_client()
    login(me, mine_first)

    # Not assigned: neither the sheet, nor the dossier page, nor its files, nor any action.
    assert me.get(f"/reviews/{foreign.id}").status_code == 404
    assert me.get(f"/dossiers/{foreign.id}").status_code == 404
    assert me.get(f"/dossiers/attachments/{foreign.attachments[0].id}").status_code == 404
    assert me.post(f"/reviews/{foreign.id}", data=sheet_data(round_, [5, 5, 5], 1)).status_code == 404
    assert me.post(f"/reviews/{foreign.id}/conflict", data={"reason": "x"}).status_code == 404
    assert me.get("/reviews/999999").status_code == 404
    download = me.get(f"/dossiers/attachments/{shared.attachments[0].id}")
    assert download.status_code == 200 and download.data.startswith(b"%PDF")

    secrets = ["Đỗ Thị Bích", "Vũ Văn Công", "Nhận xét riêng của người chấm B", "Đánh giá tổng quát của B",
               "3.5", "3,5", "4.5", "4,5", "36,00", "36.00", "Hồ sơ khác"]

    def pages():
        listing = me.get("/reviews/")
        sheet = me.get(f"/reviews/{shared.id}")
        assert listing.status_code == sheet.status_code == 200
        return listing.get_data(as_text=True) + sheet.get_data(as_text=True)

    def assert_private(html):
        leaked = [s for s in secrets if s in html]
        assert not leaked, leaked

    assert_private(pages())
    score_over_http(app, other, shared, ["3.5", "4.5", "2.5"], submit=False,
                    comments=["Nhận xét riêng của người chấm B"], overall="Đánh giá tổng quát của B")
    assert_private(pages())
    score_over_http(app, other, shared, ["3.5", "4.5", "2.5"], submit=True,
                    comments=["Nhận xét riêng của người chấm B"], overall="Đánh giá tổng quát của B")
    assert_private(pages())
    score_over_http(app, mine_first, shared, [8, 8, 8], submit=True, comments=["Của tôi"])
    html = pages()
    assert_private(html)
    assert "Của tôi" in html and "80,00" in html  # my own read-only sheet, my total
    assert "Hồ sơ chung" in html and "Đã nộp" in html


def test_the_shared_dossier_page_does_not_name_other_reviewers(app, world):
    reviewers = council_of(world, ["Trịnh Văn An", "Đỗ Thị Bích", "Vũ Văn Công"])
    dossier = eligible(world)
    services.auto_assign(world["secretary"], world["round"])
    for reviewer in reviewers:
        score_over_http(app, reviewer, dossier, [7, 7, 7])
    me = app.test_client()
    login(me, reviewers[0])
    page = me.get(f"/dossiers/{dossier.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Vũ Văn Công" not in html and "Đỗ Thị Bích" not in html


def test_nominators_and_the_public_cannot_reach_review_pages_and_see_no_scores(app, client, world):
    round_ = world["round"]
    reviewers = council_of(world, ["Trịnh Văn An", "Đỗ Thị Bích", "Vũ Văn Công"])
    dossier = eligible(world, "Trần Thị Bình")
    services.auto_assign(world["secretary"], round_)
    for reviewer, marks in zip(reviewers, [[9, 8, 7], [8, 8, 8], [7, 7, 7]]):
        score_over_http(app, reviewer, dossier, marks, comments=["Nhận xét bí mật"], overall="Tổng quát bí mật")
    sheet = db.session.scalar(select(ScoreSheet))
    urls = [f"/rounds/{round_.id}/results", f"/rounds/{round_.id}/results.xlsx", f"/rounds/{round_.id}/assignments",
            f"/rounds/{round_.id}/council", f"/rounds/sheets/{sheet.id}/reopen"]
    anonymous = app.test_client()
    for url in urls:
        response = anonymous.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url
    login(client, world["nominator"])
    for url in urls:
        assert client.get(url).status_code == 403, url
    assert client.post(f"/rounds/{round_.id}/assignments/auto").status_code == 403
    assert client.post(f"/rounds/sheets/{sheet.id}/reopen", data={"reason": "x"}).status_code == 403
    assert client.get("/reviews/").status_code == 403
    assert client.get(f"/reviews/{dossier.id}").status_code == 403
    page = client.get(f"/dossiers/{dossier.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for secret in ("77,67", "77.67", "83,00", "83.00", "Nhận xét bí mật", "Tổng quát bí mật"):
        assert secret not in html


# ---------------------------------------------------------------- sheet edge cases

def test_a_stale_sheet_is_refused_and_a_second_submit_is_harmless(app, world):
    round_ = world["round"]
    reviewer = council_of(world, ["Trịnh Văn An"])[0]
    dossier = eligible(world)
    services.auto_assign(world["secretary"], round_)
    first_tab, second_tab = app.test_client(), app.test_client()
    login(first_tab, reviewer)
    login(second_tab, reviewer)
    opened = version_of(first_tab.get(f"/reviews/{dossier.id}").get_data(as_text=True))
    assert version_of(second_tab.get(f"/reviews/{dossier.id}").get_data(as_text=True)) == opened

    saved = first_tab.post(f"/reviews/{dossier.id}", data=sheet_data(round_, [5, 6, None], opened))
    assert saved.status_code == 302
    stale = second_tab.post(f"/reviews/{dossier.id}", data=sheet_data(round_, ["9.5", 9, 9], opened,
                                                                       comments=["Bản ở thẻ thứ hai"]))
    assert stale.status_code == 409
    html = stale.get_data(as_text=True)
    assert "vừa được người khác thay đổi" in html
    criteria = round_.criteria
    assert f'id="points_{criteria[0].id}"' in html and 'value="9.5"' in html  # what was typed is still there
    assert "Bản ở thẻ thứ hai" in html
    db.session.expire_all()
    sheet = db.session.scalar(select(ScoreSheet))
    assert {i.criterion_id: i.points for i in sheet.items} == {
        criteria[0].id: Decimal(5), criteria[1].id: Decimal(6), criteria[2].id: None}

    page = first_tab.get(f"/reviews/{dossier.id}").get_data(as_text=True)
    assert 'data-confirm="' in page and 'name="submit_sheet"' in page
    current = version_of(page)
    incomplete = first_tab.post(f"/reviews/{dossier.id}", data=sheet_data(round_, [5, 6, None], current, submit=True))
    assert incomplete.status_code == 422
    assert "Vui lòng chấm đủ các tiêu chí trước khi nộp" in incomplete.get_data(as_text=True)
    too_high = first_tab.post(f"/reviews/{dossier.id}", data=sheet_data(round_, [11, 6, 6], current, submit=True))
    assert too_high.status_code == 422 and "Giá trị ngoài khoảng cho phép." in too_high.get_data(as_text=True)
    submitted = first_tab.post(f"/reviews/{dossier.id}", data=sheet_data(round_, [5, 6, 7], current, submit=True))
    assert submitted.status_code == 302
    db.session.expire_all()
    sheet = db.session.get(ScoreSheet, sheet.id)
    state = (sheet.status, sheet.version, sheet.submitted_at, [i.points for i in sheet.items])
    assert sheet.status == "submitted"

    double = first_tab.post(f"/reviews/{dossier.id}", data=sheet_data(round_, [5, 6, 7], current, submit=True))
    assert double.status_code == 302
    followed = first_tab.get(double.headers["Location"]).get_data(as_text=True)
    assert "Phiếu này đã được nộp trước đó; không có thay đổi nào." in followed
    assert "flash-info" in followed and "flash-danger" not in followed
    assert 'name="points_' not in followed  # read-only now
    db.session.expire_all()
    sheet = db.session.get(ScoreSheet, sheet.id)
    assert (sheet.status, sheet.version, sheet.submitted_at, [i.points for i in sheet.items]) == state
    draft_after = first_tab.post(f"/reviews/{dossier.id}", data=sheet_data(round_, [1, 1, 1], current))
    assert draft_after.status_code == 422 and "Phiếu đã nộp, không thể sửa" in draft_after.get_data(as_text=True)


def test_scores_are_refused_after_the_review_deadline(app, world):
    round_ = world["round"]
    reviewer = council_of(world, ["Trịnh Văn An"])[0]
    dossier = eligible(world)
    services.auto_assign(world["secretary"], round_)
    client = app.test_client()
    login(client, reviewer)
    opened = version_of(client.get(f"/reviews/{dossier.id}").get_data(as_text=True))
    with clock.frozen(round_.review_close_at + timedelta(minutes=1)):
        refused = client.post(f"/reviews/{dossier.id}", data=sheet_data(round_, [5, 5, 5], opened, submit=True))
        assert refused.status_code == 422
        assert "Đã hết hạn chấm điểm (hạn chót" in refused.get_data(as_text=True)
        page = client.get(f"/reviews/{dossier.id}").get_data(as_text=True)
        assert "Đã hết hạn chấm điểm" in page and 'name="points_' not in page
        assert "Đã hết hạn" in client.get("/reviews/").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(ScoreSheet)) is None  # opening the page wrote nothing, the refused submit neither


# ---------------------------------------------------------------- Excel export

def test_sheet_names_are_valid_for_excel():
    taken = set()
    assert sheet_name("Khoa học / Công nghệ: [ứng dụng]*?", taken) == "Khoa học Công nghệ ứng dụng"
    long_name = "Khoa học xã hội và nhân văn, văn học nghệ thuật"
    first = sheet_name(long_name, taken)
    second = sheet_name(long_name, taken)
    assert len(first) <= 31 and len(second) <= 31 and first != second and second.endswith("(2)")
    assert sheet_name("'***'", taken) == "Lĩnh vực"


def test_the_excel_export_matches_the_ranking_and_raw_scores(app, client, world):
    round_ = world["round"]
    round_.fields.append(RoundField(name="Kỹ thuật / Công nghệ: ứng dụng [thử nghiệm] dài hơn", quota=1,
                                    position=3))
    round_.reviewers_per_dossier = 2
    db.session.commit()
    reviewers = council_of(world, ["Trịnh Văn An", "Đỗ Thị Bích"])
    best, second = eligible(world, "Trần Thị Bình"), eligible(world, "Lê Văn Cường")
    services.auto_assign(world["secretary"], round_)
    for dossier, marks in ((best, ([9, 8, 7], [8, 8, 8])), (second, ([5, 5, 5], [6, 6, 6]))):
        for reviewer, points in zip(reviewers, marks):
            score_over_http(app, reviewer, dossier, points)
    login(client, world["secretary"])
    response = client.get(f"/rounds/{round_.id}/results.xlsx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response.headers["Content-Disposition"]
    assert ".xlsx" in response.headers["Content-Disposition"]
    book = load_workbook(BytesIO(response.data))
    assert book.sheetnames == ["Khoa học tự nhiên", "Y dược", "Giáo dục", "Kỹ thuật Công nghệ ứng dụng thử",
                               "Điểm chi tiết"]
    ranked = list(book["Khoa học tự nhiên"].iter_rows(values_only=True))
    assert ranked[1] == ("Hạng", "Họ và tên", "Đơn vị đề cử", "Số phiếu", "Điểm trung bình", "Độ lệch chuẩn",
                         "Điểm TB sau loại cao/thấp nhất", "Điểm xét chọn", "Chênh lệch cao", "Dưới điểm tối thiểu",
                         "Trong chỉ tiêu")
    assert ranked[2] == (1, "Trần Thị Bình", "Hội Y học tỉnh Bắc Ninh", 2, 81.5, 2.12, None, 81.5, None, None, "Có")
    assert ranked[3] == (2, "Lê Văn Cường", "Hội Y học tỉnh Bắc Ninh", 2, 55, 7.07, None, 55, None, None, "Có")
    assert len(ranked) == 4
    assert list(book["Y dược"].iter_rows(values_only=True))[2:] == []
    raw = list(book["Điểm chi tiết"].iter_rows(values_only=True))
    assert raw[1] == ("Hồ sơ", "Lĩnh vực", "Người chấm", "Thành tích khoa học", "Ứng dụng thực tiễn",
                      "Uy tín, đóng góp xã hội", "Tổng có trọng số", "Bị gắn cờ")
    assert sorted(raw[2:]) == sorted([
        ("Trần Thị Bình", "Khoa học tự nhiên", "Trịnh Văn An", 9, 8, 7, 83, None),
        ("Trần Thị Bình", "Khoa học tự nhiên", "Đỗ Thị Bích", 8, 8, 8, 80, None),
        ("Lê Văn Cường", "Khoa học tự nhiên", "Trịnh Văn An", 5, 5, 5, 50, None),
        ("Lê Văn Cường", "Khoa học tự nhiên", "Đỗ Thị Bích", 6, 6, 6, 60, None),
    ])
    assert ranked[0][0].startswith(f"Kết quả chấm điểm: {round_.name} — Xuất lúc ")
    assert round_.name in book.properties.title
    sheet = book["Khoa học tự nhiên"]
    assert all(cell.font.b for cell in sheet[2]) and sheet.freeze_panes == "A3" and sheet.print_title_rows == "$2:$2"
    assert sheet.page_setup.orientation == "landscape" and sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet["E3"].number_format == "0.00" and sheet["A3"].number_format == sheet["D3"].number_format == "0"
    assert isinstance(sheet["F3"].value, float) and isinstance(sheet["D3"].value, int)


# ---------------------------------------------------------------- query counts

def build_review_data(size: int):
    """A round in review with `size` dossiers, 3 reviewers each (2 submitted sheets, 1 draft), conflicts;
    organisations and reviewers grow with the size so a per-row lazy load would show. Bulk inserts only."""
    round_ = make_round(name=f"Đợt {size}", reviewers_per_dossier=3)
    db.session.add_all(Organisation(name=f"Đơn vị {size}-{i}", org_type="association") for i in range(max(5, size // 10)))
    db.session.add_all(User(email=f"hd{size}-{i}@example.vn", full_name=f"Thành viên {i}", role=roles.COUNCIL,
                            password_hash="x") for i in range(max(6, size // 20)))
    db.session.commit()
    organisations = db.session.scalars(select(Organisation.id).order_by(Organisation.id)).all()
    reviewers = db.session.scalars(select(User.id).where(User.role == roles.COUNCIL).order_by(User.id)).all()
    secretary = make_user(roles.SECRETARIAT)
    fields = round_.fields
    members = [CouncilMember(round_id=round_.id, user_id=r, expertise=[fields[i % len(fields)]],
                             affiliation=f"Viện {i}") for i, r in enumerate(reviewers)]
    db.session.add_all(members)
    db.session.commit()
    db.session.execute(Dossier.__table__.insert(), [{
        "round_id": round_.id, "organisation_id": organisations[i % len(organisations)],
        "field_id": fields[i % len(fields)].id,
        "state": states.ELIGIBLE if i % 10 == 0 else states.UNDER_REVIEW if i % 2 else states.SCORED,
        "full_name": f"Nguyễn Văn Thử {i}", "name_folded": fold(f"Nguyễn Văn Thử {i}"), "gender": "male",
        "date_of_birth": date(1970, 1, 1), "ethnicity": "Kinh", "created_by_id": secretary.id,
        "submission_count": 1} for i in range(size)])
    dossiers = db.session.execute(select(Dossier.id, Dossier.state).where(Dossier.round_id == round_.id)
                                  .order_by(Dossier.id)).all()
    reviewed = [(i, d) for i, (d, state) in enumerate(dossiers) if state != states.ELIGIBLE]
    # Every third dossier in review still lacks its third reviewer.
    pairs = [(d, reviewers[(i * 3 + k) % len(reviewers)], k) for i, d in reviewed for k in range(3 if i % 3 else 2)]
    db.session.execute(ReviewAssignment.__table__.insert(), [
        {"dossier_id": d, "reviewer_id": r, "assigned_by_id": secretary.id} for d, r, _k in pairs])
    db.session.execute(ScoreSheet.__table__.insert(), [
        {"dossier_id": d, "reviewer_id": r, "status": "draft" if k == 2 else "submitted",
         "submitted_at": None if k == 2 else clock.now()} for d, r, k in pairs])
    sheets = db.session.execute(select(ScoreSheet.id, ScoreSheet.dossier_id)).all()
    db.session.execute(ScoreItem.__table__.insert(), [
        {"sheet_id": s, "criterion_id": c.id, "points": Decimal(3 + (s + d + j) % 8)}
        for s, d in sheets for j, c in enumerate(round_.criteria)])
    refresh_round_totals(db.session.connection(), [round_.id])  # bulk inserts skip the ORM that keeps the totals
    db.session.execute(ConflictDeclaration.__table__.insert(), [
        {"dossier_id": d, "reviewer_id": reviewers[(i * 3 + 3) % len(reviewers)], "reason": "Cùng đơn vị"}
        for i, d in reviewed[::10]])
    db.session.commit()
    return round_, secretary


@pytest.mark.parametrize("url", ["/rounds/{round_id}/results", "/rounds/{round_id}/assignments",
                                 "/rounds/{round_id}/assignments?page=2", "/rounds/{round_id}/assignments?only=lacking",
                                 "/rounds/{round_id}/council"])
def test_secretariat_review_pages_run_the_same_queries_for_50_and_1000_dossiers(app, url):
    counts = []
    for size in (50, 1000):
        round_, secretary = build_review_data(size)
        counts.append(queries_for(app, secretary, url.format(round_id=round_.id)))
        db.session.close()
        wipe(app)
    assert counts[0] == counts[1], f"{url}: {counts[0]} queries with 50 dossiers, {counts[1]} with 1000"
    assert counts[0] <= 20


def test_my_dossiers_page_runs_the_same_queries_for_5_and_100_assignments(app):
    counts = []
    for size in (5, 100):
        round_, secretary = build_review_data(size * 2)
        reviewer = make_user(roles.COUNCIL)
        dossiers = db.session.scalars(select(Dossier.id).where(Dossier.round_id == round_.id)
                                      .order_by(Dossier.id).limit(size)).all()
        db.session.execute(ReviewAssignment.__table__.insert(), [
            {"dossier_id": d, "reviewer_id": reviewer.id, "assigned_by_id": secretary.id} for d in dossiers])
        db.session.execute(ScoreSheet.__table__.insert(), [
            {"dossier_id": d, "reviewer_id": reviewer.id, "status": "submitted" if i % 2 else "draft"}
            for i, d in enumerate(dossiers)])
        db.session.commit()
        counts.append(queries_for(app, reviewer, "/reviews/"))
        db.session.close()
        wipe(app)
    assert counts[0] == counts[1], counts
    assert counts[0] <= 8


def test_members_declare_their_own_expertise_and_auto_assignment_prefers_it(app):
    from honours.reviews.models import CouncilMember
    from tests.conftest import login
    from tests.factories import make_council, make_dossier, make_org, make_round, make_user

    round_ = make_round(reviewers_per_dossier=1)
    members = make_council(round_, 3)
    other_round = make_round(name="Đợt khác")
    client = app.test_client()
    login(client, members[2])
    page = client.get("/reviews/").get_data(as_text=True)
    assert "Lĩnh vực chuyên môn của tôi" in page and "Y dược" in page
    y_duoc = round_.fields[1].id
    assert client.post(f"/reviews/rounds/{round_.id}/expertise", data={"expertise": [y_duoc]}).status_code == 302
    assert client.post(f"/reviews/rounds/{round_.id}/expertise",
                       data={"expertise": [other_round.fields[0].id]}).status_code == 422
    assert client.post(f"/reviews/rounds/{other_round.id}/expertise", data={}).status_code == 404  # not a member
    db.session.expire_all()
    member = db.session.scalars(select(CouncilMember).where(CouncilMember.user_id == members[2].id)).one()
    assert [f.id for f in member.expertise] == [y_duoc]
    org = make_org()
    dossier = make_dossier(round_, org, make_user("nominator", org), state="eligible", field_id=y_duoc)
    services.auto_assign(make_user("secretariat"), round_)
    assert services.is_assigned(members[2], dossier)


def test_results_export_keeps_names_as_text_not_formulas():
    """A nominee name typed as a formula must not run in the secretariat's Excel (formula injection)."""
    from io import BytesIO

    from openpyxl import Workbook

    from honours.reviews.export import write_sheet

    book, buffer = Workbook(), BytesIO()
    write_sheet(book, "Kết quả", [["Họ và tên"], ['=HYPERLINK("http://evil.example","Bấm vào đây")']], "Đợt", None)
    book.save(buffer)
    cell = load_workbook(BytesIO(buffer.getvalue()))["Kết quả"]["A3"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_results_export_keeps_criterion_names_in_the_header_as_text():
    """A criterion named like a formula must not become a live formula in the header row (issue 10, finding 12)."""
    from types import SimpleNamespace

    from honours.reviews.export import results_workbook

    criterion = SimpleNamespace(id=1, name='=HYPERLINK("http://evil.example","Điểm")')
    book = load_workbook(BytesIO(results_workbook([], [criterion])))
    header = [cell for cell in next(book["Điểm chi tiết"].iter_rows(min_row=2, max_row=2))]
    assert header[3].value.startswith("=HYPERLINK")
    assert all(cell.data_type != "f" for sheet in book.worksheets for row in sheet.iter_rows() for cell in row)


def test_the_results_export_is_in_the_audit_log(app, client, world):
    """The results workbook names nominees and reviewers with their scores: each download is audited."""
    round_ = world["round"]
    login(client, world["secretary"])
    assert client.get(f"/rounds/{round_.id}/results.xlsx").status_code == 200
    db.session.expire_all()
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "export_results")).one()
    assert (entry.actor_id, entry.entity_type, entry.entity_id) == (world["secretary"].id, "round", round_.id)
    assert entry.reason_code == "reviews.results_export" and set(entry.reason_params) == {"dossiers", "sheets"}
