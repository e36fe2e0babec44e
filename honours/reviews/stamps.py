"""A round's review stamp: a random token that changes whenever its ranking or its review to-dos could change.

The results page ranks every dossier of a round (11,000 at the province's size) and the secretariat's home page
counts the round's outstanding sheets (50,000); doing that on every view costs more than the page may. Both
keep what they computed in the worker's memory under the round's stamp (`Round.review_stamp`) and compute again
only when the stamp has moved. The ORM moves it, whoever writes: a flush that adds, removes or changes a dossier's
state, field or name, a review assignment, a sheet's status or total, or a criterion, gives each round it touches
a new stamp (an UPDATE of that column alone: the round's own edits are not disturbed).

The stamp is random rather than a counter: a rolled-back transaction (or a test's savepoint) takes the data and
the stamp back together, so a stamp never names two different states of the data. Writes that bypass the ORM
(bulk inserts of a fixture or a benchmark, the set-based recomputation of totals) call `touch` themselves.
"""
import threading
import uuid
from collections import OrderedDict
from itertools import chain

from sqlalchemy import event, inspect, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from honours.nominations.models import Dossier
from honours.rounds.models import Criterion, Round

from .models import ReviewAssignment, ScoreSheet

_ROUNDS_TO_STAMP = "honours_reviews_rounds_to_stamp"
# Dossier, sheet and criterion columns the ranking and the to-do counts read.
_WATCHED = {
    Dossier: ("state", "field_id", "full_name", "name_folded", "round_id"),
    ScoreSheet: ("status", "weighted_total", "dossier_id"),
    Criterion: ("weight", "max_points", "round_id"),
    ReviewAssignment: ("dossier_id",),
}


def new_stamp() -> str:
    return uuid.uuid4().hex


def _changed(session, record) -> bool:
    if record in session.new or record in session.deleted:
        return True
    state = inspect(record)
    return any(state.attrs[name].history.has_changes() for name in _WATCHED[type(record)])


def touch(connection, round_ids) -> str:
    """Give the rounds a new stamp (one for all: the pair (round, stamp) is what names a state)."""
    stamp = new_stamp()
    table = Round.__table__
    connection.execute(update(table).where(table.c.id.in_(list(round_ids))).values(review_stamp=stamp))
    return stamp


@event.listens_for(Session, "before_flush")
def _note_rounds(session, flush_context, instances) -> None:
    """The rounds this flush touches, noted before it runs (a deleted record's links are gone after it)."""
    rounds, dossier_ids = set(), set()
    for record in chain(session.new, session.dirty, session.deleted):
        kind = type(record)
        if kind not in _WATCHED or not _changed(session, record):
            continue
        if kind in (Dossier, Criterion):
            rounds.add(record.round_id if record.round_id is not None
                       else getattr(record.__dict__.get("round"), "id", None))
        else:
            dossier = record.__dict__.get("dossier")
            if dossier is not None and dossier.round_id is not None:
                rounds.add(dossier.round_id)
            else:
                dossier_ids.add(record.dossier_id)
            history = inspect(record).attrs["dossier_id"].history  # a record moved off a dossier leaves it too
            dossier_ids.update(value for value in history.deleted or () if value is not None)
    dossier_ids.discard(None)
    if dossier_ids:
        rounds.update(session.scalars(select(Dossier.round_id).where(Dossier.id.in_(dossier_ids))))
    rounds.discard(None)
    if rounds:
        session.info.setdefault(_ROUNDS_TO_STAMP, set()).update(rounds)


@event.listens_for(Session, "after_flush_postexec")
def _stamp_rounds(session, flush_context) -> None:
    rounds = session.info.pop(_ROUNDS_TO_STAMP, None)
    if not rounds:
        return
    stamp = touch(session.connection(), rounds)
    for record in list(session.identity_map.values()):
        if isinstance(record, Round) and record.id in rounds:
            set_committed_value(record, "review_stamp", stamp)


class StampedCache:
    """The last few values computed per key, each kept with the stamp it was computed under (per process)."""

    def __init__(self, size: int = 8):
        self.size = size
        self._values: OrderedDict = OrderedDict()
        self._lock = threading.Lock()  # gunicorn may run threads

    def get(self, key, stamp):
        with self._lock:
            entry = self._values.get(key)
            if entry is None or entry[0] != stamp:
                return None
            self._values.move_to_end(key)
            return entry[1]

    def put(self, key, stamp, value) -> None:
        with self._lock:
            self._values[key] = (stamp, value)
            self._values.move_to_end(key)
            while len(self._values) > self.size:
                self._values.popitem(last=False)
