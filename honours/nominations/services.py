"""Nomination rules: drafts, submission, eligibility decisions, attachments. No request objects here."""
import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app, render_template
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import delete, func, select

from honours.core import audit, clock, roles, storage
from honours.core.concurrency import check_version
from honours.core.confirm import ensure_confirmed
from honours.core.db import db, lock_row, touch
from honours.core.errors import RuleViolation
from honours.core.i18n import format_datetime
from honours.core.outbox import services as outbox
from honours.core.profile import PROFILE_FIELDS, ProfileData, profile_problems, refuse_first
from honours.core.reference import ACHIEVEMENT_KINDS
from honours.core.storage import attach_file, detach_file
from honours.core.text import fold
from honours.core.transactions import operation
from honours.nominations.access import can_edit_dossier
from honours.organisations.models import Organisation
from honours.people import linking as people
from honours.rounds.models import Round

from . import states
from .models import Achievement, Attachment, Dossier, DossierSubmission, DuplicateCheck
from .signals import check_reopened

NOMINEE_FIELDS = (*PROFILE_FIELDS, "merits_summary")
ATTACHMENT_REPLACED = audit.Reason("nominations.attachment_replaced",
                                   audit.N_("Thay tệp đã nộp \"%(old)s\" bằng tệp \"%(new)s\"."))


@dataclass
class AchievementData:
    kind: str
    year: int
    title: str
    details: str = ""


@dataclass(kw_only=True)
class DossierData(ProfileData):
    """What a nominator fills in: the nominee's profile, the round field and the merits. Validated again here,
    whatever the form did."""

    field_id: int
    merits_summary: str = ""
    achievements: list[AchievementData] = field(default_factory=list)


# ---------------------------------------------------------------- queries

def open_rounds(at: datetime | None = None) -> list[Round]:
    at = at or clock.now()
    return list(db.session.scalars(
        select(Round).where(Round.nominations_open_at <= at, Round.nominations_close_at >= at)
        .order_by(Round.nominations_close_at)
    ))


def find_duplicates(dossier: Dossier) -> list[Dossier]:
    """The same person (folded name + date of birth) nominated in this round by another organisation."""
    return list(db.session.scalars(
        select(Dossier).where(
            *duplicate_conditions(dossier.round_id, dossier.organisation_id),
            Dossier.name_folded == dossier.name_folded,
            Dossier.date_of_birth == dossier.date_of_birth,
        )
    ))


CHECK_WINDOW = timedelta(days=1)


def duplicate_notice(user, dossier: Dossier) -> bool | None:
    """What the nominator is told after saving or submitting: whether the person may already be nominated by
    another organisation (never who, nor what they entered), or None when the account has checked more different
    persons than DUPLICATE_CHECKS_PER_DAY in the last 24 hours. Checking the same person again costs nothing.
    Records the check (a POST's transaction commits it). A minimal per-account counter: a shared rate limiter in
    honours.core would replace it."""
    now = clock.now()
    since = now - CHECK_WINDOW
    identity = hashlib.sha256(
        f"{dossier.round_id}|{dossier.name_folded}|{dossier.date_of_birth.isoformat()}".encode()).hexdigest()
    checked = set(db.session.scalars(select(DuplicateCheck.identity).where(
        DuplicateCheck.user_id == user.id, DuplicateCheck.at >= since)))
    if identity not in checked:
        if len(checked) >= current_app.config["DUPLICATE_CHECKS_PER_DAY"]:
            return None
        db.session.execute(delete(DuplicateCheck).where(DuplicateCheck.user_id == user.id,
                                                        DuplicateCheck.at < since))
        db.session.add(DuplicateCheck(user_id=user.id, identity=identity, at=now))
    return bool(find_duplicates(dossier))


def duplicate_conditions(round_id: int, organisation_id: int) -> tuple:
    """Dossiers that make a nomination a duplicate when they name the same person: this round, another
    organisation, not a draft. The Excel import applies the same rule to a whole file at once."""
    return (Dossier.round_id == round_id, Dossier.organisation_id != organisation_id, Dossier.state != states.DRAFT)


def count_counted_towards_limit(organisation_id: int, round_id: int) -> int:
    return db.session.scalar(
        select(func.count(Dossier.id)).where(
            Dossier.organisation_id == organisation_id, Dossier.round_id == round_id,
            Dossier.state != states.DRAFT,
        )
    )


# ---------------------------------------------------------------- editing

