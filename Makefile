# Kết Nối: `make run` to try it, `make test` to check everything. See README.md.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PG_DIR ?= /tmp/ketnoi-pg-test-$(shell id -u)
PG_PORT ?= 54329
PG_URL := postgres://postgres@127.0.0.1:$(PG_PORT)/ketnoi
# How many of the three pytest runs of `make test` go at once (see the `test` target).
TEST_JOBS ?= 3
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test lint format test-sqlite test-postgres test-browser demo bench clean messages

$(VENV)/.base: requirements/base.txt
	scripts/make-venv.sh $(PYTHON) $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements/base.txt
	touch $@

$(VENV)/.test: $(VENV)/.base requirements/test.txt
	$(PY) -m pip install -q -r requirements/test.txt
	touch $@

run: $(VENV)/.base
	mkdir -p var
	DEBUG=1 $(PY) manage.py compile_translations
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py demo_load
	@# The task worker (library text extraction, e-mail) runs beside the web server and stops with
	@# it; `worker` restarts itself on database errors, and run-worker.sh restarts it if it dies.
	DEBUG=1 scripts/run-worker.sh $(PY) manage.py worker --no-startup-delay --worker-id make-run & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

demo: $(VENV)/.base
	DEBUG=1 $(PY) manage.py demo_load

lint: $(VENV)/.test
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports --no-logo

format: $(VENV)/.test
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

# Regenerate the English catalogs from the Vietnamese source strings (needs gettext), in one format
# so that the diff shows only the strings that changed.
messages: $(VENV)/.test
	for app in ketnoi/*/; do if [ -d $$app/locale ]; then (cd $$app && DEBUG=1 ../../$(PY) ../../manage.py makemessages -l en --no-obsolete --no-location); fi; done
	$(PY) scripts/po_normalise.py ketnoi/*/locale/en/LC_MESSAGES/django.po

test: $(VENV)/.test
	scripts/install-test-system-deps.sh
	$(MAKE) --no-print-directory lint
	$(PY) manage.py compile_translations --settings=ketnoi.settings_test
	$(PY) manage.py makemigrations --check --dry-run --settings=ketnoi.settings_test
	@# The three runs share nothing (each pytest makes its own temporary var dir with its SQLite
	@# file and media, PostgreSQL has its own cluster, the live server takes a free port), so they
	@# run side by side: each one's output is printed whole when it ends, and `make test` fails if
	@# any of them fails (-k lets the others finish and report). TEST_JOBS=1 runs them one by one.
	env -u KETNOI_VAR_DIR $(MAKE) --no-print-directory -k -j$(TEST_JOBS) --output-sync=target \
	  test-sqlite test-postgres test-browser

test-sqlite: $(VENV)/.test
	@echo "== pytest on SQLite"
	$(PY) -m pytest -q -m "not browser" -p no:cacheprovider

test-postgres: $(VENV)/.test
	@echo "== pytest on PostgreSQL"
	scripts/pg-test-cluster.sh start $(PG_DIR) $(PG_PORT)
	DATABASE_URL=$(PG_URL) $(PY) -m pytest -q -m "not browser" -p no:cacheprovider; status=$$?; \
	  scripts/pg-test-cluster.sh stop $(PG_DIR); exit $$status

test-browser: $(VENV)/.test
	@echo "== browser tests in Chromium"
	$(PY) -m pytest -q -m browser -p no:cacheprovider

bench: $(VENV)/.test
	for script in bench/*.py; do DEBUG=1 $(PY) $$script; done

clean:
	rm -rf $(VENV) var/*.sqlite3* var/static var/media
