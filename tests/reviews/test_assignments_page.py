"""The assignments page: a compact table of the current round, bulk assignment (several dossiers to one
reviewer, all or nothing), a reviewer picker with each member's field and load, never a reviewer beyond the
round's number without a confirmation and a reason, and removal through a confirmation page."""
import re

import pytest
from sqlalchemy import func, select

from honours.auth.models import User
from honours.core import roles
from honours.core.audit import AuditEntry
from honours.core.confirm import ConfirmationNeeded
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.nominations import states
from honours.nominations.models import Dossier
from honours.reviews import services
from honours.reviews.models import ConflictDeclaration, CouncilMember, ReviewAssignment
from honours.rounds.models import Round
from tests.conftest import login
from tests.factories import make_council_member, make_dossier, make_org, make_round, make_user


@pytest.fixture(scope="module")
def world_ids(module_app):
    past = make_round(name="Đợt năm trước", opens_in_days=-400, closes_in_days=-340)
    round_ = make_round(reviewers_per_dossier=2)
    org = make_org("Hội Y học")
    nominator = make_user(roles.NOMINATOR, org)
    secretary = make_user(roles.SECRETARIAT)
    reviewers = []
    for i, name in enumerate(["Trịnh Văn An", "Đỗ Thị Bích", "Vũ Văn Công"]):
        user = make_user(roles.COUNCIL, full_name=name)
        make_council_member(round_, user, panel_field_id=round_.fields[i].id)
        reviewers.append(user.id)
    dossiers = [make_dossier(round_, org, nominator, state=states.ELIGIBLE, full_name=f"Hồ sơ {c}").id
                for c in "ABCD"]
    make_dossier(past, org, nominator, state=states.ELIGIBLE, full_name="Hồ sơ năm trước")
    return {"round": round_.id, "past": past.id, "secretary": secretary.id, "reviewers": reviewers,
            "dossiers": dossiers}


@pytest.fixture
def app(module_app, db_savepoint):
    return module_app


@pytest.fixture
def w(app, world_ids):
    return {"round": db.session.get(Round, world_ids["round"]), "secretary": db.session.get(User, world_ids["secretary"]),
            "reviewers": [db.session.get(User, i) for i in world_ids["reviewers"]],
            "dossiers": [db.session.get(Dossier, i) for i in world_ids["dossiers"]], "ids": world_ids}


def assigned(dossier_id: int) -> set[int]:
    return set(db.session.scalars(select(ReviewAssignment.reviewer_id).where(
        ReviewAssignment.dossier_id == dossier_id)))


# ---------------------------------------------------------------- service

def test_bulk_assignment_gives_every_dossier(w):
    ids = [d.id for d in w["dossiers"][:3]]
    made = services.assign_many(w["secretary"], w["round"], ids, w["reviewers"][0])
    assert len(made) == 3 and all(assigned(i) == {w["reviewers"][0].id} for i in ids)
    assert all(db.session.get(Dossier, i).state == states.UNDER_REVIEW for i in ids)


def test_bulk_assignment_is_all_or_nothing(w):
    first, second = w["dossiers"][:2]
    db.session.add(ConflictDeclaration(dossier_id=second.id, reviewer_id=w["reviewers"][0].id, reason="Đồng tác giả"))
    db.session.flush()
    with pytest.raises(RuleViolation) as refused:
        services.assign_many(w["secretary"], w["round"], [first.id, second.id], w["reviewers"][0])
    assert "Hồ sơ B" in refused.value.message and "xung đột lợi ích" in refused.value.message
    db.session.rollback()
    assert assigned(first.id) == set() and assigned(second.id) == set()


def test_bulk_assignment_refuses_another_rounds_dossier_and_an_empty_choice(w):
    past = db.session.scalar(select(Dossier.id).where(Dossier.round_id == w["ids"]["past"]))
    with pytest.raises(RuleViolation, match="không thuộc đợt"):
        services.assign_many(w["secretary"], w["round"], [w["dossiers"][0].id, past], w["reviewers"][0])
    with pytest.raises(RuleViolation, match="ít nhất một hồ sơ"):
        services.assign_many(w["secretary"], w["round"], [], w["reviewers"][0])


