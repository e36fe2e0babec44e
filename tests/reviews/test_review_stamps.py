"""The round's review stamp (honours/reviews/stamps.py): the results page and the secretariat's home page keep what
they computed while it stands, and compute again as soon as any change that could move the ranking or the to-do
counts gives the round a new one."""
from decimal import Decimal

from sqlalchemy import func, select

from honours.auth.models import User
from honours.core import clock, roles
from honours.core.db import db
from honours.home import todo
from honours.nominations import states
from honours.nominations.models import Dossier
from honours.reviews import services
from honours.reviews.models import ReviewAssignment, ScoreItem, ScoreSheet
from honours.reviews.results_page import _rank, ranking
from honours.reviews.totals import refresh_round_totals
from honours.rounds.models import Round
from tests.conftest import login
from tests.core.test_query_counts import count_queries
from tests.factories import make_user
from tests.reviews.test_results_page import results, row
from tests.reviews.test_reviews_http import build_review_data

RANKING = "GROUP BY score_sheet.dossier_id"  # the aggregate over every sheet of the round


def stamp(round_id: int) -> str:
    return db.session.scalar(select(Round.review_stamp).where(Round.id == round_id))


def viewed(client, round_):
    """The page's HTML and whether the view ranked the round (ran the aggregate)."""
    with count_queries() as statements:
        html = results(client, round_)
    return html, any(RANKING in s for s in statements)


def test_the_ranking_is_reused_until_a_change_moves_the_round_stamp(app, client):
    round_, secretary = build_review_data(20)
    login(client, secretary)
    first, ranked = viewed(client, round_)
    assert ranked
    again, ranked = viewed(client, round_)
    assert not ranked and again == first

    dossier = db.session.scalar(select(Dossier).where(Dossier.round_id == round_.id, Dossier.state == "scored")
                                .order_by(Dossier.id))
    sheet = db.session.scalar(select(ScoreSheet).where(ScoreSheet.dossier_id == dossier.id,
                                                       ScoreSheet.status == "submitted").order_by(ScoreSheet.id))
    before = stamp(round_.id)
    services.reopen_sheet(secretary, sheet, "Chấm lại")
    db.session.commit()
    assert stamp(round_.id) != before
    html, ranked = viewed(client, round_)
    assert ranked and int(row(html, dossier.id)[3]) == int(row(first, dossier.id)[3]) - 1

    # A dossier leaving the ranked states leaves the page at once.
    db.session.get(Dossier, dossier.id).state = states.ELIGIBLE
    db.session.commit()
    html, ranked = viewed(client, round_)
    assert ranked and f'id="result-{dossier.id}"' not in html


def test_the_round_settings_the_ranking_reads_are_compared_with_the_stamp(app, client):
    round_, secretary = build_review_data(20)
    login(client, secretary)
    first, _ranked = viewed(client, round_)
    assert first.count(" hồ sơ) —") == 3 and "chưa có hồ sơ nào trong chỉ tiêu" not in first
    round_ = db.session.get(Round, round_.id)
    before = stamp(round_.id)
    round_.min_average_score = Decimal(100)  # nobody reaches it: no quota line at all
    db.session.commit()
    assert stamp(round_.id) == before  # the round's own edits do not move the stamp ...
    html, ranked = viewed(client, round_)
    assert ranked and html.count(" hồ sơ) —") == 0  # ... and are seen anyway
    assert html.count("chưa có hồ sơ nào trong chỉ tiêu") == 3
    round_ = db.session.get(Round, round_.id)
    round_.min_average_score = None
    round_.fields[0].quota = 0
    db.session.commit()
    html, ranked = viewed(client, round_)
    assert ranked and html.count(" hồ sơ) —") == 2


