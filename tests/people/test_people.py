"""The intellectuals database: one record per person, search, profile, corrections, duplicates and merging."""
import re
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from honours.core import clock, roles
from honours.core.audit import AuditEntry
from honours.core.db import db
from honours.core.errors import RuleViolation, StaleEdit
from honours.core.reference import AGE_BANDS
from honours.directory import backfill, merging, services
from honours.directory.services import MINORITIES, NO, NO_TITLE, YES, PersonData, PersonFilter
from honours.nominations import states
from honours.nominations.models import Dossier
from honours.people import linking
from honours.people.models import Person
from honours.talent.models import ACTIVE, RETIRED, NeedMatch, PoolEntry, PoolReview, Referral, TalentNeed
from tests.conftest import login
from tests.factories import make_dossier, make_org, make_person, make_pool_entry, make_referral, make_round, make_user


def published_round(year: int, name: str | None = None):
    round_ = make_round(name=name or f"Trí thức Bắc Ninh tiêu biểu {year}")
    round_.year = year
    round_.published_at = datetime(year, 10, 10, 9, 0)
    db.session.commit()
    return round_


def found(criteria: PersonFilter, today: date | None = None) -> set[str]:
    return {p.full_name for p in db.session.scalars(services.search_query(criteria, today))}


@pytest.fixture
def secretary(app):
    return make_user(roles.SECRETARIAT)


@pytest.fixture
def setting(app):
    org = make_org("Hội Y học tỉnh Bắc Ninh")
    return org, make_user(roles.NOMINATOR, org)


# ---------------------------------------------------------------- one record per person

def test_linking_gives_one_record_per_person_and_leaves_the_uncertain_to_the_secretariat(app, setting):
    org, nominator = setting
    other_org = make_org("Sở Y tế tỉnh Bắc Ninh")
    round_ = make_round()
    first = make_dossier(round_, org, nominator, state=states.SUBMITTED)
    same = make_dossier(round_, other_org, nominator, state=states.SUBMITTED)
    unaccented = make_dossier(round_, other_org, nominator, state=states.SUBMITTED, full_name="Nguyen Van An")
    make_dossier(round_, org, nominator, state=states.DRAFT, full_name="Trần Thị Nháp")

    assert backfill.link_unlinked() == 3
    db.session.commit()

    assert first.person_id == same.person_id != unaccented.person_id
    assert db.session.scalar(select(func.count(Person.id))) == 2  # the draft stays private
    groups = merging.duplicate_groups().items
    assert [{p.id for p in g.persons} for g in groups] == [{first.person_id, unaccented.person_id}]


# ---------------------------------------------------------------- search

def test_search_filters_each_narrow_the_list(app, setting):
    org, nominator = setting
    other_org = make_org("Trường Đại học Kinh Bắc")
    make_person("Nguyễn Văn An", field="Y dược", degree="TS", academic_title="PGS", organisation_id=org.id)
    make_person("Trần Thị Bình", gender="female", ethnicity="Tày", field="Giáo dục", degree="ThS",
                organisation_id=other_org.id)
    make_person("Lò Văn Cường", ethnicity="Thái", field="Nông nghiệp", degree="TS", academic_title="GS",
                is_overseas=True)

    assert found(PersonFilter()) == {"Nguyễn Văn An", "Trần Thị Bình", "Lò Văn Cường"}
    assert found(PersonFilter(field="Giáo dục")) == {"Trần Thị Bình"}
    assert found(PersonFilter(degree="TS")) == {"Nguyễn Văn An", "Lò Văn Cường"}
    assert found(PersonFilter(academic_title="GS")) == {"Lò Văn Cường"}
    assert found(PersonFilter(academic_title=NO_TITLE)) == {"Trần Thị Bình"}
    assert found(PersonFilter(organisation_id=org.id)) == {"Nguyễn Văn An"}
    assert found(PersonFilter(gender="female")) == {"Trần Thị Bình"}
    assert found(PersonFilter(ethnicity="Tày")) == {"Trần Thị Bình"}
    assert found(PersonFilter(ethnicity=MINORITIES)) == {"Trần Thị Bình", "Lò Văn Cường"}
    assert found(PersonFilter(overseas=YES)) == {"Lò Văn Cường"}
    assert found(PersonFilter(overseas=NO)) == {"Nguyễn Văn An", "Trần Thị Bình"}
    assert found(PersonFilter(degree="TS", gender="male", overseas=NO)) == {"Nguyễn Văn An"}
    # A tampered value is ignored rather than matching nothing or failing.
    assert len(found(PersonFilter(degree="zzz", gender="x", age_band="old", honoured="maybe"))) == 3


