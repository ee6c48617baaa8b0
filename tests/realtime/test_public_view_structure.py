"""A public view's page hears the changes of the fields it shows and of the view itself, as
Baserow's public view page does: public objects only, hidden fields never."""

from dataclasses import dataclass
from typing import Any

import pytest

from database.fields.models import Field
from tests.realtime.conftest import Socket
from tests.realtime.helpers import first_table


@dataclass
class Public:
    client: Any
    socket: Socket
    table: Any
    view_id: int
    slug: str

    def info(self) -> dict:
        """The view as its visitors read it over HTTP."""
        return self.client("GET", f"/api/database/views/{self.slug}/public/info/").json()

    def barrier(self) -> list[dict]:
        """Every message before the page hears a new row (`[]`: it heard nothing before)."""
        self.client("POST", f"/api/database/rows/table/{self.table.id}/", {})
        return self.socket.receive_until("rows_created")[:-1]


def publish(client, table, view_type: str) -> tuple[int, str]:
    view = client(
        "POST", f"/api/database/views/table/{table.id}/", {"name": "P", "type": view_type}
    )
    view_id = view.json()["id"]
    slug = client("PATCH", f"/api/database/views/{view_id}/", {"public": True}).json()["slug"]
    return view_id, slug


@pytest.fixture
def public(user, ws, api):
    """A public grid view of the user's table hiding `Notes`, and an anonymous page of it."""
    table = first_table(user)
    client = api(user)
    view_id, slug = publish(client, table, "grid")
    notes = Field.objects.get(table=table, name="Notes")
    client(
        "PATCH",
        f"/api/database/views/{view_id}/field-options/",
        {"field_options": {str(notes.id): {"hidden": True}}},
    )
    socket = ws(token="anonymous")
    socket.subscribe(page="view", slug=slug)
    return Public(client, socket, table, view_id, slug)


def public_field(field: dict) -> dict:
    return {**field, "table_id": 0, "database_id": 0, "workspace_id": 0}


def test_field_events_of_shown_fields(public):
    fields = f"/api/database/fields/table/{public.table.id}/"
    created = public.client("POST", fields, {"name": "Size", "type": "number"}).json()
    created.pop("related_fields")
    assert public.socket.receive() == {
        "type": "field_created",
        "field": public_field(created),
        "related_fields": [],
    }
    updated = public.client("PATCH", f"/api/database/fields/{created['id']}/", {"name": "Big"})
    updated = updated.json()
    updated.pop("related_fields")
    assert public.socket.receive() == {
        "type": "field_updated",
        "field_id": created["id"],
        "field": public_field(updated),
        "related_fields": [],
    }
    assert public.client("DELETE", f"/api/database/fields/{created['id']}/").status_code == 200
    assert public.socket.receive() == {
        "type": "field_deleted",
        "table_id": 0,
        "field_id": created["id"],
        "related_fields": [],
    }
    body = {"trash_item_type": "field", "trash_item_id": created["id"]}
    assert public.client("PATCH", "/api/trash/restore/", body).status_code == 204
    restored = public.socket.receive()
    assert restored["type"] == "field_restored"
    assert restored["field"] == public_field(updated)
    assert restored["related_fields"] == []


def test_hidden_fields_are_never_sent(public):
    notes = Field.objects.get(table=public.table, name="Notes")
    public.client("PATCH", f"/api/database/fields/{notes.id}/", {"name": "Secret notes"})
    public.client("PATCH", f"/api/database/fields/{notes.id}/", {"type": "text"})
    assert public.client("DELETE", f"/api/database/fields/{notes.id}/").status_code == 200
    assert public.barrier() == []


def test_related_fields_are_kept_to_the_shown_ones(public, user):
    """A lookup through a link names the link as related; hidden, it is left out."""
    client, table = public.client, public.table
    fields = f"/api/database/fields/table/{table.id}/"
    other = client(
        "POST", f"/api/database/tables/database/{table.database_id}/", {"name": "Other"}
    ).json()
    link = client(
        "POST", fields, {"name": "Link", "type": "link_row", "link_row_table_id": other["id"]}
    )
    link = link.json()
    assert public.socket.receive()["type"] == "field_created"
    client(
        "PATCH",
        f"/api/database/views/{public.view_id}/field-options/",
        {"field_options": {str(link["id"]): {"hidden": True}}},
    )
    assert public.socket.receive()["type"] == "force_view_refresh"
    count = client(
        "POST", fields, {"name": "Links", "type": "count", "through_field_id": link["id"]}
    ).json()
    assert public.socket.receive()["type"] == "field_created"
    response = client("DELETE", f"/api/database/fields/{link['id']}/").json()
    # The count depends on the link: Baserow names it related; the page may see it.
    assert [field["id"] for field in response["related_fields"]] == [count["id"]]
    assert public.barrier() == []  # the hidden link's deletion is not sent


