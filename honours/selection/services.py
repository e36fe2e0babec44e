"""Selection by standards and eligibility rules: the round's setup, the nominator's claims, the appraisal per
standard with its clarification exchange, the secretariat's rule overrides, and who goes to the ballot."""
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from honours.core import audit, clock, roles
from honours.core.confirm import ensure_confirmed
from honours.core.db import db, touch
from honours.core.errors import RuleViolation
from honours.core.outbox import services as outbox
from honours.core.roles import ensure_secretariat
from honours.core.storage import attach_file
from honours.core.transactions import operation
from honours.nominations import states
from honours.nominations.access import can_edit_dossier
from honours.nominations.models import Attachment, Dossier
from honours.nominations.services import apply_transition
from honours.nominations.signals import deciding
from honours.rounds.models import (
    ACHIEVEMENT,
    BOTH,
    GENERAL,
    SELECTION_METHODS,
    STANDARD_KINDS,
    STANDARDS,
    EligibilityRule,
    Round,
    Standard,
)

from . import rules
from .models import (
    CLARIFICATION,
    CLARIFY,
    MET,
    OPEN,
    VERDICTS,
    Clarification,
    RuleOverride,
    StandardAppraisal,
    StandardClaim,
)

SETUP_SAVED = audit.Reason("selection.setup_saved", audit.N_("Phương thức xét chọn: %(changes)s"))
CLAIMS_SAVED = audit.Reason("selection.claims_saved", audit.N_("Tiêu chuẩn thành tích đơn vị nêu: %(standards)s"))
APPRAISED = audit.Reason("selection.appraised", audit.N_("%(standard)s: %(verdict)s. %(note)s"))
ASKED = audit.Reason("selection.asked", audit.N_("Đề nghị làm rõ \"%(standard)s\": %(question)s"))
OVERRIDDEN = audit.Reason("selection.rule_overridden",
                          audit.N_("Chấp nhận dù không đạt điều kiện \"%(rule)s\" (%(facts)s): %(reason)s"))
# Dossier states in which the appraisal may be recorded: from the check until the ballot.
APPRAISAL_STATES = (*states.AWAITING_CHECK, states.ELIGIBLE)
MAX_TEXT = 2000


# ---------------------------------------------------------------- the round's setup

@dataclass
class StandardRow:
    kind: str
    name: str
    description: str = ""
    evidence: str = ""
    id: int | None = None


@dataclass
class SetupData:
    selection_method: str
    achievement_standards_needed: int = 1
    standards: list[StandardRow] = field(default_factory=list)
    rules: dict[str, dict] = field(default_factory=dict)  # kind -> params, for the rule types switched on


def setup_problems(data: SetupData) -> list[str]:
    problems = []
    if data.selection_method not in SELECTION_METHODS:
        problems.append(_("Phương thức xét chọn không hợp lệ."))
    if any(row.kind not in STANDARD_KINDS or not row.name.strip() for row in data.standards):
        problems.append(_("Mỗi tiêu chuẩn cần loại và tên."))
    achievement = sum(1 for row in data.standards if row.kind == ACHIEVEMENT)
    if data.selection_method in (STANDARDS, BOTH):
        if not data.standards:
            problems.append(_("Xét theo tiêu chuẩn cần ít nhất một tiêu chuẩn."))
        if achievement and not 1 <= data.achievement_standards_needed <= achievement:
            problems.append(_("Số tiêu chuẩn thành tích phải đạt phải từ 1 đến %(max)s.", max=achievement))
    if any(kind not in rules.RULE_TYPES for kind in data.rules):
        problems.append(_("Loại điều kiện không hợp lệ."))
    age = data.rules.get(rules.AGE_LIMITS)
    if age is not None and age.get("min_age") is None and age.get("max_age") is None:
        problems.append(_("Giới hạn tuổi cần tuổi tối thiểu hoặc tối đa."))
    if age and age.get("min_age") is not None and age.get("max_age") is not None and age["min_age"] > age["max_age"]:
        problems.append(_("Tuổi tối thiểu không được lớn hơn tuổi tối đa."))
    degree = data.rules.get(rules.MIN_DEGREE)
    if degree is not None and degree.get("degree") not in rules.DEGREE_ORDER:
        problems.append(_("Vui lòng chọn trình độ tối thiểu."))
    for kind in (rules.MIN_YEARS_IN_PROVINCE, rules.RECENT_ACHIEVEMENT):
        if kind in data.rules and not data.rules[kind].get("years"):
            problems.append(_("Điều kiện \"%(rule)s\" cần số năm.", rule=rules.rule_label(kind)))
    return problems


