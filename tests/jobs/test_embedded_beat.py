"""With no broker, a server process runs the periodic tasks itself, in its job threads."""

import datetime
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import timezone

from baserow_clone.celery import app
from jobs.beat import embedded_beat_start
from jobs.models import Job, JobState
from jobs.services import WORKER_LOST_ERROR
from tests.jobs.helpers import wait_until
from tests.jobs.test_worker import database_url
from tests.servers import free_port

ROOT = Path(__file__).resolve().parents[2]


class UvicornServer:
    """`uvicorn baserow_clone.asgi:application`, as `make run` starts it (without reload)."""

    def __init__(self, data_dir: Path, log: Path) -> None:
        env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "CELERY_BROKER_URL"}}
        env |= {
            "DATABASE_URL": database_url(),
            "DJANGO_SETTINGS_MODULE": "tests.jobs.beat_settings",
            "DATA_DIR": str(data_dir),
            "JOB_STALE_SECONDS": "1",
            "LOG_LEVEL": "INFO",
            "SECRET_KEY": "test-servers-secret",
        }
        command = [sys.executable, "-m", "uvicorn", "baserow_clone.asgi:application"]
        command += ["--host", "127.0.0.1", "--port", str(free_port())]
        self.log = log
        with log.open("w") as out:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        wait_until(
            lambda: "Application startup complete" in log.read_text() or self.process.poll(),
            timeout=60,
            what="the server to start",
        )
        assert self.process.poll() is None, log.read_text()

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)


@pytest.fixture
def servers(transactional_db, tmp_path):
    started: list[UvicornServer] = []

    def start(name: str) -> UvicornServer:
        server = UvicornServer(tmp_path, tmp_path / f"{name}.log")
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def test_a_server_without_broker_runs_the_periodic_tasks_in_its_job_threads(user, servers):
    lost = Job.objects.create(user=user, type="duplicate_table", payload={"table_id": 1})
    long_ago = timezone.now() - datetime.timedelta(minutes=10)
    Job.objects.filter(id=lost.id).update(state=JobState.STARTED, updated_on=long_ago)
    server = servers("one")
    # The reaper, every half second here: it fails the job whose worker is gone.
    wait_until(
        lambda: Job.objects.get(id=lost.id).state == JobState.FAILED,
        timeout=30,
        what=f"the reaper to run:\n{server.log.read_text()}",
    )
    assert Job.objects.get(id=lost.id).human_readable_error == WORKER_LOST_ERROR
    wait_until(
        lambda: "periodic task fail-stale-jobs ran in job_" in server.log.read_text(),
        timeout=10,
        what="the log of the run",
    )
    assert "embedded beat: 1 periodic task(s)" in server.log.read_text()


def test_one_server_per_machine_runs_them(servers):
    first = servers("first")
    wait_until(lambda: "embedded beat:" in first.log.read_text(), timeout=30, what="the beat")
    second = servers("second")
    wait_until(
        lambda: first.log.read_text().count("periodic task fail-stale-jobs ran") >= 4,
        timeout=30,
        what="more runs",
    )
    assert "periodic task" not in second.log.read_text()
    assert "embedded beat:" not in second.log.read_text()


def test_no_embedded_beat_with_a_broker_or_when_switched_off(settings):
    settings.EMBEDDED_BEAT = False
    assert embedded_beat_start() is None
    settings.EMBEDDED_BEAT = True
    before = app.conf.task_always_eager
    app.conf.task_always_eager = False  # a broker: Celery beat runs the schedule
    try:
        assert embedded_beat_start() is None
    finally:
        app.conf.task_always_eager = before
