"""Public notice of the proposed list (công khai, lấy ý kiến) and the opinions sent on it.

After the chair confirmed the council's result, a round with notice_days > 0 is put on public notice by the
secretariat: the approved candidates are listed on /cong-khai/<round id> until notice_ends_at, and anyone may send
an opinion on one of them. The provincial decision (council) and the publication of the list are refused while the
period runs, before it was opened, and while any opinion is not concluded (`ensure_decision_allowed`).
"""
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from flask import current_app, render_template
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from honours.consent import services as consent
from honours.core import audit, clock
from honours.core import storage as files
from honours.core.confirm import ensure_confirmed
from honours.core.db import db, lock_row
from honours.core.errors import RuleViolation
from honours.core.i18n import format_datetime
from honours.core.roles import ensure_secretariat
from honours.core.text import name_sort_key
from honours.core.transactions import operation
from honours.core.workflow import Message
from honours.council.signals import decision_recording
from honours.nominations import states
from honours.nominations.models import Dossier
from honours.nominations.services import apply_transition
from honours.organisations.models import Organisation
from honours.rounds.models import COUNCIL_CONFIRMED, Round, RoundField

from .models import Opinion
from .workflows import OPEN, OPINION

ENTITY = "round"
MAX_NOTICE_DAYS = 90
LIMITS = {"sender_name": 200, "contact": 254, "content": 10_000}
NOTICE_OPENED = audit.Reason("notice.opened", audit.N_(
    "Công khai danh sách đề xuất %(count)s người trong %(days)s ngày, đến %(ends)s."))
SETTINGS_SAVED = audit.Reason("notice.settings", audit.N_(
    "Công khai danh sách đề xuất: %(notice_days)s ngày; nhận khiếu nại: %(complaint_days)s ngày."))
OPINION_RECEIVED = audit.Reason("notice.opinion_received", audit.N_("Nhận ý kiến số %(receipt)s."))


class OpinionRefused(RuleViolation):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


# ---------------------------------------------------------------- the period

def is_running(round_: Round, now: datetime | None = None) -> bool:
    now = now or clock.now()
    return (round_.notice_opened_at is not None and round_.notice_ends_at is not None
            and round_.notice_opened_at <= now < round_.notice_ends_at)


def unconcluded_count(round_id: int) -> int:
    return db.session.scalar(select(func.count(Opinion.id))
                             .where(Opinion.round_id == round_id, Opinion.state.in_(OPEN)))


def unconcluded_total() -> int:
    return db.session.scalar(select(func.count(Opinion.id)).where(Opinion.state.in_(OPEN)))


def decision_blockers(round_: Round) -> list[str]:
    """Why the notice stage keeps the provincial decision and the publication waiting (empty: it does not)."""
    if not round_.notice_days:
        return []
    if round_.notice_opened_at is None:
        return [_("Đợt xét quy định công khai danh sách đề xuất %(days)s ngày để lấy ý kiến; Ban thư ký chưa mở "
                  "thời gian công khai.", days=round_.notice_days)]
    reasons = []
    if is_running(round_):
        reasons.append(_("Danh sách đề xuất đang được công khai lấy ý kiến đến %(ends)s; chưa thể ghi nhận quyết "
                         "định hoặc công bố.", ends=format_datetime(round_.notice_ends_at)))
    open_count = unconcluded_count(round_.id)
    if open_count:
        reasons.append(_("Còn %(count)s ý kiến về danh sách công khai chưa có kết luận; Ban thư ký cần kết luận "
                         "từng ý kiến trước.", count=open_count))
    return reasons


def ensure_decision_allowed(round_: Round, actor=None) -> None:
    blockers = decision_blockers(round_)
    if blockers:
        raise RuleViolation(blockers[0])


@decision_recording.connect
def _refuse_decision_during_notice(round_, actor=None, **_kwargs) -> None:
    ensure_decision_allowed(round_, actor)


def may_open(round_: Round) -> str | None:
    """Why the notice cannot be opened now (None: it can)."""
    if not round_.notice_days:
        return _("Đợt xét không quy định thời gian công khai (0 ngày).")
    if round_.council_stage != COUNCIL_CONFIRMED:
        return _("Chỉ công khai sau khi Chủ tịch Hội đồng đã xác nhận kết quả.")
    if round_.notice_opened_at is not None:
        return _("Danh sách đề xuất đã được công khai từ %(at)s.", at=format_datetime(round_.notice_opened_at))
    if round_.published_at is not None:
        return _("Danh sách của đợt xét này đã được công bố.")
    return None


