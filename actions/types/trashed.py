"""Undoable creates and deletes of fields, views, tables, applications and workspaces.

Undoing a delete restores the item from the trash; redoing it trashes it again through the
normal delete service. A create is the other way round.
"""

from typing import Any, ClassVar

from django.db import transaction

from actions.registry import ActionType, application_scope, record, recording, table_scope
from database.applications import services as application_services
from database.applications.selectors import application_get
from database.compose import tables as compose
from database.fields import selectors as field_selectors
from database.fields import services as field_services
from database.tables.models import Table
from database.views import services as view_services
from database.views.selectors import view_get_for_user
from trash.services import trash_restore
from users.models import User
from workspaces import services as workspace_services


class TrashedItemActionType(ActionType):
    """An action on an item kept whole in the trash while it is deleted."""

    trash_item_type: ClassVar[str]

    def trash(self, user: User, item_id: int) -> None:
        raise NotImplementedError

    def restore(self, user: User, item_id: int) -> None:
        trash_restore(user=user, trash_item_type=self.trash_item_type, trash_item_id=item_id)


class DeleteActionType(TrashedItemActionType):
    def undo(self, *, user, params):
        self.restore(user, params["id"])

    def redo(self, *, user, params):
        self.trash(user, params["id"])


class CreateActionType(TrashedItemActionType):
    def undo(self, *, user, params):
        self.trash(user, params["id"])

    def redo(self, *, user, params):
        self.restore(user, params["id"])


class FieldActions:
    trash_item_type = "field"

    def trash(self, user: User, item_id: int) -> None:
        field_services.field_delete(user=user, field=field_selectors.field_get(field_id=item_id))


class ViewActions:
    trash_item_type = "view"

    def trash(self, user: User, item_id: int) -> None:
        view_services.view_delete(user=user, view_id=item_id)


class TableActions:
    trash_item_type = "table"

    def trash(self, user: User, item_id: int) -> None:
        compose.table_delete(user=user, table_id=item_id)


class ApplicationActions:
    trash_item_type = "application"

    def trash(self, user: User, item_id: int) -> None:
        application_services.application_trash(user=user, application_id=item_id)


class WorkspaceActions:
    trash_item_type = "workspace"

    def trash(self, user: User, item_id: int) -> None:
        workspace_services.workspace_trash(user=user, workspace_id=item_id)


class CreateFieldActionType(FieldActions, CreateActionType):
    type = "create_field"


class DeleteFieldActionType(FieldActions, DeleteActionType):
    type = "delete_field"


class CreateViewActionType(ViewActions, CreateActionType):
    type = "create_view"


class DeleteViewActionType(ViewActions, DeleteActionType):
    type = "delete_view"


class CreateTableActionType(TableActions, CreateActionType):
    type = "create_table"


class DeleteTableActionType(TableActions, DeleteActionType):
    type = "delete_table"


class DeleteApplicationActionType(ApplicationActions, DeleteActionType):
    type = "delete_application"


class DeleteWorkspaceActionType(WorkspaceActions, DeleteActionType):
    type = "delete_workspace"


def _record(user: User, type: str, scope: str, item_id: int) -> None:
    record(user=user, type=type, scope=scope, params={"id": item_id})


@transaction.atomic
def field_create(*, user: User, table: Table, **data: Any):
    """field_services.field_create, logged as `create_field`."""
    field, related = field_services.field_create(user=user, table=table, **data)
    _record(user, "create_field", table_scope(table.id), field.id)
    return field, related


@transaction.atomic
def field_delete(*, user: User, field_id: int):
    """field_services.field_delete, logged as `delete_field`."""
    if not recording(user):
        return field_services.field_delete(
            user=user, field=field_selectors.field_get(field_id=field_id)
        )
    field = field_selectors.field_get(field_id=field_id)
    related = field_services.field_delete(user=user, field=field)
    _record(user, "delete_field", table_scope(field.table_id), field.id)
    return related


@transaction.atomic
def view_create(*, user: User, table_id: int, **data: Any):
    """view_services.view_create, logged as `create_view`."""
    view = view_services.view_create(user=user, table_id=table_id, **data)
    _record(user, "create_view", table_scope(view.table_id), view.id)
    return view


@transaction.atomic
def view_delete(*, user: User, view_id: int) -> None:
    """view_services.view_delete, logged as `delete_view`."""
    if not recording(user):
        return view_services.view_delete(user=user, view_id=view_id)
    table_id = view_get_for_user(user=user, view_id=view_id).table_id
    view_services.view_delete(user=user, view_id=view_id)
    _record(user, "delete_view", table_scope(table_id), view_id)


@transaction.atomic
def table_create(*, user: User, database_id: int, **data: Any) -> Table:
    """compose.table_create, logged as `create_table`."""
    table = compose.table_create(user=user, database_id=database_id, **data)
    _record(user, "create_table", application_scope(database_id), table.id)
    return table


@transaction.atomic
def table_delete(*, user: User, table_id: int) -> None:
    """compose.table_delete, logged as `delete_table`."""
    if not recording(user):
        return compose.table_delete(user=user, table_id=table_id)
    database_id = Table.objects.filter(id=table_id).values_list("database_id", flat=True).first()
    compose.table_delete(user=user, table_id=table_id)
    _record(user, "delete_table", application_scope(database_id), table_id)


@transaction.atomic
def application_delete(*, user: User, application_id: int) -> None:
    """application_services.application_trash, logged as `delete_application`."""
    if not recording(user):
        return application_services.application_trash(user=user, application_id=application_id)
    workspace_id = application_get(application_id=application_id).workspace_id
    application_services.application_trash(user=user, application_id=application_id)
    _record(user, "delete_application", f"workspace{workspace_id}", application_id)


@transaction.atomic
def workspace_delete(*, user: User, workspace_id: int) -> None:
    """workspace_services.workspace_trash, logged as `delete_workspace`."""
    workspace_services.workspace_trash(user=user, workspace_id=workspace_id)
    _record(user, "delete_workspace", "root", workspace_id)


ACTION_TYPES = [
    CreateFieldActionType(),
    DeleteFieldActionType(),
    CreateViewActionType(),
    DeleteViewActionType(),
    CreateTableActionType(),
    DeleteTableActionType(),
    DeleteApplicationActionType(),
    DeleteWorkspaceActionType(),
]
