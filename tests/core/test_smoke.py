from honours.core import roles
from honours.nominations import states
from tests.conftest import login
from tests.factories import PDF, make_org, make_round, make_user


def test_nominator_drafts_uploads_and_submits_over_http(client):
    round_ = make_round()
    org = make_org()
    user = make_user(roles.NOMINATOR, org)
    login(client, user)
    page = client.get(f"/dossiers/new?round_id={round_.id}")
    assert page.status_code == 200
    response = client.post(f"/dossiers/new?round_id={round_.id}", data={
        "field_id": round_.fields[1].id, "full_name": "Trần Thị Bình", "gender": "female",
        "date_of_birth": "12/03/1980", "ethnicity": "Tày", "academic_title": "PGS", "degree": "TS",
        "merits_summary": "Chủ nhiệm 3 đề tài cấp tỉnh về y học cổ truyền.",
        "achievements-0-kind": "award", "achievements-0-year": "2021", "achievements-0-title": "Giải thưởng KH&CN",
    })
    assert response.status_code == 302, response.get_data(as_text=True)
    dossier_url = response.headers["Location"]
    dossier_id = int(dossier_url.rstrip("/").split("/")[-1])
    import io
    up = client.post(f"/dossiers/{dossier_id}/attachments", data={"kind": "cv", "file": (io.BytesIO(PDF), "lý lịch.pdf")},
                     content_type="multipart/form-data")
    assert up.status_code == 302
    page = client.get(dossier_url)
    assert "lý lịch.pdf" in page.get_data(as_text=True)
    from honours.core.db import db
    from honours.nominations.models import Dossier
    dossier = db.session.get(Dossier, dossier_id)
    submitted = client.post(f"/dossiers/{dossier_id}/submit", data={"version": dossier.version})
    assert submitted.status_code == 302
    db.session.expire_all()
    assert db.session.get(Dossier, dossier_id).state == states.SUBMITTED
