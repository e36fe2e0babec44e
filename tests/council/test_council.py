"""Council decision stage: shortlist, session and quorum, secret ballot, tally thresholds and quotas, the chair's
confirmation, the decision and the minutes (service level, then over HTTP)."""
import io
import re
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from pypdf import PdfReader
from sqlalchemy import func, inspect, select

from honours.core import clock, roles
from honours.core.audit import AuditEntry
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.core.reference import APPROVAL_RULES, QUORUM_RULES
from honours.council import services, urn
from honours.council.models import (
    CLOSED,
    CONFIRMED,
    OPEN,
    Ballot,
    BallotChoice,
    BallotReceipt,
    BallotUrn,
    CouncilSession,
)
from honours.documents.services import minutes_pdf
from honours.nominations import states
from tests.conftest import login
from tests.core.test_query_counts import count_queries
from tests.factories import make_council, make_dossier, make_org, make_round, make_score_sheet, make_user

D = Decimal
SCIENCE, MEDICINE, EDUCATION = 0, 1, 2  # make_round's fields: quotas 3, 2, 2


@pytest.fixture
def world(app):
    # Nominations and the review deadline are past: opening the session is on time (no override reason needed).
    round_ = make_round(min_average_score=D(60), quorum_rule="two_thirds", approval_rule="majority",
                        opens_in_days=-120, closes_in_days=-60)
    org = make_org("Hội Y học tỉnh Bắc Ninh")
    return {"round": round_, "org": org, "nominator": make_user(roles.NOMINATOR, org),
            "secretary": make_user(roles.SECRETARIAT, full_name="Lê Thị Thư Ký"),
            "council": make_council(round_, 7)}


def scored(world, name, score, field=SCIENCE, state=states.SCORED, org=None):
    """A dossier whose three submitted sheets all total `score` (every criterion at score/10 points)."""
    round_ = world["round"]
    dossier = make_dossier(round_, org or world["org"], world["nominator"], state=state, full_name=name,
                           field_id=round_.fields[field].id, with_attachment=False)
    for reviewer in world["council"][:3]:
        make_score_sheet(dossier, reviewer, D(score) / 10, submitted_at=clock.now())
    return dossier


def counts():
    """(receipts, ballots, choices): ballots still sealed in an urn count with the rows written at close."""
    receipts, ballots, choices = (db.session.scalar(select(func.count()).select_from(model))
                                  for model in (BallotReceipt, Ballot, BallotChoice))
    sealed = [ballot for held in db.session.scalars(select(BallotUrn)) for ballot in urn.unseal(held.sealed)]
    return receipts, ballots + len(sealed), choices + sum(len(ballot) for ballot in sealed)


def open_with(world, present: int) -> CouncilSession:
    return services.open_session(world["secretary"], world["round"], [u.id for u in world["council"][:present]],
                                 confirmed=True)


def vote(user, session, agree_ids=(), dossiers=()):
    services.cast_ballot(user, session, {d.id: d.id in set(agree_ids) for d in dossiers})


# ---------------------------------------------------------------- shortlist, session, quorum

def test_shortlist_keeps_scored_dossiers_meeting_the_minimum_ranked_by_final_score(world):
    middle = scored(world, "Trần Văn Bình", 70)
    top = scored(world, "Nguyễn Văn An", 85)
    scored(world, "Phạm Thị Dưới", 55)  # below the minimum of 60
    scored(world, "Vũ Văn Ngưỡng", 60)  # exactly the minimum: kept
    medicine = scored(world, "Đỗ Thị Hoa", 90, field=MEDICINE)
    scored(world, "Hồ Sơ Đang Chấm", 95, state=states.UNDER_REVIEW)
    fields = services.shortlist(world["round"])
    assert [(f.name, f.quota) for f in fields] == [("Khoa học tự nhiên", 3), ("Y dược", 2), ("Giáo dục", 2)]
    assert [r.dossier.full_name for r in fields[0].results] == [top.full_name, middle.full_name, "Vũ Văn Ngưỡng"]
    assert [r.dossier.id for r in fields[1].results] == [medicine.id] and fields[2].results == []
    assert [r.final for r in fields[0].results] == [D("85.00"), D("70.00"), D("60.00")]

    world["round"].min_average_score = None
    db.session.commit()
    assert len(services.shortlist(world["round"])[0].results) == 4


