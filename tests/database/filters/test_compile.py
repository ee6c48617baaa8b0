"""Filter trees: query parameters in both styles, nested groups, and the errors."""

import json

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from api.errors import exception_handler
from database.rows.filters.compile import filters_q, tree_from_query
from database.views.errors import (
    FilterFieldNotFound,
    FiltersParamValidationError,
    ViewFilterTypeDoesNotExist,
    ViewFilterTypeUnsupportedField,
)
from tests.database.filters.helpers import create, ids_for_tree, model_of
from tests.database.helpers import insert_rows, primary_of


def query(text: str) -> QueryDict:
    return QueryDict(text)


def test_no_filter_params_gives_none():
    assert tree_from_query(query("size=10&filter_type=OR")) is None


def test_legacy_params_become_one_group():
    tree = tree_from_query(
        query("filter__field_12__equal=a&filter__12__contains=b&filter__12__contains=c")
    )
    assert tree == {
        "filter_type": "AND",
        "filters": [
            {"field": "field_12", "type": "equal", "value": "a", "legacy": True},
            {"field": "12", "type": "contains", "value": "b", "legacy": True},
            {"field": "12", "type": "contains", "value": "c", "legacy": True},
        ],
        "groups": [],
    }


def test_legacy_params_with_or_and_field_names():
    tree = tree_from_query(query("filter_type=or&filter__My__Name__empty="))
    assert tree["filter_type"] == "OR"
    assert tree["filters"] == [{"field": "My__Name", "type": "empty", "value": "", "legacy": True}]


def test_json_param_wins_over_legacy_params():
    filters = {
        "filter_type": "OR",
        "filters": [{"field": 3, "type": "equal", "value": 5}],
        "groups": [
            {"filter_type": "AND", "filters": [{"field": "4", "type": "empty", "value": ""}]}
        ],
    }
    tree = tree_from_query({"filters": json.dumps(filters), "filter__1__equal": "x"})
    assert tree == {
        "filter_type": "OR",
        "filters": [{"field": 3, "type": "equal", "value": "5"}],
        "groups": [
            {
                "filter_type": "AND",
                "filters": [{"field": 4, "type": "empty", "value": ""}],
                "groups": [],
            }
        ],
    }


def test_json_param_with_field_names():
    group = {"filter_type": "AND", "filters": [{"field": "Name", "type": "empty", "value": ""}]}
    tree = tree_from_query({"filters": json.dumps(group)}, user_field_names=True)
    assert tree["filters"] == [{"field": "Name", "type": "empty", "value": ""}]
    with pytest.raises(FiltersParamValidationError) as caught:
        tree_from_query({"filters": json.dumps(group)})
    assert caught.value.structured_detail == {
        "filters": {0: {"field": [{"error": "A valid integer is required.", "code": "invalid"}]}}
    }


@pytest.mark.parametrize(
    "raw",
    [
        "{not json",
        "[" * 100_000,  # nested deeper than the decoder goes
        "[]",
        '{"filter_type": "XOR"}',
        '{"filters": []}',
        '{"filter_type": "AND", "filters": {}}',
        '{"filter_type": "AND", "filters": [1]}',
        '{"filter_type": "AND", "filters": [{"field": true, "type": "equal", "value": ""}]}',
        '{"filter_type": "AND", "filters": [{"field": 1, "type": "equal"}]}',
        '{"filter_type": "AND", "filters": [{"field": 1, "type": "equal", "value": []}]}',
        '{"filter_type": "AND", "groups": [{"filters": []}]}',
        '{"filter_type": "AND", "groups": [{"filter_type": "OR", "groups": "x"}]}',
    ],
)
def test_invalid_json_param(raw):
    with pytest.raises(FiltersParamValidationError) as caught:
        tree_from_query({"filters": raw})
    # Structured as validation errors are: leaves of {"error", "code"}.
    assert isinstance(caught.value.structured_detail, dict)
    assert "code" in json.dumps(caught.value.structured_detail)


def test_too_deep_groups_are_refused():
    group: dict = {"filter_type": "AND", "filters": []}
    for _ in range(20):
        group = {"filter_type": "AND", "groups": [group]}
    with pytest.raises(FiltersParamValidationError):
        tree_from_query({"filters": json.dumps(group)})


@pytest.fixture
def people(user, table):
    """Rows: (Ann, 30), (Bob, 20), (Cid, 40), (Dee, None)."""
    name = primary_of(table)
    age = create(user, table, "number", "Age")
    rows = [("Ann", 30), ("Bob", 20), ("Cid", 40), ("Dee", None)]
    ids = insert_rows(table, [{name.db_column: n, age.db_column: a} for n, a in rows])
    return name, age, ids


