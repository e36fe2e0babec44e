"""The Alembic migrations build exactly the schema the models describe, and can be undone.

Each test gets its own EMPTY database (never the shared test database, where the session fixture
runs create_all): a new SQLite file, or, when TEST_DATABASE_URL points at PostgreSQL, a scratch
database created on that server for the test and dropped afterwards.
"""
import secrets
from pprint import pformat

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from honours import create_app
from honours.core.db import compared_by_autogenerate, db
from tests.conftest import TEST_DATABASE_URL, make_config


def _psycopg(url):
    """The same driver create_app() uses for a plain postgresql:// URL."""
    url = make_url(url)
    return url.set(drivername="postgresql+psycopg") if url.drivername == "postgresql" else url


@pytest.fixture
def empty_database_url(tmp_path):
    if not TEST_DATABASE_URL:
        yield "sqlite:///" + str(tmp_path / "migrations.sqlite")
        return
    server_url = _psycopg(TEST_DATABASE_URL)
    if server_url.get_backend_name() != "postgresql":
        pytest.skip(f"migration tests support SQLite and PostgreSQL, not {server_url.get_backend_name()}")
    name = f"honours_migration_{secrets.token_hex(6)}"
    # CREATE/DROP DATABASE cannot run inside a transaction block.
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield server_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                     "WHERE datname = :name AND pid <> pg_backend_pid()"),
                {"name": name},
            )
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


@pytest.fixture
def migration_app(empty_database_url, tmp_path):
    app = create_app(make_config(empty_database_url, str(tmp_path / "uploads")))
    with app.app_context():
        assert _application_tables() == set(), "the migration tests need an empty database"
        yield app
        db.session.remove()
        db.engine.dispose()


def _application_tables() -> set[str]:
    return set(inspect(db.engine).get_table_names()) - {"alembic_version"}


def _schema_diff() -> list:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": compared_by_autogenerate})
        return compare_metadata(context, db.metadata)


def _assert_schema_matches_models() -> None:
    diff = _schema_diff()
    assert diff == [], (
        "the migrations do not produce the schema of the models; "
        "run `flask db migrate -m '...'` and review the new revision:\n" + pformat(diff)
    )


def _head(app) -> str:
    config = app.extensions["migrate"].migrate.get_config()
    heads = ScriptDirectory.from_config(config).get_heads()
    assert len(heads) == 1, f"the migrations have several heads, merge them (`flask db merge`): {heads}"
    return heads[0]


def _current_revision() -> str | None:
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def test_upgrade_on_an_empty_database_builds_the_schema_of_the_models(migration_app):
    flask_migrate.upgrade()

    assert _current_revision() == _head(migration_app)
    assert _application_tables() == {table.name for table in db.metadata.sorted_tables}
    _assert_schema_matches_models()
    if db.engine.dialect.name == "postgresql":  # the migration-only index the inbox pages are read from
        with db.engine.connect() as connection:
            # The table is empty: tell the planner a sort costs more than any index, as with real data.
            connection.exec_driver_sql("SET enable_sort = off")
            plan = connection.exec_driver_sql(
                "EXPLAIN SELECT id FROM dossier WHERE state != 'draft' "
                "ORDER BY state IN ('submitted', 'resubmitted') DESC, submitted_at, id LIMIT 25").scalars().all()
        assert any("ix_dossier_inbox_order" in line for line in plan), plan


def test_downgrade_to_base_removes_every_table_and_upgrade_works_again(migration_app):
    flask_migrate.upgrade()

    flask_migrate.downgrade(revision="base")
    assert _application_tables() == set()
    assert _current_revision() is None
    # The comparison is not vacuous: with no tables, every model table is reported missing.
    missing = {change[1].name for change in _schema_diff() if change[0] == "add_table"}
    assert missing == {table.name for table in db.metadata.sorted_tables}

    flask_migrate.upgrade()
    assert _current_revision() == _head(migration_app)
    _assert_schema_matches_models()


def test_upgrade_keeps_existing_dossiers(tmp_path):
    """The second revision adds NOT NULL columns to tables that already hold rows in production."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text

    from honours import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.sqlite'}", "TESTING": True,
                      "UPLOAD_FOLDER": str(tmp_path)})
    with app.app_context():
        from honours.core.db import db

        upgrade(revision="cdf967970fdb")
        insert_rows_of_the_first_schema(db, "eligible")
        upgrade()
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT citation FROM dossier")).scalar_one() == ""
        downgrade(revision="cdf967970fdb")


def insert_rows_of_the_first_schema(db, dossier_state: str) -> None:
    """An organisation, an account, a round with a field and one dossier in `dossier_state`, written with the
    first revision's columns (cdf967970fdb): what a later migration finds in production."""
    from sqlalchemy import text

    with db.engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO organisation (name, org_type, contact_person, email, phone, address, created_at) "
            "VALUES ('Hội A', 'association', '', '', '', '', '2026-01-01')"))
        connection.execute(text(
            "INSERT INTO \"user\" (email, full_name, password_hash, role, is_chair, active, created_at) "
            "VALUES ('a@example.vn', 'A', 'x', 'nominator', 0, 1, '2026-01-01')"))
        connection.execute(text(
            "INSERT INTO round (name, programme, year, description, nominations_open_at, nominations_close_at, "
            "review_close_at, council_date, reviewers_per_dossier, quorum_rule, approval_rule, score_decimals, "
            "trim_extremes, deviation_flag_percent, created_at) VALUES ('R', 'honours', 2026, '', '2026-01-01', "
            "'2026-02-01', '2026-03-01', '2026-04-01', 3, 'two_thirds', 'majority', 1, 1, 20, '2026-01-01')"))
        connection.execute(text("INSERT INTO round_field (round_id, name, quota, position) VALUES (1, 'F', 1, 0)"))
        connection.execute(text(
            "INSERT INTO dossier (round_id, organisation_id, field_id, state, version, full_name, name_folded, "
            "gender, date_of_birth, ethnicity, hometown, workplace, position, academic_title, degree, email, phone, "
            "is_overseas, merits_summary, last_reason, submission_count, created_by_id, created_at, updated_at) "
            "VALUES (1, 1, 1, :state, 1, 'B', 'b', 'male', '1970-01-01', 'Kinh', '', '', '', '', 'TS', '', '', "
            "0, '', '', 1, 1, '2026-01-01', '2026-01-01')"), {"state": dossier_state})
