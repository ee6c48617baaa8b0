"""date fields (05-fields.md; wire format in 00-conventions.md "Data formats")."""

import pytest

from api.exceptions import RequestBodyValidationError
from database.fields.serializers import field_to_json
from database.fields.services import field_create, field_delete, field_update
from tests.database.helpers import column_types, insert_rows, purge_trash, values

WITH_TIME = {"date_include_time": True}


def make_date(user, table, **options):
    field, _ = field_create(user=user, table=table, type="date", name="When", options=options)
    return field


def test_create_date_only(user, table):
    field = make_date(user, table)

    assert column_types(table)[field.db_column] == "DateField"
    data = field_to_json(field)
    assert {key: data[key] for key in data if key.startswith("date_")} == {
        "date_format": "EU",
        "date_include_time": False,
        "date_time_format": "24",
        "date_show_tzinfo": False,
        "date_force_timezone": None,
    }


def test_date_cells(user, table):
    field = make_date(user, table)

    insert_rows(
        table,
        [
            {field.db_column: "2024-01-02"},
            {},
            {field.db_column: None},
            {field.db_column: "2024-01-02T23:30:00-02:00"},  # a datetime gives its UTC date
        ],
    )

    assert values(table, field) == ["2024-01-02", None, None, "2024-01-03"]


def test_datetime_cells_are_sent_in_utc(user, table):
    field = make_date(user, table, **WITH_TIME)
    assert column_types(table)[field.db_column] == "DateTimeField"

    insert_rows(
        table,
        [
            {field.db_column: "2024-01-02T13:45:00Z"},
            {field.db_column: "2024-01-02T15:45:00+02:00"},
            {field.db_column: "2024-01-02 13:45"},  # no zone: UTC
            {field.db_column: "2024-01-02T13:45:00.123456Z"},
            {field.db_column: "2024-01-02"},
            {},
        ],
    )

    assert values(table, field) == [
        "2024-01-02T13:45:00Z",
        "2024-01-02T13:45:00Z",
        "2024-01-02T13:45:00Z",
        "2024-01-02T13:45:00.123456Z",
        "2024-01-02T00:00:00Z",
        None,
    ]


@pytest.mark.parametrize("options", [{}, WITH_TIME])
@pytest.mark.parametrize("bad", ["02/01/2024", "tomorrow", "2024-13-01", 5, True])
def test_invalid_cells_are_refused(user, table, options, bad):
    field = make_date(user, table, **options)

    with pytest.raises(RequestBodyValidationError) as excinfo:
        insert_rows(table, [{field.db_column: bad}])

    assert excinfo.value.detail[field.db_column][0]["code"] == "invalid"


@pytest.mark.parametrize(
    ("options", "key", "code"),
    [
        ({"date_format": "XX"}, "date_format", "invalid_choice"),
        ({"date_time_format": "13"}, "date_time_format", "invalid_choice"),
        ({"date_force_timezone": "Mars/Olympus"}, "date_force_timezone", "invalid_choice"),
    ],
)
def test_invalid_properties_are_refused(user, table, options, key, code):
    with pytest.raises(RequestBodyValidationError) as excinfo:
        make_date(user, table, **options)

    assert excinfo.value.detail[key][0]["code"] == code


def test_update_properties(user, table):
    field = make_date(user, table)

    field, _ = field_update(
        user=user,
        field=field,
        options={
            "date_format": "US",
            "date_time_format": 12,
            "date_show_tzinfo": True,
            "date_force_timezone": "Europe/Amsterdam",
            "date_force_timezone_offset": 60,  # write-only: accepted, not kept
        },
    )

    data = field_to_json(field)
    assert data["date_format"] == "US"
    assert data["date_time_format"] == "12"
    assert data["date_show_tzinfo"] is True
    assert data["date_force_timezone"] == "Europe/Amsterdam"
    assert "date_force_timezone_offset" not in data
    assert "date_force_timezone_offset" not in field.options


def test_gaining_a_time_converts_the_column(user, table):
    field = make_date(user, table)
    insert_rows(table, [{field.db_column: "2024-01-02"}, {}])

    field, _ = field_update(user=user, field=field, options=WITH_TIME)

    assert column_types(table)[field.db_column] == "DateTimeField"
    assert values(table, field) == ["2024-01-02T00:00:00Z", None]
    insert_rows(table, [{field.db_column: "2024-03-04T05:06:07Z"}])
    assert values(table, field)[-1] == "2024-03-04T05:06:07Z"