def _described(round_: Round) -> str:
    standards = ", ".join(f"{s.kind}:{s.name}" for s in round_.standards)
    rule_text = ", ".join(f"{r.kind}={r.params}" for r in round_.eligibility_rules)
    return (f"{round_.selection_method}; K={round_.achievement_standards_needed}; tiêu chuẩn: {standards or '∅'}; "
            f"điều kiện: {rule_text or '∅'}")


@operation
def save_setup(actor, round_: Round, data: SetupData) -> None:
    """The round's selection method, standards and eligibility rules. Frozen once the council has met."""
    ensure_secretariat(actor)
    problems = setup_problems(data)
    if round_.council_stage:
        problems.append(_("Hội đồng đã họp: không thể thay đổi phương thức xét chọn, tiêu chuẩn hay điều kiện."))
    used = {s.id for s in round_.standards} - {row.id for row in data.standards if row.id}
    if used and db.session.scalar(select(StandardAppraisal.id).where(StandardAppraisal.standard_id.in_(used))
                                  .limit(1)):
        problems.append(_("Không thể xoá tiêu chuẩn đã được thẩm định trên hồ sơ."))
    if problems:
        raise RuleViolation(" ".join(problems))
    before = _described(round_)
    round_.selection_method = data.selection_method
    round_.achievement_standards_needed = data.achievement_standards_needed or 1
    by_id = {s.id: s for s in round_.standards}
    kept = []
    for position, row in enumerate(data.standards):
        standard = by_id.get(row.id) if row.id else None
        standard = standard or Standard()
        standard.kind, standard.name = row.kind, row.name.strip()
        standard.description, standard.evidence = row.description.strip(), row.evidence.strip()
        standard.position = position
        kept.append(standard)
    if used:  # claims of a removed standard go with it
        for claim in db.session.scalars(select(StandardClaim).where(StandardClaim.standard_id.in_(used))):
            db.session.delete(claim)
    round_.standards[:] = kept
    existing = {r.kind: r for r in round_.eligibility_rules}
    round_.eligibility_rules[:] = [_rule(existing.get(kind), kind, params)
                                   for kind, params in data.rules.items()]
    db.session.flush()
    after = _described(round_)
    if after != before:
        audit.record(actor, "round", round_.id, "update_selection", reason=SETUP_SAVED(changes=f"{before} → {after}"))
        db.session.flush()


def _rule(rule: EligibilityRule | None, kind: str, params: dict) -> EligibilityRule:
    rule = rule or EligibilityRule(kind=kind)
    rule.params = dict(params)
    return rule


# ---------------------------------------------------------------- eligibility rules on a dossier

def overrides_of(dossier: Dossier) -> dict[str, str]:
    return dict(db.session.execute(select(RuleOverride.rule_kind, RuleOverride.reason)
                                   .where(RuleOverride.dossier_id == dossier.id)).all())


def rule_results(dossier: Dossier) -> list[rules.RuleResult]:
    return rules.evaluate(dossier, overrides_of(dossier))


@operation
def override_rule(actor, dossier: Dossier, kind: str, reason: str, *, confirmed: bool = False) -> None:
    """Accept the dossier although the rule failed: only with a reason, which goes to the audit log, and once the
    secretariat has confirmed (the page that asks the reason states the consequence)."""
    ensure_secretariat(actor)
    if dossier.state not in states.AWAITING_CHECK:
        raise RuleViolation(_("Chỉ quyết định về điều kiện khi hồ sơ đang chờ thẩm định."))
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(_("Vui lòng nêu lý do chấp nhận hồ sơ dù không đạt điều kiện."))
    if len(reason) > MAX_TEXT:
        raise RuleViolation(_("Lý do tối đa %(max)d ký tự.", max=MAX_TEXT))
    result = next((r for r in rule_results(dossier) if r.kind == kind), None)
    if result is None or result.passed:
        raise RuleViolation(_("Điều kiện này không có trong đợt xét hoặc hồ sơ đã đạt."))
    if result.override_reason:
        raise RuleViolation(_("Điều kiện này đã được quyết định."))
    ensure_confirmed(confirmed, _("Chấp nhận hồ sơ %(name)s dù không đạt điều kiện \"%(rule)s\" (%(facts)s). Lý do "
                                  "được ghi vào nhật ký; không thể huỷ.", name=dossier.full_name, rule=result.label,
                                  facts=result.facts))
    db.session.add(RuleOverride(dossier_id=dossier.id, rule_kind=kind, reason=reason, decided_by_id=actor.id))
    audit.record(actor, "dossier", dossier.id, "override_rule", dossier.state, dossier.state,
                 OVERRIDDEN(rule=result.label, facts=result.facts, reason=reason))
    db.session.flush()


