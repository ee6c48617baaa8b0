"""/api/database/rows/table/{id}/batch/ and batch-delete/: all or nothing, at most 200 items."""

from django.db import connection

from database import table_models
from database.tables.models import Table
from tests.database.helpers import insert_rows, read_rows
from tests.database.rows.conftest import batch_delete_url, batch_url, list_url


def live_ids(table) -> list[int]:
    return [row["id"] for row in read_rows(table)]


def test_batch_create_returns_rows_in_input_order(client, table, people):
    items = [{people.name.db_column: "A"}, {people.name.db_column: "B", people.age.db_column: 2}]
    response = client.post(batch_url(table.id), {"items": items}, format="json")
    assert response.status_code == 200
    rows = response.json()["items"]
    assert [row[people.name.db_column] for row in rows] == ["A", "B"]
    assert [row["order"] for row in rows] == ["1.00000000000000000000", "2.00000000000000000000"]
    assert rows[1][people.age.db_column] == "2"
    assert rows[0][people.done.db_column] is False


def test_batch_create_before_and_with_names(client, table, people):
    (last,) = insert_rows(table, [{}])
    url = f"{batch_url(table.id)}?before={last}&user_field_names=true"
    response = client.post(url, {"items": [{"Name": "x"}, {"Name": "y"}]}, format="json")
    rows = response.json()["items"]
    assert [row["Name"] for row in rows] == ["x", "y"]
    assert rows[0]["order"] < rows[1]["order"] < "1"
    assert live_ids(table) == [rows[0]["id"], rows[1]["id"], last]


def test_batch_create_is_all_or_nothing(client, table, people):
    items = [{people.age.db_column: 1}, {people.age.db_column: "x"}, {people.age.db_column: 3}]
    response = client.post(batch_url(table.id), {"items": items}, format="json")
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert list(detail["items"]) == ["1"]
    assert detail["items"]["1"][people.age.db_column][0]["code"] == "invalid"
    assert live_ids(table) == []


def test_batch_size_limits(client, table):
    too_many = client.post(batch_url(table.id), {"items": [{}] * 201}, format="json")
    assert too_many.status_code == 400
    assert too_many.json()["detail"] == {
        "items": [
            {"error": "Ensure this field has no more than 200 elements.", "code": "max_length"}
        ]
    }
    empty = client.post(batch_url(table.id), {"items": []}, format="json")
    assert empty.json()["detail"]["items"][0]["code"] == "min_length"
    assert (
        client.patch(batch_url(table.id), {"items": [{"id": 1}] * 201}, format="json").json()[
            "detail"
        ]["items"][0]["code"]
        == "max_length"
    )
    assert (
        client.post(
            batch_delete_url(table.id), {"items": list(range(1, 202))}, format="json"
        ).json()["detail"]["items"][0]["code"]
        == "max_length"
    )


def test_batch_create_read_only_field(client, table, people):
    items = [{}, {people.count.db_column: 1}]
    response = client.post(batch_url(table.id), {"items": items}, format="json")
    assert response.json() == {
        "error": "ERROR_REQUEST_BODY_VALIDATION",
        "detail": "Field of type count is read only and should not be set manually.",
    }


def test_batch_create_cost_does_not_grow(client, table, people, django_assert_max_num_queries):
    client.post(batch_url(table.id), {"items": [{}]}, format="json")
    items = [{people.name.db_column: f"n{n}", people.age.db_column: n} for n in range(100)]
    order_lock = 1 if connection.vendor == "postgresql" else 0  # pg_advisory_xact_lock
    with django_assert_max_num_queries(13 + order_lock):  # 13: with the row count's UPDATE
        response = client.post(batch_url(table.id), {"items": items}, format="json")
    assert len(response.json()["items"]) == 100


def test_batch_update(client, table, people):
    a, b = insert_rows(table, [{people.name.db_column: "a"}, {people.name.db_column: "b"}])
    items = [
        {"id": b, people.age.db_column: 5, people.tags.db_column: [people.tag_open.id]},
        {"id": a, people.name.db_column: "A"},
    ]
    response = client.patch(batch_url(table.id), {"items": items}, format="json")
    assert response.status_code == 200
    rows = response.json()["items"]
    assert [row["id"] for row in rows] == [b, a]
    assert rows[0][people.age.db_column] == "5"
    assert rows[0][people.name.db_column] == "b"
    assert len(rows[0][people.tags.db_column]) == 1
    assert rows[1][people.name.db_column] == "A"
    named = client.patch(
        batch_url(table.id) + "?user_field_names", {"items": [{"id": a, "Age": 9}]}, format="json"
    )
    assert named.json()["items"][0]["Age"] == "9"


