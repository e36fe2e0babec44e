"""What waits for the signed-in user: the to-do list of each role's home page.

Each item is a label, a count and the list page that shows exactly those items (or the closest list where that
list has no such filter: `exact` is then False). Counts are aggregates (GROUP BY, conditional sums), so a home
page runs the same statements whatever the number of dossiers, sheets, referrals or accounts; only the nominator's
quota is counted once per open round, by the one definition of the quota (nominations.services).
"""
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import and_, case, exists, func, or_, select

from honours.auth.invitations import INVITED_PREFIX
from honours.auth.models import User
from honours.complaints import services as complaints
from honours.core import clock, roles
from honours.core.db import db
from honours.council.models import CLOSED, OPEN, Attendance, BallotReceipt, CouncilSession
from honours.incidents import services as incidents
from honours.incidents.models import NOTIFICATION_HOURS
from honours.nominations import services as nominations
from honours.nominations import states
from honours.nominations.models import Dossier
from honours.notice import services as notice
from honours.organisations.models import Organisation
from honours.privacy import services as privacy
from honours.reviews.models import CouncilMember, ReviewAssignment, ScoreSheet
from honours.reviews.stamps import StampedCache
from honours.reviews.workflows import DRAFT as SHEET_DRAFT
from honours.reviews.workflows import SUBMITTED as SHEET_SUBMITTED
from honours.rounds.models import COUNCIL_CONFIRMED, COUNCIL_NOT_MET, Round
from honours.talent.models import ACTIVE, PoolEntry, Referral
from honours.talent.models import DRAFT as REFERRAL_DRAFT
from honours.talent.models import SUBMITTED as REFERRAL_SUBMITTED

RETURNED_SHOWN = 20  # returned dossiers listed by name on the nominator's page; the count covers them all


@dataclass(frozen=True)
class Item:
    key: str  # stable, for the page's ids and the tests
    label: str
    count: int
    endpoint: str
    params: dict = field(default_factory=dict)
    exact: bool = True  # False: the list linked to shows more than these items (it has no such filter)
    urgent: bool = False  # overdue or blocking someone else: highlighted (and said in words) when count > 0


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    items: list[Item]


@dataclass(frozen=True)
class OpenRound:
    round_id: int
    name: str
    closes_at: datetime
    days_left: int  # whole calendar days until the closing day; 0 = it closes today
    used: int  # dossiers counted towards the organisation's limit in this round
    limit: int | None  # None: the organisation has no limit
    drafts: int


@dataclass(frozen=True)
class ReturnedDossier:
    dossier_id: int
    full_name: str
    round_name: str
    deadline: datetime | None
    days_left: int | None
    overdue: bool


@dataclass
class NominatorHome:
    open_rounds: list[OpenRound]
    returned: list[ReturnedDossier]
    sections: list[Section]


def days_until(moment: datetime, now: datetime) -> int:
    """Calendar days from today to the day of `moment` (negative once past)."""
    return (moment.date() - now.date()).days


def _count(condition) -> object:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


# ---------------------------------------------------------------- nominator

