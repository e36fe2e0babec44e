"""The confirmed result as an immutable record (ResultSnapshot): what the chair confirmed, written once.

Everything the result rests on goes in: the ranked rows with their final scores and votes, the dossiers below the
minimum, the criteria and weights, the round's rules, attendance and ballot counts. The text is canonical JSON
(sorted keys, no spaces) and its sha256 is stored with it, so the record can be checked, and any later edit of the
round (refused anyway once scoring has started) cannot change the minutes or the published list.
"""
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from honours.core.db import db

from .models import CouncilSession, ResultSnapshot

VERSION = 1


class SnapshotTampered(Exception):
    """The stored text no longer matches its sha256: changed outside the application."""


@dataclass(frozen=True)
class RecordedOrganisation:
    name: str


@dataclass(frozen=True)
class RecordedDossier:
    """A dossier as the confirmed result names it (what the minutes print), not the live row."""

    id: int
    full_name: str
    organisation: RecordedOrganisation


def _decimal(value) -> str | None:
    return None if value is None else format(Decimal(value), "f")


def canonical(body: dict) -> str:
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _dossier(dossier) -> dict:
    return {"dossier_id": dossier.id, "full_name": dossier.full_name, "organisation": dossier.organisation.name}


def body_of(session: CouncilSession, result, quorum, chair) -> dict:
    """The record of a confirmation; `result` is the services.Tally the chair confirmed, `quorum` its Quorum."""
    round_ = session.round
    return {
        "version": VERSION,
        "session": {"id": session.id, "opened_at": session.opened_at.isoformat(),
                    "closed_at": session.closed_at.isoformat() if session.closed_at else None,
                    "confirmed_at": session.confirmed_at.isoformat(), "confirmed_by": chair.full_name,
                    "members_total": session.members_total, "secretary": session.secretary_name,
                    "counting_board": [m.user.full_name for m in session.counting_board]},
        "round": {"id": round_.id, "name": round_.name, "year": round_.year, "quorum_rule": round_.quorum_rule,
                  "approval_rule": round_.approval_rule, "min_average_score": _decimal(round_.min_average_score),
                  "score_decimals": round_.score_decimals, "trim_extremes": round_.trim_extremes,
                  "deviation_flag_percent": round_.deviation_flag_percent,
                  "reviewers_per_dossier": round_.reviewers_per_dossier},
        "criteria": [{"id": c.id, "name": c.name, "max_points": _decimal(c.max_points), "weight": _decimal(c.weight),
                      "position": c.position} for c in round_.criteria],
        "quorum": {"present": quorum.present, "total": quorum.total, "needed": quorum.needed},
        "ballots": result.ballots, "present": result.present, "needed_agree": result.needed_agree,
        "fields": [{"field_id": f.field_id, "name": f.name, "quota": f.quota, "rows": [
            {**_dossier(row.dossier), "rank": rank, "final": _decimal(row.final), "agree": row.agree,
             "disagree": row.disagree, "present": row.present, "passes": row.passes, "approved": row.approved,
             "tied": row.tied}
            for rank, row in enumerate(f.rows, start=1)]} for f in result.fields],
        "below_minimum": [{**_dossier(r.dossier), "final": _decimal(r.final)} for r in result.below_minimum],
    }


def write(session: CouncilSession, result, quorum, chair) -> ResultSnapshot:
    text = canonical(body_of(session, result, quorum, chair))
    snapshot = ResultSnapshot(session_id=session.id, round_id=session.round_id, created_at=session.confirmed_at,
                              body=text, sha256=digest(text))
    db.session.add(snapshot)
    return snapshot


def snapshot_of(session: CouncilSession) -> ResultSnapshot | None:
    return db.session.get(ResultSnapshot, session.id)


def read(snapshot: ResultSnapshot) -> dict:
    """The recorded body, after checking it against its sha256."""
    if digest(snapshot.body) != snapshot.sha256:
        raise SnapshotTampered(f"result snapshot of session {snapshot.session_id} does not match its sha256")
    return json.loads(snapshot.body)


def approved_ids(round_ids) -> dict[int, set[int]]:
    """Round id -> dossiers its confirmed records approved (rounds without a record are left out)."""
    approved: dict[int, set[int]] = {}
    for snapshot in db.session.scalars(select(ResultSnapshot).where(ResultSnapshot.round_id.in_(list(round_ids)))):
        body = read(snapshot)
        approved.setdefault(snapshot.round_id, set()).update(
            row["dossier_id"] for f in body["fields"] for row in f["rows"] if row["approved"])
    return approved


def recorded_dossier(row: dict) -> RecordedDossier:
    return RecordedDossier(row["dossier_id"], row["full_name"], RecordedOrganisation(row["organisation"]))


def decimal_or_none(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)
