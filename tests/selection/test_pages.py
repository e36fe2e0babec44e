"""Selection through HTTP: the round's setup, the nominator's claims and checklist warnings, the appraisal with a
clarification answered on the dossier, the override form, the ballot list."""
import io

import pytest

from honours.core import roles
from honours.core.db import db
from honours.council import services as council
from honours.nominations import states
from honours.nominations.models import Dossier
from honours.rounds.models import Round
from honours.selection import rules, services
from honours.selection.models import Clarification
from tests.conftest import login
from tests.factories import PDF, give_consent, make_dossier, make_org, make_round, make_user


@pytest.fixture
def world(app):
    round_ = make_round(name="Đợt xét theo tiêu chuẩn")
    org = make_org(email="hoi@example.vn")
    nominator = make_user(roles.NOMINATOR, org)
    secretary = make_user(roles.SECRETARIAT)
    dossier = make_dossier(round_, org, nominator, full_name="Phạm Thu Hà", years_in_province=3)
    return {"round": round_.id, "nominator": nominator, "secretary": secretary, "dossier": dossier.id}


SETUP = {
    "selection_method": "standards", "achievement_standards_needed": "1",
    "standards-0-kind": "general", "standards-0-name": "Trình độ đại học trở lên",
    "standards-1-kind": "achievement", "standards-1-name": "Giải thưởng KH&CN cấp tỉnh trở lên",
    "standards-1-evidence": "Quyết định tặng giải",
    "min_years_in_province": "y", "min_years_in_province_years": "5",
    "not_honoured": "y",
}


def test_the_whole_standards_path_over_http(app, world):
    secretary_client, nominator_client = app.test_client(), app.test_client()
    login(secretary_client, world["secretary"])
    login(nominator_client, world["nominator"])
    round_id, dossier_id = world["round"], world["dossier"]

    page = secretary_client.get(f"/selection/rounds/{round_id}")
    assert page.status_code == 200 and "Phương thức xét chọn" in page.get_data(as_text=True)
    assert secretary_client.post(f"/selection/rounds/{round_id}", data=SETUP).status_code == 302
    round_ = db.session.get(Round, round_id)
    assert round_.selection_method == "standards" and len(round_.standards) == 2
    assert {r.kind for r in round_.eligibility_rules} == {rules.MIN_YEARS_IN_PROVINCE, rules.NOT_HONOURED}
    assert "Giải thưởng KH&amp;CN" in secretary_client.get(f"/rounds/{round_id}").get_data(as_text=True)

    # The nominator's checklist warns about the rule and the missing claim.
    text = nominator_client.get(f"/dossiers/{dossier_id}").get_data(as_text=True)
    assert "Cảnh báo: chưa đạt" in text and "3 năm" in text and "Tiêu chuẩn thành tích: đã nêu 0" in text
    award = round_.standards[1]
    assert nominator_client.get(f"/selection/dossiers/{dossier_id}/claims").status_code == 200
    response = nominator_client.post(f"/selection/dossiers/{dossier_id}/claims", data={
        "claims-0-standard_id": str(award.id), "claims-0-claimed": "y", "claims-0-achievement": "0",
        "claims-0-attachment": "", "claims-0-note": "Giải Nhì năm 2020"})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert [c.standard_id for c in services.claims_of(db.session.get(Dossier, dossier_id))] == [award.id]
    assert "Tiêu chuẩn thành tích: đã nêu" not in nominator_client.get(
        f"/dossiers/{dossier_id}").get_data(as_text=True)
    assert nominator_client.post(f"/dossiers/{dossier_id}/submit",
                                 data={"version": db.session.get(Dossier, dossier_id).version}).status_code == 302
    assert db.session.get(Dossier, dossier_id).state == states.SUBMITTED
    give_consent(db.session.get(Dossier, dossier_id))  # the nominee answered the emailed link (honours/consent)

    # The secretariat appraises, asks a question; eligibility waits for the failed rule's reason.
    page = secretary_client.get(f"/selection/dossiers/{dossier_id}/appraisal").get_data(as_text=True)
    assert "Không đạt" in page and "Chấp nhận dù không đạt" in page
    response = secretary_client.post(f"/selection/dossiers/{dossier_id}/appraisal", data={
        "rows-0-standard_id": str(round_.standards[0].id), "rows-0-verdict": "met", "rows-0-note": "",
        "rows-1-standard_id": str(award.id), "rows-1-verdict": "clarify",
        "rows-1-note": "Đề nghị gửi quyết định tặng giải."})
    assert response.status_code == 302
    [question] = db.session.query(Clarification).all()

    exchange = nominator_client.get(f"/selection/dossiers/{dossier_id}/clarifications")
    assert "Đề nghị gửi quyết định tặng giải." in exchange.get_data(as_text=True)
    response = nominator_client.post(f"/selection/dossiers/{dossier_id}/clarifications", data={
        "clarification_id": str(question.id), "answer": "Gửi kèm quyết định.", "kind": "evidence",
        "file": (io.BytesIO(PDF), "quyet-dinh-giai.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    assert "quyet-dinh-giai.pdf" in secretary_client.get(
        f"/selection/dossiers/{dossier_id}/appraisal").get_data(as_text=True)

    secretary_client.post(f"/selection/dossiers/{dossier_id}/appraisal", data={
        "rows-0-standard_id": str(round_.standards[0].id), "rows-0-verdict": "met", "rows-0-note": "",
        "rows-1-standard_id": str(award.id), "rows-1-verdict": "met", "rows-1-note": "Đã đủ minh chứng"})
    refused = secretary_client.post(f"/eligibility/{dossier_id}/decision", data={
        "action": "mark_eligible", "version": db.session.get(Dossier, dossier_id).version, "confirmed": "1"})
    assert refused.status_code == 422 and "không đạt điều kiện" in refused.get_data(as_text=True)
    no_reason = secretary_client.post(f"/selection/dossiers/{dossier_id}/rules", data={
        "rule_kind": rules.MIN_YEARS_IN_PROVINCE, "override_reason": "", "confirmed": "1"})
    assert no_reason.status_code == 302 and not services.overrides_of(db.session.get(Dossier, dossier_id))
    secretary_client.post(f"/selection/dossiers/{dossier_id}/rules", data={
        "rule_kind": rules.MIN_YEARS_IN_PROVINCE, "override_reason": "Quê quán Bắc Ninh", "confirmed": "1"})
    response = secretary_client.post(f"/eligibility/{dossier_id}/decision", data={
        "action": "mark_eligible", "version": db.session.get(Dossier, dossier_id).version, "confirmed": "1"})
    assert response.status_code == 302
    assert "Đưa vào danh sách bỏ phiếu" in secretary_client.get(f"/dossiers/{dossier_id}").get_data(as_text=True)
    assert secretary_client.post(f"/selection/dossiers/{dossier_id}/ballot").status_code == 302
    dossier = db.session.get(Dossier, dossier_id)
    assert dossier.state == states.SCORED
    assert council.shortlist_ids(council.shortlist(dossier.round)) == {dossier_id}


def test_another_organisation_gets_404(app, world):
    other = app.test_client()
    login(other, make_user(roles.NOMINATOR, make_org()))
    assert other.get(f"/selection/dossiers/{world['dossier']}/claims").status_code == 404
    assert other.get(f"/selection/dossiers/{world['dossier']}/clarifications").status_code == 404


def test_a_points_round_page_is_unchanged_for_the_nominator(app, world):
    client = app.test_client()
    login(client, world["nominator"])
    assert "Điều kiện và tiêu chuẩn" not in client.get(f"/dossiers/{world['dossier']}").get_data(as_text=True)
