"""/api/workspaces/invitations/... and GET /api/user/dashboard/."""

import pytest
from django.urls import reverse

from tests.workspaces.helpers import error
from workspaces.models import Role, WorkspaceInvitation, WorkspaceUser
from workspaces.services import invitation_get_by_token, invitation_token

BASE_URL = "http://localhost:3000/workspace-invitation"
NOT_ADMIN = {
    "error": "ERROR_USER_INVALID_GROUP_PERMISSIONS",
    "detail": "You need ['ADMIN'] permissions.",
}
NOT_MEMBER = {"error": "ERROR_USER_NOT_IN_GROUP", "detail": ""}
NO_INVITATION = "ERROR_GROUP_INVITATION_DOES_NOT_EXIST"


def as_wire(moment) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def invite_body(email="dora@example.com", **fields) -> dict:
    return {"email": email, "permissions": "MEMBER", "base_url": BASE_URL, **fields}


@pytest.fixture
def dora(make_user):
    """The addressee of the `invitation` fixture, once she signed up."""
    return make_user(name="Dora", email="dora@example.com")


# List.


def test_list_invitations(user_client, url, invitation, workspace):
    response = user_client.get(url("invitations", workspace_id=workspace.id))
    assert response.status_code == 200
    assert response.json() == [
        {
            "id": invitation.id,
            "workspace": workspace.id,
            "email": "dora@example.com",
            "permissions": "MEMBER",
            "message": "Hi Dora",
            "created_on": as_wire(invitation.created_on),
        }
    ]


def test_list_invitations_search_and_sorts(user_client, url, user, invitation, workspace):
    WorkspaceInvitation.objects.create(
        workspace=workspace, invited_by=user, email="eve@example.com", message="Hello Eve"
    )
    target = url("invitations", workspace_id=workspace.id)
    searched = user_client.get(target, {"search": "hello"}).json()
    assert [i["email"] for i in searched] == ["eve@example.com"]
    by_email = user_client.get(target, {"sorts": "-email"}).json()
    assert [i["email"] for i in by_email] == ["eve@example.com", "dora@example.com"]
    by_message = user_client.get(target, {"sorts": "+message"}).json()
    assert [i["message"] for i in by_message] == ["Hello Eve", "Hi Dora"]


@pytest.mark.parametrize(
    ("sorts", "code"),
    [("email", "ERROR_INVALID_SORT_DIRECTION"), ("+name", "ERROR_INVALID_SORT_ATTRIBUTE")],
)
def test_list_invitations_rejects_bad_sorts(user_client, url, workspace, sorts, code):
    response = user_client.get(url("invitations", workspace_id=workspace.id), {"sorts": sorts})
    assert (response.status_code, error(response)) == (400, code)


def test_list_invitations_is_for_admins(client_for, url, member, outsider, workspace):
    response = client_for(member).get(url("invitations", workspace_id=workspace.id))
    assert (response.status_code, response.json()) == (400, NOT_ADMIN)
    response = client_for(outsider).get(url("invitations", workspace_id=workspace.id))
    assert (response.status_code, response.json()) == (400, NOT_MEMBER)


def test_list_invitations_of_unknown_workspace(user_client, url):
    response = user_client.get(url("invitations", workspace_id=999999))
    assert (response.status_code, error(response)) == (404, "ERROR_GROUP_DOES_NOT_EXIST")


# Create.


def test_create_invitation_mails_the_link(user_client, url, workspace, mailoutbox):
    response = user_client.post(
        url("invitations", workspace_id=workspace.id),
        invite_body(email="Dora@Example.com", permissions="ADMIN", message="Join us"),
        format="json",
    )
    assert response.status_code == 200
    invitation = WorkspaceInvitation.objects.get()
    assert response.json() == {
        "id": invitation.id,
        "workspace": workspace.id,
        "email": "dora@example.com",
        "permissions": "ADMIN",
        "message": "Join us",
        "created_on": as_wire(invitation.created_on),
    }
    (mail,) = mailoutbox
    assert mail.to == ["dora@example.com"]
    # The link's token names the invitation (it is signed with a timestamp: not compared as
    # text with one made again, which may fall in the next second).
    (link,) = [line for line in mail.body.splitlines() if line.startswith(f"{BASE_URL}/")]
    assert invitation_get_by_token(token=link.removeprefix(f"{BASE_URL}/")) == invitation


