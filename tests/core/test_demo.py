"""`flask seed-demo`: the demo data of every stage, seeded once for the module (about ten seconds) and read by each
test inside a rolled-back savepoint (conftest.module_app + db_savepoint)."""
import os
import re
from importlib.metadata import entry_points

import click
import pytest
from flask.cli import FlaskGroup
from sqlalchemy import func, select

from demo.cli import seed_demo_command
from demo.notice import NOTICE_ROUND_NAME
from honours.auth.invitations import is_pending
from honours.auth.models import User
from honours.consent.models import ConsentScan
from honours.core import clock, roles
from honours.core.audit import AuditEntry
from honours.core.db import db
from honours.core.outbox.models import OutboxMessage
from honours.core.reference import MAJORITY_ETHNICITY, ORGANISATION_TYPES
from honours.core.storage import path_for
from honours.decisions.models import SignedDecision
from honours.directory import merging
from honours.nominations import services, states
from honours.nominations.models import Attachment, Dossier, DossierSubmission
from honours.organisations.models import Organisation
from honours.publication.models import PublicationPhoto, RoundDocument
from honours.rounds.models import Round
from honours.talent import needs, pool
from honours.talent.models import (
    ACCEPTED,
    CONTACTED,
    DECLINED,
    DRAFT,
    ENGAGED,
    NOT_SUITABLE,
    PROPOSED,
    SUBMITTED,
    NeedMatch,
    PoolReview,
    Referral,
    ReferralAttachment,
)
from tests.conftest import NOW, login

DEMO_PASSWORD = "Demo@2026bn"


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def seed(app, *args):
    result = app.test_cli_runner().invoke(seed_demo_command, args=list(args))
    assert result.exit_code == 0, result.output + repr(result.exception)
    db.session.expire_all()
    return result.output


@pytest.fixture(scope="module")
def demo(module_app) -> str:
    """What `flask seed-demo` printed."""
    return seed(module_app)


@pytest.fixture
def app(module_app, db_savepoint):
    return module_app


