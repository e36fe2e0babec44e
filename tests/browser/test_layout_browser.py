"""In a real browser, on the demo data (`make run`'s): no page is wider than the window at 390×844 or 1366×900,
the main menu folds into a menu button on a phone (a <details>: Enter or Space on its summary opens it), and
the menu marks the current section with aria-current="page".

A representative set of pages per role (home, inbox, dossier page and form, score sheet, results, council round
page, users, audit log, indicators, the public list...); the axe-core walk of every page is
tests/browser/test_axe_browser.py's (the `checks` work), this one measures the layout only.
"""
import pytest
from sqlalchemy import select

from demo.data import ADMIN_EMAIL, DEMO_PASSWORD
from honours.auth.models import User
from honours.core.db import db
from honours.nominations import states
from honours.nominations.models import Dossier
from honours.reviews.models import ReviewAssignment
from honours.rounds.models import COUNCIL_CONFIRMED, Round
from tests.browser_support import chromium_page, live_server, log_in, require_chromium, screenshot

pytestmark = pytest.mark.browser

NOMINATOR = "donvi1@demo.example"
COUNCIL_MEMBER = "hoidong1@demo.example"
SECRETARY = "thuky@demo.example"
ANONYMOUS = "anonymous"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
WIDTHS = {"390": PHONE, "1366": DESKTOP}


def _user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def pages_by_role() -> dict[str, dict[str, str | None]]:
    """For each role: URL -> the menu item marked current there (None: no item), from the demo's own rows."""
    rounds = db.session.scalars(select(Round).order_by(Round.id)).all()
    current = next(r for r in rounds if r.council_stage != COUNCIL_CONFIRMED)
    past = next(r for r in rounds if r.council_stage == COUNCIL_CONFIRMED)
    nominator = _user(NOMINATOR)
    returned = db.session.scalars(select(Dossier).where(
        Dossier.organisation_id == nominator.organisation_id, Dossier.state == states.RETURNED)).first()
    own = db.session.scalars(select(Dossier).where(Dossier.organisation_id == nominator.organisation_id)).first()
    under_review = db.session.scalars(select(Dossier).where(
        Dossier.round_id == current.id, Dossier.state == states.UNDER_REVIEW).order_by(Dossier.id)).first()
    assignment = db.session.scalars(select(ReviewAssignment).join(Dossier).where(
        ReviewAssignment.reviewer_id == _user(COUNCIL_MEMBER).id, Dossier.round_id == current.id)).first()
    return {
        ANONYMOUS: {"/": None, "/vinh-danh": "Vinh danh", f"/vinh-danh/{past.year}": "Vinh danh", "/login": None},
        NOMINATOR: {
            "/": None, "/dossiers/": "Hồ sơ đề cử", "/dossiers/new": "Hồ sơ đề cử",
            f"/dossiers/{returned.id}/edit": "Hồ sơ đề cử", f"/dossiers/{own.id}": "Hồ sơ đề cử",
            "/tien-cu/": "Tiến cử người tài", "/vinh-danh": "Vinh danh",
        },
        SECRETARY: {
            "/": None, "/eligibility/": "Thẩm định hồ sơ", f"/dossiers/{under_review.id}": "Thẩm định hồ sơ",
            f"/rounds/{current.id}/results": "Đợt xét", f"/rounds/{past.id}/results": "Đợt xét",
            f"/council/rounds/{current.id}": "Đợt xét", f"/council/rounds/{past.id}": "Đợt xét",
            f"/rounds/{current.id}/edit": "Đợt xét", f"/rounds/{current.id}/assignments": "Đợt xét",
            "/users/": "Tài khoản", "/audit/": "Nhật ký", "/chi-so/": "Chỉ số", "/tien-cu/sang-loc": "Tiến cử",
            "/tri-thuc/": "CSDL trí thức", "/organisations/": "Đơn vị", "/vinh-danh": "Vinh danh",
        },
        COUNCIL_MEMBER: {
            "/": None, "/reviews/": "Hồ sơ của tôi", f"/reviews/{assignment.dossier_id}": "Hồ sơ của tôi",
            "/council/": "Phiên họp hội đồng",
        },
        ADMIN_EMAIL: {"/": None, "/users/": "Tài khoản", "/organisations/": "Đơn vị", "/audit/": "Nhật ký"},
    }


WIDTH = """() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
  wide: [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
          && !e.closest('.table-scroll')).slice(0, 3).map(e => e.tagName + (e.id ? '#' + e.id : '')
          + (e.className && typeof e.className === 'string' ? '.' + e.className : ''))})"""
CURRENT = """() => [...document.querySelectorAll('nav[aria-label="Điều hướng chính"] a[aria-current="page"]')]
  .map(a => a.textContent.trim())"""


