"""The `/ws/core/` websocket against a real uvicorn server: authentication, pages, audiences."""

import uuid

import pytest
from django.db import transaction

from database.fields.models import Field
from database.rows.services import rows_create
from tests.realtime.helpers import barrier, first_table
from users.tokens import token_pair_for_user
from workspaces.models import WorkspaceUser


def test_authentication_message_with_a_jwt(user, ws):
    socket = ws(user)
    assert socket.auth["type"] == "authentication"
    assert socket.auth["success"] is True
    assert str(uuid.UUID(socket.auth["web_socket_id"])) == socket.auth["web_socket_id"]
    assert ws(user).id != socket.id  # one id per socket


def test_anonymous_authentication(ws):
    socket = ws(token="anonymous")
    assert socket.auth["success"] is True
    assert socket.id is not None


def test_bad_token_fails_but_the_socket_stays_open(user, ws):
    socket = ws(token="not-a-jwt")
    assert socket.auth == {"type": "authentication", "success": False, "web_socket_id": None}
    socket.connection.ping().wait(timeout=5)  # still open and answering


def test_token_from_before_a_password_change_fails(user, ws, api):
    old_access, _ = token_pair_for_user(user)
    response = api(user)(
        "POST",
        "/api/user/change-password/",
        {"old_password": "password123", "new_password": "another-pass-1"},
    )
    assert response.status_code == 204
    assert ws(token=old_access).auth["success"] is False


def test_table_page_add_and_discard(user, ws):
    table = first_table(user)
    socket = ws(user)
    assert socket.subscribe(page="table", table_id=table.id) == {
        "type": "page_add",
        "page": "table",
        "parameters": {"table_id": table.id},
    }
    assert socket.subscribe(remove_page="table", table_id=table.id) == {
        "type": "page_discard",
        "page": "table",
        "parameters": {"table_id": table.id},
    }


def test_unsubscribed_socket_gets_no_table_events(user, ws, api):
    table = first_table(user)
    socket = ws(user)
    socket.subscribe(page="table", table_id=table.id)
    socket.subscribe(remove_page="table", table_id=table.id)
    assert api(user)("POST", f"/api/database/rows/table/{table.id}/", {}).status_code == 200
    assert barrier(api, socket, user) == []


def test_page_of_another_workspace_is_silently_ignored(user, other_user, ws, api):
    theirs = first_table(other_user)
    socket = ws(user)
    socket.send({"page": "table", "table_id": theirs.id})
    socket.send({"page": "row", "table_id": theirs.id, "row_id": 1})
    socket.send({"page": "table", "table_id": 999999})
    socket.send({"page": "nonsense"})
    # No page_add came for them, and the owner's changes do not reach this socket.
    assert api(other_user)("POST", f"/api/database/rows/table/{theirs.id}/", {}).status_code == 200
    assert barrier(api, socket, user) == []


def test_anonymous_socket_cannot_subscribe_to_a_table(user, ws, api):
    table = first_table(user)
    socket = ws(token="anonymous")
    socket.send({"page": "table", "table_id": table.id})
    assert api(user)("POST", f"/api/database/rows/table/{table.id}/", {}).status_code == 200
    # The anonymous socket has no user to barrier with: subscribe to a public view instead.
    view_id = api(user)("GET", f"/api/database/views/table/{table.id}/").json()[0]["id"]
    slug = api(user)("PATCH", f"/api/database/views/{view_id}/", {"public": True}).json()["slug"]
    assert socket.subscribe(page="view", slug=slug)["type"] == "page_add"


def test_row_page(user, ws, api):
    table = first_table(user)
    row_id = api(user)("POST", f"/api/database/rows/table/{table.id}/", {}).json()["id"]
    socket = ws(user)
    assert socket.subscribe(page="row", table_id=table.id, row_id=row_id) == {
        "type": "page_add",
        "page": "row",
        "parameters": {"table_id": table.id, "row_id": row_id},
    }
    socket.send({"page": "row", "table_id": table.id, "row_id": row_id + 1000})
    assert barrier(api, socket, user) == []  # an unknown row is ignored


def test_public_view_page_with_and_without_password(user, ws, api):
    table = first_table(user)
    client = api(user)
    view = client("POST", f"/api/database/views/table/{table.id}/", {"name": "P", "type": "grid"})
    view_id = view.json()["id"]
    slug = client("PATCH", f"/api/database/views/{view_id}/", {"public": True}).json()["slug"]
    socket = ws(token="anonymous")
    assert socket.subscribe(page="view", slug=slug) == {
        "type": "page_add",
        "page": "view",
        "parameters": {"slug": slug},
    }
    client("PATCH", f"/api/database/views/{view_id}/", {"public_view_password": "secret-pass"})
    protected = ws(user)
    protected.send({"page": "view", "slug": slug})  # no token: ignored
    protected.send({"page": "view", "slug": slug, "token": "forged"})  # ignored
    assert barrier(api, protected, user) == []
    token = api(None)(
        "POST", f"/api/database/views/{slug}/public/auth/", {"password": "secret-pass"}
    )
    access = token.json()["access_token"]
    assert protected.subscribe(page="view", slug=slug, token=access) == {
        "type": "page_add",
        "page": "view",
        "parameters": {"slug": slug, "token": access},
    }


