# Two entry points for a newcomer (see README): `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi

.PHONY: run test install browser

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed

install: $(VENV)/.installed

# Installs, migrates the SQLite database, loads the demo data (once) and serves http://127.0.0.1:5000
run: install
	$(FLASK) db upgrade
	$(FLASK) seed-demo --if-empty
	$(FLASK) run --host 127.0.0.1 --port 5000

# Installs, provides Debian's Chromium for the browser tests, and runs the whole suite
test: install browser
	$(BIN)/pytest $(PYTEST_ARGS)

browser:
	@sh scripts/ensure-chromium.sh
