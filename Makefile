# The few commands people type. `make run` and `make test` install everything they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SC := $(BIN)/safecities
STATIC_VENDOR := src/safecities/static/vendor

.PHONY: run test install assets lint format bench messages clean

run: install
	@mkdir -p var
	$(SC) migrate --no-input
	$(SC) loaddemo --if-empty
	$(SC) demologins
	@# The background worker (imports) runs beside the server and stops with it.
	$(SC) db_worker --no-reload & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(SC) runserver 127.0.0.1:8000

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

install: $(VENV)/.installed $(STATIC_VENDOR)/.built

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

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(SC) makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install
	$(SC) bench $(BENCH_ARGS)

messages: install
	cd src/safecities && ../../$(SC) makemessages --all --no-obsolete --ignore 'static/*'
	cd src/safecities && ../../$(SC) compilemessages

clean:
	rm -rf $(VENV) node_modules $(STATIC_VENDOR) var
