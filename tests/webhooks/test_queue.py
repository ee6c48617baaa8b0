"""Events wait for their fan-out in the broker's Redis (webhooks/queue.py): one task fans them
out in order, one consumer at a time; what a dead consumer or a lost task leaves is taken up."""

import json

from database.rows.services import rows_create
from tests.webhooks.helpers import create_hook
from webhooks.models import TableWebhookPendingCall
from webhooks.queue import CONSUMER, EVENTS, KICKED, TAKEN
from webhooks.tasks import fan_out_queued, resume_stalled


def queued_calls() -> list[int]:
    """The sequence numbers of the calls stored for the webhook's drain, in the drain's order
    (no worker runs here: the drain's task waits in Redis)."""
    return list(TableWebhookPendingCall.objects.values_list("sequence", flat=True))


def fan_out_tasks(broker) -> int:
    """How many fan-out tasks wait in Celery's queue."""
    messages = [json.loads(message) for message in broker.lrange("celery", 0, -1)]
    return sum(message["headers"]["task"] == fan_out_queued.name for message in messages)


def test_events_wait_in_redis_with_one_task_for_them(broker, user_client, table, receiver):
    create_hook(user_client, table, receiver.url)
    for _ in range(3):
        rows_create(table=table, items=[{}])
    assert broker.llen(EVENTS) == 3
    assert fan_out_tasks(broker) == 1  # one fan-out task, not one per event
    assert fan_out_queued.apply().successful()
    assert broker.llen(EVENTS) == 0 and broker.llen(TAKEN) == 0
    assert not broker.exists(KICKED)  # the next event queues a task again
    calls = queued_calls()
    assert len(calls) == 3 and calls == sorted(calls)
    rows_create(table=table, items=[{}])
    assert fan_out_tasks(broker) == 2  # the first one's message, and one for the new event


def test_a_table_without_webhooks_queues_nothing(broker, table):
    rows_create(table=table, items=[{}])
    assert broker.llen(EVENTS) == 0 and broker.llen("celery") == 0


def test_a_second_consumer_leaves_the_events_to_the_lease_holder(
    broker, user_client, table, receiver
):
    create_hook(user_client, table, receiver.url)
    broker.set(CONSUMER, "another consumer", ex=30)
    rows_create(table=table, items=[{}])
    fan_out_queued.apply()
    assert broker.llen(EVENTS) == 1 and queued_calls() == []
    assert fan_out_tasks(broker) == 2  # it queued itself again, for when the lease ends
    broker.delete(CONSUMER)
    fan_out_queued.apply()
    assert broker.llen(EVENTS) == 0 and len(queued_calls()) == 1


def test_an_event_a_dead_consumer_took_is_fanned_out_first(broker, user_client, table, receiver):
    create_hook(user_client, table, receiver.url)
    rows_create(table=table, items=[{}])
    broker.lmove(EVENTS, TAKEN, "LEFT", "RIGHT")  # taken, then its consumer died
    rows_create(table=table, items=[{}])
    fan_out_queued.apply()
    assert broker.llen(TAKEN) == 0 and broker.llen(EVENTS) == 0
    calls = queued_calls()
    assert len(calls) == 2 and calls == sorted(calls)


def test_an_event_that_keeps_failing_is_dropped_not_the_ones_behind_it(
    broker, user_client, table, receiver, settings
):
    settings.WEBHOOKS_FAN_OUT_ATTEMPTS = 2
    create_hook(user_client, table, receiver.url)
    broker.rpush(EVENTS, b'{"not": "an event"}\n')
    rows_create(table=table, items=[{}])
    first = fan_out_queued.apply()
    assert first.failed() and broker.llen(EVENTS) == 2  # put back, first in line
    assert fan_out_queued.apply().successful()
    assert broker.llen(EVENTS) == 0 and len(queued_calls()) == 1


def test_events_whose_task_was_lost_are_taken_up_by_the_beat(broker, user_client, table, receiver):
    create_hook(user_client, table, receiver.url)
    rows_create(table=table, items=[{}])
    broker.delete("celery")  # the fan-out task's message was lost
    rows_create(table=table, items=[{}])
    assert fan_out_tasks(broker) == 0  # the mark says a task is queued: none is
    broker.set(CONSUMER, "a live consumer", ex=30)
    resume_stalled.apply()
    assert fan_out_tasks(broker) == 0  # that consumer takes them
    broker.delete(CONSUMER)
    resume_stalled.apply()
    assert fan_out_tasks(broker) == 1
    fan_out_queued.apply()
    assert len(queued_calls()) == 2
