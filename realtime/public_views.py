"""What the public pages of a table's views hear of its events, as Baserow's view page does.

Rows: those passing the view's filters, with its visible fields only. Fields: those the view
shows. A change of the view or of its field options: the whole view again (`force_view_refresh`).
A change of its filters: its rows again (`force_view_rows_refresh`). The table's id is hidden.
Forms follow nothing live.
"""

from collections.abc import Callable
from typing import Any

from database.fields.models import Field
from database.views.models import View
from database.views.public import public_fields
from database.views.registry import view_types
from database.views.selectors import view_rows
from database.views.serializers import PUBLIC_PLACEHOLDER_ID, public_field_json, public_view_json
from events.bus import Event

Payloads = list[tuple[int, dict[str, Any]]]


def _shown(row: dict[str, Any], keys: set[str]) -> dict[str, Any]:
    return {key: value for key, value in row.items() if key in keys}


def _row_payloads(event: Event, views: list[View]) -> Payloads:
    """For each view showing a changed row: the event kept to those rows and visible fields.

    A row counts when it passes the view's filters now (a deleted row: as it was deleted); an
    updated row that no longer passes them is sent as deleted, so the page drops it.
    """
    payload = {**event.payload, "table_id": PUBLIC_PLACEHOLDER_ID}
    rows = payload["rows"]
    model = event.subjects["model"]
    ids = [row["id"] for row in rows]
    known = model.objects.filter(id__in=ids)  # trashed ones too: a deletion trashes them
    results = []
    for view in views:
        keys = {"id", "order", *(field.db_column for field in public_fields(view))}
        passing = set(
            view_rows(view=view, model=model, queryset=known, sort=False).values_list(
                "id", flat=True
            )
        )
        shown = [_shown(row, keys) for row in rows if row["id"] in passing]
        if event.type == "rows_updated":
            before = {row["id"]: row for row in payload["rows_before_update"]}
            if shown:
                before_shown = [_shown(before[row["id"]], keys) for row in shown]
                message = {**payload, "rows_before_update": before_shown, "rows": shown}
                results.append((view.id, message))
            gone = [_shown(before[row["id"]], keys) for row in rows if row["id"] not in passing]
            if gone:
                # The page removes the rows it is given (`rows`), by id.
                deleted = {"type": "rows_deleted", "table_id": PUBLIC_PLACEHOLDER_ID}
                row_ids = [row["id"] for row in gone]
                results.append((view.id, {**deleted, "row_ids": row_ids, "rows": gone}))
        elif shown:
            message = {**payload, "rows": shown}
            if event.type == "rows_deleted":
                message["row_ids"] = [row["id"] for row in shown]
            results.append((view.id, message))
    return results


def _was_shown(view: View, field_id: int) -> bool:
    """Whether the view showed a field now in the trash (its options stay with it there)."""
    view_type = view_types.get(view.type)
    stored = view_type.field_options_model._base_manager.filter(view=view, field_id=field_id)
    options = stored.first()
    if options is None:
        field = Field.objects_and_trash.filter(id=field_id).first()
        if field is None:
            return False
        options = view_type.new_field_options(view, field)
    return view_type.shows_field(options)


def _field_payloads(event: Event, views: list[View]) -> Payloads:
    """For each view showing the field: the event with public fields, its related fields kept
    to those the view shows."""
    field = event.subjects.get("field")
    field_id = event.subjects["field_id"] if field is None else field.id
    results = []
    for view in views:
        shown = {shown_field.id for shown_field in public_fields(view)}
        if field_id not in shown and not (field is None and _was_shown(view, field_id)):
            continue
        message: dict[str, Any] = {"type": event.type}
        if event.type in ("field_updated", "field_deleted"):
            message["field_id"] = field_id
        if field is None:
            message["table_id"] = PUBLIC_PLACEHOLDER_ID
        else:
            message["field"] = public_field_json(field)
        message["related_fields"] = [
            public_field_json(related)
            for related in event.subjects["related_fields"]
            if related.id in shown
        ]
        results.append((view.id, message))
    return results


def _view_id(event: Event) -> int:
    if "view" in event.subjects:
        return event.subjects["view"].id
    if "item" in event.subjects:
        return event.subjects["item"].view_id
    return event.subjects["view_id"]


def _view_refresh_payloads(event: Event, views: list[View]) -> Payloads:
    """The view as the public sees it, with its visible fields, to its page."""
    results = []
    for view in views:
        if view.id == _view_id(event):
            fields = public_fields(view)
            message = {
                "type": "force_view_refresh",
                "view_id": view.slug,
                "fields": [public_field_json(field) for field in fields],
                "view": public_view_json(view, fields),
            }
            results.append((view.id, message))
    return results


def _rows_refresh_payloads(event: Event, views: list[View]) -> Payloads:
    """The view's rows are stale: its page fetches them again."""
    message = {"type": "force_view_rows_refresh"}
    return [(v.id, {**message, "view_id": v.slug}) for v in views if v.id == _view_id(event)]


BUILDERS: dict[str, Callable[[Event, list[View]], Payloads]] = {
    **dict.fromkeys(("rows_created", "rows_updated", "rows_deleted"), _row_payloads),
    **dict.fromkeys(
        ("field_created", "field_updated", "field_restored", "field_deleted"), _field_payloads
    ),
    **dict.fromkeys(("view_updated", "view_field_options_updated"), _view_refresh_payloads),
    **dict.fromkeys(
        (
            "view_filter_created",
            "view_filter_updated",
            "view_filter_deleted",
            "force_view_rows_refresh",
        ),
        _rows_refresh_payloads,
    ),
}


def public_view_payloads(event: Event) -> Payloads:
    """(view id, payload) for each public page of the event's table that hears of it."""
    builder = BUILDERS.get(event.type)
    if builder is None:
        return []
    public = View.objects.filter(table_id=event.table_id, public=True).order_by("id")
    views = [view for view in public if view_types.get(view.type).public_realtime]
    return builder(event, views) if views else []
