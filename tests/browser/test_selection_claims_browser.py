"""In a real browser: the nominator of a round selecting by standards sees the rule warning and the missing claim
in the checklist, claims an achievement standard pointing at its evidence, and the warning goes."""
import pytest

from honours.core import roles
from tests.browser_support import chromium_page, live_server, log_in, require_chromium
from tests.factories import make_dossier, make_org, make_round, make_user

pytestmark = pytest.mark.browser


def set_up(app) -> tuple[str, int]:
    from honours.core.db import db
    from honours.rounds.models import ACHIEVEMENT, GENERAL
    from honours.selection import rules, services

    with app.app_context():
        round_ = make_round(name="Đợt xét theo tiêu chuẩn")
        services.save_setup(make_user(roles.SECRETARIAT), round_, services.SetupData(
            "standards", 1, [services.StandardRow(GENERAL, "Trình độ đại học trở lên"),
                             services.StandardRow(ACHIEVEMENT, "Công bố quốc tế ISI/Scopus",
                                                  evidence="Danh mục bài báo")],
            {rules.MIN_YEARS_IN_PROVINCE: {"years": 5}}))
        org = make_org()
        nominator = make_user(roles.NOMINATOR, org)
        dossier = make_dossier(round_, org, nominator, full_name="Vũ Thị Ngọc", years_in_province=2)
        db.session.commit()
        return nominator.email, dossier.id


def test_the_nominator_claims_a_standard_with_its_evidence(browser_app):
    require_chromium()
    from playwright.sync_api import expect, sync_playwright

    nominator, dossier_id = set_up(browser_app)
    problems: list[str] = []
    dialogs: list[str] = []
    with live_server(browser_app) as base_url, sync_playwright() as playwright, \
            chromium_page(playwright, problems, dialogs) as page:
        log_in(page, base_url, nominator)
        page.goto(f"{base_url}/dossiers/{dossier_id}")
        checklist = page.locator("#checklist")
        expect(checklist.get_by_text("Cảnh báo: chưa đạt")).to_be_visible()
        expect(checklist.get_by_text("Tiêu chuẩn thành tích: đã nêu 0, đợt xét yêu cầu đạt ít nhất 1.")).to_be_visible()
        checklist.get_by_role("link", name="Nêu tiêu chuẩn thành tích và minh chứng").click()
        expect(page.get_by_text("Danh mục bài báo")).to_be_visible()
        page.get_by_label("Người được đề cử đạt tiêu chuẩn này").check()
        page.get_by_label("Thành tích minh chứng").select_option(index=1)
        page.get_by_label("Tệp minh chứng").select_option(index=1)
        page.get_by_role("button", name="Lưu", exact=True).click()
        expect(page.get_by_text("Đã lưu các tiêu chuẩn thành tích.")).to_be_visible()
        expect(page.locator("#checklist").get_by_text("Tiêu chuẩn thành tích: đã nêu")).to_have_count(0)
        expect(page.locator("#checklist").get_by_text("đơn vị nêu đạt")).to_be_visible()
    assert problems == []
