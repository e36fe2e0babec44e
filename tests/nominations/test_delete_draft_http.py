"""Deleting a draft dossier or referral: without JavaScript the first POST answers a confirmation page that says
what is lost and posts the same form (version kept) with confirmed=1; the JS dialog is an enhancement that adds
confirmed=1 itself (data-confirm-final)."""
import io

from sqlalchemy import func, select

from honours.core import roles
from honours.core.db import db
from honours.nominations.models import Dossier
from honours.talent import referrals
from honours.talent.models import Referral
from tests.conftest import login
from tests.factories import PDF, make_dossier, make_org, make_round, make_user
from tests.talent.test_talent import referral_data

HIDDEN_CONFIRMED = '<input type="hidden" name="confirmed" value="1">'


def test_deleting_a_draft_dossier_asks_first_then_deletes(app, client):
    round_ = make_round()
    org = make_org()
    nominator = make_user(roles.NOMINATOR, org)
    dossier = make_dossier(round_, org, nominator, full_name="Đỗ Văn Nháp")
    login(client, nominator)
    show = client.get(f"/dossiers/{dossier.id}").get_data(as_text=True)
    assert "data-confirm-final" in show  # the JS dialog, when there is JavaScript, is the confirmation

    response = client.post(f"/dossiers/{dossier.id}/delete", data={"version": dossier.version})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Xoá hẳn hồ sơ nháp của Đỗ Văn Nháp cùng 1 tệp đính kèm. Không thể khôi phục sau khi xoá." in page
    assert HIDDEN_CONFIRMED in page and f'<input type="hidden" name="version" value="{dossier.version}">' in page
    assert f'href="/dossiers/{dossier.id}"' in page  # cancel goes back to the dossier
    assert db.session.scalar(select(func.count(Dossier.id))) == 1

    response = client.post(f"/dossiers/{dossier.id}/delete", data={"version": dossier.version, "confirmed": "1"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/dossiers/")
    assert db.session.scalar(select(func.count(Dossier.id))) == 0


def test_deleting_a_draft_referral_asks_first_then_deletes(app, client):
    org = make_org(org_type="institute")
    nominator = make_user(roles.NOMINATOR, org)
    referral = referrals.save_referral(nominator, referral_data(full_name="Lê Thị Tiến Cử"))
    referrals.add_attachment(nominator, referral, io.BytesIO(PDF), "ly-lich.pdf", "cv")
    login(client, nominator)
    show = client.get(f"/tien-cu/{referral.id}").get_data(as_text=True)
    assert "data-confirm-final" in show

    response = client.post(f"/tien-cu/{referral.id}/xoa", data={"version": referral.version})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Xoá hẳn phiếu tiến cử nháp của Lê Thị Tiến Cử cùng 1 tệp đính kèm." in page and HIDDEN_CONFIRMED in page
    assert db.session.scalar(select(func.count(Referral.id))) == 1

    response = client.post(f"/tien-cu/{referral.id}/xoa", data={"version": referral.version, "confirmed": "1"})
    assert response.status_code == 302
    assert db.session.scalar(select(func.count(Referral.id))) == 0