def test_seed_demo_builds_an_open_round_with_organisations_accounts_and_dossiers(app, demo):
    output = demo

    rounds = {r.year: r for r in db.session.scalars(select(Round).where(Round.name != NOTICE_ROUND_NAME))
              if r.selection_method == "points"}
    assert sorted(rounds) == [2025, 2026]
    round_ = rounds[2026]
    assert round_.name == "Trí thức Bắc Ninh tiêu biểu 2026" and round_.year == 2026
    assert round_.accepts_nominations(clock.now())
    assert round_.nominations_open_at.date() < NOW.date() < round_.nominations_close_at.date()
    assert round_.nominations_close_at < round_.review_close_at
    assert round_.review_close_at.date() <= round_.council_date
    assert [f.name for f in round_.fields] == [
        "Khoa học tự nhiên", "Kỹ thuật và công nghệ", "Y dược", "Nông nghiệp", "Khoa học xã hội và nhân văn",
        "Giáo dục", "Văn học nghệ thuật",
    ]
    assert all(f.quota > 0 for f in round_.fields)
    assert 4 <= len(round_.criteria) <= 5
    assert sum(c.weight for c in round_.criteria) == 100

    organisations = db.session.scalars(select(Organisation)).all()
    assert len(organisations) == 60
    for org_type in ORGANISATION_TYPES:
        assert sum(o.org_type == org_type for o in organisations) == 10
    assert all(o.email.endswith("@bacninh.example") and o.contact_person and o.phone for o in organisations)
    assert any(o.nomination_limit for o in organisations)

    users = db.session.scalars(select(User)).all()
    by_role = {role: [u for u in users if u.role == role] for role in roles.ALL_ROLES}
    assert len(by_role[roles.ADMIN]) == 1
    assert len(by_role[roles.SECRETARIAT]) == 2
    assert len(by_role[roles.COUNCIL]) == 7
    assert [u.email for u in by_role[roles.COUNCIL] if u.is_chair] == ["hoidong1@demo.example"]
    nominators = by_role[roles.NOMINATOR]
    assert len(nominators) >= 12
    # The users list shows a locked account and an invitation not yet accepted (honours/auth).

    assert [u.email for u in users if not u.active] == ["donvi-cu@demo.example"]
    assert [u.email for u in users if is_pending(u)] == ["donvi-moi@demo.example"]
    assert len({u.organisation_id for u in nominators}) == len(nominators)

    dossiers = db.session.scalars(select(Dossier).where(Dossier.round_id == round_.id)).all()
    assert 35 <= len(dossiers) <= 45
    # Eligible dossiers are already assigned to reviewers, so they are under review.
    assert {d.state for d in dossiers} == {
        states.DRAFT, states.SUBMITTED, states.RETURNED, states.RESUBMITTED, states.UNDER_REVIEW, states.INELIGIBLE,
        states.WITHDRAWN,
    }
    assert len({d.field_id for d in dossiers}) == 7
    assert all(1955 <= d.date_of_birth.year <= 1995 and 1 <= len(d.achievements) <= 4 for d in dossiers)
    diverse = [d for d in dossiers if d.gender == "female" or d.ethnicity != MAJORITY_ETHNICITY]
    assert len(diverse) >= 0.4 * len(dossiers)
    assert {"Tày", "Nùng", "Mường", "Dao"} <= {d.ethnicity for d in dossiers}
    assert any(d.academic_title == "GS" for d in dossiers) and any(d.academic_title == "PGS" for d in dossiers)
    for dossier in dossiers:
        if dossier.state in (states.RETURNED, states.INELIGIBLE):
            assert dossier.last_reason
        if dossier.state == states.RETURNED:
            assert dossier.supplement_deadline
        if dossier.state == states.RESUBMITTED:
            assert dossier.submission_count == 2 and len(dossier.submissions) == 2
        if dossier.state != states.DRAFT:
            assert dossier.attachments and dossier.submissions
            assert dossier.submitted_at < clock.now()
    # A returned dossier whose supplement deadline has passed (and others still within theirs), one the organisation
    # withdrew (it no longer uses the organisation's limit), and an organisation at its limit.
    returned = [d for d in dossiers if d.state == states.RETURNED]
    assert any(d.supplement_deadline < clock.now() for d in returned)
    assert any(d.supplement_deadline > clock.now() for d in returned)
    withdrawn = [d for d in dossiers if d.state == states.WITHDRAWN]
    assert len(withdrawn) == 1 and withdrawn[0].last_reason
    organisations = db.session.scalars(select(Organisation).where(Organisation.nomination_limit.is_not(None))).all()
    assert any(services.quota(o, round_.id).full for o in organisations)
    # One person (same name and date of birth) nominated by two organisations.
    duplicates = [d for d in dossiers if d.state != states.DRAFT and services.find_duplicates(d)]
    assert len(duplicates) == 2
    assert len({(d.name_folded, d.date_of_birth) for d in duplicates}) == 1

    # The real services ran: audit trail, frozen snapshots, files on disk; the notifications they queued are
    # dropped, so demo data never e-mails anybody.
    non_drafts = [d for d in dossiers if d.state != states.DRAFT]
    transitions = sum({"submitted": 1, "returned": 2, "resubmitted": 3, "under_review": 3, "ineligible": 2,
                       "withdrawn": 2}[d.state]
                      for d in non_drafts)
    extra = sum(1 for d in dossiers if d.state == states.UNDER_REVIEW and d.submission_count == 2) * 2
    entries = db.session.scalars(select(AuditEntry).where(
        AuditEntry.entity_type == "dossier", AuditEntry.entity_id.in_([d.id for d in dossiers]))).all()
    from honours.reviews.models import ReviewAssignment

    replacements = [e for e in entries if e.action == "replace_attachment"]  # supplements superseding a file
    assigned = [e for e in entries if e.action == "assign_reviewer"]  # one entry per reviewer assigned
    # One dossier was taken back to the check after it was found eligible (mark_eligible, then reopen_check).
    reopened = [e for e in entries if e.action == "reopen_check"]
    assert len(reopened) == 1 and reopened[0].reason and reopened[0].to_state == states.SUBMITTED
    assert len(entries) - len(replacements) - len(assigned) == transitions + extra + 2 * len(reopened)
    superseded = [a for d in dossiers for a in d.superseded_attachments]
    assert superseded and len(superseded) == len(replacements) and all(a.submitted_in == 1 for a in superseded)
    assert len(assigned) == db.session.scalar(select(func.count()).select_from(ReviewAssignment).where(
        ReviewAssignment.dossier_id.in_([d.id for d in dossiers])))
    assert count(DossierSubmission) == sum(d.submission_count for d in db.session.scalars(select(Dossier)))
    assert count(OutboxMessage) == 0
    attachments = db.session.scalars(select(Attachment)).all()  # both rounds
    assert {a.content_type for a in attachments} == {"application/pdf", "image/png"}
    for attachment in attachments:
        with open(path_for(attachment.stored_name), "rb") as stored:
            data = stored.read()
        assert len(data) == attachment.size
        if attachment.content_type == "application/pdf":
            assert data.startswith(b"%PDF-1.4") and data.rstrip().endswith(b"%%EOF")
    referral_files = list(db.session.scalars(select(ReferralAttachment.stored_name)))
    assert referral_files  # the demo's referrals carry their evidence too
    showcase_files = [d.stored_name for d in db.session.scalars(select(RoundDocument))] + [
        name for photo in db.session.scalars(select(PublicationPhoto)) for name in photo.stored_names]
    consent_scans = list(db.session.scalars(select(ConsentScan.stored_name)))  # signed paper consent forms
    assert consent_scans
    signed_decisions = list(db.session.scalars(select(SignedDecision.stored_name)))
    assert sorted(os.listdir(app.config["UPLOAD_FOLDER"])) == sorted(
        [a.stored_name for a in attachments] + referral_files + showcase_files + consent_scans + signed_decisions
        + ["jobs"])  # jobs/: job results

    # The printed table of logins names every account with the demo password (the locked and the invited accounts
    # of demo/accounts.py are said apart: nobody can sign in with them).
    for user in (u for u in users if u.active and not is_pending(u)):
        assert re.search(rf"^\s*{re.escape(user.email)}\s+{user.role}.*{re.escape(DEMO_PASSWORD)}\s*$", output,
                         re.MULTILINE), user.email
    assert "admin@demo.example" in output and "donvi1@demo.example" in output and "(chair)" in output


