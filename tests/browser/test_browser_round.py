"""End to end in a real browser, the end of a round: a council member scores a dossier on the score sheet and
submits it, the council decides (through the services), the secretariat publishes the honoured list, and an
anonymous visitor reads it. Real forms (CSRF on), the real JS confirm dialog, served by werkzeug in a thread.

Time is frozen at conftest.NOW for the whole test; the server's request threads read the same clock.
"""
import re
from decimal import Decimal

import pytest

from honours.auth.models import User
from honours.core import roles
from honours.core.db import db
from honours.council import services as council_services
from honours.council.models import CouncilSession
from honours.nominations import states
from honours.nominations.models import Dossier
from honours.reviews import services as reviews
from honours.reviews.models import ScoreSheet
from honours.reviews.services import SheetInput
from honours.rounds.models import Round
from tests.browser_support import TIMEOUT_MS, chromium_page, live_server, log_in, log_out, require_chromium, screenshot
from tests.conftest import NOW
from tests.factories import make_dossier, make_org, make_round, make_user

pytestmark = pytest.mark.browser

D = Decimal
NOMINEE = "Nguyễn Thị Hồng Nhung"
REJECTED = "Trần Văn Khước"
COUNCIL = ["Đinh Quang Chủ", "Bùi Thị Hạnh", "Cao Văn Khải"]  # the first is the chair
REVIEWER = 1  # Bùi Thị Hạnh scores in the browser
# Her points: 9 / 8.5 / 9 -> 9/10*50 + 8.5/10*30 + 9/10*20 = 45 + 25.5 + 18 = 88.5 (weighted, scale of 100)
POINTS = {"Thành tích khoa học": "9", "Ứng dụng thực tiễn": "8.5", "Uy tín, đóng góp xã hội": "9"}
COMMENTS = {"Thành tích khoa học": "Nhiều công trình công bố quốc tế có uy tín.",
            "Ứng dụng thực tiễn": "Kết quả nghiên cứu đã được áp dụng tại bệnh viện tuyến tỉnh.",
            "Uy tín, đóng góp xã hội": "Tích cực đào tạo bác sĩ trẻ cho tuyến huyện."}
OVERALL = "Hồ sơ xuất sắc, đề nghị Hội đồng xem xét tôn vinh."
CITATION = "Bác sĩ tận tâm, người đưa y học cổ truyền Kinh Bắc vào điều trị hiện đại."


def submit_sheet(reviewer, dossier, points):
    sheet = reviews.sheet_for(reviewer, dossier)
    data = SheetInput(points={c.id: D(p) for c, p in zip(dossier.round.criteria, points)}, comments={},
                      overall_comment="Phiếu của thành viên khác")
    assert reviews.save_sheet(reviewer, sheet, data, sheet.version, submit=True)


def set_up_round(app) -> dict:
    """Through the services: a 3-member council reviews two Y dược dossiers; everyone has submitted except the
    browser's member on the nominee's dossier."""
    with app.app_context():
        round_ = make_round(reviewers_per_dossier=3, min_average_score=D(50))
        org = make_org("Hội Đông y tỉnh Bắc Ninh", email="dongy@hoi.example.vn")
        nominator = make_user(roles.NOMINATOR, org)
        secretary = make_user(roles.SECRETARIAT, full_name="Phạm Thu Thư Ký")
        council = [make_user(roles.COUNCIL, full_name=name, is_chair=(i == 0)) for i, name in enumerate(COUNCIL)]
        for user in council:
            reviews.save_member(None, round_, user)
        medicine = round_.fields[1].id
        nominee = make_dossier(round_, org, nominator, state=states.ELIGIBLE, full_name=NOMINEE, field_id=medicine,
                               gender="female", degree="TS", workplace="Bệnh viện Y học cổ truyền Bắc Ninh",
                               position="Trưởng khoa Châm cứu", email="nhung.rieng@example.vn",
                               phone="0912 000 111",
                               merits_summary="Chủ nhiệm 2 đề tài cấp tỉnh về y học cổ truyền; 15 bài báo khoa học.")
        rejected = make_dossier(round_, org, nominator, state=states.ELIGIBLE, full_name=REJECTED, field_id=medicine)
        assert reviews.auto_assign(secretary, round_) == 6
        for i, user in enumerate(council):
            submit_sheet(user, rejected, ("7", "7", "7"))
            if i != REVIEWER:
                submit_sheet(user, nominee, ("9", "8", "9") if i == 0 else ("8", "9", "8"))
        assert (nominee.state, rejected.state) == (states.UNDER_REVIEW, states.SCORED)
        return {"round_id": round_.id, "round_name": round_.name, "secretary": secretary.email,
                "secretary_id": secretary.id, "council_ids": [u.id for u in council],
                "reviewer": council[REVIEWER].email, "nominee_id": nominee.id, "rejected_id": rejected.id}