@deciding.connect
def _refuse_unsettled_rules(dossier: Dossier, actor=None, action: str = "") -> None:
    """A dossier that fails an eligibility rule is eligible only once the secretariat overrode the rule."""
    if action != "mark_eligible":
        return
    unsettled = [r for r in rule_results(dossier) if not r.settled]
    if unsettled:
        raise RuleViolation(_("Hồ sơ không đạt điều kiện: %(rules)s. Ghi lý do chấp nhận từng điều kiện trước, hoặc "
                              "kết luận không hợp lệ.", rules="; ".join(r.label for r in unsettled)))


# ---------------------------------------------------------------- the nominator's claims

@dataclass
class ClaimRow:
    standard_id: int
    achievement_position: int | None = None
    attachment_id: int | None = None
    note: str = ""


def claims_of(dossier: Dossier) -> list[StandardClaim]:
    return list(db.session.scalars(select(StandardClaim).where(StandardClaim.dossier_id == dossier.id)
                                   .order_by(StandardClaim.standard_id)))


@operation
def save_claims(user, dossier: Dossier, rows: list[ClaimRow]) -> None:
    """The achievement standards the nominator says the nominee meets, each pointing at its evidence."""
    if not can_edit_dossier(user, dossier):
        raise RuleViolation(_("Chỉ sửa được tiêu chuẩn khi hồ sơ là nháp hoặc được yêu cầu bổ sung."))
    standards = {s.id: s for s in dossier.round.standards if s.kind == ACHIEVEMENT}
    attachments = {a.id for a in dossier.current_attachments}
    for row in rows:
        if row.standard_id not in standards:
            raise RuleViolation(_("Tiêu chuẩn không thuộc đợt xét này."))
        if row.achievement_position is None and row.attachment_id is None:
            raise RuleViolation(_("Tiêu chuẩn \"%(name)s\": vui lòng chọn thành tích hoặc tệp minh chứng.",
                                  name=standards[row.standard_id].name))
        if row.achievement_position is not None and not 0 <= row.achievement_position < len(dossier.achievements):
            raise RuleViolation(_("Thành tích được chọn không còn trong hồ sơ; vui lòng tải lại trang."))
        if row.attachment_id is not None and row.attachment_id not in attachments:
            raise RuleViolation(_("Tệp được chọn không còn trong hồ sơ; vui lòng tải lại trang."))
        if len(row.note or "") > MAX_TEXT:
            raise RuleViolation(_("Ghi chú tối đa %(max)d ký tự.", max=MAX_TEXT))
    for claim in claims_of(dossier):
        db.session.delete(claim)
    db.session.flush()
    for row in rows:
        db.session.add(StandardClaim(dossier_id=dossier.id, standard_id=row.standard_id,
                                     achievement_position=row.achievement_position,
                                     attachment_id=row.attachment_id, note=(row.note or "").strip()))
    touch(dossier)
    dossier.nominator_updated_at = dossier.updated_at
    audit.record(user, "dossier", dossier.id, "claim_standards", dossier.state, dossier.state, CLAIMS_SAVED(
        standards=", ".join(standards[row.standard_id].name for row in rows) or "∅"))
    db.session.flush()


def claim_problems(dossier: Dossier) -> list[str]:
    """For the nominator's checklist: fewer achievement standards claimed than the round asks (a warning)."""
    round_ = dossier.round
    if not round_.uses_standards or not any(s.kind == ACHIEVEMENT for s in round_.standards):
        return []
    claimed = len(claims_of(dossier))
    if claimed < round_.achievement_standards_needed:
        return [_("Tiêu chuẩn thành tích: đã nêu %(claimed)s, đợt xét yêu cầu đạt ít nhất %(needed)s.",
                  claimed=claimed, needed=round_.achievement_standards_needed)]
    return []


