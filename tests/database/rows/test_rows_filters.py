"""Ad-hoc filters on the row list: `filter__<field>__<type>`, `filter_type` and `filters`."""

import json

import pytest

from tests.database.helpers import insert_rows
from tests.database.rows.conftest import list_url


@pytest.fixture
def rows(table, people):
    name, age = people.name.db_column, people.age.db_column
    return insert_rows(table, [{name: "Ada", age: 36}, {name: "Adam", age: 50}, {name: "Bo"}])


def ids_of(response) -> list[int]:
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


def test_contract_example(client, table, people, rows):
    response = client.get(
        list_url(table.id),
        {"user_field_names": "true", "size": 2, "filter__Name__contains": "ad", "order_by": "-Age"},
    )
    body = response.json()
    assert body["count"] == 2
    assert [row["Name"] for row in body["results"]] == ["Adam", "Ada"]


def test_legacy_filters_and_filter_type(client, table, people, rows):
    url = list_url(table.id)
    name, age = f"field_{people.name.id}", f"filter__{people.age.id}__higher_than"
    both = {f"filter__{name}__contains": "ad", age: "40"}
    assert ids_of(client.get(url, both)) == [rows[1]]
    assert ids_of(client.get(url, {**both, "filter_type": "OR"})) == rows[:2]


def test_filters_json_wins_over_legacy(client, table, people, rows):
    tree = {
        "filter_type": "OR",
        "filters": [{"field": people.name.id, "type": "equal", "value": "Bo"}],
        "groups": [
            {
                "filter_type": "AND",
                "filters": [{"field": people.age.id, "type": "equal", "value": "36"}],
            }
        ],
    }
    params = {"filters": json.dumps(tree), f"filter__{people.name.id}__equal": "Adam"}
    assert ids_of(client.get(list_url(table.id), params)) == [rows[0], rows[2]]


def test_filter_errors(client, table, people, rows):
    url = list_url(table.id)
    bad_json = client.get(url, {"filters": "{"})
    assert bad_json.status_code == 400
    assert bad_json.json()["error"] == "ERROR_FILTERS_PARAM_VALIDATION_ERROR"
    unknown = client.get(url, {"filter__field_999999__equal": "x"})
    assert unknown.json()["error"] == "ERROR_FILTER_FIELD_NOT_FOUND"
    no_type = client.get(url, {f"filter__field_{people.name.id}__nope": "x"})
    assert no_type.json()["error"] == "ERROR_VIEW_FILTER_TYPE_DOES_NOT_EXIST"


def test_filters_combine_with_search(client, table, people, rows):
    params = {f"filter__field_{people.name.id}__contains": "ad", "search": "50"}
    assert ids_of(client.get(list_url(table.id), params)) == [rows[1]]
