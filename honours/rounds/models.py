from datetime import date, datetime
from decimal import Decimal
from uuid import uuid4

from sqlalchemy import JSON, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from honours.core import clock
from honours.core.db import db
from honours.core.reference import ATTACHMENT_KINDS, PROGRAMMES

# The council stage of a round, kept on the round by the council (a later stage) so that scoring and the round's
# settings can freeze without importing it.
COUNCIL_NOT_MET = ""
COUNCIL_DELIBERATING = "deliberating"  # a session is open, or closed and waiting for the chair
COUNCIL_CONFIRMED = "confirmed"
COUNCIL_STAGES = (COUNCIL_NOT_MET, COUNCIL_DELIBERATING, COUNCIL_CONFIRMED)
# The attachment kinds (honours.core.reference.ATTACHMENT_KINDS) a new round asks of every dossier; rounds that
# existed before the setting got the same.
DEFAULT_REQUIRED_ATTACHMENT_KINDS = ("cv", "endorsement")
# How the round's regulation selects (docs/selection.md): weighted points, standards (no points), or both (the
# standards decide who goes to the ballot, the points rank and advise).
POINTS = "points"
STANDARDS = "standards"
BOTH = "both"
SELECTION_METHODS = (POINTS, STANDARDS, BOTH)
GENERAL = "general"  # every general standard must be met
ACHIEVEMENT = "achievement"  # at least Round.achievement_standards_needed of them
STANDARD_KINDS = (GENERAL, ACHIEVEMENT)


class Round(db.Model):
    """An honouring round (đợt xét tôn vinh): programme + year, stages, fields, criteria, council rules."""

    __tablename__ = "round"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    programme: Mapped[str] = mapped_column(String(30), default="honours")
    year: Mapped[int] = mapped_column(index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    nominations_open_at: Mapped[datetime]
    nominations_close_at: Mapped[datetime]
    review_close_at: Mapped[datetime]
    council_date: Mapped[date]
    # Council rules, used by the scoring and council stages.
    reviewers_per_dossier: Mapped[int] = mapped_column(default=3)
    quorum_rule: Mapped[str] = mapped_column(String(20), default="two_thirds")
    approval_rule: Mapped[str] = mapped_column(String(20), default="majority")
    min_average_score: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    score_decimals: Mapped[int] = mapped_column(default=1)
    trim_extremes: Mapped[bool] = mapped_column(default=True)
    deviation_flag_percent: Mapped[int] = mapped_column(default=20)
    council_stage: Mapped[str] = mapped_column(String(20), default=COUNCIL_NOT_MET, server_default="")
    # When the first score sheet was submitted (set by reviews, a later stage): criteria, weights and the rules the
    # result rests on are frozen from then on.
    scoring_started_at: Mapped[datetime | None]
    # The attachment kinds every dossier must include before it can be submitted, comma-separated ("cv,evidence").
    # Empty: any one file will do.
    required_attachment_kinds: Mapped[str] = mapped_column(String(200), default="", server_default="")
    selection_method: Mapped[str] = mapped_column(String(20), default=POINTS, server_default=POINTS)
    achievement_standards_needed: Mapped[int] = mapped_column(default=1, server_default="1")
    published_at: Mapped[datetime | None]
    # Changes whenever the round's ranking or review to-dos could change (kept by honours.reviews.stamps; read by
    # the results page and the secretariat's home page to reuse what they computed).
    review_stamp: Mapped[str] = mapped_column(String(32), default=lambda: uuid4().hex)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    # Public notice of the proposed list after the council (honours.notice): its length in days (0: none), and when
    # the secretariat opened it; complaints about a decision on a dossier are accepted for complaint_days.
    notice_days: Mapped[int] = mapped_column(default=0, server_default="0")
    notice_opened_at: Mapped[datetime | None]
    notice_ends_at: Mapped[datetime | None]
    complaint_days: Mapped[int] = mapped_column(default=90, server_default="90")

    fields: Mapped[list["RoundField"]] = relationship(
        back_populates="round", order_by="RoundField.position", cascade="all, delete-orphan"
    )
    criteria: Mapped[list["Criterion"]] = relationship(
        back_populates="round", order_by="Criterion.position", cascade="all, delete-orphan"
    )

    standards: Mapped[list["Standard"]] = relationship(
        back_populates="round", order_by="Standard.position", cascade="all, delete-orphan"
    )
    eligibility_rules: Mapped[list["EligibilityRule"]] = relationship(
        back_populates="round", order_by="EligibilityRule.id", cascade="all, delete-orphan"
    )

    @property
    def uses_standards(self) -> bool:
        return self.selection_method in (STANDARDS, BOTH)

    @property
    def uses_points(self) -> bool:
        return self.selection_method in (POINTS, BOTH)

    @property
    def programme_label(self) -> str:
        return str(PROGRAMMES.get(self.programme, self.programme))

    @property
    def required_kinds(self) -> list[str]:
        return [kind for kind in self.required_attachment_kinds.split(",") if kind]

    @property
    def required_kind_labels(self) -> list[str]:
        return [str(ATTACHMENT_KINDS.get(kind, kind)) for kind in self.required_kinds]

    @required_kinds.setter
    def required_kinds(self, kinds) -> None:
        self.required_attachment_kinds = ",".join(kinds)

    def accepts_nominations(self, at: datetime) -> bool:
        return self.nominations_open_at <= at <= self.nominations_close_at


class RoundField(db.Model):
    """A field (lĩnh vực) of a round with its quota (chỉ tiêu)."""

    __tablename__ = "round_field"
    __table_args__ = (UniqueConstraint("round_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    quota: Mapped[int] = mapped_column(default=0)
    position: Mapped[int] = mapped_column(default=0)

    round: Mapped[Round] = relationship(back_populates="fields")


class Criterion(db.Model):
    """A scoring criterion: points 0..max_points, weighted (weights of a round sum to 100)."""

    __tablename__ = "criterion"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text, default="")
    max_points: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    weight: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    position: Mapped[int] = mapped_column(default=0)

    round: Mapped[Round] = relationship(back_populates="criteria")


class Standard(db.Model):
    """A selection standard of a round (tiêu chuẩn): general (all must be met) or achievement (at least K), with
    what it means and the evidence it asks for."""

    __tablename__ = "round_standard"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)

    round: Mapped[Round] = relationship(back_populates="standards")


class EligibilityRule(db.Model):
    """One of the fixed rule types (honours.selection.rules.RULE_TYPES) switched on for a round, with its
    parameters: checked automatically on every dossier, decided by the secretariat."""

    __tablename__ = "eligibility_rule"
    __table_args__ = (UniqueConstraint("round_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    params: Mapped[dict] = mapped_column(JSON, default=dict)

    round: Mapped[Round] = relationship(back_populates="eligibility_rules")
