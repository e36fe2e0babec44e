"""The secretariat's results page at any size: ranked in SQL over the totals the sheets keep, shown a page at a time.

Ranking a round used to read every submitted sheet's items (with 10,000 dossiers and 45,000 sheets, seconds of
work). Each submitted sheet now keeps its weighted total (honours.reviews.totals), so one aggregate query gives
every ranked dossier's count, sum, lowest and highest total: exactly the mean and the trimmed mean (sum less the
two extremes), hence the final score, the rank and the quota line. Only the page's own sheets are read in full,
for the deviation, the flags and the raw scores.

The ranking itself (a few hundred milliseconds at 11,000 dossiers) is kept in the worker's memory under the round's
review stamp (honours.reviews.stamps), which every change to a sheet's status or total, a dossier's state, field or
name, or a criterion replaces: a view after any such change ranks again, every other view reuses the ranking. The
page's own rows are always read afresh.
"""
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from honours.auth.models import User
from honours.core.db import db
from honours.core.pagination import Page
from honours.core.text import fold, folded_name_sort_key
from honours.nominations.models import Dossier
from honours.rounds.models import Round

from .models import SUBMITTED, ScoreItem, ScoreSheet
from .results import RANKED_STATES, TRIM_MINIMUM, DossierResult, ReviewerTotal, summarise
from .stamps import StampedCache
from .totals import quantize


@dataclass
class PageRanking:
    """One field's rows on this page, with what the quota line needs from the whole field."""

    field_id: int
    name: str
    quota: int
    results: list[DossierResult]
    field_rows: int  # rows of the field on all pages
    starts_here: bool  # the field's first row is on this page
    any_within: bool  # some dossier of the field is within the quota
    last_within_id: int | None  # the dossier after which the quota line is drawn


@dataclass
class _Ranked:
    """A dossier's place in its field, from the aggregate query."""

    dossier_id: int
    final: Decimal | None
    rank: int | None = None
    within_quota: bool = False


@dataclass
class _Field:
    field_id: int
    name: str
    quota: int
    rows: list[_Ranked]
    last_within_id: int | None


def _final(round_: Round, count: int, total, lowest, highest) -> Decimal | None:
    """As results.summarise computes it from the totals themselves."""
    if not count:
        return None
    if round_.trim_extremes and count >= TRIM_MINIMUM:
        return quantize((total - lowest - highest) / (count - 2))
    return quantize(total / count)


_rankings = StampedCache()


def ranking(round_: Round) -> list[_Field]:
    """Every ranked dossier of the round in its field's order (best final score first, then by name; the unscored
    last, by name), with rank and quota: one query, or none while the round's review stamp has not moved. The
    rows are shared between views: read them, never change them."""
    # The round's own settings the ranking depends on are part of the stamp compared (they change without it).
    stamp = (round_.review_stamp, round_.trim_extremes, round_.min_average_score,
             tuple((f.id, f.name, f.quota) for f in round_.fields))
    fields = _rankings.get(round_.id, stamp)
    if fields is None:
        fields = _rank(round_)
        _rankings.put(round_.id, stamp, fields)
    return fields


