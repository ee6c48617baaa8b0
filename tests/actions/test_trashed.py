"""Undo and redo of creates and deletes that go through the trash."""

from database.applications.models import Application
from database.fields.models import Field
from database.tables.models import Table
from database.views.models import View
from tests.database.helpers import primary_of, read_rows
from trash.models import TrashEntry
from workspaces.models import Workspace


def test_field_create_and_delete_undone_and_redone_with_cells(session, table):
    name = primary_of(table)
    created = session.call(
        "post", f"/api/database/fields/table/{table.id}/", {"name": "Notes", "type": "text"}
    )
    assert session.undo({"table": table.id})["actions"] == [
        {"action_type": "create_field", "action_scope": f"table{table.id}"}
    ]
    assert not Field.objects.filter(id=created["id"]).exists()
    session.redo()
    assert Field.objects.filter(id=created["id"]).exists()

    notes = Field.objects.get(id=created["id"])
    session.call(
        "post",
        f"/api/database/rows/table/{table.id}/",
        {name.db_column: "a", notes.db_column: "kept"},
    )
    session.call("delete", f"/api/database/fields/{notes.id}/")
    assert notes.db_column not in read_rows(table)[0]
    assert session.undo()["actions"][0]["action_type"] == "delete_field"
    assert read_rows(table)[0][notes.db_column] == "kept"
    assert not TrashEntry.objects.filter(trash_item_type="field").exists()
    session.redo()
    assert not Field.objects.filter(id=notes.id).exists()
    assert TrashEntry.objects.filter(trash_item_type="field", trash_item_id=notes.id).exists()


def test_view_create_and_delete_undone_and_redone(session, table):
    view = session.call(
        "post", f"/api/database/views/table/{table.id}/", {"name": "Grid", "type": "grid"}
    )
    session.call(
        "post",
        f"/api/database/views/{view['id']}/filters/",
        {"field": primary_of(table).id, "type": "equal", "value": "x"},
    )
    session.call("delete", f"/api/database/views/{view['id']}/", status=204)
    assert session.undo()["actions"][0]["action_type"] == "delete_view"
    assert View.objects.get(id=view["id"]).filters.get().value == "x"
    session.redo()
    assert not View.objects.filter(id=view["id"]).exists()
    session.undo()
    assert session.undo()["actions"][0]["action_type"] == "create_view_filter"
    assert session.undo()["actions"][0]["action_type"] == "create_view"
    assert not View.objects.filter(id=view["id"]).exists()
    session.redo()
    assert View.objects.filter(id=view["id"]).exists()


def test_table_create_and_delete_undone_and_redone(session, table):
    database_id = table.database_id
    created = session.call("post", f"/api/database/tables/database/{database_id}/", {"name": "New"})
    scope = {"application": database_id}
    assert session.undo(scope)["actions"] == [
        {"action_type": "create_table", "action_scope": f"application{database_id}"}
    ]
    assert not Table.objects.filter(id=created["id"]).exists()
    session.redo(scope)
    assert Table.objects.filter(id=created["id"]).exists()

    col = primary_of(table).db_column
    session.call("post", f"/api/database/rows/table/{table.id}/", {col: "kept"})
    session.call("delete", f"/api/database/tables/{table.id}/", status=204)
    assert session.undo(scope)["actions"][0]["action_type"] == "delete_table"
    assert [row[col] for row in read_rows(table)] == ["kept"]
    session.redo(scope)
    assert not Table.objects.filter(id=table.id).exists()


def test_application_and_workspace_delete_undone(session, table):
    database = table.database
    workspace_id = database.workspace_id
    session.call("delete", f"/api/applications/{database.id}/", status=204)
    assert not Application.objects.filter(id=database.id).exists()
    result = session.undo({"workspace": workspace_id})
    assert result["actions"] == [
        {"action_type": "delete_application", "action_scope": f"workspace{workspace_id}"}
    ]
    assert Application.objects.filter(id=database.id).exists()
    session.call("delete", f"/api/workspaces/{workspace_id}/", status=204)
    assert not Workspace.objects.filter(id=workspace_id).exists()
    assert session.undo({"root": True})["actions"][0]["action_type"] == "delete_workspace"
    assert Workspace.objects.filter(id=workspace_id).exists()
    session.redo({"root": True})
    assert not Workspace.objects.filter(id=workspace_id).exists()
