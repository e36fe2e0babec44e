"""The intellectuals database: search, the profile page and the secretariat's corrections.

Tombstones (records merged into another) never appear in lists or counts; their URLs lead to the survivor.
"""
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select, text
from sqlalchemy.orm import contains_eager, joinedload

from honours.consent import services as consent
from honours.core import audit, clock
from honours.core.audit import AuditEntry
from honours.core.concurrency import check_version
from honours.core.db import db, touch
from honours.core.errors import RuleViolation
from honours.core.pagination import Page
from honours.core.profile import PROFILE_LABELS, ProfileData, profile_problems, refuse_first
from honours.core.reference import (
    ACADEMIC_TITLES,
    AGE_BANDS,
    DEGREES,
    ETHNICITIES,
    FIELDS,
    GENDERS,
    MAJORITY_ETHNICITY,
)
from honours.core.roles import ensure_secretariat
from honours.core.text import fold, like_pattern, name_sort_key
from honours.core.transactions import operation
from honours.nominations import states
from honours.nominations.models import Dossier
from honours.people.models import Person
from honours.rounds.models import Round
from honours.talent.models import ACTIVE, PoolEntry, Referral

PER_PAGE = 25
# Filter values beyond the reference lists.
NO_TITLE = "none"
MINORITIES = "minorities"
YES, NO = "yes", "no"


# ---------------------------------------------------------------- search

@dataclass
class PersonFilter:
    q: str = ""
    field: str = ""
    degree: str = ""
    academic_title: str = ""  # "GS", "PGS" or NO_TITLE
    organisation_id: int | None = None
    gender: str = ""
    ethnicity: str = ""  # one of ETHNICITIES, or MINORITIES (every group but the majority)
    age_band: str = ""  # a key of AGE_BANDS
    honoured: str = ""  # YES / NO
    overseas: str = ""  # YES / NO


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a common year
        return day.replace(year=day.year - years, day=28)


def birth_date_range(band: str, today: date) -> tuple[date, date]:
    """(born after, born on or before) for an age band in completed years on `today`: the age test becomes a date
    range on an indexed column, and agrees with Person.age_on() on birthdays and 29 February."""
    _label, youngest, oldest = AGE_BANDS[band]
    return years_before(today, oldest + 1), years_before(today, youngest)


def honoured_condition():
    """The person has a dossier published in a published round (the honoured list)."""
    return (
        select(Dossier.id).join(Round, Round.id == Dossier.round_id)
        .where(Dossier.person_id == Person.id, Dossier.state == states.PUBLISHED, Round.published_at.is_not(None))
        .exists()
    )


def _consented() -> tuple:
    """People who refused or withdrew (c) are not in the province's database of intellectuals and experts (their
    dossiers and referrals stay, for the round or the screening they came with)."""
    return (Person.id.not_in(consent.provincial_refusals()),)


def search_conditions(criteria: PersonFilter, today: date | None = None) -> list:
    """The WHERE conditions of a search: live records matching every filter given, less the people who refused
    (c). Unknown filter values are ignored (the form reports them)."""
    today = today or clock.now().date()
    conditions = [Person.merged_into_id.is_(None), *_consented()]
    where = conditions.append
    if criteria.q.strip():
        # Served by the pg_trgm GIN index on PostgreSQL (migration 3f8a1c6d9b27), a scan of the folded names on
        # SQLite.
        where(Person.name_folded.like(like_pattern(criteria.q), escape="\\"))
    if criteria.field:
        where(Person.field == criteria.field)
    if criteria.degree in DEGREES:
        where(Person.degree == criteria.degree)
    if criteria.academic_title == NO_TITLE:
        where(Person.academic_title == "")
    elif criteria.academic_title in ACADEMIC_TITLES and criteria.academic_title:
        where(Person.academic_title == criteria.academic_title)
    if criteria.organisation_id:
        where(Person.organisation_id == criteria.organisation_id)
    if criteria.gender in GENDERS:
        where(Person.gender == criteria.gender)
    if criteria.ethnicity == MINORITIES:
        where(Person.ethnicity != MAJORITY_ETHNICITY)
    elif criteria.ethnicity in ETHNICITIES:
        where(Person.ethnicity == criteria.ethnicity)
    if criteria.age_band in AGE_BANDS:
        born_after, born_by = birth_date_range(criteria.age_band, today)
        where(Person.date_of_birth > born_after)
        where(Person.date_of_birth <= born_by)
    if criteria.honoured == YES:
        where(honoured_condition())
    elif criteria.honoured == NO:
        where(~honoured_condition())
    if criteria.overseas in (YES, NO):
        where(Person.is_overseas.is_(criteria.overseas == YES))
    return conditions


