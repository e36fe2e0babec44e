"""A dossier's submissions: read-only copies, what changed between two, the printed dossier (PDF) with its receipt
number; who may open them (route x role)."""
import io
import re
from datetime import timedelta

import pytest
from pypdf import PdfReader

from honours.core import clock, roles
from honours.core.db import db
from honours.nominations import services, states
from honours.nominations.models import Achievement, Dossier
from honours.nominations.submissions import changes_between, receipt_number
from honours.reviews.models import ReviewAssignment
from tests.conftest import client_with, signed_in_cookies
from tests.factories import PDF, PNG, make_council_member, make_dossier, make_org, make_round, make_user

OTHER_ORGANISATION = "other organisation"
ANONYMOUS = "anonymous"


@pytest.fixture(scope="module")
def world(module_app):
    """A dossier submitted, returned, corrected (new workplace, one achievement added, the CV replaced, a
    certificate added) and resubmitted; a draft of the same organisation; a reviewer assigned to the dossier."""
    round_ = make_round()
    org = make_org("Hội Vật lý Bắc Ninh")
    nominator, secretary = make_user(roles.NOMINATOR, org), make_user(roles.SECRETARIAT)
    dossier = make_dossier(round_, org, nominator, full_name="Trần Thị Bình", workplace="Trường Đại học A")
    services.submit(nominator, dossier)
    services.apply_transition(secretary, dossier, "return", "Bổ sung bằng khen")
    dossier.supplement_deadline = clock.now() + timedelta(days=7)
    dossier.workplace = "Viện Vật lý ứng dụng"
    dossier.achievements.append(Achievement(kind="award", year=2024, title="Giải thưởng Sáng tạo tỉnh", position=1))
    db.session.flush()
    old_cv = dossier.current_attachments[0]
    services.add_attachment(nominator, dossier, io.BytesIO(PDF + b"\n% 2026\n"), "ly-lich-2026.pdf", "cv",
                            replaces_id=old_cv.id)
    services.add_attachment(nominator, dossier, io.BytesIO(PNG), "bang-khen.png", "evidence")
    services.submit(nominator, dossier)
    db.session.commit()
    reviewer = make_user(roles.COUNCIL)
    make_council_member(round_, reviewer)
    db.session.add(ReviewAssignment(dossier_id=dossier.id, reviewer_id=reviewer.id, assigned_by_id=secretary.id))
    db.session.commit()
    draft = make_dossier(round_, org, nominator, full_name="Lê Văn Cường")
    users = {roles.NOMINATOR: nominator, roles.SECRETARIAT: secretary, roles.COUNCIL: reviewer,
             roles.ADMIN: make_user(roles.ADMIN),
             OTHER_ORGANISATION: make_user(roles.NOMINATOR, make_org("Hội Hoá học"))}
    files = {a.original_name: a for a in dossier.attachments}
    return {
        "dossier_id": dossier.id, "draft_id": draft.id, "round": (round_.year, round_.id),
        "receipt": receipt_number(dossier, 2), "sha256": {name: a.sha256 for name, a in files.items()},
        "cookies": {role: signed_in_cookies(module_app, user) for role, user in users.items()},
    }


@pytest.fixture
def app(module_app, db_savepoint):
    return module_app


def client_for(app, world, role):
    return app.test_client() if role == ANONYMOUS else client_with(app, world["cookies"][role])


PAGES = ["/dossiers/{id}/submissions/1", "/dossiers/{id}/submissions/2", "/dossiers/{id}/submissions/2/changes",
         "/dossiers/{id}/print.pdf", "/dossiers/{id}/submissions/1/print.pdf"]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role,expected", [
    (roles.NOMINATOR, 200), (roles.SECRETARIAT, 200),
    (roles.COUNCIL, 404),  # assigned to the dossier, but a reviewer sees no private data and no history
    (roles.ADMIN, 404), (OTHER_ORGANISATION, 404), (ANONYMOUS, 302),
])
def test_who_may_open_a_submission(app, world, page, role, expected):
    response = client_for(app, world, role).get(page.format(id=world["dossier_id"]))
    assert response.status_code == expected
    if expected == 302:
        assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("page", [
    "/dossiers/{id}/submissions/3", "/dossiers/{id}/submissions/0", "/dossiers/{id}/submissions/1/changes",
    "/dossiers/{id}/submissions/2/changes?from=2", "/dossiers/{id}/submissions/2/changes?from=7",
    "/dossiers/{id}/submissions/3/print.pdf", "/dossiers/999999/submissions/1",
])
def test_a_submission_that_does_not_exist_is_404(app, world, page):
    assert client_for(app, world, roles.SECRETARIAT).get(page.format(id=world["dossier_id"])).status_code == 404


