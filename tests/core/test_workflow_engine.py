"""The one workflow engine, walked for every workflow x role x source state: apply() allows exactly what the
table says, writes the audit entry with the change, and the database refuses a state no workflow knows."""
from types import SimpleNamespace

import pytest
from sqlalchemy import CheckConstraint, update
from sqlalchemy.exc import IntegrityError

from honours.core import roles
from honours.core.audit import AuditEntry
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.core.workflow import SYSTEM, Message, Transition, Workflow, registry
from honours.nominations import states
from honours.nominations.models import Dossier
from tests.factories import make_dossier, make_org, make_round, make_user

ACTORS = (*roles.ALL_ROLES, SYSTEM)


def all_workflows():
    from honours import create_app

    create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "TESTING": True})  # every feature defines its workflows
    found = {workflow.entity_type: workflow for workflow in registry() if not workflow.entity_type.startswith("test")}
    assert {"dossier", "outbox_message"} <= set(found)
    return sorted(found.values(), key=lambda workflow: workflow.entity_type)


CASES = [
    (workflow, transition, role, state)
    for workflow in all_workflows()
    for transition in workflow.transitions.values()
    for role in ACTORS
    for state in workflow.states
]


@pytest.mark.parametrize("workflow,transition,role,state", CASES,
                         ids=[f"{w.entity_type}.{t.action}-{r}-{s}" for w, t, r, s in CASES])
def test_apply_allows_exactly_what_the_table_says(workflow, transition, role, state):
    record = SimpleNamespace(id=1, **{workflow.state_attribute: state})
    actor = None if role == SYSTEM else SimpleNamespace(id=None, role=role)
    allowed = role in transition.roles and state in transition.sources
    guarded = transition.guard
    try:
        object.__setattr__(transition, "guard", None)  # guards are the features' own tests
        if allowed:
            workflow.check(actor, record, transition.action, reason="Lý do")
            if transition.needs_reason:
                with pytest.raises(RuleViolation, match="lý do"):
                    workflow.check(actor, record, transition.action, reason="  ")
        else:
            with pytest.raises(RuleViolation):
                workflow.check(actor, record, transition.action, reason="Lý do")
    finally:
        object.__setattr__(transition, "guard", guarded)


def test_every_state_column_has_the_check_constraint_of_its_workflow(app):
    """The constraint is generated from the table: a workflow's states and its column's CHECK never drift."""
    constraints = []  # a table may have several (a state and a kind column)
    for table in db.metadata.sorted_tables:
        for constraint in table.constraints:
            if isinstance(constraint, CheckConstraint) and str(constraint.name).endswith("_known"):
                constraints.append(str(constraint.sqltext))
    for workflow in all_workflows():
        matching = [text for text in constraints
                    if text.startswith(f"{workflow.state_attribute} IN") and
                    all(f"'{state}'" in text for state in workflow.states) and
                    text.count("'") == 2 * len(workflow.states)]
        assert matching, f"no CHECK constraint holds exactly the states of {workflow}"


def test_apply_moves_the_record_and_writes_its_audit_entry_in_the_same_transaction(app):
    organisation = make_org()
    nominator = make_user(roles.NOMINATOR, organisation)
    dossier = make_dossier(make_round(), organisation, nominator)
    states.DOSSIER.apply(nominator, dossier, "submit")
    assert dossier.state == states.SUBMITTED
    entry = db.session.scalars(db.select(AuditEntry).where(AuditEntry.entity_id == dossier.id)).one()
    assert (entry.entity_type, entry.action, entry.from_state, entry.to_state) == (
        "dossier", "submit", states.DRAFT, states.SUBMITTED)
    db.session.rollback()  # nothing was committed: the move and its entry go together
    assert db.session.scalar(db.select(db.func.count(AuditEntry.id))) == 0
    assert db.session.get(Dossier, dossier.id).state == states.DRAFT


def test_a_refused_transition_changes_nothing(app):
    organisation = make_org()
    nominator = make_user(roles.NOMINATOR, organisation)
    dossier = make_dossier(make_round(), organisation, nominator)
    with pytest.raises(RuleViolation, match="quyền"):
        states.DOSSIER.apply(nominator, dossier, "mark_eligible")
    with pytest.raises(RuleViolation, match="trạng thái"):
        states.DOSSIER.apply(nominator, dossier, "resubmit")
    assert dossier.state == states.DRAFT
    assert db.session.scalar(db.select(db.func.count(AuditEntry.id))) == 0


def test_apply_sends_the_transitions_messages_through_the_outbox(app):
    from honours.core.outbox.models import OutboxMessage

    organisation = make_org()
    nominator = make_user(roles.NOMINATOR, organisation)
    dossier = make_dossier(make_round(), organisation, nominator)
    states.DOSSIER.apply(nominator, dossier, "submit", messages=[Message("a@example.vn", "Tiêu đề", "Nội dung")])
    assert [m.recipient for m in db.session.scalars(db.select(OutboxMessage))] == ["a@example.vn"]


def test_the_database_refuses_a_state_no_workflow_knows(app):
    organisation = make_org()
    dossier = make_dossier(make_round(), organisation, make_user(roles.NOMINATOR, organisation))
    db.session.commit()
    with pytest.raises(IntegrityError):
        db.session.execute(update(Dossier).where(Dossier.id == dossier.id).values(state="approved_by_magic"))
        db.session.flush()
    db.session.rollback()


def test_a_table_naming_an_unknown_state_is_refused_when_it_is_built():
    with pytest.raises(ValueError, match="unknown states"):
        Workflow("test_typo", {"a": "A"}, (Transition("go", ("a",), "b", (roles.ADMIN,)),))
