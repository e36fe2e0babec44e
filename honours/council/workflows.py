"""The council session's workflow (run by honours.core.workflow).

Opening a session creates it in "open" (audited as "open", from no state, by the service: the engine moves
existing records only). Correcting the attendance and recording the provincial decision keep the state but are
audited steps of the session, so they are transitions too.
"""
from flask_babel import lazy_gettext as _l

from honours.core import roles
from honours.core.workflow import Transition, Workflow

OPEN = "open"          # attendance recorded, voting open
CLOSED = "closed"      # voting closed, result computed, waiting for the chair
CONFIRMED = "confirmed"  # the chair confirmed the result; dossiers approved / not approved

COUNCIL_SESSION = Workflow("council_session", {
    OPEN: _l("Đang bỏ phiếu"),
    CLOSED: _l("Đã đóng bỏ phiếu, chờ Chủ tịch xác nhận"),
    CONFIRMED: _l("Đã xác nhận kết quả"),
}, (
    Transition("attendance", (OPEN,), OPEN, (roles.SECRETARIAT,)),
    Transition("close", (OPEN,), CLOSED, (roles.SECRETARIAT,)),
    # The chair (a council member with the chair flag, on this round's council: checked by the service).
    Transition("confirm", (CLOSED,), CONFIRMED, (roles.COUNCIL,)),
    Transition("decision", (CONFIRMED,), CONFIRMED, (roles.SECRETARIAT,)),
), state_attribute="status")
