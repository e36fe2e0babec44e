"""`make screenshots`: full-page PNGs at 390 px and 1366 px of the pages people look at first, on the demo data,
into screenshots/ (git-ignored): the home page (signed out and for each role), the honoured list, an honouree
page, the dossier form, the score sheet and the eligibility inbox. Debian's Chromium (make browser).
Usage: python scripts/screenshots.py [--out DIR]
"""
import argparse
import logging
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WIDTHS = {390: 844, 1366: 900}
# (role, endpoints, file name): the first page the demo walk finds for the first of these endpoints the role has
# (the demo's first nominator has used its quota: no new dossier, so the draft's edit form, the same form).
SHOTS = [
    ("anonymous", "home.index", "home-public"),
    ("anonymous", "publication.index", "honoured-list"),
    ("anonymous", "publication.honouree", "honouree"),
    ("nominator", "home.index", "home-nominator"),
    ("nominator", "nominations.create nominations.edit", "dossier-form"),
    ("council", "home.index", "home-council"),
    ("council", "scoring.sheet", "score-sheet"),
    ("secretariat", "home.index", "home-secretariat"),
    ("secretariat", "eligibility.inbox", "eligibility-inbox"),
    ("admin", "home.index", "home-admin"),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from demo.data import DEMO_PASSWORD
    from tests.browser_support import CHROMIUM, CHROMIUM_ARGS, live_server
    from tests.page_walk import DEMO_USERS, seeded_demo_app, walk

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request otherwise
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        app = seeded_demo_app(work)
        roles = dict.fromkeys(role for role, _, _ in SHOTS)
        urls = {}
        for role in roles:
            for page in walk(app, role):
                urls.setdefault((role, page.endpoint), page.url)
        with live_server(app) as base_url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            try:
                for role in roles:
                    context = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900})
                    page = context.new_page()
                    if DEMO_USERS[role]:
                        page.goto(f"{base_url}/login")
                        page.get_by_label("Email").fill(DEMO_USERS[role])
                        page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
                        page.get_by_role("button", name="Đăng nhập").click()
                        page.get_by_role("button", name="Đăng xuất").wait_for()
                    for shot_role, endpoint, name in SHOTS:
                        if shot_role != role:
                            continue
                        url = next((urls[role, e] for e in endpoint.split() if (role, e) in urls), None)
                        if url is None:
                            print(f"no {endpoint} page for {role} in the demo", file=sys.stderr)
                            continue
                        for width, height in WIDTHS.items():
                            page.set_viewport_size({"width": width, "height": height})
                            page.goto(base_url + url)
                            path = args.out / f"{name}-{width}.png"
                            page.screenshot(path=str(path), full_page=True)
                            print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}  ({url})")
                    context.close()
            finally:
                browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
