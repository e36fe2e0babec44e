"""Everything the platform holds about one email address: the person records, the dossiers (with achievements,
attachment names and publication) and the referrals that carry it, and those linked to the same person record.

Matching is case-insensitive on the address as typed by the nominating organisation; a record linked to a matched
person record counts too (a later dossier may lack the address). Four statements whatever the number of records.
"""
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select, union
from sqlalchemy.orm import joinedload, selectinload

from honours.core.db import db
from honours.core.profile import PROFILE_FIELDS
from honours.nominations import states
from honours.nominations.models import Dossier
from honours.people.models import Person
from honours.publication.models import PublicationPhoto
from honours.talent.models import Referral

# A dossier that reached either state is part of an honouring decision (kept whatever the person asks).
HONOURED_STATES = (states.APPROVED, states.PUBLISHED)


@dataclass
class Holdings:
    email: str
    people: list[Person] = field(default_factory=list)
    dossiers: list[Dossier] = field(default_factory=list)
    referrals: list[Referral] = field(default_factory=list)
    photo_dossier_ids: set[int] = field(default_factory=set)

    @property
    def empty(self) -> bool:
        return not (self.people or self.dossiers or self.referrals)

    @property
    def honoured_dossiers(self) -> list[Dossier]:
        return [d for d in self.dossiers if d.state in HONOURED_STATES]


def normalise(email: str) -> str:
    return (email or "").strip().lower()


def holds(email: str) -> bool:
    """Whether any person record, dossier or referral carries the address (one statement)."""
    email = normalise(email)
    if not email:
        return False
    matches = union(select(Person.id).where(func.lower(Person.email) == email),
                    select(Dossier.id).where(func.lower(Dossier.email) == email),
                    select(Referral.id).where(func.lower(Referral.email) == email)).subquery()
    return db.session.scalar(select(func.count()).select_from(matches)) > 0


def find(email: str) -> Holdings:
    email = normalise(email)
    holdings = Holdings(email)
    if not email:
        return holdings
    person_ids = set(db.session.scalars(union(
        select(Person.id).where(func.lower(Person.email) == email),
        select(Dossier.person_id).where(func.lower(Dossier.email) == email, Dossier.person_id.is_not(None)),
        select(Referral.person_id).where(func.lower(Referral.email) == email, Referral.person_id.is_not(None)))))
    holdings.people = list(db.session.scalars(
        select(Person).options(joinedload(Person.organisation))
        .where(or_(Person.id.in_(person_ids), func.lower(Person.email) == email)).order_by(Person.id)))
    holdings.dossiers = list(db.session.scalars(
        select(Dossier).options(selectinload(Dossier.achievements), selectinload(Dossier.attachments),
                                selectinload(Dossier.submissions), joinedload(Dossier.round),
                                joinedload(Dossier.field), joinedload(Dossier.organisation))
        .where(or_(func.lower(Dossier.email) == email, Dossier.person_id.in_(person_ids)))
        .order_by(Dossier.id)))
    holdings.referrals = list(db.session.scalars(
        select(Referral).options(selectinload(Referral.attachments), joinedload(Referral.organisation))
        .where(or_(func.lower(Referral.email) == email, Referral.person_id.in_(person_ids)))
        .order_by(Referral.id)))
    dossier_ids = [d.id for d in holdings.dossiers]
    if dossier_ids:
        holdings.photo_dossier_ids = set(db.session.scalars(
            select(PublicationPhoto.dossier_id).where(PublicationPhoto.dossier_id.in_(dossier_ids))))
    return holdings


def _profile(record) -> dict:
    data = {name: getattr(record, name) for name in PROFILE_FIELDS}
    data["date_of_birth"] = record.date_of_birth.isoformat() if record.date_of_birth else None
    return data


def as_json(holdings: Holdings) -> dict:
    """The machine-readable copy the person downloads (a stable shape: see docs/personal-data.md)."""
    return {
        "email": holdings.email,
        "people": [{
            "id": p.id, **_profile(p), "field": p.field, "expertise": p.expertise,
            "consent_national_db": p.consent_national_db,
            "organisation": p.organisation.name if p.organisation else None,
            "created_at": p.created_at.isoformat(), "updated_at": p.updated_at.isoformat(),
        } for p in holdings.people],
        "dossiers": [{
            "id": d.id, "round": d.round.name, "year": d.round.year, "state": d.state,
            "organisation": d.organisation.name, "field": d.field.name if d.field else "", **_profile(d),
            "merits_summary": d.merits_summary,
            "achievements": [{"kind": a.kind, "year": a.year, "title": a.title, "details": a.details}
                             for a in d.achievements],
            "attachments": [{"name": a.original_name, "kind": a.kind, "size": a.size,
                             "uploaded_at": a.uploaded_at.isoformat()} for a in d.attachments],
            "submitted_at": d.submitted_at.isoformat() if d.submitted_at else None,
            "publication": _publication(d, holdings),
        } for d in holdings.dossiers],
        "referrals": [{
            "id": r.id, "state": r.state, "organisation": r.organisation.name, **_profile(r), "field": r.field,
            "expertise_keywords": r.expertise_keywords, "proposed_role": r.proposed_role,
            "justification": r.justification, "consent_national_db": r.consent_national_db,
            "attachments": [{"name": a.original_name, "kind": a.kind, "size": a.size} for a in r.attachments],
            "submitted_at": r.submitted_at.isoformat() if r.submitted_at else None,
        } for r in holdings.referrals],
    }


def _publication(dossier: Dossier, holdings: Holdings) -> dict | None:
    if dossier.state != states.PUBLISHED:
        return None
    published = dossier.round.published_at
    return {"published_at": published.isoformat() if published else None, "citation": dossier.citation,
            "photo": dossier.id in holdings.photo_dossier_ids}
