"""The outbox message's workflow, run by the worker in compare-and-set UPDATEs (several workers at once)."""
from flask_babel import lazy_gettext as _l

from honours.core.workflow import SYSTEM, Transition, Workflow

from .models import FAILED, PENDING, SENDING, SENT

OUTBOX = Workflow("outbox_message", {
    PENDING: _l("Chờ gửi"), SENDING: _l("Đang gửi"), SENT: _l("Đã gửi"), FAILED: _l("Gửi không thành công"),
}, (
    # A due pending message, or one whose worker died mid-send (its lease expired).
    Transition("claim", (PENDING, SENDING), SENDING, (SYSTEM,)),
    Transition("deliver", (SENDING,), SENT, (SYSTEM,)),
    Transition("retry_later", (SENDING,), PENDING, (SYSTEM,)),
    Transition("give_up", (SENDING,), FAILED, (SYSTEM,)),
), state_attribute="status", audited=False)


