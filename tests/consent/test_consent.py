"""The nominee's own consent (issue 13): asked once on submission by an emailed single-use, expiring link; refused
eligibility without (a); the paper path; a withdrawn (b) leaves only name and title on every public output; (c) and
(d) decide the person database and the national export."""
import csv
import io
import json
import re
from datetime import timedelta

import openpyxl
import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from honours.consent import services as consent
from honours.consent.models import ConsentChoice, ConsentRequest
from honours.consent.purposes import BY_CODE
from honours.core import clock, roles
from honours.core.audit import AuditEntry
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.core.outbox.models import OutboxMessage
from honours.directory import export
from honours.directory import services as directory
from honours.nominations import services as nominations
from honours.nominations import states
from tests.conftest import login
from tests.factories import PDF, make_dossier, make_org, make_person, make_round, make_user
from tests.publication.test_publication import publish, world  # noqa: F401  (world: a fixture)

EVERYTHING = {f"purpose_{code}": "yes" for code in "abcde"}


@pytest.fixture
def case(app):
    round_ = make_round()
    org = make_org("Hội Hoá học Bắc Ninh", email="hoahoc@hoi.example.vn")
    nominator = make_user(roles.NOMINATOR, org)
    secretary = make_user(roles.SECRETARIAT)
    return {"round": round_, "org": org, "nominator": nominator, "secretary": secretary}


def submitted(case, email="nguoi.duoc.de.cu@example.vn", **fields):
    """A dossier drafted and submitted through the services: the submission asks the nominee."""
    dossier = make_dossier(case["round"], case["org"], case["nominator"], consent=None, email=email,
                           full_name=fields.pop("full_name", "Phan Văn Đồng"), **fields)
    nominations.submit(case["nominator"], dossier, dossier.version)
    return dossier


def consent_links(email: str) -> list[str]:
    bodies = db.session.scalars(select(OutboxMessage.body).where(
        OutboxMessage.recipient == email, OutboxMessage.subject.contains("Xin ý kiến đồng ý"))
        .order_by(OutboxMessage.id)).all()
    return [re.search(r"/dong-y/\S+", body).group() for body in bodies]


def test_the_submission_emails_a_link_to_a_page_of_what_is_held_with_nothing_preselected(app, case):
    dossier = submitted(case, hometown="Xã Kín Đáo")
    request = consent.request_for(dossier)
    assert request.state == "requested" and request.email == "nguoi.duoc.de.cu@example.vn"
    [link] = consent_links("nguoi.duoc.de.cu@example.vn")
    page = app.test_client().get(link)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "private, no-store"
    for held in ("Phan Văn Đồng", "Xã Kín Đáo", "Bài báo ISI về vật liệu mới", "ly-lich.pdf"):
        assert held in html
    for purpose in BY_CODE.values():
        assert purpose.text in html
    assert html.count('type="radio"') == 10 and "checked" not in html


def test_the_link_works_once_and_records_each_choice_with_the_text_hash_time_and_address(app, case):
    dossier = submitted(case)
    [link] = consent_links(dossier.email)
    client = app.test_client()
    answered = client.post(link, data={**EVERYTHING, "purpose_b": "no", "purpose_e": "no"},
                           environ_base={"REMOTE_ADDR": "203.0.113.7"}, follow_redirects=True)
    assert answered.status_code == 200 and "Đã ghi nhận ý kiến" in answered.get_data(as_text=True)
    request = consent.request_for(dossier)
    assert request.state == "answered" and request.link_nonce is None
    choices = {c.purpose: c for c in request.choices}
    assert {code: c.decision for code, c in choices.items()} == {
        "a": "given", "b": "refused", "c": "given", "d": "given", "e": "refused"}
    assert all(c.client_address == "203.0.113.7" and c.channel == "online" and c.decided_at == clock.now()
               for c in choices.values())
    assert choices["b"].text_hash == BY_CODE["b"].text_hash and len(choices["b"].text_hash) == 64
    assert db.session.scalar(select(AuditEntry.action).where(
        AuditEntry.entity_type == "consent_request", AuditEntry.to_state == "answered")) == "answer"

    again = client.post(link, data=EVERYTHING)
    assert again.status_code == 410 and "đã được sử dụng" in again.get_data(as_text=True)
    assert client.get(link).status_code == 410
    assert db.session.scalar(select(func.count(ConsentChoice.id))) == 5


