"""Every table-page event of 09, through HTTP on a real server, with the REST payloads."""

import pytest

from database.fields.models import Field
from tests.realtime.helpers import first_table

VIEW_INCLUDE = "?include=filters,sortings,decorations,group_bys"


@pytest.fixture
def page(user, ws, api):
    """The user's client, a socket of a colleague on the table's page, and the table."""
    table = first_table(user)
    socket = ws(user)
    socket.subscribe(page="table", table_id=table.id)
    return api(user), socket, table


def test_rows_created_updated_moved_deleted(page):
    client, socket, table = page
    rows_path = f"/api/database/rows/table/{table.id}/"
    row = client("POST", rows_path, {}).json()
    assert socket.receive() == {
        "type": "rows_created",
        "table_id": table.id,
        "rows": [row],
        "metadata": {},
        "before_row_id": None,
    }
    name = Field.objects.get(table=table, primary=True)
    before = client("GET", f"{rows_path}{row['id']}/").json()
    updated = client("PATCH", f"{rows_path}{row['id']}/", {name.db_column: "Zoe"}).json()
    assert socket.receive() == {
        "type": "rows_updated",
        "table_id": table.id,
        "rows_before_update": [before],
        "rows": [updated],
        "metadata": {},
        "updated_field_ids": [name.id],
    }
    first_id = client("GET", rows_path).json()["results"][0]["id"]
    client("PATCH", f"{rows_path}{row['id']}/move/?before_id={first_id}")
    moved = socket.receive()
    assert moved["type"] == "rows_updated"
    assert moved["rows_before_update"] == [updated]
    assert moved["rows"] == [client("GET", f"{rows_path}{row['id']}/").json()]
    assert moved["updated_field_ids"] == []
    gone = client("GET", f"{rows_path}{row['id']}/").json()
    assert client("DELETE", f"{rows_path}{row['id']}/").status_code == 204
    assert socket.receive() == {
        "type": "rows_deleted",
        "table_id": table.id,
        "row_ids": [row["id"]],
        "rows": [gone],
    }


def test_batch_row_events(page):
    client, socket, table = page
    rows_path = f"/api/database/rows/table/{table.id}/"
    first_id = client("GET", rows_path).json()["results"][0]["id"]
    created = client("POST", f"{rows_path}batch/?before={first_id}", {"items": [{}, {}]}).json()
    message = socket.receive()
    assert message["rows"] == created["items"]
    assert message["before_row_id"] == first_id
    ids = [item["id"] for item in created["items"]]
    client("POST", f"{rows_path}batch-delete/", {"items": ids})
    message = socket.receive()
    assert (message["type"], message["row_ids"]) == ("rows_deleted", ids)


def test_field_events(page):
    client, socket, table = page
    created = client(
        "POST", f"/api/database/fields/table/{table.id}/", {"name": "Size", "type": "number"}
    ).json()
    related = created.pop("related_fields")
    assert socket.receive() == {
        "type": "field_created",
        "field": created,
        "related_fields": related,
    }
    updated = client("PATCH", f"/api/database/fields/{created['id']}/", {"type": "text"}).json()
    related = updated.pop("related_fields")
    assert socket.receive() == {
        "type": "field_updated",
        "field_id": created["id"],
        "field": updated,
        "related_fields": related,
    }
    response = client("DELETE", f"/api/database/fields/{created['id']}/").json()
    assert socket.receive() == {
        "type": "field_deleted",
        "field_id": created["id"],
        "table_id": table.id,
        "related_fields": response["related_fields"],
    }


def test_link_field_names_its_counterpart_as_related(page, user):
    client, socket, table = page
    other = first_table(user).database.tables.exclude(id=table.id).first()
    created = client(
        "POST",
        f"/api/database/fields/table/{table.id}/",
        {"name": "Projects", "type": "link_row", "link_row_table_id": other.id},
    ).json()
    message = socket.receive()
    assert message["type"] == "field_created"
    assert message["related_fields"] == created["related_fields"]
    assert message["related_fields"][0]["table_id"] == other.id


