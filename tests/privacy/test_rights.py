"""The person's rights online: the link form tells nobody which addresses are held and is throttled; a request goes
from the emailed link to the secretariat's reply with its legal deadline (overdue on the home page); deletion
anonymises what the law allows and keeps the published record; the downloads carry the data."""
import io
import json
import re
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from honours.core import clock, roles
from honours.core.audit import AuditEntry
from honours.core.confirm import ConfirmationNeeded
from honours.core.db import db
from honours.core.outbox.models import OutboxMessage
from honours.home import todo
from honours.nominations import states
from honours.nominations.models import Attachment, Dossier
from honours.privacy import erasure, services
from honours.privacy.erasure import ERASED_NAME
from honours.privacy.models import DataRequest
from honours.privacy.workflows import ANSWERED, DELETION, IN_PROGRESS, RECEIVED
from honours.talent.models import Referral
from tests.conftest import login
from tests.factories import make_dossier, make_org, make_person, make_referral, make_round, make_user

EMAIL = "Tran.Thi.Binh@Example.vn"  # as the organisation typed it: matching ignores case


@pytest.fixture
def held(app):
    """A person record, a published dossier, a dossier never honoured and a referral, all with one address."""
    round_ = make_round()
    org = make_org()
    nominator = make_user(roles.NOMINATOR, org)
    person = make_person("Trần Thị Bình", email=EMAIL, phone="0912 345 678")
    published = make_dossier(round_, org, nominator, state=states.PUBLISHED, full_name="Trần Thị Bình", email=EMAIL,
                             person_id=person.id, citation="Nhà khoa học nữ tiêu biểu")
    unhonoured = make_dossier(round_, org, nominator, state=states.INELIGIBLE, full_name="Trần Thị Bình",
                              email=EMAIL.lower(), phone="0912 345 678", hometown="Từ Sơn")
    referral = make_referral(person, org, nominator, email=EMAIL, justification="Chuyên gia y sinh")
    return {"person": person, "published": published, "unhonoured": unhonoured, "referral": referral}


def _messages(recipient: str) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(func.lower(OutboxMessage.recipient) == recipient)
                                   .order_by(OutboxMessage.id)))


def _link(message: OutboxMessage) -> str:
    return re.search(r"/du-lieu-ca-nhan/\S+", message.body).group(0)


def test_the_form_answers_the_same_for_known_and_unknown_addresses_and_is_throttled(app, held):
    client = app.test_client()
    known = client.post("/du-lieu-ca-nhan", data={"email": EMAIL.upper()})
    unknown = client.post("/du-lieu-ca-nhan", data={"email": "khong.co@example.vn"})
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    assert client.get(known.headers["Location"]).data == client.get(unknown.headers["Location"]).data
    assert len(_messages(EMAIL.lower())) == 1  # the link goes to the held address only
    assert _messages("khong.co@example.vn") == []
    for _attempt in range(2):  # DATA_SUBJECT_LINK_PER_EMAIL = 3
        assert client.post("/du-lieu-ca-nhan", data={"email": "khong.co@example.vn"}).status_code == 302
    refused_unknown = client.post("/du-lieu-ca-nhan", data={"email": "khong.co@example.vn"})
    for _attempt in range(2):
        client.post("/du-lieu-ca-nhan", data={"email": EMAIL})
    refused_known = client.post("/du-lieu-ca-nhan", data={"email": EMAIL})
    assert refused_unknown.status_code == refused_known.status_code == 429
    assert "quá nhiều yêu cầu" in refused_known.get_data(as_text=True)
    assert len(_messages(EMAIL.lower())) == 3


