"""In a real browser, on the demo data seeded as `make run` seeds it: each role's home page shows the counts the
database holds (computed here row by row, not by the home page's queries), and its links open the lists.

The demo is seeded once for the module (about ten seconds) on a server of its own; time is frozen at
conftest.NOW, so the demo's dates are relative to it as they are to the real clock in `make run`.
"""
from collections import Counter

import pytest
from sqlalchemy import select

from demo.data import ADMIN_EMAIL, DEMO_PASSWORD
from honours.auth.invitations import is_pending
from honours.auth.models import User
from honours.core import clock, roles
from honours.core.db import db
from honours.council.models import Attendance, BallotReceipt, CouncilSession
from honours.incidents.models import Incident
from honours.nominations import services as nominations
from honours.nominations import states
from honours.nominations.models import Dossier
from honours.reviews.models import CouncilMember, ReviewAssignment, ScoreSheet
from honours.rounds.models import COUNCIL_CONFIRMED, COUNCIL_NOT_MET, Round
from honours.talent.models import ACTIVE, PoolEntry, Referral
from tests.browser_support import chromium_page, live_server, log_in, require_chromium, screenshot

pytestmark = pytest.mark.browser

NOMINATOR = "donvi1@demo.example"
CHAIR = "hoidong1@demo.example"
SECRETARY = "thuky@demo.example"


# ---------------------------------------------------------------- the demo's counts, row by row

def _user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def nominator_counts(user: User) -> dict[str, int]:
    now = clock.now()
    dossiers = db.session.scalars(select(Dossier).where(Dossier.organisation_id == user.organisation_id)).all()
    referrals = db.session.scalars(select(Referral).where(Referral.organisation_id == user.organisation_id)).all()
    returned = [d for d in dossiers if d.state == states.RETURNED]
    return {
        "drafts": sum(d.state == states.DRAFT and d.round.accepts_nominations(now) for d in dossiers),
        "returned": len(returned),
        "returned_overdue": sum(bool(d.supplement_deadline and d.supplement_deadline < now) for d in returned),
        "referral_drafts": sum(r.state == "draft" for r in referrals),
        "referrals_waiting": sum(r.state == "submitted" for r in referrals),
    }


def council_counts(user: User) -> dict[str, int]:
    memberships = db.session.scalars(select(CouncilMember).where(CouncilMember.user_id == user.id)).all()
    current = {m.round_id for m in memberships if m.round.council_stage != COUNCIL_CONFIRMED}
    sheets = {(s.dossier_id): s.status for s in db.session.scalars(
        select(ScoreSheet).where(ScoreSheet.reviewer_id == user.id))}
    statuses = Counter(sheets.get(a.dossier_id) for a in db.session.scalars(
        select(ReviewAssignment).where(ReviewAssignment.reviewer_id == user.id)) if a.dossier.round_id in current)
    sessions = db.session.scalars(select(CouncilSession)).all()
    member_rounds = {m.round_id for m in memberships}
    present = {a.session_id for a in db.session.scalars(select(Attendance).where(Attendance.user_id == user.id))}
    voted = {r.session_id for r in db.session.scalars(select(BallotReceipt).where(BallotReceipt.user_id == user.id))}
    counts = {
        "sheets_to_do": statuses[None], "sheets_draft": statuses["draft"], "sheets_submitted": statuses["submitted"],
        "ballots": sum(s.status == "open" and s.round_id in member_rounds and s.id in present and s.id not in voted
                       for s in sessions),
    }
    if user.is_chair:
        counts["to_confirm"] = sum(s.status == "closed" and s.round_id in member_rounds for s in sessions)
    return counts


def secretariat_counts() -> dict[str, int]:
    now = clock.now()
    dossiers = db.session.scalars(select(Dossier)).all()
    counts = {}
    for round_id in {d.round_id for d in dossiers}:
        mine = [d for d in dossiers if d.round_id == round_id]
        check = {
            f"awaiting_check_{round_id}": sum(d.state == states.SUBMITTED for d in mine),
            f"awaiting_recheck_{round_id}": sum(d.state == states.RESUBMITTED for d in mine),
            f"returns_overdue_{round_id}": sum(d.state == states.RETURNED and d.supplement_deadline is not None
                                               and d.supplement_deadline < now for d in mine),
        }
        if any(check.values()):
            counts.update(check)
    if not counts:
        counts = {"awaiting_check": 0, "awaiting_recheck": 0, "returns_overdue": 0}
    counts |= {
        "referrals_to_screen": sum(r.state == "submitted" for r in db.session.scalars(select(Referral))),
        "pool_overdue": sum(e.status == ACTIVE and e.next_review_on < now.date()
                            for e in db.session.scalars(select(PoolEntry))),
    }
    assignments = db.session.scalars(select(ReviewAssignment)).all()
    reviewers = Counter(a.dossier_id for a in assignments)
    submitted = {(s.dossier_id, s.reviewer_id) for s in db.session.scalars(select(ScoreSheet))
                 if s.status == "submitted"}
    for round_ in db.session.scalars(select(Round)):
        if round_.council_stage == COUNCIL_NOT_MET:
            lacking = sum(d.round_id == round_.id and d.state in states.IN_REVIEW
                          and reviewers[d.id] < round_.reviewers_per_dossier for d in dossiers)
            outstanding = sum(a.dossier.round_id == round_.id and (a.dossier_id, a.reviewer_id) not in submitted
                              for a in assignments)
            if lacking or outstanding:
                counts[f"lacking_reviewers_{round_.id}"] = lacking
                counts[f"sheets_outstanding_{round_.id}"] = outstanding
        if round_.council_stage == COUNCIL_CONFIRMED and round_.published_at is None:
            counts[f"awaiting_publication_{round_.id}"] = sum(
                d.round_id == round_.id and d.state == states.APPROVED for d in dossiers)
    if not any(key.startswith("awaiting_publication") for key in counts):
        counts["awaiting_publication"] = 0
    return counts | notice_and_complaint_counts(now) | incident_counts()


