"""An imported draft is completed and submitted by its organisation, end to end over HTTP: the import brings the
nominee's profile and summary; the dossier page then lists at once what the import cannot bring (achievements and
the round's required files), the form completes it, and it is submitted within the organisation's limit."""
import io
import re
from html import unescape

from sqlalchemy import select

from honours.core import roles
from honours.core.db import db
from honours.nominations import services, states
from honours.nominations.models import Dossier
from tests.conftest import login
from tests.factories import PDF, make_dossier, make_org, make_round, make_user
from tests.imports.test_imports import person, upload, workbook

SUMMARY = "Chủ nhiệm ba đề tài cấp tỉnh về vật liệu xanh; 24 bài báo quốc tế."


def text_of(response) -> str:
    return unescape(response.get_data(as_text=True))


def test_import_complete_and_submit(app, client):
    round_ = make_round(required_attachment_kinds="cv,endorsement")
    org = make_org("Hội Hóa học Bắc Ninh", nomination_limit=2)
    nominator = make_user(roles.NOMINATOR, org)
    make_dossier(round_, org, nominator, state=states.WITHDRAWN, full_name="Đã Rút")  # gave its place back
    login(client, nominator)

    done = upload(client, round_.id, workbook([person("Nguyễn Văn An", **{"Tóm tắt thành tích": SUMMARY}),
                                               person("Trần Thị Bình", "01/02/1980")]))
    assert done.status_code == 200 and "Đã tạo 2 hồ sơ nháp" in text_of(done)
    an = db.session.scalar(select(Dossier).where(Dossier.full_name == "Nguyễn Văn An"))
    assert (an.state, an.organisation_id, an.created_by_id) == (states.DRAFT, org.id, nominator.id)

    # The page says everything the import could not bring, at once, before any submit dialog.
    page = text_of(client.get(f"/dossiers/{an.id}"))
    assert "Hồ sơ còn thiếu 3 mục:" in page
    for item in ("Thành tích: cần ít nhất một thành tích", 'Tệp đính kèm "Lý lịch khoa học": chưa có.',
                 'Tệp đính kèm "Công văn đề cử của đơn vị": chưa có.'):
        assert item in page
    assert f'action="/dossiers/{an.id}/submit"' not in page and "Số hồ sơ đã nộp / tối đa: 0/2" in page

    # The form opens with the imported values chosen and saves an achievement.
    form = text_of(client.get(f"/dossiers/{an.id}/edit"))
    assert '<option selected value="male">' in form and '<option selected value="Kinh">' in form
    version = re.search(r'name="version" type="hidden" value="(\d+)"', form).group(1)
    saved = client.post(f"/dossiers/{an.id}/edit", data={
        "version": version, "field_id": an.field_id, "full_name": an.full_name, "gender": an.gender,
        "date_of_birth": an.date_of_birth.strftime("%d/%m/%Y"), "ethnicity": an.ethnicity,
        "academic_title": an.academic_title, "degree": an.degree, "merits_summary": SUMMARY,
        "achievements-0-kind": "publication", "achievements-0-year": "2021",
        "achievements-0-title": "Vật liệu xanh từ phụ phẩm nông nghiệp"})
    assert saved.status_code == 302, text_of(saved)[:2000]
    for kind, name in (("cv", "ly-lich.pdf"), ("endorsement", "cong-van.pdf")):
        sent = client.post(f"/dossiers/{an.id}/attachments", data={"kind": kind, "file": (io.BytesIO(PDF), name)},
                           content_type="multipart/form-data")
        assert sent.status_code == 302

    page = text_of(client.get(f"/dossiers/{an.id}"))
    assert "Hồ sơ đã có đủ tóm tắt thành tích" in page and f'action="/dossiers/{an.id}/submit"' in page
    version = re.search(rf'action="/dossiers/{an.id}/submit"[\s\S]*?name="version" type="hidden" value="(\d+)"',
                        page).group(1)
    submitted = client.post(f"/dossiers/{an.id}/submit", data={"version": version}, follow_redirects=True)
    assert "Đã nộp hồ sơ." in text_of(submitted)
    db.session.expire_all()
    an = db.session.get(Dossier, an.id)
    assert an.state == states.SUBMITTED and an.submission_count == 1 and an.person_id is not None
    assert str(services.quota(org, round_.id)) == "1/2"
    assert "Số hồ sơ đã nộp / tối đa: 1/2" in text_of(client.get("/dossiers/"))


def test_the_import_limit_counts_drafts_and_places_used_but_not_withdrawn_dossiers(app, client):
    round_ = make_round()
    org = make_org("Hội Vật lý Bắc Ninh", nomination_limit=2)
    nominator = make_user(roles.NOMINATOR, org)
    make_dossier(round_, org, nominator, state=states.WITHDRAWN, full_name="Đã Rút")
    make_dossier(round_, org, nominator, state=states.SUBMITTED, full_name="Đã Nộp")
    login(client, nominator)
    refused = upload(client, round_.id, workbook([person("Một"), person("Hai", "02/02/1980")]))
    assert refused.status_code == 422
    assert "đã có 1 hồ sơ, tệp thêm 2" in text_of(refused)
    accepted = upload(client, round_.id, workbook([person("Một")]))
    assert accepted.status_code == 200 and "Đã tạo 1 hồ sơ nháp" in text_of(accepted)


def test_the_import_page_shows_the_quota_of_each_open_round(app, client):
    round_ = make_round()
    org = make_org("Hội Sinh học Bắc Ninh", nomination_limit=3)
    nominator = make_user(roles.NOMINATOR, org)
    make_dossier(round_, org, nominator, state=states.SUBMITTED, full_name="Đã Nộp")
    login(client, nominator)
    assert "Số hồ sơ đã nộp / tối đa: 1/3" in text_of(client.get("/import/dossiers"))
