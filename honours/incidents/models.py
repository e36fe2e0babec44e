from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from honours.core import clock
from honours.core.db import db

# The law's deadline to notify the authority of a breach, from the moment it was found.
NOTIFICATION_HOURS = 72
OPEN = "open"
NOTIFIED = "notified"
CLOSED = "closed"


class Incident(db.Model):
    """One suspected breach. Its status is what was recorded: open until the authority was notified, then
    notified, closed once the measures are complete (no status field to contradict the dates)."""

    __tablename__ = "incident"

    id: Mapped[int] = mapped_column(primary_key=True)
    summary: Mapped[str] = mapped_column(String(500))  # what happened
    found_at: Mapped[datetime] = mapped_column(index=True)
    people_affected: Mapped[int | None]  # an estimate; None while unknown
    data_categories: Mapped[str] = mapped_column(Text, default="")
    measures: Mapped[str] = mapped_column(Text, default="")
    authority_notified_at: Mapped[datetime | None]
    people_notified_at: Mapped[datetime | None]
    notifications: Mapped[str] = mapped_column(Text, default="")  # to whom, how, reference numbers
    closed_at: Mapped[datetime | None]
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    version: Mapped[int] = mapped_column(default=1)

    @property
    def deadline(self) -> datetime:
        return self.found_at + timedelta(hours=NOTIFICATION_HOURS)

    @property
    def status(self) -> str:
        if self.closed_at is not None:
            return CLOSED
        return NOTIFIED if self.authority_notified_at is not None else OPEN

    def hours_left(self, now: datetime) -> int:
        """Whole hours until the deadline (negative once past: hours overdue)."""
        seconds = (self.deadline - now).total_seconds()
        return int(seconds // 3600)
