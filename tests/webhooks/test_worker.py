"""Deliveries through a real Celery worker (a subprocess) and Redis: queued while no worker
runs, delivered once one starts, each once."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from database.rows.services import rows_create
from tests.jobs.helpers import wait_until
from tests.jobs.test_worker import database_url
from tests.webhooks.conftest import REDIS_URL
from tests.webhooks.helpers import create_hook
from webhooks.models import TableWebhook
from webhooks.queue import EVENTS

ROOT = Path(__file__).resolve().parents[2]


def start_worker(log: Path, concurrency: int = 2) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "REDIS_URL": REDIS_URL,
        "CELERY_BROKER_URL": REDIS_URL,
        "BASEROW_WEBHOOKS_ALLOW_PRIVATE_ADDRESS": "true",
    }
    command = [sys.executable, "-m", "celery", "-A", "baserow_clone", "worker"]
    command += [f"--concurrency={concurrency}", "--without-gossip", "--without-mingle"]
    command += ["-l", "info"]
    with log.open("w") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    return process


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def test_calls_queued_without_a_worker_are_delivered_once_it_starts(
    broker, user_client, table, receiver, tmp_path
):
    hook = create_hook(user_client, table, receiver.url)
    created = [rows_create(table=table, items=[{}])[0].id for _ in range(3)]
    created += [row.id for row in rows_create(table=table, items=[{}] * 50, batch=True)]
    wait_until(lambda: broker.llen(EVENTS) == 4, timeout=10, what="4 queued events")
    time.sleep(0.5)
    assert receiver.calls == []  # nothing runs the calls yet: they wait in Redis
    assert broker.llen("celery") == 1  # with one fan-out task for all of them
    log = tmp_path / "worker.log"
    worker = start_worker(log)
    try:
        wait_until(lambda: len(receiver.calls) >= 4, timeout=60, what="4 deliveries")
        time.sleep(2)  # time for a duplicate to show up, if any were sent
    finally:
        stop(worker)
    calls = receiver.calls
    assert len(calls) == 4, log.read_text()
    assert len({call["body"]["event_id"] for call in calls}) == 4
    delivered = sorted(item["id"] for call in calls for item in call["body"]["items"])
    assert delivered == sorted(created)
    assert TableWebhook.objects.get(id=hook["id"]).calls.count() == 4, log.read_text()
    assert broker.llen("celery") == 0 and broker.llen(EVENTS) == 0


def test_a_burst_arrives_in_commit_order_through_a_worker(
    broker, user_client, table, receiver, tmp_path
):
    receiver.statuses = [500]  # the first call is retried before the ones after it
    hooks = [create_hook(user_client, table, receiver.url, name=f"H{n}") for n in range(2)]
    log = tmp_path / "worker.log"
    # Two processes: one consumer at a time fans the events out, in the order they were queued.
    worker = start_worker(log, concurrency=2)
    try:
        committed = [rows_create(table=table, items=[{}])[0].id for _ in range(20)]
        wait_until(lambda: len(receiver.calls) >= 41, timeout=60, what="41 calls")
    finally:
        stop(worker)
    for hook in hooks:
        calls = [call for call in receiver.calls if call["body"]["webhook_id"] == hook["id"]]
        delivered = [call["body"]["items"][0]["id"] for call in calls]
        # In commit order; the failed first call was made again before the next one.
        assert delivered in (committed, [committed[0], *committed]), log.read_text()
    time.sleep(1)  # time for a duplicate to show up, if any were sent
    assert len(receiver.calls) == 41
