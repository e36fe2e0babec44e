"""The load benchmark (README "Performance"): `make bench`, i.e. bench/run.sh, which runs this file.

1. Resets the PostgreSQL databases `bench` and `bench_small`, builds the schema (migrations; the models with a
   warning when the migrations lag behind them) and loads the dataset (bench/dataset.py) at BENCH_SCALE and
   at a tenth of it.
2. Serves the app (HONOURS_COUNT_QUERIES=1: each response says how many SQL statements it ran) and a bare
   Flask hello-world with the same gunicorn settings, on free ports of 127.0.0.1.
3. Drives every scenario (bench/scenarios.py) with BENCH_USERS concurrent users for BENCH_DURATION seconds
   after a short warm-up, then probes each page once more on both datasets with a single-worker server, and
   prints one table with the targets.

Settings (environment): BENCH_SCALE=1, BENCH_DURATION=15 (s per scenario), BENCH_WARMUP=2, BENCH_USERS=20, BENCH_THINK=1,
BENCH_WORKERS=4, BENCH_THREADS=1, BENCH_PG=postgresql://postgres@127.0.0.1:5432. Other gunicorn settings come from
gunicorn.conf.py (production), except worker recycling (off) and the log level.
"""
import asyncio
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
WORK = ROOT / "instance" / "bench"
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))

import dataset  # noqa: E402  (bench/ is on sys.path: this file's directory)
import load  # noqa: E402
import scenarios  # noqa: E402

SCALE = float(os.environ.get("BENCH_SCALE", "1"))
DURATION = float(os.environ.get("BENCH_DURATION", "15"))
WARMUP = float(os.environ.get("BENCH_WARMUP", "2"))
USERS = int(os.environ.get("BENCH_USERS", "20"))
# Seconds a signed-in user reads a page before the next request (0.5x to 1.5x at random). The public pages and
# hello-world run back to back: they measure throughput. BENCH_THINK=0 drives every page back to back.
THINK = float(os.environ.get("BENCH_THINK", "1"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
THREADS = int(os.environ.get("BENCH_THREADS", "1"))  # 1: sync workers, as in production
PG = os.environ.get("BENCH_PG", "postgresql://postgres@127.0.0.1:5432").rstrip("/")
HOST = "127.0.0.1"
CONFIG = ROOT / "gunicorn.conf.py"

PUBLIC_SHARE_TARGET = 50  # % of hello-world requests/s
P95_TARGET_MS = 100


def say(message: str) -> None:
    print(message, flush=True)


# ---------------------------------------------------------------- databases

def reset_database(name: str) -> str:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return f"{PG}/{name}"


def app_for(url: str):
    from honours import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": secrets.token_hex(32),
                       "UPLOAD_FOLDER": str(WORK / "uploads")})