def nominator_home(user: User, now: datetime | None = None) -> NominatorHome:
    now = now or clock.now()
    organisation_id = user.organisation_id
    limit = db.session.scalar(select(Organisation.nomination_limit).where(Organisation.id == organisation_id))
    rounds = nominations.open_rounds(now)
    open_ids = [r.id for r in rounds]
    drafts_by_round = dict(db.session.execute(
        select(Dossier.round_id, func.count(Dossier.id))
        .where(Dossier.organisation_id == organisation_id, Dossier.state == states.DRAFT,
               Dossier.round_id.in_(open_ids))
        .group_by(Dossier.round_id)).all()) if open_ids else {}
    open_rounds = [
        OpenRound(r.id, r.name, r.nominations_close_at, days_until(r.nominations_close_at, now),
                  nominations.count_counted_towards_limit(organisation_id, r.id), limit, drafts_by_round.get(r.id, 0))
        for r in rounds
    ]

    returned_total, overdue_total = db.session.execute(
        select(func.count(Dossier.id), _count(Dossier.supplement_deadline < now))
        .where(Dossier.organisation_id == organisation_id, Dossier.state == states.RETURNED)).one()
    returned = [
        ReturnedDossier(dossier_id, name, round_name, deadline,
                        days_until(deadline, now) if deadline else None, bool(deadline and deadline < now))
        for dossier_id, name, round_name, deadline in db.session.execute(
            select(Dossier.id, Dossier.full_name, Round.name, Dossier.supplement_deadline)
            .join(Round, Round.id == Dossier.round_id)
            .where(Dossier.organisation_id == organisation_id, Dossier.state == states.RETURNED)
            # The most pressing first: overdue, then the nearest deadline; none set last.
            .order_by(Dossier.supplement_deadline.is_(None), Dossier.supplement_deadline, Dossier.id)
            .limit(RETURNED_SHOWN))
    ]

    referral_drafts, referrals_waiting = db.session.execute(
        select(_count(Referral.state == REFERRAL_DRAFT), _count(Referral.state == REFERRAL_SUBMITTED))
        .where(Referral.organisation_id == organisation_id)).one()

    dossier_items = [
        Item("drafts", _("Hồ sơ nháp của các đợt đang nhận hồ sơ"), sum(drafts_by_round.values()),
             "nominations.index", {"show": "draft"}),
        Item("returned", _("Hồ sơ được yêu cầu bổ sung"), returned_total, "nominations.index", {"show": "returned"},
             urgent=True),
        Item("returned_overdue", _("Hồ sơ đã quá hạn nộp bổ sung"), overdue_total, "nominations.index",
             {"show": "overdue"}, urgent=True),
    ]
    referral_items = [
        Item("referral_drafts", _("Phiếu tiến cử nháp chưa nộp"), referral_drafts, "talent.index",
             {"state": REFERRAL_DRAFT}),
        Item("referrals_waiting", _("Phiếu tiến cử đang chờ sàng lọc"), referrals_waiting, "talent.index",
             {"state": REFERRAL_SUBMITTED}),
    ]
    return NominatorHome(open_rounds, returned, [
        Section("dossiers", _("Hồ sơ đề cử"), dossier_items),
        Section("referrals", _("Tiến cử người tài"), referral_items),
    ])


# ---------------------------------------------------------------- council member

@dataclass(frozen=True)
class RoundSheets:
    round_id: int
    name: str
    to_do: int  # assigned, no sheet yet
    drafts: int
    submitted: int


@dataclass
class CouncilHome:
    rounds: list[RoundSheets]
    sections: list[Section]


def council_home(user: User) -> CouncilHome:
    """The member's work in the rounds whose council has not confirmed its result yet."""
    rounds = db.session.execute(
        select(Round.id, Round.name).join(CouncilMember, CouncilMember.round_id == Round.id)
        .where(CouncilMember.user_id == user.id, Round.council_stage != COUNCIL_CONFIRMED)
        .order_by(Round.year.desc(), Round.id.desc())).all()
    counts: dict[int, dict[str | None, int]] = {}
    if rounds:
        sheet = and_(ScoreSheet.dossier_id == ReviewAssignment.dossier_id,
                     ScoreSheet.reviewer_id == ReviewAssignment.reviewer_id)
        for round_id, status, number in db.session.execute(
                select(Dossier.round_id, ScoreSheet.status, func.count(ReviewAssignment.id))
                .join(Dossier, Dossier.id == ReviewAssignment.dossier_id)
                .outerjoin(ScoreSheet, sheet)
                .where(ReviewAssignment.reviewer_id == user.id, Dossier.round_id.in_([r.id for r in rounds]))
                .group_by(Dossier.round_id, ScoreSheet.status)):
            counts.setdefault(round_id, {})[status] = number
    per_round = [RoundSheets(r.id, r.name, counts.get(r.id, {}).get(None, 0),
                             counts.get(r.id, {}).get(SHEET_DRAFT, 0), counts.get(r.id, {}).get(SHEET_SUBMITTED, 0))
                 for r in rounds]

    member_of = and_(CouncilMember.round_id == CouncilSession.round_id, CouncilMember.user_id == user.id)
    voted = exists().where(BallotReceipt.session_id == CouncilSession.id, BallotReceipt.user_id == user.id)
    present = exists().where(Attendance.session_id == CouncilSession.id, Attendance.user_id == user.id)
    waiting = [and_(CouncilSession.status == OPEN, present, ~voted)]
    if user.is_chair:
        waiting.append(CouncilSession.status == CLOSED)
    sessions = db.session.execute(
        select(CouncilSession.id, CouncilSession.status == OPEN)
        .join(CouncilMember, member_of)
        .where(or_(*waiting))
        .order_by(CouncilSession.id)).all()
    ballots = [session_id for session_id, is_open in sessions if is_open]
    to_confirm = [session_id for session_id, is_open in sessions if not is_open]

    sheet_items = [
        Item("sheets_to_do", _("Hồ sơ chưa chấm điểm"), sum(r.to_do for r in per_round), "scoring.index",
             exact=False, urgent=True),
        Item("sheets_draft", _("Phiếu chấm đang lưu nháp, chưa nộp"), sum(r.drafts for r in per_round),
             "scoring.index", exact=False, urgent=True),
        Item("sheets_submitted", _("Phiếu chấm đã nộp"), sum(r.submitted for r in per_round), "scoring.index",
             exact=False),
    ]
    council_items = [_session_item("ballots", _("Phiên họp đang chờ bạn bỏ phiếu"), ballots)]
    if user.is_chair:
        council_items.append(_session_item("to_confirm", _("Kết quả bỏ phiếu chờ Chủ tịch xác nhận"), to_confirm))
    return CouncilHome(per_round, [
        Section("scoring", _("Chấm điểm hồ sơ"), sheet_items),
        Section("council", _("Hội đồng xét chọn"), council_items),
    ])


