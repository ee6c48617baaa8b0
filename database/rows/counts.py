"""The maintained row count of each table (`Table.row_count`): live rows, exact."""

from django.db import connection
from django.db.models import F

from database.tables.models import Table


def row_count_adjust(*, table_id: int, delta: int) -> None:
    """Add `delta` to the count, in the caller's row-writing transaction."""
    if delta:
        Table.objects.filter(id=table_id).update(row_count=F("row_count") + delta)


def row_count_adjust_sql() -> str:
    """`row_count_adjust` as SQL with the parameters (delta, table id), for a statement that
    writes rows to adjust the count itself (one round trip fewer)."""
    return "UPDATE database_table SET row_count = row_count + %s WHERE id = %s"


def row_count_recount(*, table: Table) -> int:
    """Count the live rows in SQL and store the figure (after bulk loads and copies)."""
    with connection.cursor() as cursor:
        quoted = connection.ops.quote_name(table.db_table)
        cursor.execute(f"SELECT COUNT(*) FROM {quoted} WHERE NOT trashed")
        (count,) = cursor.fetchone()
    Table.objects.filter(id=table.id).update(row_count=count)
    table.row_count = count
    return count