@operation
def save_dossier(user, round_: Round, data: DossierData, dossier: Dossier | None = None,
                 expected_version: int | None = None) -> Dossier:
    """Create a draft, or update a draft/returned dossier."""
    if user.role != roles.NOMINATOR or user.organisation_id is None:
        raise RuleViolation(_("Chỉ tài khoản của đơn vị đề cử mới được lập hồ sơ."))
    if dossier is None:
        _check_accepting(round_)
    else:
        _check_editable(user, dossier, expected_version)
    refuse_first(nominee_problems(round_, data))
    if dossier is None:
        dossier = Dossier(round_id=round_.id, organisation_id=user.organisation_id, created_by_id=user.id,
                          state=states.DRAFT)
        db.session.add(dossier)
    for name, value in nominee_values(data).items():
        setattr(dossier, name, value)
    touch(dossier)
    dossier.nominator_updated_at = dossier.updated_at
    dossier.achievements = [
        Achievement(kind=a.kind, year=a.year, title=a.title.strip(), details=a.details.strip(), position=i)
        for i, a in enumerate(data.achievements)
    ]
    db.session.flush()
    return dossier


def nominee_values(data: DossierData) -> dict:
    """Dossier column values for validated nominee data (the Excel import inserts its drafts in bulk from these)."""
    values = {name: getattr(data, name) for name in NOMINEE_FIELDS}
    values.update(full_name=" ".join(data.full_name.split()), name_folded=fold(data.full_name),
                  field_id=data.field_id)
    return values


@operation
def delete_draft(user, dossier: Dossier, expected_version: int | None = None, *, confirmed: bool = False) -> None:
    """Delete a draft with its files, once the nominator has confirmed: nothing of it can be recovered."""
    if not (can_edit_dossier(user, dossier) and dossier.state == states.DRAFT):
        raise RuleViolation(_("Chỉ có thể xoá hồ sơ ở trạng thái nháp."))
    check_version(dossier, expected_version)
    ensure_confirmed(confirmed, ngettext(
        "Xoá hẳn hồ sơ nháp của %(name)s cùng %(num)d tệp đính kèm. Không thể khôi phục sau khi xoá.",
        "Xoá hẳn hồ sơ nháp của %(name)s cùng %(num)d tệp đính kèm. Không thể khôi phục sau khi xoá.",
        len(dossier.attachments), name=dossier.full_name))
    for attachment in dossier.attachments:
        storage.remove_when_committed(attachment.stored_name)
    db.session.delete(dossier)
    db.session.flush()


def nominee_problems(round_: Round, data: DossierData) -> list[tuple[str, str]]:
    """Every broken rule as (DossierData attribute, message): the form shows the first, the Excel import
    reports each one against its column."""
    in_round = data.field_id in {f.id for f in round_.fields}
    field = [] if in_round else [("field_id", _("Lĩnh vực không thuộc đợt xét này."))]
    problems = profile_problems(data, _("Vui lòng nhập họ và tên người được đề cử."), after_name=field)
    today = clock.now().date()
    for achievement in data.achievements:
        if achievement.kind not in ACHIEVEMENT_KINDS:
            problems.append(("achievements", _("Loại thành tích không hợp lệ.")))
        if not (1900 <= achievement.year <= today.year):
            problems.append(("achievements", _("Năm của thành tích phải từ 1900 đến %(year)s.", year=today.year)))
    return problems


def _check_accepting(round_: Round) -> None:
    now = clock.now()
    if now < round_.nominations_open_at:
        raise RuleViolation(_("Đợt xét chưa mở nhận hồ sơ (mở từ %(at)s).",
                              at=format_datetime(round_.nominations_open_at)))
    if now > round_.nominations_close_at:
        raise RuleViolation(_("Đã hết hạn nộp hồ sơ (hạn chót %(at)s).",
                              at=format_datetime(round_.nominations_close_at)))


def _check_supplement_deadline(dossier: Dossier) -> None:
    deadline = dossier.supplement_deadline
    if deadline and clock.now() > deadline:
        raise RuleViolation(_("Đã hết hạn nộp bổ sung hồ sơ (hạn chót %(at)s).", at=format_datetime(deadline)))


def _check_editable(user, dossier: Dossier, expected_version: int | None) -> None:
    if not can_edit_dossier(user, dossier):
        raise RuleViolation(_("Hồ sơ đã nộp không thể chỉnh sửa (trừ khi được yêu cầu bổ sung)."))
    check_version(dossier, expected_version)
    if dossier.state == states.DRAFT:
        _check_accepting(dossier.round)
    else:
        _check_supplement_deadline(dossier)


# ---------------------------------------------------------------- workflow