def test_seed_demo_runs_once(app, demo):
    before = (count(User), count(Organisation), count(Dossier), count(Round), count(AuditEntry))

    output = seed(app, "--if-empty")
    assert "already present" in output
    output = seed(app)  # even without --if-empty, seed() itself refuses to load twice
    assert "already present" in output
    assert "Demo logins" not in output

    db.session.expire_all()
    assert (count(User), count(Organisation), count(Dossier), count(Round), count(AuditEntry)) == before


def test_demo_nominator_logs_in_with_the_printed_password(app, client, demo):
    output = demo
    line = next(line for line in output.splitlines() if line.strip().startswith("donvi1@demo.example"))
    password = line.split()[-1]
    assert password == DEMO_PASSWORD

    response = client.post("/login", data={"email": "donvi1@demo.example", "password": password})
    assert response.status_code == 302
    page = client.get("/dossiers/")
    assert page.status_code == 200
    assert "Nguyễn Thị Minh Nguyệt" in page.get_data(as_text=True)  # a dossier of Hội Y học tỉnh Bắc Ninh


def test_seed_demo_shows_the_later_stages(app, client, demo):
    from honours.council import record
    from honours.council.models import CONFIRMED, CouncilSession, ResultSnapshot
    from honours.reviews.models import CouncilMember, ReviewAssignment, ScoreSheet

    rounds = {r.year: r for r in db.session.scalars(select(Round).where(Round.name != NOTICE_ROUND_NAME))
              if r.selection_method == "points"}
    current, past = rounds[2026], rounds[2025]
    # This year: a council of seven, every dossier in review has its reviewers, scoring has started.
    assert count(CouncilMember) == 21  # the same seven members in the three rounds (one on public notice)
    in_review = db.session.scalars(select(Dossier).where(Dossier.round_id == current.id,
                                                         Dossier.state == states.UNDER_REVIEW)).all()
    assigned = db.session.scalars(select(ReviewAssignment.dossier_id).join(Dossier)
                                  .where(Dossier.round_id == current.id)).all()
    assert all(assigned.count(d.id) == current.reviewers_per_dossier for d in in_review)
    sheets = db.session.scalars(select(ScoreSheet).join(Dossier).where(Dossier.round_id == current.id)).all()
    assert sorted(s.status for s in sheets) == ["draft", "submitted"]
    # Council members have sheets still to do in the current round ("Hồ sơ của tôi", the home page).
    submitted = {(s.dossier_id, s.reviewer_id) for s in sheets if s.is_submitted}
    pending = db.session.execute(select(ReviewAssignment.dossier_id, ReviewAssignment.reviewer_id).join(Dossier)
                                 .where(Dossier.round_id == current.id)).all()
    assert len({r for d, r in pending if (d, r) not in submitted}) >= 5
    # Last year: confirmed by the council, decided, published.
    assert past.published_at is not None
    session = db.session.scalars(select(CouncilSession).where(CouncilSession.round_id == past.id)).one()
    assert session.status == CONFIRMED and session.decision_number
    snapshot = db.session.get(ResultSnapshot, session.id)  # the confirmed result, recorded once
    assert snapshot is not None and record.read(snapshot)["ballots"] == 6
    assert past.scoring_started_at is not None and current.scoring_started_at is not None
    outcomes = sorted(d.state for d in db.session.scalars(select(Dossier).where(Dossier.round_id == past.id)))
    assert outcomes == ["not_approved"] + ["published"] * 9
    page = client.get("/vinh-danh/2025").get_data(as_text=True)
    assert "Nguyễn Thị Thanh Mai" in page and "Phạm Văn Lực" not in page


