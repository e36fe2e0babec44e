"""Property-based fuzzing of the main forms over HTTP (Hypothesis).

Each example starts from a valid submission and changes a few fields to hostile values: random Unicode (NUL,
right-to-left marks, combining marks, emoji), 100 000-character strings, text in number/date fields, a field
sent several times, missing fields, unknown extra fields. Properties:

- never a server error (TESTING propagates exceptions, so any crash fails the example);
- a refused submission (200/409/422, the form shown again) writes nothing: every table is unchanged;
- an accepted one (302) stored what was sent, as the form and service normalise it.

The database is shared by all examples of a test (the app fixture wipes it only at the end), so every check
compares the state just before and just after its own request. Examples are derandomised so CI is repeatable;
set FUZZ_EXPLORE=1 (and FUZZ_EXAMPLES=500) locally to search further.
"""
import itertools
import os
import re
from datetime import datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, select

from honours.auth.models import LoginThrottle, User
from honours.auth.services import normalise_email
from honours.core import roles
from honours.core.db import db
from honours.nominations import states
from honours.nominations.models import Dossier
from honours.organisations.models import Organisation
from honours.reviews import services as reviews
from honours.reviews.models import CouncilMember, ScoreSheet
from honours.rounds.models import Round
from tests.conftest import login
from tests.factories import PASSWORD, make_dossier, make_org, make_round, make_user

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", 40)),
    deadline=None,
    derandomize=not os.environ.get("FUZZ_EXPLORE"),
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.large_base_example],
)
MISSING = object()
# Bookkeeping that a refused request legitimately writes.
IGNORED_TABLES = {"login_throttle"}

NASTY = [
    "\x00", "Nguyễn\x00Văn An", "\u202eRTL override\u202c", "\u200fمرحبا بالعالم", "שלום עולם",
    "e\u0301\u0302\u0303\u0323" * 30,
    "Z\u0334\u0321\u032a\u035a\u0329\u0344\u0346\u0300algo", "\ufeffBOM", "line\u2028break\u2029", "𝔑𝔤𝔲𝔶𝔢̂𝔫 🇻🇳👩‍🔬",
    "<script>alert(1)</script>", "' OR '1'='1' --", "%(name)s %s {0} {{ 7*7 }}", "../../etc/passwd",
    "\r\n\r\nX-Injected: 1",
    " ", "\t\n ", "-1", "0", "-0", "1e309", "1E+999999999", "NaN", "-Infinity", "99999999999999999999999999999", "12,5",
    "3.14159265358979323846264338327950288", "0x1F", "١٢٣", "31/02/2026", "29/02/2025", "00/00/0000", "1/1/1",
    "2026-06-15", "15/06/2026 25:61", "15/06/10000 08:00", "01/01/0001", "31/12/9999 23:59", "01/01/0001 00:00",
    "y", "on", "true", "false",
]
HUGE = ["x" * 100_000, "Ễ" * 100_000, "Nguyễn Văn An " * 7_200, "\x00" * 100_000, "9" * 100_000]
ROW_EXTRAS = ["achievements-99-title", "achievements-x-title", "achievements--1-year", "achievements-1000000-kind",
              "fields-7-name", "fields-0-id", "criteria-5-weight", "criteria-0-id", "version", "id", "csrf_token",
              "is_admin", "role", "add_achievement", "add_field", "add_criterion", "submit_sheet", "save", "state"]


def scalar() -> st.SearchStrategy:
    return st.one_of(
        st.text(max_size=40),
        st.sampled_from(NASTY),
        st.sampled_from(HUGE),
        st.integers().map(str),
        st.decimals(allow_nan=True).map(str),
        st.floats().map(str),
        st.dates().map(lambda d: f"{d.day:02d}/{d.month:02d}/{d.year}"),
        st.datetimes().map(lambda d: f"{d.day:02d}/{d.month:02d}/{d.year} {d.hour:02d}:{d.minute:02d}"),
    )


def mutation() -> st.SearchStrategy:
    return st.one_of(scalar(), st.lists(scalar(), min_size=2, max_size=3), st.just(MISSING))


