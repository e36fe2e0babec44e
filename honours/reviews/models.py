"""The round's council, reviewer assignments, declared conflicts and score sheets."""
from datetime import datetime
from decimal import Decimal
from itertools import chain

from sqlalchemy import Column, ForeignKey, Numeric, String, Table, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from honours.core import clock
from honours.core.db import db
from honours.nominations.models import Dossier
from honours.rounds.models import Round

from .workflows import DRAFT, SCORE_SHEET, SUBMITTED

member_expertise = Table(
    "council_member_expertise",
    db.metadata,
    Column("member_id", ForeignKey("council_member.id", ondelete="CASCADE"), primary_key=True),
    Column("field_id", ForeignKey("round_field.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class CouncilMember(db.Model):
    """A council member of one round, optionally on a field sub-panel, with declared expertise."""

    __tablename__ = "council_member"
    __table_args__ = (UniqueConstraint("round_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    panel_field_id: Mapped[int | None] = mapped_column(ForeignKey("round_field.id"), index=True)
    # Where the member works: reviewing a dossier of that organisation, or a nominee working there, is a conflict.
    affiliation_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    affiliation: Mapped[str] = mapped_column(String(255), default="")

    user = relationship("User")
    round = relationship("Round")
    panel_field = relationship("RoundField")
    affiliation_organisation = relationship("Organisation")
    expertise = relationship("RoundField", secondary=member_expertise, order_by="RoundField.position")


class ReviewAssignment(db.Model):
    __tablename__ = "review_assignment"
    __table_args__ = (UniqueConstraint("dossier_id", "reviewer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    assigned_at: Mapped[datetime] = mapped_column(default=clock.now)
    assigned_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)

    dossier = relationship("Dossier")
    reviewer = relationship("User", foreign_keys=[reviewer_id])


class ConflictDeclaration(db.Model):
    """A declared conflict of interest: the reviewer is never (re)assigned to this dossier."""

    __tablename__ = "conflict_declaration"
    __table_args__ = (UniqueConstraint("dossier_id", "reviewer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    declared_at: Mapped[datetime] = mapped_column(default=clock.now)

    dossier = relationship("Dossier")
    reviewer = relationship("User")


class ScoreSheet(db.Model):
    """One reviewer's scores for one dossier; read-only once submitted unless the secretariat reopens it."""

    __tablename__ = "score_sheet"
    __table_args__ = (UniqueConstraint("dossier_id", "reviewer_id"), SCORE_SHEET.check_constraint())

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default=DRAFT, index=True)
    version: Mapped[int] = mapped_column(default=1)
    overall_comment: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=clock.now)
    submitted_at: Mapped[datetime | None]
    # Out of 100, to the cent, while submitted (None for a draft): kept by honours.reviews.totals, whoever writes.
    weighted_total: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))

    __mapper_args__ = {"version_id_col": version}

    dossier = relationship("Dossier")
    reviewer = relationship("User")
    items: Mapped[list["ScoreItem"]] = relationship(back_populates="sheet", cascade="all, delete-orphan")

    @property
    def is_submitted(self) -> bool:
        return self.status == SUBMITTED


class ScoreItem(db.Model):
    __tablename__ = "score_item"
    __table_args__ = (UniqueConstraint("sheet_id", "criterion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(ForeignKey("score_sheet.id"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criterion.id"), index=True)
    points: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    comment: Mapped[str] = mapped_column(Text, default="")

    sheet: Mapped[ScoreSheet] = relationship(back_populates="items")
    criterion = relationship("Criterion")


@event.listens_for(Session, "before_flush")
def _mark_scoring_started(session, flush_context, instances) -> None:
    """The first submitted sheet of a round freezes its criteria, weights and rules (rounds.services.save_round),
    whoever writes the sheet."""
    for record in chain(session.new, session.dirty):
        if isinstance(record, ScoreSheet) and record.status == SUBMITTED:
            dossier = record.dossier or session.get(Dossier, record.dossier_id)
            round_id = dossier.round_id if dossier is not None else None
            if round_id is None:
                continue
            round_ = session.get(Round, round_id)
            if round_ is not None and round_.scoring_started_at is None:
                round_.scoring_started_at = clock.now()
