"""Celery tasks of webhooks: fan an event out to its webhooks; make one call, retried with
backoff when it fails."""

from typing import Any

from celery import shared_task
from django.conf import settings

from webhooks import calls, delivery, dispatch


@shared_task(name="webhooks.tasks.fan_out", acks_late=True, reject_on_worker_lost=True)
def fan_out(**event: Any) -> None:
    """Queue a call of the event for each webhook of its table that hears it."""
    delivery.fan_out(**event)


@shared_task(name="webhooks.tasks.call_webhook", acks_late=True, reject_on_worker_lost=True)
def call_webhook(
    *, webhook_id: int, event_id: str, event_type: str, payload: dict[str, Any], retries: int = 0
) -> None:
    """Call the webhook; on failure queue the next try after `WEBHOOKS_RETRY_BACKOFF_SECONDS`
    times 2^retries, up to `WEBHOOKS_MAX_RETRIES` retries (none once it is deactivated)."""
    call = {"webhook_id": webhook_id, "event_id": event_id, "event_type": event_type}
    success = calls.call_webhook(**call, payload=payload)
    if success is False and retries < settings.WEBHOOKS_MAX_RETRIES:
        countdown = settings.WEBHOOKS_RETRY_BACKOFF_SECONDS * 2**retries
        dispatch.call_later(**call, payload=payload, countdown=countdown, retries=retries + 1)
