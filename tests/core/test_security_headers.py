"""Response headers (CSP, nosniff, framing, referrer, HSTS in production), cookie flags, proxies, and the rule
that makes the strict Content-Security-Policy possible: no inline script, style or event handler anywhere
(every page a role can open: test_every_page_headers.py)."""
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask import request, url_for

from honours import InsecureConfiguration, create_app
from honours.core import roles
from honours.core.http import CONTENT_SECURITY_POLICY
from tests.conftest import make_config

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
EXPECTED_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
                "base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


class InlineCodeFinder(HTMLParser):
    """What the CSP would block (and what an attacker's injected markup would look like)."""

    URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "script":
            self._in_script = True
            if not values.get("src"):
                self.problems.append("<script> without src")
        if tag == "style":
            self.problems.append("<style> element")
        for name, value in attrs:
            if name == "style":
                self.problems.append(f"style attribute on <{tag}>")
            elif name.startswith("on"):
                self.problems.append(f"{name}= handler on <{tag}>")
            elif name in self.URL_ATTRIBUTES and (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"javascript: URL in <{tag} {name}>")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.problems.append("code inside <script>")


def inline_code(html: str) -> list[str]:
    finder = InlineCodeFinder()
    finder.feed(html)
    finder.close()
    return finder.problems


def test_the_finder_catches_every_kind_of_inline_code():
    assert inline_code('<p class="x">ok</p><script src="/static/js/app.js" defer></script>') == []
    for bad in ('<script>alert(1)</script>', '<div style="color:red">', '<button onclick="go()">',
                '<img src=x onerror=alert(1)>', '<style>p{}</style>', '<a href="javascript:go()">',
                '<script src="/a.js">alert(1)</script>', '<body ONLOAD="x()">'):
        assert inline_code(bad), bad


# ---------------------------------------------------------------- templates (catches new pages at once)

JINJA = re.compile(r"\{#.*?#\}|\{\{.*?\}\}|\{%.*?%\}", re.S)
TEMPLATE_PATTERNS = {
    "<script> without src": re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>", re.I),
    "<style> element": re.compile(r"<style\b", re.I),
    "style= attribute": re.compile(r"<[a-zA-Z][^>]*\sstyle\s*=", re.I),
    "on*= handler": re.compile(r"<[a-zA-Z][^>]*\son[a-z]+\s*=", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
}


def template_problems(source: str) -> list[str]:
    markup = JINJA.sub(" ", source)  # Jinja arguments such as only='x' are not HTML attributes
    return [label for label, pattern in TEMPLATE_PATTERNS.items() if pattern.search(markup)]


def test_the_template_scan_catches_inline_code():
    assert template_problems('<a href="{{ url_for(\'x\', only=\'lacking\') }}">x</a>') == []
    for bad in ('<div class="a" style="{{ w }}">', '<script>var x = {{ data|tojson }};</script>',
                '<button type="button" onclick="history.back()">', '<STYLE>p{}</STYLE>'):
        assert template_problems(bad), bad


def test_no_template_has_inline_script_style_or_handlers():
    """Move CSS to static/css/app.css and JavaScript to static/js/*.js (data-* attributes carry values)."""
    offenders = {str(path.relative_to(TEMPLATES)): problems
                 for path in sorted(TEMPLATES.rglob("*.html"))
                 if (problems := template_problems(path.read_text(encoding="utf-8")))}
    assert offenders == {}


def test_error_pages_carry_the_headers_too(app, client):
    response = client.get("/khong-co-trang-nay")
    assert response.status_code == 404
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert inline_code(response.get_data(as_text=True)) == []


# ---------------------------------------------------------------- headers and cookies: development vs production

def test_security_headers_in_development(app, client):
    response = client.get("/login")
    assert CONTENT_SECURITY_POLICY == EXPECTED_CSP
    assert response.headers["Content-Security-Policy"] == EXPECTED_CSP
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP on a developer's machine
    static = client.get("/static/css/app.css")
    assert static.headers["Content-Security-Policy"] == EXPECTED_CSP and static.headers["X-Frame-Options"] == "DENY"


@pytest.fixture
def production_app(database_url, schema, tmp_path):
    from tests.conftest import wipe

    app = create_app(make_config(database_url, str(tmp_path / "uploads"), PRODUCTION=True, WTF_CSRF_ENABLED=True,
                                 SECRET_KEY="a-long-random-production-secret-0123456789"))
    yield app
    wipe(app)


def session_cookie_header(response) -> str:
    cookies = [value for value in response.headers.getlist("Set-Cookie") if value.startswith("session=")]
    assert len(cookies) == 1, response.headers
    return cookies[0]


def cookie_flags(header: str) -> set[str]:
    return {part.strip().lower() for part in header.split(";")[1:]}


def test_production_sends_hsts_and_secure_cookies(production_app):
    client = production_app.test_client()
    response = client.get("/login", base_url="https://tritthuc.example.vn")
    assert response.status_code == 200
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert response.headers["Content-Security-Policy"] == EXPECTED_CSP
    flags = cookie_flags(session_cookie_header(response))  # the CSRF token lives in the session
    assert {"secure", "httponly", "samesite=lax"} <= flags
    config = production_app.config
    assert config["SESSION_COOKIE_SECURE"] is True and config["REMEMBER_COOKIE_SECURE"] is True
    assert config["REMEMBER_COOKIE_HTTPONLY"] is True and config["REMEMBER_COOKIE_SAMESITE"] == "Lax"
    assert config["PREFERRED_URL_SCHEME"] == "https"
    with production_app.test_request_context():
        assert url_for("publication.index", _external=True).startswith("https://")


def test_development_cookies_are_httponly_and_lax_but_work_over_http(database_url, schema, tmp_path):
    app = create_app(make_config(database_url, str(tmp_path / "uploads"), WTF_CSRF_ENABLED=True))
    response = app.test_client().get("/login")
    flags = cookie_flags(session_cookie_header(response))
    assert {"httponly", "samesite=lax"} <= flags and "secure" not in flags
    assert app.config["SESSION_COOKIE_SECURE"] is False and app.config["REMEMBER_COOKIE_SECURE"] is False
    assert app.config["PREFERRED_URL_SCHEME"] == "http"


def test_hsts_max_age_is_configurable(database_url, schema, tmp_path):
    app = create_app(make_config(database_url, str(tmp_path / "uploads"), PRODUCTION=True, HSTS_MAX_AGE=600,
                                 SECRET_KEY="another-long-production-secret-abcdef"))
    assert app.test_client().get("/login").headers["Strict-Transport-Security"] == "max-age=600; includeSubDomains"


@pytest.mark.parametrize("secret", ["dev-insecure-change-me", "", None, "short-key"])
def test_production_refuses_to_start_without_a_real_secret_key(tmp_path, secret):
    with pytest.raises(InsecureConfiguration, match="SECRET_KEY"):
        create_app({"PRODUCTION": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "UPLOAD_FOLDER": str(tmp_path),
                    "SECRET_KEY": secret})


# ---------------------------------------------------------------- reverse proxies

def proxied_app(database_url, tmp_path, proxies: int):
    app = create_app(make_config(database_url, str(tmp_path / "uploads"), TRUSTED_PROXIES=proxies))
    app.add_url_rule("/_client", "client_view", lambda: f"{request.remote_addr} {request.scheme} {request.host}")
    return app


FORWARDED = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "tritthuc.example.vn"}


