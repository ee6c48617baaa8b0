"""Row events as a table's public views may show them: their rows and visible fields only."""

from typing import Any

from database.views.models import View
from database.views.public import public_fields
from database.views.selectors import view_rows
from events.bus import Event

ROW_EVENTS = {"rows_created", "rows_updated", "rows_deleted"}


def _shown(row: dict[str, Any], keys: set[str]) -> dict[str, Any]:
    return {key: value for key, value in row.items() if key in keys}


def public_view_payloads(event: Event) -> list[tuple[int, dict[str, Any]]]:
    """(view id, payload) for each public view of the event's table that shows a changed row.

    A row counts when it passes the view's filters now (a deleted row: as it was deleted); an
    updated row that no longer passes them is sent as deleted, so the page drops it.
    """
    if event.type not in ROW_EVENTS:
        return []
    views = list(View.objects.filter(table_id=event.table_id, public=True))
    if not views:
        return []
    payload = event.payload
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
        gone = [row["id"] for row in rows if row["id"] not in passing]
        if event.type == "rows_updated":
            before = {row["id"]: row for row in payload["rows_before_update"]}
            if shown:
                results.append(
                    (
                        view.id,
                        {
                            **payload,
                            "rows_before_update": [_shown(before[r["id"]], keys) for r in shown],
                            "rows": shown,
                        },
                    )
                )
            if gone:
                deleted = {"type": "rows_deleted", "table_id": event.table_id}
                results.append((view.id, {**deleted, "row_ids": gone, "rows": []}))
        elif shown:
            message = {**payload, "rows": shown}
            if event.type == "rows_deleted":
                message["row_ids"] = [row["id"] for row in shown]
            results.append((view.id, message))
    return results
