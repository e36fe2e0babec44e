"""Transactional outbox: enqueue() joins the caller's transaction; deliver_due() sends with retries.

Delivery guarantee (at least once, duplicates identifiable)
-----------------------------------------------------------
A worker first *claims* a message: status "sending", a random claim token and claimed_at, committed before it
opens the SMTP connection. A conditional UPDATE (status still due) that must touch exactly one row makes the
claim, so two workers never send the same message at the same time; PostgreSQL also skips rows another worker
has locked (SELECT ... FOR UPDATE SKIP LOCKED) instead of waiting for them.

After the SMTP server accepts the message, the worker records "sent" (retried a few times if the database
hiccups). SMTP and the database are two systems with no common transaction, so a worker that dies exactly
between the two leaves the message "sending" with no way to know whether it went out. Policy: such a message is
left alone while its lease (OUTBOX_LEASE_SECONDS) runs, then it is sent again **with the same Message-ID**
(derived from the outbox id), and the attempt is counted. So each such crash can cause at most one extra copy,
and that copy carries the identical Message-ID header, by which mail clients, archives and operators can
recognise and drop it. Once the attempts are used up, an interrupted message is marked failed (not resent)
for a person to check.
"""
import logging
import smtplib
import time
import uuid
from datetime import timedelta
from email.header import Header
from email.utils import parseaddr

from flask import current_app
from flask_mail import Connection, Message
from sqlalchemy import and_, or_, select, update

from honours.core import clock
from honours.core.db import db

from .models import FAILED, PENDING, SENDING, SENT, OutboxMessage
from .queue import enqueue  # noqa: F401  (features write `outbox.enqueue(...)`)
from .workflow import OUTBOX

log = logging.getLogger(__name__)
DEFAULT_LEASE_SECONDS = 900
MARK_RETRIES = 3


def backoff(attempts: int) -> timedelta:
    """Exponential: base, 2x, 4x ... capped at one day."""
    base = current_app.config["OUTBOX_BACKOFF_SECONDS"]
    return timedelta(seconds=min(base * 2 ** (attempts - 1), 86400))


class _Connection(Connection):
    """Flask-Mail's SMTP connection with two fixes.

    - MAIL_TIMEOUT is honoured: Flask-Mail 0.10 ignores it, so a server that accepts the TCP connection but
      never answers would block the worker (and its row locks) forever.
    - Leaving never raises: a QUIT that fails after the server accepted the message must not turn a delivered
      email into a retry (a duplicate), nor replace the real error of a failed send.
    """

    def configure_host(self) -> smtplib.SMTP:
        state = self.mail
        smtp_class = smtplib.SMTP_SSL if state.use_ssl else smtplib.SMTP
        host = smtp_class(state.server, state.port, timeout=current_app.config["MAIL_TIMEOUT"])
        try:
            host.set_debuglevel(int(state.debug))
            if state.use_tls:
                host.starttls()
            if state.username and state.password:
                host.login(state.username, state.password)
        except BaseException:
            host.close()
            raise
        return host

    def __exit__(self, exc_type, exc_value, tb) -> None:
        if self.host is None:
            return
        if exc_type is None:
            try:
                self.host.quit()
                return
            except (smtplib.SMTPException, OSError):
                pass
        self.host.close()


def _subject_header(subject: str) -> str:
    """RFC 2047-encode a non-ASCII subject ourselves, folded to fit the line limit.

    Left to Flask-Mail, the subject is refolded by the email package (CPython gh-144156), which drops the
    space where two encoded words meet: "Đã nhận hồ sơ" arrived as "Đãnhận hồ sơ". ASCII passes through.
    """
    if subject.isascii():
        return subject
    return Header(subject, "utf-8", header_name="Subject").encode(linesep="\r\n")


def message_id_header(message: OutboxMessage) -> str:
    """A Message-ID that is the same on every attempt to deliver this outbox row (RFC 5322 msg-id)."""
    sender = current_app.config.get("MAIL_DEFAULT_SENDER") or ""
    if isinstance(sender, tuple):
        sender = sender[1]
    domain = parseaddr(sender)[1].rpartition("@")[2] or "honours.local"
    return f"<outbox.{message.id}.{message.created_at:%Y%m%d%H%M%S}@{domain}>"


def _send(message: OutboxMessage) -> None:
    email = Message(subject=_subject_header(message.subject), recipients=[message.recipient], body=message.body)
    email.msgId = message_id_header(message)
    with _Connection(current_app.extensions["mail"]) as connection:  # honours MAIL_SUPPRESS_SEND like mail.send
        connection.send(email)


def _lease() -> timedelta:
    return timedelta(seconds=current_app.config.get("OUTBOX_LEASE_SECONDS", DEFAULT_LEASE_SECONDS))


def _claimable(now):
    """Due pending messages, and claims abandoned by a worker that died (older than the lease)."""
    return or_(
        and_(OutboxMessage.status == PENDING, OutboxMessage.next_attempt_at <= now),
        and_(OutboxMessage.status == SENDING, OutboxMessage.claimed_at <= now - _lease()),
    )