def test_the_link_expires(app, case):
    dossier = submitted(case)
    [link] = consent_links(dossier.email)
    with clock.frozen(clock.now() + timedelta(days=app.config["CONSENT_LINK_DAYS"], minutes=1)):
        expired = app.test_client().get(link)
    assert expired.status_code == 410 and "đã hết hạn" in expired.get_data(as_text=True)
    assert consent.request_for(dossier).state == "requested"


def test_a_forged_link_and_an_unanswered_purpose_are_refused(app, case):
    dossier = submitted(case)
    [link] = consent_links(dossier.email)
    client = app.test_client()
    assert client.get(link[:-3] + "xyz").status_code == 410
    missing = client.post(link, data={k: v for k, v in EVERYTHING.items() if k != "purpose_d"})
    assert missing.status_code == 422
    assert consent.request_for(dossier).state == "requested" and not consent.request_for(dossier).choices


def test_resubmission_does_not_ask_again_but_a_resent_link_replaces_the_old_one(app, case):
    dossier = submitted(case)
    [first] = consent_links(dossier.email)
    nominations.decide(case["secretary"], dossier, "return", "Thiếu minh chứng.",
                       supplement_deadline=clock.now() + timedelta(days=5), confirmed=True)
    nominations.submit(case["nominator"], dossier, dossier.version)
    assert consent_links(dossier.email) == [first]
    consent.ask_again(case["nominator"], dossier)
    first_again, second = consent_links(dossier.email)
    client = app.test_client()
    assert client.get(first).status_code == 410
    assert client.get(second).status_code == 200


def test_no_consent_to_a_refuses_the_eligible_decision_with_a_clear_message(app, case):
    dossier = submitted(case)
    with pytest.raises(RuleViolation, match=r"chưa đồng ý cho xử lý dữ liệu cá nhân trong đợt xét \(mục a\)"):
        nominations.decide(case["secretary"], dossier, "mark_eligible", confirmed=True)
    db.session.rollback()

    client = app.test_client()
    login(client, case["secretary"])
    page = client.get(f"/dossiers/{dossier.id}").get_data(as_text=True)
    assert "Ý kiến đồng ý của người được đề cử" in page and "Đã gửi liên kết, chờ trả lời" in page
    refused = client.post(f"/eligibility/{dossier.id}/decision",
                          data={"action": "mark_eligible", "version": dossier.version, "confirmed": "1"})
    assert refused.status_code in (409, 422)
    assert "mục a" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert dossier.state == states.SUBMITTED

    [link] = consent_links(dossier.email)  # refusing (a) is recorded, and still refuses the decision
    app.test_client().post(link, data={**EVERYTHING, "purpose_a": "no"})
    with pytest.raises(RuleViolation, match="mục a"):
        nominations.decide(case["secretary"], dossier, "mark_eligible", confirmed=True)


def test_the_paper_path_from_the_form_to_the_secretariats_confirmation(app, case):
    dossier = submitted(case, email="")
    request = consent.request_for(dossier)
    assert request.state == "paper_pending" and not consent_links("")
    nominator = app.test_client()
    login(nominator, case["nominator"])
    form = nominator.get(f"/consent/{request.id}/phieu.pdf")
    assert form.status_code == 200 and form.mimetype == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(form.data)).pages)
    assert "Phan Văn Đồng" in text and "Không đồng ý" in text

    uploaded = nominator.post(f"/consent/{request.id}/scan", data={"scan": (io.BytesIO(PDF), "phieu-da-ky.pdf")},
                              content_type="multipart/form-data")
    assert uploaded.status_code == 302
    db.session.expire_all()
    assert request.state == "paper_received" and request.scan.original_name == "phieu-da-ky.pdf"
    assert nominator.get(f"/consent/{request.id}/confirm").status_code == 403  # the secretariat's step

    secretariat = app.test_client()
    login(secretariat, case["secretary"])
    assert secretariat.get(f"/consent/{request.id}/scan").data == PDF
    page = secretariat.get(f"/consent/{request.id}/confirm")
    assert page.status_code == 200 and "checked" not in page.get_data(as_text=True)
    confirmed = secretariat.post(f"/consent/{request.id}/confirm", data={**EVERYTHING, "purpose_d": "no"})
    assert confirmed.status_code == 302
    db.session.expire_all()
    assert request.state == "paper_confirmed"
    assert {c.purpose: (c.decision, c.channel, c.recorded_by_id) for c in request.choices} == {
        code: ("refused" if code == "d" else "given", "paper", case["secretary"].id) for code in "abcde"}
    actions = db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.entity_type == "consent_request", AuditEntry.entity_id == request.id)
        .order_by(AuditEntry.id)).all()
    assert actions == ["create", "upload_scan", "confirm_paper"]
    nominations.decide(case["secretary"], dossier, "mark_eligible", confirmed=True)
    assert dossier.state == states.ELIGIBLE


