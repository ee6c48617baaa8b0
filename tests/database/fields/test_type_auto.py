"""created_on and last_modified fields (05-fields.md): the row's own timestamps."""

from datetime import UTC, datetime

import pytest

from database import table_models
from database.fields.serializers import field_to_json
from database.fields.services import field_create, field_delete, field_update
from database.tables.models import Table
from tests.database.helpers import column_types, insert_rows, read_rows, values

TYPES = ["created_on", "last_modified"]
CREATED = datetime(2024, 1, 1, 23, 30, 15, tzinfo=UTC)
UPDATED = datetime(2024, 2, 3, 4, 5, 6, 789000, tzinfo=UTC)


@pytest.fixture
def stamped_row(table) -> int:
    """One row with known timestamps."""
    (row_id,) = insert_rows(table, [{}])
    model = table_models.get_model(Table.objects.get(id=table.id))
    model.objects.filter(id=row_id).update(created_on=CREATED, updated_on=UPDATED)
    return row_id


@pytest.mark.parametrize("type_name", TYPES)
def test_create_adds_no_column_and_a_read_only_field(user, table, type_name):
    before = column_types(table)

    field, _ = field_create(user=user, table=table, type=type_name, name="Stamp")

    assert column_types(table) == before
    data = field_to_json(field)
    assert data["read_only"] is True
    assert data["date_include_time"] is False
    assert data["date_force_timezone"] is None


@pytest.mark.parametrize(
    ("type_name", "options", "expected"),
    [
        ("created_on", {}, "2024-01-01"),
        ("created_on", {"date_force_timezone": "Europe/Amsterdam"}, "2024-01-02"),
        ("created_on", {"date_include_time": True}, "2024-01-01T23:30:15Z"),
        ("last_modified", {}, "2024-02-03"),
        ("last_modified", {"date_include_time": True}, "2024-02-03T04:05:06.789000Z"),
    ],
)
def test_values_are_the_row_timestamps(user, table, stamped_row, type_name, options, expected):
    field, _ = field_create(user=user, table=table, type=type_name, name="Stamp", options=options)

    assert values(table, field) == [expected]


def test_new_rows_show_their_creation_time_and_ignore_client_values(user, table):
    field, _ = field_create(
        user=user, table=table, type="created_on", name="Stamp", options={"date_include_time": True}
    )
    before = datetime.now(UTC)

    insert_rows(table, [{field.db_column: "2000-01-01T00:00:00Z"}])

    shown = datetime.fromisoformat(values(table, field)[0])
    assert before.replace(microsecond=0) <= shown <= datetime.now(UTC)


@pytest.mark.parametrize("type_name", TYPES)
def test_update_properties_changes_the_shown_value_only(user, table, stamped_row, type_name):
    field, _ = field_create(user=user, table=table, type=type_name, name="Stamp")
    before = column_types(table)

    field, _ = field_update(
        user=user, field=field, options={"date_include_time": True, "date_format": "US"}
    )

    assert column_types(table) == before
    assert field_to_json(field)["date_format"] == "US"
    assert values(table, field)[0].endswith("Z")


@pytest.mark.parametrize(
    ("options", "expected_type", "expected"),
    [
        ({"date_include_time": True}, "DateTimeField", "2024-01-01T23:30:15Z"),
        ({"date_force_timezone": "Europe/Amsterdam"}, "DateField", "2024-01-02"),
    ],
)
def test_to_date_keeps_the_timestamps_as_data(
    user, table, stamped_row, options, expected_type, expected
):
    field, _ = field_create(
        user=user, table=table, type="created_on", name="Stamp", options=options
    )

    field, _ = field_update(user=user, field=field, type="date")

    assert column_types(table)[field.db_column] == expected_type
    assert values(table, field) == [expected]


def test_to_text_keeps_the_shown_value(user, table, stamped_row):
    options = {"date_include_time": True, "date_format": "ISO", "date_time_format": "12"}
    field, _ = field_create(
        user=user, table=table, type="last_modified", name="Stamp", options=options
    )

    field, _ = field_update(user=user, field=field, type="text")

    assert column_types(table)[field.db_column] == "TextField"
    assert values(table, field) == ["2024-02-03 04:05 AM"]


def test_from_a_date_drops_the_column(user, table, stamped_row):
    field, _ = field_create(user=user, table=table, type="date", name="Stamp")

    field, _ = field_update(user=user, field=field, type="created_on")

    assert field.db_column not in column_types(table)
    assert values(table, field) == ["2024-01-01"]


@pytest.mark.parametrize("type_name", TYPES)
def test_delete(user, table, type_name):
    field, _ = field_create(user=user, table=table, type=type_name, name="Stamp")
    insert_rows(table, [{}])
    before = column_types(table)

    field_delete(user=user, field=field)

    assert column_types(table) == before
    assert field.db_column not in read_rows(table)[0]
