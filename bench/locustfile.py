"""What the simulated users do: one Locust user class per scenario of scenarios.py. bench/run.py starts
`locust --headless` once per scenario with that class; see bench/README.md.

Each user logs in (for the signed-in pages) and takes one step before anything is measured: every worker has then
built what it keeps between requests (compiled templates, the ranking of the results page). When all users are
ready, BENCH_WARMUP seconds of load follow, then Locust's statistics are reset and BENCH_DURATION seconds are
measured (or BENCH_REQUESTS requests, for the single-user probes); then the users stop and Locust quits, writing
its CSV files. Only the scenario's own request (named like the scenario) counts; the mean X-Query-Count of its
responses goes to <csv prefix>_queries.csv.

Settings (environment, set by run.py): BENCH_MANIFEST (the dataset's accounts and ids, JSON), BENCH_THINK,
BENCH_WARMUP, BENCH_DURATION, BENCH_REQUESTS (0: no limit), BENCH_SEED (the users' random choices).
"""
import csv
import html
import itertools
import json
import math
import os
import random
import re
from decimal import Decimal
from functools import cache
from http.cookiejar import DefaultCookiePolicy
from urllib.parse import urlsplit

import gevent
import scenarios
from locust import FastHttpUser, events, task
from locust.exception import StopTest
from locust.stats import CSV_STATS_INTERVAL_SEC

THINK = float(os.environ.get("BENCH_THINK", "1"))
WARMUP = float(os.environ.get("BENCH_WARMUP", "2"))
DURATION = float(os.environ.get("BENCH_DURATION", "15"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "0"))
SEED = int(os.environ.get("BENCH_SEED", "1"))
QUERY_COUNT = "X-Query-Count"  # honours/querycount.py


@cache
def manifest() -> dict:
    with open(os.environ["BENCH_MANIFEST"], encoding="utf-8") as file:
        return json.load(file)


class Window:
    """The measured part of the run, and the X-Query-Count of the measured responses."""

    def __init__(self, environment):
        self.environment = environment
        self.ready = 0
        self.open = False
        self.measured = 0
        self.statements: list[int] = []

    def user_ready(self) -> None:
        self.ready += 1
        if self.ready == self.environment.parsed_options.num_users:
            gevent.spawn_later(WARMUP, self.start)

    def start(self) -> None:
        self.environment.runner.stats.reset_all()
        self.open = True
        if DURATION:
            gevent.spawn_later(DURATION, self.close)

    def record(self, name, response, exception, **_) -> None:
        if not self.open or name != self.environment.user_classes[0].scenario.name:
            return
        self.measured += 1
        count = response.headers.get(QUERY_COUNT) if response is not None and response.headers else None
        if count is not None:
            self.statements.append(int(count))
        if REQUESTS and self.measured >= REQUESTS:
            gevent.spawn(self.close)  # not from the user's own greenlet, which stopping kills

    def close(self) -> None:
        if not self.open:
            return
        self.open = False
        self.write_statements()
        runner = self.environment.runner
        runner.stop()
        gevent.sleep(CSV_STATS_INTERVAL_SEC + 0.5)  # Locust's CSV writer catches up with the final numbers
        runner.quit()

    def write_statements(self) -> None:
        prefix = self.environment.parsed_options.csv_prefix
        if not prefix:
            return
        with open(f"{prefix}_queries.csv", "w", newline="", encoding="utf-8") as file:
            writer = csv.writer(file)
            writer.writerow(["Name", "Responses", "Mean X-Query-Count"])
            mean = sum(self.statements) / len(self.statements) if self.statements else ""
            writer.writerow([self.environment.user_classes[0].scenario.name, len(self.statements), mean])


WINDOW: Window | None = None


@events.init.add_listener
def on_init(environment, **_):
    global WINDOW
    WINDOW = Window(environment)
    environment.events.request.add_listener(WINDOW.record)


class LoopbackCookies(DefaultCookiePolicy):
    """Secure cookies go to 127.0.0.1 over plain HTTP too, as browsers treat a loopback address: the app runs
    with its production settings (Secure session cookie) but without TLS in front of it here."""

    def return_ok_secure(self, cookie, request):
        return urlsplit(request.get_full_url()).hostname == "127.0.0.1" or super().return_ok_secure(cookie, request)


