"""Each webhook's pending calls, made one at a time in commit order (as Baserow calls one webhook
at a time). One drain per webhook runs at once, holding a lease on the webhook's row; a failed
call is retried with backoff before the calls behind it, so the receiver sees events in order."""

import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from webhooks import calls, dispatch
from webhooks.models import TableWebhook, TableWebhookPendingCall


def queue_calls(
    *, sequence: int, event_id: str, event_type: str, payloads: dict[int, list[dict[str, Any]]]
) -> None:
    """Queue an event's calls for each webhook (id -> payloads, in order), then have each
    webhook drained unless a drain holds it now (that drain looks again before it lets go)."""
    with transaction.atomic():
        TableWebhookPendingCall.objects.bulk_create(
            TableWebhookPendingCall(
                webhook_id=webhook_id,
                sequence=sequence,
                event_id=event_id,
                event_type=event_type,
                payload=payload,
            )
            for webhook_id, batches in payloads.items()
            for payload in batches
        )
    draining = set(
        TableWebhook.objects.filter(
            id__in=list(payloads), draining_until__gt=timezone.now()
        ).values_list("id", flat=True)
    )
    for webhook_id in payloads:
        if webhook_id not in draining:
            dispatch.drain_later(webhook_id=webhook_id)


def _lease_seconds() -> float:
    return settings.WEBHOOKS_REQUEST_TIMEOUT_SECONDS * 2 + 30


def _claim(webhook_id: int) -> bool:
    """Take (or renew) the webhook's lease: only one drain makes its calls."""
    now = timezone.now()
    free = Q(draining_until__isnull=True) | Q(draining_until__lt=now)
    until = now + timedelta(seconds=_lease_seconds())
    return bool(TableWebhook.objects.filter(free, id=webhook_id).update(draining_until=until))


def _renew(webhook_id: int) -> None:
    until = timezone.now() + timedelta(seconds=_lease_seconds())
    TableWebhook.objects.filter(id=webhook_id).update(draining_until=until)


def _release(webhook_id: int) -> None:
    TableWebhook.objects.filter(id=webhook_id).update(draining_until=None)


def _head(webhook_id: int) -> TableWebhookPendingCall | None:
    return TableWebhookPendingCall.objects.filter(webhook_id=webhook_id).first()


def _due(call: TableWebhookPendingCall | None) -> bool:
    return call is not None and (call.not_before is None or call.not_before <= timezone.now())


def _make_due_calls(webhook_id: int) -> float | None:
    """Make the webhook's calls in order while the first is due; the seconds until the retry
    of a call that just failed, if one did."""
    renewed = time.monotonic()
    while True:
        webhook = TableWebhook.objects.filter(id=webhook_id, active=True).first()
        if webhook is None:  # deactivated or deleted: its waiting calls are dropped
            TableWebhookPendingCall.objects.filter(webhook_id=webhook_id).delete()
            return None
        head = _head(webhook_id)
        if not _due(head):
            return None  # nothing left, or a retry that its failed try scheduled
        success = calls.call_webhook(
            webhook=webhook,
            event_id=str(head.event_id),
            event_type=head.event_type,
            payload=head.payload,
        )
        if success or head.retries >= settings.WEBHOOKS_MAX_RETRIES:
            head.delete()
            if time.monotonic() - renewed > _lease_seconds() / 2:
                _renew(webhook_id)
                renewed = time.monotonic()
            continue
        countdown = settings.WEBHOOKS_RETRY_BACKOFF_SECONDS * 2**head.retries
        head.retries += 1
        head.not_before = timezone.now() + timedelta(seconds=countdown)
        head.save(update_fields=("retries", "not_before"))
        return countdown


def drain(webhook_id: int) -> None:
    """Make the webhook's due calls, unless another drain is making them."""
    while _claim(webhook_id):
        try:
            countdown = _make_due_calls(webhook_id)
        finally:
            _release(webhook_id)
        if countdown is not None:
            dispatch.drain_later(webhook_id=webhook_id, countdown=countdown)
            return
        if not _due(_head(webhook_id)):  # else a call was queued while this drain let go
            return


def resume_stalled() -> int:
    """Drain the webhooks whose due calls wait with no live lease (a worker died holding it, or
    its queued drain was lost); how many were queued."""
    now = timezone.now()
    due = TableWebhookPendingCall.objects.filter(
        Q(not_before__isnull=True) | Q(not_before__lte=now)
    )
    stalled = TableWebhook.objects.filter(
        Q(draining_until__isnull=True) | Q(draining_until__lt=now),
        active=True,
        id__in=due.values("webhook_id"),
    ).values_list("id", flat=True)
    webhook_ids = list(stalled)
    for webhook_id in webhook_ids:
        dispatch.drain_later(webhook_id=webhook_id)
    return len(webhook_ids)
