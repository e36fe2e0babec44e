"""The confirmed result is an immutable record: criteria, weights and rules freeze at the first submitted sheet,
the confirmation writes a snapshot (with its sha256) once, and the minutes and the public list are rendered from
it, never recomputed from the round's live settings (issue 10: two honourees swapped rank in confirmed minutes
after their weights were edited, with no audit entry)."""
import hashlib
import io
import json
from decimal import Decimal

import pytest
from pypdf import PdfReader
from sqlalchemy import select, update

from honours.core import clock
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.council import record, services
from honours.council.models import ResultSnapshot, ResultSnapshotIsImmutable
from honours.documents.services import minutes_pdf
from honours.nominations import states
from honours.publication import services as publication
from honours.reviews.results import round_results
from honours.rounds import services as rounds
from tests.council.test_council import SCIENCE, open_with, vote, world  # noqa: F401 (the fixture)
from tests.factories import make_dossier, make_score_sheet

D = Decimal


def _dossier(world, name, points):
    round_ = world["round"]
    dossier = make_dossier(round_, world["org"], world["nominator"], state=states.SCORED, full_name=name,
                           field_id=round_.fields[SCIENCE].id, with_attachment=False)
    for reviewer in world["council"][:3]:
        make_score_sheet(dossier, reviewer, [D(p) for p in points], submitted_at=clock.now())
    return dossier


def _confirmed(world):
    """Weights 50/30/20: Khoa 80.00 ranks above Ứng 76.00 (both approved by all seven)."""
    khoa = _dossier(world, "Khoa Học Giỏi", (10, 6, 6))
    ung = _dossier(world, "Ứng Dụng Giỏi", (6, 10, 8))
    session = open_with(world, 7)
    for member in world["council"]:
        vote(member, session, [khoa.id, ung.id], [khoa, ung])
    services.close_voting(world["secretary"], session, confirmed=True)
    services.confirm(world["council"][0], session)
    db.session.commit()
    return session, khoa, ung


def _round_data(round_, weights):
    return rounds.RoundData(
        name=round_.name, programme=round_.programme, year=round_.year, description=round_.description,
        nominations_open_at=round_.nominations_open_at, nominations_close_at=round_.nominations_close_at,
        review_close_at=round_.review_close_at, council_date=round_.council_date,
        reviewers_per_dossier=round_.reviewers_per_dossier, quorum_rule=round_.quorum_rule,
        approval_rule=round_.approval_rule, min_average_score=round_.min_average_score,
        score_decimals=round_.score_decimals, trim_extremes=round_.trim_extremes,
        deviation_flag_percent=round_.deviation_flag_percent,
        fields=[rounds.FieldRow(f.name, f.quota, f.id) for f in round_.fields],
        criteria=[rounds.CriterionRow(c.name, c.max_points, D(w), c.description, c.id)
                  for c, w in zip(round_.criteria, weights, strict=True)])


def _ranked(session):
    return [(row.dossier.full_name, row.final) for row in services.tally(session).fields[SCIENCE].rows]


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_weights_and_rules_are_refused_once_a_sheet_is_submitted(world):
    round_ = world["round"]
    rounds.save_round(world["secretary"], _round_data(round_, (40, 40, 20)), round_)  # nothing scored yet
    db.session.commit()
    assert round_.scoring_started_at is None
    _dossier(world, "Khoa Học Giỏi", (10, 6, 6))
    db.session.refresh(round_)
    assert round_.scoring_started_at is not None
    for change in ({"weights": (20, 30, 50)}, {"approval_rule": "two_thirds"}, {"score_decimals": 2}):
        data = _round_data(round_, change.get("weights", (40, 40, 20)))
        for name in ("approval_rule", "score_decimals"):
            if name in change:
                setattr(data, name, change[name])
        with pytest.raises(RuleViolation, match="Đã có phiếu chấm điểm được nộp: không thể thay đổi tiêu chí"):
            rounds.save_round(world["secretary"], data, round_)
        db.session.rollback()
    assert [c.weight for c in round_.criteria] == [D(40), D(40), D(20)]
    data = _round_data(round_, (40, 40, 20))
    data.description = "Mô tả mới"
    rounds.save_round(world["secretary"], data, round_)  # what the result does not rest on stays editable


