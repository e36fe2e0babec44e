"""The audit log page's queries and its CSV export (entries themselves: honours.core.audit)."""
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import joinedload

from honours.core.audit import AuditEntry, record
from honours.core.db import db
from honours.core.spreadsheets import defuse
from honours.core.transactions import operation

# ---------------------------------------------------------------- the log page and its export

@dataclass
class LogFilter:
    actor: str = ""
    entity_type: str = ""
    entity_id: int | None = None
    action: str = ""
    date_from: date | None = None
    date_to: date | None = None
    q: str = ""


def _contains(text: str) -> str:
    escaped = text.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def log_query(criteria: LogFilter) -> Select:
    """Newest first, with each entry's actor loaded in the same query."""
    from honours.auth.models import User

    statement = select(AuditEntry).options(joinedload(AuditEntry.actor))
    if criteria.actor:
        pattern = _contains(criteria.actor)
        statement = statement.where(AuditEntry.actor_id.in_(select(User.id).where(or_(
            func.lower(User.email).like(pattern, escape="\\"), func.lower(User.full_name).like(pattern, escape="\\"),
        ))))
    if criteria.entity_type:
        statement = statement.where(AuditEntry.entity_type == criteria.entity_type)
    if criteria.entity_id is not None:
        statement = statement.where(AuditEntry.entity_id == criteria.entity_id)
    if criteria.action:
        statement = statement.where(AuditEntry.action == criteria.action)
    if criteria.date_from:
        statement = statement.where(AuditEntry.at >= datetime.combine(criteria.date_from, time.min))
    if criteria.date_to:
        statement = statement.where(AuditEntry.at < datetime.combine(criteria.date_to + timedelta(days=1), time.min))
    if criteria.q:
        statement = statement.where(func.lower(AuditEntry.reason).like(_contains(criteria.q), escape="\\"))
    return statement.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())


def known_values() -> tuple[list[str], list[str]]:
    """The entity types and actions present in the log (for the filter lists)."""
    entity_types = db.session.scalars(select(AuditEntry.entity_type).distinct().order_by(AuditEntry.entity_type))
    actions = db.session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action))
    return list(entity_types), list(actions)





@operation
def export_csv(actor, criteria: LogFilter, headings: list[str]) -> Iterator[bytes]:
    """The filtered log as CSV (UTF-8 with a BOM, for Excel), in chunks to stream, in words like the page (labels,
    not codes). The export itself is logged first."""
    record(actor, "audit_log", 0, "export", reason=_describe(criteria))
    db.session.flush()
    return _csv_chunks(criteria, headings)


def _csv_chunks(criteria: LogFilter, headings: list[str]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> bytes:
        chunk = buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()
        return chunk

    writer.writerow(headings)
    yield "\ufeff".encode("utf-8") + flush()
    entries = db.session.scalars(log_query(criteria).execution_options(yield_per=500))
    for count, entry in enumerate(entries, 1):
        actor_user = entry.actor
        writer.writerow([defuse(value) for value in (
            entry.at.strftime("%d/%m/%Y %H:%M:%S"), actor_user.email if actor_user else "",
            actor_user.full_name if actor_user else "", entry.entity_label, entry.entity_id, entry.action_label,
            entry.from_label, entry.to_label, entry.reason_text,
        )])
        if count % 500 == 0:
            yield flush()
    yield flush()


def _describe(criteria: LogFilter) -> str:
    parts = [f"{name}={value}" for name, value in vars(criteria).items() if value not in (None, "")]
    return "; ".join(parts)[:1000]
