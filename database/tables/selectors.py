"""Reads of tables."""

from database.tables.errors import TableDoesNotExist
from database.tables.models import Table


def table_get(*, table_id: int, for_update: bool = False) -> Table:
    """The live table with its database and workspace, or TableDoesNotExist."""
    queryset = Table.objects.select_related("database__workspace").filter(
        id=table_id, database__trashed=False, database__workspace__trashed=False
    )
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    table = queryset.first()
    if table is None:
        raise TableDoesNotExist()
    return table
