# StoreLedger — every command a developer or CI needs. See README.md.
SHELL := /bin/bash
PY := .venv/bin/python
PIP := .venv/bin/pip
PYTEST := .venv/bin/pytest
PG_URL ?= postgres://postgres@127.0.0.1:5432/storeledger
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help install run migrate demo test test-sqlite test-postgres postgres lint format bench schema messages clean

help:
	@echo "make run        set up, migrate, load demo data, serve on http://$(HOST):$(PORT)"
	@echo "make test       every suite on SQLite and PostgreSQL"
	@echo "make bench      benchmarks (JSON figures)"
	@echo "make lint       ruff check + format check + mypy on services"

.venv/bin/python:
	python3 -m venv .venv
	$(PIP) install --quiet --upgrade pip

.venv/.installed: .venv/bin/python pyproject.toml
	$(PIP) install --quiet -e '.[dev]'
	touch $@

install: .venv/.installed

var:
	mkdir -p var

migrate: install var
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

run: demo
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@echo "StoreLedger on http://$(HOST):$(PORT)/  (API docs: /api/docs/, admin: /admin/)"
	$(PY) manage.py demo_logins
	$(PY) manage.py runserver $(HOST):$(PORT) --noreload

postgres:
	@pg_isready -h 127.0.0.1 -p 5432 -q || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@for i in $$(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done

test: install var postgres
	$(PY) manage.py makemigrations --check --dry-run
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	$(MAKE) test-sqlite
	$(MAKE) test-postgres

test-sqlite: install var
	$(PYTEST) -q -m "not postgres" -p no:randomly

test-postgres: install postgres
	DATABASE_URL=$(PG_URL) $(PYTEST) -q

lint: install
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy src/storeledger/inventory/ledger.py src/storeledger/inventory/services/ src/storeledger/core/

format: install
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

bench: install var postgres
	$(PY) bench/ledger_post.py

clean:
	rm -rf var/*.sqlite3* var/static
