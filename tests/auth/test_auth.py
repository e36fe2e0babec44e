"""Accounts: login throttling without user enumeration, CSRF, sessions, password change, CLI, config."""
from datetime import timedelta

import pytest

from honours import InsecureConfiguration, create_app
from honours.auth import services, throttling
from honours.auth.models import LoginThrottle, User
from honours.core import clock, roles
from honours.core.db import db
from honours.core.errors import RuleViolation
from tests.conftest import make_config
from tests.factories import PASSWORD, make_org, make_user

GENERIC = "Email hoặc mật khẩu không đúng."


def post_login(client, email, password, **environ):
    return client.post("/login", data={"email": email, "password": password}, environ_base=environ)


def test_wrong_password_and_unknown_email_get_the_same_message(client):
    user = make_user(roles.SECRETARIAT)
    wrong = post_login(client, user.email, "sai-mat-khau-1").get_data(as_text=True)
    unknown = post_login(client, "khong-ton-tai@example.vn", "sai-mat-khau-1").get_data(as_text=True)
    assert GENERIC in wrong and GENERIC in unknown


def test_login_is_case_insensitive_on_email_and_redirects_to_next(client):
    make_user(roles.SECRETARIAT, email="thuky@example.vn")
    response = client.post("/login?next=/rounds/", data={"email": " ThuKy@Example.VN ", "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/rounds/"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"])
def test_login_never_redirects_off_site(client, target):
    user = make_user(roles.SECRETARIAT)
    response = client.post("/login", query_string={"next": target}, data={"email": user.email, "password": PASSWORD})
    location = response.headers["Location"]
    assert location.startswith("/") and not location.startswith("//") and "evil" not in location


def test_repeated_failures_delay_the_account_even_with_the_right_password(app, client):
    user = make_user(roles.SECRETARIAT)
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        assert GENERIC in post_login(client, user.email, "sai-mat-khau-1").get_data(as_text=True)
    delayed = post_login(client, user.email, PASSWORD)
    assert delayed.status_code == 200 and "Đăng nhập sai quá nhiều lần" in delayed.get_data(as_text=True)
    assert f"{app.config['LOGIN_DELAY_SECONDS']} giây" in delayed.get_data(as_text=True)
    # Another account from another address is unaffected.
    other = make_user(roles.SECRETARIAT)
    assert post_login(app.test_client(), other.email, PASSWORD, REMOTE_ADDR="10.9.9.9").status_code == 302
    # Only a delay, not a lock.
    with clock.frozen(clock.now() + timedelta(seconds=app.config["LOGIN_DELAY_SECONDS"])):
        assert post_login(client, user.email, PASSWORD).status_code == 302


def test_unknown_emails_are_throttled_too_so_locking_reveals_nothing(app, client):
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        post_login(client, "ai-do@example.vn", "x1234567890")
    assert "Đăng nhập sai quá nhiều lần" in post_login(client, "ai-do@example.vn", "x").get_data(as_text=True)


def test_one_address_guessing_many_accounts_is_throttled(app):
    app.config["LOGIN_MAX_FAILURES_PER_IP"] = 3
    client = app.test_client()
    for i in range(3):
        post_login(client, f"nguoi{i}@example.vn", "sai-mat-khau-1", REMOTE_ADDR="203.0.113.7")
    user = make_user(roles.SECRETARIAT)
    blocked = post_login(client, user.email, PASSWORD, REMOTE_ADDR="203.0.113.7")
    assert "Đăng nhập sai quá nhiều lần" in blocked.get_data(as_text=True)
    assert post_login(app.test_client(), user.email, PASSWORD, REMOTE_ADDR="198.51.100.1").status_code == 302


def test_successful_login_clears_the_account_failures(app, client):
    user = make_user(roles.SECRETARIAT)
    post_login(client, user.email, "sai-mat-khau-1")
    assert post_login(client, user.email, PASSWORD).status_code == 302
    attempts = dict(db.session.query(LoginThrottle.key, LoginThrottle.attempts))
    address, account = throttling.keys_for(user.email, "127.0.0.1")
    assert attempts == {account.name: 0, address.name: 1}  # the address keeps its failure, not the success


def test_deactivated_accounts_cannot_log_in_and_are_logged_out(app, client):
    admin = make_user(roles.ADMIN)
    user = make_user(roles.SECRETARIAT)
    assert post_login(client, user.email, PASSWORD).status_code == 302
    services.set_active(admin, db.session.get(User, user.id), False, confirmed=True)
    assert client.get("/eligibility/").status_code == 302  # the live session no longer counts
    assert GENERIC in post_login(client, user.email, PASSWORD).get_data(as_text=True)


def test_managers_cannot_lock_themselves_and_secretariat_cannot_touch_admins(app):
    admin, secretary = make_user(roles.ADMIN), make_user(roles.SECRETARIAT)
    with pytest.raises(RuleViolation):
        services.set_active(admin, admin, False)
    with pytest.raises(RuleViolation):
        services.set_active(secretary, admin, False)


def test_secretariat_cannot_create_admin_accounts_by_posting_the_form(client):
    login_as = make_user(roles.SECRETARIAT)
    post_login(client, login_as.email, PASSWORD)
    response = client.post("/users/new", data={"email": "moi@example.vn", "full_name": "Quản trị mới", "role": "admin",
                                              "organisation_id": "0"})
    assert "Giá trị được chọn không hợp lệ." in response.get_data(as_text=True)
    assert db.session.query(User).filter_by(email="moi@example.vn").count() == 0


def test_logout_requires_post_and_ends_the_session(client):
    user = make_user(roles.SECRETARIAT)
    post_login(client, user.email, PASSWORD)
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 302
    assert client.get("/eligibility/").status_code == 302


def test_session_cookie_flags(client):
    user = make_user(roles.SECRETARIAT)
    response = post_login(client, user.email, PASSWORD)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_forms_are_protected_by_csrf(database_url, schema, tmp_path):
    app = create_app(make_config(database_url, str(tmp_path), WTF_CSRF_ENABLED=True))
    with app.app_context():
        client = app.test_client()
        response = client.post("/login", data={"email": "a@example.vn", "password": "x"})
        assert response.status_code == 400
        assert "Biểu mẫu đã hết hạn hoặc không hợp lệ" in response.get_data(as_text=True)
        page = client.get("/login").get_data(as_text=True)
        assert 'name="csrf_token"' in page


def test_password_change(client):
    user = make_user(roles.NOMINATOR, make_org())
    post_login(client, user.email, PASSWORD)
    form = {"current_password": "sai", "new_password": "MatKhauMoi2027", "confirm": "MatKhauMoi2027"}
    assert "Mật khẩu hiện tại không đúng." in client.post("/account/password", data=form).get_data(as_text=True)
    weak = dict(form, current_password=PASSWORD, new_password="ngan", confirm="ngan")
    assert "ít nhất 10 ký tự" in client.post("/account/password", data=weak).get_data(as_text=True)
    mismatch = dict(form, current_password=PASSWORD, confirm="KhacNhau2027")
    assert "Hai mật khẩu không khớp." in client.post("/account/password", data=mismatch).get_data(as_text=True)
    assert client.post("/account/password", data=dict(form, current_password=PASSWORD)).status_code == 302
    client.post("/logout")
    assert post_login(client, user.email, "MatKhauMoi2027").status_code == 302


def test_password_policy():
    for weak in ("ngan", "chicochuthoi", "12345678901"):
        with pytest.raises(RuleViolation):
            services.check_password_policy(weak)
    services.check_password_policy("Bac-Ninh-2026")


def test_create_user_cli(app):
    org = make_org("Hội Tin học Bắc Ninh")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-user", "--email", "DonVi@Example.vn", "--name", "Cán bộ đơn vị",
                                 "--role", "nominator", "--organisation", "Hội Tin học Bắc Ninh",
                                 "--password", "Matkhau-2026"])
    assert result.exit_code == 0, result.output
    user = db.session.query(User).filter_by(email="donvi@example.vn").one()
    assert user.organisation_id == org.id and user.check_password("Matkhau-2026")
    missing_org = runner.invoke(args=["create-user", "--email", "x@example.vn", "--name", "X", "--role", "nominator",
                                      "--password", "Matkhau-2026"])
    assert missing_org.exit_code != 0 and "phải thuộc một đơn vị" in missing_org.output
    duplicate = runner.invoke(args=["create-user", "--email", "donvi@example.vn", "--name", "X", "--role", "council",
                                    "--password", "Matkhau-2026"])
    assert duplicate.exit_code != 0 and "đã được dùng" in duplicate.output


