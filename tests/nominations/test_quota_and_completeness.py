"""What the organisation sees before acting: its quota "used/limit" on every page that starts or submits a dossier
(refused up front when full), a checklist of everything still missing (the service refuses with the same list),
the round's required attachment kinds, a portrait that is a photo, the supplement deadline of a returned dossier,
and a form where gender, ethnicity and field start empty and must be chosen."""
import io
import re
from datetime import timedelta
from html import unescape

import pytest
from sqlalchemy import select

from honours.core import clock, roles
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.core.i18n import format_datetime
from honours.nominations import services, states
from honours.nominations.models import Attachment, Dossier
from honours.rounds.models import Round
from tests.conftest import login
from tests.factories import PDF, PNG, make_attachment, make_dossier, make_org, make_round, make_user, upload


@pytest.fixture
def world(app, client):
    round_ = make_round(required_attachment_kinds="cv,endorsement")
    org = make_org("Hội Tin học Bắc Ninh", nomination_limit=2)
    nominator = make_user(roles.NOMINATOR, org)
    login(client, nominator)
    return {"round": round_, "org": org, "nominator": nominator, "secretary": make_user(roles.SECRETARIAT)}


def text_of(response) -> str:
    return unescape(response.get_data(as_text=True))


def empty_dossier(world) -> Dossier:
    dossier = make_dossier(world["round"], world["org"], world["nominator"], with_attachment=False,
                           merits_summary="Một dòng.")
    dossier.achievements = []
    db.session.commit()
    return dossier


# ---------------------------------------------------------------- quota

def test_quota_counts_submitted_dossiers_not_drafts_nor_withdrawn(world):
    round_, org, user = world["round"], world["org"], world["nominator"]
    make_dossier(round_, org, user, full_name="Nháp")
    make_dossier(round_, org, user, state=states.WITHDRAWN, full_name="Đã Rút")
    make_dossier(round_, org, user, state=states.ELIGIBLE, full_name="Hợp Lệ")
    quota = services.quota(org, round_.id)
    assert (quota.used, quota.limit, quota.full, str(quota)) == (1, 2, False, "1/2")
    assert services.quotas(org, [round_.id])[round_.id] == quota
    make_dossier(round_, org, user, state=states.SUBMITTED, full_name="Đã Nộp")
    assert services.quota(org, round_.id).full


def test_quota_shows_on_the_list_the_form_and_the_dossier_page(world, client):
    draft = make_dossier(world["round"], world["org"], world["nominator"], full_name="Nháp")
    make_dossier(world["round"], world["org"], world["nominator"], state=states.SUBMITTED, full_name="Đã Nộp")
    shown = "Số hồ sơ đã nộp / tối đa: 1/2"
    listing = text_of(client.get("/dossiers/"))
    assert shown in listing and f"/dossiers/new?round_id={world['round'].id}" in listing
    assert shown in text_of(client.get(f"/dossiers/new?round_id={world['round'].id}"))
    assert shown in text_of(client.get(f"/dossiers/{draft.id}"))
    assert shown in text_of(client.get(f"/dossiers/{draft.id}/edit"))


def test_a_full_quota_refuses_a_new_dossier_up_front_and_says_why_on_submit(world, client):
    round_, org, user = world["round"], world["org"], world["nominator"]
    draft = make_dossier(round_, org, user, full_name="Nháp")
    make_attachment(draft, kind="endorsement", original_name="cong-van.pdf")
    for name in ("Một", "Hai"):
        make_dossier(round_, org, user, state=states.SUBMITTED, full_name=name)
    message = "Đơn vị đã dùng hết số hồ sơ được đề cử trong đợt này (2/2)"

    listing = text_of(client.get("/dossiers/"))
    assert message in listing and f"/dossiers/new?round_id={round_.id}" not in listing
    started = client.get(f"/dossiers/new?round_id={round_.id}")
    assert started.status_code == 302 and started.headers["Location"].endswith("/dossiers/")
    assert message in text_of(client.get("/dossiers/"))
    posted = client.post(f"/dossiers/new?round_id={round_.id}", data={"full_name": "Lén Tạo"})
    assert posted.status_code == 302
    assert db.session.scalar(select(Dossier).where(Dossier.full_name == "Lén Tạo")) is None
    with pytest.raises(RuleViolation, match=r"\(2/2\)"):
        services.check_may_start_dossier(user, round_)

    page = text_of(client.get(f"/dossiers/{draft.id}"))
    assert re.search(r'<button type="button" class="button" disabled aria-describedby="submit-blockers">', page)
    blockers = page[page.index('id="submit-blockers"'):]
    assert message in blockers
    assert f'action="/dossiers/{draft.id}/submit"' not in page


