"""Round rules: stage order, quotas, criteria weights; fields in use cannot be removed."""
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from honours.core import audit, clock
from honours.core.db import db, is_referenced
from honours.core.errors import RuleViolation
from honours.core.reference import APPROVAL_RULES, ATTACHMENT_KINDS, PROGRAMMES, QUORUM_RULES
from honours.core.transactions import operation

from .models import COUNCIL_NOT_MET, Criterion, Round, RoundField

WEIGHT_TOTAL = Decimal(100)

CREATED = audit.Reason("rounds.created", audit.N_("Tạo đợt xét: %(changes)s"))
UPDATED = audit.Reason("rounds.updated", audit.N_("Sửa đợt xét: %(changes)s"))


@dataclass
class FieldRow:
    name: str
    quota: int
    id: int | None = None


@dataclass
class CriterionRow:
    name: str
    max_points: Decimal
    weight: Decimal
    description: str = ""
    id: int | None = None


@dataclass
class RoundData:
    name: str
    programme: str
    year: int
    nominations_open_at: datetime
    nominations_close_at: datetime
    review_close_at: datetime
    council_date: date
    description: str = ""
    reviewers_per_dossier: int = 3
    quorum_rule: str = "two_thirds"
    approval_rule: str = "majority"
    min_average_score: Decimal | None = None
    score_decimals: int = 1
    trim_extremes: bool = True
    deviation_flag_percent: int = 20
    required_kinds: list[str] = field(default_factory=list)
    fields: list[FieldRow] = field(default_factory=list)
    criteria: list[CriterionRow] = field(default_factory=list)


SCALAR_FIELDS = (
    "name", "programme", "year", "description", "nominations_open_at", "nominations_close_at", "review_close_at",
    "council_date", "reviewers_per_dossier", "quorum_rule", "approval_rule", "min_average_score",
    "score_decimals", "trim_extremes", "deviation_flag_percent", "required_kinds",
)


def validate(data: RoundData) -> list[str]:
    """Every problem at once, so the secretariat can fix the form in one go."""
    errors = []
    if not data.name.strip():
        errors.append(_("Vui lòng nhập tên đợt xét."))
    if data.programme not in PROGRAMMES:
        errors.append(_("Chương trình không hợp lệ."))
    if data.nominations_close_at <= data.nominations_open_at:
        errors.append(_("Hạn đóng nhận hồ sơ phải sau thời điểm mở."))
    if data.review_close_at <= data.nominations_close_at:
        errors.append(_("Hạn chấm điểm phải sau hạn nhận hồ sơ."))
    if data.council_date < data.review_close_at.date():
        errors.append(_("Ngày họp hội đồng không được trước hạn chấm điểm."))
    if data.reviewers_per_dossier < 1:
        errors.append(_("Mỗi hồ sơ cần ít nhất 1 người chấm."))
    if data.quorum_rule not in QUORUM_RULES or data.approval_rule not in APPROVAL_RULES:
        errors.append(_("Quy tắc hội đồng không hợp lệ."))
    errors.extend(_required_kinds_problems(data))
    if not data.fields:
        errors.append(_("Đợt xét cần ít nhất một lĩnh vực."))
    names = [f.name.strip().lower() for f in data.fields]
    if len(set(names)) != len(names):
        errors.append(_("Tên lĩnh vực bị trùng."))
    if any(f.quota < 0 for f in data.fields):
        errors.append(_("Chỉ tiêu của lĩnh vực không được âm."))
    if any(c.max_points <= 0 for c in data.criteria):
        errors.append(_("Điểm tối đa của tiêu chí phải lớn hơn 0."))
    if any(c.weight <= 0 for c in data.criteria):
        errors.append(_("Trọng số của tiêu chí phải lớn hơn 0."))
    total = sum((c.weight for c in data.criteria), Decimal(0))
    if data.criteria and total != WEIGHT_TOTAL:
        errors.append(_("Tổng trọng số các tiêu chí phải bằng 100 (hiện là %(total)s).",
                        total=format(total.normalize(), "f")))
    return errors


def _required_kinds_problems(data: RoundData) -> list[str]:
    if any(kind not in ATTACHMENT_KINDS for kind in data.required_kinds):
        return [_("Loại tệp bắt buộc không hợp lệ.")]
    return []


# Rules the council applies: fixed once it has met, so a tally cannot change after the fact.
COUNCIL_RULES = ("quorum_rule", "approval_rule", "min_average_score", "trim_extremes", "deviation_flag_percent")
# What a final score rests on, with the criteria and their weights: fixed from the first submitted score sheet.
SCORING_RULES = (*COUNCIL_RULES, "score_decimals")
CRITERION_ATTRIBUTES = ("name", "description", "max_points", "weight")


