"""The score sheet's workflow (run by honours.core.workflow): a reviewer submits, the secretariat reopens.

A sheet is created in "draft" by its reviewer's first save; creating it is not a transition (nothing is audited).
"""
from flask_babel import lazy_gettext as _l

from honours.core import roles
from honours.core.workflow import Transition, Workflow

DRAFT = "draft"
SUBMITTED = "submitted"

SCORE_SHEET = Workflow("score_sheet", {DRAFT: _l("Nháp"), SUBMITTED: _l("Đã nộp")}, (
    Transition("submit_sheet", (DRAFT,), SUBMITTED, (roles.COUNCIL,)),
    Transition("reopen_sheet", (SUBMITTED,), DRAFT, (roles.SECRETARIAT,), needs_reason=True),
), state_attribute="status")
