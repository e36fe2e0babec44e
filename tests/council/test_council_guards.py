"""Guard rails of the council stage: opening a session freezes scoring for the whole round, so it is confirmed, and
refused "too early" (nominations open, review deadline not passed, dossiers unscored, sheets outstanding) unless a
reason is given, which the audit log keeps; closing the vote is confirmed with the count of ballots."""
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from honours.core import clock, roles
from honours.core.audit import AuditEntry
from honours.core.confirm import ConfirmationNeeded
from honours.core.db import db
from honours.council import services
from honours.council.models import OPEN, CouncilSession
from honours.nominations import states
from honours.reviews.models import ReviewAssignment
from tests.conftest import login
from tests.council.test_council import open_with, scored, vote
from tests.factories import make_council, make_dossier, make_org, make_round, make_score_sheet, make_user

D = Decimal
REASON = "Chủ tịch UBND tỉnh yêu cầu họp sớm để kịp lễ tôn vinh ngày 10/10."


def make_world(**round_fields):
    """A council of 7 and one scored dossier; the round's timeline as given (default: every deadline passed)."""
    timeline = {"opens_in_days": -120, "closes_in_days": -60, **round_fields}
    round_ = make_round(min_average_score=D(60), **timeline)
    org = make_org("Hội Vật lý tỉnh Bắc Ninh")
    world = {"round": round_, "org": org, "nominator": make_user(roles.NOMINATOR, org),
             "secretary": make_user(roles.SECRETARIAT, full_name="Lê Thị Thư Ký"), "council": make_council(round_, 7)}
    world["scored"] = scored(world, "Nguyễn Văn An", 85)
    return world


@pytest.fixture
def on_time(app):
    return make_world()


def sessions() -> int:
    return db.session.scalar(select(func.count(CouncilSession.id)))


def opening(world, **kwargs):
    return services.open_session(world["secretary"], world["round"], [u.id for u in world["council"][:5]], **kwargs)


def unscored(world, name="Trần Thị Chưa Chấm", assigned=3, submitted=1):
    """An eligible dossier under review: `assigned` reviewers, `submitted` of them have submitted their sheet."""
    dossier = make_dossier(world["round"], world["org"], world["nominator"], state=states.UNDER_REVIEW,
                           full_name=name, with_attachment=False)
    for i, reviewer in enumerate(world["council"][:assigned]):
        db.session.add(ReviewAssignment(dossier_id=dossier.id, reviewer_id=reviewer.id,
                                        assigned_by_id=world["secretary"].id))
        if i < submitted:
            make_score_sheet(dossier, reviewer, D(8), submitted_at=clock.now())
    db.session.commit()
    return dossier


# ---------------------------------------------------------------- opening: service

def test_opening_is_refused_until_confirmed_and_says_what_it_freezes(on_time):
    with pytest.raises(ConfirmationNeeded) as needed:
        opening(on_time)
    assert sessions() == 0
    assert not needed.value.warnings and not needed.value.needs_reason
    consequence = needed.value.consequence
    assert "5/7 thành viên có mặt" in consequence and "chấm điểm" in consequence and "bị khoá" in consequence
    assert "danh sách 1 hồ sơ đưa ra bỏ phiếu được cố định" in consequence and "bỏ phiếu kín" in consequence


def test_on_time_with_confirmation_opens_without_a_reason(on_time):
    session = opening(on_time, confirmed=True)
    assert session.status == OPEN and sessions() == 1
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.entity_type == "council_session")).all()
    assert actions == ["open"]  # nothing said about an override


@pytest.mark.parametrize("timeline, early", [
    ({"closes_in_days": 5}, "Đợt xét vẫn đang nhận hồ sơ đề cử"),
    ({"closes_in_days": -10}, "Chưa hết hạn chấm điểm"),  # review closes 30 days after nominations
])
def test_too_early_by_the_deadlines_needs_a_reason(app, timeline, early):
    world = make_world(**timeline)
    with pytest.raises(ConfirmationNeeded) as needed:
        opening(world, confirmed=True)
    assert needed.value.needs_reason and any(w.startswith(early) for w in needed.value.warnings), needed.value.warnings
    assert needed.value.reason_error == "Vui lòng nêu lý do thực hiện trước thời hạn."
    with pytest.raises(ConfirmationNeeded):
        opening(world, confirmed=True, override_reason="   ")
    assert sessions() == 0


def test_unscored_dossiers_and_outstanding_sheets_are_counted_and_need_a_reason(on_time):
    unscored(on_time, "Trần Thị Một", assigned=3, submitted=1)
    unscored(on_time, "Lê Văn Hai", assigned=2, submitted=0)
    make_dossier(on_time["round"], on_time["org"], on_time["nominator"], state=states.SUBMITTED,
                 full_name="Phạm Văn Chờ", with_attachment=False)
    with pytest.raises(ConfirmationNeeded) as needed:
        opening(on_time, confirmed=True)
    assert needed.value.warnings == [
        "1 hồ sơ đã nộp chưa được thẩm định.",
        "2 hồ sơ hợp lệ chưa chấm điểm xong: các hồ sơ này sẽ không có trong danh sách bỏ phiếu.",
        "4 phiếu chấm điểm được phân công chưa nộp.",
    ]
    assert sessions() == 0


