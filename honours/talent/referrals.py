"""Referral rules: the organisation's drafts, attachments and submission; the secretariat's screening.

Referrals are a continuous channel (no round, no deadline). Accepting one links it to its person record and puts
that person in the talent pool (see pool.add_referral)."""
from dataclasses import dataclass

from flask import render_template
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from honours.core import clock, roles
from honours.core import storage as storage
from honours.core.concurrency import check_version
from honours.core.confirm import ensure_confirmed
from honours.core.db import db, touch
from honours.core.errors import RuleViolation
from honours.core.profile import PROFILE_FIELDS, ProfileData, profile_problems, refuse_first
from honours.core.reference import AVAILABILITY, FIELDS
from honours.core.storage import attach_file, detach_file
from honours.core.text import fold, like_pattern
from honours.core.transactions import operation
from honours.core.workflow import Message
from honours.people import linking as people

from . import pool
from .access import can_edit_referral
from .models import ACCEPTED, DECLINED, DRAFT, SUBMITTED, PoolEntry, Referral, ReferralAttachment
from .signals import referral_submitted
from .workflows import REFERRAL

REFERRAL_FIELDS = (*PROFILE_FIELDS, "consent_national_db", "field", "expertise_keywords", "proposed_role",
                   "availability", "justification")
# Screening decisions the secretariat can take on a submitted referral, and the state each leads to.
SCREENING = {"accept": ACCEPTED, "decline": DECLINED}


@dataclass(kw_only=True)
class ReferralData(ProfileData):
    """What the referring organisation fills in: the profile, the consent, and what the person could do. Validated
    again here, whatever the form did."""

    field: str
    consent_national_db: bool = False
    expertise_keywords: str = ""
    proposed_role: str = ""
    availability: str = "part_time"
    justification: str = ""


@dataclass
class ReferralFilter:
    q: str = ""
    state: str | None = None
    field: str | None = None


# ---------------------------------------------------------------- queries

def organisation_query(organisation_id: int, criteria: ReferralFilter) -> Select:
    """The organisation's own referrals, latest change first."""
    query = select(Referral).where(Referral.organisation_id == organisation_id)
    return _filtered(query, criteria).order_by(Referral.updated_at.desc(), Referral.id.desc())


def inbox_query(criteria: ReferralFilter) -> Select:
    """Submitted referrals of every organisation: those waiting for screening first, oldest first."""
    query = select(Referral).options(joinedload(Referral.organisation)).where(Referral.state != DRAFT)
    waiting_first = (Referral.state == SUBMITTED).desc()
    return _filtered(query, criteria).order_by(waiting_first, Referral.submitted_at, Referral.id)


def _filtered(query: Select, criteria: ReferralFilter) -> Select:
    if criteria.q.strip():
        query = query.where(Referral.name_folded.like(like_pattern(criteria.q), escape="\\"))
    if criteria.state:
        query = query.where(Referral.state == criteria.state)
    if criteria.field:
        query = query.where(Referral.field == criteria.field)
    return query


def pool_entry_of_same_person(referral: Referral) -> PoolEntry | None:
    """The pool entry the referral would join on acceptance (same person: exact name and date of birth)."""
    if referral.pool_entry_id:
        return referral.pool_entry
    person = referral.person if referral.person_id else people.find_exact(referral.full_name, referral.date_of_birth)
    if person is None:
        return None
    return db.session.scalar(select(PoolEntry).where(PoolEntry.person_id == person.id))


# ---------------------------------------------------------------- editing

@operation
def save_referral(user, data: ReferralData, referral: Referral | None = None,
                  expected_version: int | None = None) -> Referral:
    """Create a draft, or update one. Commits."""
    if user.role != roles.NOMINATOR or user.organisation_id is None:
        raise RuleViolation(_("Chỉ tài khoản của đơn vị mới được lập phiếu tiến cử."))
    if referral is not None:
        _check_editable(user, referral, expected_version)
    _validate(data)
    if referral is None:
        referral = Referral(organisation_id=user.organisation_id, created_by_id=user.id, state=DRAFT)
        db.session.add(referral)
    for name in REFERRAL_FIELDS:
        value = getattr(data, name)
        setattr(referral, name, value.strip() if isinstance(value, str) else value)
    referral.full_name = " ".join(data.full_name.split())
    referral.name_folded = fold(data.full_name)
    touch(referral)
    db.session.flush()
    return referral


