"""In a real browser: the secretariat opens the indicators dashboard; every chart is drawn by Chart.js (served
from static/, no CDN) next to its table, with no console or page error (CSP-ready: no inline script)."""
from datetime import date

import pytest

from honours.core import clock, roles
from honours.nominations import states
from tests.browser_support import chromium_page, live_server, log_in, require_chromium, screenshot
from tests.factories import make_dossier, make_org, make_round, make_user

pytestmark = pytest.mark.browser


def set_up(app) -> str:
    with app.app_context():
        round_ = make_round(published_at=clock.now())
        university = make_org("Trường Đại học Bắc Ninh", "university")
        enterprise = make_org("Công ty Công nghệ Kinh Bắc", "enterprise")
        nominator = make_user(roles.NOMINATOR, university)
        people = [("female", "Kinh", states.PUBLISHED, university), ("male", "Tày", states.PUBLISHED, enterprise),
                  ("male", "Kinh", states.ELIGIBLE, university), ("female", "Kinh", states.SUBMITTED, enterprise),
                  ("male", "Kinh", states.PUBLISHED, university)]
        for i, (gender, ethnicity, state, org) in enumerate(people):
            make_dossier(round_, org, nominator, state=state, full_name=f"Người Được Đề Cử {i}", gender=gender,
                         ethnicity=ethnicity, date_of_birth=date(1975 + 3 * i, 1, 1),
                         field_id=round_.fields[i % 2].id, with_attachment=False)
        return make_user(roles.SECRETARIAT, full_name="Phạm Thu Thư Ký").email


def test_secretariat_sees_the_charts_drawn(browser_app):
    require_chromium()
    from playwright.sync_api import expect, sync_playwright

    secretary = set_up(browser_app)
    problems: list[str] = []
    dialogs: list[str] = []
    scripts: list[str] = []
    with live_server(browser_app) as base_url, sync_playwright() as playwright, \
            chromium_page(playwright, problems, dialogs) as page:
        page.on("request", lambda request: request.resource_type == "script" and scripts.append(request.url))
        log_in(page, base_url, secretary)
        page.goto(f"{base_url}/chi-so/")
        try:
            expect(page.get_by_role("heading", level=1)).to_contain_text("Bộ chỉ số")
            canvases = page.locator("canvas[data-chart]")
            expect(canvases).to_have_count(4)
            page.wait_for_function("() => window.Chart && document.querySelectorAll('canvas[data-chart]').length"
                                   " === [...document.querySelectorAll('canvas[data-chart]')]"
                                   ".filter(c => window.Chart.getChart(c)).length")
            drawn = page.evaluate("""() => [...document.querySelectorAll('canvas[data-chart]')].map(canvas => {
                const chart = window.Chart.getChart(canvas);
                return {id: canvas.id, width: canvas.width, height: canvas.height,
                        datasets: chart.data.datasets.length, labels: chart.data.labels.length};
            })""")
            assert [c["id"] for c in drawn] == ["chart-inclusion", "chart-fields", "chart-org_types", "chart-talent"]
            for chart in drawn:
                assert chart["width"] > 0 and chart["height"] > 0, chart
            inclusion = drawn[0]
            assert inclusion["datasets"] == 3 and inclusion["labels"] == 3  # nominees, honourees, the 40% line
            # Pixels were painted (a blank canvas reads back as all zeros).
            assert page.evaluate("""() => {
                const canvas = document.getElementById('chart-fields');
                const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
                return pixels.some(value => value !== 0);
            }""")
            # The same numbers as a table: 2 women of 5 nominees, a cell under 5 people, so shown as "< 5" with no
            # share and no verdict (small-cell suppression), the total still shown.
            row = page.locator("#table-inclusion tbody tr").first
            expect(row).to_contain_text("< 5")
            expect(row).not_to_contain_text("40,0%")
            expect(row).not_to_contain_text("Đạt")
            assert all(url.startswith(base_url) for url in scripts), scripts  # nothing from a CDN
            assert any(url.endswith("/static/vendor/chartjs/chart.umd.min.js") for url in scripts)
        except Exception:
            screenshot(page, "indicators-dashboard.png")
            raise
        screenshot(page, "indicators-dashboard.png")
    assert problems == []
