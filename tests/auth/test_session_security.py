"""Sessions: a fresh session at every sign-in (no fixation) and the idle timeout."""
from datetime import timedelta

from honours.core import clock, roles
from tests.conftest import login
from tests.factories import PASSWORD, make_user


def session_cookie(client) -> str | None:
    cookie = client.get_cookie("session")
    return cookie.value if cookie else None


def test_signing_in_starts_a_new_session_and_drops_the_old_data(app, client):
    user = make_user(roles.SECRETARIAT)
    client.get("/lang/en")  # the language choice survives sign-in
    with client.session_transaction() as session:
        session["planted"] = "by-an-attacker"
    before = session_cookie(client)
    login(client, user)
    after = session_cookie(client)
    assert before and after and after != before
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["lang"] == "en" and session["_user_id"] == str(user.id)
        first_id = session["sid"]
    # A cookie captured before the sign-in (session fixation) is not signed in.
    attacker = app.test_client()
    attacker.set_cookie("session", before)
    assert attacker.get("/eligibility/").status_code == 302
    # Every sign-in gets its own identifier, even for the same user at the same instant.
    client.post("/logout")
    login(client, user)
    with client.session_transaction() as session:
        assert session["sid"] != first_id


def test_logging_out_empties_the_session(app, client):
    user = make_user(roles.SECRETARIAT)
    login(client, user)
    client.post("/logout")
    with client.session_transaction() as session:
        assert "_user_id" not in session and "sid" not in session and "last_seen" not in session
    assert client.get("/eligibility/").status_code == 302


def test_an_idle_session_is_signed_out_with_a_message(app, client):
    app.config.update(SESSION_IDLE_MINUTES=30, SESSION_MAX_HOURS=12)
    user = make_user(roles.SECRETARIAT)
    login(client, user)
    idle = app.config["SESSION_IDLE_MINUTES"]
    start = clock.now()
    # Activity keeps the session alive (within the absolute lifetime).
    for minutes in (idle - 1, 2 * idle - 2, 3 * idle - 3):
        with clock.frozen(start + timedelta(minutes=minutes)):
            assert client.get("/eligibility/").status_code == 200, minutes
    with clock.frozen(start + timedelta(minutes=4 * idle - 2)):
        response = client.get("/eligibility/?state=submitted")
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login?next=/eligibility/")
        page = client.get("/login").get_data(as_text=True)
        assert f"không hoạt động quá {idle} phút" in page
        assert client.get("/eligibility/").status_code == 302
        with client.session_transaction() as session:
            assert "_user_id" not in session
        # Signing in again works at once.
        assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
        assert client.get("/eligibility/").status_code == 200


def test_the_idle_limit_comes_from_the_configuration(app, client):
    app.config["SESSION_IDLE_MINUTES"] = 5
    login(client, make_user(roles.COUNCIL))
    with clock.frozen(clock.now() + timedelta(minutes=4)):
        assert client.get("/").status_code == 200
    with clock.frozen(clock.now() + timedelta(minutes=10)):
        assert client.get("/").status_code == 302


def test_the_session_cookie_is_not_rewritten_on_every_request(app, client):
    login(client, make_user(roles.SECRETARIAT))
    client.get("/eligibility/")  # the first page stores the form token (CSRF) in the session
    with clock.frozen(clock.now() + timedelta(seconds=20)):
        assert "Set-Cookie" not in client.get("/eligibility/").headers
        assert "Set-Cookie" not in client.get("/static/css/app.css").headers
    with clock.frozen(clock.now() + timedelta(minutes=5)):
        assert "Set-Cookie" in client.get("/eligibility/").headers  # the idle clock moves on
    # Anonymous visitors get no session cookie at all.
    visitor = app.test_client()
    assert "Set-Cookie" not in visitor.get("/").headers


def test_static_files_do_not_count_as_activity(app, client):
    login(client, make_user(roles.SECRETARIAT))
    start = clock.now()
    idle = app.config["SESSION_IDLE_MINUTES"]
    with clock.frozen(start + timedelta(minutes=idle - 1)):
        client.get("/static/css/app.css")
    with clock.frozen(start + timedelta(minutes=idle + 1)):
        assert client.get("/eligibility/").status_code == 302
