"""Each role's home page is a to-do list: counts from the data, each linking to the list of those items."""
import re
from datetime import timedelta
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from honours.auth.invitations import unusable_password
from honours.core import clock, roles
from honours.core.db import db
from honours.council.models import BallotReceipt, CouncilSession
from honours.home import todo
from honours.nominations import states
from honours.nominations.models import Dossier
from honours.reviews.models import ScoreSheet
from honours.talent.models import DRAFT, SUBMITTED, PoolEntry
from tests.conftest import login
from tests.factories import make_dossier, make_person, make_pool_entry, make_referral, make_user
from tests.home.world import build, expected

ITEM = re.compile(r'<li class="todo-item[^"]*" id="todo-([\w-]+)"[^>]*>\s*<a href="([^"]*)"><span class="todo-count">(\d+)</span>')


@pytest.fixture(scope="module")
def world(module_app):
    """Its objects are detached with their columns loaded (ids, names, dates); tests load what they change."""
    world = build()
    for obj in [world.nominator, world.unlimited_nominator, world.secretary, world.admin, world.member,
                world.voted_member, world.absent_member, *world.rounds.values(), *(d for ds in world.dossiers.values() for d in ds)]:
        db.session.refresh(obj)
    db.session.expunge_all()
    return world


def fresh(obj):
    return db.session.get(type(obj), obj.id)


@pytest.fixture
def app(module_app, db_savepoint, world):
    return module_app


def shown(html: str) -> dict[str, tuple[int, str]]:
    """{item key: (count, link)} as the page shows them."""
    return {key: (int(count), unescape(link)) for key, link, count in ITEM.findall(html)}