def test_another_organisations_nominator_gets_404(app, case):
    dossier = submitted(case, email="")
    other = app.test_client()
    login(other, make_user(roles.NOMINATOR, make_org("Đơn vị khác")))
    request_id = consent.request_for(dossier).id
    assert other.get(f"/consent/{request_id}/phieu.pdf").status_code == 404
    assert other.post(f"/consent/dossier/{dossier.id}/ask").status_code == 404


# ---------------------------------------------------------------- withdrawing (b) after publication

def public_outputs(client) -> dict[str, str]:
    year = "2026"
    outputs = {"list": client.get("/vinh-danh").get_data(as_text=True),
               "year": client.get(f"/vinh-danh/{year}").get_data(as_text=True)}
    document = json.loads(client.get(f"/vinh-danh/{year}.json").data)
    outputs["json"] = json.dumps(document, ensure_ascii=False)
    rows = list(csv.reader(io.StringIO(client.get(f"/vinh-danh/{year}.csv").data.decode("utf-8-sig"))))
    outputs["csv"] = "\n".join(",".join(row) for row in rows)
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(f"/vinh-danh/{year}.xlsx").data)).active
    outputs["xlsx"] = "\n".join(" ".join(str(c) for c in row if c is not None) for row in sheet.iter_rows(values_only=True))
    outputs["pdf"] = "".join(p.extract_text() for p in PdfReader(io.BytesIO(client.get(f"/vinh-danh/{year}.pdf").data)).pages)
    return outputs


def test_withdrawing_b_leaves_only_name_and_title_everywhere_at_once(world, app):  # noqa: F811
    publish(world)
    db.session.commit()
    hung = world["hung"]
    client = app.test_client()
    honouree_path = f"/vinh-danh/2026/{hung.id}"
    page = client.get(honouree_path, follow_redirects=True).get_data(as_text=True)
    before = public_outputs(client)  # the lists are now in the page cache
    assert "Người tiên phong ghép thận" in page and "Bệnh viện Đa khoa tỉnh Bắc Ninh" in page
    for where, text in before.items():
        assert "Bệnh viện Đa khoa tỉnh Bắc Ninh" in text.replace("\n", " "), where

    consent.ask_again(world["secretary"], hung)  # the person asked for a new link
    db.session.commit()
    link = consent_links(hung.email)[-1]
    again = app.test_client().get(link).get_data(as_text=True)  # what is in force is said, nothing is chosen
    assert again.count("Đang có hiệu lực: Đồng ý") == 5 and "checked" not in again
    withdrawn = app.test_client().post(link, data={**EVERYTHING, "purpose_b": "no"})
    assert withdrawn.status_code == 302
    request = consent.request_for(hung)
    assert request.current["b"].decision == "withdrawn" and request.current["a"].decision == "given"
    assert db.session.scalar(select(AuditEntry.reason).where(
        AuditEntry.entity_type == "consent_request", AuditEntry.action == "withdraw_consent")) is not None

    page = client.get(honouree_path, follow_redirects=True).get_data(as_text=True)
    after = public_outputs(client)
    for where, text in {"honouree": page, **after}.items():
        flat = text.replace("\n", " ")
        assert "Nguyễn Văn Hùng" in flat, where
        for detail in ("Bệnh viện Đa khoa tỉnh Bắc Ninh", "Giám đốc", "Người tiên phong ghép thận",
                       "Hội Y học tỉnh Bắc Ninh"):
            assert detail not in flat, f"{where} still shows {detail!r}"
    assert "/vinh-danh/anh/" not in page
    assert client.get(f"/vinh-danh/anh/{world['photo'].id}").status_code == 404
    # Trần Thị Đào consented: her details stay.
    assert "Trường Đại học Kinh Bắc" in after["json"]


