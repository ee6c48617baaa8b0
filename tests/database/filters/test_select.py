"""Filters on single_select and multiple_select fields, and on boolean fields."""

import pytest

from database.fields.serializers import field_to_json
from tests.database.filters.helpers import create, ids_where
from tests.database.helpers import insert_rows

OPTIONS = [
    {"value": "Open issue", "color": "blue"},
    {"value": "Done", "color": "green"},
    {"value": "Reopened", "color": "red"},
]


def with_options(user, table, type_name):
    field = create(user, table, type_name, "Status", select_options=OPTIONS)
    return field, [option["id"] for option in field_to_json(field)["select_options"]]


@pytest.fixture
def single(user, table):
    """Rows with Open issue, Done, Reopened, nothing."""
    field, (open_, done, reopened) = with_options(user, table, "single_select")
    ids = insert_rows(table, [{field.db_column: v} for v in [open_, done, reopened, None]])
    return field, ids, (open_, done, reopened)


def test_single_select_filters(single):
    field, ids, (open_, done, _reopened) = single
    table = field.table
    assert ids_where(table, field, "single_select_equal", str(done)) == [ids[1]]
    assert ids_where(table, field, "single_select_equal", "nope") == []
    assert ids_where(table, field, "single_select_not_equal", str(done)) == [
        ids[0],
        ids[2],
        ids[3],
    ]
    assert ids_where(table, field, "single_select_is_any_of", f"{open_},{done}") == ids[:2]
    assert ids_where(table, field, "single_select_is_none_of", f"{open_},{done}") == ids[2:]
    assert ids_where(table, field, "single_select_is_any_of", "") == ids
    assert ids_where(table, field, "contains", "OPEN") == [ids[0], ids[2]]
    assert ids_where(table, field, "contains_not", "open") == [ids[1], ids[3]]
    assert ids_where(table, field, "contains_word", "open") == [ids[0]]
    assert ids_where(table, field, "doesnt_contain_word", "open") == ids[1:]
    assert ids_where(table, field, "empty") == [ids[3]]
    assert ids_where(table, field, "not_empty") == ids[:3]


@pytest.fixture
def multiple(user, table):
    """Rows with [Open issue, Done], [Reopened], []."""
    field, (open_, done, reopened) = with_options(user, table, "multiple_select")
    ids = insert_rows(table, [{field.db_column: v} for v in [[open_, done], [reopened], []]])
    return field, ids, (open_, done, reopened)


def test_multiple_select_filters(multiple):
    field, ids, (_open, done, _reopened) = multiple
    table = field.table
    assert ids_where(table, field, "multiple_select_has", str(done)) == [ids[0]]
    assert ids_where(table, field, "multiple_select_has_not", str(done)) == ids[1:]
    assert ids_where(table, field, "multiple_select_has", "x") == []
    assert ids_where(table, field, "contains", "open") == ids[:2]
    assert ids_where(table, field, "contains_not", "open") == [ids[2]]
    assert ids_where(table, field, "contains_word", "done") == [ids[0]]
    assert ids_where(table, field, "doesnt_contain_word", "done") == ids[1:]
    assert ids_where(table, field, "empty") == [ids[2]]
    assert ids_where(table, field, "not_empty") == ids[:2]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", [0]),
        ("true", [0]),
        ("checked", [0]),
        ("0", [1, 2]),
        ("false", [1, 2]),
        ("", [1, 2]),
        ("maybe", []),
    ],
)
def test_boolean_filter(user, table, value, expected):
    field = create(user, table, "boolean", "Done")
    ids = insert_rows(table, [{field.db_column: True}, {field.db_column: False}, {}])
    assert ids_where(table, field, "boolean", value) == [ids[i] for i in expected]


def test_boolean_empty(user, table):
    field = create(user, table, "boolean", "Done")
    ids = insert_rows(table, [{field.db_column: True}, {field.db_column: False}])
    assert ids_where(table, field, "empty") == [ids[1]]
    assert ids_where(table, field, "not_empty") == [ids[0]]