@pytest.mark.parametrize("role", [ANONYMOUS, NOMINATOR, SECRETARY, COUNCIL_MEMBER, ADMIN_EMAIL])
def test_no_page_is_wider_than_the_window_and_the_menu_marks_the_current_section(demo_app, role):
    require_chromium()
    from playwright.sync_api import sync_playwright

    with demo_app.app_context():
        pages = pages_by_role()[role]
        db.session.remove()
    problems, dialogs, failures = [], [], []
    with live_server(demo_app) as base_url, sync_playwright() as playwright, \
            chromium_page(playwright, problems, dialogs) as page:
        if role != ANONYMOUS:
            log_in(page, base_url, role, DEMO_PASSWORD)
        for width, viewport in WIDTHS.items():
            page.set_viewport_size(viewport)
            for url, section in pages.items():
                response = page.goto(base_url + url)
                assert response.status == 200, f"{role} {url}: HTTP {response.status}"
                measured = page.evaluate(WIDTH)
                if measured["scroll"] > measured["inner"]:
                    name = f"layout-{width}-{role.split('@')[0]}-{url.strip('/').replace('/', '-') or 'home'}.png"
                    failures.append(f"{width} px {url}: {measured['scroll']} px wide ({measured['wide']}), "
                                    f"see {screenshot(page, name)}")
                current = page.evaluate(CURRENT)
                if current != ([section] if section else []):
                    failures.append(f"{width} px {url}: aria-current on {current}, expected {section}")
    assert failures == [], f"{role}:\n" + "\n".join(failures)
    assert problems == []


def test_on_a_phone_the_menu_is_a_button_that_opens_with_the_keyboard(demo_app):
    require_chromium()
    from playwright.sync_api import expect, sync_playwright

    problems, dialogs = [], []
    with live_server(demo_app) as base_url, sync_playwright() as playwright, \
            chromium_page(playwright, problems, dialogs) as page:
        log_in(page, base_url, SECRETARY, DEMO_PASSWORD)
        menu_button = page.locator("summary.nav-toggle")
        audit_log = page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Nhật ký")

        page.set_viewport_size(DESKTOP)
        page.goto(f"{base_url}/eligibility/")
        expect(menu_button).to_be_hidden()  # wide: the whole menu shows, no button
        expect(audit_log).to_be_visible()

        page.set_viewport_size(PHONE)
        page.goto(f"{base_url}/eligibility/")
        expect(menu_button).to_be_visible()
        expect(menu_button).to_have_text("Menu")
        expect(audit_log).to_be_hidden()
        expect(page.get_by_role("button", name="Đăng xuất")).to_be_hidden()

        menu_button.focus()
        page.keyboard.press("Enter")
        expect(audit_log).to_be_visible()
        expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()
        # Open, the menu pushes the page down inside the window's width; the last item is readable (it used to
        # fall off the red header onto the page's near-white background).
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        colours = audit_log.evaluate("""a => { const s = getComputedStyle(a);
            let e = a; while (e && getComputedStyle(e).backgroundColor === 'rgba(0, 0, 0, 0)') e = e.parentElement;
            return [s.color, e ? getComputedStyle(e).backgroundColor : 'none']; }""")
        assert colours == ["rgb(255, 255, 255)", "rgb(163, 24, 28)"], colours  # white on the brand red: 7:1
        page.keyboard.press("Space")  # the focus is still on the summary
        expect(audit_log).to_be_hidden()
        page.keyboard.press("Space")
        expect(audit_log).to_be_visible()
        audit_log.focus()
        page.keyboard.press("Escape")  # app.js: Escape closes it and gives the focus back to the button
        expect(audit_log).to_be_hidden()
        expect(menu_button).to_be_focused()

        menu_button.click()
        audit_log.click()
        expect(page).to_have_url(f"{base_url}/audit/")
        expect(menu_button).to_be_visible()  # a new page: the menu is closed again, and marks where we are
        expect(page.locator('#nav-menu a[aria-current="page"]')).to_have_text("Nhật ký")
    assert problems == []


