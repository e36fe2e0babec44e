"""Login throttling across app processes (shared database, shared Redis), Redis outages, lockout expiry, no
account enumeration, and the password policy."""
import logging
import os
import uuid
from datetime import timedelta

import pytest
from werkzeug.security import generate_password_hash

from honours import create_app
from honours.auth import services, throttling
from honours.auth.models import LoginFailure, User
from honours.core import clock, roles
from honours.core.db import db
from honours.core.errors import RuleViolation
from tests.conftest import IsolatedClient, make_config
from tests.factories import PASSWORD, make_org, make_user

REDIS_URL = "redis://127.0.0.1:6379/0"
LOCKED = "Đăng nhập sai quá nhiều lần"
GENERIC = "Email hoặc mật khẩu không đúng."


def other_app(database_url, tmp_path, **config):
    """A second app process on the same database (another gunicorn worker)."""
    second = create_app(make_config(database_url, str(tmp_path / "uploads-2"), **config))
    second.test_client_class = IsolatedClient
    return second


def post_login(client, email, password, ip="192.0.2.10"):
    return client.post("/login", data={"email": email, "password": password}, environ_base={"REMOTE_ADDR": ip})


def failures_then_right_password(app, second, user) -> tuple:
    clients = [app.test_client(), second.test_client()]
    for i in range(app.config["LOGIN_MAX_FAILURES"]):  # alternate between the two processes
        assert GENERIC in post_login(clients[i % 2], user.email, "sai-mat-khau-1").get_data(as_text=True)
    return tuple(post_login(c, user.email, PASSWORD) for c in clients)


def test_the_lockout_holds_across_two_app_processes_sharing_the_database(app, database_url, tmp_path):
    second = other_app(database_url, tmp_path)
    user = make_user(roles.SECRETARIAT)
    for response in failures_then_right_password(app, second, user):
        assert response.status_code == 200 and LOCKED in response.get_data(as_text=True)
    assert db.session.query(LoginFailure).filter_by(email=user.email).count() == app.config["LOGIN_MAX_FAILURES"]


@pytest.fixture
def redis_prefix():
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5)
    try:
        client.ping()
    except redis.RedisError as error:
        # .ci/run starts Redis, so on CI a missing server is a broken run, not a reason to skip.
        if os.environ.get("CI") == "true":
            pytest.fail(f"no Redis server at {REDIS_URL} on CI ({error}); .ci/run should have started it")
        pytest.skip(f"no Redis server at {REDIS_URL} ({error})")
    prefix = f"honours-test-{uuid.uuid4().hex}:"
    yield prefix
    for key in client.scan_iter(match=prefix + "*"):
        client.delete(key)
    client.close()


def redis_keys(prefix: str) -> list[bytes]:
    import redis

    return list(redis.Redis.from_url(REDIS_URL).scan_iter(match=prefix + "*"))


def test_the_lockout_holds_across_two_app_processes_sharing_redis(app, database_url, tmp_path, redis_prefix):
    app.config.update(REDIS_URL=REDIS_URL, REDIS_KEY_PREFIX=redis_prefix)
    second = other_app(database_url, tmp_path, REDIS_URL=REDIS_URL, REDIS_KEY_PREFIX=redis_prefix)
    user = make_user(roles.SECRETARIAT)
    for response in failures_then_right_password(app, second, user):
        assert response.status_code == 200 and LOCKED in response.get_data(as_text=True)
    # Counted in Redis (keys hashed, under the prefix), not in the database.
    assert db.session.query(LoginFailure).count() == 0
    keys = redis_keys(redis_prefix)
    assert keys and not any(user.email.encode() in key for key in keys)
    # Another account from another address is unaffected; the lock ends after the lockout time.
    other = make_user(roles.SECRETARIAT)
    assert post_login(second.test_client(), other.email, PASSWORD, ip="198.51.100.9").status_code == 302
    with clock.frozen(clock.now() + timedelta(minutes=app.config["LOGIN_LOCKOUT_MINUTES"] + 1)):
        assert post_login(app.test_client(), user.email, PASSWORD).status_code == 302


def test_redis_counts_per_address_and_a_success_clears_the_account(app, redis_prefix):
    app.config.update(REDIS_URL=REDIS_URL, REDIS_KEY_PREFIX=redis_prefix, LOGIN_MAX_FAILURES_PER_IP=3)
    client = app.test_client()
    user = make_user(roles.COUNCIL)
    post_login(client, user.email, "sai-mat-khau-1", ip="203.0.113.5")
    assert post_login(client, user.email, PASSWORD, ip="203.0.113.5").status_code == 302
    throttle = throttling.backend()
    assert not throttle.is_throttled(user.email, "203.0.113.77")
    for i in range(2):
        post_login(app.test_client(), f"nguoi{i}@example.vn", "sai-mat-khau-1", ip="203.0.113.5")
    blocked = post_login(app.test_client(), make_user(roles.COUNCIL).email, PASSWORD, ip="203.0.113.5")
    assert LOCKED in blocked.get_data(as_text=True)