def test_view_changes_send_the_whole_public_view(public):
    client = public.client
    client("PATCH", f"/api/database/views/{public.view_id}/", {"name": "Renamed"})
    info = public.info()
    assert info["view"]["name"] == "Renamed"
    assert public.socket.receive() == {
        "type": "force_view_refresh",
        "view_id": public.slug,
        **info,
    }
    active = Field.objects.get(table=public.table, name="Active")
    client(
        "PATCH",
        f"/api/database/views/{public.view_id}/field-options/",
        {"field_options": {str(active.id): {"hidden": True}}},
    )
    info = public.info()
    assert active.id not in [field["id"] for field in info["fields"]]
    assert public.socket.receive() == {"type": "force_view_refresh", "view_id": public.slug, **info}


def test_filter_changes_make_the_page_fetch_its_rows_again(public):
    client = public.client
    name = Field.objects.get(table=public.table, primary=True)
    filters = f"/api/database/views/{public.view_id}/filters/"
    refresh = {"type": "force_view_rows_refresh", "view_id": public.slug}
    created = client("POST", filters, {"field": name.id, "type": "contains", "value": "a"}).json()
    assert public.socket.receive() == refresh
    client("PATCH", f"/api/database/views/filter/{created['id']}/", {"value": "b"})
    assert public.socket.receive() == refresh
    client("DELETE", f"/api/database/views/filter/{created['id']}/")
    assert public.socket.receive() == refresh


def test_a_type_change_that_drops_a_filter_refreshes_the_rows(public, ws, user):
    """A filter on a hidden field goes when its type changes: the view's rows change with no
    other event the page hears; the table's page is told too (09 lists it among its events)."""
    client = public.client
    notes = Field.objects.get(table=public.table, name="Notes")
    client(
        "POST",
        f"/api/database/views/{public.view_id}/filters/",
        {"field": notes.id, "type": "contains", "value": "x"},
    )
    assert public.socket.receive()["type"] == "force_view_rows_refresh"
    table_page = ws(user)
    table_page.subscribe(page="table", table_id=public.table.id)
    client("PATCH", f"/api/database/fields/{notes.id}/", {"type": "boolean"})
    assert public.socket.receive() == {"type": "force_view_rows_refresh", "view_id": public.slug}
    assert table_page.receive_until("field_updated")[:-1] == [
        {"type": "force_view_rows_refresh", "view_id": public.view_id}
    ]
    assert public.barrier() == []


def test_gallery_shows_new_fields_only_once_made_visible(user, ws, api):
    table = first_table(user)
    client = api(user)
    view_id, slug = publish(client, table, "gallery")
    socket = ws(token="anonymous")
    socket.subscribe(page="view", slug=slug)
    page = Public(client, socket, table, view_id, slug)
    created = client(
        "POST", f"/api/database/fields/table/{table.id}/", {"name": "Size", "type": "number"}
    ).json()
    assert page.barrier() == []  # a gallery hides new fields
    client(
        "PATCH",
        f"/api/database/views/{view_id}/field-options/",
        {"field_options": {str(created["id"]): {"hidden": False}}},
    )
    refresh = socket.receive()
    assert refresh["type"] == "force_view_refresh"
    assert created["id"] in [field["id"] for field in refresh["fields"]]
    client("PATCH", f"/api/database/fields/{created['id']}/", {"name": "Width"})
    assert socket.receive()["type"] == "field_updated"


def test_password_protected_page_hears_with_its_token(user, ws, api):
    table = first_table(user)
    client = api(user)
    view_id, slug = publish(client, table, "grid")
    client("PATCH", f"/api/database/views/{view_id}/", {"public_view_password": "secret-pass"})
    auth = api(None)(
        "POST", f"/api/database/views/{slug}/public/auth/", {"password": "secret-pass"}
    )
    socket = ws(token="anonymous")
    socket.subscribe(page="view", slug=slug, token=auth.json()["access_token"])
    client("PATCH", f"/api/database/views/{view_id}/", {"name": "Renamed"})
    message = socket.receive()
    assert (message["type"], message["view"]["name"]) == ("force_view_refresh", "Renamed")


def test_a_form_page_is_not_followed_live(user, ws, api):
    table = first_table(user)
    client = api(user)
    _, form_slug = publish(client, table, "form")
    socket = ws(token="anonymous")
    socket.send({"page": "view", "slug": form_slug})  # ignored, as Baserow refuses it
    client("POST", f"/api/database/fields/table/{table.id}/", {"name": "Size", "type": "number"})
    view_id, slug = publish(client, table, "grid")
    assert socket.subscribe(page="view", slug=slug)["parameters"] == {"slug": slug}
    assert Public(client, socket, table, view_id, slug).barrier() == []
