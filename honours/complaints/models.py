from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from honours.core import clock
from honours.core.db import db

from .workflows import ACCEPTED, COMPLAINT, LODGED

BY_ORGANISATION = "organisation"
BY_NOMINEE = "nominee"


class Complaint(db.Model):
    """A complaint about the decision a dossier received (ineligible, not approved, withdrawn)."""

    __tablename__ = "complaint"
    __table_args__ = (COMPLAINT.check_constraint(),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id"), index=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id"), index=True)
    complainant: Mapped[str] = mapped_column(String(20))  # BY_ORGANISATION or BY_NOMINEE
    complainant_name: Mapped[str] = mapped_column(String(255))
    complainant_email: Mapped[str] = mapped_column(String(254), default="")
    lodged_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    decision: Mapped[str] = mapped_column(String(20))  # the dossier state complained about
    decided_at: Mapped[datetime]
    content: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(20), default=LODGED, index=True)
    complex_case: Mapped[bool] = mapped_column(default=False)
    lodged_at: Mapped[datetime] = mapped_column(default=clock.now, index=True)
    accepted_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]  # accepted or refused
    resolved_at: Mapped[datetime | None]
    answer: Mapped[str] = mapped_column(Text, default="")  # the refusal's reason, or the resolution
    updated_at: Mapped[datetime] = mapped_column(default=clock.now)

    dossier = relationship("Dossier")
    round = relationship("Round")

    @property
    def state_label(self) -> str:
        return COMPLAINT.label(self.state)

    @property
    def accept_due(self) -> datetime:
        return self.lodged_at + timedelta(days=current_app.config["COMPLAINT_ACCEPT_DAYS"])

    @property
    def resolve_due(self) -> datetime | None:
        if self.accepted_at is None:
            return None
        config = current_app.config
        days = config["COMPLAINT_RESOLVE_COMPLEX_DAYS"] if self.complex_case else config["COMPLAINT_RESOLVE_DAYS"]
        return self.accepted_at + timedelta(days=days)

    @property
    def due(self) -> datetime | None:
        """The next deadline of the secretariat (None once answered for good)."""
        if self.state == LODGED:
            return self.accept_due
        return self.resolve_due if self.state == ACCEPTED else None

    def overdue(self, now: datetime) -> bool:
        return self.due is not None and now > self.due