def apply_transition(user, dossier: Dossier, action: str, reason: str = "") -> None:
    """Move the dossier through its workflow (role, source state, reason checked; audited in the same transaction).
    Only the steps the nominating organisation is told of change the time it sees."""
    states.DOSSIER.apply(user, dossier, action, reason)
    if action in states.NOMINATOR_ACTIONS:
        dossier.nominator_updated_at = dossier.updated_at


@operation
def submit(user, dossier: Dossier, expected_version: int | None = None) -> list[Dossier]:
    """Submit (or resubmit after a return). Returns possible duplicates from other organisations."""
    if not can_edit_dossier(user, dossier):
        raise RuleViolation(_("Bạn không thể nộp hồ sơ này."))
    check_version(dossier, expected_version)
    resubmission = dossier.state == states.RETURNED
    if resubmission:
        _check_supplement_deadline(dossier)
    else:
        _check_accepting(dossier.round)
        _check_organisation_limit(dossier)
    if not dossier.current_attachments:
        raise RuleViolation(_("Hồ sơ cần ít nhất một tệp đính kèm (lý lịch, minh chứng hoặc công văn đề cử)."))
    if not dossier.merits_summary.strip():
        raise RuleViolation(_("Vui lòng nhập tóm tắt thành tích trước khi nộp."))
    apply_transition(user, dossier, "resubmit" if resubmission else "submit")
    people.link(dossier, field=dossier.field.name, actor=user)
    dossier.submission_count += 1
    dossier.submitted_at = clock.now()
    for attachment in dossier.current_attachments:  # from now on part of a submission: never deleted
        if attachment.submitted_in is None:
            attachment.submitted_in = dossier.submission_count
    db.session.add(DossierSubmission(dossier=dossier, number=dossier.submission_count, submitted_by_id=user.id,
                                     submitted_at=dossier.submitted_at, snapshot=snapshot(dossier)))
    _notify_organisation(dossier, "submitted")
    db.session.flush()
    return find_duplicates(dossier)


def _check_organisation_limit(dossier: Dossier) -> None:
    # Locked until commit, so two submissions at once cannot both squeeze under the limit.
    organisation = lock_row(Organisation, dossier.organisation_id, "nomination_limit")
    limit = organisation.nomination_limit
    if limit is not None and count_counted_towards_limit(organisation.id, dossier.round_id) >= limit:
        raise RuleViolation(_("Đơn vị đã nộp đủ %(limit)s hồ sơ cho phép trong đợt này.", limit=limit))


DECISIONS = ("mark_eligible", "return", "mark_ineligible")


@operation
def decide(user, dossier: Dossier, action: str, reason: str = "", expected_version: int | None = None,
           supplement_deadline: datetime | None = None, *, confirmed: bool = False) -> None:
    """Secretariat eligibility decision: mark_eligible, mark_ineligible or return (for supplement). Every rule is
    checked first; then, until `confirmed`, ConfirmationNeeded says what the decision will do."""
    if action not in DECISIONS:
        raise RuleViolation(_("Vui lòng chọn kết luận thẩm định."))
    check_version(dossier, expected_version)
    if action == "return" and (supplement_deadline is None or supplement_deadline <= clock.now()):
        raise RuleViolation(_("Hạn nộp bổ sung phải sau thời điểm hiện tại."))
    states.DOSSIER.check(user, dossier, action, reason)
    ensure_confirmed(confirmed, decision_consequence(dossier, action, supplement_deadline))
    if action == "return":
        dossier.supplement_deadline = supplement_deadline
    apply_transition(user, dossier, action, reason)
    dossier.last_reason = reason.strip() if action != "mark_eligible" else ""
    _notify_organisation(dossier, action)
    db.session.flush()


def decision_consequence(dossier: Dossier, action: str, supplement_deadline: datetime | None = None) -> str:
    if action == "mark_eligible":
        return _("Ghi nhận hồ sơ %(name)s là hợp lệ: hồ sơ chuyển sang bước phân công chấm điểm và đơn vị đề cử "
                 "được thông báo.", name=dossier.full_name)
    if action == "return":
        return _("Trả hồ sơ %(name)s về đơn vị đề cử để bổ sung: đơn vị được thông báo lý do qua email và phải nộp "
                 "lại trước %(deadline)s.", name=dossier.full_name, deadline=format_datetime(supplement_deadline))
    return _("Kết luận hồ sơ %(name)s không hợp lệ: đây là kết luận cuối cùng, hồ sơ không thể nộp lại; đơn vị đề "
             "cử được thông báo lý do.", name=dossier.full_name)