def test_confirmation_records_the_result_once_with_its_sha256(world):
    session, khoa, ung = _confirmed(world)
    snapshot = db.session.get(ResultSnapshot, session.id)
    assert snapshot.sha256 == hashlib.sha256(snapshot.body.encode("utf-8")).hexdigest()
    body = json.loads(snapshot.body)
    assert [(r["full_name"], r["final"], r["rank"], r["approved"]) for r in body["fields"][SCIENCE]["rows"]] == [
        ("Khoa Học Giỏi", "80.00", 1, True), ("Ứng Dụng Giỏi", "76.00", 2, True)]
    assert [(c["name"], c["weight"]) for c in body["criteria"]] == [
        ("Thành tích khoa học", "50.00"), ("Ứng dụng thực tiễn", "30.00"), ("Uy tín, đóng góp xã hội", "20.00")]
    assert (body["ballots"], body["present"], body["round"]["approval_rule"]) == (7, 7, "majority")
    snapshot.body = snapshot.body.replace("80.00", "99.00")
    with pytest.raises(ResultSnapshotIsImmutable):
        db.session.flush()
    db.session.rollback()
    with pytest.raises(ResultSnapshotIsImmutable):
        db.session.execute(update(ResultSnapshot).values(sha256="0" * 64))
    db.session.rollback()


def test_minutes_and_public_list_render_the_record_not_the_live_weights(world):
    session, khoa, ung = _confirmed(world)
    assert _ranked(session) == [("Khoa Học Giỏi", D("80.00")), ("Ứng Dụng Giỏi", D("76.00"))]
    with pytest.raises(RuleViolation, match="Đã có phiếu chấm điểm được nộp"):
        rounds.save_round(world["secretary"], _round_data(world["round"], (20, 30, 50)), world["round"])
    db.session.rollback()
    # Even a change made behind the application's back (straight in the database) leaves the record as it was.
    for criterion, weight in zip(world["round"].criteria, (20, 30, 50)):
        criterion.weight = D(weight)
    db.session.commit()
    db.session.expire_all()
    live = round_results(world["round"])[SCIENCE].results  # what a recomputation would now say: swapped
    assert [(r.dossier.full_name, r.final) for r in live] == [("Ứng Dụng Giỏi", D("82.00")),
                                                             ("Khoa Học Giỏi", D("68.00"))]
    assert _ranked(session) == [("Khoa Học Giỏi", D("80.00")), ("Ứng Dụng Giỏi", D("76.00"))]
    text = pdf_text(minutes_pdf(session))
    assert text.index("Khoa Học Giỏi") < text.index("Ứng Dụng Giỏi") and "80,00" in text and "76,00" in text
    assert "Thành tích khoa học (50)" in text
    assert db.session.get(ResultSnapshot, session.id).sha256 in text.replace("\n", "")

    # The public list shows what the record approved: a dossier pushed to "published" by hand is not listed.
    outsider = make_dossier(world["round"], world["org"], world["nominator"], state=states.PUBLISHED,
                            full_name="Không Được Xét", field_id=world["round"].fields[SCIENCE].id,
                            with_attachment=False)
    for dossier in (khoa, ung):
        dossier.state = states.PUBLISHED
    world["round"].published_at = clock.now()
    db.session.commit()
    listed = [h.full_name for h in publication.listing_for_year(world["round"].year).honourees]
    assert sorted(listed) == ["Khoa Học Giỏi", "Ứng Dụng Giỏi"] and outsider.full_name not in listed
    assert record.approved_ids([world["round"].id]) == {world["round"].id: {khoa.id, ung.id}}


def test_a_tampered_record_is_refused_rather_than_shown(world):
    session, _, _ = _confirmed(world)
    snapshot = db.session.get(ResultSnapshot, session.id)
    with db.engine.begin() as connection:  # outside the application's session, as a DBA would
        connection.execute(ResultSnapshot.__table__.update().values(body=snapshot.body.replace("80.00", "99.00")))
    db.session.expire_all()
    with pytest.raises(record.SnapshotTampered):
        services.tally(session)
    assert db.session.scalar(select(ResultSnapshot.sha256)) == snapshot.sha256
