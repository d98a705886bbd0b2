# The few commands people type. `make run` and `make test` install everything they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SC := $(BIN)/safecities
STATIC_VENDOR := src/safecities/static/vendor

.PHONY: run test test-fast install system-libs test-system assets lint format bench bench-pg loadtest messages clean

run: install
	@mkdir -p var
	$(SC) migrate --no-input
	$(SC) loadregistry
	$(SC) loaddemo --if-empty
	$(SC) demologins
	@# The background worker (imports), the retention rules (daily) and the sending of owed
	@# mail (every five minutes) run beside the server and stop with it.
	$(SC) db_worker --no-reload & worker=$$!; \
	$(SC) retention --every 86400 & retention=$$!; \
	$(SC) sendmail --every 300 & sendmail=$$!; \
	trap 'kill $$worker $$retention $$sendmail 2>/dev/null' EXIT INT TERM; \
	$(SC) runserver 127.0.0.1:8000

# The suite runs in parallel, one pytest-xdist worker per core (PYTEST_WORKERS=0: one process).
# Each worker has its own test database and loads the demo network once. pytest's exit code 5
# (no test collected: a filter or path that matched nothing) fails the target with a message.
PYTEST_WORKERS ?= auto
PYTEST = $(BIN)/pytest -n $(PYTEST_WORKERS) $(1) $(PYTEST_ARGS); status=$$?; \
	if [ $$status = 5 ]; then echo "pytest collected no test" >&2; fi; exit $$status
FAST_MARKERS := not browser and not real_worker and not deploy

test: install test-system
	@$(call PYTEST,)

# The quick subset: everything but the browser, real-worker and deployment tests.
test-fast: install
	@$(call PYTEST,-m "$(FAST_MARKERS)")

install: system-libs $(VENV)/.installed $(STATIC_VENDOR)/.built

# WeasyPrint (the PDF reports) loads the system's Pango. A bare Debian machine lacks it: root,
# or a user with password-less sudo, installs it here; anyone else is told the one command.
PANGO := libpango-1.0-0 libpangoft2-1.0-0
system-libs:
	@/sbin/ldconfig -p | grep -q libpangoft2-1.0 || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; elif sudo -n true 2>/dev/null; then SUDO=sudo; \
	  else echo "PDF reports need Pango: sudo apt-get install $(PANGO)" >&2; exit 1; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
	    --no-install-recommends $(PANGO) >/dev/null; }

# The suite drives Debian's chromium (never a downloaded browser) and starts PostgreSQL servers
# of its own for the deployment tests: installed here as Pango is, when missing.
TEST_PACKAGES := chromium postgresql
test-system:
	@missing=; [ -x /usr/bin/chromium ] || missing="chromium"; \
	  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	  [ -z "$$missing" ] || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; elif sudo -n true 2>/dev/null; then SUDO=sudo; \
	  else echo "The tests need: sudo apt-get install $$missing" >&2; exit 1; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
	    --no-install-recommends $$missing >/dev/null; }

$(VENV)/.installed: pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

$(STATIC_VENDOR)/.built: node_modules/.installed scripts/build-assets.mjs
	npm run --silent build
	touch $@

assets: $(STATIC_VENDOR)/.built

# The type check covers the services and selectors (modules or packages): the typed contracts
# the pages, the API and the commands call. The layers contract is in pyproject.toml.
TYPED = $$(find src/safecities -path '*/migrations' -prune -o \( -name 'services.py' \
	-o -name 'selectors.py' -o -path '*/services/*.py' -o -path '*/selectors/*.py' \) -print)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy $(TYPED)
	$(SC) makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install
	$(SC) bench $(BENCH_ARGS)

# The bench on a PostgreSQL server started for it on loopback, stopped at the end; the table
# goes to BENCH_PG_OUTPUT (default var/bench-postgresql.md).
bench-pg: install
	benchmarks/bench-pg $(BENCH_ARGS)

# Throughput under gunicorn and locust on loopback, over the bench database of the last
# `make bench` (see docs/performance.md), e.g. LOADTEST_ARGS="--seconds 10 --output FILE".
loadtest: install
	$(BIN)/python benchmarks/loadtest.py $(LOADTEST_ARGS)

messages: install
	cd src/safecities && ../../$(SC) makemessages --all --no-obsolete --ignore 'static/*'
	cd src/safecities && ../../$(SC) compilemessages

clean:
	rm -rf $(VENV) node_modules $(STATIC_VENDOR) var
