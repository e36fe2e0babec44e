"""The load benchmark's one table, read from the files a run leaves in its results folder (bench/results/<run>/):
run.json (the settings), Locust's <user>_stats.csv per scenario, and locustfile.py's <user>_queries.csv (mean
X-Query-Count under load), probe-<user>_queries.csv and probe_small-<user>_queries.csv (one user on a
single-worker server, over the full dataset and the one ten times smaller).

    .venv/bin/python bench/report.py bench/results/<run>    # the table of an earlier run again
"""
import csv
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from scenarios import ALL, AUTHENTICATED, BASELINE, INFORMATION, PUBLIC, Scenario

PUBLIC_SHARE_TARGET = 50  # % of hello-world requests/s
P95_TARGET_MS = 100


@dataclass(frozen=True)
class Measured:
    """One row of Locust's *_stats.csv; latencies in ms (Locust rounds them to whole ms below 100 ms)."""

    requests: int
    failures: int
    rate: float
    p50: float | None
    p95: float | None
    p99: float | None


@dataclass(frozen=True)
class Result:
    scenario: Scenario
    load: Measured | None  # None: no measurement (the run did not get that far)
    statements: float | None = None  # mean X-Query-Count under load
    probe: float | None = None  # ... on one worker over the full dataset
    probe_small: float | None = None  # ... and over the dataset ten times smaller


def _number(text: str) -> float | None:
    return None if text in ("", "N/A") else float(text)


def read_stats(path: Path, name: str) -> Measured | None:
    """The row of the request called `name` in a Locust *_stats.csv; None when there is no such file or row."""
    if not path.exists():
        return None
    with path.open(newline="", encoding="utf-8") as file:
        for row in csv.DictReader(file):
            if row["Name"] == name:
                return Measured(int(row["Request Count"]), int(row["Failure Count"]), float(row["Requests/s"]),
                                _number(row["50%"]), _number(row["95%"]), _number(row["99%"]))
    return None


def read_statements(path: Path) -> float | None:
    """The mean X-Query-Count of a *_queries.csv; None without the file or without a header in the responses."""
    if not path.exists():
        return None
    with path.open(newline="", encoding="utf-8") as file:
        row = next(csv.DictReader(file), None)
    return _number(row["Mean X-Query-Count"]) if row else None


def read_run(folder: Path) -> tuple[dict, list[Result]]:
    settings = json.loads((folder / "run.json").read_text())
    results = []
    only = set(settings.get("scenarios") or ())  # BENCH_SCENARIOS: the others were left out, not failed
    for scenario in ALL:
        if only and scenario.user not in only:
            continue
        statements = [read_statements(folder / f"{prefix}{scenario.user}_queries.csv")
                      for prefix in ("", "probe-", "probe_small-")]
        results.append(Result(scenario, read_stats(folder / f"{scenario.user}_stats.csv", scenario.name),
                              *statements))
    return settings, results


def verdict(result: Result, hello_rate: float | None) -> tuple[str, str]:
    """The row's target and whether it was met: PASS, FAIL (and why), or — for the baseline."""
    scenario, load = result.scenario, result.load
    if scenario.kind == BASELINE:
        return "baseline", "—"
    share = 100 * load.rate / hello_rate if load and hello_rate else None
    shown = "?" if share is None else f"{share:.0f}%"
    problems = []
    if scenario.kind == PUBLIC:
        target = f"≥ {PUBLIC_SHARE_TARGET}% of hello-world req/s ({shown})"
        if share is None or share < PUBLIC_SHARE_TARGET:
            problems.append("req/s")
    elif scenario.kind == AUTHENTICATED:
        target = f"p95 < {P95_TARGET_MS} ms"
        if load is None or load.p95 is None or load.p95 >= P95_TARGET_MS:
            problems.append("p95")
    else:
        assert scenario.kind == INFORMATION
        target = f"information ({shown} of hello-world req/s)"
    if scenario.kind != INFORMATION and load is not None and load.failures:
        problems.append("errors")
    if scenario.server == "app":
        target += "; same SQL on both sizes"
        if result.probe is None or result.probe != result.probe_small:
            problems.append("SQL")
    if load is None:
        problems = ["not measured"]
    return target, "PASS" if not problems else f"FAIL ({', '.join(problems)})"


def _fmt(value: float | None, pattern: str = "{:.0f}") -> str:
    return "—" if value is None else pattern.format(value)


def rows(results: list[Result], small_scale: float) -> list[list[str]]:
    hello = next((r.load for r in results if r.scenario.kind == BASELINE), None)
    hello_rate = hello.rate if hello else None
    found = [["Scenario", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors", "SQL/req",
              f"SQL/req at scale {small_scale:g}", "target", "met?"]]
    for result in results:
        load = result.load
        found.append([result.scenario.name, _fmt(load and load.requests), _fmt(load and load.rate),
                      _fmt(load and load.p50), _fmt(load and load.p95), _fmt(load and load.p99),
                      _fmt(load and load.failures), _fmt(result.statements, "{:.1f}"),
                      _fmt(result.probe_small, "{:.1f}"), *verdict(result, hello_rate)])
    return found


def table(cells: list[list[str]]) -> str:
    """A Markdown table: the first column and the last two left-aligned, the numbers right-aligned."""
    widths = [max(len(row[i]) for row in cells) for i in range(len(cells[0]))]
    left = {0, len(widths) - 2, len(widths) - 1}
    lines = []
    for index, row in enumerate(cells):
        lines.append("| " + " | ".join(cell.ljust(w) if i in left else cell.rjust(w)
                                        for i, (cell, w) in enumerate(zip(row, widths))) + " |")
        if index == 0:
            lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def headline(settings: dict) -> str:
    return (f"== Load benchmark (Locust {settings['locust']}): {settings['users']} users ({settings['think']:g} s "
            f"think time on signed-in pages), {settings['duration']:g} s per scenario after {settings['warmup']:g} s "
            f"warm-up, gunicorn {settings['workers']} workers x {settings['threads']} thread(s), "
            f"{settings['cpus']} CPUs ==")


def render(settings: dict, results: list[Result]) -> str:
    cells = rows(results, settings["small_scale"])
    met = [row[-1] for row in cells[1:] if row[-1] != "—"]
    return "\n".join([
        table(cells), "",
        f"Targets: {met.count('PASS')} of {len(met)} rows met. p50/p95/p99 are Locust's (whole ms below 100 ms); "
        f"SQL/req is the mean X-Query-Count under load, the scale-{settings['small_scale']:g} column the same page "
        f"on a dataset ten times smaller (one worker, a few requests each).",
    ])


if __name__ == "__main__":
    run_settings, run_results = read_run(Path(sys.argv[1]))
    print(headline(run_settings))
    print()
    print(render(run_settings, run_results))
