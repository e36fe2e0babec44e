"""A council member's "Hồ sơ của tôi" grows with every round they sit on: the current round first with its own
progress, finished rounds folded away, no "overdue" mark on a completed sheet."""
import re
from datetime import date, timedelta

from sqlalchemy import select

from honours.core import clock, roles
from honours.core.db import db
from honours.core.text import fold
from honours.nominations import states
from honours.nominations.models import Dossier
from honours.reviews.models import ReviewAssignment, ScoreSheet
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


def test_the_current_round_comes_first_with_its_own_progress_and_finished_rounds_fold(app, client):
    organisation = make_org()
    nominator, secretary = make_user(roles.NOMINATOR, organisation), make_user(roles.SECRETARIAT)
    reviewer = make_user(roles.COUNCIL)
    older = make_round(name="Đợt năm trước", opens_in_days=-400, closes_in_days=-340)
    older.published_at = clock.now() - timedelta(days=200)
    newer = make_round(name="Đợt năm nay")
    add_assigned(older, reviewer, organisation, nominator, secretary, 40, "Hồ sơ cũ", submitted=39)
    add_assigned(newer, reviewer, organisation, nominator, secretary, 30, "Hồ sơ mới", submitted=5)
    login(client, reviewer)
    page = client.get("/reviews/").get_data(as_text=True)
    current, finished = page.split("Các đợt đã kết thúc")
    assert "Đợt năm nay <small>(đợt hiện tại)</small>" in current and "Đợt năm trước" not in current
    assert "Đã nộp 5/30 phiếu chấm điểm" in current  # its own progress, not 44/70
    assert re.findall(r">(Hồ sơ (?:cũ|mới) \d+)</a>", current) == [f"Hồ sơ mới {i}" for i in range(30)]
    assert '<details class="past-round">' in finished and "Đợt năm trước · đã nộp 39/40 phiếu" in finished
    assert len(re.findall(r">Hồ sơ cũ \d+</a>", finished)) == 40
    # Past its deadline, the unfinished sheet of a finished round is marked; the submitted ones are not.
    assert finished.count("Đã hết hạn") == 1 and "Đã hết hạn" not in current


def test_a_completed_sheet_is_never_shown_as_overdue(app, client):
    organisation = make_org()
    nominator, secretary = make_user(roles.NOMINATOR, organisation), make_user(roles.SECRETARIAT)
    reviewer = make_user(roles.COUNCIL)
    round_ = make_round()
    add_assigned(round_, reviewer, organisation, nominator, secretary, 3, "Hồ sơ", submitted=3)
    login(client, reviewer)
    with clock.frozen(round_.review_close_at + timedelta(days=1)):
        page = client.get("/reviews/").get_data(as_text=True)
    assert "Đã nộp 3/3 phiếu chấm điểm" in page and "Đã hết hạn" not in page


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
    assert "Đã nộp 1/3 phiếu chấm điểm" in page
