from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from honours.core import clock
from honours.core.db import db
from honours.core.profile import ProfileColumns


class Person(ProfileColumns, db.Model):
    """An intellectual or expert (trí thức, chuyên gia). Nominations and referrals point here; the profile holds the
    most recent data any of them brought. A merged duplicate stays as a tombstone pointing at the survivor, so links
    and exported ids never dangle."""

    __tablename__ = "person"
    __table_args__ = (Index("ix_person_identity", "name_folded", "date_of_birth"),)
    # The directory's search filters on these.
    indexed_profile_columns = ("gender", "date_of_birth", "ethnicity", "academic_title", "degree", "is_overseas")

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=1)
    # Given name first (Vietnamese order), folded: the sort key of every list.
    sort_key: Mapped[str] = mapped_column(String(200), index=True)
    # The organisation that last nominated or referred the person.
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    field: Mapped[str] = mapped_column(String(200), default="", index=True)
    expertise: Mapped[str] = mapped_column(Text, default="")
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
