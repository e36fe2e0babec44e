"""Council decision rules: the session and its attendance (quorum), the secret ballot, the tally against the
round's approval threshold and field quotas, the chair's confirmation and the provincial decision.

Counts are compared with integer arithmetic (agree * den > num * present), never with floats, so the edges of
"more than half" and "at least two thirds" are exact.

Secrecy: casting a vote writes a BallotReceipt (who voted) and reseals the session's urn (all ballots so far,
shuffled and encrypted, urn.py); the Ballot rows (how) are inserted only when voting closes, all at once and in
random order, so no transaction id, physical order, id or timestamp pairs a receipt with a ballot. Nothing here
reads the two together, and no function returns a ballot with its voter or a voter with a ballot.
"""
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import and_, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from honours.core import audit, clock, roles
from honours.core.confirm import ensure_confirmed
from honours.core.db import db, lock_row
from honours.core.errors import RuleViolation
from honours.core.i18n import format_datetime
from honours.core.reference import APPROVAL_RULES, QUORUM_RULES
from honours.core.roles import ensure_secretariat
from honours.core.text import name_sort_key
from honours.core.transactions import operation
from honours.nominations import states
from honours.nominations.models import Dossier
from honours.nominations.services import apply_transition
from honours.reviews.models import SUBMITTED as SHEET_SUBMITTED
from honours.reviews.models import CouncilMember, ReviewAssignment, ScoreSheet
from honours.reviews.results import DossierResult, FieldRanking, round_results
from honours.reviews.services import council, membership
from honours.rounds.models import Round
from honours.selection import services as selection

from . import record, urn
from .models import (
    CLOSED,
    CONFIRMED,
    OPEN,
    Attendance,
    Ballot,
    BallotChoice,
    BallotReceipt,
    BallotUrn,
    CouncilSession,
    CountingBoardMember,
)
from .signals import decision_recording
from .workflows import COUNCIL_SESSION

# Reasons the council stage writes into the audit log (stored in Vietnamese, shown in the reader's language).
PRESENT = audit.Reason("council.present", audit.N_("Có mặt %(present)s/%(total)s: %(names)s"))
VOTES_CAST = audit.Reason("council.votes_cast", audit.N_("%(votes)s phiếu bầu / %(present)s thành viên có mặt."))
APPROVED_BY_VOTE = audit.Reason("council.approved", audit.N_(
    "Hội đồng thông qua: %(agree)s/%(present)s thành viên có mặt đồng ý."))
OUTSIDE_QUOTA = audit.Reason("council.outside_quota", audit.N_(
    "Đạt ngưỡng biểu quyết (%(agree)s/%(present)s thành viên có mặt đồng ý) nhưng ngoài chỉ tiêu của lĩnh vực."))
REJECTED_BY_VOTE = audit.Reason("council.rejected", audit.N_(
    "Hội đồng không thông qua: %(agree)s/%(present)s thành viên có mặt đồng ý."))
BELOW_MINIMUM = audit.Reason("council.below_minimum", audit.N_("Không đạt điểm tối thiểu"))
OPENED_EARLY = audit.Reason("council.opened_early", audit.N_(
    "Mở phiên họp trước thời điểm theo tiến độ đợt xét (hạn nộp hồ sơ %(nominations_close)s, hạn chấm điểm "
    "%(review_close)s; %(awaiting_check)s hồ sơ chưa thẩm định, %(unscored)s hồ sơ chưa chấm xong, "
    "%(sheets_outstanding)s phiếu chấm chưa nộp). Lý do: %(reason)s"))
CONFIRMED_COUNT = audit.Reason("council.confirmed", audit.N_("%(approved)s/%(total)s hồ sơ được thông qua."))

MAX_DECISION_NUMBER = 100
MAX_DECISION_SIGNER = 200
# Outcome states a council decision leaves a dossier in (published comes after "approved").
DECIDED_APPROVED = (states.APPROVED, states.PUBLISHED)


class FieldRuleViolation(RuleViolation):
    """A refusal about one part of a form (a field group of the ballot, a decision field), so the page can show
    the message next to it."""

    def __init__(self, message: str, field_key: str):
        super().__init__(message)
        self.field_key = field_key


# ---------------------------------------------------------------- thresholds

