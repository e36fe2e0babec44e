"""The signed provincial decision (issue 15): the secretariat uploads the PDF the province signed, pyHanko checks
it (intact, signer, signing time, modified after signing, chain to TRUSTED_SIGNING_CAS) and the result is shown in
words and recorded; an unsigned or invalid file needs a note; the public pages offer the file once published."""
import io
from datetime import date

import pytest
from sqlalchemy import select

from honours.core import clock, roles
from honours.core.audit import AuditEntry
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.decisions import services, validation
from honours.decisions.models import SignedDecision
from tests.conftest import login
from tests.factories import make_council_session, make_dossier, make_org, make_round, make_user

from . import pki

DECISION = "12/QĐ-UBND"


@pytest.fixture(scope="module")
def world(module_app, tmp_path_factory):
    ca_bundle = tmp_path_factory.mktemp("pki") / "trusted.pem"
    ca_bundle.write_bytes(pki.world().trusted_ca.pem)
    published = make_round(name="Trí thức tiêu biểu 2025", opens_in_days=-200, closes_in_days=-150)
    org = make_org()
    nominator = make_user(roles.NOMINATOR, org)
    secretariat = make_user(roles.SECRETARIAT)
    honouree = make_dossier(published, org, nominator, state="published", full_name="Nguyễn Văn An",
                            with_attachment=False)
    session = make_council_session(published, secretariat, status="confirmed", confirmed_at=clock.now(),
                                   decision_number=DECISION, decision_date=date(2026, 6, 1),
                                   decision_signer="Vương Quốc Tuấn, Chủ tịch UBND tỉnh")
    pending = make_round(name="Đợt chưa có quyết định")
    undecided = make_council_session(pending, secretariat, status="confirmed", confirmed_at=clock.now())
    db.session.commit()
    return {"round": published.id, "year": published.year, "session": session.id, "undecided": undecided.id,
            "secretariat": secretariat.id, "nominator": nominator.id, "honouree": honouree.id,
            "bundle": str(ca_bundle)}


@pytest.fixture
def app(module_app, db_savepoint, world):
    module_app.config["TRUSTED_SIGNING_CAS"] = world["bundle"]
    return module_app


def _user(user_id):
    from honours.auth.models import User

    return db.session.get(User, user_id)


def _session(session_id):
    from honours.council.models import CouncilSession

    return db.session.get(CouncilSession, session_id)


def _signed(signer="province") -> bytes:
    w = pki.world()
    identity, ca = (w.province, w.trusted_ca) if signer == "province" else (w.outsider, w.other_ca)
    return pki.sign(pki.simple_pdf(), identity, ca)


def _upload(client, world, data: bytes, note: str = "", name: str = "quyet-dinh.pdf"):
    return client.post(f"/decisions/sessions/{world['session']}",
                       data={"file": (io.BytesIO(data), name), "note": note}, content_type="multipart/form-data")


def _client(app, world, user="secretariat"):
    client = app.test_client()
    login(client, _user(world[user]))
    return client


def test_a_decision_signed_by_the_trusted_ca_is_reported_valid_and_trusted(app, world):
    client = _client(app, world)
    response = _upload(client, world, _signed())
    assert response.status_code == 302
    page = client.get(f"/decisions/sessions/{world['session']}").get_data(as_text=True)
    assert "Chữ ký hợp lệ, chứng thư số tin cậy" in page
    assert "Chủ tịch UBND tỉnh" in page  # the signer certificate's subject
    decision = services.of_session(world["session"])
    assert decision.status == validation.VALID_TRUSTED and decision.signed_at is not None
    assert decision.sha256 in page
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "signed_decision"))
    assert entry.entity_id == world["session"] and decision.sha256 in entry.reason