@st.composite
def submissions(draw, base: dict, max_changes: int = 4) -> dict:
    """The valid `base` with up to `max_changes` fields replaced, dropped or repeated, plus unknown fields."""
    data = dict(base)
    changes = draw(st.dictionaries(st.sampled_from(sorted(base)), mutation(), max_size=max_changes))
    for name, value in changes.items():
        if value is MISSING:
            data.pop(name, None)
        else:
            data[name] = value
    extras = draw(st.dictionaries(st.one_of(st.sampled_from(ROW_EXTRAS), st.text(min_size=1, max_size=20)),
                                  st.one_of(scalar(), st.lists(scalar(), min_size=2, max_size=3)), max_size=3))
    for name, value in extras.items():
        data.setdefault(name, value)
    return data


def first(data: dict, name: str):
    """What the form reads: the first value of a repeated field, without NUL (the forms drop it)."""
    value = data.get(name)
    value = value[0] if isinstance(value, list) else value
    return value.replace("\x00", "") if isinstance(value, str) else value


def snapshot(ignored=()) -> dict:
    db.session.remove()
    with db.engine.connect() as connection:
        return {t.name: connection.execute(select(t).order_by(*t.primary_key.columns)).all()
                for t in db.metadata.sorted_tables if t.name not in IGNORED_TABLES | set(ignored)}


def changed_tables(before: dict, after: dict) -> list[str]:
    return [name for name in before if before[name] != after[name]]


def post(client, url: str, data: dict, ignored=()):
    """POST and classify: True when accepted (redirect), False when refused with the form shown again."""
    before = snapshot(ignored)
    response = client.post(url, data=data)
    assert response.status_code in (200, 302, 400, 409, 413, 422), response.status_code
    if response.status_code == 302:
        return True
    changed = changed_tables(before, snapshot(ignored))
    assert changed == [], f"refused ({response.status_code}) but wrote to {changed}"
    return False


def newest(model):
    db.session.remove()
    return db.session.scalar(select(model).order_by(model.id.desc()).limit(1))


def count(model) -> int:
    return db.session.scalar(select(func.count(model.id)))


def words(value) -> str:
    return " ".join(str(value).split())


serial = itertools.count(1)


def fuzz(strategy, example, regressions=()) -> None:
    """Run `example(value)` (True when accepted) on the `regressions` (inputs that once crashed the app), then on
    generated values; both outcomes must have occurred, so the checks of an accepted submission ran as well as
    those of a refused one."""
    outcomes = [example(value) for value in regressions]

    @FUZZ
    @given(strategy)
    def run(value):
        outcomes.append(example(value))

    run()
    assert True in outcomes, "no submission was accepted: the valid path was never exercised"
    assert False in outcomes, "no submission was refused"


# ---------------------------------------------------------------- login

ACCOUNT = "thu.ky@bacninh.gov.vn"


@pytest.fixture
def account(app):
    return make_user(roles.SECRETARIAT, email=ACCOUNT)


def test_fuzz_login(app, account):
    def example(data):
        db.session.execute(delete(LoginThrottle))  # throttling would otherwise refuse every later example
        db.session.commit()
        accepted = post(app.test_client(), "/login", data, ignored={"audit_entry"})  # a refused login is audited
        if accepted:
            assert normalise_email(first(data, "email")) == ACCOUNT
            assert first(data, "password") == PASSWORD
        return accepted

    fuzz(submissions({"email": ACCOUNT, "password": PASSWORD}), example, regressions=[
        {"email": ACCOUNT + "\x00", "password": PASSWORD}, {"email": "\x00", "password": "\x00"}])


# ---------------------------------------------------------------- organisations and accounts

@pytest.fixture
def secretary(app):
    client = app.test_client()
    login(client, make_user(roles.SECRETARIAT), PASSWORD)
    return client


@pytest.fixture
def admin(app):
    client = app.test_client()
    login(client, make_user(roles.ADMIN), PASSWORD)
    return client


ORGANISATION = {
    "name": "Viện Nghiên cứu Kinh Bắc", "org_type": "institute", "contact_person": "Trần Văn Bình",
    "email": "vien@kinhbac.example.vn", "phone": "0222 3822 222", "address": "Số 1 Lý Thái Tổ, Bắc Ninh",
    "nomination_limit": "3"}


