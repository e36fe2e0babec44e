"""Every page a role can open carries the Content-Security-Policy and has no inline code: the access matrix's
world, built once for the module (each test in a rolled-back savepoint, conftest.db_savepoint)."""
import pytest

from honours.core.http import CONTENT_SECURITY_POLICY
from tests.access.test_access_matrix import ANONYMOUS, EVERYONE, ROUTES, build_url, world  # noqa: F401  (world: a fixture)
from tests.conftest import client_with
from tests.core.test_security_headers import inline_code


@pytest.fixture
def app(module_app, db_savepoint):
    return module_app


def _get_routes():
    return [(endpoint, rule) for endpoint, rule, method in ROUTES if method == "GET" and endpoint != "static"]


@pytest.mark.parametrize("role", sorted(EVERYONE))
def test_every_page_a_role_can_open_has_no_inline_code_and_carries_the_csp(app, world, role):  # noqa: F811
    client = client_with(app, world["cookies"][role]) if role != ANONYMOUS else app.test_client()
    html_pages = 0
    for endpoint, rule in _get_routes():
        if endpoint in ("auth.logout",):
            continue  # would end the session for the remaining pages
        try:
            url = build_url(rule, world["params"])
        except AssertionError:
            continue  # a route without sample parameters: the access matrix test reports it
        response = client.get(url)
        assert response.headers.get("Content-Security-Policy") == CONTENT_SECURITY_POLICY, url
        assert response.headers.get("X-Content-Type-Options") == "nosniff", url
        if response.mimetype == "text/html":
            html_pages += 1
            assert inline_code(response.get_data(as_text=True)) == [], f"{role} {url}"
    assert html_pages >= 5
