"""An opinion sent by anyone on a candidate of a round's publicly noticed list (never shown publicly)."""
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from honours.core import clock
from honours.core.db import db

from .workflows import FINAL, OPINION


class Opinion(db.Model):
    __tablename__ = "notice_opinion"
    __table_args__ = (OPINION.check_constraint(),)

    id: Mapped[int] = mapped_column(primary_key=True)
    receipt: Mapped[str] = mapped_column(String(20), unique=True)  # shown to the sender, quoted in any contact
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id"), index=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id"), index=True)
    sender_name: Mapped[str] = mapped_column(String(200))
    contact: Mapped[str] = mapped_column(String(254))  # an email address or a phone number
    content: Mapped[str] = mapped_column(Text)
    # The optional attachment, checked and stored by honours.core.storage (no account: no StoredFile uploader).
    file_name: Mapped[str] = mapped_column(String(255), default="")
    file_stored_name: Mapped[str | None] = mapped_column(String(64), unique=True)
    file_content_type: Mapped[str] = mapped_column(String(50), default="")
    file_size: Mapped[int] = mapped_column(default=0)
    state: Mapped[str] = mapped_column(String(20), default="received", index=True)
    reply: Mapped[str] = mapped_column(Text, default="")
    conclusion: Mapped[str] = mapped_column(Text, default="")
    received_at: Mapped[datetime] = mapped_column(default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now)

    dossier = relationship("Dossier")
    round = relationship("Round")

    @property
    def state_label(self) -> str:
        return OPINION.label(self.state)

    @property
    def concluded(self) -> bool:
        return self.state in FINAL