def test_a_draft_saved_leaves_the_stamp_alone_and_a_rolled_back_change_takes_its_stamp_back(app):
    round_, secretary = build_review_data(10)
    draft = db.session.scalar(select(ScoreSheet).where(ScoreSheet.status == "draft").order_by(ScoreSheet.id))
    reviewer = db.session.get(User, draft.reviewer_id)
    points = {c.id: Decimal(4) for c in round_.criteria}
    before = stamp(round_.id)
    services.save_sheet(reviewer, draft, services.SheetInput(points, {}), draft.version)
    db.session.commit()
    assert stamp(round_.id) == before  # reviewers saving drafts never queue on the round's row

    # A change rolled back (a failed request, a test's savepoint) takes the data and the stamp back together.
    first = summary(ranking(db.session.get(Round, round_.id)))
    nested = db.session.begin_nested()
    sheet = db.session.get(ScoreSheet, draft.id)
    sheet.status, sheet.submitted_at = "submitted", clock.now()
    db.session.flush()
    changed = db.session.get(Round, round_.id)
    changed_stamp = changed.review_stamp
    assert changed_stamp != before and summary(ranking(changed)) != first
    nested.rollback()
    assert stamp(round_.id) == before and summary(ranking(db.session.get(Round, round_.id))) == first
    # Another change from there gets a stamp of its own, never the rolled-back one (a counter would give the
    # same number to both states).
    other = db.session.scalar(select(ScoreSheet).where(ScoreSheet.status == "submitted").order_by(ScoreSheet.id))
    services.reopen_sheet(secretary, other, "Chấm lại")
    db.session.commit()
    current = db.session.get(Round, round_.id)
    assert current.review_stamp not in (before, changed_stamp)
    assert summary(ranking(current)) == summary(_rank(current)) != first


def summary(fields) -> list:
    return [(row.dossier_id, row.final, row.rank) for field in fields for row in field.rows]


def test_writes_that_bypass_the_orm_are_stamped_by_the_totals_they_recompute(app):
    round_, _secretary = build_review_data(10)
    before = stamp(round_.id)
    sheet = db.session.scalar(select(ScoreSheet).where(ScoreSheet.status == "submitted").order_by(ScoreSheet.id))
    db.session.execute(ScoreItem.__table__.update().where(ScoreItem.sheet_id == sheet.id).values(points=0))
    refresh_round_totals(db.session.connection(), [round_.id])
    assert stamp(round_.id) != before


def _review_counts(round_id: int) -> tuple[int, int]:
    items = {item.key: item.count for item in todo._review_items()}
    return items[f"lacking_reviewers_{round_id}"], items[f"sheets_outstanding_{round_id}"]


def test_the_secretariat_home_counts_follow_assignments_and_submissions(app):
    round_, secretary = build_review_data(30)
    lacking, outstanding = _review_counts(round_.id)
    with count_queries() as statements:
        assert _review_counts(round_.id) == (lacking, outstanding)
    assert len(statements) == 1  # the rounds and their stamps: the counts were kept

    # Every third dossier in review has two reviewers of the three the round asks for.
    dossier_id = next(d for d, count in db.session.execute(
        select(ReviewAssignment.dossier_id, func.count()).join(Dossier, Dossier.id == ReviewAssignment.dossier_id)
        .where(Dossier.round_id == round_.id).group_by(ReviewAssignment.dossier_id)
        .order_by(ReviewAssignment.dossier_id)) if count == 2)
    newcomer = make_user(roles.COUNCIL)
    db.session.add(ReviewAssignment(dossier_id=dossier_id, reviewer_id=newcomer.id, assigned_by_id=secretary.id))
    db.session.commit()
    assert _review_counts(round_.id) == (lacking - 1, outstanding + 1)

    draft = db.session.scalar(select(ScoreSheet).where(ScoreSheet.status == "draft").order_by(ScoreSheet.id))
    reviewer = db.session.get(User, draft.reviewer_id)
    points = {c.id: Decimal(5) for c in round_.criteria}
    services.save_sheet(reviewer, draft, services.SheetInput(points, {}), draft.version, submit=True)
    db.session.commit()
    assert _review_counts(round_.id) == (lacking - 1, outstanding)