@operation
def open_notice(actor, round_: Round, *, confirmed: bool = False) -> datetime:
    """Start the public notice now, for the round's notice_days (asks for confirmation: the list becomes public).
    Returns its end."""
    ensure_secretariat(actor)
    round_ = lock_row(Round, round_.id, "notice_days")
    refusal = may_open(round_)
    if refusal:
        raise RuleViolation(refusal)
    now = clock.now()
    ensure_confirmed(confirmed, _(
        "Danh sách %(count)s người được Hội đồng đề xuất sẽ hiện trên trang công khai đến %(ends)s để mọi người gửi "
        "ý kiến. Trong thời gian này không thể ghi nhận quyết định hay công bố danh sách.",
        count=len(candidates(round_)), ends=format_datetime(now + timedelta(days=round_.notice_days))))
    round_.notice_opened_at = now
    round_.notice_ends_at = now + timedelta(days=round_.notice_days)
    count = len(candidates(round_))
    audit.record(actor, ENTITY, round_.id, "open_notice", "", "",
                 NOTICE_OPENED(count=count, days=round_.notice_days, ends=format_datetime(round_.notice_ends_at)))
    return round_.notice_ends_at


# ---------------------------------------------------------------- the public list

@dataclass(frozen=True)
class Candidate:
    dossier_id: int
    full_name: str
    academic_title: str
    degree: str
    workplace: str
    position: str
    field_name: str
    merits_summary: str


def consent_filter(candidate: Candidate, published: set[int]) -> Candidate:
    """What the nominee's publication consent (b) allows: everything listed, or, refused or withdrawn, only the
    name, the titles and the round's field (as the honoured list, honours.publication)."""
    if candidate.dossier_id in published:
        return candidate
    return replace(candidate, workplace="", position="", merits_summary="")


def candidates(round_: Round) -> list[Candidate]:
    """The proposed list: the dossiers the council approved and not withdrawn since (one query)."""
    rows = db.session.execute(
        select(Dossier.id, Dossier.full_name, Dossier.academic_title, Dossier.degree, Dossier.workplace,
               Dossier.position, RoundField.name, Dossier.merits_summary, RoundField.position)
        .join(RoundField, RoundField.id == Dossier.field_id)
        .where(Dossier.round_id == round_.id, Dossier.state == states.APPROVED)).all()
    rows = sorted(rows, key=lambda r: (r[8], r[6], name_sort_key(r[1]), r[0]))
    published = consent.publication_allowed(row[0] for row in rows)
    return [consent_filter(Candidate(*row[:8]), published) for row in rows]


def running_rounds(now: datetime | None = None) -> list[Round]:
    """Rounds whose proposed list is on public notice now (for the links on the public pages)."""
    now = now or clock.now()
    return list(db.session.scalars(
        select(Round).where(Round.notice_opened_at <= now, Round.notice_ends_at > now)
        .order_by(Round.notice_ends_at, Round.id)))


def public_round(round_id: int) -> Round | None:
    round_ = db.session.get(Round, round_id)
    return round_ if round_ is not None and is_running(round_) else None


def public_candidate(round_: Round, dossier_id: int) -> Candidate | None:
    return next((c for c in candidates(round_) if c.dossier_id == dossier_id), None)


# ---------------------------------------------------------------- sending an opinion

def throttled(ip: str) -> bool:
    """Count one opinion from `ip`; True when over the limit (commits: call before anything is written)."""
    from honours.core import ratelimit

    config = current_app.config
    return not ratelimit.allow("notice-opinion", ip, config["NOTICE_OPINIONS_PER_IP"],
                               timedelta(minutes=config["NOTICE_OPINION_WINDOW_MINUTES"]))


def _receipt() -> str:
    return f"YK-{clock.now():%y%m%d}-{secrets.token_hex(3).upper()}"