def test_opening_a_session_checks_role_council_shortlist_and_one_open_session(world):
    outsider = make_user(roles.COUNCIL, full_name="Người Ngoài Hội Đồng")
    with pytest.raises(RuleViolation, match="Chưa có hồ sơ nào đủ điều kiện"):
        open_with(world, 5)
    scored(world, "Nguyễn Văn An", 80)
    with pytest.raises(RuleViolation, match="Ban thư ký"):
        services.open_session(world["council"][0], world["round"], [])
    with pytest.raises(RuleViolation, match="thành viên hội đồng của đợt xét"):
        services.open_session(world["secretary"], world["round"], [outsider.id])
    session = open_with(world, 4)
    assert (session.status, session.members_total, len(session.attendees)) == (OPEN, 7, 4)
    with pytest.raises(RuleViolation, match="chưa kết thúc"):
        open_with(world, 5)
    assert db.session.scalar(select(func.count(CouncilSession.id))) == 1


def test_quorum_rules_count_exactly():
    two_thirds, half = QUORUM_RULES["two_thirds"], QUORUM_RULES["half"]
    assert services.needed(7, two_thirds) == 5 and services.needed(6, two_thirds) == 4
    assert services.needed(7, half) == 4 and services.needed(6, half) == 4  # "more than half": 3 of 6 is not
    assert services.reaches(4, 6, two_thirds) and not services.reaches(3, 6, half)
    assert services.reaches(5, 7, two_thirds) and not services.reaches(4, 7, two_thirds)


def test_vote_refused_without_quorum_with_the_needed_number_and_nothing_stored(world):
    dossier = scored(world, "Nguyễn Văn An", 80)
    session = open_with(world, 3)
    assert not services.quorum(session).met
    with pytest.raises(RuleViolation) as refused:
        vote(world["council"][0], session, [dossier.id], [dossier])
    assert refused.value.message == "Chưa đủ túc số: có mặt 3/7 thành viên, cần ít nhất 5."
    assert counts() == (0, 0, 0)

    services.update_attendance(world["secretary"], session, [u.id for u in world["council"][:5]])
    assert services.quorum(session).met
    vote(world["council"][0], session, [dossier.id], [dossier])
    assert counts() == (1, 1, 1)
    with pytest.raises(RuleViolation, match="không thể thay đổi danh sách có mặt"):
        services.update_attendance(world["secretary"], session, [u.id for u in world["council"]])


def test_a_member_votes_once_and_ballots_always_equal_receipts(world):
    first, second = scored(world, "Nguyễn Văn An", 80), scored(world, "Trần Thị Bình", 75)
    session = open_with(world, 5)
    member = world["council"][1]
    vote(member, session, [first.id], [first, second])
    assert counts() == (1, 1, 2)
    with pytest.raises(RuleViolation, match="đã bỏ phiếu"):
        vote(member, session, [second.id], [first, second])
    assert counts() == (1, 1, 2)
    vote(world["council"][2], session, [], [first, second])
    receipts, ballots, _ = counts()
    assert receipts == ballots == 2


def test_a_concurrent_double_vote_is_stopped_by_the_unique_receipt(world, monkeypatch):
    dossier = scored(world, "Nguyễn Văn An", 80)
    session = open_with(world, 5)
    member = world["council"][0]
    vote(member, session, [dossier.id], [dossier])
    # Both requests passed the "already voted" check before either committed.
    monkeypatch.setattr(services, "has_voted", lambda session, user: False)
    with pytest.raises(RuleViolation, match="đã bỏ phiếu"):
        vote(member, session, [], [dossier])
    assert counts() == (1, 1, 1)
    assert db.session.get(CouncilSession, session.id).status == OPEN  # the session is usable after the rollback


def test_ballot_tables_cannot_link_a_vote_to_its_voter(world):
    inspector = inspect(db.engine)
    ballot_columns = {c["name"]: c for c in inspector.get_columns("ballot")}
    choice_columns = {c["name"]: c for c in inspector.get_columns("ballot_choice")}
    assert set(ballot_columns) == {"id", "session_id"}
    assert set(choice_columns) == {"ballot_id", "dossier_id", "agree"}
    for table in ("ballot", "ballot_choice"):
        assert "user" not in {fk["referred_table"] for fk in inspector.get_foreign_keys(table)}
    assert set(c["name"] for c in inspector.get_columns("ballot_receipt")) == {"id", "session_id", "user_id"}

    dossier = scored(world, "Nguyễn Văn An", 80)
    session = open_with(world, 6)
    for member in world["council"][:6]:
        vote(member, session, [dossier.id], [dossier])
    assert db.session.scalar(select(func.count(Ballot.id))) == 0  # sealed in the urn until voting closes
    services.close_voting(world["secretary"], session, confirmed=True)
    ids = list(db.session.scalars(select(Ballot.id)))
    assert len(set(ids)) == 6
    for ballot_id in ids:  # random (uuid4), not a sequence that could be matched with the receipts' order
        assert re.fullmatch(r"[0-9a-f]{32}", ballot_id) and uuid.UUID(ballot_id).version == 4
    receipt_ids = {str(i) for i in db.session.scalars(select(BallotReceipt.id))}
    assert not receipt_ids & set(ids)


