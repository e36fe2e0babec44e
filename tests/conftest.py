"""An app per test on a clean database: SQLite by default, PostgreSQL when TEST_DATABASE_URL is set.

Modules whose tests share an expensive world build it once instead (module_app + db_savepoint, below): every
test then runs inside a SAVEPOINT that is rolled back afterwards."""
import os
import shutil
import uuid
from datetime import datetime

import pytest
from flask.testing import FlaskClient
from flask_sqlalchemy.session import Session as FlaskSQLAlchemySession
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
        "SESSION_MAX_HOURS": 366 * 24,  # the same for the absolute session lifetime
        "TOTP_ENCRYPTION_KEY": "test-totp-encryption-key",
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
    _refuse_inside_a_module_transaction()
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
    _refuse_inside_a_module_transaction()
    app = create_app(make_config(database_url, str(tmp_path / "uploads"), WTF_CSRF_ENABLED=True))
    with clock.frozen(NOW):
        try:
            yield app
        finally:
            wipe(app)


# ---------------------------------------------------------------- a world built once per module

_module_transaction = None  # the module_app whose transaction is open (db.session is bound to it meanwhile)


def _refuse_inside_a_module_transaction() -> None:
    if _module_transaction is not None:
        pytest.fail("this module builds its world once (module_app): give its tests the module's app through "
                    "db_savepoint (a module-level `app` fixture), not a second app on the same database")


class _ConnectionSession(FlaskSQLAlchemySession):
    """Flask-SQLAlchemy's session picks the app's engine for every statement; this one uses the connection it
    was made with, so each app context's session joins the module's transaction."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        return self.bind


def _join_one_connection(app):
    """One connection and an outer transaction for the whole module; db.session of every app context (the
    module's, each request's) is bound to it with join_transaction_mode="create_savepoint", so a service's
    commit() only releases a SAVEPOINT. Returns (connection, undo)."""
    connection = db.engine.connect()
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # pysqlite emits no BEGIN before a SAVEPOINT, so the first savepoint would open the transaction and
        # releasing it (a commit()) would commit for real. SQLAlchemy's documented workaround: turn the
        # driver's own transaction handling off and emit BEGIN ourselves.
        connection.connection.driver_connection.isolation_level = None
    outer = connection.begin()
    if sqlite:
        connection.exec_driver_sql("BEGIN")
    db.session.remove()
    original = db.session
    db.session = db._make_scoped_session(
        {"class_": _ConnectionSession, "bind": connection, "join_transaction_mode": "create_savepoint"})

    def undo():
        db.session.remove()
        db.session = original
        outer.rollback()
        connection.invalidate()  # the driver connection was altered: never hand it back to the pool
        connection.close()
        db.engine.dispose()

    return connection, undo


@pytest.fixture(scope="module")
def module_app(database_url, schema, tmp_path_factory):
    """conftest's app, once per module, on one connection in one transaction rolled back at the module's end.

    A module builds its world in its own module-scoped fixture (running as a request would: db.session and the
    factories work as usual) and gives its tests `db_savepoint`, usually through a module-level `app` fixture:

        @pytest.fixture
        def app(module_app, db_savepoint):
            return module_app

    Every request of the test client uses the same connection, so it sees the world, and what it commits is
    undone after the test. Not for tests that use threads, other processes or db.engine directly (backups,
    outages, concurrent workers): they need committed data and the per-test `app`."""
    app = create_app(make_config(database_url, str(tmp_path_factory.mktemp("uploads"))))
    app.test_client_class = IsolatedClient
    global _module_transaction
    with clock.frozen(NOW):
        with app.app_context():
            connection, undo = _join_one_connection(app)
            app.extensions["tests.connection"] = connection
            _module_transaction = app
            try:
                yield app
            finally:
                _module_transaction = None
                undo()
        wipe(app)  # nothing should be left; a leak must not reach the next module


class _Uploads:
    """The upload folder as the world left it: a test that deletes a world file gets it back afterwards."""

    def __init__(self, folder: str, backup: str):
        self.folder, self.backup = folder, backup
        shutil.copytree(folder, backup)
        self.files = self._files(folder)

    @staticmethod
    def _files(folder: str) -> set[str]:
        return {os.path.relpath(os.path.join(root, name), folder)
                for root, _dirs, names in os.walk(folder) for name in names}

    def restore(self) -> None:
        now = self._files(self.folder)
        for name in now - self.files:
            os.remove(os.path.join(self.folder, name))
        for name in self.files - now:
            os.makedirs(os.path.dirname(os.path.join(self.folder, name)), exist_ok=True)
            shutil.copy2(os.path.join(self.backup, name), os.path.join(self.folder, name))


def _forget_process_caches(app) -> None:
    """Per-process caches are emptied by commits; a rollback does not, so forget them after each test."""
    from honours.publication import page_cache

    cache = app.extensions.get(page_cache.EXTENSION)
    if cache is not None:
        cache.clear()
    app.extensions.pop("honours_results_cache", None)


@pytest.fixture
def db_savepoint(module_app, tmp_path_factory):
    """Runs the test inside a SAVEPOINT of the module's transaction and rolls it back afterwards, with the
    upload folder, the app's config and the per-process caches as they were."""
    connection = module_app.extensions["tests.connection"]
    uploads = module_app.extensions.get("tests.uploads")
    if uploads is None:  # the first test: module-scoped fixtures (the world) are set up before this one
        uploads = module_app.extensions["tests.uploads"] = _Uploads(
            module_app.config["UPLOAD_FOLDER"], str(tmp_path_factory.mktemp("world-uploads") / "copy"))
    # The world's last steps (a lazy load, an uncommitted change) may hold a savepoint of the module app context's
    # session; it must end before ours begins, or closing it later would roll ours back with it.
    db.session.commit()
    db.session.remove()
    config = dict(module_app.config)
    savepoint = connection.begin_nested()
    try:
        yield connection
    finally:
        db.session.remove()  # the module app context's session, then everything the test did
        savepoint.rollback()
        uploads.restore()
        module_app.config.clear()
        module_app.config.update(config)
        _forget_process_caches(module_app)


def signed_in_cookies(app, user, password="Matkhau-2026") -> dict:
    """Logs in once; the cookies a later client can start from (see client_with)."""
    client = app.test_client()
    login(client, user, password)
    # Werkzeug's client lists its cookies only through this attribute (keyed by domain, path, name).
    return {key: cookie.value for (_domain, _path, key), cookie in client._cookies.items()}


def client_with(app, cookies: dict):
    """A new client holding these cookies: a test that signs out or changes its session leaves them intact."""
    client = app.test_client()
    for key, value in cookies.items():
        client.set_cookie(key, value)
    return client


REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def redis_prefix():
    """A key prefix of this test's own on the local Redis, its keys deleted afterwards."""
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


@pytest.fixture(scope="module")
def demo_app(database_url, schema, tmp_path_factory):
    """The demo data (`make run`'s) seeded once for a module of browser tests, with CSRF on as in production."""
    from demo.seed import seed

    app = create_app(make_config(database_url, str(tmp_path_factory.mktemp("uploads")), WTF_CSRF_ENABLED=True))
    with clock.frozen(NOW):
        try:
            with app.app_context():
                seed()
                db.session.remove()
            yield app
        finally:
            wipe(app)
