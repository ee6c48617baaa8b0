"""Every workspace event of 09 reaches the members (and only them), with the REST payloads."""

import hashlib

import pytest

from tests.realtime.helpers import barrier, first_table
from workspaces.models import WorkspaceInvitation, WorkspaceUser

INVITE_URL = "http://localhost:3000/workspace-invitation"


def hashed(value) -> str:
    return hashlib.sha256(str(value).encode()).hexdigest()


@pytest.fixture
def team(user, make_user, ws, api):
    """The user's client and workspace, and a socket of a colleague in that workspace."""
    workspace = first_table(user).database.workspace
    colleague = make_user(name="Colleague")
    WorkspaceUser.objects.create(workspace=workspace, user=colleague, permissions="MEMBER", order=9)
    return api(user), ws(colleague), workspace


def test_application_events(team):
    client, socket, workspace = team
    path = f"/api/applications/workspace/{workspace.id}/"
    created = client("POST", path, {"name": "CRM", "type": "database"}).json()
    assert socket.receive() == {"type": "application_created", "application": created}
    updated = client("PATCH", f"/api/applications/{created['id']}/", {"name": "Sales"}).json()
    assert socket.receive() == {
        "type": "application_updated",
        "application_id": created["id"],
        "application": updated,
    }
    order = [app["id"] for app in client("GET", path).json()][::-1]
    client("POST", f"{path}order/", {"application_ids": order})
    assert socket.receive() == {
        "type": "applications_reordered",
        "workspace_id": workspace.id,
        "order": [hashed(application_id) for application_id in order],
    }
    assert client("DELETE", f"/api/applications/{created['id']}/").status_code == 204
    assert socket.receive() == {"type": "application_deleted", "application_id": created["id"]}


def test_table_created_and_reordered(team, user):
    client, socket, _ = team
    database = first_table(user).database
    created = client("POST", f"/api/database/tables/database/{database.id}/", {"name": "T"})
    assert socket.receive() == {"type": "table_created", "table": created.json()}
    order = [t["id"] for t in client("GET", f"/api/database/tables/database/{database.id}/").json()]
    client(
        "POST", f"/api/database/tables/database/{database.id}/order/", {"table_ids": order[::-1]}
    )
    assert socket.receive() == {
        "type": "tables_reordered",
        "database_id": hashed(database.id),
        "order": [hashed(table_id) for table_id in order[::-1]],
    }


def test_workspace_renamed_and_deleted(team):
    client, socket, workspace = team
    renamed = client("PATCH", f"/api/workspaces/{workspace.id}/", {"name": "Renamed"}).json()
    assert socket.receive() == {
        "type": "group_updated",
        "workspace_id": workspace.id,
        "workspace": renamed,
    }
    assert client("DELETE", f"/api/workspaces/{workspace.id}/").status_code == 204
    assert socket.receive() == {"type": "group_deleted", "workspace_id": workspace.id}


def test_workspace_created_and_reordered_reach_only_their_user(user, other_user, ws, api):
    mine, theirs = ws(user), ws(other_user)
    client = api(user)
    created = client("POST", "/api/workspaces/", {"name": "Side project"}).json()
    message = mine.receive()
    assert message["type"] == "group_created"
    assert message["workspace"]["id"] == created["id"]
    assert message["workspace"]["name"] == "Side project"
    order = [w["id"] for w in client("GET", "/api/workspaces/").json()][::-1]
    client("POST", "/api/workspaces/order/", {"workspaces": order})
    assert mine.receive() == {"type": "groups_reordered", "workspace_ids": order}
    assert barrier(api, theirs, other_user) == []


def test_member_updated_and_removed(team, user):
    client, socket, workspace = team
    membership = WorkspaceUser.objects.exclude(user=user).get(workspace=workspace)
    updated = client(
        "PATCH", f"/api/workspaces/users/{membership.id}/", {"permissions": "ADMIN"}
    ).json()
    assert socket.receive() == {
        "type": "group_user_updated",
        "id": membership.id,
        "workspace_id": workspace.id,
        "workspace_user": updated,
    }
    assert client("DELETE", f"/api/workspaces/users/{membership.id}/").status_code == 204
    assert socket.receive() == {
        "type": "group_user_deleted",
        "id": membership.id,
        "workspace_id": workspace.id,
        "workspace_user": updated,
    }


def test_invitation_events_and_member_added(team, user, make_user, ws, api):
    client, colleague_socket, workspace = team
    invitee = make_user(name="Dora", email="dora@example.com")
    invitee_socket = ws(invitee)
    body = {"email": "dora@example.com", "permissions": "MEMBER", "base_url": INVITE_URL}
    invitation = client("POST", f"/api/workspaces/invitations/workspace/{workspace.id}/", body)
    dashboard = api(invitee)("GET", "/api/user/dashboard/").json()["workspace_invitations"]
    # As the dashboard shows it; the addressee has an account, as the event is for them.
    sent = {**dashboard[0], "email_exists": True}
    assert invitee_socket.receive() == {
        "type": "workspace_invitation_updated_or_created",
        "invitation": sent,
    }
    invitation_id = invitation.json()["id"]
    client("PATCH", f"/api/workspaces/invitations/{invitation_id}/", {"permissions": "ADMIN"})
    assert invitee_socket.receive()["type"] == "workspace_invitation_updated_or_created"
    accepted = api(invitee)("POST", f"/api/workspaces/invitations/{invitation_id}/accept/")
    assert accepted.status_code == 200
    message = invitee_socket.receive()
    assert message == {
        "type": "workspace_invitation_accepted",
        "invitation": {**sent, "invited_by": "Ada"},
    }
    added = colleague_socket.receive()
    membership = WorkspaceUser.objects.get(workspace=workspace, user=invitee)
    members = client("GET", f"/api/workspaces/users/workspace/{workspace.id}/").json()
    assert added == {
        "type": "group_user_added",
        "id": membership.id,
        "workspace_id": workspace.id,
        "workspace_user": next(m for m in members if m["id"] == membership.id),
    }
    assert invitee_socket.receive()["type"] == "group_user_added"  # now a member too


def test_invitation_rejected(team, make_user, ws, api):
    client, _, workspace = team
    invitee = make_user(name="Eve", email="eve@example.com")
    socket = ws(invitee)
    body = {"email": "eve@example.com", "permissions": "MEMBER", "base_url": INVITE_URL}
    client("POST", f"/api/workspaces/invitations/workspace/{workspace.id}/", body)
    invitation = socket.receive()["invitation"]
    api(invitee)("POST", f"/api/workspaces/invitations/{invitation['id']}/reject/")
    assert socket.receive() == {"type": "workspace_invitation_rejected", "invitation": invitation}
    assert not WorkspaceInvitation.objects.exists()


def test_user_updated_reaches_coworkers_only(team, user, other_user, ws, api):
    _, colleague_socket, _ = team
    stranger = ws(other_user)
    api(user)("PATCH", "/api/user/account/", {"first_name": "Augusta"})
    assert colleague_socket.receive() == {
        "type": "user_updated",
        "user": {"id": user.id, "username": user.username, "first_name": "Augusta"},
    }
    assert barrier(api, stranger, other_user) == []
