"""The audit log: append-only entries written in the same transaction as the change they describe.

A reason the application writes (not one a person typed) is stored as a code and its parameters, and rendered in
the reader's language when shown; `reason` keeps its Vietnamese wording, the language of the official record,
whatever the interface language of the actor was.
"""
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext
from sqlalchemy import JSON, ForeignKey, Index, String, Text, select
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship

from honours.core import audit_labels, clock
from honours.core.db import append_only, db


class AuditEntry(db.Model):
    """Append-only record of every state change: who, when, from -> to, why."""

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_entity", "entity_type", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=clock.now, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int]
    action: Mapped[str] = mapped_column(String(40))
    from_state: Mapped[str] = mapped_column(String(20), default="")
    to_state: Mapped[str] = mapped_column(String(20), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    reason_code: Mapped[str] = mapped_column(String(60), default="", server_default="")
    reason_params: Mapped[dict | None] = mapped_column(JSON, default=dict)

    actor = relationship("User")

    @property
    def reason_text(self) -> str:
        """The reason in the reader's language (a coded reason rendered; a bare number or code explained)."""
        message = REASONS.get(self.reason_code)
        if message:
            return gettext(message, **(self.reason_params or {}))
        return audit_labels.reason_text(self.entity_type, self.action, self.reason)

    # The entry in words (honours.core.audit_labels): what the audit log page and each history show.
    @property
    def entity_label(self) -> str:
        return audit_labels.entity_label(self.entity_type)

    @property
    def action_label(self) -> str:
        return audit_labels.action_label(self.entity_type, self.action)

    @property
    def from_label(self) -> str:
        return audit_labels.state_label(self.entity_type, self.from_state)

    @property
    def to_label(self) -> str:
        return audit_labels.state_label(self.entity_type, self.to_state)


class AuditLogIsAppendOnly(Exception):
    pass


append_only(AuditEntry, AuditLogIsAppendOnly, "audit entries cannot be changed or deleted")


# code -> Vietnamese message with %(name)s parameters; filled by Reason() in each feature.
REASONS: dict[str, str] = {}


def N_(message: str) -> str:
    """Marks a message for extraction (pybabel's default keyword) without translating it here."""
    return message


@dataclass(frozen=True)
class CodedReason:
    code: str
    params: dict = field(default_factory=dict)

    def vietnamese(self) -> str:
        message = REASONS[self.code]
        return message % self.params if self.params else message

    def strip(self) -> "CodedReason":  # reads like a typed reason where one is expected
        return self


class Reason:
    """A reason the application writes: `ADDED = Reason("reviews.added_reviewer", N_("Phân công thêm…"))`,
    then `ADDED(count=2)` wherever a typed reason would go."""

    def __init__(self, code: str, message: str):
        if REASONS.get(code, message) != message:
            raise ValueError(f"audit reason code {code!r} is defined twice")
        REASONS[code] = message
        self.code = code

    def __call__(self, **params) -> CodedReason:
        return CodedReason(self.code, params)


def record(actor, entity_type: str, entity_id: int, action: str, from_state: str = "", to_state: str = "",
           reason: "str | CodedReason" = "") -> AuditEntry:
    """Add an audit entry to the current transaction (committed together with the change it describes)."""
    coded = reason if isinstance(reason, CodedReason) else None
    entry = AuditEntry(
        actor_id=actor.id if actor else None, entity_type=entity_type, entity_id=entity_id,
        action=action, from_state=from_state, to_state=to_state,
        reason=coded.vietnamese() if coded else reason, reason_code=coded.code if coded else "",
        reason_params=coded.params if coded else {},
    )
    db.session.add(entry)
    return entry


def history(entity_type: str, entity_id: int) -> list[AuditEntry]:
    return list(db.session.scalars(
        select(AuditEntry).options(joinedload(AuditEntry.actor))
        .where(AuditEntry.entity_type == entity_type, AuditEntry.entity_id == entity_id)
        .order_by(AuditEntry.at, AuditEntry.id)
    ))
