"""Undoable field actions: changes of a field, type conversions with their old cells."""

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction

from actions.registry import ActionType, record, table_scope
from database import table_models
from database.fields import selectors, services
from database.fields.models import Field
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


def _restore_cells(field: Field, cells: list[list[Any]]) -> None:
    """Write the kept raw cells back into the rows that still exist."""
    found = _column(field)
    if found is None:
        return
    model, column = found
    rows = [
        model(id=row_id, **{column.attname: column.to_python(value)}) for row_id, value in cells
    ]
    model.objects.bulk_update(rows, [column.attname], batch_size=500)


def _state(field: Field) -> dict[str, Any]:
    return {**{name: getattr(field, name) for name in PROPERTIES}, "options": dict(field.options)}


@transaction.atomic
def field_update(*, user: User, field: Field, options: dict | None = None, **changes: Any):
    """services.field_update, logged as `update_field` with the field (and cells) before it."""
    field = Field.objects.select_related("table").get(id=field.id)
    before = _state(field)
    type_changed = changes.get("type", field.type) != field.type
    cells = _cells(field) if type_changed else None
    updated, related = services.field_update(user=user, field=field, options=options, **changes)
    params = {
        "table_id": field.table_id,
        "field_id": field.id,
        "before": before,
        "after": {**changes, "options": options or {}},
        "cells": cells,
    }
    record(user=user, type="update_field", scope=table_scope(field.table_id), params=params)
    return updated, related


class UpdateFieldActionType(ActionType):
    type = "update_field"

    def undo(self, *, user, params):
        field = selectors.field_get(field_id=params["field_id"])
        before = dict(params["before"])
        options = before.pop("options")
        type_changed = before["type"] != field.type
        cells = _cells(field) if type_changed else None
        field, _ = services.field_update(user=user, field=field, options=options, **before)
        if type_changed and params["cells"] is not None:
            _restore_cells(field, params["cells"])
        return {**params, "cells": cells} if type_changed else None

    def redo(self, *, user, params):
        field = selectors.field_get(field_id=params["field_id"])
        after = dict(params["after"])
        options = after.pop("options")
        type_changed = after.get("type", field.type) != field.type
        cells = _cells(field) if type_changed else None
        field, _ = services.field_update(user=user, field=field, options=options, **after)
        if type_changed and params["cells"] is not None:
            _restore_cells(field, params["cells"])
        return {**params, "cells": cells} if type_changed else None


ACTION_TYPES = [UpdateFieldActionType()]
