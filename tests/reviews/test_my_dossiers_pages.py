"""A council member's "Hồ sơ của tôi" grows with every round they sit on: it is paginated, the latest round first,
and the progress counts every assigned sheet, not only the page's."""
import re
from datetime import date

from sqlalchemy import select

from honours.core import roles
from honours.core.db import db
from honours.core.text import fold
from honours.nominations import states
from honours.nominations.models import Dossier
from honours.reviews.models import ReviewAssignment, ScoreSheet
from honours.reviews.scoring_views import PER_PAGE
from tests.conftest import login
from tests.factories import make_org, make_round, make_user


def add_assigned(round_, reviewer, organisation, nominator, secretary, count: int, prefix: str,
                 submitted: int) -> list[int]:
    db.session.execute(Dossier.__table__.insert(), [{
        "round_id": round_.id, "organisation_id": organisation.id, "field_id": round_.fields[0].id,
        "state": states.UNDER_REVIEW, "full_name": f"{prefix} {i}", "name_folded": fold(f"{prefix} {i}"),
        "gender": "male", "date_of_birth": date(1970, 1, 1), "ethnicity": "Kinh", "created_by_id": nominator.id,
        "submission_count": 1} for i in range(count)])
    ids = db.session.scalars(select(Dossier.id).where(Dossier.round_id == round_.id).order_by(Dossier.id)).all()
    db.session.execute(ReviewAssignment.__table__.insert(), [
        {"dossier_id": d, "reviewer_id": reviewer.id, "assigned_by_id": secretary.id} for d in ids])
    db.session.execute(ScoreSheet.__table__.insert(), [
        {"dossier_id": d, "reviewer_id": reviewer.id, "status": "submitted" if i < submitted else "draft"}
        for i, d in enumerate(ids)])
    db.session.commit()
    return ids


def test_my_dossiers_are_paginated_latest_round_first(app, client):
    organisation = make_org()
    nominator, secretary = make_user(roles.NOMINATOR, organisation), make_user(roles.SECRETARIAT)
    reviewer = make_user(roles.COUNCIL)
    older = make_round(name="Đợt năm trước")
    newer = make_round(name="Đợt năm nay")
    add_assigned(older, reviewer, organisation, nominator, secretary, 40, "Hồ sơ cũ", submitted=40)
    add_assigned(newer, reviewer, organisation, nominator, secretary, 30, "Hồ sơ mới", submitted=5)
    login(client, reviewer)
    first = client.get("/reviews/").get_data(as_text=True)
    second = client.get("/reviews/?page=2").get_data(as_text=True)
    names_first = re.findall(r">(Hồ sơ (?:cũ|mới) \d+)</a>", first)
    names_second = re.findall(r">(Hồ sơ (?:cũ|mới) \d+)</a>", second)
    assert len(names_first) == PER_PAGE and len(names_second) == 70 - PER_PAGE
    assert names_first[:30] == [f"Hồ sơ mới {i}" for i in range(30)]  # this year's round first
    assert set(names_first + names_second) == {f"Hồ sơ cũ {i}" for i in range(40)} | {
        f"Hồ sơ mới {i}" for i in range(30)}
    for page in (first, second):
        assert "Đã nộp 45/70 phiếu chấm điểm" in page
    assert "Trang 1/2" in first and "?page=2" in first


def test_another_members_sheets_do_not_count(app, client):
    organisation = make_org()
    nominator, secretary = make_user(roles.NOMINATOR, organisation), make_user(roles.SECRETARIAT)
    me, other = make_user(roles.COUNCIL), make_user(roles.COUNCIL)
    ids = add_assigned(make_round(), me, organisation, nominator, secretary, 3, "Hồ sơ", submitted=1)
    db.session.add(ReviewAssignment(dossier_id=ids[1], reviewer_id=other.id, assigned_by_id=secretary.id))
    db.session.add(ScoreSheet(dossier_id=ids[1], reviewer_id=other.id, status="submitted"))
    db.session.commit()
    login(client, me)
    page = client.get("/reviews/").get_data(as_text=True)
    assert "Đã nộp 1/3 phiếu chấm điểm" in page and "Trang 1/" not in page
