"""In a real browser: the score sheet's running total follows what the member types (static/js/score-total.js,
no inline script), with the server's formula and the Vietnamese decimal comma; saving keeps the same total."""
import pytest

from honours.core import roles
from honours.nominations import states
from honours.reviews.models import ReviewAssignment
from tests.browser_support import chromium_page, live_server, log_in, require_chromium
from tests.factories import make_council, make_dossier, make_org, make_round, make_user

pytestmark = pytest.mark.browser


def set_up(app) -> tuple[str, int]:
    from honours.core.db import db

    with app.app_context():
        round_ = make_round()  # criteria max 10, weights 50/30/20
        org = make_org()
        dossier = make_dossier(round_, org, make_user(roles.NOMINATOR, org), state=states.UNDER_REVIEW,
                               full_name="Nguyễn Thị Chấm")
        reviewer = make_council(round_, 1)[0]
        db.session.add(ReviewAssignment(dossier_id=dossier.id, reviewer_id=reviewer.id,
                                        assigned_by_id=make_user(roles.SECRETARIAT).id))
        db.session.commit()
        return reviewer.email, dossier.id


def test_the_running_total_follows_the_typed_points(browser_app):
    require_chromium()
    from playwright.sync_api import expect, sync_playwright

    reviewer, dossier_id = set_up(browser_app)
    problems: list[str] = []
    dialogs: list[str] = []
    with live_server(browser_app) as base_url, sync_playwright() as playwright, \
            chromium_page(playwright, problems, dialogs) as page:
        log_in(page, base_url, reviewer)
        page.goto(f"{base_url}/reviews/{dossier_id}")
        total = page.locator("#running-total")
        expect(total).to_have_text("0,00")  # the saved sheet's total: nothing yet
        inputs = page.locator("input[data-weight]")
        expect(inputs).to_have_count(3)
        inputs.nth(0).fill("9")
        expect(total).to_have_text("45,00")
        expect(page.locator("#running-total-note")).to_have_text("tạm tính theo điểm đang nhập")
        inputs.nth(1).fill("8")
        inputs.nth(2).fill("7")
        expect(total).to_have_text("83,00")  # 9/10*50 + 8/10*30 + 7/10*20
        inputs.nth(2).fill("12")  # out of range: counts 0, as the server would refuse it
        expect(total).to_have_text("69,00")
        inputs.nth(2).fill("7.5")
        expect(total).to_have_text("84,00")
        inputs.nth(2).fill("7")
        page.get_by_role("button", name="Lưu nháp").click()
        expect(page.get_by_text("Đã lưu nháp phiếu chấm điểm.")).to_be_visible()
        expect(total).to_have_text("83,00")  # the server's total of the saved draft, the same number
    assert problems == []
