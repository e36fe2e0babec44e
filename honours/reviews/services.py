"""Review rules: the council, conflicts of interest, assignment (manual and automatic), score sheets."""
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from flask import render_template
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from honours.auth.models import User
from honours.core import audit, clock, roles
from honours.core.concurrency import check_version, stale_message
from honours.core.confirm import ensure_confirmed
from honours.core.db import db, touch
from honours.core.errors import RuleViolation, StaleEdit
from honours.core.i18n import format_datetime
from honours.core.outbox import services as outbox
from honours.core.text import fold
from honours.core.transactions import operation
from honours.nominations import states
from honours.nominations.access import council_member_may_view
from honours.nominations.models import Dossier
from honours.nominations.services import apply_transition
from honours.nominations.signals import check_reopened, check_reopening
from honours.rounds.models import COUNCIL_DELIBERATING, Round

from .models import DRAFT, SUBMITTED, ConflictDeclaration, CouncilMember, ReviewAssignment, ScoreItem, ScoreSheet
from .workflows import SCORE_SHEET

REVIEWER_ADDED = audit.Reason("reviews.reviewer_added", audit.N_("Phân công thêm người chấm."))
ASSIGNED = audit.Reason("reviews.assigned", audit.N_("Phân công người chấm: %(reviewer)s."))
ASSIGNED_BEYOND = audit.Reason("reviews.assigned_beyond", audit.N_(
    "Phân công người chấm: %(reviewer)s, vượt số người chấm của đợt. Lý do: %(reason)s"))
UNASSIGNED = audit.Reason("reviews.unassigned", audit.N_("Gỡ phân công người chấm: %(reviewer)s. %(reason)s"))
MEMBER_ADDED = audit.Reason("reviews.member_added", audit.N_("Thêm thành viên hội đồng %(member)s: %(details)s."))
MEMBER_CHANGED = audit.Reason("reviews.member_changed", audit.N_(
    "Sửa thành viên hội đồng %(member)s: %(changes)s."))
MEMBER_REMOVED = audit.Reason("reviews.member_removed", audit.N_("Bỏ thành viên hội đồng %(member)s: %(details)s."))

# ---------------------------------------------------------------- council

def council(round_id: int) -> list[CouncilMember]:
    return list(db.session.scalars(
        select(CouncilMember).options(joinedload(CouncilMember.user), joinedload(CouncilMember.panel_field),
                                      joinedload(CouncilMember.affiliation_organisation),
                                      selectinload(CouncilMember.expertise))
        .where(CouncilMember.round_id == round_id).join(User).order_by(User.full_name)
    ))


def membership(round_id: int, user_id: int) -> CouncilMember | None:
    return db.session.scalar(select(CouncilMember).where(CouncilMember.round_id == round_id,
                                                         CouncilMember.user_id == user_id))


def _member_details(member: CouncilMember, round_: Round) -> dict[str, str]:
    """What the audit log says of a member (labels in Vietnamese, the language of the record)."""
    names = {f.id: f.name for f in round_.fields}
    return {
        "tiểu ban": names.get(member.panel_field_id, "—") if member.panel_field_id else "—",
        "cơ quan": member.affiliation or "—",
        "đơn vị": str(member.affiliation_organisation_id or "—"),
        "chuyên môn": ", ".join(sorted(names.get(f.id, str(f.id)) for f in member.expertise)) or "—",
    }


def _said(details: dict[str, str]) -> str:
    return "; ".join(f"{key}: {value}" for key, value in details.items())


@operation
def save_member(actor: User | None, round_: Round, user: User, panel_field_id: int | None = None,
                affiliation: str = "", affiliation_organisation_id: int | None = None, expertise_field_ids=(),
                member: CouncilMember | None = None) -> CouncilMember:
    if user.role != roles.COUNCIL or not user.active:
        raise RuleViolation(_("Chỉ tài khoản thành viên hội đồng đang hoạt động mới được đưa vào hội đồng."))
    field_ids = {f.id for f in round_.fields}
    if (panel_field_id and panel_field_id not in field_ids) or not set(expertise_field_ids) <= field_ids:
        raise RuleViolation(_("Lĩnh vực không thuộc đợt xét này."))
    before = None
    if member is None:
        if membership(round_.id, user.id):
            raise RuleViolation(_("%(name)s đã là thành viên hội đồng của đợt này.", name=user.full_name))
        member = CouncilMember(round_id=round_.id, user_id=user.id)
        db.session.add(member)
    else:
        before = _member_details(member, round_)
    member.panel_field_id = panel_field_id or None
    member.affiliation = (affiliation or "").strip()
    member.affiliation_organisation_id = affiliation_organisation_id or None
    member.expertise = [f for f in round_.fields if f.id in set(expertise_field_ids)]
    db.session.flush()
    after = _member_details(member, round_)
    if before is None:
        record_member_added(actor, round_, member)
    elif before != after:
        changes = "; ".join(f"{key}: {before[key]} → {after[key]}" for key in after if before[key] != after[key])
        audit.record(actor, "round", round_.id, "council_member_changed",
                     reason=MEMBER_CHANGED(member=user.full_name, changes=changes))
    db.session.flush()
    return member