def test_a_draft_has_no_submission_for_the_secretariat_to_see(app, world):
    client = client_for(app, world, roles.SECRETARIAT)
    assert client.get(f"/dossiers/{world['draft_id']}/print.pdf").status_code == 404  # drafts stay private


def test_a_snapshot_shows_the_dossier_as_it_was_sent_read_only(app, world):
    html = client_for(app, world, roles.SECRETARIAT).get(
        f"/dossiers/{world['dossier_id']}/submissions/1").get_data(as_text=True)
    assert "Hồ sơ nộp lần 1" in html and "Trường Đại học A" in html
    assert "Viện Vật lý ứng dụng" not in html and "Giải thưởng Sáng tạo tỉnh" not in html
    assert "ly-lich.pdf" in html and world["sha256"]["ly-lich.pdf"] in html and "bang-khen.png" not in html
    assert "<form" not in html.split('id="main"')[1].split("</main>")[0]  # nothing to change on a copy
    later = client_for(app, world, roles.NOMINATOR).get(
        f"/dossiers/{world['dossier_id']}/submissions/2").get_data(as_text=True)
    assert "Viện Vật lý ứng dụng" in later and "Giải thưởng Sáng tạo tỉnh" in later
    assert world["receipt"] in later
    assert f'/dossiers/{world["dossier_id"]}/submissions/2/changes' in later


def test_the_comparison_shows_each_change_and_nothing_else(app, world):
    html = client_for(app, world, roles.SECRETARIAT).get(
        f"/dossiers/{world['dossier_id']}/submissions/2/changes").get_data(as_text=True)
    rows = re.findall(r'<tr><th scope="row">(.*?)</th><td><del>(.*?)</del></td><td><ins>(.*?)</ins></td></tr>', html)
    assert rows == [("Cơ quan công tác", "Trường Đại học A", "Viện Vật lý ứng dụng")]
    assert "Thêm: Giải thưởng, 2024: Giải thưởng Sáng tạo tỉnh" in html
    assert "Bỏ:" in html and re.search(r"Bỏ:.*ly-lich\.pdf", html)
    assert re.search(r"Thêm:.*ly-lich-2026\.pdf", html) and re.search(r"Thêm:.*bang-khen\.png", html)
    assert "Bài báo ISI về vật liệu mới" not in html  # kept in both: not a change


def test_the_dossier_page_links_its_submissions_their_changes_and_the_print(app, world):
    html = client_for(app, world, roles.NOMINATOR).get(f"/dossiers/{world['dossier_id']}").get_data(as_text=True)
    base = f"/dossiers/{world['dossier_id']}"
    for link in (f"{base}/submissions/1", f"{base}/submissions/2", f"{base}/submissions/2/changes",
                 f"{base}/print.pdf"):
        assert f'href="{link}"' in html
    reviewer = client_for(app, world, roles.COUNCIL).get(base).get_data(as_text=True)
    assert "/submissions/" not in reviewer and "print.pdf" not in reviewer


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def test_the_printed_dossier_holds_everything_sent_with_its_receipt_number(app, world):
    response = client_for(app, world, roles.NOMINATOR).get(f"/dossiers/{world['dossier_id']}/print.pdf")
    assert response.headers["Content-Type"] == "application/pdf"
    text = pdf_text(response.data)
    dossier_id, (year, round_id) = world["dossier_id"], world["round"]
    assert f"Số tiếp nhận: HS-{year}-{round_id}-{dossier_id:05d}-L2" in text
    assert "Nộp lần 2 lúc" in text and "HỒ SƠ ĐỀ CỬ" in text and "Hội Vật lý Bắc Ninh" in text
    for fact in ("Trần Thị Bình", "20/05/1975", "Nam", "Kinh", "Viện Vật lý ứng dụng",
                 "Có nhiều đóng góp cho khoa học của tỉnh.", "Bài báo ISI về vật liệu mới",
                 "Giải thưởng Sáng tạo tỉnh", "ly-lich-2026.pdf", "bang-khen.png"):
        assert fact in text, fact
    for name in ("ly-lich-2026.pdf", "bang-khen.png"):
        assert f"SHA-256: {world['sha256'][name]}" in text
    assert "ly-lich.pdf ·" not in text  # replaced: not part of the latest submission
    first = pdf_text(client_for(app, world, roles.SECRETARIAT).get(
        f"/dossiers/{dossier_id}/submissions/1/print.pdf").data)
    assert f"HS-{year}-{round_id}-{dossier_id:05d}-L1" in first and "Trường Đại học A" in first
    assert f"SHA-256: {world['sha256']['ly-lich.pdf']}" in first and "bang-khen.png" not in first


