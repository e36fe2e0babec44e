"""A whole "standards" round (issue 14's acceptance): the nominators' claims with evidence → the appraisal per
standard with one clarification exchange → the ballot → the chair's confirmation → the public notice with two
objections, one leading to withdrawal → the provincial decision → publication. First through the services, then
the same path through HTTP, each role signed in on its own client."""
import io
from datetime import timedelta

import pytest

from honours.core import clock, roles
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.council import services as council
from honours.council.models import CONFIRMED, CouncilSession
from honours.nominations import services as nominations
from honours.nominations import states
from honours.nominations.models import Dossier
from honours.notice import services as notice
from honours.publication import services as publication
from honours.rounds.models import Round
from honours.selection import services
from honours.selection.models import ANSWERED, CLARIFY, MET, NOT_MET, OPEN, Clarification
from tests.conftest import login
from tests.factories import PDF, give_consent, make_council, make_dossier, make_org, make_round, make_user
from tests.notice.test_notice_end_to_end import DECISION, OBJECTIONS, SENDER
from tests.selection.test_pages import SETUP
from tests.selection.test_standards import standards_round

NAMES = ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường")  # the second is withdrawn after an objection
EARLY = "Họp sớm theo kế hoạch"  # the council meets before the round's council date
NOTICE_DAYS = 7


def _nominators(count):
    """One nominating organisation (and its nominator) per candidate."""
    return [make_user(roles.NOMINATOR, make_org(f"Hội Khoa học số {i + 1}", email=f"hoi{i + 1}@example.vn"))
            for i in range(count)]


def _assert_published(round_id, withdrawn_id):
    honoured = {h.full_name for h in publication.published_honourees()}
    assert honoured == {NAMES[0], NAMES[2]}
    withdrawn = db.session.get(Dossier, withdrawn_id)
    assert withdrawn.state == states.WITHDRAWN  # off the list, never published
    published = db.session.query(Dossier).filter_by(round_id=round_id, state=states.PUBLISHED).all()
    assert {d.full_name for d in published} == {NAMES[0], NAMES[2]}
    assert db.session.get(Round, round_id).published_at is not None


def test_a_standards_round_end_to_end_through_the_services(app):
    now = clock.now()
    round_, secretary = standards_round()
    residence, degree, project, patent = round_.standards
    nominators = _nominators(3)

    # Claims with evidence: each nominator claims the project standard, pointing at an achievement and a file.
    dossiers = []
    for nominator, name in zip(nominators, NAMES):
        dossier = make_dossier(round_, nominator.organisation, nominator, full_name=name)
        services.save_claims(nominator, dossier, [services.ClaimRow(
            project.id, achievement_position=0, attachment_id=dossier.attachments[0].id)])
        assert services.claim_problems(dossier) == []
        nominations.submit(nominator, dossier)
        give_consent(dossier)
        dossiers.append(dossier)
    assert [d.state for d in dossiers] == [states.SUBMITTED] * 3

    # The appraisal per standard; the first dossier's project needs one clarification exchange.
    first = dossiers[0]
    for dossier in dossiers:
        services.appraise(secretary, dossier, residence.id, MET)
        services.appraise(secretary, dossier, degree.id, MET)
        services.appraise(secretary, dossier, patent.id, NOT_MET, "Không có bằng sáng chế")
        if dossier is first:
            services.appraise(secretary, dossier, project.id, CLARIFY, "Đề nghị gửi quyết định nghiệm thu đề tài.")
        else:
            services.appraise(secretary, dossier, project.id, MET)
    db.session.commit()
    [question] = services.clarifications_of(first)
    assert question.state == OPEN and not services.standards_met(first)
    services.answer(nominators[0], question, "Gửi kèm quyết định số 12/QĐ-UBND.", io.BytesIO(PDF),
                    "quyet-dinh.pdf")
    assert question.state == ANSWERED and first.state == states.SUBMITTED  # answered without resubmitting
    services.appraise(secretary, first, project.id, MET, "Đã có quyết định nghiệm thu")

    # The ballot list: every dossier meets the standards.
    for dossier in dossiers:
        assert services.standards_met(dossier)
        nominations.decide(secretary, dossier, "mark_eligible", confirmed=True)
        services.send_to_ballot(secretary, dossier)
    db.session.commit()
    assert [d.state for d in dossiers] == [states.SCORED] * 3
    assert council.shortlist_ids(council.shortlist(round_)) == {d.id for d in dossiers}

    # The secret ballot and the chair's confirmation.
    members = make_council(round_, 3)
    session = council.open_session(secretary, round_, [m.id for m in members], confirmed=True,
                                   override_reason=EARLY)
    for member in members:
        council.cast_ballot(member, session, {d.id: True for d in dossiers})
    council.close_voting(secretary, session, confirmed=True)
    result = council.confirm(members[0], session)
    db.session.commit()
    assert session.status == CONFIRMED and [row.approved for row in result.rows] == [True] * 3
    assert [d.state for d in dossiers] == [states.APPROVED] * 3

    # The public notice with two objections; the decision waits for the period and the conclusions.
    notice.save_settings(secretary, round_, NOTICE_DAYS, round_.complaint_days)
    notice.open_notice(secretary, round_, confirmed=True)
    assert {c.full_name for c in notice.candidates(round_)} == set(NAMES)
    opinions = [notice.send_opinion(round_, dossier.id, {**SENDER, "content": content})
                for dossier, (content, _steps) in zip(dossiers, OBJECTIONS)]
    db.session.commit()
    with pytest.raises(RuleViolation, match="đang được công khai"):
        council.record_decision(secretary, session, DECISION["decision_number"], now.date(),
                                DECISION["decision_signer"])
    db.session.rollback()
    for opinion, (_content, steps) in zip(opinions, OBJECTIONS):
        for action, text in steps[:-1]:
            notice.handle(secretary, opinion, action, text)
    db.session.commit()
    later = now + timedelta(days=NOTICE_DAYS + 1)
    with clock.frozen(later):
        assert not notice.is_running(round_)
        with pytest.raises(RuleViolation, match="chưa có kết luận"):  # the period is over, not the opinions
            notice.ensure_decision_allowed(round_)
        for opinion, (_content, steps) in zip(opinions, OBJECTIONS):
            notice.handle(secretary, opinion, *steps[-1])
        db.session.commit()
        assert dossiers[1].state == states.WITHDRAWN
        assert {c.full_name for c in notice.candidates(round_)} == {NAMES[0], NAMES[2]}

        # The decision, then publication without the withdrawn candidate.
        council.record_decision(secretary, session, DECISION["decision_number"], later.date(),
                                DECISION["decision_signer"])
        assert publication.publish(secretary, round_, confirmed=True) == 2
        db.session.commit()
    _assert_published(round_.id, dossiers[1].id)


