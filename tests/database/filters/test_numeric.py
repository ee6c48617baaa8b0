"""Filters on numbers, ratings, autonumbers and durations."""

import pytest

from tests.database.filters.helpers import create, ids_where
from tests.database.helpers import insert_rows


@pytest.fixture
def numbers(user, table):
    """A 2-place number field with rows 1.50, -2.00, 4.00, 10.25, NULL."""
    field = create(user, table, "number", "Amount", number_decimal_places=2, number_negative=True)
    ids = insert_rows(table, [{field.db_column: v} for v in ["1.5", "-2", "4", "10.25", None]])
    return field, ids


@pytest.mark.parametrize(
    ("type_name", "value", "expected"),
    [
        ("equal", "1.5", [0]),
        ("equal", "1.50", [0]),
        ("equal", "abc", []),
        ("equal", "", [0, 1, 2, 3, 4]),
        ("not_equal", "4", [0, 1, 3, 4]),
        ("higher_than", "1.5", [2, 3]),
        ("higher_than_or_equal", "1.5", [0, 2, 3]),
        ("lower_than", "4", [0, 1]),
        ("lower_than_or_equal", "4", [0, 1, 2]),
        ("lower_than", "x", []),
        ("is_even_and_whole", "", [1, 2]),
        ("contains", "1.5", [0]),
        ("contains", ".0", [1, 2]),
        ("contains", ".25", [3]),
        ("contains_not", ".0", [0, 3, 4]),
        ("empty", "", [4]),
        ("not_empty", "", [0, 1, 2, 3]),
    ],
)
def test_number_filters(numbers, type_name, value, expected):
    field, ids = numbers
    assert ids_where(field.table, field, type_name, value) == [ids[i] for i in expected]


@pytest.fixture
def ratings(user, table):
    field = create(user, table, "rating", "Stars", max_value=5)
    ids = insert_rows(table, [{field.db_column: v} for v in [0, 2, 3, 5]])
    return field, ids


@pytest.mark.parametrize(
    ("type_name", "value", "expected"),
    [
        ("equal", "3", [2]),
        ("equal", "2.5", []),
        ("not_equal", "3", [0, 1, 3]),
        ("higher_than", "2.5", [2, 3]),
        ("higher_than_or_equal", "2.5", [2, 3]),
        ("lower_than", "2.5", [0, 1]),
        ("lower_than_or_equal", "2.5", [0, 1]),
        ("lower_than_or_equal", "3", [0, 1, 2]),
        ("is_even_and_whole", "", [0, 1]),
        ("contains", "5", [3]),
        ("empty", "", [0]),
        ("not_empty", "", [1, 2, 3]),
    ],
)
def test_rating_filters(ratings, type_name, value, expected):
    field, ids = ratings
    assert ids_where(field.table, field, type_name, value) == [ids[i] for i in expected]


def test_autonumber_filters(user, table):
    ids = insert_rows(table, [{}, {}, {}, {}])
    field = create(user, table, "autonumber", "No")
    assert ids_where(table, field, "equal", "2") == [ids[1]]
    assert ids_where(table, field, "higher_than", "2") == [ids[2], ids[3]]
    assert ids_where(table, field, "is_even_and_whole") == [ids[1], ids[3]]
    assert ids_where(table, field, "contains", "3") == [ids[2]]
    assert ids_where(table, field, "empty") == []


def test_duration_filters(user, table):
    field = create(user, table, "duration", "Time", duration_format="h:mm")
    ids = insert_rows(table, [{field.db_column: v} for v in [60, 5400, 7200, None]])
    assert ids_where(table, field, "equal", "1:30") == [ids[1]]
    assert ids_where(table, field, "equal", "5400") == [ids[1]]
    assert ids_where(table, field, "higher_than", "1:30") == [ids[2]]
    assert ids_where(table, field, "lower_than_or_equal", "1:30") == [ids[0], ids[1]]
    assert ids_where(table, field, "lower_than", "soon") == []
    assert ids_where(table, field, "empty") == [ids[3]]
    assert ids_where(table, field, "not_empty") == ids[:3]