def home_of(app, user) -> str:
    client = app.test_client()
    login(client, user)
    response = client.get("/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def user_of(world, role):
    return {roles.NOMINATOR: world.nominator, roles.COUNCIL: world.member, roles.SECRETARIAT: world.secretary,
            roles.ADMIN: world.admin}[role]


def items_of(user) -> dict[str, int]:
    work = todo.for_role(db.session.get(type(user), user.id))
    sections = work if isinstance(work, list) else work.sections
    return {item.key: item.count for section in sections for item in section.items}


@pytest.mark.parametrize("role", [roles.NOMINATOR, roles.COUNCIL, roles.SECRETARIAT, roles.ADMIN])
def test_each_role_sees_its_counts(app, world, role):
    counts = {key: count for key, (count, _link) in shown(home_of(app, user_of(world, role))).items()}
    assert counts == expected(world, role)


def test_the_council_member_page_no_longer_says_nothing_is_assigned(app, world):
    html = home_of(app, world.member)
    assert "Chưa có hồ sơ nào được phân công chấm điểm cho bạn." not in html


def test_the_nominator_sees_open_rounds_with_countdown_and_quota(app, world):
    html = home_of(app, world.nominator)
    open_id, closing_id = world.rounds["open"].id, world.rounds["closing"].id
    # The round closing first comes first.
    assert html.index(f'id="open-round-{closing_id}"') < html.index(f'id="open-round-{open_id}"')
    closing = html[html.index(f'id="open-round-{closing_id}"'):html.index(f'id="open-round-{open_id}"')]
    assert "còn 5 ngày" in closing
    assert '<span class="quota" data-used="0">0/3</span>' in closing
    opened = html[html.index(f'id="open-round-{open_id}"'):]
    assert "còn 30 ngày" in opened
    assert '<span class="quota" data-used="3">3/3</span>' in opened
    assert "Đã dùng hết chỉ tiêu" in opened
    assert "Đã dùng hết chỉ tiêu" not in closing


def test_an_organisation_without_a_limit_sees_the_count_only(app, world):
    html = home_of(app, world.unlimited_nominator)
    section = html[html.index(f'id="open-round-{world.rounds["open"].id}"'):]
    assert '<span class="quota" data-used="3">3</span> (đơn vị không bị giới hạn số hồ sơ)' in section


def test_the_countdown_says_today_on_the_closing_day(app, world):
    closes = world.rounds["closing"].nominations_close_at
    with clock.frozen(closes - timedelta(hours=1)):
        html = home_of(app, world.nominator)
    assert "hạn cuối là hôm nay" in html


def test_returned_dossiers_show_their_supplement_deadline_overdue_marked(app, world):
    html = home_of(app, world.nominator)
    overdue = world.dossiers["Quá hạn"][0]
    pending = world.dossiers["Trả lại"][0]
    # The overdue one first, highlighted and said in words; the other with its days left.
    assert html.index(f'id="returned-{overdue.id}"') < html.index(f'id="returned-{pending.id}"')
    line = re.search(rf'<li class="([^"]*)" id="returned-{overdue.id}">(.*?)</li>', html, re.S)
    assert "returned-overdue" in line.group(1) and "Đã quá hạn" in line.group(2)
    line = re.search(rf'<li class="([^"]*)" id="returned-{pending.id}">(.*?)</li>', html, re.S)
    assert "returned-overdue" not in line.group(1) and "còn 3 ngày" in line.group(2)
    assert f'href="/dossiers/{pending.id}"' in line.group(2)
    # Another organisation's returned dossier is not listed.
    assert f'id="returned-{world.dossiers["Trả lại khác"][0].id}"' not in html


def test_links_lead_to_the_filtered_lists(app, world):
    review, decided = world.rounds["review"].id, world.rounds["decided"].id
    links = {key: link for key, (_count, link) in shown(home_of(app, world.secretary)).items()}
    opened = world.rounds["open"].id
    assert links[f"awaiting_check_{opened}"] == f"/eligibility/?round_id={opened}&state=submitted"
    assert links[f"awaiting_recheck_{opened}"] == f"/eligibility/?round_id={opened}&state=resubmitted"
    assert links[f"returns_overdue_{opened}"] == f"/eligibility/?round_id={opened}&state=returned"
    assert links[f"lacking_reviewers_{review}"] == f"/rounds/{review}/assignments?only=lacking"
    assert links["referrals_to_screen"] == "/tien-cu/sang-loc?state=submitted"
    assert links["pool_overdue"] == "/tien-cu/nguon-nhan-tai/qua-han"
    assert links[f"awaiting_publication_{decided}"] == f"/publication/rounds/{decided}"
    links = {key: link for key, (_count, link) in shown(home_of(app, world.member)).items()}
    ballot = db.session.scalar(select(CouncilSession.id).where(CouncilSession.round_id == world.rounds["vote"].id))
    confirm = db.session.scalar(select(CouncilSession.id).where(CouncilSession.round_id == world.rounds["chair"].id))
    assert links["ballots"] == f"/council/sessions/{ballot}/ballot"
    assert links["to_confirm"] == f"/council/sessions/{confirm}/ballot"
    assert links["sheets_to_do"] == "/reviews/"
    links = {key: link for key, (_count, link) in shown(home_of(app, world.nominator)).items()}
    assert links["referral_drafts"] == "/tien-cu/?state=draft"
    links = {key: link for key, (_count, link) in shown(home_of(app, world.admin)).items()}
    assert links["locked"] == "/users/?status=locked"
    assert links["never_activated"] == "/users/?status=invited"


def test_every_link_of_every_home_page_opens(app, world):
    for role in (roles.NOMINATOR, roles.COUNCIL, roles.SECRETARIAT, roles.ADMIN):
        client = app.test_client()
        login(client, user_of(world, role))
        for _count, link in shown(client.get("/").get_data(as_text=True)).values():
            assert client.get(link).status_code == 200, (role, link)
            assert urlsplit(link).netloc == ""


def test_a_member_absent_from_the_session_has_no_ballot(app, world):
    assert items_of(world.absent_member)["ballots"] == 0


def test_a_member_who_voted_has_no_ballot_and_no_chair_item(app, world):
    counts = {key: count for key, (count, _link) in shown(home_of(app, world.voted_member)).items()}
    assert counts["ballots"] == 0
    assert "to_confirm" not in counts
    # Their sheets: one draft (the full dossier) of the review round.
    assert (counts["sheets_to_do"], counts["sheets_draft"], counts["sheets_submitted"]) == (0, 1, 1)


# ---------------------------------------------------------------- each number follows the data

def _referral(world, state):
    nominator = fresh(world.nominator)
    make_referral(make_person("Người mới"), nominator.organisation, nominator, state=state)


def _dossier(world, round_key, state, **fields):
    nominator = fresh(world.nominator)
    make_dossier(fresh(world.rounds[round_key]), nominator.organisation, nominator, state=state,
                 full_name="Hồ Sơ Mới", with_attachment=False, **fields)


def _submit_member_draft(world):
    sheet = db.session.scalar(select(ScoreSheet).where(ScoreSheet.reviewer_id == world.member.id,
                                                       ScoreSheet.status == "draft"))
    sheet.status = "submitted"
    db.session.commit()


def _vote(world):
    session = db.session.scalar(select(CouncilSession).where(CouncilSession.round_id == world.rounds["vote"].id))
    db.session.add(BallotReceipt(session_id=session.id, user_id=world.member.id))
    db.session.commit()


def _confirm(world):
    session = db.session.scalar(select(CouncilSession).where(CouncilSession.round_id == world.rounds["chair"].id))
    session.status = "confirmed"
    db.session.commit()


def _lock(world):
    make_user(roles.NOMINATOR, active=False)


def _invite(world):
    user = make_user(roles.NOMINATOR)
    user.password_hash = unusable_password()
    db.session.commit()


def _overdue_pool(world):
    make_pool_entry(make_person("Quá hạn mới"), world.secretary,
                    next_review_on=clock.now().date() - timedelta(days=3))


def _return_overdue(world):
    _dossier(world, "open", states.RETURNED, supplement_deadline=clock.now() - timedelta(hours=1))


def _approve(world):
    nominator = fresh(world.unlimited_nominator)
    make_dossier(fresh(world.rounds["decided"]), nominator.organisation, nominator,
                 state=states.APPROVED, full_name="Thông Qua Thêm", with_attachment=False)


def _assign_missing(world):
    from honours.reviews.models import ReviewAssignment

    dossier = world.dossiers["Thiếu người chấm"][0]  # has the chair: two more make three
    for user in (world.voted_member, make_user(roles.COUNCIL)):
        db.session.add(ReviewAssignment(dossier_id=dossier.id, reviewer_id=user.id,
                                        assigned_by_id=world.secretary.id))
    db.session.commit()


def _publish(world):
    fresh(world.rounds["decided"]).published_at = clock.now()
    db.session.commit()


CHANGES = [
    (roles.NOMINATOR, "drafts", lambda w: _dossier(w, "closing", states.DRAFT), 1),
    (roles.NOMINATOR, "drafts", lambda w: _dossier(w, "review", states.DRAFT), 0),  # a closed round's draft
    (roles.NOMINATOR, "returned", lambda w: _dossier(w, "open", states.RETURNED), 1),
    (roles.NOMINATOR, "returned_overdue", _return_overdue, 1),
    (roles.NOMINATOR, "referral_drafts", lambda w: _referral(w, DRAFT), 1),
    (roles.NOMINATOR, "referrals_waiting", lambda w: _referral(w, SUBMITTED), 1),
    (roles.COUNCIL, "sheets_draft", _submit_member_draft, -1),
    (roles.COUNCIL, "sheets_submitted", _submit_member_draft, 1),
    (roles.COUNCIL, "ballots", _vote, -1),
    (roles.COUNCIL, "to_confirm", _confirm, -1),
    (roles.SECRETARIAT, "awaiting_check_{open}", lambda w: _dossier(w, "open", states.SUBMITTED), 1),
    (roles.SECRETARIAT, "awaiting_recheck_{open}", lambda w: _dossier(w, "open", states.RESUBMITTED), 1),
    (roles.SECRETARIAT, "returns_overdue_{open}", _return_overdue, 1),
    (roles.SECRETARIAT, "returns_overdue_{open}", lambda w: _dossier(w, "open", states.RETURNED,
                                                              supplement_deadline=clock.now() + timedelta(days=1)), 0),
    (roles.SECRETARIAT, "lacking_reviewers_{review}", _assign_missing, -1),
    (roles.SECRETARIAT, "sheets_outstanding_{review}", _submit_member_draft, -1),
    (roles.SECRETARIAT, "referrals_to_screen", lambda w: _referral(w, SUBMITTED), 1),
    (roles.SECRETARIAT, "pool_overdue", _overdue_pool, 1),
    (roles.SECRETARIAT, "awaiting_publication_{decided}", _approve, 1),
    (roles.ADMIN, "locked", _lock, 1),
    (roles.ADMIN, "never_activated", _invite, 1),
]


@pytest.mark.parametrize("role,key,change,delta", CHANGES,
                         ids=[f"{role}-{key}-{delta:+d}" for role, key, _change, delta in CHANGES])
def test_each_count_follows_the_data(app, world, role, key, change, delta):
    key = key.format(**{name: round_.id for name, round_ in world.rounds.items()})
    user = user_of(world, role)
    before = items_of(user)[key]
    change(world)
    db.session.expire_all()
    assert items_of(user)[key] == before + delta
    # The page shows the new number too.
    assert shown(home_of(app, user))[key][0] == before + delta


def test_awaiting_check_is_counted_per_round(app, world):
    closing = world.rounds["closing"].id
    assert f"awaiting_check_{closing}" not in items_of(world.secretary)
    _dossier(world, "closing", states.RESUBMITTED)
    counts = items_of(world.secretary)
    assert (counts[f"awaiting_check_{closing}"], counts[f"awaiting_recheck_{closing}"]) == (0, 1)
    assert counts[f"awaiting_recheck_{world.rounds['open'].id}"] == 1


def test_with_nothing_to_check_the_items_say_zero(app, world):
    db.session.execute(Dossier.__table__.update().where(Dossier.state.in_(
        (states.SUBMITTED, states.RESUBMITTED, states.RETURNED))).values(state=states.INELIGIBLE))
    db.session.commit()
    counts = items_of(world.secretary)
    assert (counts["awaiting_check"], counts["awaiting_recheck"], counts["returns_overdue"]) == (0, 0, 0)
    assert shown(home_of(app, world.secretary))["awaiting_check"] == (0, "/eligibility/?state=submitted")


def test_a_published_round_leaves_the_publication_list(app, world):
    key = f"awaiting_publication_{world.rounds['decided'].id}"
    assert key in items_of(world.secretary)
    _publish(world)
    assert key not in items_of(world.secretary)


def test_a_round_whose_council_met_leaves_the_review_items(app, world):
    review = world.rounds["review"]
    assert f"lacking_reviewers_{review.id}" in items_of(world.secretary)
    from tests.factories import make_council_session

    make_council_session(fresh(review), world.secretary, members_total=3)
    assert f"lacking_reviewers_{review.id}" not in items_of(world.secretary)


def test_quota_uses_the_nominations_count(app, world, monkeypatch):
    """The quota shown is the one count of the nominations feature, whatever it counts."""
    from honours.nominations import services as nominations

    monkeypatch.setattr(nominations, "count_counted_towards_limit", lambda organisation_id, round_id: 1)
    html = home_of(app, world.nominator)
    assert '<span class="quota" data-used="1">1/3</span>' in html


def test_an_account_without_organisation_or_anonymous_visitor_gets_the_landing_page(app, world):
    response = app.test_client().get("/")
    assert response.status_code == 200
    assert "Đăng nhập" in response.get_data(as_text=True)
    assert db.session.scalar(select(Dossier.id).limit(1)) is not None
    assert db.session.scalar(select(PoolEntry.id).limit(1)) is not None


class _Ids(HTMLParser):
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__()
        self.ids, self.labelled_by, self.open, self.problems = [], [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if "aria-labelledby" in attrs:
            self.labelled_by.append(attrs["aria-labelledby"])
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if not self.open or self.open[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.open[-1] if self.open else None}>")
        else:
            self.open.pop()


@pytest.mark.parametrize("role", [roles.NOMINATOR, roles.COUNCIL, roles.SECRETARIAT, roles.ADMIN])
def test_home_pages_are_well_formed_with_unique_ids_and_headings(app, world, role):
    html = home_of(app, user_of(world, role))
    parser = _Ids()
    parser.feed(html)
    assert parser.problems == [] and parser.open == []
    assert len(parser.ids) == len(set(parser.ids)), sorted(i for i in parser.ids if parser.ids.count(i) > 1)
    assert set(parser.labelled_by) <= set(parser.ids)
    assert html.count("<h1") == 1 and "<h2" in html
    # Urgent items say so in words, not only by their colour.
    assert html.count('class="todo-item todo-urgent"') == html.count('<span class="badge warn">Cần xử lý</span>')


def test_the_home_page_speaks_english_too(app, world):
    client = app.test_client()
    login(client, world.secretary)
    client.get("/lang/en")
    html = client.get("/").get_data(as_text=True)
    assert "Newly submitted dossiers awaiting the eligibility check" in html and "Needs action" in html


def test_a_member_of_several_current_rounds_sees_each_rounds_sheets(app, world):
    html = home_of(app, world.member)
    assert "Đợt đang chấm: 1 chưa chấm, 1 nháp, 1 đã nộp" in html
    assert "Đợt đang bỏ phiếu: 0 chưa chấm, 0 nháp, 0 đã nộp" in html
    assert "Đợt đã công bố:" not in html  # its result is confirmed: history, not work


def test_the_countdown_is_translated_with_its_plural(app, world):
    client = app.test_client()
    login(client, world.nominator)
    client.get("/lang/en")
    html = client.get("/").get_data(as_text=True)
    assert "30 days left" in html and "5 days left" in html and "Nomination quota used" in html


def test_the_nominators_links_open_exactly_the_dossiers_counted(app, world):
    """Drafts of open rounds, returned, overdue: the list the home page links to holds as many rows as it says."""
    client = app.test_client()
    login(client, world.nominator)
    items = shown(client.get("/").get_data(as_text=True))
    for key in ("drafts", "returned", "returned_overdue"):
        count, link = items[key]
        page = client.get(link).get_data(as_text=True)
        rows = re.findall(r'<tr><td><a href="/dossiers/\d+">', page)
        assert count > 0 and len(rows) == count, (key, link)
