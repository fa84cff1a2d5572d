# Two commands for a newcomer: `make run` and `make test`. Everything else is a step of theirs.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve test test-sqlite test-postgres lint format setup migrate content check-content bench bench-load drill clean

run: setup content
	$(PY) manage.py runserver $(HOST):$(PORT)

# The production setup on this machine: DEBUG off, gunicorn workers, WhiteNoise serving the
# compressed, hash-named static files. Plain HTTP on loopback, so the HTTPS-only switches are
# turned off here; a real deployment sets its own variables (README, "Deployment").
SERVE_ENV = DJANGO_DEBUG=false \
	DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-$$(cat .serve-secret-key 2>/dev/null || $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' | tee .serve-secret-key)} \
	DJANGO_SECURE_SSL_REDIRECT=$${DJANGO_SECURE_SSL_REDIRECT:-false} \
	DJANGO_SECURE_COOKIES=$${DJANGO_SECURE_COOKIES:-false} \
	DJANGO_HSTS_SECONDS=$${DJANGO_HSTS_SECONDS:-0} \
	GUNICORN_BIND=$${GUNICORN_BIND:-$(HOST):$(PORT)}

serve: setup
	@echo "make serve: migrate, cache table, content, static files, then gunicorn on $(HOST):$(PORT)"
	@$(SERVE_ENV) $(PY) manage.py migrate --noinput --verbosity 0
	@$(SERVE_ENV) $(PY) manage.py createcachetable
	@$(SERVE_ENV) $(PY) manage.py load_content
	@$(SERVE_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0
	@$(SERVE_ENV) $(VENV)/bin/gunicorn -c quizsite/gunicorn_conf.py quizsite.wsgi

test: setup
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest $(PYTEST_ARGS)

# Style, types and import layers (pyproject.toml holds each tool's settings).
lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

setup: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

migrate: setup
	$(PY) manage.py migrate --noinput

content: migrate
	$(PY) manage.py load_content

check-content: setup
	$(PY) manage.py check_content

bench: setup
	$(PY) benchmarks/content_load.py

# Load test against `make serve`'s setup on PostgreSQL (see benchmarks/README in the README).
bench-load: setup
	$(PY) benchmarks/load_test.py

# Two gunicorn hosts behind HAProxy; a host killed, a reload, Redis and PostgreSQL failing
# while 100 candidates take quizzes (needs: apt-get install -y haproxy redis-server).
drill: setup
	$(PY) benchmarks/drill.py

clean:
	rm -rf $(VENV) db.sqlite3 .pytest_cache .ruff_cache staticfiles .serve-secret-key
