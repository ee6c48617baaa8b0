"""Undoable field actions: changes of a field, type conversions with their old cells."""

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction

from actions.registry import ActionType, record, recording, table_scope
from database import table_models
from database.conversion import Backfill, write_column
from database.fields import conversion_jobs, selectors, services
from database.fields.models import Field
from database.fields.registry import field_types
from users.models import User

PROPERTIES = ("name", "type", "description", "db_index")


def _column(field: Field) -> tuple[type[models.Model], models.Field] | None:
    """The table model and the field's own column, if its cells live in one."""
    model = table_models.get_model(field.table)
    try:
        column = model._meta.get_field(field.db_column)
    except Exception:  # cells computed or kept in a relation table
        return None
    return (model, column) if column.concrete and not column.many_to_many else None


def _cells(field: Field) -> list[list[Any]] | None:
    """Every row's raw cell of the field (trashed rows too), as JSON, before a conversion."""
    found = _column(field)
    if found is None:
        return None
    model, column = found
    cells = list(model.objects.values_list("id", column.attname))
    return json.loads(json.dumps(cells, cls=DjangoJSONEncoder))


def _restore_cells(field: Field, cells: list[list[Any]], option_ids: dict[int, int]) -> None:
    """Write the kept raw cells back into the rows that still exist (select options by
    their new ids)."""
    found = _column(field)
    if found is None:
        return
    model, column = found
    values = ((row_id, column.to_python(option_ids.get(value, value))) for row_id, value in cells)
    write_column(model, column.name, values)


def _state(field: Field) -> dict[str, Any]:
    """The field's properties and options, with its select options (kept apart) by id."""
    options = dict(field.options)
    shown = field_types.get(field.type).response_options(field)
    if "select_options" in shown:
        options["select_options"] = shown["select_options"]
    return {**{name: getattr(field, name) for name in PROPERTIES}, "options": options}


def _option_ids(state: dict[str, Any], field: Field) -> dict[int, int]:
    """The select options a conversion made anew, by the id each had in `state`, in order."""
    old = state["options"].get("select_options") or []
    new = field_types.get(field.type).response_options(field).get("select_options") or []
    return {before["id"]: after["id"] for before, after in zip(old, new, strict=False)}


def field_update(*, user: User, field: Field, options: dict | None = None, **changes: Any):
    """services.field_update, logged as `update_field` with the field (and cells) before it.

    A large table's new column is filled first, by a job (conversion_jobs.large_conversion).
    """
    change = {"user": user, "field": field, "options": options, "changes": changes}
    with conversion_jobs.large_conversion(**change) as backfill:
        return _field_update(backfill=backfill, **change)


@transaction.atomic
def _field_update(*, user: User, field: Field, options, changes, backfill: Backfill | None):
    if not recording(user):
        return services.field_update(
            user=user, field=field, options=options, backfill=backfill, **changes
        )
    field = Field.objects.select_related("table").get(id=field.id)
    before = _state(field)
    type_changed = changes.get("type", field.type) != field.type
    cells = _cells(field) if type_changed else None
    updated, related = services.field_update(
        user=user, field=field, options=options, backfill=backfill, **changes
    )
    params = {
        "table_id": field.table_id,
        "field_id": field.id,
        "before": before,
        "after": _state(updated),
        "cells": cells,
    }
    record(user=user, type="update_field", scope=table_scope(field.table_id), params=params)
    return updated, related


def _apply(user: User, params: dict[str, Any], key: str) -> dict[str, Any] | None:
    """Give the field the state `params[key]`; after a conversion, the kept cells too.

    Returns the params with what the other direction needs: the cells before this conversion
    and the state as it now is (select options made anew have new ids).
    """
    field = selectors.field_get(field_id=params["field_id"])
    state = params[key]
    type_changed = state["type"] != field.type
    cells = _cells(field) if type_changed else None
    options = dict(state["options"])
    if type_changed and options.get("select_options"):
        # The conversion deleted them: they come back as new options.
        options["select_options"] = [
            {name: value for name, value in option.items() if name != "id"}
            for option in options["select_options"]
        ]
    properties = {name: state[name] for name in PROPERTIES}
    field, _ = services.field_update(user=user, field=field, options=options, **properties)
    if not type_changed:
        return None
    if params["cells"] is not None:
        _restore_cells(field, params["cells"], _option_ids(state, field))
    return {**params, "cells": cells, key: _state(field)}


class UpdateFieldActionType(ActionType):
    type = "update_field"

    def undo(self, *, user, params):
        return _apply(user, params, "before")

    def redo(self, *, user, params):
        return _apply(user, params, "after")


ACTION_TYPES = [UpdateFieldActionType()]
