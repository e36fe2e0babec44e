"""The audit log: append-only entries written in the same transaction as the change they describe."""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, event, select
from sqlalchemy.orm import Mapped, Session, joinedload, mapped_column, relationship

from honours.core import clock
from honours.core.db import db


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

    actor = relationship("User")


class AuditLogIsAppendOnly(Exception):
    pass


@event.listens_for(AuditEntry, "before_update")
@event.listens_for(AuditEntry, "before_delete")
def _refuse_changes(mapper, connection, target):
    raise AuditLogIsAppendOnly("audit entries cannot be changed or deleted")


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_changes(state):
    """Bulk UPDATE/DELETE statements skip the mapper events above; refuse those through any session too."""
    table = getattr(state.statement, "table", None)
    if (state.is_update or state.is_delete) and getattr(table, "name", None) == AuditEntry.__tablename__:
        raise AuditLogIsAppendOnly("audit entries cannot be changed or deleted")


def record(actor, entity_type: str, entity_id: int, action: str, from_state: str = "", to_state: str = "",
           reason: str = "") -> AuditEntry:
    """Add an audit entry to the current transaction (committed together with the change it describes)."""
    entry = AuditEntry(
        actor_id=actor.id if actor else None, entity_type=entity_type, entity_id=entity_id,
        action=action, from_state=from_state, to_state=to_state, reason=reason,
    )
    db.session.add(entry)
    return entry


def history(entity_type: str, entity_id: int) -> list[AuditEntry]:
    return list(db.session.scalars(
        select(AuditEntry).options(joinedload(AuditEntry.actor))
        .where(AuditEntry.entity_type == entity_type, AuditEntry.entity_id == entity_id)
        .order_by(AuditEntry.at, AuditEntry.id)
    ))
