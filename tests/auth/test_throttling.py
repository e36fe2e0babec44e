"""Login throttling: progressive delays (never a lock) per account, per address and per known device, counted
atomically across app processes (shared database, shared Redis) and across parallel requests; Redis outages; no
account enumeration (same message, same time); the password policy."""
import logging
import threading
from datetime import timedelta

import pytest
from werkzeug.security import generate_password_hash

from honours import create_app
from honours.auth import invitations, services, throttling
from honours.auth.models import LoginThrottle, User
from honours.core import clock, roles
from honours.core.audit import AuditEntry
from honours.core.db import db
from honours.core.errors import RuleViolation
from tests.conftest import REDIS_URL, IsolatedClient, make_config
from tests.factories import PASSWORD, make_org, make_user

DELAYED = "Đăng nhập sai quá nhiều lần"
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


def test_the_delay_holds_across_two_app_processes_sharing_the_database(app, database_url, tmp_path):
    second = other_app(database_url, tmp_path)
    user = make_user(roles.SECRETARIAT)
    for response in failures_then_right_password(app, second, user):
        assert response.status_code == 200 and DELAYED in response.get_data(as_text=True)
    address, account = throttling.keys_for(user.email, "192.0.2.10")
    assert db.session.get(LoginThrottle, account.name).attempts == app.config["LOGIN_MAX_FAILURES"]
    assert user.email not in account.name  # hashed


def test_delays_grow_with_each_failure_up_to_a_cap_and_never_lock(app):
    app.config.update(LOGIN_DELAY_SECONDS=10, LOGIN_MAX_DELAY_SECONDS=60)
    user = make_user(roles.SECRETARIAT)
    client = app.test_client()
    start = clock.now()
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        post_login(client, user.email, "sai-mat-khau-1")
    waits, now = [], start
    for _ in range(5):  # each failure after the free ones doubles the wait: 10, 20, 40, 60, 60 seconds
        with clock.frozen(now):
            wait = throttling.wait_seconds(throttling.keys_for(user.email, "192.0.2.10"))
        waits.append(wait)
        with clock.frozen(now + timedelta(seconds=wait - 1)):
            assert DELAYED in post_login(client, user.email, PASSWORD).get_data(as_text=True)
        now += timedelta(seconds=wait)
        with clock.frozen(now):
            assert GENERIC in post_login(client, user.email, "sai-mat-khau-1").get_data(as_text=True)
    assert waits == [10, 20, 40, 60, 60]
    # The right password after the wait signs in: a delay, never a lock.
    with clock.frozen(now + timedelta(seconds=60)):
        assert post_login(client, user.email, PASSWORD).status_code == 302


def test_a_quiet_window_forgets_the_failures(app):
    user = make_user(roles.SECRETARIAT)
    client = app.test_client()
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        post_login(client, user.email, "sai-mat-khau-1")
    with clock.frozen(clock.now() + timedelta(minutes=app.config["LOGIN_FAILURE_WINDOW_MINUTES"])):
        assert throttling.wait_seconds(throttling.keys_for(user.email, "192.0.2.10")) == 0
        for _ in range(app.config["LOGIN_MAX_FAILURES"] - 1):  # the free attempts again
            assert GENERIC in post_login(client, user.email, "sai-mat-khau-1").get_data(as_text=True)
        assert post_login(client, user.email, PASSWORD).status_code == 302


# ---------------------------------------------------------------- the owner is never locked out


def test_failures_from_elsewhere_do_not_delay_the_owners_known_device(app):
    """An attacker failing against the chair's account just before a session cannot stop the chair signing in
    from the browser they used before."""
    chair = make_user(roles.COUNCIL, is_chair=True)
    owner = app.test_client()
    assert post_login(owner, chair.email, PASSWORD, ip="198.51.100.20").status_code == 302
    owner.post("/logout")
    assert owner.get_cookie("known_device") is not None
    attacker = app.test_client()
    for i in range(4 * app.config["LOGIN_MAX_FAILURES"]):
        post_login(attacker, chair.email, f"doan-mo-{i}", ip=f"203.0.113.{i % 3}")
    assert DELAYED in post_login(attacker, chair.email, PASSWORD, ip="203.0.113.9").get_data(as_text=True)
    # The owner's browser, even from a new address (a hotel), goes straight in.
    assert post_login(owner, chair.email, PASSWORD, ip="192.0.2.200").status_code == 302
    # A forged or foreign device cookie counts for nothing.
    forger = app.test_client()
    forger.set_cookie("known_device", "gia-mao")
    assert DELAYED in post_login(forger, chair.email, PASSWORD, ip="203.0.113.9").get_data(as_text=True)


