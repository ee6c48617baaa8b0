"""`<link field>__join=…` on the rows list: the linked rows' cells inside each link item."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from database.fields.models import Field
from tests.database.helpers import add_field, insert_rows
from tests.database.rows.conftest import list_url


@pytest.fixture
def joined(table, projects, people):
    """Two projects with a budget; one row links both, one links none."""
    budget = add_field(projects, "Budget", "number")
    name = people.project_name.db_column
    apollo, gemini = insert_rows(
        projects, [{name: "Apollo", budget.db_column: "5"}, {name: "Gemini", budget.db_column: "7"}]
    )
    both, none = insert_rows(table, [{people.link.db_column: [apollo, gemini]}, {}])
    return {"budget": budget, "apollo": apollo, "gemini": gemini, "both": both, "none": none}


def _links(response, row_id, key):
    assert response.status_code == 200, response.json()
    (row,) = [row for row in response.json()["results"] if row["id"] == row_id]
    return row[key]


def test_join_adds_the_target_cells_to_each_link_item(client, table, people, joined):
    budget, link = joined["budget"], people.link
    name = people.project_name
    response = client.get(
        list_url(table.id), {f"{link.db_column}__join": f"{budget.db_column},field_{name.id}"}
    )
    items = _links(response, joined["both"], link.db_column)
    assert items == [
        {
            **items[0],
            "id": joined["apollo"],
            "value": "Apollo",
            budget.db_column: "5",
            name.db_column: "Apollo",
        },
        {
            **items[1],
            "id": joined["gemini"],
            "value": "Gemini",
            budget.db_column: "7",
            name.db_column: "Gemini",
        },
    ]
    assert _links(response, joined["none"], link.db_column) == []


def test_join_with_user_field_names(client, table, people, joined):
    response = client.get(
        list_url(table.id), {"user_field_names": "true", "Projects__join": "Budget"}
    )
    items = _links(response, joined["both"], "Projects")
    assert [item["Budget"] for item in items] == ["5", "7"]


def test_join_queries_do_not_grow_with_the_page(
    client, table, people, joined, django_assert_max_num_queries
):
    params = {f"{people.link.db_column}__join": joined["budget"].db_column}
    url = list_url(table.id)
    client.get(url, params)
    with CaptureQueriesContext(connection) as few:
        client.get(url, params)
    insert_rows(table, [{people.link.db_column: [joined["apollo"]]} for _ in range(30)])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url, params).status_code == 200


@pytest.mark.parametrize(
    "params, error, status",
    [
        ({"field_424242__join": "field_1"}, "ERROR_FIELD_DOES_NOT_EXIST", 404),
        ({"{name}__join": "field_1"}, "ERROR_FIELD_DOES_NOT_EXIST", 404),
        ({"{link}__join": "field_424242"}, "ERROR_FIELD_DOES_NOT_EXIST", 404),
        ({"{link}__join": "{budget},{budget}"}, "ERROR_INVALID_JOIN_PARAMETER", 400),
        ({"{link}__join": ["{budget}", "{budget}"]}, "ERROR_INVALID_JOIN_PARAMETER", 400),
    ],
)
def test_join_errors(client, table, people, joined, params, error, status):
    names = {
        "name": people.name.db_column,
        "link": people.link.db_column,
        "budget": joined["budget"].db_column,
    }

    def fill(value):
        return [fill(v) for v in value] if isinstance(value, list) else value.format(**names)

    query = {key.format(**names): fill(value) for key, value in params.items()}
    response = client.get(list_url(table.id), query)
    assert response.status_code == status
    assert response.json()["error"] == error


def test_join_on_a_link_target_is_incompatible(client, table, projects, people, joined):
    back = Field.objects.get(table=projects, type="link_row")
    response = client.get(list_url(table.id), {f"{people.link.db_column}__join": back.db_column})
    assert response.status_code == 400
    assert response.json() == {
        "error": "ERROR_INCOMPATIBLE_FIELD_TYPE",
        "detail": "The field type is not compatible with the action.",
    }
