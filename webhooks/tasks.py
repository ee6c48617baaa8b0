"""Celery tasks of webhooks: fan an event out to its webhooks; make a webhook's pending calls
in order."""

from typing import Any

from celery import shared_task
from django.conf import settings

from webhooks import delivery, pending, queue


@shared_task(name="webhooks.tasks.fan_out", acks_late=True, reject_on_worker_lost=True)
def fan_out(**event: Any) -> None:
    """Queue a call of the event for each webhook of its table that hears it."""
    delivery.fan_out(**event)


@shared_task(name="webhooks.tasks.fan_out_queued", acks_late=True, reject_on_worker_lost=True)
def fan_out_queued() -> None:
    """Fan out the events waiting in the broker's Redis, oldest first (`webhooks.queue`)."""
    client = queue.broker_redis()
    if client is None:
        return
    try:
        done = queue.consume(client, delivery.fan_out)
    except Exception:
        queue.kick(delay=settings.WEBHOOKS_FAN_OUT_RETRY_SECONDS)
        raise
    if done is None:  # another consumer holds the lease: look again once it may have ended
        queue.kick(delay=min(max(queue.lease_left(client), 0.5), 5))


@shared_task(name="webhooks.tasks.drain", acks_late=True, reject_on_worker_lost=True)
def drain(*, webhook_id: int) -> None:
    """Make the webhook's due calls one at a time, in order; a failed one is retried after
    `WEBHOOKS_RETRY_BACKOFF_SECONDS` times 2^retries, up to `WEBHOOKS_MAX_RETRIES` retries."""
    pending.drain(webhook_id)


@shared_task(name="webhooks.tasks.resume_stalled")
def resume_stalled() -> int:
    """Drain the webhooks whose calls wait with no drain holding them, and fan out the events
    left waiting with no consumer (beat, every minute)."""
    client = queue.broker_redis()
    if client is not None and queue.waiting(client) and not queue.lease_left(client):
        queue.kick(delay=0)
    return pending.resume_stalled()