def test_flask_finds_seed_demo_through_the_demo_packages_entry_point():
    """`make run` calls `flask --app wsgi seed-demo --if-empty`: honours does not register the command, the
    "flask.commands" entry point of pyproject.toml does (reinstall with pip install -e . after changing it)."""
    (entry_point,) = entry_points(group="flask.commands", name="seed-demo")
    assert entry_point.value == "demo.cli:seed_demo_command"
    group = FlaskGroup()
    assert group.get_command(click.Context(group), "seed-demo") is seed_demo_command
    assert [option.name for option in seed_demo_command.params] == ["if_empty"]
# ---------------------------------------------------------------- talent channel and intellectuals database

def test_demo_seeds_referrals_in_every_state_the_pool_and_needs(app, demo):
    db.session.expire_all()
    referral_states = dict(db.session.execute(
        select(Referral.state, func.count(Referral.id)).group_by(Referral.state)).all())
    assert referral_states == {DRAFT: 2, SUBMITTED: 2, ACCEPTED: 6, DECLINED: 2}
    assert all(r.decline_reason for r in db.session.scalars(select(Referral).where(Referral.state == DECLINED)))
    assert all(r.attachments and r.justification for r in db.session.scalars(
        select(Referral).where(Referral.state != DRAFT)))
    for attachment in db.session.scalars(select(ReferralAttachment)):
        with open(path_for(attachment.stored_name), "rb") as stored:
            assert stored.read(5) == b"%PDF-" and attachment.content_type == "application/pdf"
    assert all(r.email.endswith(".example") and r.organisation.email.endswith(".example")
               for r in db.session.scalars(select(Referral)))
    assert [e.person.full_name for e in db.session.scalars(pool.overdue_query())] == ["Lương Văn Tâm"]
    assert db.session.scalar(select(func.count(PoolReview.id))) == 2
    outcomes = sorted(m.outcome for m in db.session.scalars(select(NeedMatch)))
    assert outcomes == sorted([ENGAGED, CONTACTED, NOT_SUITABLE, PROPOSED])
    needs_by_poster = {n.organisation.org_type if n.organisation else None: n
                       for n in db.session.scalars(select(needs.TalentNeed))}
    assert set(needs_by_poster) == {"department", None}
    assert [s.entry.person.full_name for s in needs.suggestions(needs_by_poster[None])] == ["Nguyễn Hoàng Long"]
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0  # demo data never e-mails anybody