@operation
def send_opinion(round_: Round, dossier_id: int, data: dict, upload=None) -> Opinion:
    """Store a member of the public's opinion on a candidate of the running notice. `upload`: (stream, name)."""
    if not is_running(round_):
        raise OpinionRefused(_("Thời gian công khai lấy ý kiến của đợt xét này đã kết thúc."))
    if public_candidate(round_, dossier_id) is None:
        raise OpinionRefused(_("Người này không có trong danh sách đề xuất đang công khai."))
    texts = {name: " ".join((data.get(name) or "").split()) for name in ("sender_name", "contact")}
    content = (data.get("content") or "").strip()
    for name, value in (*texts.items(), ("content", content)):
        if not value:
            raise OpinionRefused(_("Vui lòng nhập thông tin này."), name)
        if len(value) > LIMITS[name]:
            raise OpinionRefused(_("Tối đa %(max)d ký tự.", max=LIMITS[name]), name)
    opinion = Opinion(round_id=round_.id, dossier_id=dossier_id, receipt=_receipt(), content=content, **texts)
    if upload is not None:
        stored = files.store(upload[0], upload[1], current_app.config["MAX_ATTACHMENT_BYTES"])
        files.remove_unless_committed(stored.stored_name)
        opinion.file_name, opinion.file_stored_name = stored.original_name, stored.stored_name
        opinion.file_content_type, opinion.file_size = stored.content_type, stored.size
    db.session.add(opinion)
    db.session.flush()
    audit.record(None, "notice_opinion", opinion.id, "receive", "", opinion.state,
                 OPINION_RECEIVED(receipt=opinion.receipt))
    return opinion


# ---------------------------------------------------------------- the secretariat's inbox

def inbox(round_id: int | None = None) -> list[Opinion]:
    query = (select(Opinion).options(joinedload(Opinion.dossier), joinedload(Opinion.round))
             .order_by(Opinion.state.in_(OPEN).desc(), Opinion.received_at.desc(), Opinion.id.desc()))
    if round_id is not None:
        query = query.where(Opinion.round_id == round_id)
    return list(db.session.scalars(query))


def _email_of(contact: str) -> str:
    return contact if "@" in contact else ""


@operation
def handle(actor, opinion: Opinion, action: str, text: str = "") -> None:
    """One step of the opinion's handling (OPINION workflow). Asking sends the question to the nominating
    organisation, replying sends the answer to the sender (when the contact is an email); withdrawing takes
    the candidate off the proposed list (the dossier leaves "approved", audited with the same reason)."""
    ensure_secretariat(actor)
    opinion = lock_row(Opinion, opinion.id, "state")
    text = (text or "").strip()
    messages = []
    context = {"opinion": opinion, "text": text, "dossier": opinion.dossier, "round": opinion.round}
    if action == "ask_organisation":
        organisation = db.session.get(Organisation, opinion.dossier.organisation_id)
        messages.append(Message(organisation.email,
                                render_template("email/notice_question_subject.txt", **context).strip(),
                                render_template("email/notice_question.txt", **context)))
    elif action == "reply" and _email_of(opinion.contact):
        messages.append(Message(_email_of(opinion.contact),
                                render_template("email/notice_reply_subject.txt", **context).strip(),
                                render_template("email/notice_reply.txt", **context)))
    OPINION.apply(actor, opinion, action, text, messages)
    if action == "reply":
        opinion.reply = text
    elif action in ("conclude_no_effect", "conclude_withdrawn"):
        opinion.conclusion = text
    if action == "conclude_withdrawn" and opinion.dossier.state == states.APPROVED:
        apply_transition(actor, opinion.dossier, "withdraw_from_list", text)
    opinion.updated_at = clock.now()


@operation
def save_settings(actor, round_: Round, notice_days: int, complaint_days: int) -> None:
    """The round's notice length and complaint period (fixed once the notice was opened)."""
    ensure_secretariat(actor)
    if round_.notice_opened_at is not None and notice_days != round_.notice_days:
        raise OpinionRefused(_("Thời gian công khai đã mở; không thể đổi số ngày công khai."), "notice_days")
    if not 0 <= notice_days <= MAX_NOTICE_DAYS:
        raise OpinionRefused(_("Số ngày công khai từ 0 đến %(max)s.", max=MAX_NOTICE_DAYS), "notice_days")
    if not 1 <= complaint_days <= 365:
        raise OpinionRefused(_("Số ngày nhận khiếu nại từ 1 đến 365."), "complaint_days")
    round_.notice_days, round_.complaint_days = notice_days, complaint_days
    audit.record(actor, ENTITY, round_.id, "notice_settings", "", "",
                 SETTINGS_SAVED(notice_days=notice_days, complaint_days=complaint_days))


def rounds_for_inbox() -> list[tuple[Round, int]]:
    """Rounds past the council or with a notice setting, with their unconcluded opinions (one query)."""
    open_opinions = (select(func.count(Opinion.id)).where(Opinion.round_id == Round.id, Opinion.state.in_(OPEN))
                     .correlate(Round).scalar_subquery())
    return [(r, n) for r, n in db.session.execute(
        select(Round, open_opinions).where(Round.council_stage == COUNCIL_CONFIRMED)
        .order_by(Round.year.desc(), Round.id.desc())).all()]
