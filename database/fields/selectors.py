"""Reads of fields."""

from django.db import connection
from django.db.models import QuerySet

from database.fields.errors import FieldDoesNotExist, IncompatibleFieldTypeForUniqueValues
from database.fields.models import Field
from database.fields.types.text import TEXT_TYPES
from database.tables.models import Table
from database.tables.selectors import table_get, table_get_for_user
from database.tokens.models import Token
from database.tokens.selectors import token_require_table_access
from users.models import User
from workspaces.permissions import require_member

# The most values one unique_row_values call returns (Baserow's default limit as well).
UNIQUE_ROW_VALUES_SIZE_LIMIT = 100
# A database token lists a table's fields with any of these row permissions on it.
FIELD_LIST_OPERATIONS = ("read", "create", "update")


def field_get(*, field_id: int) -> Field:
    """The field with its table, database and workspace, or FieldDoesNotExist."""
    field = (
        Field.objects.select_related("table__database__workspace")
        .filter(
            id=field_id,
            table__trashed=False,
            table__database__trashed=False,
            table__database__workspace__trashed=False,
        )
        .first()
    )
    if field is None:
        raise FieldDoesNotExist()
    return field


def fields_list(*, table: Table) -> QuerySet[Field]:
    return Field.objects.filter(table=table).select_related("table__database")


def fields_list_for_user(
    *, user: User, table_id: int, token: Token | None = None
) -> QuerySet[Field]:
    """The fields of a table the user can see: TableDoesNotExist, then UserNotInWorkspace.

    A database token needs read, create or update on the table (NoPermissionToTable).
    """
    if token is None:
        return fields_list(table=table_get_for_user(user=user, table_id=table_id))
    table = table_get(table_id=table_id)
    token_require_table_access(token=token, table=table, operations=FIELD_LIST_OPERATIONS)
    return fields_list(table=table)


def field_get_for_user(*, user: User, field_id: int) -> Field:
    """A field the user can see: FieldDoesNotExist, then UserNotInWorkspace."""
    field = field_get(field_id=field_id)
    require_member(user=user, workspace=field.table.database.workspace)
    return field


def field_unique_row_values(
    *, user: User, field: Field, limit: int | None = None, split_comma_separated: bool = False
) -> list[str]:
    """The field's distinct non-empty values, most frequent first, counted in SQL.

    With `split_comma_separated` every cell counts once per comma-separated, trimmed part.
    No limit, 0 or one above UNIQUE_ROW_VALUES_SIZE_LIMIT means that limit.
    """
    require_member(user=user, workspace=field.table.database.workspace)
    if field.type not in TEXT_TYPES:
        raise IncompatibleFieldTypeForUniqueValues()
    if not limit or limit > UNIQUE_ROW_VALUES_SIZE_LIMIT:
        limit = UNIQUE_ROW_VALUES_SIZE_LIMIT
    prefix, source = _unique_values_source(field, split_comma_separated)
    sql = (
        f"{prefix} SELECT value FROM ({source}) AS v "
        "WHERE value IS NOT NULL AND value <> '' "
        "GROUP BY value ORDER BY count(*) DESC, value LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [limit])
        return [value for (value,) in cursor.fetchall()]


def _unique_values_source(field: Field, split: bool) -> tuple[str, str]:
    """A WITH prefix (or "") and a query giving one `value` per live cell, or per part."""
    quote = connection.ops.quote_name
    table, column, trashed = quote(field.table.db_table), quote(field.db_column), quote("trashed")
    if not split:
        return "", f"SELECT {column} AS value FROM {table} WHERE NOT {trashed}"
    if connection.vendor == "postgresql":
        return "", (
            f"SELECT trim(part) AS value FROM {table}, "
            f"regexp_split_to_table({table}.{column}, ',') AS part WHERE NOT {table}.{trashed}"
        )
    # SQLite has no split function: peel off one part per step of a recursive query.
    return (
        "WITH RECURSIVE parts(part, rest) AS ("
        f"SELECT NULL, {column} || ',' FROM {table} "
        f"WHERE NOT {trashed} AND {column} IS NOT NULL "
        "UNION ALL SELECT substr(rest, 1, instr(rest, ',') - 1), "
        "substr(rest, instr(rest, ',') + 1) FROM parts WHERE rest <> '')",
        "SELECT trim(part) AS value FROM parts WHERE part IS NOT NULL",
    )