def test_demo_data_has_person_records_and_a_duplicate_to_merge(app, client, demo):
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Dossier.id)).where(Dossier.state != states.DRAFT,
                                                                  Dossier.person_id.is_(None))) == 0
    group = next(g for g in merging.duplicate_groups().items if g.persons[0].name_folded == "hoang van son")
    assert {p.full_name for p in group.persons} == {"Hoàng Văn Sơn", "Hoang Van Son"}
    honoured = next(p for p in group.persons if p.full_name == "Hoàng Văn Sơn")
    other = next(p for p in group.persons if p.full_name == "Hoang Van Son")

    login(client, db.session.scalars(select(User).where(User.email == "thuky@demo.example")).one(), "Demo@2026bn")
    response = client.post(f"/tri-thuc/{honoured.id}/merge/{other.id}", data={
        "survivor_id": honoured.id, "version_a": honoured.version, "version_b": other.version})
    assert response.status_code == 302
    profile = client.get(f"/tri-thuc/{honoured.id}").get_data(as_text=True)
    assert "Trí thức Bắc Ninh tiêu biểu 2025 (2025)" in profile and "Trí thức Bắc Ninh tiêu biểu 2026" in profile


def test_demo_data_has_a_pending_proposed_change(app, client, demo):
    """A person nominated by two organisations: the second nomination proposes its organisation for the record."""
    login(client, db.session.scalars(select(User).where(User.email == "thuky@demo.example")).one(), "Demo@2026bn")
    page = client.get("/tri-thuc/proposals").get_data(as_text=True)
    assert "Hoàng Văn Thắng" in page and "1 đề xuất đang chờ duyệt" in page


def test_demo_has_a_dossier_whose_two_submissions_differ(app, client, demo):
    """A dossier returned then resubmitted with an achievement added and a file added or replaced: its
    comparison page shows both."""
    from honours.nominations.submissions import changes_between

    differing = []
    for dossier in db.session.scalars(select(Dossier).where(Dossier.submission_count == 2)):
        changes = changes_between(dossier.submissions[0].snapshot, dossier.submissions[1].snapshot)
        if changes.achievements_added and changes.attachments_added:
            differing.append(dossier)
    assert differing
    secretary = db.session.scalar(select(User).where(User.role == roles.SECRETARIAT).order_by(User.id))
    login(client, secretary, DEMO_PASSWORD)
    html = client.get(f"/dossiers/{differing[0].id}/submissions/2/changes").get_data(as_text=True)
    assert "Thêm:" in html and "Thay đổi giữa lần 1 và lần 2" in html


def test_the_demo_audit_log_reads_in_words(app, client, demo):
    """Every action, object type and state the demo wrote has a label (honours.core.audit_labels)."""
    from honours.core import audit_labels

    rows = db.session.execute(select(AuditEntry.entity_type, AuditEntry.action, AuditEntry.from_state,
                                     AuditEntry.to_state).distinct()).all()
    assert rows
    raw = [row for row in rows if row.entity_type not in audit_labels.ENTITIES
           or not audit_labels.has_action_label(row.entity_type, row.action)
           or not audit_labels.has_state_label(row.entity_type, row.from_state)
           or not audit_labels.has_state_label(row.entity_type, row.to_state)]
    assert raw == []
    secretary = db.session.scalars(select(User).where(User.role == roles.SECRETARIAT)).first()
    login(client, secretary, DEMO_PASSWORD)
    response = client.get("/audit/")
    body = response.get_data(as_text=True).split("<tbody>", 1)[1]
    newest = db.session.scalars(select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(50))
    for entry in newest:
        assert f"<td>{entry.action_label}</td>" in body, entry.action


def test_the_demo_shows_the_public_showcase(app, demo):
    """The open round announces two guidance PDFs on the home page; last year's honourees have publication photos
    but one (the placeholder shows too)."""
    client = app.test_client()
    home = client.get("/").get_data(as_text=True)
    documents = db.session.scalars(select(RoundDocument)).all()
    assert len(documents) == 2 and {d.kind for d in documents} == {"plan", "regulation"}
    for document in documents:
        assert f"/tai-lieu/{document.id}" in home
        assert client.get(f"/tai-lieu/{document.id}").status_code == 200
    published = db.session.scalar(select(func.count(Dossier.id)).where(Dossier.state == states.PUBLISHED))
    assert db.session.scalar(select(func.count(PublicationPhoto.id))) == published - 1
    listing = client.get("/vinh-danh").get_data(as_text=True)
    assert "/vinh-danh/anh-cong-bo/" in listing and "img/portrait-placeholder.svg" in listing


