"""A complaint's handling: accepted or refused (with reason) within COMPLAINT_ACCEPT_DAYS, resolved within
COMPLAINT_RESOLVE_DAYS of acceptance (COMPLAINT_RESOLVE_COMPLEX_DAYS for a complex case). Audited; the
complainant is emailed at each step."""
from flask_babel import lazy_gettext as _l

from honours.core import roles
from honours.core.workflow import Transition, Workflow

LODGED = "lodged"
ACCEPTED = "accepted"
REFUSED = "refused"
RESOLVED = "resolved"
HANDLERS = (roles.SECRETARIAT,)

COMPLAINT = Workflow("complaint", {
    LODGED: _l("Đã nhận, chờ thụ lý"),
    ACCEPTED: _l("Đã thụ lý, đang giải quyết"),
    REFUSED: _l("Không thụ lý"),
    RESOLVED: _l("Đã giải quyết"),
}, (
    Transition("accept", (LODGED,), ACCEPTED, HANDLERS),
    Transition("refuse", (LODGED,), REFUSED, HANDLERS, needs_reason=True),
    # A complex case has the longer time limit; the reason says why it is complex.
    Transition("mark_complex", (ACCEPTED,), ACCEPTED, HANDLERS, needs_reason=True),
    Transition("resolve", (ACCEPTED,), RESOLVED, HANDLERS, needs_reason=True),
))
