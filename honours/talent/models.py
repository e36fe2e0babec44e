from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from honours.core import clock
from honours.core.db import db
from honours.core.profile import ProfileColumns
from honours.core.reference import AVAILABILITY
from honours.core.storage import StoredFile

from .workflows import (  # noqa: F401  (the states are importable from here, as they always were)
    ACCEPTED,
    ACTIVE,
    CLOSED,
    CONTACTED,
    DECLINED,
    DRAFT,
    ENGAGED,
    NEED,
    NEED_MATCH,
    NEED_STATUS_LABELS,
    NOT_SUITABLE,
    OPEN,
    OUTCOME_LABELS,
    POOL_ENTRY,
    POOL_STATUS_LABELS,
    PROPOSED,
    RECORDED_OUTCOMES,
    REFERRAL,
    REFERRAL_STATE_LABELS,
    RETIRED,
    SUBMITTED,
)

KEEP, UPDATE, RETIRE = "keep", "update", "retire"
REVIEW_DECISION_LABELS = {KEEP: _l("Giữ nguyên"), UPDATE: _l("Cập nhật"), RETIRE: _l("Rút khỏi nguồn")}


class Referral(ProfileColumns, db.Model):
    """A referral (phiếu tiến cử) of a talented person by an organisation: the profile as in nominations plus
    expertise keywords, the proposed role, availability and the referrer's justification."""

    __tablename__ = "referral"
    __table_args__ = (Index("ix_referral_person_identity", "name_folded", "date_of_birth"), REFERRAL.check_constraint())

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    state: Mapped[str] = mapped_column(String(20), default=DRAFT, index=True)
    version: Mapped[int] = mapped_column(default=1)

    consent_national_db: Mapped[bool] = mapped_column(default=False)

    field: Mapped[str] = mapped_column(String(200))
    expertise_keywords: Mapped[str] = mapped_column(Text, default="")
    proposed_role: Mapped[str] = mapped_column(String(500), default="")
    availability: Mapped[str] = mapped_column(String(20), default="part_time")
    justification: Mapped[str] = mapped_column(Text, default="")

    decline_reason: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime | None] = mapped_column(index=True)
    screened_at: Mapped[datetime | None] = mapped_column(index=True)
    screened_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    pool_entry_id: Mapped[int | None] = mapped_column(ForeignKey("talent_pool_entry.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now)

    __mapper_args__ = {"version_id_col": version}

    organisation = relationship("Organisation")
    person = relationship("Person")
    pool_entry = relationship("PoolEntry", back_populates="referrals")
    created_by = relationship("User", foreign_keys=[created_by_id])
    screened_by = relationship("User", foreign_keys=[screened_by_id])
    attachments: Mapped[list["ReferralAttachment"]] = relationship(
        back_populates="referral", order_by="ReferralAttachment.id", cascade="all, delete-orphan"
    )

    @property
    def state_label(self) -> str:
        return REFERRAL.label(self.state)

    @property
    def availability_label(self) -> str:
        return str(AVAILABILITY.get(self.availability, self.availability))


class ReferralAttachment(StoredFile, db.Model):
    """A file attached to a referral; stored like dossier attachments (sniffed, outside static/)."""

    __tablename__ = "referral_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id"), index=True)

    referral: Mapped[Referral] = relationship(back_populates="attachments")


class PoolEntry(db.Model):
    """A person in the talent pool (nguồn nhân tài), with what they can do and when to screen them again."""

    __tablename__ = "talent_pool_entry"
    __table_args__ = (POOL_ENTRY.check_constraint(),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=1)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), unique=True)
    status: Mapped[str] = mapped_column(String(20), default=ACTIVE, index=True)
    field: Mapped[str] = mapped_column(String(200), index=True)
    expertise_keywords: Mapped[str] = mapped_column(Text, default="")
    proposed_role: Mapped[str] = mapped_column(String(500), default="")
    availability: Mapped[str] = mapped_column(String(20), default="part_time")
    notes: Mapped[str] = mapped_column(Text, default="")
    next_review_on: Mapped[date] = mapped_column(index=True)
    added_at: Mapped[datetime] = mapped_column(default=clock.now, index=True)
    added_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    retired_at: Mapped[datetime | None]

    __mapper_args__ = {"version_id_col": version}

    person = relationship("Person")
    added_by = relationship("User")
    referrals: Mapped[list[Referral]] = relationship(back_populates="pool_entry", order_by="Referral.id")
    reviews: Mapped[list["PoolReview"]] = relationship(
        back_populates="entry", order_by="PoolReview.id", cascade="all, delete-orphan"
    )

    @property
    def status_label(self) -> str:
        return POOL_ENTRY.label(self.status)

    @property
    def availability_label(self) -> str:
        return str(AVAILABILITY.get(self.availability, self.availability))


class PoolReview(db.Model):
    """One periodic screening (sàng lọc định kỳ) of a pool entry: kept, updated (what changed) or retired."""

    __tablename__ = "talent_pool_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("talent_pool_entry.id"), index=True)
    decision: Mapped[str] = mapped_column(String(10))
    # {"field": ["old", "new"], ...} for an update.
    changes: Mapped[dict] = mapped_column(JSON, default=dict)
    note: Mapped[str] = mapped_column(Text, default="")
    next_review_on: Mapped[date | None]
    reviewed_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    reviewed_at: Mapped[datetime] = mapped_column(default=clock.now)

    entry: Mapped[PoolEntry] = relationship(back_populates="reviews")
    reviewed_by = relationship("User")

    @property
    def decision_label(self) -> str:
        return str(REVIEW_DECISION_LABELS.get(self.decision, self.decision))


class TalentNeed(db.Model):
    """A need or commissioned task (nhu cầu / đặt hàng) posted by a department or the secretariat."""

    __tablename__ = "talent_need"
    __table_args__ = (NEED.check_constraint(),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=1)
    # The posting department; None when the secretariat posts on the province's behalf.
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    field: Mapped[str] = mapped_column(String(200), index=True)
    expertise_keywords: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    deadline: Mapped[date] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(String(20), default=OPEN, index=True)
    posted_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    __mapper_args__ = {"version_id_col": version}

    organisation = relationship("Organisation")
    posted_by = relationship("User")
    matches: Mapped[list["NeedMatch"]] = relationship(
        back_populates="need", order_by="NeedMatch.id", cascade="all, delete-orphan"
    )

    @property
    def status_label(self) -> str:
        return NEED.label(self.status)


class NeedMatch(db.Model):
    """A pool member proposed for a need, and what came of it (outcome history in the audit log)."""

    __tablename__ = "talent_match"
    __table_args__ = (UniqueConstraint("need_id", "entry_id"), NEED_MATCH.check_constraint())

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=1)
    need_id: Mapped[int] = mapped_column(ForeignKey("talent_need.id"), index=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("talent_pool_entry.id"), index=True)
    outcome: Mapped[str] = mapped_column(String(20), default=PROPOSED, index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    outcome_at: Mapped[datetime] = mapped_column(default=clock.now, index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    __mapper_args__ = {"version_id_col": version}

    need: Mapped[TalentNeed] = relationship(back_populates="matches")
    entry: Mapped[PoolEntry] = relationship()
    created_by = relationship("User")

    @property
    def outcome_label(self) -> str:
        return NEED_MATCH.label(self.outcome)
