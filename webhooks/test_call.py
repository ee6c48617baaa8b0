"""A test call: an example payload of an event type sent at once, its exchange answered."""

from typing import Any

from database.fields.models import Field
from database.fields.serializers import field_to_json
from database.tables.models import Table
from database.views.models import View
from database.views.serializers import view_to_json
from webhooks.calls import delivery_headers, make_request
from webhooks.payloads import base_payload, new_event_id, with_user_field_names


def _example_body(table: Table, event_type: str, use_user_field_names: bool) -> dict[str, Any]:
    fields = list(Field.objects.filter(table=table).order_by("order", "id"))
    if event_type.startswith("rows."):
        row = {"id": 0, "order": "0.00000000000000000000"}
        row.update({field.db_column: None for field in fields})
        rows = with_user_field_names([row], fields) if use_user_field_names else [row]
        if event_type == "rows.deleted":
            return {"row_ids": [0]}
        body = {"items": rows}
        return {**body, "old_items": rows} if event_type == "rows.updated" else body
    if event_type.startswith("field."):
        field = next((f for f in fields if f.primary), fields[0] if fields else None)
        if event_type == "field.deleted" or field is None:
            return {"field_id": field.id if field else 0}
        return {"field": field_to_json(field)}
    view = View.objects.filter(table=table).order_by("order", "id").first()
    if event_type == "view.deleted" or view is None:
        return {"view_id": view.id if view else 0}
    return {"view": view_to_json(view)}


def webhook_test_call(
    *,
    table: Table,
    url: str,
    event_type: str,
    request_method: str,
    headers: dict[str, str],
    use_user_field_names: bool,
) -> dict[str, Any]:
    """Send an example of the event to the URL now; the request, response and status."""
    event_id = new_event_id()
    payload = {
        **base_payload(table=table, webhook_id=None, event_id=event_id, event_type=event_type),
        **_example_body(table, event_type, use_user_field_names),
    }
    result = make_request(
        method=request_method,
        url=url,
        headers={**headers, **delivery_headers(event_type, event_id)},
        payload=payload,
    )
    return {
        "request": result["request"],
        "response": result["response"] or "",
        "status_code": result["status_code"],
        "is_unreachable": result["status_code"] is None,
    }
