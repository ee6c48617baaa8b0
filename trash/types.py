"""The trash item types of workspaces, applications, tables, fields and views."""

from django.db import transaction

from database.applications.models import Application
from database.compose.tables import table_delete_permanently, table_restore
from database.fields.models import Field
from database.fields.services import field_delete_permanently, field_restore
from database.tables.models import Table
from database.views.models import View
from database.views.services import view_delete_permanently, view_restore
from events import announce
from trash.errors import RelatedTableTrashed
from trash.registry import TrashItemType
from workspaces.models import Workspace


def _table_has_trashed_parent(table: Table) -> bool:
    database = table.database
    return table.trashed or database.trashed or database.workspace.trashed


def _application_delete_permanently(application: Application) -> None:
    for table in Table.objects_and_trash.filter(database=application):
        table_delete_permanently(table=table)
    Application.objects_and_trash.filter(id=application.id).delete()


class WorkspaceTrashType(TrashItemType):
    type = "workspace"

    def lookup(self, entry):
        return Workspace.objects_and_trash.filter(id=entry.trash_item_id, trashed=True).first()

    def has_trashed_parent(self, item):
        return False

    def restore(self, *, user, item, entry):
        Workspace.objects_and_trash.filter(id=item.id).update(trashed=False)
        item.trashed = False
        members = list(item.memberships.values_list("user_id", flat=True))
        announce("group_restored", user=user, recipients=members, workspace=item)

    def delete_permanently(self, *, item, entry):
        for application in Application.objects_and_trash.filter(workspace=item):
            _application_delete_permanently(application)
        Workspace.objects_and_trash.filter(id=item.id).delete()


class ApplicationTrashType(TrashItemType):
    type = "application"

    def lookup(self, entry):
        return (
            Application.objects_and_trash.select_related("workspace")
            .filter(id=entry.trash_item_id, trashed=True)
            .first()
        )

    def has_trashed_parent(self, item):
        return item.workspace.trashed

    def restore(self, *, user, item, entry):
        Application.objects_and_trash.filter(id=item.id).update(trashed=False)
        announce(
            "application_created",
            workspace_id=item.workspace_id,
            user=user,
            application=Application.objects.get(id=item.id),
        )

    def delete_permanently(self, *, item, entry):
        _application_delete_permanently(item)


class TableTrashType(TrashItemType):
    type = "table"

    def lookup(self, entry):
        return (
            Table.objects_and_trash.select_related("database__workspace")
            .filter(id=entry.trash_item_id, trashed=True)
            .first()
        )

    def has_trashed_parent(self, item):
        return item.database.trashed or item.database.workspace.trashed

    def restore(self, *, user, item, entry):
        table_restore(user=user, table=item, field_ids=entry.field_ids or [])

    def delete_permanently(self, *, item, entry):
        table_delete_permanently(table=item)


class FieldTrashType(TrashItemType):
    type = "field"

    def lookup(self, entry):
        return (
            Field.objects_and_trash.select_related("table__database__workspace", "link_row_table")
            .filter(id=entry.trash_item_id, trashed=True)
            .first()
        )

    def has_trashed_parent(self, item):
        return _table_has_trashed_parent(item.table)

    def check_restorable(self, item):
        if item.link_row_table is not None and item.link_row_table.trashed:
            raise RelatedTableTrashed()

    def restore(self, *, user, item, entry):
        field_restore(user=user, field=item)

    def delete_permanently(self, *, item, entry):
        field_delete_permanently(field=item)


class ViewTrashType(TrashItemType):
    type = "view"

    def lookup(self, entry):
        return (
            View.objects_and_trash.select_related("table__database__workspace")
            .filter(id=entry.trash_item_id, trashed=True)
            .first()
        )

    def has_trashed_parent(self, item):
        return _table_has_trashed_parent(item.table)

    def restore(self, *, user, item, entry):
        view_restore(user=user, view=item)

    def delete_permanently(self, *, item, entry):
        with transaction.atomic():
            view_delete_permanently(view=item)


TRASH_ITEM_TYPES = (
    WorkspaceTrashType,
    ApplicationTrashType,
    TableTrashType,
    FieldTrashType,
    ViewTrashType,
)
