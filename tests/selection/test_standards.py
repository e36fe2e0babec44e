"""A "standards" round through the services, as far as the ballot list: the nominator's claims with evidence,
the appraisal per standard with one clarification exchange, the ballot shortlist; "both" adds the points."""
import io
from decimal import Decimal

import pytest

from honours.core import roles
from honours.core.audit import AuditEntry
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.core.outbox.models import OutboxMessage
from honours.council import services as council
from honours.nominations import services as nominations
from honours.nominations import states
from honours.rounds.models import ACHIEVEMENT, GENERAL
from honours.selection import services
from honours.selection.models import ANSWERED, CLARIFY, MET, NOT_MET, Clarification
from tests.factories import PDF, give_consent, make_dossier, make_org, make_round, make_user


def standards_round(method="standards"):
    round_ = make_round(name="Trí thức tiêu biểu theo tiêu chuẩn")
    secretary = make_user(roles.SECRETARIAT)
    services.save_setup(secretary, round_, services.SetupData(
        selection_method=method, achievement_standards_needed=1, standards=[
            services.StandardRow(GENERAL, "Sinh sống, công tác tại tỉnh ≥ 5 năm"),
            services.StandardRow(GENERAL, "Trình độ đại học trở lên"),
            services.StandardRow(ACHIEVEMENT, "Chủ nhiệm đề tài cấp tỉnh đã nghiệm thu",
                                 evidence="Quyết định công nhận kết quả"),
            services.StandardRow(ACHIEVEMENT, "Bằng độc quyền sáng chế"),
        ]))
    db.session.commit()
    return round_, secretary


@pytest.fixture
def world(app):
    round_, secretary = standards_round()
    org = make_org(email="hoi@example.vn")
    nominator = make_user(roles.NOMINATOR, org)
    dossier = make_dossier(round_, org, nominator)
    return {"round": round_, "secretary": secretary, "org": org, "nominator": nominator, "dossier": dossier}


def test_setup_is_audited_and_refuses_a_standards_round_without_standards(world):
    round_, secretary = world["round"], world["secretary"]
    assert [s.kind for s in round_.standards] == [GENERAL, GENERAL, ACHIEVEMENT, ACHIEVEMENT]
    assert db.session.query(AuditEntry).filter_by(entity_type="round", action="update_selection").count() == 1
    with pytest.raises(RuleViolation, match="ít nhất một tiêu chuẩn"):
        services.save_setup(secretary, make_round(name="Khác"), services.SetupData("standards"))
    with pytest.raises(RuleViolation, match="từ 1 đến 2"):
        services.save_setup(secretary, round_, services.SetupData(
            "standards", 3, [services.StandardRow(s.kind, s.name, id=s.id) for s in round_.standards]))


def test_claims_point_at_evidence_and_the_checklist_warns_until_enough(world):
    dossier, nominator = world["dossier"], world["nominator"]
    project = world["round"].standards[2]
    assert services.claim_problems(dossier)  # nothing claimed yet: a warning
    with pytest.raises(RuleViolation, match="thành tích hoặc tệp"):
        services.save_claims(nominator, dossier, [services.ClaimRow(project.id)])
    with pytest.raises(RuleViolation, match="không thuộc"):  # a general standard is not claimed
        services.save_claims(nominator, dossier, [services.ClaimRow(world["round"].standards[0].id, 0)])
    services.save_claims(nominator, dossier, [
        services.ClaimRow(project.id, achievement_position=0, attachment_id=dossier.attachments[0].id)])
    db.session.commit()
    assert services.claim_problems(dossier) == []
    [claim] = services.claims_of(dossier)
    assert claim.achievement_position == 0 and claim.attachment.id == dossier.attachments[0].id


def test_appraisal_with_a_clarification_exchange_then_the_ballot_list(world):
    round_, secretary, nominator, dossier = world["round"], world["secretary"], world["nominator"], world["dossier"]
    residence, degree, project, patent = round_.standards
    services.save_claims(nominator, dossier, [services.ClaimRow(project.id, achievement_position=0)])
    nominations.submit(nominator, dossier)
    db.session.commit()
    give_consent(dossier)  # the nominee answered the emailed link (honours/consent)

    services.appraise(secretary, dossier, residence.id, MET)
    services.appraise(secretary, dossier, degree.id, MET)
    services.appraise(secretary, dossier, patent.id, NOT_MET, "Không có bằng sáng chế")
    with pytest.raises(RuleViolation, match="nhận xét"):
        services.appraise(secretary, dossier, project.id, CLARIFY, "")
    sent = db.session.query(OutboxMessage).count()
    services.appraise(secretary, dossier, project.id, CLARIFY, "Đề nghị gửi quyết định nghiệm thu đề tài.")
    db.session.commit()
    [question] = services.clarifications_of(dossier)
    mails = db.session.query(OutboxMessage).order_by(OutboxMessage.id).all()[sent:]
    assert {m.recipient for m in mails} == {"hoi@example.vn", nominator.email}
    assert "quyết định nghiệm thu" in mails[0].body
    assert not services.standards_met(dossier)

    with pytest.raises(RuleViolation):  # another organisation cannot answer
        services.answer(make_user(roles.NOMINATOR, make_org()), question, "Trả lời")
    with pytest.raises(RuleViolation, match="lý do"):  # an empty answer
        services.answer(nominator, question, "  ")
    submissions = dossier.submission_count
    services.answer(nominator, question, "Gửi kèm quyết định số 12/QĐ-UBND.", io.BytesIO(PDF),
                    "quyet-dinh.pdf")
    db.session.commit()
    question = db.session.get(Clarification, question.id)
    assert question.state == ANSWERED and question.attachment.original_name == "quyet-dinh.pdf"
    assert question.attachment.is_locked  # part of the dossier, never deleted
    assert dossier.submission_count == submissions and dossier.state == states.SUBMITTED  # no resubmission
    with pytest.raises(RuleViolation):
        services.answer(nominator, question, "Lần nữa")

    services.appraise(secretary, dossier, project.id, MET, "Đã có quyết định nghiệm thu")
    assert services.standards_met(dossier)
    nominations.decide(secretary, dossier, "mark_eligible", confirmed=True)
    services.send_to_ballot(secretary, dossier)
    db.session.commit()
    assert dossier.state == states.SCORED
    assert council.shortlist_ids(council.shortlist(round_)) == {dossier.id}