def test_a_request_from_the_email_form_to_the_reply_with_its_deadline(app, held):
    client = app.test_client()
    client.post("/du-lieu-ca-nhan", data={"email": EMAIL})
    link = _link(_messages(EMAIL.lower())[0])
    page = client.get(link)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert "Trần Thị Bình" in page.get_data(as_text=True) and "Từ Sơn" in page.get_data(as_text=True)
    assert client.post(link, data={"kind": "correction", "details": ""}).status_code == 422  # what to correct?
    response = client.post(link, data={"kind": "correction", "details": "Quê quán đúng là Tiên Du"})
    assert response.status_code == 302
    request = db.session.scalars(select(DataRequest)).one()
    assert request.state == RECEIVED and request.email == EMAIL.lower()
    assert request.deadline == clock.now() + timedelta(days=app.config["DATA_REQUEST_DAYS"])
    acknowledgement = _messages(EMAIL.lower())[-1]
    assert request.deadline.strftime("%d/%m/%Y") in acknowledgement.body

    # Due soon, then overdue, on the secretariat's home page.
    def home_items(now):
        return {i.key: i for s in todo.secretariat_home(now=now) for i in s.items}
    assert "data_requests_overdue" not in home_items(clock.now())
    soon = home_items(request.deadline - timedelta(days=1))
    assert soon["data_requests_due_soon"].count == 1 and soon["data_requests_overdue"].count == 0
    late = home_items(request.deadline + timedelta(hours=1))
    assert late["data_requests_overdue"].count == 1 and late["data_requests_overdue"].urgent
    secretary = make_user(roles.SECRETARIAT)
    staff = app.test_client()
    login(staff, secretary)
    with clock.frozen(request.deadline + timedelta(days=2)):
        assert "Yêu cầu quá hạn trả lời" in staff.get("/").get_data(as_text=True)
        inbox = staff.get("/yeu-cau-du-lieu/").get_data(as_text=True)
        assert "Quá hạn 2 ngày" in inbox
    staff.post(f"/yeu-cau-du-lieu/{request.id}/viec-da-lam",
               data={"note": "Đã sửa quê quán trong CSDL trí thức", "version": request.version})
    db.session.refresh(request)
    assert request.state == IN_PROGRESS and request.actions[0].note.startswith("Đã sửa")
    reply = staff.post(f"/yeu-cau-du-lieu/{request.id}/tra-loi",
                       data={"reply": "Đã sửa quê quán thành Tiên Du.", "version": request.version,
                             "outcome": "answer"})
    assert reply.status_code == 302
    db.session.refresh(request)
    assert request.state == ANSWERED and request.reply == "Đã sửa quê quán thành Tiên Du."
    assert "Đã sửa quê quán thành Tiên Du." in _messages(EMAIL.lower())[-1].body
    actions = list(db.session.scalars(select(AuditEntry.action).where(AuditEntry.entity_type == "data_request")
                                      .order_by(AuditEntry.id)))
    assert actions == ["link_sent", "create", "start", "add_action", "answer"]
    assert "data_requests_overdue" not in home_items(request.deadline + timedelta(hours=1))


def test_deletion_anonymises_what_it_may_and_keeps_the_published_record(app, held):
    request = services.lodge(EMAIL, DELETION, "")
    secretary = make_user(roles.SECRETARIAT)
    with pytest.raises(ConfirmationNeeded):
        erasure.erase(secretary, request, confirmed=False)
    client = app.test_client()
    login(client, secretary)
    url = f"/yeu-cau-du-lieu/{request.id}/xoa-du-lieu"
    confirm = client.post(url, data={"version": request.version})
    assert confirm.status_code == 200 and "không khôi phục được" in confirm.get_data(as_text=True)
    assert db.session.get(Dossier, held["unhonoured"].id).full_name == "Trần Thị Bình"  # nothing done yet
    done = client.post(url, data={"version": request.version, "confirmed": "1", "note": "Xin cảm ơn."})
    assert done.status_code == 302
    db.session.expire_all()
    unhonoured = db.session.get(Dossier, held["unhonoured"].id)
    assert unhonoured.full_name == ERASED_NAME and unhonoured.email == unhonoured.phone == unhonoured.hometown == ""
    assert unhonoured.achievements == [] and db.session.scalar(
        select(func.count(Attachment.id)).where(Attachment.dossier_id == unhonoured.id)) == 0
    published = db.session.get(Dossier, held["published"].id)
    assert published.full_name == "Trần Thị Bình" and published.citation == "Nhà khoa học nữ tiêu biểu"
    assert published.attachments  # the decision's record keeps its files
    person = db.session.get(type(held["person"]), held["person"].id)
    assert person.full_name == ERASED_NAME and person.email == "" and person.phone == ""
    assert db.session.get(Referral, held["referral"].id).justification == ""
    request = db.session.get(DataRequest, request.id)
    assert request.state == ANSWERED
    assert "Giữ lại hồ sơ được tôn vinh" in request.reply and "Xin cảm ơn." in request.reply
    assert "Giữ lại hồ sơ được tôn vinh" in _messages(EMAIL.lower())[-1].body
    erased = set(db.session.execute(select(AuditEntry.entity_type, AuditEntry.entity_id)
                                    .where(AuditEntry.action == "erase")).all())
    assert erased == {("person", person.id), ("dossier", unhonoured.id), ("referral", held["referral"].id)}


