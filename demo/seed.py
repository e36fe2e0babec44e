"""Demo data for `flask seed-demo`: a realistic Bắc Ninh round with organisations, accounts and dossiers.

Everything is relative to `clock.now()`: the round is open for nominations from ~30 days ago until ~30 days
ahead, so `make run` always shows an open round. Dossiers go through the real services (save_dossier,
add_attachment, submit, decide), each step with the clock pinned to a plausible moment in the past, so the
audit log, submission snapshots and attachments on disk are real (the queued notifications are dropped).

seed() commits as it goes and returns the lines to print. Running it again is harmless: once the demo admin
exists it only says so. All people, e-mail addresses and phone numbers are fictitious.
"""
import io
import random
from datetime import datetime, time, timedelta
from decimal import Decimal

import click
from sqlalchemy import delete, func, select
from werkzeug.security import generate_password_hash

from honours.auth.models import User
from honours.auth.services import check_password_policy
from honours.core import clock, roles
from honours.core.db import db
from honours.core.i18n import format_datetime
from honours.core.outbox.models import OutboxMessage
from honours.directory import backfill as people_linking
from honours.nominations import services, states
from honours.nominations.models import Dossier
from honours.organisations.models import Organisation
from honours.rounds.models import Round
from honours.rounds.services import CriterionRow, FieldRow, RoundData, save_round

from .accounts import INVITED_EMAIL, LOCKED_EMAIL, seed_account_states
from .certificates import seed_certificates
from .consents import consent_before_check, seed_paper_waiting
from .data import (
    ADMIN_EMAIL,
    CONTACT_ROLES,
    CRITERIA,
    DEMO_PASSWORD,
    EMAIL_DOMAIN,
    FAMILY_NAMES,
    FEMALE_NAMES,
    FIELDS,
    MALE_NAMES,
    NOMINATOR_ORGS,
    ORGANISATIONS,
    PLANS,
    ROUND_NAME,
    STAFF,
    STREETS,
    WARDS,
)
from .decisions import seed_signed_decision
from .files import sample_pdf, sample_png
from .incidents import seed_incidents
from .intake import seed_intake
from .jobs import seed_jobs
from .nominees import NOMINEES, Nominee
from .notice import seed_notice
from .privacy import seed_requests
from .selection import seed_standards_round
from .showcase import seed_showcase
from .stages import seed_council, seed_published_round
from .talent import seed_talent

# --------------------------------------------------------------------------- files

FILE_TITLES = {
    "cv": "Lý lịch khoa học",
    "endorsement": "Công văn đề cử",
    "evidence": "Minh chứng thành tích",
    "photo": "Ảnh chân dung",
}


def _upload(user, dossier: Dossier, kind: str, nominee: Nominee, organisation_name: str, note: str = "",
            replaces_id: int | None = None) -> None:
    title = FILE_TITLES[kind]
    if kind == "photo":
        stream, filename = io.BytesIO(sample_png()), f"{title} - {nominee.full_name}.png"
    else:
        lines = ["Tri thuc Bac Ninh tieu bieu 2026", f"{title}: {nominee.full_name}",
                 f"Don vi de cu: {organisation_name}", f"Noi cong tac: {nominee.workplace}"]
        lines += [f"- {a[1]}: {a[2]}" for a in nominee.achievements] if kind == "evidence" else []
        lines += [note] if note else []
        lines.append("Tai lieu mau (du lieu demo), khong co gia tri phap ly.")
        stream, filename = io.BytesIO(sample_pdf(lines)), f"{title} - {nominee.full_name}{note and ' (bổ sung)'}.pdf"
    services.add_attachment(user, dossier, stream, filename, kind, replaces_id)


# --------------------------------------------------------------------------- seeding


