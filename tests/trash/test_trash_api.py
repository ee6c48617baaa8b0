"""The trash through the API: each item type trashed, listed, restored intact, emptied."""

import pytest
from django.db import connection

from database.fields.models import Field
from database.tables.selectors import table_counts
from tests.database.helpers import add_field, column_types, insert_rows, primary_of
from trash.models import TrashEntry

pytestmark = pytest.mark.django_db

RESTORE = "/api/trash/restore/"


def contents(client, workspace_id, application_id=None):
    query = {} if application_id is None else {"application_id": application_id}
    response = client.get(f"/api/trash/workspace/{workspace_id}/", query)
    assert response.status_code == 200, response.json()
    return response.json()


def restore(client, item_type, item_id, parent_id=None):
    body = {"trash_item_type": item_type, "trash_item_id": item_id}
    if parent_id is not None:
        body["parent_trash_item_id"] = parent_id
    return client.patch(RESTORE, body, format="json")


def rows(client, table):
    response = client.get(f"/api/database/rows/table/{table.id}/")
    assert response.status_code == 200, response.json()
    return response.json()["results"]


def field_names(client, table):
    return [f["name"] for f in client.get(f"/api/database/fields/table/{table.id}/").json()]


def test_a_trashed_field_keeps_its_column_and_comes_back_with_its_cells(user_client, table):
    notes = add_field(table, "Notes")
    insert_rows(table, [{notes.db_column: "first"}, {notes.db_column: "second"}])

    assert user_client.delete(f"/api/database/fields/{notes.id}/").status_code == 200

    assert field_names(user_client, table) == ["Name"]
    assert all(notes.db_column not in row for row in rows(user_client, table))
    assert notes.db_column in column_types(table)  # no data copied, no table rewrite
    filtered = user_client.get(
        f"/api/database/rows/table/{table.id}/", {f"filter__{notes.db_column}__equal": "first"}
    )
    assert filtered.json()["error"] == "ERROR_FILTER_FIELD_NOT_FOUND"
    listed = contents(user_client, table.database.workspace_id, table.database_id)
    (entry,) = listed["results"]
    assert listed["count"] == 1 and listed["next"] is None
    assert (entry["trash_item_type"], entry["trash_item_id"], entry["name"]) == (
        "field",
        notes.id,
        "Notes",
    )
    assert (entry["parent_trash_item_id"], entry["parent_name"]) == (None, table.name)
    assert (entry["application"], entry["workspace"]) == (
        table.database_id,
        table.database.workspace_id,
    )
    assert entry["user_who_trashed"] == "Ada"

    assert restore(user_client, "field", notes.id).status_code == 204

    assert field_names(user_client, table) == ["Name", "Notes"]
    assert [row[notes.db_column] for row in rows(user_client, table)] == ["first", "second"]
    assert not TrashEntry.objects.exists()


def test_a_restored_field_whose_name_was_taken_gets_another(user_client, table):
    notes = add_field(table, "Notes")
    user_client.delete(f"/api/database/fields/{notes.id}/")
    add_field(table, "Notes")
    assert restore(user_client, "field", notes.id).status_code == 204
    # It keeps its place among the fields.
    assert field_names(user_client, table) == ["Name", "Notes (Restored)", "Notes"]


def _link(table, other):
    field = add_field(
        table, "Other", "link_row", link_row_table_id=other.id, has_related_field=True
    )
    return field, Field.objects.get(id=field.link_row_related_field_id)


def test_a_trashed_link_takes_its_counterpart_along_and_both_come_back(user_client, table, other):
    link, reverse = _link(table, other)
    (target,) = insert_rows(other, [{primary_of(other).db_column: "Alpha"}])
    insert_rows(table, [{link.db_column: [target]}])

    assert user_client.delete(f"/api/database/fields/{link.id}/").status_code == 200
    assert field_names(user_client, other) == ["Name"]
    assert reverse.db_column not in rows(user_client, other)[0]

    assert restore(user_client, "field", link.id).status_code == 204

    assert field_names(user_client, other) == ["Name", reverse.name]
    assert [v["value"] for v in rows(user_client, table)[0][link.db_column]] == ["Alpha"]
    assert [v["id"] for v in rows(user_client, other)[0][reverse.db_column]] == [1]


def test_a_trashed_table_comes_back_with_its_rows_and_links_both_sides(user_client, table, other):
    link, reverse = _link(table, other)
    (target,) = insert_rows(other, [{primary_of(other).db_column: "Alpha"}])
    insert_rows(table, [{link.db_column: [target]}])

    assert user_client.delete(f"/api/database/tables/{other.id}/").status_code == 204

    assert user_client.get(f"/api/database/tables/{other.id}/").status_code == 404
    assert user_client.get(f"/api/database/rows/table/{other.id}/").status_code == 404
    assert field_names(user_client, table) == ["Name"]
    assert other.db_table in connection.introspection.table_names()
    (entry,) = contents(user_client, table.database.workspace_id, table.database_id)["results"]
    assert (entry["trash_item_type"], entry["name"]) == ("table", "Other")

    assert restore(user_client, "table", other.id).status_code == 204

    assert [row[primary_of(other).db_column] for row in rows(user_client, other)] == ["Alpha"]
    assert field_names(user_client, table) == ["Name", "Other"]
    assert [v["value"] for v in rows(user_client, table)[0][link.db_column]] == ["Alpha"]
    assert [v["id"] for v in rows(user_client, other)[0][reverse.db_column]] == [1]