def test_too_early_with_a_reason_opens_and_the_audit_log_keeps_the_reason(app):
    world = make_world(closes_in_days=-10)  # the review deadline is 20 days away
    unscored(world, assigned=3, submitted=2)
    session = opening(world, confirmed=True, override_reason=f"  {REASON} ")
    assert session.status == OPEN
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.entity_type == "council_session",
                                                          AuditEntry.entity_id == session.id)
                                 .order_by(AuditEntry.id)).all()
    assert [e.action for e in entries] == ["open", "open_early"]
    early = entries[1]
    assert early.actor_id == world["secretary"].id and early.reason_code == "council.opened_early"
    assert early.reason_params["reason"] == REASON
    assert (early.reason_params["unscored"], early.reason_params["sheets_outstanding"]) == (1, 1)
    review_close = world["round"].review_close_at.strftime("%d/%m/%Y %H:%M")
    assert early.reason_text == (
        f"Mở phiên họp trước thời điểm theo tiến độ đợt xét (hạn nộp hồ sơ "
        f"{world['round'].nominations_close_at.strftime('%d/%m/%Y %H:%M')}, hạn chấm điểm {review_close}; 0 hồ sơ "
        f"chưa thẩm định, 1 hồ sơ chưa chấm xong, 1 phiếu chấm chưa nộp). Lý do: {REASON}")
    assert early.reason == early.reason_text  # stored in Vietnamese too, for the reason search
    assert early.action_label == "Mở phiên họp trước thời hạn"


def test_a_reason_too_long_is_refused(app):
    world = make_world(closes_in_days=5)
    with pytest.raises(ConfirmationNeeded) as needed:
        opening(world, confirmed=True, override_reason="x" * 1001)
    assert needed.value.reason_error == "Tối đa 1000 ký tự."


def test_other_refusals_come_before_the_confirmation(app):
    world = make_world(closes_in_days=5)
    outsider = make_user(roles.COUNCIL)
    from honours.core.errors import RuleViolation

    with pytest.raises(RuleViolation) as refused:
        services.open_session(world["secretary"], world["round"], [outsider.id])
    assert not isinstance(refused.value, ConfirmationNeeded)


# ---------------------------------------------------------------- closing the vote

def test_closing_the_vote_is_confirmed_with_the_count_of_ballots(on_time):
    session = open_with(on_time, 7)
    for member in on_time["council"][:5]:
        vote(member, session, [], [on_time["scored"]])
    with pytest.raises(ConfirmationNeeded) as needed:
        services.close_voting(on_time["secretary"], session)
    assert needed.value.consequence.startswith("Đóng bỏ phiếu với 5/7 thành viên có mặt đã bỏ phiếu.")
    assert "Số phiếu này là cuối cùng" in needed.value.consequence
    db.session.expire_all()
    assert db.session.get(CouncilSession, session.id).status == OPEN
    services.close_voting(on_time["secretary"], db.session.get(CouncilSession, session.id), confirmed=True)
    assert db.session.get(CouncilSession, session.id).status == "closed"


# ---------------------------------------------------------------- over HTTP

def test_opening_too_early_over_http_asks_a_reason_then_shows_it_in_the_history(app, client):
    world = make_world(closes_in_days=-10)
    round_id = world["round"].id
    login(client, world["secretary"])
    page = client.get(f"/council/rounds/{round_id}").get_data(as_text=True)
    assert "Chưa đến thời điểm mở phiên họp theo tiến độ đợt xét:" in page and "Chưa hết hạn chấm điểm" in page

    present = [u.id for u in world["council"][:5]]
    response = client.post(f"/council/rounds/{round_id}/sessions", data={"present": present})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and sessions() == 0
    assert "Mở phiên họp hội đồng với 5/7 thành viên có mặt." in page and "Chưa hết hạn chấm điểm" in page
    assert 'name="override_reason"' in page and 'id="override_reason-error"' not in page

    response = client.post(f"/council/rounds/{round_id}/sessions", data={"present": present, "confirmed": "1"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and sessions() == 0
    assert 'aria-describedby="override_reason-error"' in page and "Vui lòng nêu lý do thực hiện trước thời hạn." in page

    response = client.post(f"/council/rounds/{round_id}/sessions",
                           data={"present": present, "confirmed": "1", "override_reason": REASON})
    assert response.status_code == 302 and sessions() == 1
    page = client.get(f"/council/rounds/{round_id}").get_data(as_text=True)
    assert "Lịch sử phiên họp" in page and "Mở phiên họp trước thời hạn" in page and REASON in page
    audit_page = client.get("/audit/?action=open_early").get_data(as_text=True)
    assert REASON in audit_page


def test_the_round_page_warns_nothing_when_on_time(on_time, client):
    login(client, on_time["secretary"])
    page = client.get(f"/council/rounds/{on_time['round'].id}").get_data(as_text=True)
    assert "Chưa đến thời điểm mở phiên họp" not in page


def test_deadline_edges(app):
    """Exactly at the review deadline it is no longer early."""
    world = make_world(closes_in_days=-30)  # review closes now
    assert world["round"].review_close_at <= clock.now() < world["round"].review_close_at + timedelta(seconds=1)
    assert services.timeline(world["round"]).warnings(world["round"]) == []