def reaches(count: int, base: int, rule: tuple[int, int, bool]) -> bool:
    """count out of base meets num/den: strictly more than when strict, else at least."""
    num, den, strict = rule
    if base <= 0:
        return False
    return count * den > num * base if strict else count * den >= num * base


def needed(base: int, rule: tuple[int, int, bool]) -> int:
    """The smallest count out of base that reaches the rule."""
    num, den, strict = rule
    return num * base // den + 1 if strict else -(-num * base // den)


@dataclass(frozen=True)
class Quorum:
    present: int
    total: int
    needed: int

    @property
    def met(self) -> bool:
        return self.total > 0 and self.present >= self.needed


def quorum(session: CouncilSession) -> Quorum:
    rule = QUORUM_RULES[session.round.quorum_rule]
    return Quorum(len(session.attendees), session.members_total, needed(session.members_total, rule))


def quorum_message(q: Quorum) -> str:
    return _("Chưa đủ túc số: có mặt %(present)s/%(total)s thành viên, cần ít nhất %(needed)s.",
             present=q.present, total=q.total, needed=q.needed)


# ---------------------------------------------------------------- who may do what

def is_chair_of(user, round_id: int) -> bool:
    return (user.role == roles.COUNCIL and user.is_chair
            and membership(round_id, user.id) is not None)


def can_read_minutes(user, session: CouncilSession) -> bool:
    return user.role == roles.SECRETARIAT or is_chair_of(user, session.round_id)


# ---------------------------------------------------------------- shortlist

@dataclass
class ShortlistField:
    field_id: int
    name: str
    quota: int
    results: list[DossierResult]  # ranked by final score, best first


def _meets_minimum(result: DossierResult, round_: Round) -> bool:
    return result.final is not None and (round_.min_average_score is None
                                         or result.final >= round_.min_average_score)


def shortlist_from(round_: Round, rankings: list[FieldRanking]) -> list[ShortlistField]:
    """Points: scored and at the minimum. Standards: the standards met (no score). Both: the two."""
    met = selection.met_ids(round_) if round_.uses_standards else set()

    def listed(x: DossierResult) -> bool:
        if x.dossier.state != states.SCORED:
            return False
        if round_.uses_standards and x.dossier.id not in met:
            return False
        return not round_.uses_points or _meets_minimum(x, round_)

    return [ShortlistField(r.field_id, r.name, r.quota, [x for x in r.results if listed(x)]) for r in rankings]


def shortlist(round_: Round) -> list[ShortlistField]:
    """Per field (with its quota), the scored dossiers whose final score meets the round's minimum, best first."""
    return shortlist_from(round_, round_results(round_))


def shortlist_ids(fields: list[ShortlistField]) -> set[int]:
    return {r.dossier.id for f in fields for r in f.results}


# ---------------------------------------------------------------- sessions and attendance

def sessions_of(round_id: int) -> list[CouncilSession]:
    """The round's sessions, newest first, with attendees (and their names) loaded."""
    return list(db.session.scalars(
        select(CouncilSession).options(selectinload(CouncilSession.attendees).joinedload(Attendance.user),
                                       joinedload(CouncilSession.confirmed_by))
        .where(CouncilSession.round_id == round_id).order_by(CouncilSession.id.desc())
    ).unique())


def _lock_session(session: CouncilSession) -> CouncilSession:
    return lock_row(CouncilSession, session.id, "status")


def _checked_attendees(members: list[CouncilMember], present_user_ids) -> set[int]:
    member_ids = {m.user_id for m in members}
    present = {int(i) for i in present_user_ids}
    if present - member_ids:
        raise FieldRuleViolation(_("Chỉ thành viên hội đồng của đợt xét mới được ghi nhận có mặt."), "present")
    return present


def _names(members: list[CouncilMember], user_ids: set[int]) -> str:
    return ", ".join(m.user.full_name for m in members if m.user_id in user_ids)


