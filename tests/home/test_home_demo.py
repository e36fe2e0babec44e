"""The demo (`make run`) gives every role something on its home page: a council member with pending sheets, a
locked account and an invited account that never set its password."""
import pytest
from sqlalchemy import select

from demo.accounts import INVITED_EMAIL, LOCKED_EMAIL
from demo.data import ADMIN_EMAIL
from demo.seed import seed
from honours.auth.invitations import is_pending
from honours.auth.models import User
from honours.core.db import db
from honours.home import todo


@pytest.fixture(scope="module")
def demo(module_app):
    return seed()


@pytest.fixture
def app(module_app, db_savepoint, demo):
    return module_app


def user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def counts(email: str) -> dict[str, int]:
    work = todo.for_role(user(email))
    sections = work if isinstance(work, list) else work.sections
    return {item.key: item.count for section in sections for item in section.items}


def test_the_demo_has_a_locked_and_a_never_activated_account(app, demo):
    assert user(LOCKED_EMAIL).active is False and not is_pending(user(LOCKED_EMAIL))
    assert user(INVITED_EMAIL).active is True and is_pending(user(INVITED_EMAIL))
    assert any(LOCKED_EMAIL in line and INVITED_EMAIL in line for line in demo)
    assert counts(ADMIN_EMAIL) == {"locked": 1, "never_activated": 1, "incidents_open": 1}


@pytest.mark.parametrize("email", ["hoidong1@demo.example", "hoidong2@demo.example"])
def test_council_members_have_pending_sheets(app, email):
    assert counts(email)["sheets_to_do"] > 0


@pytest.mark.parametrize("email", ["donvi1@demo.example", "hoidong1@demo.example", "thuky@demo.example",
                                   ADMIN_EMAIL])
def test_every_home_page_of_the_demo_has_something_to_do(app, email):
    assert any(counts(email).values()), counts(email)
