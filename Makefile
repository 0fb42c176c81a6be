# Yuqi: `make demo` runs the product, `make test` runs the tests. Each makes its own .venv.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Python >= 3.12: python3.13, python3.12 or python3 if new enough, else a pyenv-installed one.
PY_CANDIDATES := python3.13 python3.12 python3 $(sort $(wildcard $(HOME)/.pyenv/versions/3.1[2-9]*/bin/python3))
ifeq ($(origin PYTHON),undefined)
PYTHON := $(firstword $(foreach p,$(PY_CANDIDATES),$(shell command -v $(p) >/dev/null 2>&1 && $(p) -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && echo $(p))))
endif

VENV := .venv
BIN := $(VENV)/bin
DEMO_DATA ?= $(CURDIR)/var/demo
DATA_DIR ?= $(CURDIR)/var/data
TEST_DATA ?= $(CURDIR)/var/test
HOST ?= 127.0.0.1
PORT ?= 8000
PG_TEST_URL ?= postgresql://postgres@127.0.0.1:5432/yuqi_ci
# The suite runs on every core (pytest-xdist); PYTEST_WORKERS=0 runs it in one process.
PYTEST_WORKERS ?= auto

.PHONY: help python fonts demo serve worker test test-pg test-browser check lint messages clean

help:
	@echo "make demo          set up, build the demo centre and serve it at http://$(HOST):$(PORT) (prints logins)"
	@echo "make serve         serve your own (empty) installation from var/data"
	@echo "make test          set up and run the test suite (SQLite; DATABASE_URL=... for another)"
	@echo "make test-pg       the suite's database tests on PostgreSQL ($(PG_TEST_URL))"
	@echo "make test-browser  end-to-end test in headless Chromium (/usr/bin/chromium)"
	@echo "make check         ruff, import contracts, mypy, migrations up to date"
	@echo "make worker        run background jobs for the demo data folder"

python:
	@if [ -z "$(PYTHON)" ]; then \
	  echo "error: Yuqi needs Python 3.12 or newer; none found (tried: $(PY_CANDIDATES))." >&2; \
	  echo "Install one (e.g. 'pyenv install 3.12' or your system's python3.12 package)," >&2; \
	  echo "or name it: make PYTHON=/path/to/python3.12 ..." >&2; exit 1; fi

$(BIN)/python: | python
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[redis]'
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@ $(VENV)/.installed-run

# The PDF export of the expectation evaluation table embeds a Chinese font (fonts-noto-cjk).
CJK_FONT := /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
fonts:
	@if [ -f "$(CJK_FONT)" ] || [ -n "$$YUQI_PDF_FONT" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing fonts-noto-cjk (Chinese font for the PDF export)"; \
	  (DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null 2>&1 || \
	   (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null)) || \
	  echo "warning: could not install fonts-noto-cjk; the PDF export will say so" >&2; \
	else \
	  echo "note: the PDF export needs a Chinese font: sudo apt-get install fonts-noto-cjk (or set YUQI_PDF_FONT)" >&2; \
	fi

demo: $(VENV)/.installed-run fonts
	$(BIN)/yuqi demo --data-dir "$(DEMO_DATA)" --host $(HOST) --port $(PORT) $(DEMO_ARGS)

serve: $(VENV)/.installed-run fonts
	$(BIN)/yuqi serve --data-dir "$(DATA_DIR)" --host $(HOST) --port $(PORT)

worker: $(VENV)/.installed-run
	$(BIN)/yuqi worker --data-dir "$(DEMO_DATA)"

test: $(VENV)/.installed-dev fonts
	YUQI_DATA_DIR="$(TEST_DATA)" $(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# Tests that never reach the database ran in `make test`; they would run the same here.
test-pg: $(VENV)/.installed-dev fonts
	YUQI_DATA_DIR="$(TEST_DATA)" DATABASE_URL="$(PG_TEST_URL)" YUQI_TESTS_ONLY=database $(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

test-browser: $(VENV)/.installed-dev
	YUQI_DATA_DIR="$(TEST_DATA)" $(BIN)/python -m pytest -m browser -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

check lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	YUQI_DATA_DIR="$(TEST_DATA)" $(BIN)/mypy
	YUQI_DATA_DIR="$(TEST_DATA)" $(BIN)/yuqi manage makemigrations --check --dry-run

messages: $(VENV)/.installed-dev
	cd src/yuqi && YUQI_DATA_DIR="$(TEST_DATA)" ../../$(BIN)/yuqi manage makemessages -l zh_Hans --ignore 'static/*' --no-location --no-obsolete
	cd src/yuqi && YUQI_DATA_DIR="$(TEST_DATA)" ../../$(BIN)/yuqi manage compilemessages

clean:
	rm -rf $(VENV) var build dist src/*.egg-info .pytest_cache .ruff_cache
