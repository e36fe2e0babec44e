"""Storage limitation (honours/retention): `flask retention run [--dry-run]` deletes exactly what is past its
period — files of dossiers never honoured N years after their round, stale login throttling records, old import
error reports, ended sessions past their lifetime — and audits the counts; honoured dossiers keep their files."""
import os
import time
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from honours.auth.models import EndedSession, LoginThrottle
from honours.core import clock, roles
from honours.core.audit import AuditEntry
from honours.core.db import db
from honours.core.storage import path_for
from honours.imports import reports
from honours.nominations import states
from honours.nominations.models import Attachment
from honours.retention import services
from tests.conftest import login
from tests.factories import make_attachment, make_dossier, make_org, make_round, make_user

# conftest's NOW is 2026-06-15 09:00; with the default 5 years, rounds whose council met before 2021-06-15 are past.
CUTOFF = date(2021, 6, 15)


@pytest.fixture
def world(app):
    org = make_org()
    nominator = make_user(roles.NOMINATOR, organisation=org)
    old, boundary = make_round(name="Đợt 2020"), make_round(name="Đợt 2021")
    old.council_date, boundary.council_date = CUTOFF - timedelta(days=1), CUTOFF
    not_honoured = make_dossier(old, org, nominator, state=states.NOT_APPROVED, full_name="Trần Thị Bình")
    replacement = make_attachment(not_honoured, submitted_in=2)
    first = not_honoured.attachments[0]
    first.superseded_by_id = replacement.id
    draft = make_dossier(old, org, nominator, state=states.DRAFT, full_name="Lê Văn Cường")
    published = make_dossier(old, org, nominator, state=states.PUBLISHED, full_name="Phạm Thị Dung")
    approved = make_dossier(old, org, nominator, state=states.APPROVED, full_name="Hoàng Văn Em")
    recent = make_dossier(boundary, org, nominator, state=states.INELIGIBLE, full_name="Vũ Thị Giang")
    now = clock.now()
    db.session.add_all([
        LoginThrottle(key="old", attempts=3, next_at=now, last_at=now - timedelta(days=90, seconds=1)),
        LoginThrottle(key="boundary", attempts=3, next_at=now, last_at=now - timedelta(days=90)),
        EndedSession(sid="a" * 32, until=now - timedelta(seconds=1)),
        EndedSession(sid="b" * 32, until=now + timedelta(hours=1)),
    ])
    db.session.commit()
    folder = os.path.join(app.config["UPLOAD_FOLDER"], reports.FOLDER)
    os.makedirs(folder, exist_ok=True)
    old_report, new_report = os.path.join(folder, "old.xlsx"), os.path.join(folder, "new.xlsx")
    for path, age in ((old_report, 7 * 86400 + 60), (new_report, 7 * 86400 - 60)):
        with open(path, "wb") as report:
            report.write(b"x")
        os.utime(path, (time.time() - age, time.time() - age))
    removed = [a.stored_name for a in not_honoured.attachments + draft.attachments]
    kept = [a.stored_name for a in published.attachments + approved.attachments + recent.attachments]
    return {"removed": removed, "kept": kept, "old_report": old_report, "new_report": new_report,
            "dossier_id": not_honoured.id, "attachment_id": replacement.id}


def _counts():
    return (db.session.scalar(select(func.count()).select_from(Attachment)),
            db.session.scalar(select(func.count()).select_from(LoginThrottle)),
            db.session.scalar(select(func.count()).select_from(EndedSession)))


EXPECTED = {"unhonoured_attachments": 3, "referral_attachments": 0, "login_throttles": 1, "import_reports": 1,
            "ended_sessions": 1}


def test_dry_run_counts_and_deletes_nothing(app, world):
    before = _counts()
    result = app.test_cli_runner().invoke(args=["retention", "run", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "would_delete.unhonoured_attachments=3" in result.output
    assert "would_delete.login_throttles=1" in result.output
    assert "would_delete.import_reports=1" in result.output
    assert "would_delete.ended_sessions=1" in result.output
    db.session.expire_all()
    assert _counts() == before
    assert all(os.path.exists(path_for(name)) for name in world["removed"])
    assert os.path.exists(world["old_report"])
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)
                             .where(AuditEntry.entity_type == services.ENTITY)) == 0


