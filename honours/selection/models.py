"""What selection by standards records on a dossier: the nominator's claims with their evidence, the appraisal per
standard, the clarification exchange, and the secretariat's overrides of failed eligibility rules."""
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from honours.core import clock, roles
from honours.core.db import db, state_check
from honours.core.workflow import Transition, Workflow

MET = "met"
NOT_MET = "not_met"
CLARIFY = "clarify"
VERDICTS = {MET: _l("Đạt"), NOT_MET: _l("Không đạt"), CLARIFY: _l("Cần làm rõ")}

OPEN = "open"
ANSWERED = "answered"
CLARIFICATION = Workflow("clarification", {OPEN: _l("Chờ đơn vị trả lời"), ANSWERED: _l("Đơn vị đã trả lời")}, (
    Transition("answer", (OPEN,), ANSWERED, (roles.NOMINATOR,), needs_reason=True),
))


class StandardClaim(db.Model):
    """The nominator says the nominee meets an achievement standard, pointing at its evidence: an achievement of
    the dossier (by its position: the rows are rewritten on every save) and/or an attachment."""

    __tablename__ = "standard_claim"
    __table_args__ = (UniqueConstraint("dossier_id", "standard_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id"), index=True)
    standard_id: Mapped[int] = mapped_column(ForeignKey("round_standard.id"), index=True)
    achievement_position: Mapped[int | None]
    attachment_id: Mapped[int | None] = mapped_column(ForeignKey("attachment.id", ondelete="SET NULL"), index=True)
    note: Mapped[str] = mapped_column(Text, default="")

    standard = relationship("Standard")
    attachment = relationship("Attachment")


class StandardAppraisal(db.Model):
    """The appraisal of one standard on one dossier: met / not met / needs clarification, with a note."""

    __tablename__ = "standard_appraisal"
    __table_args__ = (UniqueConstraint("dossier_id", "standard_id"),
                      state_check("verdict", VERDICTS))

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id"), index=True)
    standard_id: Mapped[int] = mapped_column(ForeignKey("round_standard.id"), index=True)
    verdict: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    appraised_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    appraised_at: Mapped[datetime] = mapped_column(default=clock.now)

    standard = relationship("Standard")

    @property
    def verdict_label(self) -> str:
        return str(VERDICTS.get(self.verdict, self.verdict))


class Clarification(db.Model):
    """A question on one standard sent to the nominating organisation, and its answer (with an optional new file):
    the dossier is not resubmitted."""

    __tablename__ = "clarification"
    __table_args__ = (CLARIFICATION.check_constraint(),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id"), index=True)
    standard_id: Mapped[int] = mapped_column(ForeignKey("round_standard.id"), index=True)
    state: Mapped[str] = mapped_column(String(20), default=OPEN)
    question: Mapped[str] = mapped_column(Text)
    asked_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    asked_at: Mapped[datetime] = mapped_column(default=clock.now)
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    answered_at: Mapped[datetime | None]
    attachment_id: Mapped[int | None] = mapped_column(ForeignKey("attachment.id", ondelete="SET NULL"), index=True)

    standard = relationship("Standard")
    attachment = relationship("Attachment")

    @property
    def state_label(self) -> str:
        return CLARIFICATION.label(self.state)


class RuleOverride(db.Model):
    """The secretariat accepts a dossier although an eligibility rule failed, with the reason (audited)."""

    __tablename__ = "rule_override"
    __table_args__ = (UniqueConstraint("dossier_id", "rule_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id"), index=True)
    rule_kind: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text)
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    decided_at: Mapped[datetime] = mapped_column(default=clock.now)