def _listed(conditions: list) -> Select:
    """The person records meeting `conditions`, with their organisation, for a page of the list."""
    return select(Person).options(joinedload(Person.organisation)).where(*conditions)


def search_query(criteria: PersonFilter, today: date | None = None) -> Select:
    """Live person records matching every filter given, in Vietnamese name order."""
    return _listed(search_conditions(criteria, today)).order_by(Person.sort_key, Person.id)


@dataclass
class SearchResults:
    page: object  # a core.pagination.Page of Person
    honoured_years: dict[int, list[int]]
    in_pool: set[int]
    capped: bool = False  # more matches than COUNT_CAP: page.total is the cap, the page says "more than"
    estimated_total: int | None = None  # PostgreSQL's estimate of all records, when the count was capped
    name_order: bool = True  # False: more than PLAN_CAP matches of a filtered search, newest records first

    @property
    def plan_cap_label(self) -> str:
        return f"{PLAN_CAP:,}".replace(",", ".")

    @property
    def total_label(self) -> str:
        if self.capped:
            return _("hơn %(num)s", num=f"{COUNT_CAP:,}".replace(",", "."))
        return f"{self.page.total:,}".replace(",", ".")


# Counting every match on every page view is what made the list slow at 100,000 records: the count stops here
# (and so do the pages: MAX_PAGES of PER_PAGE; a narrower search reaches the rest), so a page costs the same at any
# size. Unfiltered, PostgreSQL's own estimate of the table (pg_class.reltuples) says roughly how many there are.
MAX_PAGES = 200
COUNT_CAP = MAX_PAGES * PER_PAGE
# A filtered search with at most this many matches sorts them by name (_few_matches): as many as its pages reach.
PLAN_CAP = COUNT_CAP


def capped_count(conditions: list, cap: int | None = None) -> int:
    """min(number of records meeting `conditions`, cap + 1), reading at most cap + 1 of them."""
    cap = COUNT_CAP if cap is None else cap
    limited = select(Person.id).where(*conditions).limit(cap + 1).subquery()
    return db.session.scalar(select(func.count()).select_from(limited))


def estimated_people() -> int | None:
    """PostgreSQL's estimate of the person table's rows (tombstones included; refreshed by autovacuum)."""
    if db.session.get_bind().dialect.name != "postgresql":
        return None
    estimate = db.session.scalar(text("SELECT reltuples::bigint FROM pg_class WHERE relname = 'person'"))
    return int(estimate) if estimate and estimate > 0 else None


def search(criteria: PersonFilter, page: int = 1) -> SearchResults:
    """A page of the search, with the honoured years and pool membership of the persons shown: four statements
    whatever the number of records (a fifth, PostgreSQL's estimate, when an unfiltered count reaches the cap).

    In Vietnamese name order, except a filtered search with more than PLAN_CAP matches: newest records first
    (see _few_matches; the page says so)."""
    page = min(max(1, page), MAX_PAGES)
    today = clock.now().date()
    conditions = search_conditions(criteria, today)
    offset = (page - 1) * PER_PAGE
    name_order = True
    if criteria == PersonFilter():  # everyone: the name order's index gives any page at once
        total = capped_count(conditions)
        items = list(db.session.scalars(search_query(criteria, today).limit(PER_PAGE).offset(offset)))
    else:
        total, ids = _few_matches(conditions, offset)
        if ids is not None:
            found = {person.id: person for person in db.session.scalars(_listed([Person.id.in_(ids)]))}
            items = [found[person_id] for person_id in ids]
        else:
            name_order = False
            items = list(db.session.scalars(
                _listed(conditions).order_by(Person.id.desc()).limit(PER_PAGE).offset(offset)))
    capped = total > COUNT_CAP
    ids = [person.id for person in items]
    estimate = estimated_people() if capped and criteria == PersonFilter() else None
    return SearchResults(Page(page, PER_PAGE, min(total, COUNT_CAP), items), honoured_years(ids), active_in_pool(ids),
                         capped, estimate, name_order)


