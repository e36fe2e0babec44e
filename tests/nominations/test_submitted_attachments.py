"""Issue 10, finding 14: files that went in with a submission are never deleted. After a return the nominator can
delete only what was uploaded since; a new upload supersedes a submitted file, which is kept and still listed and
downloadable; every submission's snapshot names the exact files. The number of current files is capped."""
import hashlib
import io
import os
from datetime import timedelta

import pytest
from sqlalchemy import select

from honours.core import clock, roles
from honours.core.db import db
from honours.core.storage import path_for
from honours.nominations import services, states
from honours.nominations.models import Attachment, Dossier, DossierSubmission
from tests.conftest import login
from tests.factories import PDF, PNG, make_dossier, make_org, make_round, make_user

NOT_DELETABLE = "đã được nộp kèm hồ sơ (lần 1) nên không thể xoá"


def upload(client, dossier_id: int, data: bytes, name: str, replaces="") -> str:
    response = client.post(f"/dossiers/{dossier_id}/attachments",
                           data={"kind": "evidence", "file": (io.BytesIO(data), name), "replaces": replaces},
                           content_type="multipart/form-data", follow_redirects=True)
    assert response.status_code in (200, 422)  # a refused upload answers the dossier page itself (choices kept)
    return response.get_data(as_text=True)


def files_of(dossier_id: int) -> dict[str, Attachment]:
    db.session.expire_all()
    rows = db.session.scalars(select(Attachment).where(Attachment.dossier_id == dossier_id))
    return {a.original_name: a for a in rows}


def snapshots(dossier_id: int) -> list[dict]:
    return [s.snapshot for s in db.session.scalars(
        select(DossierSubmission).where(DossierSubmission.dossier_id == dossier_id).order_by(DossierSubmission.number))]


@pytest.fixture
def returned(app, client):
    """A dossier submitted with two files over HTTP, then returned for a supplement by the secretariat."""
    org = make_org()
    nominator, secretary = make_user(roles.NOMINATOR, org), make_user(roles.SECRETARIAT)
    dossier = make_dossier(make_round(), org, nominator, with_attachment=False)
    login(client, nominator)
    upload(client, dossier.id, PDF, "ly-lich.pdf")
    upload(client, dossier.id, PNG, "bang-khen.png")
    dossier = db.session.get(Dossier, dossier.id)
    assert client.post(f"/dossiers/{dossier.id}/submit", data={"version": dossier.version}).status_code == 302
    dossier = db.session.get(Dossier, dossier.id)
    services.decide(secretary, dossier, "return", "Bổ sung bằng khen bản rõ hơn", dossier.version,
                    supplement_deadline=clock.now() + timedelta(days=7), confirmed=True)
    db.session.commit()
    return {"id": dossier.id, "secretary": secretary}


def test_after_a_return_the_submitted_files_cannot_be_deleted(returned, client):
    for attachment in files_of(returned["id"]).values():
        response = client.post(f"/dossiers/attachments/{attachment.id}/delete", follow_redirects=True)
        assert NOT_DELETABLE in response.get_data(as_text=True)
    kept = files_of(returned["id"])
    assert set(kept) == {"ly-lich.pdf", "bang-khen.png"}
    assert all(os.path.exists(path_for(a.stored_name)) for a in kept.values())
    with pytest.raises(Exception, match="không thể xoá"):
        services.delete_attachment(db.session.get(Dossier, returned["id"]).created_by, kept["ly-lich.pdf"])


