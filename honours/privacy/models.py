import math
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from honours.core import clock
from honours.core.db import db, state_check

from .workflows import DATA_REQUEST, KIND_LABELS, OPEN_STATES, STATE_LABELS


class DataRequest(db.Model):
    """A request of the person concerned (the data subject), lodged through the emailed link. The deadline is fixed
    when it arrives (DATA_REQUEST_DAYS then), so a later change of the setting moves no promise already made."""

    # Not stored: how many consent links a withdrawal request sent (privacy.services.lodge), for its message.
    consent_links_sent = 0

    __tablename__ = "data_request"
    __table_args__ = (DATA_REQUEST.check_constraint(), state_check("kind", KIND_LABELS))

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=1)
    kind: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(20), default="received", index=True)
    # The address the link was sent to: it identifies the person and receives the reply.
    email: Mapped[str] = mapped_column(String(254), index=True)
    details: Mapped[str] = mapped_column(Text, default="")  # what to correct, why they object...
    received_at: Mapped[datetime] = mapped_column(default=clock.now, index=True)
    deadline: Mapped[datetime] = mapped_column(index=True)
    reply: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime | None]
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now)

    __mapper_args__ = {"version_id_col": version}

    handled_by = relationship("User")
    actions: Mapped[list["DataRequestAction"]] = relationship(
        back_populates="request", order_by="DataRequestAction.id", cascade="all, delete-orphan")

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS.get(self.state, self.state))

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def days_left(self, now: datetime) -> int:
        """Whole days until the deadline; once past, minus the days overdue (a started day counts)."""
        return math.floor((self.deadline - now).total_seconds() / 86400)


class DataRequestAction(db.Model):
    """One step taken on a request (what was checked, corrected, anonymised), in the order taken."""

    __tablename__ = "data_request_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("data_request.id"), index=True)
    note: Mapped[str] = mapped_column(Text)
    taken_at: Mapped[datetime] = mapped_column(default=clock.now)
    taken_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)

    request: Mapped[DataRequest] = relationship(back_populates="actions")
    taken_by = relationship("User")
