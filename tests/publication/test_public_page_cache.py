"""The public honoured list is served to anonymous visitors from a per-process copy (honours/publication/
page_cache.py): no query while it is fresh, never stale after a commit in the process, never for signed-in users."""
from datetime import timedelta

from honours import create_app
from honours.core import clock
from honours.publication import page_cache, services
from honours.publication.services import CitationEdit
from tests.conftest import login, make_config
from tests.core.test_query_counts import count_queries
from tests.publication.test_publication import publish, world  # noqa: F401  (the fixture)

LISTS = ("/vinh-danh", "/vinh-danh/2026")


def test_anonymous_visitors_get_the_copy_without_a_query(world, app):  # noqa: F811
    publish(world)
    client = app.test_client()
    for url in LISTS:
        first = client.get(url)
        with count_queries() as statements:
            again = client.get(url)
        assert statements == [], url
        assert again.status_code == 200 and again.data == first.data, url
        assert again.headers["ETag"] == first.headers["ETag"]
        assert again.headers["Last-Modified"] == first.headers["Last-Modified"]
        assert again.headers["Cache-Control"] == "public, max-age=300"
        revalidated = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
        assert revalidated.status_code == 304 and revalidated.data == b""
    # A search is not a list page: it always runs its query.
    with count_queries() as statements:
        assert client.get("/vinh-danh?q=hung").status_code == 200
    assert statements


def test_a_commit_refreshes_the_copy_at_once(world, app):  # noqa: F811
    client = app.test_client()
    before = client.get("/vinh-danh").get_data(as_text=True)
    assert "Nguyễn Văn Hùng" not in before
    publish(world)
    assert "Nguyễn Văn Hùng" in client.get("/vinh-danh").get_data(as_text=True)
    assert "Người tiên phong ghép thận" in client.get("/vinh-danh/2026").get_data(as_text=True)
    with clock.frozen(clock.now() + timedelta(hours=1)):
        services.save_citations(world["secretary"], world["round"],
                                [CitationEdit(world["hung"].id, None, "Trích dẫn vừa sửa.")])
    for url in LISTS:
        assert "Trích dẫn vừa sửa." in client.get(url).get_data(as_text=True), url


def test_the_copy_expires_after_the_configured_seconds(world, app, monkeypatch):  # noqa: F811
    publish(world)
    client = app.test_client()
    client.get("/vinh-danh")
    now = page_cache.time.monotonic()
    monkeypatch.setattr(page_cache.time, "monotonic", lambda: now + app.config["PUBLIC_PAGE_CACHE_SECONDS"] + 1)
    with count_queries() as statements:
        assert client.get("/vinh-danh").status_code == 200
    assert statements  # rendered again (another process may have committed meanwhile)


def test_signed_in_users_and_english_readers_get_their_own_page(world, app):  # noqa: F811
    publish(world)
    member = app.test_client()
    login(member, world["nominators"][0])
    for _ in range(2):  # the signed-in page (with the user's name) is neither kept nor served from the copy
        mine = member.get("/vinh-danh/2026")
        assert mine.headers["Cache-Control"].startswith("private") and "Đăng xuất" in mine.get_data(as_text=True)
    anonymous = app.test_client()
    shared = anonymous.get("/vinh-danh/2026")
    assert "Đăng xuất" not in shared.get_data(as_text=True) and mine.headers["ETag"] != shared.headers["ETag"]
    assert anonymous.get("/vinh-danh/2026").data == shared.data
    english = app.test_client()
    english.get("/lang/en")
    assert english.get("/vinh-danh/2026").headers["ETag"] != shared.headers["ETag"]


def test_no_copy_when_turned_off(world, app, database_url, tmp_path):  # noqa: F811
    publish(world)
    plain = create_app(make_config(database_url, str(tmp_path / "uploads"), PUBLIC_PAGE_CACHE_SECONDS=0))
    client = plain.test_client()
    client.get("/vinh-danh")
    with plain.app_context(), count_queries() as statements:
        assert client.get("/vinh-danh").status_code == 200
    assert statements


