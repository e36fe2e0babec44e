"""Duplicates and merging: records that may be one person, side by side, and the merge that moves every link
to the survivor and leaves the other record as a tombstone.

Links are moved with set-based UPDATEs, so a person with hundreds of nominations merges in the same few
statements; both rows are locked first, so two secretaries merging at once cannot split the links.
"""
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select, tuple_, update
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import flag_modified

from honours.core import audit
from honours.core.concurrency import stale_message
from honours.core.db import db, lock_row, touch
from honours.core.errors import RuleViolation, StaleEdit
from honours.core.pagination import Page
from honours.core.roles import ensure_secretariat
from honours.core.text import fold
from honours.core.transactions import operation
from honours.nominations.models import Dossier
from honours.people.models import Person, PersonChangeProposal
from honours.talent.models import ACTIVE, NeedMatch, PoolEntry, PoolReview, Referral
from honours.talent.needs import MATCH_ENTITY
from honours.talent.workflows import POOL_ENTRY

from .services import MAX_PAGES, PER_PAGE, active_in_pool, honoured_years, link_counts

PERSON_MERGED = audit.Reason("directory.person_merged", audit.N_(
    "Gộp hồ sơ #%(other)s (%(name)s, sinh ngày %(dob)s) vào hồ sơ #%(survivor)s: %(dossiers)s hồ sơ đề cử, "
    "%(referrals)s phiếu tiến cử được chuyển."))
MATCH_MERGED = audit.Reason("directory.match_merged", audit.N_("Gộp đề xuất #%(id)s của hồ sơ trùng."))
ENTRY_MERGED = audit.Reason("directory.pool_entry_merged", audit.N_("Gộp mục #%(id)s của hồ sơ trùng vào mục này."))

# Filled on the survivor from the other record when the survivor has nothing.
FILLED_FIELDS = ("hometown", "workplace", "position", "academic_title", "degree", "field", "expertise", "email",
                 "phone", "citizen_id")
POOL_TEXT_FIELDS = ("expertise_keywords", "proposed_role", "notes")


# ---------------------------------------------------------------- duplicates

@dataclass
class DuplicateGroup:
    persons: list[Person]
    counts: dict[int, tuple[int, int]]


def duplicate_groups(page: int = 1, per_page: int = PER_PAGE) -> Page:
    """Live records sharing the folded name and the date of birth ("Nguyen Van A" and "Nguyễn Văn A", born the
    same day): only the secretariat can tell a duplicate from a namesake. Blocking on ix_person_live_identity
    (live records only, so PostgreSQL reads the groups from the index alone): the groups are read in its order
    (folded name, birth date), so a page stops reading once it has its groups, and nothing counts them all; the
    page knows only whether another follows. Three or four statements per page at any size."""
    page = min(max(1, page), MAX_PAGES)
    keys = (
        select(Person.name_folded, Person.date_of_birth).where(Person.merged_into_id.is_(None))
        .group_by(Person.name_folded, Person.date_of_birth).having(func.count() > 1)  # count(*): no column to fetch
    )
    page_keys = db.session.execute(
        keys.order_by(Person.name_folded, Person.date_of_birth).limit(per_page + 1).offset((page - 1) * per_page)
    ).all()
    more = len(page_keys) > per_page and page < MAX_PAGES
    page_keys = page_keys[:per_page]
    seen = (page - 1) * per_page + len(page_keys) + (1 if more else 0)  # enough for "next page" and no more
    if not page_keys:
        return Page(page, per_page, seen, [])
    persons = db.session.scalars(
        select(Person).options(joinedload(Person.organisation))
        .where(Person.merged_into_id.is_(None),
               tuple_(Person.name_folded, Person.date_of_birth).in_([tuple(k) for k in page_keys]))
        .order_by(Person.id)
    ).all()
    counts = link_counts([p.id for p in persons])
    groups = []
    for name_folded, born in page_keys:
        members = [p for p in persons if p.name_folded == name_folded and p.date_of_birth == born]
        groups.append(DuplicateGroup(members, {p.id: counts[p.id] for p in members}))
    return Page(page, per_page, seen, groups)


@dataclass
class Comparison:
    """Two records side by side on the merge screen, with what each one is linked to."""

    persons: tuple[Person, Person]
    links: dict[int, tuple[int, int]]
    honoured_years: dict[int, list[int]]
    in_pool: set[int]

    @property
    def suggested_survivor(self) -> Person:
        """The record to keep unless the secretariat says otherwise: the honoured one, then the one with more
        links, then a name typed with diacritics, then the older record."""
        def weight(person: Person):
            dossiers, referrals = self.links[person.id]
            has_diacritics = person.full_name.lower() != fold(person.full_name)
            return person.id in self.honoured_years, dossiers + referrals, has_diacritics, -person.id

        return max(self.persons, key=weight)


def compare(first: Person, second: Person) -> Comparison:
    ids = [first.id, second.id]
    return Comparison((first, second), link_counts(ids), honoured_years(ids), active_in_pool(ids))


# ---------------------------------------------------------------- merging

