"""Date filters: the multi-step date_is family and the deprecated date_* family."""

from datetime import UTC, datetime

import pytest
from django.utils import timezone

from tests.database.filters.helpers import create, ids_where
from tests.database.helpers import insert_rows

NOW = datetime(2024, 5, 15, 10, 0, tzinfo=UTC)  # a Wednesday
DAYS = ["2024-05-14", "2024-05-15", "2024-05-16", "2024-05-08", "2024-04-20", "2023-12-31", None]
EVERY = list(range(len(DAYS)))


@pytest.fixture
def days(user, table, monkeypatch):
    """A date field with the rows of DAYS; "now" is NOW."""
    field = create(user, table, "date", "Day", date_format="ISO")
    ids = insert_rows(table, [{field.db_column: day} for day in DAYS])
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return field, ids


@pytest.mark.parametrize(
    ("type_name", "value", "expected"),
    [
        ("date_is", "UTC??today", [1]),
        ("date_is", "UTC??yesterday", [0]),
        ("date_is", "UTC??tomorrow", [2]),
        ("date_is", "UTC??one_week_ago", [3]),
        ("date_is", "UTC??this_week", [0, 1, 2]),
        ("date_is", "UTC??next_week", []),
        ("date_is", "UTC??this_month", [0, 1, 2, 3]),
        ("date_is", "UTC??one_month_ago", [4]),
        ("date_is", "UTC??one_year_ago", [5]),
        ("date_is", "UTC??this_year", [0, 1, 2, 3, 4]),
        ("date_is", "UTC?1?nr_days_ago", [0]),
        ("date_is", "UTC?7?nr_days_ago", [3]),
        ("date_is", "UTC?1?nr_weeks_ago", [3]),
        ("date_is", "UTC?1?nr_months_ago", [4]),
        ("date_is", "UTC?1?nr_years_ago", [5]),
        ("date_is", "UTC?1?nr_days_from_now", [2]),
        ("date_is", "UTC?2024-04-20?exact_date", [4]),
        ("date_is", "?2024-04-20?exact_date", [4]),
        ("date_is", "UTC?bad?exact_date", []),
        ("date_is", "UTC?x?nr_days_ago", []),
        ("date_is", "UTC??exact_date", EVERY),
        ("date_is", "UTC??nr_days_ago", EVERY),
        ("date_is", "", EVERY),
        ("date_is", "Nowhere/Zone??today", []),
        ("date_is", "UTC??sometime", []),
        ("date_is_not", "UTC??today", [0, 2, 3, 4, 5, 6]),
        ("date_is_before", "UTC??today", [0, 3, 4, 5]),
        ("date_is_on_or_before", "UTC??today", [0, 1, 3, 4, 5]),
        ("date_is_after", "UTC??today", [2]),
        ("date_is_on_or_after", "UTC??today", [1, 2]),
        ("date_is_within", "UTC?7?nr_days_ago", [0, 1, 3]),
        ("date_is_within", "UTC?1?nr_days_from_now", [1, 2]),
        ("date_equal", "2024-05-15", [1]),
        ("date_equal", "UTC?2024-05-15", [1]),
        ("date_equal", "15/05/2024", []),
        ("date_not_equal", "2024-05-15", [0, 2, 3, 4, 5, 6]),
        ("date_before", "2024-05-14", [3, 4, 5]),
        ("date_before_or_equal", "2024-05-14", [0, 3, 4, 5]),
        ("date_after", "2024-05-14", [1, 2]),
        ("date_after_or_equal", "2024-05-14", [0, 1, 2]),
        ("date_after_days_ago", "UTC?7", [0, 1, 2, 3]),
        ("date_equals_today", "UTC", [1]),
        ("date_equals_today", "", [1]),
        ("date_before_today", "UTC", [0, 3, 4, 5]),
        ("date_after_today", "UTC", [2]),
        ("date_equals_days_ago", "UTC?1", [0]),
        ("date_equals_months_ago", "UTC?1", [4]),
        ("date_equals_years_ago", "UTC?1", [5]),
        ("date_within_days", "UTC?1", [1, 2]),
        ("date_within_weeks", "UTC?1", [1, 2]),
        ("date_within_months", "UTC?1", [1, 2]),
        ("date_equals_week", "UTC", [0, 1, 2]),
        ("date_equals_month", "UTC", [0, 1, 2, 3]),
        ("date_equals_year", "UTC", [0, 1, 2, 3, 4]),
        ("date_equals_day_of_month", "UTC?15", [1]),
        ("date_equals_day_of_month", "UTC?x", []),
        ("empty", "", [6]),
        ("not_empty", "", [0, 1, 2, 3, 4, 5]),
    ],
)
def test_date_filters(days, type_name, value, expected):
    field, ids = days
    assert ids_where(field.table, field, type_name, value) == [ids[i] for i in expected]