def test_fuzz_organisation_form(app, secretary):
    def example(data):
        if isinstance(first(data, "name"), str):  # a fresh name each time, so valid examples can succeed
            data = {**data, "name": f"{first(data, 'name')} {next(serial)}"}
        accepted = post(secretary, "/organisations/new", data)
        if accepted:
            organisation = newest(Organisation)
            assert organisation.name == words(first(data, "name"))
            assert organisation.org_type == first(data, "org_type")
            assert organisation.email == (first(data, "email") or "").strip()
            limit = first(data, "nomination_limit")
            assert organisation.nomination_limit == (int(limit) if limit not in (None, "") else None)
        return accepted

    fuzz(submissions(ORGANISATION), example, regressions=[
        {**ORGANISATION, "address": "\x00"}, {**ORGANISATION, "name": "Hội\x00 Luật gia"}])


ACCOUNT_FORM = {"email": "can.bo@so-khcn.bacninh.gov.vn", "full_name": "Phạm Thị Lan", "role": "council",
                "organisation_id": "0", "is_chair": "y"}


def test_fuzz_user_form(app, admin):
    def example(data):
        email = first(data, "email")
        if isinstance(email, str) and "@" in email:  # a fresh address each time, so valid examples can succeed
            data = {**data, "email": email.replace("@", f".{next(serial)}@", 1)}
        users = count(User)
        accepted = post(admin, "/users/new", data)
        if accepted:
            assert count(User) == users + 1
            user = newest(User)
            assert user.email == normalise_email(first(data, "email"))
            assert user.full_name == first(data, "full_name").strip()
            assert user.role == first(data, "role")
        return accepted

    fuzz(submissions(ACCOUNT_FORM), example, regressions=[{**ACCOUNT_FORM, "full_name": "Phạm\x00 Lan"}])


# ---------------------------------------------------------------- rounds

ROUND = {
    "name": "Trí thức Bắc Ninh tiêu biểu 2027", "programme": "honours", "year": "2027", "description": "",
    "nominations_open_at": "01/03/2027 08:00", "nominations_close_at": "30/06/2027 17:00",
    "review_close_at": "15/08/2027 17:00", "council_date": "01/09/2027", "reviewers_per_dossier": "3",
    "quorum_rule": "two_thirds", "approval_rule": "majority", "score_decimals": "1", "trim_extremes": "y",
    "deviation_flag_percent": "20", "min_average_score": "50",
    "fields-0-name": "Y dược", "fields-0-quota": "3", "fields-1-name": "Giáo dục", "fields-1-quota": "2",
    "criteria-0-name": "Thành tích", "criteria-0-max_points": "20", "criteria-0-weight": "70",
    "criteria-1-name": "Ứng dụng", "criteria-1-max_points": "10", "criteria-1-weight": "30",
}


def test_fuzz_round_form(app, secretary):
    def example(data):
        rounds = count(Round)
        accepted = post(secretary, "/rounds/new", data)
        if accepted:
            assert count(Round) == rounds + 1
            round_ = newest(Round)
            assert round_.name == first(data, "name").strip()
            assert round_.year == int(first(data, "year"))
            assert round_.nominations_close_at == datetime.strptime(first(data, "nominations_close_at").strip(),
                                                                    "%d/%m/%Y %H:%M")
            assert sum(c.weight for c in round_.criteria) == Decimal(100)
            sent_names = {str(first(data, key)).strip() for key in data if re.fullmatch(r"fields-\d+-name", key)}
            assert round_.fields and {f.name for f in round_.fields} <= sent_names
        return accepted

    fuzz(submissions(ROUND), example, regressions=[
        {**ROUND, "criteria-0-max_points": "sNaN"}, {**ROUND, "min_average_score": "-sNaN"},
        {**ROUND, "fields-0-id": "9" * 100_000}, {**ROUND, "criteria-0-id": "²"}])


# ---------------------------------------------------------------- nomination dossiers

DOSSIER = {
    "full_name": "Trần Thị Bình", "gender": "female", "date_of_birth": "12/03/1980", "ethnicity": "Tày",
    "hometown": "Từ Sơn, Bắc Ninh", "workplace": "Trường Đại học Kinh Bắc", "position": "Trưởng khoa",
    "academic_title": "PGS", "degree": "TS", "email": "binh.tt@kinhbac.edu.vn", "phone": "0912 345 678",
    "is_overseas": "", "merits_summary": "Chủ nhiệm 3 đề tài cấp tỉnh.",
    "achievements-0-kind": "award", "achievements-0-year": "2021", "achievements-0-title": "Giải thưởng KH&CN",
    "achievements-0-details": "Quyết định số 12/QĐ-UBND", "achievements-1-kind": "publication",
    "achievements-1-year": "2019", "achievements-1-title": "Bài báo quốc tế về lúa chịu mặn",
}


