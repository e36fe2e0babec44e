"""A certificate's verification code: issued, or revoked by the secretariat (with reason, audited) and reinstated."""
from flask_babel import lazy_gettext as _l

from honours.core import roles
from honours.core.workflow import Transition, Workflow

ISSUED = "issued"
REVOKED = "revoked"

CERTIFICATE = Workflow("certificate", {ISSUED: _l("Có hiệu lực"), REVOKED: _l("Đã thu hồi")}, (
    Transition("revoke", (ISSUED,), REVOKED, (roles.SECRETARIAT,), needs_reason=True),
    Transition("reinstate", (REVOKED,), ISSUED, (roles.SECRETARIAT,), needs_reason=True),
))