def seed() -> list[str]:
    if db.session.scalar(select(User.id).where(User.email == ADMIN_EMAIL)):
        return [f"Demo data already present ({ADMIN_EMAIL} exists); nothing to do."]
    emails = [s[0] for s in STAFF] + [f"donvi{i}@demo.example" for i in range(1, len(NOMINATOR_ORGS) + 1)] \
        + [LOCKED_EMAIL, INVITED_EMAIL]
    taken = db.session.scalars(select(User.email).where(User.email.in_(emails))).all()
    if taken:
        raise click.ClickException(f"Cannot load the demo: these accounts already exist: {', '.join(sorted(taken))}.")
    check_password_policy(DEMO_PASSWORD)

    now = clock.now()
    rng = random.Random(2026)  # nosec B311 # reproducible demo data, not a secret
    round_ = _seed_round(now)
    organisations = _seed_organisations(now, rng)
    accounts = _seed_accounts(now, organisations)
    _seed_dossiers(now, rng, round_, organisations, accounts)
    seed_paper_waiting(now, round_, accounts)
    seed_council(round_, accounts, organisations)
    past_round = seed_published_round(accounts, organisations)
    seed_standards_round(now, accounts)
    seed_showcase(round_, past_round, accounts)
    seed_talent(accounts, organisations)
    notice_lines = seed_notice(now, accounts, organisations, past_round)
    certificate_lines = seed_certificates(accounts, past_round) + seed_signed_decision(accounts, past_round)
    account_states = seed_account_states(now, accounts) + seed_incidents(now, accounts) + seed_requests(now, accounts)
    # The workflow queued real notifications; demo data must never e-mail anybody.
    db.session.execute(delete(OutboxMessage))
    people_linking.link_unlinked()  # person records of anything seeded without going through submission
    account_states += seed_intake(now, accounts, organisations)
    db.session.commit()
    account_states += seed_jobs(now, accounts)  # after the person records: the finished export holds them
    return _report(round_, past_round, accounts) + account_states + notice_lines + certificate_lines


def _seed_round(now: datetime) -> Round:
    opens = (now - timedelta(days=30)).replace(hour=7, minute=30, second=0, microsecond=0)
    closes = (now + timedelta(days=30)).replace(hour=17, minute=0, second=0, microsecond=0)
    review_closes = closes + timedelta(days=30)
    data = RoundData(
        name=ROUND_NAME, programme="honours", year=2026,
        description=("Đợt xét, tôn vinh \"Trí thức Bắc Ninh tiêu biểu\" năm 2026 theo Kế hoạch của UBND tỉnh thực "
                     "hiện Quyết định số 2711/QĐ-TTg. Các cơ quan, đơn vị, hội nghề nghiệp, viện nghiên cứu, trường "
                     "đại học, doanh nghiệp và UBND xã, phường đề cử trí thức có thành tích tiêu biểu trong 5 năm "
                     "gần nhất. Bảo đảm tối thiểu 40% phụ nữ và người thuộc các nhóm thiểu số."),
        nominations_open_at=opens, nominations_close_at=closes, review_close_at=review_closes,
        council_date=(review_closes + timedelta(days=10)).date(),
        reviewers_per_dossier=3, quorum_rule="two_thirds", approval_rule="majority",
        required_kinds=["cv"],
        fields=[FieldRow(name=name, quota=quota) for _, name, quota in FIELDS],
        criteria=[CriterionRow(name=name, description=description, max_points=Decimal(points), weight=Decimal(weight))
                  for name, description, points, weight in CRITERIA],
    )
    with clock.frozen(opens - timedelta(days=5)):
        return save_round(None, data)  # before any account exists: the audit entry has no actor


def _person(rng: random.Random) -> str:
    given = rng.choice(MALE_NAMES if rng.random() < 0.55 else FEMALE_NAMES)
    return f"{rng.choice(FAMILY_NAMES)} {given[0]} {given[1]}"


