"""The data-subject request's workflow: received, taken in hand, then answered or refused (with the reply sent
through the outbox in the same transaction)."""
from flask_babel import lazy_gettext as _l

from honours.core import roles
from honours.core.workflow import Transition, Workflow

RECEIVED, IN_PROGRESS, ANSWERED, REFUSED = "received", "in_progress", "answered", "refused"
OPEN_STATES = (RECEIVED, IN_PROGRESS)
STATE_LABELS = {
    RECEIVED: _l("Mới nhận"),
    IN_PROGRESS: _l("Đang xử lý"),
    ANSWERED: _l("Đã trả lời"),
    REFUSED: _l("Từ chối"),
}
HANDLERS = (roles.SECRETARIAT, roles.ADMIN)

DATA_REQUEST = Workflow("data_request", STATE_LABELS, (
    Transition("start", (RECEIVED,), IN_PROGRESS, HANDLERS),
    Transition("answer", OPEN_STATES, ANSWERED, HANDLERS),
    # The law lets a controller refuse (another law requires the data, the request is unfounded): say why.
    Transition("refuse", OPEN_STATES, REFUSED, HANDLERS, needs_reason=True),
))

# What the person may ask (Law 91/2025/QH15 on the data subject's rights).
ACCESS, CORRECTION, DELETION, RESTRICTION, OBJECTION, WITHDRAW_CONSENT = (
    "access", "correction", "deletion", "restriction", "objection", "withdraw_consent")
KIND_LABELS = {
    ACCESS: _l("Cung cấp dữ liệu cá nhân"),
    CORRECTION: _l("Chỉnh sửa dữ liệu cá nhân"),
    DELETION: _l("Xoá dữ liệu cá nhân"),
    RESTRICTION: _l("Hạn chế xử lý dữ liệu cá nhân"),
    OBJECTION: _l("Phản đối xử lý dữ liệu cá nhân"),
    WITHDRAW_CONSENT: _l("Rút lại sự đồng ý"),
}
# Requests that cannot be acted on without the person saying what they mean.
NEEDS_DETAILS = (CORRECTION, RESTRICTION, OBJECTION)
