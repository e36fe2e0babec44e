"""A nomination or referral of a person already in the intellectuals database proposes changes; only the
secretariat's decision writes the record (security round two, finding 5)."""
import csv
import io
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from honours.core import clock, roles
from honours.core.audit import AuditEntry
from honours.core.db import db
from honours.core.errors import RuleViolation, StaleEdit
from honours.directory import export, merging, proposals
from honours.nominations import services as nominations
from honours.people.models import Person, PersonChangeProposal
from honours.people.workflows import ACCEPTED, PENDING, REJECTED, SUPERSEDED
from honours.talent import referrals
from tests.conftest import login
from tests.factories import PDF, make_dossier, make_org, make_person, make_round, make_user

BORN = date(1975, 5, 20)


@pytest.fixture
def world(app):
    home = make_org("Viện Vật liệu Kinh Bắc")
    person = make_person("Nguyễn Văn An", BORN, email="an@vien.example", phone="0912 000 111",
                         workplace="Viện Vật liệu Kinh Bắc", organisation_id=home.id, consent_national_db=True,
                         field="Khoa học tự nhiên")
    attacker_org = make_org("Hội Lạ")
    attacker = make_user(roles.NOMINATOR, attacker_org)
    return person, home, attacker_org, attacker, make_user(roles.SECRETARIAT)


def nominate(round_, org, user, **profile):
    dossier = make_dossier(round_, org, user, full_name="Nguyễn Văn An", date_of_birth=BORN, **profile)
    nominations.submit(user, dossier)
    db.session.commit()
    return dossier


def pending_of(person) -> dict[str, PersonChangeProposal]:
    return {p.field: p for p in db.session.scalars(select(PersonChangeProposal).where(
        PersonChangeProposal.person_id == person.id, PersonChangeProposal.state == PENDING))}


def national_row(person_id: int) -> dict:
    rows = list(csv.DictReader(io.StringIO(export.national_csv().decode("utf-8-sig"))))
    return next(row for row in rows if row["Mã định danh"] == str(person_id))


def test_a_nomination_of_an_existing_person_overwrites_nothing_and_proposes_what_differs(world):
    person, home, attacker_org, attacker, _secretary = world
    dossier = nominate(make_round(), attacker_org, attacker, email="ke.gian@evil.example", phone="0999 999 999",
                       workplace="Công ty Lạ")
    db.session.expire_all()
    person = db.session.get(Person, person.id)
    assert dossier.person_id == person.id  # the nomination still joins the person
    assert (person.email, person.phone, person.workplace, person.organisation_id) == (
        "an@vien.example", "0912 000 111", "Viện Vật liệu Kinh Bắc", home.id)
    row = national_row(person.id)
    assert (row["Email"], row["Điện thoại"], row["Đồng ý chia sẻ thông tin"]) == ("an@vien.example", "0912 000 111",
                                                                                   "Có")
    found = pending_of(person)
    assert {name: p.proposed_value for name, p in found.items()} == {
        "email": "ke.gian@evil.example", "phone": "0999 999 999", "workplace": "Công ty Lạ",
        "organisation_id": str(attacker_org.id)}
    email = found["email"]
    assert (email.old_value, email.source_type, email.source_id, email.organisation_id, email.proposed_by_id) == (
        "an@vien.example", "dossier", dossier.id, attacker_org.id, attacker.id)


def test_a_new_person_is_still_created_from_the_submission(app):
    org = make_org()
    nominator = make_user(roles.NOMINATOR, org)
    dossier = make_dossier(make_round(), org, nominator, full_name="Trần Thị Mới", email="moi@example.vn")
    nominations.submit(nominator, dossier)
    db.session.commit()
    assert dossier.person.email == "moi@example.vn" and dossier.person.organisation_id == org.id
    assert db.session.scalars(select(PersonChangeProposal)).all() == []


def test_a_referral_never_sets_the_consent_of_an_existing_person(world):
    person, _home, attacker_org, attacker, secretary = world
    person.consent_national_db, person.email = False, ""
    db.session.commit()
    referral = referrals.save_referral(attacker, referrals.ReferralData(
        full_name="Nguyễn Văn An", gender="male", date_of_birth=BORN, ethnicity="Kinh", field="Y dược",
        email="ke.gian@evil.example", degree="TS", consent_national_db=True, justification="Giỏi."))
    referrals.add_attachment(attacker, referral, io.BytesIO(PDF), "cv.pdf", "cv")
    referrals.submit(attacker, referral)
    referrals.screen(secretary, referral, "accept")
    db.session.commit()
    db.session.expire_all()
    person = db.session.get(Person, person.id)
    assert referral.person_id == person.id
    assert person.consent_national_db is False and person.email == "" and person.field == "Khoa học tự nhiên"
    assert national_row(person.id)["Email"] == ""
    found = pending_of(person)
    assert found["consent_national_db"].proposed_value == "1" and found["email"].source_type == "referral"
    assert found["email"].proposed_by_id == attacker.id


