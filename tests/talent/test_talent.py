"""Talent referrals (tiến cử người tài), service level: referral -> screening -> pool -> need -> match -> outcome,
periodic screening with history, the overdue list, the suggestion ranking, and every refusal."""
import io
from datetime import date, datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import event, func, select, update
from sqlalchemy.exc import IntegrityError

from honours.core import clock, roles
from honours.core.audit import AuditEntry
from honours.core.db import db
from honours.core.errors import RuleViolation, StaleEdit
from honours.core.outbox.models import OutboxMessage
from honours.talent import needs, pool, referrals
from honours.talent.keywords import matched_keywords, merge_keywords, split_keywords
from honours.talent.models import (
    ACCEPTED,
    ACTIVE,
    CLOSED,
    CONTACTED,
    DECLINED,
    DRAFT,
    ENGAGED,
    KEEP,
    NOT_SUITABLE,
    OUTCOME_LABELS,
    PROPOSED,
    RETIRE,
    RETIRED,
    SUBMITTED,
    UPDATE,
    NeedMatch,
    PoolEntry,
    PoolReview,
    Referral,
)
from honours.talent.workflows import NEED_MATCH
from tests.conftest import NOW
from tests.factories import PDF, make_org, make_person, make_pool_entry, make_user

TODAY = NOW.date()


def referral_data(**changes) -> referrals.ReferralData:
    values = dict(
        full_name="Nguyễn Thị Minh Anh", gender="female", date_of_birth=date(1985, 3, 8), ethnicity="Tày",
        field="Kỹ thuật và công nghệ", workplace="Viện Công nghệ Vật liệu Kinh Bắc", degree="TS",
        email="minhanh@vien.example", expertise_keywords="vật liệu nano; pin mặt trời, quang điện",
        proposed_role="Chuyên gia tư vấn dự án năng lượng sạch", availability="advisory", consent_national_db=True,
        justification="Chủ trì 3 đề tài cấp tỉnh về vật liệu nano, có 2 bằng sáng chế về pin mặt trời.",
    )
    values.update(changes)
    return referrals.ReferralData(**values)


def make_referral(user, state=DRAFT, secretary=None, attach=True, **changes) -> Referral:
    """A referral taken through the real services up to `state`."""
    referral = referrals.save_referral(user, referral_data(**changes))
    if attach:
        referrals.add_attachment(user, referral, io.BytesIO(PDF), "ly-lich-khoa-hoc.pdf", "cv")
    if state != DRAFT:
        referrals.submit(user, referral)
    if state == ACCEPTED:
        referrals.screen(secretary, referral, "accept")
    elif state == DECLINED:
        referrals.screen(secretary, referral, "decline", "Chưa đủ minh chứng.")
    return referral


def need_data(**changes) -> needs.NeedData:
    values = dict(title="Tư vấn dự án điện mặt trời mái nhà cho khu công nghiệp", field="Kỹ thuật và công nghệ",
                  expertise_keywords="pin mặt trời, vật liệu nano; lưu trữ năng lượng",
                  description="Thẩm định giải pháp kỹ thuật.", deadline=TODAY + timedelta(days=60))
    values.update(changes)
    return needs.NeedData(**values)


def make_entry(secretary, full_name: str, field="Kỹ thuật và công nghệ", keywords="", status=ACTIVE,
               next_review_on=None, dob=date(1980, 1, 1)) -> PoolEntry:
    """A pool entry written directly (ranking and list tests need many, in exact shapes)."""
    return make_pool_entry(make_person(full_name, date_of_birth=dob), secretary, status=status, field=field,
                           expertise_keywords=keywords, next_review_on=next_review_on or TODAY + timedelta(days=300))


@pytest.fixture
def world(app):
    org = make_org("Viện Công nghệ Vật liệu Kinh Bắc", org_type="institute", email="vien@vatlieu.example")
    other = make_org("Trường Đại học Kinh Bắc", org_type="university")
    department = make_org("Sở Khoa học và Công nghệ", org_type="department")
    other_department = make_org("Sở Y tế", org_type="department")
    return SimpleNamespace(
        org=org, other=other, department=department,
        nominator=make_user(roles.NOMINATOR, org, email="canbo@vatlieu.example"),
        other_nominator=make_user(roles.NOMINATOR, other),
        department_user=make_user(roles.NOMINATOR, department),
        other_department_user=make_user(roles.NOMINATOR, other_department),
        secretary=make_user(roles.SECRETARIAT), council=make_user(roles.COUNCIL), admin=make_user(roles.ADMIN),
    )