def notice_and_complaint_counts(now) -> dict[str, int]:
    """Opinions on a noticed list not concluded, complaints waiting and overdue (shown only when there are any)."""
    from honours.complaints.models import Complaint
    from honours.notice.models import Opinion
    from honours.notice.workflows import OPEN

    opinions = sum(o.state in OPEN for o in db.session.scalars(select(Opinion)))
    waiting = [c for c in db.session.scalars(select(Complaint)) if c.state in ("lodged", "accepted")]
    if not (opinions or waiting):
        return {}
    return {"opinions_open": opinions, "complaints_waiting": len(waiting),
            "complaints_overdue": sum(c.overdue(now) for c in waiting)}


def incident_counts() -> dict[str, int]:
    """Incidents the authority was not told of yet (the section is shown only when there are any)."""
    waiting = sum(i.authority_notified_at is None and i.closed_at is None for i in db.session.scalars(select(Incident)))
    return {"incidents_open": waiting} if waiting else {}


def admin_counts() -> dict[str, int]:
    users = db.session.scalars(select(User)).all()
    return {"locked": sum(not u.active for u in users), "never_activated": sum(is_pending(u) for u in users),
            **incident_counts()}


def expected_counts(app, role: str) -> tuple[str, dict[str, int]]:
    with app.app_context():
        if role == roles.NOMINATOR:
            return NOMINATOR, nominator_counts(_user(NOMINATOR))
        if role == roles.COUNCIL:
            return CHAIR, council_counts(_user(CHAIR))
        if role == roles.SECRETARIAT:
            return SECRETARY, secretariat_counts()
        return ADMIN_EMAIL, admin_counts()


# ---------------------------------------------------------------- the pages

def shown_counts(page) -> dict[str, int]:
    return page.eval_on_selector_all(
        "li[data-todo]", "items => Object.fromEntries(items.map(li => "
        "[li.dataset.todo, Number(li.querySelector('.todo-count').textContent.trim())]))")


@pytest.mark.parametrize("role", [roles.NOMINATOR, roles.COUNCIL, roles.SECRETARIAT, roles.ADMIN])
def test_home_page_shows_the_demo_counts(demo_app, role):
    require_chromium()
    from playwright.sync_api import expect, sync_playwright

    email, expected = expected_counts(demo_app, role)
    assert any(expected.values()), f"the demo gives the {role} nothing to do"
    problems: list[str] = []
    with live_server(demo_app) as base_url, sync_playwright() as playwright, \
            chromium_page(playwright, problems, []) as page:
        log_in(page, base_url, email, DEMO_PASSWORD)
        page.goto(f"{base_url}/")
        screenshot(page, f"home-{role}.png")
        assert shown_counts(page) == expected
        if role == roles.NOMINATOR:
            with demo_app.app_context():
                user = _user(NOMINATOR)
                limit = user.organisation.nomination_limit
                for round_ in nominations.open_rounds():
                    used = nominations.count_counted_towards_limit(user.organisation_id, round_.id)
                    quota = page.locator(f"#open-round-{round_.id} .quota")
                    expect(quota).to_have_text(f"{used}/{limit}" if limit is not None else str(used))
                    expect(page.locator(f"#open-round-{round_.id} .countdown")).to_contain_text("còn")

        # Every count is a link: the first non-zero one opens its list.
        key = next(k for k, count in expected.items() if count)
        link = page.locator(f"#todo-{key} a")
        href = link.get_attribute("href")
        link.click()
        page.wait_for_url(f"{base_url}{href}")
        expect(page.get_by_role("heading", level=1)).to_be_visible()

        # At 390 px the to-do list fits the screen (the site header's menu is base.html's business).
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"{base_url}/")
        wide = page.evaluate("[...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right"
                             " > 390).map(e => e.tagName + '.' + e.className)")
        assert wide == []
    assert not problems, problems
