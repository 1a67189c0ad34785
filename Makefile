# portal-etl: `make demo` and `make test` work on a fresh machine with Python 3.11, pip, gcc and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-dev
export DO_NOT_TRACK := 1
export PREFECT_SERVER_ANALYTICS_ENABLED := false

.PHONY: install demo test lint clean chromium postgres bench bench-quick

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/portal-etl demo

test: $(STAMP)
	-@$(MAKE) --no-print-directory chromium
	$(BIN)/ruff check src crawlers flows tests benchmarks
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Performance benchmark (benchmarks/run.py): 20,000 synthetic articles served locally, README table updated.
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py --readme $(BENCH_ARGS)

# The same at 400 articles (< 3 minutes): a smoke test of the whole pipeline's speed and memory.
bench-quick: $(STAMP)
	$(BIN)/python benchmarks/run.py --quick $(BENCH_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check src crawlers flows tests benchmarks

clean:
	rm -rf $(VENV) build *.egg-info data/demo.duckdb data/staging

# Headless Chromium for the report rendering test (tests/analysis/test_report.py skips without it).
# Best effort: installs Debian's package when running as root with apt-get, otherwise prints a note.
chromium:
	@if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then \
		echo "chromium: already installed"; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
		(apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium) \
			|| echo "note: could not install chromium; the report rendering test will be skipped"; \
	else \
		echo "note: install Chromium (Debian: apt-get install chromium) to run the report rendering test"; \
	fi

# PostgreSQL for the scale-out tests (tests/scaleout: DuckLake catalog, Prefect server; they skip without it).
# Best effort: installs Debian's package when running as root with apt-get, otherwise prints a note.
postgres:
	@if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
		echo "postgres: already installed"; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
		(apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql) \
			|| echo "note: could not install postgresql; the scale-out tests will be skipped"; \
	else \
		echo "note: install PostgreSQL (Debian: apt-get install postgresql) to run the scale-out tests"; \
	fi
