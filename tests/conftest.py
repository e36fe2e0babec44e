"""An app per test on a clean database: SQLite by default, PostgreSQL when TEST_DATABASE_URL is set."""
import os
from datetime import datetime

import pytest
from flask.testing import FlaskClient
from sqlalchemy import event, text
from sqlalchemy.engine import Engine

from honours import create_app
from honours.core import clock
from honours.core.db import commit_if_written, db

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
# A fixed "now" inside the demo round's nomination window; tests move it with clock.frozen().
NOW = datetime(2026, 6, 15, 9, 0)


@event.listens_for(Engine, "connect")
def _fast_sqlite(dbapi_connection, connection_record):
    """Tests need no durability: skip SQLite's fsync on every commit."""
    import sqlite3

    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.execute("PRAGMA synchronous=OFF")


def make_config(database_url: str, upload_folder: str, **overrides) -> dict:
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "UPLOAD_FOLDER": upload_folder,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": 1,  # nothing listens: tests that deliver mail start their own SMTP server
        "MAIL_TIMEOUT": 2,
        "SERVER_NAME": None,
        "REDIS_URL": None,
        # Tests jump the frozen clock across months; the idle timeout has its own tests (test_session_security).
        "SESSION_IDLE_MINUTES": 366 * 24 * 60,  # login throttling counts in the test database unless a test opts into Redis
    }
    config.update(overrides)
    return config


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    if TEST_DATABASE_URL:
        return TEST_DATABASE_URL
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite")


@pytest.fixture(scope="session")
def schema(database_url, tmp_path_factory):
    app = create_app(make_config(database_url, str(tmp_path_factory.mktemp("uploads"))))
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield
    with app.app_context():
        db.drop_all()
        db.engine.dispose()


def wipe(app) -> None:
    with app.app_context():
        db.session.remove()
        tables = db.metadata.sorted_tables
        with db.engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                names = ", ".join(f'"{t.name}"' for t in tables)
                connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            else:
                for table in reversed(tables):
                    connection.execute(table.delete())
        db.engine.dispose()


class IsolatedClient(FlaskClient):
    """Runs each request in a fresh app context, as in production: its own `g` (no cached login leaking
    between clients) and its own database session (no identity map hiding queries from the counters).
    What the test itself did through services is committed first, as an earlier request would have committed it
    (services only flush; the request commits)."""

    def open(self, *args, **kwargs):
        commit_if_written(db.session)
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def app(database_url, schema, tmp_path):
    app = create_app(make_config(database_url, str(tmp_path / "uploads")))
    app.test_client_class = IsolatedClient
    with clock.frozen(NOW):
        with app.app_context():
            yield app
        wipe(app)


@pytest.fixture
def client(app):
    return app.test_client()


def login(client, user, password="Matkhau-2026"):
    response = client.post("/login", data={"email": user.email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return response


@pytest.fixture
def browser_app(database_url, schema, tmp_path):
    """The real app for a live server driven by a browser: CSRF on, time frozen (the server thread reads the same
    clock), the database wiped afterwards."""
    app = create_app(make_config(database_url, str(tmp_path / "uploads"), WTF_CSRF_ENABLED=True))
    with clock.frozen(NOW):
        try:
            yield app
        finally:
            wipe(app)