def record_member_added(actor: User | None, round_: Round, member: CouncilMember) -> None:
    """The audit entry of a member joining the round's council (also written by the accounts import)."""
    audit.record(actor, "round", round_.id, "council_member_added",
                 reason=MEMBER_ADDED(member=member.user.full_name, details=_said(_member_details(member, round_))))


def my_memberships(user: User) -> list[CouncilMember]:
    """The rounds whose council this member sits on, with their fields (for declaring expertise)."""
    return list(db.session.scalars(
        select(CouncilMember).options(joinedload(CouncilMember.round).selectinload(Round.fields),
                                      selectinload(CouncilMember.expertise))
        .where(CouncilMember.user_id == user.id).join(Round).order_by(Round.year.desc(), Round.id.desc())
    ))


@operation
def declare_expertise(user: User, round_: Round, field_ids) -> CouncilMember:
    """A member states the fields they are expert in; automatic assignment prefers them for those dossiers."""
    member = membership(round_.id, user.id)
    if member is None:
        raise RuleViolation(_("Bạn không thuộc hội đồng của đợt này."))
    wanted = set(field_ids)
    if not wanted <= {f.id for f in round_.fields}:
        raise RuleViolation(_("Lĩnh vực không thuộc đợt xét này."))
    member.expertise = [f for f in round_.fields if f.id in wanted]
    db.session.flush()
    return member


@operation
def remove_member(actor: User | None, member: CouncilMember) -> None:
    assigned = db.session.scalar(select(func.count(ReviewAssignment.id)).join(Dossier).where(
        ReviewAssignment.reviewer_id == member.user_id, Dossier.round_id == member.round_id))
    if assigned:
        raise RuleViolation(_("Không thể bỏ thành viên đang được phân công chấm hồ sơ; hãy gỡ phân công trước."))
    round_ = db.session.get(Round, member.round_id)
    audit.record(actor, "round", member.round_id, "council_member_removed", reason=MEMBER_REMOVED(
        member=member.user.full_name, details=_said(_member_details(member, round_))))
    db.session.delete(member)
    db.session.flush()


# ---------------------------------------------------------------- conflicts of interest

def declared_conflicts(round_id: int) -> set[tuple[int, int]]:
    return set(db.session.execute(
        select(ConflictDeclaration.dossier_id, ConflictDeclaration.reviewer_id).join(Dossier)
        .where(Dossier.round_id == round_id)
    ).all())


def conflict_reason(member: CouncilMember, dossier: Dossier, declared: set[tuple[int, int]]) -> str | None:
    """Why this member must not review this dossier, or None."""
    if (dossier.id, member.user_id) in declared:
        return _("Thành viên đã khai báo xung đột lợi ích.")
    if member.affiliation_organisation_id and member.affiliation_organisation_id == dossier.organisation_id:
        return _("Thành viên thuộc đơn vị đề cử hồ sơ này.")
    affiliation, workplace = fold(member.affiliation), fold(dossier.workplace)
    if affiliation and workplace and (affiliation in workplace or workplace in affiliation):
        return _("Thành viên cùng cơ quan với người được đề cử.")
    return None


# ---------------------------------------------------------------- the council's turn

def check_scoring_open(round_id: int) -> None:
    """Scores and assignments are frozen while the council deliberates on them (a session that is open or
    closed but not yet confirmed): a late change would alter the shortlist under the members' feet."""
    if db.session.scalar(select(Round.council_stage).where(Round.id == round_id)) == COUNCIL_DELIBERATING:
        raise RuleViolation(_("Hội đồng đang họp xét chọn đợt này: không thể thay đổi phân công hoặc điểm."))