def test_nested_groups(table, people):
    name, age, ids = people
    # Age > 25 AND (Name = Ann OR Name = Cid OR (Age < 35 AND Name contains "b"))
    tree = {
        "filter_type": "AND",
        "filters": [{"field": age.id, "type": "higher_than", "value": "25"}],
        "groups": [
            {
                "filter_type": "OR",
                "filters": [
                    {"field": name.id, "type": "equal", "value": "Cid"},
                    {"field": name.id, "type": "equal", "value": "Bob"},
                ],
                "groups": [
                    {
                        "filter_type": "AND",
                        "filters": [
                            {"field": age.id, "type": "lower_than", "value": "35"},
                            {"field": name.id, "type": "contains", "value": "n"},
                        ],
                        "groups": [],
                    }
                ],
            }
        ],
    }
    assert ids_for_tree(table, tree) == [ids[0], ids[2]]


def test_or_group_ignores_no_op_filters(table, people):
    name, age, ids = people
    tree = {
        "filter_type": "OR",
        "filters": [
            {"field": name.id, "type": "equal", "value": ""},
            {"field": age.id, "type": "higher_than", "value": "35"},
        ],
        "groups": [{"filter_type": "AND", "filters": [], "groups": []}],
    }
    assert ids_for_tree(table, tree) == [ids[2]]


def test_legacy_tree_resolves_ids_and_names(table, people):
    _name, age, ids = people
    params = f"filter__field_{age.id}__higher_than=25&filter__Name__contains=a&filter_type=OR"
    tree = tree_from_query(query(params))
    assert ids_for_tree(table, tree, user_field_names=True) == [ids[0], ids[2]]
    tree = tree_from_query(query(f"filter__{age.id}__lower_than=25"))
    assert ids_for_tree(table, tree) == [ids[1]]


def one(field_ref, type_name="equal", value="x") -> dict:
    return {
        "filter_type": "AND",
        "filters": [{"field": field_ref, "type": type_name, "value": value}],
    }


def test_unknown_field(table, people):
    _name, _, _ = people
    with pytest.raises(FilterFieldNotFound):
        ids_for_tree(table, one(999999))
    with pytest.raises(FilterFieldNotFound):
        ids_for_tree(table, one("Name"))  # names only with user_field_names
    assert ids_for_tree(table, one("Name", value="Ann"), user_field_names=True) != []


def test_unknown_and_unsupported_types(table, people):
    name, age, _ = people
    with pytest.raises(ViewFilterTypeDoesNotExist):
        ids_for_tree(table, one(name.id, "sounds_like"))
    with pytest.raises(ViewFilterTypeUnsupportedField):
        ids_for_tree(table, one(name.id, "higher_than", "1"))
    with pytest.raises(ViewFilterTypeUnsupportedField):
        ids_for_tree(table, one(age.id, "boolean", "1"))


@pytest.mark.parametrize(
    ("exc", "code", "detail"),
    [
        (
            FilterFieldNotFound("field_7"),
            "ERROR_FILTER_FIELD_NOT_FOUND",
            "The field 7 was not found in the table.",
        ),
        (
            ViewFilterTypeDoesNotExist("nope"),
            "ERROR_VIEW_FILTER_TYPE_DOES_NOT_EXIST",
            "The view filter type nope doesn't exist.",
        ),
        (
            ViewFilterTypeUnsupportedField("contains", "boolean"),
            "ERROR_VIEW_FILTER_TYPE_UNSUPPORTED_FIELD",
            "The filter contains is not compatible with field type boolean.",
        ),
        (
            FiltersParamValidationError({"error": "bad", "code": "invalid_json"}),
            "ERROR_FILTERS_PARAM_VALIDATION_ERROR",
            {"error": "bad", "code": "invalid_json"},
        ),
    ],
)
def test_errors_on_the_wire(exc, code, detail):
    response = exception_handler(exc, {})
    assert response.status_code == 400
    assert response.data == {"error": code, "detail": detail}


def test_lookup_filter_on_an_incompatible_target(user, table, make_table):
    other = make_table("Other")
    flag = create(user, other, "boolean", "Flag")
    link = create(user, table, "link_row", "Other", link_row_table_id=other.id)
    lookup = create(
        user, table, "lookup", "Flags", through_field_id=link.id, target_field_id=flag.id
    )
    with pytest.raises(ViewFilterTypeUnsupportedField):
        ids_for_tree(table, one(lookup.id, "has_value_contains", "x"))


def test_a_tree_filters_in_one_query(user, table, people):
    name, age, ids = people
    tags = create(user, table, "multiple_select", "Tags", select_options=[])
    link = create(user, table, "link_row", "Self", link_row_table_id=table.id)
    tree = {
        "filter_type": "OR",
        "filters": [
            {"field": name.id, "type": "contains_word", "value": "ann"},
            {"field": tags.id, "type": "empty", "value": ""},
            {"field": link.id, "type": "link_row_contains", "value": "b"},
            {"field": age.id, "type": "contains", "value": "4"},
        ],
    }
    model = model_of(table)
    with CaptureQueriesContext(connection) as captured:
        q = filters_q(model=model, tree=tree, user_field_names=False)
        assert len(list(model.objects.filter(q))) == len(ids)
    assert len(captured.captured_queries) == 1
