"""Writing an email into the outbox, in the transaction of the change it announces."""
from honours.core import clock
from honours.core.db import db

from .models import OutboxMessage


def enqueue(recipient: str, subject: str, body: str) -> OutboxMessage | None:
    """Queue an email in the current transaction; nothing is sent until the change commits."""
    if not recipient:
        return None
    message = OutboxMessage(recipient=recipient, subject=subject, body=body, next_attempt_at=clock.now())
    db.session.add(message)
    return message
