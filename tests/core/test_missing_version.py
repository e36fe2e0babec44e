"""Issue 10, finding 18: a form posted without its hidden `version` (deleted, emptied or garbled) is a stale form:
refused with the stale message and nothing saved, on every route that checks versions (the check lives in
honours.core.forms.form_version, which every form's version goes through)."""
import pytest

from honours.core import roles
from honours.core.concurrency import NO_VERSION, check_version
from honours.core.db import db
from honours.core.errors import StaleEdit
from honours.core.forms import form_version
from honours.nominations import states
from honours.nominations.models import Dossier
from tests.conftest import login
from tests.factories import make_attachment, make_dossier, make_org, make_round, make_user
from tests.nominations.test_dossier_http import edit_payload

STALE = "vừa được người khác thay đổi"
MISSING = [None, "", "abc", "²", "1" * 40]  # None: the field removed from the form


def with_version(data: dict, version) -> dict:
    data = {key: value for key, value in data.items() if key != "version"}
    return data if version is None else {**data, "version": version}


@pytest.fixture
def world(app, client):
    org = make_org()
    nominator = make_user(roles.NOMINATOR, org)
    dossier = make_dossier(make_round(), org, nominator)
    make_attachment(dossier)
    login(client, nominator)
    return {"org": org, "dossier": dossier}


@pytest.mark.parametrize("version", MISSING)
def test_a_dossier_edit_without_its_version_is_stale(world, client, version):
    dossier = world["dossier"]
    data = with_version(edit_payload(dossier, dossier.version, workplace="Viện Giả Mạo"), version)
    response = client.post(f"/dossiers/{dossier.id}/edit", data=data)
    assert response.status_code == 409
    assert STALE in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Dossier, dossier.id).workplace != "Viện Giả Mạo"


@pytest.mark.parametrize("version", MISSING)
def test_a_dossier_submit_without_its_version_is_stale(world, client, version):
    dossier = world["dossier"]
    response = client.post(f"/dossiers/{dossier.id}/submit", data=with_version({}, version), follow_redirects=True)
    assert STALE in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Dossier, dossier.id).state == states.DRAFT


@pytest.mark.parametrize("version", [None, ""])
def test_an_eligibility_decision_without_its_version_is_stale(app, version):
    org = make_org()
    dossier = make_dossier(make_round(), org, make_user(roles.NOMINATOR, org), state=states.SUBMITTED)
    secretary = app.test_client()
    login(secretary, make_user(roles.SECRETARIAT))
    data = with_version({"action": "mark_ineligible", "reason": "Không đủ minh chứng"}, version)
    response = secretary.post(f"/eligibility/{dossier.id}/decision", data=data)
    assert response.status_code == 409
    assert STALE in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Dossier, dossier.id).state == states.SUBMITTED


def test_the_same_forms_with_the_right_version_still_work(world, client):
    dossier = world["dossier"]
    response = client.post(f"/dossiers/{dossier.id}/edit",
                           data=edit_payload(dossier, dossier.version, workplace="Viện Thật"))
    assert response.status_code == 302
    db.session.expire_all()
    dossier = db.session.get(Dossier, dossier.id)
    client.post(f"/dossiers/{dossier.id}/submit", data={"version": dossier.version})
    db.session.expire_all()
    assert db.session.get(Dossier, dossier.id).state == states.SUBMITTED


def test_form_version_never_lets_a_missing_version_through(app):
    assert [form_version(value) for value in MISSING] == [NO_VERSION] * len(MISSING)
    assert form_version("7") == 7
    with pytest.raises(StaleEdit):
        check_version(Dossier(version=1), form_version(None))
