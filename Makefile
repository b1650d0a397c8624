# Care Commons — the two commands a newcomer needs are `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null || echo "$(PYTHON) -m uv")
RUN := $(UV) run --frozen
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in emails the worker sends point at the address being served (unless SITE_URL is set).
demo serve worker: export SITE_URL ?= http://$(HOST):$(PORT)

.PHONY: install demo serve test lint format types migrations-check pytest bench worker chromium

install:
	@command -v uv >/dev/null 2>&1 || $(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv
	@$(UV) sync --frozen --quiet

# The site and the background worker together (emails, imports): Ctrl+C stops both.
demo: install
	$(RUN) carecommons demo
	$(RUN) carecommons serve $(HOST):$(PORT)

serve: install
	$(RUN) carecommons migrate --noinput
	$(RUN) carecommons createcachetable
	$(RUN) carecommons runserver $(HOST):$(PORT)

worker: install
	$(RUN) carecommons worker

format:
	$(RUN) ruff format .
	$(RUN) ruff check --fix .

lint:
	$(RUN) ruff format --check .
	$(RUN) ruff check .

types:
	$(RUN) mypy carecommons bench tests conftest.py

migrations-check:
	$(RUN) carecommons makemigrations --check --dry-run

pytest:
	$(RUN) pytest -q

test: install lint types migrations-check pytest

bench: install
	@$(RUN) python bench/run.py $(BENCH)
