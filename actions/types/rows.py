"""Undoable row actions: create, update, delete and move, of one row or a batch."""

from typing import Any

from django.db import models

from actions.registry import ActionType, record, recording, table_scope
from database import table_models
from database.fields.models import Field
from database.fields.registry import field_types
from database.rows import selectors, services
from database.rows.params import field_by_reference, table_fields
from database.rows.values import rows_queryset, rows_to_json
from database.tables.models import Table
from trash.models import TrashEntry
from trash.services import trash_restore
from users.models import User


def _table(user: User, params: dict[str, Any], operation: str) -> Table:
    """The action's table through the row endpoints' gate: gone or not a member, it fails."""
    return selectors.table_for_rows(actor=user, table_id=params["table_id"], operation=operation)


def _trash(user: User, params: dict[str, Any]) -> dict[str, Any]:
    """Trash the action's rows; returns the params with the trash entry that holds them."""
    services.rows_delete(
        table=_table(user, params, "delete"), row_ids=params["row_ids"], actor=user
    )
    kind = "row" if len(params["row_ids"]) == 1 else "rows"
    entry = (
        TrashEntry.objects.filter(trash_item_type=kind, parent_trash_item_id=params["table_id"])
        .order_by("-id")
        .first()
    )
    return {**params, "trash_item_type": kind, "trash_item_id": entry.trash_item_id}


def _restore(user: User, params: dict[str, Any]) -> None:
    """Restore the action's rows through the trash, so its entry goes with them."""
    _table(user, params, "create")
    trash_restore(
        user=user,
        trash_item_type=params["trash_item_type"],
        trash_item_id=params["trash_item_id"],
        parent_trash_item_id=params["table_id"],
    )


def _writable(rows: list[models.Model], fields: list[Field]) -> list[dict[str, Any]]:
    """The rows' cells of `fields` as a write takes them back (options and links by id)."""
    shown = rows_to_json(rows, fields)
    plans = [(field.db_column, field, field_types.get(field.type)) for field in fields]
    return [
        {
            "id": row["id"],
            **{key: kind.history_value(field, row[key]) for key, field, kind in plans},
        }
        for row in shown
    ]


def _written_fields(table: Table, items: list[dict], user_field_names: bool) -> list[Field]:
    fields = table_fields(table_models.get_model(table))
    keys = {key for item in items for key in item if key != "id"}
    found = (field_by_reference(fields, key, user_field_names=user_field_names) for key in keys)
    ids = {field.id for field in found if field is not None}
    return [field for field in fields if field.id in ids]


def rows_create(*, user: User, table: Table, batch: bool = False, **kwargs: Any) -> list:
    """services.rows_create, logged as `create_row(s)`."""
    rows = services.rows_create(table=table, batch=batch, **kwargs)
    params = {"table_id": table.id, "row_ids": [row.id for row in rows]}
    record(
        user=user,
        type="create_rows" if batch else "create_row",
        scope=table_scope(table.id),
        params=params,
    )
    return rows


def rows_update(
    *,
    user: User,
    table: Table,
    items: list[dict],
    user_field_names: bool = False,
    batch: bool = False,
) -> list:
    """services.rows_update, logged as `update_row(s)` with the changed cells before and after."""
    if not recording(user):
        return services.rows_update(
            table=table, items=items, user_field_names=user_field_names, batch=batch, actor=user
        )
    fields = _written_fields(table, items, user_field_names)
    # Ids as Baserow reads them (numbers or their text); the update itself rejects bad ones.
    given = (str(item.get("id", "")).strip() for item in items)
    ids = {int(text) for text in given if text.isdigit() and int(text) < 2**63}
    model = table_models.get_model(table)
    old = {row.id: row for row in rows_queryset(model).filter(trashed=False, id__in=ids)}
    rows = services.rows_update(
        table=table, items=items, user_field_names=user_field_names, batch=batch, actor=user
    )
    before = _writable([old[row.id] for row in rows], fields)
    params = {"table_id": table.id, "before": before, "after": _writable(rows, fields)}
    record(
        user=user,
        type="update_rows" if batch else "update_row",
        scope=table_scope(table.id),
        params=params,
    )
    return rows


def rows_delete(*, user: User, table: Table, row_ids: list[int], batch: bool = False) -> None:
    """services.rows_delete, logged as `delete_row(s)`."""
    if not recording(user):
        return services.rows_delete(table=table, row_ids=row_ids, actor=user)
    params = _trash(user, {"table_id": table.id, "row_ids": row_ids})
    record(
        user=user,
        type="delete_rows" if batch else "delete_row",
        scope=table_scope(table.id),
        params=params,
    )


def row_move(*, user: User, table: Table, row_id: int, before_id: int | None) -> None:
    """services.row_move, logged as `move_row` with the row that followed it."""
    if not recording(user):
        return services.row_move(table=table, row_id=row_id, before_id=before_id)
    old_next = selectors.row_adjacent(table=table, row_id=row_id)
    services.row_move(table=table, row_id=row_id, before_id=before_id)
    params = {
        "table_id": table.id,
        "row_id": row_id,
        "before_id": before_id,
        "old_before_id": old_next,
    }
    record(user=user, type="move_row", scope=table_scope(table.id), params=params)


class CreateRowsActionType(ActionType):
    type = "create_rows"

    def undo(self, *, user, params):
        return _trash(user, params)

    def redo(self, *, user, params):
        _restore(user, params)


class CreateRowActionType(CreateRowsActionType):
    type = "create_row"


class DeleteRowsActionType(ActionType):
    type = "delete_rows"

    def undo(self, *, user, params):
        _restore(user, params)

    def redo(self, *, user, params):
        return _trash(user, params)


class DeleteRowActionType(DeleteRowsActionType):
    type = "delete_row"


class UpdateRowsActionType(ActionType):
    type = "update_rows"

    def undo(self, *, user, params):
        self._write(user, params, params["before"])

    def redo(self, *, user, params):
        self._write(user, params, params["after"])

    def _write(self, user: User, params: dict, items: list[dict]) -> None:
        table = _table(user, params, "update")
        services.rows_update(table=table, items=items, batch=True, actor=user)


class UpdateRowActionType(UpdateRowsActionType):
    type = "update_row"


class MoveRowActionType(ActionType):
    type = "move_row"

    def undo(self, *, user, params):
        table = _table(user, params, "update")
        services.row_move(table=table, row_id=params["row_id"], before_id=params["old_before_id"])

    def redo(self, *, user, params):
        table = _table(user, params, "update")
        services.row_move(table=table, row_id=params["row_id"], before_id=params["before_id"])


ACTION_TYPES = [
    CreateRowActionType(),
    CreateRowsActionType(),
    UpdateRowActionType(),
    UpdateRowsActionType(),
    DeleteRowActionType(),
    DeleteRowsActionType(),
    MoveRowActionType(),
]
