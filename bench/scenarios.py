"""The benchmark's scenarios: which page, on which server, and which target applies. What the users do is in
locustfile.py, one Locust user class per scenario (`Scenario.user`). This module imports no Locust, so run.py
and report.py can use it without gevent's monkey-patching."""
from dataclasses import dataclass

BASELINE, PUBLIC, AUTHENTICATED, INFORMATION = "baseline", "public", "authenticated", "information"


@dataclass(frozen=True)
class Scenario:
    user: str  # the user class in locustfile.py; also names the scenario's CSV files
    name: str  # the report's row, and the name of the measured request in Locust's statistics
    kind: str
    server: str = "app"  # or "hello"

    @property
    def thinks(self) -> bool:
        """Signed-in users read the page between requests (BENCH_THINK); the others run back to back."""
        return self.kind == AUTHENTICATED


ALL = (
    Scenario("Hello", "hello-world (bare Flask)", BASELINE, server="hello"),
    Scenario("PublicList", "public list /vinh-danh", PUBLIC),
    Scenario("PublicYear", "public year page /vinh-danh/<year>", PUBLIC),
    Scenario("PublicListRendered", "public list, rendered (with a cookie)", INFORMATION),
    Scenario("SheetView", "score sheet page (GET)", AUTHENTICATED),
    Scenario("SheetSave", "score sheet save (POST)", AUTHENTICATED),
    Scenario("Inbox", "eligibility inbox (secretariat)", AUTHENTICATED),
    Scenario("Results", "results and ranking (secretariat)", AUTHENTICATED),
    Scenario("People", "people list, filters and deep pages (secretariat)", AUTHENTICATED),
    Scenario("PeopleSearch", "people name search (secretariat)", AUTHENTICATED),
    Scenario("PeopleDuplicates", "people duplicates screen (secretariat)", AUTHENTICATED),
    Scenario("HomeNominator", "home page, nominator (to-do counts)", AUTHENTICATED),
    Scenario("HomeCouncil", "home page, council member (to-do counts)", AUTHENTICATED),
    Scenario("HomeSecretariat", "home page, secretariat (to-do counts)", AUTHENTICATED),
    Scenario("HomeAdmin", "home page, administrator (to-do counts)", AUTHENTICATED),
)
BY_USER = {scenario.user: scenario for scenario in ALL}
