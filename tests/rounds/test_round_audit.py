"""Round, criteria and weight edits are audited: who, when, and every value that changed (old -> new)."""
from decimal import Decimal

from sqlalchemy import select

from honours.core import roles
from honours.core.audit import AuditEntry
from honours.core.db import db
from honours.rounds import services
from honours.rounds.services import CriterionRow, FieldRow
from tests.factories import make_user
from tests.rounds.test_rounds_and_organisations import round_data


def _entries(round_id):
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.entity_type == "round",
                                                            AuditEntry.entity_id == round_id)
                                   .order_by(AuditEntry.id)))


def test_creating_and_editing_a_round_records_old_and_new_values(app):
    secretary = make_user(roles.SECRETARIAT)
    round_ = services.save_round(secretary, round_data())
    db.session.commit()
    [created] = _entries(round_.id)
    assert (created.action, created.actor_id) == ("create", secretary.id)
    assert "Thành tích, tối đa 20, trọng số 60" in created.reason

    first, second = round_.criteria
    data = round_data(approval_rule="two_thirds", fields=[FieldRow(f.name, f.quota, f.id) for f in round_.fields],
                      criteria=[
        CriterionRow("Thành tích", Decimal(20), Decimal(50), id=first.id),
        CriterionRow("Ứng dụng", Decimal(10), Decimal(50), id=second.id)])
    services.save_round(secretary, data, round_)
    db.session.commit()
    updated = _entries(round_.id)[-1]
    assert (updated.action, updated.actor_id, updated.reason_code) == ("update", secretary.id, "rounds.updated")
    assert "approval_rule: majority → two_thirds" in updated.reason
    assert (f"tiêu chí #{first.id}: Thành tích, tối đa 20, trọng số 60, vị trí 1 → "
            f"Thành tích, tối đa 20, trọng số 50, vị trí 1") in updated.reason
    assert f"tiêu chí #{second.id}: Ứng dụng, tối đa 10, trọng số 40" in updated.reason
    assert "name:" not in updated.reason  # only what changed

    services.save_round(secretary, data, round_)  # saved again unchanged: nothing to record
    db.session.commit()
    assert len(_entries(round_.id)) == 2
