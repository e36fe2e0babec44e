"""Each eligibility rule type on a dossier, the override that needs a reason, and the eligibility decision that
waits for it."""
from datetime import date, datetime

import pytest

from honours.core import roles
from honours.core.audit import AuditEntry
from honours.core.confirm import ConfirmationNeeded
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.nominations import services as nominations
from honours.nominations import states
from honours.nominations.models import Achievement
from honours.rounds.models import EligibilityRule
from honours.selection import rules, services
from tests.factories import make_dossier, make_org, make_person, make_round, make_user


@pytest.fixture
def world(app):
    round_ = make_round()
    org = make_org(nomination_limit=None)
    nominator = make_user(roles.NOMINATOR, org)
    secretary = make_user(roles.SECRETARIAT)
    dossier = make_dossier(round_, org, nominator, state=states.SUBMITTED, full_name="Trần Thị Bình",
                           date_of_birth=date(1980, 3, 10), degree="ThS", years_in_province=4)
    return {"round": round_, "org": org, "nominator": nominator, "secretary": secretary, "dossier": dossier}


def switch_on(round_, kind, **params):
    round_.eligibility_rules.append(EligibilityRule(kind=kind, params=params))
    db.session.commit()


def result_of(dossier, kind):
    db.session.commit()
    return next(r for r in services.rule_results(dossier) if r.kind == kind)


def test_min_years_in_province(world):
    dossier = world["dossier"]
    switch_on(world["round"], rules.MIN_YEARS_IN_PROVINCE, years=5)
    result = result_of(dossier, rules.MIN_YEARS_IN_PROVINCE)
    assert not result.passed and "4 năm" in result.facts
    dossier.years_in_province = 5
    assert result_of(dossier, rules.MIN_YEARS_IN_PROVINCE).passed
    dossier.years_in_province = None
    assert "Chưa khai" in result_of(dossier, rules.MIN_YEARS_IN_PROVINCE).facts


def test_min_degree(world):
    dossier = world["dossier"]
    switch_on(world["round"], rules.MIN_DEGREE, degree="TS")
    assert not result_of(dossier, rules.MIN_DEGREE).passed
    dossier.degree = "TSKH"
    assert result_of(dossier, rules.MIN_DEGREE).passed
    dossier.degree = "other"
    assert not result_of(dossier, rules.MIN_DEGREE).passed


def test_age_limits_on_the_reference_date(world):
    dossier = world["dossier"]  # born 10/03/1980
    switch_on(world["round"], rules.AGE_LIMITS, max_age=45, reference_date="2025-03-09")
    result = result_of(dossier, rules.AGE_LIMITS)
    assert result.passed and "44 tuổi" in result.facts
    world["round"].eligibility_rules[0].params = {"max_age": 45, "min_age": None, "reference_date": "2026-03-10"}
    db.session.commit()
    assert not result_of(dossier, rules.AGE_LIMITS).passed  # 46 on that day


def test_an_achievement_in_the_last_n_years(world):
    dossier = world["dossier"]  # one achievement in 2020, round year 2026
    switch_on(world["round"], rules.RECENT_ACHIEVEMENT, years=3)
    result = result_of(dossier, rules.RECENT_ACHIEVEMENT)
    assert not result.passed and "2024" in result.facts
    dossier.achievements.append(Achievement(kind="award", year=2024, title="Giải thưởng KH&CN tỉnh", position=1))
    db.session.commit()
    assert result_of(dossier, rules.RECENT_ACHIEVEMENT).passed


def _past_round(world, year, name):
    past = make_round(name=name)
    past.year = year
    past.published_at = datetime(year, 12, 1)
    db.session.commit()
    return past


def test_honoured_in_a_past_published_round_by_the_linked_person(world):
    dossier = world["dossier"]
    person = make_person(full_name="Trần Thị Bình", date_of_birth=date(1980, 3, 10))
    past = _past_round(world, 2022, "Trí thức tiêu biểu 2022")
    # Another spelling of the name in the old round: only the person link ties them.
    make_dossier(past, world["org"], world["nominator"], state=states.PUBLISHED, full_name="Trần T. Bình",
                 date_of_birth=date(1980, 3, 10), person_id=person.id)
    dossier.person_id = person.id
    switch_on(world["round"], rules.NOT_HONOURED)
    result = result_of(dossier, rules.NOT_HONOURED)
    assert not result.passed
    assert "Trí thức tiêu biểu 2022" in result.facts and "cơ sở dữ liệu" in result.facts
    world["round"].eligibility_rules[0].params = {"years": 3}  # 2026 - 2022 = 4 years ago: outside the window
    db.session.commit()
    assert result_of(dossier, rules.NOT_HONOURED).passed


