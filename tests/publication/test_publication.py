"""Publication: the secretariat publishes; the public sees the honoured list, honouree pages, photos and exports —
and nothing unpublished, no contact data, no full date of birth, no score."""
import csv
import io
import json
import uuid
from datetime import date, timedelta

import openpyxl
import pytest
from pypdf import PdfReader
from sqlalchemy import insert, select, update

from honours.core import clock, roles
from honours.core.audit import AuditEntry
from honours.core.db import db
from honours.core.errors import RuleViolation, StaleEdit
from honours.core.outbox.models import OutboxMessage
from honours.core.text import fold
from honours.council.models import CLOSED, CONFIRMED, CouncilSession
from honours.nominations import states
from honours.nominations.models import Attachment, Dossier
from honours.publication import services
from honours.publication.services import CitationEdit
from honours.rounds.models import Round
from tests.conftest import login, wipe
from tests.core.test_query_counts import count_queries
from tests.factories import (
    PDF,
    PNG,
    make_attachment,
    make_council_session,
    make_dossier,
    make_org,
    make_round,
    make_score_sheet,
    make_user,
)

DECISION = {"decision_number": "2468/QĐ-UBND", "decision_date": date(2026, 6, 10),
            "decision_signer": "Chủ tịch UBND tỉnh Bắc Ninh"}
PUBLIC_PAGES = ("/vinh-danh", "/vinh-danh/2026", "/vinh-danh?q=nguyen+van")
EXPORTS = ("xlsx", "csv", "pdf", "json")
# The world has an eligible dossier the council has not decided on: publishing is partial and needs a reason.
PARTIAL = "Hồ sơ Hoàng Văn Chờ được xét ở đợt bổ sung."


def add_photo(dossier, data=PNG, content_type="image/png", kind="photo") -> Attachment:
    return make_attachment(dossier, data, kind=kind, original_name="anh-chan-dung.png", content_type=content_type)


def add_session(round_, opened_by, status=CONFIRMED, **decision) -> CouncilSession:
    return make_council_session(round_, opened_by, status=status,
                                confirmed_at=clock.now() if status == CONFIRMED else None, **decision)


@pytest.fixture
def world(app):
    round_ = make_round()
    field_y, field_gd = round_.fields[1].id, round_.fields[2].id
    org_a = make_org("Hội Y học tỉnh Bắc Ninh", email="yhoc@hoi.example.vn", phone="0222 3812 345")
    org_b = make_org("Trường Đại học Kinh Bắc", org_type="university", email="daotao@kinhbac.example.vn")
    org_c = make_org("Viện Nông nghiệp Bắc Ninh", org_type="institute", email="vien@nongnghiep.example.vn")
    nominator_a, nominator_b = make_user(roles.NOMINATOR, org_a), make_user(roles.NOMINATOR, org_b)
    nominator_c = make_user(roles.NOMINATOR, org_c)
    secretary = make_user(roles.SECRETARIAT, full_name="Thư Ký Công Bố")
    hung = make_dossier(round_, org_a, nominator_a, state=states.APPROVED, full_name="Nguyễn Văn Hùng",
                        date_of_birth=date(1971, 3, 14), email="hung.rieng@example.vn", phone="0912 345 678",
                        hometown="Xã Quê Kín", workplace="Bệnh viện Đa khoa tỉnh Bắc Ninh", position="Giám đốc",
                        academic_title="PGS", degree="TS", field_id=field_y,
                        citation="Người tiên phong ghép thận tại tỉnh.")
    dao = make_dossier(round_, org_b, nominator_b, state=states.APPROVED, full_name="Trần Thị Đào",
                       gender="female", date_of_birth=date(1980, 11, 2), email="dao.rieng@example.vn",
                       phone="0987 654 321", workplace="Trường Đại học Kinh Bắc", field_id=field_gd,
                       merits_summary="Có nhiều sáng kiến đổi mới phương pháp giảng dạy. " * 12)
    rejected = make_dossier(round_, org_a, nominator_a, state=states.NOT_APPROVED, full_name="Nguyễn Văn Khước",
                            date_of_birth=date(1966, 7, 21), email="khuoc@example.vn")
    ineligible = make_dossier(round_, org_c, nominator_c, state=states.INELIGIBLE, full_name="Phạm Văn Loại")
    waiting = make_dossier(round_, org_c, nominator_c, state=states.ELIGIBLE, full_name="Hoàng Văn Chờ")
    photo = add_photo(hung)
    rejected_photo = add_photo(rejected)
    # A score sheet with recognisable numbers: scores must never reach a public page.
    reviewer = make_user(roles.COUNCIL, full_name="Người Chấm Kín")
    make_score_sheet(hung, reviewer, ("8.47", "7.93", "9.61"), overall_comment="Nhận xét nội bộ của người chấm")
    return {
        "round": round_, "orgs": (org_a, org_b, org_c), "secretary": secretary, "hung": hung, "dao": dao,
        "rejected": rejected, "ineligible": ineligible, "waiting": waiting, "photo": photo,
        "rejected_photo": rejected_photo, "nominators": (nominator_a, nominator_b, nominator_c),
    }


