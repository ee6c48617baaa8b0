"""What the database itself holds: user tables and field columns, read by Django's introspection.

The services keep two things in step: Field rows (metadata) and the SQL table `database_table_<id>`
with one column `field_<id>` per field. These tests read the SQL side back from the database.
SQLite declares a decimal column without precision or scale, so those are compared on PostgreSQL.
"""

from decimal import Decimal
from typing import NamedTuple

import pytest
from django.db import connection, models

from database import table_models
from database.fields.models import Field
from database.fields.registry import field_types
from database.fields.services import field_create, field_delete, field_update
from database.tables.models import Table
from tests.database.helpers import insert_rows, purge_trash

# Types whose column this file states by hand; every other registered type is checked against
# the Django field its type declares.
KNOWN_COLUMNS = {"text": "TextField", "long_text": "TextField", "boolean": "BooleanField"}


class Column(NamedTuple):
    kind: str  # the Django field class introspection reads the column as
    precision: int | None
    scale: int | None
    null: bool


def sql_columns(table: Table) -> dict[str, Column]:
    """The columns of the table's SQL table, as the database describes them."""
    introspection = connection.introspection
    with connection.cursor() as cursor:
        description = introspection.get_table_description(cursor, table.db_table)
    return {
        info.name: Column(
            kind=introspection.get_field_type(info.type_code, info),
            precision=info.precision,
            scale=info.scale,
            null=bool(info.null_ok),
        )
        for info in description
    }


def _kind_of_sql_type(sql_type: str) -> str:
    """The Django field class introspection reads a column of this SQL type as."""
    key: object = sql_type
    if connection.vendor == "postgresql":
        # PostgreSQL's introspection is keyed by type oid; let the server parse the name.
        with connection.cursor() as cursor:
            cursor.execute("SELECT %s::regtype::oid", [sql_type])
            key = cursor.fetchone()[0]
    return connection.introspection.data_types_reverse[key]


def declared_column(model_field: models.Field) -> Column:
    """The column the Django field asks for, in the terms `sql_columns` reads columns in."""
    precision = scale = None
    if isinstance(model_field, models.DecimalField) and connection.vendor == "postgresql":
        precision, scale = model_field.max_digits, model_field.decimal_places
    # SQLite declares JSON as `text`; introspection tells it by its JSON_VALID check instead.
    json = isinstance(model_field, models.JSONField)
    return Column(
        kind="JSONField" if json else _kind_of_sql_type(model_field.db_type(connection)),
        precision=precision,
        scale=scale,
        null=model_field.null,
    )


def storage_mismatches(table: Table) -> list[str]:
    """Every way the SQL table differs from the model its Field rows describe (pk aside)."""
    table = Table.objects.get(id=table.id)
    model = table_models.build_model(table)
    expected = {f.column: declared_column(f) for f in model._meta.local_fields if f.name != "id"}
    actual = {name: c for name, c in sql_columns(table).items() if name != "id"}
    problems = []
    if set(actual) != set(expected):
        problems.append(f"columns: SQL has {sorted(actual)}, metadata says {sorted(expected)}")
    for name in sorted(set(actual) & set(expected)):
        if actual[name] != expected[name]:
            problems.append(f"{name}: SQL has {actual[name]}, metadata says {expected[name]}")
    return problems


def column_of(table: Table, field: Field) -> Column:
    return sql_columns(table)[field.db_column]


def cells(table: Table, field: Field) -> list:
    """The raw stored values of the field's column, in row id order."""
    model = table_models.build_model(Table.objects.get(id=table.id))
    return list(model.objects.order_by("id").values_list(field.db_column, flat=True))


def create(user, table: Table, type_name: str, name: str = "F", **options) -> Field:
    field, _ = field_create(user=user, table=table, type=type_name, name=name, options=options)
    return field


def update(user, field: Field, options: dict | None = None, **changes) -> Field:
    field, _ = field_update(user=user, field=field, options=options or {}, **changes)
    return field


# The table itself.


def test_a_table_has_the_fixed_columns(table):
    columns = sql_columns(table)
    primary = Field.objects.get(table=table, primary=True)
    assert set(columns) == {"id", "order", "created_on", "updated_on", "trashed", primary.db_column}
    with connection.cursor() as cursor:
        assert connection.introspection.get_primary_key_column(cursor, table.db_table) == "id"
    assert columns["id"].kind in {"AutoField", "BigAutoField"}
    assert columns["order"].kind == "DecimalField"
    if connection.vendor == "postgresql":
        assert (columns["order"].precision, columns["order"].scale) == (40, 20)
    assert columns["created_on"].kind == "DateTimeField"
    assert columns["updated_on"].kind == "DateTimeField"
    assert columns["trashed"].kind == "BooleanField"
    assert not any(columns[name].null for name in ("order", "created_on", "updated_on", "trashed"))
    assert storage_mismatches(table) == []


def test_a_table_has_an_index_on_order_then_id(table):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table.db_table)
    indexes = [c["columns"] for c in constraints.values() if c["index"] and not c["primary_key"]]
    assert ["order", "id"] in indexes


# Creating fields.


@pytest.mark.parametrize(("type_name", "kind"), sorted(KNOWN_COLUMNS.items()))
def test_creating_a_field_adds_its_column(user, table, type_name, kind):
    before = set(sql_columns(table))
    field = create(user, table, type_name)
    assert set(sql_columns(table)) == before | {f"field_{field.id}"}
    assert column_of(table, field) == Column(kind, None, None, True)
    assert storage_mismatches(table) == []