@dataclass(frozen=True)
class Timeline:
    """Where the round stands when a session would open: each count or date that says "too early"."""

    nominations_open: bool
    review_open: bool
    awaiting_check: int  # dossiers submitted but not yet checked
    unscored: int  # eligible dossiers whose review is not complete
    sheets_outstanding: int  # assigned score sheets not yet submitted

    def warnings(self, round_: Round) -> list[str]:
        found = []
        if self.nominations_open:
            found.append(_("Đợt xét vẫn đang nhận hồ sơ đề cử (hạn nộp: %(at)s).",
                           at=format_datetime(round_.nominations_close_at)))
        if self.review_open:
            found.append(_("Chưa hết hạn chấm điểm (hạn chấm: %(at)s).", at=format_datetime(round_.review_close_at)))
        if self.awaiting_check:
            found.append(ngettext("%(num)d hồ sơ đã nộp chưa được thẩm định.",
                                  "%(num)d hồ sơ đã nộp chưa được thẩm định.", self.awaiting_check))
        if self.unscored:
            found.append(ngettext("%(num)d hồ sơ hợp lệ chưa chấm điểm xong: hồ sơ này sẽ không có trong danh sách "
                                  "bỏ phiếu.",
                                  "%(num)d hồ sơ hợp lệ chưa chấm điểm xong: các hồ sơ này sẽ không có trong danh "
                                  "sách bỏ phiếu.", self.unscored))
        if self.sheets_outstanding:
            found.append(ngettext("%(num)d phiếu chấm điểm được phân công chưa nộp.",
                                  "%(num)d phiếu chấm điểm được phân công chưa nộp.", self.sheets_outstanding))
        return found

    def audit_params(self, round_: Round) -> dict:
        """The audit entry's parameters: dates and counts, the same in every language."""
        return {"nominations_close": round_.nominations_close_at.strftime("%d/%m/%Y %H:%M"),
                "review_close": round_.review_close_at.strftime("%d/%m/%Y %H:%M"),
                "awaiting_check": self.awaiting_check, "unscored": self.unscored,
                "sheets_outstanding": self.sheets_outstanding}


def timeline(round_: Round) -> Timeline:
    """Two queries: dossiers by state, and the assigned sheets of the round not yet submitted."""
    now = clock.now()
    by_state = dict(db.session.execute(
        select(Dossier.state, func.count(Dossier.id)).where(Dossier.round_id == round_.id).group_by(Dossier.state)
    ).all())
    outstanding = db.session.scalar(
        select(func.count(ReviewAssignment.id)).join(Dossier, Dossier.id == ReviewAssignment.dossier_id)
        .outerjoin(ScoreSheet, and_(ScoreSheet.dossier_id == ReviewAssignment.dossier_id,
                                    ScoreSheet.reviewer_id == ReviewAssignment.reviewer_id,
                                    ScoreSheet.status == SHEET_SUBMITTED))
        .where(Dossier.round_id == round_.id, Dossier.state.in_((states.ELIGIBLE, states.UNDER_REVIEW)),
               ScoreSheet.id.is_(None)))
    return Timeline(
        nominations_open=round_.nominations_close_at > now, review_open=round_.review_close_at > now,
        awaiting_check=sum(by_state.get(s, 0) for s in states.AWAITING_CHECK),
        unscored=by_state.get(states.ELIGIBLE, 0) + by_state.get(states.UNDER_REVIEW, 0),
        sheets_outstanding=outstanding or 0)


def opening_consequence(round_: Round, present: int, total: int, listed: int) -> str:
    return _("Mở phiên họp hội đồng với %(present)s/%(total)s thành viên có mặt. Việc chấm điểm và phân công người "
             "chấm của cả đợt xét bị khoá cho đến khi Chủ tịch Hội đồng xác nhận kết quả; danh sách %(listed)s hồ sơ "
             "đưa ra bỏ phiếu được cố định; các thành viên có mặt sẽ bỏ phiếu kín.",
             present=present, total=total, listed=listed)