# ---------------------------------------------------------------- assignment

def _assign(actor: User, dossier: Dossier, member: CouncilMember, beyond: str = "") -> ReviewAssignment:
    assignment = ReviewAssignment(dossier_id=dossier.id, reviewer_id=member.user_id, assigned_by_id=actor.id)
    db.session.add(assignment)
    audit.record(actor, "dossier", dossier.id, "assign_reviewer", dossier.state, dossier.state,
                 ASSIGNED_BEYOND(reviewer=member.user.full_name, reason=beyond) if beyond
                 else ASSIGNED(reviewer=member.user.full_name))
    if dossier.state == states.ELIGIBLE:
        apply_transition(actor, dossier, "start_review")
    elif dossier.state == states.SCORED:  # a new reviewer has a sheet to fill in
        apply_transition(actor, dossier, "reopen_review", REVIEWER_ADDED())
    return assignment


@operation
def assign(actor: User, dossier: Dossier, reviewer: User, *, confirmed: bool = False,
           override_reason: str = "") -> ReviewAssignment:
    return assign_many(actor, dossier.round, [dossier.id], reviewer, confirmed=confirmed,
                       override_reason=override_reason)[0]


@operation
def assign_many(actor: User, round_: Round, dossier_ids, reviewer: User, *, confirmed: bool = False,
                override_reason: str = "") -> list[ReviewAssignment]:
    """Give `reviewer` every dossier of `dossier_ids`, all or nothing: one refused dossier (not in review, a
    conflict of interest, already assigned) refuses them all, each named. A dossier that would get more reviewers
    than the round asks for is never taken silently: it needs a confirmation with a reason, for the audit log."""
    check_scoring_open(round_.id)
    wanted = list(dict.fromkeys(dossier_ids))
    if not wanted:
        raise RuleViolation(_("Vui lòng chọn ít nhất một hồ sơ."))
    dossiers = db.session.scalars(select(Dossier).where(Dossier.id.in_(wanted), Dossier.round_id == round_.id)
                                  .order_by(Dossier.name_folded, Dossier.id)).all()
    if len(dossiers) != len(wanted):
        raise RuleViolation(_("Có hồ sơ không thuộc đợt xét này; vui lòng tải lại trang."))
    member = membership(round_.id, reviewer.id)
    if member is None:
        raise RuleViolation(_("%(name)s không thuộc hội đồng của đợt này.", name=reviewer.full_name))
    declared = declared_conflicts(round_.id)
    have = dict(db.session.execute(select(ReviewAssignment.dossier_id, func.count(ReviewAssignment.id))
                                   .where(ReviewAssignment.dossier_id.in_(wanted))
                                   .group_by(ReviewAssignment.dossier_id)).all())
    already = set(db.session.scalars(select(ReviewAssignment.dossier_id).where(
        ReviewAssignment.dossier_id.in_(wanted), ReviewAssignment.reviewer_id == reviewer.id)))
    problems = []
    for dossier in dossiers:
        if dossier.state not in states.IN_REVIEW:
            problems.append((dossier, _("Chỉ phân công chấm hồ sơ hợp lệ hoặc đang chấm.")))
        elif dossier.id in already:
            problems.append((dossier, _("%(name)s đã được phân công hồ sơ này.", name=reviewer.full_name)))
        elif reason := conflict_reason(member, dossier, declared):
            problems.append((dossier, _("Không thể phân công: %(reason)s", reason=reason)))
    if problems and len(dossiers) == 1:
        raise RuleViolation(problems[0][1])
    if problems:
        raise RuleViolation(_("Chưa phân công hồ sơ nào (phân công cả nhóm hoặc không hồ sơ nào): %(problems)s",
                              problems=" ".join(f"{d.full_name}: {message}" for d, message in problems)))
    beyond = [d for d in dossiers if have.get(d.id, 0) >= round_.reviewers_per_dossier]
    reason = ""
    if beyond:
        reason = ensure_confirmed(confirmed, ngettext(
            "Phân công %(reviewer)s chấm %(num)d hồ sơ.", "Phân công %(reviewer)s chấm %(num)d hồ sơ.",
            len(dossiers), reviewer=reviewer.full_name), warnings=[
            _("%(dossier)s đã có %(have)s/%(need)s người chấm: %(reviewer)s sẽ là người chấm thứ %(next)s.",
              dossier=d.full_name, have=have.get(d.id, 0), need=round_.reviewers_per_dossier,
              reviewer=reviewer.full_name, next=have.get(d.id, 0) + 1) for d in beyond],
            override_reason=override_reason)
    made = [_assign(actor, d, member, reason if d in beyond else "") for d in dossiers]
    db.session.flush()
    return made


