"""Dossier workflow: states and the one table of allowed transitions (run by honours.core.workflow)."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, select

from honours.core import roles
from honours.core.audit import AuditEntry
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.core.workflow import Transition, Workflow

from .signals import check_marking_eligible, check_reopening

DRAFT = "draft"
SUBMITTED = "submitted"
RETURNED = "returned"
RESUBMITTED = "resubmitted"
ELIGIBLE = "eligible"
INELIGIBLE = "ineligible"
UNDER_REVIEW = "under_review"
SCORED = "scored"
APPROVED = "approved"
NOT_APPROVED = "not_approved"
PUBLISHED = "published"
WITHDRAWN = "withdrawn"

STATE_LABELS = {
    DRAFT: _l("Nháp"),
    SUBMITTED: _l("Đã nộp"),
    RETURNED: _l("Yêu cầu bổ sung"),
    RESUBMITTED: _l("Đã nộp bổ sung"),
    ELIGIBLE: _l("Hợp lệ"),
    INELIGIBLE: _l("Không hợp lệ"),
    UNDER_REVIEW: _l("Đang chấm điểm"),
    SCORED: _l("Đã chấm điểm"),
    APPROVED: _l("Hội đồng thông qua"),
    NOT_APPROVED: _l("Hội đồng không thông qua"),
    PUBLISHED: _l("Đã công bố"),
    WITHDRAWN: _l("Đơn vị đã rút hồ sơ"),
}

# States in which the secretariat's eligibility check is pending.
AWAITING_CHECK = (SUBMITTED, RESUBMITTED)
# States the nominator may edit.
EDITABLE = (DRAFT, RETURNED)
# States in which reviewers may be assigned and score.
IN_REVIEW = (ELIGIBLE, UNDER_REVIEW, SCORED)
# What the nominating organisation sees: the council's work stays internal until the list is published.
IN_SELECTION = (UNDER_REVIEW, SCORED, APPROVED, NOT_APPROVED)
IN_SELECTION_LABEL = _l("Đang xét chọn")
NOMINATOR_ACTIONS = ("submit", "resubmit", "withdraw", "return", "mark_eligible", "mark_ineligible", "publish")
# States that do not use the organisation's nomination limit: a draft is not yet nominated, a withdrawn dossier
# gave its place back.
NOT_COUNTED = (DRAFT, WITHDRAWN)


def check_not_started(actor, dossier) -> None:
    """The secretariat has not begun the check: nothing has been recorded on the dossier since its latest
    (re)submission (a decision, or any later internal step such as sending it back to the check)."""
    entries = (AuditEntry.entity_type == "dossier", AuditEntry.entity_id == dossier.id)
    last_submission = select(func.coalesce(func.max(AuditEntry.id), 0)).where(
        *entries, AuditEntry.action.in_(("submit", "resubmit"))).scalar_subquery()
    if db.session.scalar(select(exists().where(*entries, AuditEntry.id > last_submission))):
        raise RuleViolation(_("Ban thư ký đã bắt đầu thẩm định hồ sơ này nên đơn vị không thể rút hồ sơ nữa."))

def _may_mark_eligible(actor, dossier) -> None:
    """Later stages refuse through the signal (consent: the nominee has not consented to the round's processing)."""
    check_marking_eligible.send(dossier, actor=actor)


# The secretariat's internal step back: an eligible dossier goes back to the check (the nominator is not told).
REOPEN_CHECK_SOURCES = (ELIGIBLE, UNDER_REVIEW)


def _may_reopen_check(actor, dossier) -> None:
    """Only while no reviewer has submitted a sheet: the review stage (a later one) refuses through the signal."""
    check_reopening.send(dossier, actor=actor)


DOSSIER = Workflow("dossier", STATE_LABELS, (
    Transition("submit", (DRAFT,), SUBMITTED, (roles.NOMINATOR,)),
    Transition("resubmit", (RETURNED,), RESUBMITTED, (roles.NOMINATOR,)),
    # The organisation takes back a dossier whose check has not started; final, it frees the organisation's place
    # in the round.
    Transition("withdraw", AWAITING_CHECK, WITHDRAWN, (roles.NOMINATOR,), guard=check_not_started),
    Transition("return", AWAITING_CHECK, RETURNED, (roles.SECRETARIAT,), needs_reason=True),
    Transition("mark_eligible", AWAITING_CHECK, ELIGIBLE, (roles.SECRETARIAT,), guard=_may_mark_eligible),
    Transition("mark_ineligible", AWAITING_CHECK, INELIGIBLE, (roles.SECRETARIAT,), needs_reason=True),
    # Back to the state it was checked in: "submitted", or "resubmitted" after a return (one action to a person).
    Transition("reopen_check", REOPEN_CHECK_SOURCES, SUBMITTED, (roles.SECRETARIAT,), needs_reason=True,
               guard=_may_reopen_check),
    Transition("reopen_check_resubmitted", REOPEN_CHECK_SOURCES, RESUBMITTED, (roles.SECRETARIAT,),
               needs_reason=True, guard=_may_reopen_check, audit_action="reopen_check"),
    # Review: the first assignment starts it; it is complete when every assigned reviewer has submitted
    # (the last reviewer's sheet, or the secretariat removing a reviewer who had not); reopening a sheet or
    # adding a reviewer moves it back.
    Transition("start_review", (ELIGIBLE,), UNDER_REVIEW, (roles.SECRETARIAT,)),
    Transition("complete_review", (UNDER_REVIEW,), SCORED, (roles.COUNCIL, roles.SECRETARIAT)),
    Transition("reopen_review", (SCORED,), UNDER_REVIEW, (roles.SECRETARIAT,)),
    # Council: the chair confirms the ballot result; the secretariat publishes.
    Transition("approve", (SCORED,), APPROVED, (roles.COUNCIL,)),
    Transition("reject", (SCORED,), NOT_APPROVED, (roles.COUNCIL,)),
    Transition("publish", (APPROVED,), PUBLISHED, (roles.SECRETARIAT,)),
    # An opinion on the publicly noticed list, verified, takes the candidate off the proposed list (notice).
    Transition("withdraw_from_list", (APPROVED,), WITHDRAWN, (roles.SECRETARIAT,), needs_reason=True),
))