@operation
def open_session(actor, round_: Round, present_user_ids, *, confirmed: bool = False,
                 override_reason: str = "") -> CouncilSession:
    """Open the round's council session. It freezes scoring for the whole round, so it asks for confirmation, and
    when the round's timeline says it is too early (nominations still open, the review deadline not passed,
    dossiers unchecked or unscored, sheets outstanding) it needs a reason, which goes to the audit log."""
    ensure_secretariat(actor)
    lock_row(Round, round_.id, "year")  # two secretaries opening at once must not create two sessions
    if db.session.scalar(select(CouncilSession.id).where(CouncilSession.round_id == round_.id,
                                                         CouncilSession.status != CONFIRMED)):
        raise RuleViolation(_("Đợt xét đang có một phiên họp hội đồng chưa kết thúc."))
    members = council(round_.id)
    if not members:
        raise RuleViolation(_("Đợt xét chưa có thành viên hội đồng."))
    listed = shortlist_ids(shortlist(round_))
    if not listed:
        raise RuleViolation(_("Chưa có hồ sơ nào đủ điều kiện đưa ra hội đồng (đã chấm điểm xong và đạt điểm "
                              "tối thiểu)."))
    present = _checked_attendees(members, present_user_ids)
    now = timeline(round_)
    reason = ensure_confirmed(confirmed, opening_consequence(round_, len(present), len(members), len(listed)),
                              warnings=now.warnings(round_), override_reason=override_reason)
    session = CouncilSession(round_id=round_.id, status=OPEN, opened_by_id=actor.id, opened_at=clock.now(),
                             members_total=len(members))  # a session starts open (its workflow's first state)
    session.attendees = [Attendance(user_id=user_id) for user_id in sorted(present)]
    db.session.add(session)
    db.session.flush()
    db.session.add(BallotUrn(session_id=session.id, sealed=urn.seal([])))
    audit.record(actor, "council_session", session.id, "open", "", OPEN,
                 PRESENT(present=len(present), total=len(members), names=_names(members, present)))
    if reason:
        audit.record(actor, "council_session", session.id, "open_early", "", OPEN,
                     OPENED_EARLY(reason=reason, **now.audit_params(round_)))
    db.session.flush()
    return session


def receipts_count(session: CouncilSession) -> int:
    return db.session.scalar(select(func.count(BallotReceipt.id)).where(BallotReceipt.session_id == session.id))


@operation
def update_attendance(actor, session: CouncilSession, present_user_ids) -> None:
    """Correct the attendance while the session is open and nobody has voted yet (votes are counted against the
    members present, so the base cannot move under cast ballots)."""
    ensure_secretariat(actor)
    session = _lock_session(session)
    if session.status != OPEN:
        raise RuleViolation(_("Chỉ cập nhật danh sách có mặt khi phiên họp đang mở."))
    if receipts_count(session):
        raise RuleViolation(_("Đã có thành viên bỏ phiếu: không thể thay đổi danh sách có mặt nữa."))
    members = council(session.round_id)
    present = _checked_attendees(members, present_user_ids)
    session.attendees = ([a for a in session.attendees if a.user_id in present]
                         + [Attendance(user_id=i) for i in sorted(present - {a.user_id for a in session.attendees})])
    # Voting has not started, so the quorum base follows the council as it is now (a member may have been added).
    session.members_total = len(members)
    COUNCIL_SESSION.apply(actor, session, "attendance",
                          PRESENT(present=len(present), total=len(members), names=_names(members, present)))
    db.session.flush()


MAX_SECRETARY_NAME = 200
MAX_COUNTING_BOARD = 5
COUNTING_BOARD = audit.Reason("council.counting_board", audit.N_(
    "Ban kiểm phiếu: %(board)s; thư ký phiên họp: %(secretary)s"))


@operation
def set_counting_board(actor, session: CouncilSession, secretary_name: str, member_ids) -> None:
    """Record who keeps the minutes (the secretary) and the vote-counting board the council elected among the
    members present (the first named heads it), until the chair confirms the result: the vote-count record they
    sign is printed from these names."""
    ensure_secretariat(actor)
    session = _lock_session(session)
    if session.status not in (OPEN, CLOSED):
        raise RuleViolation(_("Kết quả đã được xác nhận: không thể thay đổi thư ký và ban kiểm phiếu nữa."))
    secretary_name = (secretary_name or "").strip()
    if not secretary_name:
        raise FieldRuleViolation(_("Vui lòng nhập họ tên thư ký phiên họp."), "secretary_name")
    if len(secretary_name) > MAX_SECRETARY_NAME:
        raise FieldRuleViolation(_("Tối đa %(max)d ký tự.", max=MAX_SECRETARY_NAME), "secretary_name")
    chosen = list(dict.fromkeys(int(i) for i in member_ids))
    present = {a.user_id: a.user for a in session.attendees}
    if not chosen or len(chosen) > MAX_COUNTING_BOARD:
        raise FieldRuleViolation(_("Ban kiểm phiếu có từ 1 đến %(max)d thành viên (thường là 3).",
                                   max=MAX_COUNTING_BOARD), "counting_members")
    if set(chosen) - set(present):
        raise FieldRuleViolation(_("Ban kiểm phiếu gồm các thành viên hội đồng có mặt tại phiên họp."),
                                 "counting_members")
    kept = {m.user_id: m for m in session.counting_board}
    session.counting_board = [kept.get(user_id) or CountingBoardMember(user_id=user_id) for user_id in chosen]
    for position, member in enumerate(session.counting_board):
        member.position = position
    session.secretary_name = secretary_name
    audit.record(actor, "council_session", session.id, "counting_board", session.status, session.status,
                 COUNTING_BOARD(board=", ".join(present[i].full_name for i in chosen), secretary=secretary_name))
    db.session.flush()