def test_a_new_upload_supersedes_a_submitted_file_which_stays_for_the_secretariat(returned, client, app):
    old = files_of(returned["id"])["bang-khen.png"]
    page = upload(client, returned["id"], PDF + b"\n% ban ro hon\n", "bang-khen-moi.pdf", replaces=str(old.id))
    assert "Đã tải lên tệp" in page
    files = files_of(returned["id"])
    new = files["bang-khen-moi.pdf"]
    assert files["bang-khen.png"].superseded_by_id == new.id and new.submitted_in is None
    # The replacement may be deleted again (not submitted yet): the old file takes its place back.
    client.post(f"/dossiers/attachments/{new.id}/delete")
    files = files_of(returned["id"])
    assert "bang-khen-moi.pdf" not in files and files["bang-khen.png"].superseded_by_id is None
    upload(client, returned["id"], PDF + b"\n% ban ro hon\n", "bang-khen-moi.pdf", replaces=str(old.id))
    dossier = db.session.get(Dossier, returned["id"])
    assert client.post(f"/dossiers/{dossier.id}/submit", data={"version": dossier.version}).status_code == 302

    files = files_of(returned["id"])
    first, second = snapshots(returned["id"])
    assert {a["name"] for a in first["attachments"]} == {"ly-lich.pdf", "bang-khen.png"}
    assert {a["name"] for a in second["attachments"]} == {"ly-lich.pdf", "bang-khen-moi.pdf"}
    for snapshot in (first, second):  # each snapshot resolves to the very files, still on disk and unchanged
        for entry in snapshot["attachments"]:
            attachment = db.session.get(Attachment, entry["id"])
            with open(path_for(attachment.stored_name), "rb") as stored:
                assert hashlib.sha256(stored.read()).hexdigest() == entry["sha256"] == attachment.sha256
    assert files["bang-khen-moi.pdf"].submitted_in == 2

    secretariat = app.test_client()
    login(secretariat, returned["secretary"])
    page = secretariat.get(f"/dossiers/{returned['id']}").get_data(as_text=True)
    assert "Tệp đã nộp và được thay thế" in page and "bang-khen.png" in page
    download = secretariat.get(f"/dossiers/attachments/{files['bang-khen.png'].id}")
    assert download.status_code == 200 and download.data == PNG


def test_only_a_current_submitted_file_of_the_same_dossier_can_be_superseded(returned, client, app):
    files = files_of(returned["id"])
    upload(client, returned["id"], PDF, "moi.pdf")
    not_submitted = files_of(returned["id"])["moi.pdf"]
    org = make_org("Đơn vị khác")
    elsewhere = make_dossier(make_round("Đợt khác"), org, make_user(roles.NOMINATOR, org), state=states.SUBMITTED)
    for target in (not_submitted.id, elsewhere.attachments[0].id, 999_999):
        page = upload(client, returned["id"], PNG, "thay.png", replaces=str(target))
        assert "Tệp cần thay thế không còn trong hồ sơ hoặc chưa được nộp" in page
    assert set(files_of(returned["id"])) == {*files, "moi.pdf"}
    assert db.session.get(Attachment, elsewhere.attachments[0].id).superseded_by_id is None


def test_the_number_of_current_files_is_capped(app, client):
    app.config["MAX_FILES_PER_DOSSIER"] = 3
    org = make_org()
    nominator = make_user(roles.NOMINATOR, org)
    dossier = make_dossier(make_round(), org, nominator, with_attachment=False)
    login(client, nominator)
    for number in range(3):
        assert "Đã tải lên tệp" in upload(client, dossier.id, PNG, f"anh-{number}.png")
    page = upload(client, dossier.id, PNG, "anh-3.png")
    assert "Đã có đủ 3 tệp đính kèm, số tệp tối đa cho phép" in page
    assert len(files_of(dossier.id)) == 3


def test_at_the_cap_a_submitted_file_can_still_be_replaced(returned, client, app):
    app.config["MAX_FILES_PER_DOSSIER"] = 2
    old = files_of(returned["id"])["ly-lich.pdf"]
    assert "Đã có đủ 2 tệp" in upload(client, returned["id"], PDF, "them.pdf")
    assert "Đã tải lên tệp" in upload(client, returned["id"], PDF, "ly-lich-2.pdf", replaces=str(old.id))
    assert files_of(returned["id"])["ly-lich.pdf"].superseded_by_id is not None