def _seed_organisations(now: datetime, rng: random.Random) -> dict:
    """All 60 organisations (an existing one with the same name is reused); returns {code: Organisation}."""
    existing = {o.name: o for o in db.session.scalars(select(Organisation))}
    coded = {}
    with clock.frozen(now - timedelta(days=40)):
        for number, (code, org_type, name, mailbox, limit) in enumerate(ORGANISATIONS):
            organisation = existing.get(name)
            if organisation is None:
                if org_type == "commune":
                    address = f"Trụ sở {name}, tỉnh Bắc Ninh"
                else:
                    address = f"Số {rng.randint(1, 250)} đường {rng.choice(STREETS)}, {rng.choice(WARDS)}, tỉnh Bắc Ninh"
                organisation = Organisation(
                    name=name, org_type=org_type, nomination_limit=limit, address=address,
                    contact_person=f"{_person(rng)} - {CONTACT_ROLES[org_type]}",
                    email=f"{mailbox}@{EMAIL_DOMAIN}",
                    phone=f"0222 3{810 + number:03d} {rng.randint(100, 999)}",
                )
                db.session.add(organisation)
            if code:
                coded[code] = organisation
        db.session.commit()
    return coded


def _seed_accounts(now: datetime, organisations: dict) -> list[User]:
    password_hash = generate_password_hash(DEMO_PASSWORD)  # hashing is slow on purpose: do it once
    accounts = []
    with clock.frozen(now - timedelta(days=38)):
        for email, full_name, role, is_chair in STAFF:
            accounts.append(User(email=email, full_name=full_name, role=role, is_chair=is_chair,
                                 password_hash=password_hash))
        for number, code in enumerate(NOMINATOR_ORGS, start=1):
            organisation = organisations[code]
            contact = organisation.contact_person.split(" - ")[0] or f"Cán bộ đầu mối {number}"
            accounts.append(User(email=f"donvi{number}@demo.example", full_name=contact, role=roles.NOMINATOR,
                                 organisation_id=organisation.id, password_hash=password_hash))
        db.session.add_all(accounts)
        db.session.commit()
    return accounts


def _timeline(now: datetime, rng: random.Random, steps: int) -> list[datetime]:
    """Working-hours moments, one per step plus the creation, at least a day apart, all in the past and
    after the round opened (at most 28 days ago)."""
    gaps = [rng.randint(1, 3) for _ in range(steps)]
    start = rng.randint(sum(gaps) + 1, 28)
    days_ago = [start]
    for gap in gaps:
        days_ago.append(days_ago[-1] - gap)
    return [datetime.combine(now.date() - timedelta(days=d), time(rng.randint(8, 16), rng.randrange(0, 60, 5)))
            for d in days_ago]


def _data(nominee: Nominee, field_ids: dict, with_supplement: bool = False) -> services.DossierData:
    achievements = list(nominee.achievements)
    if with_supplement and nominee.supplement_achievement:
        achievements.append(nominee.supplement_achievement)
    return services.DossierData(
        field_id=field_ids[nominee.field], full_name=nominee.full_name, gender=nominee.gender,
        date_of_birth=nominee.dob, ethnicity=nominee.ethnicity, hometown=nominee.hometown,
        workplace=nominee.workplace, position=nominee.position, academic_title=nominee.title,
        degree=nominee.degree, email=nominee.email, phone="", is_overseas=nominee.overseas,
        merits_summary=nominee.summary,
        achievements=[services.AchievementData(kind, year, title, details) for kind, year, title, details in achievements],
    )


