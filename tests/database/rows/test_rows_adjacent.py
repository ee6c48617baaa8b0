"""GET /api/database/rows/table/{id}/{row_id}/adjacent/: the next or previous row of a view."""

import pytest
from django.urls import reverse

from database.rows.selectors import row_adjacent
from database.views.selectors import ViewRows, view_get
from tests.database.helpers import insert_rows
from tests.database.rows.conftest import item_url, move_url
from tests.database.rows.test_rows_api import NOT_MEMBER, TABLE_MISSING, missing
from tests.database.tokens.conftest import NOT_PROVIDED
from tests.database.views.helpers import VIEWS, add_filter, add_sort, create_view, grid_ids
from tests.database.views.test_filters import SAMPLE_CELLS, make_field
from tests.database.views.test_sorts import SORTABLE

VIEW_MISSING = {
    "error": "ERROR_VIEW_DOES_NOT_EXIST",
    "detail": "The requested view does not exist.",
}


def adjacent_url(table_id: int, row_id: int) -> str:
    return reverse("api:rows:adjacent", kwargs={"table_id": table_id, "row_id": row_id})


def neighbour(client, table, row_id: int, **query) -> int | None:
    """The id of the adjacent row the endpoint gives, None for its 204."""
    response = client.get(adjacent_url(table.id, row_id), query)
    if response.status_code == 204:
        assert response.content == b""
        return None
    assert response.status_code == 200, response.json()
    return response.json()["id"]


def walk(client, table, start: int, **query) -> list[int]:
    """Every row from `start` on, following the endpoint until its 204."""
    seen = [start]
    while (found := neighbour(client, table, seen[-1], **query)) is not None:
        seen.append(found)
    return seen


def test_next_and_previous_in_table_order(client, table, five):
    a, b, c, d, e = five
    assert walk(client, table, a) == five
    assert walk(client, table, e, previous="true") == [e, d, c, b, a]
    assert neighbour(client, table, e) is None
    assert neighbour(client, table, a, previous="1") is None


def test_table_order_follows_moves(client, table, five):
    a, b, c, d, e = five
    client.patch(f"{move_url(table.id, e)}?before_id={b}")
    assert walk(client, table, a) == [a, e, b, c, d]


def test_the_row_json_is_that_of_get_row(client, table, five, people):
    a, b, *_ = five
    response = client.get(adjacent_url(table.id, a))
    assert response.json() == client.get(item_url(table.id, b)).json()
    named = client.get(adjacent_url(table.id, a), {"user_field_names": ""}).json()
    assert named["Name"] == "alan"
    assert named["Age"] == "41"
    assert named == client.get(item_url(table.id, b), {"user_field_names": "1"}).json()


def test_view_sorts_and_filters(client, user_client, table, five, people):
    a, b, c, d, e = five
    view = create_view(user_client, table)
    add_sort(user_client, view["id"], people.age.id, "DESC")
    # Descending puts the empty age last; equal ages keep the table order.
    assert walk(client, table, c, view_id=view["id"]) == [c, b, a, e, d]
    assert walk(client, table, d, view_id=view["id"], previous="yes") == [d, e, a, b, c]
    add_filter(user_client, view["id"], people.age.id, "higher_than", "36")
    assert walk(client, table, c, view_id=view["id"]) == [c, b]
    # Without view_id the view changes nothing.
    assert neighbour(client, table, c) == d


def test_the_row_must_pass_the_view_filters_and_search(client, user_client, table, five, people):
    a, b, _c, _d, e = five
    view = create_view(user_client, table)
    add_filter(user_client, view["id"], people.age.id, "equal", "36")
    assert neighbour(client, table, a, view_id=view["id"]) == e
    response = client.get(adjacent_url(table.id, b), {"view_id": view["id"]})
    assert response.status_code == 404
    assert response.json() == missing(b)
    assert client.get(adjacent_url(table.id, b), {"search": "grace"}).json() == missing(b)


def test_search_skips_rows_that_do_not_match(client, table, five):
    a, b, c, d, e = five
    assert walk(client, table, a, search="a") == [a, b, c, e]
    for mode in ("compat", "full-text-with-count"):
        assert walk(client, table, a, search="A", search_mode=mode) == [a, b, c, e]
    # An empty search is no search.
    assert neighbour(client, table, c, search="") == d


def test_view_search_and_previous_together(client, user_client, table, five, people):
    a, b, c, _d, e = five
    view = create_view(user_client, table)
    add_sort(user_client, view["id"], people.age.id, "DESC")
    # In the view: Grace 85, alan 41, Ada 36, Margaret 36, (Linus: no "a").
    query = {"view_id": view["id"], "search": "a", "previous": "true"}
    assert walk(client, table, e, **query) == [e, a, b, c]


def test_unknown_row_and_trashed_row(client, table, five):
    a, b, *_ = five
    assert client.get(adjacent_url(table.id, 999)).json() == missing(999)
    client.delete(item_url(table.id, b))
    assert neighbour(client, table, a) == five[2]
    response = client.get(adjacent_url(table.id, b))
    assert response.status_code == 404
    assert response.json() == missing(b)
    huge = 10**25
    assert client.get(adjacent_url(table.id, huge)).json() == missing(huge)


