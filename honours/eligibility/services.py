"""The secretariat's inbox: filtered, searchable, with duplicate flags computed in one query per page."""
from dataclasses import dataclass

from sqlalchemy import Select, func, select, tuple_
from sqlalchemy.orm import selectinload

from honours.core.db import db
from honours.core.text import like_pattern
from honours.nominations import states
from honours.nominations.models import Dossier

VISIBLE_STATES = tuple(s for s in states.STATE_LABELS if s != states.DRAFT)


@dataclass
class InboxFilter:
    round_id: int | None = None
    field_id: int | None = None
    organisation_id: int | None = None
    state: str | None = None
    q: str = ""


def inbox_page(criteria: InboxFilter, page: int, per_page: int = 25):
    """One page of the inbox. The whole inbox is sorted for every page, so the sort reads ids only; the page's
    dossiers are loaded afterwards (a "deferred join")."""
    pagination = db.paginate(inbox_query(criteria), page=page, per_page=per_page, error_out=False)
    ids = list(pagination.items)
    dossiers = {d.id: d for d in db.session.scalars(
        select(Dossier).options(selectinload(Dossier.field), selectinload(Dossier.organisation))
        .where(Dossier.id.in_(ids)))}
    pagination.items = [dossiers[dossier_id] for dossier_id in ids]
    return pagination


def inbox_query(criteria: InboxFilter) -> Select:
    """The ids of the inbox's dossiers, in inbox order."""
    query = select(Dossier.id).where(Dossier.state != states.DRAFT)
    if criteria.round_id:
        query = query.where(Dossier.round_id == criteria.round_id)
    if criteria.field_id:
        query = query.where(Dossier.field_id == criteria.field_id)
    if criteria.organisation_id:
        query = query.where(Dossier.organisation_id == criteria.organisation_id)
    if criteria.state in VISIBLE_STATES:
        query = query.where(Dossier.state == criteria.state)
    if criteria.q.strip():
        query = query.where(Dossier.name_folded.like(like_pattern(criteria.q), escape="\\"))
    # Waiting dossiers first, oldest submission first: first come, first checked.
    waiting_first = (Dossier.state.in_(states.AWAITING_CHECK)).desc()
    return query.order_by(waiting_first, Dossier.submitted_at, Dossier.id)


def duplicate_ids(dossiers: list[Dossier]) -> set[int]:
    """Ids among `dossiers` whose person (folded name + birth date) is nominated by several organisations."""
    if not dossiers:
        return set()
    keys = {(d.round_id, d.name_folded, d.date_of_birth) for d in dossiers}
    shared = set(db.session.execute(
        select(Dossier.round_id, Dossier.name_folded, Dossier.date_of_birth)
        .where(Dossier.state != states.DRAFT,
               tuple_(Dossier.round_id, Dossier.name_folded, Dossier.date_of_birth).in_(list(keys)))
        .group_by(Dossier.round_id, Dossier.name_folded, Dossier.date_of_birth)
        .having(func.count(func.distinct(Dossier.organisation_id)) > 1)
    ).all())
    return {d.id for d in dossiers if (d.round_id, d.name_folded, d.date_of_birth) in shared}
