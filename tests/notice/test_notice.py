"""Public notice of the proposed list: opening it after the council, the decision and the publication refused
while it runs, before it was opened and while an opinion is unconcluded; the handling of opinions (asking the
organisation by email, withdrawal of the candidate), through the services and over HTTP."""
import re
from datetime import timedelta
from io import BytesIO

import pytest
from sqlalchemy import func, select

from honours.auth.models import User
from honours.core import clock, roles
from honours.core.audit import AuditEntry
from honours.core.confirm import ConfirmationNeeded
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.core.outbox.models import OutboxMessage
from honours.council import services as council
from honours.council.models import CONFIRMED, CouncilSession
from honours.nominations import states
from honours.nominations.models import Dossier
from honours.notice import services
from honours.notice.models import Opinion
from honours.organisations.models import Organisation
from honours.publication import services as publication
from honours.rounds.models import Round
from tests.conftest import login
from tests.factories import PDF, make_council_session, make_dossier, make_org, make_round, make_user

OPINION = {"sender_name": "Lê Văn Dân", "contact": "le.dan@example.vn",
           "content": "Thành tích bằng sáng chế năm 2024 không phải của ông."}


@pytest.fixture(scope="module")
def world_ids(module_app):
    now = clock.now()
    round_ = make_round(name="Đợt xét có công khai", opens_in_days=-120, closes_in_days=-60, notice_days=10,
                        council_stage="confirmed")
    org = make_org("Hội Tin học tỉnh Bắc Ninh", email="tinhoc@hoi.example.vn")
    nominator = make_user(roles.NOMINATOR, org)
    secretary = make_user(roles.SECRETARIAT, full_name="Lê Thị Thư Ký")
    session = make_council_session(round_, secretary, status=CONFIRMED, confirmed_at=now - timedelta(days=1))
    first = make_dossier(round_, org, nominator, state=states.APPROVED, full_name="Nguyễn Văn An",
                         merits_summary="Chủ nhiệm hai đề tài cấp tỉnh.")
    second = make_dossier(round_, org, nominator, state=states.APPROVED, full_name="Trần Thị Bình")
    draft = make_dossier(round_, org, nominator, state=states.NOT_APPROVED, full_name="Phạm Văn Không")
    return {"round": (Round, round_.id), "org": (Organisation, org.id), "secretary": (User, secretary.id),
            "session": (CouncilSession, session.id), "first": (Dossier, first.id), "second": (Dossier, second.id),
            "not_approved": (Dossier, draft.id)}


@pytest.fixture
def app(module_app, db_savepoint):
    return module_app


@pytest.fixture
def world(app, world_ids):
    """The module's world, loaded in the test's session."""
    return {name: db.session.get(model, key) for name, (model, key) in world_ids.items()}


def decide(world):
    council.record_decision(world["secretary"], world["session"], "123/QĐ-UBND", clock.now().date(),
                            "Chủ tịch UBND tỉnh")


def opened(world):
    return services.open_notice(world["secretary"], world["round"], confirmed=True)


def test_the_decision_and_publication_wait_until_the_notice_was_opened(app, world):
    with pytest.raises(RuleViolation, match="chưa mở thời gian công khai"):
        decide(world)
    assert any("công khai" in b for b in publication.overview(world["round"]).blockers)


def test_opening_asks_for_confirmation_then_lists_only_the_approved(app, world):
    with pytest.raises(ConfirmationNeeded, match="2 người"):
        services.open_notice(world["secretary"], world["round"])
    ends = opened(world)
    assert ends == clock.now() + timedelta(days=10)
    assert [c.full_name for c in services.candidates(world["round"])] == ["Nguyễn Văn An", "Trần Thị Bình"]
    assert services.running_rounds() == [world["round"]]
    with pytest.raises(RuleViolation, match="đã được công khai"):
        opened(world)


def test_the_decision_is_refused_while_the_period_runs(app, world):
    opened(world)
    with pytest.raises(RuleViolation, match="đang được công khai"):
        decide(world)
    assert any("đang được công khai" in b for b in publication.overview(world["round"]).blockers)
    with clock.frozen(clock.now() + timedelta(days=10, minutes=1)):
        decide(world)  # the period is over and no opinion came
        assert world["session"].decision_number == "123/QĐ-UBND"


