"""bench/report.py: the files of a benchmark run (Locust's *_stats.csv, the X-Query-Count means) become the one
table, and each row's target is met or not."""
import csv
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))  # the bench modules import each other

import report  # noqa: E402
from scenarios import ALL, BY_USER  # noqa: E402

COLUMNS = ["Type", "Name", "Request Count", "Failure Count", "Median Response Time", "Average Response Time",
           "Min Response Time", "Max Response Time", "Average Content Size", "Requests/s", "Failures/s", "50%", "66%",
           "75%", "80%", "90%", "95%", "98%", "99%", "99.9%", "99.99%", "100%"]
SETTINGS = {"scale": 1, "small_scale": 0.1, "users": 20, "think": 1, "duration": 15, "warmup": 2, "workers": 4,
            "threads": 1, "cpus": 2, "locust": "2.47.0", "database": "bench"}


def write_stats(path: Path, name: str, requests: int, failures: int, rate: float, p50, p95, p99) -> None:
    """A *_stats.csv as Locust writes it (csv module: names with commas are quoted): the login requests (reset to
    nothing), the measured one, the total."""
    numbers = [requests, failures, p50, p50 + 1.5, 1.2, p99 + 3, 2048.0, rate, 0.0,
               p50, p50, p50, p95, p95, p95, p99, p99, p99, p99, p99 + 3]
    with path.open("w", newline="") as file:
        writer = csv.writer(file)
        writer.writerows([COLUMNS, ["GET", "(login)", 0, 0, 0, 0.0, 0, 0, 0, 0.0, 0.0, *["N/A"] * 11],
                          ["GET", name, *numbers], ["", "Aggregated", *numbers]])


def write_statements(path: Path, name: str, mean) -> None:
    with path.open("w", newline="") as file:
        csv.writer(file).writerows([["Name", "Responses", "Mean X-Query-Count"], [name, 3, mean]])


def write_run(folder: Path, skip: str = "") -> Path:
    """A run in which every target is met (and `skip`'s scenario has no files)."""
    (folder / "run.json").write_text(json.dumps(SETTINGS))
    for scenario in ALL:
        if scenario.user == skip:
            continue
        if scenario.server == "hello":
            write_stats(folder / "Hello_stats.csv", scenario.name, 30000, 0, 2000.0, 7, 13, 17)
            write_statements(folder / "Hello_queries.csv", scenario.name, "")
            continue
        write_stats(folder / f"{scenario.user}_stats.csv", scenario.name, 300, 0, 1500.0, 30, 60, 90)
        for prefix in ("", "probe-", "probe_small-"):
            write_statements(folder / f"{prefix}{scenario.user}_queries.csv", scenario.name, 7.0)
    return folder


def result(user: str, rate: float = 1500.0, p95: float = 60, failures: int = 0, probe: float = 7.0,
           probe_small: float = 7.0) -> report.Result:
    return report.Result(BY_USER[user], report.Measured(300, failures, rate, 30, p95, 90), 7.0, probe, probe_small)


def test_the_measured_request_is_read_not_the_logins_nor_the_total(tmp_path):
    path = tmp_path / "Inbox_stats.csv"
    write_stats(path, BY_USER["Inbox"].name, 321, 2, 19.5, 41, 66, 88)
    assert report.read_stats(path, BY_USER["Inbox"].name) == report.Measured(321, 2, 19.5, 41, 66, 88)
    assert report.read_stats(path, "(login)") == report.Measured(0, 0, 0.0, None, None, None)
    assert report.read_stats(tmp_path / "missing_stats.csv", "x") is None


def test_a_run_that_meets_every_target(tmp_path):
    text = report.render(*report.read_run(write_run(tmp_path)))
    cells = {line.split("|")[1].strip(): [cell.strip() for cell in line.split("|")[2:-1]]
             for line in text.splitlines() if line.startswith("| ")}
    assert cells["Scenario"] == ["requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors", "SQL/req",
                                 "SQL/req at scale 0.1", "target", "met?"]
    assert cells["hello-world (bare Flask)"] == ["30000", "2000", "7", "13", "17", "0", "—", "—", "baseline", "—"]
    assert cells["public list /vinh-danh"][-2:] == ["≥ 50% of hello-world req/s (75%); same SQL on both sizes", "PASS"]
    assert cells["public list, rendered (with a cookie)"][:2] == ["300", "1500"]  # a name with a comma
    targets = len(ALL) - 1  # every row but the baseline's
    assert f"Targets: {targets} of {targets} rows met." in text


def test_a_scenario_without_files_fails_and_shows_dashes(tmp_path):
    settings, results = report.read_run(write_run(tmp_path, skip="SheetSave"))
    row = next(cells for cells in report.rows(results, 0.1) if cells[0] == BY_USER["SheetSave"].name)
    assert row[1:9] == ["—"] * 8
    assert row[-1] == "FAIL (not measured)"
    assert f"Targets: {len(ALL) - 2} of {len(ALL) - 1} rows met." in report.render(settings, results)


def test_public_pages_need_half_the_hello_world_rate():
    assert report.verdict(result("PublicList", rate=1000.0), 2000.0)[1] == "PASS"
    assert report.verdict(result("PublicList", rate=999.0), 2000.0)[1] == "FAIL (req/s)"
    assert report.verdict(result("PublicList"), None)[1] == "FAIL (req/s)"  # the baseline was not measured


def test_signed_in_pages_need_p95_below_100_ms_without_errors():
    assert report.verdict(result("SheetSave", p95=99), 2000.0)[1] == "PASS"
    assert report.verdict(result("SheetSave", p95=100), 2000.0)[1] == "FAIL (p95)"
    assert report.verdict(result("SheetSave", failures=1), 2000.0)[1] == "FAIL (errors)"


def test_every_app_page_needs_the_same_statements_at_both_sizes():
    target, met = report.verdict(result("Results", probe=7.0, probe_small=6.0), 2000.0)
    assert "same SQL on both sizes" in target and met == "FAIL (SQL)"
    assert report.verdict(result("Inbox", probe=None), 2000.0)[1] == "FAIL (SQL)"


def test_the_rendered_list_is_information_only():
    target, met = report.verdict(result("PublicListRendered", rate=20.0), 2000.0)
    assert target.startswith("information (1% of hello-world") and met == "PASS"


def test_a_run_of_chosen_scenarios_reports_those_only(tmp_path):
    folder = write_run(tmp_path, skip="SheetSave")
    settings = json.loads((folder / "run.json").read_text())
    (folder / "run.json").write_text(json.dumps({**settings, "scenarios": ["Hello", "Inbox"]}))
    settings, results = report.read_run(folder)
    assert [result.scenario.user for result in results] == ["Hello", "Inbox"]
