from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from honours.core import clock
from honours.core.db import db, state_check

PENDING = "pending"
SENDING = "sending"  # claimed by a worker; the SMTP conversation may be under way (or the worker died in it)
SENT = "sent"
FAILED = "failed"

STATES = (PENDING, SENDING, SENT, FAILED)  # the worker moves them: honours.core.outbox.workflow


class OutboxMessage(db.Model):
    """An email written in the same transaction as the change it announces; a worker delivers it."""

    __tablename__ = "outbox_message"
    __table_args__ = (Index("ix_outbox_message_due", "status", "next_attempt_at"), state_check("status", STATES))

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(255))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default=PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=clock.now)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    sent_at: Mapped[datetime | None]
    # Set when a worker claims the message (committed before it talks to SMTP): only the holder of the token
    # may record the outcome, and a claim older than OUTBOX_LEASE_SECONDS belongs to a worker that died.
    claim_token: Mapped[str | None] = mapped_column(String(32))
    claimed_at: Mapped[datetime | None]
