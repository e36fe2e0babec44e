"""Indicators (bộ chỉ số) of the honours programme and the talent referrals, per round and per year.

Every figure comes from a few grouped queries (COUNT of a CASE per indicator), so the cost does not grow with
the data. Definitions, written the same way on the dashboard and in the annual report:
- nominations: every dossier that left the draft state; eligible: reached "eligible" or a later state;
  honoured: published in a round whose list has been published;
- minority: any ethnicity other than Kinh; "women or minorities" counts a person who is both once;
- under 45: age in completed years on 31 December of the round's year is below 45 (born in or after year - 44);
- a year is every honours round of that year; referrals count by the year they were submitted / screened,
  engagements by the year of the outcome.
"""
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import and_, case, func, or_, select, union

from honours.core import clock
from honours.core.db import db
from honours.core.reference import INCLUSION_TARGET_PERCENT, MAJORITY_ETHNICITY, ORGANISATION_TYPES, YOUNG_AGE_LIMIT
from honours.nominations import states
from honours.nominations.models import Dossier
from honours.organisations.models import Organisation
from honours.rounds.models import Round, RoundField
from honours.talent import models as talent

HONOURS = "honours"
ELIGIBLE_OR_LATER = (states.ELIGIBLE, states.UNDER_REVIEW, states.SCORED, states.APPROVED, states.NOT_APPROVED,
                     states.PUBLISHED)
ONE_DECIMAL = Decimal("0.1")
# Small-cell suppression (Law 91/2025/QH15, minimisation): gender, ethnicity and age are shown in aggregates only, and
# a count or share based on fewer than SMALL_CELL people is shown as "< 5", never as the number. Totals stay.
SMALL_CELL = 5
SUPPRESSED = f"< {SMALL_CELL}"


def is_small_cell(count: int, total: int) -> bool:
    """The one suppression rule: some but fewer than SMALL_CELL people counted, or a share whose population (the
    denominator) has some but fewer than SMALL_CELL people. Nobody (0 of 0) is not a person to protect."""
    return 0 < count < SMALL_CELL or 0 < total < SMALL_CELL


# ---------------------------------------------------------------- value objects

@dataclass(frozen=True)
class Share:
    """count out of total; the percentage has one decimal and is None when there is nobody to count."""

    count: int
    total: int
    target: int | None = None

    @property
    def percent(self) -> Decimal | None:
        if not self.total:
            return None
        return (Decimal(self.count * 100) / Decimal(self.total)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)

    @property
    def suppressed(self) -> bool:
        """Shown as "< 5" (count, share and verdict) wherever the share is shown: tables.py, charts.py."""
        return is_small_cell(self.count, self.total)

    @property
    def meets_target(self) -> bool | None:
        """Compared on the exact share (39.96% is shown as 40.0% but does not reach a 40% minimum)."""
        if self.target is None or not self.total:
            return None
        return self.count * 100 >= self.target * self.total


@dataclass(frozen=True)
class Profile:
    """Who the people of one population are (nominees, eligible or honourees)."""

    total: int = 0
    women: int = 0
    minorities: int = 0
    women_or_minorities: int = 0
    young: int = 0
    overseas: int = 0

    def __add__(self, other: "Profile") -> "Profile":
        return Profile(*(a + b for a, b in zip(self.values(), other.values())))

    def values(self) -> tuple[int, ...]:
        return (self.total, self.women, self.minorities, self.women_or_minorities, self.young, self.overseas)

    @property
    def women_share(self) -> Share:
        return Share(self.women, self.total, INCLUSION_TARGET_PERCENT)

    @property
    def minorities_share(self) -> Share:
        return Share(self.minorities, self.total, INCLUSION_TARGET_PERCENT)

    @property
    def women_or_minorities_share(self) -> Share:
        return Share(self.women_or_minorities, self.total, INCLUSION_TARGET_PERCENT)

    @property
    def young_share(self) -> Share:
        return Share(self.young, self.total)

    @property
    def overseas_share(self) -> Share:
        return Share(self.overseas, self.total)


@dataclass
class Counts:
    """Nominations, eligible and honoured of one group (a field, an organisation type, a round, the total)."""

    nominees: Profile = field(default_factory=Profile)
    eligible: Profile = field(default_factory=Profile)
    honourees: Profile = field(default_factory=Profile)

    def add(self, other: "Counts") -> None:
        self.nominees += other.nominees
        self.eligible += other.eligible
        self.honourees += other.honourees


@dataclass
class Group:
    key: str
    label: str
    counts: Counts = field(default_factory=Counts)
    quota: int | None = None


