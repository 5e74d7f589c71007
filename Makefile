# Advocate: `make run` serves the app with its worker and scheduler; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT
# Test processes (pytest-xdist); each gets its own test database.
TEST_WORKERS ?= 2

.PHONY: run test bench lighthouse loadtest lint format install lock upgrade migrate demo vendor clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Installs exactly the lock (every package pinned, every file's hash checked), then the app
# itself without dependencies; reinstalls only when the lock or pyproject.toml changes.
$(VENV)/.installed: requirements-dev.lock requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

install: $(VENV)/.installed

# The locks: requirements.lock (the image) and requirements-dev.lock (make install), resolved
# by uv (itself pinned in the dev extra) from pyproject.toml's exact pins, for Python 3.11 on
# any platform. `make lock` after editing pyproject.toml keeps every other package where it is;
# `make upgrade` moves every unpinned (transitive) package to its newest release. The image's
# packages are the development set's, version for version (-c).
LOCK_FLAGS = --generate-hashes --universal --python-version 3.11 --quiet --custom-compile-command "make lock"
lock: install
	$(BIN)/uv pip compile pyproject.toml --extra dev $(LOCK_FLAGS) $(UPGRADE) -o requirements-dev.lock
	$(BIN)/uv pip compile pyproject.toml -c requirements-dev.lock $(LOCK_FLAGS) $(UPGRADE) -o requirements.lock
	$(MAKE) install

upgrade:
	$(MAKE) lock UPGRADE=--upgrade

var:
	mkdir -p var/celery/queue var/celery/processed var/celery/control var/mail

migrate: install var
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py refresh_nudges

# Honcho gives each process its own PORT (web 8000, worker 8100, ...): ADVOCATE_PORT is the one
# served, so links in emails sent by the worker follow it. `exec` makes the launcher make's own
# child, and the launcher stops everything however make ends (crm/devserver.py).
run: demo
	@echo "Advocate on http://127.0.0.1:$(PORT) (web, Celery worker and beat; Ctrl-C stops all)"
	ADVOCATE_PORT=$(PORT) PATH="$(CURDIR)/$(BIN):$$PATH" exec $(BIN)/python -m crm.devserver $(BIN)/honcho start -f Procfile.dev

test: install var
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

bench: install var
	$(BIN)/python -m tests.bench
	$(MAKE) lighthouse

# Lighthouse (mobile preset) on the production build: DEBUG=false, gunicorn, hashed and
# compressed static files; about two minutes (tests/bench/lighthouse.sh).
lighthouse: install var
	tests/bench/lighthouse.sh

# 50 students at once against gunicorn with the production settings (tests/load/__main__.py);
# needs DATABASE_URL (PostgreSQL) and REDIS_URL.
loadtest: install var
	$(BIN)/python -m tests.load

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Refresh the vendored CSS from the npm registry (the copy is committed; npm is optional).
vendor:
	npm install --no-audit --no-fund
	cp node_modules/@picocss/pico/css/pico.min.css static/vendor/pico.min.css
	cp node_modules/axe-core/axe.min.js tests/browser/axe.min.js
	cp node_modules/ical.js/dist/ical.min.js tests/reminders/icaljs/ical.min.mjs

clean:
	rm -rf $(VENV) var staticfiles
