"""Backfill: person records for dossiers and referrals submitted before the database existed."""
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from honours.core.db import db
from honours.nominations import states
from honours.nominations.models import Dossier
from honours.people.linking import link
from honours.talent.models import DRAFT, Referral


def link_unlinked() -> int:
    """Link every submitted dossier and referral that has no person yet (seeded data, records older than the
    database), oldest first so the newest data ends up on the profile. Idempotent; the caller commits."""
    dossiers = db.session.scalars(
        select(Dossier).options(selectinload(Dossier.field))
        .where(Dossier.person_id.is_(None), Dossier.state != states.DRAFT).order_by(Dossier.submitted_at, Dossier.id)
    ).all()
    referrals = db.session.scalars(
        select(Referral).where(Referral.person_id.is_(None), Referral.state != DRAFT)
        .order_by(Referral.submitted_at, Referral.id)
    ).all()
    for dossier in dossiers:
        link(dossier, field=dossier.field.name)
        db.session.flush()  # the next source of the same person must find this record
    for referral in referrals:
        link(referral, field=referral.field, expertise=referral.expertise_keywords,
             consent=referral.consent_national_db)
        db.session.flush()
    return len(dossiers) + len(referrals)
