"""What a nominating organisation can learn about others' nominations and about unpublished outcomes
(security round two, findings 8 and 10)."""
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from honours.core import clock, roles
from honours.core.db import db
from honours.nominations import services, states
from honours.nominations.models import Dossier, DuplicateCheck
from honours.publication import services as publication
from tests.conftest import login
from tests.factories import make_dossier, make_org, make_round, make_user


@pytest.fixture
def world(app, client):
    round_ = make_round()
    org, other = make_org("Hội Cơ khí Bắc Ninh"), make_org("Viện Bí Mật")
    nominator = make_user(roles.NOMINATOR, org)
    theirs = make_dossier(round_, other, make_user(roles.NOMINATOR, other), state=states.SUBMITTED,
                          full_name="Đặng Văn Đức", date_of_birth=date(1970, 2, 3))
    mine = make_dossier(round_, org, nominator, full_name="Người Khác", date_of_birth=date(1980, 1, 1))
    login(client, nominator)
    return {"round": round_, "org": org, "other": other, "nominator": nominator, "theirs": theirs, "mine": mine}


def edit(client, dossier, full_name, born: date, follow=True):
    data = {"version": db.session.get(Dossier, dossier.id).version, "field_id": dossier.field_id,
            "full_name": full_name, "gender": "male", "date_of_birth": born.strftime("%d/%m/%Y"),
            "ethnicity": "Kinh", "academic_title": "", "degree": "TS",
            "merits_summary": "Tóm tắt thành tích đủ dài để hồ sơ có thể được nộp.",
            "achievements-0-kind": "award", "achievements-0-year": "2020", "achievements-0-title": "Giải thưởng"}
    return client.post(f"/dossiers/{dossier.id}/edit", data=data, follow_redirects=follow)


# ---------------------------------------------------------------- finding 10: the duplicate warning

def test_the_duplicate_warning_names_neither_the_other_organisation_nor_the_details(world, client):
    page = edit(client, world["mine"], "dang van duc", date(1970, 2, 3)).get_data(as_text=True)
    assert "có thể đã được đề cử trong đợt xét này; Ban thư ký sẽ kiểm tra" in page
    assert "Viện Bí Mật" not in page and "Đặng Văn Đức" not in page  # neither who nor how they spelt it
    mine = db.session.get(Dossier, world["mine"].id)
    services.submit(world["nominator"], mine)
    db.session.commit()
    shown = client.get(f"/dossiers/{mine.id}").get_data(as_text=True)
    assert "Ban thư ký sẽ kiểm tra" in shown and "Viện Bí Mật" not in shown


def test_the_secretariat_still_sees_who_else_nominated_the_person(world, app):
    mine = db.session.get(Dossier, world["mine"].id)
    mine.full_name, mine.name_folded, mine.date_of_birth = "Đặng Văn Đức", "dang van duc", date(1970, 2, 3)
    services.submit(world["nominator"], mine)
    db.session.commit()
    secretary = app.test_client()
    login(secretary, make_user(roles.SECRETARIAT))
    assert "Viện Bí Mật" in secretary.get(f"/dossiers/{mine.id}").get_data(as_text=True)


def test_guessing_is_throttled_per_account(world, client, app):
    app.config["DUPLICATE_CHECKS_PER_DAY"] = 3
    for year in (1971, 1972, 1973):  # three wrong guesses use the account's checks
        page = edit(client, world["mine"], "dang van duc", date(year, 2, 3)).get_data(as_text=True)
        assert "Ban thư ký sẽ kiểm tra" not in page
    page = edit(client, world["mine"], "dang van duc", date(1970, 2, 3)).get_data(as_text=True)
    assert "có thể đã được đề cử" not in page and "không kiểm tra" in page  # the right guess learns nothing
    again = edit(client, world["mine"], "dang van duc", date(1972, 2, 3)).get_data(as_text=True)
    assert "không kiểm tra" not in again  # a person already checked today may be checked again
    stored = db.session.scalars(select(DuplicateCheck.identity)).all()
    assert len(stored) == 3 and not any("dang" in identity for identity in stored)  # hashed, not the name
    mine = db.session.get(Dossier, world["mine"].id)
    mine.date_of_birth = date(1970, 2, 3)
    assert services.duplicate_notice(world["nominator"], mine) is None
    with clock.frozen(clock.now() + timedelta(days=1, minutes=1)):  # the window moves on
        assert services.duplicate_notice(world["nominator"], mine) is True


# ---------------------------------------------------------------- finding 8: no outcome before publication

def nominator_pages(client, dossier_ids) -> list[str]:
    pages = [client.get("/dossiers/").get_data(as_text=True)]
    pages += [client.get(f"/dossiers/{dossier_id}").get_data(as_text=True) for dossier_id in dossier_ids]
    return [re.sub(r'name="csrf_token"[^>]*>', "", page) for page in pages]


def test_saving_citations_before_publication_changes_nothing_the_nominator_sees(world, client, app):
    round_, org, nominator = world["round"], world["org"], world["nominator"]
    with clock.frozen(clock.now().replace(microsecond=0) - timedelta(days=3)):
        approved = make_dossier(round_, org, nominator, state=states.APPROVED, full_name="Trần Được Chọn")
        rejected = make_dossier(round_, org, nominator, state=states.NOT_APPROVED, full_name="Lê Không Chọn")
    before = nominator_pages(client, [approved.id, rejected.id])
    assert "Đang xét chọn" in before[1] and "Đang xét chọn" in before[2]
    secretary = make_user(roles.SECRETARIAT)
    edits = [publication.CitationEdit(approved.id, approved.version, "Nhà khoa học tiêu biểu về cơ khí.")]
    assert publication.save_citations(secretary, round_, edits) == 1
    db.session.commit()
    assert db.session.get(Dossier, approved.id).updated_at > db.session.get(Dossier, rejected.id).updated_at
    assert nominator_pages(client, [approved.id, rejected.id]) == before
