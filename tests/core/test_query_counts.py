"""Pages run a bounded number of SQL statements whatever the data size (no N+1)."""
import uuid
from contextlib import contextmanager
from datetime import date

import pytest
from sqlalchemy import event

from honours.core import roles
from honours.core.audit import AuditEntry
from honours.core.db import db
from honours.core.text import fold
from honours.nominations import states
from honours.nominations.models import Achievement, Attachment, Dossier
from tests.conftest import login, wipe
from tests.factories import make_org, make_round, make_user

STATES = [states.SUBMITTED, states.RESUBMITTED, states.RETURNED, states.ELIGIBLE, states.INELIGIBLE]


@contextmanager
def count_queries():
    statements = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def add_dossiers(round_, organisations, nominator, count: int, rows_each: int = 1):
    for i in range(count):
        org = organisations[i % len(organisations)]
        name = f"Nguyễn Văn Thử {i}"
        dossier = Dossier(
            round_id=round_.id, organisation_id=org.id, field_id=round_.fields[i % len(round_.fields)].id,
            state=STATES[i % len(STATES)], full_name=name, name_folded=fold(name), gender="male",
            date_of_birth=date(1970 + i % 30, 1, 1), ethnicity="Kinh", created_by_id=nominator.id,
            submission_count=1,
        )
        dossier.achievements = [Achievement(kind="award", year=2020, title=f"Giải {j}") for j in range(rows_each)]
        dossier.attachments = [
            Attachment(original_name=f"tep-{j}.pdf", stored_name=uuid.uuid4().hex, content_type="application/pdf",
                       size=100, sha256="0" * 64, uploaded_by_id=nominator.id) for j in range(rows_each)
        ]
        db.session.add(dossier)
    db.session.commit()


def build(size: int):
    round_ = make_round()
    # Related rows grow with the data, so a per-row lazy load would show up as extra queries.
    organisations = [make_org(f"Đơn vị {size}-{i}") for i in range(max(5, size // 4))]
    nominator = make_user(roles.NOMINATOR, organisations[0])
    for i in range(min(size, 60)):
        make_user(roles.NOMINATOR, organisations[i % len(organisations)], email=f"u{size}-{i}@example.vn")
    add_dossiers(round_, organisations, nominator, size)
    return round_, organisations, nominator


def queries_for(app, user, url: str) -> int:
    client = app.test_client()
    login(client, user)
    client.get(url)  # warm-up (first-request work is not per-page)
    with count_queries() as statements:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(statements)


PAGES = [
    (roles.NOMINATOR, "/dossiers/"),
    (roles.NOMINATOR, "/dossiers/?page=2"),
    (roles.SECRETARIAT, "/eligibility/"),
    (roles.SECRETARIAT, "/eligibility/?q=nguyen&state=submitted"),
    (roles.SECRETARIAT, "/organisations/"),
    (roles.SECRETARIAT, "/users/"),
    (roles.SECRETARIAT, "/rounds/"),
    (roles.SECRETARIAT, "/rounds/{round_id}"),
]


@pytest.mark.parametrize("role,url", PAGES)
def test_list_pages_run_the_same_queries_for_10_and_200_dossiers(app, role, url):
    counts = []
    for size in (10, 200):
        round_, organisations, nominator = build(size)
        user = nominator if role == roles.NOMINATOR else make_user(role)
        counts.append(queries_for(app, user, url.format(round_id=round_.id)))
        db.session.close()  # end this session's transaction, or PostgreSQL's TRUNCATE waits for it forever
        wipe(app)
    assert counts[0] == counts[1], f"{url}: {counts[0]} queries with 10 dossiers, {counts[1]} with 200"
    assert counts[0] <= 13  # the inbox: its page, tabs, filters, duplicates and the consent column


def test_dossier_page_is_bounded_whatever_its_rows(app):
    counts = []
    for rows in (2, 60):
        round_ = make_round(name=f"Đợt {rows}")
        org = make_org(f"Hội {rows}")
        nominator = make_user(roles.NOMINATOR, org)
        add_dossiers(round_, [org], nominator, 1, rows_each=rows)
        dossier = db.session.query(Dossier).filter_by(round_id=round_.id).one()
        actors = [make_user(roles.SECRETARIAT) for _ in range(3)]
        db.session.add_all(AuditEntry(actor_id=actors[i % 3].id, entity_type="dossier", entity_id=dossier.id,
                                      action="return", from_state="submitted", to_state="returned")
                           for i in range(rows))
        db.session.commit()
        counts.append(queries_for(app, actors[0], f"/dossiers/{dossier.id}"))
    assert counts[0] == counts[1], counts