@operation
def delete_draft(user, referral: Referral, expected_version: int | None = None, *, confirmed: bool = False) -> None:
    """Delete a draft referral with its files, once the nominator has confirmed: nothing of it can be recovered."""
    _check_editable(user, referral, expected_version)
    ensure_confirmed(confirmed, ngettext(
        "Xoá hẳn phiếu tiến cử nháp của %(name)s cùng %(num)d tệp đính kèm. Không thể khôi phục sau khi xoá.",
        "Xoá hẳn phiếu tiến cử nháp của %(name)s cùng %(num)d tệp đính kèm. Không thể khôi phục sau khi xoá.",
        len(referral.attachments), name=referral.full_name))
    for attachment in referral.attachments:
        storage.remove_when_committed(attachment.stored_name)
    db.session.delete(referral)
    db.session.flush()


def _validate(data: ReferralData) -> None:
    field = [] if data.field in FIELDS else [("field", _("Lĩnh vực không có trong danh mục."))]
    availability = [] if data.availability in AVAILABILITY else [("availability", _("Khả năng tham gia không hợp lệ."))]
    refuse_first(profile_problems(data, _("Vui lòng nhập họ và tên người được tiến cử."),
                                  after_name=field, before_birth=availability))


def _check_editable(user, referral: Referral, expected_version: int | None) -> None:
    if not can_edit_referral(user, referral):
        raise RuleViolation(_("Chỉ có thể sửa, xoá hoặc nộp phiếu tiến cử ở trạng thái nháp."))
    check_version(referral, expected_version)


# ---------------------------------------------------------------- attachments

@operation
def add_attachment(user, referral: Referral, stream, filename: str, kind: str) -> ReferralAttachment:
    _check_editable(user, referral, None)
    return attach_file(user, referral, ReferralAttachment, stream, filename, kind,
                       _("Phiếu tiến cử đã dùng hết dung lượng tệp đính kèm cho phép."))


@operation
def delete_attachment(user, attachment: ReferralAttachment) -> None:
    _check_editable(user, attachment.referral, None)
    detach_file(attachment.referral, attachment)


# ---------------------------------------------------------------- workflow

@operation
def submit(user, referral: Referral, expected_version: int | None = None) -> None:
    _check_editable(user, referral, expected_version)
    REFERRAL.apply(user, referral, "submit", messages=_organisation_messages(referral, "submit"))
    referral.submitted_at = clock.now()
    db.session.flush()
    referral_submitted.send(referral, actor=user)


@operation
def screen(user, referral: Referral, decision: str, reason: str = "",
           expected_version: int | None = None) -> PoolEntry | None:
    """The secretariat accepts a submitted referral into the talent pool, or declines it with a reason.
    Returns the pool entry on acceptance."""
    if user.role != roles.SECRETARIAT:
        raise RuleViolation(_("Chỉ Ban thư ký mới được sàng lọc phiếu tiến cử."))
    if decision not in SCREENING:
        raise RuleViolation(_("Thao tác không hợp lệ."))
    check_version(referral, expected_version)
    if referral.state != SUBMITTED:
        raise RuleViolation(_("Phiếu tiến cử này đã được sàng lọc (%(state)s).", state=referral.state_label))
    reason = (reason or "").strip()
    if decision == "decline" and not reason:
        raise RuleViolation(_("Vui lòng nêu lý do không tiếp nhận."))
    referral.decline_reason = reason if decision == "decline" else ""  # the organisation's email says why
    REFERRAL.apply(user, referral, decision, reason, messages=_organisation_messages(referral, decision))
    referral.screened_at = clock.now()
    referral.screened_by_id = user.id
    entry = None
    if decision == "accept":
        people.link(referral, field=referral.field, expertise=referral.expertise_keywords,
                    consent=referral.consent_national_db, actor=user)
        entry = pool.add_referral(user, referral)
    try:
        db.session.flush()
    except IntegrityError:  # the same person accepted at the same moment through another referral
        db.session.rollback()
        raise RuleViolation(_("Người này vừa được đưa vào nguồn nhân tài qua phiếu khác. Vui lòng thử lại.")) from None
    return entry


def _organisation_messages(referral: Referral, event: str) -> list[Message]:
    """The referring organisation and the account that drafted the referral hear of each step."""
    recipients = {referral.organisation.email, referral.created_by.email} - {""}
    subject = render_template("email/referral_subject.txt", referral=referral, event=event).strip()
    body = render_template("email/referral_event.txt", referral=referral, event=event)
    return [Message(recipient, subject, body) for recipient in sorted(recipients)]
