"""In a real browser, on the demo data: the secretariat starts the national export, lands on the job's page, watches
the progress bar (moved by jobs.js polling the status) reach 100% once a worker has run the job, and downloads
the file; no console or page error (CSP: no inline script)."""
import csv
import io
import threading

import pytest

from demo.data import DEMO_PASSWORD
from honours.core.jobs import worker
from honours.directory import export
from tests.browser_support import chromium_page, live_server, log_in, require_chromium, screenshot

pytestmark = pytest.mark.browser


def test_secretariat_exports_with_a_progress_bar_and_downloads_the_file(demo_app):
    require_chromium()
    from playwright.sync_api import expect, sync_playwright

    problems: list[str] = []
    dialogs: list[str] = []
    stopping = threading.Event()

    def run_worker():
        with demo_app.app_context():
            worker.work(idle_seconds=0.2, stopping=stopping)

    background = threading.Thread(target=run_worker, name="jobs-worker", daemon=True)
    with live_server(demo_app) as base_url, sync_playwright() as playwright, \
            chromium_page(playwright, problems, dialogs) as page:
        log_in(page, base_url, "thuky@demo.example", DEMO_PASSWORD)
        page.goto(f"{base_url}/tri-thuc/")
        try:
            page.get_by_role("button", name="Xuất CSV cho CSDL quốc gia").click()
            expect(page.get_by_role("heading", level=1)).to_contain_text("Xuất dữ liệu cho CSDL quốc gia")
            expect(page.locator(".flash-success")).to_contain_text("Đã bắt đầu xuất dữ liệu")
            bar = page.locator("progress#job-progress")
            expect(bar).to_have_attribute("value", "0")  # no worker yet: the job waits in the queue
            expect(page.locator("#job-state")).to_have_text("Đang chờ")
            background.start()  # the worker process beside the web server
            expect(page.locator("#job-download")).to_be_visible(timeout=30_000)
            expect(page.locator("#job-state")).to_have_text("Đã xong")
            assert page.evaluate("() => document.getElementById('job-progress').value") == 100
            expect(page.locator("#job-progress-text")).to_contain_text("(100%)")
            with page.expect_download() as download_info:
                page.locator("#job-download").click()
            download = download_info.value
            assert download.suggested_filename.startswith("csdl-tri-thuc-") and \
                download.suggested_filename.endswith(".csv")
            with open(download.path(), encoding="utf-8-sig", newline="") as saved:
                table = list(csv.reader(io.StringIO(saved.read())))
            assert table[0] == export.HEADERS and len(table) > 50
        except Exception:
            screenshot(page, "jobs-export.png")
            raise
        finally:
            stopping.set()
            if background.is_alive():
                background.join(timeout=30)
        screenshot(page, "jobs-export.png")
    assert problems == []