def input_value(page: str, name: str) -> str | None:
    """The value of the <input name=...> of a page (attributes in any order)."""
    for tag in re.findall(r"<input\b[^>]*>", page):
        if re.search(rf'\bname="{re.escape(name)}"', tag):
            found = re.search(r'\bvalue="([^"]*)"', tag)
            return html.unescape(found.group(1)) if found else ""
    return None


class BenchUser(FastHttpUser):
    abstract = True
    scenario: scenarios.Scenario
    default_headers = {"Accept-Language": "vi", "User-Agent": "honours-bench"}
    _numbers = itertools.count()

    def wait_time(self) -> float:
        if self.scenario.thinks and THINK:
            return self.rng.uniform(0.5 * THINK, 1.5 * THINK)
        return 0

    def on_start(self) -> None:
        self.index = next(BenchUser._numbers)
        self.rng = random.Random(SEED * 1000 + self.index)
        self.client.cookiejar.set_policy(LoopbackCookies())
        try:
            self.setup()
        except Exception as error:
            raise StopTest(f"{self.scenario.name}: setup of user {self.index} failed: {error}") from error
        self.step()
        WINDOW.user_ready()

    def setup(self) -> None:
        pass

    @task
    def take_step(self) -> None:
        self.step()

    def step(self) -> None:
        raise NotImplementedError

    def measured(self, method: str, path: str, expect: int = 200, **kwargs) -> None:
        """The scenario's request: any other status than `expect` is an error."""
        with self.client.request(method, path, name=self.scenario.name, allow_redirects=False,
                                 catch_response=True, **kwargs) as response:
            if response.status_code != expect:
                response.failure(f"HTTP {response.status_code}")
            else:
                response.success()

    def login(self, email: str) -> None:
        page = self.client.get("/login", name="(login)")
        form = {"csrf_token": input_value(page.text or "", "csrf_token") or "", "email": email,
                "password": manifest()["password"]}
        response = self.client.post("/login", data=form, name="(login)", allow_redirects=False)
        if response.status_code != 302:
            raise RuntimeError(f"login of {email} failed: HTTP {response.status_code}")


class Hello(BenchUser):
    scenario = scenarios.BY_USER["Hello"]

    def step(self):
        self.measured("GET", "/")


class PublicList(BenchUser):
    scenario = scenarios.BY_USER["PublicList"]

    def step(self):
        self.measured("GET", "/vinh-danh")


class PublicYear(BenchUser):
    scenario = scenarios.BY_USER["PublicYear"]

    def step(self):
        self.measured("GET", f"/vinh-danh/{manifest()['past_year']}")


class PublicListRendered(BenchUser):
    """The same page for a visitor carrying a cookie (here: the language chosen): the app renders it every time,
    the copy the page cache keeps for cookie-less visitors does not apply."""

    scenario = scenarios.BY_USER["PublicListRendered"]

    def setup(self):
        self.client.get("/lang/vi?next=/vinh-danh", name="(language)", allow_redirects=False)
        if not len(self.client.cookiejar):
            raise RuntimeError("choosing the language set no cookie")

    def step(self):
        self.measured("GET", "/vinh-danh")


class _Reviewer(BenchUser):
    abstract = True

    def reviewer(self) -> dict:
        reviewers = manifest()["reviewers"]
        return reviewers[self.index % len(reviewers)]

    def setup(self):
        self.login(self.reviewer()["email"])


class SheetView(_Reviewer):
    scenario = scenarios.BY_USER["SheetView"]

    def step(self):
        self.measured("GET", f"/reviews/{self.rng.choice(self.reviewer()['assigned'])}")


