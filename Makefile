# Two entry points for a newcomer (see README): `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi

.PHONY: run test install browser audit lint lint-html screenshots documents

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip setuptools
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed

install: $(VENV)/.installed

# Installs, migrates the SQLite database, loads the demo data (once) and serves http://127.0.0.1:5000, with the
# background-jobs worker (exports, large imports) running beside the web server; both stop together (Ctrl-C).
run: install instance/secret_key
	$(FLASK) db upgrade
	$(FLASK) seed-demo --if-empty
	@$(FLASK) jobs work & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; trap 'exit 130' INT TERM; \
	$(FLASK) run --host 127.0.0.1 --port 5000

# A random SECRET_KEY of this machine's own (read by honours/config.py when SECRET_KEY is not set): nobody can
# forge a session cookie with the published default.
instance/secret_key:
	@mkdir -p instance
	@umask 077 && $(BIN)/python -c 'import secrets; print(secrets.token_hex(32))' > $@.tmp && mv $@.tmp $@
	@echo "Generated a random SECRET_KEY in $@"

# Installs, provides Debian's Chromium for the browser tests, and runs the whole suite
test: install browser
	$(BIN)/pytest $(PYTEST_ARGS)

browser:
	@sh scripts/ensure-chromium.sh

# Security checks, run by .ci/run: bandit on our code (reviewed exceptions carry `# nosec <id> # reason`) and
# pip-audit on everything installed in $(VENV) (the project itself skipped). Either finding fails the target.
# pip-audit needs pypi.org (or, with PIP_AUDIT_ARGS="--vulnerability-service osv", osv.dev); offline it can
# only list the packages it could not check, so CI with network access should add --strict.
PIP_AUDIT_ARGS ?=
audit: install
	$(BIN)/bandit -q -r honours demo -c pyproject.toml
	$(BIN)/pip-audit --skip-editable --progress-spinner off $(PIP_AUDIT_ARGS)

# Style and structure, run by .ci/run: ruff (pyflakes, bugbear, import order, complexity) and the import-linter
# contracts in pyproject.toml (features depend one way; the runtime package never imports the demo).
lint: install
	$(BIN)/ruff check honours demo tests bench scripts migrations wsgi.py gunicorn.conf.py
	$(BIN)/lint-imports --no-cache

# Valid HTML, run by .ci/run: the Nu Html Checker (npm vnu-jar, pinned in scripts/ensure-vnu.sh, fetched once into
# .cache/vnu/; Java 17+) on every page of the route x role matrix, rendered from the demo data. 0 errors required.
lint-html: install
	$(BIN)/python scripts/lint_html.py $(LINT_HTML_ARGS)

# PNGs at 390 px and 1366 px of the main pages (public and per role) into screenshots/ (git-ignored).
screenshots: install browser
	$(BIN)/python scripts/screenshots.py

# The official documents (PDF and Word) of the demo's confirmed council session, with a PNG of each PDF's first
# page, into documents/ (git-ignored); see docs/documents.md.
documents: install
	$(BIN)/python scripts/make_documents.py

# Load benchmark (see README, "Performance"): PostgreSQL on 127.0.0.1:5432, about 4 minutes; prints one table.
# Settings through the environment, e.g. BENCH_SCALE=0.1 BENCH_DURATION=5 make bench (bench/README.md).
.PHONY: bench
bench: install
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	@bash bench/run.sh
