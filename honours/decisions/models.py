"""The provincial decision as the signed PDF the province issued, one per council session, with the result of
checking its signatures when it was uploaded (an earlier file replaced stays described in the audit log)."""
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from honours.core.db import db
from honours.core.storage import StoredFile

from .validation import ACCEPTED_WITHOUT_NOTE, LABELS, STATUSES


class SignedDecision(StoredFile, db.Model):
    __tablename__ = "signed_decision"
    __table_args__ = (CheckConstraint("status IN (%s)" % ", ".join(f"'{s}'" for s in STATUSES),
                                      name="status_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("council_session.id"), unique=True)
    status: Mapped[str] = mapped_column(String(20))
    signer_subject: Mapped[str] = mapped_column(String(500), default="")
    signed_at: Mapped[datetime | None]  # the first signature's signing time as its signer claims it
    summary: Mapped[str] = mapped_column(Text, default="")  # the result in words, every signature
    note: Mapped[str] = mapped_column(Text, default="")  # the secretariat's, required unless the file is valid

    uploaded_by = relationship("User")

    @property
    def status_label(self) -> str:
        return str(LABELS.get(self.status, self.status))

    @property
    def is_valid(self) -> bool:
        return self.status in ACCEPTED_WITHOUT_NOTE