def publish(world, **decision):
    add_session(world["round"], world["secretary"], **(decision or DECISION))
    return services.publish(world["secretary"], world["round"], confirmed=True, override_reason=PARTIAL)


# Never on a public page or in an export: unpublished people, contact data, full birth dates, hometowns, scores.
FORBIDDEN = (
    "Nguyễn Văn Khước", "Phạm Văn Loại", "Hoàng Văn Chờ", "Khước", "Loại", "Hoàng Văn",
    "hung.rieng@example.vn", "dao.rieng@example.vn", "khuoc@example.vn", "yhoc@hoi.example.vn",
    "daotao@kinhbac.example.vn", "0912 345 678", "0987 654 321", "0222 3812 345",
    "14/03/1971", "1971-03-14", "02/11/1980", "1980-11-02", "Xã Quê Kín",
    "8.47", "8,47", "7.93", "9.61", "Nhận xét nội bộ", "Người Chấm Kín",
)


def assert_clean(text: str, where: str) -> None:
    leaked = [value for value in FORBIDDEN if value in text]
    assert not leaked, f"{where} shows {leaked}"


# ---------------------------------------------------------------- publishing (service)

def test_publish_is_refused_without_a_confirmed_session_and_a_recorded_decision(world):
    secretary, round_ = world["secretary"], world["round"]
    with pytest.raises(RuleViolation, match="chưa xác nhận kết quả"):
        services.publish(secretary, round_, confirmed=True, override_reason=PARTIAL)
    db.session.rollback()
    add_session(round_, secretary, status=CLOSED, **DECISION)  # closed, not confirmed: still no
    with pytest.raises(RuleViolation, match="chưa xác nhận kết quả"):
        services.publish(secretary, round_, confirmed=True, override_reason=PARTIAL)
    db.session.rollback()
    add_session(round_, secretary, decision_number="12/QĐ-UBND", decision_date=None, decision_signer="")
    with pytest.raises(RuleViolation, match="Chưa ghi nhận quyết định tặng danh hiệu"):
        services.publish(secretary, round_, confirmed=True, override_reason=PARTIAL)
    db.session.rollback()
    db.session.expire_all()
    assert round_.published_at is None
    assert world["hung"].state == states.APPROVED
    assert db.session.scalar(select(OutboxMessage.id)) is None


def test_publish_needs_an_approved_dossier_and_the_secretariat(world):
    secretary, round_ = world["secretary"], world["round"]
    add_session(round_, secretary, **DECISION)
    with pytest.raises(RuleViolation, match="Chỉ Ban thư ký"):
        services.publish(world["nominators"][0], round_, confirmed=True, override_reason=PARTIAL)
    for dossier in (world["hung"], world["dao"]):
        dossier.state = states.NOT_APPROVED
    db.session.commit()
    with pytest.raises(RuleViolation, match="Không có hồ sơ nào được Hội đồng thông qua"):
        services.publish(secretary, round_, confirmed=True, override_reason=PARTIAL)