def _few_matches(conditions: list, offset: int) -> tuple[int, list[int] | None]:
    """A filtered search's matches counted up to PLAN_CAP + 1, and, when there are no more than PLAN_CAP, the ids
    of the page at `offset` in name order: one statement (None instead of the ids when there are more).

    Left to itself, PostgreSQL walks the sort-key index until it has a page of matches: quick when the matches are
    everywhere in the name order, slow when they gather in one part of it, and the sort key starts with the given
    name: "nhung" walks past every An, Bình... Hùng (55 ms at 150,000 records), women aged 45-54 past every man
    called Anh, Bình... (190 ms at 1,000,000). Here the matches are found through their own indexes (the trigram
    index for a name), counted and sorted in one pass: a few thousand narrow rows, 10-15 ms for 5,000. Sorting
    more costs more (140-200 ms for 50,000): beyond PLAN_CAP the caller walks the primary key instead, newest first,
    where matches come as often as they occur."""
    matches = select(Person.id, Person.sort_key).where(*conditions).limit(PLAN_CAP + 1).subquery()
    counted = select(matches.c.id, matches.c.sort_key, func.count().over().label("total")).subquery()
    rows = db.session.execute(select(counted.c.id, counted.c.total).order_by(counted.c.sort_key, counted.c.id)
                              .limit(PER_PAGE).offset(offset)).all()
    if not rows:  # no match, or a page past the last one
        total = capped_count(conditions, PLAN_CAP) if offset else 0
        return total, [] if total <= PLAN_CAP else None
    total = rows[0].total
    return total, [row.id for row in rows] if total <= PLAN_CAP else None


# The distinct fields, read off the field index one value at a time (a loose index scan): a few index lookups
# instead of reading every record, however many records share each field.
DISTINCT_FIELDS = text("""
    WITH RECURSIVE used(name) AS (
        SELECT MIN(field) FROM person WHERE field > ''
        UNION ALL
        SELECT (SELECT MIN(field) FROM person WHERE field > used.name) FROM used WHERE used.name IS NOT NULL
    )
    SELECT name FROM used WHERE name IS NOT NULL
""")


def field_choices() -> list[str]:
    """The standard fields plus any other field name a round gave a person, sorted as Vietnamese text."""
    used = db.session.scalars(DISTINCT_FIELDS).all()
    return sorted(set(FIELDS) | set(used), key=lambda name: (fold(name), name))


def honoured_years(person_ids=None) -> dict[int, list[int]]:
    """{person id: [years honoured, ascending]} for the given ids (None: everyone honoured), in one query."""
    query = (select(Dossier.person_id, Round.year).join(Round, Round.id == Dossier.round_id)
             .where(Dossier.state == states.PUBLISHED, Round.published_at.is_not(None))
             .distinct().order_by(Round.year))
    if person_ids is not None:
        if not person_ids:
            return {}
        query = query.where(Dossier.person_id.in_(list(person_ids)))
    rows = db.session.execute(query).all()
    years: dict[int, list[int]] = {}
    for person_id, year in rows:
        years.setdefault(person_id, []).append(year)
    return years


def active_in_pool(person_ids=None) -> set[int]:
    """The ids among `person_ids` (None: everyone) with an active talent-pool entry, in one query."""
    query = select(PoolEntry.person_id).where(PoolEntry.status == ACTIVE)
    if person_ids is not None:
        if not person_ids:
            return set()
        query = query.where(PoolEntry.person_id.in_(list(person_ids)))
    return set(db.session.scalars(query))


def link_counts(person_ids) -> dict[int, tuple[int, int]]:
    """{person id: (dossiers, referrals)} in two queries: what a merge would move."""
    if not person_ids:
        return {}
    ids = list(person_ids)
    dossiers = dict(db.session.execute(
        select(Dossier.person_id, func.count(Dossier.id)).where(Dossier.person_id.in_(ids)).group_by(Dossier.person_id)
    ).all())
    referrals = dict(db.session.execute(
        select(Referral.person_id, func.count(Referral.id)).where(Referral.person_id.in_(ids))
        .group_by(Referral.person_id)
    ).all())
    return {i: (dossiers.get(i, 0), referrals.get(i, 0)) for i in ids}


# ---------------------------------------------------------------- profile

def resolve(person: Person) -> Person:
    """The live record a (possibly merged) record stands for. Merging re-points earlier tombstones, so this is one
    step; the bound only guards against a cycle written by hand."""
    for _step in range(10):
        if person.merged_into_id is None:
            return person
        person = db.session.get(Person, person.merged_into_id)
    raise RuntimeError("person merge chain too long")


# Audit actions on person records.
ACTION_LABELS = {"update": _l("Sửa thông tin"), "accept_change": _l("Chấp nhận đề xuất thay đổi"),
                 "merge": _l("Gộp hồ sơ trùng vào hồ sơ này"), "merged_into": _l("Gộp vào hồ sơ khác")}


@dataclass
class Profile:
    person: Person
    dossiers: list[Dossier]
    referrals: list[Referral]
    pool_entry: PoolEntry | None
    merged_from: list[Person]
    possible_duplicates: list[Person]
    history: list[AuditEntry]

    @property
    def honours(self) -> list[Dossier]:
        return [d for d in self.dossiers if is_honour(d)]


def is_honour(dossier: Dossier) -> bool:
    return dossier.state == states.PUBLISHED and dossier.round.published_at is not None


