from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from honours.core import clock
from honours.core.db import db
from honours.core.profile import ProfileColumns
from honours.core.reference import ACHIEVEMENT_KINDS
from honours.core.storage import StoredFile

from .states import DOSSIER, STATE_LABELS


class Dossier(ProfileColumns, db.Model):
    """A nomination dossier (hồ sơ đề cử) submitted by an organisation in a round: the nominee's profile, the
    round field and the merits."""

    __tablename__ = "dossier"
    __table_args__ = (
        Index("ix_dossier_round_state", "round_id", "state"),
        Index("ix_dossier_round_person", "round_id", "name_folded", "date_of_birth"),
        DOSSIER.check_constraint(),
    )
    indexed_profile_columns = ("name_folded",)  # the duplicate check looks nominees up by folded name

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    field_id: Mapped[int] = mapped_column(ForeignKey("round_field.id"), index=True)
    state: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    # Optimistic locking: every UPDATE checks and bumps it, so a stale write fails instead of overwriting.
    version: Mapped[int] = mapped_column(default=1)

    # Years the nominee has lived or worked in the province (an eligibility rule of some rounds); None: not given.
    years_in_province: Mapped[int | None]
    merits_summary: Mapped[str] = mapped_column(Text, default="")
    # The short public citation shown when the honoured list is published (written by the secretariat).
    citation: Mapped[str] = mapped_column(Text, default="")

    # The latest secretariat reason (return / ineligible), shown to the nominator; history is in the audit log.
    last_reason: Mapped[str] = mapped_column(Text, default="")
    supplement_deadline: Mapped[datetime | None]
    submission_count: Mapped[int] = mapped_column(default=0)
    submitted_at: Mapped[datetime | None]
    # The intellectuals-database record of the nominee, linked at first submission.
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now)
    # What the nominating organisation sees as "last updated": its own edits and the steps it is told of
    # (states.NOMINATOR_ACTIONS). Internal steps (reviews, the council, citations saved before publication) move
    # updated_at only, so the organisation cannot read the unpublished outcome from times or list order.
    nominator_updated_at: Mapped[datetime] = mapped_column(default=clock.now)

    __mapper_args__ = {"version_id_col": version}

    round = relationship("Round")
    person = relationship("Person")
    organisation = relationship("Organisation")
    field = relationship("RoundField")
    created_by = relationship("User")
    achievements: Mapped[list["Achievement"]] = relationship(
        back_populates="dossier", order_by="Achievement.position", cascade="all, delete-orphan"
    )
    attachments: Mapped[list["Attachment"]] = relationship(
        back_populates="dossier", order_by="Attachment.id", cascade="all, delete-orphan"
    )
    submissions: Mapped[list["DossierSubmission"]] = relationship(
        back_populates="dossier", order_by="DossierSubmission.number", cascade="all, delete-orphan"
    )

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS.get(self.state, self.state))

    @property
    def current_attachments(self) -> list["Attachment"]:
        """The files the dossier presents now (those replaced after a return are kept but not counted)."""
        return [a for a in self.attachments if a.is_current]

    @property
    def superseded_attachments(self) -> list["Attachment"]:
        return [a for a in self.attachments if not a.is_current]

    def shown_state(self, user) -> tuple[str, str]:
        """(key, label) of the state this user may see. Nominators see "in selection" until the round is
        published: the council's results are not theirs to know before the announcement."""
        from honours.core import roles

        from .states import IN_SELECTION, IN_SELECTION_LABEL

        if user.role == roles.NOMINATOR and self.state in IN_SELECTION and not self.round.published_at:
            return "in_selection", str(IN_SELECTION_LABEL)
        return self.state, self.state_label


class Achievement(db.Model):
    """A structured achievement: publication, patent, award, project or work, with its year."""

    __tablename__ = "achievement"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    year: Mapped[int]
    title: Mapped[str] = mapped_column(String(500))
    details: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)

    dossier: Mapped[Dossier] = relationship(back_populates="achievements")

    @property
    def kind_label(self) -> str:
        return str(ACHIEVEMENT_KINDS.get(self.kind, self.kind))


class Attachment(StoredFile, db.Model):
    """A file of a dossier. Once part of a submission it is never deleted: the submission's snapshot names it, and
    after a return a new upload supersedes it (the old file stays, listed as replaced)."""

    __tablename__ = "attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id"), index=True)
    # The number of the first submission the file was part of; None while it may still be deleted.
    submitted_in: Mapped[int | None]
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("attachment.id", ondelete="SET NULL"),
                                                         index=True)

    dossier: Mapped[Dossier] = relationship(back_populates="attachments")

    @property
    def is_current(self) -> bool:
        return self.superseded_by_id is None

    @property
    def is_locked(self) -> bool:
        return self.submitted_in is not None


class DossierSubmission(db.Model):
    """A frozen copy of the dossier as it was at each (re)submission, so supplements keep their history."""

    __tablename__ = "dossier_submission"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id"), index=True)
    number: Mapped[int]
    submitted_at: Mapped[datetime] = mapped_column(default=clock.now)
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    snapshot: Mapped[dict] = mapped_column(JSON)

    dossier: Mapped[Dossier] = relationship(back_populates="submissions")
    submitted_by = relationship("User")


class DuplicateCheck(db.Model):
    """A nominator account asked whether a person (round, name, birth date; hashed) is nominated elsewhere: the
    checks are counted per account, so the warning is not an oracle for guessing other organisations'
    nominations."""

    __tablename__ = "duplicate_check"
    __table_args__ = (Index("ix_duplicate_check_user_at", "user_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    identity: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(default=clock.now, index=True)
