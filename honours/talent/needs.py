"""Needs (nhu cầu / đặt hàng) posted by departments or the secretariat, suggestions from the pool, matches and
their outcomes."""
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from honours.core import audit, clock, roles
from honours.core.audit import AuditEntry
from honours.core.concurrency import check_version
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.core.reference import FIELDS
from honours.core.roles import ensure_secretariat
from honours.core.text import fold
from honours.core.transactions import operation

from .access import can_manage_need, can_post_need
from .keywords import matched_keywords, split_keywords
from .models import ACTIVE, CLOSED, NOT_SUITABLE, OPEN, RECORDED_OUTCOMES, NeedMatch, PoolEntry, TalentNeed
from .workflows import NEED, NEED_MATCH

FIELD_WEIGHT = 10  # a field match outweighs any realistic number of shared keywords
SUGGESTION_LIMIT = 50
NEED_ENTITY, MATCH_ENTITY = NEED.entity_type, NEED_MATCH.entity_type


@dataclass
class NeedData:
    title: str
    field: str
    deadline: date
    expertise_keywords: str = ""
    description: str = ""


@dataclass
class NeedFilter:
    status: str | None = None


@dataclass
class Suggestion:
    entry: PoolEntry
    score: int
    field_match: bool
    keywords: list[str]  # the need's keywords this entry offers


# ---------------------------------------------------------------- queries

def needs_query(user, criteria: NeedFilter) -> Select:
    """The secretariat sees every need, a department its own. Open needs first, nearest deadline first."""
    query = select(TalentNeed).options(joinedload(TalentNeed.organisation), selectinload(TalentNeed.matches))
    if user.role != roles.SECRETARIAT:
        query = query.where(TalentNeed.organisation_id == user.organisation_id)
    if criteria.status in (OPEN, CLOSED):
        query = query.where(TalentNeed.status == criteria.status)
    return query.order_by((TalentNeed.status == OPEN).desc(), TalentNeed.deadline, TalentNeed.id)


def load_need(need_id: int) -> TalentNeed | None:
    return db.session.scalar(
        select(TalentNeed).where(TalentNeed.id == need_id).options(
            joinedload(TalentNeed.organisation), joinedload(TalentNeed.posted_by),
            selectinload(TalentNeed.matches).joinedload(NeedMatch.entry).joinedload(PoolEntry.person),
        )
    )


def match_history(need: TalentNeed) -> dict[int, list[AuditEntry]]:
    """Each match's outcome changes, in one query."""
    ids = [m.id for m in need.matches]
    history: dict[int, list[AuditEntry]] = {i: [] for i in ids}
    if ids:
        for entry in db.session.scalars(
            select(AuditEntry).options(joinedload(AuditEntry.actor))
            .where(AuditEntry.entity_type == MATCH_ENTITY, AuditEntry.entity_id.in_(ids))
            .order_by(AuditEntry.at, AuditEntry.id)
        ):
            history[entry.entity_id].append(entry)
    return history


def suggestions(need: TalentNeed, limit: int = SUGGESTION_LIMIT) -> list[Suggestion]:
    """Active pool members ranked for a need: FIELD_WEIGHT for the same field plus one per need keyword they
    offer; ties in name order. Members already matched to the need are left out, and so is whoever scores 0.
    One query whatever the pool size (ranked in Python)."""
    matched = {m.entry_id for m in need.matches}
    entries = db.session.scalars(
        select(PoolEntry).join(PoolEntry.person).options(contains_eager(PoolEntry.person))
        .where(PoolEntry.status == ACTIVE)
    ).all()
    wanted, field = split_keywords(need.expertise_keywords), fold(need.field)
    ranked = []
    for entry in entries:
        if entry.id in matched:
            continue
        field_match = fold(entry.field) == field
        keywords = matched_keywords(wanted, entry.expertise_keywords)
        score = (FIELD_WEIGHT if field_match else 0) + len(keywords)
        if score:
            ranked.append(Suggestion(entry, score, field_match, keywords))
    ranked.sort(key=lambda s: (-s.score, s.entry.person.sort_key, s.entry.id))
    return ranked[:limit]


# ---------------------------------------------------------------- posting