def test_change_primary_field(page):
    client, socket, table = page
    notes = Field.objects.get(table=table, name="Last name")
    response = client(
        "POST",
        f"/api/database/fields/table/{table.id}/change-primary-field/",
        {"new_primary_field_id": notes.id},
    ).json()
    related = response.pop("related_fields")
    message = socket.receive()
    assert message == {
        "type": "field_updated",
        "field_id": notes.id,
        "field": response,
        "related_fields": related,
    }


def test_view_events(page):
    client, socket, table = page
    views = f"/api/database/views/table/{table.id}/"
    created = client("POST", views, {"name": "Mine", "type": "grid"}).json()
    view_path = f"/api/database/views/{created['id']}/"
    assert socket.receive() == {
        "type": "view_created",
        "view": client("GET", view_path + VIEW_INCLUDE).json(),
    }
    updated = client("PATCH", view_path, {"name": "Ours"}).json()
    assert socket.receive() == {"type": "view_updated", "view_id": created["id"], "view": updated}
    rotated = client("POST", f"{view_path}rotate-slug/").json()
    assert socket.receive() == {"type": "view_updated", "view_id": created["id"], "view": rotated}
    order = [view["id"] for view in client("GET", views).json()][::-1]
    client("POST", f"{views}order/", {"view_ids": order})
    assert socket.receive() == {"type": "views_reordered", "table_id": table.id, "order": order}
    copy = client("POST", f"{view_path}duplicate/").json()
    message = socket.receive()
    assert message["type"] == "view_created"
    assert message["view"]["id"] == copy["id"]
    assert client("DELETE", view_path).status_code == 204
    assert socket.receive() == {
        "type": "view_deleted",
        "table_id": table.id,
        "view_id": created["id"],
    }


def test_filter_sort_group_by_and_field_options_events(page):
    client, socket, table = page
    view = client("GET", f"/api/database/views/table/{table.id}/").json()[0]
    path = f"/api/database/views/{view['id']}/"
    name = Field.objects.get(table=table, primary=True)
    cases = [
        ("view_filter", "filters/", "filter/", {"field": name.id, "type": "equal", "value": "a"}),
        ("view_filter_group", "filter-groups/", "filter-group/", {"filter_type": "OR"}),
        ("view_sort", "sortings/", "sort/", {"field": name.id, "order": "ASC"}),
        ("view_group_by", "group_bys/", "group_by/", {"field": name.id, "order": "ASC"}),
    ]
    for key, collection, item, body in cases:
        created = client("POST", path + collection, body).json()
        assert socket.receive() == {"type": f"{key}_created", key: created}
        change = {"filter_type": "AND"} if key == "view_filter_group" else {}
        change = change or ({"value": "b"} if key == "view_filter" else {"order": "DESC"})
        item_path = f"/api/database/views/{item}{created['id']}/"
        updated = client("PATCH", item_path, change).json()
        assert socket.receive() == {
            "type": f"{key}_updated",
            f"{key}_id": created["id"],
            key: updated,
        }
        assert client("DELETE", item_path).status_code == 204
        assert socket.receive() == {
            "type": f"{key}_deleted",
            "view_id": view["id"],
            f"{key}_id": created["id"],
        }
    options = client(
        "PATCH", f"{path}field-options/", {"field_options": {str(name.id): {"width": 300}}}
    ).json()
    assert socket.receive() == {
        "type": "view_field_options_updated",
        "view_id": view["id"],
        "field_options": options["field_options"],
    }


def test_table_updated_and_deleted_reach_the_table_page(page):
    client, socket, table = page
    renamed = client("PATCH", f"/api/database/tables/{table.id}/", {"name": "Clients"}).json()
    assert socket.receive() == {
        "type": "table_updated",
        "table_id": table.id,
        "table": renamed,
        "force_table_refresh": False,
    }
    assert client("DELETE", f"/api/database/tables/{table.id}/").status_code == 204
    assert socket.receive() == {
        "type": "table_deleted",
        "database_id": table.database_id,
        "table_id": table.id,
    }