def _session_item(key: str, label: str, session_ids: list[int]) -> Item:
    """One session: its ballot page; several: the list of the member's sessions."""
    if len(session_ids) == 1:
        return Item(key, label, 1, "council.ballot", {"session_id": session_ids[0]}, urgent=True)
    return Item(key, label, len(session_ids), "council.index", urgent=True)


# ---------------------------------------------------------------- secretariat

def secretariat_home(now: datetime | None = None, today: date | None = None) -> list[Section]:
    now = now or clock.now()
    today = today or now.date()
    return [
        Section("eligibility", _("Thẩm định hồ sơ"), _check_items(now)),
        Section("reviews", _("Chấm điểm"), _review_items()),
        Section("talent", _("Tiến cử và nguồn nhân tài"), _talent_items(today)),
        Section("publication", _("Công bố"), _publication_items()),
        *_notice_and_complaint_sections(now),
        *_incident_sections(now),
        *_data_request_sections(now),
    ]


def _notice_and_complaint_sections(now: datetime) -> list[Section]:
    """Opinions on a noticed list not concluded, complaints waiting and those past their legal deadline (two
    aggregate statements); no section while there are none."""
    waiting, overdue = complaints.todo_counts(now)
    opinions = notice.unconcluded_total()
    if not (waiting or opinions):
        return []
    return [Section("complaints", _("Công khai lấy ý kiến và khiếu nại"), [
        Item("opinions_open", _("Ý kiến về danh sách công khai chưa kết luận"), opinions,
             "notice.inbox", exact=False, urgent=True),
        Item("complaints_waiting", _("Khiếu nại chờ thụ lý hoặc giải quyết"), waiting, "complaints.index",
             exact=False),
        Item("complaints_overdue", _("Khiếu nại quá hạn thụ lý hoặc giải quyết"), overdue, "complaints.index",
             exact=False, urgent=True),
    ])]


def _check_items(now: datetime) -> list[Item]:
    """Per round with any: dossiers awaiting the check (new, supplemented) and returns past their deadline. Each
    links to the inbox filtered by round and state, so the list shows the same dossiers whatever its default."""
    rows = db.session.execute(
        select(Round.id, Round.name, _count(Dossier.state == states.SUBMITTED),
               _count(Dossier.state == states.RESUBMITTED),
               _count((Dossier.state == states.RETURNED) & (Dossier.supplement_deadline < now)))
        .join(Dossier, Dossier.round_id == Round.id)
        .where(Dossier.state.in_((*states.AWAITING_CHECK, states.RETURNED)))
        .group_by(Round.id, Round.name).order_by(Round.id.desc())).all()
    rows = [row for row in rows if any(row[2:])] or [(None, "", 0, 0, 0)]
    items = []
    for round_id, name, submitted, resubmitted, overdue in rows:
        suffix, params = (f"_{round_id}", {"round_id": round_id}) if round_id else ("", {})
        items += [
            Item("awaiting_check" + suffix, _with_round(_("Hồ sơ mới nộp chờ thẩm định"), name), submitted,
                 "eligibility.inbox", {**params, "state": states.SUBMITTED}),
            Item("awaiting_recheck" + suffix, _with_round(_("Hồ sơ nộp bổ sung chờ thẩm định lại"), name),
                 resubmitted, "eligibility.inbox", {**params, "state": states.RESUBMITTED}),
            Item("returns_overdue" + suffix, _with_round(_("Hồ sơ quá hạn nộp bổ sung"), name), overdue,
                 "eligibility.inbox", {**params, "state": states.RETURNED}, exact=False, urgent=True),
        ]
    return items