@operation
def save_need(user, data: NeedData, need: TalentNeed | None = None,
              expected_version: int | None = None) -> TalentNeed:
    if need is None:
        if not can_post_need(user):
            raise RuleViolation(_("Chỉ Ban thư ký và các sở, ngành mới được đăng nhu cầu."))
    else:
        _check_manageable(user, need, expected_version)
    _validate(data, need)
    posted = need is None
    if posted:
        need = TalentNeed(posted_by_id=user.id, status=OPEN, created_at=clock.now(),
                          organisation_id=None if user.role == roles.SECRETARIAT else user.organisation_id)
        db.session.add(need)
    need.title = " ".join(data.title.split())
    need.field = data.field
    need.expertise_keywords = ", ".join(split_keywords(data.expertise_keywords))
    need.description = (data.description or "").strip()
    need.deadline = data.deadline
    db.session.flush()
    audit.record(user, NEED_ENTITY, need.id, "post" if posted else "edit", "", need.status)
    db.session.flush()
    return need


@operation
def close_need(user, need: TalentNeed, expected_version: int | None = None) -> None:
    _check_manageable(user, need, expected_version)
    NEED.apply(user, need, "close")
    db.session.flush()


def _check_manageable(user, need: TalentNeed, expected_version: int | None) -> None:
    if not can_manage_need(user, need):
        raise RuleViolation(_("Bạn không có quyền thay đổi nhu cầu này."))
    check_version(need, expected_version)
    if need.status != OPEN:
        raise RuleViolation(_("Nhu cầu này đã đóng."))


def _validate(data: NeedData, need: TalentNeed | None) -> None:
    if not (data.title or "").strip():
        raise RuleViolation(_("Vui lòng nhập tên nhu cầu, nhiệm vụ."))
    if data.field not in FIELDS:
        raise RuleViolation(_("Lĩnh vực không có trong danh mục."))
    if data.deadline is None:
        raise RuleViolation(_("Vui lòng nhập thời hạn."))
    # An existing need may keep the deadline it has; a new or moved deadline cannot be in the past.
    if data.deadline < clock.now().date() and (need is None or data.deadline != need.deadline):
        raise RuleViolation(_("Thời hạn không được ở trong quá khứ."))


# ---------------------------------------------------------------- matching

@operation
def propose(user, need: TalentNeed, entry: PoolEntry, note: str = "") -> NeedMatch:
    """The secretariat proposes a pool member for a need."""
    ensure_secretariat(user)
    if need.status != OPEN:
        raise RuleViolation(_("Nhu cầu này đã đóng."))
    if entry.status != ACTIVE:
        raise RuleViolation(_("Người này không còn trong nguồn nhân tài."))
    if any(m.entry_id == entry.id for m in need.matches):
        raise RuleViolation(_("%(name)s đã được đề xuất cho nhu cầu này.", name=entry.person.full_name)) from None
    match = NeedMatch(need=need, entry=entry, note=(note or "").strip(), created_by_id=user.id,
                      created_at=clock.now(), outcome_at=clock.now())
    db.session.add(match)
    try:
        db.session.flush()
    except IntegrityError:  # proposed at the same moment from another tab
        db.session.rollback()
        raise RuleViolation(_("%(name)s đã được đề xuất cho nhu cầu này.", name=entry.person.full_name)) from None
    audit.record(user, MATCH_ENTITY, match.id, "propose", "", match.outcome, match.note)
    db.session.flush()
    return match


@operation
def record_outcome(user, match: NeedMatch, outcome: str, note: str = "",
                   expected_version: int | None = None) -> None:
    ensure_secretariat(user)
    check_version(match, expected_version)
    if outcome not in RECORDED_OUTCOMES:
        raise RuleViolation(_("Kết quả không hợp lệ."))
    note = (note or "").strip()
    if outcome == NOT_SUITABLE and not note:
        raise RuleViolation(_("Vui lòng ghi rõ vì sao không phù hợp."))
    if outcome == match.outcome and note == match.note:
        raise RuleViolation(_("Kết quả không thay đổi."))
    NEED_MATCH.apply(user, match, f"record_{outcome}", note)
    match.note, match.outcome_at = note, clock.now()
    db.session.flush()
