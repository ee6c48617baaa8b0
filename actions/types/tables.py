"""Undoable table actions: renaming a table."""

from django.db import transaction

from actions.registry import ActionType, application_scope, record, recording
from database.tables import services
from database.tables.selectors import table_get
from users.models import User


@transaction.atomic
def table_update(*, user: User, table_id: int, name: str):
    """services.table_update, logged as `update_table` with the old name."""
    if not recording(user):
        return services.table_update(user=user, table_id=table_id, name=name)
    old_name = table_get(table_id=table_id).name
    table = services.table_update(user=user, table_id=table_id, name=name)
    params = {"table_id": table.id, "before": old_name, "after": table.name}
    record(
        user=user, type="update_table", scope=application_scope(table.database_id), params=params
    )
    return table


class UpdateTableActionType(ActionType):
    type = "update_table"

    def undo(self, *, user, params):
        services.table_update(user=user, table_id=params["table_id"], name=params["before"])

    def redo(self, *, user, params):
        services.table_update(user=user, table_id=params["table_id"], name=params["after"])


ACTION_TYPES = [UpdateTableActionType()]
