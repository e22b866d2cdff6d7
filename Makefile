# Corroborate: `make demo` to run it, `make test` to test it. Needs Python 3.12+.
SHELL := /bin/bash
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_SOFT_TIME_LIMIT ?= 50
DEMO_TIME_LIMIT ?= 60
DEMO_HTTP_DEADLINE ?= 30
# Published pages and ClaimReviews link to this address: the one `make demo` serves.
SITE_URL ?= http://$(HOST):$(PORT)

# The first Python >= 3.12 found: $(PYTHON) if given, then the usual names, then pyenv's.
PYTHON ?= $(shell for p in python3.13 python3.12 python3 $$(ls -d $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -r); do \
	  command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { command -v $$p; break; }; \
	done)

.PHONY: help install install-dev demo run worker test fault-tests screenshots lint typecheck check clean

help:
	@echo "make demo   install, migrate, load the seed article, process it and serve on http://$(HOST):$(PORT)"
	@echo "make test   install the dev extras and run the whole test suite"
	@echo "make lint   ruff + mypy"

$(BIN)/python:
	@if [ -z "$(PYTHON)" ]; then \
	  echo "Corroborate needs Python 3.12 or newer (Django 6). Install one, or run: make PYTHON=/path/to/python3.12 ..."; exit 1; fi
	@echo "Creating $(VENV) with $(PYTHON)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e ".[dev]"
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

demo: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_gazetteer
	$(BIN)/python manage.py load_outlets
	$(BIN)/python manage.py library_import claims/fixtures/reference-pack
	$(BIN)/python manage.py demo_setup
	@mkdir -p var
	@echo "Starting a Celery worker with beat inside it (the reconciler every 30 s and feed polling;"
	@echo "filesystem broker, no Redis needed) and the web server."
	@echo "Open http://$(HOST):$(PORT)/ and log in with a demo account above. Ctrl-C stops them all."
	@# The worker runs in the background of this one shell; whatever ends the web server (Ctrl-C,
	@# a port already taken) ends the worker too, and the shell waits for its warm shutdown.
	@# Shorter task limits than production's: a job whose worker was killed is run again
	@# within JOB_LEASE_SECONDS (TASK_TIME_LIMIT + 30 = 90 s) + one beat tick (30 s) = 2 min.
	@SITE_URL=$(SITE_URL) TASK_SOFT_TIME_LIMIT=$(DEMO_SOFT_TIME_LIMIT) TASK_TIME_LIMIT=$(DEMO_TIME_LIMIT) HTTP_DEADLINE=$(DEMO_HTTP_DEADLINE) \
	  $(BIN)/celery -A config worker -B --schedule var/celerybeat-schedule -Q default,fetch \
	  --concurrency 2 --loglevel WARNING & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker' EXIT; \
	trap 'exit 130' INT TERM; \
	SITE_URL=$(SITE_URL) $(BIN)/python manage.py runserver $(HOST):$(PORT) --noreload

run: demo

worker: install
	$(BIN)/celery -A config worker -Q default,fetch --loglevel INFO

test: install-dev
	$(BIN)/pytest $(PYTEST_ARGS)

# Broker faults, on-commit queueing and SIGKILLed workers (a few minutes); prints figures.
fault-tests: install-dev
	$(BIN)/pytest tests/faults -s $(PYTEST_ARGS)

# Refresh the pictures in docs/screenshots (browser tests put them in a temp folder otherwise).
screenshots: install-dev
	UPDATE_SCREENSHOTS=1 $(BIN)/pytest tests/browser $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/mypy .

check: lint test

clean:
	rm -rf $(VENV) var staticfiles
