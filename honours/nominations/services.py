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
from honours.core.reference import ACHIEVEMENT_KINDS, ATTACHMENT_KINDS
from honours.core.storage import attach_file, detach_file
from honours.core.text import fold
from honours.core.transactions import operation
from honours.nominations.access import can_edit_dossier
from honours.organisations.models import Organisation
from honours.people import linking as people
from honours.rounds.models import EligibilityRule, Round

from . import states
from .models import Achievement, Attachment, Dossier, DossierSubmission, DuplicateCheck
from .signals import check_reopened, deciding, dossier_submitted

NOMINEE_FIELDS = (*PROFILE_FIELDS, "merits_summary")
# Asked by some rounds' eligibility rules (honours.selection): optional, kept out of the frozen snapshot's core.
OPTIONAL_NOMINEE_FIELDS = ("years_in_province",)
# The shortest merits summary a dossier may be submitted with (a line like "Nhiều thành tích." says nothing the
# council can weigh).
MIN_SUMMARY_CHARS = 40
PORTRAIT = "photo"
PORTRAIT_TYPES = ("image/jpeg", "image/png")
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
    years_in_province: int | None = None
    merits_summary: str = ""
    achievements: list[AchievementData] = field(default_factory=list)


# ---------------------------------------------------------------- queries

def open_rounds(at: datetime | None = None) -> list[Round]:
    at = at or clock.now()
    return list(db.session.scalars(
        select(Round).where(Round.nominations_open_at <= at, Round.nominations_close_at >= at)
        .order_by(Round.nominations_close_at)
    ))


# The organisation's list filtered to one of its to-dos (the home page links here with ?show=).
ORGANISATION_VIEWS = ("draft", "returned", "overdue")


def organisation_dossiers(organisation_id: int, show: str = "", at: datetime | None = None):
    """The organisation's dossiers, newest work first; `show` narrows them to the drafts of rounds open now, the
    dossiers returned for supplement, or those whose supplement deadline has passed."""
    at = at or clock.now()
    query = select(Dossier).where(Dossier.organisation_id == organisation_id)
    if show == "draft":
        query = query.join(Round, Round.id == Dossier.round_id).where(
            Dossier.state == states.DRAFT, Round.nominations_open_at <= at, Round.nominations_close_at >= at)
    elif show == "returned":
        query = query.where(Dossier.state == states.RETURNED)
    elif show == "overdue":
        query = query.where(Dossier.state == states.RETURNED, Dossier.supplement_deadline < at)
    return query.order_by(Dossier.nominator_updated_at.desc(), Dossier.id.desc())


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
    return (Dossier.round_id == round_id, Dossier.organisation_id != organisation_id,
            Dossier.state.not_in(states.NOT_COUNTED))


def count_counted_towards_limit(organisation_id: int, round_id: int) -> int:
    """The organisation's dossiers in the round that use its nomination limit: submitted ones, whatever became of
    them, except those it withdrew (drafts are not nominations yet)."""
    return db.session.scalar(
        select(func.count(Dossier.id)).where(
            Dossier.organisation_id == organisation_id, Dossier.round_id == round_id,
            Dossier.state.not_in(states.NOT_COUNTED),
        )
    )


@dataclass(frozen=True)
class Quota:
    """How many of its places in a round an organisation has used: "used/limit" (limit None: no limit)."""

    used: int
    limit: int | None

    @property
    def full(self) -> bool:
        return self.limit is not None and self.used >= self.limit

    def __str__(self) -> str:
        return f"{self.used}/{self.limit}" if self.limit is not None else str(self.used)


MAX_PER_ORGANISATION = "max_per_organisation"  # the round's eligibility rule (honours.selection.rules)


def round_limits(round_ids) -> dict[int, int]:
    """The nominees-per-organisation limit each round's eligibility rule sets (rounds without one: absent)."""
    rules = db.session.execute(select(EligibilityRule.round_id, EligibilityRule.params).where(
        EligibilityRule.round_id.in_(list(round_ids)), EligibilityRule.kind == MAX_PER_ORGANISATION)).all()
    return {round_id: params["limit"] for round_id, params in rules if (params or {}).get("limit") is not None}


