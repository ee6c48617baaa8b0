"""From a committed event to webhook calls: the request queues the event once (when the cache
says a webhook of the table may hear it); a worker finds the webhooks that hear it and queues
one call for each, in its turn (`pending`)."""

import json
import time
from typing import Any

from django.conf import settings
from django.db.models import Q

from database import table_models
from database.fields.models import Field
from database.tables.models import Table
from database.views.selectors import view_rows
from events.bus import Event
from webhooks import dispatch, pending
from webhooks.models import TableWebhook, TableWebhookEvent
from webhooks.notifications import notify_payload_too_large
from webhooks.payloads import (
    ROWS_EVENT_TYPES,
    WEBHOOK_EVENT_TYPES,
    base_payload,
    body_row_ids,
    event_body,
    in_batches,
    named,
    narrowed,
    new_event_id,
    rows_body,
)
from webhooks.presence import table_hears


def webhooks_on_event(event: Event) -> None:
    """Queue a committed event for its table's webhooks, if an active one may hear it."""
    event_type = WEBHOOK_EVENT_TYPES.get(event.type)
    if event_type is None or event.table_id is None or not table_hears(event.table_id, event_type):
        return
    if event.type in ROWS_EVENT_TYPES:
        # The rows go as the JSON the websockets already got, not encoded again for the broker.
        body: dict[str, Any] = {"rows_event": event.type, "payload_json": event.payload_json}
    else:
        body = {"body": event_body(event)}
    dispatch.fan_out_later(
        sequence=time.time_ns(),  # commit order: the order of each webhook's calls
        event_id=new_event_id(),
        event_type=event_type,
        table_id=event.table_id,
        updated_field_ids=event.subjects.get("updated_field_ids"),
        **body,
    )


def _config(webhook: TableWebhook, event_type: str) -> TableWebhookEvent | None:
    if webhook.include_all_events:
        return None
    return next((e for e in webhook.events.all() if e.event_type == event_type), None)


def _listening(
    table_id: int, event_type: str, updated_field_ids: list[int] | None
) -> list[TableWebhook]:
    """The active webhooks of the table that hear this event (a `rows.updated` narrowed to
    some fields only when one of them changed)."""
    listens = Q(include_all_events=True) | Q(events__event_type=event_type)
    webhooks = TableWebhook.objects.filter(listens, table_id=table_id, active=True).distinct()
    webhooks = list(webhooks.prefetch_related("events__fields", "events__views"))
    if event_type != "rows.updated":
        return webhooks
    changed = set(updated_field_ids or ())

    def hears(webhook: TableWebhook) -> bool:
        config = _config(webhook, event_type)
        fields = set() if config is None else {field.id for field in config.fields.all()}
        return not fields or bool(fields & changed)

    return [webhook for webhook in webhooks if hears(webhook)]


def _visible_row_ids(
    table: Table, config: TableWebhookEvent | None, body: dict[str, Any]
) -> set[int] | None:
    """With views configured for a rows event: the rows of the event one of them shows."""
    views = [] if config is None else list(config.views.all())
    if not views or not config.event_type.startswith("rows."):
        return None
    model = table_models.get_model(table)
    known = model.objects.filter(id__in=body_row_ids(body))  # trashed ones too (deletions)
    visible: set[int] = set()
    for view in views:
        shown = view_rows(view=view, model=model, queryset=known, sort=False)
        visible.update(shown.values_list("id", flat=True))
    return visible


def fan_out(
    *,
    sequence: int,
    event_id: str,
    event_type: str,
    table_id: int,
    body: dict[str, Any] | None = None,
    rows_event: str | None = None,
    payload_json: str | None = None,
    updated_field_ids: list[int] | None = None,
) -> int:
    """Queue the event's call (or, for many rows, calls) for each webhook that hears it; for how
    many webhooks. A rows event comes as its domain type and wire payload's JSON
    (`rows_event`, `payload_json`), any other as its `body`."""
    webhooks = _listening(table_id, event_type, updated_field_ids)
    table = Table.objects.select_related("database").filter(id=table_id).first()
    if not webhooks or table is None:
        return 0
    if body is None:
        body = rows_body(rows_event, json.loads(payload_json))
    fields = list(Field.objects.filter(table_id=table_id))
    payloads: dict[int, list[dict[str, Any]]] = {}
    for webhook in webhooks:
        row_ids = _visible_row_ids(table, _config(webhook, event_type), body)
        if row_ids is not None and not row_ids:
            continue
        own = body if row_ids is None else narrowed(body, row_ids)
        if webhook.use_user_field_names:
            own = named(own, fields)
        payload = {
            **base_payload(
                table=table, webhook_id=webhook.id, event_id=event_id, event_type=event_type
            ),
            **own,
        }
        limit = settings.WEBHOOKS_BATCH_LIMIT
        payloads[webhook.id], cut = in_batches(
            payload, size=settings.WEBHOOKS_BATCH_SIZE, limit=limit
        )
        if cut:
            notify_payload_too_large(webhook, event_id=event_id, batch_limit=limit)
    if payloads:
        pending.queue_calls(
            sequence=sequence, event_id=event_id, event_type=event_type, payloads=payloads
        )
    return len(payloads)
