"""Council membership changes and reviewer assignment and removal are audited: who, when, what (old -> new)."""
from sqlalchemy import select

from honours.core import roles
from honours.core.audit import AuditEntry
from honours.core.db import db
from honours.reviews import services
from honours.reviews.models import ReviewAssignment
from tests.factories import make_council, make_user
from tests.reviews.test_reviews import eligible, world  # noqa: F401 (the fixture)


def _entries(entity_type, entity_id, action):
    return list(db.session.scalars(select(AuditEntry).where(
        AuditEntry.entity_type == entity_type, AuditEntry.entity_id == entity_id, AuditEntry.action == action)
        .order_by(AuditEntry.id)))


def test_adding_changing_and_removing_a_council_member_is_audited(world):
    round_, secretary = world["round"], world["secretary"]
    user = make_user(roles.COUNCIL, full_name="Đỗ Văn Mới")
    member = services.save_member(secretary, round_, user, panel_field_id=round_.fields[0].id,
                                  affiliation="Sở Y tế")
    db.session.commit()
    [added] = _entries("round", round_.id, "council_member_added")
    assert added.actor_id == secretary.id and "Đỗ Văn Mới" in added.reason
    assert f"tiểu ban: {round_.fields[0].name}" in added.reason and "cơ quan: Sở Y tế" in added.reason

    services.save_member(secretary, round_, user, panel_field_id=round_.fields[1].id, affiliation="Sở Y tế",
                         member=member)
    db.session.commit()
    [changed] = _entries("round", round_.id, "council_member_changed")
    assert f"tiểu ban: {round_.fields[0].name} → {round_.fields[1].name}" in changed.reason
    assert "cơ quan" not in changed.reason  # only what changed

    services.remove_member(secretary, member)
    db.session.commit()
    [removed] = _entries("round", round_.id, "council_member_removed")
    assert removed.actor_id == secretary.id and "Đỗ Văn Mới" in removed.reason


def test_assigning_and_removing_a_reviewer_is_audited_manual_and_automatic(world):
    round_, secretary = world["round"], world["secretary"]
    members = make_council(round_, 4)
    dossier = eligible(world, "Nguyễn Văn An")
    services.assign(secretary, dossier, members[0])
    db.session.commit()
    [assigned] = _entries("dossier", dossier.id, "assign_reviewer")
    assert (assigned.actor_id, assigned.reason) == (secretary.id, "Phân công người chấm: Thành viên 1.")

    assignment = db.session.scalar(select(ReviewAssignment).where(ReviewAssignment.reviewer_id == members[0].id))
    services.unassign(secretary, assignment, "Bận công tác", confirmed=True)
    db.session.commit()
    [unassigned] = _entries("dossier", dossier.id, "unassign_reviewer")
    assert unassigned.actor_id == secretary.id
    assert unassigned.reason == "Gỡ phân công người chấm: Thành viên 1. Bận công tác"

    assert services.auto_assign(secretary, round_) == 3
    db.session.commit()
    automatic = _entries("dossier", dossier.id, "assign_reviewer")[1:]
    assert len(automatic) == 3 and all(e.actor_id == secretary.id for e in automatic)
