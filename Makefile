# Merchant Incubator. `make help` lists the targets.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py
APPS_WITH_LOCALE := core courses mentors incubator/recruitment incubator/merchants incubator/cooperatives incubator/villages incubator/pavilion incubator/outreach
# The test suite's real parts: PostgreSQL and Redis on this machine (override to point elsewhere).
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/incubator
TEST_BROKER_URL ?= redis://127.0.0.1:6379/15

.DEFAULT_GOAL := help
.PHONY: help venv install lock audit-strict messages makemessages migrate seed run test test-fast lint format serve audit bench audit-pages clean

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-14s\033[0m %s\n", $$1, $$2}'

# The locks: every package pinned with its PyPI hashes (requirements.lock for production,
# requirements-dev.lock adds the tools). pip checks every file against them whichever index or
# find-links directory pip.conf names (and prefers the files whose index lists a matching hash).
# PIP_CONSTRAINT=/dev/null overrides a constraint file set in pip.conf (an empty value would not),
# so the lock alone decides, as on a clean machine.
PIP_INSTALL_LOCK := PIP_CONSTRAINT=/dev/null $(PIP) install -q --require-hashes -r
$(VENV)/.installed: requirements.lock requirements-dev.lock
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON))"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL_LOCK) requirements-dev.lock
	touch $@

install: $(VENV)/.installed ## Create .venv and install the locked requirements (requirements-dev.lock, hashed)

# uv resolves from PyPI only (no pip config, no local indexes), for Python 3.11 on any platform.
UV_COMPILE = env -u UV_INDEX -u UV_EXTRA_INDEX_URL -u UV_FIND_LINKS -u UV_CONSTRAINT $(VENV)/bin/uv pip compile \
	--quiet --no-config --default-index https://pypi.org/simple --universal --python-version 3.11 \
	--generate-hashes --custom-compile-command "make lock" $(if $(UPGRADE),--upgrade)
lock: install ## Re-resolve requirements*.txt into requirements*.lock (keeps current pins; UPGRADE=1 for the newest allowed)
	$(UV_COMPILE) requirements.txt -o requirements.lock
	$(UV_COMPILE) requirements-dev.txt -c requirements.lock -o requirements-dev.lock
	@echo "Locked. Run make install to apply, and commit requirements*.txt with requirements*.lock."

messages: install ## Compile the translations (.po -> .mo)
	bash scripts/system-deps.sh run
	$(MANAGE) compilemessages -v 0 -i .venv -i node_modules

makemessages: install ## Extract translatable strings into each app's locale/ and the project's
	for app in $(APPS_WITH_LOCALE); do (cd $$app && $(CURDIR)/$(PY) $(CURDIR)/manage.py makemessages -l zh_Hans -v 0); done
	$(MANAGE) makemessages -l zh_Hans -v 0 $(foreach app,$(APPS_WITH_LOCALE),-i "$(app)/*") -i ".venv/*" -i "staticfiles/*" -i "node_modules/*" -i "bench/*"

migrate: install ## Apply database migrations
	$(MANAGE) migrate --noinput -v 0

seed: migrate ## Load the demo county (safe to run twice)
	$(MANAGE) seed_demo

run: messages seed ## Set up everything and run the site on http://127.0.0.1:8000 (SQLite, eager tasks)
	@echo ""
	@echo "  Merchant Incubator is running at http://127.0.0.1:8000/  (admin: http://127.0.0.1:8000/admin/)"
	@echo ""
	$(MANAGE) runserver 127.0.0.1:8000

# The browser audit's tools (axe-core, the Nu HTML checker, Lighthouse) from package-lock.json:
# installed again whenever the lock or package.json is newer than the last install (or the folder
# is missing). `make test` needs them too: the signed-in lesson pages are checked in the suite.
NODE_TOOLS := node_modules/.installed
$(NODE_TOOLS): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# The suite runs in two steps: everything but the fault drills spread over the cores (pytest-xdist,
# TEST_WORKERS of them, each with its own test database), then the drills one at a time, since
# they stop and restart the machine's PostgreSQL and Redis under everything else.
TEST_ENV = DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} CELERY_BROKER_URL=$${CELERY_BROKER_URL:-$(TEST_BROKER_URL)}
TEST_WORKERS ?= auto
test: messages ## Run the whole test suite on PostgreSQL with a real Celery worker on Redis
	bash scripts/system-deps.sh test
	$(MAKE) --no-print-directory $(NODE_TOOLS)
	bash scripts/ensure-services.sh
	$(TEST_ENV) $(VENV)/bin/pytest -m "not drill" -n $(TEST_WORKERS) --dist loadgroup $(COV_FIRST) $(PYTEST_ARGS)
	$(TEST_ENV) $(VENV)/bin/pytest -m drill $(COV_LAST) $(PYTEST_ARGS)

# COVERAGE=1 makes make test print the coverage of the project's code (pyproject.toml
# [tool.coverage]) over both steps and write test-artifacts/coverage.xml. It is off by default:
# measuring it makes the suite about a quarter slower (18 minutes instead of 14 on the 2 cores
# of the CI machine, whose limit is 15).
COVERAGE ?= 0
COV_FIRST = $(if $(filter 1,$(COVERAGE)),--cov --cov-report=)
COV_LAST = $(if $(filter 1,$(COVERAGE)),--cov --cov-append --cov-report=term:skip-covered --cov-report=xml:test-artifacts/coverage.xml)

test-fast: messages ## The suite on SQLite without the worker, browser, drill and slow tests (for quick iteration)
	$(VENV)/bin/pytest -m "not worker and not browser and not drill and not slow" -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

lint: install ## Ruff (lint and format check) and makemigrations --check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run -v 0

format: install ## Format the code with ruff
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

serve: messages ## Run the production stack here: gunicorn, a Celery worker and beat (needs DATABASE_URL, CELERY_BROKER_URL, SECRET_KEY)
	bash scripts/serve.sh

audit: install ## Security audit: bandit (no high findings allowed) and pip-audit on requirements.lock (says when it could not check)
	$(VENV)/bin/bandit -q -r core courses mentors incubator -x '*/migrations/*' --severity-level high
	$(PY) scripts/audit_deps.py requirements.lock $(if $(filter 1,$(AUDIT_STRICT)),--strict)

audit-strict: ## make audit, but failing when pip-audit could not reach its advisory service
	$(MAKE) audit AUDIT_STRICT=1

bench: install ## Benchmark at county scale on PostgreSQL with gunicorn and wrk; writes docs/benchmarks.md
	bash scripts/ensure-services.sh
	bash bench/run.sh

audit-pages: install $(NODE_TOOLS) ## Lighthouse, axe-core and the Nu HTML checker on the key pages in Chromium; writes docs/pages.md
	$(PY) scripts/audit_pages.py $(AUDIT_ARGS)

clean: ## Remove the virtualenv, the SQLite database and collected static files
	rm -rf $(VENV) db.sqlite3 staticfiles
