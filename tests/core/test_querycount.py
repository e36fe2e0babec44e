"""HONOURS_COUNT_QUERIES=1 (the load benchmark) adds X-Query-Count to every response; never on by default."""
from honours import create_app
from honours.core import roles
from tests.conftest import login, make_config
from tests.core.test_query_counts import count_queries
from tests.factories import make_user


def test_no_header_by_default(app, client):
    assert "X-Query-Count" not in client.get("/login").headers


def test_the_header_counts_the_statements_of_each_request(app, database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("HONOURS_COUNT_QUERIES", "1")
    counting = create_app(make_config(database_url, str(tmp_path / "uploads")))
    user = make_user(roles.SECRETARIAT)
    client = counting.test_client()
    assert client.get("/login").headers["X-Query-Count"] == "0"
    login(client, user)
    with counting.app_context():
        for url in ("/rounds/", "/eligibility/"):
            with count_queries() as statements:
                response = client.get(url)
            assert response.status_code == 200
            assert int(response.headers["X-Query-Count"]) == len(statements) > 0, url
