"""End to end in a real browser: a nominator drafts and submits a dossier, the secretariat returns it, the
nominator sees the request. Real forms (CSRF on), the real JS confirm dialog, served by werkzeug in a thread.

Time is frozen at conftest.NOW for the whole test; the server's request threads read the same clock.
"""

import pytest

from honours.core import roles
from tests.browser_support import TIMEOUT_MS, chromium_page, live_server, log_in, log_out, require_chromium, screenshot
from tests.factories import PDF, make_org, make_round, make_user

pytestmark = pytest.mark.browser

NOMINEE = "Nguyễn Thị Hồng Nhung"
REASON = "Bổ sung bản sao bằng tiến sĩ và xác nhận của cơ quan công tác về đề tài cấp tỉnh."


def test_nominator_submits_secretariat_returns_nominator_sees_reason(browser_app, tmp_path):
    require_chromium()
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    with browser_app.app_context():
        round_ = make_round()
        round_name = round_.name
        org = make_org(name="Hội Vật lý Bắc Ninh", email="hoivatly@bacninh.example.vn")
        nominator = make_user(roles.NOMINATOR, org, full_name="Lê Văn Đề Cử").email
        secretariat = make_user(roles.SECRETARIAT, full_name="Phạm Thu Thư Ký").email
    pdf = tmp_path / "Lý lịch khoa học.pdf"
    pdf.write_bytes(PDF)

    problems: list[str] = []
    dialogs: list[str] = []
    with live_server(browser_app) as base_url, sync_playwright() as playwright, \
            chromium_page(playwright, problems, dialogs) as page:
        try:
            # --- the nominator drafts the dossier
            log_in(page, base_url, nominator)
            page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Hồ sơ đề cử").click()
            page.get_by_role("link", name=f"Lập hồ sơ mới – {round_name}").click()
            expect(page.get_by_role("heading", name="Lập hồ sơ đề cử")).to_be_visible()
            page.get_by_role("button", name="Thêm thành tích").click()  # no-JS round trip adds an empty row
            expect(page.get_by_label("Tên thành tích", exact=True)).to_be_visible()

            page.get_by_label("Họ và tên").fill(NOMINEE)
            page.get_by_label("Giới tính").select_option(label="Nữ")
            page.get_by_label("Ngày sinh").fill("07/09/1978")
            page.get_by_label("Dân tộc").select_option("Tày")
            page.get_by_label("Lĩnh vực").select_option(label="Y dược")
            page.get_by_label("Học vị").select_option(label="Tiến sĩ (TS)")
            page.get_by_label("Tóm tắt thành tích, đóng góp").fill(
                "Chủ nhiệm 2 đề tài cấp tỉnh về y học cổ truyền; 15 bài báo trong nước và quốc tế.")
            page.get_by_label("Loại", exact=True).select_option(label="Đề tài / dự án")
            page.get_by_label("Năm", exact=True).fill("2022")
            page.get_by_label("Tên thành tích", exact=True).fill("Đề tài cấp tỉnh: cây thuốc quý vùng Kinh Bắc")
            screenshot(page, "browser-1-dossier-form.png")
            page.get_by_role("button", name="Lưu hồ sơ").click()

            expect(page.get_by_text("Đã lưu hồ sơ.")).to_be_visible()
            heading = page.get_by_role("heading", level=1)
            expect(heading).to_contain_text(NOMINEE)
            expect(heading.locator(".state")).to_have_text("Nháp")
            expect(page.get_by_role("cell", name="Đề tài cấp tỉnh: cây thuốc quý vùng Kinh Bắc")).to_be_visible()

            # --- attach a PDF, then submit (accepting the confirm dialog)
            page.get_by_label("Loại tệp").select_option(label="Lý lịch khoa học")
            page.get_by_label("Tệp (PDF, JPEG, PNG)").set_input_files(str(pdf))
            page.get_by_role("button", name="Tải lên").click()
            expect(page.get_by_text('Đã tải lên tệp "Lý lịch khoa học.pdf".')).to_be_visible()
            expect(page.locator("ul.attachments").get_by_role("link", name="Lý lịch khoa học.pdf")).to_be_visible()

            page.get_by_role("button", name="Nộp hồ sơ", exact=True).click()
            expect(page.get_by_text("Đã nộp hồ sơ.", exact=False)).to_be_visible()
            expect(heading.locator(".state")).to_have_text("Đã nộp")
            assert dialogs and dialogs[-1].startswith("Sau khi nộp, hồ sơ không thể sửa"), dialogs
            expect(page.get_by_role("link", name="Sửa thông tin")).to_have_count(0)
            log_out(page)

            # --- the secretariat returns it for a supplement
            log_in(page, base_url, secretariat)
            page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Thẩm định hồ sơ").click()
            expect(page.get_by_role("heading", name="Thẩm định hồ sơ")).to_be_visible()
            page.get_by_role("link", name=NOMINEE).click()
            expect(page.get_by_role("heading", name="Kết luận thẩm định")).to_be_visible()
            page.get_by_label("Kết luận").select_option(label="Yêu cầu bổ sung")
            page.get_by_label("Lý do").fill(REASON)
            expect(page.get_by_label("Hạn nộp bổ sung")).to_have_value("22/06/2026 17:00")  # default: +7 days
            screenshot(page, "browser-2-decision.png")
            page.get_by_role("button", name="Ghi nhận kết luận").click()
            # Nothing is recorded before the confirmation page, which says what the decision will do.
            expect(page.get_by_role("heading", name="Xác nhận kết luận thẩm định")).to_be_visible()
            expect(page.get_by_text("đơn vị được thông báo lý do qua email", exact=False)).to_be_visible()
            page.get_by_role("button", name="Ghi nhận kết luận").click()
            expect(page.get_by_text("Đã ghi nhận kết luận thẩm định: Yêu cầu bổ sung.")).to_be_visible()
            expect(page.get_by_role("row", name=NOMINEE).locator(".state")).to_have_text("Yêu cầu bổ sung")
            log_out(page)

            # --- the nominator sees the request and the reason
            log_in(page, base_url, nominator)
            page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Hồ sơ đề cử").click()
            page.get_by_role("link", name=NOMINEE).click()
            expect(heading.locator(".state")).to_have_text("Yêu cầu bổ sung")
            reason = page.locator("#reason")
            expect(reason).to_contain_text("Yêu cầu bổ sung:")
            expect(reason).to_contain_text(REASON)
            expect(reason).to_contain_text("Hạn nộp bổ sung: 22/06/2026 17:00")
            expect(page.get_by_role("button", name="Nộp lại hồ sơ")).to_be_visible()
            screenshot(page, "browser-3-dossier-returned.png")
        except Exception:
            screenshot(page, "browser-failure.png")
            raise

    assert problems == [], "\n".join(problems)
