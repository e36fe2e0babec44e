"""Linking nominations and referrals to person records.

A source (dossier or referral) joins the person with exactly the same name and date of birth; anything less certain
("Nguyen Van A" vs "Nguyễn Văn A", same birthday) gets its own record and shows up on the secretariat's duplicates
screen, because only a human can tell two namesakes apart.

A new record takes its profile from the source. An existing record is the secretariat's: the source only proposes
what differs (PersonChangeProposal), and the secretariat accepts or rejects each change. Anyone can nominate a
person by name and birth date, so what a nominator types must never reach the record (or the national export)
unreviewed.
"""
from sqlalchemy import select

from honours.core import roles
from honours.core.db import db
from honours.core.text import fold, name_sort_key

from .models import Person, PersonChangeProposal
from .workflows import PENDING, PERSON_CHANGE

# Profile fields a nomination or referral brings (name, birth date and gender identify the person).
PROFILE_FIELDS = ("ethnicity", "hometown", "workplace", "position", "academic_title", "degree", "email", "phone",
                  "is_overseas")
# What a source may propose for an existing record, in the order the secretariat's page lists it.
PROPOSED_FIELDS = (*PROFILE_FIELDS, "organisation_id", "field", "expertise", "consent_national_db")
BOOLEAN_FIELDS = ("is_overseas", "consent_national_db")


def as_text(value) -> str:
    """A proposal stores values as text: booleans "1"/"0", an organisation id as digits, nothing as ""."""
    if isinstance(value, bool):
        return "1" if value else "0"
    return "" if value is None else str(value)


def from_text(name: str, text: str):
    """The Person attribute value a proposal's text stands for."""
    if name in BOOLEAN_FIELDS:
        return text == "1"
    if name == "organisation_id":
        return int(text) if text else None
    return text


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


def source_type(source) -> str:
    return source.__tablename__  # "dossier" or "referral"


def link(source, field: str = "", expertise: str = "", consent: bool | None = None, actor=None) -> Person:
    """Attach a dossier or referral to its person: a new record takes the source's profile; an existing one gets
    proposals for what differs (never a write). `actor` is whoever's step links it (the nominator submitting, the
    secretariat accepting a referral). The caller commits."""
    person = source.person if source.person_id else find_exact(source.full_name, source.date_of_birth)
    if person is not None and person.merged_into_id is not None:  # linked before the secretariat merged it away
        person = db.session.get(Person, person.merged_into_id)
    values = {name: getattr(source, name) for name in PROFILE_FIELDS}
    values["organisation_id"] = source.organisation_id
    if field:
        values["field"] = field
    if expertise:
        values["expertise"] = expertise
    if consent is not None:
        values["consent_national_db"] = consent
    if person is None:
        name = _clean_name(source.full_name)
        person = Person(full_name=name, name_folded=fold(name), sort_key=name_sort_key(name), gender=source.gender,
                        date_of_birth=source.date_of_birth, **values)
        db.session.add(person)
    else:
        propose(person, source, values, actor)
    source.person = person
    return person


def propose(person: Person, source, values: dict, actor=None) -> list[PersonChangeProposal]:
    """Record what `values` would change on the record, as pending proposals of this source. The source's earlier
    pending proposals are superseded when it now proposes something else (or nothing) for the field; a text the
    source leaves empty proposes nothing (it does not know, which is not "erase it")."""
    kind = source_type(source)
    if source.id is None:
        db.session.flush()
    earlier = {}
    if person.id is not None and source.id is not None:
        earlier = {p.field: p for p in db.session.scalars(
            select(PersonChangeProposal).where(
                PersonChangeProposal.person_id == person.id, PersonChangeProposal.source_type == kind,
                PersonChangeProposal.source_id == source.id, PersonChangeProposal.state == PENDING))}
    if actor is not None and actor.role == roles.NOMINATOR:
        proposed_by_id = actor.id
    else:
        proposed_by_id = source.created_by_id
    created = []
    for name in PROPOSED_FIELDS:
        if name not in values:
            continue
        current, proposed = as_text(getattr(person, name)), as_text(values[name])
        differs = proposed != current and (proposed or name in BOOLEAN_FIELDS)
        pending = earlier.get(name)
        if pending is not None:
            if differs and pending.proposed_value == proposed:
                continue  # the same proposal again
            PERSON_CHANGE.apply(actor, pending, "supersede")
        if not differs:
            continue
        proposal = PersonChangeProposal(
            person=person, field=name, old_value=current, proposed_value=proposed, state=PENDING, source_type=kind,
            source_id=source.id, organisation_id=source.organisation_id, proposed_by_id=proposed_by_id)
        db.session.add(proposal)
        created.append(proposal)
    return created
