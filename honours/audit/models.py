from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from honours import clock
from honours.extensions import db


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
