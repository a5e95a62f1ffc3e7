# defcoop: the two set-up commands are `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SHARED ?= ../shared
DB ?= sqlite:///$(CURDIR)/.defcoop-sample.db

.PHONY: install run test test-fast lint eval bench serve clean postgres test-postgres bench-store system-deps

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The web UI's libraries (Leaflet, world-atlas, topojson-client) come from npm and are
# copied into the package; the browser then loads everything from the defcoop server.
WEB_VENDOR := src/defcoop/web/static/vendor/.built
$(WEB_VENDOR): frontend/package.json frontend/package-lock.json frontend/build.mjs
	@npm --version >/dev/null 2>&1 || { echo "npm (Node.js 18+) is needed to build the web UI: apt-get install nodejs npm" >&2; exit 1; }
	cd frontend && npm ci --no-audit --no-fund --loglevel=error && npm run --silent build
	touch $(WEB_VENDOR)

install: $(STAMP) $(WEB_VENDOR)

run: $(STAMP) $(WEB_VENDOR)
	$(BIN)/defcoop ingest samples --db $(DB)
	$(BIN)/defcoop events --db $(DB)
	@echo "Browse these events in the web UI: make serve  (or $(BIN)/defcoop serve --db $(DB)), then open http://127.0.0.1:8000/"

test: $(STAMP) $(WEB_VENDOR) system-deps
	$(BIN)/pytest -q

# The browser tests drive Debian's chromium and the PostgreSQL tests start Debian's
# postgresql binaries; as root they are installed here, otherwise those tests skip.
system-deps:
	@if [ "$$(id -u)" = 0 ]; then 		command -v chromium >/dev/null 2>&1 || { apt-get update && apt-get install -y chromium; }; 		ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { apt-get update && apt-get install -y postgresql; }; 	fi

# The PostgreSQL tests and bench/store_speed.py start a throwaway server from Debian's
# postgresql binaries (initdb, pg_ctl); they skip when these are absent.
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update && apt-get install -y postgresql; \
		else echo "run as root: apt-get install postgresql" >&2; exit 1; fi; }

test-postgres: $(STAMP) postgres
	$(BIN)/pytest -q -m postgres

bench-store: $(STAMP) postgres
	$(BIN)/python bench/store_speed.py

test-fast: $(STAMP)
	$(BIN)/pytest -q -m "not slow and not browser and not postgres"

lint: $(STAMP)
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/mypy

# Per mention (score.py) on `defcoop extract`, and per canonical record (records.py) on a
# fresh store of the same reports: what an analyst sees.
EVAL_DB := sqlite:///$(CURDIR)/.eval-store.db
eval: $(STAMP)
	$(BIN)/defcoop extract $(SHARED)/corpus/dev --format jsonl > .eval-dev.jsonl
	rm -f .eval-store.db .eval-store.db-wal .eval-store.db-shm
	$(BIN)/defcoop ingest $(SHARED)/corpus/dev --db $(EVAL_DB) > /dev/null
	$(BIN)/defcoop export --format jsonl --db $(EVAL_DB) > .eval-mentions.jsonl
	$(BIN)/defcoop events --format jsonl --db $(EVAL_DB) > .eval-events.jsonl
	$(BIN)/python scripts/check_floors.py $(SHARED)/corpus/dev .eval-dev.jsonl \
		--records .eval-mentions.jsonl .eval-events.jsonl

bench: $(STAMP)
	$(BIN)/python bench/extract_speed.py

serve: $(STAMP) $(WEB_VENDOR)
	$(BIN)/defcoop serve --db $(DB)

clean:
	rm -rf $(VENV) .defcoop-sample.db .eval-*