def test_a_view_of_another_table(client, user_client, table, make_table, five):
    other = create_view(user_client, make_table("Other"))
    for view_id in (other["id"], 999999, -3, 10**30):
        response = client.get(adjacent_url(table.id, five[0]), {"view_id": view_id})
        assert response.status_code == 404, view_id
        assert response.json() == VIEW_MISSING


@pytest.mark.parametrize(
    ("query", "key", "code"),
    [
        ({"search_mode": "fuzzy"}, "search_mode", "invalid_choice"),
        ({"previous": "maybe"}, "previous", "invalid"),
        ({"view_id": "abc"}, "view_id", "invalid"),
    ],
)
def test_query_validation(client, table, five, query, key, code):
    response = client.get(adjacent_url(table.id, five[0]), query)
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "ERROR_QUERY_PARAMETER_VALIDATION"
    assert body["detail"][key][0]["code"] == code
    # Checked before the table, as Baserow's query validation is.
    assert client.get(adjacent_url(999999, 1), query).status_code == 400


def test_gate(client, client_for, other_user, table, five):
    outsider = client_for(other_user).get(adjacent_url(table.id, five[0]))
    assert outsider.status_code == 400
    assert outsider.json() == NOT_MEMBER
    unknown = client.get(adjacent_url(999999, five[0]))
    assert unknown.status_code == 404
    assert unknown.json() == TABLE_MISSING
    # A member of another workspace, with a row id of their own table, gets nothing either.
    assert client_for(other_user).get(adjacent_url(table.id, five[1])).json() == NOT_MEMBER


def test_anonymous_requests_are_refused(api_client, table, five):
    response = api_client.get(adjacent_url(table.id, five[0]))
    assert response.status_code == 401
    assert response.json() == NOT_PROVIDED


def test_selector_directly(table, five, user_client, people):
    a, b, _c, d, e = five
    assert row_adjacent(table=table, row_id=a) == b
    assert row_adjacent(table=table, row_id=a, previous=True) is None
    view = create_view(user_client, table)
    add_sort(user_client, view["id"], people.age.id, "ASC")
    # In the view: Linus (no age, first ascending), Ada 36, Margaret 36, alan 41, Grace 85.
    view = ViewRows(view_get(view_id=view["id"]))
    assert row_adjacent(table=table, row_id=e, view=view) == b
    assert row_adjacent(table=table, row_id=a, view=view, previous=True) == d
    assert row_adjacent(table=table, row_id=a, view=view, previous=True, search="a") is None


def test_two_queries_find_the_neighbour(table, five, django_assert_num_queries):
    row_adjacent(table=table, row_id=five[0])  # the table's model, built once
    # The row's sort keys, then the first row past them.
    with django_assert_num_queries(2):
        assert row_adjacent(table=table, row_id=five[2]) == five[3]


@pytest.mark.parametrize("field_type", SORTABLE)
def test_walks_follow_the_grid_order_of_every_sortable_type(
    user, user_client, table, make_table, field_type
):
    field, _ = make_field(user, table, make_table, field_type, None)
    # Equal keys (empty cells among them, and timestamps of one insert) fall back on the
    # table order, forwards and backwards.
    cells = SAMPLE_CELLS.get(field_type, [None, None, None])
    insert_rows(table, [{field.db_column: cell} for cell in reversed(cells)] + [{}, {}])
    view = create_view(user_client, table)
    for direction in ("DESC", "ASC"):
        sort = add_sort(user_client, view["id"], field.id, direction)
        expected = grid_ids(user_client, view["id"])
        assert len(expected) == 8
        assert walk(user_client, table, expected[0], view_id=view["id"]) == expected
        backwards = walk(user_client, table, expected[-1], view_id=view["id"], previous="1")
        assert backwards == expected[::-1]
        user_client.delete(f"{VIEWS}/sort/{sort['id']}/")


def test_adjacent_and_history_are_documented_as_jwt_only(api_client):
    paths = api_client.get("/api/schema.json").json()["paths"]
    rows = "/api/database/rows/table/{table_id}/{row_id}"
    adjacent = paths[f"{rows}/adjacent/"]["get"]
    history = paths[f"{rows}/history/"]["get"]
    assert adjacent["operationId"] == "get_adjacent_database_table_row"
    assert history["operationId"] == "get_database_table_row_history"
    for operation in (adjacent, history):
        assert operation["security"] == [{"JWT": []}]
        assert operation["tags"] == ["Database table rows"]
    assert set(adjacent["responses"]) == {"200", "204", "400", "401", "404"}
    names = {parameter["name"] for parameter in adjacent["parameters"]}
    assert {"previous", "view_id", "search", "search_mode", "user_field_names"} <= names
    assert {parameter["name"] for parameter in history["parameters"]} >= {"limit", "offset"}
    results = history["responses"]["200"]["content"]["application/json"]["schema"]
    assert "$ref" in results or "properties" in results
