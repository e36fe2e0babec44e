"""Sessions: a fresh session at every sign-in (no fixation), the idle timeout and the absolute lifetime, sessions
ended for every copy of their cookie (logout, signing out everywhere, password, lock, two-step changes), and
signed-in pages kept out of caches."""
from datetime import timedelta

from sqlalchemy import select

from honours.auth import services, totp
from honours.auth.models import User
from honours.core import clock, roles
from honours.core.audit import AuditEntry
from honours.core.db import db
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


# ---------------------------------------------------------------- revoking sessions


def stolen_copy(app, client):
    """Another browser holding a copy of this client's cookies (a stolen session)."""
    copy = app.test_client()
    for (_domain, _path, key), cookie in client._cookies.items():
        copy.set_cookie(key, cookie.value)
    return copy


def signed_in(client) -> bool:
    return client.get("/account/password").status_code == 200


def test_a_copied_session_stops_working_after_logout(app, client):
    login(client, make_user(roles.SECRETARIAT))
    thief = stolen_copy(app, client)
    assert signed_in(thief)
    client.post("/logout")
    assert not signed_in(thief)
    assert "Phiên đăng nhập đã kết thúc" in thief.get("/login").get_data(as_text=True)


def test_signing_out_everywhere_ends_every_session_of_the_account(app, client):
    user = make_user(roles.COUNCIL)
    login(client, user)
    laptop, other_user = app.test_client(), app.test_client()
    login(laptop, user)
    login(other_user, make_user(roles.COUNCIL))
    thief = stolen_copy(app, client)
    assert "Đăng xuất mọi nơi" in client.get("/account/password").get_data(as_text=True)
    assert client.post("/logout/everywhere").status_code == 302
    assert not signed_in(client) and not signed_in(laptop) and not signed_in(thief)
    assert signed_in(other_user)
    login(laptop, user)  # signing in again works at once
    assert signed_in(laptop)
    assert "logout_everywhere" in audit_actions(user)


def test_a_password_change_ends_the_other_sessions_but_not_this_one(app, client):
    user = make_user(roles.SECRETARIAT)
    login(client, user)
    thief = stolen_copy(app, client)
    form = {"current_password": PASSWORD, "new_password": "Mat-khau-moi-2027", "confirm": "Mat-khau-moi-2027"}
    assert client.post("/account/password", data=form).status_code == 302
    assert signed_in(client) and not signed_in(thief)
    assert "password_change" in audit_actions(user)


def test_locking_ends_the_sessions_and_unlocking_does_not_revive_them(app, client):
    admin, user = make_user(roles.ADMIN), make_user(roles.SECRETARIAT)
    login(client, user)
    thief = stolen_copy(app, client)
    services.set_active(admin, db.session.get(User, user.id), False, confirmed=True)
    services.set_active(admin, db.session.get(User, user.id), True, confirmed=True)
    assert not signed_in(client) and not signed_in(thief)
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.entity_id == user.id,
                                                          AuditEntry.action.in_(("lock", "unlock")))
                                 .order_by(AuditEntry.id)).all()
    assert [(e.action, e.from_state, e.to_state, e.actor_id) for e in entries] == [
        ("lock", "active", "locked", admin.id), ("unlock", "locked", "active", admin.id)]


def test_a_stolen_session_cannot_turn_on_two_step_login_without_the_password(app, client):
    user = make_user(roles.COUNCIL)
    login(client, user)
    thief = stolen_copy(app, client)
    thief.get("/account/two-factor")
    db.session.expire_all()
    code = totp.code_at(db.session.get(User, user.id).totp_secret, totp.current_step())
    refused = thief.post("/account/two-factor/enable", data={"code": code, "password": "doan-mo-2026"})
    assert refused.status_code == 422 and "Mật khẩu không đúng." in refused.get_data(as_text=True)
    db.session.expire_all()
    assert not db.session.get(User, user.id).totp_enabled
    # The owner, with the password, turns it on; every other session (the thief's) ends, theirs goes on.
    assert client.post("/account/two-factor/enable", data={"code": code, "password": PASSWORD}).status_code == 200
    assert signed_in(client) and not signed_in(thief)


def test_a_session_ends_after_its_absolute_lifetime_however_active(app, client):
    app.config.update(SESSION_IDLE_MINUTES=30, SESSION_MAX_HOURS=12)
    login(client, make_user(roles.SECRETARIAT))
    start = clock.now()
    for minutes in range(20, 12 * 60, 20):  # active every 20 minutes
        with clock.frozen(start + timedelta(minutes=minutes)):
            assert client.get("/eligibility/").status_code == 200, minutes
    with clock.frozen(start + timedelta(hours=12, minutes=1)):
        response = client.get("/eligibility/")
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")
        assert "quá 12 giờ" in client.get("/login").get_data(as_text=True)


def test_signed_in_pages_are_never_stored_in_a_cache(app, client):
    assert "no-store" not in app.test_client().get("/vinh-danh").headers.get("Cache-Control", "")
    login(client, make_user(roles.SECRETARIAT))
    for path in ("/", "/eligibility/", "/vinh-danh", "/account/password"):
        assert client.get(path).headers["Cache-Control"] == "private, no-store", path


def audit_actions(user) -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.entity_type == "user", AuditEntry.entity_id == user.id).order_by(AuditEntry.id)))


def test_a_change_of_rights_ends_the_accounts_sessions_whichever_code_makes_it(app, client):
    """Role, organisation, chair flag, activity, password: a session never keeps rights the account lost."""
    for change in (lambda u: setattr(u, "role", roles.NOMINATOR), lambda u: setattr(u, "is_chair", True)):
        user = make_user(roles.COUNCIL)
        login(client, user)
        thief = stolen_copy(app, client)
        change(db.session.get(User, user.id))
        db.session.commit()
        assert not signed_in(client) and not signed_in(thief)
    user = make_user(roles.COUNCIL)
    login(client, user)
    db.session.get(User, user.id).full_name = "Tên mới"  # not a right: the session goes on
    db.session.commit()
    assert signed_in(client)
