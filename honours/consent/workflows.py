"""The consent request's workflow: asked online (a link by email) or on paper (a signed scan the secretariat
confirms); answered, later changed or withdrawn from a re-sent link. The person is not a user: their steps are the
system's (actor None), with the client address in the audit reason."""
from flask_babel import lazy_gettext as _l

from honours.core import roles
from honours.core.workflow import SYSTEM, Transition, Workflow

REQUESTED = "requested"
PAPER_PENDING = "paper_pending"
PAPER_RECEIVED = "paper_received"
ANSWERED = "answered"
PAPER_CONFIRMED = "paper_confirmed"

STATE_LABELS = {
    REQUESTED: _l("Đã gửi liên kết, chờ trả lời"),
    PAPER_PENDING: _l("Chờ bản giấy có chữ ký"),
    PAPER_RECEIVED: _l("Đã tải lên bản giấy, chờ Ban thư ký xác nhận"),
    ANSWERED: _l("Đã trả lời trực tuyến"),
    PAPER_CONFIRMED: _l("Đã xác nhận bản giấy"),
}
# The states in which the person's choices are recorded (the others wait for an answer).
RECORDED = (ANSWERED, PAPER_CONFIRMED)
CASE_HANDLERS = (roles.NOMINATOR, roles.SECRETARIAT)

CONSENT = Workflow("consent_request", STATE_LABELS, (
    Transition("answer", (REQUESTED, PAPER_PENDING, PAPER_RECEIVED), ANSWERED, (SYSTEM,)),
    # From a re-sent link: choices changed, consents withdrawn (each withdrawal is audited as well).
    Transition("change_answer", RECORDED, ANSWERED, (SYSTEM,)),
    # A signed form, or later a signed letter changing or withdrawing consents (the secretariat records it).
    Transition("upload_scan", (REQUESTED, PAPER_PENDING, PAPER_RECEIVED, *RECORDED), PAPER_RECEIVED, CASE_HANDLERS),
    Transition("confirm_paper", (PAPER_RECEIVED,), PAPER_CONFIRMED, (roles.SECRETARIAT,)),
    Transition("reject_scan", (PAPER_RECEIVED,), PAPER_PENDING, (roles.SECRETARIAT,), needs_reason=True),
))