@operation
def reopen_check(user, dossier: Dossier, reason: str, expected_version: int | None = None, *,
                 confirmed: bool = False) -> None:
    """Send an eligible dossier back to the eligibility check (the secretariat's own correction), while no reviewer
    has submitted a sheet (the transition's guard). Audited with the reason; the nominator is not notified: it is
    internal back-and-forth. Its reviewer assignments and their draft sheets go (reviews, through the signal)."""
    check_version(dossier, expected_version)
    action = _reopen_action(dossier)
    states.DOSSIER.check(user, dossier, action, reason)
    ensure_confirmed(confirmed, _(
        "Đưa hồ sơ %(name)s về bước thẩm định: hồ sơ không còn ở bước chấm điểm, các phân công chấm và phiếu nháp "
        "chưa nộp (nếu có) bị gỡ. Đơn vị đề cử không được thông báo.", name=dossier.full_name))
    apply_transition(user, dossier, action, reason)
    check_reopened.send(dossier, actor=user, reason=reason.strip())
    db.session.flush()


def _reopen_action(dossier: Dossier) -> str:
    return "reopen_check_resubmitted" if dossier.submission_count > 1 else "reopen_check"


def check_reopen(user, dossier: Dossier) -> None:
    """Whether the dossier may go back to the check now, before the reason is asked (the page that asks it)."""
    transition = states.DOSSIER.permitted(user, _reopen_action(dossier))
    if dossier.state not in transition.sources:
        raise RuleViolation(_("Chỉ có thể đưa về bước thẩm định hồ sơ hợp lệ chưa có phiếu chấm nào được nộp."))
    transition.guard(user, dossier)


def _notify_organisation(dossier: Dossier, event: str) -> None:
    recipients = {dossier.organisation.email, dossier.created_by.email} - {""}
    subject = render_template("email/dossier_subject.txt", dossier=dossier, event=event).strip()
    body = render_template("email/dossier_event.txt", dossier=dossier, event=event)
    for recipient in sorted(recipients):
        outbox.enqueue(recipient, subject, body)


def snapshot(dossier: Dossier) -> dict:
    data = {name: getattr(dossier, name) for name in NOMINEE_FIELDS}
    data["date_of_birth"] = dossier.date_of_birth.isoformat()
    data["field"] = dossier.field.name if dossier.field else ""
    data["achievements"] = [
        {"kind": a.kind, "year": a.year, "title": a.title, "details": a.details} for a in dossier.achievements
    ]
    data["attachments"] = [  # the id resolves to the very file: submitted files are never deleted
        {"id": a.id, "name": a.original_name, "kind": a.kind, "size": a.size, "sha256": a.sha256}
        for a in dossier.current_attachments
    ]
    return data


# ---------------------------------------------------------------- attachments

@operation
def add_attachment(user, dossier: Dossier, stream, filename: str, kind: str,
                   replaces_id: int | None = None) -> Attachment:
    """Upload a file; after a return it may supersede one that was submitted (`replaces_id`), which is kept."""
    _check_editable(user, dossier, None)
    replaced = None
    if replaces_id is not None:
        replaced = next((a for a in dossier.current_attachments if a.id == replaces_id and a.is_locked), None)
        if replaced is None:
            raise RuleViolation(_("Tệp cần thay thế không còn trong hồ sơ hoặc chưa được nộp; vui lòng tải lại "
                                  "trang."))
    attachment = attach_file(user, dossier, Attachment, stream, filename, kind,
                             _("Hồ sơ đã dùng hết dung lượng tệp đính kèm cho phép."), replacing=replaced is not None)
    if replaced is not None:
        replaced.superseded_by_id = attachment.id
        audit.record(user, "dossier", dossier.id, "replace_attachment", dossier.state, dossier.state,
                     ATTACHMENT_REPLACED(old=replaced.original_name, new=attachment.original_name))
        db.session.flush()
    dossier.nominator_updated_at = dossier.updated_at
    return attachment


@operation
def delete_attachment(user, attachment: Attachment) -> None:
    """Only a file uploaded since the last submission can be deleted (one that replaced a submitted file gives
    that file back its place)."""
    dossier = attachment.dossier
    _check_editable(user, dossier, None)
    if attachment.is_locked:
        raise RuleViolation(_("Tệp \"%(name)s\" đã được nộp kèm hồ sơ (lần %(n)s) nên không thể xoá. Để cập nhật, "
                              "hãy tải lên tệp mới và chọn thay thế tệp này.",
                              name=attachment.original_name, n=attachment.submitted_in))
    for replaced in dossier.attachments:
        if replaced.superseded_by_id == attachment.id:
            replaced.superseded_by_id = None
    db.session.flush()
    detach_file(dossier, attachment)
    dossier.nominator_updated_at = dossier.updated_at
