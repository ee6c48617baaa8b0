"""Calls to one webhook arrive one at a time, in commit order, also when a call is retried,
with the calls made by this process's job threads (the embedded default, no broker)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from database.rows.services import rows_create
from tests.jobs.helpers import wait_until
from tests.webhooks.helpers import create_hook
from webhooks.models import TableWebhook, TableWebhookPendingCall
from webhooks.pending import resume_stalled

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def job_threads(settings):
    settings.JOB_THREADS = 2


def pending() -> bool:
    return TableWebhookPendingCall.objects.exists()


def created_ids(calls: list[dict]) -> list[int]:
    return [item["id"] for call in calls for item in call["body"]["items"]]


def test_a_burst_of_events_arrives_in_commit_order(job_threads, user_client, table, receiver):
    hooks = [create_hook(user_client, table, receiver.url, name=f"H{n}") for n in range(2)]
    committed = [rows_create(table=table, items=[{}])[0].id for _ in range(30)]
    calls = receiver.wait_for(60)
    assert len(calls) == 60
    for hook in hooks:
        own = [call for call in calls if call["body"]["webhook_id"] == hook["id"]]
        assert created_ids(own) == committed
    wait_until(lambda: not pending(), timeout=10, what="no call left waiting")


def test_a_retried_call_comes_before_the_calls_after_it(
    job_threads, user_client, table, receiver, settings
):
    settings.WEBHOOKS_RETRY_BACKOFF_SECONDS = 0.2
    receiver.statuses = [500, 500]  # the first event's call fails twice
    hook = create_hook(user_client, table, receiver.url)
    committed = [rows_create(table=table, items=[{}])[0].id for _ in range(5)]
    calls = receiver.wait_for(7)
    assert created_ids(calls) == [committed[0]] * 3 + committed[1:]
    webhooks = TableWebhook.objects.filter(id=hook["id"])
    idle = webhooks.filter(draining_until__isnull=True)  # the drain let go of it
    wait_until(lambda: not pending() and idle.exists(), timeout=10, what="the drain's end")
    assert webhooks.get().failed_triggers == 0


def test_a_deactivated_webhook_drops_its_waiting_calls(
    job_threads, user_client, table, receiver, settings
):
    settings.WEBHOOKS_MAX_CONSECUTIVE_FAILURES = 2
    settings.WEBHOOKS_RETRY_BACKOFF_SECONDS = 0.1
    receiver.status = 500
    hook = create_hook(user_client, table, receiver.url)
    for _ in range(4):
        rows_create(table=table, items=[{}])
    receiver.wait_for(2)
    # The drain that finds it deactivated drops the three calls behind the failed one.
    wait_until(lambda: not pending(), timeout=10, what="no call left waiting")
    assert not TableWebhook.objects.get(id=hook["id"]).active
    assert len(receiver.calls) == 2


def test_calls_left_by_a_dead_drain_are_resumed(user_client, table, receiver, settings):
    hook = create_hook(user_client, table, receiver.url)
    webhooks = TableWebhook.objects.filter(id=hook["id"])
    # A drain that died holding the lease: the calls queued meanwhile wait for it.
    webhooks.update(draining_until=timezone.now() + timedelta(minutes=5))
    committed = [rows_create(table=table, items=[{}])[0].id for _ in range(3)]
    assert receiver.calls == [] and pending()
    assert resume_stalled() == 0  # its lease still runs
    webhooks.update(draining_until=timezone.now() - timedelta(seconds=1))
    assert resume_stalled() == 1
    assert created_ids(receiver.wait_for(3)) == committed
    assert not pending() and resume_stalled() == 0
