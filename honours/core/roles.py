"""The roles an account can have, and the service-level check for the secretariat."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from honours.core.errors import RuleViolation

ADMIN = "admin"
SECRETARIAT = "secretariat"
COUNCIL = "council"
NOMINATOR = "nominator"

ROLE_LABELS = {
    ADMIN: _l("Quản trị hệ thống"),
    SECRETARIAT: _l("Thư ký"),
    COUNCIL: _l("Thành viên hội đồng"),
    NOMINATOR: _l("Đơn vị đề cử"),
}
ALL_ROLES = tuple(ROLE_LABELS)


def ensure_secretariat(actor) -> None:
    """Service-level twin of require_role(SECRETARIAT): services refuse whoever calls them, not only routes."""
    if actor.role != SECRETARIAT:
        raise RuleViolation(_("Chỉ Ban thư ký mới được thực hiện thao tác này."))