def test_absent_member_and_non_member_are_refused(world):
    dossier = scored(world, "Nguyễn Văn An", 80)
    session = open_with(world, 5)
    with pytest.raises(RuleViolation, match="không có tên trong danh sách thành viên có mặt"):
        vote(world["council"][6], session, [dossier.id], [dossier])
    with pytest.raises(RuleViolation, match="không có tên"):
        vote(make_user(roles.COUNCIL), session, [dossier.id], [dossier])
    assert counts() == (0, 0, 0)


def test_choices_must_cover_exactly_the_shortlist_and_respect_field_quotas(world):
    a, b, c = (scored(world, name, 80, field=MEDICINE) for name in ("Y Một", "Y Hai", "Y Ba"))
    other = scored(world, "Khoa Học Một", 80)
    session = open_with(world, 5)
    member = world["council"][0]
    with pytest.raises(RuleViolation, match="đúng và đủ"):
        vote(member, session, [a.id], [a, b, c])  # the science dossier is missing
    with pytest.raises(services.FieldRuleViolation) as refused:
        vote(member, session, [a.id, b.id, c.id], [a, b, c, other])
    assert 'Lĩnh vực "Y dược" có chỉ tiêu 2' in refused.value.message
    assert refused.value.field_key == f"field-{world['round'].fields[MEDICINE].id}"
    assert counts() == (0, 0, 0)
    vote(member, session, [a.id, b.id, other.id], [a, b, c, other])
    assert counts() == (1, 1, 4)


# ---------------------------------------------------------------- tally

def test_approval_thresholds_at_the_edges():
    majority, two_thirds = APPROVAL_RULES["majority"], APPROVAL_RULES["two_thirds"]
    assert services.reaches(4, 7, majority) and not services.reaches(4, 7, two_thirds)
    assert services.reaches(4, 6, two_thirds)  # exactly 2/3 is "at least 2/3"
    assert not services.reaches(3, 6, majority)  # exactly half is not "more than half"
    assert not services.reaches(0, 0, two_thirds)


def test_tally_counts_over_members_present_with_the_rounds_threshold(world):
    four, three = scored(world, "Bốn Phiếu", 80), scored(world, "Ba Phiếu", 90)
    session = open_with(world, 7)
    for i, member in enumerate(world["council"][:6]):  # the 7th member is present but does not vote
        vote(member, session, [four.id] if i < 4 else [three.id] if i < 5 else [], [four, three])
    services.close_voting(world["secretary"], session, confirmed=True)
    rows = {r.dossier.id: r for r in services.tally(session).rows}
    assert (rows[four.id].agree, rows[four.id].disagree, rows[four.id].present) == (4, 2, 7)
    assert rows[four.id].passes and rows[four.id].approved  # 4/7 > 50 per cent
    assert rows[three.id].agree == 1 and not rows[three.id].passes

    world["round"].approval_rule = "two_thirds"
    db.session.commit()
    rows = {r.dossier.id: r for r in services.tally(session).rows}
    assert not rows[four.id].passes and not rows[four.id].approved  # 4/7 < 2/3
    assert services.tally(session).needed_agree == 5


def test_quota_line_orders_passing_dossiers_by_agree_votes_then_final_score(world):
    x = scored(world, "Xuân Điểm Cao", 90, field=MEDICINE)
    y = scored(world, "Yến Điểm Thấp", 70, field=MEDICINE)
    z = scored(world, "Dương Điểm Giữa", 80, field=MEDICINE)
    session = open_with(world, 7)
    pairs = [(y, z)] * 3 + [(x, y)] * 2 + [(x, z)] * 2  # y 5, z 5, x 4: all pass a 7-member majority
    for member, pair in zip(world["council"], pairs):
        vote(member, session, [d.id for d in pair], [x, y, z])
    services.close_voting(world["secretary"], session, confirmed=True)
    medicine = services.tally(session).fields[MEDICINE]
    assert [(r.dossier.id, r.agree) for r in medicine.rows] == [(z.id, 5), (y.id, 5), (x.id, 4)]
    assert [r.approved for r in medicine.rows] == [True, True, False]
    assert medicine.rows[2].passes and not medicine.rows[2].approved


