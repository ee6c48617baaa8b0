"""duration fields (05-fields.md)."""

import pytest

from api.exceptions import RequestBodyValidationError
from database.fields.serializers import field_to_json
from database.fields.services import field_create, field_delete, field_update
from tests.database.helpers import column_types, insert_rows, purge_trash, values


def make_duration(user, table, duration_format=None):
    options = {} if duration_format is None else {"duration_format": duration_format}
    field, _ = field_create(user=user, table=table, type="duration", name="Took", options=options)
    return field


def test_create_makes_a_decimal_column(user, table):
    field = make_duration(user, table)

    assert column_types(table)[field.db_column] == "DecimalField"
    assert field_to_json(field)["duration_format"] == "h:mm"


def test_invalid_format_is_refused(user, table):
    with pytest.raises(RequestBodyValidationError) as excinfo:
        make_duration(user, table, "hh")

    assert excinfo.value.detail["duration_format"][0]["code"] == "invalid_choice"


@pytest.mark.parametrize(
    ("duration_format", "given", "expected"),
    [
        ("h:mm:ss", 90, 90.0),
        ("h:mm:ss", "90", 90.0),
        ("h:mm:ss", 1.4, 1.0),
        ("h:mm:ss", "1:30", 5400.0),
        ("h:mm:ss", "1:30:15", 5415.0),
        ("h:mm:ss", "-0:01:05", -65.0),
        ("h:mm", 89, 60.0),  # rounded to the minute the format shows
        ("h:mm", 90, 120.0),
        ("h:mm:ss.s", "0:00:01.25", 1.3),
        ("h:mm:ss.sss", 1.2345, 1.235),
        ("d h", "1d 2h", 93600.0),
        ("d h", 5400, 7200.0),
        ("d h:mm", "1d 2:30", 95400.0),
        ("d h mm ss", "1d 2h 3m 4s", 93784.0),
        ("d h mm", "2h 30m", 9000.0),
        ("h:mm:ss", "", None),
        ("h:mm:ss", None, None),
    ],
)
def test_cells_are_seconds(user, table, duration_format, given, expected):
    field = make_duration(user, table, duration_format)

    if given == "":
        with pytest.raises(RequestBodyValidationError):
            insert_rows(table, [{field.db_column: given}])
        return
    insert_rows(table, [{field.db_column: given}, {}])

    assert values(table, field) == [expected, None]


@pytest.mark.parametrize("bad", ["soon", "1:xx", "1h 2x", True, [90], 1e20, "nan"])
def test_invalid_cells_are_refused(user, table, bad):
    field = make_duration(user, table, "h:mm:ss")

    with pytest.raises(RequestBodyValidationError) as excinfo:
        insert_rows(table, [{field.db_column: bad}])

    assert excinfo.value.detail[field.db_column][0]["code"] in {"invalid", "max_value"}


def test_a_coarser_format_rounds_existing_values(user, table):
    field = make_duration(user, table, "h:mm:ss.sss")
    insert_rows(table, [{field.db_column: 1.234}, {field.db_column: 5430}, {}])

    field, _ = field_update(user=user, field=field, options={"duration_format": "h:mm:ss.s"})
    assert values(table, field) == [1.2, 5430.0, None]

    field, _ = field_update(user=user, field=field, options={"duration_format": "d h"})
    assert field_to_json(field)["duration_format"] == "d h"
    assert values(table, field) == [0.0, 7200.0, None]


@pytest.mark.parametrize(
    ("duration_format", "expected"),
    [
        ("h:mm", ["1:31", "26:00", "-0:02"]),
        ("h:mm:ss", ["1:30:45", "26:00:00", "-0:01:30"]),
        ("h:mm:ss.ss", ["1:30:45.25", "26:00:00.00", "-0:01:30.00"]),
        ("d h", ["0d 2h", "1d 2h", "0d 0h"]),
        ("d h:mm:ss", ["0d 1:30:45", "1d 2:00:00", "-0d 0:01:30"]),
        ("d h mm ss", ["0d 1h 30m 45s", "1d 2h 0m 0s", "-0d 0h 1m 30s"]),
    ],
)
def test_to_text_follows_the_format(user, table, duration_format, expected):
    field = make_duration(user, table, "h:mm:ss.sss")
    insert_rows(
        table, [{field.db_column: 5445.25}, {field.db_column: 93600}, {field.db_column: -90}]
    )
    field, _ = field_update(user=user, field=field, options={"duration_format": duration_format})

    field, _ = field_update(user=user, field=field, type="text")

    assert values(table, field) == expected


@pytest.mark.parametrize("duration_format", ["h:mm:ss.sss", "d h:mm:ss", "d h mm ss", "h:mm"])
def test_to_text_and_back_keeps_values(user, table, duration_format):
    field = make_duration(user, table, duration_format)
    insert_rows(table, [{field.db_column: 93784}, {field.db_column: -60}, {}])
    before = values(table, field)

    field, _ = field_update(user=user, field=field, type="text")
    field, _ = field_update(
        user=user, field=field, type="duration", options={"duration_format": duration_format}
    )

    assert values(table, field) == before


def test_from_text_and_from_number(user, table):
    text, _ = field_create(user=user, table=table, type="text", name="Text")
    number, _ = field_create(user=user, table=table, type="number", name="Seconds")
    insert_rows(
        table,
        [
            {text.db_column: "1:30", number.db_column: 90},
            {text.db_column: "2h 15m", number.db_column: None},
            {text.db_column: "later", number.db_column: 3600},
        ],
    )

    text, _ = field_update(user=user, field=text, type="duration")
    number, _ = field_update(
        user=user, field=number, type="duration", options={"duration_format": "h:mm:ss"}
    )

    assert values(table, text) == [5400.0, 8100.0, None]
    assert values(table, number) == [90.0, None, 3600.0]


def test_delete_drops_the_column(user, table):
    field = make_duration(user, table)

    field_delete(user=user, field=field)
    purge_trash()

    assert field.db_column not in column_types(table)
