"""/api/database/rows/table/{id}/: create, get, update, delete, move, and the gate."""

import pytest
from django.urls import reverse

from tests.database.helpers import insert_rows
from tests.database.rows.conftest import batch_url, item_url, list_url, move_url

NOT_MEMBER = {"error": "ERROR_USER_NOT_IN_GROUP", "detail": ""}
TABLE_MISSING = {
    "error": "ERROR_TABLE_DOES_NOT_EXIST",
    "detail": "The requested table does not exist.",
}


def missing(*ids) -> dict:
    return {"error": "ERROR_ROW_DOES_NOT_EXIST", "detail": f"The rows {list(ids)} do not exist."}


def test_create_round_trips_every_type(client, table, projects, people):
    (project,) = insert_rows(projects, [{people.project_name.db_column: "Apollo"}])
    body = {
        people.name.db_column: "Ada",
        people.age.db_column: 36,
        people.done.db_column: True,
        people.status.db_column: people.open.id,
        people.tags.db_column: [people.tag_open.id],
        people.link.db_column: [project],
        "unknown": "ignored",
    }
    response = client.post(list_url(table.id), body, format="json")
    assert response.status_code == 200, response.json()
    row = response.json()
    assert row["order"] == "1.00000000000000000000"
    assert row[people.name.db_column] == "Ada"
    assert row[people.age.db_column] == "36"
    assert row[people.done.db_column] is True
    assert row[people.status.db_column] == {"id": people.open.id, "value": "Open", "color": "blue"}
    assert row[people.tags.db_column] == [
        {"id": people.tag_open.id, "value": "Open", "color": "blue"}
    ]
    assert row[people.link.db_column] == [
        {"id": project, "value": "Apollo", "order": "1.00000000000000000000"}
    ]
    assert row[people.count.db_column] == "1"
    assert row[people.created.db_column][:2] == "20"
    assert "unknown" not in row
    fetched = client.get(item_url(table.id, row["id"])).json()
    assert fetched == row


def test_create_with_defaults_and_user_field_names(client, table, people):
    url = list_url(table.id) + "?user_field_names=true"
    response = client.post(url, {"Name": "Alan", "Age": "7"}, format="json")
    assert response.status_code == 200
    row = response.json()
    assert row["Name"] == "Alan"
    assert row["Age"] == "7"
    assert row["Done"] is False
    assert row["Status"] is None
    assert row["Tags"] == []
    assert row["Projects"] == []
    assert set(row) == {
        "id",
        "order",
        "Name",
        "Age",
        "Done",
        "Status",
        "Tags",
        "Projects",
        "Project count",
        "Created",
    }


