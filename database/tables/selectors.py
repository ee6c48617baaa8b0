"""Reads of tables."""

from django.db import connection
from django.db.models import QuerySet

from api.model_sql import fetch_one, is_key, model_columns, table_name
from database.applications.models import Application
from database.applications.selectors import database_get
from database.tables.errors import TableDoesNotExist
from database.tables.models import Table, TableCounts
from users.models import User
from workspaces.models import Workspace
from workspaces.permissions import is_member_sql, require_member, require_member_flag


def table_get(
    *,
    table_id: int,
    for_update: bool = False,
    member: User | None = None,
    rows_lock_key: int | None = None,
) -> Table:
    """The live table with its database and workspace, or TableDoesNotExist.

    With `member`, also the gate of `require_member` (UserNotInWorkspace), in the same query.
    With `rows_lock_key`, in a transaction, the locks `lock_table_for_rows` takes with that
    advisory key, in the same query too: the table comes read under them.
    Every row request starts here, so its SQL is written by hand (see api.model_sql).
    """
    if not is_key(table_id):
        raise TableDoesNotExist()
    tables, databases, workspaces = (
        model_columns(Table),
        model_columns(Application),
        model_columns(Workspace),
    )
    selected = [tables.select("t"), databases.select("d"), workspaces.select("w")]
    selected.append("COALESCE(c.row_count, 0), COALESCE(c.data_version, 0)")
    params: list = []
    if member is not None:
        selected.append(f"{is_member_sql('w.id')} AS is_member")
        params.append(member.id)
    locking = connection.features.has_select_for_update
    rows_lock = rows_lock_key is not None and locking  # SQLite: its one writer needs no locks
    lock = " FOR UPDATE OF t" if for_update and locking else ""
    if rows_lock:
        lock = " FOR KEY SHARE OF t"  # as `lock_table_for_rows`
    sql = (
        f"SELECT {', '.join(selected)} FROM {table_name(Table)} t"
        f" JOIN {table_name(Application)} d ON d.id = t.database_id"
        f" JOIN {table_name(Workspace)} w ON w.id = d.workspace_id"
        f" LEFT JOIN {table_name(TableCounts)} c ON c.table_id = t.id"
        f" WHERE t.id = %s AND NOT t.trashed AND NOT d.trashed AND NOT w.trashed{lock}"
    )
    params.append(table_id)
    if rows_lock:
        # The table's row is locked (in the CTE) before the advisory lock is taken, and only
        # for a member: the gate refuses anyone else without making the table's writers wait.
        take = "pg_advisory_xact_lock(%s)"
        if member is not None:
            take = f"CASE WHEN gate.is_member THEN {take} END"
        sql = f"WITH gate AS ({sql}) SELECT gate.*, {take} FROM gate"
        params.append(rows_lock_key)
    row = fetch_one(sql, params)
    if row is None:
        raise TableDoesNotExist()
    if rows_lock:
        row = row[:-1]
    table = tables.instance(row)
    table.database = databases.instance(row, len(tables))
    table.database.workspace = workspaces.instance(row, len(tables) + len(databases))
    counts_at = len(tables) + len(databases) + len(workspaces)
    table.loaded_counts = (row[counts_at], row[counts_at + 1])
    if member is not None:
        require_member_flag(workspace=table.database.workspace, is_member=bool(row[-1]))
    return table


def table_counts(table: Table) -> tuple[int, int]:
    """The table's (live rows, data version): as `table_get` read them with it, else
    read now."""
    loaded = getattr(table, "loaded_counts", None)
    if loaded is not None:
        return loaded
    row = TableCounts.objects.filter(table_id=table.id).values_list("row_count", "data_version")
    return row.first() or (0, 0)


def table_get_for_user(*, user: User, table_id: int) -> Table:
    """One table, for the members of its workspace."""
    return table_get(table_id=table_id, member=user)


def tables_list(*, user: User, database_id: int) -> QuerySet[Table]:
    """The tables of a database, for the members of its workspace, by order."""
    database = database_get(database_id=database_id)
    require_member(user=user, workspace=database.workspace)
    return Table.objects.filter(database=database).order_by("order", "id")
