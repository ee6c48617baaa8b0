"""Jobs in a real Celery worker (a subprocess, real Redis broker): progress, cancel, a lost worker.

The worker sees the test's data because these tests commit (`transactional_db`) to a database
another process can open: PostgreSQL, or the SQLite file the test settings use.
"""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from django.db import connection, transaction
from django.urls import reverse

from baserow_clone.celery import app
from database import table_models
from database.tables.models import Table
from jobs.models import Job, JobState
from jobs.progress import live_progress
from jobs.services import WORKER_LOST_ERROR
from jobs.tasks import fail_stale_jobs
from tests.database.helpers import insert_rows, read_rows
from tests.jobs.helpers import polled, start_slow_job, wait_until
from tests.servers import redis_url_for_tests
from workspaces.models import Workspace

REDIS_URL = redis_url_for_tests(2)
ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    """The test database, as a URL for the worker process."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    login = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{login}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Worker:
    """A `celery worker` process group, with its log."""

    def __init__(self, log: Path) -> None:
        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "REDIS_URL": REDIS_URL,
            "CELERY_BROKER_URL": REDIS_URL,
            "JOB_TYPE_MODULES": "tests.jobs.slow_job",
            "JOB_HEARTBEAT_SECONDS": "0.2",
        }
        command = [sys.executable, "-m", "celery", "-A", "baserow_clone", "worker"]
        command += ["--concurrency=1", "--without-gossip", "--without-mingle", "-l", "info"]
        self.log = log
        with log.open("w") as out:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        try:
            wait_until(lambda: " ready." in log.read_text(), timeout=60, what="a ready worker")
        except AssertionError:
            self.kill()
            raise AssertionError(f"the worker did not start:\n{log.read_text()}") from None

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, sig)
            self.process.wait(timeout=30)


@pytest.fixture
def worker(transactional_db, settings, tmp_path) -> Iterator[Worker]:
    """A real worker; this process sends it jobs through Redis and shares its cache."""
    broker = redis.Redis.from_url(REDIS_URL)
    broker.flushdb()  # no message left from an earlier run
    redis_cache = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    settings.CACHES = {**settings.CACHES, "jobs": {**redis_cache, "KEY_PREFIX": "jobs"}}
    before = app.conf.task_always_eager, app.conf.broker_url
    app.conf.update(task_always_eager=False, broker_url=REDIS_URL)
    started = Worker(tmp_path / "worker.log")
    yield started
    started.kill(signal.SIGTERM)
    app.conf.update(task_always_eager=before[0], broker_url=before[1])
    broker.flushdb()
    broker.close()


def test_a_job_runs_in_the_worker_and_its_progress_shows_while_it_runs(
    worker, user, user_client, workspace
):
    began = time.monotonic()
    job = start_slow_job(user, workspace, steps=5, seconds=0.4)
    seen = []
    while (state := polled(user_client, job))["state"] in ("pending", "started"):
        seen.append((state["state"], state["progress_percentage"]))
        if state["progress_percentage"] >= 60:
            # Heartbeats keep a running job alive for the stale-job reaper.
            assert fail_stale_jobs.apply().get() == 0
        assert time.monotonic() - began < 60, seen
        time.sleep(0.05)
    assert state["state"] == "finished", (state, worker.log.read_text())
    assert state["progress_percentage"] == 100
    progress = [percentage for step, percentage in seen if step == "started"]
    assert {20, 40, 60, 80} <= set(progress), seen
    assert progress == sorted(progress)
    runner = Job.objects.get(id=job.id).result["pid"]
    assert runner != os.getpid()
    assert os.getpgid(runner) == worker.process.pid  # one of the worker's processes
    assert Workspace.objects.get(id=workspace.id).name == "Step 5"
    assert "jobs.tasks.run_job" in worker.log.read_text()


@pytest.fixture
def drop_tables_after(transactional_db):
    """These tests commit: the SQL tables of the tables they make are dropped at the end."""
    yield
    for table in Table.objects.all():
        with transaction.atomic():
            table_models.drop_table_storage(table)


def test_a_database_duplication_runs_in_the_worker_and_reports_progress(
    worker, drop_tables_after, user_client, database_app, make_table
):
    for number in range(12):
        table = make_table(f"Table {number}")
        (name,) = table.fields.all()
        insert_rows(table, [{name.db_column: f"row {row}"} for row in range(50)])
    endpoint = reverse("api:applications:duplicate", kwargs={"application_id": database_app.id})
    response = user_client.post(endpoint)
    assert (response.status_code, response.json()["state"]) == (202, "pending")
    job = Job.objects.get(id=response.json()["id"])
    seen = []
    while (state := polled(user_client, job))["state"] in ("pending", "started"):
        seen.append(state["progress_percentage"])
        time.sleep(0.01)
    assert state["state"] == "finished", (state, worker.log.read_text())
    assert any(0 < percentage < 100 for percentage in seen), seen
    copy = state["duplicated_application"]
    assert [table["name"] for table in copy["tables"]] == [f"Table {n}" for n in range(12)]
    last = Table.objects.get(id=copy["tables"][-1]["id"])
    (name,) = last.fields.all()
    assert [row[name.db_column] for row in read_rows(last)] == [f"row {n}" for n in range(50)]


def test_cancelling_a_running_job_stops_it_and_rolls_its_work_back(
    worker, user, user_client, workspace
):
    job = start_slow_job(user, workspace, steps=100, seconds=0.1)
    wait_until(lambda: polled(user_client, job)["progress_percentage"] >= 3, timeout=30, what="3%")
    began = time.monotonic()
    response = user_client.post(reverse("api:jobs:cancel", kwargs={"job_id": job.id}))
    assert (response.status_code, response.json()["state"]) == (200, "cancelled")
    # The runner stops at its next step and forgets the job's live state.
    wait_until(lambda: not live_progress([job.id]), timeout=10, what="the runner to stop")
    assert time.monotonic() - began < 2
    assert Job.objects.get(id=job.id).state == JobState.CANCELLED
    assert Workspace.objects.get(id=workspace.id).name == workspace.name  # rolled back
    again = user_client.post(reverse("api:jobs:cancel", kwargs={"job_id": job.id}))
    assert again.json()["error"] == "ERROR_JOB_NOT_CANCELLABLE"


def test_a_job_whose_worker_is_killed_is_failed_not_left_started(
    worker, user, user_client, workspace, settings
):
    job = start_slow_job(user, workspace, steps=100, seconds=0.1)
    wait_until(lambda: polled(user_client, job)["progress_percentage"] >= 3, timeout=30, what="3%")
    worker.kill(signal.SIGKILL)
    assert polled(user_client, job)["state"] == "started"
    assert Workspace.objects.get(id=workspace.id).name == workspace.name  # its work died with it
    settings.JOB_STALE_SECONDS = 1
    assert fail_stale_jobs.apply().get() == 0  # beat a moment ago: not yet stale
    time.sleep(1.2)
    assert fail_stale_jobs.apply().get() == 1
    state = polled(user_client, job)
    assert (state["state"], state["human_readable_error"]) == ("failed", WORKER_LOST_ERROR)