def test_a_reviewer_beyond_the_rounds_number_needs_a_confirmation_and_a_reason(w):
    dossier = w["dossiers"][0]
    first, second, third = w["reviewers"]
    services.assign(w["secretary"], dossier, first)
    services.assign(w["secretary"], dossier, second)  # 2/2: the round asks for two
    with pytest.raises(ConfirmationNeeded) as asked:
        services.assign(w["secretary"], dossier, third)
    assert asked.value.needs_reason and "người chấm thứ 3" in asked.value.warnings[0]
    with pytest.raises(ConfirmationNeeded) as asked:  # confirmed, but no reason
        services.assign(w["secretary"], dossier, third, confirmed=True)
    assert asked.value.reason_error
    assert assigned(dossier.id) == {first.id, second.id}
    services.assign(w["secretary"], dossier, third, confirmed=True, override_reason="Hồ sơ liên ngành")
    assert assigned(dossier.id) == {first.id, second.id, third.id}
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.entity_id == dossier.id,
                                                        AuditEntry.action == "assign_reviewer")
                               .order_by(AuditEntry.id.desc())).first()
    assert entry.reason_code == "reviews.assigned_beyond" and "Hồ sơ liên ngành" in entry.reason


def test_automatic_assignment_never_goes_beyond(w):
    services.auto_assign(w["secretary"], w["round"])
    counts = db.session.execute(select(func.count(ReviewAssignment.id)).group_by(ReviewAssignment.dossier_id)).all()
    assert counts and max(c for (c,) in counts) == 2


def test_removing_an_assignment_needs_a_confirmation(w):
    dossier, reviewer = w["dossiers"][0], w["reviewers"][0]
    assignment = services.assign(w["secretary"], dossier, reviewer)
    with pytest.raises(ConfirmationNeeded, match="Gỡ Trịnh Văn An khỏi hồ sơ Hồ sơ A"):
        services.unassign(w["secretary"], assignment, "Bận")
    services.unassign(w["secretary"], assignment, "Bận", confirmed=True)
    assert assigned(dossier.id) == set()


# ---------------------------------------------------------------- HTTP

@pytest.fixture
def client(app, w):
    client = app.test_client()
    login(client, w["secretary"])
    return client


def test_the_page_opens_on_the_current_round(client, w):
    response = client.get("/rounds/assignments")
    assert response.status_code == 302 and response.headers["Location"] == f"/rounds/{w['round'].id}/assignments"
    response = client.get(f"/rounds/assignments?round_id={w['ids']['past']}")
    assert response.headers["Location"] == f"/rounds/{w['ids']['past']}/assignments"


def test_the_picker_shows_field_and_load_and_preselects_nobody(client, w):
    services.assign(w["secretary"], w["dossiers"][0], w["reviewers"][1])
    db.session.commit()
    page = client.get(f"/rounds/{w['round'].id}/assignments").get_data(as_text=True)
    picker = re.search(r'<select[^>]*name="reviewer_id".*?</select>', page, re.S).group(0)
    assert "Đỗ Thị Bích · Y dược · đã giao 1, đã nộp 0" in picker
    assert "Trịnh Văn An · Khoa học tự nhiên · đã giao 0, đã nộp 0" in picker
    assert '<option selected value="0">' in picker
    # Compact: no reason box nor form per assignment, a link to the removal page instead.
    assert 'name="reason"' not in page and page.count("<form") <= 6
    assert "/unassign" in page


def test_bulk_assignment_over_http(client, w):
    ids = [d.id for d in w["dossiers"][:3]]
    response = client.post(f"/rounds/{w['round'].id}/assignments",
                           data={"dossier_ids": ids, "reviewer_id": w["reviewers"][2].id})
    assert response.status_code == 302
    assert all(assigned(i) == {w["reviewers"][2].id} for i in ids)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Đã phân công Vũ Văn Công chấm hồ sơ Hồ sơ A, Hồ sơ B, Hồ sơ C." in page


def test_bulk_assignment_refusals_keep_the_choices(client, w):
    ids = [w["dossiers"][0].id, w["dossiers"][1].id]
    response = client.post(f"/rounds/{w['round'].id}/assignments", data={"dossier_ids": ids, "reviewer_id": 0})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Vui lòng chọn người chấm." in page and 'id="reviewer_id-error"' in page
    assert all(f'value="{i}" id="pick-{i}" checked' in page for i in ids)
    response = client.post(f"/rounds/{w['round'].id}/assignments", data={"reviewer_id": w["reviewers"][0].id})
    assert response.status_code == 422 and "Vui lòng chọn ít nhất một hồ sơ." in response.get_data(as_text=True)


