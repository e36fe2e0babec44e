#!/usr/bin/env bash
# The load benchmark, from a fresh clone: installs the project into .venv (gunicorn included), makes sure
# PostgreSQL answers on 127.0.0.1:5432 (starting the local cluster like .ci/run does), then runs bench/run.py,
# which resets the databases "bench" and "bench_small", loads the dataset, serves the app and a bare Flask
# hello-world with gunicorn, drives them and prints one comparison table. Settings: see bench/README.md.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

PG_HOST=127.0.0.1
PG_PORT=5432

make --no-print-directory install

pg_ready() {
    pg_isready -q -h "$PG_HOST" -p "$PG_PORT"
}

if ! command -v pg_isready >/dev/null 2>&1; then
    echo "FAILED: pg_isready not found; install PostgreSQL (Debian: apt-get install postgresql)." >&2
    exit 1
fi
if ! pg_ready; then
    version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1 || true)
    if [ -z "$version" ]; then
        echo "FAILED: PostgreSQL does not answer on ${PG_HOST}:${PG_PORT} and no cluster exists in /etc/postgresql." >&2
        exit 1
    fi
    echo "Starting the PostgreSQL ${version}/main cluster..."
    pg_ctlcluster --skip-systemctl-redirect "$version" main start
    for _ in $(seq 1 30); do
        pg_ready && break
        sleep 1
    done
    if ! pg_ready; then
        echo "FAILED: PostgreSQL still does not answer on ${PG_HOST}:${PG_PORT} after 30 s." >&2
        exit 1
    fi
fi

exec .venv/bin/python bench/run.py "$@"
