from honours.extensions import db

from .models import AuditEntry


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
    from sqlalchemy import select
    from sqlalchemy.orm import joinedload

    return list(db.session.scalars(
        select(AuditEntry).options(joinedload(AuditEntry.actor))
        .where(AuditEntry.entity_type == entity_type, AuditEntry.entity_id == entity_id)
        .order_by(AuditEntry.at, AuditEntry.id)
    ))