def test_a_third_reviewer_over_http_asks_for_a_confirmation(client, w):
    dossier = w["dossiers"][3]
    for reviewer in w["reviewers"][:2]:
        services.assign(w["secretary"], dossier, reviewer)
    db.session.commit()
    data = {"dossier_ids": [dossier.id], "reviewer_id": w["reviewers"][2].id}
    response = client.post(f"/rounds/{w['round'].id}/assignments", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Hồ sơ D đã có 2/2 người chấm" in page and 'name="override_reason"' in page
    assert w["reviewers"][2].id not in assigned(dossier.id)
    response = client.post(f"/rounds/{w['round'].id}/assignments",
                           data={**data, "confirmed": "1", "override_reason": "Cần thêm chuyên gia"})
    assert response.status_code == 302 and w["reviewers"][2].id in assigned(dossier.id)


def test_removal_goes_through_its_confirmation_page(client, w):
    assignment = services.assign(w["secretary"], w["dossiers"][0], w["reviewers"][0])
    db.session.commit()
    url = f"/rounds/assignments/{assignment.id}/unassign"
    page = client.get(url).get_data(as_text=True)
    assert "Gỡ Trịnh Văn An khỏi hồ sơ Hồ sơ A." in page and 'name="reason"' in page
    response = client.post(url, data={"reason": "Bận"})  # not from the confirmation page
    assert response.status_code == 200 and 'name="confirmed" value="1"' in response.get_data(as_text=True)
    assert assigned(w["dossiers"][0].id) == {w["reviewers"][0].id}
    response = client.post(url, data={"reason": "Bận công tác", "confirmed": "1", "page": "2", "only": "lacking"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/rounds/{w['round'].id}/assignments?page=2&only=lacking"
    assert assigned(w["dossiers"][0].id) == set()
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "unassign_reviewer")
                               .order_by(AuditEntry.id.desc())).first()
    assert "Bận công tác" in entry.reason


def test_member_rows_are_not_needed_for_the_picker(client, w):
    """A round without council members says so instead of offering an empty picker."""
    db.session.execute(CouncilMember.__table__.delete())
    db.session.commit()
    page = client.get(f"/rounds/{w['round'].id}/assignments").get_data(as_text=True)
    assert "Hội đồng chưa có thành viên." in page and 'name="reviewer_id"' not in page


def test_tabs_count_all_and_lacking(client, w):
    services.assign(w["secretary"], w["dossiers"][0], w["reviewers"][0])
    services.assign(w["secretary"], w["dossiers"][0], w["reviewers"][1])
    db.session.commit()
    page = client.get(f"/rounds/{w['round'].id}/assignments").get_data(as_text=True)
    assert 'Tất cả hồ sơ <span class="count">4</span>' in page
    assert 'Chỉ hồ sơ thiếu người chấm <span class="count">3</span>' in page


def add_world(round_, secretary, size: int) -> None:
    """`size` dossiers in review and size // 5 more council members with expertise, each with a dossier."""
    from tests.core.test_query_counts import add_dossiers

    orgs = [make_org(f"Đơn vị {size}-{i}") for i in range(3)]
    add_dossiers(round_, orgs, make_user(roles.NOMINATOR, orgs[0]), size)
    db.session.execute(Dossier.__table__.update().where(Dossier.round_id == round_.id).values(state=states.ELIGIBLE))
    dossiers = db.session.scalars(select(Dossier.id).where(Dossier.round_id == round_.id)
                                  .order_by(Dossier.id.desc())).all()
    for i in range(size // 5):
        user = make_user(roles.COUNCIL, full_name=f"Thành viên thêm {size}-{i}")
        member = make_council_member(round_, user, panel_field_id=round_.fields[i % 3].id)
        member.expertise = [round_.fields[(i + 1) % 3]]
        db.session.add(ReviewAssignment(dossier_id=dossiers[i], reviewer_id=user.id, assigned_by_id=secretary.id))
    db.session.commit()


@pytest.mark.parametrize("url", ["/rounds/{id}/assignments", "/rounds/{id}/assignments?only=lacking&page=2"])
def test_the_assignments_page_is_bounded_as_dossiers_and_members_grow(client, w, url):
    from tests.core.test_query_counts import count_queries

    counted = []
    for size in (30, 90):
        add_world(w["round"], w["secretary"], size)
        target = url.format(id=w["round"].id)
        client.get(target)
        with count_queries() as statements:
            assert client.get(target).status_code == 200
        counted.append(len(statements))
    assert counted[0] == counted[1], counted
