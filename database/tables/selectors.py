"""Reads of tables."""

from django.db.models import OuterRef, QuerySet

from database.applications.selectors import database_get
from database.tables.errors import TableDoesNotExist
from database.tables.models import Table
from users.models import User
from workspaces.permissions import is_member, require_member, require_member_flag


def table_get(*, table_id: int, for_update: bool = False, member: User | None = None) -> Table:
    """The live table with its database and workspace, or TableDoesNotExist.

    With `member`, also the gate of `require_member` (UserNotInWorkspace), in the same query.
    """
    queryset = Table.objects.select_related("database__workspace").filter(
        id=table_id, database__trashed=False, database__workspace__trashed=False
    )
    if member is not None:
        queryset = queryset.annotate(
            user_is_member=is_member(user=member, workspace_id=OuterRef("database__workspace_id"))
        )
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    table = queryset.first()
    if table is None:
        raise TableDoesNotExist()
    if member is not None:
        require_member_flag(workspace=table.database.workspace, is_member=table.user_is_member)
    return table


def table_get_for_user(*, user: User, table_id: int) -> Table:
    """One table, for the members of its workspace."""
    return table_get(table_id=table_id, member=user)


def tables_list(*, user: User, database_id: int) -> QuerySet[Table]:
    """The tables of a database, for the members of its workspace, by order."""
    database = database_get(database_id=database_id)
    require_member(user=user, workspace=database.workspace)
    return Table.objects.filter(database=database).order_by("order", "id")
