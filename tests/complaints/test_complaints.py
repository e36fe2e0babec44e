"""Complaints about a decision on a dossier: who may lodge one and until when, the nominee's signed link, the
secretariat's acceptance and resolution deadlines (10 days; 30, or 45 for a complex case), overdue ones on the
secretariat's home page, and the complainant emailed at each step."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from honours.auth.models import User
from honours.complaints import services
from honours.complaints.models import Complaint
from honours.core import audit, clock, roles
from honours.core.audit import AuditEntry
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.core.outbox.models import OutboxMessage
from honours.nominations import states
from honours.nominations.models import Dossier
from tests.conftest import login
from tests.factories import make_dossier, make_org, make_round, make_user

TEXT = "Hồ sơ đã có đủ minh chứng về thời gian công tác tại tỉnh; đề nghị xem xét lại."


@pytest.fixture(scope="module")
def world_ids(module_app):
    round_ = make_round(name="Đợt xét năm trước", opens_in_days=-200, closes_in_days=-150)
    org = make_org("Liên hiệp các Hội KH&KT tỉnh", email="lienhiep@example.vn")
    nominator = make_user(roles.NOMINATOR, org)
    other = make_user(roles.NOMINATOR, make_org("Hội khác"))
    secretary = make_user(roles.SECRETARIAT)
    refused = make_dossier(round_, org, nominator, state=states.INELIGIBLE, full_name="Đỗ Văn Khiếu",
                           email="Do.Khieu@Example.vn")
    approved = make_dossier(round_, org, nominator, state=states.APPROVED, full_name="Lê Thị Được")
    audit.record(secretary, "dossier", refused.id, "mark_ineligible", states.SUBMITTED, states.INELIGIBLE, "Thiếu")
    db.session.commit()
    return {"nominator": nominator.id, "other": other.id, "secretary": secretary.id, "refused": refused.id,
            "approved": approved.id}


@pytest.fixture
def app(module_app, db_savepoint):
    return module_app


@pytest.fixture
def world(app, world_ids):
    return {name: db.session.get(Dossier if name in ("refused", "approved") else User, key)
            for name, key in world_ids.items()}


def last_mail() -> OutboxMessage:
    return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()


def test_the_organisation_lodges_within_the_period_and_is_emailed(app, world):
    period = services.complaint_period(world["refused"])
    assert period.ends_at == period.decided_at + timedelta(days=90)
    complaint = services.lodge(world["refused"], TEXT, actor=world["nominator"])
    assert complaint.state == "lodged" and complaint.decision == states.INELIGIBLE
    assert complaint.accept_due == complaint.lodged_at + timedelta(days=10)
    assert last_mail().recipient == "lienhiep@example.vn"


def test_no_complaint_without_a_decision_after_the_period_or_by_another_organisation(app, world):
    with pytest.raises(RuleViolation, match="không có quyết định"):
        services.lodge(world["approved"], TEXT, actor=world["nominator"])
    with pytest.raises(RuleViolation, match="đơn vị đề cử hồ sơ này"):
        services.lodge(world["refused"], TEXT, actor=world["other"])
    with clock.frozen(clock.now() + timedelta(days=91)):
        with pytest.raises(RuleViolation, match="hết thời hạn khiếu nại"):
            services.lodge(world["refused"], TEXT, actor=world["nominator"])
    world["refused"].round.complaint_days = 120
    with clock.frozen(clock.now() + timedelta(days=91)):
        assert services.lodge(world["refused"], TEXT, actor=world["nominator"]).id


def test_deadlines_accept_resolve_complex_and_overdue_on_the_home_page(app, world):
    complaint = services.lodge(world["refused"], TEXT, actor=world["nominator"])
    secretary = world["secretary"]
    assert services.todo_counts() == (1, 0)
    with clock.frozen(clock.now() + timedelta(days=10, hours=1)):
        assert services.todo_counts() == (1, 1)
        assert complaint.overdue(clock.now())
        services.handle(secretary, complaint, "accept")
        assert complaint.resolve_due == clock.now() + timedelta(days=30)
        assert last_mail().recipient == "lienhiep@example.vn" and "Thụ lý" in last_mail().subject
        accepted_at = clock.now()
    with clock.frozen(accepted_at + timedelta(days=31)):
        assert services.todo_counts() == (1, 1)
        with pytest.raises(RuleViolation, match="lý do"):
            services.handle(secretary, complaint, "mark_complex", "")
        services.handle(secretary, complaint, "mark_complex", "Cần xác minh tại ba đơn vị.")
        assert complaint.resolve_due == accepted_at + timedelta(days=45)
        assert services.todo_counts() == (1, 0)
        client = app.test_client()
        login(client, secretary)
        assert "Khiếu nại quá hạn" in client.get("/").get_data(as_text=True)
    with clock.frozen(accepted_at + timedelta(days=46)):
        assert services.todo_counts() == (1, 1)
        services.handle(secretary, complaint, "resolve", "Giữ nguyên quyết định: thiếu minh chứng.")
        assert services.todo_counts() == (0, 0)
    assert complaint.state == "resolved" and complaint.answer.startswith("Giữ nguyên")
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.entity_type == "complaint")
                                 .order_by(AuditEntry.id)).all()
    assert actions == ["lodge", "accept", "mark_complex", "resolve"]


def test_refusing_needs_a_reason_and_is_final(app, world):
    complaint = services.lodge(world["refused"], TEXT, actor=world["nominator"])
    with pytest.raises(RuleViolation, match="lý do"):
        services.handle(world["secretary"], complaint, "refuse", " ")
    services.handle(world["secretary"], complaint, "refuse", "Đã quá thời hạn khiếu nại.")
    assert complaint.state == "refused" and complaint.answered_at is not None
    with pytest.raises(RuleViolation):
        services.handle(world["secretary"], complaint, "accept")


def test_the_nominee_gets_a_signed_link_by_email_and_lodges_with_it(app, world):
    client = app.test_client()
    before = db.session.scalar(select(func.count(OutboxMessage.id)))
    assert client.post("/khieu-nai/nguoi-duoc-de-cu", data={"email": "nobody@example.vn"}).status_code == 302
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == before  # same answer, nothing sent
    assert client.post("/khieu-nai/nguoi-duoc-de-cu", data={"email": "do.khieu@example.vn"}).status_code == 302
    mail = last_mail()
    assert mail.recipient == "do.khieu@example.vn"
    link = next(line.strip() for line in mail.body.splitlines() if "/khieu-nai/lien-ket/" in line)
    path = link[link.index("/khieu-nai/"):]
    assert "Đỗ Văn Khiếu" in client.get(path).get_data(as_text=True)
    assert client.post(path, data={"content": TEXT}).status_code == 302
    complaint = db.session.scalars(select(Complaint)).one()
    assert complaint.complainant == "nominee" and complaint.lodged_by_id is None
    assert client.get(path[:-3] + "xyz").status_code == 404
    with clock.frozen(clock.now() + timedelta(days=8)):
        assert client.get(path).status_code == 404  # the link expired


def test_over_http_the_organisation_lodges_and_the_secretariat_handles(app, world):
    client = app.test_client()
    login(client, world["nominator"])
    url = f"/khieu-nai/ho-so/{world['refused'].id}"
    assert client.post(url, data={"content": ""}).status_code == 422
    assert client.post(url, data={"content": TEXT}).status_code == 302
    complaint = db.session.scalars(select(Complaint)).one()
    other = app.test_client()
    login(other, world["other"])
    assert other.get(url).status_code == 404
    secretariat = app.test_client()
    login(secretariat, world["secretary"])
    assert "Đỗ Văn Khiếu" in secretariat.get("/khieu-nai/").get_data(as_text=True)
    assert secretariat.post(f"/khieu-nai/{complaint.id}", data={"action": "accept"}).status_code == 302
    db.session.refresh(complaint)
    assert complaint.state == "accepted"
    page = secretariat.get(f"/khieu-nai/{complaint.id}").get_data(as_text=True)
    assert "Hạn giải quyết" in page
