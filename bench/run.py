"""The load benchmark (README "Performance"): `make bench`, i.e. bench/run.sh, which runs this file.

1. Resets the PostgreSQL databases BENCH_DB (`bench`) and `<BENCH_DB>_small`, builds the schema (migrations;
   the models with a warning when the migrations lag behind them) and loads the dataset (bench/dataset.py) at
   BENCH_SCALE and at a tenth of it.
2. Serves the app (HONOURS_COUNT_QUERIES=1: each response says how many SQL statements it ran) and a bare
   Flask hello-world with the same gunicorn settings, on free ports of 127.0.0.1.
3. Drives every scenario (bench/scenarios.py, bench/locustfile.py) with Locust, headless: BENCH_USERS
   concurrent users for BENCH_DURATION seconds after a short warm-up, then one user a few requests on
   single-worker servers over both datasets (the SQL statements per request at two sizes). Locust's CSV files
   go to bench/results/<date-time>/; bench/report.py turns them into one table with the targets.

Settings (environment): BENCH_SCALE=1, BENCH_DURATION=15 (s per scenario), BENCH_WARMUP=2, BENCH_USERS=20,
BENCH_THINK=1, BENCH_WORKERS=4, BENCH_THREADS=1, BENCH_PEOPLE=150000 (person records at scale 1),
BENCH_PG=postgresql://postgres@127.0.0.1:5432, BENCH_DB=bench.
Other gunicorn settings come from gunicorn.conf.py (production), except worker recycling (off) and the log level.
"""
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
WORK = ROOT / "instance" / "bench"
RESULTS = BENCH / "results"
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))

import dataset  # noqa: E402  (bench/ is on sys.path: this file's directory)
import report  # noqa: E402
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
PEOPLE = int(os.environ.get("BENCH_PEOPLE", "150000"))  # person records at scale 1 (the people pages)
DATABASE = os.environ.get("BENCH_DB", "bench")  # reset by every run, and DATABASE_small with it
# Only these scenarios (their Locust user names, comma-separated, e.g. "People,PeopleSearch"); empty: all.
ONLY = {name.strip() for name in os.environ.get("BENCH_SCENARIOS", "").split(",") if name.strip()}
HOST = "127.0.0.1"  # servers and load stay on the loopback interface
CONFIG = ROOT / "gunicorn.conf.py"
LOCUST = BIN / "locust"
SETUP_SECONDS = 120  # Locust's users log in and take their first step (the ranking: seconds per worker)
PROBE_REQUESTS = 3


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


def load_dataset(url: str, scale: float) -> Path:
    """Loads the dataset; returns the path of its manifest (the accounts and ids the users take)."""
    from sqlalchemy.engine import make_url

    from honours.core.db import db

    started = time.perf_counter()
    with app_for(url).app_context():
        manifest = dataset.build(scale, people=PEOPLE)
        dataset.analyse()
        db.session.remove()
        db.engine.dispose()
    path = WORK / f"manifest-{make_url(url).database}.json"
    path.write_text(json.dumps(manifest, indent=1))
    rows = manifest["rows"]
    say(f"  scale {scale:g}: {rows['dossier']:,} dossiers, {rows['score_sheet']:,} score sheets, "
        f"{rows['score_item']:,} score items, {rows['council_member']:,} council seats, "
        f"{rows['organisation']:,} organisations, {manifest['honourees']} published honourees, "
        f"{rows.get('person', 0):,} person records "
        f"({time.perf_counter() - started:.1f} s)")
    return path


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
                with urllib.request.urlopen(f"http://{HOST}:{self.port}/", timeout=10):  # nosec B310 # loopback
                    return
            except urllib.error.HTTPError as error:
                if error.code < 500:
                    return
                break
            except OSError:
                time.sleep(0.3)
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
    # Production settings refuse to start without their own keys (the TOTP key must differ from SECRET_KEY).
    return {"DATABASE_URL": url, "SECRET_KEY": secrets.token_hex(32), "TOTP_ENCRYPTION_KEY": secrets.token_hex(32),
            "HONOURS_ENV": "production",
            "HONOURS_COUNT_QUERIES": "1", "HONOURS_INSTANCE_PATH": str(WORK / "instance"),
            "UPLOAD_FOLDER": str(WORK / "uploads")}


# ---------------------------------------------------------------- the run

