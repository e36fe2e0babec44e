"""The secretariat's inbox: the current round by default, state tabs with their counts, sortable columns (only
whitelisted keys reach ORDER BY), each field listed once, a bounded number of statements at two data sizes."""
import re
from datetime import timedelta

import pytest

from honours.core import clock, roles
from honours.core.db import db
from honours.nominations import states
from honours.rounds.services import current_round_id
from tests.conftest import login
from tests.core.test_query_counts import count_queries
from tests.factories import make_dossier, make_org, make_round, make_user


@pytest.fixture(scope="module")
def world(module_app):
    last_year = make_round(name="Đợt năm trước", opens_in_days=-400, closes_in_days=-340)
    last_year.published_at = clock.now() - timedelta(days=200)
    this_year = make_round(name="Đợt năm nay")
    org_a, org_b = make_org("Hội Luật gia"), make_org("Hội Kiến trúc sư")
    nominator = make_user(roles.NOMINATOR, org_a)
    make_dossier(last_year, org_a, nominator, state=states.PUBLISHED, full_name="Cũ Văn Một")
    rows = [("Trần Thị Bích", states.SUBMITTED, org_a, 1), ("Lê Văn An", states.RESUBMITTED, org_b, 0),
            ("Phạm Văn Cường", states.ELIGIBLE, org_b, 2), ("Hoàng Thị Dung", states.RETURNED, org_a, 1),
            ("Vũ Văn Em", states.INELIGIBLE, org_a, 0), ("Đỗ Văn Giang", states.UNDER_REVIEW, org_b, 0)]
    for i, (name, state, org, field) in enumerate(rows):
        d = make_dossier(this_year, org, nominator, state=state, full_name=name,
                         field_id=this_year.fields[field].id)
        d.submitted_at = clock.now() - timedelta(days=20 - i)
    db.session.commit()
    return {"last_year": last_year.id, "this_year": this_year.id,
            "fields": [f.id for f in this_year.fields], "secretary": make_user(roles.SECRETARIAT).email}


@pytest.fixture
def app(module_app, db_savepoint):
    return module_app


@pytest.fixture
def client(app, world):
    from sqlalchemy import select

    from honours.auth.models import User

    client = app.test_client()
    login(client, db.session.scalar(select(User).where(User.email == world["secretary"])))
    return client


def names(page: str) -> list[str]:
    return re.findall(r'<a href="/dossiers/\d+\?next=[^"]*">([^<]+)</a>', page)


def test_the_current_round_is_the_open_one(app, world):
    assert current_round_id() == world["this_year"]


def test_current_round_without_an_open_one(app, world):
    # After this year's nominations close it is still the current round (not published), not last year's.
    with clock.frozen(clock.now() + timedelta(days=60)):
        assert current_round_id() == world["this_year"]
    # Before any round opened: the next one to open that is not published (last year's is).
    with clock.frozen(clock.now() - timedelta(days=1000)):
        assert current_round_id() == world["this_year"]
    # Every round published: the newest.
    from honours.rounds.models import Round

    db.session.get(Round, world["this_year"]).published_at = clock.now()
    with clock.frozen(clock.now() + timedelta(days=60)):
        assert current_round_id() == world["this_year"]
    db.session.get(Round, world["this_year"]).published_at = None
    db.session.get(Round, world["last_year"]).published_at = None
    with clock.frozen(clock.now() + timedelta(days=60)):  # both unpublished, both closed: the newest started
        assert current_round_id() == world["this_year"]
    with clock.frozen(clock.now() - timedelta(days=1000)):  # none opened yet: the first to open
        assert current_round_id() == world["last_year"]


def test_the_inbox_opens_on_the_current_round(client, world):
    page = client.get("/eligibility/").get_data(as_text=True)
    assert "Cũ Văn Một" not in page and "Trần Thị Bích" in page
    assert re.search(rf'<option selected value="{world["this_year"]}">', page)
    everything = client.get("/eligibility/?round_id=0").get_data(as_text=True)
    assert "Cũ Văn Một" in everything


def test_waiting_dossiers_first_then_first_come(client):
    assert names(client.get("/eligibility/").get_data(as_text=True))[:2] == ["Trần Thị Bích", "Lê Văn An"]


def test_state_tabs_with_counts(client):
    page = client.get("/eligibility/").get_data(as_text=True)
    counts = dict(re.findall(r'<li><a href="[^"]*"[^>]*>([^<]+?) <span class="count">(\d+)</span>', page))
    assert counts == {"Tất cả": "6", "Chờ thẩm định": "2", "Yêu cầu bổ sung": "1", "Hợp lệ": "1",
                      "Không hợp lệ": "1", "Đã chuyển chấm điểm, xét chọn": "1"}
    waiting = client.get("/eligibility/?state=awaiting").get_data(as_text=True)
    assert sorted(names(waiting)) == ["Lê Văn An", "Trần Thị Bích"]
    assert 'aria-current="page">Chờ thẩm định' in waiting
    # The counts follow the other filters.
    page = client.get("/eligibility/?q=van").get_data(as_text=True)
    assert 'Tất cả <span class="count">4</span>' in page