def test_behind_a_trusted_proxy_the_client_address_and_scheme_come_from_it(database_url, schema, tmp_path):
    client = proxied_app(database_url, tmp_path, 1).test_client()
    response = client.get("/_client", headers=FORWARDED, environ_base={"REMOTE_ADDR": "10.0.0.2"})
    assert response.get_data(as_text=True) == "203.0.113.7 https tritthuc.example.vn"
    # Two hops (client, then a load balancer that appended its own view): one trusted proxy = the last entry.
    response = client.get("/_client", headers={"X-Forwarded-For": "198.51.100.1, 203.0.113.9"},
                          environ_base={"REMOTE_ADDR": "10.0.0.2"})
    assert response.get_data(as_text=True).split()[0] == "203.0.113.9"


def test_without_trusted_proxies_forwarded_headers_are_ignored(database_url, schema, tmp_path):
    """Otherwise any client could pick its own address and escape the per-address login throttle."""
    client = proxied_app(database_url, tmp_path, 0).test_client()
    response = client.get("/_client", headers=FORWARDED, environ_base={"REMOTE_ADDR": "10.0.0.2"})
    assert response.get_data(as_text=True) == "10.0.0.2 http localhost"


def test_login_throttle_counts_the_real_client_behind_the_proxy(database_url, schema, tmp_path):
    from honours.core import clock
    from honours.core.db import db
    from tests.conftest import NOW, wipe
    from tests.factories import make_org, make_user

    app = create_app(make_config(database_url, str(tmp_path / "uploads"), TRUSTED_PROXIES=1,
                                 LOGIN_MAX_FAILURES=100, LOGIN_MAX_FAILURES_PER_IP=3))
    try:
        with clock.frozen(NOW), app.app_context():
            victim = make_user(roles.NOMINATOR, make_org())
            email = victim.email
            db.session.remove()
            client = app.test_client()

            def attempt(address: str, password: str):
                return client.post("/login", data={"email": email, "password": password},
                                   headers={"X-Forwarded-For": address}, environ_base={"REMOTE_ADDR": "10.0.0.2"})

            for _ in range(3):
                attempt("203.0.113.66", "sai-mat-khau")
            # The attacker's address is throttled; a colleague behind the same proxy still signs in.
            assert attempt("203.0.113.66", "Matkhau-2026").status_code != 302
            assert attempt("198.51.100.20", "Matkhau-2026").status_code == 302
    finally:
        wipe(app)