# ---------------------------------------------------------------- confirmation, decision, minutes

def closed_session(world):
    """Seven present; An approved, Bình rejected; Dưới below the minimum (never on the ballot)."""
    an, binh = scored(world, "Nguyễn Văn An", 85), scored(world, "Trần Thị Bình", 70)
    below = scored(world, "Phạm Văn Dưới", 50)
    session = open_with(world, 7)
    for i, member in enumerate(world["council"][:6]):
        vote(member, session, [an.id] + ([binh.id] if i < 2 else []), [an, binh])
    services.close_voting(world["secretary"], session, confirmed=True)
    return session, an, binh, below


def test_only_the_chair_of_the_round_confirms_a_closed_session(world):
    an = scored(world, "Nguyễn Văn An", 85)
    session = open_with(world, 5)
    chair, member = world["council"][0], world["council"][1]
    for voter in world["council"][:5]:
        vote(voter, session, [an.id], [an])
    with pytest.raises(RuleViolation, match="đã đóng bỏ phiếu"):
        services.confirm(chair, session)
    with pytest.raises(RuleViolation, match="Ban thư ký"):
        services.close_voting(chair, session, confirmed=True)
    services.close_voting(world["secretary"], session, confirmed=True)
    with pytest.raises(RuleViolation, match="đã đóng bỏ phiếu"):
        vote(member, session, [an.id], [an])
    other_chair = make_user(roles.COUNCIL, is_chair=True)  # chair flag, but not on this round's council
    for refused in (member, other_chair, world["secretary"]):
        with pytest.raises(RuleViolation, match="Chỉ Chủ tịch Hội đồng"):
            services.confirm(refused, session)
    assert an.state == states.SCORED


def test_chair_confirmation_moves_dossiers_and_is_audited(world):
    session, an, binh, below = closed_session(world)
    chair = world["council"][0]
    services.confirm(chair, session)
    db.session.expire_all()
    assert (an.state, binh.state, below.state) == (states.APPROVED, states.NOT_APPROVED, states.NOT_APPROVED)
    assert (session.status, session.confirmed_by_id, session.confirmed_at) == (CONFIRMED, chair.id, clock.now())
    entries = {(e.entity_type, e.entity_id): e for e in db.session.scalars(select(AuditEntry).where(
        AuditEntry.action.in_(("approve", "reject", "confirm"))))}
    assert entries[("dossier", an.id)].action == "approve" and entries[("dossier", an.id)].actor_id == chair.id
    assert "6/7" in entries[("dossier", an.id)].reason
    assert entries[("dossier", binh.id)].action == "reject" and "2/7" in entries[("dossier", binh.id)].reason
    assert entries[("dossier", below.id)].reason == "Không đạt điểm tối thiểu"
    assert entries[("council_session", session.id)].to_state == CONFIRMED
    # After confirmation the tally still lists the ballot's dossiers and follows the recorded outcome.
    rows = {r.dossier.id: r for r in services.tally(session).rows}
    assert set(rows) == {an.id, binh.id} and rows[an.id].approved and not rows[binh.id].approved
    with pytest.raises(RuleViolation, match="đã được xác nhận"):
        services.confirm(chair, session)


def test_confirmation_is_refused_when_the_shortlist_changed_during_the_vote(world):
    an = scored(world, "Nguyễn Văn An", 85)
    session = open_with(world, 5)
    for i, voter in enumerate(world["council"][:5]):
        vote(voter, session, [an.id] if i == 0 else [], [an])
    late = scored(world, "Mới Chấm Xong", 80)  # written straight to the database: the app freezes scores meanwhile
    services.close_voting(world["secretary"], session, confirmed=True)
    assert not services.tally(session).consistent
    with pytest.raises(RuleViolation, match="đã thay đổi so với lúc bỏ phiếu"):
        services.confirm(world["council"][0], session)
    assert an.state == states.SCORED
    late.state = states.UNDER_REVIEW  # put back as it was: it waits for the next session
    db.session.commit()
    services.confirm(world["council"][0], session)
    assert (an.state, late.state) == (states.NOT_APPROVED, states.UNDER_REVIEW)  # 1 of 5 present agreed