@operation
def save_round(actor, data: RoundData, round_: Round | None = None) -> Round:
    errors = validate(data)
    if round_ is not None and round_.scoring_started_at is not None and (
            _scoring_rules_change(round_, data) or _criteria_change(round_, data)):
        errors.append(_("Đã có phiếu chấm điểm được nộp: không thể thay đổi tiêu chí, trọng số, điểm tối đa, quy "
                        "tắc hội đồng hay điểm tối thiểu của đợt xét nữa."))
    elif round_ is not None and round_.council_stage != COUNCIL_NOT_MET and _council_rules_change(round_, data):
        errors.append(_("Hội đồng đã họp: không thể thay đổi quy tắc hội đồng, điểm tối thiểu hoặc chỉ tiêu."))
    if errors:
        raise RuleViolation(" ".join(errors))
    before = _described(round_) if round_ is not None else None
    created = round_ is None
    round_ = round_ or Round()
    for name in SCALAR_FIELDS:
        setattr(round_, name, getattr(data, name))
    round_.name = data.name.strip()
    _sync_fields(round_, data.fields)
    _sync_rows(round_.criteria, data.criteria, Criterion, CRITERION_ATTRIBUTES)
    db.session.add(round_)
    db.session.flush()
    changes = _changes(before or {}, _described(round_))
    if created or changes:
        reason = (CREATED if created else UPDATED)(changes="; ".join(changes))
        audit.record(actor, "round", round_.id, "create" if created else "update", reason=reason)
        db.session.flush()
    return round_


def _scoring_rules_change(round_: Round, data: RoundData) -> bool:
    return any(getattr(round_, name) != getattr(data, name) for name in SCORING_RULES)


def _criteria_change(round_: Round, data: RoundData) -> bool:
    current = [(c.id, c.name, c.description, c.max_points, c.weight) for c in round_.criteria]
    wanted = [(c.id, c.name.strip(), (c.description or "").strip(), c.max_points, c.weight) for c in data.criteria]
    return current != wanted


def _text(value) -> str:
    if isinstance(value, list | tuple):
        return ",".join(value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return "" if value is None else str(value)


def _described(round_: Round) -> dict[str, str]:
    """The round's settings as label -> value, for the audit entry of an edit (old -> new)."""
    described = {name: _text(getattr(round_, name)) for name in SCALAR_FIELDS}
    for f in round_.fields:
        described[f"lĩnh vực #{f.id}"] = f"{f.name}, chỉ tiêu {f.quota}"
    for c in round_.criteria:
        described[f"tiêu chí #{c.id}"] = (f"{c.name}, tối đa {_text(c.max_points)}, trọng số {_text(c.weight)}"
                                          f", vị trí {c.position + 1}")
    return described


def _changes(before: dict[str, str], after: dict[str, str]) -> list[str]:
    changes = []
    for key in list(before) + [k for k in after if k not in before]:
        old, new = before.get(key, "∅"), after.get(key, "∅")
        if old != new:
            changes.append(f"{key}: {old} → {new}")
    return changes


def _council_rules_change(round_: Round, data: RoundData) -> bool:
    if any(getattr(round_, name) != getattr(data, name) for name in COUNCIL_RULES):
        return True
    quotas = {f.id: f.quota for f in round_.fields}
    return any(row.id is None or quotas.get(row.id) != row.quota for row in data.fields) or \
        {row.id for row in data.fields} != set(quotas)


def _sync_fields(round_: Round, rows: list[FieldRow]) -> None:
    kept_ids = {row.id for row in rows if row.id}
    removed = [f for f in round_.fields if f.id not in kept_ids]
    if removed and is_referenced(RoundField.__table__, [f.id for f in removed]):  # a dossier names the field
        raise RuleViolation(_("Không thể xoá lĩnh vực đã có hồ sơ đề cử."))
    _sync_rows(round_.fields, rows, RoundField, ("name", "quota"))


def _sync_rows(existing: list, rows: list, model, attributes: tuple[str, ...]) -> None:
    """Update rows matched by id, add new ones, drop the rest, keeping the form's order."""
    by_id = {item.id: item for item in existing}
    kept = []
    for position, row in enumerate(rows):
        item = by_id.get(row.id) if row.id else None
        item = item or model()
        for name in attributes:
            value = getattr(row, name)
            setattr(item, name, value.strip() if isinstance(value, str) else value)
        item.position = position
        kept.append(item)
    existing[:] = kept


def list_rounds() -> list[Round]:
    return list(db.session.scalars(select(Round).order_by(Round.year.desc(), Round.id.desc())))


ROUND_TIMES = (Round.id, Round.nominations_open_at, Round.nominations_close_at, Round.published_at)


def current_round_id(at: datetime | None = None) -> int | None:
    """The round the work lists open on (see pick_current_round): one query."""
    return pick_current_round(db.session.execute(select(*ROUND_TIMES)).all(), at)


def pick_current_round(rounds, at: datetime | None = None) -> int | None:
    """Among `rounds` (rows with ROUND_TIMES' attributes): the round open for nominations now (the one closing
    last, if several); else the newest round that has opened and is not yet published; else the next one to open;
    else the newest round (every round published); None without rounds. Rounds are few: chosen here, not in SQL."""
    at = at or clock.now()
    open_now = [r for r in rounds if r.nominations_open_at <= at <= r.nominations_close_at]
    if open_now:
        return max(open_now, key=lambda r: (r.nominations_close_at, r.id)).id
    started = [r for r in rounds if r.published_at is None and r.nominations_open_at <= at]
    if started:
        return max(started, key=lambda r: (r.nominations_open_at, r.id)).id
    upcoming = [r for r in rounds if r.published_at is None]
    if upcoming:
        return min(upcoming, key=lambda r: (r.nominations_open_at, r.id)).id
    return max(rounds, key=lambda r: (r.nominations_open_at, r.id)).id if rounds else None
