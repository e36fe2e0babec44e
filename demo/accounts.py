"""Demo accounts in the states the administrator's home page counts: one locked (a clerk who left), one invited
whose owner never chose a password. Each is a nominator of an organisation that has no other account.

Written directly with the audit entries the account services write (the demo must not depend on their
confirmation steps); the invitation e-mail is not queued. All names and addresses are fictitious.
"""
from datetime import datetime, timedelta

from sqlalchemy import select

from honours.auth.invitations import unusable_password
from honours.auth.models import User
from honours.core import audit, clock, roles
from honours.core.db import db
from honours.organisations.models import Organisation

LOCKED_EMAIL = "donvi-cu@demo.example"
INVITED_EMAIL = "donvi-moi@demo.example"
LOCKED_ORGANISATION = "Hội Tin học tỉnh Bắc Ninh"
INVITED_ORGANISATION = "Hội Kiến trúc sư tỉnh Bắc Ninh"


def seed_account_states(now: datetime, accounts: list[User]) -> list[str]:
    """Adds the two accounts; returns the lines the seed report prints about them."""
    admin = next(u for u in accounts if u.role == roles.ADMIN)
    organisations = dict(db.session.execute(select(Organisation.name, Organisation.id).where(
        Organisation.name.in_((LOCKED_ORGANISATION, INVITED_ORGANISATION)))).all())
    with clock.frozen(now - timedelta(days=36)):
        locked = User(email=LOCKED_EMAIL, full_name="Trịnh Văn Toàn", role=roles.NOMINATOR,
                      organisation_id=organisations[LOCKED_ORGANISATION], password_hash=admin.password_hash)
        db.session.add(locked)
        db.session.flush()
        audit.record(admin, "user", locked.id, "create", "", locked.role)
    with clock.frozen(now - timedelta(days=12)):
        locked.active = False
        audit.record(admin, "user", locked.id, "lock", "active", "locked")
    with clock.frozen(now - timedelta(days=9)):
        invited = User(email=INVITED_EMAIL, full_name="Lý Thị Hạnh", role=roles.NOMINATOR,
                       organisation_id=organisations[INVITED_ORGANISATION], password_hash=unusable_password())
        db.session.add(invited)
        db.session.flush()
        audit.record(admin, "user", invited.id, "create", "", invited.role)
    db.session.commit()
    return [f"  Locked account: {LOCKED_EMAIL} ({LOCKED_ORGANISATION}); invited, password never set: "
            f"{INVITED_EMAIL} ({INVITED_ORGANISATION})."]
