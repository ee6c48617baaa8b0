"""Saved sorts: endpoints, errors, every sortable field type, and the indexes serving them."""

import pytest
from django.db import connection

from database import table_models
from database.fields.services import field_delete, field_update
from database.tables.models import Table
from database.views.models import ViewSort
from tests.database.filters.helpers import create
from tests.database.helpers import insert_rows, primary_of, purge_trash
from tests.database.views.helpers import VIEWS, add_sort, create_view, grid_ids
from tests.database.views.test_filters import PLAIN_TYPES, SAMPLE_CELLS, make_field

# A lookup of a text field (the linked primary) sorts; lookups of other fields do not.
SORTABLE = [*PLAIN_TYPES, "lookup"]
UNSORTABLE_LOOKUPS = ["number", "date", "boolean", "single_select"]


def rows_list_ids(client, table, order_by: str) -> list[int]:
    response = client.get(f"/api/database/rows/table/{table.id}/?order_by={order_by}")
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


@pytest.mark.parametrize("field_type", SORTABLE)
def test_sort_on_every_sortable_field_type(user, user_client, table, make_table, field_type):
    field, _ = make_field(user, table, make_table, field_type, None)
    if field_type not in SAMPLE_CELLS and field_type != "single_select":
        insert_rows(table, [{}])
    view = create_view(user_client, table)
    sort = add_sort(user_client, view["id"], field.id, "DESC")
    assert grid_ids(user_client, view["id"]) == rows_list_ids(user_client, table, f"-{field.id}")
    user_client.patch(f"{VIEWS}/sort/{sort['id']}/", {"order": "ASC"}, format="json")
    ascending = grid_ids(user_client, view["id"])
    assert ascending == rows_list_ids(user_client, table, f"{field.id}")
    via_rows = user_client.get(f"/api/database/rows/table/{table.id}/?view_id={view['id']}")
    assert [row["id"] for row in via_rows.json()["results"]] == ascending


def test_sorts_order_rows(user_client, table, user):
    age = create(user, table, "number", "Age")
    name = primary_of(table)
    a, b, c, d = insert_rows(
        table,
        [
            {name.db_column: "b", age.db_column: "1"},
            {name.db_column: "a", age.db_column: "2"},
            {name.db_column: "a", age.db_column: "1"},
            {name.db_column: None, age.db_column: "9"},
        ],
    )
    view = create_view(user_client, table)
    add_sort(user_client, view["id"], name.id, "ASC")
    add_sort(user_client, view["id"], age.id, "DESC")
    assert grid_ids(user_client, view["id"]) == [d, b, c, a]
    # order_by overrides the view's sorts.
    assert grid_ids(user_client, view["id"], f"order_by=field_{age.id}") == [a, c, b, d]


@pytest.mark.parametrize("target", UNSORTABLE_LOOKUPS)
def test_lookups_of_non_text_fields_are_refused(user, user_client, table, make_table, target):
    field, _ = make_field(user, table, make_table, "lookup", target)
    view = create_view(user_client, table)
    response = user_client.post(f"{VIEWS}/{view['id']}/sortings/", {"field": field.id})
    assert response.status_code == 400
    assert response.json()["error"] == "ERROR_VIEW_SORT_FIELD_NOT_SUPPORTED"


def test_sort_endpoints_and_errors(user_client, table, make_table):
    name = primary_of(table)
    view = create_view(user_client, table)
    sort = add_sort(user_client, view["id"], name.id)
    assert sort == {
        "id": sort["id"],
        "view": view["id"],
        "field": name.id,
        "order": "ASC",
        "type": "default",
    }
    assert user_client.get(f"{VIEWS}/{view['id']}/sortings/").json() == [sort]
    url = f"{VIEWS}/sort/{sort['id']}/"
    assert user_client.get(url).json() == sort
    post = user_client.post

    def error(view_id, body):
        response = post(f"{VIEWS}/{view_id}/sortings/", body, format="json")
        assert response.status_code == 400, response.json()
        return response.json()["error"]

    assert error(view["id"], {"field": name.id}) == "ERROR_VIEW_SORT_FIELD_ALREADY_EXISTS"
    foreign = primary_of(make_table("Other")).id
    assert error(view["id"], {"field": foreign}) == "ERROR_FIELD_NOT_IN_TABLE"
    assert error(view["id"], {"field": name.id, "order": "UP"}) == "ERROR_REQUEST_BODY_VALIDATION"
    form = create_view(user_client, table, "form")
    assert error(form["id"], {"field": name.id}) == "ERROR_VIEW_SORT_NOT_SUPPORTED"
    other_field = create_view(user_client, table)
    second = add_sort(user_client, other_field["id"], name.id)
    assert second["view"] == other_field["id"]  # one sort per field per view, not per table
    weird = user_client.patch(url, {"type": "order"}, format="json")
    assert weird.json()["error"] == "ERROR_VIEW_SORT_FIELD_NOT_SUPPORTED"
    assert user_client.delete(url).status_code == 204
    for method in ("get", "patch", "delete"):
        response = getattr(user_client, method)(url, {"order": "DESC"}, format="json")
        assert response.status_code == 404
        assert response.json()["error"] == "ERROR_VIEW_SORT_DOES_NOT_EXIST"


