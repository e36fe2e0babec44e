"""Lodging and handling complaints about a decision on a dossier (Luật Khiếu nại 2011, docs/complaints.md).

Who may complain: the nominating organisation (signed in, its own dossiers) or the nominee, through a signed link
sent to the dossier's email address. What about: a dossier left ineligible, not approved or withdrawn. Until when:
the round's complaint_days after that decision (the moment the dossier entered its state, from the audit log).
"""
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, render_template
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import joinedload

from honours.auth.invitations import ClockSigner
from honours.auth.services import normalise_email
from honours.core import audit, clock, ratelimit, roles
from honours.core.audit import AuditEntry
from honours.core.db import db, lock_row
from honours.core.errors import RuleViolation
from honours.core.outbox.queue import enqueue
from honours.core.roles import ensure_secretariat
from honours.core.transactions import operation
from honours.core.workflow import Message
from honours.nominations import states
from honours.nominations.models import Dossier
from honours.organisations.models import Organisation

from .models import BY_NOMINEE, BY_ORGANISATION, Complaint
from .workflows import ACCEPTED, COMPLAINT, LODGED

DECISIONS = (states.INELIGIBLE, states.NOT_APPROVED, states.WITHDRAWN)
SALT = "complaint-link"
MAX_CONTENT = 10_000
LODGED_REASON = audit.Reason("complaint.lodged", audit.N_(
    "Khiếu nại quyết định \"%(decision)s\" về hồ sơ, do %(by)s gửi."))


class ComplaintRefused(RuleViolation):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


# ---------------------------------------------------------------- the decision and its period

def decided_at(dossier: Dossier) -> datetime | None:
    """When the dossier entered its current state (the decision complained about), from the audit log."""
    return db.session.scalar(
        select(func.max(AuditEntry.at)).where(AuditEntry.entity_type == "dossier",
                                              AuditEntry.entity_id == dossier.id,
                                              AuditEntry.to_state == dossier.state))


@dataclass(frozen=True)
class Period:
    decided_at: datetime
    ends_at: datetime

    def open(self, now: datetime) -> bool:
        return self.decided_at <= now <= self.ends_at


def complaint_period(dossier: Dossier) -> Period | None:
    """The period in which the dossier's decision may be complained about (None: no such decision)."""
    if dossier.state not in DECISIONS:
        return None
    moment = decided_at(dossier)
    if moment is None:
        return None
    return Period(moment, moment + timedelta(days=dossier.round.complaint_days))


def ensure_may_lodge(dossier: Dossier) -> Period:
    period = complaint_period(dossier)
    if period is None:
        raise ComplaintRefused(_("Hồ sơ này không có quyết định (không hợp lệ, không được thông qua hoặc bị rút) "
                                 "để khiếu nại."))
    if not period.open(clock.now()):
        raise ComplaintRefused(_("Đã hết thời hạn khiếu nại (%(days)s ngày kể từ quyết định ngày %(date)s).",
                                 days=dossier.round.complaint_days, date=period.decided_at.strftime("%d/%m/%Y")))
    return period


def _message(complaint: Complaint, event: str, text: str = "") -> Message:
    context = {"complaint": complaint, "event": event, "text": text, "dossier": complaint.dossier,
               "config": current_app.config}
    return Message(complaint.complainant_email,
                   render_template("email/complaint_subject.txt", **context).strip(),
                   render_template("email/complaint_event.txt", **context))


@operation
def lodge(dossier: Dossier, content: str, *, actor=None, nominee_email: str = "") -> Complaint:
    """A complaint by the nominating organisation (`actor`, a nominator of the dossier's organisation) or by the
    nominee (`nominee_email`, checked against the dossier by the signed link)."""
    content = (content or "").strip()
    if not content:
        raise ComplaintRefused(_("Vui lòng nhập thông tin này."), "content")
    if len(content) > MAX_CONTENT:
        raise ComplaintRefused(_("Tối đa %(max)d ký tự.", max=MAX_CONTENT), "content")
    if actor is not None:
        if actor.role != roles.NOMINATOR or actor.organisation_id != dossier.organisation_id:
            raise ComplaintRefused(_("Chỉ đơn vị đề cử hồ sơ này mới được khiếu nại."))
        organisation = db.session.get(Organisation, dossier.organisation_id)
        by, name, email = BY_ORGANISATION, organisation.name, organisation.email or actor.email
    else:
        if not nominee_email or normalise_email(nominee_email) != normalise_email(dossier.email):
            raise ComplaintRefused(_("Liên kết khiếu nại không hợp lệ."))
        by, name, email = BY_NOMINEE, dossier.full_name, dossier.email
    period = ensure_may_lodge(dossier)
    complaint = Complaint(dossier_id=dossier.id, round_id=dossier.round_id, complainant=by, complainant_name=name,
                          complainant_email=email, lodged_by_id=actor.id if actor else None,
                          decision=dossier.state, decided_at=period.decided_at, content=content)
    db.session.add(complaint)
    db.session.flush()
    audit.record(actor, "complaint", complaint.id, "lodge", "", LODGED,
                 LODGED_REASON(decision=str(states.STATE_LABELS.get(dossier.state, dossier.state)),
                               by=name))
    message = _message(complaint, "lodge")
    enqueue(message.recipient, message.subject, message.body)
    return complaint


