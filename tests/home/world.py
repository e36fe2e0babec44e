"""A world with something to do for every role, built with tests/factories.py; `scale` multiplies the rows
(dossiers, sheets, referrals, pool entries, accounts) but not the rounds or council sessions, so the statement
counts of the home pages can be compared at two sizes. EXPECTED says what each home page counts at scale 1."""
from dataclasses import dataclass, field
from datetime import date, timedelta

from honours.auth.invitations import unusable_password
from honours.core import clock, roles
from honours.core.db import db
from honours.council.models import CLOSED, OPEN, Attendance, BallotReceipt
from honours.incidents.models import Incident
from honours.nominations import states
from honours.reviews.models import ReviewAssignment
from honours.rounds.models import COUNCIL_CONFIRMED
from honours.talent.models import DRAFT, RETIRED, SUBMITTED
from tests.factories import (
    make_council_member,
    make_council_session,
    make_dossier,
    make_org,
    make_person,
    make_pool_entry,
    make_referral,
    make_round,
    make_score_sheet,
    make_user,
)


@dataclass
class World:
    nominator: object = None
    unlimited_nominator: object = None
    secretary: object = None
    admin: object = None
    member: object = None  # the chair: sheets in every state, an open ballot, a result to confirm
    voted_member: object = None  # has voted in the open session, no chair flag
    absent_member: object = None  # not present at the open session
    rounds: dict = field(default_factory=dict)
    dossiers: dict = field(default_factory=dict)


def _dossier(world, round_, org, user, state, name, **fields):
    number = len(world.dossiers)
    dossier = make_dossier(round_, org, user, state=state, full_name=f"{name} {number}",
                           date_of_birth=date(1960 + number % 30, 1, 1 + number % 28), with_attachment=False,
                           **fields)
    world.dossiers.setdefault(name, []).append(dossier)
    return dossier


def _assign(dossier, reviewer, secretary):
    db.session.add(ReviewAssignment(dossier_id=dossier.id, reviewer_id=reviewer.id, assigned_by_id=secretary.id))
    db.session.commit()