class World(dict):
    """Ids of the fixture's objects; each example loads them afresh (the checks close the session)."""

    def round(self) -> Round:
        return db.session.get(Round, self["round_id"])

    def org(self) -> Organisation:
        return db.session.get(Organisation, self["org_id"])

    def user(self, key: str = "nominator_id") -> User:
        return db.session.get(User, self[key])

    def field_id(self, position: int) -> str:
        return str(self.round().fields[position].id)


@pytest.fixture
def nomination(app):
    round_ = make_round()
    org = make_org(name="Trường Đại học Kinh Bắc")
    user = make_user(roles.NOMINATOR, org)
    client = app.test_client()
    login(client, user, PASSWORD)
    return World(round_id=round_.id, org_id=org.id, nominator_id=user.id, client=client)


def check_stored_dossier(dossier: Dossier, data: dict, previous: dict | None = None) -> None:
    """What was sent is stored; on an edit, a field left out of the request keeps its value (WTForms reads it
    from the record)."""
    expected = dict(previous or {})
    if "full_name" in data:
        expected["full_name"] = words(first(data, "full_name"))
    if "date_of_birth" in data:
        expected["date_of_birth"] = datetime.strptime(first(data, "date_of_birth").strip(), "%d/%m/%Y").date()
    for name in ("gender", "degree"):
        if name in data:
            expected[name] = first(data, name)
    assert {name: getattr(dossier, name) for name in expected} == expected
    for achievement in dossier.achievements:
        assert achievement.title and 1900 <= achievement.year <= 2100


def test_fuzz_nomination_create(app, nomination):
    def example(fuzzed):
        data = {"field_id": nomination.field_id(1), **fuzzed}
        dossiers = count(Dossier)
        accepted = post(nomination["client"], f"/dossiers/new?round_id={nomination['round_id']}", data)
        if accepted:
            assert count(Dossier) == dossiers + 1
            check_stored_dossier(newest(Dossier), data)
        return accepted

    fuzz(submissions(DOSSIER), example, regressions=[{**DOSSIER, "hometown": "\x00"}])


def test_fuzz_nomination_edit(app, nomination):
    dossier_id = make_dossier(nomination.round(), nomination.org(), nomination.user(), full_name="Lê Văn Cường",
                              with_attachment=False).id

    def example(fuzzed):
        data = {"field_id": nomination.field_id(0), **fuzzed}
        dossier = db.session.get(Dossier, dossier_id)
        before = dossier.version
        previous = {name: getattr(dossier, name) for name in ("full_name", "date_of_birth", "gender", "degree")}
        if data.get("version") == "CURRENT":
            data["version"] = str(before)
        accepted = post(nomination["client"], f"/dossiers/{dossier_id}/edit", data)
        if accepted:
            stored = db.session.get(Dossier, dossier_id)
            assert stored.version == before + 1
            check_stored_dossier(stored, data, previous)
        return accepted

    fuzz(submissions({**DOSSIER, "version": "CURRENT"}), example, regressions=[
        {**DOSSIER, "version": "9" * 100_000}, {**DOSSIER, "version": "²"},
        {**DOSSIER, "version": "CURRENT", "position": "\x00"},
        {name: value for name, value in DOSSIER.items() if name != "full_name"} | {"version": "CURRENT"}])


# ---------------------------------------------------------------- eligibility decision

DECISION = {"action": "return", "reason": "Thiếu bản sao bằng tiến sĩ có chứng thực.",
            "supplement_deadline": "22/06/2026 17:00", "version": "CURRENT", "confirmed": "1"}