def test_batch_update_errors(client, table, people):
    a, b = insert_rows(table, [{people.age.db_column: 1}, {}])
    url = batch_url(table.id)
    not_unique = client.patch(url, {"items": [{"id": a}, {"id": a}]}, format="json")
    assert not_unique.status_code == 400
    assert not_unique.json() == {
        "error": "ERROR_ROW_IDS_NOT_UNIQUE",
        "detail": f"The provided row ids [{a}] are not unique.",
    }
    absent = client.patch(url, {"items": [{"id": 998}, {"id": a}, {"id": 999}]}, format="json")
    assert absent.status_code == 404
    assert absent.json() == {
        "error": "ERROR_ROW_DOES_NOT_EXIST",
        "detail": "The rows [998, 999] do not exist.",
    }
    no_id = client.patch(url, {"items": [{"id": a}, {people.age.db_column: "x"}]}, format="json")
    assert no_id.status_code == 400
    item = no_id.json()["detail"]["items"]["1"]
    assert item["id"] == [{"error": "This field is required.", "code": "required"}]
    assert item[people.age.db_column][0]["code"] == "invalid"
    atomic = client.patch(
        url,
        {"items": [{"id": a, people.age.db_column: 7}, {"id": b, people.age.db_column: "x"}]},
        format="json",
    )
    assert atomic.status_code == 400
    assert read_rows(table)[0][people.age.db_column] == "1"


def test_batch_update_cost_does_not_grow(client, table, people, django_assert_max_num_queries):
    ids = insert_rows(table, [{} for _ in range(100)])
    client.patch(batch_url(table.id), {"items": [{"id": ids[0]}]}, format="json")
    items = [
        {"id": row_id, people.name.db_column: f"n{row_id}", people.age.db_column: 3}
        for row_id in ids
    ]
    # 15 with row history: the written cells read before and after, and one insert.
    with django_assert_max_num_queries(15):
        response = client.patch(batch_url(table.id), {"items": items}, format="json")
    assert response.status_code == 200


def test_batch_delete(client, table, people):
    a, b, c = insert_rows(table, [{}, {}, {}])
    url = batch_delete_url(table.id)
    response = client.post(url, {"items": [a, c]}, format="json")
    assert response.status_code == 204
    assert live_ids(table) == [b]
    assert client.get(list_url(table.id)).json()["count"] == 1
    again = client.post(url, {"items": [b, a, 77]}, format="json")
    assert again.status_code == 404
    assert again.json()["detail"] == f"The rows [{a}, 77] do not exist."
    assert live_ids(table) == [b]
    twice = client.post(url, {"items": [b, b]}, format="json")
    assert twice.json()["error"] == "ERROR_ROW_IDS_NOT_UNIQUE"
    bad = client.post(url, {"items": ["x"]}, format="json")
    assert bad.json()["detail"]["items"]["0"][0]["code"] == "invalid"


def test_trashed_rows_keep_their_storage(client, table):
    (row_id,) = insert_rows(table, [{}])
    client.post(batch_delete_url(table.id), {"items": [row_id]}, format="json")
    model = table_models.get_model(Table.objects.get(id=table.id))
    assert model.objects.get(id=row_id).trashed is True


def test_batch_items_must_be_objects(client, table, people):
    """Each item is checked to be an object (its cells are the rows services' to validate)."""
    before = live_ids(table)
    for method in ("post", "patch"):
        items = [{"id": 1, people.name.db_column: "A"}, 7, ["x"]]
        response = getattr(client, method)(batch_url(table.id), {"items": items}, format="json")
        assert response.status_code == 400
        body = response.json()
        assert body["error"] == "ERROR_REQUEST_BODY_VALIDATION"
        assert body["detail"] == {
            "items": {
                "1": [
                    {
                        "error": 'Expected a dictionary of items but got type "int".',
                        "code": "not_a_dict",
                    }
                ],
                "2": [
                    {
                        "error": 'Expected a dictionary of items but got type "list".',
                        "code": "not_a_dict",
                    }
                ],
            }
        }
    assert live_ids(table) == before