def test_another_users_sort(client_for, other_user, user_client, table):
    view = create_view(user_client, table)
    sort = add_sort(user_client, view["id"], primary_of(table).id)
    stranger = client_for(other_user)
    for method in ("get", "patch", "delete"):
        url = f"{VIEWS}/sort/{sort['id']}/"
        response = getattr(stranger, method)(url, {"order": "DESC"}, format="json")
        assert response.status_code == 400
        assert response.json()["error"] == "ERROR_USER_NOT_IN_GROUP"
    assert ViewSort.objects.filter(id=sort["id"]).exists()


# The indexes serving the sorts.


def sort_index_columns(table: Table) -> dict[str, list[str]]:
    """The sort indexes of the table in the database catalog, with their columns."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table.db_table)
    prefix = table_models.sort_index_prefix(table.id)
    return {
        name: info["columns"]
        for name, info in constraints.items()
        if info["index"] and name.startswith(prefix)
    }


def test_a_saved_sort_gets_an_index_which_goes_when_the_sort_goes(user_client, table):
    name = primary_of(table)
    view = create_view(user_client, table)
    assert sort_index_columns(table) == {}
    sort = add_sort(user_client, view["id"], name.id, "DESC")
    assert list(sort_index_columns(table).values()) == [[name.db_column, "order", "id"]]
    # A second view with the same sort shares the index.
    twin = create_view(user_client, table)
    add_sort(user_client, twin["id"], name.id, "DESC")
    assert len(sort_index_columns(table)) == 1
    user_client.delete(f"{VIEWS}/sort/{sort['id']}/")
    assert len(sort_index_columns(table)) == 1  # the twin still needs it
    user_client.delete(f"{VIEWS}/{twin['id']}/")
    assert len(sort_index_columns(table)) == 1  # kept while the view waits in the trash
    purge_trash()
    assert sort_index_columns(table) == {}


def test_the_index_follows_sort_changes(user, user_client, table):
    name = primary_of(table)
    age = create(user, table, "number", "Age")
    view = create_view(user_client, table)
    sort = add_sort(user_client, view["id"], name.id)
    add_sort(user_client, view["id"], age.id, "DESC")
    assert list(sort_index_columns(table).values()) == [
        [name.db_column, age.db_column, "order", "id"]
    ]
    before = set(sort_index_columns(table))
    user_client.patch(f"{VIEWS}/sort/{sort['id']}/", {"order": "DESC"}, format="json")
    after = set(sort_index_columns(table))
    assert len(after) == 1 and after != before  # the direction is part of the index


def test_deleting_a_sorted_field_drops_its_sort_and_index(user, user_client, table):
    age = create(user, table, "number", "Age")
    insert_rows(table, [{age.db_column: "3"}])
    view = create_view(user_client, table)
    add_sort(user_client, view["id"], age.id)
    assert sort_index_columns(table)
    field_delete(user=user, field=age)
    assert not ViewSort.objects.filter(view_id=view["id"]).exists()
    assert len(grid_ids(user_client, view["id"])) == 1
    purge_trash()
    assert sort_index_columns(table) == {}


def number_lookup(user, table, make_table):
    """A lookup of a number (which does not sort) through a new link of `table`."""
    other = make_table("Budgets")
    link = create(user, table, "link_row", "Budget link", link_row_table_id=other.id)
    budget = create(user, other, "number", "Budget")
    return create(
        user, table, "lookup", "Budgets", through_field_id=link.id, target_field_id=budget.id
    )


def test_type_change_keeps_compatible_sorts_and_reindexes(user, user_client, table, make_table):
    age = create(user, table, "number", "Age")
    insert_rows(table, [{age.db_column: "3"}, {age.db_column: "12"}])
    view = create_view(user_client, table)
    add_sort(user_client, view["id"], age.id)
    field_update(user=user, field=age, type="text")
    assert ViewSort.objects.filter(view_id=view["id"]).count() == 1
    assert list(sort_index_columns(table).values()) == [[age.db_column, "order", "id"]]
    field_update(user=user, field=age, type="multiple_select")
    assert ViewSort.objects.filter(view_id=view["id"]).count() == 1  # sorts, unindexed
    budgets = number_lookup(user, table, make_table)
    field_update(user=user, field=age, type="lookup", options=budgets.options)
    assert not ViewSort.objects.filter(view_id=view["id"]).exists()
    assert sort_index_columns(table) == {}


def test_a_duplicated_table_gets_the_indexes_of_its_views(user, user_client, table):
    from database.compose.tables import table_duplicate

    view = create_view(user_client, table)
    add_sort(user_client, view["id"], primary_of(table).id)
    copy = table_duplicate(user=user, table_id=table.id)
    assert list(sort_index_columns(copy).values()) == [[primary_of(copy).db_column, "order", "id"]]


def test_a_single_select_sorts_and_groups_by_its_options_order(user, user_client, table):
    """The sort type `order` sorts by the options' order on the field, not their values."""
    name = primary_of(table)
    options = [{"value": v, "color": "blue"} for v in ("Zeta", "Alpha", "Mid")]
    status = create(user, table, "single_select", "Status", select_options=options)
    zeta, alpha, mid = (o.id for o in status.select_options.order_by("order", "id"))
    a, b, c, d = insert_rows(
        table,
        [
            {name.db_column: "a", status.db_column: mid},
            {name.db_column: "b", status.db_column: zeta},
            {name.db_column: "c"},
            {name.db_column: "d", status.db_column: alpha},
        ],
    )
    view = create_view(user_client, table)
    by_order = add_sort(user_client, view["id"], status.id, type="order")
    assert by_order["type"] == "order"
    rows_url = f"/api/database/rows/table/{table.id}/?view_id={view['id']}"
    assert grid_ids(user_client, view["id"]) == [c, b, d, a]  # empty, Zeta, Alpha, Mid
    assert [row["id"] for row in user_client.get(rows_url).json()["results"]] == [c, b, d, a]
    assert rows_list_ids(user_client, table, f"field_{status.id}[order]") == [c, b, d, a]
    url = f"{VIEWS}/sort/{by_order['id']}/"
    assert user_client.patch(url, {"type": "default"}, format="json").json()["type"] == "default"
    assert grid_ids(user_client, view["id"]) == [c, d, a, b]  # by value: Alpha, Mid, Zeta
    for sort_type in ("unknown", ""):
        response = user_client.patch(url, {"type": sort_type}, format="json")
        assert response.status_code == 400
    assert ViewSort.objects.get(id=by_order["id"]).type == "default"
    assert user_client.delete(url).status_code == 204

    # Group-bys take the same types, and their descending order.
    group_url = f"{VIEWS}/{view['id']}/group_bys/"
    body = {"field": status.id, "order": "DESC", "type": "order"}
    group_by = user_client.post(group_url, body, format="json").json()
    assert group_by["type"] == "order"
    assert grid_ids(user_client, view["id"]) == [a, d, b, c]
    text_only = {"field": name.id, "type": "order"}
    refused = user_client.post(group_url, text_only, format="json").json()
    assert refused["error"] == "ERROR_VIEW_GROUP_BY_FIELD_NOT_SUPPORTED"
    group_by_url = f"{VIEWS}/group_by/{group_by['id']}/"
    changed = user_client.patch(group_by_url, {"type": "default"}, format="json").json()
    assert changed["type"] == "default"
    assert grid_ids(user_client, view["id"]) == [b, a, d, c]  # Zeta, Mid, Alpha, empty
    user_client.patch(group_by_url, {"type": "order"}, format="json")

    # A type change keeps the sorts its new type can serve and removes the others.
    kept = add_sort(user_client, view["id"], status.id)
    field_update(user=user, field=status, type="text")
    assert list(ViewSort.objects.filter(view_id=view["id"]).values_list("id", flat=True)) == [
        kept["id"]
    ]
    response = user_client.get(f"{VIEWS}/{view['id']}/?include=group_bys").json()
    assert response["group_bys"] == []
