"""Undo and redo of row actions through HTTP, with the real ClientSessionId header."""

from tests.database.helpers import add_field, primary_of, read_rows


def _rows_url(table, suffix=""):
    return f"/api/database/rows/table/{table.id}/{suffix}"


def _names(table):
    name = primary_of(table)
    return [row[name.db_column] for row in read_rows(table)]


def test_create_row_undone_and_redone(session, table):
    name = primary_of(table)
    row = session.call("post", _rows_url(table), {name.db_column: "Ada"})
    assert _names(table) == ["Ada"]
    result = session.undo({"table": table.id})
    assert result == {
        "actions": [{"action_type": "create_row", "action_scope": f"table{table.id}"}],
        "result_code": "SUCCESS",
    }
    assert _names(table) == []
    assert session.redo({"table": table.id})["result_code"] == "SUCCESS"
    assert _names(table) == ["Ada"]
    assert read_rows(table)[0]["id"] == row["id"]
    assert session.redo()["result_code"] == "NOTHING_TO_DO"


def test_update_row_undone_and_redone(session, table):
    name = primary_of(table)
    notes = add_field(table, "Notes")
    row = session.call("post", _rows_url(table), {name.db_column: "Ada", notes.db_column: "x"})
    session.call("patch", _rows_url(table, f"{row['id']}/"), {notes.db_column: "y"})
    assert session.undo()["actions"][0]["action_type"] == "update_row"
    assert read_rows(table)[0][notes.db_column] == "x"
    session.redo()
    assert read_rows(table)[0][notes.db_column] == "y"
    # The undo is recorded in the row's history as an update.
    history = session.call("get", _rows_url(table, f"{row['id']}/history/"))
    assert [entry["after"] for entry in history["results"]][:3] == [
        {notes.db_column: "y"},
        {notes.db_column: "x"},
        {notes.db_column: "y"},
    ]


def test_delete_row_undone_and_redone(session, table):
    name = primary_of(table)
    row = session.call("post", _rows_url(table), {name.db_column: "Ada"})
    session.call("delete", _rows_url(table, f"{row['id']}/"), status=204)
    assert _names(table) == []
    assert session.undo()["actions"][0]["action_type"] == "delete_row"
    assert _names(table) == ["Ada"]
    session.redo()
    assert _names(table) == []


def test_move_row_undone_and_redone(session, table):
    name = primary_of(table)
    ids = [session.call("post", _rows_url(table), {name.db_column: n})["id"] for n in "abc"]
    session.call("patch", _rows_url(table, f"{ids[2]}/move/?before_id={ids[0]}"))
    assert _names(table) == ["c", "a", "b"]
    assert session.undo()["actions"][0]["action_type"] == "move_row"
    assert _names(table) == ["a", "b", "c"]
    session.redo()
    assert _names(table) == ["c", "a", "b"]


def test_batch_actions_undone_and_redone(session, table):
    name = primary_of(table)
    col = name.db_column
    created = session.call("post", _rows_url(table, "batch/"), {"items": [{col: "a"}, {col: "b"}]})[
        "items"
    ]
    ids = [row["id"] for row in created]
    session.call(
        "patch",
        _rows_url(table, "batch/"),
        {"items": [{"id": ids[0], col: "A"}, {"id": ids[1], col: "B"}]},
    )
    session.call("post", _rows_url(table, "batch-delete/"), {"items": ids}, status=204)
    assert _names(table) == []
    assert session.undo()["actions"][0]["action_type"] == "delete_rows"
    assert _names(table) == ["A", "B"]
    assert session.undo()["actions"][0]["action_type"] == "update_rows"
    assert _names(table) == ["a", "b"]
    assert session.undo()["actions"][0]["action_type"] == "create_rows"
    assert _names(table) == []
    assert session.undo()["result_code"] == "NOTHING_TO_DO"
    for expected in (["a", "b"], ["A", "B"], []):
        assert session.redo()["result_code"] == "SUCCESS"
        assert _names(table) == expected


def test_row_undo_after_its_table_is_gone_is_skipped(session, table):
    name = primary_of(table)
    session.call("post", _rows_url(table), {name.db_column: "Ada"})
    # Trashed from another tab: this session's newest action stays the row's creation.
    deleted = session.client.delete(f"/api/database/tables/{table.id}/")
    assert deleted.status_code == 204
    result = session.undo()
    assert result["result_code"] == "SKIPPED_DUE_TO_ERROR"
    assert result["actions"] == [{"action_type": "create_row", "action_scope": f"table{table.id}"}]
    assert session.undo()["result_code"] == "NOTHING_TO_DO"


def test_batch_update_with_ids_as_text_is_undone(session, table):
    col = primary_of(table).db_column
    row = session.call("post", _rows_url(table), {col: "a"})
    body = {"items": [{"id": str(row["id"]), col: "b"}]}
    session.call("patch", _rows_url(table, "batch/"), body)
    session.undo()
    assert _names(table) == ["a"]
    bad = {"items": [{"id": "99999999999999999999", col: "c"}]}
    session.call("patch", _rows_url(table, "batch/"), bad, status=400)