def audit_actions(entity_type: str, entity_id: int) -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.entity_type == entity_type, AuditEntry.entity_id == entity_id).order_by(AuditEntry.id)))


def outbox_for(recipient: str) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == recipient)
                                   .order_by(OutboxMessage.id)))


# ---------------------------------------------------------------- the whole path

def test_referral_is_screened_into_the_pool_matched_to_a_need_and_followed_to_an_outcome(world):
    referral = make_referral(world.nominator)
    assert referral.state == DRAFT and referral.organisation_id == world.org.id
    assert referral.name_folded == "nguyen thi minh anh"

    referrals.submit(world.nominator, referral)
    assert referral.state == SUBMITTED and referral.submitted_at == NOW
    assert [m.subject for m in outbox_for("vien@vatlieu.example")] == [
        "[Tiến cử người tài] Đã nhận phiếu tiến cử: Nguyễn Thị Minh Anh"]
    assert len(outbox_for("canbo@vatlieu.example")) == 1  # the account that drafted it hears too

    entry = referrals.screen(world.secretary, referral, "accept")
    assert referral.state == ACCEPTED and referral.screened_by_id == world.secretary.id
    person = referral.person
    assert person.full_name == "Nguyễn Thị Minh Anh" and person.field == "Kỹ thuật và công nghệ"
    assert person.expertise == referral.expertise_keywords and person.consent_national_db is True
    assert entry.person_id == person.id and entry.status == ACTIVE and referral.pool_entry_id == entry.id
    assert entry.expertise_keywords == "vật liệu nano, pin mặt trời, quang điện"
    assert entry.proposed_role == referral.proposed_role and entry.availability == "advisory"
    assert entry.next_review_on == date(2027, 6, 15)  # TALENT_REVIEW_MONTHS = 12 by default
    assert audit_actions("referral", referral.id) == ["submit", "accept"]
    assert audit_actions("talent_pool_entry", entry.id) == ["add"]
    assert "ĐÃ được TIẾP NHẬN".lower() in outbox_for("vien@vatlieu.example")[-1].body.lower()

    need = needs.save_need(world.department_user, need_data())
    assert need.organisation_id == world.department.id and need.expertise_keywords == (
        "pin mặt trời, vật liệu nano, lưu trữ năng lượng")
    [suggestion] = needs.suggestions(need)
    assert suggestion.entry == entry and suggestion.field_match
    assert suggestion.score == needs.FIELD_WEIGHT + 2
    assert suggestion.keywords == ["pin mặt trời", "vật liệu nano"]

    match = needs.propose(world.secretary, need, entry)
    assert match.outcome == PROPOSED and needs.suggestions(need) == []  # a proposed member is not suggested again

    later = NOW + timedelta(days=3)
    with clock.frozen(later):
        needs.record_outcome(world.secretary, match, CONTACTED, "Đã gọi điện, đồng ý tham gia.")
    assert match.outcome == CONTACTED and match.outcome_at == later
    with clock.frozen(later + timedelta(days=7)):
        needs.record_outcome(world.secretary, match, ENGAGED, "Tham gia tổ tư vấn từ tháng 7.")
    assert match.outcome == ENGAGED and match.outcome_at == later + timedelta(days=7)
    history = db.session.scalars(select(AuditEntry).where(AuditEntry.entity_type == "talent_match",
                                                          AuditEntry.entity_id == match.id)
                                 .order_by(AuditEntry.id)).all()
    assert [(h.action, h.from_state, h.to_state) for h in history] == [
        ("propose", "", PROPOSED), ("outcome", PROPOSED, CONTACTED), ("outcome", CONTACTED, ENGAGED)]
    assert history[-1].reason == "Tham gia tổ tư vấn từ tháng 7."