def test_honoured_before_found_by_the_accent_free_name_and_birth_date_without_a_person_link(world):
    dossier = world["dossier"]
    past = _past_round(world, 2024, "Trí thức tiêu biểu 2024")
    make_dossier(past, make_org(), world["nominator"], state=states.PUBLISHED, full_name="TRAN THI BINH",
                 date_of_birth=date(1980, 3, 10))
    # Same name, another birth date: not the same person.
    make_dossier(past, make_org(), world["nominator"], state=states.PUBLISHED, full_name="Trần Thị Bình",
                 date_of_birth=date(1981, 3, 10))
    switch_on(world["round"], rules.NOT_HONOURED, years=5)
    result = result_of(dossier, rules.NOT_HONOURED)
    assert dossier.person_id is None
    assert not result.passed and "họ tên không dấu và ngày sinh" in result.facts
    assert result.facts.count("khớp theo") == 1  # the other birth date is not the same person


def test_not_approved_or_unpublished_rounds_do_not_count_as_honoured(world):
    unpublished = make_round(name="Đợt chưa công bố")
    unpublished.year = 2025
    make_dossier(unpublished, world["org"], world["nominator"], state=states.APPROVED, full_name="Trần Thị Bình",
                 date_of_birth=date(1980, 3, 10))
    past = _past_round(world, 2024, "Đợt 2024")
    make_dossier(past, world["org"], world["nominator"], state=states.NOT_APPROVED, full_name="Trần Thị Bình",
                 date_of_birth=date(1980, 3, 10))
    switch_on(world["round"], rules.NOT_HONOURED)
    assert result_of(world["dossier"], rules.NOT_HONOURED).passed


def test_max_per_organisation_keeps_the_organisations_own_limit_and_the_round_may_tighten_it(world):
    org, round_ = world["org"], world["round"]
    make_dossier(round_, org, world["nominator"], state=states.SUBMITTED, full_name="Lê Văn Cường")
    switch_on(round_, rules.MAX_PER_ORGANISATION)
    result = result_of(world["dossier"], rules.MAX_PER_ORGANISATION)
    assert result.passed and "không bị giới hạn" in result.facts
    org.nomination_limit = 1
    db.session.commit()
    assert not result_of(world["dossier"], rules.MAX_PER_ORGANISATION).passed
    assert nominations.quota(org, round_.id).full
    org.nomination_limit = 5
    round_.eligibility_rules[0].params = {"limit": 2}
    db.session.commit()
    assert str(nominations.quota(org, round_.id)) == "2/2"  # the round's limit is the tighter one
    assert result_of(world["dossier"], rules.MAX_PER_ORGANISATION).passed


def test_a_failed_rule_blocks_eligible_until_overridden_with_a_reason(world):
    dossier, secretary = world["dossier"], world["secretary"]
    switch_on(world["round"], rules.MIN_YEARS_IN_PROVINCE, years=5)
    with pytest.raises(RuleViolation, match="không đạt điều kiện"):
        nominations.decide(secretary, dossier, "mark_eligible", confirmed=True)
    with pytest.raises(RuleViolation, match="lý do"):
        services.override_rule(secretary, dossier, rules.MIN_YEARS_IN_PROVINCE, "   ", confirmed=True)
    with pytest.raises(RuleViolation):
        services.override_rule(world["nominator"], dossier, rules.MIN_YEARS_IN_PROVINCE, "Lý do")
    with pytest.raises(ConfirmationNeeded):
        services.override_rule(secretary, dossier, rules.MIN_YEARS_IN_PROVINCE, "Lý do")
    services.override_rule(secretary, dossier, rules.MIN_YEARS_IN_PROVINCE,
                           "Công tác tại tỉnh 4 năm 11 tháng theo xác nhận của Sở Nội vụ", confirmed=True)
    entry = db.session.query(AuditEntry).filter_by(entity_id=dossier.id, action="override_rule").one()
    assert "Sở Nội vụ" in entry.reason and "4 năm" in entry.reason
    nominations.decide(secretary, dossier, "mark_eligible", confirmed=True)
    assert dossier.state == states.ELIGIBLE


def test_a_passed_rule_cannot_be_overridden_and_ineligible_needs_no_override(world):
    dossier, secretary = world["dossier"], world["secretary"]
    switch_on(world["round"], rules.MIN_DEGREE, degree="DH")
    with pytest.raises(RuleViolation, match="đã đạt"):
        services.override_rule(secretary, dossier, rules.MIN_DEGREE, "Lý do")
    world["round"].eligibility_rules[0].params = {"degree": "TS"}
    db.session.commit()
    nominations.decide(secretary, dossier, "mark_ineligible", "Không đủ trình độ", confirmed=True)
    assert dossier.state == states.INELIGIBLE