def test_publish_moves_approved_dossiers_stamps_the_round_mails_each_organisation_once(world):
    round_, secretary = world["round"], world["secretary"]
    assert publish(world) == 2
    db.session.expire_all()
    assert world["hung"].state == world["dao"].state == states.PUBLISHED
    assert world["rejected"].state == states.NOT_APPROVED
    assert (world["ineligible"].state, world["waiting"].state) == (states.INELIGIBLE, states.ELIGIBLE)
    assert round_.published_at == clock.now() and round_.published_by_id == secretary.id
    # The empty citation was filled with the suggestion from the merits summary.
    assert world["dao"].citation.startswith("Có nhiều sáng kiến") and len(world["dao"].citation) <= 301
    assert world["hung"].citation == "Người tiên phong ghép thận tại tỉnh."

    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "publish")).all()
    assert {(e.entity_type, e.entity_id, e.from_state, e.to_state, e.actor_id) for e in entries} == {
        ("dossier", world["hung"].id, states.APPROVED, states.PUBLISHED, secretary.id),
        ("dossier", world["dao"].id, states.APPROVED, states.PUBLISHED, secretary.id),
        ("round", round_.id, "", states.PUBLISHED, secretary.id),
    }

    messages = {m.recipient: m for m in db.session.scalars(select(OutboxMessage))}
    # Organisation C had nothing before the council: no outcome email for it.
    assert set(messages) == {"yhoc@hoi.example.vn", "daotao@kinhbac.example.vn"}
    to_a, to_b = messages["yhoc@hoi.example.vn"], messages["daotao@kinhbac.example.vn"]
    assert "Kết quả xét tôn vinh" in to_a.subject and round_.name in to_a.subject
    assert "Nguyễn Văn Hùng (lĩnh vực Y dược): ĐƯỢC TÔN VINH" in to_a.body
    assert "Nguyễn Văn Khước (lĩnh vực Khoa học tự nhiên): KHÔNG ĐƯỢC HỘI ĐỒNG THÔNG QUA" in to_a.body
    assert f"/vinh-danh/2026/{world['hung'].id}-nguyen-van-hung" in to_a.body
    assert "2468/QĐ-UBND" in to_a.body and "10/06/2026" in to_a.body
    assert "Trần Thị Đào" in to_b.body and "Nguyễn Văn" not in to_b.body
    for message in messages.values():
        assert "Phạm Văn Loại" not in message.body and "Hoàng Văn Chờ" not in message.body
        assert "8.47" not in message.body

    with pytest.raises(RuleViolation, match="đã được công bố"):
        services.publish(secretary, round_, confirmed=True, override_reason=PARTIAL)
    db.session.rollback()
    assert db.session.query(OutboxMessage).count() == 2


def test_two_secretaries_publishing_at_once_publish_once(world):
    add_session(world["round"], world["secretary"], **DECISION)
    round_ = world["round"]
    assert round_.published_at is None  # loaded by this "secretary"; another one publishes meanwhile:
    db.session.execute(update(Round).where(Round.id == round_.id).values(published_at=clock.now()),
                       execution_options={"synchronize_session": False})
    with pytest.raises(RuleViolation, match="vừa được công bố"):
        services.publish(world["secretary"], round_, confirmed=True, override_reason=PARTIAL)
    db.session.expire_all()
    assert world["hung"].state == states.APPROVED
    assert db.session.query(OutboxMessage).count() == 0


def test_an_organisation_without_email_is_told_through_the_person_who_filed(world):
    org_b = world["orgs"][1]
    org_b.email = ""
    db.session.commit()
    publish(world)
    recipients = sorted(m.recipient for m in db.session.scalars(select(OutboxMessage)))
    assert recipients == sorted(["yhoc@hoi.example.vn", world["nominators"][1].email])


def test_citations_are_validated_and_stale_edits_refused(world):
    secretary, round_, hung = world["secretary"], world["round"], world["hung"]
    assert services.suggested_citation("a " * 400).endswith("…")
    assert len(services.suggested_citation("từ " * 400)) <= 301
    with pytest.raises(RuleViolation, match="Vui lòng nhập trích dẫn"):
        services.save_citations(secretary, round_, [CitationEdit(hung.id, hung.version, "  ")])
    db.session.rollback()
    with pytest.raises(RuleViolation, match="không thuộc danh sách"):
        services.save_citations(secretary, round_, [CitationEdit(world["rejected"].id, None, "Không được")])
    db.session.rollback()
    old_version = hung.version
    assert services.save_citations(secretary, round_, [CitationEdit(hung.id, old_version, "Bác sĩ tận tâm.")]) == 1
    with pytest.raises(StaleEdit):
        services.save_citations(secretary, round_, [CitationEdit(hung.id, old_version, "Bản cũ ghi đè")])
    db.session.rollback()
    # An unchanged row saves nothing, whatever version the form carried.
    assert services.save_citations(secretary, round_, [CitationEdit(hung.id, old_version, "Bác sĩ tận tâm.")]) == 0
    db.session.expire_all()
    assert hung.citation == "Bác sĩ tận tâm."


# ---------------------------------------------------------------- the secretariat's page

