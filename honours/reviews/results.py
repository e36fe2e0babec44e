"""Aggregation and ranking of submitted score sheets, computed in one pass over one query.

Per sheet, the weighted total is on a 100-point scale: sum over criteria of points / max_points * weight
(weights total 100). Per dossier: mean, sample standard deviation, count; when the round says so and there
are at least 5 reviewers, the trimmed mean drops one highest and one lowest total and becomes the final
score. A reviewer is flagged when their total is further from the dossier mean than the round's deviation
percentage of that mean; a dossier has high disagreement when its standard deviation exceeds that
percentage of its mean.
"""
import statistics
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from honours.auth.models import User
from honours.core.db import db
from honours.core.text import name_sort_key
from honours.nominations import states
from honours.nominations.models import Dossier
from honours.rounds.models import Criterion, Round

from .models import SUBMITTED, ScoreItem, ScoreSheet
from .totals import quantize, weighted_total

TRIM_MINIMUM = 5
RANKED_STATES = (states.UNDER_REVIEW, states.SCORED, states.APPROVED, states.NOT_APPROVED, states.PUBLISHED)


@dataclass
class ReviewerTotal:
    reviewer_id: int
    reviewer_name: str
    total: Decimal
    points: dict[int, Decimal]  # criterion id -> points
    flagged: bool = False


@dataclass
class DossierResult:
    dossier: Dossier
    totals: list[ReviewerTotal] = field(default_factory=list)
    mean: Decimal | None = None
    stdev: Decimal | None = None
    trimmed_mean: Decimal | None = None
    final: Decimal | None = None
    high_disagreement: bool = False
    meets_minimum: bool = True
    rank: int | None = None
    within_quota: bool = False

    @property
    def count(self) -> int:
        return len(self.totals)


@dataclass
class FieldRanking:
    field_id: int
    name: str
    quota: int
    results: list[DossierResult]


def summarise(result: DossierResult, round_: Round) -> None:
    """Fill mean, deviation, trimming and flags from result.totals."""
    totals = [t.total for t in result.totals]
    if not totals:
        return
    mean = statistics.mean(totals)
    result.mean = quantize(mean)
    result.stdev = quantize(statistics.stdev(totals)) if len(totals) > 1 else Decimal(0)
    if round_.trim_extremes and len(totals) >= TRIM_MINIMUM:
        result.trimmed_mean = quantize(statistics.mean(sorted(totals)[1:-1]))
    result.final = result.trimmed_mean if result.trimmed_mean is not None else result.mean
    limit = Decimal(round_.deviation_flag_percent) / 100 * mean
    for reviewer in result.totals:
        reviewer.flagged = abs(reviewer.total - mean) > limit
    result.high_disagreement = len(totals) > 1 and statistics.stdev(totals) > limit
    if round_.min_average_score is not None:
        result.meets_minimum = result.final >= round_.min_average_score


def round_results(round_: Round) -> list[FieldRanking]:
    """Every dossier in review or beyond, ranked per field with its quota line. Three queries in all."""
    criteria = list(db.session.scalars(select(Criterion).where(Criterion.round_id == round_.id)
                                       .order_by(Criterion.position)))
    dossiers = db.session.scalars(
        select(Dossier).options(joinedload(Dossier.organisation), joinedload(Dossier.field))
        .where(Dossier.round_id == round_.id, Dossier.state.in_(RANKED_STATES))
    ).all()
    results = {d.id: DossierResult(dossier=d) for d in dossiers}
    rows = db.session.execute(
        select(ScoreSheet.dossier_id, ScoreSheet.reviewer_id, User.full_name, ScoreItem.criterion_id, ScoreItem.points)
        .join(ScoreItem, ScoreItem.sheet_id == ScoreSheet.id)
        .join(User, User.id == ScoreSheet.reviewer_id)
        .join(Dossier, Dossier.id == ScoreSheet.dossier_id)
        .where(Dossier.round_id == round_.id, ScoreSheet.status == SUBMITTED)
        .order_by(ScoreSheet.dossier_id, ScoreSheet.reviewer_id)
    ).all()
    sheets: dict[tuple[int, int], ReviewerTotal] = {}
    for dossier_id, reviewer_id, reviewer_name, criterion_id, points in rows:
        if dossier_id not in results:
            continue
        sheet = sheets.get((dossier_id, reviewer_id))
        if sheet is None:
            sheet = sheets[(dossier_id, reviewer_id)] = ReviewerTotal(reviewer_id, reviewer_name, Decimal(0), {})
            results[dossier_id].totals.append(sheet)
        sheet.points[criterion_id] = points if points is not None else Decimal(0)
    for sheet in sheets.values():
        sheet.total = weighted_total(sheet.points, criteria)
    for result in results.values():
        summarise(result, round_)
    return rank(round_, list(results.values()))


def rank(round_: Round, results: list[DossierResult]) -> list[FieldRanking]:
    by_field = {f.id: FieldRanking(f.id, f.name, f.quota, []) for f in round_.fields}
    for result in results:
        by_field[result.dossier.field_id].results.append(result)
    for ranking in by_field.values():
        scored = sorted((r for r in ranking.results if r.final is not None),
                        key=lambda r: (-r.final, name_sort_key(r.dossier.full_name)))
        unscored = sorted((r for r in ranking.results if r.final is None),
                          key=lambda r: name_sort_key(r.dossier.full_name))
        for position, result in enumerate(scored, start=1):
            result.rank = position
        eligible_for_quota = [r for r in scored if r.meets_minimum]
        for result in eligible_for_quota[:ranking.quota]:
            result.within_quota = True
        ranking.results = scored + unscored
    return list(by_field.values())
