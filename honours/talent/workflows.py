"""The talent channel's four state machines (referral, pool entry, need, need match), run by honours.core.workflow.

The states live here rather than in models.py because each model's CHECK constraint is generated from its table;
models.py re-exports them. Creating a record (a draft referral, a pool entry, a posted need, a proposed match) is
not a transition: the record starts in its column's initial state and the service writes the creation's audit entry.
"""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from honours.core import roles
from honours.core.errors import RuleViolation
from honours.core.workflow import Transition, Workflow

# Referral states: the organisation drafts and submits; the secretariat screens.
DRAFT, SUBMITTED, ACCEPTED, DECLINED = "draft", "submitted", "accepted", "declined"
REFERRAL_STATE_LABELS = {
    DRAFT: _l("Nháp"),
    SUBMITTED: _l("Chờ sàng lọc"),
    ACCEPTED: _l("Đã vào nguồn nhân tài"),
    DECLINED: _l("Không tiếp nhận"),
}

# Pool entries: active until a periodic review retires them.
ACTIVE, RETIRED = "active", "retired"
POOL_STATUS_LABELS = {ACTIVE: _l("Đang theo dõi"), RETIRED: _l("Đã rút khỏi nguồn")}

OPEN, CLOSED = "open", "closed"
NEED_STATUS_LABELS = {OPEN: _l("Đang tìm người"), CLOSED: _l("Đã đóng")}

PROPOSED, CONTACTED, ENGAGED, NOT_SUITABLE = "proposed", "contacted", "engaged", "not_suitable"
OUTCOME_LABELS = {
    PROPOSED: _l("Đã đề xuất"),
    CONTACTED: _l("Đã liên hệ"),
    ENGAGED: _l("Đã tham gia nhiệm vụ"),
    NOT_SUITABLE: _l("Không phù hợp"),
}
# What the secretariat records after proposing someone (any of them, from any outcome: plans change).
RECORDED_OUTCOMES = (CONTACTED, ENGAGED, NOT_SUITABLE)


def ready_to_submit(actor, referral) -> None:
    """A referral goes to the secretariat with something to screen: a file and the referrer's reasons."""
    if not referral.attachments:
        raise RuleViolation(_("Phiếu tiến cử cần ít nhất một tệp đính kèm (lý lịch, minh chứng hoặc công văn)."))
    if not (referral.justification or "").strip():
        raise RuleViolation(_("Vui lòng nêu lý do tiến cử trước khi nộp."))


REFERRAL = Workflow("referral", REFERRAL_STATE_LABELS, (
    Transition("submit", (DRAFT,), SUBMITTED, (roles.NOMINATOR,), guard=ready_to_submit),
    # Accepting also puts the person in the pool (pool entry "add", "merge" or "reactivate").
    Transition("accept", (SUBMITTED,), ACCEPTED, (roles.SECRETARIAT,)),
    Transition("decline", (SUBMITTED,), DECLINED, (roles.SECRETARIAT,), needs_reason=True),
))

# The reason of add/merge/reactivate is the referring organisation's name; of a review, the reviewer's note.
POOL_ENTRY = Workflow("talent_pool_entry", POOL_STATUS_LABELS, (
    # Another accepted referral of someone already in the pool.
    Transition("merge", (ACTIVE,), ACTIVE, (roles.SECRETARIAT,)),
    Transition("reactivate", (RETIRED,), ACTIVE, (roles.SECRETARIAT,)),
    # Periodic screening: keep (only the next date moves), update (what changed is in the review) or retire.
    Transition("review_keep", (ACTIVE,), ACTIVE, (roles.SECRETARIAT,)),
    Transition("review_update", (ACTIVE,), ACTIVE, (roles.SECRETARIAT,)),
    Transition("review_retire", (ACTIVE,), RETIRED, (roles.SECRETARIAT,), needs_reason=True),
    # The secretariat merges two person records that were one person: the kept entry takes the other's place,
    # active again if the other still was.
    Transition("merge_duplicate", (ACTIVE,), ACTIVE, (roles.SECRETARIAT,)),
    Transition("merge_duplicate_retired", (RETIRED,), RETIRED, (roles.SECRETARIAT,), audit_action="merge_duplicate"),
    Transition("merge_duplicate_active", (RETIRED,), ACTIVE, (roles.SECRETARIAT,), audit_action="merge_duplicate"),
), state_attribute="status")

# Departments are nominator accounts; which need a user may close (their own) is the service's object check.
NEED = Workflow("talent_need", NEED_STATUS_LABELS, (
    Transition("close", (OPEN,), CLOSED, (roles.SECRETARIAT, roles.NOMINATOR)),
), state_attribute="status")

# Every outcome is recorded with the one action "outcome" (so the audit history has said since the channel
# began), and the engine gives an action one target: one table per outcome it leads to, all on the same column
# and entity. Going back to "proposed" is not an outcome.
# Any outcome may follow any other; the log names each one "outcome" (the to-state says which).
NEED_MATCH = Workflow("talent_match", OUTCOME_LABELS, tuple(
    Transition(f"record_{outcome}", tuple(OUTCOME_LABELS), outcome, (roles.SECRETARIAT,),
               needs_reason=outcome == NOT_SUITABLE, audit_action="outcome")
    for outcome in RECORDED_OUTCOMES
), state_attribute="outcome")
