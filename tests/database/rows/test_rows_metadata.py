"""`include=metadata` on a row, `include_metadata` on batch writes."""

from database.fields.models import Field
from tests.database.helpers import insert_rows
from tests.database.rows.conftest import batch_url, item_url


def test_get_row_with_metadata(client, table, people):
    (row_id,) = insert_rows(table, [{people.name.db_column: "Ada"}])
    plain = client.get(item_url(table.id, row_id)).json()
    assert "metadata" not in plain
    with_metadata = client.get(item_url(table.id, row_id), {"include": "metadata"})
    assert with_metadata.status_code == 200
    assert with_metadata.json() == {**plain, "metadata": {}}


def test_batch_create_include_metadata_lists_every_field(client, table, people):
    body = {"items": [{people.name.db_column: "Ada"}]}
    plain = client.post(batch_url(table.id), body, format="json").json()
    assert list(plain) == ["items"]
    response = client.post(f"{batch_url(table.id)}?include_metadata=true", body, format="json")
    assert response.status_code == 200
    field_ids = set(Field.objects.filter(table=table).values_list("id", flat=True))
    assert set(response.json()["metadata"]["updated_field_ids"]) == field_ids


def test_batch_update_include_metadata_lists_the_written_fields(client, table, people):
    first, second = insert_rows(table, [{}, {}])
    items = [
        {"id": first, "Name": "Ada"},
        {"id": second, "Age": 3, "Unknown": "ignored"},
    ]
    response = client.patch(
        f"{batch_url(table.id)}?include_metadata=1&user_field_names=true",
        {"items": items},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert sorted(response.json()["metadata"]["updated_field_ids"]) == sorted(
        [people.name.id, people.age.id]
    )