# ---------------------------------------------------------------- the appraisal

def appraisals_of(dossier: Dossier) -> dict[int, StandardAppraisal]:
    return {a.standard_id: a for a in db.session.scalars(
        select(StandardAppraisal).where(StandardAppraisal.dossier_id == dossier.id))}


def clarifications_of(dossier: Dossier) -> list[Clarification]:
    return list(db.session.scalars(select(Clarification).where(Clarification.dossier_id == dossier.id)
                                   .order_by(Clarification.asked_at, Clarification.id)))


@operation
def appraise(actor, dossier: Dossier, standard_id: int, verdict: str, note: str = "") -> StandardAppraisal:
    """Record one standard's appraisal. "Needs clarification" sends the note as a question to the organisation."""
    ensure_secretariat(actor)
    if dossier.state not in APPRAISAL_STATES or not dossier.round.uses_standards:
        raise RuleViolation(_("Không thể thẩm định tiêu chuẩn của hồ sơ ở bước này."))
    standard = next((s for s in dossier.round.standards if s.id == standard_id), None)
    if standard is None:
        raise RuleViolation(_("Tiêu chuẩn không thuộc đợt xét này."))
    if verdict not in VERDICTS:
        raise RuleViolation(_("Vui lòng chọn kết quả thẩm định tiêu chuẩn."))
    note = (note or "").strip()
    if len(note) > MAX_TEXT:
        raise RuleViolation(_("Ghi chú tối đa %(max)d ký tự.", max=MAX_TEXT))
    if verdict != MET and not note:
        raise RuleViolation(_("Vui lòng ghi nhận xét (hoặc câu hỏi cần làm rõ) khi tiêu chuẩn chưa đạt."))
    appraisal = appraisals_of(dossier).get(standard_id) or StandardAppraisal(dossier_id=dossier.id,
                                                                              standard_id=standard_id)
    appraisal.verdict, appraisal.note = verdict, note
    appraisal.appraised_by_id, appraisal.appraised_at = actor.id, clock.now()
    db.session.add(appraisal)
    audit.record(actor, "dossier", dossier.id, "appraise_standard", dossier.state, dossier.state, APPRAISED(
        standard=standard.name, verdict=str(VERDICTS[verdict]), note=note))
    if verdict == CLARIFY:
        _ask(actor, dossier, standard, note)
    touch(dossier)
    db.session.flush()
    return appraisal


def _ask(actor, dossier: Dossier, standard: Standard, question: str) -> None:
    db.session.add(Clarification(dossier_id=dossier.id, standard_id=standard.id, question=question,
                                 asked_by_id=actor.id, state=OPEN))
    audit.record(actor, "dossier", dossier.id, "ask_clarification", dossier.state, dossier.state,
                 ASKED(standard=standard.name, question=question))
    subject = _("Đề nghị làm rõ hồ sơ đề cử %(name)s", name=dossier.full_name)
    body = _("Ban thư ký đề nghị đơn vị làm rõ tiêu chuẩn \"%(standard)s\" của hồ sơ %(name)s (%(round)s):\n\n"
             "%(question)s\n\nĐơn vị trả lời trên trang hồ sơ, không cần nộp lại hồ sơ.",
             standard=standard.name, name=dossier.full_name, round=dossier.round.name, question=question)
    for recipient in sorted({dossier.organisation.email, dossier.created_by.email} - {""}):
        outbox.enqueue(recipient, subject, body)


