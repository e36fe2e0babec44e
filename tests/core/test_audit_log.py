"""The audit log: append-only at the ORM level; the admin/secretariat page with filters, paging and CSV export."""
import csv
import io
from datetime import datetime

import pytest
from sqlalchemy import delete, select, update

from honours.core import audit, clock, roles
from honours.core.audit import AuditEntry, AuditLogIsAppendOnly
from honours.core.db import db
from tests.conftest import login, wipe
from tests.core.test_query_counts import queries_for
from tests.factories import make_user


def add_entry(actor, entity_type="dossier", entity_id=1, action="submit", reason="", at=None):
    entry = AuditEntry(actor_id=actor.id if actor else None, entity_type=entity_type, entity_id=entity_id,
                       action=action, from_state="draft", to_state="submitted", reason=reason, at=at or clock.now())
    db.session.add(entry)
    db.session.commit()
    return entry


# ---------------------------------------------------------------- append-only


def test_entries_cannot_be_edited_or_deleted_through_the_orm(app):
    actor = make_user(roles.SECRETARIAT)
    entry = add_entry(actor, reason="Thiếu minh chứng")
    entry.reason = "Đã sửa"
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.get(AuditEntry, entry.id))
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.commit()
    db.session.rollback()
    # Bulk statements skip the per-object events; they are refused as well.
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.execute(update(AuditEntry).values(reason="x"))
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.execute(delete(AuditEntry).where(AuditEntry.id == entry.id))
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.execute(AuditEntry.__table__.delete())
    db.session.rollback()
    assert db.session.scalars(select(AuditEntry.reason)).all() == ["Thiếu minh chứng"]
    # Adding entries still works.
    audit.record(actor, "dossier", 2, "return", reason="Bổ sung")
    db.session.commit()
    assert db.session.query(AuditEntry).count() == 2


# ---------------------------------------------------------------- the page


@pytest.fixture
def log(app):
    admin = make_user(roles.ADMIN, full_name="Quản Trị Viên", email="quantri@example.vn")
    secretary = make_user(roles.SECRETARIAT, full_name="Nguyễn Thư Ký", email="thuky@example.vn")
    add_entry(secretary, "dossier", 7, "return", "Thiếu bản sao bằng tiến sĩ", at=datetime(2026, 5, 2, 10, 0))
    add_entry(secretary, "dossier", 8, "eligible", "Đủ điều kiện", at=datetime(2026, 5, 20, 15, 30))
    add_entry(admin, "security_policy", 1, "require_totp", "secretariat", at=datetime(2026, 6, 1, 8, 0))
    add_entry(None, "user", 3, "totp_reset", "=HYPERLINK(\"http://evil.example\")", at=datetime(2026, 6, 10, 9, 0))
    return {"admin": admin, "secretary": secretary}


def rows(html: str) -> int:
    return html.count("<tr>") - 1  # minus the heading row


def test_the_log_lists_newest_first_and_filters(app, log):
    client = app.test_client()
    login(client, log["admin"])
    html = client.get("/audit/").get_data(as_text=True)
    body = html[html.index("<tbody>"):]
    assert rows(html) == 4
    assert body.index("Đặt lại xác thực hai bước") < body.index("Bắt buộc xác thực hai bước") < \
        body.index("Đủ điều kiện")
    assert "Hệ thống" in html  # no actor: done by the operator's CLI
    cases = {
        "actor=thuky": ["Thiếu bản sao", "Đủ điều kiện"],
        "actor=Qu%E1%BA%A3n+Tr%E1%BB%8B": ["Bắt buộc xác thực hai bước"],
        "entity_type=dossier&action=return": ["Thiếu bản sao"],
        "entity_type=dossier&entity_id=8": ["Đủ điều kiện"],
        "date_from=01/05/2026&date_to=20/05/2026": ["Thiếu bản sao", "Đủ điều kiện"],
        "date_from=21/05/2026": ["Bắt buộc xác thực hai bước", "Đặt lại xác thực hai bước"],
        "q=b%E1%BA%A3n+sao": ["Thiếu bản sao"],
        "q=100%25": [],
    }
    for query, expected in cases.items():
        html = client.get(f"/audit/?{query}").get_data(as_text=True)
        assert rows(html) == max(len(expected), 1), query
        for text in expected:
            assert text in html, query


def test_bad_filter_values_are_reported_not_fatal(app, log):
    client = app.test_client()
    login(client, log["secretary"])  # the secretariat reads the log too
    response = client.get("/audit/?date_from=31/02/2026&entity_type=khong-co&entity_id=abc")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "dd/mm/yyyy" in html and rows(html) == 4


def test_the_log_is_paginated(app, log):
    for i in range(60):
        add_entry(log["secretary"], "dossier", 100 + i, "submit")
    client = app.test_client()
    login(client, log["admin"])
    first = client.get("/audit/").get_data(as_text=True)
    second = client.get("/audit/?page=2").get_data(as_text=True)
    assert rows(first) == 50 and rows(second) == 14 and "Trang 2/2" in second


def test_csv_export_follows_the_filters_defuses_formulas_and_is_itself_logged(app, log):
    client = app.test_client()
    login(client, log["admin"])
    response = client.get("/audit/export.csv?date_from=01/06/2026")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    data = response.get_data()
    assert data.startswith("\ufeff".encode())
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    # The export's own entry (written first) and the two entries since 1 June.
    # In words, like the page.
    assert table[0][0] == "Thời điểm" and [row[5] for row in table[1:]] == [
        "Xuất nhật ký (CSV)", "Đặt lại xác thực hai bước", "Bắt buộc xác thực hai bước"]
    reset = next(row for row in table if row[5] == "Đặt lại xác thực hai bước")
    assert reset[8] == "'=HYPERLINK(\"http://evil.example\")" and reset[1] == "" and reset[3] == "Tài khoản"
    policy = next(row for row in table if row[5] == "Bắt buộc xác thực hai bước")
    assert policy[1:3] == ["quantri@example.vn", "Quản Trị Viên"] and policy[0] == "01/06/2026 08:00:00"
    assert policy[3] == "Chính sách bảo mật" and policy[8] == "Thư ký"
    export = db.session.scalars(select(AuditEntry).where(AuditEntry.entity_type == "audit_log")).one()
    assert export.actor_id == log["admin"].id and export.action == "export" and "date_from=2026-06-01" in export.reason


@pytest.mark.parametrize("url", ["/audit/", "/audit/?entity_type=dossier&actor=thu"])
def test_the_log_page_runs_the_same_queries_for_10_and_300_entries(app, url):
    counts = []
    for size in (10, 300):
        actors = [make_user(roles.SECRETARIAT, full_name=f"Thư ký {i}") for i in range(max(3, size // 10))]
        db.session.add_all(AuditEntry(actor_id=actors[i % len(actors)].id, entity_type="dossier", entity_id=i,
                                      action="return", reason=f"Lý do {i}") for i in range(size))
        db.session.commit()
        counts.append(queries_for(app, make_user(roles.ADMIN), url))
        db.session.close()
        wipe(app)
    assert counts[0] == counts[1], counts