def test_fuzz_eligibility_decision(app, nomination, secretary):
    def example(fuzzed):
        dossier = make_dossier(nomination.round(), nomination.org(), nomination.user(), state=states.SUBMITTED,
                               full_name=f"Hồ sơ {next(serial)}", with_attachment=False)
        dossier_id, data = dossier.id, dict(fuzzed)
        if data.get("version") == "CURRENT":
            data["version"] = str(dossier.version)
        accepted = post(secretary, f"/eligibility/{dossier_id}/decision", data)
        if accepted:
            stored = db.session.get(Dossier, dossier_id)
            expected = {"mark_eligible": states.ELIGIBLE, "return": states.RETURNED,
                        "mark_ineligible": states.INELIGIBLE}[first(data, "action")]
            assert stored.state == expected
            if expected != states.ELIGIBLE:
                assert stored.last_reason == first(data, "reason").strip()
        return accepted

    fuzz(submissions(DECISION), example, regressions=[
        {**DECISION, "version": "9" * 100_000}, {**DECISION, "reason": "Thiếu\x00"}])


# ---------------------------------------------------------------- the nominee's consent (public, through the link)

CONSENT = {f"purpose_{code}": answer for code, answer in zip("abcde", ("yes", "no", "yes", "no", "yes"))}


def test_fuzz_consent_form(app, nomination):
    from honours.consent import services as consent
    from honours.consent.models import ConsentRequest

    def example(fuzzed):
        dossier = make_dossier(nomination.round(), nomination.org(), nomination.user(), state=states.SUBMITTED,
                               full_name=f"Người được đề cử {next(serial)}", with_attachment=False, consent=None,
                               email="nguoi.duoc.de.cu@example.vn")
        with app.test_request_context():
            request = consent.ask_again(nomination.user(), dossier)
            db.session.commit()
            request_id, path = request.id, consent.link_for(request).split("://", 1)[1].split("/", 1)[1]
        data = dict(fuzzed)
        accepted = post(app.test_client(), "/" + path, data)
        if accepted:
            stored = db.session.get(ConsentRequest, request_id)
            assert stored.state == "answered" and stored.link_nonce is None
            assert {code: c.decision == "given" for code, c in stored.current.items()} == {
                code: first(data, f"purpose_{code}") == "yes" for code in "abcde"}
        return accepted

    fuzz(submissions(CONSENT), example, regressions=[
        {**CONSENT, "purpose_a": "\x00"}, {**CONSENT, "purpose_b": ["yes", "no"]},
        {name: value for name, value in CONSENT.items() if name != "purpose_e"}])


# ---------------------------------------------------------------- score sheet

@pytest.fixture
def scoring(app, nomination):
    secretariat = make_user(roles.SECRETARIAT)
    reviewer = make_user(roles.COUNCIL, full_name="Vũ Minh Đức")
    db.session.add(CouncilMember(round_id=nomination["round_id"], user_id=reviewer.id))
    db.session.commit()
    client = app.test_client()
    login(client, reviewer, PASSWORD)
    return World(nomination, secretariat_id=secretariat.id, reviewer_id=reviewer.id, reviewer_client=client)


def test_fuzz_score_sheet(app, scoring):
    def example(fuzzed):
        dossier = make_dossier(scoring.round(), scoring.org(), scoring.user(), state=states.ELIGIBLE,
                               full_name=f"Người được đề cử {next(serial)}", with_attachment=False)
        reviewer = scoring.user("reviewer_id")
        reviews.assign(scoring.user("secretariat_id"), dossier, reviewer)
        sheet = reviews.sheet_for(reviewer, dossier)
        dossier_id, reviewer_id = dossier.id, reviewer.id  # the first save creates the sheet (a GET writes nothing)
        base = {"version": str(sheet.version), "overall_comment": "Hồ sơ tốt.", "save": "Lưu nháp"}
        for criterion, points in zip(scoring.round().criteria, ("8.5", "7", "9.0")):
            base[f"points_{criterion.id}"] = points
            base[f"comment_{criterion.id}"] = "Đạt yêu cầu."
        data = {**base, **fuzzed} if isinstance(fuzzed, dict) else fuzzed.draw(submissions(base))
        accepted = post(scoring["reviewer_client"], f"/reviews/{dossier_id}", data)
        if accepted:
            stored = db.session.scalar(db.select(ScoreSheet).filter_by(dossier_id=dossier_id, reviewer_id=reviewer_id))
            assert stored.overall_comment == (first(data, "overall_comment") or "").strip()
            for item in stored.items:
                sent = first(data, f"points_{item.criterion_id}")
                expected = None if sent is None or not str(sent).strip() else \
                    Decimal(str(sent).strip().replace(",", "."))
                assert item.points == expected
                assert item.comment == (first(data, f"comment_{item.criterion_id}") or "").strip()
        return accepted

    fuzz(st.data(), example, regressions=[{"overall_comment": "\x00"}, {"version": "9" * 100_000}])