def test_a_trashed_view_comes_back_with_its_filters(user_client, table):
    created = user_client.post(
        f"/api/database/views/table/{table.id}/", {"name": "Mine", "type": "grid"}, format="json"
    ).json()
    user_client.post(
        f"/api/database/views/{created['id']}/filters/",
        {"field": primary_of(table).id, "type": "equal", "value": "x"},
        format="json",
    )

    assert user_client.delete(f"/api/database/views/{created['id']}/").status_code == 204
    listed = user_client.get(f"/api/database/views/table/{table.id}/").json()
    assert "Mine" not in [view["name"] for view in listed]
    assert user_client.get(f"/api/database/views/{created['id']}/").status_code == 404

    assert restore(user_client, "view", created["id"]).status_code == 204

    view = user_client.get(f"/api/database/views/{created['id']}/", {"include": "filters"})
    assert view.json()["name"] == "Mine"
    assert [f["value"] for f in view.json()["filters"]] == ["x"]


def test_a_trashed_row_needs_its_table_and_comes_back_in_history(user_client, table):
    name = primary_of(table).db_column
    first, _second = insert_rows(table, [{name: "Ada"}, {name: "Alan"}])

    url = f"/api/database/rows/table/{table.id}/{first}/"
    assert user_client.delete(url).status_code == 204
    (entry,) = contents(user_client, table.database.workspace_id, table.database_id)["results"]
    assert (entry["trash_item_type"], entry["trash_item_id"], entry["name"]) == (
        "row",
        first,
        "Ada",
    )
    assert entry["parent_trash_item_id"] == table.id

    response = restore(user_client, "row", first)
    assert response.json()["error"] == "ERROR_PARENT_ID_MUST_BE_PROVIDED"
    assert restore(user_client, "row", first, table.id).status_code == 204

    assert [row[name] for row in rows(user_client, table)] == ["Ada", "Alan"]
    assert table_counts(table)[0] == 2
    history = user_client.get(f"{url}history/").json()["results"]
    assert [h["action_type"] for h in history] == ["restore_from_trash"]


def test_a_batch_of_trashed_rows_is_one_entry(user_client, table):
    name = primary_of(table).db_column
    ids = insert_rows(table, [{name: "Ada"}, {name: "Alan"}, {name: "Grace"}])
    response = user_client.post(
        f"/api/database/rows/table/{table.id}/batch-delete/", {"items": ids[:2]}, format="json"
    )
    assert response.status_code == 204
    (entry,) = contents(user_client, table.database.workspace_id, table.database_id)["results"]
    assert (entry["trash_item_type"], entry["names"]) == ("rows", ["Ada", "Alan"])

    assert restore(user_client, "rows", entry["trash_item_id"], table.id).status_code == 204

    assert [row[name] for row in rows(user_client, table)] == ["Ada", "Alan", "Grace"]


def test_a_trashed_database_and_workspace_come_back(user_client, table):
    workspace_id, database_id = table.database.workspace_id, table.database_id
    assert user_client.delete(f"/api/applications/{database_id}/").status_code == 204
    structure = user_client.get("/api/trash/").json()["workspaces"]
    (mine,) = [w for w in structure if w["id"] == workspace_id]
    expected = {"id": database_id, "name": "Test database", "trashed": True, "type": "database"}
    assert expected in mine["applications"]
    (entry,) = contents(user_client, workspace_id)["results"]
    assert entry["trash_item_type"] == "application"

    assert user_client.delete(f"/api/workspaces/{workspace_id}/").status_code == 204
    response = restore(user_client, "application", database_id)
    assert response.json()["error"] == "ERROR_CANNOT_RESTORE_PARENT_BEFORE_CHILD"
    structure = user_client.get("/api/trash/").json()["workspaces"]
    assert [w["trashed"] for w in structure if w["id"] == workspace_id] == [True]

    assert restore(user_client, "workspace", workspace_id).status_code == 204
    assert restore(user_client, "application", database_id).status_code == 204
    assert [row["id"] for row in rows(user_client, table)] == []
    assert user_client.get(f"/api/database/tables/{table.id}/").status_code == 200