def drive(scenario: scenarios.Scenario, port: int, prefix: Path, manifest: Path, users: int = USERS,
          warmup: float = WARMUP, duration: float = DURATION, think: float = THINK, requests: int = 0,
          seed: int = 1) -> None:
    """One headless Locust run of the scenario's user class against 127.0.0.1:port, bounded in time; its CSV
    files start with `prefix`. With `requests` it stops after that many measured requests instead."""
    limit = SETUP_SECONDS + warmup + duration
    env = {**os.environ, "BENCH_MANIFEST": str(manifest), "BENCH_THINK": str(think), "BENCH_WARMUP": str(warmup),
           "BENCH_DURATION": str(duration), "BENCH_REQUESTS": str(requests), "BENCH_SEED": str(seed)}
    command = [str(LOCUST), "-f", str(BENCH / "locustfile.py"), "--headless", "--users", str(users),
               "--spawn-rate", str(users), "--run-time", f"{limit:.0f}s", "--host", f"http://{HOST}:{port}",
               "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING", scenario.user]
    log = prefix.with_name(prefix.name + ".log")
    with log.open("w") as output:
        finished = subprocess.run(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
                                  timeout=limit + 60)
    text = log.read_text()
    if not prefix.with_name(prefix.name + "_queries.csv").exists():
        say(f"  WARNING: nothing measured (Locust exit status {finished.returncode}); see {log}:\n"
            + text.strip()[-2000:])
    elif finished.returncode not in (0, 1):  # 1: some requests failed, shown as errors in the table
        say(f"  WARNING: Locust exit status {finished.returncode}; see {log}")
    if "CPU usage above" in text:
        say("  note: Locust's own CPU was above 90% (it shares the machine): the rate may be the load generator's")


def main() -> int:
    if not LOCUST.exists():
        say(f"FAILED: {LOCUST} not found: install the bench extra (make bench does: pip install -e '.[dev,bench]').")
        return 1
    WORK.mkdir(parents=True, exist_ok=True)
    (WORK / "uploads").mkdir(exist_ok=True)
    folder = RESULTS / time.strftime("%Y%m%d-%H%M%S")
    folder.mkdir(parents=True)
    os.environ["HONOURS_INSTANCE_PATH"] = str(WORK / "instance")
    settings = {"scale": SCALE, "small_scale": SCALE / 10, "users": USERS, "think": THINK, "duration": DURATION,
                "warmup": WARMUP, "workers": WORKERS, "threads": THREADS, "cpus": os.cpu_count(),
                "locust": metadata.version("locust"), "database": DATABASE, "scenarios": sorted(ONLY)}
    (folder / "run.json").write_text(json.dumps(settings, indent=1))
    say(report.headline(settings))
    say(f"Datasets (PostgreSQL databases {DATABASE} and {DATABASE}_small):")
    url = prepare_schema(DATABASE)
    manifest = load_dataset(url, SCALE)
    small_url = prepare_schema(f"{DATABASE}_small")
    small_manifest = load_dataset(small_url, settings["small_scale"])

    servers = {}
    try:
        servers["app"] = Server("app", "wsgi:app", app_env(url))
        servers["hello"] = Server("hello", "hello:app", {}, chdir=BENCH)
        servers["probe"] = Server("probe", "wsgi:app", app_env(url), workers=1, threads=1)
        servers["probe_small"] = Server("probe_small", "wsgi:app", app_env(small_url), workers=1, threads=1)
        for server in servers.values():
            server.wait_ready()
        for scenario in scenarios.ALL:
            if ONLY and scenario.user not in ONLY:
                continue
            say(f"Running: {scenario.name} ...")
            drive(scenario, servers[scenario.server].port, folder / scenario.user, manifest)
            if scenario.server == "app":
                # Another seed than the load's first user, who worked on the same sheets: replaying its saves
                # (the same points) would update no score item and run one statement fewer.
                for name, data in (("probe", manifest), ("probe_small", small_manifest)):
                    drive(scenario, servers[name].port, folder / f"{name}-{scenario.user}", data,
                          users=1, warmup=0, duration=0, think=0, requests=PROBE_REQUESTS, seed=7)
    finally:
        for server in servers.values():
            server.stop()
    say("")
    say(report.render(*report.read_run(folder)))
    say(f"Locust's CSV files: {folder.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