# ---------------------------------------------------------------- the person's rights (public forms)

SUBJECT = "nguoi.duoc.de.cu@example.vn"


def test_fuzz_data_subject_link_form(app):
    from honours.core.ratelimit import RateLimitHit

    def example(data):
        db.session.execute(delete(RateLimitHit))  # throttling would otherwise refuse every later example
        db.session.commit()
        return post(app.test_client(), "/du-lieu-ca-nhan", data, ignored={"rate_limit_hit"})

    fuzz(submissions({"email": SUBJECT}), example, regressions=[{"email": SUBJECT + "\x00"}, {"email": "\x00"}])


def test_fuzz_data_subject_request_form(app):
    from honours.privacy import services as privacy
    from honours.privacy.models import DataRequest

    url = "/du-lieu-ca-nhan/" + privacy.token_for(SUBJECT)

    def example(data):
        db.session.execute(delete(DataRequest))  # the open-requests limit would otherwise refuse later examples
        db.session.commit()
        accepted = post(app.test_client(), url, data)
        if accepted:
            request = newest(DataRequest)
            assert request.kind == first(data, "kind")
            assert request.email == SUBJECT
            assert request.details == (first(data, "details") or "").strip()
        return accepted

    fuzz(submissions({"kind": "correction", "details": "Sửa ngày sinh thành 20/05/1975"}), example, regressions=[
        {"kind": "correction", "details": "\x00"}, {"kind": "\x00", "details": "x"}])
# ---------------------------------------------------------------- selection by standards

SELECTION_SETUP = {
    "selection_method": "standards", "achievement_standards_needed": "1",
    "standards-0-kind": "general", "standards-0-name": "Trình độ đại học trở lên",
    "standards-1-kind": "achievement", "standards-1-name": "Bằng độc quyền sáng chế",
    "standards-1-evidence": "Bản sao văn bằng", "min_years_in_province": "y", "min_years_in_province_years": "5",
    "age_limits": "y", "age_limits_max_age": "60", "age_limits_reference_date": "01/09/2027", "not_honoured": "y",
}


def test_fuzz_selection_setup_form(app, secretary):
    round_id = make_round().id

    def example(data):
        accepted = post(secretary, f"/selection/rounds/{round_id}", data)
        if accepted:
            round_ = db.session.get(Round, round_id)
            assert round_.selection_method == first(data, "selection_method")
            sent = {str(first(data, key)).strip() for key in data if re.fullmatch(r"standards-\d+-name", key)}
            assert {s.name for s in round_.standards} <= sent
        return accepted

    fuzz(submissions(SELECTION_SETUP), example, regressions=[
        {**SELECTION_SETUP, "standards-0-id": "9" * 100_000}, {**SELECTION_SETUP, "age_limits_min_age": "70"}])