def test_declining_needs_a_reason_and_the_organisation_hears_it(world):
    referral = make_referral(world.nominator, state=SUBMITTED)
    for reason in ("", "   "):
        with pytest.raises(RuleViolation, match="lý do"):
            referrals.screen(world.secretary, referral, "decline", reason)
    db.session.rollback()
    assert referral.state == SUBMITTED

    assert referrals.screen(world.secretary, referral, "decline", "Chưa có minh chứng về công trình.") is None
    assert referral.state == DECLINED and referral.decline_reason == "Chưa có minh chứng về công trình."
    assert referral.person_id is None and referral.pool_entry_id is None
    assert db.session.scalar(select(func.count(PoolEntry.id))) == 0
    last = outbox_for("vien@vatlieu.example")[-1]
    assert "Không tiếp nhận" in last.subject and "Chưa có minh chứng về công trình." in last.body
    assert audit_actions("referral", referral.id) == ["submit", "decline"]


def test_a_second_referral_of_the_same_person_joins_their_entry(world):
    first = make_referral(world.nominator, state=ACCEPTED, secretary=world.secretary)
    entry = first.pool_entry
    second = make_referral(world.other_nominator, expertise_keywords="Pin mặt trời; điện gió", field="Khoa học tự nhiên",
                           proposed_role="Giảng viên thỉnh giảng")
    referrals.submit(world.other_nominator, second)
    assert referrals.pool_entry_of_same_person(second) == entry  # the secretariat is told before deciding
    assert referrals.screen(world.secretary, second, "accept") == entry
    assert entry.expertise_keywords == "vật liệu nano, pin mặt trời, quang điện, điện gió"  # merged, folded repeats
    assert entry.field == "Kỹ thuật và công nghệ" and entry.proposed_role == first.proposed_role
    assert [r.id for r in entry.referrals] == [first.id, second.id]
    assert db.session.scalar(select(func.count(PoolEntry.id))) == 1
    assert audit_actions("talent_pool_entry", entry.id) == ["add", "merge"]

    pool.review(world.secretary, entry, pool.ReviewData(decision=RETIRE, note="Đã chuyển công tác ra nước ngoài."))
    with clock.frozen(NOW + timedelta(days=40)):
        third = make_referral(world.nominator, state=ACCEPTED, secretary=world.secretary,
                              expertise_keywords="hydro xanh")
    assert third.pool_entry == entry and entry.status == ACTIVE and entry.retired_at is None
    assert entry.next_review_on == date(2027, 7, 25)
    assert audit_actions("talent_pool_entry", entry.id)[-1] == "reactivate"


# ---------------------------------------------------------------- refusals

def test_only_the_owning_organisation_edits_its_drafts(world):
    referral = make_referral(world.nominator)
    outsiders = (world.other_nominator, world.secretary, world.council, world.admin, world.department_user)
    for user in outsiders:
        with pytest.raises(RuleViolation):
            referrals.save_referral(user, referral_data(full_name="Đổi tên"), referral)
        with pytest.raises(RuleViolation):
            referrals.add_attachment(user, referral, io.BytesIO(PDF), "x.pdf", "cv")
        with pytest.raises(RuleViolation):
            referrals.delete_attachment(user, referral.attachments[0])
        with pytest.raises(RuleViolation):
            referrals.submit(user, referral)
        with pytest.raises(RuleViolation):
            referrals.delete_draft(user, referral, confirmed=True)
    for user in (world.secretary, world.council, world.admin):
        with pytest.raises(RuleViolation, match="Chỉ tài khoản của đơn vị"):
            referrals.save_referral(user, referral_data())
    db.session.refresh(referral)
    assert referral.state == DRAFT and referral.full_name == "Nguyễn Thị Minh Anh" and len(referral.attachments) == 1


def test_submission_needs_an_attachment_and_a_justification(world):
    referral = make_referral(world.nominator, attach=False, justification="  ")
    with pytest.raises(RuleViolation, match="tệp đính kèm"):
        referrals.submit(world.nominator, referral)
    referrals.add_attachment(world.nominator, referral, io.BytesIO(PDF), "cv.pdf", "cv")
    with pytest.raises(RuleViolation, match="lý do tiến cử"):
        referrals.submit(world.nominator, referral)
    assert referral.state == DRAFT and audit_actions("referral", referral.id) == []