def test_sender_socket_is_skipped_via_websocket_id(user, ws, api):
    table = first_table(user)
    sender, other = ws(user), ws(user)
    sender.subscribe(page="table", table_id=table.id)
    other.subscribe(page="table", table_id=table.id)
    response = api(user)(
        "POST", f"/api/database/rows/table/{table.id}/", {}, websocket_id=sender.id
    )
    assert response.status_code == 200
    assert other.receive()["type"] == "rows_created"
    assert barrier(api, sender, user) == []


def test_other_members_receive_table_events(user, make_user, ws, api):
    table = first_table(user)
    colleague = make_user()
    WorkspaceUser.objects.create(
        workspace=table.database.workspace, user=colleague, permissions="MEMBER", order=9
    )
    socket = ws(colleague)
    socket.subscribe(page="table", table_id=table.id)
    row = api(user)("POST", f"/api/database/rows/table/{table.id}/", {}).json()
    message = socket.receive()
    assert message["type"] == "rows_created"
    assert message["rows"] == [row]


def test_no_event_for_a_rejected_request(user, ws, api):
    table = first_table(user)
    socket = ws(user)
    socket.subscribe(page="table", table_id=table.id)
    active = Field.objects.get(table=table, type="boolean")
    body = {"items": [{}, {active.db_column: "not a boolean"}]}
    response = api(user)("POST", f"/api/database/rows/table/{table.id}/batch/", body)
    assert response.status_code == 400
    assert barrier(api, socket, user) == []


class Rollback(Exception):
    pass


def test_no_event_for_a_rolled_back_change(user, ws, api):
    table = first_table(user)
    socket = ws(user)
    socket.subscribe(page="table", table_id=table.id)
    # The rows are written and announced, then the surrounding transaction rolls back.
    with pytest.raises(Rollback), transaction.atomic():
        rows_create(table=table, items=[{}])
        raise Rollback()
    assert barrier(api, socket, user) == []
    # A committed one right after is delivered.
    rows_create(table=table, items=[{}])
    assert socket.receive()["type"] == "rows_created"


def test_no_events_after_being_removed_from_the_workspace(user, make_user, ws, api):
    table = first_table(user)
    workspace = table.database.workspace
    colleague = make_user()
    membership = WorkspaceUser.objects.create(
        workspace=workspace, user=colleague, permissions="MEMBER", order=9
    )
    socket = ws(colleague)
    socket.subscribe(page="table", table_id=table.id)
    assert api(user)("DELETE", f"/api/workspaces/users/{membership.id}/").status_code == 204
    removed = socket.receive()
    assert removed["type"] == "group_user_deleted"
    assert removed["workspace_id"] == workspace.id
    # Neither the table page nor the workspace's events reach them any more.
    assert api(user)("POST", f"/api/database/rows/table/{table.id}/", {}).status_code == 200
    api(user)("PATCH", f"/api/workspaces/{workspace.id}/", {"name": "Renamed"})
    assert barrier(api, socket, colleague) == []


def test_no_events_after_leaving_the_workspace(user, make_user, ws, api):
    table = first_table(user)
    workspace = table.database.workspace
    colleague = make_user()
    WorkspaceUser.objects.create(workspace=workspace, user=colleague, permissions="MEMBER", order=9)
    socket = ws(colleague)
    socket.subscribe(page="table", table_id=table.id)
    assert api(colleague)("POST", f"/api/workspaces/{workspace.id}/leave/").status_code == 204
    assert socket.receive()["type"] == "group_user_deleted"
    assert api(user)("POST", f"/api/database/rows/table/{table.id}/", {}).status_code == 200
    assert barrier(api, socket, colleague) == []


def test_non_member_never_receives_workspace_events(user, other_user, ws, api):
    table = first_table(user)
    socket = ws(other_user)
    socket.send({"page": "table", "table_id": table.id})
    client = api(user)
    client("PATCH", f"/api/workspaces/{table.database.workspace_id}/", {"name": "Mine"})
    client("POST", f"/api/database/rows/table/{table.id}/", {})
    client("PATCH", f"/api/database/tables/{table.id}/", {"name": "Renamed"})
    assert barrier(api, socket, other_user) == []


def test_messages_the_server_does_not_understand_are_ignored(user, ws, api):
    table = first_table(user)
    socket = ws(user)
    socket.connection.send("not json {")
    socket.send(["a", "list"])
    socket.send({"page": 5})
    socket.send({"remove_page": "table"})  # answered, but nothing was subscribed
    assert socket.receive()["type"] == "page_discard"
    assert socket.subscribe(page="table", table_id=table.id)["type"] == "page_add"
