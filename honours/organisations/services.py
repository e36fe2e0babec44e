from flask_babel import gettext as _
from sqlalchemy import select

from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.core.reference import ORGANISATION_TYPES
from honours.core.transactions import operation

from .models import Organisation

TEXT_FIELDS = ("org_type", "contact_person", "email", "phone", "address")


@operation
def save_organisation(data: dict, organisation: Organisation | None = None) -> Organisation:
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
    organisation = organisation or Organisation()
    for key in TEXT_FIELDS:
        setattr(organisation, key, (data.get(key) or "").strip())
    organisation.name = name
    organisation.nomination_limit = limit
    db.session.add(organisation)
    db.session.flush()
    return organisation
