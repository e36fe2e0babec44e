"""Recording and updating incidents (admin and secretariat); every change audited."""
from flask_babel import gettext as _
from sqlalchemy import func, select

from honours.core import audit, clock, roles
from honours.core.db import db
from honours.core.errors import RuleViolation, StaleEdit

from .models import Incident

ENTITY = "incident"
MANAGERS = (roles.ADMIN, roles.SECRETARIAT)
TEXTS = ("summary", "data_categories", "measures", "notifications")
MOMENTS = ("authority_notified_at", "people_notified_at", "closed_at")
FIELDS = (*TEXTS, "found_at", "people_affected", *MOMENTS)


class IncidentRefused(RuleViolation):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def _check(actor, data: dict) -> None:
    if actor.role not in MANAGERS:
        raise IncidentRefused(_("Chỉ Ban thư ký và quản trị viên ghi sổ sự cố."))
    now = clock.now()
    if data["found_at"] > now:
        raise IncidentRefused(_("Thời điểm phát hiện không thể ở tương lai."), "found_at")
    for name in MOMENTS:
        moment = data.get(name)
        if moment is not None and (moment < data["found_at"] or moment > now):
            raise IncidentRefused(_("Thời điểm này phải sau thời điểm phát hiện và không ở tương lai."), name)


def _apply(incident: Incident, data: dict) -> None:
    for name in TEXTS:
        setattr(incident, name, (data.get(name) or "").strip())
    for name in ("found_at", "people_affected", *MOMENTS):
        setattr(incident, name, data.get(name))


def record(actor, data: dict) -> Incident:
    _check(actor, data)
    incident = Incident(recorded_by_id=actor.id)
    _apply(incident, data)
    db.session.add(incident)
    db.session.flush()
    audit.record(actor, ENTITY, incident.id, "create")
    return incident


def update(actor, incident: Incident, data: dict, version: int) -> Incident:
    _check(actor, data)
    if version != incident.version:
        raise StaleEdit(_("Sự cố vừa được người khác cập nhật. Vui lòng xem lại rồi lưu lại."))
    _apply(incident, data)
    incident.version += 1
    db.session.flush()
    audit.record(actor, ENTITY, incident.id, "update")
    return incident


def awaiting_notification():
    """Incidents the authority was not yet notified of (and not closed), and the earliest moment one was found:
    one statement whatever their number."""
    return db.session.execute(
        select(func.count(Incident.id), func.min(Incident.found_at))
        .where(Incident.authority_notified_at.is_(None), Incident.closed_at.is_(None))).one()


def export_xlsx(actor) -> bytes:
    """The whole register as an Excel workbook (the form's fields, the deadline and status), for the authority or
    an inspection. The export itself is audited."""
    from io import BytesIO

    from flask_babel import gettext as _g
    from openpyxl import Workbook

    from honours.core.spreadsheets import defuse, describe, finish_sheet

    from .models import CLOSED, NOTIFIED

    if actor.role not in MANAGERS:
        raise IncidentRefused(_("Chỉ Ban thư ký và quản trị viên ghi sổ sự cố."))
    audit.record(actor, ENTITY, 0, "export")
    statuses = {CLOSED: _g("Đã kết thúc xử lý"), NOTIFIED: _g("Đã thông báo"), "open": _g("Chưa thông báo")}
    exported_at = clock.now()
    title = _g("Sổ sự cố dữ liệu cá nhân")
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _g("Sổ sự cố")[:31]
    sheet.append([])  # the title row
    sheet.append([_g("Số"), _g("Sự việc"), _g("Thời điểm phát hiện"), _g("Hạn thông báo (72 giờ)"),
                  _g("Số người bị ảnh hưởng (ước tính)"), _g("Loại dữ liệu liên quan"), _g("Biện pháp đã thực hiện"),
                  _g("Thời điểm đã thông báo cơ quan chuyên trách"), _g("Thời điểm đã thông báo người bị ảnh hưởng"),
                  _g("Nội dung thông báo (gửi ai, cách gửi, số văn bản)"), _g("Thời điểm kết thúc xử lý"),
                  _g("Trạng thái")])
    # moments are real date-times (dd/mm/yyyy hh:mm), the number of people a number; typed text is defused
    for incident in db.session.scalars(select(Incident).order_by(Incident.found_at, Incident.id)):
        sheet.append([incident.id, defuse(incident.summary), incident.found_at, incident.deadline,
                      incident.people_affected, *(defuse(v) for v in (incident.data_categories, incident.measures)),
                      incident.authority_notified_at, incident.people_notified_at, defuse(incident.notifications),
                      incident.closed_at, statuses[incident.status]])
    finish_sheet(sheet, header_row=2, title=title, exported_at=exported_at, freeze_column=3)
    describe(workbook, title=title, exported_at=exported_at)
    buffer = BytesIO()
    workbook.save(buffer)
    db.session.flush()
    return buffer.getvalue()