def test_secretariat_page_edits_citations_and_publishes_with_confirmation(world, app):
    client = app.test_client()
    login(client, world["secretary"])
    round_id = world["round"].id
    page = client.get(f"/publication/rounds/{round_id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Nguyễn Văn Hùng" in html and "Trần Thị Đào" in html
    assert "Phạm Văn Loại" not in html and "Hoàng Văn Chờ" not in html
    assert "Ảnh trong hồ sơ" in html and "Chưa có ảnh" in html
    assert "Có nhiều sáng kiến đổi mới" in html  # the suggestion, prefilled
    assert "chưa xác nhận kết quả" in html  # no confirmed session yet: publishing is not offered
    assert "Công bố danh sách</button>" not in html

    add_session(world["round"], world["secretary"], **DECISION)
    html = client.get(f"/publication/rounds/{round_id}").get_data(as_text=True)
    assert "2468/QĐ-UBND" in html and "Chủ tịch UBND tỉnh Bắc Ninh" in html and "10/06/2026" in html
    hung, dao = world["hung"], world["dao"]
    rows = {
        "citations-0-dossier_id": hung.id, "citations-0-version": hung.version,
        "citations-0-citation": "Chuyên gia ghép tạng hàng đầu.",
        "citations-1-dossier_id": dao.id, "citations-1-version": dao.version, "citations-1-citation": "x" * 1001,
    }
    refused = client.post(f"/publication/rounds/{round_id}/citations", data=rows)
    assert refused.status_code == 422
    refused_html = refused.get_data(as_text=True)
    assert "Tối đa 1000 ký tự" in refused_html and "Chuyên gia ghép tạng hàng đầu." in refused_html

    rows["citations-1-citation"] = "Nhà giáo tâm huyết."
    # The confirmation page: what becomes public, who is told, and (the list is partial) a reason to give.
    unconfirmed = client.post(f"/publication/rounds/{round_id}/publish", data=rows)
    page = unconfirmed.get_data(as_text=True)
    assert unconfirmed.status_code == 200
    assert "Công bố 2 người được tôn vinh" in page and "trang Vinh danh năm 2026" in page
    assert "2 đơn vị đề cử nhận email thông báo kết quả" in page and "không thể hoàn tác" in page
    assert "1 hồ sơ hợp lệ chưa có kết luận của Hội đồng" in page and 'name="override_reason"' in page
    assert '<input type="hidden" name="confirmed" value="1">' in page
    assert '<input type="hidden" name="citations-0-citation" value="Chuyên gia ghép tạng hàng đầu.">' in page
    db.session.expire_all()
    assert world["round"].published_at is None
    without_reason = client.post(f"/publication/rounds/{round_id}/publish", data={**rows, "confirmed": "1"})
    assert without_reason.status_code == 200
    assert "Vui lòng nêu lý do thực hiện trước thời hạn." in without_reason.get_data(as_text=True)
    db.session.expire_all()
    assert world["round"].published_at is None

    done = client.post(f"/publication/rounds/{round_id}/publish",
                       data={**rows, "confirmed": "1", "override_reason": PARTIAL})
    assert done.status_code == 302
    db.session.expire_all()
    assert world["round"].published_at is not None
    assert (hung.state, hung.citation) == (states.PUBLISHED, "Chuyên gia ghép tạng hàng đầu.")
    assert dao.citation == "Nhà giáo tâm huyết."
    again = client.post(f"/publication/rounds/{round_id}/publish",
                        data={**rows, "confirmed": "1", "override_reason": PARTIAL})
    assert again.status_code == 422
    assert "đã được công bố" in again.get_data(as_text=True)
    assert db.session.query(OutboxMessage).count() == 2


def test_stale_citation_form_keeps_the_input(world, app):
    client = app.test_client()
    login(client, world["secretary"])
    hung = world["hung"]
    old_version = hung.version
    services.save_citations(world["secretary"], world["round"], [CitationEdit(hung.id, old_version, "Bản khác")])
    response = client.post(f"/publication/rounds/{world['round'].id}/citations", data={
        "citations-0-dossier_id": hung.id, "citations-0-version": old_version,
        "citations-0-citation": "Nội dung tôi vừa gõ"})
    assert response.status_code == 409
    assert "Nội dung tôi vừa gõ" in response.get_data(as_text=True)


# ---------------------------------------------------------------- public pages

def test_public_pages_show_only_published_honourees_without_private_data(world, app):
    client = app.test_client()
    assert "Chưa có danh sách nào được công bố" in client.get("/vinh-danh").get_data(as_text=True)
    assert client.get("/vinh-danh/2026").status_code == 404
    assert client.get(f"/vinh-danh/2026/{world['hung'].id}-nguyen-van-hung").status_code == 404  # approved only
    publish(world)

    latest = client.get("/vinh-danh")
    html = latest.get_data(as_text=True)
    assert latest.status_code == 200
    assert "PGS.TS. Nguyễn Văn Hùng" in html and "Trần Thị Đào" in html
    assert html.index("Y dược") < html.index("Nguyễn Văn Hùng") < html.index("Giáo dục") < html.index("Trần Thị Đào")
    assert "Người tiên phong ghép thận tại tỉnh." in html and "2468/QĐ-UBND" in html
    assert f"/vinh-danh/2026/{world['hung'].id}-nguyen-van-hung" in html
    for url in ("/vinh-danh/2026.xlsx", "/vinh-danh/2026.csv", "/vinh-danh/2026.pdf", "/vinh-danh/2026.json"):
        assert url in html

    person = client.get(f"/vinh-danh/2026/{world['hung'].id}-nguyen-van-hung")
    person_html = person.get_data(as_text=True)
    assert person.status_code == 200
    for expected in ("Nguyễn Văn Hùng", "Phó giáo sư (PGS)", "Tiến sĩ (TS)", "Giám đốc",
                     "Bệnh viện Đa khoa tỉnh Bắc Ninh", "Y dược", "Người tiên phong ghép thận tại tỉnh.",
                     world["round"].name, "2468/QĐ-UBND", "10/06/2026", f"/vinh-danh/anh/{world['photo'].id}"):
        assert expected in person_html, expected

    pages = [*PUBLIC_PAGES, f"/vinh-danh/2026/{world['hung'].id}-nguyen-van-hung",
             f"/vinh-danh/2026/{world['dao'].id}-tran-thi-dao"]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_clean(response.get_data(as_text=True), url)
    # Signed in, the same pages are no more revealing.
    signed_in = app.test_client()
    login(signed_in, world["secretary"])
    for url in pages:
        assert_clean(signed_in.get(url).get_data(as_text=True), f"{url} (secretariat)")

    for dossier in ("rejected", "ineligible", "waiting"):
        assert client.get(f"/vinh-danh/2026/{world[dossier].id}-x").status_code == 404


def test_search_ignores_diacritics_and_covers_workplace(world, app):
    publish(world)
    client = app.test_client()
    html = client.get("/vinh-danh?q=nguyen+van").get_data(as_text=True)
    assert "Nguyễn Văn Hùng" in html and "Khước" not in html and "Trần Thị Đào" not in html
    assert "Nguyễn Văn Hùng" in client.get("/vinh-danh?q=NGUYỄN VĂN hùng").get_data(as_text=True)
    by_workplace = client.get("/vinh-danh?q=truong+dai+hoc+kinh+bac").get_data(as_text=True)
    assert "Trần Thị Đào" in by_workplace and "Nguyễn Văn Hùng" not in by_workplace
    assert "0 kết quả" in client.get("/vinh-danh?q=pham+van+loai").get_data(as_text=True)
    assert "0 kết quả" in client.get("/vinh-danh?q=100%25_").get_data(as_text=True)


def test_slug_and_year_mistakes_redirect_permanently_to_the_canonical_url(world, app):
    publish(world)
    client = app.test_client()
    canonical = f"/vinh-danh/2026/{world['hung'].id}-nguyen-van-hung"
    for wrong in (f"/vinh-danh/2026/{world['hung'].id}-ten-cu", f"/vinh-danh/2026/{world['hung'].id}",
                  f"/vinh-danh/2019/{world['hung'].id}-nguyen-van-hung"):
        response = client.get(wrong)
        assert response.status_code == 301, wrong
        assert response.headers["Location"].endswith(canonical)
    assert client.get(canonical).status_code == 200
    assert client.get("/vinh-danh/2026/999999-nguyen-van-hung").status_code == 404
    assert services.slugify("Nguyễn Văn Đức") == "nguyen-van-duc"
    assert services.slugify("  Lò Thị  Ðào-Mai ") == "lo-thi-dao-mai"


def test_archive_lists_every_published_year(world, app):
    publish(world)
    old_round = make_round(name="Trí thức Bắc Ninh tiêu biểu 2024")
    old_round.year = 2024
    db.session.commit()
    org = world["orgs"][0]
    old = make_dossier(old_round, org, world["nominators"][0], state=states.PUBLISHED, full_name="Đỗ Văn Xưa",
                       citation="Vinh danh năm 2024.")
    unpublished_round = make_round(name="Trí thức Bắc Ninh tiêu biểu 2022")
    unpublished_round.year = 2022
    db.session.commit()
    make_dossier(unpublished_round, org, world["nominators"][0], state=states.PUBLISHED, full_name="Vũ Chưa Công")
    add_session(old_round, world["secretary"], **DECISION)
    old_round.published_at = clock.now() - timedelta(days=700)
    db.session.commit()

    client = app.test_client()
    latest = client.get("/vinh-danh").get_data(as_text=True)
    assert "Nguyễn Văn Hùng" in latest and "Đỗ Văn Xưa" not in latest  # the latest round
    assert 'href="/vinh-danh/2024"' in latest and 'href="/vinh-danh/2026"' in latest
    assert "/vinh-danh/2022" not in latest
    archive = client.get("/vinh-danh/2024").get_data(as_text=True)
    assert "Đỗ Văn Xưa" in archive and "Nguyễn Văn Hùng" not in archive
    assert client.get("/vinh-danh/2022").status_code == 404  # a round never published
    assert client.get("/vinh-danh/2022.json").status_code == 404
    assert client.get("/vinh-danh?q=vu+chua").get_data(as_text=True).count("Vũ Chưa Công") == 0
    assert client.get(f"/vinh-danh/2024/{old.id}-do-van-xua").status_code == 200


def test_photos_are_served_only_for_published_honourees(world, app):
    pdf_as_photo = add_photo(world["hung"], data=PDF, content_type="application/pdf")
    client = app.test_client()
    assert client.get(f"/vinh-danh/anh/{world['photo'].id}").status_code == 404  # not yet published
    publish(world)
    response = client.get(f"/vinh-danh/anh/{world['photo'].id}")
    assert response.status_code == 200 and response.data == PNG
    assert response.mimetype == "image/png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "public" in response.headers["Cache-Control"] and "max-age" in response.headers["Cache-Control"]
    assert client.get(f"/vinh-danh/anh/{world['photo'].id}",
                      headers={"If-None-Match": response.headers["ETag"]}).status_code == 304
    cv = next(a for a in world["hung"].attachments if a.kind == "cv")
    for attachment_id in (world["rejected_photo"].id, cv.id, pdf_as_photo.id, 999999):
        assert client.get(f"/vinh-danh/anh/{attachment_id}").status_code == 404, attachment_id


# ---------------------------------------------------------------- exports

def test_exports_carry_the_published_list_and_nothing_else(world, app):
    publish(world)
    client = app.test_client()
    hung_id = world["hung"].id

    xlsx = client.get("/vinh-danh/2026.xlsx")
    assert xlsx.status_code == 200 and "attachment" in xlsx.headers["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.data)).active
    table = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = table[1]
    assert header[:4] == ["STT", "Họ và tên", "Học hàm", "Học vị"] and "Đơn vị đề cử" in header
    assert not {"Giới tính", "Năm sinh", "Dân tộc"} & set(header)  # sensitive or unneeded: never public
    by_name = {row[1]: dict(zip(header, row)) for row in table[2:]}
    assert set(by_name) == {"Nguyễn Văn Hùng", "Trần Thị Đào"}
    assert by_name["Nguyễn Văn Hùng"]["Đơn vị đề cử"] == "Hội Y học tỉnh Bắc Ninh"
    assert_clean(" ".join(str(v) for row in table for v in row if v is not None), "xlsx")

    csv_response = client.get("/vinh-danh/2026.csv")
    assert csv_response.data.startswith(b"\xef\xbb\xbf") and csv_response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(csv_response.data.decode("utf-8-sig"))))
    assert [r["Họ và tên"] for r in rows] == ["Nguyễn Văn Hùng", "Trần Thị Đào"]
    assert "Năm sinh" not in rows[0] and rows[0]["Số quyết định"] == "2468/QĐ-UBND"
    assert rows[0]["Trang giới thiệu"].endswith(f"/vinh-danh/2026/{hung_id}-nguyen-van-hung")
    assert_clean(csv_response.data.decode("utf-8-sig"), "csv")

    pdf = client.get("/vinh-danh/2026.pdf")
    assert pdf.mimetype == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    for expected in ("Nguyễn Văn Hùng", "Trần Thị Đào", "Y dược", "Giáo dục", "2468/QĐ-UBND"):
        assert expected in text, expected
    assert_clean(text, "pdf")

    document = client.get("/vinh-danh/2026.json")
    assert document.mimetype == "application/json"
    assert document.headers["Access-Control-Allow-Origin"] == "*"
    data = json.loads(document.data)
    assert data["year"] == 2026 and data["round"] == world["round"].name
    assert data["published_at"].startswith("2026-06-15T09:00:00")
    first = data["honourees"][0]
    assert data["format_version"] == 2
    assert set(first) == {"id", "full_name", "academic_title", "degree",
                          "workplace", "position", "field", "organisation", "citation", "url", "photo_url", "photo_urls",
                          "year", "round", "decision_number", "decision_date"}
    assert first["id"] == hung_id and first["full_name"] == "Nguyễn Văn Hùng"
    assert (first["academic_title"], first["degree"]) == ("PGS", "TS")
    assert first["photo_url"].endswith(f"/vinh-danh/anh/{world['photo'].id}")
    assert first["decision_date"] == "2026-06-10" and first["field"] == "Y dược"
    assert data["honourees"][1]["photo_url"] is None
    assert_clean(document.data.decode("utf-8"), "json")