def test_seed_demo_has_a_standards_round_at_the_appraisal(app, demo):
    from honours.selection import services as selection
    from honours.selection.models import ANSWERED, OPEN

    points = [r for r in db.session.scalars(select(Round).where(Round.name != NOTICE_ROUND_NAME))
              if r.year == 2026 and r.selection_method == "points"]
    assert len(points) == 1  # this year's round stays "points"
    round_ = db.session.scalars(select(Round).where(Round.selection_method == "standards",
                                                    Round.name != NOTICE_ROUND_NAME)).one()
    assert round_.year == 2026 and round_.standards and round_.eligibility_rules and not round_.criteria
    assert not round_.accepts_nominations(clock.now())
    first, second = db.session.scalars(select(Dossier).where(Dossier.round_id == round_.id)
                                       .order_by(Dossier.id)).all()
    assert first.state == second.state == states.SUBMITTED
    assert [c.state for c in selection.clarifications_of(first)] == [ANSWERED]
    assert selection.standards_met(first)
    assert [c.state for c in selection.clarifications_of(second)] == [OPEN]
    assert [r.kind for r in selection.rule_results(second) if not r.passed] == ["min_years_in_province"]
    assert all(r.passed for r in selection.rule_results(first))
def test_the_demo_council_session_has_its_secretary_and_vote_counting_board(app, demo):
    """Last year's confirmed session names who signs its minutes and its vote-count record (honours/documents)."""
    from honours.council.models import CONFIRMED, CouncilSession
    from honours.documents import content

    session = db.session.scalars(select(CouncilSession).join(Round, Round.id == CouncilSession.round_id)
                                 .where(CouncilSession.status == CONFIRMED, Round.name != NOTICE_ROUND_NAME)).one()
    assert session.secretary_name and len(session.counting_board) == 3
    record = content.session_record(session)
    assert record.secretary == session.secretary_name and len(record.board) == 3
    assert record.board == [m.user.full_name for m in session.counting_board]
    assert set(content.organisations_of(record))  # a result notice for each nominating organisation
def test_the_demo_has_a_background_job_in_every_state(app, client, demo):
    from honours.core.jobs import Job
    from honours.core.jobs.registry import stored_path
    from honours.core.jobs.workflow import JOB
    from honours.people.models import Person

    jobs = db.session.scalars(select(Job).order_by(Job.id)).all()
    assert {job.state for job in jobs} == set(JOB.states)
    done = next(job for job in jobs if job.state == "done")
    with open(stored_path(done.result_stored_name), encoding="utf-8-sig") as exported:
        lines = exported.read().splitlines()
    assert len(lines) - 1 == done.progress_total == db.session.scalar(
        select(func.count(Person.id)).where(Person.merged_into_id.is_(None)))
    assert db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "national_export")) == 1
    failed = next(job for job in jobs if job.state == "failed")
    assert "gián đoạn" in failed.error
    login(client, db.session.scalar(select(User).where(User.email == "thuky@demo.example")), DEMO_PASSWORD)
    page = client.get(f"/cong-viec/{done.id}").get_data(as_text=True)
    assert "Tải tệp kết quả" in page
def test_the_demo_has_a_loaded_staff_list(app, client, demo):
    from honours.intake.models import PersonIntake
    from honours.people.models import Person

    intake = db.session.scalars(select(PersonIntake)).one()
    assert intake.created_count == intake.rows == 4 and intake.organisation.name == "Trường Đại học Kinh Bắc"
    person = db.session.scalars(select(Person).where(Person.citizen_id.is_not(None))).one()
    login(client, db.session.scalars(select(User).where(User.email == "thuky@demo.example")).one(), DEMO_PASSWORD)
    assert person.citizen_id in client.get(f"/tri-thuc/{person.id}").get_data(as_text=True)