class SheetSave(_Reviewer):
    """Saves a draft sheet with new points; the form is fetched first (not measured). Users sharing an account
    work on different sheets, as two people on one sheet would (rightly) get 409s."""

    scenario = scenarios.BY_USER["SheetSave"]

    def setup(self):
        reviewers = len(manifest()["reviewers"])
        sharing = math.ceil(self.environment.parsed_options.num_users / reviewers)
        self.sheets = self.reviewer()["drafts"][self.index // reviewers::sharing]
        if not self.sheets:
            raise RuntimeError("the dataset has too few draft sheets for this many users")
        super().setup()

    def step(self):
        dossier_id = self.rng.choice(self.sheets)
        page = self.client.get(f"/reviews/{dossier_id}", name="(score sheet form)").text or ""
        form = {"csrf_token": input_value(page, "csrf_token") or "", "version": input_value(page, "version") or "",
                "overall_comment": "Đã xem xét kỹ hồ sơ.", "save": "Lưu nháp"}
        for tag in re.findall(r'<input\b[^>]*name="points_\d+"[^>]*>', page):
            name = re.search(r'name="(points_\d+)"', tag).group(1)
            maximum = Decimal(re.search(r'max="([^"]+)"', tag).group(1))
            form[name] = str((maximum * Decimal(self.rng.randint(40, 100)) / 100).quantize(Decimal("0.1")))
            form["comment_" + name.removeprefix("points_")] = ""
        self.measured("POST", f"/reviews/{dossier_id}", expect=302, data=form)


class _Secretary(BenchUser):
    abstract = True

    def setup(self):
        accounts = manifest()["secretaries"]
        self.login(accounts[self.index % len(accounts)])


class Inbox(_Secretary):
    scenario = scenarios.BY_USER["Inbox"]
    QUERIES = ("", "", "", "?q=nguyen", "?state=submitted", "?page=3")

    def step(self):
        self.measured("GET", "/eligibility/" + self.rng.choice(self.QUERIES))


class Results(_Secretary):
    scenario = scenarios.BY_USER["Results"]
    PAGES = ("", "", "?page=2", "?page=40")

    def step(self):
        self.measured("GET", f"/rounds/{manifest()['current_round_id']}/results" + self.rng.choice(self.PAGES))


class People(_Secretary):
    """The intellectuals database (150,000 persons at scale 1): the first page, filters, a deep page."""

    scenario = scenarios.BY_USER["People"]
    QUERIES = ("", "", "?page=3", "?page=150", "?degree=TS&field=Y+d%C6%B0%E1%BB%A3c", "?academic_title=GS",
               "?age_band=45_54&gender=female", "?honoured=yes", "?ethnicity=minorities&page=2")

    def step(self):
        self.measured("GET", "/tri-thuc/" + self.rng.choice(self.QUERIES))


class PeopleSearch(_Secretary):
    """A name searched without accents, anywhere in the name (the trigram index), sometimes a page further."""

    scenario = scenarios.BY_USER["PeopleSearch"]

    def step(self):
        query = self.rng.choice(manifest().get("people_queries") or ["nguyen"])
        page = self.rng.choice(("", "", "&page=2"))
        self.measured("GET", f"/tri-thuc/?q={query.replace(' ', '+')}{page}")


class PeopleDuplicates(_Secretary):
    scenario = scenarios.BY_USER["PeopleDuplicates"]
    PAGES = ("", "", "?page=2", "?page=20")

    def step(self):
        self.measured("GET", "/tri-thuc/duplicates" + self.rng.choice(self.PAGES))


class _Home(BenchUser):
    """A signed-in user opens the home page: the to-do list of their role, every count an aggregate."""

    abstract = True

    def account(self) -> str:
        raise NotImplementedError

    def setup(self):
        self.login(self.account())

    def step(self):
        self.measured("GET", "/")


class HomeNominator(_Home):
    scenario = scenarios.BY_USER["HomeNominator"]

    def account(self):
        nominators = manifest()["nominators"]
        return nominators[self.index % len(nominators)]


class HomeCouncil(_Home):
    scenario = scenarios.BY_USER["HomeCouncil"]

    def account(self):
        reviewers = manifest()["reviewers"]
        return reviewers[self.index % len(reviewers)]["email"]


class HomeSecretariat(_Home):
    scenario = scenarios.BY_USER["HomeSecretariat"]

    def account(self):
        accounts = manifest()["secretaries"]
        return accounts[self.index % len(accounts)]


class HomeAdmin(_Home):
    scenario = scenarios.BY_USER["HomeAdmin"]

    def account(self):
        return manifest()["admin"]
