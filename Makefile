# Powershare: `make demo` serves the demo county; `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
TOOLS := .tools
UV := $(TOOLS)/bin/uv
PY := $(VENV)/bin/python
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
export UV_PROJECT_ENVIRONMENT := $(VENV)
# A real camera photo with GPS in its EXIF, from a Debian package's test data: the upload tests
# check that Powershare strips it (powershare/tests/test_upload_metadata.py).
CAMERA_PHOTO := /usr/share/gocode/src/github.com/rwcarlsen/goexif/exif/sample1.jpg

.PHONY: setup demo test test-sqlite test-postgres test-browser lint bench messages clean postgres chromium

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check "uv>=0.5,<1"

$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --python $(PYTHON)
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

locale/es/LC_MESSAGES/django.mo: locale/es/LC_MESSAGES/django.po
	msgfmt --check -o $@ $<

setup: $(VENV)/.synced node_modules/.installed
	@mkdir -p var
	@command -v msgfmt >/dev/null || (apt-get update -qq && apt-get install -y -qq gettext)
	@test -f $(CAMERA_PHOTO) || (apt-get update -qq && apt-get install -y -qq golang-github-rwcarlsen-goexif-dev)
	$(MAKE) --no-print-directory locale/es/LC_MESSAGES/django.mo

demo: setup
	DEBUG=true $(PY) manage.py migrate --noinput
	DEBUG=true TASKS_IMMEDIATE=true $(PY) manage.py seed_demo --seed 42
	DEBUG=true TASKS_IMMEDIATE=true $(PY) manage.py runserver 127.0.0.1:8000

chromium:
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)

postgres:
	@pg_isready -h 127.0.0.1 -p 5432 -q || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@for i in $$(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && exit 0; sleep 1; done; echo "PostgreSQL did not start"; exit 1

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DEBUG=true $(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-logo --no-cache

test-sqlite: setup
	$(VENV)/bin/pytest -q -m "not browser"

test-postgres: setup postgres
	DATABASE_URL=$(PG_URL) $(VENV)/bin/pytest -q -m "not browser" -p no:cacheprovider

test-browser: setup chromium
	$(VENV)/bin/pytest -q -m browser

# The SQLite and PostgreSQL passes share nothing on disk (each test has its own data
# directory), so they run side by side, one per core; each one's output is printed whole.
test: lint
	$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres
	$(MAKE) --no-print-directory test-browser

bench: setup
	$(PY) -m powershare.stats.bench
	$(PY) -m powershare.stats.bench_release
	$(PY) -m powershare.stats.bench_tauargus
	$(PY) -m powershare.stats.bench_counts
	TASKS_IMMEDIATE=true $(PY) -m data.bench
	$(PY) -m data.bench_maps

messages: setup
	DEBUG=true $(PY) manage.py makemessages -l es --no-obsolete --ignore=.venv --ignore=.tools \
		--ignore=node_modules --ignore=var --ignore=.bench-data --ignore=tests --ignore='*/tests' \
		--ignore='powershare/stats/*' --ignore=powershare/testing.py --ignore=conftest.py

clean:
	rm -rf $(VENV) $(TOOLS) node_modules var

.PHONY: loadtest backup restore
LOADTEST_PG_URL ?= postgres://postgres@127.0.0.1:5432/loadtest
BACKUP_DIR ?= var/backups

loadtest: setup postgres
	$(PY) -m powershare.loadtest --users 50 --seconds 60 --postgres $(LOADTEST_PG_URL)

backup: setup
	$(PY) -m powershare.backup backup $(BACKUP_DIR)

restore: setup
	@test -n "$(ARCHIVE)" || (echo "make restore ARCHIVE=var/backups/powershare-....tar.gz"; exit 2)
	$(PY) -m powershare.backup restore $(ARCHIVE)