def test_fuzz_standard_claims_and_appraisal_forms(app, secretary):
    from honours.rounds.models import ACHIEVEMENT, GENERAL
    from honours.selection import services as selection
    from honours.selection.models import StandardAppraisal, StandardClaim

    round_ = make_round()
    selection.save_setup(make_user(roles.SECRETARIAT), round_, selection.SetupData("standards", 1, [
        selection.StandardRow(GENERAL, "Trình độ đại học"), selection.StandardRow(ACHIEVEMENT, "Giải thưởng")]))
    org = make_org()
    user = make_user(roles.NOMINATOR, org)
    dossier = make_dossier(round_, org, user)
    submitted = make_dossier(round_, org, user, state=states.SUBMITTED, full_name="Lê Thị Hoa")
    db.session.commit()
    general, award = (s.id for s in round_.standards)
    dossier_id, submitted_id, attachment_id = dossier.id, submitted.id, dossier.attachments[0].id
    nominator = app.test_client()
    login(nominator, user, PASSWORD)
    claims = {"claims-0-standard_id": str(award), "claims-0-claimed": "y", "claims-0-achievement": "0",
              "claims-0-attachment": str(attachment_id), "claims-0-note": "Giải Nhì"}

    def claim(data):
        accepted = post(nominator, f"/selection/dossiers/{dossier_id}/claims", data)
        if accepted and first(data, "claims-0-claimed"):
            assert db.session.scalar(select(func.count(StandardClaim.id))) <= 1
        return accepted

    fuzz(submissions(claims), claim, regressions=[{**claims, "claims-0-attachment": "9" * 100_000}])
    rows = {"rows-0-standard_id": str(general), "rows-0-verdict": "met", "rows-0-note": "",
            "rows-1-standard_id": str(award), "rows-1-verdict": "not_met", "rows-1-note": "Chưa có minh chứng"}

    def appraise(data):
        accepted = post(secretary, f"/selection/dossiers/{submitted_id}/appraisal", data)
        if accepted:
            verdicts = set(db.session.scalars(select(StandardAppraisal.verdict)))
            assert verdicts <= {"met", "not_met", "clarify"}
        return accepted

    fuzz(submissions(rows), appraise, regressions=[{**rows, "rows-1-verdict": "clarify", "rows-1-note": "\x00"}])
# ---------------------------------------------------------------- staff-list intake

def intake_files() -> dict:
    """The files a fuzzed upload picks from: a good list, one with a bad row, and bytes that are no workbook."""
    from tests.intake.test_intake import staff, workbook

    return {"good": workbook([staff(), staff("Trần Thị Bình", "02/03/1981")]),
            "bad row": workbook([staff(), staff("Trần Thị Bình", "31/02/1981")]),
            "not excel": b"PK\x03\x04 not really a zip"}


def test_fuzz_person_intake(app, secretary, monkeypatch):
    """The upload form: hostile values in the organisation field and the file's name, files good and bad."""
    import io

    from honours.intake.models import PersonIntake

    files = intake_files()
    organisation_id = str(make_org("Trường Đại học Kinh Bắc").id)
    monkeypatch.setitem(app.config, "IMPORT_RATE_LIMIT", 1_000_000)  # every example uploads
    strategy = st.tuples(submissions({"organisation_id": organisation_id, "filename": "danh-sach.xlsx"}),
                         st.sampled_from(sorted(files)))

    def example(value):
        fuzzed, kind = value
        name = first(fuzzed, "filename")
        data = {key: item for key, item in fuzzed.items() if key != "filename"}
        data["file"] = (io.BytesIO(files[kind]), name if isinstance(name, str) else "x.xlsx")
        intakes = count(PersonIntake)
        accepted = post(secretary, "/import/people/", data, ignored={"rate_limit_hit"})
        if accepted:
            assert kind == "good"
            assert count(PersonIntake) == intakes + 1
            assert newest(PersonIntake).rows == 2
        return accepted

    fuzz(strategy, example, regressions=[({"organisation_id": organisation_id, "filename": "\x00.xlsx"}, "good")])


# ---------------------------------------------------------------- certificate template

CERTIFICATE_TEMPLATE = {"title": "GIẤY CHỨNG NHẬN", "text": "Đã được tôn vinh danh hiệu Trí thức tiêu biểu",
                        "signer_capacity": "KT. CHỦ TỊCH", "signer_title": "PHÓ CHỦ TỊCH",
                        "signer_name": "Lê Văn Ký", "remove_logo": "y"}


def test_fuzz_certificate_template(app, secretary):
    from honours.certificates.models import CertificateTemplate

    round_id = make_round().id

    def example(data):
        accepted = post(secretary, f"/certificates/rounds/{round_id}", data)
        if accepted:
            template = newest(CertificateTemplate)
            assert template.round_id == round_id
            for name in ("title", "text", "signer_title"):
                assert getattr(template, name) == first(data, name).strip()
            assert template.signer_name == (first(data, "signer_name") or "").strip()
            assert template.logo_stored_name is None
        return accepted

    fuzz(submissions(CERTIFICATE_TEMPLATE), example, regressions=[
        {**CERTIFICATE_TEMPLATE, "title": "\x00"}, {**CERTIFICATE_TEMPLATE, "signer_name": "Lê\x00 Văn Ký"}])