def _from(transition):
    """The WHERE condition of a compare-and-set step: the message is in one of the transition's source states."""
    return OutboxMessage.status.in_(transition.sources)


def _claim_next(skip: set[int]) -> tuple[OutboxMessage, str, bool] | None:
    """Claim the next due message for this worker, committed. Returns (message, token, was_interrupted)."""
    while True:
        now = clock.now()
        query = (select(OutboxMessage.id, OutboxMessage.status).where(_claimable(now))
                 .order_by(OutboxMessage.id).limit(1).with_for_update(skip_locked=True))
        if skip:
            query = query.where(OutboxMessage.id.not_in(skip))
        candidate = db.session.execute(query).first()
        if candidate is None:
            db.session.rollback()
            return None
        token = uuid.uuid4().hex
        claim = OUTBOX.permitted(None, "claim")
        # Compare-and-set: on SQLite (no row locks) a concurrent worker may have claimed it since the SELECT.
        claimed = db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == candidate.id, _claimable(now), _from(claim))
            .values(status=claim.target, claim_token=token, claimed_at=now, attempts=OutboxMessage.attempts + 1)
            .execution_options(synchronize_session=False)
        ).rowcount
        db.session.commit()
        if claimed == 1:
            db.session.expire_all()
            return db.session.get(OutboxMessage, candidate.id), token, candidate.status == SENDING
        skip.add(candidate.id)


def _mark_sent(message_id: int, token: str) -> bool:
    """Record the delivery; only the claim holder may. False when another worker took the claim over."""
    deliver = OUTBOX.permitted(None, "deliver")
    done = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.claim_token == token, _from(deliver))
        .values(status=deliver.target, sent_at=clock.now(), last_error="", claim_token=None, claimed_at=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return done == 1


def _mark_failed_attempt(message_id: int, token: str, error: str, attempts: int) -> str:
    """Back to pending with backoff, or failed once the attempts are used up. Returns the new status."""
    step = OUTBOX.permitted(None, "give_up" if attempts >= current_app.config["OUTBOX_MAX_ATTEMPTS"] else "retry_later")
    status = step.target
    # Bandit B105 (marked below): claim_token is a worker's lease id, not a password.
    values = {"status": status, "last_error": error[:2000], "claim_token": None, "claimed_at": None}  # nosec B105
    if status == PENDING:
        values["next_attempt_at"] = clock.now() + backoff(attempts)
    db.session.execute(
        update(OutboxMessage).where(OutboxMessage.id == message_id, OutboxMessage.claim_token == token, _from(step))
        .values(**values).execution_options(synchronize_session=False)
    )
    db.session.commit()
    return status


def _give_up_uncertain(message_id: int, token: str) -> None:
    """The last allowed attempt was interrupted: it may or may not have gone out, so a person decides."""
    give_up = OUTBOX.permitted(None, "give_up")
    db.session.execute(
        update(OutboxMessage).where(OutboxMessage.id == message_id, OutboxMessage.claim_token == token,
                                    _from(give_up))
        .values(status=give_up.target, attempts=OutboxMessage.attempts - 1, claim_token=None, claimed_at=None,
                last_error="Interrupted while sending; delivery uncertain, not retried: check with the recipient.")
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def _with_retries(step, *args):
    """The database may blip between the SMTP send and the bookkeeping: retry rather than lose the outcome."""
    for attempt in range(1, MARK_RETRIES + 1):
        try:
            return step(*args)
        except Exception:
            db.session.rollback()
            if attempt == MARK_RETRIES:
                raise
            log.warning("outbox: recording the outcome failed (attempt %s), retrying", attempt, exc_info=True)
            time.sleep(0.2 * attempt)


def deliver_due(limit: int = 100) -> dict[str, int]:
    """Claim, send and record due messages one at a time (see the module docstring for the guarantee)."""
    counts = {SENT: 0, PENDING: 0, FAILED: 0}
    skip: set[int] = set()
    for _ in range(limit):
        claim = _claim_next(skip)
        if claim is None:
            break
        message, token, interrupted = claim
        skip.add(message.id)
        if interrupted and message.attempts > current_app.config["OUTBOX_MAX_ATTEMPTS"]:
            _with_retries(_give_up_uncertain, message.id, token)
            counts[FAILED] += 1
            continue
        if interrupted:
            log.warning("outbox: message %s was interrupted while sending; sending again with Message-ID %s",
                        message.id, message_id_header(message))
        try:
            _send(message)
        except Exception as exc:  # SMTP down, refused, timeout: keep it and retry later
            error = f"{type(exc).__name__}: {exc}"
            counts[_with_retries(_mark_failed_attempt, message.id, token, error, message.attempts)] += 1
            continue
        if _with_retries(_mark_sent, message.id, token):
            counts[SENT] += 1
        else:
            log.error("outbox: message %s was sent but its claim had been taken over (lease too short?)",
                      message.id)
    return counts
