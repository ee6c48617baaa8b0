"""Field services and selectors without HTTP: change primary, gated reads, unique row values."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from database import table_models
from database.fields import errors
from database.fields.models import Field
from database.fields.registry import field_types
from database.fields.selectors import (
    UNIQUE_ROW_VALUES_SIZE_LIMIT,
    field_get_for_user,
    field_unique_row_values,
    fields_list_for_user,
)
from database.fields.services import field_change_primary
from database.fields.types.text import TEXT_TYPES
from database.tables.errors import TableDoesNotExist
from database.tables.models import Table
from tests.database.helpers import add_field, insert_rows, primary_of
from workspaces.errors import UserNotInWorkspace

# Change the primary field.


def test_change_primary_moves_the_flag_and_returns_the_former(user, table):
    old = primary_of(table)
    new = add_field(table, "Code", "number")
    version = Table.objects.get(id=table.id).schema_version
    field, related = field_change_primary(user=user, table=table, field=new)
    assert (field.id, field.primary) == (new.id, True)
    assert [(f.id, f.primary) for f in related] == [(old.id, False)]
    assert list(Field.objects.filter(table=table, primary=True)) == [new]
    assert Table.objects.get(id=table.id).schema_version != version
    # The rows' storage is untouched: only the metadata flag moved.
    assert new.order == Field.objects.get(id=new.id).order


def test_change_primary_gates_before_anything_else(other_user, table):
    with pytest.raises(UserNotInWorkspace):
        field_change_primary(user=other_user, table=table, field=primary_of(table))


def test_change_primary_refuses_a_field_of_another_table(user, table, make_table):
    elsewhere = add_field(make_table("Other"), "Elsewhere")
    with pytest.raises(errors.FieldNotInTable):
        field_change_primary(user=user, table=table, field=elsewhere)


def test_change_primary_refuses_the_primary_field(user, table):
    with pytest.raises(errors.FieldIsAlreadyPrimary):
        field_change_primary(user=user, table=table, field=primary_of(table))


def test_change_primary_refuses_a_type_that_is_never_primary(user, table, never_primary_type):
    field = add_field(table, "Secret", never_primary_type)
    with pytest.raises(errors.IncompatiblePrimaryFieldType):
        field_change_primary(user=user, table=table, field=field)
    assert primary_of(table).name == "Name"


def test_change_primary_to_a_field_deleted_meanwhile(user, table):
    field = add_field(table, "Gone")
    Field.objects.filter(id=field.id).delete()
    with pytest.raises(errors.FieldDoesNotExist):
        field_change_primary(user=user, table=table, field=field)
    assert primary_of(table).name == "Name"


# Gated reads: the object's existence first, then membership.


def test_reads_answer_not_found_before_not_a_member(other_user, table):
    with pytest.raises(TableDoesNotExist):
        fields_list_for_user(user=other_user, table_id=table.id + 1000)
    with pytest.raises(UserNotInWorkspace):
        fields_list_for_user(user=other_user, table_id=table.id)
    field_id = primary_of(table).id
    with pytest.raises(errors.FieldDoesNotExist):
        field_get_for_user(user=other_user, field_id=field_id + 1000)
    with pytest.raises(UserNotInWorkspace):
        field_get_for_user(user=other_user, field_id=field_id)


def test_members_read_the_fields_in_order(user, table):
    second = add_field(table, "B")
    first = add_field(table, "A")
    Field.objects.filter(id=first.id).update(order=1)
    Field.objects.filter(id=second.id).update(order=1)
    names = [f.name for f in fields_list_for_user(user=user, table_id=table.id)]
    assert names == ["Name", "B", "A"]  # order, then id
    assert field_get_for_user(user=user, field_id=first.id).name == "A"


# Unique row values.


def test_unique_values_by_frequency(user, table):
    field = add_field(table, "Fruit")
    insert_rows(table, [{field.db_column: v} for v in ["b", "a", "b", "c", "b", "a", "", None]])
    assert field_unique_row_values(user=user, field=field) == ["b", "a", "c"]
    assert field_unique_row_values(user=user, field=field, limit=1) == ["b"]


def test_unique_values_are_counted_in_one_sql_query(user, table):
    field = add_field(table, "Code")
    insert_rows(table, [{field.db_column: f"v{n % 7}"} for n in range(700)])
    with CaptureQueriesContext(connection) as queries:
        values = field_unique_row_values(user=user, field=field, limit=3)
    assert len(values) == 3
    reading_rows = [q["sql"] for q in queries if table.db_table in q["sql"]]
    assert len(reading_rows) == 1
    assert "GROUP BY" in reading_rows[0].upper()
    assert "LIMIT" in reading_rows[0].upper()


def test_unique_values_split_and_trim(user, table):
    field = add_field(table, "Tags", "long_text")
    insert_rows(table, [{field.db_column: v} for v in ["x, y", "y ,z", ",, ,", "z,y", "w"]])
    values = field_unique_row_values(user=user, field=field, split_comma_separated=True)
    assert values == ["y", "z", "w", "x"]


def test_unique_values_keep_commas_without_split(user, table):
    field = add_field(table, "Tags")
    insert_rows(table, [{field.db_column: v} for v in ["x, y", "x, y", "z"]])
    assert field_unique_row_values(user=user, field=field) == ["x, y", "z"]


@pytest.mark.parametrize("limit", [None, 0, UNIQUE_ROW_VALUES_SIZE_LIMIT + 1, 10**6])
def test_unique_values_limit_defaults_to_the_cap(user, table, limit):
    field = add_field(table, "Code")
    insert_rows(table, [{field.db_column: f"{n:04}"} for n in range(150)])
    values = field_unique_row_values(user=user, field=field, limit=limit)
    assert len(values) == UNIQUE_ROW_VALUES_SIZE_LIMIT == 100


def test_unique_values_skip_trashed_rows(user, table):
    field = add_field(table, "Fruit")
    _, gone = insert_rows(table, [{field.db_column: "kept"}, {field.db_column: "gone"}])
    model = table_models.get_model(Table.objects.get(id=table.id))
    model.objects.filter(id=gone).update(trashed=True)
    assert field_unique_row_values(user=user, field=field) == ["kept"]


def test_unique_values_need_membership(other_user, table):
    with pytest.raises(UserNotInWorkspace):
        field_unique_row_values(user=other_user, field=primary_of(table))


@pytest.mark.parametrize("type_name", sorted(TEXT_TYPES & set(field_types.names())))
def test_unique_values_for_every_text_like_type(user, table, type_name):
    field = add_field(table, "Texty", type_name)
    assert field_unique_row_values(user=user, field=field) == []


@pytest.mark.parametrize("type_name", sorted(set(field_types.names()) - TEXT_TYPES))
def test_unique_values_refuse_other_types(user, table, type_name):
    # The type is refused before any SQL runs, so metadata without a column will do.
    field = Field.objects.create(table=table, name="Other", type=type_name)
    with pytest.raises(errors.IncompatibleFieldTypeForUniqueValues):
        field_unique_row_values(user=user, field=field)