def effective_limit(organisation_limit: int | None, round_limit: int | None) -> int | None:
    """The organisation's own limit (today's rule), tightened by the round's rule when it sets one."""
    limits = [limit for limit in (organisation_limit, round_limit) if limit is not None]
    return min(limits) if limits else None


def quota(organisation: Organisation, round_id: int) -> Quota:
    limit = effective_limit(organisation.nomination_limit, round_limits([round_id]).get(round_id))
    return Quota(count_counted_towards_limit(organisation.id, round_id), limit)


def quotas(organisation: Organisation, round_ids) -> dict[int, Quota]:
    """The quota of each round at once (one query), for pages listing several rounds."""
    round_ids = list(round_ids)
    if not round_ids:
        return {}
    used = dict(db.session.execute(
        select(Dossier.round_id, func.count(Dossier.id)).where(
            Dossier.organisation_id == organisation.id, Dossier.round_id.in_(round_ids),
            Dossier.state.not_in(states.NOT_COUNTED)).group_by(Dossier.round_id)).all())
    limits = round_limits(round_ids)
    return {round_id: Quota(used.get(round_id, 0), effective_limit(organisation.nomination_limit,
                                                                    limits.get(round_id)))
            for round_id in round_ids}


def quota_full_message(quota_: Quota) -> str:
    return _("Đơn vị đã dùng hết số hồ sơ được đề cử trong đợt này (%(quota)s): không thể lập hoặc nộp thêm hồ sơ. "
             "Một hồ sơ được rút trước khi thẩm định sẽ trả lại suất đề cử.", quota=str(quota_))


def check_may_start_dossier(user, round_: Round) -> None:
    """A new dossier is refused up front when the organisation has no place left in the round (not after the
    whole form: the submission would be refused anyway)."""
    if user.role != roles.NOMINATOR or user.organisation_id is None:
        raise RuleViolation(_("Chỉ tài khoản của đơn vị đề cử mới được lập hồ sơ."))
    _check_accepting(round_)
    organisation = db.session.get(Organisation, user.organisation_id)
    used = quota(organisation, round_.id)
    if used.full:
        raise RuleViolation(quota_full_message(used))


def missing_for_submission(dossier: Dossier) -> list[str]:
    """Everything that keeps the dossier from being complete, all at once: the page lists it before the
    submit dialog, and submit() refuses with the same list."""
    missing = []
    summary = (dossier.merits_summary or "").strip()
    if not summary:
        missing.append(_("Tóm tắt thành tích: chưa nhập (cần ít nhất %(min)s ký tự).", min=MIN_SUMMARY_CHARS))
    elif len(summary) < MIN_SUMMARY_CHARS:
        missing.append(_("Tóm tắt thành tích quá ngắn: %(length)s ký tự, cần ít nhất %(min)s ký tự.",
                         length=len(summary), min=MIN_SUMMARY_CHARS))
    if not dossier.achievements:
        missing.append(_("Thành tích: cần ít nhất một thành tích (loại, năm, tên)."))
    current = dossier.current_attachments
    kinds = {a.kind for a in current}
    for kind in dossier.round.required_kinds:
        if kind not in kinds:
            missing.append(_("Tệp đính kèm \"%(kind)s\": chưa có.", kind=ATTACHMENT_KINDS.get(kind, kind)))
    if not current and not dossier.round.required_kinds:
        missing.append(_("Tệp đính kèm: cần ít nhất một tệp (lý lịch, minh chứng hoặc công văn đề cử)."))
    if any(a.kind == PORTRAIT and a.content_type not in PORTRAIT_TYPES for a in current):
        missing.append(_("Ảnh chân dung phải là tệp ảnh JPEG hoặc PNG."))
    return missing


