"""Reviewer assignment, conflicts of interest, score sheets and aggregation (service layer)."""
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from honours.core import clock, roles
from honours.core.db import db
from honours.core.errors import RuleViolation, StaleEdit
from honours.core.outbox.models import OutboxMessage
from honours.nominations import states
from honours.reviews import results, services
from honours.reviews.models import ConflictDeclaration, CouncilMember, ReviewAssignment, ScoreSheet
from honours.reviews.services import SheetInput
from tests.factories import make_council, make_dossier, make_org, make_round, make_user

D = Decimal


@pytest.fixture
def world(app):
    round_ = make_round(reviewers_per_dossier=3)
    org = make_org("Hội Y học tỉnh Bắc Ninh")
    nominator = make_user(roles.NOMINATOR, org)
    return {"round": round_, "org": org, "nominator": nominator, "secretary": make_user(roles.SECRETARIAT)}


def eligible(world, name="Nguyễn Văn An", **fields):
    return make_dossier(world["round"], world["org"], world["nominator"], state=states.ELIGIBLE, full_name=name,
                        **fields)


def score(reviewer, dossier, points, submit=True, comment=""):
    sheet = services.sheet_for(reviewer, dossier)
    criteria = dossier.round.criteria
    data = SheetInput(points={c.id: (D(p) if p is not None else None) for c, p in zip(criteria, points)},
                      comments={criteria[0].id: comment}, overall_comment="Hồ sơ tốt")
    services.save_sheet(reviewer, sheet, data, sheet.version, submit=submit)
    return sheet


def test_auto_assign_excludes_conflicts_prefers_the_field_and_balances_load(world):
    round_ = world["round"]
    members = make_council(round_, 5)
    # Member 1 works at the nominating organisation; member 2 declared a conflict on the first dossier;
    # member 3 sits on the Y dược panel.
    member = {m.user_id: m for m in db.session.scalars(select(CouncilMember))}
    member[members[0].id].affiliation_organisation_id = world["org"].id
    member[members[2].id].panel_field_id = round_.fields[1].id
    db.session.commit()
    first = eligible(world, "Trần Thị Bình")
    second = eligible(world, "Lê Văn Cường", field_id=round_.fields[1].id)
    db.session.add(ConflictDeclaration(dossier_id=first.id, reviewer_id=members[1].id, reason="Họ hàng"))
    db.session.commit()

    assert services.auto_assign(world["secretary"], round_) == 6
    assigned = {(a.dossier_id, a.reviewer_id) for a in db.session.scalars(select(ReviewAssignment))}
    assert (first.id, members[0].id) not in assigned and (second.id, members[0].id) not in assigned
    assert (first.id, members[1].id) not in assigned
    assert (second.id, members[2].id) in assigned  # the Y dược specialist
    loads = [sum(1 for _, r in assigned if r == m.id) for m in members[1:]]
    assert max(loads) - min(loads) <= 1
    assert {first.state, second.state} == {states.UNDER_REVIEW}
    assert services.auto_assign(world["secretary"], round_) == 0  # idempotent


def test_workplace_conflict_and_manual_assignment_rules(world):
    round_ = world["round"]
    reviewer, outsider = make_council(round_, 1, affiliation="Bệnh viện Đa khoa tỉnh Bắc Ninh")[0], make_user(roles.COUNCIL)
    dossier = eligible(world, workplace="Bệnh viện đa khoa tỉnh Bắc Ninh")
    with pytest.raises(RuleViolation, match="cùng cơ quan"):
        services.assign(world["secretary"], dossier, reviewer)
    with pytest.raises(RuleViolation, match="không thuộc hội đồng"):
        services.assign(world["secretary"], dossier, outsider)
    submitted = make_dossier(round_, world["org"], world["nominator"], state=states.SUBMITTED, full_name="Chưa thẩm định")
    other = make_council(round_, 1)[0]
    with pytest.raises(RuleViolation, match="hồ sơ hợp lệ"):
        services.assign(world["secretary"], submitted, other)


def test_declaring_a_conflict_unassigns_and_is_never_reassigned(world):
    round_ = world["round"]
    reviewers = make_council(round_, 4)
    dossier = eligible(world)
    services.auto_assign(world["secretary"], round_)
    mine = db.session.scalars(select(ReviewAssignment)).first()
    reviewer = db.session.get(type(reviewers[0]), mine.reviewer_id)
    with pytest.raises(RuleViolation, match="lý do"):
        services.declare_conflict(reviewer, dossier, " ")
    services.declare_conflict(reviewer, dossier, "Là đồng tác giả của người được đề cử")
    assert services.is_assigned(reviewer, dossier) is False
    overview = services.overview(round_)
    assert [c.reason for c in overview.conflicts] == ["Là đồng tác giả của người được đề cử"]
    assert [(d.id, n) for d, n in overview.lacking] == [(dossier.id, 2)]
    services.auto_assign(world["secretary"], round_)
    assert not services.is_assigned(reviewer, dossier)
    assert len(services.overview(round_).assignments[dossier.id]) == 3


