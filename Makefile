# The two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
MANAGE := $(BIN)/python manage.py
HOST   ?= 127.0.0.1
PORT   ?= 8000

DUPLICATE_CODE := --disable=all --enable=duplicate-code --min-similarity-lines=20 --ignore=migrations \
  --ignore-imports=y --ignore-comments=y --ignore-docstrings=y --score=n

.PHONY: demo test install migrate lint messages bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# uv (installed into the venv from PyPI) is ten times faster than pip; pip is the fallback.
$(STAMP): $(BIN)/python pyproject.toml requirements.lock
	rm -f $(VENV)/.installed-*
	$(BIN)/python -m pip install -q --disable-pip-version-check uv==0.13.8 \
	  && $(BIN)/uv pip install -q --python $(BIN)/python -r requirements.lock \
	  && $(BIN)/uv pip install -q --python $(BIN)/python --no-deps -e . \
	  || ($(BIN)/python -m pip install -q -r requirements.lock && $(BIN)/python -m pip install -q --no-deps -e .)
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(MANAGE) migrate --noinput

# Sets up, loads the demo school and serves it with its task worker; Ctrl-C stops both.
# No collectstatic: the demo serves static files from the apps (WHITENOISE_USE_FINDERS); production collects them.
demo: migrate
	SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)} $(MANAGE) load_demo
	$(MANAGE) serve_demo --addr $(HOST) --port $(PORT)

# Runs the whole suite. Browser tests are skipped (and say so) where Chromium is missing,
# unless SCHOOLPOORT_REQUIRE_BROWSER=1 (as in CI).
test: install
	$(BIN)/python -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

# Style, the import rules of ARCHITECTURE.md (import-linter contracts in pyproject.toml) and no
# block of 20 lines copied between two places (pylint's duplicate-code); the suite runs the same.
lint: install
	$(BIN)/ruff check src tests bench
	cd src && ../$(BIN)/lint-imports ../pyproject.toml
	cd src && ../$(BIN)/pylint $(DUPLICATE_CODE) schoolpoort

# Refresh the translation catalogues (needs GNU gettext) and compile them.
messages: install
	cd src/schoolpoort && ../../$(BIN)/django-admin makemessages -l nl -l en --no-obsolete --no-location \
	  -i 'migrations/*' && ../../$(BIN)/django-admin compilemessages


# Every benchmark of bench/ against its own throwaway PostgreSQL (port 5450) and gunicorn (the cluster
# step: two of them behind HAProxy, with Redis and an S3 server); writes
# bench/results.md with the minutes of each step in its header (P4/P5 and the rushes P6-P8 take
# most). BENCH_ARGS="--runs 1 --only p6,p7,p8,upload" for a part; BENCH_SCALE=0.05 for a quick
# try of the pages (the rushes need the full board).
bench: install
	@if ! [ -x "$$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)/initdb" ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null; fi
	@if ! command -v redis-server >/dev/null || ! [ -x /usr/sbin/haproxy ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server haproxy >/dev/null; fi
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var