def test_a_known_device_guessing_is_throttled_on_its_own(app):
    user = make_user(roles.SECRETARIAT)
    client = app.test_client()
    assert post_login(client, user.email, PASSWORD).status_code == 302
    client.post("/logout")
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        post_login(client, user.email, "sai-mat-khau-1")
    assert DELAYED in post_login(client, user.email, PASSWORD).get_data(as_text=True)
    # ...while the account itself is untouched for everyone else.
    assert post_login(app.test_client(), user.email, PASSWORD, ip="198.51.100.3").status_code == 302


# ---------------------------------------------------------------- parallel guesses


def parallel(app, count: int, attempt) -> list:
    """`count` calls of attempt(i) at once, each in its own app context and database session (separate
    connections, as separate requests or processes would be)."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def run(i):
        with app.app_context():
            barrier.wait()
            try:
                results[i] = attempt(i)
            except Exception as error:  # noqa: BLE001  (collected for the assertions)
                results[i] = error
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def test_thirty_parallel_wrong_passwords_get_only_the_allowed_evaluations(app, monkeypatch):
    user = make_user(roles.SECRETARIAT)
    evaluated = []
    real = services.password_matches
    monkeypatch.setattr(services, "password_matches", lambda *args: evaluated.append(1) or real(*args))
    email = user.email

    def guess(i):
        try:
            services.authenticate(email, f"doan-mo-{i}", f"203.0.113.{i}")
        except RuleViolation as error:
            return error.message
        return "signed in"

    results = parallel(app, 30, guess)
    assert all(isinstance(result, str) for result in results), results
    assert len(evaluated) == app.config["LOGIN_MAX_FAILURES"]
    assert sum(GENERIC in result for result in results) == app.config["LOGIN_MAX_FAILURES"]
    assert sum(DELAYED in result for result in results) == 30 - app.config["LOGIN_MAX_FAILURES"]


# ---------------------------------------------------------------- Redis




def redis_keys(prefix: str) -> list[bytes]:
    import redis

    return list(redis.Redis.from_url(REDIS_URL).scan_iter(match=prefix + "*"))


def test_the_delay_holds_across_two_app_processes_sharing_redis(app, database_url, tmp_path, redis_prefix):
    app.config.update(REDIS_URL=REDIS_URL, REDIS_KEY_PREFIX=redis_prefix)
    second = other_app(database_url, tmp_path, REDIS_URL=REDIS_URL, REDIS_KEY_PREFIX=redis_prefix)
    user = make_user(roles.SECRETARIAT)
    for response in failures_then_right_password(app, second, user):
        assert response.status_code == 200 and DELAYED in response.get_data(as_text=True)
    # Counted in Redis (keys hashed, under the prefix), not in the database.
    assert db.session.query(LoginThrottle).count() == 0
    keys = redis_keys(redis_prefix)
    assert keys and not any(user.email.encode() in key for key in keys)
    # Another account from another address is unaffected; the delay passes.
    other = make_user(roles.SECRETARIAT)
    assert post_login(second.test_client(), other.email, PASSWORD, ip="198.51.100.9").status_code == 302
    with clock.frozen(clock.now() + timedelta(seconds=app.config["LOGIN_DELAY_SECONDS"])):
        assert post_login(app.test_client(), user.email, PASSWORD).status_code == 302


def test_parallel_guesses_are_counted_one_by_one_in_redis(app, redis_prefix):
    app.config.update(REDIS_URL=REDIS_URL, REDIS_KEY_PREFIX=redis_prefix)
    keys = throttling.keys_for("chu-tich@example.vn", "203.0.113.1")

    def attempt(_i):
        try:
            throttling.reserve(keys[1:])
        except throttling.Throttled:
            return "delayed"
        return "evaluated"

    results = parallel(app, 30, attempt)
    assert results.count("evaluated") == app.config["LOGIN_MAX_FAILURES"], results


def test_redis_counts_per_address_and_a_success_clears_the_account(app, redis_prefix):
    app.config.update(REDIS_URL=REDIS_URL, REDIS_KEY_PREFIX=redis_prefix, LOGIN_MAX_FAILURES_PER_IP=3)
    client = app.test_client()
    user = make_user(roles.COUNCIL)
    post_login(client, user.email, "sai-mat-khau-1", ip="203.0.113.5")
    assert post_login(client, user.email, PASSWORD, ip="203.0.113.5").status_code == 302
    assert throttling.wait_seconds(throttling.keys_for(user.email, "203.0.113.77")) == 0
    for i in range(2):
        post_login(app.test_client(), f"nguoi{i}@example.vn", "sai-mat-khau-1", ip="203.0.113.5")
    blocked = post_login(app.test_client(), make_user(roles.COUNCIL).email, PASSWORD, ip="203.0.113.5")
    assert DELAYED in blocked.get_data(as_text=True)


def test_an_unreachable_redis_falls_back_to_the_database(app, caplog):
    app.config.update(REDIS_URL="redis://127.0.0.1:1/0", REDIS_KEY_PREFIX="unused:")
    user = make_user(roles.SECRETARIAT)
    client = app.test_client()
    with caplog.at_level(logging.WARNING, logger="honours.auth.throttling"):
        for _ in range(app.config["LOGIN_MAX_FAILURES"]):
            assert GENERIC in post_login(client, user.email, "sai-mat-khau-1").get_data(as_text=True)
    assert any("Redis unreachable" in record.getMessage() for record in caplog.records)
    account = throttling.keys_for(user.email, "192.0.2.10")[1]
    assert db.session.get(LoginThrottle, account.name).attempts == app.config["LOGIN_MAX_FAILURES"]
    # Not failing open: the right password still waits.
    assert DELAYED in post_login(client, user.email, PASSWORD).get_data(as_text=True)


# ---------------------------------------------------------------- audit


def test_failures_and_throttling_are_audited_without_passwords(app):
    user = make_user(roles.SECRETARIAT)
    client = app.test_client()
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        post_login(client, user.email, "mat-khau-doan-sai", ip="203.0.113.44")
    post_login(client, "khong-co@example.vn", "mat-khau-doan-sai", ip="203.0.113.44")
    entries = db.session.query(AuditEntry).order_by(AuditEntry.id).all()
    failures = [e for e in entries if e.action == "login_failure"]
    assert len(failures) == app.config["LOGIN_MAX_FAILURES"]
    assert {e.entity_id for e in failures} == {user.id} and "203.0.113.44" in failures[0].reason
    throttled = [e for e in entries if e.action == "login_throttled"]
    assert throttled and throttled[0].entity_id == user.id and "giây" in throttled[0].reason
    assert not any("mat-khau-doan-sai" in (e.reason or "") or "khong-co@" in (e.reason or "") for e in entries)


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


def hash_checks(monkeypatch) -> list:
    calls = []
    real = services.check_password_hash
    monkeypatch.setattr(services, "check_password_hash", lambda *args: calls.append(args) or real(*args))
    return calls


def test_an_unknown_email_still_costs_a_password_hash_check(app, monkeypatch):
    calls = hash_checks(monkeypatch)
    with pytest.raises(RuleViolation):
        services.authenticate("khong-co@example.vn", "sai-mat-khau-1", "192.0.2.1")
    assert len(calls) == 1
    # The dummy hash uses the same (slow) method as real passwords, so the time taken is alike.
    assert calls[0][0].split("$")[0] == generate_password_hash("x").split("$")[0]


def test_an_invited_account_without_a_password_costs_the_same_hash_check(app, monkeypatch):
    """Otherwise the quick answer (no hash to check) tells which emails have an account waiting for its
    password."""
    invited = make_user(roles.COUNCIL)
    invited.password_hash = invitations.unusable_password()
    db.session.commit()
    calls = hash_checks(monkeypatch)
    with pytest.raises(RuleViolation) as refused:
        services.authenticate(invited.email, "sai-mat-khau-1", "192.0.2.1")
    assert refused.value.message == GENERIC
    assert len(calls) == 1 and calls[0][0].split("$")[0] == generate_password_hash("x").split("$")[0]


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