def test_the_demo_shows_consents_in_every_state(app, client, demo):
    from honours.consent import services as consent
    from honours.consent.models import ConsentChoice, ConsentRequest
    from honours.publication import services as publication

    states_seen = set(db.session.scalars(select(ConsentRequest.state).distinct()))
    assert {"requested", "paper_pending", "paper_received", "answered", "paper_confirmed"} <= states_seen
    decisions = set(db.session.execute(select(ConsentChoice.purpose, ConsentChoice.decision).distinct()))
    assert {("a", "given"), ("b", "refused"), ("b", "withdrawn")} <= decisions
    # The honouree who withdrew (b) is listed by name and title only.
    restricted = [h for h in publication.published_honourees() if h.restricted]
    assert len(restricted) == 1 and restricted[0].workplace == "" and restricted[0].citation == ""
    assert consent.publication_allowed([restricted[0].id]) == set()
def test_the_demo_has_a_round_on_public_notice_with_opinions_and_a_complaint(app, client, demo):
    from honours.complaints import services as complaints
    from honours.complaints.models import Complaint
    from honours.core.errors import RuleViolation
    from honours.notice import services as notice
    from honours.notice.models import Opinion
    from honours.selection import services as selection

    round_ = db.session.scalars(select(Round).where(Round.name == NOTICE_ROUND_NAME)).one()
    assert round_.selection_method == "standards" and round_.standards and not round_.criteria
    assert notice.is_running(round_) and notice.running_rounds() == [round_]
    proposed = db.session.scalars(select(Dossier).where(Dossier.round_id == round_.id)).all()
    assert len(proposed) == 3 and all(selection.standards_met(d) and selection.claims_of(d) for d in proposed)
    assert sorted(o.state for o in db.session.scalars(select(Opinion))) == ["no_effect", "received"]
    with pytest.raises(RuleViolation):
        notice.ensure_decision_allowed(round_)
    page = client.get(f"/cong-khai/{round_.id}").get_data(as_text=True)
    assert "Nguyễn Hải Đăng" in page and "Giải thưởng KH&amp;CN tỉnh năm 2024 là của nhóm" not in page
    assert f"/cong-khai/{round_.id}" in client.get("/vinh-danh").get_data(as_text=True)
    complaint = db.session.scalars(select(Complaint)).one()
    assert complaint.state == "accepted" and complaint.overdue(clock.now())
    assert complaints.todo_counts() == (1, 1)


def test_the_demo_has_certificates_for_last_years_honourees_one_revoked(app, client, demo):
    from honours.certificates import services as certificates
    from honours.certificates.models import Certificate

    past = db.session.scalars(select(Round).where(Round.published_at.is_not(None))
                              .order_by(Round.year, Round.id)).first()
    honourees = certificates.honourees(past)
    issued = db.session.scalars(select(Certificate).order_by(Certificate.id)).all()
    assert honourees and sorted(c.dossier_id for c in issued) == sorted(d.id for d in honourees)
    assert sorted(c.state for c in issued) == ["issued"] * (len(issued) - 1) + ["revoked"]
    revoked = next(c for c in issued if c.state == "revoked")
    valid = next(c for c in issued if c.state == "issued")
    assert "đã bị thu hồi" in client.get(f"/xac-minh/{revoked.code}").get_data(as_text=True)
    assert "Giấy chứng nhận hợp lệ." in client.get(f"/xac-minh/{valid.code}").get_data(as_text=True)
    assert f"/xac-minh/{revoked.code}" in demo


def test_the_demo_has_last_years_decision_signed_and_offered_to_the_public(app, client, demo):
    from honours.decisions.validation import VALID_TRUSTED

    decision = db.session.scalars(select(SignedDecision)).one()
    assert decision.status == VALID_TRUSTED and "Chủ tịch UBND tỉnh Bắc Ninh" in decision.signer_subject
    past = db.session.scalars(select(Round).where(Round.published_at.is_not(None))
                              .order_by(Round.year, Round.id)).first()
    listing = client.get(f"/vinh-danh/{past.year}").get_data(as_text=True)
    assert f"/vinh-danh/quyet-dinh/{decision.id}.pdf" in listing and "Quyết định (bản có chữ ký số)" in listing
    response = client.get(f"/vinh-danh/quyet-dinh/{decision.id}.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert "/decisions/sessions/" in demo