@pytest.mark.parametrize("changes,message", [
    ({"full_name": "  "}, "họ và tên"),
    ({"field": "Thiên văn học"}, "Lĩnh vực"),
    ({"ethnicity": "Không rõ"}, "Dân tộc"),
    ({"availability": "sometimes"}, "Khả năng tham gia"),
    ({"date_of_birth": date(2030, 1, 1)}, "Ngày sinh"),
    ({"degree": "PhD"}, "học vị"),
])
def test_invalid_referral_data_is_refused(world, changes, message):
    with pytest.raises(RuleViolation, match=message):
        referrals.save_referral(world.nominator, referral_data(**changes))
    db.session.rollback()
    assert db.session.scalar(select(func.count(Referral.id))) == 0


def test_a_submitted_referral_is_frozen_and_screened_once(world):
    referral = make_referral(world.nominator, state=SUBMITTED)
    with pytest.raises(RuleViolation, match="nháp"):
        referrals.save_referral(world.nominator, referral_data(full_name="Người Khác"), referral)
    for action in (lambda: referrals.submit(world.nominator, referral),
                   lambda: referrals.delete_draft(world.nominator, referral, confirmed=True),
                   lambda: referrals.add_attachment(world.nominator, referral, io.BytesIO(PDF), "b.pdf", "cv"),
                   lambda: referrals.delete_attachment(world.nominator, referral.attachments[0])):
        with pytest.raises(RuleViolation, match="nháp"):
            action()
    for user in (world.nominator, world.council, world.admin, world.department_user):
        with pytest.raises(RuleViolation, match="Ban thư ký"):
            referrals.screen(user, referral, "accept")
    with pytest.raises(RuleViolation):
        referrals.screen(world.secretary, referral, "promote")
    referrals.screen(world.secretary, referral, "accept")
    with pytest.raises(RuleViolation, match="đã được sàng lọc"):
        referrals.screen(world.secretary, referral, "decline", "Đổi ý")
    draft = make_referral(world.nominator, full_name="Trần Văn Bình")
    with pytest.raises(RuleViolation, match="đã được sàng lọc"):
        referrals.screen(world.secretary, draft, "accept")
    assert referral.state == ACCEPTED and draft.state == DRAFT


def test_stale_forms_are_refused(world):
    referral = make_referral(world.nominator)
    seen = referral.version
    referrals.save_referral(world.nominator, referral_data(workplace="Viện mới"), referral, seen)
    with pytest.raises(StaleEdit):
        referrals.save_referral(world.nominator, referral_data(workplace="Bản cũ"), referral, seen)
    referrals.submit(world.nominator, referral)
    with pytest.raises(StaleEdit):
        referrals.screen(world.secretary, referral, "accept", expected_version=seen)
    entry = referrals.screen(world.secretary, referral, "accept", expected_version=referral.version)
    seen = entry.version
    pool.review(world.secretary, entry, pool.ReviewData(decision=KEEP), seen)
    with pytest.raises(StaleEdit):  # the second tab kept the same date: still refused
        pool.review(world.secretary, entry, pool.ReviewData(decision=KEEP), seen)


def test_deleting_a_draft_removes_it_and_its_files(world, app):
    import os

    referral = make_referral(world.nominator)
    stored = referral.attachments[0].stored_name
    assert os.path.exists(os.path.join(app.config["UPLOAD_FOLDER"], stored))
    from honours.core.confirm import ConfirmationNeeded

    with pytest.raises(ConfirmationNeeded) as needed:  # nothing is deleted before the nominator confirms
        referrals.delete_draft(world.nominator, referral, referral.version)
    assert needed.value.consequence.startswith(f"Xoá hẳn phiếu tiến cử nháp của {referral.full_name} cùng 1 tệp")
    assert db.session.scalar(select(func.count(Referral.id))) == 1
    referrals.delete_draft(world.nominator, referral, referral.version, confirmed=True)
    assert db.session.scalar(select(func.count(Referral.id))) == 0
    assert not os.path.exists(os.path.join(app.config["UPLOAD_FOLDER"], stored))


# ---------------------------------------------------------------- periodic screening