@operation
def unassign(actor: User, assignment: ReviewAssignment, reason: str = "", *, confirmed: bool = False) -> None:
    check_scoring_open(assignment.dossier.round_id)
    sheet = _sheet(assignment.dossier_id, assignment.reviewer_id)
    if sheet is not None and sheet.is_submitted:
        raise RuleViolation(_("Người chấm đã nộp phiếu; hãy mở lại phiếu trước khi gỡ phân công."))
    dossier = assignment.dossier
    ensure_confirmed(confirmed, unassign_consequence(assignment, sheet))
    audit.record(actor, "dossier", dossier.id, "unassign_reviewer", dossier.state, dossier.state,
                 UNASSIGNED(reviewer=assignment.reviewer.full_name, reason=(reason or "").strip()))
    if sheet is not None:
        db.session.delete(sheet)
    db.session.delete(assignment)
    db.session.flush()
    _update_review_state(actor, dossier, reason)
    db.session.flush()


def unassign_consequence(assignment: ReviewAssignment, sheet: ScoreSheet | None = None) -> str:
    if sheet is not None:
        return _("Gỡ %(reviewer)s khỏi hồ sơ %(dossier)s; phiếu nháp của người này với hồ sơ bị xoá.",
                 reviewer=assignment.reviewer.full_name, dossier=assignment.dossier.full_name)
    return _("Gỡ %(reviewer)s khỏi hồ sơ %(dossier)s.", reviewer=assignment.reviewer.full_name,
             dossier=assignment.dossier.full_name)


@operation  # it moves dossiers to "under review": a concurrent change to one of them must not end in a 500
def auto_assign(actor: User, round_: Round) -> int:
    """Give every dossier in review the round's number of reviewers: never a conflicted one, members of the
    dossier's panel or with its field as expertise first, then the least loaded. Returns assignments made."""
    check_scoring_open(round_.id)
    members = council(round_.id)
    if not members:
        raise RuleViolation(_("Đợt xét chưa có thành viên hội đồng."))
    declared = declared_conflicts(round_.id)
    dossiers = db.session.scalars(select(Dossier).where(Dossier.round_id == round_.id,
                                                        Dossier.state.in_(states.IN_REVIEW)).order_by(Dossier.id)).all()
    existing = db.session.execute(select(ReviewAssignment.dossier_id, ReviewAssignment.reviewer_id).join(Dossier)
                                  .where(Dossier.round_id == round_.id)).all()
    assigned: dict[int, set[int]] = {}
    load = Counter()
    for dossier_id, reviewer_id in existing:
        assigned.setdefault(dossier_id, set()).add(reviewer_id)
        load[reviewer_id] += 1
    made = 0
    for dossier in dossiers:
        have = assigned.setdefault(dossier.id, set())
        needed = round_.reviewers_per_dossier - len(have)
        if needed <= 0:
            continue

        def preference(member: CouncilMember, field_id: int = dossier.field_id):
            specialist = member.panel_field_id == field_id or any(f.id == field_id for f in member.expertise)
            return (not specialist, load[member.user_id], member.user_id)

        candidates = sorted((m for m in members if m.user_id not in have and m.user.active
                             and conflict_reason(m, dossier, declared) is None), key=preference)
        for member in candidates[:needed]:
            _assign(actor, dossier, member)
            have.add(member.user_id)
            load[member.user_id] += 1
            made += 1
    db.session.flush()
    return made


@dataclass
class AssignmentOverview:
    members: list[CouncilMember]
    load: dict[int, int]          # reviewer id -> assigned dossiers
    done: dict[int, int]          # reviewer id -> submitted sheets
    lacking: list[tuple[Dossier, int]]  # dossiers with fewer reviewers than the round wants, and how many they have
    assignments: dict[int, list[ReviewAssignment]]  # dossier id -> its assignments
    conflicts: list[ConflictDeclaration]
    in_review: int = 0            # dossiers that may be assigned (eligible, under review, scored)


def assigned_per_reviewer(round_id: int) -> dict[int, int]:
    return dict(db.session.execute(
        select(ReviewAssignment.reviewer_id, func.count(ReviewAssignment.id)).join(Dossier)
        .where(Dossier.round_id == round_id).group_by(ReviewAssignment.reviewer_id)).all())


