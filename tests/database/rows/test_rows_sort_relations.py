"""Sorting by counts, links, lookups and multiple selects: their order, on the list and views."""

import pytest

from tests.database.helpers import insert_rows, primary_of
from tests.database.rows.conftest import add, item_url, list_url
from tests.database.rows.test_rows_list import ids_of
from tests.database.views.helpers import add_sort, create_view, grid_ids


def both_ways(client, table, view, field) -> tuple[list[int], list[int]]:
    """The rows ascending and descending by `field`; the view's sort agrees with `order_by`."""
    orders = []
    for sign, direction in (("", "ASC"), ("-", "DESC")):
        listed = ids_of(client.get(list_url(table.id), {"order_by": f"{sign}field_{field.id}"}))
        sort = add_sort(client, view["id"], field.id, direction)
        assert grid_ids(client, view["id"]) == listed
        client.delete(f"/api/database/views/sort/{sort['id']}/")
        orders.append(listed)
    return orders[0], orders[1]


@pytest.fixture
def linked(table, projects, people):
    """Projects a, b, "a b" (in that table order) and six rows linking to them."""
    name = people.project_name.db_column
    pa, pb, pab = insert_rows(projects, [{name: "a"}, {name: "b"}, {name: "a b"}])
    link = people.link.db_column
    cells = [[pb], [], [pb, pa], [pab], [pa], [pb]]
    return (pa, pb, pab), insert_rows(table, [{link: cell} for cell in cells])


def test_counts_sort_by_the_number_of_live_links(client, table, projects, people, linked):
    (pa, _, _), (r1, r2, r3, r4, r5, r6) = linked
    view = create_view(client, table)
    ascending, descending = both_ways(client, table, view, people.count)
    # Ties (1 link) keep the table order both ways; no links count 0.
    assert ascending == [r2, r1, r4, r5, r6, r3]
    assert descending == [r3, r1, r4, r5, r6, r2]
    assert client.delete(item_url(projects.id, pa)).status_code == 204
    ascending, _ = both_ways(client, table, view, people.count)
    assert ascending == [r2, r5, r1, r3, r4, r6]  # trashed links are not counted


@pytest.mark.parametrize("kind", ["link_row", "lookup"])
def test_links_and_lookups_sort_by_the_linked_texts(
    client, user, table, projects, people, linked, kind
):
    """As Baserow's arrays: values in the linked table's order, compared one by one."""
    (pa, _, _), (r1, r2, r3, r4, r5, r6) = linked
    field = people.link
    if kind == "lookup":
        field = add(
            user,
            table,
            "lookup",
            "Names",
            through_field_id=people.link.id,
            target_field_id=people.project_name.id,
        )
    view = create_view(client, table)
    ascending, descending = both_ways(client, table, view, field)
    # [] < [a] < [a, b] (r3 linked b, then a) < ["a b"] < [b] = [b]; empty first ascending.
    assert ascending == [r2, r5, r3, r4, r1, r6]
    assert descending == [r1, r6, r4, r3, r5, r2]
    assert client.delete(item_url(projects.id, pa)).status_code == 204
    ascending, _ = both_ways(client, table, view, field)
    assert ascending == [r2, r5, r4, r1, r3, r6]  # trashed rows are left out


def test_multiple_selects_sort_by_the_values_joined_in_the_order_chosen(client, table, people):
    open_, closed = people.tag_open.id, people.tags.select_options.get(value="Closed").id
    tags = people.tags.db_column
    cells = [[closed, open_], [open_], [], [open_, closed], [open_]]
    r1, r2, r3, r4, r5 = insert_rows(table, [{tags: cell} for cell in cells])
    view = create_view(client, table)
    ascending, descending = both_ways(client, table, view, people.tags)
    # "" < "Closed,Open" < "Open" = "Open" < "Open,Closed": as chosen, not in the options' order.
    assert ascending == [r3, r1, r2, r5, r4]
    assert descending == [r4, r2, r5, r1, r3]


def test_links_to_a_table_without_a_text_primary_are_refused(client, user, table, make_table):
    other = make_table("Numbers")
    primary = primary_of(other)
    response = client.patch(
        f"/api/database/fields/{primary.id}/", {"type": "number"}, format="json"
    )
    assert response.status_code == 200, response.json()
    link = add(user, table, "link_row", "Numbers", link_row_table_id=other.id)
    response = client.get(list_url(table.id), {"order_by": f"field_{link.id}"})
    assert response.status_code == 400
    assert response.json()["error"] == "ERROR_ORDER_BY_FIELD_NOT_POSSIBLE"
    view = create_view(client, table)
    response = client.post(f"/api/database/views/{view['id']}/sortings/", {"field": link.id})
    assert response.json()["error"] == "ERROR_VIEW_SORT_FIELD_NOT_SUPPORTED"


@pytest.mark.parametrize("field_name", ["count", "link", "tags"])
@pytest.mark.parametrize("sign", ["", "-"])
def test_sorted_list_cost_does_not_grow_with_the_page(
    client, table, projects, people, django_assert_max_num_queries, field_name, sign
):
    projects_ids = insert_rows(
        projects, [{people.project_name.db_column: f"P{n}"} for n in range(3)]
    )
    rows = [
        {
            people.tags.db_column: [people.tag_open.id] if n % 2 else [],
            people.link.db_column: projects_ids[: n % 4],
        }
        for n in range(60)
    ]
    insert_rows(table, rows)
    field = getattr(people, field_name)
    query = {"order_by": f"{sign}field_{field.id}"}
    url = list_url(table.id)
    client.get(url, {**query, "size": 2})  # builds and caches the table's model
    # Auth, membership, table, count, rows and one per prefetched relation, as unsorted.
    with django_assert_max_num_queries(8):
        response = client.get(url, {**query, "size": 60})
    results = response.json()["results"]
    assert len(results) == 60
    counts = [int(row[people.count.db_column]) for row in results]
    if field_name == "count":
        assert counts == sorted(counts, reverse=bool(sign))