def test_spreadsheet_exports_defuse_formulas(world, app):
    world["hung"].workplace = "=HYPERLINK(\"http://evil.example\",\"bấm vào\")"
    db.session.commit()
    publish(world)
    client = app.test_client()
    sheet = openpyxl.load_workbook(io.BytesIO(client.get("/vinh-danh/2026.xlsx").data)).active
    cells = [cell for row in sheet.iter_rows(min_row=3) for cell in row if str(cell.value).startswith("=HYPER")]
    assert cells and all(cell.data_type == "s" for cell in cells)
    text = client.get("/vinh-danh/2026.csv").data.decode("utf-8-sig")
    assert "'=HYPERLINK" in text


# ---------------------------------------------------------------- caching

def test_public_responses_are_cacheable_and_revalidate_with_304(world, app):
    publish(world)
    client = app.test_client()
    urls = ["/vinh-danh", "/vinh-danh/2026", f"/vinh-danh/2026/{world['hung'].id}-nguyen-van-hung",
            *(f"/vinh-danh/2026.{fmt}" for fmt in EXPORTS)]
    etags = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "public, max-age=300", url
        assert "Cookie" in response.headers["Vary"], url
        assert response.headers["ETag"] and response.headers["Last-Modified"], url
        etags[url] = response.headers["ETag"]
        again = client.get(url, headers={"If-None-Match": response.headers["ETag"]})
        assert again.status_code == 304 and again.data == b"", url
        assert again.headers["ETag"] == response.headers["ETag"]
        since = client.get(url, headers={"If-Modified-Since": response.headers["Last-Modified"]})
        assert since.status_code == 304, url
    older = client.get("/vinh-danh/2026", headers={"If-Modified-Since": "Mon, 01 Jun 2026 00:00:00 GMT"})
    assert older.status_code == 200

    # The English page is another representation.
    client.get("/lang/en")
    english = client.get("/vinh-danh/2026", headers={"If-None-Match": etags["/vinh-danh/2026"]})
    assert english.status_code == 200 and english.headers["ETag"] != etags["/vinh-danh/2026"]

    # A citation corrected after publication changes what is shown, so the old copies are stale.
    with clock.frozen(clock.now() + timedelta(hours=2)):
        services.save_citations(world["secretary"], world["round"],
                                [CitationEdit(world["hung"].id, None, "Trích dẫn đã sửa.")])
    fresh = app.test_client()
    for url in ("/vinh-danh/2026", "/vinh-danh/2026.json"):
        response = fresh.get(url, headers={"If-None-Match": etags[url]})
        assert response.status_code == 200 and "Trích dẫn đã sửa." in response.get_data(as_text=True), url
    audit = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "edit_citation")).all()
    assert [a.entity_id for a in audit] == [world["hung"].id]