def test_the_secretariat_accepts_or_rejects_each_change_side_by_side(world, client):
    person, home, attacker_org, attacker, secretary = world
    nominate(make_round(), attacker_org, attacker, email="moi@vien.example", phone="0999 999 999")
    login(client, secretary)
    page = client.get("/tri-thuc/proposals").get_data(as_text=True)
    assert "an@vien.example" in page and "moi@vien.example" in page  # current and proposed side by side
    assert "3 đề xuất đang chờ duyệt" in page and "Hội Lạ" in page
    assert "(3)" in client.get("/tri-thuc/").get_data(as_text=True)
    found = pending_of(person)
    response = client.post(f"/tri-thuc/proposals/{found['email'].id}",
                           data={"decision": "accept", "version": person.version})
    assert response.status_code == 302
    db.session.expire_all()
    person = db.session.get(Person, person.id)
    assert person.email == "moi@vien.example" and person.phone == "0912 000 111"
    stale = client.post(f"/tri-thuc/proposals/{found['phone'].id}",
                        data={"decision": "accept", "version": person.version - 1})
    assert stale.status_code == 302 and db.session.get(Person, person.id).phone == "0912 000 111"
    client.post(f"/tri-thuc/proposals/{found['phone'].id}", data={"decision": "reject", "version": person.version})
    db.session.expire_all()
    assert db.session.get(PersonChangeProposal, found["email"].id).state == ACCEPTED
    assert db.session.get(PersonChangeProposal, found["phone"].id).state == REJECTED
    assert db.session.get(Person, person.id).phone == "0912 000 111"
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.entity_type == "person_change")).all()
    assert sorted(e.action for e in entries) == ["accept", "reject"]
    (accepted,) = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "accept_change")).all()
    assert "an@vien.example → moi@vien.example" in accepted.reason_text
    # accept every remaining one (the organisation)
    client.post(f"/tri-thuc/{person.id}/proposals", data={"decision": "accept",
                                                          "version": db.session.get(Person, person.id).version})
    db.session.expire_all()
    assert db.session.get(Person, person.id).organisation_id == attacker_org.id
    assert pending_of(person) == {}


def test_decisions_are_the_secretariats_and_conflicts_are_decided_one_by_one(world):
    person, _home, attacker_org, attacker, secretary = world
    round_ = make_round()
    nominate(round_, attacker_org, attacker, email="mot@example.vn")
    other_org = make_org()
    nominate(round_, other_org, make_user(roles.NOMINATOR, other_org), email="hai@example.vn")
    found = db.session.scalars(select(PersonChangeProposal).where(PersonChangeProposal.field == "email")).all()
    assert len(found) == 2
    with pytest.raises(RuleViolation):
        proposals.decide(attacker, found[0].id, "accept")
    with pytest.raises(RuleViolation, match="từng đề xuất"):
        proposals.decide_all(secretary, person.id, "accept")
    with pytest.raises(StaleEdit):
        proposals.decide(secretary, found[0].id, "accept", expected_version=person.version + 5)
    proposals.decide(secretary, found[1].id, "accept", expected_version=person.version)
    with pytest.raises(RuleViolation):
        proposals.decide(secretary, found[1].id, "reject")  # already decided
    assert person.email == "hai@example.vn"


def test_a_resubmission_supersedes_its_own_earlier_proposals(world):
    person, _home, attacker_org, attacker, secretary = world
    dossier = nominate(make_round(), attacker_org, attacker, email="mot@example.vn")
    nominations.decide(secretary, dossier, "return", "Bổ sung minh chứng",
                       supplement_deadline=clock.now() + timedelta(days=7), confirmed=True)
    dossier.email = "an@vien.example"  # the nominator corrected it back
    nominations.submit(attacker, dossier)
    db.session.commit()
    proposals_ = db.session.scalars(select(PersonChangeProposal).where(PersonChangeProposal.field == "email")).all()
    assert [p.state for p in proposals_] == [SUPERSEDED]


def test_a_merge_moves_pending_proposals_to_the_survivor(world):
    person, _home, attacker_org, attacker, secretary = world
    nominate(make_round(), attacker_org, attacker, email="mot@example.vn")
    survivor = make_person("Nguyen Van An", BORN)
    merging.merge(secretary, survivor.id, person.id)
    db.session.commit()
    assert {p.person_id for p in db.session.scalars(select(PersonChangeProposal))} == {survivor.id}


def test_the_pending_list_groups_proposals_per_person(world):
    person, _home, attacker_org, attacker, _secretary = world
    nominate(make_round(), attacker_org, attacker, email="mot@example.vn")
    found = proposals.pending()
    assert found.total == 2 and [g.person.id for g in found.page.items] == [person.id]
    assert found.organisations[attacker_org.id] == attacker_org.name