def _rank(round_: Round) -> list[_Field]:
    # A submitted sheet always has its total (honours.reviews.totals; a bulk load must write it, as the migration
    # backfilled it): one without is left out here and on the page alike, never counted as 0.
    sheets = (select(ScoreSheet.dossier_id, func.count(ScoreSheet.weighted_total).label("count"),
                     func.sum(ScoreSheet.weighted_total).label("total"),
                     func.min(ScoreSheet.weighted_total).label("lowest"),
                     func.max(ScoreSheet.weighted_total).label("highest"))
              .join(Dossier, Dossier.id == ScoreSheet.dossier_id)
              .where(Dossier.round_id == round_.id, ScoreSheet.status == SUBMITTED)
              .group_by(ScoreSheet.dossier_id).subquery())
    rows = db.session.execute(
        select(Dossier.id, Dossier.field_id, Dossier.full_name, Dossier.name_folded, sheets.c.count, sheets.c.total,
               sheets.c.lowest, sheets.c.highest)
        .outerjoin(sheets, sheets.c.dossier_id == Dossier.id)
        .where(Dossier.round_id == round_.id, Dossier.state.in_(RANKED_STATES))
    ).all()
    by_field: dict[int, list[tuple[_Ranked, tuple]]] = {f.id: [] for f in round_.fields}  # with its sort key
    for dossier_id, field_id, full_name, folded, count, total, lowest, highest in rows:
        by_field[field_id].append((_Ranked(dossier_id, _final(round_, count, total, lowest, highest)),
                                   (folded_name_sort_key(folded or fold(full_name)), dossier_id)))
    fields = []
    for field in round_.fields:
        scored = [r for r, _key in sorted((x for x in by_field[field.id] if x[0].final is not None),
                                          key=lambda x: (-x[0].final, x[1]))]
        unscored = [r for r, _key in sorted((x for x in by_field[field.id] if x[0].final is None),
                                            key=lambda x: x[1])]
        for position, row in enumerate(scored, start=1):
            row.rank = position
        minimum = round_.min_average_score
        within = [r for r in scored if minimum is None or r.final >= minimum][:field.quota]
        for row in within:
            row.within_quota = True
        fields.append(_Field(field.id, field.name, field.quota, scored + unscored,
                             within[-1].dossier_id if within else None))
    return fields


def _results(round_: Round, rows: list[_Ranked]) -> dict[int, DossierResult]:
    """The page's dossiers with their sheets (reviewer, points, total), summarised as results.round_results does."""
    ids = [row.dossier_id for row in rows]
    results = {d.id: DossierResult(dossier=d) for d in db.session.scalars(
        select(Dossier).options(joinedload(Dossier.organisation)).where(Dossier.id.in_(ids)))}
    sheets: dict[tuple[int, int], ReviewerTotal] = {}
    for dossier_id, reviewer_id, reviewer_name, total, criterion_id, points in db.session.execute(
        select(ScoreSheet.dossier_id, ScoreSheet.reviewer_id, User.full_name, ScoreSheet.weighted_total,
               ScoreItem.criterion_id, ScoreItem.points)
        .join(User, User.id == ScoreSheet.reviewer_id)
        .outerjoin(ScoreItem, ScoreItem.sheet_id == ScoreSheet.id)
        .where(ScoreSheet.dossier_id.in_(ids), ScoreSheet.status == SUBMITTED, ScoreSheet.weighted_total.is_not(None))
        .order_by(ScoreSheet.dossier_id, ScoreSheet.reviewer_id)
    ):
        sheet = sheets.get((dossier_id, reviewer_id))
        if sheet is None:
            sheet = sheets[(dossier_id, reviewer_id)] = ReviewerTotal(reviewer_id, reviewer_name, total, {})
            results[dossier_id].totals.append(sheet)
        if criterion_id is not None:
            sheet.points[criterion_id] = points if points is not None else Decimal(0)
    for row in rows:
        result = results[row.dossier_id]
        summarise(result, round_)
        result.rank, result.within_quota = row.rank, row.within_quota
    return results


def results_page(round_: Round, page: int, per_page: int) -> tuple[list[PageRanking], Page]:
    """The rows of one page (every field in order, `per_page` dossiers in all)."""
    fields = ranking(round_)
    pagination = Page(page=1, per_page=per_page, total=sum(len(f.rows) for f in fields))
    pagination.page = min(max(1, page), pagination.pages)
    first = (pagination.page - 1) * per_page
    shown, position = [], 0
    for field in fields:
        start, stop = max(first - position, 0), min(first + per_page - position, len(field.rows))
        if start < stop or (not field.rows and pagination.page == 1):
            shown.append((PageRanking(field.field_id, field.name, field.quota, [], len(field.rows), start == 0,
                                      field.last_within_id is not None, field.last_within_id),
                          field.rows[start:stop]))
        position += len(field.rows)
    results = _results(round_, [row for _ranking, rows in shown for row in rows])
    for page_ranking, rows in shown:
        page_ranking.results = [results[row.dossier_id] for row in rows]
    return [page_ranking for page_ranking, _rows in shown], pagination