def test_signed_in_visitors_get_private_responses(world, app):
    publish(world)
    client = app.test_client()
    login(client, world["nominators"][0])
    response = client.get("/vinh-danh/2026")
    assert response.status_code == 200
    assert response.headers["Cache-Control"].startswith("private")
    assert "Cookie" in response.headers["Vary"]
    anonymous = app.test_client().get("/vinh-danh/2026")
    assert response.headers["ETag"] != anonymous.headers["ETag"]  # the header shows the user's name
    assert client.get("/vinh-danh/2026.json").headers["Cache-Control"].startswith("private")


def test_nominator_sees_the_outcome_only_once_published(world, app):
    client = app.test_client()
    login(client, world["nominators"][0])
    before = client.get(f"/dossiers/{world['rejected'].id}").get_data(as_text=True)
    assert "Hội đồng không thông qua" not in before
    publish(world)
    assert "Hội đồng không thông qua" in client.get(f"/dossiers/{world['rejected'].id}").get_data(as_text=True)
    assert "Đã công bố" in client.get(f"/dossiers/{world['hung'].id}").get_data(as_text=True)


# ---------------------------------------------------------------- query counts

def build_published(size: int):
    round_ = make_round(name=f"Đợt công bố {size}")
    organisations = [make_org(f"Đơn vị {size}-{i}") for i in range(max(5, size // 10))]
    nominator = make_user(roles.NOMINATOR, organisations[0])
    secretary = make_user(roles.SECRETARIAT)
    now = clock.now()
    rows = []
    for i in range(size):
        name = f"Nguyễn Văn Thử {i}"
        rows.append({
            "round_id": round_.id, "organisation_id": organisations[i % len(organisations)].id,
            "field_id": round_.fields[i % len(round_.fields)].id, "state": states.PUBLISHED, "version": 1,
            "full_name": name, "name_folded": fold(name), "gender": "male",
            "date_of_birth": date(1960 + i % 30, 1, 1), "ethnicity": "Kinh", "workplace": f"Cơ quan {i}",
            "citation": f"Trích dẫn {i}", "created_by_id": nominator.id, "created_at": now, "updated_at": now,
            "submission_count": 1,
        })
    db.session.execute(insert(Dossier), rows)
    ids = db.session.scalars(select(Dossier.id).where(Dossier.round_id == round_.id)).all()
    db.session.execute(insert(Attachment), [
        {"dossier_id": dossier_id, "kind": "photo", "original_name": "anh.png", "stored_name": uuid.uuid4().hex,
         "content_type": "image/png", "size": 10, "sha256": "0" * 64, "uploaded_by_id": nominator.id,
         "uploaded_at": now} for dossier_id in ids[::2]])
    round_.published_at, round_.published_by_id = now, secretary.id
    db.session.add(CouncilSession(round_id=round_.id, status=CONFIRMED, opened_by_id=secretary.id, members_total=9,
                                  confirmed_at=now, **DECISION))
    db.session.commit()
    return round_


def test_public_list_and_json_run_the_same_queries_for_50_and_1000_honourees(app):
    counts = {"/vinh-danh/2026": [], "/vinh-danh/2026.json": [], "/vinh-danh": []}
    for size in (50, 1000):
        build_published(size)
        for url, found in counts.items():
            client = app.test_client()
            assert client.get(url).status_code == 200
            with count_queries() as statements:
                response = client.get(url)
            assert response.status_code == 200
            found.append(len(statements))
        body = json.loads(app.test_client().get("/vinh-danh/2026.json").data)
        assert body["count"] == size
        db.session.close()
        wipe(app)
    for url, (small, large) in counts.items():
        assert small == large, f"{url}: {small} queries with 50 honourees, {large} with 1000"
        assert small <= 6, url


# ---------------------------------------------------------------- guard rails: confirmation, partial list

def test_publishing_is_refused_until_confirmed_and_says_what_becomes_public(world):
    from honours.core.confirm import ConfirmationNeeded

    add_session(world["round"], world["secretary"], **DECISION)
    world["waiting"].state = states.INELIGIBLE  # every dossier decided: the list is complete
    db.session.commit()
    with pytest.raises(ConfirmationNeeded) as needed:
        services.publish(world["secretary"], world["round"])
    assert not needed.value.warnings and not needed.value.needs_reason
    assert needed.value.consequence.startswith("Công bố 2 người được tôn vinh: các hồ sơ chuyển sang “Đã công bố”")
    assert "2 đơn vị đề cử nhận email thông báo kết quả" in needed.value.consequence
    db.session.rollback()
    db.session.expire_all()
    assert world["round"].published_at is None and world["hung"].state == states.APPROVED
    assert db.session.query(OutboxMessage).count() == 0

    assert services.publish(world["secretary"], world["round"], confirmed=True) == 2  # complete: no reason asked
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.entity_type == "round",
                                                       AuditEntry.action == "publish"))
    assert entry.reason_code == "publication.published"
    assert entry.reason_text == "Công bố 2 người được tôn vinh; thông báo kết quả gửi 2 đơn vị đề cử."


@pytest.mark.parametrize("state, warning", [
    (states.ELIGIBLE, "1 hồ sơ hợp lệ chưa có kết luận của Hội đồng"),
    (states.SCORED, "1 hồ sơ hợp lệ chưa có kết luận của Hội đồng"),
    (states.SUBMITTED, "1 hồ sơ chưa thẩm định xong"),
    (states.RETURNED, "1 hồ sơ chưa thẩm định xong"),
])
def test_a_partial_list_needs_a_reason_which_is_audited(world, state, warning):
    from honours.core.confirm import ConfirmationNeeded

    add_session(world["round"], world["secretary"], **DECISION)
    world["waiting"].state = state
    db.session.commit()
    with pytest.raises(ConfirmationNeeded) as needed:
        services.publish(world["secretary"], world["round"], confirmed=True)
    assert needed.value.needs_reason and needed.value.warnings[0].startswith(warning), needed.value.warnings
    db.session.rollback()
    db.session.expire_all()
    assert world["round"].published_at is None
    assert services.publish(world["secretary"], world["round"], confirmed=True, override_reason=PARTIAL) == 2
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.entity_type == "round",
                                                       AuditEntry.action == "publish"))
    assert entry.reason_code == "publication.published_partial" and entry.reason_params["reason"] == PARTIAL
    assert PARTIAL in entry.reason_text and PARTIAL in entry.reason


def test_a_session_waiting_for_the_chair_makes_the_list_partial(world):
    from honours.core.confirm import ConfirmationNeeded

    add_session(world["round"], world["secretary"], **DECISION)
    world["waiting"].state = states.INELIGIBLE
    db.session.commit()
    add_session(world["round"], world["secretary"], status=CLOSED)  # a second session, not yet confirmed
    with pytest.raises(ConfirmationNeeded) as needed:
        services.publish(world["secretary"], world["round"], confirmed=True)
    assert needed.value.warnings == ["Một phiên họp hội đồng của đợt xét đang bỏ phiếu hoặc chờ Chủ tịch Hội đồng "
                                     "xác nhận kết quả."]