# ---------------------------------------------------------------- the nominee's link

def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT, signer=ClockSigner)


def token_for(dossier: Dossier) -> str:
    return _serializer().dumps({"dossier": dossier.id, "email": normalise_email(dossier.email)})


def dossier_for_token(token: str) -> tuple[Dossier, str] | None:
    try:
        data = _serializer().loads(token, max_age=current_app.config["COMPLAINT_LINK_DAYS"] * 86400)
    except BadSignature:  # SignatureExpired included
        return None
    if not isinstance(data, dict):
        return None
    dossier = db.session.get(Dossier, data.get("dossier")) if isinstance(data.get("dossier"), int) else None
    if dossier is None or normalise_email(dossier.email) != data.get("email"):
        return None
    return dossier, data["email"]


@operation
def send_links(email: str, ip: str) -> bool:
    """Email the nominee a complaint link for each of their dossiers whose decision may be complained about now.
    The answer is the same whether or not there are any. False when throttled."""
    config = current_app.config
    email = normalise_email(email)
    window = timedelta(hours=1)
    if not (ratelimit.allow("complaint-link-ip", ip, config["COMPLAINT_LINKS_PER_IP"], window)
            and ratelimit.allow("complaint-link-email", email, 3, window)):
        return False
    now = clock.now()
    dossiers = db.session.scalars(select(Dossier).options(joinedload(Dossier.round))
                                  .where(func.lower(Dossier.email) == email, Dossier.state.in_(DECISIONS))).all()
    base = config["PUBLIC_BASE_URL"].rstrip("/")
    links = []
    for dossier in dossiers:
        period = complaint_period(dossier)
        if period is not None and period.open(now):
            links.append((dossier, period, f"{base}/khieu-nai/lien-ket/{token_for(dossier)}"))
    if links:
        enqueue(email, render_template("email/complaint_link_subject.txt").strip(),
                render_template("email/complaint_link.txt", links=links, days=config["COMPLAINT_LINK_DAYS"]))
    return True


# ---------------------------------------------------------------- the secretariat

@operation
def handle(actor, complaint: Complaint, action: str, text: str = "") -> None:
    ensure_secretariat(actor)
    complaint = lock_row(Complaint, complaint.id, "state")
    text = (text or "").strip()
    if len(text) > MAX_CONTENT:
        raise ComplaintRefused(_("Tối đa %(max)d ký tự.", max=MAX_CONTENT), "text")
    COMPLAINT.check(actor, complaint, action, text)
    now = clock.now()
    if action == "accept":
        complaint.accepted_at = complaint.answered_at = now
    elif action == "refuse":
        complaint.answered_at, complaint.answer = now, text
    elif action == "mark_complex":
        complaint.complex_case = True
    elif action == "resolve":
        complaint.resolved_at, complaint.answer = now, text
    COMPLAINT.apply(actor, complaint, action, text, [_message(complaint, action, text)])
    complaint.updated_at = now


def index() -> list[Complaint]:
    return list(db.session.scalars(
        select(Complaint).options(joinedload(Complaint.dossier), joinedload(Complaint.round))
        .order_by(Complaint.state.in_((LODGED, ACCEPTED)).desc(), Complaint.lodged_at.desc(), Complaint.id.desc())))


def of_dossier(dossier_id: int) -> list[Complaint]:
    return list(db.session.scalars(select(Complaint).where(Complaint.dossier_id == dossier_id)
                                   .order_by(Complaint.id)))


def overdue_count(now: datetime | None = None) -> int:
    """Complaints past the acceptance or resolution deadline."""
    return todo_counts(now)[1]


def todo_counts(now: datetime | None = None) -> tuple[int, int]:
    """(complaints waiting for the secretariat, of which overdue): one aggregate statement."""
    now = now or clock.now()
    config = current_app.config
    overdue = or_(
        and_(Complaint.state == LODGED,
             Complaint.lodged_at < now - timedelta(days=config["COMPLAINT_ACCEPT_DAYS"])),
        and_(Complaint.state == ACCEPTED, Complaint.complex_case.is_(False),
             Complaint.accepted_at < now - timedelta(days=config["COMPLAINT_RESOLVE_DAYS"])),
        and_(Complaint.state == ACCEPTED, Complaint.complex_case.is_(True),
             Complaint.accepted_at < now - timedelta(days=config["COMPLAINT_RESOLVE_COMPLEX_DAYS"])))
    waiting, late = db.session.execute(
        select(func.count(Complaint.id), func.coalesce(func.sum(case((overdue, 1), else_=0)), 0))
        .where(Complaint.state.in_((LODGED, ACCEPTED)))).one()
    return int(waiting), int(late)
