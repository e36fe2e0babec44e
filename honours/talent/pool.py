"""The talent pool (nguồn nhân tài): entries made from accepted referrals, and their periodic screening."""
import calendar
from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload
from sqlalchemy.orm.attributes import flag_modified

from honours.core import audit, clock
from honours.core.concurrency import check_version
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.core.reference import AVAILABILITY, FIELDS
from honours.core.roles import ensure_secretariat
from honours.core.text import like_pattern
from honours.core.transactions import operation
from honours.people.models import Person

from .keywords import merge_keywords, split_keywords
from .models import ACTIVE, KEEP, RETIRE, RETIRED, UPDATE, NeedMatch, PoolEntry, PoolReview, Referral, TalentNeed
from .workflows import POOL_ENTRY

# What a periodic review may change on an entry ("update"), in the order the history lists them.
REVIEWED_FIELDS = ("field", "expertise_keywords", "proposed_role", "availability", "notes")
ENTITY = POOL_ENTRY.entity_type
ACTION_LABELS = {
    "add": _l("Đưa vào nguồn nhân tài"),
    "merge": _l("Thêm phiếu tiến cử"),
    "reactivate": _l("Đưa trở lại nguồn nhân tài"),
    "review_keep": _l("Sàng lọc định kỳ: giữ nguyên"),
    "review_update": _l("Sàng lọc định kỳ: cập nhật"),
    "review_retire": _l("Sàng lọc định kỳ: rút khỏi nguồn"),
}
# Labels of the reviewed fields in the history of changes.
FIELD_LABELS = {
    "field": _l("Lĩnh vực"),
    "expertise_keywords": _l("Từ khoá chuyên môn"),
    "proposed_role": _l("Vị trí, nhiệm vụ đề xuất"),
    "availability": _l("Khả năng tham gia"),
    "notes": _l("Ghi chú"),
}


@dataclass
class ReviewData:
    decision: str
    note: str = ""
    next_review_on: date | None = None
    field: str = ""
    expertise_keywords: str = ""
    proposed_role: str = ""
    availability: str = ""
    notes: str = ""


@dataclass
class PoolFilter:
    q: str = ""
    field: str | None = None
    status: str | None = ACTIVE


def add_months(day: date, months: int) -> date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def default_next_review(today: date | None = None) -> date:
    return add_months(today or clock.now().date(), current_app.config["TALENT_REVIEW_MONTHS"])


# ---------------------------------------------------------------- queries

def pool_query(criteria: PoolFilter) -> Select:
    """Entries with their person (one query), in Vietnamese name order."""
    query = select(PoolEntry).join(PoolEntry.person).options(contains_eager(PoolEntry.person))
    if criteria.status in (ACTIVE, RETIRED):
        query = query.where(PoolEntry.status == criteria.status)
    if criteria.field:
        query = query.where(PoolEntry.field == criteria.field)
    if criteria.q.strip():
        query = query.where(Person.name_folded.like(like_pattern(criteria.q), escape="\\"))
    return query.order_by(Person.sort_key, PoolEntry.id)


def overdue_query(today: date | None = None) -> Select:
    """Active entries whose periodic screening is past due, the longest overdue first."""
    today = today or clock.now().date()
    return (
        select(PoolEntry).join(PoolEntry.person).options(contains_eager(PoolEntry.person))
        .where(PoolEntry.status == ACTIVE, PoolEntry.next_review_on < today)
        .order_by(PoolEntry.next_review_on, Person.sort_key, PoolEntry.id)
    )


def load_entry(entry_id: int) -> PoolEntry | None:
    """An entry with everything its page shows."""
    return db.session.scalar(
        select(PoolEntry).where(PoolEntry.id == entry_id).options(
            joinedload(PoolEntry.person),
            selectinload(PoolEntry.referrals).joinedload(Referral.organisation),
            selectinload(PoolEntry.reviews).joinedload(PoolReview.reviewed_by),
        )
    )


def matches_of(entry: PoolEntry) -> list[NeedMatch]:
    return list(db.session.scalars(
        select(NeedMatch).options(joinedload(NeedMatch.need).joinedload(TalentNeed.organisation))
        .where(NeedMatch.entry_id == entry.id).order_by(NeedMatch.created_at.desc(), NeedMatch.id.desc())
    ))


