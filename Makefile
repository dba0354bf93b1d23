# The few commands people type. `make run` sets everything up on a fresh machine and serves the portal;
# `make test` runs the whole suite (on PostgreSQL when DATABASE_URL points at it, otherwise SQLite).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

export DJANGO_DEBUG ?= 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: install run setup test bench lint messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[dev]"
	touch $(STAMP)

locale/vi/LC_MESSAGES/django.mo: locale/vi/LC_MESSAGES/django.po $(STAMP)
	$(BIN)/python manage.py compilemessages --locale vi --ignore '.venv' -v0

install: $(STAMP) locale/vi/LC_MESSAGES/django.mo

setup: install
	@mkdir -p var
	$(BIN)/python manage.py migrate --no-input -v0
	$(BIN)/python manage.py load_units
	$(BIN)/python manage.py seed_demo --if-empty
	$(BIN)/python manage.py create_demo_accounts

run: setup
	@echo "Cổng Dân vận khéo: http://$(HOST):$(PORT)/  (quản trị: http://$(HOST):$(PORT)/admin/)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install
	@bash scripts/ensure_chromium.sh
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install
	$(BIN)/python -m scripts.bench

lint: install
	$(BIN)/ruff check .

messages: install
	$(BIN)/python manage.py makemessages --locale vi --ignore '.venv/*' --ignore 'var/*' --ignore 'node_modules/*' --no-obsolete

clean:
	rm -rf $(VENV) var
