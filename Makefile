# StoreLedger — every command a developer or CI needs. See README.md.
SHELL := /bin/bash
PY := .venv/bin/python
PIP := .venv/bin/pip
PYTEST := .venv/bin/pytest
# the typed core: the ledger, the services and the kernel (make lint, make test)
MYPY_PATHS := src/storeledger/inventory/ledger.py src/storeledger/inventory/services/ src/storeledger/core/ \
	src/storeledger/finance/services/ src/storeledger/finance/account.py src/storeledger/purchasing/services/
PG_URL ?= postgres://postgres@127.0.0.1:5432/storeledger
HOST ?= 127.0.0.1
# pytest-xdist processes per suite (both cores; the database server gets the waits)
TEST_WORKERS ?= 2
PORT ?= 8000

.PHONY: help install fonts frontend client run migrate demo test test-sqlite test-postgres test-browser postgres lint format bench messages clean

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

# The TrueType CJK font the PDFs embed (without one, check printing.W001 warns and Chinese prints
# as boxes on a viewer lacking a Chinese font): Debian's fonts-wqy-microhei, installed with
# apt-get when missing and run as root; elsewhere install it yourself or set PDF_CJK_FONT.
CJK_FONT := /usr/share/fonts/truetype/wqy/wqy-microhei.ttc
fonts:
	@if [[ -n "$${PDF_CJK_FONT:-}" || -f $(CJK_FONT) ]]; then :; \
	elif [[ $$(id -u) == 0 ]] && command -v apt-get >/dev/null; then \
	  echo "installing Debian's fonts-wqy-microhei (the PDFs' Chinese font)"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get install -y -qq fonts-wqy-microhei >/dev/null 2>&1 || \
	  { apt-get update -qq && apt-get install -y -qq fonts-wqy-microhei >/dev/null; }; \
	else echo "no CJK font for the PDFs: install fonts-wqy-microhei or set PDF_CJK_FONT" >&2; fi

# A random SECRET_KEY for this checkout, made once (settings read it when SECRET_KEY is unset;
# with DEBUG off the server refuses the default key). Never committed: var/ is ignored.
var/secret_key:
	mkdir -p var
	umask 077 && python3 -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

var: var/secret_key

migrate: install var
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

frontend: install
	SKIP_CLIENT_CHECK=1 frontend/build.sh

run: demo frontend fonts
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@echo "StoreLedger on http://$(HOST):$(PORT)/  (API docs: /api/docs/, admin: /admin/)"
	$(PY) manage.py demo_logins
	$(PY) manage.py runserver $(HOST):$(PORT) --noreload

postgres:
	@pg_isready -h 127.0.0.1 -p 5432 -q || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@for i in $$(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done

test: install var postgres fonts
	$(PY) manage.py makemigrations --check --dry-run
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy $(MYPY_PATHS)
	$(MAKE) test-sqlite
	$(MAKE) test-postgres
	$(MAKE) test-browser

test-sqlite: install var
	$(PYTEST) -q -n $(TEST_WORKERS) -m "not postgres"

test-postgres: install postgres
	DATABASE_URL=$(PG_URL) $(PYTEST) -q -n $(TEST_WORKERS)

# Builds the bundle (failing when the committed OpenAPI schema or typed client is stale),
# runs the Vitest unit tests and the Playwright browser tests in Debian's Chromium.
test-browser: install var
	tests/browser/run.sh

client: install
	frontend/build.sh --update-client

lint: install
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy $(MYPY_PATHS)

format: install
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

bench: install var postgres
	$(PY) bench/ledger_post.py
	$(PY) bench/http_hot_path.py
	$(PY) bench/invoice_replay.py
	$(PY) bench/reports.py
	$(PY) bench/import_skus.py
	$(PY) bench/purchase_receipt.py
	$(PY) bench/batch_trace.py

clean:
	rm -rf var/*.sqlite3* var/static

messages: install
	$(PY) manage.py makemessages -l zh_Hans --ignore '.venv/*' --ignore 'frontend/*' --ignore 'var/*' --ignore 'tests/*' --ignore 'bench/*' --no-location
	$(PY) manage.py compilemessages -l zh_Hans --ignore '.venv/*'
