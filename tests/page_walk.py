"""The pages of the route x role matrix (tests/access/) on the demo data: every GET route a role may open that
answers with an HTML page, filled with real ids of the demo, one object per state the demo provides.

Shared by the axe-core browser walk (tests/browser/test_accessibility_browser.py), `make lint-html`
(scripts/lint_html.py) and `make screenshots` (scripts/screenshots.py). A new GET route is walked as soon as it
has its access rule; a new URL parameter fails `walk()` until SAMPLES says where its values come from.
"""
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import urlencode

from sqlalchemy import select

from demo.data import ADMIN_EMAIL, DEMO_PASSWORD
from honours.core import roles
from honours.core.db import db

ANONYMOUS = "anonymous"
# Who the walk signs in as: the demo's first nominator, the council's chair, the first secretary, the admin.
DEMO_USERS = {
    ANONYMOUS: None,
    roles.NOMINATOR: "donvi1@demo.example",
    roles.COUNCIL: "hoidong1@demo.example",
    roles.SECRETARIAT: "thuky@demo.example",
    roles.ADMIN: ADMIN_EMAIL,
}
# Routes that are no page of their own: the static files, photos and documents, robots.txt and the sitemap, the
# language switch (a redirect), and one-off links whose token only an e-mail carries (their forms are the same as the
# pages walked).
NOT_WALKED = {"static", "auth.set_language", "health.check", "publication.photo", "publication.publication_photo",
              "publication.publication_photo_preview", "publication.round_document", "publication.robots",
              "publication.sitemap", "consent.download_scan", "notice.receipt", "notice.download"}
NOT_WALKED_PARAMETERS = {"invitation_token", "reset_token", "report_token", "subject_token", "consent_token", "token"}
DOWNLOAD_SUFFIXES = (".csv", ".xlsx", ".pdf", ".docx", ".json")
TRIES_PER_STATE = 4  # objects of one state tried until one is the signed-in user's to see


@dataclass(frozen=True)
class Page:
    role: str
    endpoint: str
    url: str
    state: str  # which demo object the URL names ("" for pages without one)

    @property
    def name(self) -> str:
        slug = re.sub(r"[^a-z0-9]+", "-", self.url.lower()).strip("-") or "home"
        return f"{self.role}-{slug}"


def _by_state(rows, state: Callable) -> list[tuple[str, list]]:
    groups: dict[str, list] = {}
    for row in rows:
        groups.setdefault(str(state(row)), []).append(row)
    return sorted(groups.items())


def _model_samples(model, key: str, state: Callable = lambda row: "") -> Callable:
    def samples(role: str) -> list[tuple[str, list[dict]]]:
        rows = db.session.scalars(select(model).order_by(model.id)).all()
        rows = _own_first(rows, role)
        return [(name, [{key: row.id} for row in group]) for name, group in _by_state(rows, state)]
    return samples


def _own_first(rows, role: str) -> list:
    """A nominator sees only their organisation's objects: try those first."""
    if role != roles.NOMINATOR or not rows or not hasattr(rows[0], "organisation_id"):
        return list(rows)
    from honours.auth.models import User

    org_id = db.session.scalar(select(User.organisation_id).where(User.email == DEMO_USERS[role]))
    return sorted(rows, key=lambda row: row.organisation_id != org_id)


def _round_state(round_) -> str:
    return f"{round_.council_stage}/{'published' if round_.published_at else 'unpublished'}"


def _submissions(role: str):
    from honours.nominations.models import Dossier, DossierSubmission

    rows = _own_first(db.session.scalars(select(Dossier).join(DossierSubmission).distinct()
                                         .order_by(Dossier.id)).all(), role)
    return [(state, [{"dossier_id": d.id, "number": d.submissions[-1].number} for d in group])
            for state, group in _by_state(rows, lambda d: d.state)]


def _council_members(role: str):
    from honours.reviews.models import CouncilMember

    rows = db.session.scalars(select(CouncilMember).order_by(CouncilMember.id)).all()
    return [("", [{"round_id": m.round_id, "council_member_id": m.id} for m in rows])]


