"""One webhook call through the outbound guard, its log entry, and what failures lead to."""

import json
from typing import Any

from django.conf import settings
from django.db.models import F, Subquery
from django.utils import timezone

from api.outbound import InvalidOutboundUrl, UnreachableUrl, open_url
from webhooks.models import TableWebhook, TableWebhookCall
from webhooks.notifications import notify_deactivated
from webhooks.presence import forget_table


def delivery_headers(event_type: str, event_id: str) -> dict[str, str]:
    return {
        "Content-type": "application/json",
        "X-Baserow-Event": event_type,
        "X-Baserow-Delivery": event_id,
    }


def _trimmed(text: str) -> str:
    limit = settings.WEBHOOKS_CALL_LOG_TEXT_LIMIT
    return text if len(text) <= limit else f"{text[:limit]}\n...(truncated)"


def _header_lines(headers: Any) -> str:
    return "\r\n".join(f"{name}: {value}" for name, value in headers.items())


def make_request(
    *, method: str, url: str, headers: dict[str, str], payload: dict[str, Any]
) -> dict[str, Any]:
    """Send one call through the outbound guard: its request and response text, or its error."""
    body = json.dumps(payload)
    limit = settings.WEBHOOKS_CALL_LOG_TEXT_LIMIT
    # Indented for reading, unless it is to be cut anyway (indenting 200 rows costs).
    shown = json.dumps(payload, indent=4) if len(body) < limit else body
    request = f"{method} {url}\r\n{_header_lines(headers)}\r\n\r\n{shown}"
    result = {"request": _trimmed(request), "response": "", "status_code": None, "error": ""}
    try:
        with open_url(
            url,
            method=method,
            timeout=settings.WEBHOOKS_REQUEST_TIMEOUT_SECONDS,
            headers=headers,
            data=body.encode(),
        ) as response:
            raw = response.raw.read(limit + 1, decode_content=True)
            text = raw.decode(response.encoding or "utf-8", errors="replace")
            result["response"] = _trimmed(f"{_header_lines(response.headers)}\r\n\r\n{text}")
            result["status_code"] = response.status_code
    except (UnreachableUrl, InvalidOutboundUrl) as error:
        result["error"] = str(error)
    except Exception as error:  # a malformed answer is a failed call, not a crashed task
        result["error"] = f"{type(error).__name__}: {error}"
    return result


def call_webhook(
    *, webhook: TableWebhook, event_id: str, event_type: str, payload: dict[str, Any]
) -> bool:
    """Make one call of an event to an active webhook; True on a 2xx answer.

    Each failure counts in `failed_triggers`; at `WEBHOOKS_MAX_CONSECUTIVE_FAILURES` the
    webhook is deactivated and its workspace's admins notified. A success resets the count.
    """
    headers = {**webhook.headers, **delivery_headers(event_type, event_id)}
    result = make_request(
        method=webhook.request_method, url=webhook.url, headers=headers, payload=payload
    )
    status = result["status_code"]
    success = status is not None and 200 <= status < 300
    TableWebhookCall.objects.create(
        webhook_id=webhook.id,
        event_id=event_id,
        event_type=event_type,
        called_time=timezone.now(),
        called_url=webhook.url,
        request=result["request"],
        response=result["response"],
        response_status=status,
        error=result["error"],
    )
    _keep_last_calls(webhook.id)
    webhooks = TableWebhook.objects.filter(id=webhook.id)
    if success:
        if webhook.failed_triggers:
            webhooks.filter(failed_triggers__gt=0).update(failed_triggers=0)
        return True
    webhooks.update(failed_triggers=F("failed_triggers") + 1)
    limit = settings.WEBHOOKS_MAX_CONSECUTIVE_FAILURES
    if webhooks.filter(active=True, failed_triggers__gte=limit).update(active=False):
        forget_table(webhook.table_id)
        notify_deactivated(webhook)
    return False


def _keep_last_calls(webhook_id: int) -> None:
    """Delete the calls older than the last few: below the id of the oldest one kept, so that
    a call another worker logs meanwhile (a higher id) is never deleted (one query)."""
    calls = TableWebhookCall.objects.filter(webhook_id=webhook_id)
    keep = settings.WEBHOOKS_CALL_LOG_ENTRIES
    oldest_kept = calls.order_by("-id").values("id")[keep - 1 : keep]
    calls.filter(id__lt=Subquery(oldest_kept)).delete()