def test_periodic_review_keeps_updates_and_retires_with_history(world):
    entry = make_referral(world.nominator, state=ACCEPTED, secretary=world.secretary).pool_entry
    with pytest.raises(RuleViolation, match="sau ngày hôm nay"):
        pool.review(world.secretary, entry, pool.ReviewData(decision=KEEP, next_review_on=TODAY))
    for user in (world.nominator, world.council, world.admin):
        with pytest.raises(RuleViolation):
            pool.review(user, entry, pool.ReviewData(decision=KEEP))
    assert entry.reviews == []

    keep = pool.review(world.secretary, entry, pool.ReviewData(decision=KEEP, note="Vẫn công tác tại viện."))
    assert keep.changes == {} and keep.next_review_on == entry.next_review_on == date(2027, 6, 15)
    assert entry.expertise_keywords == "vật liệu nano, pin mặt trời, quang điện"

    unchanged = pool.ReviewData(decision=UPDATE, field=entry.field, expertise_keywords=entry.expertise_keywords,
                                proposed_role=entry.proposed_role, availability=entry.availability)
    with pytest.raises(RuleViolation, match="Không có thông tin nào thay đổi"):
        pool.review(world.secretary, entry, unchanged)
    update = pool.review(world.secretary, entry, pool.ReviewData(
        decision=UPDATE, next_review_on=date(2026, 12, 1), field="Khoa học tự nhiên",
        expertise_keywords="vật liệu nano; hydro xanh", proposed_role=entry.proposed_role,
        availability="part_time", notes="Đã về nghỉ hưu, nhận tư vấn."))
    assert update.changes == {
        "field": ["Kỹ thuật và công nghệ", "Khoa học tự nhiên"],
        "expertise_keywords": ["vật liệu nano, pin mặt trời, quang điện", "vật liệu nano, hydro xanh"],
        "availability": ["advisory", "part_time"],
        "notes": ["", "Đã về nghỉ hưu, nhận tư vấn."],
    }
    assert entry.field == "Khoa học tự nhiên" and entry.next_review_on == date(2026, 12, 1)

    with pytest.raises(RuleViolation, match="lý do rút"):
        pool.review(world.secretary, entry, pool.ReviewData(decision=RETIRE))
    with clock.frozen(NOW + timedelta(hours=2)):
        retire = pool.review(world.secretary, entry, pool.ReviewData(decision=RETIRE, note="Không còn liên lạc được."))
    assert entry.status == RETIRED and entry.retired_at == NOW + timedelta(hours=2)
    assert retire.next_review_on is None and entry.next_review_on == date(2026, 12, 1)
    with pytest.raises(RuleViolation, match="đã được rút"):
        pool.review(world.secretary, entry, pool.ReviewData(decision=KEEP))

    db.session.expire_all()
    assert [r.decision for r in db.session.get(PoolEntry, entry.id).reviews] == [KEEP, UPDATE, RETIRE]
    assert audit_actions("talent_pool_entry", entry.id) == ["add", "review_keep", "review_update", "review_retire"]


def test_review_interval_follows_the_configuration(world, app):
    app.config["TALENT_REVIEW_MONTHS"] = 6
    with clock.frozen(datetime(2026, 8, 31, 10, 0)):
        entry = make_referral(world.nominator, state=ACCEPTED, secretary=world.secretary).pool_entry
    assert entry.next_review_on == date(2027, 2, 28)  # the end of a shorter month


def test_overdue_list_holds_active_entries_past_their_date_oldest_first(world):
    due_today = make_entry(world.secretary, "Lê Văn Đúng Hạn", next_review_on=TODAY)  # not overdue yet
    tomorrow = make_entry(world.secretary, "Phạm Thị Sắp Tới", next_review_on=TODAY + timedelta(days=1))
    make_entry(world.secretary, "Vũ Văn Đã Rút", status=RETIRED, next_review_on=TODAY - timedelta(days=400))
    one_day = make_entry(world.secretary, "Hoàng Văn Một Ngày", next_review_on=TODAY - timedelta(days=1))
    oldest = make_entry(world.secretary, "Đỗ Thị Lâu Nhất", next_review_on=TODAY - timedelta(days=90))
    month = make_entry(world.secretary, "Ngô Văn Một Tháng", next_review_on=TODAY - timedelta(days=30))
    assert db.session.scalars(pool.overdue_query(TODAY)).all() == [oldest, month, one_day]

    pool.review(world.secretary, oldest, pool.ReviewData(decision=KEEP))  # reviewed: off the list
    assert db.session.scalars(pool.overdue_query(TODAY)).all() == [month, one_day]
    assert db.session.scalars(pool.overdue_query(TODAY + timedelta(days=2))).all() == [
        month, one_day, due_today, tomorrow]