def test_restore_errors(user_client, table, other):
    link, _ = _link(table, other)
    assert restore(user_client, "field", 999).json()["error"] == "ERROR_TRASH_ITEM_DOES_NOT_EXIST"
    assert restore(user_client, "field", 999).status_code == 404
    user_client.delete(f"/api/database/fields/{link.id}/")
    response = restore(user_client, "field", link.id, table.id)
    assert response.json()["error"] == "ERROR_PARENT_ID_MUST_NOT_BE_PROVIDED"
    user_client.delete(f"/api/database/tables/{other.id}/")
    response = restore(user_client, "field", link.id)
    assert response.json()["error"] == "ERROR_CANT_RESTORE_AS_RELATED_TABLE_TRASHED"
    notes = add_field(table, "Notes")
    user_client.delete(f"/api/database/fields/{notes.id}/")
    user_client.delete(f"/api/database/tables/{table.id}/")
    response = restore(user_client, "field", notes.id)
    assert response.json()["error"] == "ERROR_CANNOT_RESTORE_PARENT_BEFORE_CHILD"
    bad = user_client.patch(RESTORE, {"trash_item_type": "nope", "trash_item_id": 1}, format="json")
    assert bad.json()["error"] == "ERROR_REQUEST_BODY_VALIDATION"


def test_emptying_an_application_trash_deletes_for_good_at_once(user_client, table, other):
    notes = add_field(table, "Notes")
    user_client.delete(f"/api/database/fields/{notes.id}/")
    user_client.delete(f"/api/database/tables/{other.id}/")
    workspace_id, database_id = table.database.workspace_id, table.database_id

    response = user_client.delete(
        f"/api/trash/workspace/{workspace_id}/", {"application_id": database_id}
    )

    assert response.status_code == 204
    assert contents(user_client, workspace_id, database_id)["count"] == 0
    assert notes.db_column not in column_types(table)
    assert other.db_table not in connection.introspection.table_names()
    assert not Field.objects_and_trash.filter(id=notes.id).exists()
    assert restore(user_client, "field", notes.id).status_code == 404


def test_the_trash_is_for_members_only(user_client, client_for, other_user, table):
    notes = add_field(table, "Notes")
    user_client.delete(f"/api/database/fields/{notes.id}/")
    workspace_id = table.database.workspace_id
    outsider = client_for(other_user)

    listed = outsider.get(f"/api/trash/workspace/{workspace_id}/")
    assert (listed.status_code, listed.json()["error"]) == (400, "ERROR_USER_NOT_IN_GROUP")
    emptied = outsider.delete(f"/api/trash/workspace/{workspace_id}/")
    assert emptied.json()["error"] == "ERROR_USER_NOT_IN_GROUP"
    assert restore(outsider, "field", notes.id).json()["error"] == "ERROR_USER_NOT_IN_GROUP"
    structure = outsider.get("/api/trash/").json()["workspaces"]
    assert workspace_id not in [w["id"] for w in structure]
    assert TrashEntry.objects.count() == 1
    assert user_client.get("/api/trash/workspace/99999/").json()["error"] == (
        "ERROR_GROUP_DOES_NOT_EXIST"
    )
    foreign = outsider.get("/api/trash/").json()["workspaces"][0]["id"]
    response = user_client.get(f"/api/trash/workspace/{foreign}/")
    assert response.json()["error"] == "ERROR_USER_NOT_IN_GROUP"
    response = user_client.get(f"/api/trash/workspace/{workspace_id}/", {"application_id": 99999})
    assert response.json()["error"] == "ERROR_APPLICATION_DOES_NOT_EXIST"


def test_contents_are_paged_by_100(user_client, table):
    name = primary_of(table).db_column
    ids = insert_rows(table, [{name: str(i)} for i in range(101)])
    for row_id in ids:
        user_client.delete(f"/api/database/rows/table/{table.id}/{row_id}/")
    workspace_id, database_id = table.database.workspace_id, table.database_id
    first = contents(user_client, workspace_id, database_id)
    assert (first["count"], len(first["results"])) == (101, 100)
    assert first["next"] is not None
    second = user_client.get(first["next"]).json()
    assert [entry["name"] for entry in second["results"]] == ["0"]


def test_a_lookup_through_a_trashed_link_comes_back_with_it(user_client, table, other):
    link, _ = _link(table, other)
    lookup = add_field(
        table,
        "Looked up",
        "lookup",
        through_field_id=link.id,
        target_field_id=primary_of(other).id,
    )
    (target,) = insert_rows(other, [{primary_of(other).db_column: "Alpha"}])
    insert_rows(table, [{link.db_column: [target]}])

    user_client.delete(f"/api/database/fields/{link.id}/")
    assert rows(user_client, table)[0][lookup.db_column] in ([], None)
    user_client.delete(f"/api/database/tables/{other.id}/")
    assert len(rows(user_client, table)) == 1

    assert restore(user_client, "table", other.id).status_code == 204
    assert restore(user_client, "field", link.id).status_code == 204
    assert [v["value"] for v in rows(user_client, table)[0][lookup.db_column]] == ["Alpha"]
