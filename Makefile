# The few commands people type. `make run` sets everything up on a fresh machine and serves the portal;
# `make test` runs the whole suite (on PostgreSQL when DATABASE_URL points at it, otherwise SQLite).
# Each step of `make run` prints one line for the operator (in Vietnamese); what pip and migrate print goes
# to var/log/ and is shown only when the step fails.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
LOG_DIR := var/log
MESSAGES := locale/vi/LC_MESSAGES
MESSAGES_IGNORE := --ignore '.venv/*' --ignore 'var/*' --ignore 'node_modules/*' --ignore 'static/vendor/*' \
	--ignore 'tests/browser/vendor/*'

export DJANGO_DEBUG ?= 1
export PYTHONDONTWRITEBYTECODE := 1

# $(call step,TEXT): the one line a step prints.
step = @printf '» %s\n' "$(1)"
# $(call logged,LOG,COMMAND): run COMMAND with its output in var/log/LOG; on failure show the end of it.
logged = @mkdir -p $(LOG_DIR) && { $(2); } >$(LOG_DIR)/$(1) 2>&1 \
	|| { printf '  Lỗi. Phần cuối của %s:\n' "$(LOG_DIR)/$(1)"; tail -n 30 $(LOG_DIR)/$(1); exit 1; }

.PHONY: install run setup test bench loadtest loadtest-faults backup restore lint messages clean

$(BIN)/python:
	$(call step,Tạo môi trường Python riêng ($(VENV)))
	$(call logged,venv.log,$(PYTHON) -m venv $(VENV) && $(BIN)/python -m pip install --upgrade pip)

$(STAMP): pyproject.toml | $(BIN)/python
	$(call step,Cài đặt các gói Python (nhật ký: $(LOG_DIR)/pip-install.log))
	$(call logged,pip-install.log,$(BIN)/pip install --disable-pip-version-check -e ".[dev]")
	@touch $(STAMP)

# Both catalogues: django.po (pages, forms, admin) and djangojs.po (the admin's JavaScript widgets).
$(MESSAGES)/django.mo $(MESSAGES)/djangojs.mo &: $(MESSAGES)/django.po $(MESSAGES)/djangojs.po $(STAMP)
	$(call step,Biên dịch bản dịch tiếng Việt)
	@$(BIN)/python manage.py compilemessages --locale vi --ignore '.venv' -v0

install: $(STAMP) $(MESSAGES)/django.mo $(MESSAGES)/djangojs.mo

setup: install
	@mkdir -p "$${DANVAN_VAR_DIR:-var}"
	@$(BIN)/python manage.py check_database
	$(call step,Cập nhật cấu trúc cơ sở dữ liệu (nhật ký: $(LOG_DIR)/migrate.log))
	$(call logged,migrate.log,$(BIN)/python manage.py migrate --no-input)
	@printf '» ' && $(BIN)/python manage.py load_units
	@printf '» ' && $(BIN)/python manage.py seed_demo --if-empty
	@printf '» ' && $(BIN)/python manage.py create_demo_accounts

run: setup
	$(call step,Mở cổng Dân vận khéo: http://$(HOST):$(PORT)/  (quản trị: http://$(HOST):$(PORT)/admin/) — dừng bằng Ctrl+C)
	@$(BIN)/python manage.py runserver $(HOST):$(PORT)

# One worker per core (pytest-xdist), each with its own test database; a test file stays on one worker, so
# its module fixtures are built once. `make test PYTEST_ARGS=tests/test_units.py` runs one file in-process.
PYTEST_ARGS ?= -n auto --dist loadfile

test: install
	@bash scripts/ensure_chromium.sh
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Pages timed over HTTP under gunicorn beside a floor page (BENCH_DATABASE_URL, BENCH_INITIATIVES, BENCH_RUNS,
# BENCH_ONLY=word); writes var/bench/results.json. See scripts/bench.py.
bench: install
	$(BIN)/python -m scripts.bench

# The portal under gunicorn on 127.0.0.1 with the demo data (database danvan_loadtest), 50 simulated users for
# 60 s; figures printed and written to var/loadtest/. FAULTS=1 (or loadtest-faults) restarts PostgreSQL midway.
loadtest: install
	@$(BIN)/python scripts/loadtest.py $(if $(filter-out 0,$(FAULTS)),--faults)

loadtest-faults: install
	@$(BIN)/python scripts/loadtest.py --faults

# The configured database (pg_dump's custom format, or a consistent SQLite copy) and the uploaded files, into
# var/backups/<date-time>/ with a manifest. `make restore BACKUP=var/backups/<date-time>` puts them back; a
# database that holds data is overwritten only with FORCE=1.
backup: install
	$(call step,Sao lưu cơ sở dữ liệu và tệp đính kèm)
	@$(BIN)/python manage.py backup

restore: install
	@test -n "$(BACKUP)" || { printf '  Cho biết bản sao lưu cần khôi phục: make restore BACKUP=var/backups/<thời điểm>\n'; exit 1; }
	$(call step,Khôi phục bản sao lưu $(BACKUP))
	@$(BIN)/python manage.py restore "$(BACKUP)" $(if $(filter-out 0,$(FORCE)),--force)

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports

# After changing strings: refresh both catalogues, translate every new entry, then `make install`.
messages: install
	$(BIN)/python manage.py makemessages --locale vi $(MESSAGES_IGNORE) --no-obsolete --no-wrap
	$(BIN)/python manage.py makemessages --locale vi --domain djangojs $(MESSAGES_IGNORE) --no-obsolete --no-wrap

clean:
	rm -rf $(VENV) var