# ---------------------------------------------------------------- needs, ranking, matches

def test_suggestions_rank_field_and_keyword_overlap_then_names(world):
    s = world.secretary
    both = make_entry(s, "Trần Văn Cả Hai", keywords="Pin mặt trời, vật liệu nano composite")  # 10 + 2
    field_only_b = make_entry(s, "Nguyễn Văn Bình", keywords="cơ khí chính xác")  # 10, sorts by given name "binh"
    field_only_a = make_entry(s, "Vũ Thị An", keywords="")  # 10, given name "an" before "binh"
    keywords_only = make_entry(s, "Lê Thị Hoa", field="Khoa học tự nhiên",
                               keywords="PIN MAT TROI; luu tru nang luong; vật liệu")  # 0 + 2, folded
    make_entry(s, "Phan Văn Mai", field="Y dược", keywords="mai, nano-mai")  # nothing in common
    make_entry(s, "Đinh Văn Đã Rút", status=RETIRED, keywords="pin mặt trời, vật liệu nano")
    already = make_entry(s, "Bùi Văn Đã Đề Xuất", keywords="pin mặt trời, vật liệu nano, lưu trữ năng lượng")
    need = needs.save_need(s, need_data())
    needs.propose(s, need, already)

    ranked = needs.suggestions(need)
    assert [x.entry for x in ranked] == [both, field_only_a, field_only_b, keywords_only]
    assert [x.score for x in ranked] == [12, 10, 10, 2]
    assert ranked[0].keywords == ["pin mặt trời", "vật liệu nano"]
    assert ranked[3].keywords == ["pin mặt trời", "lưu trữ năng lượng"] and not ranked[3].field_match


def test_keywords_split_merge_and_match_without_diacritics():
    assert split_keywords(" vật liệu  nano ;Pin mặt trời,\n, vat lieu nano ; ") == ["vật liệu nano", "Pin mặt trời"]
    assert merge_keywords("vật liệu nano, AI", "ai; Điện gió") == "vật liệu nano, AI, Điện gió"
    assert matched_keywords(["vật liệu", "ai", "điện"], "Vật liệu nano; mai vàng, điện gió") == ["vật liệu", "điện"]
    assert matched_keywords([], "bất kỳ") == [] and matched_keywords(["x"], "") == []


def test_suggestions_take_one_query_whatever_the_pool_size(world):
    counts = []
    for size in (3, 40):
        need = needs.save_need(world.secretary, need_data(title=f"Nhu cầu {size}"))
        for i in range(size):
            make_entry(world.secretary, f"Nguyễn Văn Thử {size} {i}", keywords="pin mặt trời",
                       dob=date(1960 + i % 30, 1 + i % 12, 1))
        need = needs.load_need(need.id)
        statements = []

        def record(conn, cursor, statement, parameters, context, executemany, statements=statements):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", record)
        try:
            ranked = needs.suggestions(need)
            [x.entry.person.full_name for x in ranked]
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
        counts.append(len(statements))
        assert len(ranked) >= size
    assert counts == [1, 1]


def test_need_rules_who_posts_edits_and_closes(world):
    for user in (world.nominator, world.council, world.admin):
        with pytest.raises(RuleViolation, match="sở, ngành"):
            needs.save_need(user, need_data())
    with pytest.raises(RuleViolation, match="quá khứ"):
        needs.save_need(world.department_user, need_data(deadline=TODAY - timedelta(days=1)))
    with pytest.raises(RuleViolation, match="Lĩnh vực"):
        needs.save_need(world.department_user, need_data(field="Không có"))
    db.session.rollback()

    own = needs.save_need(world.department_user, need_data())
    province = needs.save_need(world.secretary, need_data(title="Đặt hàng của tỉnh"))
    assert province.organisation_id is None
    for user, need in ((world.other_department_user, own), (world.department_user, province),
                       (world.nominator, own)):
        with pytest.raises(RuleViolation, match="không có quyền"):
            needs.save_need(user, need_data(title="Sửa trộm"), need)
        with pytest.raises(RuleViolation, match="không có quyền"):
            needs.close_need(user, need)
    with pytest.raises(StaleEdit):
        needs.save_need(world.department_user, need_data(title="Sửa"), own, own.version - 1)
    needs.save_need(world.secretary, need_data(title="Ban thư ký sửa giúp"), own, own.version)  # secretariat may
    assert own.title == "Ban thư ký sửa giúp"

    with clock.frozen(NOW + timedelta(days=90)):  # past the deadline: the deadline it has may stay
        needs.save_need(world.department_user, need_data(title="Gia hạn sau", deadline=own.deadline), own)
    needs.close_need(world.department_user, own, own.version)
    assert own.status == CLOSED
    with pytest.raises(RuleViolation, match="đã đóng"):
        needs.save_need(world.department_user, need_data(), own)
    with pytest.raises(RuleViolation, match="đã đóng"):
        needs.close_need(world.secretary, own)
    assert audit_actions("talent_need", own.id) == ["post", "edit", "edit", "close"]


