"""Details of the rows API where Baserow's clients depend on Baserow's own behaviour.

Legacy filter parameters, include/exclude selecting nothing, form bodies, and row ids given as
text.
"""

import json

from tests.database.helpers import insert_rows
from tests.database.rows.conftest import batch_delete_url, batch_url, item_url, list_url
from tests.database.rows.test_rows_filters import ids_of


def test_legacy_filter_by_row_ids(client, table, people, five):
    a, b, c, *_ = five
    url = list_url(table.id)
    assert ids_of(client.get(url, {"filter__field_id__in": f"{c},{a},x,"})) == [a, c]
    # Combined with the other filters, as one of them.
    age = f"filter__field_{people.age.id}__higher_than"
    assert ids_of(client.get(url, {"filter__field_id__in": f"{a},{b},{c}", age: "40"})) == [b, c]
    assert ids_of(client.get(url, {"filter__field_id__in": "none"})) == five


def test_legacy_filter_keys_naming_no_field_are_ignored(client, table, people, five):
    url = list_url(table.id)
    everything = ids_of(client.get(url))
    # Neither a field name (with user field names) nor a field id: ignored, as in Baserow.
    for key in ("filter__Nope__contains", f"filter__field_{people.name.id}__contains__x"):
        assert ids_of(client.get(url, {key: "ada", "user_field_names": "1"})) == everything
    # A field id the table does not have is still an error.
    missing = client.get(url, {"filter__field_999999__contains": "a"})
    assert missing.status_code == 400
    assert missing.json()["error"] == "ERROR_FILTER_FIELD_NOT_FOUND"
    named = client.get(url, {"filter__Name__contains": "ada", "user_field_names": "1"})
    assert len(ids_of(named)) == 1


def test_include_of_unknown_fields_only_gives_every_field(client, table, people, five):
    url = list_url(table.id)
    every = set(client.get(url).json()["results"][0])
    assert set(client.get(url, {"include": "field_999999"}).json()["results"][0]) == every
    both = {"include": f"field_{people.age.id}", "exclude": f"field_{people.age.id}"}
    assert set(client.get(url, both).json()["results"][0]) == every


def test_form_bodies_create_and_update_rows(client, table, people):
    name, age = people.name.db_column, people.age.db_column
    created = client.post(list_url(table.id), {name: "Form", age: "12"})  # multipart
    assert created.status_code == 200, created.json()
    assert (created.json()[name], created.json()[age]) == ("Form", "12")
    row_id = created.json()["id"]
    updated = client.patch(
        item_url(table.id, row_id),
        f"{age}=13",
        content_type="application/x-www-form-urlencoded",
    )
    assert updated.status_code == 200, updated.json()
    assert (updated.json()[name], updated.json()[age]) == ("Form", "13")


def test_batch_update_takes_row_ids_as_text(client, table, people):
    a, b = insert_rows(table, [{}, {}])
    age = people.age.db_column
    items = [{"id": str(a), age: 1}, {"id": b, age: 2}]
    response = client.patch(batch_url(table.id), {"items": items}, format="json")
    assert response.status_code == 200, response.json()
    assert [row["id"] for row in response.json()["items"]] == [a, b]
    for bad in ("x", "1.5", True, None, 0):
        response = client.patch(batch_url(table.id), {"items": [{"id": bad}]}, format="json")
        assert response.status_code == 400
        assert response.json()["detail"]["items"]["0"]["id"] == [
            {"error": "A valid integer is required.", "code": "invalid"}
        ]


def test_filters_nested_past_the_decoder_are_a_clear_400(client, table):
    response = client.get(list_url(table.id), {"filters": "[" * 20_000})
    assert response.status_code == 400
    assert response.json() == {
        "error": "ERROR_FILTERS_PARAM_VALIDATION_ERROR",
        "detail": {"error": "The provided filters are not valid JSON.", "code": "invalid_json"},
    }


def test_legacy_filters_on_the_row_timestamps(client, table, people, five):
    """`field_created_on` / `field_updated_on` read the rows' own timestamps, no field needed."""
    url = list_url(table.id)
    for column in ("field_created_on", "field_updated_on"):
        assert ids_of(client.get(url, {f"filter__{column}__date_is": "UTC??today"})) == five
        assert ids_of(client.get(url, {f"filter__{column}__date_is_before": "UTC??today"})) == []
        assert ids_of(client.get(url, {f"filter__{column}__not_empty": ""})) == five
    # Only in the legacy parameters, as in Baserow: the filters JSON names real fields.
    on_created = {"field": "field_created_on", "type": "empty", "value": ""}
    tree = json.dumps({"filter_type": "AND", "filters": [on_created]})
    response = client.get(url, {"filters": tree, "user_field_names": "1"})
    assert response.status_code == 400
    assert response.json()["error"] == "ERROR_FILTER_FIELD_NOT_FOUND"


def test_batch_delete_checks_its_body_before_the_table(client_for, other_user, client, table):
    url = batch_delete_url(table.id)
    for asking, table_url in ((client_for(other_user), url), (client, batch_delete_url(999999))):
        response = asking.post(table_url, {"items": []}, format="json")
        assert response.status_code == 400
        assert response.json()["error"] == "ERROR_REQUEST_BODY_VALIDATION"
