"""Helpers for the Playwright browser tests: Debian's Chromium, a live werkzeug server, diagnostics.

The browser is never downloaded: tests launch the system Chromium at CHROMIUM, offline-safe flags included.
"""
import os
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"  # gitignored
TIMEOUT_MS = 15_000


def require_chromium() -> None:
    """Skip when Chromium or Playwright is missing, except on CI (CI=true), where the browser tests must run."""
    problem = None
    if not os.path.exists(CHROMIUM):
        problem = f"{CHROMIUM} not found (install Debian's chromium package, e.g. `make browser`)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problem = "the playwright Python package is not installed (pip install -e '.[dev]')"
    if problem is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser test cannot run on CI: {problem}")
    pytest.skip(f"browser test skipped: {problem}")


@contextmanager
def live_server(app):
    """Serve the app on a free localhost port in a background thread; yields the base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@contextmanager
def chromium_page(playwright, problems: list[str], dialogs: list[str]):
    """A fresh headless Chromium page; console errors, page errors and 5xx responses go into `problems`.

    Confirmation dialogs (data-confirm forms) are accepted and their messages appended to `dialogs`.
    """
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    try:
        context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.set_default_navigation_timeout(TIMEOUT_MS)

        def console(message):
            if message.type != "error":
                return
            problems.append(f"console error: {message.text} ({message.location.get('url', '')})")

        page.on("console", console)
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        page.on("response", lambda response: response.status >= 500 and problems.append(
            f"HTTP {response.status} for {response.request.method} {response.url}"))

        def accept(dialog):
            dialogs.append(dialog.message)
            dialog.accept()

        page.on("dialog", accept)
        yield page
        context.close()
    finally:
        browser.close()


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=True)
    return path


def log_in(page, base_url: str, email: str, password: str | None = None) -> None:
    """Sign in through the login form (with the factories' password by default) and wait for the signed-in header."""
    from playwright.sync_api import expect

    from tests.factories import PASSWORD

    page.goto(f"{base_url}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Mật khẩu").fill(password or PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    # Signed in: the header has the sign-out button (on a phone it sits in the folded menu, so only attached).
    expect(page.get_by_role("button", name="Đăng xuất", include_hidden=True)).to_have_count(1)


def open_menu_on_a_phone(page) -> None:
    """On a narrow window the main menu and the header's tools are folded behind the menu button: open it."""
    toggle = page.locator("#nav-menu > summary")
    if toggle.is_visible() and page.locator("#nav-menu[open]").count() == 0:
        toggle.click()


def log_out(page) -> None:
    from playwright.sync_api import expect

    open_menu_on_a_phone(page)
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_text("Bạn đã đăng xuất.")).to_be_visible()
