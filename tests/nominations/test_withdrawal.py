"""A nominator withdraws a submitted dossier before the secretariat's check starts: through the workflow engine,
confirmed, audited, the organisation notified; the place in the round comes back and the dossier leaves the
secretariat's to-check list."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from honours.core import audit, clock
from honours.core.audit import AuditEntry
from honours.core.confirm import ConfirmationNeeded
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.core.outbox.models import OutboxMessage
from honours.nominations import services, states
from honours.nominations.models import Dossier
from tests.conftest import login
from tests.factories import give_consent
from tests.nominations.test_workflow import dossier_data, new_draft, world  # noqa: F401  (world: a fixture)


def submitted(world, **overrides) -> Dossier:
    """Submitted, and the nominee consented (so that only the withdrawal rules are at stake)."""
    dossier = new_draft(world, **overrides)
    services.submit(world["nominator"], dossier)
    give_consent(dossier)
    return dossier


def test_withdrawal_needs_confirmation_then_moves_audits_and_notifies(world):
    dossier = submitted(world)
    with pytest.raises(ConfirmationNeeded, match="không thể nộp lại"):
        services.withdraw(world["nominator"], dossier, "Đề cử người khác.")
    db.session.rollback()
    assert db.session.get(Dossier, dossier.id).state == states.SUBMITTED

    sent_before = len(db.session.scalars(select(OutboxMessage)).all())
    services.withdraw(world["nominator"], dossier, "  Đề cử người khác.  ", dossier.version, confirmed=True)
    db.session.commit()
    assert dossier.state == states.WITHDRAWN and dossier.state_label == "Đơn vị đã rút hồ sơ"
    assert dossier.last_reason == "Đề cử người khác."
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.entity_id == dossier.id)
                               .order_by(AuditEntry.id.desc())).first()
    assert (entry.action, entry.from_state, entry.to_state, entry.reason, entry.actor_id) == (
        "withdraw", states.SUBMITTED, states.WITHDRAWN, "Đề cử người khác.", world["nominator"].id)
    messages = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()[sent_before:]
    assert messages and all("Đã rút hồ sơ" in m.subject for m in messages)
    assert "hoiyhoc@bacninh.example.vn" in {m.recipient for m in messages}


def test_the_reason_is_optional(world):
    dossier = submitted(world)
    services.withdraw(world["nominator"], dossier, confirmed=True)
    assert dossier.state == states.WITHDRAWN and dossier.last_reason == ""


def test_withdrawal_frees_the_quota_slot(world):
    world["org"].nomination_limit = 1
    db.session.commit()
    first = submitted(world)
    assert str(services.quota(world["org"], world["round"].id)) == "1/1"
    with pytest.raises(RuleViolation, match=r"\(1/1\)"):
        services.save_dossier(world["nominator"], world["round"], new_draft_data(world))
    db.session.rollback()

    services.withdraw(world["nominator"], db.session.get(Dossier, first.id), confirmed=True)
    db.session.commit()
    assert services.count_counted_towards_limit(world["org"].id, world["round"].id) == 0
    assert str(services.quota(world["org"], world["round"].id)) == "0/1"
    second = submitted(world, full_name="Phạm Văn Bình")  # the place is back: a new dossier is submitted
    assert second.state == states.SUBMITTED
    assert str(services.quota(world["org"], world["round"].id)) == "1/1"


def new_draft_data(world):
    return dossier_data(world["round"], full_name="Trần Văn Mới")


def test_a_resubmitted_dossier_may_be_withdrawn_before_its_new_check(world):
    dossier = submitted(world)
    services.decide(world["secretary"], dossier, "return", "Thiếu bằng.", supplement_deadline=clock.now() + timedelta(days=5), confirmed=True)
    services.submit(world["nominator"], dossier)
    assert dossier.state == states.RESUBMITTED
    services.withdraw(world["nominator"], dossier, confirmed=True)
    assert dossier.state == states.WITHDRAWN


@pytest.mark.parametrize("decision", ["mark_eligible", "mark_ineligible", "return"])
def test_no_withdrawal_once_the_secretariat_has_decided(world, decision):
    dossier = submitted(world)
    services.decide(world["secretary"], dossier, decision, "Lý do.", supplement_deadline=clock.now() + timedelta(days=5), confirmed=True)
    with pytest.raises(RuleViolation, match="đang chờ thẩm định"):
        services.withdraw(world["nominator"], dossier, confirmed=True)


def test_no_withdrawal_once_the_check_has_started_on_a_dossier_still_waiting(world):
    """Any step the secretariat recorded after the latest submission (here: sent back to the check after an
    eligibility decision) means the check has started, though the state is again "submitted"."""
    dossier = submitted(world)
    audit.record(world["secretary"], "dossier", dossier.id, "reopen_check", states.ELIGIBLE, states.SUBMITTED)
    db.session.commit()
    assert not states.DOSSIER.may(world["nominator"], dossier, "withdraw")
    with pytest.raises(RuleViolation, match="đã bắt đầu thẩm định"):
        services.withdraw(world["nominator"], dossier, confirmed=True)


def test_only_the_organisation_withdraws_and_only_submitted_dossiers(world):
    draft = new_draft(world)
    with pytest.raises(RuleViolation, match="đang chờ thẩm định"):
        services.withdraw(world["nominator"], draft, confirmed=True)
    dossier = submitted(world, full_name="Phạm Văn Bình")
    with pytest.raises(RuleViolation, match="không thể rút"):
        services.withdraw(world["other_nominator"], dossier, confirmed=True)
    with pytest.raises(RuleViolation, match="không thể rút"):
        services.withdraw(world["secretary"], dossier, confirmed=True)
    assert dossier.state == states.SUBMITTED


def test_a_withdrawn_dossier_is_final_and_not_a_duplicate(world):
    dossier = submitted(world)
    services.withdraw(world["nominator"], dossier, confirmed=True)
    db.session.commit()
    for action in ("submit", "resubmit", "mark_eligible", "return"):
        assert not any(states.DOSSIER.may(user, dossier, action) for user in (world["nominator"], world["secretary"]))
    # The same person nominated by another organisation is no longer a duplicate of the withdrawn dossier.
    other = services.save_dossier(world["other_nominator"], world["round"], dossier_data(world["round"]))
    assert other.name_folded == dossier.name_folded and services.find_duplicates(other) == []


# ---------------------------------------------------------------- over HTTP

def test_withdraw_over_http_confirms_then_leaves_the_to_check_list(world, client, app):
    dossier = submitted(world)
    login(client, world["nominator"])
    page = client.get(f"/dossiers/{dossier.id}").get_data(as_text=True)
    assert f'action="/dossiers/{dossier.id}/withdraw"' in page

    asked = client.post(f"/dossiers/{dossier.id}/withdraw", data={"version": dossier.version, "withdraw_reason": "Đổi ý."})
    text = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "Rút hồ sơ đề cử" in text and 'name="confirmed" value="1"' in text
    assert 'value="Đổi ý."' in text  # the reason is kept on the confirmation page
    db.session.expire_all()
    assert db.session.get(Dossier, dossier.id).state == states.SUBMITTED

    done = client.post(f"/dossiers/{dossier.id}/withdraw",
                       data={"version": dossier.version, "withdraw_reason": "Đổi ý.", "confirmed": "1"})
    assert done.status_code == 302
    page = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "Đã rút hồ sơ." in page and "Đơn vị đã rút hồ sơ" in page and "Đổi ý." in page
    assert f'action="/dossiers/{dossier.id}/withdraw"' not in page
    db.session.expire_all()
    assert db.session.get(Dossier, dossier.id).state == states.WITHDRAWN

    secretariat = app.test_client()
    login(secretariat, world["secretary"])
    waiting = secretariat.get("/eligibility/?state=submitted")
    assert waiting.status_code == 200 and dossier.full_name not in waiting.get_data(as_text=True)
    everything = secretariat.get("/eligibility/").get_data(as_text=True)
    assert dossier.full_name in everything and "Đơn vị đã rút hồ sơ" in everything  # kept, labelled, not waiting


def test_no_withdraw_button_once_decided_and_a_late_post_is_refused(world, client):
    dossier = submitted(world)
    services.decide(world["secretary"], dossier, "mark_eligible", confirmed=True)
    db.session.commit()
    login(client, world["nominator"])
    assert "/withdraw" not in client.get(f"/dossiers/{dossier.id}").get_data(as_text=True)
    refused = client.post(f"/dossiers/{dossier.id}/withdraw",
                          data={"version": dossier.version, "confirmed": "1"}, follow_redirects=True)
    assert "Chỉ có thể rút hồ sơ đã nộp và đang chờ thẩm định." in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Dossier, dossier.id).state == states.ELIGIBLE


def test_another_organisation_gets_404(world, client):
    dossier = submitted(world)
    login(client, world["other_nominator"])
    assert client.post(f"/dossiers/{dossier.id}/withdraw", data={"version": dossier.version}).status_code == 404