def is_present(session: CouncilSession, user) -> bool:
    return any(a.user_id == user.id for a in session.attendees)


def has_voted(session: CouncilSession, user) -> bool:
    return db.session.scalar(select(BallotReceipt.id).where(BallotReceipt.session_id == session.id,
                                                            BallotReceipt.user_id == user.id)) is not None


@dataclass
class MySession:
    session: CouncilSession
    present: bool
    voted: bool


def my_sessions(user) -> list[MySession]:
    """Sessions of the rounds whose council the user sits on, newest first, with whether they attended and voted."""
    sessions = db.session.scalars(
        select(CouncilSession).options(joinedload(CouncilSession.round))
        .join(CouncilMember, and_(CouncilMember.round_id == CouncilSession.round_id, CouncilMember.user_id == user.id))
        .order_by(CouncilSession.opened_at.desc(), CouncilSession.id.desc())
    ).all()
    ids = [s.id for s in sessions]
    voted = set(db.session.scalars(select(BallotReceipt.session_id).where(
        BallotReceipt.user_id == user.id, BallotReceipt.session_id.in_(ids)))) if ids else set()
    present = set(db.session.scalars(select(Attendance.session_id).where(
        Attendance.user_id == user.id, Attendance.session_id.in_(ids)))) if ids else set()
    return [MySession(s, s.id in present, s.id in voted) for s in sessions]


# ---------------------------------------------------------------- ballot

def voting_refusal(user, session: CouncilSession) -> str | None:
    """Why this user cannot vote in this session now, or None."""
    if session.status != OPEN:
        return _("Phiên họp đã đóng bỏ phiếu.")
    if not is_present(session, user):
        return _("Bạn không có tên trong danh sách thành viên có mặt tại phiên họp nên không thể bỏ phiếu.")
    q = quorum(session)
    if not q.met:
        return quorum_message(q)
    if has_voted(session, user):
        return _("Bạn đã bỏ phiếu trong phiên họp này; mỗi thành viên chỉ được bỏ phiếu một lần.")
    return None


def _already_voted() -> RuleViolation:
    return RuleViolation(_("Bạn đã bỏ phiếu trong phiên họp này; mỗi thành viên chỉ được bỏ phiếu một lần."))


@operation
def cast_ballot(user, session: CouncilSession, choices: dict[int, bool]) -> None:
    """Record one member's secret ballot: agree/disagree for every shortlisted dossier, at most the quota of
    agrees per field. The receipt (who) is written and the ballot (how) goes into the sealed urn, together or not
    at all; the ballot becomes a row only when voting closes (close_voting)."""
    session = _lock_session(session)  # closing the vote waits for ballots being cast, and the other way round
    refusal = voting_refusal(user, session)
    if refusal:
        raise RuleViolation(refusal)
    fields = shortlist(session.round)
    if set(choices) != shortlist_ids(fields) or not all(isinstance(v, bool) for v in choices.values()):
        raise RuleViolation(_("Phiếu bầu phải có ý kiến đồng ý hoặc không đồng ý cho đúng và đủ các hồ sơ trong "
                              "danh sách. Vui lòng tải lại trang phiếu bầu."))
    for shortlisted in fields:
        agrees = sum(1 for r in shortlisted.results if choices[r.dossier.id])
        if agrees > shortlisted.quota:
            raise FieldRuleViolation(
                _("Lĩnh vực \"%(field)s\" có chỉ tiêu %(quota)s: chỉ được đồng ý tối đa %(quota)s hồ sơ (bạn đang "
                  "chọn %(count)s).", field=shortlisted.name, quota=shortlisted.quota, count=agrees),
                f"field-{shortlisted.field_id}")
    try:
        with db.session.begin_nested():
            db.session.add(BallotReceipt(session_id=session.id, user_id=user.id))
    except IntegrityError:  # a concurrent vote by the same member got in first: the unique receipt stops this one
        raise _already_voted() from None
    held = db.session.get(BallotUrn, session.id)
    if held is None:  # a session opened before ballots were sealed
        held = BallotUrn(session_id=session.id)
        db.session.add(held)
    ballots = _unsealed(held)
    # 1/0, not true/false: every ballot of a session has the same length, so the urn's size after each vote
    # (old row versions keep it) says nothing about how the last voter voted.
    ballots.append([[dossier_id, int(agree)] for dossier_id, agree in sorted(choices.items())])
    held.sealed = urn.seal(ballots)  # reshuffled and encrypted anew: the urn never shows which ballot came last
    db.session.flush()