def test_name_search_ignores_diacritics_and_case_and_escapes_wildcards(app):
    make_person("Nguyễn Văn An")
    make_person("Đặng Thị Đức Hạnh", gender="female")
    make_person("Trần 100% Thật")

    assert found(PersonFilter(q="nguyen van a")) == {"Nguyễn Văn An"}
    assert found(PersonFilter(q="NGUYỄN VĂN")) == {"Nguyễn Văn An"}
    assert found(PersonFilter(q="dang thi duc")) == {"Đặng Thị Đức Hạnh"}
    assert found(PersonFilter(q="đức hạnh")) == {"Đặng Thị Đức Hạnh"}
    assert found(PersonFilter(q="100%")) == {"Trần 100% Thật"}
    assert found(PersonFilter(q="%")) == {"Trần 100% Thật"}
    assert found(PersonFilter(q="_")) == set()


@pytest.mark.parametrize("today", [date(2026, 6, 15), date(2028, 2, 29), date(2027, 2, 28), date(2027, 3, 1)])
def test_age_bands_agree_with_the_age_in_completed_years(app, today):
    births = set()
    for band in AGE_BANDS.values():
        for age in (band[1], band[2]):
            for years in (age, age + 1):
                anniversary = services.years_before(today, years)
                births |= {anniversary - timedelta(days=1), anniversary, anniversary + timedelta(days=1)}
    births |= {date(1996, 2, 29), date(1992, 2, 29), date(1964, 2, 29)}
    persons = [make_person(f"Người Thử {i}", born)
               for i, born in enumerate(sorted(births)) if 1900 < born.year and born < today]

    for key, (_label, youngest, oldest) in AGE_BANDS.items():
        expected = {p.full_name for p in persons if youngest <= p.age_on(today) <= oldest}
        assert found(PersonFilter(age_band=key), today) == expected, key
    assert sum(len(found(PersonFilter(age_band=key), today)) for key in AGE_BANDS) == len(persons)


def test_age_band_follows_the_clock(app):
    make_person("Trẻ Tuổi", date(1991, 6, 16))  # 34 on 15/06/2026, 35 the next day
    assert found(PersonFilter(age_band="under_35")) == {"Trẻ Tuổi"}
    with clock.frozen(datetime(2026, 6, 16, 8, 0)):
        assert found(PersonFilter(age_band="under_35")) == set()
        assert found(PersonFilter(age_band="35_44")) == {"Trẻ Tuổi"}


def test_honoured_means_published_in_a_published_round(app, setting):
    org, nominator = setting
    past = published_round(2025)
    current = make_round()
    honoured = make_person("Người Được Tôn Vinh")
    approved_only = make_person("Người Chờ Công Bố")
    never = make_person("Người Chưa Đề Cử")
    make_dossier(past, org, nominator, state=states.PUBLISHED, full_name=honoured.full_name, person_id=honoured.id)
    make_dossier(current, org, nominator, state=states.APPROVED, full_name=approved_only.full_name,
                 person_id=approved_only.id)
    # Published state in a round whose list is not out (cannot happen through the services; the rule still holds).
    make_dossier(current, org, nominator, state=states.PUBLISHED, full_name=approved_only.full_name,
                 person_id=approved_only.id)

    assert found(PersonFilter(honoured=YES)) == {honoured.full_name}
    assert found(PersonFilter(honoured=NO)) == {approved_only.full_name, never.full_name}
    assert services.honoured_years([honoured.id, approved_only.id]) == {honoured.id: [2025]}


