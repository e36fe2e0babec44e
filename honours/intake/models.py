from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from honours.core import clock
from honours.core.db import db


class PersonIntake(db.Model):
    """One staff list loaded into the intellectuals database (all its rows, or none): who loaded it, for which
    organisation, and what it did. The source of the change proposals its rows make to existing records."""

    __tablename__ = "person_intake"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The organisation whose staff the list is (the uploader's own; the secretariat may name one or none).
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255), default="")
    rows: Mapped[int] = mapped_column(default=0)
    created_count: Mapped[int] = mapped_column(default=0)  # new person records
    matched_count: Mapped[int] = mapped_column(default=0)  # rows that matched an existing record
    proposed_count: Mapped[int] = mapped_column(default=0)  # change proposals made for those
    created_at: Mapped[datetime] = mapped_column(default=clock.now, index=True)

    organisation = relationship("Organisation")
    created_by = relationship("User")