def build(scale: int = 1) -> World:
    now = clock.now()
    world = World()
    org = make_org(f"Hội có chỉ tiêu {scale}", nomination_limit=3)
    other = make_org(f"Hội không giới hạn {scale}")
    world.nominator = make_user(roles.NOMINATOR, org)
    world.unlimited_nominator = make_user(roles.NOMINATOR, other)
    world.secretary = secretary = make_user(roles.SECRETARIAT)
    world.admin = make_user(roles.ADMIN)
    rounds = world.rounds
    rounds["open"] = make_round(name="Đợt đang mở")  # closes in 30 days
    rounds["closing"] = make_round(name="Đợt sắp đóng", closes_in_days=5)
    rounds["review"] = make_round(name="Đợt đang chấm", opens_in_days=-120, closes_in_days=-20)
    rounds["vote"] = make_round(name="Đợt đang bỏ phiếu", opens_in_days=-150, closes_in_days=-60)
    rounds["chair"] = make_round(name="Đợt chờ xác nhận", opens_in_days=-160, closes_in_days=-70)
    rounds["decided"] = make_round(name="Đợt chờ công bố", opens_in_days=-200, closes_in_days=-100)
    rounds["published"] = make_round(name="Đợt đã công bố", opens_in_days=-400, closes_in_days=-300)

    # The nominator's organisation (limit 3): 3 dossiers counted in the open round, none in the closing one.
    for _ in range(2 * scale):
        _dossier(world, rounds["open"], org, world.nominator, states.DRAFT, "Nháp")
    _dossier(world, rounds["closing"], org, world.nominator, states.DRAFT, "Nháp")
    _dossier(world, rounds["review"], org, world.nominator, states.DRAFT, "Nháp cũ")  # a closed round's draft
    _dossier(world, rounds["open"], org, world.nominator, states.SUBMITTED, "Đã nộp")
    for _ in range(scale):  # listed by name on the page: more of them must not mean more statements
        _dossier(world, rounds["open"], org, world.nominator, states.RETURNED, "Trả lại",
                 supplement_deadline=now + timedelta(days=3))
    _dossier(world, rounds["open"], org, world.nominator, states.RETURNED, "Quá hạn",
             supplement_deadline=now - timedelta(days=2))
    for _ in range(scale):
        _dossier(world, rounds["open"], other, world.unlimited_nominator, states.SUBMITTED, "Đã nộp")
        _dossier(world, rounds["open"], other, world.unlimited_nominator, states.RESUBMITTED, "Nộp bổ sung")
        _dossier(world, rounds["open"], other, world.unlimited_nominator, states.RETURNED, "Trả lại khác",
                 supplement_deadline=now + timedelta(days=10))

    # Scoring: the chair has one dossier to score, one draft sheet, one submitted; two dossiers lack reviewers.
    world.member = member = make_user(roles.COUNCIL, is_chair=True, full_name="Chủ tịch Hội đồng")
    second = make_user(roles.COUNCIL, full_name="Thành viên hai")
    third = make_user(roles.COUNCIL, full_name="Thành viên ba")
    world.voted_member, world.absent_member = second, third
    for user in (member, second, third):
        make_council_member(rounds["review"], user)
    review = rounds["review"]
    for _ in range(scale):
        full = _dossier(world, review, other, world.unlimited_nominator, states.UNDER_REVIEW, "Đủ người chấm")
        for reviewer in (member, second, third):
            _assign(full, reviewer, secretary)
        make_score_sheet(full, second, points=5, status="draft")
        make_score_sheet(full, third, points=5)
        partly = _dossier(world, review, other, world.unlimited_nominator, states.UNDER_REVIEW, "Thiếu người chấm")
        _assign(partly, member, secretary)
        make_score_sheet(partly, member, points=6, status="draft")
        _dossier(world, review, other, world.unlimited_nominator, states.ELIGIBLE, "Chưa phân công")
        scored = _dossier(world, review, other, world.unlimited_nominator, states.SCORED, "Đã chấm xong")
        for reviewer in (member, second, third):
            _assign(scored, reviewer, secretary)
            make_score_sheet(scored, reviewer, points=7)
        _dossier(world, review, other, world.unlimited_nominator, states.INELIGIBLE, "Không hợp lệ")

    # The council: an open session where the chair is present and has not voted; a closed one to confirm.
    for key in ("vote", "chair"):
        for user in (member, second, third):
            make_council_member(rounds[key], user)
    voting = make_council_session(rounds["vote"], secretary, members_total=3, status=OPEN)
    db.session.add_all([Attendance(session_id=voting.id, user_id=member.id),
                        Attendance(session_id=voting.id, user_id=second.id),
                        BallotReceipt(session_id=voting.id, user_id=second.id)])
    make_council_session(rounds["chair"], secretary, members_total=3, status=CLOSED)

    # Publication: a decided round with two approved dossiers; a published round does not count.
    rounds["decided"].council_stage = COUNCIL_CONFIRMED
    rounds["published"].council_stage = COUNCIL_CONFIRMED
    rounds["published"].published_at = now - timedelta(days=200)
    db.session.commit()
    for _ in range(2 * scale):
        _dossier(world, rounds["decided"], other, world.unlimited_nominator, states.APPROVED, "Thông qua")
    _dossier(world, rounds["decided"], other, world.unlimited_nominator, states.NOT_APPROVED, "Không thông qua")
    honoured = _dossier(world, rounds["published"], other, world.unlimited_nominator, states.PUBLISHED, "Đã công bố")
    # The chair's sheets of a round whose result is confirmed are history, not work.
    make_council_member(rounds["published"], member)
    _assign(honoured, member, secretary)
    make_score_sheet(honoured, member, points=8)

    # Talent: the organisation's draft and two waiting referrals, another's waiting one; the pool's screenings.
    for i in range(scale):
        make_referral(make_person(f"Người tiến cử nháp {i}"), org, world.nominator, state=DRAFT)
        for j in range(2):
            make_referral(make_person(f"Người chờ sàng lọc {i}-{j}"), org, world.nominator, state=SUBMITTED)
        make_referral(make_person(f"Người đơn vị khác {i}"), other, world.unlimited_nominator, state=SUBMITTED)
        make_pool_entry(make_person(f"Quá hạn sàng lọc {i}"), secretary, next_review_on=now.date() - timedelta(days=1))
        make_pool_entry(make_person(f"Chưa đến hạn {i}"), secretary, next_review_on=now.date() + timedelta(days=30))
        make_pool_entry(make_person(f"Đã rút {i}"), secretary, status=RETIRED,
                        next_review_on=now.date() - timedelta(days=90))

    # Accounts: one locked, two invited (no password chosen yet).
    for i in range(scale):
        make_user(roles.NOMINATOR, make_org(f"Hội bị khoá {scale}-{i}"), active=False)
        for _ in range(2):
            invited = make_user(roles.COUNCIL)
            invited.password_hash = unusable_password()
    # Personal-data incidents: one the authority was not told of yet, one notified.
    admin = make_user(roles.ADMIN)
    for i in range(scale):
        db.session.add(Incident(summary=f"Lộ danh sách {scale}-{i}", found_at=clock.now() - timedelta(hours=10),
                                recorded_by_id=admin.id))
        db.session.add(Incident(summary=f"Gửi nhầm email {scale}-{i}", found_at=clock.now() - timedelta(days=9),
                                authority_notified_at=clock.now() - timedelta(days=8), recorded_by_id=admin.id))
    db.session.commit()
    return world


# What each home page shows at scale 1: {item key: count}; rounds by their key in World.rounds.
EXPECTED = {
    roles.NOMINATOR: {"drafts": 3, "returned": 2, "returned_overdue": 1, "referral_drafts": 1,
                      "referrals_waiting": 2},
    roles.COUNCIL: {"sheets_to_do": 1, "sheets_draft": 1, "sheets_submitted": 1, "ballots": 1, "to_confirm": 1},
    roles.SECRETARIAT: {"awaiting_check_{open}": 2, "awaiting_recheck_{open}": 1, "returns_overdue_{open}": 1,
                        "lacking_reviewers_{review}": 2, "sheets_outstanding_{review}": 3,
                        "referrals_to_screen": 3, "pool_overdue": 1, "awaiting_publication_{decided}": 2,
                        "incidents_open": 1},
    roles.ADMIN: {"locked": 1, "never_activated": 2, "incidents_open": 1},
}


def expected(world: World, role: str) -> dict[str, int]:
    ids = {key: round_.id for key, round_ in world.rounds.items()}
    return {key.format(**ids): count for key, count in EXPECTED[role].items()}
