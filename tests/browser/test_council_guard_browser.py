"""In a real browser: the secretariat opens a council session before the review deadline. The confirmation page
says what opening freezes and why it is too early; without a reason it is refused (by the browser's required field,
and by the server when the field's check is bypassed); with a reason the session opens, the session's history and
the audit log show the reason.

Time is frozen at conftest.NOW for the whole test; the server's request threads read the same clock.
"""
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from honours.core import clock, roles
from honours.core.db import db
from honours.council.models import CouncilSession
from honours.nominations import states
from honours.reviews import services as reviews
from tests.browser_support import TIMEOUT_MS, chromium_page, live_server, log_in, require_chromium, screenshot
from tests.factories import make_dossier, make_org, make_round, make_score_sheet, make_user

pytestmark = pytest.mark.browser

COUNCIL = ["Đinh Quang Chủ", "Bùi Thị Hạnh", "Cao Văn Khải"]
REASON = "UBND tỉnh đề nghị họp sớm để kịp lễ tôn vinh ngày 10/10."


def set_up(app) -> dict:
    """Nominations closed 10 days ago, the review deadline is 20 days away; one dossier is fully scored."""
    with app.app_context():
        round_ = make_round(closes_in_days=-10, min_average_score=Decimal(50))
        org = make_org("Hội Y học tỉnh Bắc Ninh")
        nominator = make_user(roles.NOMINATOR, org)
        secretary = make_user(roles.SECRETARIAT, full_name="Phạm Thu Thư Ký")
        council = [make_user(roles.COUNCIL, full_name=name, is_chair=(i == 0)) for i, name in enumerate(COUNCIL)]
        for user in council:
            reviews.save_member(None, round_, user)
        dossier = make_dossier(round_, org, nominator, state=states.SCORED, full_name="Nguyễn Thị Hồng Nhung")
        for user in council:
            make_score_sheet(dossier, user, Decimal(8), submitted_at=clock.now())
        return {"round_id": round_.id, "secretary": secretary.email}


def sessions(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(CouncilSession.id)))


def test_opening_a_session_before_the_review_deadline_needs_a_reason_which_is_audited(browser_app):
    require_chromium()
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    ids = set_up(browser_app)
    problems: list[str] = []
    dialogs: list[str] = []
    with live_server(browser_app) as base_url, sync_playwright() as playwright, \
            chromium_page(playwright, problems, dialogs) as page:
        try:
            heading = page.get_by_role("heading", level=1)
            log_in(page, base_url, ids["secretary"])
            page.goto(f"{base_url}/council/rounds/{ids['round_id']}")
            expect(heading).to_have_text("Phiên họp hội đồng")
            expect(page.get_by_text("Chưa đến thời điểm mở phiên họp theo tiến độ đợt xét:")).to_be_visible()
            for name in COUNCIL:
                page.get_by_label(name).check()
            page.get_by_role("button", name="Mở phiên họp và bắt đầu bỏ phiếu").click()

            # --- the confirmation page: the consequence, why it is early, a reason box
            expect(heading).to_have_text("Xác nhận mở phiên họp hội đồng")
            expect(page.get_by_text("Mở phiên họp hội đồng với 3/3 thành viên có mặt.", exact=False)).to_be_visible()
            expect(page.get_by_text("Chưa hết hạn chấm điểm (hạn chấm:", exact=False)).to_be_visible()
            reason = page.get_by_label("Lý do thực hiện trước thời hạn (ghi vào nhật ký)")
            expect(reason).to_be_visible()
            screenshot(page, "council-guard-1-confirmation.png")
            confirm = page.get_by_role("button", name="Mở phiên họp và bắt đầu bỏ phiếu")

            # Without a reason: the browser does not send the form...
            confirm.click()
            expect(heading).to_have_text("Xác nhận mở phiên họp hội đồng")
            assert reason.evaluate("box => box.validity.valueMissing")
            assert sessions(browser_app) == 0
            # ...and the server refuses it when that check is bypassed.
            reason.evaluate("box => box.removeAttribute('required')")
            confirm.click()
            expect(page.get_by_text("Vui lòng nêu lý do thực hiện trước thời hạn.")).to_be_visible()
            expect(page.get_by_label("Lý do thực hiện trước thời hạn (ghi vào nhật ký)")).to_have_attribute(
                "aria-invalid", "true")
            assert sessions(browser_app) == 0
            screenshot(page, "council-guard-2-reason-missing.png")

            # --- with a reason the session opens; its history says why
            page.get_by_label("Lý do thực hiện trước thời hạn (ghi vào nhật ký)").fill(REASON)
            page.get_by_role("button", name="Mở phiên họp và bắt đầu bỏ phiếu").click()
            expect(page.get_by_text("Đã mở phiên họp hội đồng và ghi nhận danh sách có mặt.")).to_be_visible()
            expect(heading).to_have_text("Phiên họp hội đồng")
            assert sessions(browser_app) == 1
            history = page.get_by_role("region", name="Lịch sử phiên họp")
            expect(history.get_by_role("row", name="Mở phiên họp trước thời hạn")).to_contain_text(REASON)
            screenshot(page, "council-guard-3-opened.png")

            # --- the audit log shows the override and its reason, in words
            page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Nhật ký").click()
            page.get_by_label("Thao tác").select_option(label="Mở phiên họp trước thời hạn")
            page.get_by_role("button", name="Lọc").click()
            row = page.get_by_role("row", name="Mở phiên họp trước thời hạn")
            expect(row).to_have_count(1)
            expect(row).to_contain_text(REASON)
            expect(row).to_contain_text("Phạm Thu Thư Ký")
            expect(row.get_by_role("link")).to_have_attribute("href", f"/council/rounds/{ids['round_id']}")
            screenshot(page, "council-guard-4-audit-log.png")
        except Exception:
            screenshot(page, "council-guard-failure.png")
            raise
    assert problems == [], "\n".join(problems)
    assert dialogs == []


def test_with_javascript_the_dialog_is_the_confirmation_of_a_draft_deletion(browser_app):
    """The JS dialog states the consequence; accepting it posts confirmed=1, so no second confirmation page."""
    require_chromium()
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    with browser_app.app_context():
        round_ = make_round()
        org = make_org("Hội Tin học Bắc Ninh")
        nominator = make_user(roles.NOMINATOR, org)
        dossier_id = make_dossier(round_, org, nominator, full_name="Trần Văn Nháp").id
        email = nominator.email
    problems: list[str] = []
    dialogs: list[str] = []
    with live_server(browser_app) as base_url, sync_playwright() as playwright, \
            chromium_page(playwright, problems, dialogs) as page:
        log_in(page, base_url, email)
        page.goto(f"{base_url}/dossiers/{dossier_id}")
        page.get_by_role("button", name="Xoá hồ sơ nháp").click()
        expect(page.get_by_text("Đã xoá hồ sơ nháp.")).to_be_visible()
    assert dialogs == ["Xoá hẳn hồ sơ nháp này cùng mọi tệp đính kèm? Không thể khôi phục sau khi xoá."]
    assert problems == [], "\n".join(problems)
    with browser_app.app_context():
        from honours.nominations.models import Dossier

        assert db.session.get(Dossier, dossier_id) is None