def _unsealed(held: BallotUrn) -> list[urn.SealedBallot]:
    try:
        return urn.unseal(held.sealed)
    except urn.UrnUnreadable:
        raise RuleViolation(_("Không mở được hòm phiếu (khoá bí mật của ứng dụng đã thay đổi trong khi bỏ phiếu). "
                              "Vui lòng liên hệ quản trị hệ thống.")) from None


def _empty_urn(session: CouncilSession) -> None:
    """Insert every sealed ballot at once, in random order (one transaction: the closer's), and drop the urn."""
    held = db.session.get(BallotUrn, session.id)
    if held is None:
        return
    for ballot in urn.shuffled(_unsealed(held)):
        db.session.add(Ballot(session_id=session.id, choices=[
            BallotChoice(dossier_id=int(dossier_id), agree=bool(agree)) for dossier_id, agree in ballot]))
    db.session.delete(held)
    db.session.flush()


@operation
def close_voting(actor, session: CouncilSession, *, confirmed: bool = False) -> None:
    """Close the vote: the ballots cast so far are final; confirmed once the secretary has seen how many voted."""
    ensure_secretariat(actor)
    session = _lock_session(session)
    if session.status != OPEN:
        raise RuleViolation(_("Phiên họp đã đóng bỏ phiếu."))
    votes = receipts_count(session)
    if not votes:
        raise RuleViolation(_("Chưa có thành viên nào bỏ phiếu: chưa thể đóng bỏ phiếu."))
    # Fewer ballots than the quorum would let a tally of one or two ballots show how those members voted.
    minimum = quorum(session).needed
    if votes < minimum:
        raise RuleViolation(_("Mới có %(votes)s phiếu bầu; cần ít nhất %(needed)s phiếu (túc số của hội đồng) "
                              "mới được đóng bỏ phiếu.", votes=votes, needed=minimum))
    present = len(session.attendees)
    ensure_confirmed(confirmed, _(
        "Đóng bỏ phiếu với %(votes)s/%(present)s thành viên có mặt đã bỏ phiếu. Số phiếu này là cuối cùng: thành "
        "viên chưa bỏ phiếu sẽ không thể bỏ phiếu nữa, kết quả kiểm phiếu được tính và chuyển cho Chủ tịch Hội đồng "
        "xác nhận.", votes=votes, present=present))
    _empty_urn(session)
    session.closed_at = clock.now()
    COUNCIL_SESSION.apply(actor, session, "close", VOTES_CAST(votes=votes, present=present))
    db.session.flush()


# ---------------------------------------------------------------- tally

@dataclass
class TallyRow:
    dossier: Dossier
    final: Decimal
    agree: int
    disagree: int
    present: int
    passes: bool
    approved: bool = False
    tied: bool = False  # same votes and score as a dossier on the other side of the quota line


@dataclass
class FieldTally:
    field_id: int
    name: str
    quota: int
    rows: list[TallyRow]


@dataclass
class Tally:
    fields: list[FieldTally]
    present: int
    ballots: int
    needed_agree: int  # agree votes a dossier needs out of the members present
    consistent: bool  # every ballot covers exactly the dossiers tallied
    below_minimum: list[DossierResult] = field(default_factory=list)
    recorded: dict | None = None  # the confirmed record (record.py) this tally was read from
    sha256: str = ""

    @property
    def rows(self) -> list[TallyRow]:
        return [row for f in self.fields for row in f.rows]

    @property
    def tied(self) -> bool:
        return any(row.tied for row in self.rows)


