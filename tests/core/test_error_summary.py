"""The error summary (GOV.UK pattern) at the top of every page answered with a form's errors, and refused forms
that keep what the user chose."""
import io
import re
from pathlib import Path

import pytest

from honours.core import roles
from honours.core.forms import error_entries
from honours.nominations.forms import DossierForm
from tests.conftest import login
from tests.factories import make_dossier, make_org, make_round, make_user

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
SUMMARY = re.compile(r'<div class="error-summary" id="error-summary" role="alert" tabindex="-1"[^>]*>(.*?)</div>', re.S)


@pytest.fixture
def nominator(app, client):
    round_ = make_round()
    org = make_org()
    user = make_user(roles.NOMINATOR, org)
    dossier = make_dossier(round_, org, user, with_attachment=False)
    login(client, user)
    return {"round": round_, "dossier": dossier}


def summary_of(page: str) -> str:
    found = SUMMARY.search(page)
    assert found, "no error summary on the page"
    return found.group(1)


def links_of(summary: str) -> list[str]:
    return re.findall(r'<a href="#([^"]+)">', summary)


def assert_links_reach_fields(page: str, summary: str) -> None:
    for target in links_of(summary):
        assert len(re.findall(rf'\sid="{re.escape(target)}"', page)) == 1, f"#{target} is not one element"


def test_a_refused_dossier_form_lists_every_error_at_the_top_with_links_to_nested_rows(nominator, client):
    page = client.post(f"/dossiers/new?round_id={nominator['round'].id}", data={
        "full_name": "", "academic_title": "", "gender": "female", "ethnicity": "Tày", "date_of_birth": "", "degree": "",
        "field_id": nominator["round"].fields[0].id,
        "achievements-0-kind": "award", "achievements-0-title": "Giải thưởng sáng tạo", "achievements-0-year": "",
    })
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    summary = summary_of(html)
    assert "Có lỗi cần sửa" in summary
    # Before the page's own heading: the first thing under the header, with or without JavaScript.
    assert html.index('id="error-summary"') < html.index("<h1")
    targets = links_of(summary)
    assert {"full_name", "date_of_birth", "degree", "achievements-0-year"} <= set(targets)
    assert "Họ và tên: Vui lòng nhập thông tin này." in summary
    assert "Dòng 1 – Năm: Vui lòng nhập năm." in summary
    assert_links_reach_fields(html, summary)
    # What was chosen stays chosen.
    assert re.search(r'<option selected value="female">|<option value="female" selected>', html)
    assert 'value="Giải thưởng sáng tạo"' in html


def test_a_page_without_errors_has_no_summary(nominator, client):
    html = client.get(f"/dossiers/{nominator['dossier'].id}").get_data(as_text=True)
    assert "error-summary" not in html


def test_a_refused_upload_keeps_the_chosen_file_type_and_says_why_at_the_top(nominator, client):
    dossier = nominator["dossier"]
    response = client.post(f"/dossiers/{dossier.id}/attachments", content_type="multipart/form-data",
                           data={"kind": "endorsement", "file": (io.BytesIO(b"MZ\x90 not a pdf"), "cong-van.pdf")})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    summary = summary_of(html)
    assert "không phải PDF, JPEG hoặc PNG" in summary and links_of(summary) == ["file"]
    assert_links_reach_fields(html, summary)
    assert re.search(r'<option selected value="endorsement">|<option value="endorsement" selected>', html)
    empty = client.post(f"/dossiers/{dossier.id}/attachments", content_type="multipart/form-data",
                        data={"kind": "evidence"})
    assert empty.status_code == 422
    html = empty.get_data(as_text=True)
    assert "Vui lòng chọn tệp để tải lên." in summary_of(html)
    assert re.search(r'<option selected value="evidence">|<option value="evidence" selected>', html)


def test_an_accepted_upload_redirects_to_the_page_without_an_anchor(nominator, client):
    from tests.factories import PDF

    response = client.post(f"/dossiers/{nominator['dossier'].id}/attachments", content_type="multipart/form-data",
                           data={"kind": "cv", "file": (io.BytesIO(PDF), "ly-lich.pdf")})
    assert response.status_code == 302 and "#" not in response.headers["Location"]


def test_hidden_fields_are_listed_without_a_link(app):
    with app.test_request_context(method="POST", data={"version": "x"}):
        form = DossierForm(meta={"csrf": False})
        form.field_id.choices = [(1, "Khoa học tự nhiên")]
        form.validate()
        form.version.errors = ["Hồ sơ đã được người khác sửa."]
        entries = error_entries(form)
    assert (None, "Hồ sơ đã được người khác sửa.") in entries
    assert all(target is None or not target.startswith("version") for target, _text in entries)


def test_no_form_submits_to_an_anchor_and_no_post_redirects_to_one():
    """The message of a POST is at the top of the page it lands on: an anchor in a form's action survives the
    redirect (a Location without a fragment inherits the request's) and scrolls the message out of sight."""
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        for action in re.findall(r'<form[^>]*\saction="([^"]*)"', path.read_text()):
            if "#" in action:
                offenders.append(f"{path.relative_to(TEMPLATES)}: {action}")
    honours = TEMPLATES.parent / "honours"
    for path in honours.rglob("*.py"):
        for line in path.read_text().splitlines():
            if "redirect(" in line and ("_anchor=" in line or '+ "#' in line):
                offenders.append(f"{path.relative_to(honours)}: {line.strip()}")
    assert offenders == []


def test_no_template_calls_the_summary_itself():
    """base.html gives every page its summary; a second one would repeat the messages and the id."""
    callers = [str(p.relative_to(TEMPLATES)) for p in TEMPLATES.rglob("*.html") if "form_errors(" in p.read_text()]
    assert sorted(callers) == ["base.html", "macros/forms.html"]


def test_a_refused_referral_upload_keeps_the_chosen_file_type(app, client):
    from honours.talent.models import DRAFT
    from tests.factories import make_person, make_referral

    org = make_org()
    user = make_user(roles.NOMINATOR, org)
    referral = make_referral(make_person(), org, user, state=DRAFT)
    login(client, user)
    response = client.post(f"/tien-cu/{referral.id}/tep", content_type="multipart/form-data",
                           data={"kind": "cv", "file": (io.BytesIO(b"MZ\x90 not a pdf"), "ly-lich.pdf")})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "không phải PDF, JPEG hoặc PNG" in summary_of(html)
    assert re.search(r'<option selected value="cv">|<option value="cv" selected>', html)