def submitted_per_reviewer(round_id: int) -> dict[int, int]:
    return dict(db.session.execute(
        select(ScoreSheet.reviewer_id, func.count(ScoreSheet.id)).join(Dossier)
        .where(Dossier.round_id == round_id, ScoreSheet.status == SUBMITTED).group_by(ScoreSheet.reviewer_id)).all())


def overview(round_: Round) -> AssignmentOverview:
    members = council(round_.id)
    assignments = db.session.scalars(
        select(ReviewAssignment).options(joinedload(ReviewAssignment.reviewer))
        .join(Dossier).where(Dossier.round_id == round_.id)
    ).all()
    by_dossier: dict[int, list[ReviewAssignment]] = {}
    for assignment in assignments:
        by_dossier.setdefault(assignment.dossier_id, []).append(assignment)
    done = submitted_per_reviewer(round_.id)
    dossiers = db.session.scalars(
        select(Dossier).options(joinedload(Dossier.field), joinedload(Dossier.organisation))
        .where(Dossier.round_id == round_.id, Dossier.state.in_(states.IN_REVIEW)).order_by(Dossier.id)
    ).all()
    lacking = [(d, len(by_dossier.get(d.id, []))) for d in dossiers
               if len(by_dossier.get(d.id, [])) < round_.reviewers_per_dossier]
    conflicts = db.session.scalars(
        select(ConflictDeclaration).options(joinedload(ConflictDeclaration.reviewer),
                                            joinedload(ConflictDeclaration.dossier))
        .join(Dossier).where(Dossier.round_id == round_.id).order_by(ConflictDeclaration.declared_at.desc())
    ).all()
    return AssignmentOverview(members, Counter(a.reviewer_id for a in assignments), done, lacking, by_dossier,
                              list(conflicts), len(dossiers))


@operation
def declare_conflict(reviewer: User, dossier: Dossier, reason: str) -> None:
    """The reviewer steps aside: the conflict is recorded, the assignment and any draft sheet removed."""
    check_scoring_open(dossier.round_id)
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(_("Vui lòng nêu lý do xung đột lợi ích."))
    assignment = _assignment(dossier.id, reviewer.id)
    if assignment is None:
        raise RuleViolation(_("Bạn không được phân công hồ sơ này."))
    sheet = _sheet(dossier.id, reviewer.id)
    if sheet is not None and sheet.is_submitted:
        raise RuleViolation(_("Phiếu đã nộp; hãy liên hệ Ban thư ký để mở lại phiếu trước khi khai báo."))
    if sheet is not None:
        db.session.delete(sheet)
    db.session.delete(assignment)
    db.session.add(ConflictDeclaration(dossier_id=dossier.id, reviewer_id=reviewer.id, reason=reason))
    audit.record(reviewer, "dossier", dossier.id, "declare_conflict", dossier.state, dossier.state, reason)
    db.session.flush()
    _update_review_state(reviewer, dossier, reason)
    db.session.flush()


def _update_review_state(actor: User, dossier: Dossier, reason: str = "") -> None:
    """After assignments or sheets change: scored when every assigned reviewer has submitted, else under review."""
    assigned = db.session.scalar(select(func.count(ReviewAssignment.id))
                                 .where(ReviewAssignment.dossier_id == dossier.id))
    submitted = db.session.scalar(select(func.count(ScoreSheet.id)).join(
        ReviewAssignment, (ReviewAssignment.dossier_id == ScoreSheet.dossier_id)
        & (ReviewAssignment.reviewer_id == ScoreSheet.reviewer_id))
        .where(ScoreSheet.dossier_id == dossier.id, ScoreSheet.status == SUBMITTED))
    complete = assigned > 0 and submitted == assigned
    if complete and dossier.state == states.UNDER_REVIEW:
        apply_transition(actor, dossier, "complete_review")
    elif not complete and dossier.state == states.SCORED:
        apply_transition(actor, dossier, "reopen_review", reason)


# ---------------------------------------------------------------- back to the eligibility check