def test_tombstones_never_appear_in_search(app):
    survivor = make_person("Nguyễn Văn An")
    make_person("Nguyen Van An", merged_into_id=survivor.id)
    assert found(PersonFilter(q="nguyen van an")) == {"Nguyễn Văn An"}


def test_search_page_is_paginated_in_vietnamese_name_order(app, client, secretary):
    for i in range(services.PER_PAGE + 5):
        make_person(f"Nguyễn Văn Tên{i:02d}")
    make_person("Trần Thị Anh", gender="female")  # given name "Anh" sorts first
    login(client, secretary)

    first = client.get("/tri-thuc/").get_data(as_text=True)
    assert "Tìm thấy 31 trí thức" in first
    assert first.index("Trần Thị Anh") < first.index("Nguyễn Văn Tên00")
    assert "Nguyễn Văn Tên23" in first and "Nguyễn Văn Tên24" not in first
    second = client.get("/tri-thuc/?page=2").get_data(as_text=True)
    assert "Nguyễn Văn Tên24" in second and "Nguyễn Văn Tên29" in second and "Trần Thị Anh" not in second

    filtered = client.get("/tri-thuc/?q=ten2&gender=male&degree=zzz").get_data(as_text=True)
    assert "Tìm thấy 10 trí thức" in filtered and "Nguyễn Văn Tên13" not in filtered
    assert client.get("/tri-thuc/?page=99").status_code == 200


# ---------------------------------------------------------------- profile

def test_profile_shows_nominations_honours_referrals_pool_and_history(app, client, setting, secretary):
    org, nominator = setting
    past, current = published_round(2025), make_round()
    person = make_person("Nguyễn Thị Hồ Sơ", gender="female", workplace="Bệnh viện Đa khoa tỉnh")
    make_dossier(past, org, nominator, state=states.PUBLISHED, full_name=person.full_name, person_id=person.id)
    make_dossier(current, org, nominator, state=states.ELIGIBLE, full_name=person.full_name, person_id=person.id)
    entry = make_pool_entry(person, secretary)
    make_referral(person, org, nominator, state="accepted", pool_entry_id=entry.id)
    login(client, secretary)
    client.post(f"/tri-thuc/{person.id}/edit", data={
        "version": person.version, "full_name": person.full_name, "gender": "female", "date_of_birth": "20/05/1975",
        "ethnicity": "Kinh", "academic_title": "", "degree": "TS", "workplace": "Sở Y tế tỉnh Bắc Ninh"})

    page = client.get(f"/tri-thuc/{person.id}").get_data(as_text=True)
    assert "Trí thức Bắc Ninh tiêu biểu 2025 (2025)" in page  # the honour
    assert "Trí thức Bắc Ninh tiêu biểu 2026" in page and "Hợp lệ" in page and "Đã công bố" in page
    assert "Đã vào nguồn nhân tài" in page and "Đang theo dõi" in page  # referral state, pool status
    assert "Bệnh viện Đa khoa tỉnh → Sở Y tế tỉnh Bắc Ninh" in page  # audit history


def test_profile_of_a_merged_record_leads_to_the_survivor(app, client, secretary):
    survivor = make_person("Nguyễn Văn An")
    gone = make_person("Nguyen Van An", merged_into_id=survivor.id)
    login(client, secretary)
    for suffix in ("", "/edit"):
        response = client.get(f"/tri-thuc/{gone.id}{suffix}")
        assert response.status_code == 302
        assert response.headers["Location"].endswith(f"/tri-thuc/{survivor.id}{suffix}")
    assert client.get("/tri-thuc/999999").status_code == 404


# ---------------------------------------------------------------- corrections

def edit_form(person, **changes) -> dict:
    data = {"version": person.version, "full_name": person.full_name, "gender": person.gender,
            "date_of_birth": person.date_of_birth.strftime("%d/%m/%Y"), "ethnicity": person.ethnicity,
            "hometown": person.hometown, "workplace": person.workplace, "position": person.position,
            "academic_title": person.academic_title, "degree": person.degree, "field": person.field,
            "expertise": person.expertise, "email": person.email, "phone": person.phone}
    data.update(changes)
    return data


