"""axe-core (WCAG 2.0/2.1 A and AA) on every page of the route x role matrix, at 1366x900 and 390x844, on the
demo data; and no page wider than the screen at 390 px.

The pages come from tests/page_walk.py (every GET route each role may open, with the demo's objects in each
state), so a new route is walked as soon as it has its access rule. One browser, one context per role.
The vendored axe-core is tests/vendor/axe-core/ (scripts/refresh-axe.sh); the context bypasses the CSP so the
test can inject it (the pages themselves never load it).
"""
import json
from collections import Counter
from pathlib import Path

import pytest

from demo.data import DEMO_PASSWORD
from honours.core import clock
from tests.browser_support import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS, live_server, require_chromium
from tests.conftest import NOW
from tests.page_walk import DEMO_USERS, walk_all

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent.parent / "vendor" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = {1366: 900, 390: 844}
RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'],
                                          elementRef: true});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 160),
                              header: !!(n.element && n.element.closest('.site-header'))}))}));
}"""
REPORT = ARTIFACTS / "accessibility.json"  # every finding, for counting per rule (test-artifacts/ is git-ignored)
# The site header's menu overflowing at 390 px (contrast of the items pushed off the coloured bar, pages wider
# than the screen) belongs to the layout work of issue 12 (templates/base.html, static/css/app.css): until it
# lands these findings are expected failures. strict: once they are gone, the marks must go too.
OVERFLOW = """() => ({width: document.documentElement.scrollWidth, viewport: window.innerWidth,
  wide: [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
    .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
      (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : ''))})"""


@pytest.fixture(scope="module")
def pages(demo_app):
    return walk_all(demo_app)


def sign_in(page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("button", name="Đăng xuất").wait_for()


def audit(browser, base_url: str, role: str, pages) -> dict:
    """The axe violations (in the page, in the site header), the pages wider than 390 px and the findings
    as records, for one role in a context of its own."""
    violations, header, overflows, records = [], [], [], []
    context = browser.new_context(locale="vi-VN", bypass_csp=True, viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.on("dialog", lambda dialog: dialog.dismiss())
    try:
        if DEMO_USERS[role]:
            sign_in(page, base_url, DEMO_USERS[role])
        for width, height in WIDTHS.items():
            page.set_viewport_size({"width": width, "height": height})
            for walked in pages:
                page.goto(base_url + walked.url)
                page.add_script_tag(path=str(AXE))
                for violation in page.evaluate(RUN_AXE, AXE_TAGS):
                    for node in violation["nodes"]:
                        (header if node["header"] else violations).append(
                            f"{violation['id']} ({violation['impact']}) at {width} px on {walked.url} [{role}]: "
                            f"{node['target']} {node['html']}")
                        records.append({"rule": violation["id"], "impact": violation["impact"], "width": width,
                                        "url": walked.url, "role": role, "target": node["target"],
                                        "header": node["header"]})
                if width == 390:
                    sizes = page.evaluate(OVERFLOW)
                    if sizes["width"] > sizes["viewport"]:
                        overflows.append(f"{walked.url} [{role}] is {sizes['width']} px wide at 390 px: "
                                         f"{', '.join(sizes['wide'])}")
                        records.append({"rule": "page-wider-than-390px", "width": width, "url": walked.url,
                                        "role": role, "target": ", ".join(sizes["wide"])})
    finally:
        context.close()
    return {"violations": violations, "header": header, "overflows": overflows, "records": records,
            "pages": len(pages)}


@pytest.fixture(scope="module")
def audited(demo_app, pages):
    require_chromium()
    from playwright.sync_api import sync_playwright

    results = {}
    with clock.frozen(NOW), live_server(demo_app) as base_url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            for role, walked in pages.items():
                results[role] = audit(browser, base_url, role, walked)
        finally:
            browser.close()
    records = [record for result in results.values() for record in result["records"]]
    ARTIFACTS.mkdir(exist_ok=True)
    REPORT.write_text(json.dumps({
        "pages": {role: result["pages"] for role, result in results.items()},
        "per_rule": Counter(f"{r['rule']} at {r['width']} px" for r in records), "findings": records,
    }, ensure_ascii=False, indent=1), encoding="utf-8")
    return results


def test_the_walk_covers_every_page_each_role_may_open(pages):
    """Each role gets its pages, and every state a dossier of the demo is in is walked for the secretariat."""
    from tests.page_walk import ANONYMOUS

    assert {p.endpoint for p in pages[ANONYMOUS]} >= {"home.index", "auth.login", "publication.index"}
    assert {p.endpoint for p in pages["secretariat"]} >= {"eligibility.inbox", "nominations.show", "talent.need",
                                                          "reviews.results", "indicators.dashboard"}
    assert {p.endpoint for p in pages["council"]} >= {"scoring.index", "scoring.sheet"}
    assert {p.endpoint for p in pages["nominator"]} >= {"nominations.edit", "nominations.show"}
    shown_states = {p.state for p in pages["secretariat"] if p.endpoint == "nominations.show"}
    assert len(shown_states) >= 5, shown_states


def _failure(findings: list[str]) -> str:
    return f"{len(findings)} finding(s) (all of them in {REPORT}):\n" + "\n".join(findings[:60])


@pytest.mark.parametrize("role", list(DEMO_USERS))
def test_no_axe_violation_at_either_width(audited, role):
    assert audited[role]["pages"]
    assert not audited[role]["violations"], _failure(audited[role]["violations"])


def test_no_axe_violation_in_the_site_header_at_either_width(audited):
    header = [finding for result in audited.values() for finding in result["header"]]
    assert not header, _failure(header)


def test_no_page_is_wider_than_the_screen_at_390_px(audited):
    overflows = [finding for result in audited.values() for finding in result["overflows"]]
    assert not overflows, _failure(overflows)
