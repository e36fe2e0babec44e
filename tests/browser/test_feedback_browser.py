"""After every action the user sees what happened: the message (or the error summary) is inside the viewport of
the page the browser lands on, not above it. Pages are made long (many achievements) so that each form sits below
the fold and the click scrolls to it, as it does for real users.

Other steps may answer with a confirmation page (a "Xác nhận" button that posts the form again): the test clicks it
when it appears, so it holds with or without those pages. Every choice is made explicitly (no default values).
"""

import pytest

from honours.core import clock, roles
from honours.core.db import db
from honours.nominations import states
from honours.nominations.models import Achievement
from tests.browser_support import TIMEOUT_MS, chromium_page, live_server, log_in, log_out, require_chromium, screenshot
from tests.factories import (
    PDF,
    make_council_member,
    make_council_session,
    make_dossier,
    make_org,
    make_round,
    make_user,
)

pytestmark = pytest.mark.browser

MESSAGE = ".flashes, #error-summary"


def lengthen(dossier, count=14):
    """Enough achievements that the dossier page is several screens long."""
    dossier.achievements = [Achievement(kind="publication", year=2000 + n, position=n,
                                        title=f"Công trình số {n}", details="Chi tiết minh chứng dài. " * 25)
                            for n in range(count)]
    db.session.commit()


def assert_message_in_view(page, text: str) -> None:
    """The element holding `text` (a flash message or the error summary) lies within window.innerHeight."""
    from playwright.sync_api import expect

    message = page.locator(MESSAGE).filter(has_text=text).first
    expect(message).to_be_attached()
    box = message.evaluate("e => { const r = e.getBoundingClientRect(); "
                           "return {top: r.top, bottom: r.bottom, height: window.innerHeight}; }")
    assert 0 <= box["top"] and box["bottom"] <= box["height"], f"{text!r} is outside the viewport: {box}"


def confirm_if_asked(page) -> None:
    """Confirm when the step answers with a confirmation page (core/confirm.py): its one submit button, whatever
    the step names it ("Xác nhận", "Ghi nhận kết luận", "Công bố danh sách"…)."""
    page.wait_for_load_state()
    button = page.locator("form.confirm-form button[type=submit]")
    if button.count():
        reason = page.get_by_label("Lý do thực hiện trước thời hạn (ghi vào nhật ký)")
        if reason.count():
            reason.fill("Kiểm thử: thực hiện sớm theo chỉ đạo của Ban thư ký.")
        button.click()
        page.wait_for_load_state()


