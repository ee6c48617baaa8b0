# Every target uses the project's own virtualenv in .venv, made on first use.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The project's own packages: `make run` reloads when one of them changes.
APPS := baserow_clone api core users workspaces database jobs events realtime user_files trash \
	actions webhooks

.PHONY: install browser run test lint fmt migrations-check serve serve-ws worker beat e2e

$(BIN)/django-admin: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(BIN)/django-admin

install: $(BIN)/django-admin

# The docs pages' browser test and the e2e journey drive Debian's Chromium (/usr/bin/chromium);
# installed with apt-get when it is missing (as root; otherwise install it yourself).
browser:
	@test -x /usr/bin/chromium || { apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; }

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/uvicorn baserow_clone.asgi:application --host 127.0.0.1 --port 8000 \
		--reload $(addprefix --reload-dir ,$(APPS))

test: install browser
	$(BIN)/pytest -q

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

fmt: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: install
	$(BIN)/python manage.py makemigrations --check --dry-run

serve: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/gunicorn -c gunicorn.conf.py

# The websocket service: the same server on its own address, where the proxy sends /ws/, at a
# lower CPU priority (WS_NICE, default 10) so that on a shared machine its fan-out yields to
# the answers to requests (events may wait a few ms; writes don't).
serve-ws: install
	BIND=$${WS_BIND:-127.0.0.1:8001} WEB_CONCURRENCY=$${WS_CONCURRENCY:-1} \
		nice -n $${WS_NICE:-10} $(BIN)/gunicorn -c gunicorn.conf.py

# Background work (needs REDIS_URL): `make worker` runs jobs, `make beat` the periodic tasks
# (one beat per installation). A small install can run both in one process: `make worker BEAT=1`.
# The worker runs at a lower CPU priority (WORKER_NICE, default 10): on a machine it shares with
# the web processes, jobs and deliveries wait a little rather than the answers to requests.
worker: install
	nice -n $${WORKER_NICE:-10} $(BIN)/celery -A baserow_clone worker -l info \
		--concurrency $${WORKER_CONCURRENCY:-2} $(if $(BEAT),-B)

beat: install
	$(BIN)/celery -A baserow_clone beat -l info \
		--schedule $${CELERY_BEAT_SCHEDULE_FILE:-data/celerybeat-schedule}

# Baserow's web frontend, built beforehand as contract 10 describes, against a throw-away
# server on 127.0.0.1:8000: BASEROW_WEB_FRONTEND_DIR=/path/to/web-frontend make e2e
e2e: install browser
	$(BIN)/python -m e2e.run
