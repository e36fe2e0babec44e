"""The secretariat's inbox: filtered, searchable, sortable, with state tabs and their counts, and duplicate flags
computed in one query per page."""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select, tuple_
from sqlalchemy.orm import selectinload

from honours.core.db import db
from honours.core.pagination import Page
from honours.core.text import like_pattern
from honours.nominations import states
from honours.nominations.models import Dossier
from honours.organisations.models import Organisation
from honours.rounds.models import RoundField

VISIBLE_STATES = tuple(s for s in states.STATE_LABELS if s != states.DRAFT)
AWAITING = "awaiting"
LATER = "later"
# The tabs over the list: a key, its label, the states it shows (the empty key: every state).
TABS = (
    ("", _l("Tất cả"), VISIBLE_STATES),
    (AWAITING, _l("Chờ thẩm định"), states.AWAITING_CHECK),
    (states.RETURNED, _l("Yêu cầu bổ sung"), (states.RETURNED,)),
    (states.ELIGIBLE, _l("Hợp lệ"), (states.ELIGIBLE,)),
    (states.INELIGIBLE, _l("Không hợp lệ"), (states.INELIGIBLE,)),
    (LATER, _l("Đã chuyển chấm điểm, xét chọn"), (*states.IN_SELECTION, states.PUBLISHED)),
)
TAB_STATES = {key: shown for key, _label, shown in TABS}
# The columns one may sort by (?sort=name, ?sort=-name for descending): nothing else reaches ORDER BY.
SORTS = {
    "name": Dossier.name_folded,
    "field": RoundField.name,
    "organisation": Organisation.name,
    "state": Dossier.state,
    "submitted": Dossier.submitted_at,
}


@dataclass
class InboxFilter:
    round_id: int | None = None
    field_id: int | None = None
    organisation_id: int | None = None
    state: str | None = None  # a tab key or one state
    q: str = ""
    sort: str = ""  # a key of SORTS, "-" in front for descending; "" is the inbox order


def sort_key(value: str | None) -> str:
    """The sort asked for if it is one of SORTS (else the inbox order)."""
    value = value or ""
    return value if value.lstrip("-") in SORTS else ""


def inbox_page(criteria: InboxFilter, page: int, per_page: int = 25) -> tuple[Page, dict[str, int]]:
    """One page of the inbox and the tabs' counts. The whole inbox is sorted for every page, so the sort reads ids
    only; the page's dossiers are loaded afterwards (a "deferred join"). The list's length comes from the tabs'
    counts (one grouped query serves both)."""
    per_state = _per_state(criteria)
    counts = {key: sum(per_state.get(s, 0) for s in shown) for key, _label, shown in TABS}
    pagination = Page(page=max(1, page), per_page=per_page, total=sum(per_state.get(s, 0) for s in _shown(criteria)))
    ids = list(db.session.scalars(inbox_query(criteria).limit(per_page).offset((pagination.page - 1) * per_page)))
    dossiers = {d.id: d for d in db.session.scalars(
        select(Dossier).options(selectinload(Dossier.field), selectinload(Dossier.organisation))
        .where(Dossier.id.in_(ids)))} if ids else {}
    pagination.items = [dossiers[dossier_id] for dossier_id in ids]
    return pagination, counts


def _shown(criteria: InboxFilter) -> tuple[str, ...]:
    """The states the list shows (as _filtered narrows them)."""
    if criteria.state in TAB_STATES and criteria.state:
        return TAB_STATES[criteria.state]
    if criteria.state in VISIBLE_STATES:
        return (criteria.state,)
    return VISIBLE_STATES


def _filtered(query: Select, criteria: InboxFilter, with_state: bool = True) -> Select:
    query = query.where(Dossier.state != states.DRAFT)
    if criteria.round_id:
        query = query.where(Dossier.round_id == criteria.round_id)
    if criteria.field_id:
        # Fields belong to a round: the filter means the field's name, so that "every round" lists each once.
        name = select(RoundField.name).where(RoundField.id == criteria.field_id).scalar_subquery()
        query = query.where(Dossier.field_id.in_(select(RoundField.id).where(RoundField.name == name)))
    if criteria.organisation_id:
        query = query.where(Dossier.organisation_id == criteria.organisation_id)
    if with_state:
        if criteria.state in TAB_STATES and criteria.state:
            query = query.where(Dossier.state.in_(TAB_STATES[criteria.state]))
        elif criteria.state in VISIBLE_STATES:
            query = query.where(Dossier.state == criteria.state)
    if criteria.q.strip():
        query = query.where(Dossier.name_folded.like(like_pattern(criteria.q), escape="\\"))
    return query


def inbox_query(criteria: InboxFilter) -> Select:
    """The ids of the inbox's dossiers, in the order asked for (by default: waiting first, first come)."""
    query = _filtered(select(Dossier.id), criteria)
    sort = sort_key(criteria.sort)
    if not sort:
        # Waiting dossiers first, oldest submission first: first come, first checked (an index matches this).
        waiting_first = (Dossier.state.in_(states.AWAITING_CHECK)).desc()
        return query.order_by(waiting_first, Dossier.submitted_at, Dossier.id)
    column = SORTS[sort.lstrip("-")]
    if column is RoundField.name:
        query = query.join(RoundField, RoundField.id == Dossier.field_id)
    elif column is Organisation.name:
        query = query.join(Organisation, Organisation.id == Dossier.organisation_id)
    descending = sort.startswith("-")
    return query.order_by(column.desc() if descending else column.asc(),
                          Dossier.id.desc() if descending else Dossier.id)


def _per_state(criteria: InboxFilter) -> dict[str, int]:
    """How many dossiers of each state the list holds under the filters other than the state (one query)."""
    return dict(db.session.execute(
        _filtered(select(Dossier.state, func.count(Dossier.id)), criteria, with_state=False)
        .group_by(Dossier.state)).all())


def next_in_list(criteria: InboxFilter, dossier_id: int) -> int | None:
    """The dossier after this one in the list (read before a decision moves it out of its tab)."""
    ids = db.session.scalars(inbox_query(criteria)).all()
    if dossier_id in ids:
        position = ids.index(dossier_id)
        return ids[position + 1] if position + 1 < len(ids) else None
    return next((i for i in ids if i != dossier_id), None)


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
