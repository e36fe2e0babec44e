"""The notice stage end to end over HTTP: the council's result confirmed → the secretariat opens the notice →
two objections from the public, one leading to withdrawal → the decision refused until the period is over and
both are concluded → decision → publication, without the withdrawn candidate."""
from datetime import timedelta

from sqlalchemy import select

from honours.core import clock, roles
from honours.core.db import db
from honours.council.models import CONFIRMED
from honours.nominations import states
from honours.nominations.models import Dossier
from honours.notice.models import Opinion
from honours.publication import services as publication
from tests.conftest import login
from tests.factories import make_council_session, make_dossier, make_org, make_round, make_user

SENDER = {"sender_name": "Người dân", "contact": "nguoi.dan@example.vn"}
# The two objections (on the first and the second candidate) and how the secretariat handles each: the first has
# no effect, the second withdraws its candidate.
OBJECTIONS = (
    ("Ông An đã nhận danh hiệu này năm 2020.",
     [("verify", ""), ("conclude_no_effect", "Danh hiệu năm 2020 là cấp huyện.")]),
    ("Bằng sáng chế kê khai thuộc về người khác.",
     [("verify", ""), ("ask_organisation", "Đề nghị giải trình về bằng sáng chế."),
      ("conclude_withdrawn", "Đơn vị xác nhận kê khai nhầm.")]),
)
DECISION = {"decision_number": "88/QĐ-UBND", "decision_signer": "Chủ tịch UBND tỉnh"}


def test_notice_two_objections_one_withdrawal_then_decision_and_publication(app):
    now = clock.now()
    round_ = make_round(name="Trí thức trẻ tiêu biểu 2026", opens_in_days=-120, closes_in_days=-60, notice_days=7,
                        council_stage="confirmed")
    org = make_org("Hội Hóa học tỉnh Bắc Ninh")
    nominator = make_user(roles.NOMINATOR, org)
    secretary = make_user(roles.SECRETARIAT)
    session = make_council_session(round_, secretary, status=CONFIRMED, confirmed_at=now - timedelta(days=1))
    names = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"]
    ids = [make_dossier(round_, org, nominator, state=states.APPROVED, full_name=name).id for name in names]
    round_id, session_id = round_.id, session.id

    office = app.test_client()
    login(office, secretary)
    assert office.post(f"/y-kien-cong-khai/dot/{round_id}/mo", data={"confirmed": "1"}).status_code == 302

    public = app.test_client()
    for dossier_id, (content, _steps) in zip(ids, OBJECTIONS):
        response = public.post(f"/cong-khai/{round_id}/y-kien/{dossier_id}", data={**SENDER, "content": content})
        assert response.status_code == 302
    first, second = db.session.scalars(select(Opinion).order_by(Opinion.id)).all()

    refused = office.post(f"/council/sessions/{session_id}/decision",
                          data={**DECISION, "decision_date": now.strftime("%d/%m/%Y")})
    assert refused.status_code == 422 and "đang được công khai" in refused.get_data(as_text=True)

    for opinion, (_content, steps) in zip((first, second), OBJECTIONS):
        for action, text in steps:
            assert office.post(f"/y-kien-cong-khai/{opinion.id}", data={"action": action, "text": text}) \
                .status_code == 302
    assert db.session.get(Dossier, ids[1]).state == states.WITHDRAWN

    later = now + timedelta(days=8)
    with clock.frozen(later):
        assert office.post(f"/council/sessions/{session_id}/decision",
                           data={**DECISION, "decision_date": later.strftime("%d/%m/%Y")}).status_code == 302
        round_ = db.session.get(type(round_), round_id)
        assert publication.publish(secretary, round_, confirmed=True) == 2
        db.session.commit()
    honoured = {h.full_name for h in publication.published_honourees()}
    assert honoured == {"Nguyễn Văn An", "Lê Văn Cường"}
