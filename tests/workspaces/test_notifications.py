"""Notifications: made by invitations, listed, read and cleared by their recipients only."""

import pytest
from rest_framework.test import APIClient

from workspaces.models import NotificationRecipient

LOGIN = "/api/user/token-auth/"
BASE_URL = "http://localhost:3000/invite"


def url(workspace_id, *rest) -> str:
    return "/".join([f"/api/notifications/{workspace_id}", *map(str, rest), ""])


def invite(client, workspace, email):
    response = client.post(
        f"/api/workspaces/invitations/workspace/{workspace.id}/",
        {"email": email, "permissions": "MEMBER", "base_url": BASE_URL},
        format="json",
    )
    assert response.status_code == 200, response.json()
    return response.json()["id"]


def unread_in_payload(user) -> int:
    body = {"email": user.email, "password": "password123"}
    return APIClient().post(LOGIN, body, format="json").json()["user_notifications"]["unread_count"]


def workspace_unread(client, workspace) -> int:
    (listed,) = [w for w in client.get("/api/workspaces/").json() if w["id"] == workspace.id]
    return listed["unread_notifications_count"]


@pytest.fixture
def accepted(client_for, user, workspace, outsider):
    """Bob accepted Ada's invitation: Ada is told in her workspace."""
    invitation_id = invite(client_for(user), workspace, outsider.email)
    response = client_for(outsider).post(f"/api/workspaces/invitations/{invitation_id}/accept/")
    assert response.status_code == 200
    return invitation_id


def test_an_invited_account_is_notified_directly_and_it_is_read_on_answer(
    client_for, user, workspace, outsider
):
    invitation_id = invite(client_for(user), workspace, outsider.email)
    assert unread_in_payload(outsider) == 1
    bob = client_for(outsider)
    own_workspace = bob.get("/api/workspaces/").json()[0]["id"]
    body = bob.get(url(own_workspace)).json()
    assert body["count"] == 1
    (notification,) = body["results"]
    assert notification["type"] == "workspace_invitation_created"
    assert notification["workspace"] is None
    assert notification["read"] is False
    assert notification["sender"] == {"id": user.id, "username": user.username, "first_name": "Ada"}
    assert notification["data"] == {
        "invitation_id": invitation_id,
        "invited_to_workspace_id": workspace.id,
        "invited_to_workspace_name": workspace.name,
    }
    bob.post(f"/api/workspaces/invitations/{invitation_id}/reject/")
    assert unread_in_payload(outsider) == 0


def test_the_inviter_is_told_of_the_answer_in_the_workspace(client_for, user, workspace, accepted):
    ada = client_for(user)
    assert workspace_unread(ada, workspace) == 1
    assert unread_in_payload(user) == 0  # not a direct notification
    (notification,) = ada.get(url(workspace.id)).json()["results"]
    assert notification["type"] == "workspace_invitation_accepted"
    assert notification["workspace"] == {"id": workspace.id}


def test_a_rejection_is_told_too(client_for, user, workspace, outsider):
    invitation_id = invite(client_for(user), workspace, outsider.email)
    client_for(outsider).post(f"/api/workspaces/invitations/{invitation_id}/reject/")
    (notification,) = client_for(user).get(url(workspace.id)).json()["results"]
    assert notification["type"] == "workspace_invitation_rejected"


def test_mark_one_read_and_unread(client_for, user, workspace, accepted):
    ada = client_for(user)
    (notification,) = ada.get(url(workspace.id)).json()["results"]
    response = ada.patch(url(workspace.id, notification["id"]), {"read": True}, format="json")
    assert response.status_code == 200
    assert response.json() == {**notification, "read": True}
    assert workspace_unread(ada, workspace) == 0
    ada.patch(url(workspace.id, notification["id"]), {"read": False}, format="json")
    assert workspace_unread(ada, workspace) == 1
    bad = ada.patch(url(workspace.id, notification["id"]), {"read": "maybe"}, format="json")
    assert bad.json()["error"] == "ERROR_REQUEST_BODY_VALIDATION"


def test_mark_all_read_then_clear(client_for, user, workspace, accepted):
    ada = client_for(user)
    assert ada.post(url(workspace.id, "mark-all-as-read")).status_code == 204
    assert workspace_unread(ada, workspace) == 0
    assert ada.get(url(workspace.id)).json()["count"] == 1
    assert ada.delete(url(workspace.id)).status_code == 204
    assert ada.get(url(workspace.id)).json() == {
        "count": 0,
        "next": None,
        "previous": None,
        "results": [],
    }


def test_list_pages_with_limit_and_offset(client_for, user, workspace, make_user):
    for n in range(3):
        guest = make_user(email=f"guest{n}@example.com")
        invitation_id = invite(client_for(user), workspace, guest.email)
        client_for(guest).post(f"/api/workspaces/invitations/{invitation_id}/accept/")
    body = client_for(user).get(url(workspace.id), {"limit": 2, "offset": 0}).json()
    assert body["count"] == 3 and len(body["results"]) == 2 and body["next"]
    newest_first = [n["data"]["invitation_id"] for n in body["results"]]
    assert newest_first == sorted(newest_first, reverse=True)


def test_errors_and_other_tenants(client_for, user, workspace, outsider, accepted, make_user):
    (notification,) = client_for(user).get(url(workspace.id)).json()["results"]
    stranger = client_for(make_user(email="stranger@example.com"))
    for response in (
        stranger.get(url(workspace.id)),
        stranger.post(url(workspace.id, "mark-all-as-read")),
        stranger.delete(url(workspace.id)),
        stranger.patch(url(workspace.id, notification["id"]), {"read": True}, format="json"),
    ):
        assert response.status_code == 400
        assert response.json()["error"] == "ERROR_USER_NOT_IN_GROUP"
    # Bob is a member now, but the notification is Ada's: it does not exist for him.
    response = client_for(outsider).patch(
        url(workspace.id, notification["id"]), {"read": True}, format="json"
    )
    assert response.status_code == 404
    assert response.json() == {
        "error": "ERROR_NOTIFICATION_DOES_NOT_EXIST",
        "detail": "The requested notification does not exist.",
    }
    # Bob sees only his own (the read invitation, a direct notification).
    (own,) = client_for(outsider).get(url(workspace.id)).json()["results"]
    assert (own["type"], own["read"]) == ("workspace_invitation_created", True)
    assert client_for(user).get(url(999999)).json()["error"] == "ERROR_GROUP_DOES_NOT_EXIST"
    missing = client_for(user).patch(url(workspace.id, 999999), {"read": True}, format="json")
    assert missing.status_code == 404
    assert APIClient().get(url(workspace.id)).status_code == 401
    assert NotificationRecipient.objects.get(notification_id=notification["id"]).read is False
