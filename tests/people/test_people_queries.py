"""The intellectuals database pages run a bounded number of SQL statements whatever the data size (no N+1)."""
import pytest

from honours.core import roles
from honours.core.db import db
from honours.core.text import name_sort_key
from honours.intake.models import PersonIntake
from honours.nominations import states
from tests.conftest import login, wipe
from tests.core.test_query_counts import queries_for
from tests.factories import make_dossier, make_org, make_person, make_pool_entry, make_referral, make_round, make_user
from tests.people.test_people import published_round


def build(size: int):
    """`size` persons (each pair a duplicate), with organisations, honours and pool entries growing with them."""
    organisations = [make_org(f"Đơn vị {size}-{i}") for i in range(max(3, size // 5))]
    nominator = make_user(roles.NOMINATOR, organisations[0])
    secretary = make_user(roles.SECRETARIAT)
    round_ = published_round(2025)
    for i in range(size):
        org = organisations[i % len(organisations)]
        name = f"Nguyễn Văn Thử {i // 2}" if i % 2 else f"Nguyen Van Thu {i // 2}"
        person = make_person(name, organisation_id=org.id, field="Y dược", degree="TS")
        if i % 3 == 0:
            make_dossier(round_, org, nominator, state=states.PUBLISHED, full_name=name, person_id=person.id,
                         with_attachment=False)
        if i % 4 == 0:
            make_pool_entry(person, secretary)
        if i % 10 == 0:  # staff lists loaded, for the intake page's history
            db.session.add(PersonIntake(organisation_id=org.id, created_by_id=nominator.id, filename=f"{i}.xlsx"))
    db.session.commit()
    return secretary


PAGES = [
    "/tri-thuc/",
    "/tri-thuc/?page=2",
    "/tri-thuc/?q=van thu&page=2",
    "/tri-thuc/?field=Y dược&degree=TS&page=2",
    "/import/people/",
    "/tri-thuc/?q=nguyen&honoured=yes&age_band=45_54&degree=TS&ethnicity=minorities&overseas=no",
    "/tri-thuc/duplicates",
]


@pytest.mark.parametrize("url", PAGES)
def test_people_lists_run_the_same_queries_for_30_and_90_persons(app, url):
    counts = []
    for size in (30, 90):
        secretary = build(size)
        counts.append(queries_for(app, secretary, url))
        db.session.close()  # end this session's transaction, or PostgreSQL's TRUNCATE waits for it forever
        wipe(app)
    assert counts[0] == counts[1], f"{url}: {counts[0]} queries with 30 persons, {counts[1]} with 90"
    assert counts[0] <= 12


@pytest.mark.parametrize("url", ["/tri-thuc/", "/tri-thuc/?q=nguyen&page=2"])
def test_a_capped_count_runs_the_same_queries_at_both_sizes(app, url, monkeypatch):
    """Past the cap the page stops counting (and PostgreSQL may add its estimate): still one fixed number."""
    from honours.directory import services

    monkeypatch.setattr(services, "COUNT_CAP", 10)
    monkeypatch.setattr(services, "MAX_PAGES", 3)
    counts = []
    for size in (30, 90):
        secretary = build(size)
        response_counts = queries_for(app, secretary, url)
        counts.append(response_counts)
        db.session.close()
        wipe(app)
    assert counts[0] == counts[1], counts


def test_profile_page_is_bounded_whatever_its_links(app):
    counts = []
    for links in (1, 12):
        org = make_org(f"Hội {links}")
        nominator = make_user(roles.NOMINATOR, org)
        secretary = make_user(roles.SECRETARIAT)
        person = make_person(f"Người {links}")
        entry = make_pool_entry(person, secretary)
        for i in range(links):
            round_ = published_round(2000 + i, name=f"Đợt {links}-{i}")
            make_dossier(round_, make_org(f"Hội {links}-{i}"), nominator, state=states.PUBLISHED,
                         full_name=person.full_name, person_id=person.id, with_attachment=False)
            make_referral(person, make_org(f"Viện {links}-{i}"), nominator, pool_entry_id=entry.id)
            make_person(f"Ngươi {links}", merged_into_id=person.id)
        counts.append(queries_for(app, secretary, f"/tri-thuc/{person.id}"))
    assert counts[0] == counts[1], counts


def test_merge_screen_is_bounded(app):
    counts = []
    for links in (1, 10):
        org = make_org(f"Hội {links}")
        nominator = make_user(roles.NOMINATOR, org)
        secretary = make_user(roles.SECRETARIAT)
        first, second = make_person(f"Người {links}"), make_person(f"Nguoi {links}")
        for i in range(links):
            make_dossier(make_round(name=f"Đợt {links}-{i}"), org, nominator, state=states.SUBMITTED,
                         person_id=first.id, with_attachment=False)
            make_referral(second, org, nominator)
        counts.append(queries_for(app, secretary, f"/tri-thuc/{first.id}/merge/{second.id}"))
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize("plan_cap", [1_000, 2])
def test_a_search_pages_in_name_order_unless_it_has_very_many_matches(app, client, monkeypatch, plan_cap):
    """Few matches are counted and sorted by name in one pass (services._few_matches); more than PLAN_CAP are
    shown newest first, since sorting them all by name would take too long."""
    from honours.directory import services

    monkeypatch.setattr(services, "PLAN_CAP", plan_cap)
    monkeypatch.setattr(services, "PER_PAGE", 2)
    for name in ("Trần Văn Hùng", "Lê Thị Nhung", "Nguyễn Hùng Anh", "Phạm Văn Hưng", "Vũ Thị Lan"):
        make_person(name)
    statements = []
    from sqlalchemy import event

    def seen(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        pages = [services.search(services.PersonFilter(q="hung"), page) for page in (1, 2)]
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    names = [person.full_name for result in pages for person in result.page.items]
    matches = ("Trần Văn Hùng", "Lê Thị Nhung", "Nguyễn Hùng Anh", "Phạm Văn Hưng")  # in the order of their ids
    assert len(statements) == 2 * 4  # the same number of statements either way
    if plan_cap > 3:
        assert names == sorted(matches, key=name_sort_key)  # given name first: Anh, Hùng, Hưng, Nhung
    else:  # more matches than the plan's cap: newest first, and the page says so
        assert names == list(reversed(matches)) and not pages[0].name_order
    login(client, make_user(roles.SECRETARIAT))
    page = client.get("/tri-thuc/?q=hung").get_data(as_text=True)
    assert ("xếp theo hồ sơ mới nhất, không theo tên" in page) == (plan_cap <= 3)


def test_postgresql_plans_every_query_with_its_values(app):
    """No server-side prepared statements (honours.core.db): a generic plan of the name search scans the table."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only")
    with db.engine.connect() as connection:
        assert connection.connection.dbapi_connection.prepare_threshold is None
