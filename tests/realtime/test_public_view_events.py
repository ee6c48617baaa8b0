"""A public view's page hears the table's row events as the view shows them, and only then."""

from database.fields.models import Field
from tests.realtime.helpers import first_table


def test_public_view_page_gets_its_rows_and_visible_fields(user, ws, api):
    table = first_table(user)
    client = api(user)
    name = Field.objects.get(table=table, primary=True)
    notes = Field.objects.get(table=table, name="Notes")
    view = client("POST", f"/api/database/views/table/{table.id}/", {"name": "P", "type": "grid"})
    view_id = view.json()["id"]
    slug = client("PATCH", f"/api/database/views/{view_id}/", {"public": True}).json()["slug"]
    client(
        "PATCH",
        f"/api/database/views/{view_id}/field-options/",
        {"field_options": {str(notes.id): {"hidden": True}}},
    )
    client(
        "POST",
        f"/api/database/views/{view_id}/filters/",
        {"field": name.id, "type": "contains", "value": "pub"},
    )
    socket = ws(token="anonymous")
    socket.subscribe(page="view", slug=slug)
    rows = f"/api/database/rows/table/{table.id}/"

    client("POST", rows, {name.db_column: "private"})  # the view's filter hides it
    shown = client("POST", rows, {name.db_column: "public", notes.db_column: "secret"}).json()
    assert socket.receive() == {
        "type": "rows_created",
        "table_id": 0,  # the page is not told which table it shows
        "rows": [{k: v for k, v in shown.items() if k != notes.db_column}],
        "metadata": {},
        "before_row_id": None,
    }

    updated = client("PATCH", f"{rows}{shown['id']}/", {name.db_column: "published"}).json()
    message = socket.receive()
    assert message["type"] == "rows_updated"
    assert message["rows"] == [{k: v for k, v in updated.items() if k != notes.db_column}]
    assert notes.db_column not in message["rows_before_update"][0]

    # Leaving the view's filter: the page is told to drop the row (it drops the `rows` given).
    client("PATCH", f"{rows}{shown['id']}/", {name.db_column: "hidden now"})
    assert socket.receive() == {
        "type": "rows_deleted",
        "table_id": 0,
        "row_ids": [shown["id"]],
        "rows": [{k: v for k, v in updated.items() if k != notes.db_column}],
    }
    back = client("PATCH", f"{rows}{shown['id']}/", {name.db_column: "public again"}).json()
    assert socket.receive()["rows"][0][name.db_column] == "public again"
    client("DELETE", f"{rows}{back['id']}/")
    message = socket.receive()
    assert (message["type"], message["row_ids"]) == ("rows_deleted", [back["id"]])
    assert notes.db_column not in message["rows"][0]


def test_private_view_page_hears_nothing(user, ws, api):
    table = first_table(user)
    client = api(user)
    view = client("POST", f"/api/database/views/table/{table.id}/", {"name": "P", "type": "grid"})
    view_json = client(
        "PATCH", f"/api/database/views/{view.json()['id']}/", {"public": True}
    ).json()
    socket = ws(token="anonymous")
    socket.subscribe(page="view", slug=view_json["slug"])
    client("PATCH", f"/api/database/views/{view_json['id']}/", {"public": False})
    client("POST", f"/api/database/rows/table/{table.id}/", {})
    # Made public again: the page is sent the view, then hears the next row.
    client("PATCH", f"/api/database/views/{view_json['id']}/", {"public": True})
    assert socket.receive()["type"] == "force_view_refresh"
    row = client("POST", f"/api/database/rows/table/{table.id}/", {}).json()
    assert socket.receive()["rows"][0]["id"] == row["id"]
