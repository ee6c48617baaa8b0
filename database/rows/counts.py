"""Row counts that stay cheap on large tables while staying exact.

Both figures live in the table's `TableCounts` row (none until the first write: both 0), not
on the table's own row, which schema changes lock (see `TableCounts`).
- `row_count`: the live rows, kept by every row write in its own transaction, so that an
  unfiltered list never has to COUNT(*) a large table.
- `data_version`: moves on in the transaction of every write of row cells. The count of a
  filtered or searched list is cached under the table's data and schema versions and the SQL
  of the count: a later request with the same conditions on an unchanged table reads it back
  instead of counting again (paging through a large filtered grid asks the same count again
  and again). Only for conditions on the table's own cells: a link, lookup or count reads
  rows of other tables, whose writes do not move this table's version.
"""

import hashlib
from collections.abc import Iterable

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connection, models

from database.fields.models import Field
from database.fields.registry import field_types
from database.tables.models import Table, TableCounts
from database.tables.selectors import table_counts

# How long a cached count is kept. Entries never go stale (their key names the versions the
# count was read at); the timeout only bounds what unused ones cost the cache.
COUNT_CACHE_SECONDS = 600

COUNTS = TableCounts._meta.db_table


def rows_written(*, table_id: int, delta: int = 0) -> None:
    """Note a write of row cells (and `delta` more live rows), in the writer's transaction."""
    with connection.cursor() as cursor:
        cursor.execute(rows_written_sql(), [delta, table_id])


def rows_written_sql() -> str:
    """`rows_written` as SQL with the parameters (delta, table id), for a statement that
    writes rows to note the write itself (one round trip fewer)."""
    return _counts_upsert_sql(f"{COUNTS}.row_count + excluded.row_count")


def _counts_upsert_sql(row_count: str) -> str:
    """The table's counts row written, with the parameters (row count, table id): created
    with that count, else given `row_count` (SQL of the stored `{COUNTS}.row_count` and the
    sent `excluded.row_count`); the data version moves on either way."""
    return (
        f"INSERT INTO {COUNTS} (row_count, table_id, data_version) VALUES (%s, %s, 1) "
        f"ON CONFLICT (table_id) DO UPDATE SET row_count = {row_count}, "
        f"data_version = {COUNTS}.data_version + 1"
    )


def row_count_recount(*, table: Table) -> int:
    """Count the live rows in SQL and store the figure (after bulk loads and copies)."""
    with connection.cursor() as cursor:
        quoted = connection.ops.quote_name(table.db_table)
        cursor.execute(f"SELECT COUNT(*) FROM {quoted} WHERE NOT trashed")
        (count,) = cursor.fetchone()
        cursor.execute(_counts_upsert_sql("excluded.row_count"), [count, table.id])
    table.loaded_counts = None
    return count


def count_is_cacheable(fields: Iterable[Field]) -> bool:
    """Whether a count of rows filtered on these fields depends on the table's own rows only."""
    return not any(field_types.get(field.type).reads_other_tables for field in fields)


def cached_count(*, table: Table, queryset: models.QuerySet) -> int:
    """The number of rows of `queryset` (rows of `table`), exact, counted at most once per
    version of the table's data and schema.

    On a miss the count and the data version are read by one statement, so that the count
    is filed under the version it saw.
    """
    try:
        sql, params = queryset.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # conditions nothing can meet (e.g. an empty `IN`)
        return 0
    digest = hashlib.sha256(f"{sql}\x00{params!r}".encode()).hexdigest()
    prefix = f"rows-count:{table.id}:{table.schema_version}"
    count = cache.get(f"{prefix}:{table_counts(table)[1]}:{digest}")
    if count is not None:
        return count
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COALESCE((SELECT data_version FROM {COUNTS} WHERE table_id = %s), 0), "
            f"(SELECT COUNT(*) FROM ({sql}) AS counted)",
            [table.id, *params],
        )
        version, count = cursor.fetchone()
    cache.set(f"{prefix}:{version}:{digest}", count, COUNT_CACHE_SECONDS)
    return count
