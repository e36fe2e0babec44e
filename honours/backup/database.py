"""Database dump and restore, per dialect.

SQLite: the online backup API copies a consistent snapshot while the app keeps running, and restores the same
way (the live file is overwritten page by page inside SQLite's own locking, never left half-written).
PostgreSQL: pg_dump --format=custom, restored with pg_restore --clean --if-exists --single-transaction, so a
failed restore leaves the database as it was.
"""
import glob
import os
import shutil
import sqlite3
import subprocess  # nosec B404 # runs pg_dump/pg_restore only, with argument lists (no shell)
from pathlib import Path

from sqlalchemy import inspect, text

from honours.core.db import db

SUPPORTED = {"sqlite": "honours.sqlite", "postgresql": "honours.dump"}


class DatabaseBackupError(Exception):
    pass


def dialect() -> str:
    return db.engine.dialect.name


def dump_name() -> str:
    if dialect() not in SUPPORTED:
        raise DatabaseBackupError(f"backups support SQLite and PostgreSQL, not {dialect()}")
    return SUPPORTED[dialect()]


def alembic_revision() -> str | None:
    """The schema revision recorded by `flask db upgrade` (None for a schema made without Alembic)."""
    if not inspect(db.engine).has_table("alembic_version"):
        return None
    with db.engine.connect() as connection:
        revisions = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    return ",".join(sorted(revisions)) or None


def dump(target: Path) -> None:
    """Write a consistent copy of the database to `target` (a new file)."""
    if dialect() == "sqlite":
        _copy_sqlite(_sqlite_path(), target)
    elif dialect() == "postgresql":
        _run(_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
             "--file", str(target), "--dbname", _pg_conninfo())
    else:
        raise DatabaseBackupError(f"backups support SQLite and PostgreSQL, not {dialect()}")


def restore(source: Path) -> None:
    """Replace the whole database with the dump in `source`."""
    db.session.remove()
    db.engine.dispose()  # no pooled connection of ours keeps a lock or a stale view of the old data
    if dialect() == "sqlite":
        _copy_sqlite(source, _sqlite_path())
    elif dialect() == "postgresql":
        _run(_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
             "--single-transaction", "--exit-on-error", "--dbname", _pg_conninfo(), str(source))
    else:
        raise DatabaseBackupError(f"backups support SQLite and PostgreSQL, not {dialect()}")


# ---------------------------------------------------------------- SQLite

def _sqlite_path() -> str:
    url = db.engine.url
    if not url.database or url.database == ":memory:" or url.query.get("mode") == "memory":
        raise DatabaseBackupError("an in-memory SQLite database cannot be backed up or restored")
    path = os.path.abspath(url.database)
    if not os.path.exists(path):
        raise DatabaseBackupError(f"the SQLite database {path} does not exist")
    return path


def _copy_sqlite(source: str | Path, destination: str | Path) -> None:
    source_connection = sqlite3.connect(source)
    try:
        destination_connection = sqlite3.connect(destination, timeout=30)
        try:
            source_connection.backup(destination_connection)
        finally:
            destination_connection.close()
    finally:
        source_connection.close()


# ---------------------------------------------------------------- PostgreSQL

def _pg_tool(name: str) -> str:
    """On PATH, else the newest of Debian's /usr/lib/postgresql/<version>/bin."""
    found = shutil.which(name)
    if found:
        return found

    def version(path: str) -> tuple:
        return tuple(int(part) for part in Path(path).parts[-3].split(".") if part.isdigit())

    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=version)
    if candidates:
        return candidates[-1]
    raise DatabaseBackupError(f"{name} not found on PATH or in /usr/lib/postgresql/*/bin: install the PostgreSQL "
                              "client tools (Debian: apt-get install postgresql-client)")


def _pg_conninfo() -> str:
    """The app's DATABASE_URL as a libpq URI, without the password (passed in PGPASSWORD, not on the command
    line where other users could read it)."""
    return db.engine.url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)


def _run(*command: str) -> None:
    env = dict(os.environ)
    if db.engine.url.password:
        env["PGPASSWORD"] = db.engine.url.password
    result = subprocess.run(command, capture_output=True, text=True, env=env)  # nosec B603 # fixed tool, list args
    if result.returncode != 0:
        tool = os.path.basename(command[0])
        raise DatabaseBackupError(f"{tool} failed (exit {result.returncode}): {result.stderr.strip()[-2000:]}")
