"""Row placement with `before` / `before_id` keeps working when the gaps between orders run out.

Halving the gap below one row exhausts the stored precision (20 decimals on PostgreSQL, a float
on SQLite) after a few dozen inserts at one spot; the table is then renumbered 1..n in SQL and
the row placed in the opened gap. The listing must stay exactly as the placements asked.
"""

from decimal import Decimal

from database import table_models
from database.rows import services
from database.tables.models import Table
from tests.database.helpers import insert_rows, read_rows
from tests.database.rows.conftest import list_url, move_url

INSERTS = 200


def listing(client, table: Table) -> list[dict]:
    rows, page = [], 1
    while True:
        response = client.get(list_url(table.id), {"page": page, "size": 200})
        assert response.status_code == 200, response.json()
        rows += response.json()["results"]
        if response.json()["next"] is None:
            return rows
        page += 1


def assert_orders_distinct(table: Table) -> None:
    orders = [Decimal(row["order"]) for row in read_rows(table)]
    assert len(set(orders)) == len(orders)
    assert orders == sorted(orders)


def test_200_inserts_before_the_same_row_keep_the_exact_order(client, table):
    first, target, last = insert_rows(table, [{}, {}, {}])
    created = []
    for _ in range(INSERTS):
        response = client.post(f"{list_url(table.id)}?before={target}", {}, format="json")
        assert response.status_code == 200, response.json()
        created.append(response.json()["id"])
    assert [row["id"] for row in listing(client, table)] == [first, *created, target, last]
    assert_orders_distinct(table)


def test_batches_before_the_same_row_keep_the_exact_order(client, table):
    first, target = insert_rows(table, [{}, {}])
    created = []
    for _ in range(40):
        rows = services.rows_create(table=table, items=[{}] * 5, before_id=target)
        created += [row.id for row in rows]
    assert [row["id"] for row in listing(client, table)] == [first, *created, target]
    assert_orders_distinct(table)


def test_200_moves_before_the_same_row_keep_the_exact_order(client, table):
    first, target, last = insert_rows(table, [{}, {}, {}])
    moving = insert_rows(table, [{} for _ in range(INSERTS)])
    for row_id in moving:
        response = client.patch(f"{move_url(table.id, row_id)}?before_id={target}")
        assert response.status_code == 200, response.json()
    assert [row["id"] for row in listing(client, table)] == [first, *moving, target, last]
    assert_orders_distinct(table)


def test_renumbering_keeps_trashed_rows_in_place(client, table):
    first, trashed, target = insert_rows(table, [{}, {}, {}])
    services.rows_delete(table=table, row_ids=[trashed])
    created = [
        services.rows_create(table=table, items=[{}], before_id=target)[0].id for _ in range(80)
    ]
    assert [row["id"] for row in listing(client, table)] == [first, *created, target]
    assert_orders_distinct(table)
    # Renumbering also numbers trashed rows: this one still sits between `first` and the rest.
    model = table_models.get_model(Table.objects.get(id=table.id))
    every_row = list(model.objects.order_by("order", "id").values_list("id", flat=True))
    assert every_row == [first, trashed, *created, target]


def test_appends_follow_every_placed_row(client, table):
    (target,) = insert_rows(table, [{}])
    for _ in range(70):
        services.rows_create(table=table, items=[{}], before_id=target)
    (appended,) = services.rows_create(table=table, items=[{}])
    assert [row["id"] for row in listing(client, table)][-2:] == [target, appended.id]
    assert_orders_distinct(table)