def test_secretariat_corrects_a_record_and_the_change_is_audited(app, client, secretary):
    person = make_person("Nguyen Van An", workplace="Viện cũ")
    login(client, secretary)
    response = client.post(f"/tri-thuc/{person.id}/edit", data=edit_form(
        person, full_name="Nguyễn  Văn  An", workplace="Viện mới", consent_national_db="y", degree="TS"))
    assert response.status_code == 302

    db.session.expire_all()
    person = db.session.get(Person, person.id)
    assert (person.full_name, person.name_folded, person.sort_key) == ("Nguyễn Văn An", "nguyen van an",
                                                                        "an van nguyen")
    assert person.workplace == "Viện mới" and person.consent_national_db and person.degree == "TS"
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.entity_type == "person")).one()
    assert entry.action == "update" and entry.actor_id == secretary.id
    assert "Viện cũ → Viện mới" in entry.reason and "Nguyen Van An → Nguyễn Văn An" in entry.reason


def test_a_correction_from_a_stale_form_is_refused(app, client, secretary):
    person = make_person(workplace="Viện A")
    stale = edit_form(person, workplace="Viện của tab cũ")
    services.update_profile(secretary, person, PersonData(
        full_name=person.full_name, gender="male", date_of_birth=person.date_of_birth, ethnicity="Kinh",
        workplace="Viện B"), person.version)
    login(client, secretary)

    response = client.post(f"/tri-thuc/{person.id}/edit", data=stale)
    assert response.status_code == 409
    assert "Viện của tab cũ" in response.get_data(as_text=True)  # what was typed is still there
    db.session.expire_all()
    assert db.session.get(Person, person.id).workplace == "Viện B"