def decide_in_council(app, ids: dict) -> None:
    """Through the services: the whole council present, the nominee approved, the other rejected; the chair
    confirms and the secretariat records the provincial decision."""
    with app.app_context():
        round_ = db.session.get(Round, ids["round_id"])
        secretary = db.session.get(User, ids["secretary_id"])
        council = [db.session.get(User, i) for i in ids["council_ids"]]
        nominee, rejected = db.session.get(Dossier, ids["nominee_id"]), db.session.get(Dossier, ids["rejected_id"])
        assert nominee.state == states.SCORED  # the sheet submitted in the browser completed the review
        # Scoring ended today, before the review deadline: the override reason is audited.
        session = council_services.open_session(secretary, round_, [u.id for u in council], confirmed=True,
                                                override_reason="Mọi phiếu đã nộp, họp sớm theo lịch của tỉnh.")
        for user in council:
            council_services.cast_ballot(user, session, {nominee.id: True, rejected.id: False})
        council_services.close_voting(secretary, session, confirmed=True)
        council_services.confirm(council[0], session)
        council_services.record_decision(secretary, db.session.get(CouncilSession, session.id), "2468/QĐ-UBND",
                                         NOW.date(), "Chủ tịch UBND tỉnh Bắc Ninh")
        db.session.expire_all()
        assert (nominee.state, rejected.state) == (states.APPROVED, states.NOT_APPROVED)


