"""Every route x every role (and a nominator of another organisation): allowed or refused, decided server-side.
A route missing here fails the suite."""
import re

import pytest

from honours.core import roles
from honours.nominations import states
from tests.conftest import client_with, signed_in_cookies
from tests.factories import make_dossier, make_org, make_round, make_user

ANONYMOUS = "anonymous"
EVERYONE = {ANONYMOUS, *roles.ALL_ROLES}
SIGNED_IN = set(roles.ALL_ROLES)
MANAGERS = {roles.ADMIN, roles.SECRETARIAT}
SECRETARIAT = {roles.SECRETARIAT}
NOMINATOR = {roles.NOMINATOR}
CASE_HANDLERS = {roles.NOMINATOR, roles.SECRETARIAT}  # the owning organisation and the secretariat

ACCESS = {
    "static": EVERYONE,
    "home.index": EVERYONE,
    "auth.login": EVERYONE,
    "auth.set_language": EVERYONE,
    "auth.logout": SIGNED_IN,
    "auth.change_password": SIGNED_IN,
    "users.index": MANAGERS,
    "users.create": MANAGERS,
    "users.toggle_active": MANAGERS,
    "organisations.index": MANAGERS,
    "organisations.create": MANAGERS,
    "organisations.edit": MANAGERS,
    "rounds.index": SECRETARIAT,
    "rounds.show": SECRETARIAT,
    "rounds.create": SECRETARIAT,
    "rounds.edit": SECRETARIAT,
    "nominations.index": NOMINATOR,
    "nominations.create": NOMINATOR,
    "nominations.edit": NOMINATOR,
    "nominations.submit": NOMINATOR,
    "nominations.delete": NOMINATOR,
    "nominations.withdraw": NOMINATOR,
    "nominations.upload": NOMINATOR,
    "nominations.delete_attachment": NOMINATOR,
    "nominations.show": CASE_HANDLERS,
    "nominations.download": CASE_HANDLERS,
    "eligibility.inbox": SECRETARIAT,
    "eligibility.decide": SECRETARIAT,
    "eligibility.reopen": SECRETARIAT,
}


def _feature_rules() -> list:
    """Features add their routes in tests/access/access_rules_<feature>.py: RULES = {endpoint: roles}, and optionally
    params(world) -> {url parameter: value} building the objects their URLs need."""
    import importlib
    from pathlib import Path

    return [importlib.import_module(f"tests.access.{path.stem}")
            for path in sorted(Path(__file__).parent.glob("access_rules_*.py"))]


FEATURES = _feature_rules()
for _feature in FEATURES:
    assert not set(_feature.RULES) & set(ACCESS), f"{_feature.__name__} redefines rules"
    ACCESS.update(_feature.RULES)


def routes(app_factory_rules):
    for rule in app_factory_rules:
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, rule.rule, method


def _all_routes():
    from honours import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "TESTING": True})
    return sorted(routes(app.url_map.iter_rules()))


ROUTES = _all_routes()


def test_every_route_has_an_access_rule():
    endpoints = {endpoint for endpoint, _, _ in ROUTES}
    assert endpoints - set(ACCESS) == set(), "new route(s) without an access rule in ACCESS"
    assert set(ACCESS) - endpoints == set(), "ACCESS lists routes that no longer exist"


OTHER_ORGANISATION = "nominator of another organisation"
# URL parameters naming an object of the world's organisation (its dossiers, referrals, their files, its
# nominator's import reports): a nominator of another organisation gets 404, as if it did not exist. Every
# parameter of a route a nominator may reach is listed here or in NOT_OWNED, so a new one must be classified.
OWNED = {"dossier_id", "attachment_id"}
NOT_OWNED = {"filename", "code", "round_id"}
for _feature in FEATURES:
    OWNED |= getattr(_feature, "OWNED", set())
    NOT_OWNED |= getattr(_feature, "NOT_OWNED", set())


def parameters(rule: str) -> set[str]:
    return set(re.findall(r"<(?:[^<>:]+:)?([^<>]+)>", rule))


def test_every_parameter_a_nominator_can_reach_says_whether_it_is_an_organisations_object():
    unclassified = {(endpoint, name) for endpoint, rule, _ in ROUTES if roles.NOMINATOR in ACCESS.get(endpoint, ())
                    for name in parameters(rule) if name not in OWNED | NOT_OWNED}
    assert unclassified == set(), "add these URL parameters to OWNED or NOT_OWNED (access_rules_<feature>.py)"


@pytest.fixture(scope="module")
def world(module_app):
    """Built once for the module; each test runs in a savepoint rolled back afterwards (conftest.db_savepoint)."""
    round_ = make_round()
    org = make_org()
    nominator = make_user(roles.NOMINATOR, org)
    dossier = make_dossier(round_, org, nominator, state=states.SUBMITTED)
    users = {role: make_user(role, org if role == roles.NOMINATOR else None) for role in roles.ALL_ROLES}
    users[roles.NOMINATOR] = nominator
    users[OTHER_ORGANISATION] = make_user(roles.NOMINATOR, make_org(name="Hội Khoa học khác"))
    target = make_user(roles.COUNCIL, email="target@example.vn")
    world = {
        "users": users, "round": round_, "organisation": org, "dossier": dossier,
        "params": {
            "dossier_id": dossier.id, "attachment_id": dossier.attachments[0].id, "round_id": round_.id,
            "organisation_id": org.id, "user_id": target.id, "code": "en", "filename": "css/app.css",
        },
    }
    for feature in FEATURES:
        if hasattr(feature, "params"):
            world["params"].update(feature.params(world))
    # Logged in once per role; each test starts a new client from these cookies, so a test that signs out or
    # changes its session cannot affect the next one (what the login wrote is part of the world).
    world["cookies"] = {role: signed_in_cookies(module_app, user) for role, user in users.items()}
    return world


@pytest.fixture
def app(module_app, db_savepoint):
    return module_app


def build_url(rule: str, params: dict) -> str:
    url = rule
    for name, value in params.items():
        for converter in ("int:", "path:", ""):
            url = url.replace(f"<{converter}{name}>", str(value))
    assert "<" not in url, f"no sample value for {rule}"
    return url


@pytest.mark.parametrize("role", sorted(EVERYONE) + [OTHER_ORGANISATION])
@pytest.mark.parametrize("endpoint,rule,method", ROUTES)
def test_route_access(app, world, endpoint, rule, method, role):
    client = client_with(app, world["cookies"][role]) if role != ANONYMOUS else app.test_client()
    url = build_url(rule, world["params"])
    response = client.open(url, method=method, data={})
    location = response.headers.get("Location", "")
    refused_as_anonymous = response.status_code == 302 and "/login" in location
    refused = response.status_code in (401, 403, 404) or refused_as_anonymous
    if role == OTHER_ORGANISATION:
        if roles.NOMINATOR in ACCESS[endpoint] and parameters(rule) & OWNED:
            assert response.status_code == 404, \
                f"another organisation's nominator must get 404 for {method} {url}, got {response.status_code}"
            return
        may_reach = roles.NOMINATOR in ACCESS[endpoint]  # anywhere else it is a nominator like any other
    else:
        may_reach = role in ACCESS[endpoint]
    if may_reach:
        assert not refused, f"{role} should reach {method} {url}, got {response.status_code} {location}"
        assert response.status_code < 500
    elif role == ANONYMOUS:
        assert refused_as_anonymous, f"anonymous should be sent to login for {method} {url}, got {response.status_code}"
    else:
        assert response.status_code in (403, 404), f"{role} must not reach {method} {url}, got {response.status_code}"
