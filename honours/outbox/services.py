"""Transactional outbox: enqueue() joins the caller's transaction; deliver_due() sends with retries."""
from datetime import timedelta

from flask import current_app
from flask_mail import Message
from sqlalchemy import select

from honours import clock
from honours.extensions import db, mail

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
            mail.send(Message(subject=message.subject, recipients=[message.recipient], body=message.body))
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
