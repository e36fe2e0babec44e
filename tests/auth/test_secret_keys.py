"""The keys: the published default SECRET_KEY is served to this machine only (a forged cookie is worthless from
anywhere else), `make run` generates a key of its own, and two-step secrets are encrypted at rest with a separate
key."""
import os
import subprocess
import sys
from datetime import timedelta

import pytest
from flask.sessions import SecureCookieSessionInterface
from sqlalchemy import text

from honours import PROJECT_ROOT, InsecureConfiguration, create_app
from honours.auth import secret_box, totp, two_factor
from honours.config import DEFAULT_SECRET_KEY
from honours.core import clock, roles
from honours.core.db import db
from tests.conftest import IsolatedClient, make_config, wipe
from tests.factories import PASSWORD, make_user


@pytest.fixture
def default_key_app(database_url, schema, tmp_path, monkeypatch):
    # An instance folder of its own: the developer's instance/secret_key (written by `make run`) would replace
    # the default key and the test would prove nothing (it failed after `make run`, then `make test`).
    monkeypatch.setenv("HONOURS_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app(make_config(database_url, str(tmp_path / "uploads"), SECRET_KEY=DEFAULT_SECRET_KEY))
    app.test_client_class = IsolatedClient
    with clock.frozen(clock.now()), app.app_context():
        yield app
    wipe(app)


def forged_session_cookie(app, user) -> str:
    """What anyone who read the source can sign: a session of `user`, second step skipped."""
    serializer = SecureCookieSessionInterface().get_signing_serializer(app)
    now = clock.now().isoformat()
    return serializer.dumps({"_user_id": str(user.id), "_fresh": True, "gen": 0, "sid": "forged",
                             "started": now, "last_seen": now})


def test_the_default_key_is_refused_off_loopback_and_a_forged_cookie_gets_nowhere(default_key_app):
    app = default_key_app
    admin = make_user(roles.ADMIN)
    attacker = app.test_client()
    attacker.set_cookie("session", forged_session_cookie(app, admin))
    for how in ({"environ_base": {"REMOTE_ADDR": "203.0.113.9"}},  # from the network
                {"headers": {"X-Forwarded-For": "203.0.113.9"}},  # through a proxy on this machine
                {"base_url": "http://trithuc.bacninh.gov.vn"}):   # under a public name
        response = attacker.get("/users/", **how)
        assert response.status_code == 503, how
        assert "khoá bí mật mặc định" in response.get_data(as_text=True)
        assert admin.email not in response.get_data(as_text=True)
    # The developer's own machine still works (flask run on 127.0.0.1).
    assert app.test_client().get("/login").status_code == 200


def test_a_real_key_serves_every_address(app, client):
    assert client.get("/login", environ_base={"REMOTE_ADDR": "203.0.113.9"}).status_code == 200


def test_make_run_generates_a_key_that_the_app_reads(tmp_path, monkeypatch):
    # The Makefile's own target (a prerequisite of `make run`), run in an empty folder.
    subprocess.run(["make", "-s", "-f", str(PROJECT_ROOT / "Makefile"), "-C", str(tmp_path), "instance/secret_key",
                    f"BIN={os.path.dirname(sys.executable)}"], check=True, capture_output=True)
    instance = tmp_path / "instance"
    key_file = instance / "secret_key"
    key = key_file.read_text().strip()
    assert len(key) == 64 and oct(key_file.stat().st_mode & 0o777) == "0o600"
    subprocess.run(["make", "-s", "-f", str(PROJECT_ROOT / "Makefile"), "-C", str(tmp_path), "instance/secret_key",
                    f"BIN={os.path.dirname(sys.executable)}"], check=True, capture_output=True)
    assert key_file.read_text().strip() == key  # generated once: sessions survive the next `make run`
    monkeypatch.setenv("HONOURS_INSTANCE_PATH", str(instance))
    app = create_app({"SECRET_KEY": DEFAULT_SECRET_KEY, "SQLALCHEMY_DATABASE_URI": "sqlite://",
                      "UPLOAD_FOLDER": str(tmp_path / "uploads")})
    assert app.config["SECRET_KEY"] == key
    # A key set in the environment wins over the file.
    app = create_app({"SECRET_KEY": "set-in-the-environment-0123", "SQLALCHEMY_DATABASE_URI": "sqlite://",
                      "UPLOAD_FOLDER": str(tmp_path / "uploads")})
    assert app.config["SECRET_KEY"] == "set-in-the-environment-0123"


# ---------------------------------------------------------------- two-step secrets at rest


def stored_secret(user) -> str:
    return db.session.execute(text('SELECT totp_secret FROM "user" WHERE id = :id'), {"id": user.id}).scalar()


def test_two_step_secrets_are_encrypted_at_rest_with_their_own_key(app):
    user = make_user(roles.COUNCIL)
    secret = two_factor.start_enrolment(user)
    db.session.commit()
    stored = stored_secret(user)
    assert stored != secret and secret not in stored and stored.startswith(secret_box.TOKEN_PREFIX)
    # The configured key opens it; SECRET_KEY alone (what signs the cookies) does not.
    assert secret_box.decrypt(stored, secret_box.fernet_for(app.config["TOTP_ENCRYPTION_KEY"])) == secret
    with pytest.raises(secret_box.SecretUnreadable):
        secret_box.decrypt(stored, secret_box.fernet_for(app.config["SECRET_KEY"]))
    # The application itself sees the plain secret and login codes work as before.
    db.session.expire_all()
    assert db.session.get(type(user), user.id).totp_secret == secret
    codes = two_factor.confirm_enrolment(db.session.get(type(user), user.id),
                                         totp.code_at(secret, totp.current_step()), PASSWORD, "192.0.2.1")
    assert len(codes) == 10
    with clock.frozen(clock.now() + timedelta(minutes=1)):
        assert two_factor.verify_login(user.id, totp.code_at(secret, totp.current_step()), "192.0.2.1")


def test_production_requires_a_separate_totp_encryption_key(tmp_path):
    base = {"PRODUCTION": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "UPLOAD_FOLDER": str(tmp_path),
            "SECRET_KEY": "a-real-secret-from-the-environment"}
    for totp_key in (None, "", "short", base["SECRET_KEY"]):
        with pytest.raises(InsecureConfiguration, match="TOTP_ENCRYPTION_KEY"):
            create_app(dict(base, TOTP_ENCRYPTION_KEY=totp_key))
    create_app(dict(base, TOTP_ENCRYPTION_KEY="another-long-random-value"))


def test_gunicorn_refuses_to_serve_the_network_with_the_default_key(tmp_path, monkeypatch):
    import runpy
    from types import SimpleNamespace

    from honours.config import Config

    settings = runpy.run_path(str(PROJECT_ROOT / "gunicorn.conf.py"))
    monkeypatch.setenv("HONOURS_INSTANCE_PATH", str(tmp_path))  # no instance/secret_key there
    monkeypatch.setattr(Config, "SECRET_KEY", DEFAULT_SECRET_KEY)
    with pytest.raises(SystemExit, match="default SECRET_KEY"):
        settings["on_starting"](SimpleNamespace(cfg=SimpleNamespace(bind=["0.0.0.0:8000"])))
    settings["on_starting"](SimpleNamespace(cfg=SimpleNamespace(bind=["127.0.0.1:8000", "[::1]:8000"])))
    monkeypatch.setattr(Config, "SECRET_KEY", "a-real-secret-from-the-environment")
    settings["on_starting"](SimpleNamespace(cfg=SimpleNamespace(bind=["0.0.0.0:8000"])))
