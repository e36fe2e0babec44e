"""`make bench` drives the four home pages: their scenarios are listed, and the Locust users of bench/locustfile.py
log in and get their home page from the benchmark's dataset. Locust is not installed for the tests (it is the
`bench` extra), so the users run here on a stand-in for it, against the test client."""
import importlib
import json
import random
import sys
import types
from contextlib import contextmanager

from werkzeug.security import generate_password_hash

from bench import dataset

HOME_SCENARIOS = ("HomeNominator", "HomeCouncil", "HomeSecretariat", "HomeAdmin")


class _Response:
    def __init__(self, response):
        self.status_code = response.status_code
        self.text = response.get_data(as_text=True)
        self.headers = response.headers
        self.outcome = None

    def success(self):
        self.outcome = "success"

    def failure(self, message):
        self.outcome = message


class _Client:
    """What the locustfile's users call on Locust's FastHttpUser client, served by the Flask test client."""

    def __init__(self, flask_client):
        self.flask, self.outcomes = flask_client, []
        self.cookiejar = types.SimpleNamespace(set_policy=lambda policy: None)

    def get(self, path, name=None, allow_redirects=True):
        return _Response(self.flask.get(path))

    def post(self, path, data=None, name=None, allow_redirects=True):
        return _Response(self.flask.post(path, data=data))

    @contextmanager
    def request(self, method, path, name=None, allow_redirects=False, catch_response=True, **kwargs):
        response = _Response(self.flask.open(path, method=method, **kwargs))
        yield response
        self.outcomes.append((name, path, response.status_code, response.outcome))


def _stand_in_for_locust(monkeypatch):
    locust = types.ModuleType("locust")
    locust.FastHttpUser = type("FastHttpUser", (), {})
    locust.task = lambda function: function
    locust.events = types.SimpleNamespace(init=types.SimpleNamespace(add_listener=lambda function: function))
    exception = types.ModuleType("locust.exception")
    exception.StopTest = type("StopTest", (Exception,), {})
    stats = types.ModuleType("locust.stats")
    stats.CSV_STATS_INTERVAL_SEC = 1
    for name, module in (("locust", locust), ("locust.exception", exception), ("locust.stats", stats),
                         ("gevent", types.ModuleType("gevent"))):
        monkeypatch.setitem(sys.modules, name, module)


def test_the_home_pages_are_benchmark_scenarios():
    from bench import scenarios

    for user in HOME_SCENARIOS:
        scenario = scenarios.BY_USER[user]
        assert scenario.kind == scenarios.AUTHENTICATED and scenario.server == "app"


def test_each_home_scenario_logs_in_and_gets_its_home_page(app, tmp_path, monkeypatch):
    manifest = dataset.build(0.002, password_hash=generate_password_hash(dataset.BENCH_PASSWORD,
                                                                        method="pbkdf2:sha256:1000"))
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(manifest))
    monkeypatch.setenv("BENCH_MANIFEST", str(path))
    _stand_in_for_locust(monkeypatch)
    monkeypatch.syspath_prepend(str(dataset.__file__).rsplit("/", 1)[0])  # locustfile imports `scenarios`
    monkeypatch.delitem(sys.modules, "locustfile", raising=False)
    locustfile = importlib.import_module("locustfile")
    try:
        for user_class in HOME_SCENARIOS:
            user = getattr(locustfile, user_class)()
            user.index, user.rng = 0, random.Random(1)
            user.client = _Client(app.test_client())
            user.setup()
            user.step()
            user.step()
            assert user.client.outcomes == [(user.scenario.name, "/", 200, "success")] * 2, user_class
            page = app.test_client()
            assert "todo-count" in user.client.flask.get("/").get_data(as_text=True), user_class
            assert "todo-count" not in page.get("/").get_data(as_text=True)  # signed in: not the landing page
    finally:
        sys.modules.pop("locustfile", None)