def test_create_validation_errors_name_the_field(client, table, people):
    response = client.post(list_url(table.id), {people.age.db_column: "abc"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "ERROR_REQUEST_BODY_VALIDATION"
    assert list(body["detail"]) == [people.age.db_column]
    assert body["detail"][people.age.db_column][0]["code"] == "invalid"
    named = client.post(list_url(table.id) + "?user_field_names", {"Age": "x"}, format="json")
    assert list(named.json()["detail"]) == ["Age"]


def test_create_read_only_field_gives_string_detail(client, table, people):
    response = client.post(list_url(table.id), {people.count.db_column: 3}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "error": "ERROR_REQUEST_BODY_VALIDATION",
        "detail": "Field of type count is read only and should not be set manually.",
    }


def test_create_rejects_a_non_object_body(client, table):
    response = client.post(list_url(table.id), [1, 2], format="json")
    assert response.status_code == 400
    assert response.json()["error"] == "ERROR_REQUEST_BODY_VALIDATION"


def test_create_before_puts_the_row_between_neighbours(client, table, people):
    first, second = insert_rows(table, [{}, {}])
    response = client.post(f"{list_url(table.id)}?before={second}", {}, format="json")
    assert response.json()["order"] == "1.50000000000000000000"
    top = client.post(f"{list_url(table.id)}?before={first}", {}, format="json").json()
    assert top["order"] == "0.50000000000000000000"
    ids = [row["id"] for row in client.get(list_url(table.id)).json()["results"]]
    assert ids == [top["id"], first, response.json()["id"], second]


def test_create_before_unknown_row(client, table):
    response = client.post(f"{list_url(table.id)}?before=999", {}, format="json")
    assert response.status_code == 404
    assert response.json() == missing(999)
    bad = client.post(f"{list_url(table.id)}?before=x", {}, format="json")
    assert bad.json()["error"] == "ERROR_QUERY_PARAMETER_VALIDATION"
    # As in Baserow, the query string is validated before the table is looked up.
    for url in (list_url(table.id + 1000), batch_url(table.id + 1000)):
        bad = client.post(f"{url}?before=x", {"items": [{}]}, format="json")
        assert (bad.status_code, bad.json()["error"]) == (400, "ERROR_QUERY_PARAMETER_VALIDATION")


def test_get_unknown_row(client, table):
    response = client.get(item_url(table.id, 5))
    assert response.status_code == 404
    assert response.json() == missing(5)


def test_update_changes_only_the_given_cells(client, table, people):
    (row_id,) = insert_rows(table, [{people.name.db_column: "Ada", people.age.db_column: 1}])
    body = {people.age.db_column: 2, people.tags.db_column: ["Open"], "id": 999}
    response = client.patch(item_url(table.id, row_id), body, format="json")
    assert response.status_code == 200
    row = response.json()
    assert row["id"] == row_id
    assert row[people.name.db_column] == "Ada"
    assert row[people.age.db_column] == "2"
    assert [tag["value"] for tag in row[people.tags.db_column]] == ["Open"]
    named = client.patch(
        item_url(table.id, row_id) + "?user_field_names=1", {"Name": "Bo"}, format="json"
    )
    assert named.json()["Name"] == "Bo"


def test_update_errors(client, table, people):
    (row_id,) = insert_rows(table, [{}])
    bad = client.patch(item_url(table.id, row_id), {people.age.db_column: "x"}, format="json")
    assert bad.status_code == 400
    assert people.age.db_column in bad.json()["detail"]
    read_only = client.patch(
        item_url(table.id, row_id), {people.created.db_column: "x"}, format="json"
    )
    assert read_only.json()["detail"] == (
        "Field of type created_on is read only and should not be set manually."
    )
    gone = client.patch(item_url(table.id, 999), {}, format="json")
    assert gone.status_code == 404
    assert gone.json() == missing(999)


def test_delete_trashes_the_row_and_never_reuses_its_id(client, table, people):
    first, second = insert_rows(table, [{}, {}])
    response = client.delete(item_url(table.id, second))
    assert response.status_code == 204
    assert response.content == b""
    assert client.get(item_url(table.id, second)).status_code == 404
    assert client.delete(item_url(table.id, second)).json() == missing(second)
    listing = client.get(list_url(table.id)).json()
    assert listing["count"] == 1
    assert [row["id"] for row in listing["results"]] == [first]
    new = client.post(list_url(table.id), {}, format="json").json()
    assert new["id"] > second


def test_trashed_rows_vanish_from_links_and_counts(client, table, projects, people):
    (project,) = insert_rows(projects, [{people.project_name.db_column: "X"}])
    (row_id,) = insert_rows(table, [{people.link.db_column: [project]}])
    client.delete(item_url(projects.id, project))
    row = client.get(item_url(table.id, row_id)).json()
    assert row[people.link.db_column] == []
    assert row[people.count.db_column] == "0"


def test_move_before_and_to_the_end(client, table):
    a, b, c = insert_rows(table, [{}, {}, {}])
    response = client.patch(f"{move_url(table.id, c)}?before_id={b}")
    assert response.status_code == 200
    assert response.json()["order"] == "1.50000000000000000000"
    end = client.patch(move_url(table.id, a) + "?user_field_names").json()
    assert end["order"] == "3.00000000000000000000"
    assert "Name" in end
    ids = [row["id"] for row in client.get(list_url(table.id)).json()["results"]]
    assert ids == [c, b, a]
    assert client.patch(f"{move_url(table.id, a)}?before_id=99").json() == missing(99)
    assert client.patch(move_url(table.id, 99)).json() == missing(99)


@pytest.mark.parametrize(
    ("method", "url_of"),
    [
        ("get", lambda t, r: list_url(t)),
        ("post", lambda t, r: list_url(t)),
        ("get", item_url),
        ("patch", item_url),
        ("delete", item_url),
        ("patch", move_url),
        ("post", lambda t, r: reverse("api:rows:batch", kwargs={"table_id": t})),
        ("patch", lambda t, r: reverse("api:rows:batch", kwargs={"table_id": t})),
        ("post", lambda t, r: reverse("api:rows:batch_delete", kwargs={"table_id": t})),
    ],
)
def test_gate_on_every_endpoint(client_for, other_user, client, table, method, url_of):
    (row_id,) = insert_rows(table, [{}])
    body = {"items": [row_id]}  # a body batch delete takes (it checks bodies first)
    outsider = getattr(client_for(other_user), method)(
        url_of(table.id, row_id), body, format="json"
    )
    assert outsider.status_code == 400
    assert outsider.json() == NOT_MEMBER
    unknown = getattr(client, method)(url_of(999999, row_id), body, format="json")
    assert unknown.status_code == 404
    assert unknown.json() == TABLE_MISSING
    anonymous = getattr(client.__class__(), method)(url_of(table.id, row_id))
    assert anonymous.status_code == 401


def test_huge_numbers_are_answered_cleanly(client, table):
    huge = 10**25
    assert client.get(item_url(table.id, huge)).json() == missing(huge)
    page = client.get(list_url(table.id), {"page": huge}).json()
    assert page["results"] == []
    before = client.post(f"{list_url(table.id)}?before={huge}", {}, format="json")
    assert before.json()["error"] == "ERROR_QUERY_PARAMETER_VALIDATION"
    batch = reverse("api:rows:batch", kwargs={"table_id": table.id})
    update = client.patch(batch, {"items": [{"id": huge}]}, format="json")
    assert update.json()["detail"]["items"]["0"]["id"][0]["code"] == "invalid"
