"""Table rules: rename, order and name tables; creating and copying them is in compose."""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max

from database.applications.models import Application
from database.applications.selectors import database_get
from database.tables import errors
from database.tables.models import Table
from database.tables.selectors import table_get
from events import announce
from users.models import User
from workspaces.permissions import require_member


def next_table_order(database: Application) -> int:
    highest = Table.objects.filter(database=database).aggregate(highest=Max("order"))["highest"]
    return (highest or 0) + 1


# Rename, order.


def table_update(*, user: User, table_id: int, name: str) -> Table:
    """Rename a table."""
    table = table_get(table_id=table_id)
    require_member(user=user, workspace=table.database.workspace)
    table.name = name
    table.save(update_fields=["name"])
    announce("table_updated", workspace_id=table.database.workspace_id, user=user, table=table)
    return table


@transaction.atomic
def tables_order(*, user: User, database_id: int, table_ids: list[int]) -> None:
    """Give the database's tables the listed positions (1..n)."""
    database = database_get(database_id=database_id)
    require_member(user=user, workspace=database.workspace)
    tables = {table.id: table for table in Table.objects.filter(database=database)}
    for table_id in table_ids:
        if table_id not in tables:
            raise errors.TableNotInDatabase(table_id)
    for position, table_id in enumerate(table_ids, start=1):
        tables[table_id].order = position
    Table.objects.bulk_update([tables[table_id] for table_id in table_ids], ["order"])
    announce(
        "tables_reordered",
        workspace_id=database.workspace_id,
        user=user,
        database_id=database.id,
        order=table_ids,
    )


# Duplicate.


def unused_name(*, name: str, taken: Iterable[str], max_length: int) -> str:
    """`<name> 2`, or the first of `<name> 3`, `<name> 4`... not taken yet."""
    taken = set(taken)
    number = 2
    while True:
        suffix = f" {number}"
        candidate = f"{name[: max_length - len(suffix)]}{suffix}"
        if candidate not in taken:
            return candidate
        number += 1