def test_a_dossier_short_of_the_standards_does_not_reach_the_ballot(world):
    round_, secretary, dossier = world["round"], world["secretary"], world["dossier"]
    dossier.state = states.SUBMITTED
    db.session.commit()
    give_consent(dossier)
    for standard in round_.standards[:2]:
        services.appraise(secretary, dossier, standard.id, MET)
    nominations.decide(secretary, dossier, "mark_eligible", confirmed=True)
    with pytest.raises(RuleViolation, match="chưa đạt đủ"):
        services.send_to_ballot(secretary, dossier)
    dossier.state = states.SCORED  # even if it got there otherwise, the list checks the standards
    db.session.commit()
    assert council.shortlist_ids(council.shortlist(round_)) == set()


def test_both_needs_the_standards_and_the_points(app):
    round_, secretary = standards_round("both")
    round_.min_average_score = Decimal(50)
    org = make_org()
    nominator = make_user(roles.NOMINATOR, org)
    dossier = make_dossier(round_, org, nominator, state=states.SUBMITTED)
    for standard in round_.standards[:3]:
        services.appraise(secretary, dossier, standard.id, MET)
    with pytest.raises(RuleViolation, match="theo tiêu chuẩn"):  # "both": the points decide the ranking
        services.send_to_ballot(secretary, dossier)
    dossier.state = states.SCORED  # scored without sheets: no final score, below the minimum
    db.session.commit()
    assert council.shortlist_ids(council.shortlist(round_)) == set()


def test_a_points_round_lists_as_before(app):
    round_ = make_round()
    assert round_.selection_method == "points" and not round_.uses_standards


def test_the_ballot_of_a_standards_round_needs_no_score_sheets(world, client):
    from honours.council.models import CONFIRMED
    from tests.conftest import login
    from tests.factories import make_council

    round_, secretary, dossier = world["round"], world["secretary"], world["dossier"]
    dossier.state = states.SUBMITTED
    db.session.commit()
    give_consent(dossier)
    for standard in round_.standards[:3]:
        services.appraise(secretary, dossier, standard.id, MET)
    nominations.decide(secretary, dossier, "mark_eligible", confirmed=True)
    services.send_to_ballot(secretary, dossier)
    members = make_council(round_, 3)
    chair = members[0]
    chair.is_chair = True
    db.session.commit()
    login(client, secretary)
    results = client.get(f"/rounds/{round_.id}/results").get_data(as_text=True)
    assert "Tiêu chuẩn đạt:" in results and "Chủ nhiệm đề tài cấp tỉnh" in results
    assert client.get(f"/council/rounds/{round_.id}").status_code == 200
    session = council.open_session(secretary, round_, [m.id for m in members], confirmed=True,
                                   override_reason="Họp sớm theo kế hoạch")
    for member in members:
        council.cast_ballot(member, session, {dossier.id: True})
    council.close_voting(secretary, session, confirmed=True)
    result = council.confirm(chair, session)
    db.session.commit()
    assert session.status == CONFIRMED and [row.approved for row in result.rows] == [True]
    assert dossier.state == states.APPROVED
    assert client.get(f"/council/rounds/{round_.id}").status_code == 200
    minutes = client.get(f"/council/sessions/{session.id}/minutes.pdf")  # lists the standards met per dossier
    assert minutes.status_code == 200 and minutes.data.startswith(b"%PDF")
    from io import BytesIO

    from openpyxl import load_workbook

    export = client.get(f"/rounds/{round_.id}/results.xlsx")
    sheet = load_workbook(BytesIO(export.data)).worksheets[0]
    header = [cell.value for cell in sheet[2]]
    assert header[-1] == "Tiêu chuẩn đạt" and "Chủ nhiệm đề tài cấp tỉnh" in sheet.cell(3, len(header)).value