def _vote_counts(session: CouncilSession) -> dict[int, dict[bool, int]]:
    counts: dict[int, dict[bool, int]] = {}
    for dossier_id, agree, n in db.session.execute(
        select(BallotChoice.dossier_id, BallotChoice.agree, func.count())
        .join(Ballot, Ballot.id == BallotChoice.ballot_id).where(Ballot.session_id == session.id)
        .group_by(BallotChoice.dossier_id, BallotChoice.agree)
    ):
        counts.setdefault(dossier_id, {True: 0, False: 0})[bool(agree)] = n
    return counts


def recorded_tally(snapshot) -> Tally:
    """The confirmed result exactly as recorded: never recomputed from the round's live criteria or rules."""
    body = record.read(snapshot)
    fields = [FieldTally(f["field_id"], f["name"], f["quota"], [
        TallyRow(record.recorded_dossier(row), record.decimal_or_none(row["final"]), row["agree"], row["disagree"],
                 row["present"], row["passes"], row["approved"], row["tied"]) for row in f["rows"]])
        for f in body["fields"]]
    below = [DossierResult(record.recorded_dossier(r), final=record.decimal_or_none(r["final"]))
             for r in body["below_minimum"]]
    return Tally(fields, body["present"], body["ballots"], body["needed_agree"], True, below, body, snapshot.sha256)


def tally_from(session: CouncilSession, rankings: list[FieldRanking] | None) -> Tally:
    if session.status == CONFIRMED:
        snapshot = record.snapshot_of(session)
        if snapshot is not None:
            return recorded_tally(snapshot)
    if rankings is None:
        rankings = round_results(session.round)
    round_ = session.round
    rule = APPROVAL_RULES[round_.approval_rule]
    present = len(session.attendees)
    ballots = db.session.scalar(select(func.count(Ballot.id)).where(Ballot.session_id == session.id))
    counts = _vote_counts(session)
    confirmed = session.status == CONFIRMED
    if confirmed:  # the dossiers have left "scored": the ballots themselves say which were on them
        fields = [ShortlistField(r.field_id, r.name, r.quota, [x for x in r.results if x.dossier.id in counts])
                  for r in rankings]
        below = [x for r in rankings for x in r.results
                 if x.dossier.state == states.NOT_APPROVED and x.final is not None and not _meets_minimum(x, round_)]
    else:
        fields = shortlist_from(round_, rankings)
        below = [x for r in rankings for x in r.results
                 if x.dossier.state == states.SCORED and x.final is not None and not _meets_minimum(x, round_)]
    tallied = shortlist_ids(fields)
    consistent = set(counts) <= tallied
    field_tallies = []
    for shortlisted in fields:
        rows = []
        for result in shortlisted.results:
            votes = counts.get(result.dossier.id, {True: 0, False: 0})
            consistent = consistent and votes[True] + votes[False] == ballots
            rows.append(TallyRow(result.dossier, result.final, votes[True], votes[False], present,
                                 reaches(votes[True], present, rule)))
        rows.sort(key=lambda r: (not r.passes, -r.agree, -(r.final or 0), name_sort_key(r.dossier.full_name)))
        passing = [r for r in rows if r.passes]
        for row in passing[:shortlisted.quota]:
            row.approved = True
        if 0 < shortlisted.quota < len(passing):
            last_in, first_out = passing[shortlisted.quota - 1], passing[shortlisted.quota]
            if (last_in.agree, last_in.final) == (first_out.agree, first_out.final):
                for row in passing:
                    row.tied = row.tied or (row.agree, row.final) == (last_in.agree, last_in.final)
        if confirmed:  # the record is what the chair confirmed, even if the round's rules were edited since
            for row in rows:
                row.approved = row.dossier.state in DECIDED_APPROVED
        field_tallies.append(FieldTally(shortlisted.field_id, shortlisted.name, shortlisted.quota, rows))
    return Tally(field_tallies, present, ballots, needed(present, rule) if present else 0, consistent, below)


def tally(session: CouncilSession) -> Tally:
    """Per field and dossier: agree, disagree, members present, whether the round's threshold is reached over the
    members present (not all of them need have voted), and approval: passing dossiers by agree votes, then final
    score, within the field's quota."""
    return tally_from(session, None)