def test_the_mailed_token_opens_the_invitation(api_client, user_client, url, workspace, mailoutbox):
    user_client.post(url("invitations", workspace_id=workspace.id), invite_body(), format="json")
    token = mailoutbox[0].body.split(f"{BASE_URL}/")[1].split()[0]
    response = api_client.get(url("invitation_token", token=token))
    assert response.status_code == 200
    assert response.json()["workspace"] == "Ada's workspace"


def test_message_and_permissions_are_optional(user_client, url, workspace):
    response = user_client.post(
        url("invitations", workspace_id=workspace.id),
        {"email": "dora@example.com", "base_url": BASE_URL},
        format="json",
    )
    assert (response.json()["permissions"], response.json()["message"]) == ("MEMBER", "")


def test_inviting_again_updates_the_invitation(user_client, url, invitation, workspace, mailoutbox):
    response = user_client.post(
        url("invitations", workspace_id=workspace.id),
        invite_body(permissions="ADMIN", message="Again"),
        format="json",
    )
    assert (response.json()["id"], response.json()["permissions"]) == (invitation.id, "ADMIN")
    assert WorkspaceInvitation.objects.count() == 1
    assert len(mailoutbox) == 1


def test_inviting_a_member_is_refused(user_client, url, member, workspace, mailoutbox):
    response = user_client.post(
        url("invitations", workspace_id=workspace.id),
        invite_body(email="CLEO@example.com"),
        format="json",
    )
    assert (response.status_code, error(response)) == (400, "ERROR_GROUP_USER_ALREADY_EXISTS")
    assert mailoutbox == []


def test_invitation_links_must_point_at_the_frontend(user_client, url, workspace, mailoutbox):
    response = user_client.post(
        url("invitations", workspace_id=workspace.id),
        invite_body(base_url="https://evil.example.net/invite"),
        format="json",
    )
    assert (response.status_code, error(response)) == (400, "ERROR_HOSTNAME_IS_NOT_ALLOWED")
    assert not WorkspaceInvitation.objects.exists()
    assert mailoutbox == []


def test_pending_invitations_are_capped(user_client, url, invitation, workspace, settings):
    settings.MAX_PENDING_WORKSPACE_INVITES = 1
    response = user_client.post(
        url("invitations", workspace_id=workspace.id),
        invite_body(email="eve@example.com"),
        format="json",
    )
    assert (response.status_code, error(response)) == (
        400,
        "ERROR_MAX_NUMBER_OF_PENDING_WORKSPACE_INVITES_REACHED",
    )


@pytest.mark.parametrize(
    "body",
    [
        invite_body(email="not-an-email"),
        invite_body(permissions="OWNER"),
        invite_body(base_url="nope"),
        {"email": "dora@example.com"},
    ],
)
def test_create_invitation_validates_the_body(user_client, url, workspace, body):
    response = user_client.post(url("invitations", workspace_id=workspace.id), body, format="json")
    assert (response.status_code, error(response)) == (400, "ERROR_REQUEST_BODY_VALIDATION")


def test_create_invitation_is_for_admins(client_for, url, member, outsider, workspace, mailoutbox):
    target = url("invitations", workspace_id=workspace.id)
    response = client_for(member).post(target, invite_body(), format="json")
    assert (response.status_code, response.json()) == (400, NOT_ADMIN)
    response = client_for(outsider).post(target, invite_body(), format="json")
    assert (response.status_code, response.json()) == (400, NOT_MEMBER)
    assert mailoutbox == []


