"""Linking nominations and referrals to person records.

A source (dossier or referral) joins the person with exactly the same name and date of birth; anything less certain
("Nguyen Van A" vs "Nguyễn Văn A", same birthday) gets its own record and shows up on the secretariat's duplicates
screen, because only a human can tell two namesakes apart.
"""
from sqlalchemy import select

from honours import clock
from honours.extensions import db
from honours.text import fold, name_sort_key

from .models import Person

# Profile fields a newer nomination or referral refreshes (name, birth date and gender identify the person).
PROFILE_FIELDS = ("ethnicity", "hometown", "workplace", "position", "academic_title", "degree", "email", "phone",
                  "is_overseas")


def _clean_name(full_name: str) -> str:
    return " ".join(full_name.split())


def find_exact(full_name: str, date_of_birth) -> Person | None:
    """The live record with exactly this name and birth date. A record the secretariat merged away stands for its
    survivor, so a new source spelt like the duplicate joins the survivor instead of recreating the duplicate."""
    name = _clean_name(full_name)
    candidates = db.session.scalars(
        select(Person).where(Person.name_folded == fold(name), Person.date_of_birth == date_of_birth)
        .order_by(Person.merged_into_id.is_not(None), Person.id)  # live records first
    )
    person = next((person for person in candidates if _clean_name(person.full_name) == name), None)
    if person is not None and person.merged_into_id is not None:
        person = db.session.get(Person, person.merged_into_id)  # merging re-points older tombstones: one step
    return person


def link(source, field: str = "", expertise: str = "", consent: bool | None = None) -> Person:
    """Attach a dossier or referral to its person (found or created) and refresh the profile from it.
    The caller commits."""
    person = source.person if source.person_id else find_exact(source.full_name, source.date_of_birth)
    if person is not None and person.merged_into_id is not None:  # linked before the secretariat merged it away
        person = db.session.get(Person, person.merged_into_id)
    if person is None:
        name = _clean_name(source.full_name)
        person = Person(full_name=name, name_folded=fold(name), sort_key=name_sort_key(name), gender=source.gender,
                        date_of_birth=source.date_of_birth, ethnicity=source.ethnicity)
        db.session.add(person)
    for name in PROFILE_FIELDS:
        setattr(person, name, getattr(source, name))
    person.organisation_id = source.organisation_id
    if field:
        person.field = field
    if expertise:
        person.expertise = expertise
    if consent is not None:
        person.consent_national_db = consent
    person.updated_at = clock.now()
    source.person = person
    return person


def link_unlinked() -> int:
    """Link every submitted dossier and referral that has no person yet (seeded data, records older than the
    database), oldest first so the newest data ends up on the profile. Idempotent; the caller commits."""
    from sqlalchemy.orm import selectinload

    from honours.nominations import states
    from honours.nominations.models import Dossier
    from honours.talent.models import DRAFT, Referral

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
