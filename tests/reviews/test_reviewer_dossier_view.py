"""A council member's view of an assigned dossier shows what the score sheet shows, none of the nominee's private
data (security round two, finding 15)."""
from datetime import date

import pytest

from honours.core import roles
from honours.core.db import db
from honours.nominations import states
from honours.reviews.models import ReviewAssignment
from tests.conftest import login
from tests.factories import make_council, make_dossier, make_org, make_round, make_user

PRIVATE = {
    "full birth date": "20/05/1975",
    "email": "rieng.tu@example.vn",
    "phone": "0912 345 678",
    "hometown": "Thôn Đông, xã Tam Sơn",
    "ethnicity": "Tày",
}
SHOWN = {"birth year": "1975", "workplace": "Viện Vật liệu Kinh Bắc", "position": "Trưởng phòng thí nghiệm",
         "merits": "Chủ trì ba đề tài cấp tỉnh", "organisation": "Hội Vật lý Bắc Ninh"}


@pytest.fixture
def pages(app, client):
    round_ = make_round()
    org = make_org("Hội Vật lý Bắc Ninh")
    dossier = make_dossier(round_, org, make_user(roles.NOMINATOR, org), state=states.UNDER_REVIEW,
                           date_of_birth=date(1975, 5, 20), email=PRIVATE["email"], phone=PRIVATE["phone"],
                           hometown=PRIVATE["hometown"], ethnicity=PRIVATE["ethnicity"],
                           workplace=SHOWN["workplace"], position=SHOWN["position"],
                           merits_summary=SHOWN["merits"] + " về vật liệu mới.")
    (member,) = make_council(round_, 1)
    db.session.add(ReviewAssignment(dossier_id=dossier.id, reviewer_id=member.id,
                                    assigned_by_id=make_user(roles.SECRETARIAT).id))
    db.session.commit()
    login(client, member)
    dossier_page = client.get(f"/dossiers/{dossier.id}")
    sheet_page = client.get(f"/reviews/{dossier.id}")
    assert dossier_page.status_code == sheet_page.status_code == 200
    return dossier_page.get_data(as_text=True), sheet_page.get_data(as_text=True)


@pytest.mark.parametrize("what", sorted(PRIVATE))
def test_the_dossier_page_hides_from_a_reviewer_what_the_score_sheet_does_not_show(pages, what):
    dossier_page, sheet_page = pages
    assert PRIVATE[what] not in sheet_page
    assert PRIVATE[what] not in dossier_page


@pytest.mark.parametrize("what", sorted(SHOWN))
def test_the_dossier_page_shows_a_reviewer_what_the_score_sheet_shows(pages, what):
    dossier_page, sheet_page = pages
    assert SHOWN[what] in sheet_page and SHOWN[what] in dossier_page


def test_a_reviewer_sees_no_processing_history_on_the_dossier_page(pages):
    dossier_page, _sheet_page = pages
    assert "Lịch sử xử lý" not in dossier_page and "Các lần nộp" not in dossier_page
