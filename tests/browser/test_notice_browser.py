"""The public objection form in a browser, without an account: from the public home page to the noticed list, a
candidate's form refused with the error summary (a contact that is neither an email nor a phone), then accepted
with an attachment, the receipt number on screen; the honeypot is hidden from people and assistive technology."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from honours.core import clock, roles
from honours.core.db import db
from honours.nominations import states
from honours.notice.models import Opinion
from tests.browser_support import TIMEOUT_MS, chromium_page, live_server, require_chromium
from tests.factories import PDF, make_dossier, make_org, make_round, make_user

pytestmark = pytest.mark.browser


def test_public_objection_form(browser_app, tmp_path):
    require_chromium()
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    with browser_app.app_context():
        now = clock.now()
        round_ = make_round(name="Trí thức trẻ Bắc Ninh tiêu biểu 2026", notice_days=10, notice_opened_at=now,
                            notice_ends_at=now + timedelta(days=10), council_stage="confirmed")
        org = make_org(name="Trường Đại học Kinh Bắc")
        make_dossier(round_, org, make_user(roles.NOMINATOR, org), state=states.APPROVED,
                     full_name="Nguyễn Hải Đăng", merits_summary="Chủ nhiệm đề tài cấp tỉnh đã nghiệm thu.")
        db.session.commit()
    evidence = tmp_path / "minh-chung.pdf"
    evidence.write_bytes(PDF)

    problems: list[str] = []
    dialogs: list[str] = []
    with live_server(browser_app) as base_url, sync_playwright() as playwright, \
            chromium_page(playwright, problems, dialogs) as page:
        page.goto(base_url + "/")
        page.get_by_role("link", name="Trí thức trẻ Bắc Ninh tiêu biểu 2026").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Công khai danh sách đề xuất tôn vinh")
        page.get_by_role("link", name="Gửi ý kiến về Nguyễn Hải Đăng").click()
        expect(page.locator("[aria-hidden=true] #website")).to_have_count(1)
        assert page.locator("#website").get_attribute("tabindex") == "-1"
        page.get_by_label("Họ và tên người gửi").fill("Phan Văn Tâm")
        page.get_by_label("Email hoặc số điện thoại liên hệ").fill("không có")
        page.get_by_label("Nội dung ý kiến").fill("Đề tài nghiệm thu năm nào? Đề nghị kiểm tra.")
        page.get_by_role("button", name="Gửi ý kiến").click()
        page.wait_for_load_state()
        expect(page.locator("#error-summary")).to_contain_text("Vui lòng nhập email hoặc số điện thoại hợp lệ.")
        expect(page.locator("#error-summary")).to_be_focused()
        page.get_by_label("Email hoặc số điện thoại liên hệ").fill("phan.tam@example.vn")
        page.get_by_label("Tệp kèm theo (không bắt buộc; PDF, JPEG, PNG)").set_input_files(str(evidence))
        page.get_by_role("button", name="Gửi ý kiến").click()
        page.wait_for_load_state()
        expect(page.get_by_role("heading", level=1)).to_have_text("Đã nhận ý kiến")
        receipt = page.locator("#receipt-number").inner_text()
    # The refused submission answers 422, which Chromium logs; nothing else may go wrong.
    assert [p for p in problems if "status of 422" not in p] == []
    with browser_app.app_context():
        opinion = db.session.scalars(select(Opinion)).one()
        assert opinion.receipt == receipt and opinion.file_name == "minh-chung.pdf"
        assert opinion.contact == "phan.tam@example.vn"
