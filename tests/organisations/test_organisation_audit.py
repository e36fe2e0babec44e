"""Organisations are where nominators' accounts and the outcome emails go: every creation and edit is in the audit
log — who, when, and each value set, or old → new."""
import pytest
from sqlalchemy import select

from honours.core import roles
from honours.core.audit import AuditEntry
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.organisations import services
from honours.organisations.models import Organisation
from tests.conftest import login
from tests.factories import make_org, make_user


def _entries(organisation_id: int) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(
        AuditEntry.entity_type == "organisation", AuditEntry.entity_id == organisation_id).order_by(AuditEntry.id)))


def test_creating_and_editing_an_organisation_over_http_is_audited_with_old_and_new_values(app):
    secretary = make_user(roles.SECRETARIAT, full_name="Trần Thư Ký")
    client = app.test_client()
    login(client, secretary)
    response = client.post("/organisations/new", data={
        "name": "Viện Kinh Bắc", "org_type": "institute", "email": "vien@example.vn", "nomination_limit": "3"})
    assert response.status_code == 302
    organisation = db.session.scalars(select(Organisation).where(Organisation.name == "Viện Kinh Bắc")).one()
    [created] = _entries(organisation.id)
    assert (created.actor_id, created.action) == (secretary.id, "create")
    assert '"Viện Kinh Bắc"' in created.reason and '"vien@example.vn"' in created.reason and '"3"' in created.reason

    # The notification address diverted to an outsider, the quota raised: both are in the log, old → new.
    response = client.post(f"/organisations/{organisation.id}/edit", data={
        "name": "Viện Kinh Bắc", "org_type": "institute", "email": "ke-gian@evil.example", "nomination_limit": "30"})
    assert response.status_code == 302
    created, edited = _entries(organisation.id)
    assert (edited.actor_id, edited.action) == (secretary.id, "update")
    assert '"vien@example.vn" → "ke-gian@evil.example"' in edited.reason
    assert '"3" → "30"' in edited.reason and "Tên" not in edited.reason  # unchanged fields are not listed
    assert edited.at is not None

    # Saving the form unchanged writes no entry.
    client.post(f"/organisations/{organisation.id}/edit", data={
        "name": "Viện Kinh Bắc", "org_type": "institute", "email": "ke-gian@evil.example", "nomination_limit": "30"})
    assert len(_entries(organisation.id)) == 2
    # The log page shows it, in the reader's language.
    page = client.get(f"/audit/?entity_type=organisation&entity_id={organisation.id}").get_data(as_text=True)
    assert "ke-gian@evil.example" in page


def test_clearing_a_value_is_audited(app):
    secretary = make_user(roles.ADMIN)
    organisation = make_org(name="Hội Tin học", phone="0222 3 456 789", nomination_limit=2)
    services.save_organisation(secretary, {"name": "Hội Tin học", "org_type": "association",
                                           "email": organisation.email, "phone": "", "nomination_limit": None},
                               organisation)
    [edited] = _entries(organisation.id)
    assert '"0222 3 456 789" → —' in edited.reason and '"2" → —' in edited.reason


def test_only_managers_may_save_an_organisation(app):
    organisation = make_org()
    nominator = make_user(roles.NOMINATOR, organisation)
    with pytest.raises(RuleViolation):
        services.save_organisation(nominator, {"name": organisation.name, "org_type": "association",
                                               "email": "me@example.vn"}, organisation)
    assert _entries(organisation.id) == []
