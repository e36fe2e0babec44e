"""The load benchmark's dataset (bench/dataset.py) is valid data for every page the benchmark drives, and each of
those pages runs the same SQL statements at two dataset sizes (ten times apart): no per-row queries."""
import re

from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from bench import dataset
from honours.core.db import db
from honours.nominations import states
from honours.nominations.models import Dossier
from honours.publication import page_cache
from honours.reviews.models import ScoreItem, ScoreSheet
from tests.conftest import login, wipe
from tests.core.test_query_counts import count_queries

SCALES = (0.002, 0.02)  # 20 and 200 dossiers this year


def requests_of(manifest: dict) -> list[tuple[str | None, str, str]]:
    """(account or None for anonymous, method, url): what bench/scenarios.py does."""
    reviewer = next(r for r in manifest["reviewers"] if r["drafts"])
    secretary = manifest["secretaries"][0]
    round_id = manifest["current_round_id"]
    return [
        (None, "GET", "/vinh-danh"),
        (None, "GET", f"/vinh-danh/{manifest['past_year']}"),
        (reviewer["email"], "GET", "/reviews/"),
        (reviewer["email"], "GET", f"/reviews/{reviewer['assigned'][0]}"),
        (reviewer["email"], "POST", f"/reviews/{reviewer['drafts'][0]}"),
        (secretary, "GET", "/eligibility/"),
        (secretary, "GET", "/eligibility/?q=nguyen"),
        (secretary, "GET", "/eligibility/?state=submitted"),
        (secretary, "GET", f"/rounds/{round_id}/results"),
        (secretary, "GET", f"/rounds/{round_id}/results?page=2"),
        # The intellectuals database (bench/scenarios.py People*).
        (secretary, "GET", "/tri-thuc/"),
        (secretary, "GET", "/tri-thuc/?page=3"),
        (secretary, "GET", "/tri-thuc/?degree=TS&honoured=yes"),
        (secretary, "GET", f"/tri-thuc/?q={manifest['people_queries'][0]}"),
        (secretary, "GET", "/tri-thuc/duplicates"),
        # The home pages (bench/scenarios.py Home*): each role's to-do counts.
        (manifest["nominators"][0], "GET", "/"),
        (reviewer["email"], "GET", "/"),
        (secretary, "GET", "/"),
        (manifest["admin"], "GET", "/"),
    ]


def sheet_form(dossier_id: int, email: str) -> dict:
    sheet = db.session.scalar(select(ScoreSheet).join(ScoreSheet.reviewer).where(
        ScoreSheet.dossier_id == dossier_id, ScoreSheet.reviewer.has(email=email)))
    data = {"version": sheet.version, "overall_comment": "Đã xem xét.", "save": "Lưu nháp"}
    for item in db.session.scalars(select(ScoreItem).where(ScoreItem.sheet_id == sheet.id)):
        data[f"points_{item.criterion_id}"] = "5"
        data[f"comment_{item.criterion_id}"] = ""
    db.session.rollback()
    return data


def statements_per_request(app, manifest: dict) -> list[tuple[str, int, int]]:
    """(url, statements of the first request, of the second) for each request of the benchmark."""
    clients = {}
    found = []
    for account, method, url in requests_of(manifest):
        client = clients.get(account)
        if client is None:
            client = clients[account] = app.test_client()
            if account:
                login(client, type("Account", (), {"email": account}), dataset.BENCH_PASSWORD)
        counts = []
        for _ in range(2):
            data = sheet_form(int(url.rsplit("/", 1)[1]), account) if method == "POST" else None
            with count_queries() as statements:
                response = client.open(url, method=method, data=data)
            assert response.status_code == (302 if method == "POST" else 200), (url, response.status_code)
            counts.append(len(statements))
        found.append((f"{method} {url.split('?')[0].rstrip('0123456789')}{'?' if '?' in url else ''}", *counts))
    return found


def test_the_dataset_is_what_the_benchmark_needs(app):
    manifest = dataset.build(0.002, password_hash=generate_password_hash(dataset.BENCH_PASSWORD,
                                                                        method="pbkdf2:sha256:1000"))
    sizes = dataset.Sizes.for_scale(0.002)
    assert manifest["rows"]["dossier"] == sizes.dossiers + sizes.past_dossiers
    assert manifest["rows"]["score_sheet"] == manifest["rows"]["review_assignment"]
    assert manifest["rows"]["score_item"] == manifest["rows"]["score_sheet"] * len(dataset.CRITERIA)
    published = db.session.scalar(select(func.count(Dossier.id)).where(Dossier.state == states.PUBLISHED))
    assert published == manifest["honourees"] > 0
    # Every draft sheet the save scenario uses belongs to its reviewer, on a dossier still under review.
    for reviewer in manifest["reviewers"]:
        for dossier_id in reviewer["drafts"]:
            sheet = db.session.scalar(select(ScoreSheet).join(ScoreSheet.reviewer).where(
                ScoreSheet.dossier_id == dossier_id, ScoreSheet.reviewer.has(email=reviewer["email"])))
            assert sheet.status == "draft" and sheet.dossier.state == states.UNDER_REVIEW
    # The people pages' dataset: persons, a duplicate per hundred, the honourees linked to theirs.
    from honours.directory import merging
    from honours.people.models import Person

    assert manifest["rows"]["person"] == sizes.persons + sizes.persons // dataset.DUPLICATE_EVERY
    linked = db.session.scalar(select(func.count(Dossier.id)).where(Dossier.person_id.is_not(None)))
    assert linked == manifest["honourees"]
    with app.test_request_context():
        assert merging.duplicate_groups(1).items
    assert db.session.scalar(select(func.count(Person.id)).where(Person.citizen_id.is_not(None))) > 0
    public = app.test_client().get("/vinh-danh").get_data(as_text=True)
    assert len(re.findall(r'href="/vinh-danh/2025/\d+-', public)) == manifest["honourees"]


def test_benchmark_pages_run_the_same_statements_at_two_sizes(app):
    app.extensions[page_cache.EXTENSION].seconds = 0  # measure the rendering, not the copy
    cheap = generate_password_hash(dataset.BENCH_PASSWORD, method="pbkdf2:sha256:1000")
    measured = []
    for scale in SCALES:
        measured.append(statements_per_request(app, dataset.build(scale, password_hash=cheap)))
        db.session.close()
        wipe(app)
    small, large = measured
    assert small == large, "\n".join(f"{a} vs {b}" for a, b in zip(small, large) if a != b)