@operation
def answer(user, clarification: Clarification, text: str, stream=None, filename: str = "",
           kind: str = "evidence") -> None:
    """The organisation answers a question, optionally with a new file: the dossier is not resubmitted (the file
    is part of the dossier from now on, never deleted)."""
    dossier = db.session.get(Dossier, clarification.dossier_id)
    if not (user.role == roles.NOMINATOR and user.organisation_id == dossier.organisation_id):
        raise RuleViolation(_("Bạn không thể trả lời đề nghị này."))
    if len(text or "") > MAX_TEXT:
        raise RuleViolation(_("Câu trả lời tối đa %(max)d ký tự.", max=MAX_TEXT))
    CLARIFICATION.check(user, clarification, "answer", text)
    if stream is not None and filename:
        attachment = attach_file(user, dossier, Attachment, stream, filename, kind,
                                 _("Hồ sơ đã dùng hết dung lượng tệp đính kèm cho phép."))
        attachment.submitted_in = max(dossier.submission_count, 1)  # part of the dossier as submitted
        clarification.attachment_id = attachment.id
    clarification.answer = text.strip()
    clarification.answered_by_id, clarification.answered_at = user.id, clock.now()
    CLARIFICATION.apply(user, clarification, "answer", text)
    dossier.nominator_updated_at = clock.now()
    touch(dossier)
    db.session.flush()


def standards_met(dossier: Dossier, appraisals: dict[int, StandardAppraisal] | None = None) -> bool:
    """Every general standard met and at least K achievement standards met (K: the round's setting)."""
    round_ = dossier.round
    appraisals = appraisals_of(dossier) if appraisals is None else appraisals
    met = {standard_id for standard_id, a in appraisals.items() if a.verdict == MET}
    general = [s for s in round_.standards if s.kind == GENERAL]
    achievement = [s for s in round_.standards if s.kind == ACHIEVEMENT]
    if not round_.standards:
        return False
    achieved = sum(1 for s in achievement if s.id in met)
    return all(s.id in met for s in general) and (not achievement or achieved >= round_.achievement_standards_needed)


def met_ids(round_: Round) -> set[int]:
    """The round's dossiers that meet the standards (two queries, whatever the number of dossiers)."""
    rows = db.session.scalars(select(StandardAppraisal).join(Dossier, Dossier.id == StandardAppraisal.dossier_id)
                              .where(Dossier.round_id == round_.id)).all()
    by_dossier: dict[int, dict[int, StandardAppraisal]] = {}
    for row in rows:
        by_dossier.setdefault(row.dossier_id, {})[row.standard_id] = row
    general = {s.id for s in round_.standards if s.kind == GENERAL}
    achievement = {s.id for s in round_.standards if s.kind == ACHIEVEMENT}
    if not round_.standards:
        return set()
    met = set()
    for dossier_id, appraisals in by_dossier.items():
        ok = {standard_id for standard_id, a in appraisals.items() if a.verdict == MET}
        if general <= ok and (not achievement or len(achievement & ok) >= round_.achievement_standards_needed):
            met.add(dossier_id)
    return met


def met_standard_names(round_: Round, dossier_ids) -> dict[int, list[str]]:
    """Per dossier, the names of the standards appraised as met (one query; none for a points round), for the
    results page and the minutes."""
    dossier_ids = list(dossier_ids)
    if not round_.uses_standards or not dossier_ids:
        return {}
    names = {s.id: s.name for s in round_.standards}
    met: dict[int, list[str]] = {}
    for dossier_id, standard_id in db.session.execute(
            select(StandardAppraisal.dossier_id, StandardAppraisal.standard_id)
            .where(StandardAppraisal.dossier_id.in_(dossier_ids), StandardAppraisal.verdict == MET)
            .order_by(StandardAppraisal.dossier_id, StandardAppraisal.standard_id)):
        if standard_id in names:
            met.setdefault(dossier_id, []).append(names[standard_id])
    return met


@operation
def send_to_ballot(actor, dossier: Dossier) -> None:
    """In a "standards" round no one scores: an eligible dossier that meets the standards goes straight to the
    ballot list (the review stage is passed through, audited as such)."""
    ensure_secretariat(actor)
    if dossier.round.selection_method != STANDARDS:
        raise RuleViolation(_("Chỉ đợt xét theo tiêu chuẩn mới đưa hồ sơ thẳng ra bỏ phiếu."))
    if dossier.state != states.ELIGIBLE:
        raise RuleViolation(_("Chỉ hồ sơ hợp lệ mới được đưa ra bỏ phiếu."))
    if not standards_met(dossier):
        raise RuleViolation(_("Hồ sơ chưa đạt đủ các tiêu chuẩn của đợt xét."))
    apply_transition(actor, dossier, "start_review")
    apply_transition(actor, dossier, "complete_review")
    db.session.flush()