@check_reopening.connect
def refuse_reopening_once_scored(dossier: Dossier, actor=None) -> None:
    """A dossier goes back to the check only while no reviewer has submitted a sheet for it (a submitted sheet is
    a reviewer's finished work; reopening it first is the secretariat's explicit step). Draft sheets do not block:
    the dossier's assignments and drafts are removed with it (drop_reviews_on_reopening)."""
    check_scoring_open(dossier.round_id)
    if db.session.scalar(select(ScoreSheet.id).where(ScoreSheet.dossier_id == dossier.id,
                                                     ScoreSheet.status == SUBMITTED).limit(1)) is not None:
        raise RuleViolation(_("Đã có người chấm nộp phiếu cho hồ sơ này: không thể đưa về bước thẩm định."))


@check_reopened.connect
def drop_reviews_on_reopening(dossier: Dossier, actor=None, reason: str = "") -> None:
    assignments = db.session.scalars(select(ReviewAssignment).options(joinedload(ReviewAssignment.reviewer))
                                     .where(ReviewAssignment.dossier_id == dossier.id)
                                     .order_by(ReviewAssignment.id)).all()
    sheets = {s.reviewer_id: s for s in db.session.scalars(select(ScoreSheet).where(
        ScoreSheet.dossier_id == dossier.id))}
    for assignment in assignments:
        audit.record(actor, "dossier", dossier.id, "unassign_reviewer", dossier.state, dossier.state,
                     UNASSIGNED(reviewer=assignment.reviewer.full_name, reason=reason))
        if assignment.reviewer_id in sheets:
            db.session.delete(sheets.pop(assignment.reviewer_id))
        db.session.delete(assignment)
    for sheet in sheets.values():  # a draft left by a reviewer no longer assigned
        db.session.delete(sheet)
    db.session.flush()


# ---------------------------------------------------------------- score sheets

def _assignment(dossier_id: int, reviewer_id: int) -> ReviewAssignment | None:
    return db.session.scalar(select(ReviewAssignment).where(ReviewAssignment.dossier_id == dossier_id,
                                                            ReviewAssignment.reviewer_id == reviewer_id))


def _sheet(dossier_id: int, reviewer_id: int) -> ScoreSheet | None:
    return db.session.scalar(select(ScoreSheet).options(selectinload(ScoreSheet.items))
                             .where(ScoreSheet.dossier_id == dossier_id, ScoreSheet.reviewer_id == reviewer_id))


@council_member_may_view.connect
def is_assigned(reviewer: User, dossier: Dossier) -> bool:
    """Also what lets a council member see a dossier (nominations.access asks through its signal)."""
    return _assignment(dossier.id, reviewer.id) is not None


def sheet_for(reviewer: User, dossier: Dossier) -> ScoreSheet:
    """The reviewer's own sheet for an assigned dossier. Before their first save it is a blank sheet that is not
    in the database (version 0, one empty item per criterion): opening the page writes nothing, and save_sheet
    creates the row."""
    if reviewer.role != roles.COUNCIL or not is_assigned(reviewer, dossier):
        raise RuleViolation(_("Bạn không được phân công hồ sơ này."))
    sheet = _sheet(dossier.id, reviewer.id)
    if sheet is None:
        # Version 0 is "nothing saved yet": a second tab opened on the blank sheet is refused as stale once the
        # first has saved (the row starts at version 1).
        sheet = ScoreSheet(dossier_id=dossier.id, dossier=dossier, reviewer_id=reviewer.id, status=DRAFT, version=0,
                           overall_comment="", items=[ScoreItem(criterion_id=c.id, comment="")
                                                      for c in dossier.round.criteria])
    return sheet


@dataclass
class SheetInput:
    points: dict[int, Decimal | None]   # criterion id -> points (None = not scored yet)
    comments: dict[int, str]
    overall_comment: str = ""


