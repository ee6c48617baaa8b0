"""/api/workspaces/users/...: list, change the role of, and remove workspace members."""

import pytest

from tests.workspaces.helpers import error, join
from workspaces.models import Role, WorkspaceUser

NOT_ADMIN = {
    "error": "ERROR_USER_INVALID_GROUP_PERMISSIONS",
    "detail": "You need ['ADMIN'] permissions.",
}
NOT_MEMBER = {"error": "ERROR_USER_NOT_IN_GROUP", "detail": ""}


@pytest.fixture
def cleo_membership(member, workspace) -> WorkspaceUser:
    return WorkspaceUser.objects.get(user=member, workspace=workspace)


@pytest.fixture
def ada_membership(user, workspace) -> WorkspaceUser:
    return WorkspaceUser.objects.get(user=user, workspace=workspace)


# List.


def test_list_members(user_client, url, member, cleo_membership, workspace):
    response = user_client.get(url("users", workspace_id=workspace.id))
    assert response.status_code == 200
    body = response.json()
    assert [u["email"] for u in body] == ["ada@example.com", "cleo@example.com"]
    assert body[1] == {
        "id": cleo_membership.id,
        "name": "Cleo",
        "email": "cleo@example.com",
        "workspace": workspace.id,
        "permissions": "MEMBER",
        "created_on": cleo_membership.created_on.isoformat().replace("+00:00", "Z"),
        "user_id": member.id,
        "to_be_deleted": False,
    }


def test_list_members_search_matches_the_email(user_client, url, member, workspace):
    response = user_client.get(url("users", workspace_id=workspace.id), {"search": "CLEO@"})
    assert [u["name"] for u in response.json()] == ["Cleo"]


@pytest.mark.parametrize(
    ("sorts", "names"),
    [
        ("-name", ["Eve", "Cleo", "Ada"]),
        ("+email", ["Ada", "Cleo", "Eve"]),
        ("+role_uid,-name", ["Ada", "Eve", "Cleo"]),
        ("", ["Ada", "Cleo", "Eve"]),
    ],
)
def test_list_members_sorts(user_client, url, make_user, member, workspace, sorts, names):
    join(workspace, make_user(name="Eve", email="eve@example.com"))
    response = user_client.get(url("users", workspace_id=workspace.id), {"sorts": sorts})
    assert [u["name"] for u in response.json()] == names


@pytest.mark.parametrize(
    ("sorts", "code"),
    [
        ("name", "ERROR_INVALID_SORT_DIRECTION"),
        ("-name,email", "ERROR_INVALID_SORT_DIRECTION"),
        ("-password", "ERROR_INVALID_SORT_ATTRIBUTE"),
        ("+", "ERROR_INVALID_SORT_ATTRIBUTE"),
    ],
)
def test_list_members_rejects_bad_sorts(user_client, url, workspace, sorts, code):
    response = user_client.get(url("users", workspace_id=workspace.id), {"sorts": sorts})
    assert (response.status_code, error(response)) == (400, code)


def test_list_members_is_for_admins(client_for, url, member, outsider, workspace):
    response = client_for(member).get(url("users", workspace_id=workspace.id))
    assert (response.status_code, response.json()) == (400, NOT_ADMIN)
    response = client_for(outsider).get(url("users", workspace_id=workspace.id))
    assert (response.status_code, response.json()) == (400, NOT_MEMBER)


def test_list_members_of_unknown_or_trashed_workspace(user_client, url, workspace):
    response = user_client.get(url("users", workspace_id=999999))
    assert (response.status_code, error(response)) == (404, "ERROR_GROUP_DOES_NOT_EXIST")
    workspace.trashed = True
    workspace.save()
    response = user_client.get(url("users", workspace_id=workspace.id))
    assert (response.status_code, error(response)) == (404, "ERROR_GROUP_DOES_NOT_EXIST")


# Change the role.


def test_patch_changes_the_role(user_client, url, cleo_membership):
    response = user_client.patch(
        url("user", workspace_user_id=cleo_membership.id), {"permissions": "ADMIN"}, format="json"
    )
    assert response.status_code == 200
    assert (response.json()["id"], response.json()["permissions"]) == (cleo_membership.id, "ADMIN")
    cleo_membership.refresh_from_db()
    assert cleo_membership.permissions == Role.ADMIN


@pytest.mark.parametrize("body", [{}, {"permissions": "OWNER"}])
def test_patch_validates_the_role(user_client, url, cleo_membership, body):
    response = user_client.patch(
        url("user", workspace_user_id=cleo_membership.id), body, format="json"
    )
    assert error(response) == "ERROR_REQUEST_BODY_VALIDATION"


def test_patch_cannot_demote_the_last_admin(user_client, url, ada_membership):
    response = user_client.patch(
        url("user", workspace_user_id=ada_membership.id), {"permissions": "MEMBER"}, format="json"
    )
    assert (response.status_code, error(response)) == (400, "ERROR_GROUP_USER_IS_LAST_ADMIN")


def test_patch_is_for_admins(client_for, url, member, outsider, ada_membership, cleo_membership):
    target = url("user", workspace_user_id=ada_membership.id)
    response = client_for(member).patch(target, {"permissions": "MEMBER"}, format="json")
    assert (response.status_code, response.json()) == (400, NOT_ADMIN)
    target = url("user", workspace_user_id=cleo_membership.id)
    response = client_for(outsider).patch(target, {"permissions": "ADMIN"}, format="json")
    assert (response.status_code, response.json()) == (400, NOT_MEMBER)
    ada_membership.refresh_from_db()
    cleo_membership.refresh_from_db()
    assert (ada_membership.permissions, cleo_membership.permissions) == ("ADMIN", "MEMBER")


def test_patch_unknown_or_trashed_member(user_client, url, cleo_membership, workspace):
    response = user_client.patch(
        url("user", workspace_user_id=999999), {"permissions": "ADMIN"}, format="json"
    )
    assert (response.status_code, error(response)) == (404, "ERROR_GROUP_USER_DOES_NOT_EXIST")
    workspace.trashed = True
    workspace.save()
    response = user_client.patch(
        url("user", workspace_user_id=cleo_membership.id), {"permissions": "ADMIN"}, format="json"
    )
    assert (response.status_code, error(response)) == (404, "ERROR_GROUP_USER_DOES_NOT_EXIST")


# Remove.


def test_delete_removes_the_member(user_client, url, cleo_membership):
    response = user_client.delete(url("user", workspace_user_id=cleo_membership.id))
    assert response.status_code == 204
    assert not WorkspaceUser.objects.filter(id=cleo_membership.id).exists()


def test_delete_yourself_is_refused(user_client, url, ada_membership):
    response = user_client.delete(url("user", workspace_user_id=ada_membership.id))
    assert (response.status_code, error(response)) == (
        400,
        "ERROR_CANNOT_DELETE_YOURSELF_FROM_GROUP",
    )


def test_delete_is_for_admins(client_for, url, member, outsider, ada_membership, cleo_membership):
    response = client_for(member).delete(url("user", workspace_user_id=ada_membership.id))
    assert (response.status_code, response.json()) == (400, NOT_ADMIN)
    response = client_for(outsider).delete(url("user", workspace_user_id=cleo_membership.id))
    assert (response.status_code, response.json()) == (400, NOT_MEMBER)
    assert WorkspaceUser.objects.filter(id__in=[ada_membership.id, cleo_membership.id]).count() == 2


def test_delete_unknown_member(user_client, url):
    response = user_client.delete(url("user", workspace_user_id=999999))
    assert (response.status_code, error(response)) == (404, "ERROR_GROUP_USER_DOES_NOT_EXIST")
