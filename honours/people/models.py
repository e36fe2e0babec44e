from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from honours.core import clock
from honours.core.db import db
from honours.core.profile import ProfileColumns

from .workflows import PENDING, PERSON_CHANGE


class Person(ProfileColumns, db.Model):
    """An intellectual or expert (trí thức, chuyên gia). Nominations and referrals point here; the profile holds the
    most recent data any of them brought. A merged duplicate stays as a tombstone pointing at the survivor, so links
    and exported ids never dangle."""

    __tablename__ = "person"
    __table_args__ = (
        Index("ix_person_identity", "name_folded", "date_of_birth"),
        # The duplicates screen's groups, read from the index alone (migration b2c9e4f7a3d8).
        Index("ix_person_live_identity", "name_folded", "date_of_birth",
              postgresql_where=text("merged_into_id IS NULL"), sqlite_where=text("merged_into_id IS NULL")),
    )
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
    # Số định danh cá nhân (12 digits), when a staff list brought it: the surest match of a later list. Shown to
    # the secretariat only; never in an export, a public page or anything an organisation reads.
    citizen_id: Mapped[str | None] = mapped_column(String(12), index=True)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now)

    __mapper_args__ = {"version_id_col": version}

    organisation = relationship("Organisation")
    merged_into = relationship("Person", remote_side=[id])

    def age_on(self, day: date) -> int:
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class PersonChangeProposal(db.Model):
    """A change a nomination or referral proposes to an existing person record: the secretariat accepts or
    rejects it. What a nominator types never overwrites the record itself (honours.people.linking)."""

    __tablename__ = "person_change_proposal"
    __table_args__ = (
        Index("ix_person_change_proposal_person_state", "person_id", "state"),
        Index("ix_person_change_proposal_source", "source_type", "source_id"),
        PERSON_CHANGE.check_constraint(),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    # A Person attribute (honours.people.linking.PROPOSED_FIELDS); values as text (linking.as_text).
    field: Mapped[str] = mapped_column(String(40))
    old_value: Mapped[str] = mapped_column(Text, default="")
    proposed_value: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(20), default=PENDING, index=True)
    # Where it came from: a dossier or a referral, the organisation that sent it and the account that proposed it.
    source_type: Mapped[str] = mapped_column(String(20))
    source_id: Mapped[int]
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)

    person = relationship("Person")
    organisation = relationship("Organisation")
    proposed_by = relationship("User", foreign_keys=[proposed_by_id])

    @property
    def state_label(self) -> str:
        return PERSON_CHANGE.label(self.state)