def test_closing_needs_at_least_one_ballot(world):
    scored(world, "Nguyễn Văn An", 85)
    session = open_with(world, 5)
    with pytest.raises(RuleViolation, match="Chưa có thành viên nào bỏ phiếu"):
        services.close_voting(world["secretary"], session, confirmed=True)
    assert session.status == OPEN


def test_the_decision_is_recorded_after_confirmation_with_all_three_fields(world):
    session, *_ = closed_session(world)
    secretary, today = world["secretary"], clock.now().date()
    with pytest.raises(RuleViolation, match="sau khi Chủ tịch Hội đồng đã xác nhận"):
        services.record_decision(secretary, session, "12/QĐ-UBND", today, "Chủ tịch UBND tỉnh")
    services.confirm(world["council"][0], session)
    with pytest.raises(services.FieldRuleViolation, match="nhập đủ") as missing:
        services.record_decision(secretary, session, "12/QĐ-UBND", today, "  ")
    assert missing.value.field_key == "decision_signer"
    with pytest.raises(RuleViolation, match="trước ngày hội đồng xác nhận"):
        services.record_decision(secretary, session, "12/QĐ-UBND", today - timedelta(days=1), "Chủ tịch UBND")
    with pytest.raises(RuleViolation, match="Ban thư ký"):
        services.record_decision(world["council"][0], session, "12/QĐ-UBND", today, "Chủ tịch UBND tỉnh")
    services.record_decision(secretary, session, " 12/QĐ-UBND ", today, "Nguyễn Văn Chủ Tịch")
    db.session.expire_all()
    assert (session.decision_number, session.decision_date, session.decision_signer) == (
        "12/QĐ-UBND", today, "Nguyễn Văn Chủ Tịch")
    assert db.session.scalar(select(AuditEntry.reason).where(AuditEntry.action == "decision")).startswith(
        "Quyết định số 12/QĐ-UBND")


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_minutes_pdf_lists_attendance_quorum_results_and_decision(world):
    session, an, binh, below = closed_session(world)
    world["council"][6].full_name = "Đặng Thị Vắng"
    db.session.commit()
    services.confirm(world["council"][0], session)
    services.record_decision(world["secretary"], session, "345/QĐ-UBND", clock.now().date(), "Vương Quốc Tuấn")
    data = minutes_pdf(db.session.get(CouncilSession, session.id))
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert "BIÊN BẢN HỌP HỘI ĐỒNG XÉT TÔN VINH TRÍ THỨC BẮC NINH TIÊU BIỂU" in text
    assert "Nguyễn Văn An" in text and "Trần Thị Bình" in text and "Hội Y học tỉnh Bắc Ninh" in text
    assert "Túc số: có mặt 7/7 thành viên" in text and "Phiên họp đủ túc số." in text
    assert "Đặng Thị Vắng" in text and "Thành viên vắng mặt (0)" in text
    assert "số phiếu thu về: 6" in text
    assert "Thông qua" in text and "Không thông qua" in text
    assert "Phạm Văn Dưới" in text  # listed as below the minimum
    assert "Quyết định số 345/QĐ-UBND" in text and "Vương Quốc Tuấn" in text
    assert "CHỦ TỊCH HỘI ĐỒNG" in text


def test_minutes_name_absent_members_and_a_missing_quorum(world):
    an = scored(world, "Nguyễn Văn An", 85)
    session = open_with(world, 5)
    for voter in world["council"][:5]:
        vote(voter, session, [an.id], [an])
    services.close_voting(world["secretary"], session, confirmed=True)
    text = pdf_text(minutes_pdf(session))
    assert "Thành viên vắng mặt (2): Thành viên 6, Thành viên 7." in text
    assert "Kết quả chưa được Chủ tịch Hội đồng xác nhận." in text and "Chưa ghi nhận quyết định." in text


# ---------------------------------------------------------------- over HTTP

