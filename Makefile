# The two commands a newcomer runs: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# seed_demo prints the login address with them
export HOST PORT

.PHONY: run setup test test-fast nginx pgbouncer lint typecheck typecheck-shrink check-migrations check-deploy browser clamav pytest messages bench clean

$(PY):
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed"'
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(PY)
	$(PIP) install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

## setup: virtualenv, install, migrate, reference data, demo data and demo accounts
setup: $(VENV)/.installed
	$(MANAGE) migrate --noinput
	$(MANAGE) load_reference_data
	$(MANAGE) seed_demo

## run: set everything up, then serve http://127.0.0.1:8000 (SQLite, tasks in-process);
## deadline reminders run in a background loop (manage.py sweep --loop 600) that stops with it
run: setup
	$(MANAGE) sweep --loop 600 & SWEEP=$$!; trap "kill $$SWEEP 2>/dev/null" EXIT INT TERM; \
	$(MANAGE) runserver $(HOST):$(PORT)

## browser: Debian's Chromium for the browser test (never `playwright install`)
browser:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "NOTE: /usr/bin/chromium is missing and cannot be installed here: the browser test will be skipped (apt-get install -y chromium)"; fi

## clamav: Debian's ClamAV daemon for the antivirus test, which starts it with the project's
## test signature (tests/clamav/); never run as a service here, never freshclam
clamav:
	@if [ -x /usr/sbin/clamd ] || command -v clamd >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends clamav-daemon >/dev/null; \
	elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends clamav-daemon >/dev/null; \
	else echo "NOTE: clamd is missing and cannot be installed here: the antivirus tests will be skipped (apt-get install -y clamav-daemon)"; fi

## nginx: Debian's nginx unpacked into .tools/nginx (apt-get download, no root, no service
## started), for the test of deploy/nginx/laichau.conf
NGINX := .tools/nginx/usr/sbin/nginx
nginx: $(NGINX)
$(NGINX):
	@mkdir -p .tools/nginx/debs
	@(cd .tools/nginx/debs && apt-get download nginx nginx-common >/dev/null 2>&1) \
	  || echo "NOTE: could not download Debian's nginx: the nginx test will be skipped"
	@for deb in .tools/nginx/debs/*.deb; do [ -f "$$deb" ] && dpkg -x "$$deb" .tools/nginx; done; true

## pgbouncer: Debian's PgBouncer unpacked into .tools/pgbouncer (apt-get download, no root, no
## service started), with the libraries a fresh machine may lack (c-ares, libevent; the test
## puts them on LD_LIBRARY_PATH), for the test that runs the suite through it in transaction mode
PGBOUNCER := .tools/pgbouncer/usr/sbin/pgbouncer
PGBOUNCER_DEBS := pgbouncer libc-ares2 libevent-2.1-7
pgbouncer: $(PGBOUNCER)
$(PGBOUNCER):
	@mkdir -p .tools/pgbouncer/debs
	@(cd .tools/pgbouncer/debs && { apt-get download $(PGBOUNCER_DEBS) >/dev/null 2>&1 \
	  || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get download $(PGBOUNCER_DEBS) >/dev/null 2>&1; }; }) \
	  || echo "NOTE: could not download Debian's pgbouncer: the PgBouncer test will be skipped (failed under CI=true)"
	@for deb in .tools/pgbouncer/debs/*.deb; do [ -f "$$deb" ] && dpkg -x "$$deb" .tools/pgbouncer; done; true

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

## typecheck: mypy (django-stubs, djangorestframework-stubs) against mypy-baseline.txt: fails on
## an error not in the baseline, and on a baseline entry that is gone (then: make typecheck-shrink)
typecheck: $(VENV)/.installed-dev
	$(PY) scripts/typecheck.py

## typecheck-shrink: drop the entries of mypy-baseline.txt that mypy no longer reports (never adds)
typecheck-shrink: $(VENV)/.installed-dev
	$(PY) scripts/typecheck.py --shrink

check-migrations: $(VENV)/.installed-dev
	DJANGO_SETTINGS_MODULE=laichau_portal.settings.test $(MANAGE) makemigrations --check --dry-run

check-deploy: $(VENV)/.installed-dev
	DJANGO_SETTINGS_MODULE=laichau_portal.settings.production \
	DJANGO_SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	DJANGO_ALLOWED_HOSTS=tiepcongdan.laichau.gov.vn \
	PORTAL_FIELD_KEYS="$$($(PY) -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')" \
	PORTAL_PSEUDONYM_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	PORTAL_UPLOAD_SCANNER=unix:///run/clamav/clamd.ctl \
	PORTAL_SITE_URL=https://tiepcongdan.laichau.gov.vn \
	$(MANAGE) check --deploy --fail-level WARNING

pytest: $(VENV)/.installed-dev
	$(VENV)/bin/pytest $(PYTEST_ARGS)

## pytest-plain: the tests not marked slow again with the fast paths off (PORTAL_FAST_PATHS=false:
## the plain ORM twins of gov.fast), so that a Django or psycopg upgrade that breaks a fast path
## still leaves a tested way to run
pytest-plain: $(VENV)/.installed-dev
	PORTAL_FAST_PATHS=false $(VENV)/bin/pytest -m "not slow" -p no:cacheprovider $(PYTEST_ARGS)

## test: install the dev dependencies, the browser, clamd, nginx and PgBouncer, then lint, types, checks and the whole suite
test: $(VENV)/.installed-dev browser clamav nginx pgbouncer lint typecheck check-migrations check-deploy pytest pytest-plain

## test-fast: lint, the type check and the tests not marked slow (about a third of the time);
## `make test` still runs everything
test-fast: $(VENV)/.installed-dev lint typecheck
	$(VENV)/bin/pytest -m "not slow" $(PYTEST_ARGS)

## messages: refresh the translation catalogues after changing user-facing strings
messages: $(VENV)/.installed-dev
	$(MANAGE) makemessages -l vi -l en --no-obsolete --ignore=.venv --ignore=.tools --ignore=staticfiles
	$(MANAGE) compilemessages --ignore=.venv

## bench: measure pages, the public API and the sweep at BENCH_SMALL (10k) and BENCH_LARGE (1M)
## generated items, each in its own scratch PostgreSQL database (laichau_bench_small,
## laichau_bench; kept between runs, so the million rows are generated once); writes
## docs/performance.md. Not in `make test`.
BENCH_DB ?= laichau_bench
BENCH_DB_SMALL ?= laichau_bench_small
BENCH_LARGE ?= 1000000
BENCH_PG ?= -h 127.0.0.1 -U postgres
bench: $(VENV)/.installed
	for db in $(BENCH_DB_SMALL) $(BENCH_DB); do \
	  psql $(BENCH_PG) -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$$db'" | grep -q 1 \
	    || createdb $(BENCH_PG) $$db || exit 1; \
	done
	DJANGO_SETTINGS_MODULE=laichau_portal.settings.bench \
	BENCH_DB=$(BENCH_DB) BENCH_DB_SMALL=$(BENCH_DB_SMALL) \
	REDIS_URL=redis://127.0.0.1:6379/5 CACHE_KEY_PREFIX=laichau-bench \
	BENCH_LARGE=$(BENCH_LARGE) $(PY) bench/run.py
