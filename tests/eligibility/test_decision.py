"""The eligibility decision: nothing preselected, recorded only once confirmed (the consequence stated per
decision), then the next dossier of the same filtered list with the list's filters kept; sending an eligible
dossier back to the check while no reviewer has submitted a sheet (audited, the nominator not told)."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from honours.auth.models import User
from honours.core import clock, roles
from honours.core.audit import AuditEntry
from honours.core.confirm import ConfirmationNeeded
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.core.outbox.models import OutboxMessage
from honours.nominations import services, states
from honours.nominations.models import Dossier
from honours.reviews.models import ReviewAssignment, ScoreSheet
from tests.conftest import login
from tests.factories import make_council, make_dossier, make_org, make_round, make_score_sheet, make_user


@pytest.fixture(scope="module")
def world_ids(module_app):
    round_ = make_round()
    org = make_org("Hội Y học tỉnh Bắc Ninh", email="hoiyhoc@bacninh.example.vn")
    nominator = make_user(roles.NOMINATOR, org)
    secretary = make_user(roles.SECRETARIAT)
    reviewers = make_council(round_, 3)
    names = ["An", "Bình", "Cường", "Dung"]
    dossiers = {n: make_dossier(round_, org, nominator, state=states.SUBMITTED, full_name=f"Nguyễn Văn {n}")
                for n in names}
    for i, name in enumerate(names):  # first come, first listed
        dossiers[name].submitted_at = clock.now() - timedelta(days=10 - i)
    db.session.commit()
    return {"nominator": nominator.id, "secretary": secretary.id, "reviewers": [r.id for r in reviewers],
            "dossiers": {n: d.id for n, d in dossiers.items()}}


@pytest.fixture
def app(module_app, db_savepoint):
    return module_app


@pytest.fixture
def world(app, world_ids):
    """The module's world, loaded in the test's session."""
    return {"nominator": db.session.get(User, world_ids["nominator"]),
            "secretary": db.session.get(User, world_ids["secretary"]),
            "reviewers": [db.session.get(User, i) for i in world_ids["reviewers"]],
            "dossiers": world_ids["dossiers"]}


def dossier(world, name) -> Dossier:
    return db.session.get(Dossier, world["dossiers"][name])


def messages() -> int:
    return db.session.scalar(select(func.count(OutboxMessage.id)))


# ---------------------------------------------------------------- service

@pytest.mark.parametrize("action, reason, says", [
    ("mark_eligible", "", "chuyển sang bước phân công chấm điểm"),
    ("return", "Thiếu công văn", "phải nộp lại trước"),
    ("mark_ineligible", "Không cư trú tại tỉnh", "kết luận cuối cùng"),
])
def test_a_decision_is_recorded_only_once_confirmed(app, world, action, reason, says):
    d = dossier(world, "An")
    deadline = clock.now() + timedelta(days=7) if action == "return" else None
    sent = messages()
    with pytest.raises(ConfirmationNeeded) as asked:
        services.decide(world["secretary"], d, action, reason, supplement_deadline=deadline)
    assert says in asked.value.consequence and "Nguyễn Văn An" in asked.value.consequence
    assert d.state == states.SUBMITTED and messages() == sent
    services.decide(world["secretary"], d, action, reason, supplement_deadline=deadline, confirmed=True)
    assert d.state != states.SUBMITTED and messages() > sent


def test_no_decision_chosen_is_refused(app, world):
    with pytest.raises(RuleViolation, match="chọn kết luận"):
        services.decide(world["secretary"], dossier(world, "An"), "", confirmed=True)


def test_every_rule_is_checked_before_asking_for_confirmation(app, world):
    """A decision that will be refused is refused at once, not after a confirmation page."""
    d = dossier(world, "An")
    with pytest.raises(RuleViolation) as refused:
        services.decide(world["secretary"], d, "mark_ineligible", "")
    assert not isinstance(refused.value, ConfirmationNeeded)
    with pytest.raises(RuleViolation) as refused:
        services.decide(world["nominator"], d, "mark_eligible")
    assert not isinstance(refused.value, ConfirmationNeeded)


# ---------------------------------------------------------------- back to the check

def eligible(world, name="Bình") -> Dossier:
    d = dossier(world, name)
    services.decide(world["secretary"], d, "mark_eligible", confirmed=True)
    return d


def test_an_eligible_dossier_goes_back_to_the_check_audited_and_the_nominator_is_not_told(app, world):
    d = eligible(world)
    sent = messages()
    with pytest.raises(ConfirmationNeeded):
        services.reopen_check(world["secretary"], d, "Thiếu xác minh bằng cấp")
    assert d.state == states.ELIGIBLE
    services.reopen_check(world["secretary"], d, "Thiếu xác minh bằng cấp", d.version, confirmed=True)
    assert d.state == states.SUBMITTED
    assert messages() == sent  # internal back-and-forth: no email
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.entity_id == d.id)
                               .order_by(AuditEntry.id.desc())).first()
    assert (entry.action, entry.from_state, entry.to_state, entry.reason) == (
        "reopen_check", "eligible", "submitted", "Thiếu xác minh bằng cấp")
    # Back in the check, it can be decided again.
    services.decide(world["secretary"], d, "mark_eligible", confirmed=True)
    assert d.state == states.ELIGIBLE


def test_a_resubmitted_dossier_goes_back_to_resubmitted(app, world):
    d = eligible(world)
    d.submission_count = 2
    services.reopen_check(world["secretary"], d, "Kiểm tra lại", confirmed=True)
    assert d.state == states.RESUBMITTED


def test_going_back_needs_a_reason_and_the_secretariat(app, world):
    d = eligible(world)
    with pytest.raises(RuleViolation, match="lý do"):
        services.reopen_check(world["secretary"], d, "  ", confirmed=True)
    with pytest.raises(RuleViolation, match="quyền"):
        services.reopen_check(world["nominator"], d, "Vì sao", confirmed=True)
    with pytest.raises(RuleViolation):  # not from the check itself
        services.reopen_check(world["secretary"], dossier(world, "Cường"), "Vì sao", confirmed=True)


def test_going_back_removes_assignments_and_draft_sheets(app, world):
    from honours.reviews import services as reviews

    d = eligible(world)
    first, second = world["reviewers"][:2]
    reviews.assign(world["secretary"], d, first)
    reviews.assign(world["secretary"], d, second)
    make_score_sheet(d, first, points=5, status="draft")
    assert d.state == states.UNDER_REVIEW
    services.reopen_check(world["secretary"], d, "Hồ sơ thiếu minh chứng", confirmed=True)
    assert d.state == states.SUBMITTED
    assert db.session.scalar(select(func.count(ReviewAssignment.id)).where(ReviewAssignment.dossier_id == d.id)) == 0
    assert db.session.scalar(select(func.count(ScoreSheet.id)).where(ScoreSheet.dossier_id == d.id)) == 0
    unassigned = db.session.scalars(select(AuditEntry.reason).where(
        AuditEntry.entity_id == d.id, AuditEntry.action == "unassign_reviewer")).all()
    assert len(unassigned) == 2


def test_going_back_is_refused_once_a_sheet_is_submitted(app, world):
    from honours.reviews import services as reviews

    d = eligible(world)
    reviewer = world["reviewers"][0]
    reviews.assign(world["secretary"], d, reviewer)
    make_score_sheet(d, reviewer, points=6, status="submitted")
    with pytest.raises(RuleViolation, match="nộp phiếu"):
        services.reopen_check(world["secretary"], d, "Kiểm tra lại", confirmed=True)
    assert not states.DOSSIER.may(world["secretary"], d, "reopen_check")
    assert d.state == states.UNDER_REVIEW


# ---------------------------------------------------------------- HTTP

@pytest.fixture
def secretary(app, world):
    client = app.test_client()
    login(client, world["secretary"])
    return client


def post_decision(client, d, **data):
    return client.post(f"/eligibility/{d.id}/decision", data={"version": d.version, **data})


def test_the_decision_form_preselects_nothing(secretary, world):
    page = secretary.get(f"/dossiers/{world['dossiers']['An']}").get_data(as_text=True)
    select_html = re.search(r'<select[^>]*name="action".*?</select>', page, re.S).group(0)
    assert '<option selected value="">' in select_html or 'selected value=""' in select_html
    assert select_html.count("selected") == 1


def test_no_decision_chosen_gives_a_field_message(secretary, world):
    d = dossier(world, "An")
    response = post_decision(secretary, d, action="")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="action-error"' in page and "Vui lòng chọn kết luận thẩm định." in page
    assert 'aria-describedby="action-hint action-error"' in page
    assert dossier(world, "An").state == states.SUBMITTED


def test_the_confirmation_page_then_the_next_dossier_with_the_filters_kept(secretary, world):
    listed = "/eligibility/?state=awaiting&sort=name"
    first = dossier(world, "An")
    response = post_decision(secretary, first, action="mark_eligible", next=listed)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "chuyển sang bước phân công chấm điểm" in page and 'name="confirmed" value="1"' in page
    assert f'value="{listed}"' in page.replace("&amp;", "&")  # the list goes through the confirmation
    assert dossier(world, "An").state == states.SUBMITTED
    response = post_decision(secretary, first, action="mark_eligible", next=listed, confirmed="1")
    assert response.status_code == 302
    assert dossier(world, "An").state == states.ELIGIBLE
    # The next dossier of the list (sorted by name: Bình after An), the list carried on.
    location = response.headers["Location"]
    assert location.startswith(f"/dossiers/{world['dossiers']['Bình']}?next=")
    page = secretary.get(location).get_data(as_text=True)
    assert "Đây là hồ sơ tiếp theo trong danh sách." in page
    assert 'href="/eligibility/?state=awaiting&amp;sort=name"' in page  # back to the same filtered list


def test_after_the_last_dossier_the_list_with_its_filters(secretary, world):
    listed = "/eligibility/?state=awaiting&sort=-name"  # Dung, Cường, Bình, An: An is the last
    response = post_decision(secretary, dossier(world, "An"), action="mark_eligible", next=listed, confirmed="1")
    assert response.headers["Location"] == listed


@pytest.mark.parametrize("elsewhere", ["https://evil.example/eligibility/", "//evil.example/eligibility/",
                                       "/dossiers/?x=1", "javascript:alert(1)", "/eligibility/\\evil"])
def test_only_the_inbox_is_a_way_back(secretary, world, elsewhere):
    response = post_decision(secretary, dossier(world, "Dung"), action="mark_eligible", next=elsewhere,
                             confirmed="1")
    assert response.status_code == 302
    assert response.headers["Location"] == "/eligibility/"


def test_sending_back_over_http(secretary, world):
    d = eligible(world, "Cường")
    db.session.commit()
    page = secretary.get(f"/dossiers/{d.id}").get_data(as_text=True)
    assert f'href="/eligibility/{d.id}/reopen"' in page
    page = secretary.get(f"/eligibility/{d.id}/reopen").get_data(as_text=True)
    assert "Đơn vị đề cử không được thông báo" in page
    response = secretary.post(f"/eligibility/{d.id}/reopen", data={"version": d.version, "confirmed": "1",
                                                                    "reason": ""})
    assert response.status_code == 422 and 'id="reason-error"' in response.get_data(as_text=True)
    response = secretary.post(f"/eligibility/{d.id}/reopen", data={"version": d.version, "reason": "Xem lại"})
    assert response.status_code == 200 and 'name="confirmed" value="1"' in response.get_data(as_text=True)
    assert dossier(world, "Cường").state == states.ELIGIBLE  # not without the confirmation
    response = secretary.post(f"/eligibility/{d.id}/reopen", data={"version": d.version, "confirmed": "1",
                                                                    "reason": "Xem lại bằng cấp"})
    assert response.status_code == 302
    assert dossier(world, "Cường").state == states.SUBMITTED


def test_the_reopen_page_says_at_once_when_a_sheet_is_submitted(secretary, world):
    from honours.reviews import services as reviews

    d = eligible(world, "Dung")
    reviews.assign(world["secretary"], d, world["reviewers"][0])
    make_score_sheet(d, world["reviewers"][0], points=7, status="submitted")
    db.session.commit()
    response = secretary.get(f"/eligibility/{d.id}/reopen", follow_redirects=True)
    assert response.request.path == f"/dossiers/{d.id}"
    assert "Đã có người chấm nộp phiếu cho hồ sơ này" in response.get_data(as_text=True)