def test_tabs_and_sort_keep_the_other_filters(client, world):
    page = client.get(f"/eligibility/?q=thi&field_id={world['fields'][1]}").get_data(as_text=True)
    tab = re.search(r'<a href="([^"]+)"[^>]*>Chờ thẩm định', page).group(1).replace("&amp;", "&")
    assert "q=thi" in tab and f"field_id={world['fields'][1]}" in tab and "state=awaiting" in tab
    header = re.search(r'<a href="([^"]+)">Người được đề cử', page).group(1).replace("&amp;", "&")
    assert "q=thi" in header and "sort=name" in header


def test_sortable_columns(client):
    by_name = names(client.get("/eligibility/?sort=name").get_data(as_text=True))
    assert by_name == sorted(by_name, key=lambda n: __import__("honours.core.text", fromlist=["fold"]).fold(n))
    assert names(client.get("/eligibility/?sort=-name").get_data(as_text=True)) == by_name[::-1]
    page = client.get("/eligibility/?sort=name").get_data(as_text=True)
    assert 'aria-sort="ascending"' in page
    by_org = names(client.get("/eligibility/?sort=organisation").get_data(as_text=True))
    assert by_org[:3] == ["Lê Văn An", "Phạm Văn Cường", "Đỗ Văn Giang"]  # Hội Kiến trúc sư first


@pytest.mark.parametrize("sort", ["id; drop table dossier", "password_hash", "-", "__class__"])
def test_an_unknown_sort_is_the_inbox_order(client, sort):
    response = client.get("/eligibility/", query_string={"sort": sort})
    assert response.status_code == 200
    assert names(response.get_data(as_text=True))[:2] == ["Trần Thị Bích", "Lê Văn An"]


def test_the_field_filter_lists_each_field_once(client, world):
    every_round = client.get("/eligibility/?round_id=0").get_data(as_text=True)
    options = re.search(r'<select[^>]*name="field_id".*?</select>', every_round, re.S).group(0)
    assert options.count(">Khoa học tự nhiên<") == 1 and options.count(">Y dược<") == 1
    # Chosen over every round, a field means its name: last year's dossier of that field is found too.
    first_field = re.search(r'<option value="(\d+)">Khoa học tự nhiên<', options).group(1)
    found = names(client.get(f"/eligibility/?round_id=0&field_id={first_field}").get_data(as_text=True))
    assert sorted(found) == ["Cũ Văn Một", "Lê Văn An", "Vũ Văn Em", "Đỗ Văn Giang"]


def add(world, count: int) -> None:
    from honours.rounds.models import Round
    from tests.core.test_query_counts import add_dossiers

    round_ = db.session.get(Round, world["this_year"])
    organisations = [make_org(f"Đơn vị thêm {count}-{i}") for i in range(max(3, count // 5))]
    add_dossiers(round_, organisations, make_user(roles.NOMINATOR, organisations[0]), count)


@pytest.mark.parametrize("url", ["/eligibility/", "/eligibility/?state=awaiting&sort=-submitted",
                                 "/eligibility/?round_id=0&sort=field", "/eligibility/?sort=organisation&page=2"])
def test_the_inbox_runs_a_bounded_number_of_statements(client, world, url):
    counted = []
    for size in (30, 80):  # page 2 has rows at both sizes
        add(world, size)
        client.get(url)
        with count_queries() as statements:
            assert client.get(url).status_code == 200
        counted.append(len(statements))
    assert counted[0] == counted[1] and counted[0] <= 16, counted  # 13 and the savepoint's own two


@pytest.mark.parametrize("query", [{}, {"state": "awaiting"}, {"state": states.ELIGIBLE}, {"state": states.SUBMITTED},
                                   {"state": "nonsense"},
                                   {"state": "later", "q": "van"}, {"round_id": "all"}, {"q": "thi"}])
def test_the_list_length_read_from_the_tab_counts_is_the_number_of_rows(app, world, query):
    from werkzeug.datastructures import MultiDict

    from honours.eligibility import services
    from honours.eligibility.views import _criteria

    with app.test_request_context():
        _form, criteria = _criteria(MultiDict(query))
    page, counts = services.inbox_page(criteria, 1, per_page=2)
    every = db.session.scalars(services.inbox_query(criteria)).all()
    assert page.total == len(every) and [d.id for d in page.items] == every[:2]
    assert page.pages == max(1, -(-len(every) // 2))
    if not query.get("state"):
        assert counts[""] == len(every)
