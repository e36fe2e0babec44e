"""The person's rights: the emailed link to what is held about them, their requests, and the secretariat's answers.

The link form answers the same whether or not the address is held (the same work is done: a token signed and the
email rendered either way) and is limited per address and per client address (core/ratelimit.py). The link is
signed (SECRET_KEY, salt "data-subject") and expires after DATA_SUBJECT_LINK_HOURS; it names the address only.
"""
from datetime import timedelta

from flask import current_app, render_template
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select

from honours.auth.invitations import ClockSigner
from honours.consent import services as consent
from honours.core import audit, clock, ratelimit
from honours.core.audit import N_, Reason
from honours.core.db import db
from honours.core.errors import RuleViolation, StaleEdit
from honours.core.outbox import services as outbox
from honours.core.transactions import operation
from honours.core.workflow import Message

from . import holdings as held
from .models import DataRequest, DataRequestAction
from .workflows import DATA_REQUEST, HANDLERS, KIND_LABELS, NEEDS_DETAILS, OPEN_STATES, WITHDRAW_CONSENT

SALT = "data-subject"
PATH = "/du-lieu-ca-nhan/"
ENTITY = "data_request"
MAX_OPEN_PER_EMAIL = 10  # a flood of requests from one address is not a right the law grants
LINK_SENT = Reason("privacy.link_sent", N_("Gửi liên kết xem dữ liệu cá nhân, yêu cầu từ địa chỉ %(ip)s."))


class LinkThrottled(RuleViolation):
    """Too many link requests for this email or from this address (whether it is held or not)."""


class LinkExpired(RuleViolation):
    pass


class RequestRefused(RuleViolation):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT, signer=ClockSigner)


def link_hours() -> int:
    return current_app.config["DATA_SUBJECT_LINK_HOURS"]


def token_for(email: str) -> str:
    return _serializer().dumps({"email": held.normalise(email)})


def email_for_token(token: str) -> str:
    """The address a link was sent to, or RuleViolation (LinkExpired) when it is forged or expired."""
    try:
        payload = _serializer().loads(token, max_age=link_hours() * 3600)
    except SignatureExpired:
        raise LinkExpired(_("Liên kết đã hết hạn (liên kết chỉ có hiệu lực %(hours)s giờ). Vui lòng yêu cầu liên "
                            "kết mới.", hours=link_hours())) from None
    except BadSignature:
        raise RuleViolation(_("Liên kết không hợp lệ.")) from None
    if not isinstance(payload, dict) or not isinstance(payload.get("email"), str) or not payload["email"]:
        raise RuleViolation(_("Liên kết không hợp lệ."))
    return payload["email"]


def _link_email(email: str, token: str) -> tuple[str, str]:
    link = current_app.config["PUBLIC_BASE_URL"].rstrip("/") + PATH + token
    valid_until = clock.now() + timedelta(hours=link_hours())
    subject = render_template("email/data_subject_link_subject.txt").strip()
    body = render_template("email/data_subject_link.txt", email=email, link=link, valid_until=valid_until,
                           hours=link_hours())
    return subject, body


@operation
def request_link(email: str, ip: str) -> None:
    """Queue the link when the address is held; otherwise do the same work and send nothing. LinkThrottled past
    the limits (counted for unknown addresses too, so the refusal reveals nothing)."""
    config = current_app.config
    email = held.normalise(email)
    window = timedelta(minutes=config["DATA_SUBJECT_LINK_WINDOW_MINUTES"])
    if not ratelimit.allow("data_subject_ip", ip, config["DATA_SUBJECT_LINK_PER_IP"], window) \
            or not ratelimit.allow("data_subject_email", email, config["DATA_SUBJECT_LINK_PER_EMAIL"], window):
        raise LinkThrottled(_("Đã có quá nhiều yêu cầu gửi liên kết. Vui lòng thử lại sau %(minutes)s phút.",
                              minutes=config["DATA_SUBJECT_LINK_WINDOW_MINUTES"]))
    subject, body = _link_email(email, token_for(email))
    if held.holds(email):
        outbox.enqueue(email, subject, body)
        audit.record(None, ENTITY, 0, "link_sent", reason=LINK_SENT(ip=ip))
    db.session.flush()


# ---------------------------------------------------------------- the person's requests

def deadline_days() -> int:
    return current_app.config["DATA_REQUEST_DAYS"]