def _seed_dossiers(now: datetime, rng: random.Random, round_: Round, organisations: dict, accounts: list) -> None:
    field_ids = {code: f.id for (code, _, _), f in zip(FIELDS, round_.fields)}
    nominators = {u.organisation_id: u for u in accounts if u.role == roles.NOMINATOR}
    secretaries = [u for u in accounts if u.role == roles.SECRETARIAT]
    for number, nominee in enumerate(NOMINEES):
        organisation = organisations[nominee.org]
        user = nominators[organisation.id]
        secretary = secretaries[number % len(secretaries)]
        plan = PLANS[nominee.plan]
        moments = _timeline(now, rng, len(plan))
        if nominee.plan == "returned_overdue":  # returned long enough ago for its supplement deadline to pass
            moments = [now - timedelta(days=days) for days in (20, 18, 12)]
        with clock.frozen(moments[0]):
            dossier = services.save_dossier(user, round_, _data(nominee, field_ids))
        for i, kind in enumerate(nominee.uploads, start=1):
            with clock.frozen(moments[0] + timedelta(minutes=4 * i)):
                _upload(user, dossier, kind, nominee, organisation.name)
        for action, at in zip(plan, moments[1:]):
            with clock.frozen(at):
                if action == "submit":
                    services.submit(user, dossier)
                elif action == "return":
                    deadline = datetime.combine(now.date() + timedelta(days=rng.randint(7, 14)), time(17, 0))
                    services.decide(secretary, dossier, "return", nominee.reason, supplement_deadline=deadline,
                                     confirmed=True)
                elif action == "return_overdue":
                    deadline = datetime.combine(now.date() - timedelta(days=5), time(17, 0))
                    services.decide(secretary, dossier, "return", nominee.reason, supplement_deadline=deadline,
                                     confirmed=True)
                elif action == "withdraw":
                    services.withdraw(user, dossier, nominee.reason, confirmed=True)
                elif action == "resubmit":
                    if nominee.supplement_achievement:
                        services.save_dossier(user, round_, _data(nominee, field_ids, with_supplement=True), dossier)
                    for i, kind in enumerate(nominee.supplement):
                        # A supplement of a kind already submitted supersedes that file (which stays listed).
                        replaced = next((a.id for a in dossier.current_attachments if a.kind == kind and a.is_locked),
                                        None)
                        with clock.frozen(at + timedelta(minutes=3 * i)):
                            _upload(user, dossier, kind, nominee, organisation.name, note="Bo sung theo yeu cau",
                                    replaces_id=replaced)
                    with clock.frozen(at + timedelta(minutes=20)):
                        services.submit(user, dossier)
                elif action == "eligible":
                    consent_before_check(user, secretary, dossier, number)
                    services.decide(secretary, dossier, "mark_eligible", confirmed=True)
                elif action == "ineligible":
                    services.decide(secretary, dossier, "mark_ineligible", nominee.reason, confirmed=True)


def _report(round_: Round, past_round: Round, accounts: list[User]) -> list[str]:
    counts = dict(db.session.execute(
        select(Dossier.state, func.count(Dossier.id)).where(Dossier.round_id == round_.id).group_by(Dossier.state)
    ).all())
    order = (states.DRAFT, states.SUBMITTED, states.RETURNED, states.RESUBMITTED, states.ELIGIBLE, states.INELIGIBLE,
             states.UNDER_REVIEW, states.WITHDRAWN)
    honoured = db.session.scalar(select(func.count(Dossier.id)).where(Dossier.round_id == past_round.id,
                                                                        Dossier.state == states.PUBLISHED))
    organisations = db.session.scalar(select(func.count(Organisation.id)))
    lines = [
        "Demo data loaded.",
        f"  Round: {round_.name} - nominations open {format_datetime(round_.nominations_open_at)} "
        f"to {format_datetime(round_.nominations_close_at)}; {len(round_.fields)} fields, {len(round_.criteria)} criteria.",
        "  Council: 7 members, reviewers assigned, scoring started (hoidong3 submitted a sheet, hoidong4 has a draft).",
        f"  Published: {past_round.name} - {honoured} honourees on the public list at /vinh-danh.",
        "  Standards: a second 2026 round selecting by standards (no points), its dossiers at the appraisal;"
        " the round on public notice (below) selects by standards too.",
        f"  Organisations: {organisations}; accounts: {len(accounts)}.",
        f"  Dossiers: {sum(counts.values())} (" + ", ".join(f"{state} {counts.get(state, 0)}" for state in order) + ").",
        "",
        f"Demo logins (every account uses the password {DEMO_PASSWORD}):",
    ]
    rows = [("Email", "Role", "Organisation", "Password")]
    for user in accounts:
        role = user.role + (" (chair)" if user.is_chair else "")
        rows.append((user.email, role, user.organisation.name if user.organisation else "-", DEMO_PASSWORD))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for index, row in enumerate(rows):
        lines.append("  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
        if index == 0:
            lines.append("  " + "  ".join("-" * width for width in widths))
    return lines