# ---------------------------------------------------------------- completeness

def test_everything_missing_is_listed_at_once_and_the_service_refuses_with_the_whole_list(world):
    dossier = empty_dossier(world)
    missing = services.missing_for_submission(dossier)
    assert missing == [
        "Tóm tắt thành tích quá ngắn: 9 ký tự, cần ít nhất 40 ký tự.",
        "Thành tích: cần ít nhất một thành tích (loại, năm, tên).",
        'Tệp đính kèm "Lý lịch khoa học": chưa có.',
        'Tệp đính kèm "Công văn đề cử của đơn vị": chưa có.',
    ]
    with pytest.raises(RuleViolation) as refused:
        services.submit(world["nominator"], dossier)
    assert all(item in refused.value.message for item in missing)
    assert "(1)" in refused.value.message and "(4)" in refused.value.message
    db.session.rollback()
    assert db.session.get(Dossier, dossier.id).state == states.DRAFT


def test_an_empty_summary_and_no_file_when_the_round_requires_no_kind(world):
    round_ = make_round(name="Đợt không bắt buộc loại tệp")
    dossier = make_dossier(round_, world["org"], world["nominator"], with_attachment=False, merits_summary=" ")
    assert services.missing_for_submission(dossier) == [
        "Tóm tắt thành tích: chưa nhập (cần ít nhất 40 ký tự).",
        "Tệp đính kèm: cần ít nhất một tệp (lý lịch, minh chứng hoặc công văn đề cử).",
    ]


def test_a_complete_dossier_submits(world):
    dossier = empty_dossier(world)
    data = services.DossierData(
        field_id=dossier.field_id, full_name=dossier.full_name, gender="female", date_of_birth=dossier.date_of_birth,
        ethnicity="Tày", degree="TS", merits_summary="Chủ nhiệm ba đề tài cấp tỉnh về chuyển đổi số trong y tế.",
        achievements=[services.AchievementData("project", 2023, "Đề tài cấp tỉnh")])
    services.save_dossier(world["nominator"], world["round"], data, dossier)
    for kind in ("cv", "endorsement"):
        services.add_attachment(world["nominator"], dossier, upload(PDF)[0], f"{kind}.pdf", kind)
    assert services.missing_for_submission(dossier) == []
    services.submit(world["nominator"], dossier)
    assert dossier.state == states.SUBMITTED


def test_the_checklist_is_on_the_page_before_the_submit_dialog(world, client):
    dossier = empty_dossier(world)
    page = text_of(client.get(f"/dossiers/{dossier.id}"))
    checklist = page[page.index('id="checklist"'):page.index('class="actions"')]
    assert "Hồ sơ còn thiếu 4 mục:" in checklist
    for item in services.missing_for_submission(dossier):
        assert item in checklist
    assert "disabled" in page[page.index('class="actions"'):page.index('id="submit-blockers"')]

    make_attachment(dossier, kind="cv")
    make_attachment(dossier, kind="endorsement", original_name="cong-van.pdf")
    dossier = db.session.get(Dossier, dossier.id)
    dossier.merits_summary = "Chủ nhiệm ba đề tài cấp tỉnh về chuyển đổi số trong y tế."
    dossier.achievements = []
    db.session.commit()
    page = text_of(client.get(f"/dossiers/{dossier.id}"))
    assert "Hồ sơ còn thiếu 1 mục:" in page and "Thành tích: cần ít nhất một thành tích" in page


def test_a_complete_dossier_page_offers_the_submit_form(world, client):
    dossier = make_dossier(world["round"], world["org"], world["nominator"])  # a CV, an achievement, a summary
    make_attachment(dossier, kind="endorsement", original_name="cong-van.pdf")
    page = text_of(client.get(f"/dossiers/{dossier.id}"))
    assert "Hồ sơ đã có đủ tóm tắt thành tích, thành tích và các tệp đính kèm bắt buộc." in page
    assert f'action="/dossiers/{dossier.id}/submit"' in page and 'id="submit-blockers"' not in page