def test_secretariat_opens_updates_and_closes_a_session_over_http(world, client):
    an = scored(world, "Nguyễn Văn An", 85)
    login(client, world["secretary"])
    round_id = world["round"].id
    page = client.get(f"/council/rounds/{round_id}").get_data(as_text=True)
    assert "Nguyễn Văn An" in page and "Mở phiên họp" in page
    for member in world["council"]:
        assert f'value="{member.id}"' in page

    present = [u.id for u in world["council"][:3]]
    # First the confirmation page: the consequence, and the same form (attendance kept) posted again with confirmed=1.
    response = client.post(f"/council/rounds/{round_id}/sessions", data={"present": present})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and db.session.scalar(select(func.count(CouncilSession.id))) == 0
    assert "Mở phiên họp hội đồng với 3/7 thành viên có mặt." in page and "bị khoá" in page
    assert "danh sách 1 hồ sơ đưa ra bỏ phiếu được cố định" in page
    assert '<input type="hidden" name="confirmed" value="1">' in page
    for user_id in present:
        assert f'<input type="hidden" name="present" value="{user_id}">' in page
    assert 'name="override_reason"' not in page  # on time: no reason asked
    response = client.post(f"/council/rounds/{round_id}/sessions", data={"present": present, "confirmed": "1"})
    assert response.status_code == 302
    session = db.session.scalar(select(CouncilSession))
    page = client.get(f"/council/rounds/{round_id}").get_data(as_text=True)
    assert "Chưa đủ túc số:" in page and "có mặt 3/7 thành viên, cần ít nhất 5." in page
    assert "Cập nhật danh sách có mặt" in page

    outsider = make_user(roles.COUNCIL)
    response = client.post(f"/council/sessions/{session.id}/attendance", data={"present": [outsider.id]})
    assert response.status_code == 422
    assert "Người được chọn không thuộc hội đồng của đợt xét." in response.get_data(as_text=True)
    response = client.post(f"/council/sessions/{session.id}/attendance",
                           data={"present": [u.id for u in world["council"][:5]]})
    assert response.status_code == 302

    response = client.post(f"/council/sessions/{session.id}/close")
    assert response.status_code == 422 and "Chưa có thành viên nào bỏ phiếu" in response.get_data(as_text=True)

    member = world["council"][1]
    member_client = client.application.test_client()
    login(member_client, member)
    assert member_client.post(f"/council/sessions/{session.id}/ballot",
                              data={f"dossier_{an.id}": "agree"}).status_code == 302
    page = client.get(f"/council/rounds/{round_id}").get_data(as_text=True)
    assert "Đã bỏ phiếu: 1/5 thành viên có mặt." in page
    assert "Kết quả kiểm phiếu" not in page  # nothing about how anyone voted while the vote is open
    assert "Cập nhật danh sách có mặt" not in page
    response = client.post(f"/council/sessions/{session.id}/close")  # one ballot would show how that member voted
    assert response.status_code == 422
    assert "Mới có 1 phiếu bầu; cần ít nhất 5 phiếu" in response.get_data(as_text=True)
    for other in (world["council"][0], *world["council"][2:5]):
        services.cast_ballot(other, db.session.get(CouncilSession, session.id), {an.id: False})
    db.session.commit()

    response = client.post(f"/council/sessions/{session.id}/close")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Đóng bỏ phiếu với 5/5 thành viên có mặt đã bỏ phiếu." in page
    assert "Số phiếu này là cuối cùng" in page and '<input type="hidden" name="confirmed" value="1">' in page
    db.session.expire_all()
    assert db.session.get(CouncilSession, session.id).status == OPEN
    assert client.post(f"/council/sessions/{session.id}/close", data={"confirmed": "1"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(CouncilSession, session.id).status == CLOSED
    page = client.get(f"/council/rounds/{round_id}").get_data(as_text=True)
    assert "Kết quả kiểm phiếu" in page and "1/5" in page and "Kết quả chờ Chủ tịch Hội đồng xác nhận." in page


def test_member_ballot_over_http_keeps_choices_on_refusal_and_never_shows_a_vote_back(world, client):
    a, b, c = (scored(world, name, 80, field=MEDICINE) for name in ("Y Một", "Y Hai", "Y Ba"))
    session = open_with(world, 5)
    member, absent = world["council"][1], world["council"][6]

    login(client, absent)
    page = client.get(f"/council/sessions/{session.id}/ballot").get_data(as_text=True)
    assert "không có tên trong danh sách thành viên có mặt" in page and 'type="radio"' not in page
    response = client.post(f"/council/sessions/{session.id}/ballot",
                           data={f"dossier_{d.id}": "agree" for d in (a, b)} | {f"dossier_{c.id}": "disagree"})
    assert response.status_code == 422 and counts() == (0, 0, 0)

    client = client.application.test_client()
    login(client, member)
    page = client.get("/council/").get_data(as_text=True)
    assert "Chưa bỏ phiếu" in page and f"/council/sessions/{session.id}/ballot" in page
    page = client.get(f"/council/sessions/{session.id}/ballot").get_data(as_text=True)
    assert "Y dược · chỉ tiêu 2" in page and "Y Một" in page and "/dossiers/" not in page

    all_agree = {f"dossier_{d.id}": "agree" for d in (a, b, c)}
    response = client.post(f"/council/sessions/{session.id}/ballot", data=all_agree)
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "có chỉ tiêu 2: chỉ được đồng ý tối đa 2 hồ sơ (bạn đang chọn 3)" in text
    assert len(re.findall(r'<input checked[^>]*value="agree"', text)) == 3  # choices kept
    assert counts() == (0, 0, 0)

    response = client.post(f"/council/sessions/{session.id}/ballot", data={f"dossier_{a.id}": "agree"})
    assert response.status_code == 422 and "Vui lòng chọn Đồng ý hoặc Không đồng ý." in response.get_data(as_text=True)

    choice = {f"dossier_{a.id}": "agree", f"dossier_{b.id}": "disagree", f"dossier_{c.id}": "agree"}
    assert client.post(f"/council/sessions/{session.id}/ballot", data=choice).status_code == 302
    assert counts() == (1, 1, 3)
    page = client.get(f"/council/sessions/{session.id}/ballot").get_data(as_text=True)
    assert "Bạn đã bỏ phiếu" in page
    assert 'type="radio"' not in page and "checked" not in page  # nothing of the vote is shown back
    assert "Đã bỏ phiếu" in client.get("/council/").get_data(as_text=True)
    response = client.post(f"/council/sessions/{session.id}/ballot", data=choice)
    assert response.status_code == 422 and counts() == (1, 1, 3)


def test_vote_without_quorum_over_http_shows_the_message(world, client):
    an = scored(world, "Nguyễn Văn An", 85)
    session = open_with(world, 3)
    login(client, world["council"][0])
    page = client.get(f"/council/sessions/{session.id}/ballot").get_data(as_text=True)
    assert "Chưa đủ túc số: có mặt 3/7 thành viên, cần ít nhất 5." in page
    response = client.post(f"/council/sessions/{session.id}/ballot", data={f"dossier_{an.id}": "agree"})
    assert response.status_code == 422
    assert "Chưa đủ túc số: có mặt 3/7 thành viên, cần ít nhất 5." in response.get_data(as_text=True)
    assert counts() == (0, 0, 0)


def test_chair_confirms_over_http_and_others_cannot(world, client):
    session, an, binh, below = closed_session(world)
    chair, member = world["council"][0], world["council"][1]

    login(client, member)
    page = client.get(f"/council/sessions/{session.id}/ballot").get_data(as_text=True)
    assert "Xác nhận kết quả" not in page and "Kết quả kiểm phiếu" not in page
    assert client.post(f"/council/sessions/{session.id}/confirm").status_code == 403
    assert client.get(f"/council/sessions/{session.id}/minutes.pdf").status_code == 403
    outsider = client.application.test_client()
    login(outsider, make_user(roles.COUNCIL, is_chair=True))
    assert outsider.get(f"/council/sessions/{session.id}/ballot").status_code == 404
    assert outsider.post(f"/council/sessions/{session.id}/confirm").status_code == 404

    client = client.application.test_client()
    login(client, chair)
    page = client.get(f"/council/sessions/{session.id}/ballot").get_data(as_text=True)
    assert "Kết quả kiểm phiếu" in page and "Xác nhận kết quả" in page and "6/7" in page
    assert client.post(f"/council/sessions/{session.id}/confirm").status_code == 302
    db.session.expire_all()
    assert (an.state, binh.state, below.state) == (states.APPROVED, states.NOT_APPROVED, states.NOT_APPROVED)
    response = client.post(f"/council/sessions/{session.id}/confirm")
    assert response.status_code == 422 and "đã được xác nhận" in response.get_data(as_text=True)
    response = client.get(f"/council/sessions/{session.id}/minutes.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "Nguyễn Văn An" in pdf_text(response.data)


def test_decision_form_over_http(world, client):
    session, *_ = closed_session(world)
    services.confirm(world["council"][0], session)
    login(client, world["secretary"])
    url = f"/council/sessions/{session.id}/decision"
    response = client.post(url, data={"decision_number": "88/QĐ-UBND", "decision_date": "31/02/2026",
                                      "decision_signer": "Chủ tịch UBND tỉnh"})
    text = response.get_data(as_text=True)
    assert response.status_code == 422 and "dd/mm/yyyy" in text and 'value="88/QĐ-UBND"' in text
    response = client.post(url, data={"decision_number": "88/QĐ-UBND", "decision_date": "01/01/2026",
                                      "decision_signer": "Chủ tịch UBND tỉnh"})
    assert response.status_code == 422 and "trước ngày hội đồng xác nhận" in response.get_data(as_text=True)
    today = clock.now().date().strftime("%d/%m/%Y")
    response = client.post(url, data={"decision_number": "88/QĐ-UBND", "decision_date": today,
                                      "decision_signer": "Chủ tịch UBND tỉnh"})
    assert response.status_code == 302
    page = client.get(f"/council/rounds/{world['round'].id}").get_data(as_text=True)
    assert f"Quyết định số 88/QĐ-UBND ngày {today}, người ký: Chủ tịch UBND tỉnh." in page
    response = client.get(f"/council/sessions/{session.id}/minutes.pdf")
    assert response.status_code == 200 and "88/QĐ-UBND" in pdf_text(response.data)


# ---------------------------------------------------------------- query counts

def _build_session(size: int):
    round_ = make_round(name=f"Đợt {size}", min_average_score=D(60), opens_in_days=-120, closes_in_days=-60)
    org = make_org(f"Đơn vị {size}")
    world = {"round": round_, "org": org, "nominator": make_user(roles.NOMINATOR, org),
             "secretary": make_user(roles.SECRETARIAT), "council": make_council(round_, size + 2)}
    dossiers = [scored(world, f"Người Thứ {size}-{i}", 70 + i, field=i % 3) for i in range(size)]
    scored(world, f"Dưới Ngưỡng {size}", 40)
    session = open_with(world, size + 2)
    for member in world["council"]:
        vote(member, session, [], dossiers)
    return world, session


@pytest.mark.parametrize("page", ["round", "ballot"])
def test_council_pages_run_the_same_number_of_queries_whatever_the_size(app, client, page):
    counted = []
    for size in (2, 8):
        world, session = _build_session(size)
        if page == "ballot":
            services.close_voting(world["secretary"], session, confirmed=True)
        user = world["secretary"] if page == "round" else world["council"][0]
        url = f"/council/rounds/{world['round'].id}" if page == "round" else f"/council/sessions/{session.id}/ballot"
        browser = app.test_client()
        login(browser, user)
        with count_queries() as statements:
            assert browser.get(url).status_code == 200
        counted.append(len(statements))
    assert counted[0] == counted[1], counted


def test_scores_and_assignments_are_frozen_while_the_council_deliberates(app):
    """A late sheet or reassignment would change the shortlist under the members' feet."""
    from honours.core.errors import RuleViolation
    from honours.reviews import services as reviews
    from honours.rounds import services as rounds
    from tests.factories import make_council_session, make_round, make_user

    round_ = make_round()
    secretary = make_user("secretariat")
    make_council_session(round_, secretary, members_total=5)
    with pytest.raises(RuleViolation, match="Hội đồng đang họp"):
        reviews.check_scoring_open(round_.id)
    with pytest.raises(RuleViolation, match="Hội đồng đang họp"):
        reviews.auto_assign(secretary, round_)
    data = rounds.RoundData(
        name=round_.name, programme="honours", year=round_.year, nominations_open_at=round_.nominations_open_at,
        nominations_close_at=round_.nominations_close_at, review_close_at=round_.review_close_at,
        council_date=round_.council_date, quorum_rule="half",
        fields=[rounds.FieldRow(f.name, f.quota, f.id) for f in round_.fields],
        criteria=[rounds.CriterionRow(c.name, c.max_points, c.weight, id=c.id) for c in round_.criteria])
    with pytest.raises(RuleViolation, match="Hội đồng đã họp"):
        rounds.save_round(None, data, round_)
    db.session.rollback()
    data.quorum_rule = round_.quorum_rule
    data.name = "Tên mới của đợt"
    rounds.save_round(None, data, round_)  # other changes stay possible
    assert round_.name == "Tên mới của đợt"


def test_ballot_tables_keep_no_order_that_could_pair_voters_with_ballots(app):
    from honours.council.models import Ballot, BallotReceipt

    receipt_id = BallotReceipt.__table__.c.id
    assert str(receipt_id.type).startswith("VARCHAR") and str(Ballot.__table__.c.id.type).startswith("VARCHAR")
    if db.engine.dialect.name == "sqlite":
        from sqlalchemy import text

        with db.engine.connect() as connection:
            ddl = dict(connection.execute(text("SELECT name, sql FROM sqlite_master WHERE type='table'")).all())
        for table in ("ballot", "ballot_choice", "ballot_receipt"):
            assert "WITHOUT ROWID" in ddl[table], table
