"""From a committed event to webhook calls: which webhooks hear it, and each call's outcome."""

import json
import logging
from typing import Any

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from api.outbound import InvalidOutboundUrl, UnreachableUrl, open_url
from database.fields.models import Field
from database.tables.models import Table
from database.views.selectors import view_rows
from events.bus import Event
from webhooks import dispatch
from webhooks.models import TableWebhook, TableWebhookCall
from webhooks.notifications import notify_deactivated
from webhooks.payloads import WEBHOOK_EVENT_TYPES, base_payload, event_body, named, new_event_id

logger = logging.getLogger(__name__)


def delivery_headers(event_type: str, event_id: str) -> dict[str, str]:
    return {
        "Content-type": "application/json",
        "X-Baserow-Event": event_type,
        "X-Baserow-Delivery": event_id,
    }


def _listening(webhook_type: str, event: Event) -> list[TableWebhook]:
    """The active webhooks of the table that listen to this event (fields considered)."""
    listens = Q(include_all_events=True) | Q(events__event_type=webhook_type)
    webhooks = TableWebhook.objects.filter(listens, table_id=event.table_id, active=True)
    webhooks = list(webhooks.distinct().prefetch_related("events__fields", "events__views"))
    if webhook_type != "rows.updated":
        return webhooks
    changed = set(event.subjects["updated_field_ids"])

    def hears(webhook: TableWebhook) -> bool:
        config = _config(webhook, webhook_type)
        if webhook.include_all_events or config is None:
            return True
        fields = {field.id for field in config.fields.all()}
        return not fields or bool(fields & changed)

    return [webhook for webhook in webhooks if hears(webhook)]


def _config(webhook: TableWebhook, webhook_type: str):
    return next((e for e in webhook.events.all() if e.event_type == webhook_type), None)


def _visible_row_ids(webhook: TableWebhook, webhook_type: str, event: Event) -> set[int] | None:
    """With views configured for a rows event: the changed rows that one of them shows."""
    config = None if webhook.include_all_events else _config(webhook, webhook_type)
    if config is None or not webhook_type.startswith("rows."):
        return None
    views = list(config.views.all())
    if not views:
        return None
    model = event.subjects["model"]
    ids = (
        event.payload["row_ids"]
        if event.type == "rows_deleted"
        else [row["id"] for row in event.payload["rows"]]
    )
    known = model.objects.filter(id__in=ids)  # trashed ones too: a deletion trashes them
    visible: set[int] = set()
    for view in views:
        visible |= set(
            view_rows(view=view, model=model, queryset=known, sort=False).values_list(
                "id", flat=True
            )
        )
    return visible


def webhooks_on_event(event: Event) -> None:
    """Queue one call per listening webhook for a committed event (a batch is one call)."""
    webhook_type = WEBHOOK_EVENT_TYPES.get(event.type)
    if webhook_type is None or event.table_id is None:
        return
    webhooks = _listening(webhook_type, event)
    if not webhooks:
        return
    table = Table.objects.select_related("database").get(id=event.table_id)
    fields = list(Field.objects.filter(table_id=table.id))
    event_id = new_event_id()
    for webhook in webhooks:
        row_ids = _visible_row_ids(webhook, webhook_type, event)
        if row_ids is not None and not row_ids:
            continue
        body = event_body(event, row_ids=row_ids)
        if webhook.use_user_field_names:
            body = named(body, fields)
        payload = {
            **base_payload(
                table=table, webhook_id=webhook.id, event_id=event_id, event_type=webhook_type
            ),
            **body,
        }
        dispatch.call_later(
            webhook_id=webhook.id, event_id=event_id, event_type=webhook_type, payload=payload
        )


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
    request = f"{method} {url}\r\n{_header_lines(headers)}\r\n\r\n{json.dumps(payload, indent=4)}"
    result = {"request": _trimmed(request), "response": None, "status_code": None, "error": ""}
    try:
        with open_url(
            url,
            method=method,
            timeout=settings.WEBHOOKS_REQUEST_TIMEOUT_SECONDS,
            headers=headers,
            data=body.encode(),
        ) as response:
            raw = response.raw.read(settings.WEBHOOKS_CALL_LOG_TEXT_LIMIT + 1, decode_content=True)
            text = raw.decode(response.encoding or "utf-8", errors="replace")
            result["response"] = _trimmed(f"{_header_lines(response.headers)}\r\n\r\n{text}")
            result["status_code"] = response.status_code
    except (UnreachableUrl, InvalidOutboundUrl) as error:
        result["error"] = str(error)
    except Exception as error:  # a malformed answer must count as a failed call, not crash
        result["error"] = f"{type(error).__name__}: {error}"
    return result


def call_webhook(
    *, webhook_id: int, event_id: str, event_type: str, payload: dict[str, Any]
) -> bool | None:
    """Make one call of an event; True on a 2xx answer, None when the webhook is gone or off.

    Each failure counts in `failed_triggers`; at `WEBHOOKS_MAX_CONSECUTIVE_FAILURES` the
    webhook is deactivated and its workspace's admins notified. A success resets the count.
    """
    webhook = TableWebhook.objects.filter(id=webhook_id, active=True).first()
    if webhook is None:
        return None
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
        response=result["response"] or "",
        response_status=status,
        error=result["error"],
    )
    _keep_last_calls(webhook.id)
    webhooks = TableWebhook.objects.filter(id=webhook.id)
    if success:
        webhooks.filter(failed_triggers__gt=0).update(failed_triggers=0)
        return True
    webhooks.update(failed_triggers=F("failed_triggers") + 1)
    limit = settings.WEBHOOKS_MAX_CONSECUTIVE_FAILURES
    if webhooks.filter(active=True, failed_triggers__gte=limit).update(active=False):
        notify_deactivated(webhook)
    return False


def _keep_last_calls(webhook_id: int) -> None:
    calls = TableWebhookCall.objects.filter(webhook_id=webhook_id)
    keep = calls.order_by("-called_time", "-id").values_list("id", flat=True)[
        : settings.WEBHOOKS_CALL_LOG_ENTRIES
    ]
    calls.exclude(id__in=list(keep)).delete()