def test_the_decision_is_refused_while_an_opinion_is_unconcluded(app, world):
    opened(world)
    opinion = services.send_opinion(world["round"], world["first"].id, OPINION)
    assert re.fullmatch(r"YK-\d{6}-[0-9A-F]{6}", opinion.receipt)
    with clock.frozen(clock.now() + timedelta(days=11)):
        with pytest.raises(RuleViolation, match="1 ý kiến"):
            decide(world)
        services.handle(world["secretary"], opinion, "verify")
        services.handle(world["secretary"], opinion, "conclude_no_effect", "Sáng chế đứng tên ông An.")
        decide(world)
    assert opinion.state == "no_effect" and opinion.conclusion == "Sáng chế đứng tên ông An."


def test_an_opinion_for_someone_not_on_the_list_or_after_the_period_is_refused(app, world):
    opened(world)
    with pytest.raises(RuleViolation, match="không có trong danh sách"):
        services.send_opinion(world["round"], world["not_approved"].id, OPINION)
    with clock.frozen(clock.now() + timedelta(days=10)):
        with pytest.raises(RuleViolation, match="đã kết thúc"):
            services.send_opinion(world["round"], world["first"].id, OPINION)


def test_asking_the_organisation_emails_it_and_withdrawal_takes_the_candidate_off(app, world):
    opened(world)
    opinion = services.send_opinion(world["round"], world["first"].id, OPINION)
    secretary = world["secretary"]
    services.handle(secretary, opinion, "verify")
    with pytest.raises(RuleViolation, match="lý do"):
        services.handle(secretary, opinion, "ask_organisation", " ")
    services.handle(secretary, opinion, "ask_organisation", "Đề nghị giải trình về bằng sáng chế.")
    mail = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    assert mail.recipient == "tinhoc@hoi.example.vn" and opinion.receipt in mail.subject
    services.handle(secretary, opinion, "reply", "Ban thư ký đã ghi nhận và đang xác minh.")
    assert db.session.scalars(select(OutboxMessage.recipient).order_by(OutboxMessage.id.desc())).first() \
        == "le.dan@example.vn"
    services.handle(secretary, opinion, "conclude_withdrawn", "Sáng chế không phải của ông An.")
    assert world["first"].state == states.WITHDRAWN
    assert [c.full_name for c in services.candidates(world["round"])] == ["Trần Thị Bình"]
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.entity_type == "notice_opinion",
                                                                 AuditEntry.entity_id == opinion.id)
                                 .order_by(AuditEntry.id)).all()
    assert actions == ["receive", "verify", "ask_organisation", "reply", "conclude_withdrawn"]
    with pytest.raises(RuleViolation):
        services.handle(secretary, opinion, "reply", "Thêm")  # concluded: final


def test_only_the_secretariat_handles_opinions(app, world):
    opened(world)
    opinion = services.send_opinion(world["round"], world["first"].id, OPINION)
    with pytest.raises(RuleViolation):
        services.handle(make_user(roles.ADMIN), opinion, "verify")


# ---------------------------------------------------------------- over HTTP