def test_a_file_modified_after_signing_is_reported_as_such_and_needs_a_note(app, world):
    client = _client(app, world)
    data = pki.modified_after_signing(_signed())
    response = _upload(client, world, data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Tài liệu đã bị sửa sau khi ký" in page and 'id="note-error"' in page
    assert services.of_session(world["session"]) is None
    assert _upload(client, world, data, note="Bản nhận qua thư điện tử, đã đề nghị gửi lại").status_code == 302
    assert services.of_session(world["session"]).status == validation.MODIFIED


def test_a_file_signed_by_an_untrusted_ca_is_reported_untrusted(app, world):
    client = _client(app, world)
    response = _upload(client, world, _signed("outsider"))
    assert response.status_code == 422
    assert "Chữ ký hợp lệ nhưng chứng thư số không thuộc tổ chức tin cậy" in response.get_data(as_text=True)
    assert _upload(client, world, _signed("outsider"), note="Ký bằng chứng thư mới của tỉnh").status_code == 302
    assert services.of_session(world["session"]).status == validation.VALID_UNTRUSTED


def test_without_trust_anchors_a_valid_signature_is_not_called_trusted(app, world):
    app.config["TRUSTED_SIGNING_CAS"] = ""
    decision = services.record(_user(world["secretariat"]), _session(world["session"]), io.BytesIO(_signed()),
                               "qd.pdf", "")
    assert decision.status == validation.VALID_UNCHECKED


def test_a_tampered_signature_is_invalid(app, world):
    result = validation.validate(pki.tampered(_signed()))
    assert result.status == validation.INVALID


def test_several_signatures_take_the_weakest_status(app, world):
    w = pki.world()
    twice = pki.sign(_signed("outsider"), w.province, w.trusted_ca, field_name="ChuKy2")
    result = validation.validate(twice)
    assert [s.status for s in result.signatures] == [validation.VALID_UNTRUSTED, validation.VALID_TRUSTED]
    assert result.status == validation.VALID_UNTRUSTED
    assert result.summary().count("Chữ ký") >= 2


def test_an_unsigned_file_is_refused_without_a_note_and_accepted_with_one(app, world):
    actor, session = _user(world["secretariat"]), _session(world["session"])
    with pytest.raises(RuleViolation) as refused:
        services.record(actor, session, io.BytesIO(pki.simple_pdf()), "qd.pdf", "")
    assert refused.value.field_key == "note" and "Tệp không có chữ ký số" in refused.value.message
    decision = services.record(actor, session, io.BytesIO(pki.simple_pdf()), "qd.pdf", "Bản chụp quyết định giấy")
    assert decision.status == validation.UNSIGNED and decision.note == "Bản chụp quyết định giấy"


def test_a_malformed_pdf_gets_a_clear_message(app, world):
    client = _client(app, world)
    response = _upload(client, world, b"%PDF-1.7\n1 0 obj <</Type /Catalog" + b"x" * 500)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="file-error"' in page and "PDF" in page
    assert db.session.scalar(select(SignedDecision)) is None


def test_a_file_pyhanko_cannot_read_in_time_is_refused(app, world, monkeypatch):
    from honours.core import isolation

    def too_slow(*args, **kwargs):
        raise isolation.LimitExceeded("no answer")

    monkeypatch.setattr(isolation, "run_limited", too_slow)
    with pytest.raises(RuleViolation) as refused:
        services.record(_user(world["secretariat"]), _session(world["session"]), io.BytesIO(_signed()), "qd.pdf",
                        "")
    assert refused.value.field_key == "file" and "quá phức tạp" in refused.value.message


def test_only_the_secretariat_and_only_after_the_decision_is_recorded(app, world):
    with pytest.raises(RuleViolation):
        services.record(_user(world["nominator"]), _session(world["session"]), io.BytesIO(_signed()), "qd.pdf", "")
    with pytest.raises(RuleViolation) as refused:
        services.record(_user(world["secretariat"]), _session(world["undecided"]), io.BytesIO(_signed()), "qd.pdf",
                        "")
    assert "sau khi đã ghi nhận" in refused.value.message


def test_replacing_the_file_keeps_the_earlier_one_in_the_audit_log(app, world):
    actor, session = _user(world["secretariat"]), _session(world["session"])
    first = services.record(actor, session, io.BytesIO(pki.simple_pdf()), "ban-chup.pdf", "Bản chụp").sha256
    db.session.commit()
    second = services.record(actor, session, io.BytesIO(_signed()), "ban-ky-so.pdf", "").sha256
    db.session.commit()
    assert db.session.scalar(select(SignedDecision).where(SignedDecision.session_id == session.id)).sha256 == second
    reasons = [e.reason for e in db.session.scalars(select(AuditEntry).where(AuditEntry.action == "signed_decision"))]
    assert len(reasons) == 2 and first in reasons[0] and second in reasons[1]


def test_the_public_pages_offer_the_signed_file_once_published(app, world):
    from honours.rounds.models import Round

    decision = services.record(_user(world["secretariat"]), _session(world["session"]), io.BytesIO(_signed()),
                               "qd.pdf", "")
    db.session.commit()
    client = app.test_client()
    url = f"/vinh-danh/quyet-dinh/{decision.id}.pdf"
    assert client.get(url).status_code == 404  # not published yet
    db.session.get(Round, world["round"]).published_at = clock.now()
    db.session.commit()
    response = client.get(url)
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert validation.validate(response.data).status == validation.VALID_TRUSTED
    assert response.headers["Cache-Control"].startswith("public") and response.headers["ETag"]
    listing = client.get(f"/vinh-danh/{world['year']}").get_data(as_text=True)
    assert "Quyết định (bản có chữ ký số)" in listing and url in listing
    honouree = client.get(f"/vinh-danh/{world['year']}/{world['honouree']}", follow_redirects=True)
    assert url in honouree.get_data(as_text=True)
    assert client.get(f"/vinh-danh/quyet-dinh/{decision.id + 999}.pdf").status_code == 404


def test_the_secretariat_downloads_the_stored_file(app, world):
    data = _signed()
    services.record(_user(world["secretariat"]), _session(world["session"]), io.BytesIO(data), "qd.pdf", "")
    db.session.commit()
    response = _client(app, world).get(f"/decisions/sessions/{world['session']}/file.pdf")
    assert response.status_code == 200 and response.data == data
    assert "attachment" in response.headers["Content-Disposition"]


def test_a_file_over_the_upload_limit_is_refused_next_to_the_field(app, world):
    app.config["MAX_ATTACHMENT_BYTES"] = 1024
    with pytest.raises(RuleViolation) as refused:
        services.record(_user(world["secretariat"]), _session(world["session"]),
                        io.BytesIO(_signed() + b"%" * 2048), "qd.pdf", "")
    assert refused.value.field_key == "file" and "vượt quá dung lượng" in refused.value.message
    assert db.session.scalar(select(SignedDecision)) is None


def test_the_check_runs_in_a_child_that_is_stopped_at_the_wall_clock_limit(app, world, monkeypatch):
    import time

    def stuck(data, anchors):
        time.sleep(30)

    monkeypatch.setattr(validation, "check_signatures", stuck)
    app.config["SIGNATURE_CHECK_SECONDS"] = 1
    started = time.monotonic()
    with pytest.raises(RuleViolation) as refused:
        validation.validate(_signed())
    assert time.monotonic() - started < 5 and "quá phức tạp" in refused.value.message