@operation
def lodge(email: str, kind: str, details: str) -> DataRequest:
    """A request from the emailed link: recorded with its deadline, audited, acknowledged by email."""
    email = held.normalise(email)
    details = (details or "").strip()
    if kind not in KIND_LABELS:
        raise RequestRefused(_("Vui lòng chọn loại yêu cầu."), "kind")
    if kind in NEEDS_DETAILS and not details:
        raise RequestRefused(_("Vui lòng nêu rõ nội dung yêu cầu (dữ liệu nào, vì sao)."), "details")
    open_count = db.session.scalar(select(func.count(DataRequest.id))
                                   .where(DataRequest.email == email, DataRequest.state.in_(OPEN_STATES)))
    if open_count >= MAX_OPEN_PER_EMAIL:
        raise RequestRefused(_("Ông/bà đang có %(count)s yêu cầu chưa được trả lời; vui lòng chờ trả lời.",
                              count=open_count))
    now = clock.now()
    request = DataRequest(email=email, kind=kind, details=details, received_at=now,
                          deadline=now + timedelta(days=deadline_days()))
    db.session.add(request)
    db.session.flush()
    audit.record(None, ENTITY, request.id, "create", to_state=request.state)
    outbox.enqueue(email, render_template("email/data_request_subject.txt", request=request).strip(),
                   render_template("email/data_request_received.txt", request=request))
    if kind == WITHDRAW_CONSENT:
        request.consent_links_sent = resend_consent_links(email)
    return request


def resend_consent_links(email: str) -> int:
    """A withdrawal needs no one's handling: each dossier or referral of this address whose nominee was asked for
    consent gets a new link (honours.consent; the old one stops working), where the person withdraws purpose by
    purpose at once. The request stays in the inbox for the record and the reply. Returns how many were sent."""
    sent, holdings = 0, held.find(email)
    for subject in (*holdings.dossiers, *holdings.referrals):
        if held.normalise(subject.email or "") == email and consent.request_for(subject) is not None:
            consent.ask_again(None, subject)
            sent += 1
    return sent


def requests_of(email: str) -> list[DataRequest]:
    return list(db.session.scalars(select(DataRequest).where(DataRequest.email == held.normalise(email))
                                   .order_by(DataRequest.received_at.desc(), DataRequest.id.desc())))


# ---------------------------------------------------------------- the secretariat's handling

def _check_handler(actor, request: DataRequest, version: int | None) -> None:
    if actor is None or actor.role not in HANDLERS:
        raise RuleViolation(_("Bạn không có quyền thực hiện thao tác này."))
    if version is not None and version != request.version:
        raise StaleEdit(_("Yêu cầu vừa được người khác cập nhật. Vui lòng xem lại."))


@operation
def add_action(actor, request: DataRequest, note: str, version: int | None = None) -> DataRequestAction:
    """Record a step taken (what was checked, corrected, passed on); a received request is then in progress."""
    _check_handler(actor, request, version)
    note = (note or "").strip()
    if not note:
        raise RuleViolation(_("Vui lòng ghi việc đã làm."))
    if not request.is_open:
        raise RuleViolation(_("Yêu cầu đã được trả lời."))
    if request.state != "in_progress":
        DATA_REQUEST.apply(actor, request, "start")
    action = DataRequestAction(request=request, note=note, taken_by_id=actor.id, taken_at=clock.now())
    db.session.add(action)
    request.handled_by_id = actor.id
    db.session.flush()
    audit.record(actor, ENTITY, request.id, "add_action")
    return action


def _reply_message(request: DataRequest, reply: str) -> Message:
    return Message(request.email, render_template("email/data_request_subject.txt", request=request).strip(),
                   render_template("email/data_request_reply.txt", request=request, reply=reply))


@operation
def answer(actor, request: DataRequest, reply: str, version: int | None = None, refuse: bool = False) -> None:
    """Answer (or refuse, saying why) with the reply emailed to the person in the same transaction."""
    _check_handler(actor, request, version)
    reply = (reply or "").strip()
    if not reply:
        raise RuleViolation(_("Vui lòng soạn nội dung trả lời."))
    action = "refuse" if refuse else "answer"
    DATA_REQUEST.apply(actor, request, action, reason=reply if refuse else "",
                       messages=[_reply_message(request, reply)])
    request.reply = reply
    request.answered_at = clock.now()
    request.handled_by_id = actor.id
    db.session.flush()


def overdue_and_due_soon(now=None) -> tuple[int, int, object]:
    """Open requests past their deadline, open requests due within DATA_REQUEST_DUE_SOON_DAYS, and the nearest
    deadline: one statement whatever their number."""
    now = now or clock.now()
    soon = now + timedelta(days=current_app.config["DATA_REQUEST_DUE_SOON_DAYS"])
    is_open = DataRequest.state.in_(OPEN_STATES)
    return db.session.execute(select(
        func.count(DataRequest.id).filter(DataRequest.deadline < now),
        func.count(DataRequest.id).filter(DataRequest.deadline >= now, DataRequest.deadline < soon),
        func.min(DataRequest.deadline),
    ).where(is_open)).one()


def state_counts() -> dict[str, int]:
    rows = db.session.execute(select(DataRequest.state, func.count(DataRequest.id)).group_by(DataRequest.state))
    return dict(rows.all())