def test_scoring_rules_deadline_range_decimals_and_completion(world):
    round_ = world["round"]
    reviewers = make_council(round_, 3)
    dossier = eligible(world)
    services.auto_assign(world["secretary"], round_)
    outsider = make_user(roles.COUNCIL)
    with pytest.raises(RuleViolation, match="không được phân công"):
        services.sheet_for(outsider, dossier)
    with pytest.raises(RuleViolation, match="phải từ 0 đến 10"):
        score(reviewers[0], dossier, [11, 5, 5])
    with pytest.raises(RuleViolation, match="tối đa 1 chữ số thập phân"):
        score(reviewers[0], dossier, ["7.25", 5, 5])
    with pytest.raises(RuleViolation, match="chấm đủ các tiêu chí"):
        score(reviewers[0], dossier, [7, None, 5])
    draft = score(reviewers[0], dossier, [7, None, 5], submit=False)
    assert draft.status == "draft"
    for reviewer in reviewers[:2]:
        score(reviewer, dossier, ["7.5", 8, 9])
    assert dossier.state == states.UNDER_REVIEW
    with clock.frozen(round_.review_close_at + timedelta(minutes=1)):
        with pytest.raises(RuleViolation, match="hết hạn chấm điểm"):
            score(reviewers[2], dossier, [6, 6, 6])
    score(reviewers[2], dossier, [6, 6, 6])
    assert dossier.state == states.SCORED


def test_submitted_sheets_are_read_only_double_submit_is_harmless_and_reopen_is_audited(world):
    from honours.core.audit import AuditEntry

    round_ = world["round"]
    reviewer = make_council(round_, 1)[0]
    dossier = eligible(world)
    services.auto_assign(world["secretary"], round_)
    sheet = score(reviewer, dossier, [8, 8, 8])
    version = sheet.version
    data = SheetInput(points={c.id: D(1) for c in round_.criteria}, comments={})
    assert services.save_sheet(reviewer, sheet, data, version, submit=True) is False  # the second click
    with pytest.raises(RuleViolation, match="Phiếu đã nộp"):
        services.save_sheet(reviewer, sheet, data, version)
    assert [i.points for i in sheet.items] == [D(8)] * 3
    assert dossier.state == states.SCORED
    with pytest.raises(RuleViolation):
        services.reopen_sheet(reviewer, sheet, "Sửa điểm")
    services.reopen_sheet(world["secretary"], sheet, "Thành viên xin chấm lại tiêu chí 2")
    assert sheet.status == "draft" and dossier.state == states.UNDER_REVIEW
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[-2:] == ["reopen_sheet", "reopen_review"]


def test_a_stale_sheet_is_refused(world):
    round_ = world["round"]
    reviewer = make_council(round_, 1)[0]
    dossier = eligible(world)
    services.auto_assign(world["secretary"], round_)
    sheet = services.sheet_for(reviewer, dossier)
    opened = sheet.version
    data = SheetInput(points={round_.criteria[0].id: D(5)}, comments={})
    services.save_sheet(reviewer, sheet, data, opened)  # first tab
    with pytest.raises(StaleEdit):
        services.save_sheet(reviewer, sheet, SheetInput(points={round_.criteria[0].id: D(9)}, comments={}), opened)
    db.session.expire_all()
    saved = db.session.get(ScoreSheet, sheet.id)
    assert {i.criterion_id: i.points for i in saved.items}[round_.criteria[0].id] == D(5)


def test_opening_a_sheet_writes_nothing_and_the_first_save_creates_it(world):
    from honours.core.audit import AuditEntry

    round_ = world["round"]
    reviewer = make_council(round_, 1)[0]
    dossier = eligible(world)
    services.auto_assign(world["secretary"], round_)
    blank = services.sheet_for(reviewer, dossier)
    assert blank.id is None and blank not in db.session and not blank.is_submitted
    assert [i.criterion_id for i in blank.items] == [c.id for c in round_.criteria]
    assert db.session.scalar(select(db.func.count(ScoreSheet.id))) == 0
    assert services.my_assignments_page(reviewer, 1, 50).rows[0][1] is None  # still "not scored" in the list

    other_tab = services.sheet_for(reviewer, dossier)
    score(reviewer, dossier, [8, None, 9], submit=False)  # the first save creates the draft, unaudited
    sheet = db.session.scalar(select(ScoreSheet))
    assert sheet.status == "draft" and sheet.version == 1
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.entity_type == "score_sheet")) is None
    with pytest.raises(StaleEdit):  # a second tab opened on the blank sheet cannot overwrite it
        services.save_sheet(reviewer, services.sheet_for(reviewer, dossier),
                            SheetInput(points={round_.criteria[0].id: D(1)}, comments={}), other_tab.version)
    db.session.expire_all()
    assert [i.points for i in db.session.get(ScoreSheet, sheet.id).items] == [D(8), None, D(9)]


