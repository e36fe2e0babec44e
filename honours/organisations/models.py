from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from honours.core import clock
from honours.core.db import db
from honours.core.reference import ORGANISATION_TYPES


class Organisation(db.Model):
    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    org_type: Mapped[str] = mapped_column(String(20), index=True)
    contact_person: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    # Maximum dossiers the organisation may submit in one round; None = no limit.
    nomination_limit: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    users = relationship("User", back_populates="organisation")

    @property
    def type_label(self) -> str:
        return str(ORGANISATION_TYPES.get(self.org_type, self.org_type))
