"""Row change history: the cells each update really changed, recorded once per request.

Entries keep Baserow's shape: `before`/`after` hold only the changed cells, keyed `field_<id>`
(related options and rows by id), and `fields_metadata` what showing them needs.
"""

import datetime
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from django.utils import timezone

from database import table_models
from database.fields.models import Field
from database.fields.registry import field_types
from database.rows.errors import RowDoesNotExist
from database.rows.models import RowHistory
from database.tables.models import Table
from users.models import User

# Baserow records its `update_rows` action for the single-row PATCH as well.
UPDATE_ROWS = "update_rows"
RESTORE_FROM_TRASH = "restore_from_trash"


def prune_history(*, older_than: datetime.datetime) -> int:
    """Delete the history entries of actions before `older_than`; returns how many went."""
    deleted, _ = RowHistory.objects.filter(action_timestamp__lt=older_than).delete()
    return deleted


def prune_history_beyond(*, days: int) -> int:
    """Delete the history entries older than `days` days (0: keep them all); returns how many."""
    if days == 0:
        return 0
    return prune_history(older_than=timezone.now() - datetime.timedelta(days=days))


def written_fields(model: type[models.Model], cells: list[dict[str, Any]]) -> list[Field]:
    """The fields an update writes: those any item gives a value for (keyed `field_<id>`)."""
    written = {column for item in cells for column in item}
    return [field for field in model._fields.values() if field.db_column in written]


def record_update(
    *,
    model: type[models.Model],
    fields: list[Field],
    cells: list[dict[str, Any]],
    row_ids: list[int],
    before: dict[int, dict],
    after: dict[int, dict],
    actor: User | None,
) -> None:
    """Record what an update changed: one entry per changed row, in one statement.

    `cells[i]` holds the values written to row `row_ids[i]`; `before` and `after` the rows'
    cells of the written `fields` in the contract's form, by row id. A cell counts as changed
    when its value differs.
    """
    if not fields:
        return
    # Per field, once for all rows: (field, its column, its type, its history metadata).
    plan = []
    for field in fields:
        field_type = field_types.get(field.type)
        plan.append((field, field.db_column, field_type, field_type.history_metadata(field)))
    entries = []
    for row_id, item in zip(row_ids, cells, strict=True):
        entry = _entry(plan, item, before[row_id], after[row_id])
        if entry is not None:
            entries.append({"row_id": row_id, **entry})
    if entries:
        _insert(model._table.id, actor, entries, UPDATE_ROWS)


def record_restore(*, table_id: int, row_ids: list[int], actor: User | None) -> None:
    """Record that rows came back from the trash: one entry per row, no cells changed."""
    entries = [{"row_id": row_id, "before": {}, "after": {}, "metadata": {}} for row_id in row_ids]
    if entries:
        _insert(table_id, actor, entries, RESTORE_FROM_TRASH)


def _entry(plan: list[tuple], item: dict, before: dict, after: dict) -> dict | None:
    """The changed cells of one row as history keeps them, or None when nothing changed.

    `plan` holds (field, column, type, `history_metadata`) per field, looked up once for all
    rows.
    """
    entry: dict[str, dict] = {"before": {}, "after": {}, "metadata": {}}
    for field, key, field_type, metadata in plan:
        if key not in item:
            continue
        old = field_type.history_value(field, before[key])
        new = field_type.history_value(field, after[key])
        if old == new:
            continue
        entry["before"][key] = old
        entry["after"][key] = new
        shown = field_type.history_shown(field, [before[key], after[key]])
        entry["metadata"][key] = {**metadata, **shown}
    return entry if entry["metadata"] else None


# What one action shares, then the JSON array of what varies from row to row.
_SHARED = ("table_id", "user_id", "user_name", "action_type", "action_timestamp")
_PER_ROW = ("row_id", "before_values", "after_values", "fields_metadata")
_POSTGRESQL_SELECT = (
    "CAST(%s AS bigint), CAST(%s AS bigint), CAST(%s AS varchar), CAST(%s AS varchar), "
    "CAST(%s AS timestamp with time zone), CAST(e->>'row_id' AS bigint), e->'before', "
    "e->'after', e->'metadata' FROM jsonb_array_elements(CAST(%s AS jsonb)) AS e"
)
_SQLITE_SELECT = (
    "%s, %s, %s, %s, %s, json_extract(e.value, '$.row_id'), json_extract(e.value, '$.before'), "
    "json_extract(e.value, '$.after'), json_extract(e.value, '$.metadata') FROM json_each(%s) AS e"
)


def _insert(table_id: int, actor: User | None, entries: list[dict], action_type: str) -> None:
    """Insert the entries in one statement, whatever their number.

    The rows go as one JSON array: bulk_create binds nine parameters per entry, which SQLite
    splits over several statements and which cost ~5x as much for a batch of 200.
    """
    stamp = RowHistory._meta.get_field("action_timestamp")
    shared = [
        table_id,
        actor.id if actor is not None else None,
        actor.first_name if actor is not None else "",
        action_type,
        stamp.get_db_prep_save(timezone.now(), connection),
    ]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(column) for column in (*_SHARED, *_PER_ROW))
    select = _POSTGRESQL_SELECT if connection.vendor == "postgresql" else _SQLITE_SELECT
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(RowHistory._meta.db_table)} ({columns}) SELECT {select}",
            [*shared, json.dumps(entries, cls=DjangoJSONEncoder)],
        )


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
