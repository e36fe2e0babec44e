"""The database: declarative base with deterministic constraint names, row locks, change marking."""
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import CheckConstraint, MetaData, Table, event, exists, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session
from sqlalchemy.orm.attributes import flag_modified

from . import clock

# Deterministic constraint names keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)


@event.listens_for(Engine, "connect")
def _connection_settings(dbapi_connection, connection_record):
    """SQLite: enforce foreign keys like PostgreSQL does, and wait for locks instead of failing at once.

    PostgreSQL (psycopg 3): no server-side prepared statements. psycopg prepares a query after its fifth run, and
    PostgreSQL then switches to a generic plan, made without the values: for `name_folded LIKE $1` it cannot tell
    a rare name from a common one and scans the whole person table (50 ms at 150,000 records instead of 1 ms
    through the trigram index). Planning each query with its values costs a fraction of a millisecond."""
    import sqlite3

    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()
    elif hasattr(dbapi_connection, "prepare_threshold"):
        dbapi_connection.prepare_threshold = None


def touch(record) -> None:
    """Mark a versioned record changed even when only its child rows changed (or the clock has not moved):
    the UPDATE is what bumps the optimistic-lock version, so a stale form cannot overwrite this change."""
    record.updated_at = clock.now()
    flag_modified(record, "updated_at")


def lock_row(model, object_id: int, column: str):
    """Serialise writers on one row until commit; returns the row, freshly loaded. PostgreSQL locks the row;
    SQLite has no row locks, so a no-op write of `column` takes its database write lock instead."""
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(update(model).where(model.id == object_id).values({column: getattr(model, column)}))
    return db.session.get(model, object_id, with_for_update=True, populate_existing=True)


WROTE = "honours.db.wrote"


def has_writes(session) -> bool:
    """Whether the session's transaction changed anything (flushed or pending): only then is a commit worth
    making, and only then do after-commit hooks (the public page cache) need to run."""
    return bool(session.info.get(WROTE) or session.new or session.dirty or session.deleted)


def commit_if_written(session) -> None:
    """Commit the transaction if it wrote anything, else just end it."""
    if has_writes(session):
        session.commit()
    else:
        session.rollback()


@event.listens_for(Session, "after_flush")
def _mark_written(session, flush_context) -> None:
    session.info[WROTE] = True


@event.listens_for(Session, "after_transaction_end")
def _forget_written(session, transaction) -> None:
    if transaction.parent is None and not transaction.nested:
        session.info.pop(WROTE, None)


def state_check(column: str, states) -> CheckConstraint:
    """A state column holds one of its workflow's states, nothing else (Workflow.check_constraint() uses it)."""
    allowed = ", ".join(f"'{state}'" for state in states)
    return CheckConstraint(f"{column} IN ({allowed})", name=f"{column}_known")


def is_referenced(table: Table, ids: list[int]) -> bool:
    """Whether any row of any table points at one of these rows through a foreign key: features that come later
    (a dossier naming a round's field) are found through the schema, without importing them."""
    for other in db.metadata.sorted_tables:
        for key in other.foreign_keys:
            if key.column.table is table and db.session.scalar(select(exists().where(key.parent.in_(ids)))):
                return True
    return False


# Indexes that exist only in migrations (PostgreSQL expression indexes SQLite cannot reflect); autogenerate and the
# models/migrations comparison leave them out.
MIGRATION_ONLY_INDEXES = frozenset({"ix_dossier_inbox_order", "ix_person_name_trgm"})


def compared_by_autogenerate(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic include_object hook."""
    return not (type_ == "index" and name in MIGRATION_ONLY_INDEXES)


def append_only(model, error: type[Exception], message: str) -> None:
    """Rows of `model` may be inserted, never changed or deleted through the application: the ORM's unit of
    work and bulk UPDATE/DELETE statements (which skip the mapper events) both raise `error`."""
    def refuse(*_args):
        raise error(message)

    event.listen(model, "before_update", refuse)
    event.listen(model, "before_delete", refuse)

    @event.listens_for(Session, "do_orm_execute")
    def _refuse_bulk(state):
        table = getattr(state.statement, "table", None)
        if (state.is_update or state.is_delete) and getattr(table, "name", None) == model.__tablename__:
            refuse()