@pytest.fixture
def moments(user, table, monkeypatch):
    """A datetime field: 14 May 23:30, 15 May 12:00 and 15 May 22:30 UTC; "now" is NOW."""
    field = create(user, table, "date", "At", date_include_time=True)
    values = ["2024-05-14T23:30:00Z", "2024-05-15T12:00:00Z", "2024-05-15T22:30:00Z"]
    ids = insert_rows(table, [{field.db_column: value} for value in values])
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return field, ids


@pytest.mark.parametrize(
    ("type_name", "value", "expected"),
    [
        ("date_is", "UTC??today", [1, 2]),
        ("date_is", "Europe/Berlin??today", [0, 1]),
        ("date_is", "Europe/Berlin?2024-05-16?exact_date", [2]),
        ("date_is_before", "Europe/Berlin??today", []),
        ("date_is_after", "UTC??today", []),
        ("date_equal", "Europe/Berlin?2024-05-16", [2]),
        ("date_equals_today", "America/New_York", [1, 2]),
        ("date_equals_day_of_month", "Europe/Berlin?16", [2]),
        ("date_equals_day_of_month", "UTC?14", [0]),
    ],
)
def test_datetime_filters_follow_the_zone(moments, type_name, value, expected):
    field, ids = moments
    assert ids_where(field.table, field, type_name, value) == [ids[i] for i in expected]


def test_date_field_zone_is_the_default(user, table, monkeypatch):
    field = create(
        user, table, "date", "At", date_include_time=True, date_force_timezone="Asia/Tokyo"
    )
    ids = insert_rows(table, [{field.db_column: "2024-05-15T16:00:00Z"}])  # 16 May in Tokyo
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    assert ids_where(table, field, "date_is", "?2024-05-16?exact_date") == ids
    assert ids_where(table, field, "date_is", "UTC?2024-05-16?exact_date") == []


@pytest.mark.parametrize("type_name", ["created_on", "last_modified"])
def test_row_timestamps(user, table, type_name):
    field = create(user, table, type_name, "Stamp")
    ids = insert_rows(table, [{}, {}])
    assert ids_where(table, field, "date_is", "UTC??today") == ids
    assert ids_where(table, field, "date_is_before", "UTC??today") == []
    assert ids_where(table, field, "date_is_after", "UTC?1?nr_days_ago") == ids
    assert ids_where(table, field, "empty") == []
    assert ids_where(table, field, "not_empty") == ids


@pytest.mark.parametrize(
    ("options", "probe", "expected"),
    [
        ({"date_format": "EU"}, "15/05/2024", [0]),
        ({"date_format": "EU"}, "/12/", [1]),
        ({"date_format": "US"}, "05/15/", [0]),
        ({"date_format": "ISO"}, "2023-12", [1]),
        ({"date_format": "ISO"}, "2024-05-15 00", []),
    ],
)
def test_contains_on_dates_reads_the_shown_text(user, table, options, probe, expected):
    field = create(user, table, "date", "Day", **options)
    ids = insert_rows(table, [{field.db_column: day} for day in ["2024-05-15", "2023-12-01", None]])
    assert ids_where(table, field, "contains", probe) == [ids[i] for i in expected]
    others = [ids[i] for i in range(3) if i not in expected]
    assert ids_where(table, field, "contains_not", probe) == others


@pytest.mark.parametrize(
    ("options", "probe", "expected"),
    [
        ({"date_time_format": "24"}, "2024-05-16 00:30", [1]),
        ({"date_time_format": "24"}, "15/05/2024 14:00", []),
        ({"date_format": "EU", "date_time_format": "24"}, "15/05/2024 14:00", [0]),
        ({"date_format": "US", "date_time_format": "12"}, "05/15/2024 02:00 PM", [0]),
        ({"date_format": "US", "date_time_format": "12"}, "12:30 AM", [1]),
        ({"date_show_tzinfo": True}, "Europe/Berlin", [0, 1]),
    ],
)
def test_contains_on_datetimes_reads_the_shown_text(user, table, options, probe, expected):
    options = {"date_format": "ISO", **options}
    field = create(
        user,
        table,
        "date",
        "At",
        date_include_time=True,
        date_force_timezone="Europe/Berlin",
        **options,
    )
    values = ["2024-05-15T12:00:00Z", "2024-05-15T22:30:00Z"]
    ids = insert_rows(table, [{field.db_column: value} for value in values])
    assert ids_where(table, field, "contains", probe) == [ids[i] for i in expected]


def test_contains_on_created_on(user, table):
    field = create(user, table, "created_on", "Made", date_format="ISO")
    ids = insert_rows(table, [{}])
    today = timezone.now().date().isoformat()
    assert ids_where(table, field, "contains", today) == ids
    assert ids_where(table, field, "contains", "1999-") == []
