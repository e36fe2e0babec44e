"""Our own generated PDFs signed with the organisation's certificate (SIGNING_PKCS12 + SIGNING_PKCS12_PASSWORD):
the minutes and a certificate carry a valid, trusted signature; without the setting they are not signed; a
password that does not open the file refuses to hand out unsigned documents."""
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from honours.auth.models import User
from honours.certificates import services as certificates
from honours.certificates.models import Certificate
from honours.core import clock, roles, signing
from honours.core.db import db
from honours.council import services as council
from honours.decisions import validation
from honours.documents import services as documents
from honours.rounds.models import Round
from tests.conftest import login
from tests.factories import (
    make_council,
    make_council_session,
    make_dossier,
    make_org,
    make_round,
    make_score_sheet,
    make_user,
)

from . import pki


@pytest.fixture(scope="module")
def world(module_app, tmp_path_factory):
    keys = tmp_path_factory.mktemp("signing")
    w = pki.world()
    (keys / "org.p12").write_bytes(pki.pkcs12_bytes(w.province, w.trusted_ca))
    round_ = make_round(opens_in_days=-120, closes_in_days=-60)
    org = make_org()
    nominator = make_user(roles.NOMINATOR, org)
    secretariat = make_user(roles.SECRETARIAT)
    members = make_council(round_, 3)
    dossier = make_dossier(round_, org, nominator, state="scored", full_name="Nguyễn Văn An", with_attachment=False)
    for reviewer in members:
        make_score_sheet(dossier, reviewer, Decimal("8.5"), submitted_at=clock.now())
    session = council.open_session(secretariat, round_, [u.id for u in members], confirmed=True)
    for voter in members:
        council.cast_ballot(voter, session, {dossier.id: True})
    council.close_voting(secretariat, session, confirmed=True)
    published = make_round(name="Đợt đã công bố", opens_in_days=-300, closes_in_days=-250, published_at=clock.now())
    make_dossier(published, org, nominator, state="published", full_name="Trần Thị Bình", with_attachment=False)
    make_council_session(published, secretariat, status="confirmed", confirmed_at=clock.now(),
                         decision_number="9/QĐ-UBND", decision_date=date(2026, 6, 1), decision_signer="Vương Tuấn")
    db.session.commit()
    return {"session": session.id, "secretariat": secretariat.id, "published": published.id,
            "p12": str(keys / "org.p12")}


@pytest.fixture
def app(module_app, db_savepoint, world):
    module_app.config["SIGNING_PKCS12"] = world["p12"]
    module_app.config["SIGNING_PKCS12_PASSWORD"] = pki.PASSWORD
    return module_app


def _client(app, world):
    client = app.test_client()
    login(client, db.session.get(User, world["secretariat"]))
    return client


def _trusted() -> tuple[bytes, ...]:
    return (pki.world().trusted_ca.der,)


def test_the_minutes_carry_a_valid_signature_of_the_organisation(app, world):
    response = _client(app, world).get(f"/council/sessions/{world['session']}/minutes.pdf")
    assert response.status_code == 200
    result = validation.validate(response.data, _trusted())
    assert result.status == validation.VALID_TRUSTED
    assert "Chủ tịch UBND tỉnh" in result.signer_subject


def test_a_certificate_pdf_carries_a_valid_signature(app, world):
    certificates.issue_codes(db.session.get(User, world["secretariat"]), db.session.get(Round, world["published"]))
    db.session.commit()
    certificate = db.session.scalar(select(Certificate))
    response = _client(app, world).get(f"/certificates/{certificate.id}.pdf")
    assert response.status_code == 200
    assert validation.validate(response.data, _trusted()).status == validation.VALID_TRUSTED


def test_without_the_setting_nothing_is_signed(app, world):
    app.config["SIGNING_PKCS12"] = ""
    from honours.council.models import CouncilSession

    data = documents.minutes_pdf(db.session.get(CouncilSession, world["session"]))
    assert validation.validate(data, _trusted()).status == validation.UNSIGNED


def test_a_wrong_password_refuses_rather_than_signing_nothing(app, world):
    app.config["SIGNING_PKCS12_PASSWORD"] = "sai-mat-khau"  # nosec B105
    with pytest.raises(signing.SigningUnavailable):
        signing.sign_pdf(pki.simple_pdf())