def test_only_plain_requests_get_the_copy(world, app):  # noqa: F811
    publish(world)
    app.test_client().get("/vinh-danh/2026")  # now kept
    with_cookie = app.test_client()
    with_cookie.set_cookie("analytics", "x")
    for client, headers, url in ((with_cookie, {}, "/vinh-danh/2026"),
                                 (app.test_client(), {}, "/vinh-danh/2026?utm_source=bao"),
                                 (app.test_client(), {"If-Modified-Since": "Mon, 01 Jun 2026 00:00:00 GMT"},
                                  "/vinh-danh/2026")):
        with count_queries() as statements:
            assert client.get(url, headers=headers).status_code == 200
        assert statements, (headers, url)
    with count_queries() as statements:
        assert app.test_client().head("/vinh-danh/2026").status_code == 200
    assert statements
    # A page that is not a public list (an honouree, an export, a 404) is never kept.
    for url in (f"/vinh-danh/2026/{world['hung'].id}-nguyen-van-hung", "/vinh-danh/2026.json", "/vinh-danh/1999"):
        client = app.test_client()
        client.get(url)
        with count_queries() as statements:
            client.get(url)
        assert statements, url


def test_a_hostile_script_name_never_reaches_the_next_visitor(world, app):  # noqa: F811
    """gunicorn turns a `SCRIPT_NAME: //evil.example` request header into the WSGI SCRIPT_NAME (and strips it from
    the path): the page's links would start with it, and the copy kept for everyone else too."""
    publish(world)
    attacker = app.test_client()
    attacker.get("/vinh-danh/2026", environ_overrides={"SCRIPT_NAME": "//evil.example"})
    attacker.get("/vinh-danh/2026", headers={"X-Forwarded-Prefix": "//evil.example"})
    for _visitor in range(3):
        page = app.test_client().get("/vinh-danh/2026").get_data(as_text=True)
        assert "evil.example" not in page
        assert 'href="/login"' in page


def test_the_operator_sets_the_script_root(world, app, database_url, tmp_path):  # noqa: F811
    publish(world)
    mounted = create_app(make_config(database_url, str(tmp_path / "uploads"), SCRIPT_ROOT="/tri-thuc"))
    client = mounted.test_client()
    # What gunicorn passes for /tri-thuc/vinh-danh/2026 with SCRIPT_NAME=/tri-thuc in its environment...
    page = client.get("/vinh-danh/2026", environ_overrides={"SCRIPT_NAME": "/tri-thuc"}).get_data(as_text=True)
    assert 'href="/tri-thuc/' in page
    # ... and what a client's SCRIPT_NAME header would make of it: the operator's root all the same.
    hostile = client.get("/tri-thuc/vinh-danh/2026", environ_overrides={"SCRIPT_NAME": "//evil.example/tri-thuc"})
    assert hostile.status_code == 404 and 'href="//evil.example' not in hostile.get_data(as_text=True)


def test_the_copy_is_kept_per_host_and_script_root(world, app):  # noqa: F811
    publish(world)
    app.test_client().get("/vinh-danh/2026", headers={"Host": "evil.example"})  # kept for that host only
    with count_queries() as statements:
        page = app.test_client().get("/vinh-danh/2026")
    assert statements and page.status_code == 200  # not the other host's copy
    environ = {"wsgi.url_scheme": "https", "HTTP_HOST": "Tri-Thuc.example", "SCRIPT_NAME": "/a",
               "PATH_INFO": "/vinh-danh", "QUERY_STRING": "b=2&a=1"}
    assert page_cache.cache_key(environ) == ("https", "tri-thuc.example", "/a", "/vinh-danh", "a=1&b=2")
    assert page_cache.cache_key({**environ, "SCRIPT_NAME": ""}) != page_cache.cache_key(environ)


def test_gunicorn_believes_no_script_name_or_path_header():
    import runpy
    from pathlib import Path

    settings = runpy.run_path(str(Path(__file__).resolve().parents[2] / "gunicorn.conf.py"))
    assert settings["forwarder_headers"] == "" and settings["header_map"] == "drop"