def test_the_public_page_and_form_take_an_opinion_without_an_account(app, world):
    opened(world)
    client = app.test_client()
    page = client.get(f"/cong-khai/{world['round'].id}").get_data(as_text=True)
    assert "Nguyễn Văn An" in page and "Phạm Văn Không" not in page
    assert "Chủ nhiệm hai đề tài cấp tỉnh." in page
    assert f"/cong-khai/{world['round'].id}" in client.get("/").get_data(as_text=True)
    assert f"/cong-khai/{world['round'].id}" in client.get("/vinh-danh").get_data(as_text=True)
    url = f"/cong-khai/{world['round'].id}/y-kien/{world['first'].id}"
    response = client.post(url, data={**OPINION, "attachment": (BytesIO(PDF), "minh-chung.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    opinion = db.session.scalars(select(Opinion)).one()
    assert opinion.file_name == "minh-chung.pdf" and opinion.file_content_type == "application/pdf"
    receipt = client.get(response.headers["Location"]).get_data(as_text=True)
    assert opinion.receipt in receipt
    assert OPINION["content"] not in client.get(f"/cong-khai/{world['round'].id}").get_data(as_text=True)
    assert client.get(f"/cong-khai/{world['round'].id}/y-kien/{world['not_approved'].id}").status_code == 404
    secretariat = app.test_client()
    login(secretariat, world["secretary"])
    download = secretariat.get(f"/y-kien-cong-khai/{opinion.id}/tep")
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment")


def test_the_honeypot_and_a_bad_file_store_nothing(app, world):
    opened(world)
    client = app.test_client()
    url = f"/cong-khai/{world['round'].id}/y-kien/{world['first'].id}"
    assert client.post(url, data={**OPINION, "website": "http://spam.example"}).status_code == 302
    bad = client.post(url, data={**OPINION, "attachment": (BytesIO(b"MZ\x90\x00 not a pdf"), "virus.pdf")},
                      content_type="multipart/form-data")
    assert bad.status_code == 422
    assert client.post(url, data={**OPINION, "contact": "không liên lạc"}).status_code == 422
    assert db.session.scalar(select(func.count(Opinion.id))) == 0


def test_opinions_are_throttled_per_address(app, world):
    opened(world)
    app.config["NOTICE_OPINIONS_PER_IP"] = 2
    try:
        client = app.test_client()
        url = f"/cong-khai/{world['round'].id}/y-kien/{world['first'].id}"
        statuses = [client.post(url, data=OPINION).status_code for _ in range(3)]
    finally:
        app.config["NOTICE_OPINIONS_PER_IP"] = 5
    assert statuses == [302, 302, 429]
    assert db.session.scalar(select(func.count(Opinion.id))) == 2


def test_the_secretariat_inbox_and_handling_over_http(app, world):
    opened(world)
    opinion = services.send_opinion(world["round"], world["first"].id, OPINION)
    db.session.commit()
    client = app.test_client()
    login(client, world["secretary"])
    assert opinion.receipt in client.get("/y-kien-cong-khai/").get_data(as_text=True)
    response = client.post(f"/y-kien-cong-khai/{opinion.id}", data={"action": "verify", "text": ""})
    assert response.status_code == 302
    refused = client.post(f"/y-kien-cong-khai/{opinion.id}", data={"action": "conclude_no_effect", "text": ""})
    assert refused.status_code == 422 and "Vui lòng nêu lý do." in refused.get_data(as_text=True)
    db.session.refresh(opinion)
    assert opinion.state == "verified"
    home = client.get("/").get_data(as_text=True)
    assert "Ý kiến về danh sách công khai chưa kết luận" in home


def test_opening_over_http_shows_a_confirmation_page_first(app, world):
    client = app.test_client()
    login(client, world["secretary"])
    url = f"/y-kien-cong-khai/dot/{world['round'].id}/mo"
    first = client.post(url, data={})
    assert first.status_code == 200 and "Mở thời gian công khai" in first.get_data(as_text=True)
    db.session.refresh(world["round"])
    assert world["round"].notice_opened_at is None
    assert client.post(url, data={"confirmed": "1"}).status_code == 302
    db.session.refresh(world["round"])
    assert world["round"].notice_ends_at == clock.now() + timedelta(days=10)


def test_an_overlong_opinion_is_refused_by_the_service_too(app, world):
    opened(world)
    with pytest.raises(RuleViolation, match="Tối đa 200 ký tự"):
        services.send_opinion(world["round"], world["first"].id, {**OPINION, "sender_name": "A" * 201})


def test_a_candidate_without_publication_consent_is_listed_by_name_and_title_only(app, world):
    from honours.consent.purposes import CODES, PUBLICATION
    from tests.factories import give_consent

    first = world["first"]
    first.workplace = "Viện Công nghệ Kinh Bắc"
    db.session.commit()
    opened(world)
    client = app.test_client()
    page = client.get(f"/cong-khai/{world['round'].id}").get_data(as_text=True)
    assert "Viện Công nghệ Kinh Bắc" in page and "Chủ nhiệm hai đề tài cấp tỉnh." in page
    give_consent(first, given=[code for code in CODES if code != PUBLICATION])  # (b) refused
    page = client.get(f"/cong-khai/{world['round'].id}").get_data(as_text=True)
    assert "Nguyễn Văn An" in page
    assert "Viện Công nghệ Kinh Bắc" not in page and "Chủ nhiệm hai đề tài cấp tỉnh." not in page
