"""The secretariat's results page at any size: the ranking is computed once per change, and shown a page at a time.

Ranking a round reads every submitted sheet: with 10,000 dossiers and 45,000 sheets that is seconds of work
(bench/), and the page would be megabytes. So each app keeps the last rankings it computed, numbers only, and
reuses them while one aggregate query says nothing they depend on changed: the ORM bumps the version column of
every dossier and score sheet it updates (optimistic locking), so the count, id sum and version sum of the
round's ranked dossiers and submitted sheets move with any update, insert or delete of them (a draft saved
does not count: drafts are not ranked). The round's rules, fields and criteria are compared as loaded. Names
(nominee, organisation, reviewer) are never cached: the page loads them for the rows it shows.
"""
import math
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, replace

from flask import current_app, has_app_context
from sqlalchemy import event, func, select, true
from sqlalchemy.orm import Session, joinedload

from honours.auth.models import User
from honours.core.db import db
from honours.nominations.models import Dossier
from honours.rounds.models import Round

from .models import SUBMITTED, ScoreSheet
from .results import RANKED_STATES, DossierResult, round_results

ROUNDS_KEPT = 4  # per app (worker process): the rounds the secretariat is looking at


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
class Page:
    """What templates/macros/forms.html's pagination macro reads."""

    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


@dataclass(frozen=True)
class _Field:
    """A field's ranking as cached: (dossier id, result without its Dossier) per row."""

    field_id: int
    name: str
    quota: int
    rows: tuple[tuple[int, DossierResult], ...]
    last_within_id: int | None  # the last dossier within the quota

    @classmethod
    def of(cls, ranking) -> "_Field":
        rows = tuple((r.dossier.id, replace(r, dossier=None, totals=tuple(r.totals))) for r in ranking.results)
        within = [dossier_id for dossier_id, result in rows if result.within_quota]
        return cls(ranking.field_id, ranking.name, ranking.quota, rows, within[-1] if within else None)


class _Cache:
    def __init__(self):
        self.lock = threading.Lock()
        self.rounds: OrderedDict[int, tuple[tuple, list[_Field]]] = OrderedDict()
        # When each round's fingerprint was last found unchanged (time.monotonic()).
        self.checked: dict[int, float] = {}

    def get(self, round_id: int, fingerprint: tuple) -> list[_Field] | None:
        with self.lock:
            found = self.rounds.get(round_id)
            if found is None or found[0] != fingerprint:
                return None
            self.rounds.move_to_end(round_id)
            self.checked[round_id] = time.monotonic()
            return found[1]

    def recently_checked(self, round_id: int, seconds: float) -> list[_Field] | None:
        """The fields if the fingerprint was found unchanged less than `seconds` ago (and nothing was committed
        in this process since)."""
        with self.lock:
            found = self.rounds.get(round_id)
            at = self.checked.get(round_id)
            if found is None or at is None or time.monotonic() - at >= seconds:
                return None
            return found[1]

    def put(self, round_id: int, fingerprint: tuple, fields: list[_Field]) -> None:
        with self.lock:
            self.rounds[round_id] = (fingerprint, fields)
            self.rounds.move_to_end(round_id)
            self.checked[round_id] = time.monotonic()
            while len(self.rounds) > ROUNDS_KEPT:
                dropped, _entry = self.rounds.popitem(last=False)
                self.checked.pop(dropped, None)

    def forget_checks(self) -> None:
        self.checked = {}


def _cache() -> _Cache:
    # Per app rather than per module: a test's fresh app (and database) never sees another one's rankings.
    return current_app.extensions.setdefault("honours_results_cache", _Cache())


def fingerprint(round_: Round) -> tuple:
    """Changes whenever the ranking of the round may change. One query."""
    ranked = (select(func.count(Dossier.id).label("n"), func.coalesce(func.sum(Dossier.id), 0).label("ids"),
                     func.coalesce(func.sum(Dossier.version), 0).label("versions"))
              .where(Dossier.round_id == round_.id, Dossier.state.in_(RANKED_STATES)).subquery())
    sheets = (select(func.count(ScoreSheet.id).label("n"), func.coalesce(func.sum(ScoreSheet.id), 0).label("ids"),
                     func.coalesce(func.sum(ScoreSheet.version), 0).label("versions"))
              .join(Dossier, Dossier.id == ScoreSheet.dossier_id)
              .where(Dossier.round_id == round_.id, ScoreSheet.status == SUBMITTED).subquery())
    counts = tuple(db.session.execute(select(ranked, sheets).select_from(ranked.join(sheets, true()))).one())
    rules = (round_.trim_extremes, round_.deviation_flag_percent, round_.min_average_score,
             tuple((f.id, f.name, f.quota, f.position) for f in round_.fields),
             tuple((c.id, c.max_points, c.weight, c.position) for c in round_.criteria))
    return counts, rules


@event.listens_for(Session, "after_commit")
def _recheck_after_commit(session) -> None:
    """A change committed in this process shows on the next view at once (other processes: within
    RESULTS_RECHECK_SECONDS)."""
    if has_app_context():
        cache = current_app.extensions.get("honours_results_cache")
        if cache is not None:
            cache.forget_checks()


def _rankings(round_: Round) -> list[_Field]:
    """The round's rankings, without database objects in them (they outlive the request). The fingerprint query
    reads the whole round (tens of milliseconds at 50,000 sheets), so a fingerprint found unchanged is trusted for
    RESULTS_RECHECK_SECONDS."""
    cache = _cache()
    fields = cache.recently_checked(round_.id, current_app.config["RESULTS_RECHECK_SECONDS"])
    if fields is not None:
        return fields
    key = fingerprint(round_)
    fields = cache.get(round_.id, key)
    if fields is None:
        fields = [_Field.of(ranking) for ranking in round_results(round_)]
        cache.put(round_.id, key, fields)
    return fields


def results_page(round_: Round, page: int, per_page: int) -> tuple[list[PageRanking], Page]:
    """The rows of one page (every field in order, `per_page` dossiers in all), with fresh names."""
    fields = _rankings(round_)
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
    ids = [dossier_id for _ranking, rows in shown for dossier_id, _result in rows]
    dossiers = {d.id: d for d in db.session.scalars(
        select(Dossier).options(joinedload(Dossier.organisation)).where(Dossier.id.in_(ids)))}
    reviewer_ids = {t.reviewer_id for _ranking, rows in shown for _id, result in rows for t in result.totals}
    names = dict(db.session.execute(select(User.id, User.full_name).where(User.id.in_(reviewer_ids))).all())
    for ranking, rows in shown:
        ranking.results = [replace(result, dossier=dossiers[dossier_id],
                                   totals=[replace(t, reviewer_name=names.get(t.reviewer_id, t.reviewer_name))
                                           for t in result.totals])
                           for dossier_id, result in rows]
    return [ranking for ranking, _rows in shown], pagination