def test_the_same_standards_round_through_http(app):
    now = clock.now()
    secretary = make_user(roles.SECRETARIAT)
    round_ = make_round(name="Đợt xét theo tiêu chuẩn qua trang web")
    nominators = _nominators(3)
    ids = [make_dossier(round_, nominator.organisation, nominator, full_name=name, years_in_province=9).id
           for nominator, name in zip(nominators, NAMES)]
    members = make_council(round_, 3)
    round_id = round_.id
    office, public = app.test_client(), app.test_client()
    login(office, secretary)
    offices = []
    for nominator in nominators:
        offices.append(app.test_client())
        login(offices[-1], nominator)
    voters = []
    for member in members:
        voters.append(app.test_client())
        login(voters[-1], member)

    # The round's setup: standards, no points.
    assert office.post(f"/selection/rounds/{round_id}", data=SETUP).status_code == 302
    general, award = db.session.get(Round, round_id).standards

    # Claims with evidence, then submission (each nominee consents through the emailed link).
    for client, dossier_id in zip(offices, ids):
        response = client.post(f"/selection/dossiers/{dossier_id}/claims", data={
            "claims-0-standard_id": str(award.id), "claims-0-claimed": "y", "claims-0-achievement": "0",
            "claims-0-attachment": "", "claims-0-note": "Giải Nhì năm 2020"})
        assert response.status_code == 302, response.get_data(as_text=True)
        assert "Tiêu chuẩn thành tích: đã nêu" not in client.get(f"/dossiers/{dossier_id}").get_data(as_text=True)
        assert client.post(f"/dossiers/{dossier_id}/submit",
                           data={"version": db.session.get(Dossier, dossier_id).version}).status_code == 302
        give_consent(db.session.get(Dossier, dossier_id))
    assert {db.session.get(Dossier, i).state for i in ids} == {states.SUBMITTED}

    # The appraisal per standard; the first dossier's award needs a clarification, answered on the dossier.
    def appraise(dossier_id, verdict, note=""):
        return office.post(f"/selection/dossiers/{dossier_id}/appraisal", data={
            "rows-0-standard_id": str(general.id), "rows-0-verdict": "met", "rows-0-note": "",
            "rows-1-standard_id": str(award.id), "rows-1-verdict": verdict, "rows-1-note": note})

    assert appraise(ids[0], "clarify", "Đề nghị gửi quyết định tặng giải.").status_code == 302
    for dossier_id in ids[1:]:
        assert appraise(dossier_id, "met").status_code == 302
    [question] = db.session.query(Clarification).all()
    exchange = offices[0].get(f"/selection/dossiers/{ids[0]}/clarifications").get_data(as_text=True)
    assert "Đề nghị gửi quyết định tặng giải." in exchange
    response = offices[0].post(f"/selection/dossiers/{ids[0]}/clarifications", data={
        "clarification_id": str(question.id), "answer": "Gửi kèm quyết định.", "kind": "evidence",
        "file": (io.BytesIO(PDF), "quyet-dinh-giai.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    assert db.session.get(Clarification, question.id).state == ANSWERED
    assert "quyet-dinh-giai.pdf" in office.get(f"/selection/dossiers/{ids[0]}/appraisal").get_data(as_text=True)
    assert appraise(ids[0], "met", "Đã đủ minh chứng").status_code == 302

    # Eligible, then on the ballot list.
    for dossier_id in ids:
        response = office.post(f"/eligibility/{dossier_id}/decision", data={
            "action": "mark_eligible", "version": db.session.get(Dossier, dossier_id).version, "confirmed": "1"})
        assert response.status_code == 302, response.get_data(as_text=True)
        assert office.post(f"/selection/dossiers/{dossier_id}/ballot").status_code == 302
    assert {db.session.get(Dossier, i).state for i in ids} == {states.SCORED}

    # The council: the session opened (early, with a reason), every member votes, the chair confirms.
    response = office.post(f"/council/rounds/{round_id}/sessions", data={
        "present": [m.id for m in members], "confirmed": "1", "override_reason": EARLY})
    assert response.status_code == 302, response.get_data(as_text=True)
    session_id = db.session.query(CouncilSession).filter_by(round_id=round_id).one().id
    for voter in voters:
        response = voter.post(f"/council/sessions/{session_id}/ballot",
                              data={f"dossier_{i}": "agree" for i in ids})
        assert response.status_code == 302, response.get_data(as_text=True)
    assert office.post(f"/council/sessions/{session_id}/close", data={"confirmed": "1"}).status_code == 302
    assert voters[0].post(f"/council/sessions/{session_id}/confirm").status_code == 302
    assert db.session.get(CouncilSession, session_id).status == CONFIRMED
    assert {db.session.get(Dossier, i).state for i in ids} == {states.APPROVED}

    # The public notice: two objections from the public; the decision is refused meanwhile.
    assert office.post(f"/y-kien-cong-khai/dot/{round_id}",
                       data={"notice_days": str(NOTICE_DAYS), "complaint_days": "90"}).status_code == 302
    assert office.post(f"/y-kien-cong-khai/dot/{round_id}/mo", data={"confirmed": "1"}).status_code == 302
    listing = public.get(f"/cong-khai/{round_id}").get_data(as_text=True)
    assert all(name in listing for name in NAMES)
    for dossier_id, (content, _steps) in zip(ids, OBJECTIONS):
        response = public.post(f"/cong-khai/{round_id}/y-kien/{dossier_id}", data={**SENDER, "content": content})
        assert response.status_code == 302
    refused = office.post(f"/council/sessions/{session_id}/decision",
                          data={**DECISION, "decision_date": now.strftime("%d/%m/%Y")})
    assert refused.status_code == 422 and "đang được công khai" in refused.get_data(as_text=True)
    opinions = sorted(notice.inbox(round_id), key=lambda o: o.id)
    assert [o.dossier_id for o in opinions] == ids[:2]
    for opinion, (_content, steps) in zip(opinions, OBJECTIONS):
        for action, text in steps:
            assert office.post(f"/y-kien-cong-khai/{opinion.id}", data={"action": action, "text": text}) \
                .status_code == 302
    assert db.session.get(Dossier, ids[1]).state == states.WITHDRAWN
    listing = public.get(f"/cong-khai/{round_id}").get_data(as_text=True)
    assert NAMES[0] in listing and NAMES[1] not in listing and NAMES[2] in listing

    # After the period: the decision, then publication of the two remaining honourees.
    later = now + timedelta(days=NOTICE_DAYS + 1)
    with clock.frozen(later):
        response = office.post(f"/council/sessions/{session_id}/decision",
                               data={**DECISION, "decision_date": later.strftime("%d/%m/%Y")})
        assert response.status_code == 302, response.get_data(as_text=True)
        rows = {"confirmed": "1"}
        for i, dossier_id in enumerate((ids[0], ids[2])):
            rows |= {f"citations-{i}-dossier_id": dossier_id,
                     f"citations-{i}-version": db.session.get(Dossier, dossier_id).version,
                     f"citations-{i}-citation": "Có nhiều đóng góp cho khoa học của tỉnh."}
        response = office.post(f"/publication/rounds/{round_id}/publish", data=rows)
        assert response.status_code == 302, response.get_data(as_text=True)
        honoured = public.get("/vinh-danh/2026").get_data(as_text=True)
    assert NAMES[0] in honoured and NAMES[2] in honoured and NAMES[1] not in honoured
    _assert_published(round_id, ids[1])
