"""Created rows are answered from the INSERT itself, exactly as a read of them gives them."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from database.fields.models import SelectOption
from tests.database.helpers import insert_rows, primary_of
from tests.database.rows.conftest import add, batch_url, list_url

COLORS = [{"value": "Open", "color": "blue"}, {"value": "Closed", "color": "red"}]


@pytest.fixture
def every_type(user, table, projects):
    """`table` with a field of each type whose cells a create answers, but no count field."""
    budget = add(user, projects, "number", "Budget", number_decimal_places=1)
    project_name = primary_of(projects).db_column
    project_ids = insert_rows(
        projects, [{project_name: "Alpha", budget.db_column: "1.5"}, {project_name: "Beta"}]
    )
    fields = {
        "name": primary_of(table),
        "long": add(user, table, "long_text", "Notes"),
        "amount": add(
            user, table, "number", "Amount", number_decimal_places=2, number_negative=True
        ),
        "done": add(user, table, "boolean", "Done"),
        "due": add(user, table, "date", "Due", date_include_time=True, date_format="ISO"),
        "day": add(user, table, "date", "Day", date_format="EU"),
        "status": add(user, table, "single_select", "Status", select_options=COLORS),
        "tags": add(user, table, "multiple_select", "Tags", select_options=COLORS),
        "stars": add(user, table, "rating", "Stars", max_value=5),
        "email": add(user, table, "email", "Email"),
        "url": add(user, table, "url", "Site"),
        "spent": add(user, table, "duration", "Spent", duration_format="h:mm:ss"),
        "link": add(user, table, "link_row", "Projects", link_row_table_id=projects.id),
        "number": add(user, table, "autonumber", "Number"),
        "created": add(user, table, "created_on", "Created"),
        "changed": add(user, table, "last_modified", "Changed"),
    }
    fields["budgets"] = add(
        user,
        table,
        "lookup",
        "Budgets",
        through_field_id=fields["link"].id,
        target_field_id=budget.id,
    )
    return fields, project_ids


def items(fields: dict, project_ids: list[int], n: int) -> list[dict]:
    status = SelectOption.objects.filter(field=fields["status"]).order_by("id")
    tags = SelectOption.objects.filter(field=fields["tags"]).order_by("id")
    made = []
    for k in range(n):
        made.append(
            {
                fields["name"].db_column: f'Row {k} \u00e9\u4e2d "quoted" \\ {{x}}',
                fields["long"].db_column: f"line one\nline two {k}" if k % 2 else None,
                fields["amount"].db_column: f"{k}.{k % 100:02d}" if k % 3 else "-0.50",
                fields["done"].db_column: k % 2 == 0,
                fields["due"].db_column: f"2026-12-{k % 28 + 1:02d}T10:{k % 60:02d}:00Z",
                fields["day"].db_column: None if k % 4 == 0 else f"2020-02-{k % 29 + 1:02d}",
                fields["status"].db_column: status[k % 2].id if k % 5 else None,
                fields["tags"].db_column: [tags[1].id, tags[0].id] if k % 2 else [],
                fields["stars"].db_column: k % 6,
                fields["email"].db_column: f"a{k}@example.com",
                fields["url"].db_column: f"https://example.com/{k}",
                fields["spent"].db_column: k * 61,
                fields["link"].db_column: project_ids[: k % 3],
            }
        )
    return made


def read_back(client, table, ids: list[int]) -> list[dict]:
    rows = client.get(f"{list_url(table.id)}?size=200").json()["results"]
    by_id = {row["id"]: row for row in rows}
    return [by_id[row_id] for row_id in ids]


@pytest.mark.django_db
def test_created_rows_are_answered_without_reading_them_back(client, table, every_type):
    fields, project_ids = every_type
    own_rows = re.compile(rf'^SELECT "database_table_{table.id}"\.')
    sent = items(fields, project_ids, 12)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(batch_url(table.id), {"items": sent}, format="json")
        assert response.status_code == 200, response.json()
    # The one read of the table's rows: their names in the linked Projects rows' related cells
    # (those rows' `rows_updated` event), right after that relation. The new rows' own cells
    # are not read back.
    sql = [q["sql"] for q in queries]
    reads = [index for index, text in enumerate(sql) if own_rows.match(text)]
    assert len(reads) == 1
    assert sql[reads[0] - 1].startswith('SELECT "database_relation_')
    created = response.json()["items"]
    assert created == read_back(client, table, [row["id"] for row in created])
    assert [row[fields["name"].db_column] for row in created] == [
        item[fields["name"].db_column] for item in sent
    ]
    assert [len(row[fields["budgets"].db_column]) for row in created[:3]] == [0, 1, 2]

    single = client.post(list_url(table.id), items(fields, project_ids, 3)[2], format="json")
    assert single.status_code == 200, single.json()
    assert single.json() == read_back(client, table, [single.json()["id"]])[0]


@pytest.mark.django_db
def test_rows_placed_before_a_row_are_answered_with_their_orders(client, table, every_type):
    fields, project_ids = every_type
    first, target = insert_rows(table, [{}, {}])
    response = client.post(
        f"{batch_url(table.id)}?before={target}",
        {"items": items(fields, project_ids, 3)},
        format="json",
    )
    assert response.status_code == 200, response.json()
    created = response.json()["items"]
    ids = [row["id"] for row in created]
    assert created == read_back(client, table, ids)
    listed = client.get(list_url(table.id)).json()["results"]
    assert [row["id"] for row in listed] == [first, *ids, target]
    orders = [row["order"] for row in created]
    assert orders == sorted(orders, key=float) and len(set(orders)) == 3


@pytest.mark.django_db
def test_created_rows_with_a_count_field_are_read_back(client, table, projects, people):
    # A count cell is computed in the rows query (an annotation): those rows are read again.
    (project,) = insert_rows(projects, [{people.project_name.db_column: "Alpha"}])
    response = client.post(
        batch_url(table.id),
        {
            "items": [
                {people.name.db_column: "a", people.link.db_column: [project]},
                {people.name.db_column: "b"},
            ]
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    created = response.json()["items"]
    assert [row[people.count.db_column] for row in created] == ["1", "0"]
    assert created == read_back(client, table, [row["id"] for row in created])
