"""The personal-data incident register: the 72-hour notification deadline counts down (list, form and the home
pages of the secretariat and the administrator), the dates are checked, every change is audited."""
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from honours.core import clock, roles
from honours.core.audit import AuditEntry
from honours.core.db import db
from honours.core.errors import RuleViolation, StaleEdit
from honours.home import todo
from honours.incidents import services
from honours.incidents.models import CLOSED, NOTIFIED, OPEN, Incident
from tests.conftest import login
from tests.factories import make_user

FOUND = datetime(2026, 6, 12, 9, 0)  # conftest's NOW is 2026-06-15 09:00: exactly 72 hours later


def _data(**changes) -> dict:
    data = {"summary": "Gửi nhầm danh sách đề cử cho đơn vị khác", "found_at": FOUND, "people_affected": 40,
            "data_categories": "Họ tên, ngày sinh, điện thoại", "measures": "", "authority_notified_at": None,
            "people_notified_at": None, "notifications": "", "closed_at": None}
    return {**data, **changes}


@pytest.fixture
def secretary(app):
    return make_user(roles.SECRETARIAT)


def test_the_deadline_is_72_hours_after_it_was_found():
    incident = Incident(summary="x", found_at=FOUND)
    assert incident.deadline == FOUND + timedelta(hours=72)
    assert incident.hours_left(FOUND + timedelta(hours=1)) == 71
    assert incident.hours_left(FOUND + timedelta(hours=72)) == 0
    assert incident.hours_left(FOUND + timedelta(hours=72, seconds=1)) == -1  # overdue by (part of) an hour
    assert incident.status == OPEN
    incident.authority_notified_at = FOUND + timedelta(hours=30)
    assert incident.status == NOTIFIED
    incident.closed_at = FOUND + timedelta(days=5)
    assert incident.status == CLOSED


def _home_items(now):
    items = {item.key: item for section in todo.secretariat_home(now=now) for item in section.items}
    admin_items = {item.key: item for section in todo.admin_home() for item in section.items}
    return items.get("incidents_open"), admin_items.get("incidents_open")


def test_home_pages_count_down_to_the_nearest_deadline_and_forget_notified_incidents(app, secretary):
    with clock.frozen(FOUND + timedelta(hours=1)):
        first = services.record(secretary, _data())
        services.record(secretary, _data(summary="Mất máy tính xách tay", found_at=FOUND + timedelta(hours=1)))
    db.session.commit()
    item, admin_item = _home_items(FOUND + timedelta(hours=70))
    assert item.count == 2 and item.urgent and "còn 2 giờ" in item.label
    assert admin_item is not None and admin_item.count == 2  # conftest's NOW: 72 h after the first was found
    item, _ = _home_items(FOUND + timedelta(hours=73))
    assert "quá hạn 1 giờ" in item.label
    services.update(secretary, first, _data(authority_notified_at=FOUND + timedelta(hours=48)), first.version)
    item, _ = _home_items(FOUND + timedelta(hours=73))
    assert item.count == 1 and "còn 0 giờ" in item.label  # the second one, found an hour later
    second = db.session.scalars(select(Incident).where(Incident.id != first.id)).one()
    services.update(secretary, second, _data(found_at=second.found_at, closed_at=FOUND + timedelta(hours=60)),
                    second.version)
    assert _home_items(FOUND + timedelta(hours=73)) == (None, None)


def test_dates_are_checked_and_changes_audited(app, secretary):
    with pytest.raises(RuleViolation, match="tương lai"):
        services.record(secretary, _data(found_at=clock.now() + timedelta(minutes=1)))
    with pytest.raises(RuleViolation, match="sau thời điểm phát hiện"):
        services.record(secretary, _data(authority_notified_at=FOUND - timedelta(minutes=1)))
    with pytest.raises(RuleViolation):
        services.record(make_user(roles.COUNCIL), _data())
    incident = services.record(secretary, _data())
    with pytest.raises(StaleEdit):
        services.update(secretary, incident, _data(), incident.version + 1)
    services.update(secretary, incident, _data(measures="Thu hồi email"), incident.version)
    actions = list(db.session.scalars(select(AuditEntry.action).where(AuditEntry.entity_type == "incident")))
    assert actions == ["create", "update"]


def test_the_secretariat_records_an_incident_and_sees_the_countdown(app, secretary):
    client = app.test_client()
    login(client, secretary)
    form = {"summary": "Lộ bảng tính hồ sơ", "found_at": "15/06/2026 08:00", "people_affected": "12",
            "data_categories": "Họ tên", "measures": "", "authority_notified_at": "", "people_notified_at": "",
            "notifications": "", "closed_at": ""}
    assert client.post("/su-co-du-lieu/moi", data=form).status_code == 302
    page = client.get("/su-co-du-lieu/").get_data(as_text=True)
    assert "Lộ bảng tính hồ sơ" in page and "Còn 71 giờ để thông báo" in page
    refused = client.post("/su-co-du-lieu/moi", data={**form, "found_at": "16/06/2026 08:00"})
    assert refused.status_code == 422 and "tương lai" in refused.get_data(as_text=True)
    incident = db.session.scalars(select(Incident)).one()
    stale = client.post(f"/su-co-du-lieu/{incident.id}", data={**form, "version": str(incident.version + 5)})
    assert stale.status_code == 409
    saved = client.post(f"/su-co-du-lieu/{incident.id}", data={
        **form, "authority_notified_at": "15/06/2026 08:30", "version": str(incident.version)})
    assert saved.status_code == 302
    assert "Đã thông báo lúc" in client.get("/su-co-du-lieu/").get_data(as_text=True)


def test_the_register_exports_as_xlsx_and_the_export_is_audited(app, secretary):
    import io

    from openpyxl import load_workbook

    services.record(secretary, _data(summary="=HYPERLINK(\"http://x\")", authority_notified_at=FOUND + timedelta(hours=5)))
    services.record(secretary, _data(found_at=FOUND + timedelta(hours=1)))
    db.session.commit()
    client = app.test_client()
    login(client, secretary)
    response = client.get("/su-co-du-lieu/so-su-co.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 4 and rows[1][1] == "Sự việc" and rows[0][0].startswith("Sổ sự cố dữ liệu cá nhân — Xuất lúc ")
    assert rows[2][1] == "'=HYPERLINK(\"http://x\")"  # a formula typed into a field stays text
    assert rows[2][3] == datetime(2026, 6, 15, 9, 0) and rows[2][-1] == "Đã thông báo"
    assert rows[3][-1] == "Chưa thông báo"
    found = sheet.cell(row=3, column=3)
    assert isinstance(found.value, datetime) and found.number_format == "dd/mm/yyyy hh:mm"
    assert sheet.cell(row=3, column=5).value == 40 and sheet.cell(row=3, column=5).number_format == "0"
    assert all(cell.font.b for cell in sheet[2]) and sheet.freeze_panes == "C3" and sheet.print_title_rows == "$2:$2"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9  # A4
    assert "Sổ sự cố" in book.properties.title
    assert db.session.scalar(select(AuditEntry.id).where(AuditEntry.entity_type == "incident",
                                                         AuditEntry.action == "export")) is not None