def test_a_refused_submission_over_http_lists_every_missing_item(world, client):
    dossier = empty_dossier(world)
    response = client.post(f"/dossiers/{dossier.id}/submit", data={"version": dossier.version},
                           follow_redirects=True)
    text = text_of(response)
    assert "Hồ sơ chưa đủ để nộp, còn thiếu:" in text
    assert 'Tệp đính kèm "Công văn đề cử của đơn vị": chưa có.' in text


# ---------------------------------------------------------------- the round's required attachment kinds

def test_the_round_form_sets_the_required_kinds(world, app):
    client = app.test_client()
    login(client, world["secretary"])
    new = text_of(client.get("/rounds/new"))
    assert re.search(r'<input checked id="required_kinds-0" name="required_kinds" type="checkbox" value="cv">', new)
    assert 'value="endorsement"' in new and 'value="other"' not in new[new.index('id="required_kinds"'):]
    round_ = world["round"]
    edit = text_of(client.get(f"/rounds/{round_.id}/edit"))
    assert re.search(r'<input checked id="required_kinds-\d" name="required_kinds" type="checkbox" value="endorsement">',
                     edit)

    from honours.rounds import services as rounds
    data = rounds.RoundData(
        name=round_.name, programme=round_.programme, year=round_.year,
        nominations_open_at=round_.nominations_open_at, nominations_close_at=round_.nominations_close_at,
        review_close_at=round_.review_close_at, council_date=round_.council_date, required_kinds=["cv", "photo"],
        fields=[rounds.FieldRow(f.name, f.quota, f.id) for f in round_.fields],
        criteria=[rounds.CriterionRow(c.name, c.max_points, c.weight, c.description, c.id) for c in round_.criteria])
    rounds.save_round(world["secretary"], data, round_)
    assert db.session.get(Round, round_.id).required_kinds == ["cv", "photo"]
    with pytest.raises(RuleViolation, match="Loại tệp bắt buộc không hợp lệ"):
        rounds.save_round(world["secretary"], rounds.RoundData(**{**data.__dict__, "required_kinds": ["bogus"]}),
                          round_)


# ---------------------------------------------------------------- the portrait

