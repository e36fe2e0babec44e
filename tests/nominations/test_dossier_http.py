"""Dossier pages over HTTP: attachments with hostile input, organisation isolation, stale edits."""
import io
import os
from datetime import date

import pytest
from sqlalchemy import select

from honours.core import roles
from honours.core.db import db
from honours.nominations import states
from honours.nominations.models import Attachment, Dossier
from tests.conftest import login
from tests.factories import PDF, PNG, make_dossier, make_org, make_round, make_user


@pytest.fixture
def setup(app, client):
    round_ = make_round()
    org, other = make_org("Hội Nông học Bắc Ninh"), make_org("Viện Cây trồng", org_type="institute")
    nominator = make_user(roles.NOMINATOR, org)
    dossier = make_dossier(round_, org, nominator, with_attachment=False)
    login(client, nominator)
    return {"round": round_, "org": org, "other": other, "nominator": nominator, "dossier": dossier}


def post_file(client, dossier, data: bytes, name: str, kind="evidence"):
    return client.post(f"/dossiers/{dossier.id}/attachments", data={"kind": kind, "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data", follow_redirects=True)


def attachments_of(dossier):
    return db.session.scalars(select(Attachment).where(Attachment.dossier_id == dossier.id)).all()


def test_valid_pdf_and_png_are_stored_outside_static_under_generated_names(setup, client, app):
    for data, name, _content_type in ((PDF, "Lý lịch khoa học.pdf", "application/pdf"), (PNG, "anh.png", "image/png")):
        page = post_file(client, setup["dossier"], data, name)
        assert "Đã tải lên tệp" in page.get_data(as_text=True)
    stored = attachments_of(setup["dossier"])
    assert [a.content_type for a in stored] == ["application/pdf", "image/png"]
    for attachment in stored:
        path = os.path.join(app.config["UPLOAD_FOLDER"], attachment.stored_name)
        assert os.path.exists(path) and attachment.stored_name not in (attachment.original_name,)
        assert "static" not in os.path.abspath(path).split(os.sep)
    download = client.get(f"/dossiers/attachments/{stored[0].id}")
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("data,name,message", [
    (b"MZ\x90\x00 this is an exe renamed", "ho-so.pdf", "không phải PDF, JPEG hoặc PNG"),
    (b"<html><script>alert(1)</script>", "anh.png", "không phải PDF, JPEG hoặc PNG"),
    (b"", "rong.pdf", "không phải PDF, JPEG hoặc PNG"),
    (PDF, "../../etc/passwd.pdf", "Tên tệp không hợp lệ"),
    (PDF, "..\\..\\windows\\win.ini.pdf", "Tên tệp không hợp lệ"),
])
def test_bad_files_are_refused_with_a_message(setup, client, data, name, message):
    page = post_file(client, setup["dossier"], data, name)
    assert message in page.get_data(as_text=True)
    assert attachments_of(setup["dossier"]) == []


def test_oversized_files_are_refused(setup, client, app):
    app.config["MAX_ATTACHMENT_BYTES"] = 50_000
    page = post_file(client, setup["dossier"], PDF + b"0" * 60_000, "lon.pdf")
    assert "vượt quá dung lượng cho phép" in page.get_data(as_text=True)
    app.config["MAX_DOSSIER_ATTACHMENT_BYTES"] = 60_000
    post_file(client, setup["dossier"], PDF + b"0" * 40_000, "mot.pdf")
    page = post_file(client, setup["dossier"], PDF + b"0" * 40_000, "hai.pdf")
    assert "Tổng dung lượng tệp đính kèm" in page.get_data(as_text=True)
    assert [a.original_name for a in attachments_of(setup["dossier"])] == ["mot.pdf"]
    assert len(os.listdir(app.config["UPLOAD_FOLDER"])) == 1  # refused uploads leave no file behind


def test_request_over_the_server_limit_gets_a_clear_413(setup, client, app):
    app.config["MAX_CONTENT_LENGTH"] = 10_000
    response = client.post(f"/dossiers/{setup['dossier'].id}/attachments",
                           data={"kind": "cv", "file": (io.BytesIO(PDF + b"0" * 20_000), "x.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 413
    assert "Tệp quá lớn" in response.get_data(as_text=True)


def test_other_organisations_dossiers_and_files_are_invisible(setup, client):
    stranger = make_user(roles.NOMINATOR, setup["other"])
    foreign = make_dossier(setup["round"], setup["other"], stranger, state=states.SUBMITTED)
    foreign_file = foreign.attachments[0]
    for url in (f"/dossiers/{foreign.id}", f"/dossiers/{foreign.id}/edit", f"/dossiers/attachments/{foreign_file.id}"):
        assert client.get(url).status_code == 404, url
    for url, data in ((f"/dossiers/{foreign.id}/submit", {}), (f"/dossiers/{foreign.id}/delete", {}),
                      (f"/dossiers/attachments/{foreign_file.id}/delete", {})):
        assert client.post(url, data=data).status_code == 404, url
    assert client.get("/dossiers/999999").status_code == 404  # unknown and foreign look the same
    listing = client.get("/dossiers/").get_data(as_text=True)
    assert setup["dossier"].full_name in listing and f"/dossiers/{foreign.id}" not in listing
    db.session.refresh(foreign)
    assert foreign.state == states.SUBMITTED and len(foreign.attachments) == 1


def test_secretariat_cannot_see_drafts(app, setup):
    secretary_client = app.test_client()
    login(secretary_client, make_user(roles.SECRETARIAT))
    assert secretary_client.get(f"/dossiers/{setup['dossier'].id}").status_code == 404
    assert setup["dossier"].full_name not in secretary_client.get("/eligibility/").get_data(as_text=True)


def edit_payload(dossier, version, **changes):
    data = {
        "version": version, "field_id": dossier.field_id, "full_name": dossier.full_name, "gender": "male",
        "date_of_birth": dossier.date_of_birth.strftime("%d/%m/%Y"), "ethnicity": "Kinh", "academic_title": "",
        "degree": "TS", "merits_summary": "Tóm tắt thành tích: chủ nhiệm hai đề tài cấp tỉnh.", "workplace": "Viện A",
        "achievements-0-kind": "project", "achievements-0-year": "2022", "achievements-0-title": "Đề tài cấp tỉnh",
    }
    data.update(changes)
    return data


def test_stale_edit_is_refused_and_nothing_is_lost(setup, client, app):
    dossier = setup["dossier"]
    colleague = app.test_client()
    login(colleague, make_user(roles.NOMINATOR, setup["org"]))
    version = dossier.version  # both opened the edit form at this version
    first = colleague.post(f"/dossiers/{dossier.id}/edit", data=edit_payload(dossier, version, workplace="Viện B"))
    assert first.status_code == 302
    stale = client.post(f"/dossiers/{dossier.id}/edit", data=edit_payload(dossier, version, workplace="Viện C"))
    assert stale.status_code == 409
    page = stale.get_data(as_text=True)
    assert "vừa được người khác thay đổi" in page
    assert 'value="Viện C"' in page  # what the user typed is still in the form
    db.session.expire_all()
    assert db.session.get(Dossier, dossier.id).workplace == "Viện B"


def test_stale_submit_is_refused(setup, client):
    dossier = setup["dossier"]
    post_file(client, dossier, PDF, "cv.pdf")
    response = client.post(f"/dossiers/{dossier.id}/submit", data={"version": dossier.version - 1 or 999},
                           follow_redirects=True)
    assert "vừa được người khác thay đổi" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Dossier, dossier.id).state == states.DRAFT


def test_concurrent_writers_cannot_both_win(setup, app):
    """Two sessions load the same version and both write: the database-level version check stops the second."""
    from sqlalchemy.orm import Session
    from sqlalchemy.orm.exc import StaleDataError

    with Session(db.engine) as first, Session(db.engine) as second:
        a, b = first.get(Dossier, setup["dossier"].id), second.get(Dossier, setup["dossier"].id)
        a.workplace, b.workplace = "A", "B"
        first.commit()
        with pytest.raises(StaleDataError):
            second.commit()
    db.session.expire_all()
    assert db.session.get(Dossier, setup["dossier"].id).workplace == "A"


def test_form_errors_keep_input_and_sit_next_to_fields(setup, client):
    response = client.post(f"/dossiers/new?round_id={setup['round'].id}", data={
        "field_id": setup["round"].fields[0].id, "full_name": "Hoàng Văn Thụ", "gender": "male",
        "date_of_birth": "31/02/1980", "ethnicity": "Tày", "academic_title": "", "degree": "TS",
        "achievements-0-kind": "award", "achievements-0-title": "Giải thưởng", "achievements-0-year": "",
    })
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Ngày không hợp lệ, vui lòng nhập theo dạng dd/mm/yyyy." in page
    assert "Vui lòng nhập năm." in page
    assert 'value="Hoàng Văn Thụ"' in page and 'aria-invalid="true"' in page
    assert db.session.scalar(select(Dossier.id).where(Dossier.full_name == "Hoàng Văn Thụ")) is None


def test_add_achievement_row_without_javascript(setup, client):
    response = client.post(f"/dossiers/{setup['dossier'].id}/edit",
                           data=edit_payload(setup["dossier"], setup["dossier"].version, add_achievement="1"))
    assert response.status_code == 200
    assert 'name="achievements-0-title"' in response.get_data(as_text=True)


def test_accent_insensitive_inbox_search_and_filters(app):
    client = app.test_client()
    round_ = make_round()
    org, other = make_org("Hội Luật gia"), make_org("Hội Kiến trúc sư")
    nominator = make_user(roles.NOMINATOR, org)
    make_dossier(round_, org, nominator, state=states.SUBMITTED, full_name="Nguyễn Thị Đào")
    make_dossier(round_, other, nominator, state=states.ELIGIBLE, full_name="Trần Văn Nam")
    make_dossier(round_, org, nominator, state=states.SUBMITTED, full_name="Nguyễn Thị Đào", date_of_birth=date(1990, 1, 1))
    login(client, make_user(roles.SECRETARIAT))
    page = client.get("/eligibility/?q=nguyen thi dao").get_data(as_text=True)
    assert page.count("Nguyễn Thị Đào") == 2 and "Trần Văn Nam" not in page
    page = client.get("/eligibility/?q=ĐÀO").get_data(as_text=True)
    assert page.count("Nguyễn Thị Đào") == 2
    page = client.get(f"/eligibility/?state=eligible&organisation_id={other.id}").get_data(as_text=True)
    assert "Trần Văn Nam" in page and "Nguyễn Thị Đào" not in page
    page = client.get(f"/eligibility/?field_id={round_.fields[1].id}").get_data(as_text=True)
    assert "Không có hồ sơ phù hợp" in page
    assert client.get("/eligibility/?q=%25").status_code == 200  # LIKE wildcards are escaped


def test_the_version_moves_on_every_save_even_within_the_same_second(setup, client):
    """Regression: the version bump relied on updated_at changing, which it does not within one second."""
    dossier = setup["dossier"]
    first = dossier.version
    assert client.post(f"/dossiers/{dossier.id}/edit", data=edit_payload(dossier, first)).status_code == 302
    stale = client.post(f"/dossiers/{dossier.id}/edit", data=edit_payload(dossier, first, workplace="Viện D"))
    assert stale.status_code == 409
