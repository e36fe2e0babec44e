"""The one workflow engine: every state machine (dossier, referral, pool entry, need, need match, score sheet,
council session, outbox message) is a `Workflow` built from a table of `Transition`s.

`apply()` checks the actor's role, the source state, the reason and the transition's guard, then moves the record
and writes its audit entry (and any outbox message) in the same transaction. The state column's CHECK constraint
is generated from the same table, so the database refuses a state the workflow does not know.
"""
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import CheckConstraint

from honours.core import audit, audit_labels
from honours.core.db import db, state_check, touch
from honours.core.errors import RuleViolation
from honours.core.outbox.queue import enqueue

_REGISTRY: list["Workflow"] = []
# The role of the application itself (the outbox worker, a step that follows from another): never a user's role.
SYSTEM = "system"


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str, ...]
    target: str
    roles: tuple[str, ...]
    needs_reason: bool = False
    # Raises RuleViolation when the action may not happen now (a deadline, a quota): guard(actor, record).
    guard: Callable | None = None
    # The action the audit log names, when several transitions are one action to a person (a need match's
    # "outcome", whichever outcome it records).
    audit_action: str = ""


@dataclass(frozen=True)
class Message:
    """An email the transition sends, through the outbox, in the same transaction."""

    recipient: str
    subject: str
    body: str


class Workflow:
    def __init__(self, entity_type: str, states: Mapping[str, object], transitions: Iterable[Transition],
                 state_attribute: str = "state", audited: bool = True):
        self.entity_type = entity_type
        self.states = dict(states)  # state -> label (lazy string)
        self.transitions = {t.action: t for t in transitions}
        self.state_attribute = state_attribute
        self.audited = audited
        for t in self.transitions.values():
            unknown = {*t.sources, t.target} - set(self.states)
            if unknown:
                raise ValueError(f"{entity_type}.{t.action} names unknown states {unknown}")
        _REGISTRY.append(self)
        audit_labels.register_workflow_states(entity_type, self.states)

    def __repr__(self) -> str:
        return f"<Workflow {self.entity_type}>"

    def label(self, state: str) -> str:
        return str(self.states.get(state, state))

    def check_constraint(self) -> CheckConstraint:
        """For the model's __table_args__: the column holds one of the workflow's states, nothing else."""
        return state_check(self.state_attribute, self.states)

    def may(self, actor, record, action: str) -> bool:
        """Whether `actor` may take `action` on `record` now (for showing a button; apply() decides)."""
        try:
            self.check(actor, record, action)
        except RuleViolation:
            return False
        return True

    def permitted(self, actor, action: str) -> Transition:
        """The transition, if the actor's role may take it. A set-based UPDATE (compare-and-set, as the outbox
        worker does) puts its `sources` in the WHERE clause and its `target` in the values."""
        transition = self.transitions.get(action)
        if transition is None:
            raise RuleViolation(_("Thao tác không hợp lệ."))
        role = actor.role if actor is not None else SYSTEM
        if role not in transition.roles:
            raise RuleViolation(_("Bạn không có quyền thực hiện thao tác này."))
        return transition

    def check(self, actor, record, action: str, reason: str = "") -> Transition:
        transition = self.permitted(actor, action)
        state = getattr(record, self.state_attribute)
        if state not in transition.sources:
            raise RuleViolation(_("Không thể thực hiện thao tác ở trạng thái \"%(state)s\".", state=self.label(state)))
        if transition.needs_reason and not str(reason or "").strip():
            raise RuleViolation(_("Vui lòng nêu lý do."))
        if transition.guard is not None:
            transition.guard(actor, record)
        return transition

    def apply(self, actor, record, action: str, reason: str = "", messages: Iterable[Message] = ()) -> Transition:
        """Move `record` by `action` (actor None = the system), with its audit entry and messages. Flushes nothing
        but the new record's id when the audit entry needs it; the caller's transaction commits."""
        transition = self.check(actor, record, action, reason)
        source = getattr(record, self.state_attribute)
        if self.audited:
            if record.id is None:
                db.session.flush()
            audit.record(actor, self.entity_type, record.id, transition.audit_action or action, source,
                         transition.target,
                         reason.strip() if reason else "")
        setattr(record, self.state_attribute, transition.target)
        if hasattr(record, "updated_at"):
            touch(record)
        for message in messages:
            enqueue(message.recipient, message.subject, message.body)
        return transition


def registry() -> list[Workflow]:
    """Every workflow defined so far (each feature's module creates its own): the generated tests walk them."""
    return list(_REGISTRY)
