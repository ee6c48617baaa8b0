"""Undo and redo announce the same events as the changes they reverse, to the sender too."""

from database.fields.models import Field
from tests.realtime.conftest import api, live_url, ws
from tests.realtime.helpers import barrier, first_table

__all__ = ["api", "live_url", "ws"]


def test_undo_of_a_row_update_reaches_the_senders_socket(user, ws, api):
    table = first_table(user)
    primary = Field.objects.get(table=table, primary=True)
    client = api(user)
    client.session.headers["ClientSessionId"] = "tab-1"
    socket = ws(user)
    socket.subscribe(page="table", table_id=table.id)
    row = client("POST", f"/api/database/rows/table/{table.id}/", {primary.db_column: "old"})
    row_id = row.json()["id"]
    path = f"/api/database/rows/table/{table.id}/{row_id}/"
    response = client("PATCH", path, {primary.db_column: "new"}, websocket_id=socket.id)
    assert response.status_code == 200
    assert [m["type"] for m in barrier(api, socket, user)] == ["rows_created"]

    undo = client("PATCH", "/api/user/undo/", {"scopes": {}}, websocket_id=socket.id)
    assert undo.json()["result_code"] == "SUCCESS"
    message = socket.receive()
    assert message["type"] == "rows_updated"
    assert message["rows"][0][primary.db_column] == "old"
    assert message["rows_before_update"][0][primary.db_column] == "new"

    redo = client("PATCH", "/api/user/redo/", {"scopes": {}}, websocket_id=socket.id)
    assert redo.json()["result_code"] == "SUCCESS"
    assert socket.receive()["rows"][0][primary.db_column] == "new"
