"""In a real browser: the honouree page's "copy link" button appears with JavaScript and copies the share URL;
the public pages fit a 390 px phone."""
from datetime import date

import pytest
from playwright.sync_api import sync_playwright

from honours.core import clock, roles
from honours.core.db import db
from honours.council.models import CONFIRMED
from honours.nominations import states
from tests.browser_support import chromium_page, live_server, require_chromium
from tests.factories import make_council_session, make_dossier, make_org, make_publication_photo, make_round, make_user

pytestmark = pytest.mark.browser


def test_copy_link_and_phone_width(browser_app):
    require_chromium()
    with browser_app.app_context():
        secretary = make_user(roles.SECRETARIAT)
        org = make_org()
        round_ = make_round()
        make_council_session(round_, secretary, status=CONFIRMED, members_total=7, confirmed_at=clock.now(),
                             decision_number="1/QĐ-UBND", decision_date=date(2026, 6, 1), decision_signer="Chủ tịch")
        dossier = make_dossier(round_, org, make_user(roles.NOMINATOR, org), state=states.PUBLISHED,
                               full_name="Trần Thị Sao Chép", citation="Nhà khoa học tiêu biểu.")
        round_.published_at, round_.published_by_id = clock.now(), secretary.id
        db.session.commit()
        make_publication_photo(dossier, secretary)
        path = f"/vinh-danh/2026/{dossier.id}-tran-thi-sao-chep"
    problems, dialogs = [], []
    with live_server(browser_app) as base_url, sync_playwright() as playwright:
        with chromium_page(playwright, problems, dialogs) as page:
            page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
            page.goto(base_url + path)
            button = page.get_by_role("button", name="Sao chép đường dẫn")
            assert button.is_visible()
            button.click()
            page.wait_for_function("document.getElementById('share-status').textContent.length > 0")
            assert page.evaluate("navigator.clipboard.readText()").endswith(path)
            page.set_viewport_size({"width": 390, "height": 844})
            for url in ("/", "/vinh-danh", path):
                page.goto(base_url + url)
                assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), url
    assert problems == []
