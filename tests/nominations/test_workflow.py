"""Dossier workflow through the service layer: drafting and submission, every deadline and rule (the eligibility
check that follows: tests/eligibility/test_eligibility_check.py)."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from honours.core import clock, roles
from honours.core.audit import AuditEntry
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.nominations import services, states
from honours.nominations.services import AchievementData, DossierData
from tests.factories import PDF, give_consent, make_dossier, make_org, make_round, make_user, upload


@pytest.fixture
def world(app):
    round_ = make_round()
    org = make_org("Hội Y học tỉnh Bắc Ninh", email="hoiyhoc@bacninh.example.vn")
    other_org = make_org("Trường Đại học Kỹ thuật", org_type="university")
    return {
        "round": round_, "org": org, "other_org": other_org,
        "nominator": make_user(roles.NOMINATOR, org, email="donvi@example.vn"),
        "other_nominator": make_user(roles.NOMINATOR, other_org),
        "secretary": make_user(roles.SECRETARIAT),
    }


def dossier_data(round_, **overrides) -> DossierData:
    values = dict(
        field_id=round_.fields[0].id, full_name="  Lê   Thị Hoa ", gender="female", date_of_birth=date(1982, 1, 9),
        ethnicity="Nùng", degree="ThS", workplace="Bệnh viện Đa khoa tỉnh", merits_summary="Nhiều sáng kiến cấp tỉnh về quản lý bệnh viện và y học dự phòng.",
        achievements=[AchievementData("award", 2022, "Bằng khen của UBND tỉnh")],
    )
    values.update(overrides)
    return DossierData(**values)


def new_draft(world, **overrides):
    dossier = services.save_dossier(world["nominator"], world["round"], dossier_data(world["round"], **overrides))
    services.add_attachment(world["nominator"], dossier, upload(PDF)[0], "cong-van.pdf", "endorsement")
    return dossier


def audit_trail(dossier):
    return [(e.action, e.from_state, e.to_state, e.reason) for e in
            db.session.scalars(select(AuditEntry).where(AuditEntry.entity_type == "dossier", AuditEntry.entity_id == dossier.id)
            .order_by(AuditEntry.id))]


def test_draft_is_normalised_and_searchable(world):
    dossier = new_draft(world)
    assert dossier.state == states.DRAFT
    assert dossier.full_name == "Lê Thị Hoa"
    assert dossier.name_folded == "le thi hoa"
    assert [a.title for a in dossier.achievements] == ["Bằng khen của UBND tỉnh"]


def test_only_the_right_role_moves_a_dossier(world):
    dossier = new_draft(world)
    with pytest.raises(RuleViolation):
        services.submit(world["secretary"], dossier)
    with pytest.raises(RuleViolation):
        services.submit(world["other_nominator"], dossier)
    services.submit(world["nominator"], dossier)
    with pytest.raises(RuleViolation):
        services.decide(world["nominator"], dossier, "mark_eligible", confirmed=True)
    with pytest.raises(RuleViolation):
        services.submit(world["nominator"], dossier)  # already submitted: read-only for the nominator


def test_submission_after_deadline_is_refused_with_the_deadline(world):
    dossier = new_draft(world)
    after_close = world["round"].nominations_close_at + timedelta(minutes=1)
    with clock.frozen(after_close):
        with pytest.raises(RuleViolation, match="Đã hết hạn nộp hồ sơ") as refused:
            services.submit(world["nominator"], dossier)
        assert world["round"].nominations_close_at.strftime("%d/%m/%Y %H:%M") in refused.value.message
        with pytest.raises(RuleViolation, match="Đã hết hạn"):
            services.save_dossier(world["nominator"], world["round"], dossier_data(world["round"]))
    db.session.rollback()
    assert dossier.state == states.DRAFT


def test_draft_before_opening_is_refused(world):
    with clock.frozen(world["round"].nominations_open_at - timedelta(minutes=1)):
        with pytest.raises(RuleViolation, match="chưa mở"):
            services.save_dossier(world["nominator"], world["round"], dossier_data(world["round"]))


def test_submission_needs_an_attachment_and_a_summary(world):
    dossier = services.save_dossier(world["nominator"], world["round"], dossier_data(world["round"]))
    with pytest.raises(RuleViolation, match="Tệp đính kèm"):
        services.submit(world["nominator"], dossier)
    services.add_attachment(world["nominator"], dossier, upload(PDF)[0], "cv.pdf", "cv")
    services.save_dossier(world["nominator"], world["round"], dossier_data(world["round"], merits_summary=" "), dossier)
    with pytest.raises(RuleViolation, match="Tóm tắt thành tích: chưa nhập"):
        services.submit(world["nominator"], dossier)


def test_organisation_nomination_limit(world):
    world["org"].nomination_limit = 1
    db.session.commit()
    first, second = new_draft(world), new_draft(world, full_name="Phạm Văn Bình")
    services.submit(world["nominator"], first)
    with pytest.raises(RuleViolation, match=r"hết số hồ sơ .* \(1/1\)"):
        services.submit(world["nominator"], second)
    db.session.rollback()
    assert second.state == states.DRAFT


def test_bad_inputs_are_refused(world):
    round_ = world["round"]
    other_round = make_round(name="Đợt khác")
    cases = {
        "Lĩnh vực": dossier_data(round_, field_id=other_round.fields[0].id),
        "Dân tộc": dossier_data(round_, ethnicity="Klingon"),
        "Ngày sinh": dossier_data(round_, date_of_birth=clock.now().date() + timedelta(days=1)),
        "Năm của thành tích": dossier_data(round_, achievements=[AchievementData("award", 1800, "Cũ quá")]),
        "Loại thành tích": dossier_data(round_, achievements=[AchievementData("bribe", 2020, "?")]),
        "họ và tên": dossier_data(round_, full_name="   "),
    }
    for expected, data in cases.items():
        with pytest.raises(RuleViolation, match=expected):
            services.save_dossier(world["nominator"], round_, data)
        db.session.rollback()


def test_duplicate_person_from_another_organisation_is_flagged(world):
    mine = new_draft(world, full_name="Đặng Văn Đức", date_of_birth=date(1970, 2, 3))
    theirs = make_dossier(world["round"], world["other_org"], world["other_nominator"], state=states.SUBMITTED,
                          full_name="dang van duc", date_of_birth=date(1970, 2, 3))
    assert services.find_duplicates(mine) == [theirs]
    assert services.submit(world["nominator"], mine) == [theirs]
    # A different birth date or a draft elsewhere is not a duplicate.
    make_dossier(world["round"], world["other_org"], world["other_nominator"], full_name="Đặng Văn Đức",
                 date_of_birth=date(1971, 2, 3), state=states.SUBMITTED)
    make_dossier(world["round"], world["other_org"], world["other_nominator"], full_name="Đặng Văn Đức",
                 date_of_birth=date(1970, 2, 3))
    assert services.find_duplicates(mine) == [theirs]


def test_deleting_a_draft_removes_its_files(world, app):
    import os

    from honours.core.storage import path_for

    dossier = new_draft(world)
    stored = path_for(dossier.attachments[0].stored_name)
    assert os.path.exists(stored)
    from honours.core.confirm import ConfirmationNeeded

    with pytest.raises(ConfirmationNeeded) as needed:  # nothing is deleted before the nominator confirms
        services.delete_draft(world["nominator"], dossier, dossier.version)
    assert needed.value.consequence == (f"Xoá hẳn hồ sơ nháp của {dossier.full_name} cùng 1 tệp đính kèm. "
                                        "Không thể khôi phục sau khi xoá.")
    assert os.path.exists(stored) and db.session.get(type(dossier), dossier.id) is not None
    services.delete_draft(world["nominator"], dossier, dossier.version, confirmed=True)
    assert not os.path.exists(stored)
    submitted = new_draft(world)
    services.submit(world["nominator"], submitted)
    with pytest.raises(RuleViolation, match="Chỉ có thể xoá hồ sơ ở trạng thái nháp"):
        services.delete_draft(world["nominator"], submitted, confirmed=True)


def test_audit_log_is_append_only(world):
    from honours.core.audit import AuditLogIsAppendOnly

    dossier = new_draft(world)
    services.submit(world["nominator"], dossier)
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.entity_type == "dossier")).one()
    entry.reason = "rewritten"
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.commit()
    db.session.rollback()
    db.session.delete(entry)
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.commit()


def test_nominators_see_neither_council_results_nor_reviewer_conflicts_before_publication(world, app):
    from honours.reviews import services as reviews
    from tests.conftest import login
    from tests.factories import make_council

    dossier = new_draft(world)
    services.submit(world["nominator"], dossier)
    give_consent(dossier)
    services.decide(world["secretary"], dossier, "mark_eligible", confirmed=True)
    reviewer = make_council(world["round"], 1)[0]
    reviews.assign(world["secretary"], dossier, reviewer)
    reviews.declare_conflict(reviewer, dossier, "Là vợ của người được đề cử")
    dossier.state = states.APPROVED
    db.session.commit()
    client = app.test_client()
    login(client, world["nominator"])
    for page in (client.get(f"/dossiers/{dossier.id}"), client.get("/dossiers/")):
        html = page.get_data(as_text=True)
        assert "Đang xét chọn" in html
        assert "Hội đồng thông qua" not in html and "state-approved" not in html
        assert "Là vợ của người được đề cử" not in html and reviewer.full_name not in html
    secretary = app.test_client()
    login(secretary, world["secretary"])
    assert "Là vợ của người được đề cử" in secretary.get(f"/dossiers/{dossier.id}").get_data(as_text=True)
    world["round"].published_at = clock.now()
    dossier.state = states.NOT_APPROVED
    db.session.commit()
    assert "Hội đồng không thông qua" in client.get(f"/dossiers/{dossier.id}").get_data(as_text=True)