def test_bad_corrections_are_refused_with_the_form_kept(app, client, secretary):
    person = make_person()
    login(client, secretary)
    response = client.post(f"/tri-thuc/{person.id}/edit", data=edit_form(
        person, date_of_birth="31/02/1975", workplace="Đã gõ"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "dd/mm/yyyy" in page and "Đã gõ" in page
    response = client.post(f"/tri-thuc/{person.id}/edit", data=edit_form(person, date_of_birth="20/05/2030"))
    assert response.status_code == 422 and "Ngày sinh không hợp lệ" in response.get_data(as_text=True)
    response = client.post(f"/tri-thuc/{person.id}/edit", data=edit_form(person, ethnicity="Không có"))
    assert response.status_code == 422
    db.session.expire_all()
    assert db.session.get(Person, person.id).workplace == ""


def test_only_the_secretariat_corrects_and_a_tombstone_cannot_be_corrected(app, secretary):
    person = make_person()
    tombstone = make_person("Nguyen Van An", merged_into_id=person.id)
    data = PersonData(full_name="Tên Mới", gender="male", date_of_birth=date(1975, 5, 20), ethnicity="Kinh")
    with pytest.raises(RuleViolation):
        services.update_profile(make_user(roles.ADMIN), person, data)
    with pytest.raises(RuleViolation):
        services.update_profile(secretary, tombstone, data)


# ---------------------------------------------------------------- duplicates

def test_duplicates_group_live_records_by_folded_name_and_birth_date(app, client, secretary, setting):
    org, nominator = setting
    a = make_person("Nguyễn Văn An")
    b = make_person("Nguyen Van An")
    c = make_person("NGUYỄN VĂN AN")
    make_person("Nguyễn Văn An", date(1980, 1, 1))  # a namesake born another day
    make_person("Nguyen Van An", merged_into_id=a.id)  # already merged
    d = make_person("Trần Thị Bình", gender="female")
    e = make_person("Tran Thi Binh", gender="female")
    make_dossier(make_round(), org, nominator, state=states.SUBMITTED, person_id=b.id)

    groups = merging.duplicate_groups().items
    assert [[p.id for p in g.persons] for g in groups] == [[a.id, b.id, c.id], [d.id, e.id]]  # "An" before "Bình"
    assert groups[0].counts[b.id] == (1, 0)

    login(client, secretary)
    page = client.get("/tri-thuc/duplicates").get_data(as_text=True)
    assert f"/tri-thuc/{a.id}/merge/{b.id}" in page and f"/tri-thuc/{a.id}/merge/{c.id}" in page
    assert f"/tri-thuc/{d.id}/merge/{e.id}" in page


def test_duplicates_are_paginated_by_group(app):
    for i in range(services.PER_PAGE + 2):
        make_person(f"Nguyễn Văn Trùng {i:02d}")
        make_person(f"Nguyen Van Trung {i:02d}")
    first, second = merging.duplicate_groups(1), merging.duplicate_groups(2)
    # Nothing counts every group: a page knows whether another follows.
    assert first.has_next and first.pages == 2 and not second.has_next and second.has_prev
    assert len(first.items) == services.PER_PAGE and len(second.items) == 2
    folded = [g.persons[0].name_folded for g in first.items + second.items]
    assert folded == sorted(folded)  # the order of ix_person_identity
    assert all(len(g.persons) == 2 for g in first.items + second.items)


# ---------------------------------------------------------------- merging

@pytest.fixture
def linked_pair(app, setting, secretary):
    """Two records of one person, each with nominations, an honour, referrals and a pool entry with reviews and
    need matches (one need matched on both sides), and an older tombstone merged into the second one."""
    org, nominator = setting
    past, current = published_round(2025), make_round()
    survivor = make_person("Nguyễn Văn An", workplace="", email="", phone="0912 000 111")
    other = make_person("Nguyen Van An", workplace="Bệnh viện tỉnh", email="an@example.vn", phone="0988 000 000",
                        hometown="Từ Sơn", consent_national_db=True)
    older = make_person("Nguyễn Văn  An", merged_into_id=other.id)
    dossiers = {
        "survivor_current": make_dossier(current, org, nominator, state=states.SUBMITTED, person_id=survivor.id),
        "other_honour": make_dossier(past, org, nominator, state=states.PUBLISHED, full_name=other.full_name,
                                     person_id=other.id),
        "other_current": make_dossier(current, make_org(), nominator, state=states.ELIGIBLE, person_id=other.id),
    }
    kept, dropped = make_pool_entry(survivor, secretary, notes=""), make_pool_entry(
        other, secretary, status=RETIRED, notes="Đã liên hệ năm 2025", proposed_role="Chuyên gia tư vấn")
    referrals = [make_referral(survivor, org, nominator, pool_entry_id=kept.id),
                 make_referral(other, org, nominator, pool_entry_id=dropped.id),
                 make_referral(other, org, nominator, state="declined")]
    db.session.add(PoolReview(entry_id=dropped.id, decision="keep", reviewed_by_id=secretary.id))
    needs = [TalentNeed(title=f"Nhu cầu {i}", field="Y dược", deadline=date(2026, 12, 31), posted_by_id=secretary.id)
             for i in range(3)]
    db.session.add_all(needs)
    db.session.flush()
    db.session.add_all([
        NeedMatch(need_id=needs[0].id, entry_id=kept.id, created_by_id=secretary.id, note="Phù hợp"),
        NeedMatch(need_id=needs[0].id, entry_id=dropped.id, created_by_id=secretary.id, note="Đã gọi điện"),
        NeedMatch(need_id=needs[1].id, entry_id=dropped.id, created_by_id=secretary.id, outcome="engaged"),
    ])
    db.session.commit()
    return {"survivor": survivor, "other": other, "older": older, "dossiers": dossiers, "referrals": referrals,
            "kept": kept, "dropped": dropped, "needs": needs}


def test_merge_keeps_every_link(app, client, secretary, linked_pair):
    survivor, other, older = linked_pair["survivor"], linked_pair["other"], linked_pair["older"]
    kept, dropped_id = linked_pair["kept"], linked_pair["dropped"].id
    login(client, secretary)
    screen = client.get(f"/tri-thuc/{other.id}/merge/{survivor.id}").get_data(as_text=True)
    assert "Nguyen Van An" in screen and "Bệnh viện tỉnh" in screen and "2025" in screen

    response = client.post(f"/tri-thuc/{other.id}/merge/{survivor.id}", data={
        "survivor_id": survivor.id, "version_a": other.version, "version_b": survivor.version})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/tri-thuc/{survivor.id}")

    db.session.expire_all()
    survivor, other, older = (db.session.get(Person, p.id) for p in (survivor, other, older))
    assert {d.person_id for d in linked_pair["dossiers"].values()} == {survivor.id}  # nominations and the honour
    assert services.honoured_years([survivor.id]) == {survivor.id: [2025]}
    assert {r.person_id for r in linked_pair["referrals"]} == {survivor.id}
    assert db.session.get(PoolEntry, dropped_id) is None
    entry = db.session.scalars(select(PoolEntry).where(PoolEntry.person_id == survivor.id)).one()
    assert entry.id == kept.id
    assert {r.pool_entry_id for r in linked_pair["referrals"][:2]} == {kept.id}
    assert [r.decision for r in db.session.scalars(select(PoolReview).where(PoolReview.entry_id == kept.id))] == [
        "keep"]
    matches = db.session.scalars(select(NeedMatch).order_by(NeedMatch.need_id)).all()
    assert [(m.need_id, m.entry_id) for m in matches] == [(linked_pair["needs"][0].id, kept.id),
                                                          (linked_pair["needs"][1].id, kept.id)]
    assert matches[0].note == "Phù hợp\nĐã gọi điện" and matches[1].outcome == "engaged"
    # The survivor keeps its own data, takes what it lacked, and the consent of either record.
    assert survivor.phone == "0912 000 111" and survivor.workplace == "Bệnh viện tỉnh"
    assert survivor.email == "an@example.vn" and survivor.hometown == "Từ Sơn" and survivor.consent_national_db
    assert entry.notes == "Đã liên hệ năm 2025" and entry.proposed_role == "Chuyên gia tư vấn"
    assert entry.status == ACTIVE
    # Both old records are tombstones of the survivor; nothing points at a tombstone.
    assert other.merged_into_id == survivor.id and older.merged_into_id == survivor.id
    assert db.session.scalar(select(func.count(Dossier.id)).where(Dossier.person_id != survivor.id)) == 0
    actions = {(e.entity_id, e.action) for e in db.session.scalars(
        select(AuditEntry).where(AuditEntry.entity_type == "person"))}
    assert actions == {(survivor.id, "merge"), (other.id, "merged_into")}

    profile = client.get(f"/tri-thuc/{survivor.id}").get_data(as_text=True)
    assert "Trí thức Bắc Ninh tiêu biểu 2025 (2025)" in profile and f"#{other.id}" in profile
    assert client.get(f"/tri-thuc/{older.id}").headers["Location"].endswith(f"/tri-thuc/{survivor.id}")
    assert merging.duplicate_groups().total == 0


def test_merge_moves_a_pool_entry_only_the_other_record_has(app, secretary, setting):
    org, nominator = setting
    survivor, other = make_person(), make_person("Nguyen Van An")
    entry = make_pool_entry(other, secretary)
    referral = make_referral(other, org, nominator, pool_entry_id=entry.id)

    merging.merge(secretary, survivor.id, other.id)

    db.session.expire_all()
    assert db.session.get(PoolEntry, entry.id).person_id == survivor.id
    assert db.session.get(Referral, referral.id).pool_entry_id == entry.id
    assert services.active_in_pool([survivor.id]) == {survivor.id}


def test_merge_refusals(app, secretary):
    a, b = make_person(), make_person("Nguyen Van An")
    tombstone = make_person("Nguyễn Văn An ", merged_into_id=a.id)
    with pytest.raises(RuleViolation, match="chính nó"):
        merging.merge(secretary, a.id, a.id)
    for survivor_id, other_id in ((a.id, tombstone.id), (tombstone.id, b.id)):
        with pytest.raises(RuleViolation, match="đã được gộp"):
            merging.merge(secretary, survivor_id, other_id)
    with pytest.raises(RuleViolation):
        merging.merge(make_user(roles.COUNCIL), a.id, b.id)
    with pytest.raises(StaleEdit):
        merging.merge(secretary, a.id, b.id, {a.id: a.version + 1, b.id: b.version})
    db.session.expire_all()
    assert db.session.get(Person, b.id).merged_into_id is None


def test_merge_screen_refuses_bad_pairs_and_keeps_the_choice_on_errors(app, client, secretary):
    a, b = make_person(), make_person("Nguyen Van An")
    tombstone = make_person("Nguyễn Văn An ", merged_into_id=a.id)
    login(client, secretary)
    for url in (f"/tri-thuc/{a.id}/merge/{a.id}", f"/tri-thuc/{a.id}/merge/{tombstone.id}"):
        response = client.get(url)
        assert response.status_code == 302 and response.headers["Location"].endswith("/tri-thuc/duplicates")
    assert client.post(f"/tri-thuc/{a.id}/merge/{b.id}", data={"survivor_id": 12345}).status_code == 422
    stale = client.post(f"/tri-thuc/{a.id}/merge/{b.id}", data={
        "survivor_id": b.id, "version_a": a.version + 1, "version_b": b.version})
    assert stale.status_code == 409 and "người khác thay đổi" in stale.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Person, a.id).merged_into_id is None
    assert db.session.get(Person, b.id).merged_into_id is None


def test_a_nomination_of_a_merged_record_joins_the_survivor(app, setting, secretary):
    """A dossier linked before a merge and submitted again afterwards (resubmission) stays with the survivor."""
    org, nominator = setting
    survivor, other = make_person(), make_person("Nguyen Van An")
    dossier = make_dossier(make_round(), org, nominator, state=states.SUBMITTED, full_name="Nguyen Van An",
                           person_id=other.id)
    merging.merge(secretary, survivor.id, other.id)
    stale = db.session.get(Dossier, dossier.id)
    stale.person_id = other.id  # as if read just before the merge
    db.session.flush()
    linking.link(stale)
    db.session.flush()
    assert stale.person_id == survivor.id


def test_the_merge_screen_suggests_keeping_the_honoured_accented_record(app, client, secretary, setting):
    org, nominator = setting
    plain, accented = make_person("Nguyen Van An"), make_person("Nguyễn Văn An")
    login(client, secretary)
    page = client.get(f"/tri-thuc/{plain.id}/merge/{accented.id}").get_data(as_text=True)
    assert re.search(rf'<input checked id="survivor_id-1" [^>]*value="{accented.id}"', page)
    make_dossier(published_round(2025), org, nominator, state=states.PUBLISHED, full_name=plain.full_name,
                 person_id=plain.id)
    comparison = merging.compare(accented, plain)
    assert comparison.suggested_survivor.id == plain.id


def test_two_secretaries_merging_the_same_pair_at_once_cannot_split_the_links(app, setting):
    """A into B and B into A at the same moment: one merge wins, the other is refused; no link dangles."""
    import threading

    org, nominator = setting
    a, b = make_person(), make_person("Nguyen Van An")
    round_ = make_round()
    for person in (a, b):
        make_dossier(round_, org, nominator, state=states.SUBMITTED, full_name=person.full_name, person_id=person.id)
    clients = []
    for _ in range(2):
        client = app.test_client()
        login(client, make_user(roles.SECRETARIAT))
        clients.append(client)
    start, statuses = threading.Barrier(2), []

    versions = {a.id: a.version, b.id: b.version}

    def merge(client, survivor, other):
        with app.app_context():
            start.wait()
            response = client.post(f"/tri-thuc/{survivor}/merge/{other}",
                                   data={"survivor_id": survivor, "version_a": versions[survivor],
                                         "version_b": versions[other]})
            statuses.append(response.status_code)

    threads = [threading.Thread(target=merge, args=(clients[0], a.id, b.id)),
               threading.Thread(target=merge, args=(clients[1], b.id, a.id))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    # The loser is refused (stale: the pair changed under it), or, arriving late, sent back to the duplicates list.
    assert len(statuses) == 2 and set(statuses) <= {302, 409, 422}
    db.session.expire_all()
    (live,) = db.session.scalars(select(Person).where(Person.merged_into_id.is_(None))).all()
    assert {d.person_id for d in db.session.scalars(select(Dossier))} == {live.id}
    merges = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "merge")).all()
    assert [entry.entity_id for entry in merges] == [live.id]


