from flask_babel import gettext as _
from sqlalchemy import select

from honours.core import audit, roles
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.core.reference import ORGANISATION_TYPES
from honours.core.transactions import operation

from .models import Organisation

TEXT_FIELDS = ("org_type", "contact_person", "email", "phone", "address")
MANAGERS = (roles.ADMIN, roles.SECRETARIAT)
ENTITY = "organisation"
# The audit trail keeps its Vietnamese wording (the language of the record), whatever the actor's language.
LABELS = {"name": "Tên", "org_type": "Loại", "contact_person": "Người liên hệ", "email": "Email",
          "phone": "Điện thoại", "address": "Địa chỉ", "nomination_limit": "Số hồ sơ tối đa"}
CREATED = audit.Reason("organisations.created", audit.N_("Tạo đơn vị: %(values)s."))
CHANGED = audit.Reason("organisations.changed", audit.N_("Sửa đơn vị: %(changes)s."))


def _shown(value) -> str:
    return "—" if value in (None, "") else f'"{value}"'


@operation
def save_organisation(actor, data: dict, organisation: Organisation | None = None) -> Organisation:
    """Create (organisation None) or edit an organisation; audited with every value set, or old → new."""
    if actor.role not in MANAGERS:
        raise RuleViolation(_("Bạn không có quyền thực hiện thao tác này."))
    name = " ".join((data.get("name") or "").split())
    if not name:
        raise RuleViolation(_("Vui lòng nhập tên đơn vị."))
    if data.get("org_type") not in ORGANISATION_TYPES:
        raise RuleViolation(_("Loại đơn vị không hợp lệ."))
    limit = data.get("nomination_limit")
    if limit is not None and limit < 0:
        raise RuleViolation(_("Số hồ sơ tối đa không được âm."))
    clash = db.session.scalar(select(Organisation.id).where(Organisation.name == name))
    if clash and (organisation is None or clash != organisation.id):
        raise RuleViolation(_("Đã có đơn vị mang tên \"%(name)s\".", name=name))
    new = {"name": name, **{key: (data.get(key) or "").strip() for key in TEXT_FIELDS}, "nomination_limit": limit}
    if organisation is None:
        organisation = Organisation(**new)
        db.session.add(organisation)
        db.session.flush()
        audit.record(actor, ENTITY, organisation.id, "create", reason=CREATED(values="; ".join(
            f"{LABELS[key]}: {_shown(value)}" for key, value in new.items() if value not in (None, ""))))
        return organisation
    old = {key: getattr(organisation, key) for key in new}
    changed = [key for key in new if old[key] != new[key]]
    if changed:
        for key in changed:
            setattr(organisation, key, new[key])
        audit.record(actor, ENTITY, organisation.id, "update", reason=CHANGED(changes="; ".join(
            f"{LABELS[key]}: {_shown(old[key])} → {_shown(new[key])}" for key in changed)))
        db.session.flush()
    return organisation