def test_c_and_d_decide_the_person_database_and_the_national_export(app, case):
    kept = make_person("Lê Văn Đồng Ý", email="dong.y@example.vn", consent_national_db=False)
    out = make_person("Lê Văn Từ Chối", email="tu.choi@example.vn", consent_national_db=True)
    for person, given in ((kept, "abcd"), (out, "ab")):
        dossier = submitted(case, email=person.email, full_name=person.full_name)
        dossier.person_id = person.id
        [link] = consent_links(person.email)
        app.test_client().post(link, data={f"purpose_{c}": "yes" if c in given else "no" for c in "abcde"})
    db.session.commit()
    rows = {row[1]: row for row in export.rows()}
    assert "Lê Văn Từ Chối" not in rows  # (c) refused: not in the province's database
    assert rows["Lê Văn Đồng Ý"][export.CONSENT_POSITION] == export.YES  # (d) given decides over the box
    assert "dong.y@example.vn" in rows["Lê Văn Đồng Ý"]
    found = {p.full_name for p in db.session.scalars(directory.search_query(directory.PersonFilter()))}
    assert "Lê Văn Đồng Ý" in found and "Lê Văn Từ Chối" not in found
    assert db.session.scalar(select(func.count(ConsentRequest.id))) == 2


def test_the_secretariats_inbox_shows_the_consent_to_a(app, case):
    waiting = submitted(case, full_name="Đỗ Văn Chờ")
    agreed = submitted(case, email="dong.y@example.vn", full_name="Đỗ Văn Thuận")
    app.test_client().post(consent_links("dong.y@example.vn")[0], data=EVERYTHING)
    assert consent.round_consent([waiting.id, agreed.id]) == {waiting.id: "", agreed.id: "given"}
    client = app.test_client()
    login(client, case["secretary"])
    rows = {row.split("</a>")[0].rsplit(">", 1)[1]: row
            for row in client.get("/eligibility/?round_id=0").get_data(as_text=True).split("<tr>")[2:]}
    assert "Chưa trả lời" in rows["Đỗ Văn Chờ"] and "Đồng ý" in rows["Đỗ Văn Thuận"]


def test_a_referral_submission_asks_the_person_and_its_page_shows_the_request(app, case):
    from honours.talent import referrals
    from tests.factories import make_referral

    referral = make_referral(make_person("Vũ Thị Tiến Cử"), case["org"], case["nominator"], state="draft",
                             email="tien.cu@example.vn", justification="Chuyên gia tim mạch giỏi.")
    referrals.add_attachment(case["nominator"], referral, io.BytesIO(PDF), "ly-lich.pdf", "cv")
    referrals.submit(case["nominator"], referral, referral.version)
    request = consent.request_for(referral)
    assert request.state == "requested" and len(consent_links("tien.cu@example.vn")) == 1
    held = app.test_client().get(consent_links("tien.cu@example.vn")[0]).get_data(as_text=True)
    assert "Vũ Thị Tiến Cử" in held and "Chuyên gia tim mạch giỏi." in held and "ly-lich.pdf" in held
    client = app.test_client()
    login(client, case["nominator"])
    page = client.get(f"/tien-cu/{referral.id}").get_data(as_text=True)
    assert "Ý kiến đồng ý của người được đề cử" in page and f"/consent/{request.id}/phieu.pdf" in page


def test_an_unreadable_scan_goes_back_to_the_organisation_with_a_reason(app, case):
    dossier = submitted(case, email="")
    request = consent.request_for(dossier)
    consent.upload_scan(case["nominator"], request, io.BytesIO(PDF), "mo.pdf")
    with pytest.raises(RuleViolation, match="lý do"):
        consent.reject_scan(case["secretary"], request, " ")
    db.session.rollback()
    consent.reject_scan(case["secretary"], request, "Bản quét mờ, không đọc được chữ ký.")
    assert request.state == "paper_pending" and not request.choices
    with pytest.raises(RuleViolation):
        consent.confirm_paper(case["secretary"], request, {code: True for code in "abcde"})
