"""The fixed set of eligibility rule types a round may switch on, and their automatic check on a dossier. The
check states the facts it used; the secretariat decides (honours.selection.services.override_rule)."""
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from honours.core.db import db
from honours.core.i18n import format_date
from honours.core.reference import DEGREES
from honours.nominations import services as nominations
from honours.nominations import states
from honours.nominations.models import Dossier
from honours.rounds.models import EligibilityRule, Round

MIN_YEARS_IN_PROVINCE = "min_years_in_province"
MIN_DEGREE = "min_degree"
AGE_LIMITS = "age_limits"
RECENT_ACHIEVEMENT = "recent_achievement"
NOT_HONOURED = "not_honoured"
MAX_PER_ORGANISATION = nominations.MAX_PER_ORGANISATION
# kind -> (label, parameter names). Parameters are whole numbers, a degree code or an ISO date.
RULE_TYPES = {
    MIN_YEARS_IN_PROVINCE: (_l("Số năm sinh sống, công tác tại tỉnh tối thiểu"), ("years",)),
    MIN_DEGREE: (_l("Trình độ tối thiểu"), ("degree",)),
    AGE_LIMITS: (_l("Giới hạn tuổi tại ngày tham chiếu"), ("min_age", "max_age", "reference_date")),
    RECENT_ACHIEVEMENT: (_l("Có ít nhất một thành tích trong N năm gần đây"), ("years",)),
    NOT_HONOURED: (_l("Chưa được tôn vinh trong chương trình này (trong N năm gần đây, hoặc chưa bao giờ)"),
                   ("years",)),
    MAX_PER_ORGANISATION: (_l("Số người được đề cử tối đa của mỗi đơn vị"), ("limit",)),
}
# Lowest to highest; "other" meets no minimum.
DEGREE_ORDER = ("DH", "ThS", "TS", "TSKH")


def rule_label(kind: str) -> str:
    return str(RULE_TYPES[kind][0]) if kind in RULE_TYPES else kind


@dataclass
class RuleResult:
    kind: str
    passed: bool
    facts: str
    override_reason: str = ""

    @property
    def label(self) -> str:
        return rule_label(self.kind)

    @property
    def settled(self) -> bool:
        """Passed, or failed and overridden by the secretariat with a reason."""
        return self.passed or bool(self.override_reason)


def age_on(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def reference_date(rule: EligibilityRule, round_: Round) -> date:
    value = (rule.params or {}).get("reference_date")
    return date.fromisoformat(value) if value else round_.council_date


def past_honours(dossier: Dossier) -> list[tuple[Dossier, bool]]:
    """Dossiers of this programme's other rounds that were published (the person honoured), matched by the linked
    person or, without a link, by the same accent-free name and birth date: (dossier, matched by person)."""
    same_person = [Dossier.person_id == dossier.person_id] if dossier.person_id else []
    rows = db.session.scalars(
        select(Dossier).join(Round, Round.id == Dossier.round_id)
        .where(Round.programme == dossier.round.programme, Round.id != dossier.round_id,
               Round.published_at.is_not(None), Dossier.state == states.PUBLISHED,
               or_(*same_person, (Dossier.name_folded == dossier.name_folded)
                   & (Dossier.date_of_birth == dossier.date_of_birth)))
        .order_by(Round.year.desc(), Dossier.id)).all()
    return [(row, bool(dossier.person_id) and row.person_id == dossier.person_id) for row in rows]


def _min_years(rule, dossier):
    needed = int(rule.params.get("years") or 0)
    years = dossier.years_in_province
    if years is None:
        return False, _("Chưa khai số năm sinh sống, công tác tại tỉnh (cần ít nhất %(needed)s năm).", needed=needed)
    return years >= needed, _("%(years)s năm sinh sống, công tác tại tỉnh; cần ít nhất %(needed)s năm.",
                              years=years, needed=needed)


def _min_degree(rule, dossier):
    needed = rule.params.get("degree") or DEGREE_ORDER[0]
    degree = dossier.degree or ""
    rank = DEGREE_ORDER.index(degree) if degree in DEGREE_ORDER else -1
    shown = str(DEGREES.get(degree, degree)) if degree else _("chưa khai")
    return rank >= DEGREE_ORDER.index(needed), _("Học vị: %(degree)s; tối thiểu: %(needed)s.", degree=shown,
                                                 needed=str(DEGREES.get(needed, needed)))


def _age_limits(rule, dossier):
    on = reference_date(rule, dossier.round)
    age = age_on(dossier.date_of_birth, on)
    low, high = rule.params.get("min_age"), rule.params.get("max_age")
    passed = (low is None or age >= int(low)) and (high is None or age <= int(high))
    limits = " – ".join(str(x) if x is not None else "…" for x in (low, high))
    return passed, _("%(age)s tuổi vào ngày %(on)s (sinh ngày %(born)s); giới hạn: %(limits)s.", age=age,
                     on=format_date(on), born=format_date(dossier.date_of_birth), limits=limits)


def _recent_achievement(rule, dossier):
    years = int(rule.params.get("years") or 1)
    since = dossier.round.year - years + 1
    recent = [a for a in dossier.achievements if a.year >= since]
    latest = max((a.year for a in dossier.achievements), default=None)
    return bool(recent), _("Thành tích gần nhất: năm %(latest)s; cần ít nhất một thành tích từ năm %(since)s.",
                           latest=latest if latest is not None else "—", since=since)


def _not_honoured(rule, dossier):
    years = rule.params.get("years")
    found = past_honours(dossier)
    if years:
        found = [(d, by_person) for d, by_person in found if dossier.round.year - d.round.year < int(years)]
    if not found:
        return True, (_("Không thấy tên trong các đợt đã công bố trong %(years)s năm gần đây.", years=years) if years
                      else _("Không thấy tên trong các đợt đã công bố của chương trình."))
    facts = "; ".join(
        _("%(round)s (%(year)s), khớp theo %(how)s", round=d.round.name, year=d.round.year,
          how=_("hồ sơ trong cơ sở dữ liệu trí thức") if by_person else _("họ tên không dấu và ngày sinh"))
        for d, by_person in found)
    return False, _("Đã được tôn vinh: %(facts)s.", facts=facts)


def _max_per_organisation(rule, dossier):
    used = nominations.quota(dossier.organisation, dossier.round_id)
    if used.limit is None:
        return True, _("Đơn vị không bị giới hạn số hồ sơ (đã nộp %(used)s).", used=used.used)
    return used.used <= used.limit, _("Đơn vị đã nộp %(quota)s hồ sơ.", quota=str(used))


CHECKS = {
    MIN_YEARS_IN_PROVINCE: _min_years, MIN_DEGREE: _min_degree, AGE_LIMITS: _age_limits,
    RECENT_ACHIEVEMENT: _recent_achievement, NOT_HONOURED: _not_honoured, MAX_PER_ORGANISATION: _max_per_organisation,
}


def evaluate(dossier: Dossier, overrides: dict[str, str] | None = None) -> list[RuleResult]:
    """Every rule of the dossier's round, in the round's order: passed or not, with the facts used."""
    results = []
    for rule in dossier.round.eligibility_rules:
        check = CHECKS.get(rule.kind)
        if check is None:
            continue
        passed, facts = check(rule, dossier)
        results.append(RuleResult(rule.kind, passed, facts, (overrides or {}).get(rule.kind, "")))
    return results