@operation
def save_sheet(reviewer: User, sheet: ScoreSheet, data: SheetInput, expected_version: int | None,
               submit: bool = False) -> bool:
    """Save a draft, or submit; the first save of a blank sheet (sheet_for) creates it. Returns False when a
    submit repeats an earlier one (a harmless double click)."""
    if sheet.reviewer_id != reviewer.id or not is_assigned(reviewer, sheet.dossier):
        raise RuleViolation(_("Bạn không được phân công hồ sơ này."))
    if sheet.is_submitted:
        if submit:
            return False
        raise RuleViolation(_("Phiếu đã nộp, không thể sửa (trừ khi Ban thư ký mở lại)."))
    check_version(sheet, expected_version)
    round_ = sheet.dossier.round
    check_scoring_open(round_.id)
    if clock.now() > round_.review_close_at:
        raise RuleViolation(_("Đã hết hạn chấm điểm (hạn chót %(at)s).", at=format_datetime(round_.review_close_at)))
    _check_points(round_, data, submit)
    criteria = {c.id: c for c in round_.criteria}
    items = {item.criterion_id: item for item in sheet.items}
    for criterion_id in criteria:
        if criterion_id not in items:  # a criterion added to the round after the sheet was opened
            items[criterion_id] = ScoreItem(criterion_id=criterion_id)
            sheet.items.append(items[criterion_id])
        item = items[criterion_id]
        item.points = data.points.get(criterion_id)
        item.comment = (data.comments.get(criterion_id) or "").strip()
    sheet.overall_comment = (data.overall_comment or "").strip()
    touch(sheet)
    if sheet.id is None:
        _create(sheet)
    if submit:
        sheet.submitted_at = clock.now()
        SCORE_SHEET.apply(reviewer, sheet, "submit_sheet")
        db.session.flush()
        _update_review_state(reviewer, sheet.dossier)
    db.session.flush()
    return True


def _check_points(round_: Round, data: SheetInput, submit: bool) -> None:
    """Every score within its criterion's range and the round's decimals; all of them given for a submit."""
    criteria = {c.id: c for c in round_.criteria}
    step = Decimal(1).scaleb(-round_.score_decimals)
    for criterion_id, points in data.points.items():
        criterion = criteria.get(criterion_id)
        if criterion is None:
            raise RuleViolation(_("Tiêu chí không thuộc đợt xét này."))
        if points is None:
            continue
        if not (0 <= points <= criterion.max_points):
            raise RuleViolation(_("Điểm của tiêu chí \"%(name)s\" phải từ 0 đến %(max)s.", name=criterion.name,
                                  max=format(criterion.max_points.normalize(), "f")))
        if points != points.quantize(step):
            raise RuleViolation(_("Điểm của tiêu chí \"%(name)s\" chỉ được có tối đa %(n)s chữ số thập phân.",
                                  name=criterion.name, n=round_.score_decimals))
    missing = [c.name for c in round_.criteria if data.points.get(c.id) is None]
    if submit and missing:
        raise RuleViolation(_("Vui lòng chấm đủ các tiêu chí trước khi nộp: %(names)s.", names=", ".join(missing)))


def _create(sheet: ScoreSheet) -> None:
    """Insert a blank sheet's first save. Another tab's first save may have got in first: the unique (dossier,
    reviewer) refuses this one, as stale."""
    try:
        with db.session.begin_nested():  # a savepoint: only this insert is undone
            db.session.add(sheet)
    except IntegrityError:
        raise StaleEdit(stale_message()) from None


@operation
def reopen_sheet(actor: User, sheet: ScoreSheet, reason: str) -> None:
    SCORE_SHEET.permitted(actor, "reopen_sheet")  # who may, first; then the specific refusals, before apply()
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(_("Vui lòng nêu lý do."))
    if not sheet.is_submitted:
        raise RuleViolation(_("Phiếu chưa nộp."))
    if sheet.dossier.state not in (states.UNDER_REVIEW, states.SCORED):
        raise RuleViolation(_("Hồ sơ đã qua bước chấm điểm."))
    check_scoring_open(sheet.dossier.round_id)
    sheet.submitted_at = None
    SCORE_SHEET.apply(actor, sheet, "reopen_sheet", reason)
    db.session.flush()
    _update_review_state(actor, sheet.dossier, reason)
    db.session.flush()


@dataclass
class MyAssignments:
    page: object  # a Flask-SQLAlchemy Pagination of the reviewer's assignments
    rows: list[tuple[ReviewAssignment, ScoreSheet | None]]
    submitted: int  # sheets submitted, all pages


