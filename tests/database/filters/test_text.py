"""Filters on text-like fields: equal, contains, whole words, length, empty."""

import pytest

from tests.database.filters.helpers import create, ids_where
from tests.database.helpers import insert_rows, primary_of

TEXTS = ["Hello World", "hello", "Helloworld", "", None]


@pytest.fixture
def rows(user, table):
    """Rows 1-5 of TEXTS in the primary text field."""
    name = primary_of(table)
    ids = insert_rows(table, [{name.db_column: text} for text in TEXTS])
    return name, ids


@pytest.mark.parametrize(
    ("type_name", "value", "expected"),
    [
        ("equal", "hello", [1]),
        ("equal", "", [0, 1, 2, 3, 4]),
        ("not_equal", "hello", [0, 2, 3, 4]),
        ("contains", "LLO", [0, 1, 2]),
        ("contains", "o w", [0]),
        ("contains_not", "world", [1, 3, 4]),
        ("contains_word", "WORLD", [0]),
        ("contains_word", "hello", [0, 1]),
        ("doesnt_contain_word", "world", [1, 2, 3, 4]),
        ("length_is_lower_than", "6", [1, 3, 4]),
        ("length_is_lower_than", "x", []),
        ("empty", "", [3, 4]),
        ("not_empty", "", [0, 1, 2]),
    ],
)
def test_text_filters(rows, type_name, value, expected):
    field, ids = rows
    assert ids_where(field.table, field, type_name, value) == [ids[i] for i in expected]


def test_contains_escapes_like_wildcards(user, table):
    name = primary_of(table)
    a, _b = insert_rows(table, [{name.db_column: "50% off"}, {name.db_column: "500 off"}])
    assert ids_where(table, name, "contains", "0%") == [a]
    assert ids_where(table, name, "contains_word", "50%") == [a]


@pytest.mark.parametrize(
    ("type_name", "values", "probe", "expected"),
    [
        ("long_text", ["Some Long text", "other", None], "long", [0]),
        ("url", ["https://baserow.io", "https://example.com", None], "BASEROW", [0]),
        ("email", ["ann@example.com", "bob@test.org", None], "example", [0]),
        ("phone_number", ["+31 6 1234", "555 0000", None], "1234", [0]),
    ],
)
def test_text_like_types(user, table, type_name, values, probe, expected):
    field = create(user, table, type_name, "Cell")
    ids = insert_rows(table, [{field.db_column: value} for value in values])
    assert ids_where(table, field, "contains", probe) == [ids[i] for i in expected]
    assert ids_where(table, field, "equal", values[1]) == [ids[1]]
    assert ids_where(table, field, "not_equal", values[1]) == [ids[0], ids[2]]
    assert ids_where(table, field, "empty") == [ids[2]]
    assert ids_where(table, field, "not_empty") == [ids[0], ids[1]]