# ---------------------------------------------------------------- entering the pool

def add_referral(user, referral: Referral) -> PoolEntry:
    """Put an accepted (and linked) referral's person in the pool, or join the entry they already have:
    keywords merged, a retired entry reactivated. Part of the screening operation that accepts it."""
    db.session.flush()  # a person record created by the linking needs its id
    entry = db.session.scalar(select(PoolEntry).where(PoolEntry.person_id == referral.person_id))
    if entry is None:
        entry = PoolEntry(person_id=referral.person_id, status=ACTIVE, field=referral.field,
                          expertise_keywords=merge_keywords("", referral.expertise_keywords),
                          proposed_role=referral.proposed_role, availability=referral.availability,
                          next_review_on=default_next_review(), added_by_id=user.id, added_at=clock.now())
        db.session.add(entry)
        db.session.flush()
        audit.record(user, ENTITY, entry.id, "add", "", ACTIVE, referral.organisation.name)
    else:
        entry.expertise_keywords = merge_keywords(entry.expertise_keywords, referral.expertise_keywords)
        entry.proposed_role = entry.proposed_role or referral.proposed_role
        if entry.status == RETIRED:
            POOL_ENTRY.apply(user, entry, "reactivate", referral.organisation.name)
            entry.retired_at = None
            entry.field, entry.availability = referral.field, referral.availability
            entry.next_review_on = default_next_review()
        else:
            POOL_ENTRY.apply(user, entry, "merge", referral.organisation.name)
    referral.pool_entry = entry
    return entry


# ---------------------------------------------------------------- periodic screening

@operation
def review(user, entry: PoolEntry, data: ReviewData, expected_version: int | None = None) -> PoolReview:
    """A periodic screening: keep (only the next date moves), update (what changed is recorded) or retire."""
    ensure_secretariat(user)
    check_version(entry, expected_version)
    if entry.status != ACTIVE:
        raise RuleViolation(_("Người này đã được rút khỏi nguồn nhân tài."))
    if data.decision not in (KEEP, UPDATE, RETIRE):
        raise RuleViolation(_("Kết luận sàng lọc không hợp lệ."))
    note = (data.note or "").strip()
    today = clock.now().date()
    changes, next_review_on = {}, None
    if data.decision == RETIRE:
        if not note:
            raise RuleViolation(_("Vui lòng nêu lý do rút khỏi nguồn nhân tài."))
    else:
        next_review_on = data.next_review_on or default_next_review(today)
        if next_review_on <= today:
            raise RuleViolation(_("Ngày sàng lọc lần sau phải sau ngày hôm nay."))
        if data.decision == UPDATE:
            changes = _changes(entry, data)
    POOL_ENTRY.apply(user, entry, f"review_{data.decision}", note)
    if data.decision == RETIRE:
        entry.retired_at = clock.now()
    else:
        for name, change in changes.items():
            setattr(entry, name, change[1])
        entry.next_review_on = next_review_on
    flag_modified(entry, "next_review_on")  # even an unchanged date bumps the version: stale forms are refused
    record = PoolReview(entry=entry, decision=data.decision, note=note, changes=changes,
                        next_review_on=next_review_on, reviewed_by_id=user.id, reviewed_at=clock.now())
    db.session.add(record)
    db.session.flush()
    return record


def _changes(entry: PoolEntry, data: ReviewData) -> dict:
    """{"field": [old, new], ...} for what an update changes; refuses an update that changes nothing."""
    if data.field not in FIELDS:
        raise RuleViolation(_("Lĩnh vực không có trong danh mục."))
    if data.availability not in AVAILABILITY:
        raise RuleViolation(_("Khả năng tham gia không hợp lệ."))
    wanted = {
        "field": data.field, "expertise_keywords": ", ".join(split_keywords(data.expertise_keywords)),
        "proposed_role": (data.proposed_role or "").strip(), "availability": data.availability,
        "notes": (data.notes or "").strip(),
    }
    changes = {name: [getattr(entry, name), wanted[name]] for name in REVIEWED_FIELDS
               if getattr(entry, name) != wanted[name]}
    if not changes:
        raise RuleViolation(_("Không có thông tin nào thay đổi; hãy chọn \"Giữ nguyên\" nếu không cần cập nhật."))
    return changes