def test_create_invitation_in_unknown_or_trashed_workspace(user_client, url, workspace):
    response = user_client.post(
        url("invitations", workspace_id=999999), invite_body(), format="json"
    )
    assert (response.status_code, error(response)) == (404, "ERROR_GROUP_DOES_NOT_EXIST")
    workspace.trashed = True
    workspace.save()
    response = user_client.post(
        url("invitations", workspace_id=workspace.id), invite_body(), format="json"
    )
    assert (response.status_code, error(response)) == (404, "ERROR_GROUP_DOES_NOT_EXIST")


# One invitation.


def test_get_invitation(user_client, url, invitation):
    response = user_client.get(url("invitation", invitation_id=invitation.id))
    assert response.status_code == 200
    assert (response.json()["id"], response.json()["email"]) == (invitation.id, "dora@example.com")


def test_patch_invitation(user_client, url, invitation):
    response = user_client.patch(
        url("invitation", invitation_id=invitation.id), {"permissions": "ADMIN"}, format="json"
    )
    assert (response.status_code, response.json()["permissions"]) == (200, "ADMIN")
    invitation.refresh_from_db()
    assert invitation.permissions == Role.ADMIN


def test_patch_invitation_validates_the_role(user_client, url, invitation):
    response = user_client.patch(
        url("invitation", invitation_id=invitation.id), {"permissions": "OWNER"}, format="json"
    )
    assert error(response) == "ERROR_REQUEST_BODY_VALIDATION"


def test_delete_invitation(user_client, url, invitation):
    response = user_client.delete(url("invitation", invitation_id=invitation.id))
    assert response.status_code == 204
    assert not WorkspaceInvitation.objects.exists()


@pytest.mark.parametrize(
    ("method", "body"), [("get", None), ("patch", {"permissions": "ADMIN"}), ("delete", None)]
)
def test_one_invitation_is_for_admins(client_for, url, member, outsider, invitation, method, body):
    target = url("invitation", invitation_id=invitation.id)
    response = getattr(client_for(member), method)(target, body, format="json")
    assert (response.status_code, response.json()) == (400, NOT_ADMIN)
    response = getattr(client_for(outsider), method)(target, body, format="json")
    assert (response.status_code, response.json()) == (400, NOT_MEMBER)
    invitation.refresh_from_db()
    assert invitation.permissions == Role.MEMBER


@pytest.mark.parametrize(
    ("method", "body"), [("get", None), ("patch", {"permissions": "ADMIN"}), ("delete", None)]
)
def test_unknown_or_trashed_invitation(user_client, url, invitation, workspace, method, body):
    response = getattr(user_client, method)(
        url("invitation", invitation_id=999999), body, format="json"
    )
    assert (response.status_code, error(response)) == (404, NO_INVITATION)
    workspace.trashed = True
    workspace.save()
    response = getattr(user_client, method)(
        url("invitation", invitation_id=invitation.id), body, format="json"
    )
    assert (response.status_code, error(response)) == (404, NO_INVITATION)


# Accept and reject.


def test_accept_joins_the_workspace(client_for, url, dora, invitation, workspace):
    response = client_for(dora).post(url("invitation_accept", invitation_id=invitation.id))
    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["name"], body["permissions"], body["order"]) == (
        workspace.id,
        "Ada's workspace",
        "MEMBER",
        2,
    )
    assert [u["email"] for u in body["users"]] == ["ada@example.com", "dora@example.com"]
    assert WorkspaceUser.objects.filter(user=dora, workspace=workspace).exists()
    assert not WorkspaceInvitation.objects.exists()


def test_reject_drops_the_invitation(client_for, url, dora, invitation, workspace):
    response = client_for(dora).post(url("invitation_reject", invitation_id=invitation.id))
    assert response.status_code == 204
    assert not WorkspaceInvitation.objects.exists()
    assert not WorkspaceUser.objects.filter(user=dora, workspace=workspace).exists()


