"""Counts of filtered and searched lists are cached per version of the table, and stay exact.

A table whose cells are all its own caches the count of a filtered list under its data and
schema versions: the same request on an unchanged table does not count again, and every
write of rows (through any process: the version is in the database) or of the schema gives
a fresh count. Conditions on links, lookups and counts (and searches) always count.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from database.fields.models import Field
from database.fields.services import field_update
from database.rows import services
from database.tables.models import Table
from tests.database.helpers import insert_rows
from tests.database.rows.conftest import add, batch_delete_url, batch_url, item_url, list_url
from tests.database.views.helpers import VIEWS, add_filter, create_view


@pytest.fixture
def scores(user, table):
    """`table` with Name and Score, rows a..e scoring 10, 20, 30, 40, 50."""
    score = add(user, table, "number", "Score")
    name_field = Field.objects.get(table=table, primary=True)
    ids = insert_rows(
        table,
        [
            {name_field.db_column: letter, score.db_column: value}
            for letter, value in zip("abcde", (10, 20, 30, 40, 50), strict=True)
        ],
    )
    return {"score": score, "name": name_field, "ids": ids}


def listed(client, url: str) -> tuple[int, int]:
    """(count, COUNT queries run) of one list request."""
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, response.json()
    counts = [q["sql"] for q in context.captured_queries if "COUNT(" in q["sql"].upper()]
    return response.json()["count"], len(counts)


def over(table, scores, threshold: int) -> str:
    return f"{list_url(table.id)}?filter__field_{scores['score'].id}__higher_than={threshold}"


def test_the_same_filtered_list_counts_once(client, table, scores):
    url = over(table, scores, 25)

    assert listed(client, url) == (3, 1)
    assert listed(client, url) == (3, 0)
    assert listed(client, f"{url}&page=2&size=1") == (3, 0)  # paging on: the same count
    assert listed(client, over(table, scores, 35)) == (2, 1)


def test_every_row_write_gives_a_fresh_count(client, table, scores):
    url, column = over(table, scores, 25), scores["score"].db_column
    assert listed(client, url) == (3, 1)

    response = client.post(list_url(table.id), {column: "99"}, format="json")
    assert response.status_code == 200
    assert listed(client, url) == (4, 1)
    assert listed(client, url) == (4, 0)

    first = scores["ids"][0]
    response = client.patch(item_url(table.id, first), {column: "26"}, format="json")
    assert response.status_code == 200
    assert listed(client, url) == (5, 1)

    items = [{"id": first, column: "1"}, {"id": scores["ids"][1], column: "30"}]
    assert client.patch(batch_url(table.id), {"items": items}, format="json").status_code == 200
    assert listed(client, url) == (5, 1)

    body = {"items": scores["ids"][2:4]}
    assert client.post(batch_delete_url(table.id), body, format="json").status_code == 204
    assert listed(client, url) == (3, 1)


def test_writes_through_the_services_give_a_fresh_count(client, table, scores):
    # What another process would do: only the version in the database tells this one.
    url, column = over(table, scores, 25), scores["score"].db_column
    assert listed(client, url) == (3, 1)

    services.rows_create(table=Table.objects.get(id=table.id), items=[{column: "70"}])
    assert listed(client, url) == (4, 1)

    services.rows_delete(table=Table.objects.get(id=table.id), row_ids=[scores["ids"][4]])
    assert listed(client, url) == (3, 1)


def test_a_schema_change_gives_a_fresh_count(user, client, table, scores):
    url = over(table, scores, 25)
    assert listed(client, url) == (3, 1)

    # Rounding to no decimal places keeps the values: the count stays, but is read again.
    field_update(user=user, field=scores["score"], options={"number_decimal_places": 0})

    assert listed(client, url) == (3, 1)


def test_searches_and_grid_views_count_once(client, table, scores):
    search = f"{list_url(table.id)}?search=c"
    assert listed(client, search) == (1, 1)
    assert listed(client, search) == (1, 0)

    view = create_view(client, table)
    add_filter(client, view["id"], scores["score"].id, "higher_than", "15")
    grid = f"{VIEWS}/grid/{view['id']}/"
    assert listed(client, grid) == (4, 1)
    assert listed(client, grid) == (4, 0)
    assert listed(client, f"{grid}?limit=2&offset=2") == (4, 0)


def test_unfiltered_lists_use_the_maintained_count(client, table, scores):
    assert listed(client, list_url(table.id)) == (5, 0)

    view = create_view(client, table)
    assert listed(client, f"{VIEWS}/grid/{view['id']}/") == (5, 0)


def test_conditions_on_other_tables_always_count(user, client, table, scores, make_table):
    """A table with a link still caches counts filtered on its own cells; conditions that read
    linked rows (a filter on the link, a search, which covers every field) always count."""
    projects = make_table("Projects")
    link = add(user, table, "link_row", "Projects", link_row_table_id=projects.id)
    project = Field.objects.get(table=projects, primary=True)
    (p1,) = insert_rows(projects, [{project.db_column: "Apollo"}])
    a, b, *_ = scores["ids"]
    client.patch(item_url(table.id, a), {link.db_column: [p1]}, format="json")
    client.patch(item_url(table.id, b), {link.db_column: [p1]}, format="json")
    url = over(table, scores, 25)
    assert listed(client, url) == (3, 1)
    assert listed(client, url) == (3, 0)

    on_link = f"{list_url(table.id)}?filter__field_{link.id}__link_row_contains=apollo"
    searched = f"{list_url(table.id)}?search=apollo"
    assert listed(client, on_link) == (2, 1)
    assert listed(client, searched) == (2, 1)
    # A write in the linked table only: this table's version stays, its counts change.
    client.patch(item_url(projects.id, p1), {project.db_column: "Gemini"}, format="json")
    assert listed(client, on_link) == (0, 1)
    assert listed(client, searched) == (0, 1)
    assert listed(client, url) == (3, 0)