def test_member_scores_secretariat_publishes_public_reads_the_list(browser_app):
    require_chromium()
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    ids = set_up_round(browser_app)
    problems: list[str] = []
    dialogs: list[str] = []
    with live_server(browser_app) as base_url, sync_playwright() as playwright, \
            chromium_page(playwright, problems, dialogs) as page:
        try:
            nav = page.get_by_role("navigation", name="Điều hướng chính")
            heading = page.get_by_role("heading", level=1)

            # --- the council member opens "Hồ sơ của tôi", then the dossier's score sheet
            log_in(page, base_url, ids["reviewer"])
            nav.get_by_role("link", name="Hồ sơ của tôi").click()
            expect(heading).to_have_text("Hồ sơ của tôi")
            expect(page.get_by_text("Đã nộp 1/2 phiếu chấm điểm")).to_be_visible()
            expect(page.get_by_role("row", name=NOMINEE).locator(".state")).to_have_text("Chưa chấm")
            expect(page.get_by_role("row", name=REJECTED).locator(".state")).to_have_text("Đã nộp")
            screenshot(page, "round-1-my-dossiers.png")
            page.get_by_role("link", name=NOMINEE).click()
            expect(heading).to_have_text(NOMINEE)
            expect(page.get_by_role("heading", name="Phiếu chấm điểm của tôi")).to_be_visible()

            # --- fills every criterion's points and comment, then submits (accepting the confirm dialog)
            for criterion, points in POINTS.items():
                group = page.get_by_role("group", name=re.compile(f"^{re.escape(criterion)}"))
                group.get_by_label("Điểm (từ 0 đến 10)").fill(points)
                group.get_by_label("Nhận xét", exact=True).fill(COMMENTS[criterion])
            page.get_by_label("Nhận xét chung").fill(OVERALL)
            screenshot(page, "round-2-score-sheet.png")
            page.get_by_role("button", name="Nộp phiếu").click()
            expect(page.get_by_text(f"Đã nộp phiếu chấm điểm hồ sơ {NOMINEE}.")).to_be_visible()
            assert dialogs and dialogs[-1].startswith("Sau khi nộp, phiếu không thể sửa"), dialogs

            # --- the submitted sheet is read-only and shows what was typed
            expect(page.get_by_text("Bạn đã nộp phiếu lúc 15/06/2026 09:00.", exact=False)).to_be_visible()
            expect(page.get_by_role("spinbutton")).to_have_count(0)
            expect(page.get_by_role("button", name="Nộp phiếu")).to_have_count(0)
            for criterion, points in POINTS.items():
                row = page.get_by_role("row", name=re.compile(f"^{re.escape(criterion)}"))
                expect(row.get_by_role("cell").nth(3)).to_have_text(points.replace(".", ","))
                expect(row.get_by_role("cell").nth(4)).to_have_text(COMMENTS[criterion])
            expect(page.locator("tfoot")).to_contain_text("88,50")
            expect(page.get_by_text(OVERALL)).to_be_visible()
            screenshot(page, "round-3-sheet-submitted.png")
            nav.get_by_role("link", name="Hồ sơ của tôi").click()
            expect(page.get_by_text("Đã nộp 2/2 phiếu chấm điểm")).to_be_visible()
            log_out(page)

            with browser_app.app_context():
                sheet = db.session.scalar(db.select(ScoreSheet).where(
                    ScoreSheet.dossier_id == ids["nominee_id"], ScoreSheet.reviewer_id == ids["council_ids"][REVIEWER]))
                assert sheet.status == "submitted" and sheet.overall_comment == OVERALL
                assert sorted(str(i.points.normalize()) for i in sheet.items) == ["8.5", "9", "9"]

            # --- the council stage, through the services
            decide_in_council(browser_app, ids)

            # --- the secretariat opens the round's publication page and publishes
            log_in(page, base_url, ids["secretary"])
            nav.get_by_role("link", name="Đợt xét").click()
            page.get_by_role("link", name=ids["round_name"]).click()
            stages = page.get_by_role("navigation", name="Các bước xét chọn")
            stages.get_by_role("link", name="Công bố danh sách").click()
            expect(heading).to_have_text("Công bố danh sách được tôn vinh")
            expect(page.get_by_text("2468/QĐ-UBND")).to_be_visible()
            expect(page.get_by_text("Được thông qua: 1 hồ sơ", exact=True)).to_be_visible()
            expect(page.get_by_role("link", name=REJECTED)).to_have_count(0)
            citation = page.get_by_label(f"Trích dẫn công bố: {NOMINEE}")
            expect(citation).to_have_value("Chủ nhiệm 2 đề tài cấp tỉnh về y học cổ truyền; 15 bài báo khoa học.")
            citation.fill(CITATION)
            screenshot(page, "round-4-publication.png")

            # The confirmation page says what becomes public and who is told; nothing is published before it.
            page.get_by_role("button", name="Công bố danh sách").click()
            expect(heading).to_have_text("Xác nhận công bố danh sách được tôn vinh")
            expect(page.get_by_text("Công bố 1 người được tôn vinh", exact=False)).to_be_visible()
            expect(page.get_by_text("1 đơn vị đề cử nhận email thông báo kết quả", exact=False)).to_be_visible()
            with browser_app.app_context():
                assert db.session.get(Round, ids["round_id"]).published_at is None
            screenshot(page, "round-5-publication-confirmation.png")
            page.get_by_role("button", name="Công bố danh sách").click()
            expect(page.get_by_text("Đã công bố danh sách 1 trí thức được tôn vinh", exact=False)).to_be_visible()
            expect(page.get_by_text("Danh sách đã được công bố lúc 15/06/2026 09:00.", exact=False)).to_be_visible()
            expect(page.get_by_role("button", name="Công bố danh sách")).to_have_count(0)
            screenshot(page, "round-6-published.png")
            log_out(page)

            # --- an anonymous visitor reads the honoured list and the honouree's page
            nav.get_by_role("link", name="Vinh danh").click()
            expect(heading).to_have_text("Trí thức Bắc Ninh tiêu biểu năm 2026")
            honouree = page.get_by_role("link", name=f"TS. {NOMINEE}")
            expect(honouree).to_be_visible()
            expect(page.get_by_text(CITATION)).to_be_visible()
            expect(page.get_by_text("Quyết định số 2468/QĐ-UBND ngày 15/06/2026.", exact=False)).to_be_visible()
            body = page.locator("main").inner_text()
            for secret in (REJECTED, "nhung.rieng@example.vn", "0912 000 111", "88,5", "88.5", *COUNCIL):
                assert secret not in body, secret
            screenshot(page, "round-7-public-list.png")
            honouree.click()
            expect(heading).to_have_text(f"TS. {NOMINEE}")
            assert re.search(rf"/vinh-danh/2026/{ids['nominee_id']}-nguyen-thi-hong-nhung$", page.url), page.url
            expect(page.get_by_text(CITATION)).to_be_visible()
            expect(page.get_by_text("Bệnh viện Y học cổ truyền Bắc Ninh")).to_be_visible()
            expect(page.get_by_text("Số 2468/QĐ-UBND ngày 15/06/2026")).to_be_visible()
            screenshot(page, "round-8-honouree.png")
        except Exception:
            screenshot(page, "round-failure.png")
            raise

    assert problems == [], "\n".join(problems)
