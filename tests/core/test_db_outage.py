"""The database goes away while the app runs: requests fail cleanly (503, Vietnamese page, nothing half-written)
and the app recovers by itself when the database is back, without a restart.

The real test runs a private, throwaway PostgreSQL server (initdb into a temporary directory, its own port) and
stops it with `pg_ctl stop -m immediate` (a crash, as far as clients can tell). The machine's shared server on
5432 is never touched.
"""
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import IntegrityError, OperationalError

from honours import create_app
from honours.core import clock, roles
from honours.core.db import db
from honours.organisations.models import Organisation
from tests.conftest import NOW, IsolatedClient, login, make_config
from tests.factories import make_org, make_user

OUTAGE_TITLE = "Hệ thống tạm thời gián đoạn"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _postgres_bin() -> Path | None:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
                        key=lambda p: [int(x) for x in p.split("/")[4].split(".") if x.isdigit()])
    if candidates:
        return Path(candidates[-1]).parent
    found = shutil.which("pg_ctl")
    return Path(found).parent if found else None


class PrivatePostgres:
    """A PostgreSQL server of our own in a temporary directory. As root, it runs as the `postgres` user
    (PostgreSQL refuses to run as root)."""

    def __init__(self):
        self.bin = _postgres_bin()
        if self.bin is None or not (self.bin / "initdb").exists():
            pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) not found in /usr/lib/postgresql/*/bin or PATH")
        self.as_user = None
        if os.geteuid() == 0:
            runuser = shutil.which("runuser")
            if runuser is None:
                pytest.skip("running as root and `runuser` is missing: cannot start PostgreSQL as another user")
            try:
                import pwd

                pwd.getpwnam("postgres")
            except KeyError:
                pytest.skip("running as root and there is no `postgres` system user to run PostgreSQL as")
            self.as_user = [runuser, "-u", "postgres", "--"]
        # Not under pytest's tmp_path: its parents are private to root, and the server runs as `postgres`.
        self.root = Path(tempfile.mkdtemp(prefix="honours-pg-"))
        if self.as_user:
            shutil.chown(self.root, "postgres", "postgres")
        self.data = self.root / "data"
        self.port = _free_port()
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str, check=True) -> subprocess.CompletedProcess:
        command = [*(self.as_user or []), *args]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if check and result.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed: {result.stdout}{result.stderr}")
        return result

    def init(self) -> None:
        result = self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
                           "-E", "UTF8", "--locale=C", "--no-sync", check=False)
        if result.returncode != 0:
            pytest.skip(f"initdb could not create a private cluster: {result.stderr.strip()[:300]}")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options,
                  "-l", str(self.root / "server.log"), "-w", "-t", "60", "start")

    def stop(self, mode: str = "immediate") -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop", check=False)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture
def private_postgres():
    server = PrivatePostgres()
    try:
        server.init()
        server.start()
        yield server
    finally:
        server.remove()


@pytest.fixture
def pg_app(private_postgres, tmp_path):
    app = create_app(make_config(private_postgres.url, str(tmp_path / "uploads")))
    app.test_client_class = IsolatedClient
    with clock.frozen(NOW):
        with app.app_context():
            db.create_all()
            yield app
            db.session.remove()
            db.engine.dispose()


def assert_clean_outage_page(response) -> None:
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    page = response.get_data(as_text=True)
    assert OUTAGE_TITLE in page and "thử lại sau ít phút" in page
    for leak in ("Traceback", "psycopg", "OperationalError", "sqlalchemy", "127.0.0.1"):
        assert leak not in page


def organisation_count() -> int:
    """Counted on a connection of its own: only what is really committed."""
    with db.engine.connect() as connection:
        return connection.scalar(select(func.count(Organisation.id)))


def test_postgres_going_down_gives_a_clean_503_and_the_app_recovers_without_restart(pg_app, private_postgres):
    secretariat = make_user(roles.SECRETARIAT)
    make_org(name="Hội Khoa học Lịch sử tỉnh Bắc Ninh")
    client = pg_app.test_client()
    login(client, secretariat)
    assert client.get("/organisations/").status_code == 200  # the pool now holds a live connection
    db.session.remove()  # the test's own session holds no connection into the crash

    private_postgres.stop("immediate")

    assert_clean_outage_page(client.get("/organisations/"))
    assert_clean_outage_page(client.post("/organisations/new", data={
        "name": "Viện Nghiên cứu Kinh Bắc", "org_type": "institute"}))
    assert_clean_outage_page(pg_app.test_client().get("/vinh-danh"))  # an anonymous visitor of a public page

    private_postgres.start()

    # Same app, same process: the pool drops the dead connections (pre-ping) and reconnects.
    listing = client.get("/organisations/")
    assert listing.status_code == 200
    assert "Hội Khoa học Lịch sử tỉnh Bắc Ninh" in listing.get_data(as_text=True)
    assert organisation_count() == 1  # the POST made during the outage left nothing behind
    created = client.post("/organisations/new", data={"name": "Viện Nghiên cứu Kinh Bắc", "org_type": "institute"})
    assert created.status_code == 302
    assert organisation_count() == 2


# ---------------------------------------------------------------- the handler itself (any database)

def test_a_lost_connection_mid_request_is_a_503_and_the_session_is_rolled_back(app, client):
    secretariat = make_user(roles.SECRETARIAT)
    login(client, secretariat)
    armed = {"on": False}

    def connection_lost(conn, cursor, statement, parameters, context, executemany):
        if armed["on"] and statement.lstrip().upper().startswith("INSERT INTO ORGANISATION"):
            raise OperationalError(statement, parameters, Exception("server closed the connection unexpectedly"))

    event.listen(db.engine, "before_cursor_execute", connection_lost)
    try:
        armed["on"] = True
        response = client.post("/organisations/new", data={"name": "Hội Luật gia tỉnh", "org_type": "association"})
        assert_clean_outage_page(response)
        armed["on"] = False
        assert organisation_count() == 0
        assert client.get("/organisations/").status_code == 200  # the next request is served normally
    finally:
        event.remove(db.engine, "before_cursor_execute", connection_lost)


def test_other_database_errors_are_not_disguised_as_an_outage(app, client):
    secretariat = make_user(roles.SECRETARIAT)
    login(client, secretariat)

    def integrity_bug(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("INSERT INTO ORGANISATION"):
            raise IntegrityError(statement, parameters, Exception("duplicate key"))

    event.listen(db.engine, "before_cursor_execute", integrity_bug)
    try:
        with pytest.raises(IntegrityError):  # TESTING propagates it; in production it is the ordinary 500 page
            client.post("/organisations/new", data={"name": "Hội Luật gia tỉnh", "org_type": "association"})
    finally:
        event.remove(db.engine, "before_cursor_execute", integrity_bug)