def my_assignments_page(reviewer: User, page: int, per_page: int) -> MyAssignments:
    """One page of the reviewer's dossiers, the latest round first, with their own sheets (never anybody
    else's). A member keeps every past round's assignments, so the list is paginated."""
    query = (select(ReviewAssignment).options(joinedload(ReviewAssignment.dossier).joinedload(Dossier.field),
                                              joinedload(ReviewAssignment.dossier).joinedload(Dossier.round))
             .join(Dossier, Dossier.id == ReviewAssignment.dossier_id)
             .where(ReviewAssignment.reviewer_id == reviewer.id)
             .order_by(Dossier.round_id.desc(), ReviewAssignment.assigned_at, ReviewAssignment.id))
    pagination = db.paginate(query, page=page, per_page=per_page, error_out=False)
    dossier_ids = [a.dossier_id for a in pagination.items]
    sheets = {s.dossier_id: s for s in db.session.scalars(
        select(ScoreSheet).where(ScoreSheet.reviewer_id == reviewer.id, ScoreSheet.dossier_id.in_(dossier_ids)))}
    submitted = db.session.scalar(select(func.count(ScoreSheet.id)).join(
        ReviewAssignment, (ReviewAssignment.dossier_id == ScoreSheet.dossier_id)
        & (ReviewAssignment.reviewer_id == ScoreSheet.reviewer_id))
        .where(ScoreSheet.reviewer_id == reviewer.id, ScoreSheet.status == SUBMITTED))
    return MyAssignments(pagination, [(a, sheets.get(a.dossier_id)) for a in pagination.items], submitted)


@dataclass
class MyRound:
    """One round of a member's "Hồ sơ của tôi": its dossiers with the member's own sheets, and its progress."""

    round: Round
    rows: list[tuple[ReviewAssignment, ScoreSheet | None]]
    current: bool = False
    open: bool = True  # False: finished (published, past its review deadline, or nothing left to do) and folded

    @property
    def submitted(self) -> int:
        return sum(1 for _a, sheet in self.rows if sheet is not None and sheet.is_submitted)

    @property
    def total(self) -> int:
        return len(self.rows)


def my_rounds(reviewer: User, current_round_id: int | None, at=None) -> list[MyRound]:
    """The member's dossiers per round, with their own sheets only (never anybody else's): the current round
    first, then the rounds where work is still due, then the finished ones (newest first), which the page folds.
    Three statements whatever the history."""
    at = at or clock.now()
    assignments = db.session.scalars(
        select(ReviewAssignment).options(joinedload(ReviewAssignment.dossier).joinedload(Dossier.field),
                                         joinedload(ReviewAssignment.dossier).joinedload(Dossier.round))
        .join(Dossier, Dossier.id == ReviewAssignment.dossier_id)
        .where(ReviewAssignment.reviewer_id == reviewer.id)
        .order_by(ReviewAssignment.assigned_at, ReviewAssignment.id)).all()
    sheets = {s.dossier_id: s for s in db.session.scalars(
        select(ScoreSheet).where(ScoreSheet.reviewer_id == reviewer.id))}
    rounds: dict[int, MyRound] = {}
    for assignment in assignments:
        round_ = assignment.dossier.round
        mine = rounds.setdefault(round_.id, MyRound(round_, [], current=round_.id == current_round_id))
        mine.rows.append((assignment, sheets.get(assignment.dossier_id)))
    for mine in rounds.values():
        pending = mine.submitted < mine.total
        mine.open = mine.current or (pending and mine.round.published_at is None and at <= mine.round.review_close_at)

    def order(mine: MyRound):  # open ones by their deadline, finished ones newest first
        deadline = mine.round.review_close_at.timestamp()
        return (not mine.current, not mine.open, deadline if mine.open else -deadline, -mine.round.id)

    return sorted(rounds.values(), key=order)


@operation
def send_reminders(actor: User, round_: Round) -> int:
    """Email every reviewer with unfinished sheets in this round (through the outbox). Returns how many."""
    submitted = set(db.session.execute(
        select(ScoreSheet.dossier_id, ScoreSheet.reviewer_id).join(Dossier)
        .where(Dossier.round_id == round_.id, ScoreSheet.status == SUBMITTED)).all())
    pending = Counter()
    reviewers = {}
    for assignment in db.session.scalars(select(ReviewAssignment).options(joinedload(ReviewAssignment.reviewer))
                                         .join(Dossier).where(Dossier.round_id == round_.id)):
        if (assignment.dossier_id, assignment.reviewer_id) not in submitted:
            pending[assignment.reviewer_id] += 1
            reviewers[assignment.reviewer_id] = assignment.reviewer
    for reviewer_id, count in pending.items():
        reviewer = reviewers[reviewer_id]
        body = render_template("email/review_reminder.txt", reviewer=reviewer, round=round_, count=count)
        outbox.enqueue(reviewer.email, f"[Trí thức Bắc Ninh tiêu biểu] Nhắc chấm điểm: còn {count} hồ sơ", body)
    audit.record(actor, "round", round_.id, "send_reminders", reason=str(len(pending)))
    db.session.flush()
    return len(pending)

