"""Dossier workflow: states and the one table of allowed transitions."""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from honours.auth import roles

DRAFT = "draft"
SUBMITTED = "submitted"
RETURNED = "returned"
RESUBMITTED = "resubmitted"
ELIGIBLE = "eligible"
INELIGIBLE = "ineligible"

STATE_LABELS = {
    DRAFT: _l("Nháp"),
    SUBMITTED: _l("Đã nộp"),
    RETURNED: _l("Yêu cầu bổ sung"),
    RESUBMITTED: _l("Đã nộp bổ sung"),
    ELIGIBLE: _l("Hợp lệ"),
    INELIGIBLE: _l("Không hợp lệ"),
}

# States in which the secretariat's eligibility check is pending.
AWAITING_CHECK = (SUBMITTED, RESUBMITTED)
# States the nominator may edit.
EDITABLE = (DRAFT, RETURNED)


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str, ...]
    target: str
    role: str
    needs_reason: bool = False


TRANSITIONS = {
    t.action: t
    for t in (
        Transition("submit", (DRAFT,), SUBMITTED, roles.NOMINATOR),
        Transition("resubmit", (RETURNED,), RESUBMITTED, roles.NOMINATOR),
        Transition("return", AWAITING_CHECK, RETURNED, roles.SECRETARIAT, needs_reason=True),
        Transition("mark_eligible", AWAITING_CHECK, ELIGIBLE, roles.SECRETARIAT),
        Transition("mark_ineligible", AWAITING_CHECK, INELIGIBLE, roles.SECRETARIAT, needs_reason=True),
    )
}