def test_production_refuses_the_default_secret_key(tmp_path):
    with pytest.raises(InsecureConfiguration):
        create_app({"PRODUCTION": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "UPLOAD_FOLDER": str(tmp_path),
                    "SECRET_KEY": "dev-insecure-change-me"})
    app = create_app({"PRODUCTION": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "UPLOAD_FOLDER": str(tmp_path),
                      "SECRET_KEY": "a-real-secret-from-the-environment",
                      "TOTP_ENCRYPTION_KEY": "another-real-secret-for-totp"})
    assert app.config["SESSION_COOKIE_SECURE"] is True


def audit_of(user_id: int) -> list[tuple]:
    from honours.core.audit import AuditEntry

    return [(e.action, e.from_state, e.to_state, e.actor_id) for e in db.session.query(AuditEntry).filter_by(
        entity_type="user", entity_id=user_id).order_by(AuditEntry.id)]


def test_account_creation_and_password_changes_are_audited_without_the_password(app, client):
    secretary = make_user(roles.SECRETARIAT)
    post_login(client, secretary.email, PASSWORD)
    client.post("/users/new", data={"email": "chu-tich@example.vn", "full_name": "Chủ tịch", "role": "council",
                                    "organisation_id": "0", "is_chair": "y"})
    created = db.session.query(User).filter_by(email="chu-tich@example.vn").one()
    assert audit_of(created.id) == [("create", "", "council chair", secretary.id)]
    form = {"current_password": PASSWORD, "new_password": "MatKhauMoi2027", "confirm": "MatKhauMoi2027"}
    assert client.post("/account/password", data=form).status_code == 302
    assert audit_of(secretary.id)[-1] == ("password_change", "", "", secretary.id)
    from honours.core.audit import AuditEntry

    texts = " ".join(f"{e.reason} {e.reason_params}" for e in db.session.query(AuditEntry))
    assert "MatKhauMoi2027" not in texts and PASSWORD not in texts