def test_losing_the_time_keeps_the_date_in_the_fields_zone(user, table):
    field = make_date(user, table, date_force_timezone="Europe/Amsterdam", **WITH_TIME)
    insert_rows(
        table,
        [{field.db_column: "2024-01-01T23:30:00Z"}, {field.db_column: "2024-01-02T10:00:00Z"}],
    )

    field, _ = field_update(user=user, field=field, options={"date_include_time": False})

    assert column_types(table)[field.db_column] == "DateField"
    assert values(table, field) == ["2024-01-02", "2024-01-02"]


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"date_format": "EU"}, ["02/01/2024", None]),
        ({"date_format": "US"}, ["01/02/2024", None]),
        ({"date_format": "ISO"}, ["2024-01-02", None]),
    ],
)
def test_date_to_text_follows_the_format(user, table, options, expected):
    field = make_date(user, table, **options)
    insert_rows(table, [{field.db_column: "2024-01-02"}, {}])

    field, _ = field_update(user=user, field=field, type="text")

    assert values(table, field) == expected


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({}, "02/01/2024 13:45"),
        ({"date_time_format": "12"}, "02/01/2024 01:45 PM"),
        ({"date_format": "ISO", "date_force_timezone": "Europe/Amsterdam"}, "2024-01-02 14:45"),
        (
            {"date_format": "US", "date_show_tzinfo": True, "date_force_timezone": "Asia/Tokyo"},
            "01/02/2024 22:45 Asia/Tokyo",
        ),
    ],
)
def test_datetime_to_text_follows_the_formats_and_zone(user, table, options, expected):
    field = make_date(user, table, **WITH_TIME, **options)
    insert_rows(table, [{field.db_column: "2024-01-02T13:45:59Z"}])

    field, _ = field_update(user=user, field=field, type="text")

    assert values(table, field) == [expected]


@pytest.mark.parametrize("options", [{}, {"date_format": "US"}, {"date_format": "ISO"}])
def test_date_to_text_and_back_keeps_values(user, table, options):
    field = make_date(user, table, **options)
    insert_rows(table, [{field.db_column: "2024-01-02"}, {field.db_column: "1999-12-31"}, {}])

    field, _ = field_update(user=user, field=field, type="text")
    field, _ = field_update(user=user, field=field, type="date", options=options)

    assert column_types(table)[field.db_column] == "DateField"
    assert values(table, field) == ["2024-01-02", "1999-12-31", None]


@pytest.mark.parametrize("zone", [None, "America/New_York"])
def test_datetime_to_text_and_back_keeps_values_to_the_minute(user, table, zone):
    options = {**WITH_TIME, "date_force_timezone": zone, "date_show_tzinfo": True}
    field = make_date(user, table, **options)
    insert_rows(table, [{field.db_column: "2024-07-02T13:45:00Z"}])

    field, _ = field_update(user=user, field=field, type="text")
    field, _ = field_update(user=user, field=field, type="date", options=options)

    assert values(table, field) == ["2024-07-02T13:45:00Z"]


TEXTS = [
    "2024-01-02",
    "02/01/2024",
    "13/01/2024",
    "2/1/24",
    "02.01.2024",
    "2 Jan 2024",
    "January 2, 2024",
    "2024/01/02",
    "31/02/2024",
    "soon",
    "",
    None,
]


@pytest.mark.parametrize(
    ("date_format", "expected"),
    [
        (
            "EU",
            [
                *["2024-01-02", "2024-01-02", "2024-01-13", "2024-01-02", "2024-01-02"],
                *["2024-01-02", "2024-01-02", "2024-01-02", None, None, None, None],
            ],
        ),
        (
            "US",
            [
                *["2024-01-02", "2024-02-01", "2024-01-13", "2024-02-01", "2024-02-01"],
                *["2024-01-02", "2024-01-02", "2024-01-02", None, None, None, None],
            ],
        ),
    ],
)
def test_text_to_date_reads_common_formats(user, table, date_format, expected):
    field, _ = field_create(user=user, table=table, type="text", name="Text")
    insert_rows(table, [{field.db_column: text} for text in TEXTS])

    field, _ = field_update(
        user=user, field=field, type="date", options={"date_format": date_format}
    )

    assert values(table, field) == expected


def test_text_to_datetime_reads_times_and_zones(user, table):
    field, _ = field_create(user=user, table=table, type="text", name="Text")
    texts = [
        "02/01/2024 14:45",  # no zone: the field's zone
        "02/01/2024 01:45 PM UTC",
        "2024-01-02T13:45:00Z",
        "2024-01-02 08:45 -05:00",
        "02/01/2024 12:00 AM Asia/Tokyo",
        "02/01/2024 25:00",
    ]
    insert_rows(table, [{field.db_column: text} for text in texts])

    field, _ = field_update(
        user=user,
        field=field,
        type="date",
        options={**WITH_TIME, "date_force_timezone": "Europe/Amsterdam"},
    )

    assert values(table, field) == [
        "2024-01-02T13:45:00Z",
        "2024-01-02T13:45:00Z",
        "2024-01-02T13:45:00Z",
        "2024-01-02T13:45:00Z",
        "2024-01-01T15:00:00Z",
        None,
    ]


def test_delete_drops_the_column(user, table):
    field = make_date(user, table, **WITH_TIME)
    insert_rows(table, [{field.db_column: "2024-01-02T13:45:00Z"}])

    field_delete(user=user, field=field)
    purge_trash()

    assert field.db_column not in column_types(table)