def test_an_unreachable_redis_falls_back_to_the_database(app, caplog):
    app.config.update(REDIS_URL="redis://127.0.0.1:1/0", REDIS_KEY_PREFIX="unused:")
    user = make_user(roles.SECRETARIAT)
    client = app.test_client()
    with caplog.at_level(logging.WARNING, logger="honours.auth.throttling"):
        for _ in range(app.config["LOGIN_MAX_FAILURES"]):
            assert GENERIC in post_login(client, user.email, "sai-mat-khau-1").get_data(as_text=True)
    assert any("Redis unreachable" in record.getMessage() for record in caplog.records)
    assert db.session.query(LoginFailure).filter_by(email=user.email).count() == app.config["LOGIN_MAX_FAILURES"]
    # Not failing open: the right password is still refused while locked.
    assert LOCKED in post_login(client, user.email, PASSWORD).get_data(as_text=True)


def test_the_database_lockout_expires(app):
    user = make_user(roles.SECRETARIAT)
    client = app.test_client()
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        post_login(client, user.email, "sai-mat-khau-1")
    with clock.frozen(clock.now() + timedelta(minutes=app.config["LOGIN_LOCKOUT_MINUTES"] - 1)):
        assert LOCKED in post_login(client, user.email, PASSWORD).get_data(as_text=True)
    with clock.frozen(clock.now() + timedelta(minutes=app.config["LOGIN_LOCKOUT_MINUTES"] + 1)):
        assert post_login(client, user.email, PASSWORD).status_code == 302


# ---------------------------------------------------------------- no account enumeration


def test_unknown_email_wrong_password_and_locked_account_look_the_same(app):
    user = make_user(roles.SECRETARIAT)
    inactive = make_user(roles.SECRETARIAT, active=False)
    pages = []
    for email, password in ((user.email, "sai-mat-khau-1"), ("khong-co@example.vn", "sai-mat-khau-1"),
                            (inactive.email, PASSWORD)):
        response = post_login(app.test_client(), email, password, ip=f"192.0.2.{len(pages) + 20}")
        assert response.status_code == 200
        pages.append(response.get_data(as_text=True).replace(email, "EMAIL"))
    assert GENERIC in pages[0] and pages[0] == pages[1] == pages[2]


def test_an_unknown_email_still_costs_a_password_hash_check(app, monkeypatch):
    calls = []
    real = services.check_password_hash
    monkeypatch.setattr(services, "check_password_hash", lambda *args: calls.append(args) or real(*args))
    with pytest.raises(RuleViolation):
        services.authenticate("khong-co@example.vn", "sai-mat-khau-1", "192.0.2.1")
    assert len(calls) == 1
    # The dummy hash uses the same (slow) method as real passwords, so the time taken is alike.
    assert calls[0][0].split("$")[0] == generate_password_hash("x").split("$")[0]


# ---------------------------------------------------------------- password policy


@pytest.mark.parametrize("password,message", [
    ("ngan-1", "ít nhất 10 ký tự"),
    ("chicochuthoi", "gồm cả chữ và số"),
    ("Password123", "quá phổ biến"),
    ("MATKHAU@123", "quá phổ biến"),
    ("nguyenvana-2026", "không được chứa tên tài khoản email"),
    ("2026.NguyenVanA", "không được chứa tên tài khoản email"),
])
def test_password_policy_refuses(password, message, app):
    with pytest.raises(RuleViolation) as refused:
        services.check_password_policy(password, "NguyenVanA@example.vn")
    assert message in refused.value.message


def test_password_policy_accepts_a_reasonable_password(app):
    services.check_password_policy("Bac-Ninh-2026", "nguyenvana@example.vn")
    services.check_password_policy("Ha-Noi-mua-thu-9", "an@example.vn")  # very short local parts are ignored


def test_account_creation_and_password_change_apply_the_email_rule(app, client):
    with pytest.raises(RuleViolation):
        services.create_user("tranthib@example.vn", "Trần Thị B", roles.COUNCIL, "tranthib-2026")
    assert db.session.query(User).filter_by(email="tranthib@example.vn").count() == 0
    user = make_user(roles.NOMINATOR, make_org(), email="lehoang@example.vn")
    post_login(client, user.email, PASSWORD)
    form = {"current_password": PASSWORD, "new_password": "LeHoang-2027", "confirm": "LeHoang-2027"}
    response = client.post("/account/password", data=form)
    assert "không được chứa tên tài khoản email" in response.get_data(as_text=True)