def test_a_new_nomination_spelt_like_a_merged_duplicate_joins_the_survivor(app, setting, secretary):
    org, nominator = setting
    survivor, other = make_person(), make_person("Nguyen Van An")
    merging.merge(secretary, survivor.id, other.id)
    dossier = make_dossier(make_round(), org, nominator, state=states.SUBMITTED, full_name="Nguyen Van An")
    linking.link(dossier)
    db.session.commit()
    assert dossier.person_id == survivor.id
    assert merging.duplicate_groups().total == 0


def test_the_people_link_command_backfills_older_dossiers_once(app):
    organisation = make_org()
    nominator = make_user("nominator", organisation=organisation)
    round_ = make_round()
    make_dossier(round_, organisation, nominator, state="eligible", full_name="Đỗ Thị Cũ")
    make_dossier(round_, organisation, nominator, full_name="Nháp Chưa Nộp")  # drafts stay out
    runner = app.test_cli_runner()
    assert "linked=1" in runner.invoke(args=["people", "link"]).output
    assert "linked=0" in runner.invoke(args=["people", "link"]).output
    db.session.expire_all()
    assert [p.full_name for p in db.session.scalars(select(Person))] == ["Đỗ Thị Cũ"]
    assert db.session.scalar(select(Dossier).where(Dossier.full_name == "Đỗ Thị Cũ")).person_id is not None


