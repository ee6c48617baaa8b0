"""Celery tasks of webhooks: fan an event out to its webhooks; make a webhook's pending calls
in order."""

from typing import Any

from celery import shared_task

from webhooks import delivery, pending


@shared_task(name="webhooks.tasks.fan_out", acks_late=True, reject_on_worker_lost=True)
def fan_out(**event: Any) -> None:
    """Queue a call of the event for each webhook of its table that hears it."""
    delivery.fan_out(**event)


@shared_task(name="webhooks.tasks.drain", acks_late=True, reject_on_worker_lost=True)
def drain(*, webhook_id: int) -> None:
    """Make the webhook's due calls one at a time, in order; a failed one is retried after
    `WEBHOOKS_RETRY_BACKOFF_SECONDS` times 2^retries, up to `WEBHOOKS_MAX_RETRIES` retries."""
    pending.drain(webhook_id)


@shared_task(name="webhooks.tasks.resume_stalled")
def resume_stalled() -> int:
    """Drain the webhooks whose calls wait with no drain holding them (beat, every minute)."""
    return pending.resume_stalled()
