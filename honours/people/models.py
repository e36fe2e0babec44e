from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from honours.core import clock
from honours.core.db import db
from honours.core.reference import ProfileLabels


class Person(ProfileLabels, db.Model):
    """An intellectual or expert (trí thức, chuyên gia). Nominations and referrals point here; the profile holds the
    most recent data any of them brought. A merged duplicate stays as a tombstone pointing at the survivor, so links
    and exported ids never dangle."""

    __tablename__ = "person"
    __table_args__ = (Index("ix_person_identity", "name_folded", "date_of_birth"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=1)
    full_name: Mapped[str] = mapped_column(String(200))
    name_folded: Mapped[str] = mapped_column(String(200))
    # Given name first (Vietnamese order), folded: the sort key of every list.
    sort_key: Mapped[str] = mapped_column(String(200), index=True)
    gender: Mapped[str] = mapped_column(String(10), index=True)
    date_of_birth: Mapped[date] = mapped_column(index=True)
    ethnicity: Mapped[str] = mapped_column(String(40), index=True)
    hometown: Mapped[str] = mapped_column(String(255), default="")
    workplace: Mapped[str] = mapped_column(String(255), default="")
    position: Mapped[str] = mapped_column(String(255), default="")
    # The organisation that last nominated or referred the person.
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    academic_title: Mapped[str] = mapped_column(String(10), default="", index=True)
    degree: Mapped[str] = mapped_column(String(10), default="", index=True)
    field: Mapped[str] = mapped_column(String(200), default="", index=True)
    expertise: Mapped[str] = mapped_column(Text, default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    is_overseas: Mapped[bool] = mapped_column(default=False, index=True)
    # The person agreed that their contact details go to the national database (Hệ thống CSDL quốc gia về trí thức).
    consent_national_db: Mapped[bool] = mapped_column(default=False)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now)

    __mapper_args__ = {"version_id_col": version}

    organisation = relationship("Organisation")
    merged_into = relationship("Person", remote_side=[id])

    def age_on(self, day: date) -> int:
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