@dataclass
class HonoursIndicators:
    year: int
    round: Round | None  # None: the whole year
    rounds: list[Round]  # the honours rounds counted
    total: Counts
    by_round: list[Group]
    by_field: list[Group]
    by_org_type: list[Group]

    @property
    def young_born_from(self) -> date:
        """Under 45 on 31 December of the year = born on or after this date."""
        return young_born_from(self.year)

    @property
    def unpublished_rounds(self) -> list[Round]:
        return [r for r in self.rounds if r.published_at is None]


@dataclass(frozen=True)
class TalentIndicators:
    year: int
    received: int = 0  # referrals submitted during the year
    received_overseas: int = 0
    screened: int = 0  # screened during the year (accepted or declined)
    accepted: int = 0
    declined: int = 0
    engagements: int = 0  # matches whose outcome "engaged" was recorded during the year
    engaged_people: int = 0

    @property
    def overseas_share(self) -> Share:
        return Share(self.received_overseas, self.received)


@dataclass
class Dashboard:
    years: list[int]
    year: int
    rounds: list[Round]  # honours rounds of the year, for the selector
    honours: HonoursIndicators
    talent: TalentIndicators
    ignored_year: int | None = None  # a requested year without data, replaced by the default
    ignored_round: bool = False  # a requested round that is not an honours round of the year


# ---------------------------------------------------------------- definitions

def young_born_from(year: int) -> date:
    """Age in completed years on 31 December of `year` is below 45 exactly when born on or after 1 January of
    year - 44 (whoever was born in year - 45 has turned 45 by 31 December)."""
    return date(year - YOUNG_AGE_LIMIT + 1, 1, 1)


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    return datetime(year, 1, 1), datetime(year + 1, 1, 1)


def _within(column, year: int):
    start, end = _year_bounds(year)
    return and_(column >= start, column < end)


# ---------------------------------------------------------------- years and rounds

def available_years() -> list[int]:
    """Years with an honours round, a submitted referral or an engagement, newest first (one query)."""
    referral_year = func.extract("year", talent.Referral.submitted_at)
    match_year = func.extract("year", talent.NeedMatch.outcome_at)
    query = union(
        select(Round.year.label("year")).where(Round.programme == HONOURS),
        select(referral_year.label("year")).where(talent.Referral.submitted_at.is_not(None)),
        select(match_year.label("year")).where(talent.NeedMatch.outcome == talent.ENGAGED),
    )
    return sorted({int(year) for year in db.session.scalars(query) if year is not None}, reverse=True)


def latest_year_with_data() -> int | None:
    """The newest year with a nomination or a submitted referral (one query)."""
    referral_year = func.extract("year", talent.Referral.submitted_at)
    query = union(
        select(Round.year.label("year")).join(Dossier, Dossier.round_id == Round.id)
        .where(Round.programme == HONOURS, Dossier.state != states.DRAFT),
        select(referral_year.label("year")).where(talent.Referral.submitted_at.is_not(None)),
    )
    years = [int(year) for year in db.session.scalars(query) if year is not None]
    return max(years, default=None)


def rounds_of_year(year: int) -> list[Round]:
    return list(db.session.scalars(
        select(Round).where(Round.year == year, Round.programme == HONOURS).order_by(Round.nominations_open_at,
                                                                                     Round.id)))


# ---------------------------------------------------------------- honours indicators

def _profile_columns(population, year: int) -> list:
    """COUNT of a CASE per indicator, for the dossiers matching `population`."""
    woman = Dossier.gender == "female"
    minority = Dossier.ethnicity != MAJORITY_ETHNICITY
    conditions = (
        population,
        and_(population, woman),
        and_(population, minority),
        and_(population, or_(woman, minority)),
        and_(population, Dossier.date_of_birth >= young_born_from(year)),
        and_(population, Dossier.is_overseas.is_(True)),
    )
    return [func.count(case((condition, Dossier.id))) for condition in conditions]


def _grouped_counts(round_ids: list[int], year: int) -> list[tuple[int, str, str, Counts]]:
    """(round id, field name, organisation type, counts) for every non-empty group: one query."""
    if not round_ids:
        return []
    nominated = Dossier.state.not_in(states.NOT_COUNTED)  # a withdrawn dossier is no longer a nomination
    eligible = Dossier.state.in_(ELIGIBLE_OR_LATER)
    honoured = and_(Dossier.state == states.PUBLISHED, Round.published_at.is_not(None))
    width = len(Profile().values())
    query = (
        select(Dossier.round_id, RoundField.name, Organisation.org_type,
               *_profile_columns(nominated, year), *_profile_columns(eligible, year),
               *_profile_columns(honoured, year))
        .join(RoundField, RoundField.id == Dossier.field_id)
        .join(Organisation, Organisation.id == Dossier.organisation_id)
        .join(Round, Round.id == Dossier.round_id)
        .where(Dossier.round_id.in_(round_ids), nominated)
        .group_by(Dossier.round_id, RoundField.name, Organisation.org_type)
    )
    groups = []
    for row in db.session.execute(query):
        numbers = row[3:]
        profiles = [Profile(*numbers[i * width:(i + 1) * width]) for i in range(3)]
        groups.append((row[0], row[1], row[2], Counts(*profiles)))
    return groups