def test_the_downloads_carry_everything_held(app, held):
    client = app.test_client()
    link = "/du-lieu-ca-nhan/" + services.token_for(EMAIL)
    data = json.loads(client.get(link + "/du-lieu.json").data)
    assert {p["id"] for p in data["people"]} == {held["person"].id}
    assert {d["id"] for d in data["dossiers"]} == {held["published"].id, held["unhonoured"].id}
    dossier = next(d for d in data["dossiers"] if d["id"] == held["unhonoured"].id)
    assert dossier["hometown"] == "Từ Sơn" and dossier["achievements"][0]["title"] == "Bài báo ISI về vật liệu mới"
    assert dossier["attachments"][0]["name"] == "ly-lich.pdf"
    published = next(d for d in data["dossiers"] if d["id"] == held["published"].id)
    assert published["publication"]["citation"] == "Nhà khoa học nữ tiêu biểu"
    assert data["referrals"][0]["justification"] == "Chuyên gia y sinh"
    response = client.get(link + "/du-lieu.pdf")
    assert response.mimetype == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    for expected in ("Trần Thị Bình", "Từ Sơn", "Bài báo ISI", "ly-lich.pdf", "Chuyên gia y sinh"):
        assert expected in text


def test_a_forged_or_expired_link_shows_nothing(app, held):
    client = app.test_client()
    token = services.token_for(EMAIL)
    assert client.get("/du-lieu-ca-nhan/" + token + "x").status_code == 400
    with clock.frozen(clock.now() + timedelta(hours=app.config["DATA_SUBJECT_LINK_HOURS"], seconds=1)):
        expired = client.get("/du-lieu-ca-nhan/" + token)
        assert expired.status_code == 400 and "hết hạn" in expired.get_data(as_text=True)
        assert client.get("/du-lieu-ca-nhan/" + token + "/du-lieu.json").status_code == 400


def test_the_record_of_processing_follows_the_settings(app):
    app.config["RETENTION_UNHONOURED_ATTACHMENT_YEARS"] = 7
    client = app.test_client()
    login(client, make_user(roles.ADMIN))
    page = client.get("/ho-so-xu-ly-du-lieu").get_data(as_text=True)
    assert "7 năm sau ngày họp hội đồng" in page and "Cơ sở dữ liệu quốc gia về trí thức" in page
    pdf = client.get("/ho-so-xu-ly-du-lieu.pdf")
    assert "7 năm" in "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    docx = client.get("/ho-so-xu-ly-du-lieu.docx")
    assert docx.status_code == 200 and docx.data[:2] == b"PK"


def test_the_request_page_has_unique_ids_and_shows_what_is_held(app, held):
    from collections import Counter

    request = services.lodge(EMAIL, DELETION, "")
    client = app.test_client()
    login(client, make_user(roles.SECRETARIAT))
    page = client.get(f"/yeu-cau-du-lieu/{request.id}").get_data(as_text=True)
    ids = Counter(re.findall(r'\bid="([^"]+)"', page))
    assert [name for name, n in ids.items() if n > 1] == []
    assert "2 hồ sơ đề cử" in page and "Xoá dữ liệu và trả lời" in page


def test_a_withdrawal_request_sends_the_consent_links_at_once(app, held):
    from honours.consent import services as consent

    client = app.test_client()
    link = "/du-lieu-ca-nhan/" + services.token_for(EMAIL)
    before = len(_messages(EMAIL.lower()))
    response = client.post(link, data={"kind": "withdraw_consent", "details": ""}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "rút lại từng mục ngay trên trang đó" in page
    asked = [d for d in (held["published"], held["unhonoured"]) if consent.request_for(d) is not None]
    assert asked  # the factory's dossiers were asked for consent when submitted
    sent = [m for m in _messages(EMAIL.lower())[before:] if "/dong-y/" in m.body]
    assert len(sent) == len(asked) + (consent.request_for(held["referral"]) is not None)
    consent_link = re.search(r"/dong-y/\S+", sent[0].body).group(0)
    assert client.get(consent_link).status_code == 200  # the person withdraws purpose by purpose there
    assert db.session.scalars(select(DataRequest)).one().kind == "withdraw_consent"  # kept for the record