def _review_dossiers(role: str):
    from honours.auth.models import User
    from honours.reviews.models import ReviewAssignment, ScoreSheet

    user_id = db.session.scalar(select(User.id).where(User.email == DEMO_USERS[roles.COUNCIL]))
    assigned = db.session.scalars(select(ReviewAssignment).where(ReviewAssignment.reviewer_id == user_id)
                                  .order_by(ReviewAssignment.id)).all()
    sheets = {s.dossier_id: s.status for s in db.session.scalars(
        select(ScoreSheet).where(ScoreSheet.reviewer_id == user_id))}
    return [(state, [{"review_dossier_id": a.dossier_id} for a in group])
            for state, group in _by_state(assigned, lambda a: f"{a.dossier.state}/{sheets.get(a.dossier_id)}")]


def _years(role: str):
    from honours.publication import services

    return [(str(year), [{"year": year}]) for year in services.published_years()]


def _honourees(role: str):
    from honours.publication import services

    found = []
    for year in services.published_years():
        listing = services.listing_for_year(year)
        found += [{"year": year, "honouree_id": person.id, "slug": person.slug} for person in listing.honourees[:1]]
    return [("published", found)]


def _noticed_rounds(role: str):
    from honours.notice import services

    return [("noticed", [{"notice_round_id": r.id} for r in services.running_rounds()])]


def _noticed_candidates(role: str):
    from honours.notice import services

    return [("noticed", [{"notice_round_id": r.id, "candidate_id": c.dossier_id}
                         for r in services.running_rounds() for c in services.candidates(r)[:1]])]


def _merge_pairs(role: str):
    from honours.people.models import Person

    ids = db.session.scalars(select(Person.id).order_by(Person.id).limit(2)).all()
    return [("", [{"person_id": ids[0], "other_id": ids[1]}])] if len(ids) == 2 else []


def _verification_codes(role: str):
    from honours.certificates.models import Certificate

    return [(state, [{"verification_code": c.code} for c in group])
            for state, group in _by_state(db.session.scalars(select(Certificate).order_by(Certificate.id)).all(),
                                          lambda c: c.state)]


def _open_rounds(role: str):
    from honours.nominations import services

    return [("open", [{"round_id": round_.id} for round_ in services.open_rounds()])]


# Pages that need a query string to be a page at all (without it they redirect).
QUERY_SAMPLES = {"nominations.create": _open_rounds}


def _samples() -> dict[frozenset, Callable]:
    from honours.auth.models import User
    from honours.certificates.models import Certificate
    from honours.complaints.models import Complaint
    from honours.consent.models import ConsentRequest
    from honours.core.jobs import Job
    from honours.council.models import CouncilSession
    from honours.incidents.models import Incident
    from honours.nominations.models import Attachment, Dossier
    from honours.notice.models import Opinion
    from honours.organisations.models import Organisation
    from honours.people.models import Person
    from honours.privacy.models import DataRequest
    from honours.reviews.models import ReviewAssignment, ScoreSheet
    from honours.rounds.models import Round
    from honours.talent.models import PoolEntry, Referral, ReferralAttachment, TalentNeed

    one = {
        "dossier_id": _model_samples(Dossier, "dossier_id", lambda d: d.state),
        "round_id": _model_samples(Round, "round_id", _round_state),
        "session_id": _model_samples(CouncilSession, "session_id", lambda s: s.status),
        "organisation_id": _model_samples(Organisation, "organisation_id"),
        "user_id": _model_samples(User, "user_id", lambda u: u.role),
        "person_id": _model_samples(Person, "person_id"),
        "need_id": _model_samples(TalentNeed, "need_id", lambda n: n.status),
        "referral_id": _model_samples(Referral, "referral_id", lambda r: r.state),
        "pool_entry_id": _model_samples(PoolEntry, "pool_entry_id", lambda e: e.status),
        "sheet_id": _model_samples(ScoreSheet, "sheet_id", lambda s: s.status),
        "assignment_id": _model_samples(ReviewAssignment, "assignment_id"),
        "attachment_id": _model_samples(Attachment, "attachment_id"),
        "referral_attachment_id": _model_samples(ReferralAttachment, "referral_attachment_id"),
        "review_dossier_id": _review_dossiers,
        "year": _years,
        "incident_id": _model_samples(Incident, "incident_id", lambda i: i.status),
        "request_id": _model_samples(DataRequest, "request_id", lambda r: r.state),
        "job_id": _model_samples(Job, "job_id", lambda j: j.state),
        "consent_id": _model_samples(ConsentRequest, "consent_id", lambda c: c.state),
        "opinion_id": _model_samples(Opinion, "opinion_id", lambda o: o.state),
        "complaint_id": _model_samples(Complaint, "complaint_id", lambda c: c.state),
        "certificate_id": _model_samples(Certificate, "certificate_id", lambda c: c.state),
        "verification_code": _verification_codes,
    }
    samples = {frozenset([name]): function for name, function in one.items()}
    samples |= {
        frozenset({"dossier_id", "number"}): _submissions,
        frozenset({"round_id", "council_member_id"}): _council_members,
        frozenset({"year", "honouree_id", "slug"}): _honourees,
        frozenset({"year", "honouree_id"}): lambda role: [],  # redirects to the URL with the slug
        frozenset({"person_id", "other_id"}): _merge_pairs,
        frozenset({"notice_round_id", "candidate_id"}): _noticed_candidates,
        frozenset({"notice_round_id"}): _noticed_rounds,
    }
    return samples