def test_focus_is_visible_on_the_menu_button_and_in_the_scroll_regions(demo_app):
    require_chromium()
    from playwright.sync_api import sync_playwright

    problems, dialogs = [], []
    with live_server(demo_app) as base_url, sync_playwright() as playwright, \
            chromium_page(playwright, problems, dialogs) as page:
        log_in(page, base_url, SECRETARY, DEMO_PASSWORD)
        page.set_viewport_size(DESKTOP)
        page.goto(f"{base_url}/eligibility/")
        for _ in range(3):  # the skip link, the brand, then (no menu button on a wide screen) the first item
            page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent.trim()") == "Vinh danh"
        assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"

        page.set_viewport_size(PHONE)
        page.goto(f"{base_url}/eligibility/")
        page.keyboard.press("Tab")  # the skip link
        assert page.evaluate("document.activeElement.className") == "skip-link"
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")  # the brand, then the menu button
        assert page.evaluate("document.activeElement.className") == "nav-toggle"
        assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
        region = page.locator(".table-scroll").first
        region.focus()  # as Tab reaches it: the table scrolls sideways with the arrow keys
        assert region.evaluate("e => e.matches(':focus-visible') || document.activeElement === e")
        assert region.evaluate("e => e.scrollWidth > e.clientWidth")  # the inbox's table is wider than a phone
        before = region.evaluate("e => e.scrollLeft")
        page.keyboard.press("ArrowRight")
        page.wait_for_function("e => e.scrollLeft > 0", arg=region.element_handle())
        assert region.evaluate("e => e.scrollLeft") > before
    assert problems == []


PRINTED = """() => {
  const shown = e => e && getComputedStyle(e).display !== 'none' && e.getClientRects().length > 0;
  return {
    header: shown(document.querySelector('.site-header')), footer: shown(document.querySelector('.site-footer')),
    forms: [...document.querySelectorAll('main form, main button, main .button')].filter(shown).length,
    heading: shown(document.querySelector('main h1')), tables: [...document.querySelectorAll('main table')].filter(shown).length,
    colours: [...new Set([...document.querySelectorAll('main *')].filter(shown).map(e => getComputedStyle(e).color))],
    background: getComputedStyle(document.body).backgroundColor,
    unbroken: getComputedStyle(document.querySelector('main .facts, main article, main li')).breakInside,
  };
}"""


@pytest.mark.parametrize("who,page_name", [(SECRETARY, "dossier"), (ANONYMOUS, "honoured list")])
def test_the_dossier_page_and_the_honoured_list_print_as_content_only(demo_app, who, page_name):
    require_chromium()
    from playwright.sync_api import sync_playwright

    with demo_app.app_context():
        pages = pages_by_role()
        url = next(u for u in pages[SECRETARY] if u.startswith("/dossiers/")) if page_name == "dossier" \
            else next(u for u in pages[ANONYMOUS] if u.startswith("/vinh-danh/"))
        db.session.remove()
    problems, dialogs = [], []
    with live_server(demo_app) as base_url, sync_playwright() as playwright, \
            chromium_page(playwright, problems, dialogs) as page:
        if who != ANONYMOUS:
            log_in(page, base_url, who, DEMO_PASSWORD)
        page.goto(base_url + url)
        on_screen = page.evaluate(PRINTED)
        assert on_screen["header"] and (on_screen["forms"] > 0 or who == ANONYMOUS)
        page.emulate_media(media="print")
        printed = page.evaluate(PRINTED)
    assert printed["header"] is False and printed["footer"] is False
    assert printed["forms"] == 0  # no buttons or forms on paper
    assert printed["heading"]
    assert printed["colours"] == ["rgb(0, 0, 0)"], printed["colours"]  # black on white
    assert printed["background"] == "rgb(255, 255, 255)"
    assert printed["unbroken"] == "avoid"  # a block (the facts, a list entry) is not split across pages
    assert problems == []


def test_on_a_phone_the_dossier_forms_rows_stack_with_their_column_names(demo_app):
    require_chromium()
    from playwright.sync_api import sync_playwright

    with demo_app.app_context():
        url = next(u for u in pages_by_role()[NOMINATOR] if u.endswith("/edit"))
        db.session.remove()
    problems, dialogs = [], []
    cells = """() => [...document.querySelector('table.rows tbody tr').cells].map(td => [getComputedStyle(td).display,
        getComputedStyle(td, '::before').content, Math.round(td.getBoundingClientRect().width)])"""
    with live_server(demo_app) as base_url, sync_playwright() as playwright, \
            chromium_page(playwright, problems, dialogs) as page:
        log_in(page, base_url, NOMINATOR, DEMO_PASSWORD)
        page.goto(base_url + url)
        assert {display for display, _, _ in page.evaluate(cells)} == {"table-cell"}  # wide: a table
        page.set_viewport_size(PHONE)
        page.goto(base_url + url)
        stacked = page.evaluate(cells)
    assert [display for display, _, _ in stacked] == ["block"] * 5
    assert [label for _, label, _ in stacked] == ['"Loại"', '"Năm"', '"Tên thành tích"', '"Chi tiết, minh chứng"',
                                                  '"Bỏ dòng"']
    assert len({width for _, _, width in stacked}) == 1  # one column: every cell as wide as the row
    assert problems == []
