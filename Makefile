# defcoop: the two set-up commands are `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SHARED ?= ../shared
DB ?= sqlite:///$(CURDIR)/.defcoop-sample.db

.PHONY: install run test test-fast lint eval bench serve clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/defcoop ingest samples --db $(DB)
	$(BIN)/defcoop events --db $(DB)

test: $(STAMP)
	$(BIN)/pytest -q

test-fast: $(STAMP)
	$(BIN)/pytest -q -m "not slow and not browser and not postgres"

lint: $(STAMP)
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/mypy

eval: $(STAMP)
	$(BIN)/defcoop extract $(SHARED)/corpus/dev --format jsonl > .eval-dev.jsonl
	$(BIN)/python scripts/check_floors.py $(SHARED)/corpus/dev .eval-dev.jsonl

bench: $(STAMP)
	$(BIN)/python bench/extract_speed.py

serve: $(STAMP)
	$(BIN)/defcoop serve --db $(DB)

clean:
	rm -rf $(VENV) .defcoop-sample.db .eval-dev.jsonl