def test_a_draft_prints_as_not_sent_without_a_receipt_number(app, world):
    text = pdf_text(client_for(app, world, roles.NOMINATOR).get(f"/dossiers/{world['draft_id']}/print.pdf").data)
    assert "BẢN NHÁP — CHƯA NỘP" in text and "Lê Văn Cường" in text and "Số tiếp nhận:" not in text


def test_changes_between_two_snapshots():
    base = {"full_name": "A", "workplace": "X", "gender": "male", "is_overseas": False,
            "achievements": [{"kind": "award", "year": 2020, "title": "G", "details": ""},
                             {"kind": "award", "year": 2020, "title": "G", "details": ""}],
            "attachments": [{"id": 1, "name": "a.pdf", "kind": "cv", "size": 1, "sha256": "0"}]}
    assert changes_between(base, dict(base)).empty
    edited = {**base, "gender": "female", "is_overseas": True,
              "achievements": [{"kind": "award", "year": 2021, "title": "G", "details": ""}],
              "attachments": [{"id": 2, "name": "b.pdf", "kind": "cv", "size": 1, "sha256": "1"}]}
    changes = changes_between(base, edited)
    assert [(c.name, c.before, c.after) for c in changes.fields] == [("gender", "Nam", "Nữ"),
                                                                     ("is_overseas", "Không", "Có")]
    assert [a["year"] for a in changes.achievements_added] == [2021]
    assert [a["year"] for a in changes.achievements_removed] == [2020, 2020]  # both copies went
    assert [a["name"] for a in changes.attachments_added] == ["b.pdf"]
    assert [a["name"] for a in changes.attachments_removed] == ["a.pdf"]


def test_a_dossier_submitted_twice_keeps_two_snapshots(app, world):
    dossier = db.session.get(Dossier, world["dossier_id"])
    assert [s.number for s in dossier.submissions] == [1, 2] and dossier.state == states.RESUBMITTED


def test_the_pages_run_the_same_number_of_statements_whatever_the_dossier_holds(app, world):
    from sqlalchemy import event

    from tests.factories import make_submission

    def statements(url):
        seen = []
        listener = lambda *args: seen.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get(url).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    client = client_for(app, world, roles.SECRETARIAT)
    base = f"/dossiers/{world['dossier_id']}"
    small = [statements(f"{base}/submissions/2"), statements(f"{base}/submissions/2/changes"),
             statements(f"{base}/print.pdf")]
    dossier = db.session.get(Dossier, world["dossier_id"])
    many = [{"kind": "award", "year": 2000 + n, "title": f"Giải {n}", "details": ""} for n in range(40)]
    files = [{"id": 900 + n, "name": f"tep-{n}.pdf", "kind": "evidence", "size": 10, "sha256": "0" * 64}
             for n in range(30)]
    make_submission(dossier, 3, achievements=many, attachments=files)
    large = [statements(f"{base}/submissions/3"), statements(f"{base}/submissions/3/changes"),
             statements(f"{base}/print.pdf")]
    assert large == small and max(small) <= 12, (small, large)