def prepare_schema(name: str) -> str:
    """Migrations as in production; the models' schema (create_all) if the migrations fail or lag behind."""
    url = reset_database(name)
    env = {**os.environ, "DATABASE_URL": url, "HONOURS_INSTANCE_PATH": str(WORK / "instance")}
    upgrade = subprocess.run([str(BIN / "flask"), "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=env,
                             capture_output=True, text=True)
    problem = None
    if upgrade.returncode != 0:
        problem = "flask db upgrade failed:\n" + (upgrade.stderr or upgrade.stdout).strip()[-2000:]
    else:
        from alembic.autogenerate import compare_metadata
        from alembic.runtime.migration import MigrationContext

        from honours.core.db import compared_by_autogenerate, db

        with app_for(url).app_context():
            with db.engine.connect() as connection:
                diff = compare_metadata(MigrationContext.configure(
                    connection, opts={"include_object": compared_by_autogenerate}), db.metadata)
            db.engine.dispose()
        if diff:
            problem = f"the migrations lag behind the models ({len(diff)} differences, e.g. {str(diff[0])[:160]})"
    if problem:
        say(f"  WARNING: {problem}\n  -> building the schema from the models (db.create_all) instead.")
        url = reset_database(name)
        from honours.core.db import db

        with app_for(url).app_context():
            db.create_all()
            db.engine.dispose()
    return url


def load_dataset(url: str, scale: float) -> dict:
    from sqlalchemy.engine import make_url

    from honours.core.db import db

    started = time.perf_counter()
    with app_for(url).app_context():
        manifest = dataset.build(scale)
        dataset.analyse()
        db.session.remove()
        db.engine.dispose()
    (WORK / f"manifest-{make_url(url).database}.json").write_text(json.dumps(manifest, indent=1))
    rows = manifest["rows"]
    say(f"  scale {scale:g}: {rows['dossier']:,} dossiers, {rows['score_sheet']:,} score sheets, "
        f"{rows['score_item']:,} score items, {rows['council_member']:,} council seats, "
        f"{rows['organisation']:,} organisations, {manifest['honourees']} published honourees "
        f"({time.perf_counter() - started:.1f} s)")
    return manifest


# ---------------------------------------------------------------- servers

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn with the production settings (gunicorn.conf.py) where the benchmark does not say otherwise."""

    def __init__(self, label: str, target: str, env: dict, workers: int = WORKERS, threads: int = THREADS,
                 chdir: Path = ROOT):
        self.label, self.port = label, free_port()
        self.log = WORK / f"{label}.log"
        settings = {"GUNICORN_BIND": f"{HOST}:{self.port}", "GUNICORN_WORKERS": str(workers),
                    "GUNICORN_THREADS": str(threads), "GUNICORN_LOG_LEVEL": "warning",
                    # Recycling a worker every 1000 requests would restart them every few seconds here.
                    "GUNICORN_MAX_REQUESTS": "0"}
        command = [str(BIN / "gunicorn"), "--chdir", str(chdir), target]
        if CONFIG.exists():
            command[1:1] = ["--config", str(CONFIG)]
        else:
            command[1:1] = ["--bind", settings["GUNICORN_BIND"], "--workers", str(workers), "--threads", str(threads),
                            "--log-level", "warning"]
        with self.log.open("w") as log:
            self.process = subprocess.Popen(command, env={**os.environ, **settings, **env}, stdout=log, stderr=log,
                                            start_new_session=True)

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:  # the master listens before its workers have imported the app: wait for an answer
                response = asyncio.run(load.fetch(HOST, self.port, "/"))
            except load.HttpError:
                time.sleep(0.3)
                continue
            if response.status < 500:
                return
            break
        raise RuntimeError(f"{self.label} did not start; see {self.log}:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def app_env(url: str) -> dict:
    return {"DATABASE_URL": url, "SECRET_KEY": secrets.token_hex(32), "HONOURS_ENV": "production",
            "HONOURS_COUNT_QUERIES": "1", "HONOURS_INSTANCE_PATH": str(WORK / "instance"),
            "UPLOAD_FOLDER": str(WORK / "uploads")}


# ---------------------------------------------------------------- the run

def fmt(value, pattern: str = "{:.0f}") -> str:
    return "—" if value is None else pattern.format(value)


def table(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for index, row in enumerate(rows):
        lines.append("| " + " | ".join(cell.ljust(w) if i == 0 or i == len(row) - 1 else cell.rjust(w)
                                        for i, (cell, w) in enumerate(zip(row, widths))) + " |")
        if index == 0:
            lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def main() -> int:
    WORK.mkdir(parents=True, exist_ok=True)
    (WORK / "uploads").mkdir(exist_ok=True)
    os.environ["HONOURS_INSTANCE_PATH"] = str(WORK / "instance")
    small_scale = SCALE / 10
    say(f"== Load benchmark: {USERS} users ({THINK:g} s think time on signed-in pages), {DURATION:g} s per "
        f"scenario after {WARMUP:g} s warm-up, gunicorn "
        f"{WORKERS} workers x {THREADS} thread(s), {os.cpu_count()} CPUs ==")
    say("Datasets (PostgreSQL databases bench and bench_small):")
    url = prepare_schema("bench")
    manifest = load_dataset(url, SCALE)
    small_url = prepare_schema("bench_small")
    small_manifest = load_dataset(small_url, small_scale)

    servers = {}
    try:
        servers["app"] = Server("app", "wsgi:app", app_env(url))
        servers["hello"] = Server("hello", "hello:app", {}, chdir=BENCH)
        servers["probe"] = Server("probe", "wsgi:app", app_env(url), workers=1, threads=1)
        servers["probe_small"] = Server("probe_small", "wsgi:app", app_env(small_url), workers=1, threads=1)
        for server in servers.values():
            server.wait_ready()
        results = {}
        for scenario in scenarios.ALL:
            scenario.users = USERS
            say(f"Running: {scenario.name} ...")
            server = servers[scenario.server]
            think = THINK if scenario.kind == scenarios.AUTHENTICATED else 0.0
            stats = asyncio.run(load.drive(HOST, server.port, scenario, manifest, USERS, DURATION, WARMUP,
                                           think=think))
            probes = (None, None)
            if scenario.server == "app":
                probes = tuple(asyncio.run(load.probe(HOST, servers[name].port, scenario, data)).mean_queries
                               for name, data in (("probe", manifest), ("probe_small", small_manifest)))
            results[scenario.name] = (scenario, stats, probes)
            for sample in stats.error_samples:
                say(f"  error: {sample}")
    finally:
        for server in servers.values():
            server.stop()
    print_report(results)
    return 0


def print_report(results: dict) -> None:
    hello = next(stats for scenario, stats, _ in results.values() if scenario.server == "hello")
    hello_rate = len(hello.latencies) / DURATION
    rows = [["Scenario", "req/s", "p50 ms", "p95 ms", "errors", "SQL/req", f"SQL/req at scale {SCALE / 10:g}",
             "target"]]
    verdicts = []
    for scenario, stats, (probe_big, probe_small) in results.values():
        rate = len(stats.latencies) / DURATION
        p50, p95 = stats.percentile(50), stats.percentile(95)
        if scenario.server == "hello":
            target = "baseline"
        elif scenario.kind == scenarios.INFORMATION:
            target = f"information ({100 * rate / hello_rate if hello_rate else 0:.0f}% of hello-world)"
        elif scenario.kind == scenarios.PUBLIC:
            share = 100 * rate / hello_rate if hello_rate else 0
            ok = share >= PUBLIC_SHARE_TARGET and not stats.errors
            target = f"{share:.0f}% of hello-world (≥ {PUBLIC_SHARE_TARGET}%): {'PASS' if ok else 'FAIL'}"
            verdicts.append(ok)
        else:
            ok = p95 is not None and p95 * 1000 < P95_TARGET_MS and not stats.errors
            target = f"p95 < {P95_TARGET_MS} ms: {'PASS' if ok else 'FAIL'}"
            verdicts.append(ok)
        if scenario.server == "app":
            same = probe_big is not None and probe_big == probe_small
            target += f"; SQL same on both sizes: {'PASS' if same else 'FAIL'}"
            verdicts.append(same)
        rows.append([scenario.name, fmt(rate), fmt(p50 and p50 * 1000, "{:.1f}"), fmt(p95 and p95 * 1000, "{:.1f}"),
                     str(stats.errors), fmt(stats.mean_queries, "{:.1f}"),
                     fmt(probe_small, "{:.1f}"), target])
    say("")
    say(table(rows))
    say("")
    say(f"Targets: {sum(verdicts)} of {len(verdicts)} met. SQL/req is the mean X-Query-Count under load; the "
        f"scale-{SCALE / 10:g} column is the same page on a dataset ten times smaller.")


if __name__ == "__main__":
    sys.exit(main())