def profile(person: Person) -> Profile:
    """Everything the profile page shows, in a fixed number of queries whatever the number of links."""
    dossiers = db.session.scalars(
        select(Dossier).join(Round, Round.id == Dossier.round_id)
        .options(contains_eager(Dossier.round), joinedload(Dossier.field), joinedload(Dossier.organisation))
        .where(Dossier.person_id == person.id).order_by(Round.year.desc(), Dossier.id.desc())
    ).all()
    referrals = db.session.scalars(
        select(Referral).options(joinedload(Referral.organisation), joinedload(Referral.pool_entry))
        .where(Referral.person_id == person.id).order_by(Referral.id.desc())
    ).all()
    pool_entry = db.session.scalar(select(PoolEntry).where(PoolEntry.person_id == person.id))
    merged_from = db.session.scalars(
        select(Person).where(Person.merged_into_id == person.id).order_by(Person.id)
    ).all()
    duplicates = db.session.scalars(
        select(Person).where(Person.name_folded == person.name_folded, Person.date_of_birth == person.date_of_birth,
                             Person.id != person.id, Person.merged_into_id.is_(None)).order_by(Person.id)
    ).all()
    history = db.session.scalars(
        select(AuditEntry).options(joinedload(AuditEntry.actor))
        .where(AuditEntry.entity_type == "person",
               AuditEntry.entity_id.in_([person.id, *(p.id for p in merged_from)]))
        .order_by(AuditEntry.at, AuditEntry.id)
    ).all()
    return Profile(person, list(dossiers), list(referrals), pool_entry, list(merged_from), list(duplicates),
                   list(history))


# ---------------------------------------------------------------- corrections

@dataclass(kw_only=True)
class PersonData(ProfileData):
    """The secretariat's correction of a record: the profile, the field and expertise, the consent."""

    field: str = ""
    expertise: str = ""
    consent_national_db: bool = False
    citizen_id: str | None = None  # số định danh cá nhân: 12 digits, or unknown


# The fields a correction may change, in the order its audit entry lists them.
EDITABLE = ("full_name", "gender", "date_of_birth", "ethnicity", "hometown", "workplace", "position",
            "academic_title", "degree", "field", "expertise", "email", "phone", "is_overseas", "consent_national_db",
            "citizen_id")
# Labels of the record's fields: the edit form and the audit entries of corrections.
LABELS = {
    **PROFILE_LABELS, "field": _l("Lĩnh vực"), "expertise": _l("Chuyên môn, lĩnh vực sâu"),
    "consent_national_db": _l("Đồng ý cung cấp thông tin liên hệ cho Hệ thống cơ sở dữ liệu quốc gia về trí thức"),
    "citizen_id": _l("Số định danh cá nhân"),
}
# Never written into the audit log (the administrator reads it too): a change says only that it changed.
UNLOGGED_VALUES = frozenset({"citizen_id"})


def _validate(data: PersonData) -> None:
    refuse_first(profile_problems(data, _("Vui lòng nhập họ và tên."), degree_optional=True))
    if data.citizen_id is not None and not (len(data.citizen_id) == 12 and data.citizen_id.isdigit()):
        raise RuleViolation(_("Số định danh cá nhân gồm đúng 12 chữ số."))


def _shown(value) -> str:
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return value or "—"


@operation
def update_profile(actor, person: Person, data: PersonData, expected_version: int | None = None) -> list[str]:
    """The secretariat corrects a record (what nominations and referrals brought may be wrong or outdated).
    Returns the names of the changed fields; audited with old and new values."""
    ensure_secretariat(actor)
    if person.merged_into_id is not None:
        raise RuleViolation(_("Hồ sơ này đã được gộp vào hồ sơ khác, không thể sửa."))
    check_version(person, expected_version)
    data.full_name = " ".join((data.full_name or "").split())
    for name in ("hometown", "workplace", "position", "field", "expertise", "email", "phone"):
        setattr(data, name, (getattr(data, name) or "").strip())
    data.citizen_id = "".join((data.citizen_id or "").split()) or None
    _validate(data)
    changed = [name for name in EDITABLE if getattr(person, name) != getattr(data, name)]
    if not changed:
        return []
    hidden = _("đã thay đổi")
    reason = "; ".join(f"{LABELS[name]}: {hidden}" if name in UNLOGGED_VALUES else
                       f"{LABELS[name]}: {_shown(getattr(person, name))} → {_shown(getattr(data, name))}"
                       for name in changed)
    for name in changed:
        setattr(person, name, getattr(data, name))
    person.name_folded = fold(person.full_name)
    person.sort_key = name_sort_key(person.full_name)
    touch(person)
    audit.record(actor, "person", person.id, "update", reason=reason)
    db.session.flush()
    return changed
