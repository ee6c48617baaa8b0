"""A row write that gains or loses links changes the linked rows' related cells: the linked
table's page hears `rows_updated` for those rows, with the REST payloads."""

from dataclasses import dataclass
from typing import Any

import pytest

from database.fields.models import Field
from tests.realtime.conftest import Socket
from tests.realtime.helpers import barrier, first_table


@dataclass
class Linked:
    client: Any
    table_id: int  # the table written
    other_id: int  # the linked table
    link: str  # the link's column in the table written
    related_id: int  # the related field in the linked table
    page: Socket  # a socket on the linked table's page

    def rows(self, table_id: int) -> str:
        return f"/api/database/rows/table/{table_id}/"

    def get(self, table_id: int, row_id: int) -> dict:
        return self.client("GET", f"{self.rows(table_id)}{row_id}/").json()

    def updated(self, before: list[dict], field_ids: list[int] | None = None) -> dict:
        """The `rows_updated` the page should hear for the linked rows `before` now."""
        return {
            "type": "rows_updated",
            "table_id": self.other_id,
            "rows_before_update": before,
            "rows": [self.get(self.other_id, row["id"]) for row in before],
            "metadata": {},
            "updated_field_ids": field_ids or [self.related_id],
        }


@pytest.fixture
def linked(user, ws, api) -> Linked:
    table = first_table(user)
    client = api(user)
    other = client(
        "POST", f"/api/database/tables/database/{table.database_id}/", {"name": "Other"}
    ).json()
    link = client(
        "POST",
        f"/api/database/fields/table/{table.id}/",
        {"name": "Link", "type": "link_row", "link_row_table_id": other["id"]},
    ).json()
    page = ws(user)
    page.subscribe(page="table", table_id=other["id"])
    return Linked(
        client,
        table.id,
        other["id"],
        f"field_{link['id']}",
        link["link_row_related_field_id"],
        page,
    )


def new_rows(linked: Linked, count: int) -> list[dict]:
    """Rows of the linked table, made before the page listens to them."""
    body = {"items": [{} for _ in range(count)]}
    rows = linked.client("POST", f"{linked.rows(linked.other_id)}batch/", body).json()["items"]
    assert linked.page.receive()["type"] == "rows_created"
    return rows


def test_creating_updating_and_deleting_rows_with_links(linked, user, api):
    first, second = new_rows(linked, 2)
    rows = linked.rows(linked.table_id)
    before = [linked.get(linked.other_id, first["id"])]
    row = linked.client("POST", rows, {linked.link: [first["id"]]}).json()
    assert linked.page.receive() == linked.updated(before)

    # Moved from the first linked row to the second: both change.
    before = [linked.get(linked.other_id, r["id"]) for r in (first, second)]
    linked.client("PATCH", f"{rows}{row['id']}/", {linked.link: [second["id"]]})
    assert linked.page.receive() == linked.updated(before)

    before = [linked.get(linked.other_id, second["id"])]
    assert linked.client("DELETE", f"{rows}{row['id']}/").status_code == 204
    assert linked.page.receive() == linked.updated(before)

    # Restored from the trash, it links the second row again.
    before = [linked.get(linked.other_id, second["id"])]
    body = {
        "trash_item_type": "row",
        "trash_item_id": row["id"],
        "parent_trash_item_id": linked.table_id,
    }
    assert linked.client("PATCH", "/api/trash/restore/", body).status_code == 204
    message = linked.page.receive()
    assert message == linked.updated(before)
    assert [item["id"] for item in message["rows"][0][f"field_{linked.related_id}"]] == [row["id"]]
    assert barrier(api, linked.page, user) == []


def test_batch_writes_name_each_linked_row_once(linked):
    first, second, third = new_rows(linked, 3)
    rows = linked.rows(linked.table_id)
    before = [linked.get(linked.other_id, r["id"]) for r in (first, second)]
    body = {"items": [{linked.link: [first["id"], second["id"]]}, {linked.link: [second["id"]]}]}
    created = linked.client("POST", f"{rows}batch/", body).json()["items"]
    assert linked.page.receive() == linked.updated(before)
    before = [linked.get(linked.other_id, r["id"]) for r in (first, third)]
    body = {
        "items": [
            {"id": created[0]["id"], linked.link: [second["id"], third["id"]]},
            {"id": created[1]["id"], linked.link: [second["id"]]},  # unchanged
        ]
    }
    linked.client("PATCH", f"{rows}batch/", body)
    assert linked.page.receive() == linked.updated(before)


def test_deleting_a_linked_row_updates_the_rows_linking_to_it(linked, user, ws):
    (target,) = new_rows(linked, 1)
    row = linked.client("POST", linked.rows(linked.table_id), {linked.link: [target["id"]]}).json()
    assert linked.page.receive()["type"] == "rows_updated"
    table_page = ws(user)
    table_page.subscribe(page="table", table_id=linked.table_id)
    before = [linked.get(linked.table_id, row["id"])]
    path = f"{linked.rows(linked.other_id)}{target['id']}/"
    assert linked.client("DELETE", path).status_code == 204
    message = table_page.receive()
    assert message == {
        "type": "rows_updated",
        "table_id": linked.table_id,
        "rows_before_update": before,
        "rows": [linked.get(linked.table_id, row["id"])],
        "metadata": {},
        "updated_field_ids": [int(linked.link.removeprefix("field_"))],
    }
    assert message["rows"][0][linked.link] == []


def test_the_sender_socket_is_skipped_and_one_way_links_change_nothing(linked, user, api):
    (target,) = new_rows(linked, 1)
    client = linked.client
    one_way = client(
        "POST",
        f"/api/database/fields/table/{linked.table_id}/",
        {
            "name": "One way",
            "type": "link_row",
            "link_row_table_id": linked.other_id,
            "has_related_field": False,
        },
    ).json()
    rows = linked.rows(linked.table_id)
    client("POST", rows, {f"field_{one_way['id']}": [target["id"]]})
    sent = api(user)("POST", rows, {linked.link: [target["id"]]}, websocket_id=linked.page.id)
    assert sent.status_code == 200
    # A write of other cells than the link leaves the linked rows as they are.
    active = Field.objects.get(table_id=linked.table_id, name="Active")
    client("PATCH", f"{rows}{sent.json()['id']}/", {active.db_column: True})
    assert barrier(api, linked.page, user) == []


def test_a_rolled_back_write_announces_nothing(linked, user, api):
    (target,) = new_rows(linked, 1)
    body = {"items": [{linked.link: [target["id"]]}, {linked.link: [target["id"] + 1000]}]}
    response = linked.client("POST", f"{linked.rows(linked.table_id)}batch/", body)
    assert response.status_code == 400
    assert barrier(api, linked.page, user) == []