def _field_groups(round_ids: list[int]) -> list[Group]:
    """Every field of the rounds (also those without nominations), merged by name; quotas add up."""
    if not round_ids:
        return []
    rows = db.session.execute(
        select(RoundField.name, func.min(RoundField.position), func.sum(RoundField.quota))
        .where(RoundField.round_id.in_(round_ids)).group_by(RoundField.name)
    ).all()
    rows = sorted(rows, key=lambda row: (row[1], row[0]))  # the rounds' order of fields, then by name
    return [Group(name, name, quota=int(quota or 0)) for name, _position, quota in rows]


def _honours(year: int, rounds: list[Round], chosen: Round | None) -> HonoursIndicators:
    round_ids = [r.id for r in rounds]
    total = Counts()
    by_round = {r.id: Group(str(r.id), r.name) for r in rounds}
    by_field = {g.key: g for g in _field_groups(round_ids)}
    by_type = {key: Group(key, str(label)) for key, label in ORGANISATION_TYPES.items()}
    for round_id, field_name, org_type, counts in _grouped_counts(round_ids, year):
        total.add(counts)
        by_round[round_id].counts.add(counts)
        by_field.setdefault(field_name, Group(field_name, field_name)).counts.add(counts)
        by_type.setdefault(org_type, Group(org_type, org_type)).counts.add(counts)
    return HonoursIndicators(year=year, round=chosen, rounds=rounds, total=total, by_round=list(by_round.values()),
                             by_field=list(by_field.values()), by_org_type=list(by_type.values()))


def year_indicators(year: int) -> HonoursIndicators:
    """All honours rounds of the year together (and each round on its own in `by_round`)."""
    return _honours(year, rounds_of_year(year), None)


def round_indicators(round_: Round) -> HonoursIndicators:
    return _honours(round_.year, [round_], round_)


# ---------------------------------------------------------------- talent referrals

def talent_indicators(year: int) -> TalentIndicators:
    """Referrals by the year of submission and of screening; engagements by the year of the outcome (2 queries)."""
    referral = talent.Referral
    submitted = _within(referral.submitted_at, year)
    screened = and_(_within(referral.screened_at, year), referral.state.in_((talent.ACCEPTED, talent.DECLINED)))
    received, overseas, screened_count, accepted, declined = db.session.execute(
        select(func.count(case((submitted, referral.id))),
               func.count(case((and_(submitted, referral.is_overseas.is_(True)), referral.id))),
               func.count(case((screened, referral.id))),
               func.count(case((and_(screened, referral.state == talent.ACCEPTED), referral.id))),
               func.count(case((and_(screened, referral.state == talent.DECLINED), referral.id))))
        .where(or_(submitted, _within(referral.screened_at, year)))
    ).one()
    match = talent.NeedMatch
    engagements, people = db.session.execute(
        select(func.count(match.id), func.count(match.entry_id.distinct()))
        .where(match.outcome == talent.ENGAGED, _within(match.outcome_at, year))
    ).one()
    return TalentIndicators(year, received, overseas, screened_count, accepted, declined, engagements, people)


# ---------------------------------------------------------------- the dashboard

def default_year(years: list[int]) -> int:
    return latest_year_with_data() or (years[0] if years else clock.now().year)


def dashboard(year: int | None = None, round_id: int | None = None) -> Dashboard:
    """The secretariat's dashboard: the requested year (else the latest with data), the whole year or one of its
    honours rounds. A year without data or a round outside the year is ignored and reported, not an error."""
    years = available_years()
    ignored_year = None
    if year is not None and year not in years:
        ignored_year, year = year, None
    if year is None:
        year = default_year(years)
    rounds = rounds_of_year(year)
    chosen = next((r for r in rounds if r.id == round_id), None)
    honours = round_indicators(chosen) if chosen else _honours(year, rounds, None)
    return Dashboard(years=years or [year], year=year, rounds=rounds, honours=honours,
                     talent=talent_indicators(year), ignored_year=ignored_year,
                     ignored_round=round_id is not None and chosen is None)


def report(year: int) -> tuple[HonoursIndicators, TalentIndicators] | None:
    """The annual report's figures; None for a year without any data."""
    if year not in available_years():
        return None
    return year_indicators(year), talent_indicators(year)
