"""Row change history: the cells each update really changed, recorded once per request.

Entries keep Baserow's shape: `before`/`after` hold only the changed cells, keyed `field_<id>`
(related options and rows by id), and `fields_metadata` what showing them needs.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import models
from django.utils import timezone

from database import table_models
from database.fields.models import Field
from database.fields.registry import field_types
from database.rows.errors import RowDoesNotExist
from database.rows.models import RowHistory
from database.rows.values import rows_queryset, rows_to_json
from database.tables.models import Table
from users.models import User

# Baserow records its `update_rows` action for the single-row PATCH as well.
UPDATE_ROWS = "update_rows"


def _cells(model: type[models.Model], row_ids: list[int], fields: list[Field]) -> dict[int, dict]:
    """The rows' cells of `fields` in the contract's form, by row id (constant query count)."""
    rows = rows_queryset(model, fields).filter(id__in=row_ids)
    return {row["id"]: row for row in rows_to_json(rows, fields)}


@contextmanager
def update_recorded(
    *,
    model: type[models.Model],
    row_ids: list[int],
    cells: list[dict[str, Any]],
    actor: User | None,
) -> Iterator[None]:
    """Record what the update run inside the block changed: one entry per changed row.

    `cells[i]` holds the values written to row `row_ids[i]`, keyed `field_<id>`. The rows are
    read before and after the block; a cell counts as changed when its value differs.
    """
    written = {column for item in cells for column in item}
    fields = [field for field in model._fields.values() if field.db_column in written]
    if not fields:
        yield
        return
    before = _cells(model, row_ids, fields)
    yield
    after = _cells(model, row_ids, fields)
    now = timezone.now()
    entries = []
    for row_id, item in zip(row_ids, cells, strict=True):
        entry = _entry(fields, item, before[row_id], after[row_id])
        if entry is not None:
            entries.append(
                RowHistory(
                    table_id=model._table.id,
                    row_id=row_id,
                    user_id=actor.id if actor is not None else None,
                    user_name=actor.first_name if actor is not None else "",
                    action_type=UPDATE_ROWS,
                    action_timestamp=now,
                    **entry,
                )
            )
    RowHistory.objects.bulk_create(entries)


def _entry(fields: list[Field], item: dict, before: dict, after: dict) -> dict | None:
    """The changed cells of one row as history keeps them, or None when nothing changed."""
    entry: dict[str, dict] = {"before_values": {}, "after_values": {}, "fields_metadata": {}}
    for field in fields:
        key = field.db_column
        if key not in item:
            continue
        field_type = field_types.get(field.type)
        old = field_type.history_value(field, before[key])
        new = field_type.history_value(field, after[key])
        if old == new:
            continue
        entry["before_values"][key] = old
        entry["after_values"][key] = new
        entry["fields_metadata"][key] = field_type.history_metadata(
            field, [before[key], after[key]]
        )
    return entry if entry["fields_metadata"] else None


def row_history_list(*, table: Table, row_id: int) -> models.QuerySet:
    """The entries of a live row of the table, newest first; else RowDoesNotExist."""
    model = table_models.get_model(table)
    if not model.objects.filter(trashed=False, id=row_id).exists():
        raise RowDoesNotExist([row_id])
    entries = RowHistory.objects.filter(table_id=table.id, row_id=row_id)
    return entries.order_by("-action_timestamp", "-id")


def without_deleted_fields(entries: list[RowHistory], *, table: Table) -> list[RowHistory]:
    """The entries with the cells of fields the table no longer has left out (not saved)."""
    live = {field.db_column for field in table_models.get_model(table)._fields.values()}
    for entry in entries:
        for name in ("before_values", "after_values", "fields_metadata"):
            values = getattr(entry, name)
            setattr(entry, name, {key: value for key, value in values.items() if key in live})
    return entries
