"""The secretariat's eligibility check through the service layer: eligible, returned for supplements (a reason
and a future deadline, enforced on resubmission), ineligible (a reason, final)."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from honours.core import clock
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.core.outbox.models import OutboxMessage
from honours.nominations import services, states
from honours.nominations.models import DossierSubmission
from tests.factories import PDF, give_consent, upload
from tests.nominations.test_workflow import audit_trail, dossier_data, new_draft, world  # noqa: F401  (world: a fixture)


def test_full_path_submitted_returned_resubmitted_eligible(world):
    nominator, secretary = world["nominator"], world["secretary"]
    dossier = new_draft(world)
    services.submit(nominator, dossier, dossier.version)
    assert dossier.state == states.SUBMITTED and dossier.submission_count == 1

    deadline = clock.now() + timedelta(days=7)
    services.decide(secretary, dossier, "return", "Thiếu bản sao bằng tiến sĩ.", dossier.version, deadline, confirmed=True)
    assert dossier.state == states.RETURNED
    assert dossier.last_reason == "Thiếu bản sao bằng tiến sĩ."
    assert dossier.supplement_deadline == deadline

    # The nominator supplements the dossier and resubmits; the first submission's snapshot is kept.
    services.save_dossier(nominator, world["round"], dossier_data(world["round"], workplace="Sở Y tế Bắc Ninh"),
                          dossier, dossier.version)
    services.add_attachment(nominator, dossier, upload(PDF)[0], "bang-tien-si.pdf", "evidence")
    services.submit(nominator, dossier, dossier.version)
    assert dossier.state == states.RESUBMITTED and dossier.submission_count == 2

    give_consent(dossier)  # the nominee answered the link the first submission sent (not asked again)
    services.decide(secretary, dossier, "mark_eligible", "", dossier.version, confirmed=True)
    assert dossier.state == states.ELIGIBLE
    assert dossier.last_reason == ""

    assert audit_trail(dossier) == [
        ("submit", "draft", "submitted", ""),
        ("return", "submitted", "returned", "Thiếu bản sao bằng tiến sĩ."),
        ("resubmit", "returned", "resubmitted", ""),
        ("mark_eligible", "resubmitted", "eligible", ""),
    ]
    snapshots = db.session.scalars(select(DossierSubmission).order_by(DossierSubmission.number)).all()
    assert [s.snapshot["workplace"] for s in snapshots] == ["Bệnh viện Đa khoa tỉnh", "Sở Y tế Bắc Ninh"]
    assert [len(s.snapshot["attachments"]) for s in snapshots] == [1, 2]
    subjects = db.session.scalars(select(OutboxMessage.subject).where(
        OutboxMessage.recipient == "hoiyhoc@bacninh.example.vn").order_by(OutboxMessage.id)).all()
    assert len(subjects) == 4 and "Yêu cầu bổ sung" in subjects[1] and "hợp lệ" in subjects[3]


def test_ineligible_needs_a_reason_and_is_final(world):
    dossier = new_draft(world)
    services.submit(world["nominator"], dossier)
    with pytest.raises(RuleViolation, match="lý do"):
        services.decide(world["secretary"], dossier, "mark_ineligible", "   ", confirmed=True)
    db.session.rollback()
    services.decide(world["secretary"], dossier, "mark_ineligible", "Không cư trú tại Bắc Ninh.", confirmed=True)
    assert dossier.state == states.INELIGIBLE
    with pytest.raises(RuleViolation):
        services.decide(world["secretary"], dossier, "mark_eligible", confirmed=True)
    with pytest.raises(RuleViolation):
        services.save_dossier(world["nominator"], world["round"], dossier_data(world["round"]), dossier)


def test_return_needs_reason_and_future_deadline(world):
    dossier = new_draft(world)
    services.submit(world["nominator"], dossier)
    with pytest.raises(RuleViolation, match="lý do"):
        services.decide(world["secretary"], dossier, "return", "", supplement_deadline=clock.now() + timedelta(days=3), confirmed=True)
    with pytest.raises(RuleViolation, match="Hạn nộp bổ sung"):
        services.decide(world["secretary"], dossier, "return", "Thiếu minh chứng", supplement_deadline=clock.now(), confirmed=True)


def test_supplement_deadline_is_enforced(world):
    dossier = new_draft(world)
    services.submit(world["nominator"], dossier)
    deadline = clock.now() + timedelta(days=2)
    services.decide(world["secretary"], dossier, "return", "Bổ sung công văn", supplement_deadline=deadline, confirmed=True)
    with clock.frozen(deadline + timedelta(seconds=1)):
        with pytest.raises(RuleViolation, match="hạn nộp bổ sung"):
            services.submit(world["nominator"], dossier)
    # Returned dossiers may be completed after the general nomination deadline, within the supplement deadline.
    with clock.frozen(world["round"].nominations_close_at + timedelta(hours=1)):
        if deadline > world["round"].nominations_close_at + timedelta(hours=1):
            services.submit(world["nominator"], dossier)


def test_a_returned_dossier_may_be_completed_and_resubmitted_after_the_general_deadline(world):
    """The supplement deadline, not the call's closing date, bounds a returned dossier: the organisation may edit
    and resubmit it after nominations close (and not after its own deadline, test_supplement_deadline_is_enforced)."""
    dossier = new_draft(world)
    services.submit(world["nominator"], dossier)
    close = world["round"].nominations_close_at
    services.decide(world["secretary"], dossier, "return", "Bổ sung công văn", supplement_deadline=close + timedelta(days=5), confirmed=True)
    with clock.frozen(close + timedelta(days=1)):
        services.save_dossier(world["nominator"], world["round"],
                              dossier_data(world["round"], workplace="Sở Y tế Bắc Ninh"), dossier, dossier.version)
        services.submit(world["nominator"], dossier, dossier.version)
    assert dossier.state == states.RESUBMITTED and dossier.workplace == "Sở Y tế Bắc Ninh"
    with clock.frozen(close + timedelta(days=1)):  # a draft, though, is refused after the close
        with pytest.raises(RuleViolation, match="hết hạn nộp hồ sơ"):
            services.submit(world["nominator"], new_draft(world, full_name="Trần Văn Muộn"))