def test_run_deletes_exactly_what_is_past_its_period_and_audits_the_counts(app, world):
    result = app.test_cli_runner().invoke(args=["retention", "run"])
    assert result.exit_code == 0, result.output
    assert "deleted.unhonoured_attachments=3" in result.output
    db.session.expire_all()
    stored = set(db.session.scalars(select(Attachment.stored_name)))
    assert stored == set(world["kept"])
    assert not any(os.path.exists(path_for(name)) for name in world["removed"])
    assert all(os.path.exists(path_for(name)) for name in world["kept"])  # honoured, or round not 5 years old
    assert set(db.session.scalars(select(LoginThrottle.key))) == {"boundary"}
    assert set(db.session.scalars(select(EndedSession.sid))) == {"b" * 32}
    assert not os.path.exists(world["old_report"]) and os.path.exists(world["new_report"])
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.entity_type == services.ENTITY)).one()
    assert entry.actor_id is None and entry.action == services.ACTION
    assert entry.reason_code == "retention.ran_with_referrals" and entry.reason_params == EXPECTED
    # the dossier still opens; the file's link answers 404
    client = app.test_client()
    login(client, make_user(roles.SECRETARIAT))
    assert client.get(f"/dossiers/{world['dossier_id']}").status_code == 200
    assert client.get(f"/dossiers/attachments/{world['attachment_id']}").status_code == 404
    # a second run finds nothing left
    assert services.run() == dict.fromkeys(EXPECTED, 0)


def test_the_periods_are_settings(app, world):
    app.config["RETENTION_UNHONOURED_ATTACHMENT_YEARS"] = 4  # the boundary round (5 years ago) is now past too
    app.config["RETENTION_LOGIN_FAILURE_DAYS"] = 200
    app.config["RETENTION_IMPORT_REPORT_DAYS"] = 30
    counts = services.run(dry_run=True)
    assert counts["unhonoured_attachments"] == 4
    assert counts["login_throttles"] == 0 and counts["import_reports"] == 0


def test_years_before_handles_29_february():
    assert services.years_before(date(2028, 2, 29), 5) == date(2023, 2, 28)


def test_referral_attachments_go_n_years_after_the_referral_left_the_pool_or_was_declined(app):
    import hashlib
    import uuid
    from datetime import datetime

    from honours.talent.models import ACCEPTED, DECLINED, DRAFT, RETIRED, SUBMITTED, ReferralAttachment
    from tests.factories import make_person, make_pool_entry, make_referral

    org = make_org()
    nominator = make_user(roles.NOMINATOR, organisation=org)
    past = datetime(2021, 6, 15, 8, 59)  # more than 5 years before conftest's NOW (2026-06-15 09:00)
    recent = datetime(2021, 6, 15, 9, 1)

    def referral(state, **fields):
        made = make_referral(make_person(f"Người {uuid.uuid4().hex[:6]}"), org, nominator, state=state, **fields)
        stored_name = uuid.uuid4().hex
        with open(path_for(stored_name), "wb") as stored:
            stored.write(b"%PDF-1.4")
        made.attachments = [ReferralAttachment(stored_name=stored_name, original_name="ly-lich.pdf", kind="cv",
                                               content_type="application/pdf", size=8,
                                               sha256=hashlib.sha256(b"%PDF-1.4").hexdigest(),
                                               uploaded_by_id=nominator.id)]
        db.session.commit()
        return made

    old_declined = referral(DECLINED, screened_at=past)
    referral(DECLINED, screened_at=recent)
    old_draft = referral(DRAFT, updated_at=past)
    referral(SUBMITTED, updated_at=past)  # awaiting screening: kept whatever its age
    retired = referral(ACCEPTED)
    retired.pool_entry = make_pool_entry(retired.person, nominator, status=RETIRED, retired_at=past)
    active = referral(ACCEPTED)
    active.pool_entry = make_pool_entry(active.person, nominator)
    db.session.commit()
    assert services.run(dry_run=True)["referral_attachments"] == 3
    removed = [r.attachments[0].stored_name for r in (old_declined, old_draft, retired)]
    assert services.run()["referral_attachments"] == 3
    db.session.commit()
    assert not any(os.path.exists(path_for(name)) for name in removed)
    assert db.session.scalar(select(func.count()).select_from(ReferralAttachment)) == 3
    app.config["RETENTION_REFERRAL_ATTACHMENT_YEARS"] = 4
    assert services.run(dry_run=True)["referral_attachments"] == 1  # the recently declined one is now past too
