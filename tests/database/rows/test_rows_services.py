"""Row services and selectors without HTTP."""

import pytest

from api.exceptions import RequestBodyValidationError
from database.rows import services
from database.rows.errors import OrderByFieldNotFound, RowDoesNotExist, RowIdsNotUnique
from database.rows.params import split_names
from database.rows.selectors import RowQuery, rows_get, rows_list, table_for_rows
from database.tables.errors import TableDoesNotExist
from tests.database.helpers import insert_rows, read_rows
from workspaces.errors import UserNotInWorkspace


def test_gate(user, other_user, table):
    assert table_for_rows(actor=user, table_id=table.id, operation="read") == table
    with pytest.raises(UserNotInWorkspace):
        table_for_rows(actor=other_user, table_id=table.id, operation="read")
    with pytest.raises(TableDoesNotExist):
        table_for_rows(actor=user, table_id=999999, operation="read")


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("a,b", ["a", "b"]),
        ('"a,b",c', ["a,b", "c"]),
        ('-"x \\"y\\", z"', ['-x "y", z']),
        (" , a ,", ["a"]),
    ],
)
def test_split_names(text, names):
    assert split_names(text) == names


def test_create_and_update_through_services(table, people):
    rows = services.rows_create(table=table, items=[{"Name": "a"}, {}], user_field_names=True)
    ids = [row.id for row in rows]
    assert [row["order"] for row in read_rows(table)] == [
        "1.00000000000000000000",
        "2.00000000000000000000",
    ]
    services.rows_update(table=table, items=[{"id": ids[1], people.name.db_column: "b"}])
    assert [row[people.name.db_column] for row in read_rows(table)] == ["a", "b"]


def test_rows_create_unchecked_keeps_its_contract(table, people):
    ids = services.rows_create_unchecked(
        table=table, rows=[{people.name.db_column: "x", people.tags.db_column: ["Open"]}]
    )
    assert ids == [read_rows(table)[0]["id"]]
    assert read_rows(table)[0][people.tags.db_column][0]["value"] == "Open"
    with pytest.raises(RequestBodyValidationError):
        services.rows_create_unchecked(table=table, rows=[{people.age.db_column: "x"}])


def test_repeated_before_inserts_keep_orders_distinct(table):
    (last,) = insert_rows(table, [{}])
    for _ in range(30):
        services.rows_create(table=table, items=[{}], before_id=last)
    orders = [row["order"] for row in read_rows(table)]
    assert len(set(orders)) == 31
    assert orders == sorted(orders)


def test_batch_errors(table):
    (row_id,) = insert_rows(table, [{}])
    with pytest.raises(RowIdsNotUnique):
        services.rows_delete(table=table, row_ids=[row_id, row_id])
    with pytest.raises(RowDoesNotExist) as caught:
        services.rows_delete(table=table, row_ids=[5, row_id, 6])
    assert caught.value.ids == [5, 6]
    assert len(read_rows(table)) == 1


def test_list_and_get_selectors(table, people):
    a, b = insert_rows(table, [{people.name.db_column: "b"}, {people.name.db_column: "a"}])
    queryset, fields, *_ = rows_list(
        table=table, query=RowQuery(order_by="Name", user_field_names=True)
    )
    assert [row.id for row in queryset] == [b, a]
    assert people.name in fields
    with pytest.raises(OrderByFieldNotFound):
        rows_list(table=table, query=RowQuery(order_by="Nope"))
    assert [row.id for row in rows_get(table=table, row_ids=[b, a])] == [b, a]
    with pytest.raises(RowDoesNotExist):
        rows_get(table=table, row_ids=[a, 42])
