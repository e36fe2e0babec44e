"""The fixture for worlds built once per module (conftest.module_app + db_savepoint): what a test commits, through
a request or a factory, is gone for the next test, and nothing is committed for other connections to see."""
import pytest
from sqlalchemy import create_engine, func, select, text

from honours.auth.models import LoginThrottle, User
from honours.core.db import db
from tests.factories import make_user


@pytest.fixture(scope="module")
def world(module_app):
    return {"email": make_user().email}


@pytest.fixture
def app(module_app, db_savepoint):
    return module_app


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def users_seen_by_another_connection(database_url: str) -> int:
    engine = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as connection:
            return connection.execute(text('SELECT count(*) FROM "user"')).scalar_one()
    finally:
        engine.dispose()


def test_a_test_commits_through_requests_and_factories_inside_the_module_transaction(app, world, database_url):
    response = app.test_client().post("/login", data={"email": world["email"], "password": "sai-mat-khau"})
    assert response.status_code == 200
    make_user(email="them-trong-bai-kiem-tra@example.vn")

    assert count(LoginThrottle) == 2  # address and account, committed by the login request, seen by the test
    assert count(User) == 2
    assert users_seen_by_another_connection(database_url) == 0


def test_the_next_test_finds_the_world_as_it_was_built(app, world, database_url):
    assert count(LoginThrottle) == 0
    assert count(User) == 1
    assert users_seen_by_another_connection(database_url) == 0