def submission_blockers(dossier: Dossier) -> list[str]:
    """Why the dossier page's submit button is disabled: what is missing, no place left, a deadline passed."""
    blockers = missing_for_submission(dossier)
    if dossier.state == states.DRAFT:
        try:
            _check_accepting(dossier.round)
        except RuleViolation as error:
            blockers.append(error.message)
        used = quota(dossier.organisation, dossier.round_id)
        if used.full:
            blockers.append(quota_full_message(used))
    else:
        try:
            _check_supplement_deadline(dossier)
        except RuleViolation as error:
            blockers.append(error.message)
    return blockers


# ---------------------------------------------------------------- editing

@operation
def save_dossier(user, round_: Round, data: DossierData, dossier: Dossier | None = None,
                 expected_version: int | None = None) -> Dossier:
    """Create a draft, or update a draft/returned dossier."""
    if user.role != roles.NOMINATOR or user.organisation_id is None:
        raise RuleViolation(_("Chỉ tài khoản của đơn vị đề cử mới được lập hồ sơ."))
    if dossier is None:
        check_may_start_dossier(user, round_)
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
    values = {name: getattr(data, name) for name in (*NOMINEE_FIELDS, *OPTIONAL_NOMINEE_FIELDS)}
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
    if data.years_in_province is not None and not (0 <= data.years_in_province <= 100):
        problems.append(("years_in_province", _("Số năm sinh sống, công tác tại tỉnh phải từ 0 đến 100.")))
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
    missing = missing_for_submission(dossier)
    if missing:
        raise RuleViolation(_("Hồ sơ chưa đủ để nộp, còn thiếu: %(items)s", items=" ".join(
            f"({number}) {item}" for number, item in enumerate(missing, start=1))))
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
    dossier_submitted.send(dossier, actor=user)
    return find_duplicates(dossier)


def _check_organisation_limit(dossier: Dossier) -> None:
    # Locked until commit, so two submissions at once cannot both squeeze under the limit.
    organisation = lock_row(Organisation, dossier.organisation_id, "nomination_limit")
    used = quota(organisation, dossier.round_id)
    if used.full:
        raise RuleViolation(quota_full_message(used))


@operation
def withdraw(user, dossier: Dossier, reason: str = "", expected_version: int | None = None, *,
             confirmed: bool = False) -> None:
    """The organisation takes back a submitted dossier before the secretariat's check starts (the workflow's
    guard): it is not checked, no longer counts towards the organisation's limit, and cannot be submitted again.
    The reason is optional: the organisation owes none, but the secretariat reads it when one is given."""
    if not (user.role == roles.NOMINATOR and dossier.organisation_id == user.organisation_id):
        raise RuleViolation(_("Bạn không thể rút hồ sơ này."))
    check_version(dossier, expected_version)
    if dossier.state not in states.AWAITING_CHECK:
        raise RuleViolation(_("Chỉ có thể rút hồ sơ đã nộp và đang chờ thẩm định."))
    reason = (reason or "").strip()
    if len(reason) > 2000:
        raise RuleViolation(_("Lý do rút hồ sơ tối đa %(max)d ký tự.", max=2000))
    states.DOSSIER.check(user, dossier, "withdraw", reason)
    ensure_confirmed(confirmed, _(
        "Rút hồ sơ đề cử %(name)s khỏi %(round)s. Hồ sơ sẽ không được thẩm định, không thể nộp lại và suất đề cử "
        "được trả lại cho đơn vị. Không thể hoàn tác.", name=dossier.full_name, round=dossier.round.name))
    apply_transition(user, dossier, "withdraw", reason)
    dossier.last_reason = reason
    _notify_organisation(dossier, "withdraw")
    db.session.flush()


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
    deciding.send(dossier, actor=user, action=action)
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
    data = {name: getattr(dossier, name) for name in (*NOMINEE_FIELDS, *OPTIONAL_NOMINEE_FIELDS)}
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
    if kind == PORTRAIT:
        _check_portrait(stream)
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


def _check_portrait(stream) -> None:
    """A portrait is a photo: JPEG or PNG by its first bytes (storage.sniff), whatever the file is called."""
    head = stream.read(16)
    stream.seek(0)
    if storage.sniff(head) not in PORTRAIT_TYPES:
        raise RuleViolation(_("Ảnh chân dung phải là tệp ảnh JPEG hoặc PNG."))


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