@pytest.mark.parametrize("places", [0, 2, 10])
def test_a_number_column_has_its_decimal_places(user, table, places):
    field = create(user, table, "number", number_decimal_places=places)
    column = column_of(table, field)
    assert column.kind == "DecimalField"
    assert column.null
    if connection.vendor == "postgresql":
        assert (column.precision, column.scale) == (50, places)
    insert_rows(table, [{field.db_column: "7"}])
    assert cells(table, field) == [Decimal(7)]
    assert storage_mismatches(table) == []


def sample_options(type_name: str, *, user, table: Table, make_table) -> dict:
    """Options a type cannot be created without (a linked table, a link to count through)."""
    if type_name not in {"link_row", "count", "lookup"}:
        return {}
    target = make_table(f"Target of {type_name}")
    if type_name == "link_row":
        return {"link_row_table_id": target.id}
    link = create(user, table, "link_row", f"Link for {type_name}", link_row_table_id=target.id)
    if type_name == "count":
        return {"through_field_id": link.id}
    target_primary = Field.objects.get(table=target, primary=True)
    return {"through_field_id": link.id, "target_field_id": target_primary.id}


@pytest.mark.parametrize("type_name", sorted(field_types.names()))
def test_every_registered_type_gets_the_storage_it_declares(user, table, make_table, type_name):
    options = sample_options(type_name, user=user, table=table, make_table=make_table)
    field = create(user, table, type_name, **options)
    model = table_models.build_model(Table.objects.get(id=table.id))
    model_fields = {f.name: f for f in model._meta.get_fields()}
    model_field = model_fields.get(field.db_column)
    columns = sql_columns(table)
    if model_field is not None and model_field.many_to_many:
        through = model_field.remote_field.through._meta.db_table
        assert through in connection.introspection.table_names()
        assert field.db_column not in columns
    elif model_field is not None:
        assert columns[field.db_column] == declared_column(model_field)
        assert columns[field.db_column].null
    else:
        assert not field_types.get(type_name).has_column or field.db_column not in columns
    assert storage_mismatches(table) == []


# Renaming, converting, deleting.


def test_renaming_keeps_the_column_and_its_values(user, table):
    field = create(user, table, "text", "Before")
    insert_rows(table, [{field.db_column: "kept"}])
    columns = sql_columns(table)
    field = update(user, field, name="After")
    assert field.name == "After"
    assert sql_columns(table) == columns
    assert cells(table, field) == ["kept"]


def test_converting_text_to_number_and_back(user, table):
    field = create(user, table, "text", "Amount")
    insert_rows(table, [{field.db_column: v} for v in ["12", "3.456", "-4", "abc", "", None]])
    before = set(sql_columns(table))

    field = update(
        user, field, {"number_decimal_places": 2, "number_negative": True}, type="number"
    )
    column = column_of(table, field)
    assert column.kind == "DecimalField"
    if connection.vendor == "postgresql":
        assert column.scale == 2
    assert set(sql_columns(table)) == before  # same column name, no leftover temporary column
    assert cells(table, field) == [Decimal("12"), Decimal("3.46"), Decimal("-4"), None, None, None]
    assert storage_mismatches(table) == []

    field = update(user, field, type="text")
    assert column_of(table, field).kind == "TextField"
    assert cells(table, field) == ["12.00", "3.46", "-4.00", None, None, None]
    assert storage_mismatches(table) == []


def test_converting_text_to_boolean_and_back(user, table):
    field = create(user, table, "text", "Flag")
    insert_rows(table, [{field.db_column: v} for v in ["yes", "no", "1", "checked", None]])
    field = update(user, field, type="boolean")
    assert column_of(table, field).kind == "BooleanField"
    assert [bool(v) for v in cells(table, field)] == [True, False, True, True, False]
    field = update(user, field, type="text")
    assert column_of(table, field).kind == "TextField"
    assert cells(table, field)[:4] == ["true", "false", "true", "true"]
    assert storage_mismatches(table) == []


def test_converting_number_to_boolean_keeps_what_converts(user, table):
    field = create(user, table, "number", "N")
    insert_rows(table, [{field.db_column: v} for v in [1, 0, None]])
    field = update(user, field, type="boolean")
    assert column_of(table, field).kind == "BooleanField"
    assert [bool(v) for v in cells(table, field)] == [True, False, False]
    assert storage_mismatches(table) == []


@pytest.mark.parametrize("type_name", sorted(field_types.names()))
def test_converting_text_to_any_type_leaves_storage_as_declared(user, table, make_table, type_name):
    options = sample_options(type_name, user=user, table=table, make_table=make_table)
    field = create(user, table, "text", "Source")
    insert_rows(table, [{field.db_column: v} for v in ["1", "2024-01-02", "x", None]])
    field = update(user, field, options, type=type_name)
    assert Field.objects.get(id=field.id).type == type_name
    assert storage_mismatches(table) == []
    assert not [name for name in sql_columns(table) if name.endswith("_conv")]


def test_changing_decimal_places_changes_the_column(user, table):
    field = create(user, table, "number", "Price", number_decimal_places=2)
    insert_rows(table, [{field.db_column: "1.25"}])
    field = update(user, field, {"number_decimal_places": 1})
    if connection.vendor == "postgresql":
        assert column_of(table, field).scale == 1
    assert cells(table, field) == [Decimal("1.3")]
    assert storage_mismatches(table) == []


def test_deleting_a_field_drops_its_column(user, table):
    field = create(user, table, "number", "Gone")
    keep = create(user, table, "text", "Kept")
    insert_rows(table, [{field.db_column: 1, keep.db_column: "still here"}])
    field_delete(user=user, field=field)
    purge_trash()
    columns = sql_columns(table)
    assert field.db_column not in columns
    assert keep.db_column in columns
    assert cells(table, keep) == ["still here"]
    assert storage_mismatches(table) == []