# ---------------------------------------------------------------- confirmation and decision

@operation
def confirm(chair, session: CouncilSession) -> Tally:
    """The chair confirms the closed ballot: approve or reject every dossier on it, reject the scored dossiers
    below the minimum score, all in one transaction with their audit entries."""
    if not is_chair_of(chair, session.round_id):
        raise RuleViolation(_("Chỉ Chủ tịch Hội đồng của đợt xét mới được xác nhận kết quả."))
    session = _lock_session(session)
    if session.status == CONFIRMED:
        raise RuleViolation(_("Kết quả phiên họp đã được xác nhận."))
    if session.status != CLOSED:
        raise RuleViolation(_("Chỉ xác nhận kết quả sau khi Ban thư ký đã đóng bỏ phiếu."))
    result = tally(session)
    if not result.consistent:
        # Scores are frozen while a session is unconfirmed (reviews.check_scoring_open), so only a change made
        # outside the application can get here; refuse rather than confirm ballots cast on another list.
        raise RuleViolation(_("Danh sách hồ sơ đã thay đổi so với lúc bỏ phiếu nên chưa thể xác nhận kết quả. "
                              "Vui lòng liên hệ quản trị hệ thống."))
    for row in result.rows:
        if row.approved:
            reason = APPROVED_BY_VOTE(agree=row.agree, present=row.present)
        elif row.passes:
            reason = OUTSIDE_QUOTA(agree=row.agree, present=row.present)
        else:
            reason = REJECTED_BY_VOTE(agree=row.agree, present=row.present)
        apply_transition(chair, row.dossier, "approve" if row.approved else "reject", reason)
    for below in result.below_minimum:
        apply_transition(chair, below.dossier, "reject", BELOW_MINIMUM())
    session.confirmed_by_id = chair.id
    session.confirmed_at = clock.now()
    record.write(session, result, quorum(session), chair)  # the official record, never recomputed afterwards
    approved = sum(1 for row in result.rows if row.approved)
    COUNCIL_SESSION.apply(chair, session, "confirm", CONFIRMED_COUNT(approved=approved, total=len(result.rows)))
    db.session.flush()
    return result


@operation
def record_decision(actor, session: CouncilSession, number: str, decision_date: date | None, signer: str) -> None:
    """The provincial decision conferring the title (number, date, signer), after the chair's confirmation."""
    ensure_secretariat(actor)
    if session.status != CONFIRMED:
        raise RuleViolation(_("Chỉ ghi nhận quyết định sau khi Chủ tịch Hội đồng đã xác nhận kết quả."))
    decision_recording.send(session.round, actor=actor)
    number, signer = (number or "").strip(), (signer or "").strip()
    for value, key in ((number, "decision_number"), (decision_date, "decision_date"), (signer, "decision_signer")):
        if not value:
            raise FieldRuleViolation(_("Vui lòng nhập đủ số quyết định, ngày ký và người ký."), key)
    if len(number) > MAX_DECISION_NUMBER:
        raise FieldRuleViolation(_("Tối đa %(max)d ký tự.", max=MAX_DECISION_NUMBER), "decision_number")
    if len(signer) > MAX_DECISION_SIGNER:
        raise FieldRuleViolation(_("Tối đa %(max)d ký tự.", max=MAX_DECISION_SIGNER), "decision_signer")
    if decision_date < session.confirmed_at.date():
        raise FieldRuleViolation(_("Ngày quyết định không thể trước ngày hội đồng xác nhận kết quả (%(date)s).",
                                   date=session.confirmed_at.strftime("%d/%m/%Y")), "decision_date")
    if decision_date > clock.now().date():
        raise FieldRuleViolation(_("Ngày quyết định không thể sau ngày hôm nay."), "decision_date")
    session.decision_number, session.decision_date, session.decision_signer = number, decision_date, signer
    # Every save is audited with the full values, so a corrected decision keeps its earlier version in the log.
    COUNCIL_SESSION.apply(actor, session, "decision",
                          _("Quyết định số %(number)s ngày %(date)s, người ký: %(signer)s", number=number,
                            date=decision_date.strftime("%d/%m/%Y"), signer=signer))
    db.session.flush()