def test_a_pdf_is_refused_as_portrait_next_to_the_file_field_whatever_its_name(world, client):
    dossier = make_dossier(world["round"], world["org"], world["nominator"], with_attachment=False)
    response = client.post(f"/dossiers/{dossier.id}/attachments",
                           data={"kind": "photo", "file": (io.BytesIO(PDF), "anh-chan-dung.png")},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    page = text_of(response)
    assert re.search(r'<p class="error" id="file-error">Ảnh chân dung phải là tệp ảnh JPEG hoặc PNG.</p>', page)
    assert 'aria-describedby="file-hint file-error"' in page
    assert '<option selected value="photo">' in page  # the chosen kind is kept
    assert db.session.scalars(select(Attachment).where(Attachment.dossier_id == dossier.id)).all() == []

    ok = client.post(f"/dossiers/{dossier.id}/attachments",
                     data={"kind": "photo", "file": (io.BytesIO(PNG), "chan-dung.png")},
                     content_type="multipart/form-data")
    assert ok.status_code == 302
    assert [a.kind for a in db.session.scalars(select(Attachment).where(Attachment.dossier_id == dossier.id))] == [
        "photo"]


def test_the_service_checks_the_portrait_by_content(world):
    dossier = make_dossier(world["round"], world["org"], world["nominator"], with_attachment=False)
    with pytest.raises(RuleViolation, match="JPEG hoặc PNG"):
        services.add_attachment(world["nominator"], dossier, io.BytesIO(PDF), "anh.jpg", "photo")
    db.session.rollback()
    services.add_attachment(world["nominator"], dossier, io.BytesIO(PDF), "minh-chung.pdf", "evidence")


def test_a_portrait_stored_as_pdf_before_the_rule_keeps_the_dossier_incomplete(world):
    dossier = make_dossier(world["round"], world["org"], world["nominator"])
    make_attachment(dossier, kind="photo", original_name="anh.pdf")
    assert "Ảnh chân dung phải là tệp ảnh JPEG hoặc PNG." in services.missing_for_submission(dossier)


# ---------------------------------------------------------------- a returned dossier's supplement deadline

@pytest.mark.parametrize("days, overdue", [(5, False), (-2, True)])
def test_a_returned_dossier_shows_its_supplement_deadline_not_the_round_deadline(world, client, days, overdue):
    deadline = (clock.now() + timedelta(days=days)).replace(microsecond=0)
    dossier = make_dossier(world["round"], world["org"], world["nominator"], state=states.RETURNED,
                           supplement_deadline=deadline, last_reason="Bổ sung bằng.")
    round_close = format_datetime(world["round"].nominations_close_at)
    page = text_of(client.get(f"/dossiers/{dossier.id}"))
    assert f"Hạn nộp bổ sung: {format_datetime(deadline)}" in page
    assert round_close not in page
    assert ("Đã quá hạn bổ sung" in page) == overdue
    listing = text_of(client.get("/dossiers/"))
    row = listing[listing.index(dossier.full_name):]
    row = row[:row.index("</tr>")]
    assert f"Hạn bổ sung: {format_datetime(deadline)}" in row and round_close not in row
    assert ("Đã quá hạn bổ sung" in row) == overdue
    form = text_of(client.get(f"/dossiers/{dossier.id}/edit"))
    assert f"Hạn nộp bổ sung: {format_datetime(deadline)}" in form


# ---------------------------------------------------------------- the dossier form

def form_payload(world, **changes) -> dict:
    data = {"field_id": world["round"].fields[0].id, "full_name": "Vi Thị Hoa", "gender": "female",
            "date_of_birth": "02/03/1980", "ethnicity": "Nùng", "academic_title": "", "degree": "TS",
            "merits_summary": ""}
    data.update(changes)
    return data


def test_gender_ethnicity_and_field_start_empty_and_are_marked_required(world, client):
    page = text_of(client.get(f"/dossiers/new?round_id={world['round'].id}"))
    for name in ("gender", "ethnicity", "field_id"):
        select_ = re.search(rf'<select id="{name}" name="{name}"[^>]*>(.*?)</select>', page, re.S)
        assert select_ and " required" in select_.group(0)[:select_.group(0).index(">")]
        first = re.match(r'<option( selected)? value="">— Chọn —</option>', select_.group(1))
        assert first, select_.group(1)[:200]
        assert "selected" not in select_.group(1)[first.end():]
        label = re.search(rf'<label for="{name}">[^<]*<span class="required-mark" aria-hidden="true">\*</span></label>',
                          page)
        assert label, name
    assert '<label for="hometown">Quê quán</label>' in page  # optional fields carry no marker
    assert "Các mục có dấu * là bắt buộc." in page


@pytest.mark.parametrize("name, message", [
    ("gender", "Vui lòng chọn giới tính."),
    ("ethnicity", "Vui lòng chọn dân tộc."),
    ("field_id", "Vui lòng chọn lĩnh vực."),
])
def test_an_empty_choice_is_refused_next_to_its_field(world, client, name, message):
    response = client.post(f"/dossiers/new?round_id={world['round'].id}", data=form_payload(world, **{name: ""}))
    assert response.status_code == 422
    page = text_of(response)
    assert f'<p class="error" id="{name}-error">{message}</p>' in page
    assert re.search(rf'<select aria-describedby="{name}-error" aria-invalid="true" id="{name}"', page)
    assert db.session.scalar(select(Dossier).where(Dossier.full_name == "Vi Thị Hoa")) is None


def test_all_three_chosen_the_draft_is_saved(world, client):
    response = client.post(f"/dossiers/new?round_id={world['round'].id}", data=form_payload(world))
    assert response.status_code == 302
    dossier = db.session.scalar(select(Dossier).where(Dossier.full_name == "Vi Thị Hoa"))
    assert (dossier.gender, dossier.ethnicity, dossier.field_id) == ("female", "Nùng", world["round"].fields[0].id)
    edit = text_of(client.get(f"/dossiers/{dossier.id}/edit"))
    assert '<option selected value="female">' in edit and '<option selected value="Nùng">' in edit


def test_the_secretariat_edits_the_required_kinds_in_the_round_form(world, app):
    from tests.rounds.test_full_round import form_on, page, post

    client = app.test_client()
    login(client, world["secretary"])
    url = f"/rounds/{world['round'].id}/edit"
    form = form_on(page(client, url), url=url)
    assert sorted(form.values["required_kinds"]) == ["cv", "endorsement"]
    form.values["required_kinds"] = ["evidence", "photo"]
    post(client, form)
    db.session.expire_all()
    assert db.session.get(Round, world["round"].id).required_kinds == ["evidence", "photo"]
    assert "Minh chứng, Ảnh chân dung" in text_of(client.get(f"/rounds/{world['round'].id}"))