def _with_round(label: str, round_name: str) -> str:
    return f"{label} – {round_name}" if round_name else label


_review_work = StampedCache(size=1)


def _review_items() -> list[Item]:
    """Per round still scoring (no council session yet): dossiers lacking reviewers, sheets not submitted. The
    counts run over every sheet of the round (50,000 at the province's size), so the worker keeps them until a
    round's review stamp moves (honours.reviews.stamps: assignments, sheets submitted or reopened, dossiers'
    states): one small query over the rounds while nothing changed."""
    rounds = db.session.execute(select(Round.id, Round.name, Round.review_stamp, Round.reviewers_per_dossier)
                                .where(Round.council_stage == COUNCIL_NOT_MET).order_by(Round.id)).all()
    stamp = tuple(tuple(row) for row in rounds)
    counts = _review_work.get("rounds", stamp)
    if counts is None:
        counts = _count_review_work([row.id for row in rounds])
        _review_work.put("rounds", stamp, counts)
    names = {row.id: row.name for row in rounds}
    items = []
    for round_id in sorted(counts, reverse=True):
        lacking, outstanding = counts[round_id]
        items.append(Item(f"lacking_reviewers_{round_id}",
                          _("Hồ sơ chưa đủ thành viên chấm – %(round)s", round=names[round_id]),
                          lacking, "reviews.assignments", {"round_id": round_id, "only": "lacking"}, urgent=True))
        items.append(Item(f"sheets_outstanding_{round_id}",
                          _("Phiếu chấm chưa nộp – %(round)s", round=names[round_id]),
                          outstanding, "reviews.assignments", {"round_id": round_id}, exact=False))
    return items


def _count_review_work(round_ids: list[int]) -> dict[int, tuple[int, int]]:
    """{round id: (dossiers lacking reviewers, assigned sheets not submitted)} for the rounds with either."""
    if not round_ids:
        return {}
    assigned = (select(ReviewAssignment.dossier_id, func.count(ReviewAssignment.id).label("reviewers"))
                .join(Dossier, Dossier.id == ReviewAssignment.dossier_id).where(Dossier.round_id.in_(round_ids))
                .group_by(ReviewAssignment.dossier_id).subquery())
    lacking = dict(db.session.execute(
        select(Dossier.round_id, func.count(Dossier.id))
        .join(Round, Round.id == Dossier.round_id)
        .outerjoin(assigned, assigned.c.dossier_id == Dossier.id)
        .where(Dossier.round_id.in_(round_ids), Dossier.state.in_(states.IN_REVIEW),
               func.coalesce(assigned.c.reviewers, 0) < Round.reviewers_per_dossier)
        .group_by(Dossier.round_id)).all())
    sheet = and_(ScoreSheet.dossier_id == ReviewAssignment.dossier_id,
                 ScoreSheet.reviewer_id == ReviewAssignment.reviewer_id)
    outstanding = dict(db.session.execute(
        select(Dossier.round_id, func.count(ReviewAssignment.id))
        .join(Dossier, Dossier.id == ReviewAssignment.dossier_id)
        .outerjoin(ScoreSheet, sheet)
        .where(Dossier.round_id.in_(round_ids), or_(ScoreSheet.id.is_(None), ScoreSheet.status == SHEET_DRAFT))
        .group_by(Dossier.round_id)).all())
    return {round_id: (lacking.get(round_id, 0), outstanding.get(round_id, 0))
            for round_id in set(lacking) | set(outstanding)}


