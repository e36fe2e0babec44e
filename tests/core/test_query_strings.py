"""Every GET route with hostile query strings, and every route with ids too large for the database: a clean 4xx (or
the page), never a 500 — for the public and a signed-in secretariat, on SQLite and PostgreSQL (TEST_DATABASE_URL).

Built on the access matrix's world (once per module, each test in a rolled-back savepoint). Lists show one row a
page here (db.paginate per_page=1), so their pagination links are built from the hostile query string too. TESTING propagates
exceptions; here they are answered with the 500 page, so the test lists every URL that fails.
"""
import re
from urllib.parse import urlencode

import pytest
from flask_sqlalchemy import SQLAlchemy

from honours.core import roles
from tests.access.test_access_matrix import ANONYMOUS, ROUTES, build_url, world  # noqa: F401  (world: a fixture)
from tests.conftest import client_with

BEYOND_BIGINT = 2**64
BEYOND_INTEGER = 2**31
# Names the pages read from the query string (filters, ?round_id=, ?page=) and url_for's own keyword arguments.
READ_NAMES = ["round_id", "organisation_id", "field_id", "entity_id", "dossier_id", "user_id", "year", "id",
              "field", "state", "status", "type", "only", "degree", "gender", "age_band", "honoured", "overseas",
              "entity_type", "action", "actor", "date_from", "date_to", "next", "lang"]
URL_FOR_NAMES = {"endpoint": "admin.index", "_method": "POST", "_external": "1", "_anchor": "x\"><b>",
                 "_scheme": "javascript", "values": "1"}

QUERIES = [
    *({"page": value} for value in (BEYOND_BIGINT, -(2**63) - 1, "abc", "9" * 400)),
    {**URL_FOR_NAMES, "page": "2"},
    *({name: value for name in READ_NAMES} for value in (BEYOND_BIGINT, BEYOND_INTEGER, -1, "abc", "١٢٣")),
    {"q": "x" * 5000, "page": "2", "endpoint": "x", "_external": "1", "": "", "a[]": "%"},
]
SKIPPED = {"static", "auth.logout"}  # logout would end the session for the remaining pages


@pytest.fixture
def app(module_app, db_savepoint, monkeypatch):
    paginate = SQLAlchemy.paginate
    monkeypatch.setattr(SQLAlchemy, "paginate", lambda self, select, **kwargs: paginate(
        self, select, **{**kwargs, "per_page": 1}))
    # Every failing URL listed at once (the log has each traceback) rather than the first one raised.
    monkeypatch.setitem(module_app.config, "PROPAGATE_EXCEPTIONS", False)
    return module_app


GET_ROUTES = [(endpoint, rule) for endpoint, rule, method in ROUTES if method == "GET" and endpoint not in SKIPPED]


def _client(app, world, role):  # noqa: F811
    return client_with(app, world["cookies"][role]) if role != ANONYMOUS else app.test_client()


@pytest.mark.parametrize("role", [ANONYMOUS, roles.SECRETARIAT])
@pytest.mark.parametrize("endpoint,rule", GET_ROUTES)
def test_no_query_string_makes_a_get_route_fail(app, world, role, endpoint, rule):  # noqa: F811
    client = _client(app, world, role)
    url = build_url(rule, world["params"])
    failures = []
    for query in QUERIES:
        target = f"{url}?{urlencode(query)}"
        status = client.get(target).status_code
        if status >= 500:
            failures.append((status, target))
    assert failures == []


@pytest.mark.parametrize("role", [ANONYMOUS, roles.SECRETARIAT])
@pytest.mark.parametrize("number", [BEYOND_BIGINT, 2**63, BEYOND_INTEGER, 10**30])
def test_an_id_beyond_the_database_columns_is_not_found(app, world, role, number):  # noqa: F811
    client = _client(app, world, role)
    huge = {name: number if isinstance(value, int) else value for name, value in world["params"].items()}
    wrong = []
    for endpoint, rule, method in ROUTES:
        if "<int:" not in rule or endpoint in SKIPPED:
            continue
        url = build_url(rule, huge)
        status = client.open(url, method=method, data={}).status_code
        if status not in (404, 405):  # 405: werkzeug's answer when another method's rule has that shape
            wrong.append((status, method, url))
    assert wrong == []


def test_pagination_links_keep_the_filters_but_not_url_for_arguments(app, world):  # noqa: F811
    client = _client(app, world, roles.SECRETARIAT)
    query = urlencode({"q": "", "endpoint": "auth.logout", "_external": "1", "_scheme": "javascript",
                       "_anchor": "x", "_method": "POST"})
    html = client.get(f"/organisations/?{query}").get_data(as_text=True)
    links = re.findall(r'href="([^"]*)"', re.search(r'<nav class="pagination".*?</nav>', html, re.S).group(0))
    assert links == ["/organisations/?q=&amp;page=2"]


def test_an_absurd_page_number_is_a_bad_request(app, world):  # noqa: F811
    client = _client(app, world, roles.SECRETARIAT)
    assert client.get(f"/audit/?page={BEYOND_BIGINT}").status_code == 400
    assert client.get("/audit/?page=abc").status_code == 200  # not a number: the first page
    assert client.get("/audit/?page=2").status_code == 200
