"""The results page of a large round: ranked in SQL over the totals the sheets keep, shown a page at a time in
ranking order, and never stale (honours/reviews/results_page.py, honours/reviews/totals.py)."""
import re
from decimal import Decimal

from sqlalchemy import select

from honours.auth.models import User
from honours.core.db import db
from honours.nominations.models import Dossier
from honours.organisations.models import Organisation
from honours.reviews import services
from honours.reviews.models import ScoreItem, ScoreSheet
from honours.reviews.results import round_results, weighted_total
from honours.reviews.views import PER_PAGE
from honours.rounds.models import Criterion
from tests.conftest import login
from tests.core.test_query_counts import count_queries
from tests.reviews.test_reviews_http import build_review_data, squash


def results(client, round_, page=None) -> str:
    response = client.get(f"/rounds/{round_.id}/results" + (f"?page={page}" if page else ""))
    assert response.status_code == 200
    return squash(response.get_data(as_text=True))


def row(html: str, dossier_id: int) -> list[str]:
    """The cells of a dossier's ranking row, as text."""
    found = re.search(rf'<tr id="result-{dossier_id}"[^>]*>(.*?)</tr>', html)
    assert found, dossier_id
    return [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<td>(.*?)</td>", found.group(1))]


def test_a_large_round_is_shown_a_page_at_a_time_in_ranking_order(app, client):
    round_, secretary = build_review_data(60)
    expected = [r.dossier.id for ranking in round_results(round_) for r in ranking.results]
    assert len(expected) == 54 > 2 * PER_PAGE  # every tenth dossier is only eligible: not ranked
    login(client, secretary)
    shown, quota_lines, raw_groups = [], 0, 0
    for page in (1, 2, 3):
        html = results(client, round_, page)
        on_page = [int(i) for i in re.findall(r'<tr id="result-(\d+)"', html)]
        assert len(on_page) == (PER_PAGE if page < 3 else 54 - 2 * PER_PAGE)
        shown += on_page
        quota_lines += html.count("— Ngưỡng chỉ tiêu (")
        # The raw scores list the sheets of this page's dossiers only.
        groups = re.findall(r'<th scope="rowgroup"[^>]*>([^<]+)<br>', html)
        assert len(groups) == len(on_page)
        raw_groups += len(groups)
        assert f"Trang {page}/3" in html
    assert shown == expected
    assert quota_lines == 3  # one per field, on the page where the field's quota is reached
    assert raw_groups == 54
    # Past the end: the last page.
    assert re.findall(r'<tr id="result-(\d+)"', results(client, round_, 99)) == \
        re.findall(r'<tr id="result-(\d+)"', results(client, round_, 3))


def test_the_page_follows_every_change_that_moves_the_ranking_or_its_names(app, client):
    round_, secretary = build_review_data(10)
    login(client, secretary)
    dossier = db.session.scalar(select(Dossier).where(Dossier.round_id == round_.id, Dossier.state == "scored")
                                .order_by(Dossier.id))
    with count_queries() as statements:
        before = row(results(client, round_), dossier.id)
    # The ranking is one aggregate over the stored totals: score items are read for the page's dossiers only.
    assert [s for s in statements if "score_item" in s] and all(
        "score_sheet.dossier_id IN" in s for s in statements if "score_item" in s)

    # A sheet reopened: one sheet fewer for the dossier.
    sheet = db.session.scalar(select(ScoreSheet).where(ScoreSheet.dossier_id == dossier.id,
                                                       ScoreSheet.status == "submitted").order_by(ScoreSheet.id))
    reviewer = db.session.get(User, sheet.reviewer_id)
    services.reopen_sheet(secretary, sheet, "Chấm lại")
    reopened = row(results(client, round_), dossier.id)
    assert int(reopened[3]) == int(before[3]) - 1

    # Names are read for the page, never cached.
    db.session.get(Organisation, dossier.organisation_id).name = "Hội Khoa học Đổi Tên"
    dossier.full_name = "Nguyễn Văn Đổi Tên"
    db.session.commit()
    html = results(client, round_)
    assert row(html, dossier.id)[2] == "Hội Khoa học Đổi Tên" and "Nguyễn Văn Đổi Tên" in row(html, dossier.id)[1]
    other = db.session.scalar(select(ScoreSheet).where(ScoreSheet.dossier_id == dossier.id,
                                                       ScoreSheet.status == "submitted"))
    db.session.get(User, other.reviewer_id).full_name = "Người Chấm Đổi Tên"
    db.session.commit()
    assert "<td>Người Chấm Đổi Tên</td>" in results(client, round_)

    # The round's rules: a criterion's weight changes every total.
    criteria = db.session.scalars(select(Criterion).where(Criterion.round_id == round_.id)
                                  .order_by(Criterion.position)).all()
    criteria[0].weight, criteria[1].weight = Decimal(80), Decimal(0)
    db.session.commit()
    reweighted = row(results(client, round_), dossier.id)
    expected = next(r for ranking in round_results(round_) for r in ranking.results if r.dossier.id == dossier.id)
    assert reweighted[4] == f"{expected.mean:.2f}".replace(".", ",") != reopened[4]

    # The sheet submitted again (new points): the totals follow.
    sheet = db.session.get(ScoreSheet, sheet.id)
    points = {c.id: Decimal(10) for c in criteria}
    services.save_sheet(reviewer, sheet, services.SheetInput(points, {}), sheet.version, submit=True)
    again = row(results(client, round_), dossier.id)
    expected = next(r for ranking in round_results(round_) for r in ranking.results if r.dossier.id == dossier.id)
    assert int(again[3]) == int(before[3]) and again[4] == f"{expected.mean:.2f}".replace(".", ",")


def test_a_submitted_sheet_keeps_its_weighted_total_whoever_writes_it(app):
    round_, secretary = build_review_data(10)
    criteria = round_.criteria
    draft = db.session.scalar(select(ScoreSheet).where(ScoreSheet.status == "draft").order_by(ScoreSheet.id))
    assert draft.weighted_total is None
    reviewer = db.session.get(User, draft.reviewer_id)
    points = {c.id: Decimal(5) for c in criteria}
    services.save_sheet(reviewer, draft, services.SheetInput(points, {}), draft.version)
    assert db.session.get(ScoreSheet, draft.id).weighted_total is None  # a draft is not ranked
    services.save_sheet(reviewer, draft, services.SheetInput(points, {}), draft.version, submit=True)
    sheet = db.session.get(ScoreSheet, draft.id)
    assert sheet.weighted_total == weighted_total(points, criteria) == Decimal("50.00")
    services.reopen_sheet(secretary, sheet, "Chấm lại")
    assert db.session.get(ScoreSheet, draft.id).weighted_total is None

    # Reweighting the round's criteria recomputes every submitted total, without moving the sheets' versions.
    versions = dict(db.session.execute(select(ScoreSheet.id, ScoreSheet.version)).all())
    criteria[0].weight, criteria[1].weight = criteria[0].weight + criteria[1].weight - 1, Decimal(1)
    db.session.commit()
    for stored in db.session.scalars(select(ScoreSheet).where(ScoreSheet.status == "submitted")):
        items = {i.criterion_id: i.points for i in stored.items}
        assert stored.weighted_total == weighted_total(items, criteria) and stored.version == versions[stored.id]

    # A sheet written straight through the ORM (an import, a fixture) gets its total too.
    draft = db.session.scalar(select(ScoreSheet).where(ScoreSheet.status == "draft").order_by(ScoreSheet.id))
    dossier_id, reviewer_id = draft.dossier_id, draft.reviewer_id
    db.session.delete(draft)
    db.session.commit()
    written = ScoreSheet(dossier_id=dossier_id, reviewer_id=reviewer_id, status="submitted",
                         items=[ScoreItem(criterion_id=c.id, points=c.max_points) for c in criteria])
    db.session.add(written)
    db.session.commit()
    assert db.session.get(ScoreSheet, written.id).weighted_total == Decimal("100.00")