def parameters(rule: str) -> list[str]:
    return re.findall(r"<(?:[^<>:]+:)?([^<>]+)>", rule)


def build_url(rule: str, values: dict) -> str:
    return re.sub(r"<(?:[^<>:]+:)?([^<>]+)>", lambda match: str(values[match.group(1)]), rule)


def candidate_urls(app, role: str) -> Iterator[tuple[str, str, list[tuple[str, list[str]]]]]:
    """(endpoint, rule, [(state, [urls to try]), ...]) for every GET route the role may open. Inside an app
    context on the demo database."""
    from tests.access.test_access_matrix import ACCESS

    samples = _samples()
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in rule.methods or rule.endpoint in NOT_WALKED or rule.rule.endswith(DOWNLOAD_SUFFIXES):
            continue
        if role not in ACCESS[rule.endpoint]:
            continue
        names = parameters(rule.rule)
        if set(names) & NOT_WALKED_PARAMETERS:
            continue
        if rule.endpoint in QUERY_SAMPLES:
            groups = [(state, [f"{rule.rule}?{urlencode(query)}" for query in group[:TRIES_PER_STATE]])
                      for state, group in QUERY_SAMPLES[rule.endpoint](role)]
            yield rule.endpoint, rule.rule, groups
            continue
        if not names:
            yield rule.endpoint, rule.rule, [("", [rule.rule])]
            continue
        provider = samples.get(frozenset(names))
        assert provider is not None, f"tests/page_walk.py: no demo sample for {sorted(names)} of {rule.rule}"
        groups = [(state, [build_url(rule.rule, values) for values in group[:TRIES_PER_STATE]])
                  for state, group in provider(role)]
        yield rule.endpoint, rule.rule, groups


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or \
        re.search(r'value="([^"]+)"[^>]*name="csrf_token"', html)
    return match.group(1) if match else ""


def signed_in_client(app, role: str):
    client = app.test_client()
    if DEMO_USERS[role] is None:
        return client
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"email": DEMO_USERS[role], "password": DEMO_PASSWORD,
                                           "csrf_token": token})
    assert response.status_code == 302 and "/login" not in response.headers["Location"], \
        f"the demo's {role} could not sign in"
    return client


def is_page(response) -> bool:
    return response.status_code == 200 and response.mimetype == "text/html"


def walk(app, role: str, render: Callable | None = None) -> list[Page]:
    """The role's pages: for each route and each state, the first URL the role gets as an HTML page.
    `render(page, html)` receives each page's HTML as the Flask test client got it."""
    client = signed_in_client(app, role)
    pages = []
    with app.app_context():
        routes = list(candidate_urls(app, role))
    for endpoint, _rule, groups in routes:
        for state, urls in groups:
            for url in urls:
                response = client.get(url)
                if is_page(response):
                    page = Page(role, endpoint, url, state)
                    pages.append(page)
                    if render is not None:
                        render(page, response.get_data(as_text=True))
                    break
    return pages


def walk_all(app, render: Callable | None = None) -> dict[str, list[Page]]:
    return {role: walk(app, role, render) for role in DEMO_USERS}


def seeded_demo_app(folder):
    """For the scripts (make lint-html, make screenshots): the app on a new SQLite database in `folder`,
    seeded as `make run` seeds it, CSRF on."""
    from pathlib import Path

    from demo.seed import seed
    from honours import create_app

    folder = Path(folder)
    app = create_app({
        "TESTING": True, "SECRET_KEY": "demo-pages", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'demo.sqlite'}",
        "UPLOAD_FOLDER": str(folder / "uploads"), "REDIS_URL": None, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": 1,
        "TOTP_ENCRYPTION_KEY": "demo-pages-totp-key",
    })
    with app.app_context():
        db.create_all()
        seed()
        db.session.remove()
    return app