def test_reminders_go_to_reviewers_with_unfinished_sheets(world):
    round_ = world["round"]
    reviewers = make_council(round_, 3)
    dossier = eligible(world)
    services.auto_assign(world["secretary"], round_)
    score(reviewers[0], dossier, [8, 8, 8])
    assert services.send_reminders(world["secretary"], round_) == 2
    recipients = set(db.session.scalars(select(OutboxMessage.recipient)))
    assert recipients == {reviewers[1].email, reviewers[2].email}


def test_aggregation_matches_hand_computed_numbers(world):
    round_ = world["round"]  # criteria: max 10 each, weights 50 / 30 / 20; deviation flag 20 %
    round_.reviewers_per_dossier = 5
    db.session.commit()
    reviewers = make_council(round_, 5)
    dossier = eligible(world)
    services.auto_assign(world["secretary"], round_)
    # Weighted totals: 9,8,7 -> 45+24+14 = 83; 8,8,8 -> 80; 7,7,7 -> 70; 10,9,9 -> 50+27+18 = 95; 4,4,4 -> 40
    for reviewer, points in zip(reviewers, [[9, 8, 7], [8, 8, 8], [7, 7, 7], [10, 9, 9], [4, 4, 4]]):
        score(reviewer, dossier, points)
    field = next(f for f in results.round_results(round_) if f.field_id == dossier.field_id)
    result = field.results[0]
    assert sorted(t.total for t in result.totals) == [D(40), D(70), D(80), D(83), D(95)]
    assert result.count == 5
    assert result.mean == D("73.60")            # 368 / 5
    assert result.stdev == D("20.79")           # sample: sqrt(1729.2 / 4)
    assert result.trimmed_mean == D("77.67")    # (70 + 80 + 83) / 3
    assert result.final == result.trimmed_mean
    # |total - 73.6| > 20 % of 73.6 = 14.72 -> 95 (21.4) and 40 (33.6) are flagged
    assert sorted(t.total for t in result.totals if t.flagged) == [D(40), D(95)]
    assert result.high_disagreement  # 20.79 > 14.72
    assert result.rank == 1 and result.within_quota


def test_ranking_per_field_with_quota_and_minimum(world):
    round_ = world["round"]  # field 0 "Khoa học tự nhiên" has quota 3
    round_.reviewers_per_dossier = 1
    round_.trim_extremes = False
    round_.min_average_score = D(50)
    db.session.commit()
    reviewer = make_council(round_, 1)[0]
    dossiers = [eligible(world, f"Ứng viên {i}") for i in range(5)]
    services.auto_assign(world["secretary"], round_)
    for dossier, mark in zip(dossiers, [9, 4, 7, 8, 6]):
        score(reviewer, dossier, [mark] * 3)
    field = next(f for f in results.round_results(round_) if f.field_id == round_.fields[0].id)
    assert [(r.dossier.full_name, r.final, r.rank, r.within_quota) for r in field.results] == [
        ("Ứng viên 0", D(90), 1, True), ("Ứng viên 3", D(80), 2, True), ("Ứng viên 2", D(70), 3, True),
        ("Ứng viên 4", D(60), 4, False), ("Ứng viên 1", D(40), 5, False),
    ]
    assert not field.results[-1].meets_minimum


def test_a_sheet_cannot_be_saved_or_submitted_while_the_council_deliberates(world):
    """The shortlist the members vote on must not move under them: save_sheet itself refuses, whatever page sent
    it, while a session is open or waiting for the chair; once confirmed, the round's scores stay frozen."""
    from honours.council.models import CLOSED, CONFIRMED
    from tests.factories import make_council_session

    reviewer = make_council(world["round"], 1)[0]
    dossier = eligible(world)
    services.assign(world["secretary"], dossier, reviewer)
    score(reviewer, dossier, [8, 7, None], submit=False)
    session = make_council_session(world["round"], world["secretary"])
    for status in (None, CLOSED):
        if status:
            session.status = status
            db.session.commit()
        with pytest.raises(RuleViolation, match="Hội đồng đang họp"):
            score(reviewer, dossier, [8, 7, 9])
        db.session.rollback()
        with pytest.raises(RuleViolation, match="Hội đồng đang họp"):
            score(reviewer, dossier, [9, 9, 9], submit=False)
        db.session.rollback()
        sheet = db.session.scalar(select(ScoreSheet))
        assert (sheet.status, [i.points for i in sheet.items]) == ("draft", [D(8), D(7), None])
    session.status = CONFIRMED
    db.session.commit()
    score(reviewer, dossier, [8, 7, 9])  # the council has decided: the stage is over, the sheet may be completed
    assert db.session.scalar(select(ScoreSheet.status)) == "submitted"
