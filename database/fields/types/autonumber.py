"""Autonumber: a read-only integer that numbers the rows, given to each row on insert.

Existing rows are numbered by (order, id) when the field is created (or converted to). New
rows get the next numbers: on PostgreSQL from a sequence owned by the column (safe under
concurrent inserts, never reused, dropped with the column); on SQLite from the highest number,
which is safe because SQLite runs one writing transaction at a time.
"""

from typing import Any

from django.db import connection, models
from django.db.models import Max, Value
from rest_framework import serializers

from database.fields.registry import NUMBER_CHARACTERS, ColumnOutput, FieldType


def sequence_name(db_table: str, column: str) -> str:
    return f"{db_table}_{column}_seq"


def _number_existing_rows(field) -> None:
    quote = connection.ops.quote_name
    table, column = quote(field.table.db_table), quote(field.db_column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {column} = numbered.n FROM ("
            f" SELECT id, ROW_NUMBER() OVER (ORDER BY {quote('order')}, id) AS n FROM {table}"
            f") AS numbered WHERE {table}.id = numbered.id"
        )


def _create_sequence(field) -> None:
    quote = connection.ops.quote_name
    table, column = quote(field.table.db_table), quote(field.db_column)
    name = sequence_name(field.table.db_table, field.db_column)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE SEQUENCE {quote(name)} OWNED BY {table}.{column}")
        cursor.execute(
            f"SELECT setval(%s, COALESCE(MAX({column}), 0) + 1, false) FROM {table}",
            [name],
        )


class AutonumberFieldType(FieldType):
    type = "autonumber"
    search_characters = NUMBER_CHARACTERS
    can_have_db_index = True
    read_only = True
    # `view_id` would pick the order of the first numbering; there are no views to read yet.
    transient_options = ("view_id",)

    def option_fields(self):
        return {"view_id": serializers.IntegerField(required=False, allow_null=True)}

    def response_options(self, field):
        return {}

    def model_field(self, field, builder):
        return models.IntegerField(null=True, blank=True)

    def input_field(self, field):
        return serializers.IntegerField(read_only=True)

    def openapi_schema(self, field, *, for_request):
        return {"type": "integer", "description": "Read-only: the row's number, given on insert."}

    def example_value(self, field, *, for_request):
        return 1

    def column_output(self, field):
        return ColumnOutput(field.db_column)

    def from_text(self, field, text):
        return None  # numbers are given, never parsed

    def sql_conversion(self, old_field, new_field):
        # Old values are not kept: after_create numbers every row.
        return Value(None, output_field=models.IntegerField())

    def after_create(self, field, options):
        _number_existing_rows(field)
        if connection.vendor == "postgresql":
            _create_sequence(field)
        return []

    def fill_new_rows(self, field, model, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT nextval(%s) FROM generate_series(1, %s)",
                    [sequence_name(model._meta.db_table, field.db_column), len(rows)],
                )
                numbers: Any = sorted(number for (number,) in cursor.fetchall())
        else:
            highest = model.objects.aggregate(m=Max(field.db_column))["m"] or 0
            numbers = range(highest + 1, highest + 1 + len(rows))
        for row, number in zip(rows, numbers, strict=True):
            row[field.db_column] = number


FIELD_TYPES = [AutonumberFieldType()]