def test_a_count_past_the_cap_says_so_and_pages_stop(app, client, monkeypatch):
    monkeypatch.setattr(services, "COUNT_CAP", 4)
    monkeypatch.setattr(services, "MAX_PAGES", 2)
    monkeypatch.setattr(services, "PER_PAGE", 2)
    for i in range(7):
        make_person(f"Phạm Văn Đông {i}")
    results = services.search(services.PersonFilter(q="pham"), page=9)
    assert results.capped and results.page.total == 4 and results.page.page == 2 and len(results.page.items) == 2
    assert not results.page.has_next
    exact = services.search(services.PersonFilter(q="dong 3"))
    assert not exact.capped and exact.page.total == 1
    login(client, make_user(roles.SECRETARIAT))
    page = client.get("/tri-thuc/?q=pham").get_data(as_text=True)
    assert "hơn 4" in page and "Hãy thêm điều kiện lọc" in page


def test_the_secretariat_corrects_the_citizen_number_and_the_log_never_shows_it(app):
    secretary = make_user(roles.SECRETARIAT)
    person = make_person("Vũ Thị Ngân", citizen_id="027180000001")
    data = PersonData(**{name: getattr(person, name) for name in services.EDITABLE})
    data.citizen_id = "0271 8000 0002"
    assert services.update_profile(secretary, person, data) == ["citizen_id"]
    assert db.session.get(Person, person.id).citizen_id == "027180000002"
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.entity_type == "person")).one()
    assert "0271" not in entry.reason and "Số định danh cá nhân" in entry.reason
    data.citizen_id = "12345"
    with pytest.raises(RuleViolation):
        services.update_profile(secretary, person, data)
    data.citizen_id = ""
    assert services.update_profile(secretary, person, data) == ["citizen_id"]
    assert db.session.get(Person, person.id).citizen_id is None


def test_an_accepted_citizen_number_is_not_written_into_the_log(app):
    from honours.directory import proposals
    from tests.factories import make_change_proposal

    secretary = make_user(roles.SECRETARIAT)
    org = make_org("Hội Thử")
    nominator = make_user(roles.NOMINATOR, org)
    person = make_person("Vũ Văn Ngọc")
    dossier = make_dossier(make_round(), org, nominator, full_name=person.full_name, with_attachment=False)
    proposal = make_change_proposal(person, dossier, "citizen_id", "027080009999")
    proposals.decide(secretary, proposal.id, proposals.ACCEPT)
    assert db.session.get(Person, person.id).citizen_id == "027080009999"
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "accept_change")).one()
    assert "9999" not in entry.reason