@pytest.mark.parametrize("action", ["invitation_accept", "invitation_reject"])
def test_only_the_addressee_may_answer(client_for, url, user, outsider, invitation, action):
    for someone in (user, outsider):
        response = client_for(someone).post(url(action, invitation_id=invitation.id))
        assert (response.status_code, error(response)) == (
            400,
            "ERROR_GROUP_INVITATION_EMAIL_MISMATCH",
        )
    assert WorkspaceInvitation.objects.filter(id=invitation.id).exists()


@pytest.mark.parametrize("action", ["invitation_accept", "invitation_reject"])
def test_answering_an_unknown_or_trashed_invitation(
    client_for, url, dora, invitation, workspace, action
):
    response = client_for(dora).post(url(action, invitation_id=999999))
    assert (response.status_code, error(response)) == (404, NO_INVITATION)
    workspace.trashed = True
    workspace.save()
    response = client_for(dora).post(url(action, invitation_id=invitation.id))
    assert (response.status_code, error(response)) == (404, NO_INVITATION)
    assert not WorkspaceUser.objects.filter(user=dora, workspace=workspace).exists()


# By token (public).


def test_get_invitation_by_token(api_client, url, invitation):
    response = api_client.get(
        url("invitation_token", token=invitation_token(invitation=invitation))
    )
    assert response.status_code == 200
    assert response.json() == {
        "id": invitation.id,
        "invited_by": "Ada",
        "workspace": "Ada's workspace",
        "email": "dora@example.com",
        "message": "Hi Dora",
        "created_on": as_wire(invitation.created_on),
        "email_exists": False,
    }


def test_by_token_tells_whether_the_email_has_an_account(api_client, url, dora, invitation):
    response = api_client.get(
        url("invitation_token", token=invitation_token(invitation=invitation))
    )
    assert response.json()["email_exists"] is True


def test_by_token_ignores_a_stale_authorization_header(api_client, url, invitation):
    api_client.credentials(HTTP_AUTHORIZATION="JWT expired-or-forged")
    token = invitation_token(invitation=invitation)
    assert api_client.get(url("invitation_token", token=token)).status_code == 200


def test_a_bad_token(api_client, url, invitation):
    forged = invitation_token(invitation=invitation)[:-2] + "xx"
    response = api_client.get(url("invitation_token", token=forged))
    assert (response.status_code, error(response)) == (400, "BAD_TOKEN_SIGNATURE")


def test_the_token_of_a_gone_invitation(api_client, url, invitation):
    token = invitation_token(invitation=invitation)
    invitation.delete()
    response = api_client.get(url("invitation_token", token=token))
    assert (response.status_code, error(response)) == (404, NO_INVITATION)


# Dashboard.


def test_dashboard_lists_the_invitations_for_the_users_email(client_for, dora, invitation, user):
    other = WorkspaceInvitation.objects.create(
        workspace=invitation.workspace, invited_by=user, email="eve@example.com"
    )
    response = client_for(dora).get(reverse("api:user:dashboard"))
    assert response.status_code == 200
    assert response.json() == {
        "workspace_invitations": [
            {
                "id": invitation.id,
                "invited_by": "Ada",
                "workspace": "Ada's workspace",
                "email": "dora@example.com",
                "message": "Hi Dora",
                "created_on": as_wire(invitation.created_on),
                "email_exists": None,
            }
        ]
    }
    assert other.id not in [i["id"] for i in response.json()["workspace_invitations"]]


def test_dashboard_hides_invitations_to_trashed_workspaces(client_for, dora, invitation):
    invitation.workspace.trashed = True
    invitation.workspace.save()
    response = client_for(dora).get(reverse("api:user:dashboard"))
    assert response.json() == {"workspace_invitations": []}


def test_dashboard_needs_authentication(api_client):
    assert api_client.get(reverse("api:user:dashboard")).status_code == 401
