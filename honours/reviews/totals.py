"""Each submitted score sheet keeps its weighted total, so a round's ranking is aggregated in SQL.

The total is on a 100-point scale, to the cent: the sum over the round's criteria of points / max_points * weight
(weights total 100), a criterion without points counting 0. The ORM keeps it, whoever writes: a sheet flushed as
submitted gets the total of its items (a draft: none), and a flush that changes a round's criteria (the rounds
feature edits them without knowing about sheets) recomputes the totals of the round's submitted sheets.
"""
from decimal import ROUND_HALF_UP, Decimal
from itertools import chain

from sqlalchemy import bindparam, event, inspect, select, update
from sqlalchemy.orm import Session

from honours.nominations.models import Dossier
from honours.rounds.models import Criterion

from .models import SUBMITTED, ScoreItem, ScoreSheet
from .stamps import touch

CENT = Decimal("0.01")
_ROUNDS_TO_REFRESH = "honours_reviews_total_rounds"


def quantize(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def weighted_total(points: dict[int, Decimal], criteria) -> Decimal:
    """`criteria`: anything with id, max_points and weight (Criterion objects or rows)."""
    total = sum((points.get(c.id, Decimal(0)) / c.max_points * c.weight for c in criteria), Decimal(0))
    return quantize(total)


def refresh_round_totals(connection, round_ids) -> None:
    """Recompute the totals of the rounds' submitted sheets from their items, in place (a set-based UPDATE: the
    sheets' versions do not move, the scores did not). Also a backfill for sheets written before the column."""
    round_ids = list(round_ids)
    criteria: dict[int, list] = {}
    for row in connection.execute(select(Criterion.id, Criterion.round_id, Criterion.max_points, Criterion.weight)
                                  .where(Criterion.round_id.in_(round_ids))):
        criteria.setdefault(row.round_id, []).append(row)
    sheets: dict[int, tuple[int, dict]] = {}
    for sheet_id, round_id, criterion_id, points in connection.execute(
        select(ScoreSheet.id, Dossier.round_id, ScoreItem.criterion_id, ScoreItem.points)
        .join(Dossier, Dossier.id == ScoreSheet.dossier_id)
        .outerjoin(ScoreItem, ScoreItem.sheet_id == ScoreSheet.id)
        .where(Dossier.round_id.in_(round_ids), ScoreSheet.status == SUBMITTED)
    ):
        scored = sheets.setdefault(sheet_id, (round_id, {}))[1]
        if criterion_id is not None and points is not None:
            scored[criterion_id] = points
    if sheets:
        table = ScoreSheet.__table__
        connection.execute(update(table).where(table.c.id == bindparam("sheet_id"))
                           .values(weighted_total=bindparam("total")),
                           [{"sheet_id": sheet_id, "total": weighted_total(points, criteria.get(round_id, []))}
                            for sheet_id, (round_id, points) in sheets.items()])
    if round_ids:
        touch(connection, round_ids)  # the rankings kept under the old stamps are out of date


def _rounds_with_changed_criteria(session) -> set[int]:
    """Rounds whose criteria this flush adds, removes, reweights or rescales."""
    rounds = set()
    for criterion in chain(session.new, session.dirty, session.deleted):
        if not isinstance(criterion, Criterion):
            continue
        if criterion in session.dirty and not any(
                inspect(criterion).attrs[name].history.has_changes() for name in ("weight", "max_points")):
            continue
        rounds.add(_parent_id(criterion, "round_id", "round"))
    return rounds - {None}


def _parent_id(record, column: str, relationship: str) -> int | None:
    """A new record may know its parent by the relationship only, until the flush sets the column."""
    value = getattr(record, column)
    return value if value is not None else getattr(record.__dict__.get(relationship), "id", None)


@event.listens_for(Session, "before_flush")
def _keep_sheet_totals(session, flush_context, instances) -> None:
    """A sheet written as submitted carries its items' total, a draft none; criteria changes are noted for after
    the flush (the UPDATE needs them written)."""
    sheets = [s for s in chain(session.new, session.dirty) if isinstance(s, ScoreSheet)]
    dossier_ids = {_parent_id(s, "dossier_id", "dossier") for s in sheets if s.status == SUBMITTED}
    criteria: dict[int, list[Criterion]] = {}
    if dossier_ids:
        for dossier_id, criterion in session.execute(
            select(Dossier.id, Criterion).join(Criterion, Criterion.round_id == Dossier.round_id)
            .where(Dossier.id.in_(dossier_ids)).order_by(Criterion.position)
        ):
            criteria.setdefault(dossier_id, []).append(criterion)
    for sheet in sheets:
        total = None
        if sheet.status == SUBMITTED:
            points = {item.criterion_id: item.points for item in sheet.items if item.points is not None}
            total = weighted_total(points, criteria.get(_parent_id(sheet, "dossier_id", "dossier"), []))
        if sheet.weighted_total != total:
            sheet.weighted_total = total
    rounds = _rounds_with_changed_criteria(session)
    if rounds:
        session.info.setdefault(_ROUNDS_TO_REFRESH, set()).update(rounds)


@event.listens_for(Session, "after_flush_postexec")
def _refresh_after_criteria_change(session, flush_context) -> None:
    rounds = session.info.pop(_ROUNDS_TO_REFRESH, None)
    if rounds:
        refresh_round_totals(session.connection(), rounds)
        for record in list(session.identity_map.values()):  # the loaded sheets would show their old totals
            if isinstance(record, ScoreSheet):
                session.expire(record, ["weighted_total"])
