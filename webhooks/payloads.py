"""The body of a webhook call for each event type (09-other.md), from a committed event."""

import uuid
from typing import Any

from database.fields.models import Field
from database.tables.models import Table
from database.views.serializers import view_to_json
from events.bus import Event

# Domain event type -> webhook event type.
WEBHOOK_EVENT_TYPES = {
    "rows_created": "rows.created",
    "rows_updated": "rows.updated",
    "rows_deleted": "rows.deleted",
    "field_created": "field.created",
    "field_updated": "field.updated",
    "field_deleted": "field.deleted",
    "view_created": "view.created",
    "view_updated": "view.updated",
    "view_deleted": "view.deleted",
}


def base_payload(*, table: Table, webhook_id: int | None, event_id: str, event_type: str) -> dict:
    return {
        "table_id": table.id,
        "database_id": table.database_id,
        "workspace_id": table.database.workspace_id,
        "webhook_id": webhook_id,
        "event_id": event_id,
        "event_type": event_type,
    }


def with_user_field_names(rows: list[dict[str, Any]], fields: list[Field]) -> list[dict]:
    """Rows keyed by field names instead of `field_<id>` (other keys kept)."""
    names = {field.db_column: field.name for field in fields}
    return [{names.get(key, key): value for key, value in row.items()} for row in rows]


ROWS_EVENT_TYPES = {"rows_created", "rows_updated", "rows_deleted"}


def rows_body(event_type: str, payload: dict[str, Any]) -> dict[str, Any]:
    """What a rows event (domain type, wire payload) adds to the base payload (rows keyed
    `field_<id>`)."""
    if event_type == "rows_deleted":
        return {"row_ids": payload["row_ids"]}
    if event_type == "rows_created":
        return {"items": payload["rows"]}
    return {"items": payload["rows"], "old_items": payload["rows_before_update"]}


def event_body(event: Event) -> dict[str, Any]:
    """What an event adds to the base payload (rows keyed `field_<id>`)."""
    payload = event.payload
    if event.type in ROWS_EVENT_TYPES:
        return rows_body(event.type, payload)
    if event.type in ("field_created", "field_updated"):
        return {"field": payload["field"]}
    if event.type == "field_deleted":
        return {"field_id": payload["field_id"]}
    if event.type in ("view_created", "view_updated"):
        return {"view": view_to_json(event.subjects["view"])}  # without filters, sorts...
    return {"view_id": payload["view_id"]}


def body_row_ids(body: dict[str, Any]) -> list[int]:
    """The ids of the rows a rows event is about."""
    return body["row_ids"] if "row_ids" in body else [row["id"] for row in body["items"]]


def narrowed(body: dict[str, Any], row_ids: set[int]) -> dict[str, Any]:
    """A rows event's body kept to the given rows."""
    if "row_ids" in body:
        return {"row_ids": [i for i in body["row_ids"] if i in row_ids]}
    return {
        key: [row for row in rows if row["id"] in row_ids]
        for key, rows in body.items()
        if key in ("items", "old_items")
    }


def named(body: dict[str, Any], fields: list[Field]) -> dict[str, Any]:
    """The body with its rows keyed by field names."""
    return {
        key: with_user_field_names(value, fields) if key in ("items", "old_items") else value
        for key, value in body.items()
    }


def in_batches(payload: dict[str, Any], *, size: int, limit: int) -> tuple[list[dict], bool]:
    """A rows event's payload as calls of at most `size` rows each, as Baserow paginates a
    large one (`batch_id` from 1, `offset`, `batch_size`, `total_count`), at most `limit` calls
    (0: no limit); and whether rows beyond the limit were left out."""
    items = payload.get("items")
    if items is None or len(items) <= size:
        return [payload], False
    starts = range(0, len(items), size)
    kept = starts if not limit else starts[:limit]
    batches = []
    for number, offset in enumerate(kept, start=1):
        batch = {**payload, "items": items[offset : offset + size]}
        if "old_items" in payload:
            ids = {row["id"] for row in batch["items"]}
            batch["old_items"] = [row for row in payload["old_items"] if row["id"] in ids]
        batch.update(
            batch_id=number, offset=offset, batch_size=len(batch["items"]), total_count=len(items)
        )
        batches.append(batch)
    return batches, len(kept) < len(starts)


def new_event_id() -> str:
    return str(uuid.uuid4())
