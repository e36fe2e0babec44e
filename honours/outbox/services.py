"""Transactional outbox: enqueue() joins the caller's transaction; deliver_due() sends with retries."""
import smtplib
from datetime import timedelta
from email.header import Header

from flask import current_app
from flask_mail import Connection, Message
from sqlalchemy import select

from honours import clock
from honours.extensions import db

from .models import FAILED, PENDING, SENT, OutboxMessage


def enqueue(recipient: str, subject: str, body: str) -> OutboxMessage | None:
    """Queue an email in the current transaction; nothing is sent until the change commits."""
    if not recipient:
        return None
    message = OutboxMessage(recipient=recipient, subject=subject, body=body, next_attempt_at=clock.now())
    db.session.add(message)
    return message


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


def _send(message: OutboxMessage) -> None:
    email = Message(subject=_subject_header(message.subject), recipients=[message.recipient], body=message.body)
    with _Connection(current_app.extensions["mail"]) as connection:  # honours MAIL_SUPPRESS_SEND like mail.send
        connection.send(email)


def deliver_due(limit: int = 100) -> dict[str, int]:
    """Send due messages one by one, committing each outcome so a crash loses at most one attempt."""
    counts = {SENT: 0, PENDING: 0, FAILED: 0}
    now = clock.now()
    due = db.session.scalars(
        select(OutboxMessage.id)
        .where(OutboxMessage.status == PENDING, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id).limit(limit)
    ).all()
    for message_id in due:
        message = db.session.get(OutboxMessage, message_id, with_for_update={"skip_locked": True})
        if message is None or message.status != PENDING:
            continue
        try:
            _send(message)
        except Exception as exc:  # SMTP down, refused, timeout: keep it and retry later
            message.attempts += 1
            message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if message.attempts >= current_app.config["OUTBOX_MAX_ATTEMPTS"]:
                message.status = FAILED
            else:
                message.next_attempt_at = clock.now() + backoff(message.attempts)
        else:
            message.attempts += 1
            message.status = SENT
            message.sent_at = clock.now()
            message.last_error = ""
        counts[message.status] += 1
        db.session.commit()
    return counts
