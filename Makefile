# The two commands of the quick start. Both create .venv/ when it is missing.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

# The test suite talks to the machine's own PostgreSQL and Redis (see README).
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/runclub
TEST_REDIS_URL ?= redis://127.0.0.1:6379/9

# Every package installed, transitive ones included, pinned to one version (`make lock` writes
# it from pyproject.toml): a new release upstream changes nothing until the lock is renewed.
LOCK := constraints.txt

.PHONY: run test lint format bench clean lock

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -c $(LOCK) pip

$(VENV)/.installed-run: pyproject.toml $(LOCK) | $(PY)
	$(PY) -m pip install --quiet -c $(LOCK) -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(LOCK) | $(PY)
	$(PY) -m pip install --quiet -c $(LOCK) -e '.[dev]'
	touch $@ $(VENV)/.installed-run

# After a change to pyproject.toml's dependencies. Keeps every current pin that still fits;
# `make lock UPGRADE=1` resolves everything afresh (then read the diff before committing).
lock: | $(PY)
	$(PY) -m pip install --quiet --dry-run --ignore-installed --report $(LOCK).report.json \
		$(if $(UPGRADE),,-c $(LOCK)) -e '.[dev]'
	$(PY) -c "$$LOCK_FROM_REPORT" $(LOCK).report.json > $(LOCK).new
	mv $(LOCK).new $(LOCK)
	rm $(LOCK).report.json

define LOCK_FROM_REPORT
import json, sys
import pip
report = json.load(open(sys.argv[1]))
pins = {(p["metadata"]["name"].lower(), p["metadata"]["version"]) for p in report["install"]}
print("# Written by `make lock` from pyproject.toml; installs use it with pip -c. Do not edit.")
print(f"pip=={pip.__version__}")
print("\n".join(f"{name}=={version}" for name, version in sorted(pins) if name != "runclub"))
endef
export LOCK_FROM_REPORT

# Browser tests drive Debian's Chromium; Playwright cannot download its own browser here.
CHROMIUM ?= /usr/bin/chromium
$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ]; then \
		DEBIAN_FRONTEND=noninteractive apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; \
	else \
		echo "The browser tests need Chromium: sudo apt-get install chromium"; exit 1; \
	fi

run: $(VENV)/.installed-run
	$(PY) manage.py runclub

test: $(VENV)/.installed-dev $(CHROMIUM)
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(PY) -m pytest $(PYTEST_ARGS)

# ruff, then the import contracts in pyproject.toml (apps depend one way; the science imports
# no Django and no app).
lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) var .pytest_cache