def test_matching_rules_and_outcomes(world):
    entry = make_referral(world.nominator, state=ACCEPTED, secretary=world.secretary).pool_entry
    retired = make_entry(world.secretary, "Vũ Văn Rút", status=RETIRED)
    need = needs.save_need(world.department_user, need_data())
    for user in (world.department_user, world.nominator, world.council, world.admin):
        with pytest.raises(RuleViolation, match="Ban thư ký"):
            needs.propose(user, need, entry)
    with pytest.raises(RuleViolation, match="không còn"):
        needs.propose(world.secretary, need, retired)
    match = needs.propose(world.secretary, need, entry)
    with pytest.raises(RuleViolation, match="đã được đề xuất"):
        needs.propose(world.secretary, need, entry)

    with pytest.raises(RuleViolation, match="Ban thư ký"):
        needs.record_outcome(world.department_user, match, CONTACTED)
    with pytest.raises(RuleViolation, match="không hợp lệ"):
        needs.record_outcome(world.secretary, match, PROPOSED)
    with pytest.raises(RuleViolation, match="vì sao không phù hợp"):
        needs.record_outcome(world.secretary, match, NOT_SUITABLE, " ")
    needs.record_outcome(world.secretary, match, NOT_SUITABLE, "Lịch công tác không phù hợp.", match.version)
    with pytest.raises(RuleViolation, match="không thay đổi"):
        needs.record_outcome(world.secretary, match, NOT_SUITABLE, "Lịch công tác không phù hợp.")
    with pytest.raises(StaleEdit):
        needs.record_outcome(world.secretary, match, CONTACTED, "", match.version - 1)
    assert match.outcome == NOT_SUITABLE

    needs.close_need(world.secretary, need)
    other = make_entry(world.secretary, "Lý Thị Mới", keywords="pin mặt trời")
    with pytest.raises(RuleViolation, match="đã đóng"):
        needs.propose(world.secretary, need, other)
    assert db.session.scalar(select(func.count(NeedMatch.id))) == 1
    assert db.session.scalar(select(func.count(PoolReview.id))) == 0


def test_any_outcome_may_follow_any_other_and_the_database_refuses_an_unknown_one(world):
    """Every outcome is the one action "outcome" in the log: the secretariat alone records each, from any
    outcome; "proposed" is none."""
    targets = {t.target for t in NEED_MATCH.transitions.values()}
    assert targets == {CONTACTED, ENGAGED, NOT_SUITABLE}
    assert {t.audit_action for t in NEED_MATCH.transitions.values()} == {"outcome"}
    for target in targets:
        for state in OUTCOME_LABELS:
            record = SimpleNamespace(id=1, outcome=state)
            action = f"record_{target}"
            assert NEED_MATCH.check(world.secretary, record, action, reason="Ghi chú").target == target
            with pytest.raises(RuleViolation):
                NEED_MATCH.check(world.department_user, record, action, reason="Ghi chú")

    entry = make_entry(world.secretary, "Đỗ Văn Kiểm")
    match = needs.propose(world.secretary, needs.save_need(world.secretary, need_data()), entry)
    for model, row, column in ((NeedMatch, match, "outcome"), (PoolEntry, entry, "status")):
        with pytest.raises(IntegrityError):
            db.session.execute(update(model).where(model.id == row.id).values({column: "hired"}))
            db.session.flush()
        db.session.rollback()
