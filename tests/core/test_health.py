"""GET /healthz for the load balancer, and the gunicorn configuration that serves the app in production."""
import os
import runpy
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from honours import create_app
from tests.conftest import make_config

ROOT = Path(__file__).resolve().parents[2]
GUNICORN_CONF = ROOT / "gunicorn.conf.py"


def test_health_reports_ok_with_the_database(app, client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers  # a poll every few seconds must not mint sessions
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert client.head("/healthz").status_code == 200


def test_health_is_503_without_details_when_the_database_is_unreachable(tmp_path, caplog):
    unreachable = "sqlite:///" + str(tmp_path / "no-such-directory" / "honours.sqlite")
    app = create_app(make_config(unreachable, str(tmp_path / "uploads")))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "error"}  # no driver, path or error text for whoever polls
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers
    assert "the database does not answer" in caplog.text  # the operator finds the cause in the log


def test_health_recovers_once_the_database_answers_again(tmp_path):
    folder = tmp_path / "later"
    app = create_app(make_config("sqlite:///" + str(folder / "honours.sqlite"), str(tmp_path / "uploads")))
    client = app.test_client()
    assert client.get("/healthz").status_code == 503
    folder.mkdir()
    assert client.get("/healthz").status_code == 200


# ---------------------------------------------------------------- gunicorn.conf.py

def load_gunicorn_conf(monkeypatch, **env) -> dict:
    for name in ("GUNICORN_BIND", "GUNICORN_WORKERS", "GUNICORN_TIMEOUT", "FORWARDED_ALLOW_IPS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(GUNICORN_CONF))


def test_gunicorn_defaults_and_environment_overrides(monkeypatch):
    from gunicorn.config import Config

    defaults = load_gunicorn_conf(monkeypatch)
    assert defaults["bind"] == "127.0.0.1:8000"
    assert defaults["workers"] == 2 * os.cpu_count() + 1
    assert defaults["preload_app"] is False
    assert defaults["timeout"] > 0 and defaults["graceful_timeout"] > 0
    assert defaults["max_requests"] > 0 and 0 < defaults["max_requests_jitter"] < defaults["max_requests"]
    assert "x-forwarded-for" in defaults["access_log_format"]

    overridden = load_gunicorn_conf(monkeypatch, GUNICORN_BIND="0.0.0.0:9000", GUNICORN_WORKERS="3",
                                    GUNICORN_TIMEOUT="120", FORWARDED_ALLOW_IPS="10.0.0.5")
    assert (overridden["bind"], overridden["workers"], overridden["timeout"]) == ("0.0.0.0:9000", 3, 120)
    # Every setting is one gunicorn knows, with a value it accepts.
    config = Config()
    for name, value in overridden.items():
        if name in config.settings:
            config.set(name, value)
    assert config.forwarded_allow_ips == ["10.0.0.5"] and config.workers == 3


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_gunicorn_serves_the_app_with_this_configuration(tmp_path):
    port = free_port()
    env = dict(os.environ, GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_WORKERS="1",
               HONOURS_INSTANCE_PATH=str(tmp_path), DATABASE_URL="sqlite:///" + str(tmp_path / "honours.sqlite"),
               UPLOAD_FOLDER=str(tmp_path / "uploads"), TRUSTED_PROXIES="1")
    env.pop("HONOURS_ENV", None)
    server = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "-c", str(GUNICORN_CONF), "wsgi:app"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=30) as response:
                    assert response.status == 200
                    assert response.read() == b'{"database":"ok","status":"ok"}\n'
                    assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")
                break
            except OSError:  # not listening yet (URLError), or the worker still booting (timeout)
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("gunicorn did not start: " + server.stderr.read().decode(errors="replace")[-3000:])
                time.sleep(0.3)
    finally:
        server.terminate()
        server.wait(timeout=30)
