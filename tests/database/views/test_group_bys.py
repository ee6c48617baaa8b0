"""Group-bys: endpoints, errors, rows grouped before sorted, their index, copies."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from database.fields.services import field_update
from database.views.models import ViewGroupBy
from tests.database.filters.helpers import create
from tests.database.helpers import insert_rows, primary_of
from tests.database.views.helpers import VIEWS, add_filter, add_sort, create_view, grid_ids
from tests.database.views.test_sorts import number_lookup, sort_index_columns


def add_group_by(client, view_id, field_id, order="ASC"):
    body = {"field": field_id, "order": order}
    response = client.post(f"{VIEWS}/{view_id}/group_bys/", body, format="json")
    assert response.status_code == 200, response.json()
    return response.json()


def team_rows(user, table):
    """The primary field, a text field "Team", and rows a (red), b (blue), c (red)."""
    name = primary_of(table)
    team = create(user, table, "text", "Team")
    rows = insert_rows(
        table,
        [
            {name.db_column: "a", team.db_column: "red"},
            {name.db_column: "b", team.db_column: "blue"},
            {name.db_column: "c", team.db_column: "red"},
        ],
    )
    return name, team, rows


def test_group_bys_order_rows_before_sorts(user, user_client, table):
    name, team, (a, b, c) = team_rows(user, table)
    view = create_view(user_client, table)
    add_sort(user_client, view["id"], name.id, "DESC")
    group_by = add_group_by(user_client, view["id"], team.id)
    assert group_by == {
        "id": group_by["id"],
        "view": view["id"],
        "field": team.id,
        "order": "ASC",
        "width": 200,
        "type": "default",
    }
    assert grid_ids(user_client, view["id"]) == [b, c, a]
    assert list(sort_index_columns(table).values()) == [
        [team.db_column, name.db_column, "order", "id"]
    ]
    included = user_client.get(f"{VIEWS}/{view['id']}/?include=group_bys").json()
    assert included["group_bys"] == [group_by]
    copy = user_client.post(f"{VIEWS}/{view['id']}/duplicate/").json()
    assert [g["field"] for g in copy["group_bys"]] == [team.id]


def test_group_by_endpoints_and_errors(
    user, user_client, table, make_table, client_for, other_user
):
    name = primary_of(table)
    view = create_view(user_client, table)
    group_by = add_group_by(user_client, view["id"], name.id)
    assert user_client.get(f"{VIEWS}/{view['id']}/group_bys/").json() == [group_by]
    url = f"{VIEWS}/group_by/{group_by['id']}/"
    assert user_client.get(url).json() == group_by
    changed = user_client.patch(url, {"order": "DESC", "width": 300}, format="json").json()
    assert (changed["order"], changed["width"]) == ("DESC", 300)

    def error(view_id, body):
        response = user_client.post(f"{VIEWS}/{view_id}/group_bys/", body, format="json")
        assert response.status_code == 400, response.json()
        return response.json()["error"]

    assert error(view["id"], {"field": name.id}) == "ERROR_VIEW_GROUP_BY_FIELD_ALREADY_EXISTS"
    foreign = primary_of(make_table("Other")).id
    assert error(view["id"], {"field": foreign}) == "ERROR_FIELD_NOT_IN_TABLE"
    budgets = number_lookup(user, table, make_table)
    assert error(view["id"], {"field": budgets.id}) == "ERROR_VIEW_GROUP_BY_FIELD_NOT_SUPPORTED"
    # Multiple selects, links and counts group by their sort keys.
    tags = create(user, table, "multiple_select", "Tags")
    link = create(user, table, "link_row", "Link", link_row_table_id=table.id)
    count = create(user, table, "count", "Links", through_field_id=link.id)
    for field in (tags, link, count):
        add_group_by(user_client, view["id"], field.id)
    gallery = create_view(user_client, table, "gallery")
    assert error(gallery["id"], {"field": name.id}) == "ERROR_VIEW_GROUP_BY_NOT_SUPPORTED"
    stranger = client_for(other_user)
    for method in ("get", "patch", "delete"):
        response = getattr(stranger, method)(url, {"order": "ASC"}, format="json")
        assert response.json()["error"] == "ERROR_USER_NOT_IN_GROUP"
    assert user_client.delete(url).status_code == 204
    assert sort_index_columns(table) == {}
    for method in ("get", "patch", "delete"):
        response = getattr(user_client, method)(url, {"order": "ASC"}, format="json")
        assert response.status_code == 404
        assert response.json()["error"] == "ERROR_VIEW_GROUP_BY_DOES_NOT_EXIST"


def test_type_change_removes_group_bys_that_no_longer_sort(user, user_client, table, make_table):
    team = create(user, table, "text", "Team")
    view = create_view(user_client, table)
    add_group_by(user_client, view["id"], team.id)
    field_update(user=user, field=team, type="multiple_select")
    assert ViewGroupBy.objects.filter(view_id=view["id"]).exists()
    budgets = number_lookup(user, table, make_table)
    field_update(user=user, field=team, type="lookup", options=budgets.options)
    assert not ViewGroupBy.objects.filter(view_id=view["id"]).exists()
    assert sort_index_columns(table) == {}


def test_rows_list_reads_a_view_in_three_queries(user, user_client, table):
    name, team, (a, b, c) = team_rows(user, table)
    view = create_view(user_client, table)
    add_sort(user_client, view["id"], team.id, "DESC")
    add_sort(user_client, view["id"], name.id, "DESC")
    add_group_by(user_client, view["id"], team.id)
    add_filter(user_client, view["id"], name.id, "not_equal", "zzz")
    url = f"/api/database/rows/table/{table.id}/?view_id={view['id']}"
    with CaptureQueriesContext(connection) as queries:
        response = user_client.get(url)
    # The view; its filters with their groups; its group-bys with its sorts.
    assert sum('"database_view' in q["sql"] for q in queries) == 3
    # The group-by orders Team ascending; the sort on Team is left out, the one on Name stays.
    assert [row["id"] for row in response.json()["results"]] == [b, c, a]
    assert grid_ids(user_client, view["id"]) == [b, c, a]
