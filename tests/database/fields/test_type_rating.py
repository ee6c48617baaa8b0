"""rating fields (05-fields.md)."""

import pytest

from api.exceptions import RequestBodyValidationError
from database.fields.serializers import field_to_json
from database.fields.services import field_create, field_delete, field_update
from tests.database.helpers import column_types, insert_rows, purge_trash, values


def test_create_with_defaults(user, table):
    field, _ = field_create(user=user, table=table, type="rating", name="Stars")

    assert column_types(table)[field.db_column] == "SmallIntegerField"
    data = field_to_json(field)
    assert (data["max_value"], data["color"], data["style"]) == (5, "dark-orange", "star")


def test_existing_rows_start_at_zero(user, table):
    insert_rows(table, [{}, {}])

    field, _ = field_create(user=user, table=table, type="rating", name="Stars")

    assert values(table, field) == [0, 0]


def test_cells_are_integers_never_null(user, table):
    field, _ = field_create(
        user=user, table=table, type="rating", name="Stars", options={"max_value": 10}
    )

    insert_rows(table, [{}, {field.db_column: 0}, {field.db_column: 10}, {field.db_column: "3"}])

    assert values(table, field) == [0, 0, 10, 3]


@pytest.mark.parametrize(
    ("bad", "code"),
    [(6, "max_value"), (-1, "min_value"), ("many", "invalid"), (2.5, "invalid"), (None, "null")],
)
def test_invalid_cells_are_refused(user, table, bad, code):
    field, _ = field_create(user=user, table=table, type="rating", name="Stars")

    with pytest.raises(RequestBodyValidationError) as excinfo:
        insert_rows(table, [{field.db_column: bad}])

    assert excinfo.value.detail[field.db_column][0]["code"] == code


@pytest.mark.parametrize(
    ("options", "key"),
    [
        ({"max_value": 0}, "max_value"),
        ({"max_value": 11}, "max_value"),
        ({"style": "moon"}, "style"),
    ],
)
def test_invalid_properties_are_refused(user, table, options, key):
    with pytest.raises(RequestBodyValidationError) as excinfo:
        field_create(user=user, table=table, type="rating", name="Stars", options=options)

    assert key in excinfo.value.detail


def test_update_properties_caps_values_above_a_lower_maximum(user, table):
    field, _ = field_create(
        user=user, table=table, type="rating", name="Stars", options={"max_value": 10}
    )
    insert_rows(table, [{field.db_column: 9}, {field.db_column: 2}])

    field, _ = field_update(
        user=user, field=field, options={"max_value": 3, "color": "red", "style": "heart"}
    )

    data = field_to_json(field)
    assert (data["max_value"], data["color"], data["style"]) == (3, "red", "heart")
    assert values(table, field) == [3, 2]
    with pytest.raises(RequestBodyValidationError):
        insert_rows(table, [{field.db_column: 4}])


def test_to_text_and_back(user, table):
    field, _ = field_create(user=user, table=table, type="rating", name="Stars")
    insert_rows(table, [{field.db_column: 4}, {}])

    field, _ = field_update(user=user, field=field, type="text")
    assert values(table, field) == ["4", "0"]

    field, _ = field_update(user=user, field=field, type="rating")
    assert column_types(table)[field.db_column] == "SmallIntegerField"
    assert values(table, field) == [4, 0]


def test_from_text_rounds_and_clamps(user, table):
    field, _ = field_create(user=user, table=table, type="text", name="Score")
    texts = ["2", "2.5", "9", "-3", "five", None]
    insert_rows(table, [{field.db_column: text} for text in texts])

    field, _ = field_update(user=user, field=field, type="rating", options={"max_value": 5})

    assert values(table, field) == [2, 3, 5, 0, 0, 0]


def test_delete_drops_the_column(user, table):
    field, _ = field_create(user=user, table=table, type="rating", name="Stars")

    field_delete(user=user, field=field)
    purge_trash()

    assert field.db_column not in column_types(table)