def test_every_message_lands_inside_the_viewport(browser_app, tmp_path):
    require_chromium()
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    with browser_app.app_context():
        round_ = make_round()
        org = make_org(name="Hội Tin học Bắc Ninh")
        nominator = make_user(roles.NOMINATOR, org, full_name="Lê Đề Cử")
        secretary = make_user(roles.SECRETARIAT, full_name="Phạm Thư Ký")
        member = make_user(roles.COUNCIL, full_name="Vũ Ủy Viên")
        make_council_member(round_, member)
        draft = make_dossier(round_, org, nominator, full_name="Nguyễn Văn Tải", with_attachment=False)
        waiting = make_dossier(round_, org, nominator, state=states.SUBMITTED, full_name="Trần Thị Thẩm")
        scored = make_dossier(round_, org, nominator, state=states.UNDER_REVIEW, full_name="Đỗ Văn Chấm")
        for dossier in (draft, waiting, scored):
            lengthen(dossier)
        from honours.reviews.models import ReviewAssignment

        db.session.add(ReviewAssignment(dossier_id=scored.id, reviewer_id=member.id, assigned_by_id=secretary.id))
        finished = make_round(name="Trí thức Bắc Ninh tiêu biểu (đợt đã họp)")
        for number in range(12):
            make_dossier(finished, org, nominator, state=states.APPROVED, full_name=f"Người Được Vinh Danh {number}",
                         merits_summary="Nhiều đóng góp. " * 30)
        make_council_session(finished, secretary, status="confirmed", confirmed_at=clock.now(),
                             decision_number="12/QĐ-UBND", decision_date=clock.now().date(),
                             decision_signer="Chủ tịch UBND tỉnh")
        db.session.commit()
        ids = {"draft": draft.id, "waiting": waiting.id, "scored": scored.id, "finished": finished.id}
        emails = {"nominator": nominator.email, "secretary": secretary.email, "member": member.email}
    bad = tmp_path / "cong-van.pdf"
    bad.write_bytes(b"MZ\x90\x00 not a pdf at all")
    good = tmp_path / "cong-van-that.pdf"
    good.write_bytes(PDF)

    problems: list[str] = []
    dialogs: list[str] = []
    with live_server(browser_app) as base_url, sync_playwright() as playwright, \
            chromium_page(playwright, problems, dialogs) as page:
        try:
            # --- upload: refused (file type kept, message in view), then accepted
            log_in(page, base_url, emails["nominator"])
            page.goto(f"{base_url}/dossiers/{ids['draft']}")
            page.get_by_label("Loại tệp").select_option("endorsement")
            page.get_by_label("Tệp (PDF, JPEG, PNG)").set_input_files(str(bad))
            page.get_by_role("button", name="Tải lên").click()
            page.wait_for_load_state()
            assert_message_in_view(page, "không phải PDF, JPEG hoặc PNG")
            expect(page.locator("#error-summary")).to_be_focused()
            expect(page.get_by_label("Loại tệp")).to_have_value("endorsement")
            page.get_by_label("Tệp (PDF, JPEG, PNG)").set_input_files(str(good))
            page.get_by_role("button", name="Tải lên").click()
            page.wait_for_load_state()
            assert_message_in_view(page, 'Đã tải lên tệp "cong-van-that.pdf".')
            log_out(page)

            # --- score sheet: save a draft, then submit, on a phone (390 px wide)
            page.set_viewport_size({"width": 390, "height": 844})
            log_in(page, base_url, emails["member"])
            page.goto(f"{base_url}/reviews/{ids['scored']}")
            points = page.locator("input[name^='points_']")
            for index in range(points.count()):
                points.nth(index).fill("8")
            page.get_by_role("button", name="Lưu nháp").click()
            page.wait_for_load_state()
            assert_message_in_view(page, "Đã lưu nháp phiếu chấm điểm.")
            page.get_by_role("button", name="Nộp phiếu").click()
            page.wait_for_load_state()
            confirm_if_asked(page)
            assert_message_in_view(page, "Đã nộp phiếu chấm điểm hồ sơ Đỗ Văn Chấm.")
            log_out(page)

            # --- eligibility decision
            page.set_viewport_size({"width": 1280, "height": 900})
            log_in(page, base_url, emails["secretary"])
            page.goto(f"{base_url}/dossiers/{ids['waiting']}")
            page.get_by_label("Kết luận").select_option("mark_eligible")
            page.get_by_role("button", name="Ghi nhận kết luận").click()
            confirm_if_asked(page)
            assert_message_in_view(page, "Đã ghi nhận kết luận thẩm định")

            # --- publish
            page.goto(f"{base_url}/publication/rounds/{ids['finished']}")
            check = page.get_by_label("Tôi đã kiểm tra danh sách và xác nhận công bố", exact=False)
            if check.count():
                check.check()
            page.get_by_role("button", name="Công bố danh sách").click()
            confirm_if_asked(page)
            assert_message_in_view(page, "Đã công bố")
            screenshot(page, "feedback-published.png")
        except Exception:
            screenshot(page, "feedback-failure.png")
            raise

    expected = "status of 422"  # the refused upload answers 422, which Chromium logs
    problems = [problem for problem in problems if expected not in problem]
    assert problems == [], "\n".join(problems)