def _talent_items(today: date) -> list[Item]:
    to_screen, overdue = db.session.execute(select(
        select(func.count(Referral.id)).where(Referral.state == REFERRAL_SUBMITTED).scalar_subquery(),
        select(func.count(PoolEntry.id)).where(PoolEntry.status == ACTIVE, PoolEntry.next_review_on < today)
        .scalar_subquery(),
    )).one()
    return [
        Item("referrals_to_screen", _("Phiếu tiến cử chờ sàng lọc"), to_screen, "talent.inbox",
             {"state": REFERRAL_SUBMITTED}),
        Item("pool_overdue", _("Người trong nguồn nhân tài quá hạn sàng lọc định kỳ"), overdue, "talent.overdue",
             urgent=True),
    ]


def _publication_items() -> list[Item]:
    """Rounds whose council result is confirmed but whose list is not published: their approved dossiers."""
    rows = db.session.execute(
        select(Round.id, Round.name, func.count(Dossier.id))
        .outerjoin(Dossier, and_(Dossier.round_id == Round.id, Dossier.state == states.APPROVED))
        .where(Round.council_stage == COUNCIL_CONFIRMED, Round.published_at.is_(None))
        .group_by(Round.id, Round.name).order_by(Round.id.desc())).all()
    if not rows:
        return [Item("awaiting_publication", _("Đợt xét đã có kết quả, chờ công bố"), 0, "rounds.index",
                     exact=False)]
    return [Item(f"awaiting_publication_{round_id}",
                 _("Hồ sơ được thông qua chờ công bố – %(round)s", round=name), approved,
                 "publication.round_page", {"round_id": round_id}) for round_id, name, approved in rows]


# ---------------------------------------------------------------- administrator

def admin_home() -> list[Section]:
    locked, invited = db.session.execute(select(
        _count(User.active.is_(False)), _count(User.password_hash.startswith(INVITED_PREFIX)),
    )).one()
    return [Section("accounts", _("Tài khoản"), [
        Item("locked", _("Tài khoản đang bị khoá"), locked, "users.index", {"status": "locked"}),
        Item("never_activated", _("Tài khoản được mời nhưng chưa đặt mật khẩu"), invited, "users.index",
             {"status": "invited"}),
    ]), *_incident_sections(clock.now())]


# ---------------------------------------------------------------- secretariat and administrator

def _incident_sections(now: datetime) -> list[Section]:
    """Incidents the authority was not yet told of, with the nearest 72-hour deadline (one statement); no section
    while there are none."""
    count, first_found = incidents.awaiting_notification()
    if not count:
        return []
    deadline = first_found + timedelta(hours=NOTIFICATION_HOURS)
    hours = int((deadline - now).total_seconds() // 3600)
    if hours >= 0:
        label = _("Sự cố chưa thông báo – hạn gần nhất còn %(hours)s giờ", hours=hours)
    else:
        label = _("Sự cố chưa thông báo – đã quá hạn %(hours)s giờ", hours=-hours)
    return [Section("incidents", _("Sự cố dữ liệu cá nhân"), [
        Item("incidents_open", label, count, "incidents.index", urgent=True)])]


def _data_request_sections(now: datetime) -> list[Section]:
    """Data-subject requests past their legal deadline, and those due soon (one statement); no section while there
    are none."""
    overdue, due_soon, _nearest = privacy.overdue_and_due_soon(now)
    if not overdue and not due_soon:
        return []
    return [Section("data_requests", _("Yêu cầu về dữ liệu cá nhân"), [
        Item("data_requests_overdue", _("Yêu cầu quá hạn trả lời"), overdue, "privacy.inbox", {"state": "open"},
             exact=False, urgent=True),
        Item("data_requests_due_soon", _("Yêu cầu sắp đến hạn trả lời"), due_soon, "privacy.inbox",
             {"state": "open"}, exact=False),
    ])]


def for_role(user: User):
    """The home page's to-do data of the user's role (None for a role without one)."""
    if user.role == roles.NOMINATOR:
        return nominator_home(user)
    if user.role == roles.COUNCIL:
        return council_home(user)
    if user.role == roles.SECRETARIAT:
        return secretariat_home()
    if user.role == roles.ADMIN:
        return admin_home()
    return None