@operation
def merge(actor, survivor_id: int, other_id: int, expected_versions: dict[int, int] | None = None) -> Person:
    """Merge record `other_id` into `survivor_id` in one transaction: nominations (and with them honours),
    referrals, the talent-pool entry with its reviews and matches, records merged earlier into the other one.
    The survivor keeps its own data and takes the other's where it has none. Commits; returns the survivor."""
    ensure_secretariat(actor)
    if survivor_id == other_id:
        raise RuleViolation(_("Không thể gộp một hồ sơ với chính nó."))
    # A fixed lock order (lower id first): two merges of the same pair in opposite directions cannot deadlock.
    locked = {person_id: lock_row(Person, person_id, "merged_into_id") for person_id in sorted((survivor_id, other_id))}
    survivor, other = locked[survivor_id], locked[other_id]
    if survivor is None or other is None:
        raise RuleViolation(_("Không tìm thấy hồ sơ cần gộp."))
    if survivor.merged_into_id is not None or other.merged_into_id is not None:
        raise RuleViolation(_("Một trong hai hồ sơ đã được gộp trước đó; vui lòng tải lại trang."))
    for person in (survivor, other):
        expected = (expected_versions or {}).get(person.id)
        if expected is not None and expected != person.version:
            raise StaleEdit(stale_message())

    moved_dossiers = _repoint(Dossier, other.id, survivor.id)
    moved_referrals = _repoint(Referral, other.id, survivor.id)
    _merge_pool_entries(actor, survivor, other)
    _repoint(Person, other.id, survivor.id, column="merged_into_id")  # earlier tombstones of the other record
    _repoint(PersonChangeProposal, other.id, survivor.id)  # still pending ones are decided on the survivor

    for name in FILLED_FIELDS:
        if not getattr(survivor, name) and getattr(other, name):
            setattr(survivor, name, getattr(other, name))
    if survivor.organisation_id is None:
        survivor.organisation_id = other.organisation_id
    survivor.consent_national_db = survivor.consent_national_db or other.consent_national_db
    touch(survivor)
    other.merged_into_id = survivor.id
    touch(other)

    reason = PERSON_MERGED(other=other.id, name=other.full_name, dob=other.date_of_birth.strftime("%d/%m/%Y"),
                           survivor=survivor.id, dossiers=moved_dossiers, referrals=moved_referrals)
    audit.record(actor, "person", survivor.id, "merge", reason=reason)
    audit.record(actor, "person", other.id, "merged_into", reason=reason)
    db.session.flush()
    return survivor


def _repoint(model, old_id: int, new_id: int, column: str = "person_id") -> int:
    """Move every row of `model` from one person to the other; no per-row work, whatever the number of rows."""
    result = db.session.execute(
        update(model).where(getattr(model, column) == old_id).values({column: new_id})
        .execution_options(synchronize_session="fetch")
    )
    return result.rowcount


def _merge_pool_entries(actor, survivor: Person, other: Person) -> None:
    """person_id is unique in the pool: with one entry it simply moves; with two, the survivor's entry takes the
    other's referrals, periodic reviews and need matches, and the emptied entry goes."""
    entries = {e.person_id: e for e in db.session.scalars(
        select(PoolEntry).where(PoolEntry.person_id.in_((survivor.id, other.id))).with_for_update()
    )}
    kept, dropped = entries.get(survivor.id), entries.get(other.id)
    if dropped is None:
        return
    if kept is None:
        dropped.person_id = survivor.id
        return
    _repoint(Referral, dropped.id, kept.id, column="pool_entry_id")
    _repoint(PoolReview, dropped.id, kept.id, column="entry_id")
    # One match per need and entry: where both were proposed for the same need, the survivor's match stays and
    # the other's note is kept on it.
    kept_matches = {m.need_id: m for m in db.session.scalars(select(NeedMatch).where(NeedMatch.entry_id == kept.id))}
    for match in db.session.scalars(select(NeedMatch).where(NeedMatch.entry_id == dropped.id)).all():
        twin = kept_matches.get(match.need_id)
        if twin is None:
            match.entry_id = kept.id
            continue
        if match.note and match.note not in twin.note:
            twin.note = "\n".join(part for part in (twin.note, match.note) if part)
        audit.record(actor, MATCH_ENTITY, twin.id, "merge_duplicate", match.outcome, twin.outcome,
                     MATCH_MERGED(id=match.id))
        db.session.delete(match)
    for name in POOL_TEXT_FIELDS:
        if not getattr(kept, name) and getattr(dropped, name):
            setattr(kept, name, getattr(dropped, name))
    if kept.status == ACTIVE:
        step = "merge_duplicate"
    elif dropped.status == ACTIVE:  # still in the pool through the other record
        step = "merge_duplicate_active"
        kept.retired_at, kept.next_review_on = None, dropped.next_review_on
    else:
        step = "merge_duplicate_retired"
    flag_modified(kept, "notes")  # bumps the entry's version: a form opened before the merge is refused
    POOL_ENTRY.apply(actor, kept, step, ENTRY_MERGED(id=dropped.id))
    db.session.flush()
    db.session.expire(dropped)  # its reviews and referrals now belong to `kept`: the delete must not cascade
    db.session.delete(dropped)
