"""Two-factor login (TOTP): enrolment, the second login step, replay protection, recovery codes, the per-role
policy with forced enrolment, disabling, and the audit trail of all of it."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from honours.auth import totp, two_factor
from honours.auth.models import RecoveryCode, SecurityPolicy, User
from honours.core import clock, roles
from honours.core.audit import AuditEntry
from honours.core.db import db
from honours.core.errors import RuleViolation
from tests.conftest import login
from tests.factories import PASSWORD, make_user

VERIFY = "/login/two-factor"
SETTINGS = "/account/two-factor"


def fresh(user: User) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def code_now(user: User, steps_later: int = 0) -> str:
    return totp.code_at(fresh(user).totp_secret, totp.current_step() + steps_later)


def actions(user: User) -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.entity_type == "user", AuditEntry.entity_id == user.id).order_by(AuditEntry.id)))


def enrol(client, user: User) -> list[str]:
    """Enrol through the pages; returns the recovery codes shown."""
    page = client.get(SETTINGS)
    assert page.status_code == 200
    response = client.post(f"{SETTINGS}/enable", data={"code": code_now(user), "password": PASSWORD})
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    return re.findall(r"<code>([a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4})</code>", response.get_data(as_text=True))


def enrolled_user(app, role=roles.SECRETARIAT) -> tuple[User, list[str]]:
    """A user with two-factor login on; the clock is then moved a minute on so the enrolment code is spent."""
    user = make_user(role)
    client = app.test_client()
    login(client, user)
    codes = enrol(client, user)
    client.post("/logout")
    return user, codes


def password_step(client, user: User, next_url: str | None = None):
    return client.post("/login", query_string={"next": next_url} if next_url else None,
                       data={"email": user.email, "password": PASSWORD})


def signed_in(client) -> bool:
    return client.get("/account/password").status_code == 200


# ---------------------------------------------------------------- enrolment


def test_enrolment_shows_the_secret_and_a_qr_code_and_needs_a_valid_code(app, client):
    user = make_user(roles.COUNCIL)
    login(client, user)
    page = client.get(SETTINGS)
    html = page.get_data(as_text=True)
    secret = fresh(user).totp_secret
    assert page.status_code == 200 and secret and secret in html
    assert 'src="data:image/svg+xml' in html and "otpauth://totp/" in html
    assert page.headers["Cache-Control"] == "no-store"
    assert client.get(SETTINGS).get_data(as_text=True).count(secret) >= 1  # the same secret until confirmed

    wrong = client.post(f"{SETTINGS}/enable", data={"code": "000000" if code_now(user) != "000000" else "111111",
                                                 "password": PASSWORD})
    assert wrong.status_code == 422 and "Mã xác thực không đúng" in wrong.get_data(as_text=True)
    assert not fresh(user).totp_enabled

    codes = enrol(client, user)
    assert len(codes) == 10 and len(set(codes)) == 10
    user = fresh(user)
    assert user.totp_enabled and user.totp_last_step == totp.current_step()
    stored = db.session.scalars(select(RecoveryCode.code_hash).where(RecoveryCode.user_id == user.id)).all()
    assert len(stored) == 10 and not set(codes) & set(stored)  # hashes only
    assert actions(user) == ["totp_enable"]
    # The codes are shown once: the settings page now only counts them.
    settings = client.get(SETTINGS).get_data(as_text=True)
    assert codes[0] not in settings and user.totp_secret not in settings and "Còn 10 mã khôi phục" in settings


def test_nominator_accounts_cannot_enrol(app):
    from tests.factories import make_org

    nominator = make_user(roles.NOMINATOR, make_org())
    with pytest.raises(RuleViolation):
        two_factor.start_enrolment(nominator)


# ---------------------------------------------------------------- the second login step


def test_login_asks_for_the_code_and_signs_in_only_after_it(app):
    user, _codes = enrolled_user(app)
    client = app.test_client()
    with clock.frozen(clock.now() + timedelta(minutes=1)):
        response = password_step(client, user, next_url="/rounds/")
        assert response.status_code == 302 and response.headers["Location"] == VERIFY
        assert not signed_in(client)  # the password alone does not sign in
        assert client.get("/rounds/").headers["Location"].startswith("/login")
        with client.session_transaction() as session:
            assert "_user_id" not in session
        page = client.get(VERIFY)
        assert page.status_code == 200 and "Mã xác thực hoặc mã khôi phục" in page.get_data(as_text=True)
        done = client.post(VERIFY, data={"code": code_now(user)})
        assert done.status_code == 302 and done.headers["Location"] == "/rounds/"
        assert signed_in(client)
        with client.session_transaction() as session:
            assert "two_factor_pending" not in session and session["_user_id"] == str(user.id)


def test_a_wrong_code_is_refused_and_counts_towards_the_delay(app):
    user, _codes = enrolled_user(app)
    client = app.test_client()
    with clock.frozen(clock.now() + timedelta(minutes=1)):
        password_step(client, user)
        right = code_now(user)
        wrong = "123456" if right != "123456" else "654321"
        refused = client.post(VERIFY, data={"code": wrong})
        assert refused.status_code == 422 and "Mã xác thực không đúng hoặc đã được dùng." in refused.get_data(as_text=True)
        assert not signed_in(client)
        for _ in range(app.config["LOGIN_MAX_FAILURES"] - 2):
            client.post(VERIFY, data={"code": wrong})
        # Entering the password again must not reset the count (or the code could be guessed without end).
        assert password_step(client, user).headers["Location"] == VERIFY
        client.post(VERIFY, data={"code": wrong})
        locked = client.post(VERIFY, data={"code": right})
        assert locked.status_code == 302 and locked.headers["Location"] == "/login"
        assert "Đăng nhập sai quá nhiều lần" in client.get("/login").get_data(as_text=True)
        assert not signed_in(client)
        assert "Đăng nhập sai quá nhiều lần" in password_step(client, user).get_data(as_text=True)
    with clock.frozen(clock.now() + timedelta(minutes=app.config["LOGIN_FAILURE_WINDOW_MINUTES"] + 2)):
        password_step(client, user)
        assert client.post(VERIFY, data={"code": code_now(user)}).status_code == 302
        assert signed_in(client)


def test_a_code_cannot_be_used_twice(app):
    user, _codes = enrolled_user(app)
    with clock.frozen(clock.now() + timedelta(minutes=1)):
        first, second = app.test_client(), app.test_client()
        password_step(first, user)
        password_step(second, user)
        code = code_now(user)
        assert first.post(VERIFY, data={"code": code}).status_code == 302
        replay = second.post(VERIFY, data={"code": code})
        assert replay.status_code == 422 and "đã được dùng" in replay.get_data(as_text=True)
        # An older (still in the drift window) code is refused too once a newer step was used.
        assert second.post(VERIFY, data={"code": code_now(user, -1)}).status_code == 422
        assert not signed_in(second)
    with clock.frozen(clock.now() + timedelta(minutes=1, seconds=30)):
        assert second.post(VERIFY, data={"code": code_now(user)}).status_code == 302


def test_the_enrolment_code_cannot_be_replayed_at_login(app):
    user = make_user(roles.ADMIN)
    client = app.test_client()
    login(client, user)
    client.get(SETTINGS)
    code = code_now(user)
    assert client.post(f"{SETTINGS}/enable", data={"code": code, "password": PASSWORD}).status_code == 200
    client.post("/logout")
    password_step(client, user)
    assert client.post(VERIFY, data={"code": code}).status_code == 422


def test_a_recovery_code_signs_in_once(app):
    user, codes = enrolled_user(app, roles.COUNCIL)
    client = app.test_client()
    password_step(client, user)
    # Typed the way people copy from paper: upper case, spaces instead of dashes.
    typed = codes[3].upper().replace("-", " ")
    assert client.post(VERIFY, data={"code": typed}).status_code == 302
    assert signed_in(client)
    assert actions(user)[-1] == "totp_recovery_code_used"
    client.post("/logout")
    password_step(client, user)
    again = client.post(VERIFY, data={"code": codes[3]})
    assert again.status_code == 422 and not signed_in(client)
    assert client.post(VERIFY, data={"code": codes[4]}).status_code == 302
    assert two_factor.remaining_recovery_codes(fresh(user)) == 8


def test_the_pending_login_expires(app):
    user, _codes = enrolled_user(app)
    client = app.test_client()
    password_step(client, user)
    later = clock.now() + timedelta(minutes=app.config["TWO_FACTOR_PENDING_MINUTES"] + 1)
    with clock.frozen(later):
        response = client.post(VERIFY, data={"code": code_now(user)})
        assert response.status_code == 302 and response.headers["Location"] == "/login"
        assert not signed_in(client)


def test_the_second_step_without_a_password_step_goes_back_to_login(app, client):
    response = client.get(VERIFY)
    assert response.status_code == 302 and response.headers["Location"] == "/login"


def test_a_deactivated_account_cannot_finish_the_second_step(app):
    user, _codes = enrolled_user(app)
    client = app.test_client()
    password_step(client, user)
    fresh(user).active = False
    db.session.commit()
    response = client.post(VERIFY, data={"code": code_now(user, 1)})
    assert response.status_code == 302 and response.headers["Location"] == "/login" and not signed_in(client)


# ---------------------------------------------------------------- recovery codes, disabling


def test_new_recovery_codes_replace_the_old_ones(app):
    user, old_codes = enrolled_user(app)
    client = app.test_client()
    with clock.frozen(clock.now() + timedelta(minutes=1)):
        password_step(client, user)
        client.post(VERIFY, data={"code": code_now(user)})
    with clock.frozen(clock.now() + timedelta(minutes=2)):
        assert client.post(f"{SETTINGS}/recovery-codes", data={"code": old_codes[0]}).status_code == 422
        page = client.post(f"{SETTINGS}/recovery-codes", data={"code": code_now(user)})
        assert page.status_code == 200
        new_codes = re.findall(r"<code>([a-z0-9-]{14})</code>", page.get_data(as_text=True))
        assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    assert "totp_recovery_codes_new" in actions(user)
    client.post("/logout")
    password_step(client, user)
    assert client.post(VERIFY, data={"code": old_codes[1]}).status_code == 422
    assert client.post(VERIFY, data={"code": new_codes[0]}).status_code == 302


def test_disabling_needs_the_password_or_a_current_code(app):
    user, codes = enrolled_user(app)
    client = app.test_client()
    password_step(client, user)
    client.post(VERIFY, data={"code": codes[0]})
    refused = client.post(f"{SETTINGS}/disable", data={"proof": "sai-mat-khau-1"})
    assert refused.status_code == 422 and "Mã xác thực hoặc mật khẩu không đúng." in refused.get_data(as_text=True)
    assert fresh(user).totp_enabled
    response = client.post(f"{SETTINGS}/disable", data={"proof": PASSWORD})
    assert response.status_code == 302
    user = fresh(user)
    assert not user.totp_enabled and user.totp_secret is None
    assert db.session.scalar(select(RecoveryCode.id).where(RecoveryCode.user_id == user.id)) is None
    assert actions(user)[-1] == "totp_disable"
    client.post("/logout")
    assert password_step(client, user).headers["Location"] == "/"  # no second step any more


# ---------------------------------------------------------------- per-role policy


def test_admin_requires_two_factor_for_a_role_and_its_users_must_enrol_first(app):
    admin = make_user(roles.ADMIN)
    admin_client = app.test_client()
    login(admin_client, admin)
    page = admin_client.get("/admin/security")
    assert page.status_code == 200 and "Bắt buộc xác thực hai bước" in page.get_data(as_text=True)
    assert admin_client.post("/admin/security", data={"secretariat": "y"}).status_code == 302
    form = admin_client.get("/admin/security").get_data(as_text=True)
    assert re.search(r'<input checked[^>]*name="secretariat"', form)
    assert not re.search(r'<input checked[^>]*name="council"', form)
    policy = db.session.scalar(select(SecurityPolicy).where(SecurityPolicy.role == roles.SECRETARIAT))
    assert policy.require_totp and policy.updated_by_id == admin.id
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.entity_type == "security_policy")).one()
    assert (entry.action, entry.to_state, entry.reason, entry.actor_id) == ("require_totp", "on", "secretariat", admin.id)
    # Saving the same again changes (and logs) nothing.
    admin_client.post("/admin/security", data={"secretariat": "y"})
    assert db.session.query(AuditEntry).filter_by(entity_type="security_policy").count() == 1

    secretary = make_user(roles.SECRETARIAT)
    client = app.test_client()
    login(client, secretary)
    for url in ("/eligibility/", "/", "/account/password", "/audit/"):
        response = client.get(url)
        assert response.status_code == 302 and response.headers["Location"] == SETTINGS, url
    assert client.get(SETTINGS).status_code == 200
    enrol(client, secretary)
    assert client.get("/eligibility/").status_code == 200
    # The role requires it: it cannot be switched off.
    refused = client.post(f"{SETTINGS}/disable", data={"proof": PASSWORD})
    assert refused.status_code == 422 and "bắt buộc xác thực hai bước" in refused.get_data(as_text=True)
    assert fresh(secretary).totp_enabled
    # Other roles are not affected.
    council = make_user(roles.COUNCIL)
    council_client = app.test_client()
    login(council_client, council)
    assert council_client.get("/").status_code == 200


def test_only_the_admin_changes_the_policy(app):
    with pytest.raises(RuleViolation):
        two_factor.set_policies(make_user(roles.SECRETARIAT), {roles.SECRETARIAT: True})
    admin = make_user(roles.ADMIN)
    assert two_factor.set_policies(admin, {roles.COUNCIL: True, roles.NOMINATOR: True}) == [roles.COUNCIL]
    assert two_factor.policies() == {roles.ADMIN: False, roles.SECRETARIAT: False, roles.COUNCIL: True}
    assert not two_factor.role_requires_totp(roles.NOMINATOR)
    assert two_factor.set_policies(admin, {}) == [roles.COUNCIL]
    assert [e.action for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))] == \
        ["require_totp", "relax_totp"]


# ---------------------------------------------------------------- operator reset


def test_cli_reset_turns_two_factor_off_and_is_logged(app):
    user, _codes = enrolled_user(app)
    result = app.test_cli_runner().invoke(args=["two-factor", "reset", user.email.upper(), "--reason", "Mất điện thoại"])
    assert result.exit_code == 0, result.output
    user = fresh(user)
    assert not user.totp_enabled and user.totp_secret is None
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "totp_reset")).one()
    assert entry.actor_id is None and entry.reason == "Mất điện thoại"
    missing = app.test_cli_runner().invoke(args=["two-factor", "reset", "khong-co@example.vn", "--reason", "x"])
    assert missing.exit_code != 0
