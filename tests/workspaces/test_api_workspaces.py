"""/api/workspaces/ (and its twin /api/groups/): list, create, rename, trash, leave, order."""

import pytest

from tests.workspaces.helpers import error, frontend_allows, join, workspace_of
from workspaces.models import Workspace, WorkspaceUser

NOT_ADMIN = {
    "error": "ERROR_USER_INVALID_GROUP_PERMISSIONS",
    "detail": "You need ['ADMIN'] permissions.",
}
NOT_MEMBER = {"error": "ERROR_USER_NOT_IN_GROUP", "detail": ""}


def trash(workspace: Workspace) -> None:
    workspace.trashed = True
    workspace.save()


# List.


def test_list_shows_the_users_workspaces_with_their_members(
    user_client, url, user, member, workspace
):
    response = user_client.get(url("list"))
    assert response.status_code == 200
    ada, cleo = WorkspaceUser.objects.filter(workspace=workspace).order_by("id")
    assert response.json() == [
        {
            "id": workspace.id,
            "name": "Ada's workspace",
            "users": [
                {
                    "id": ada.id,
                    "name": "Ada",
                    "email": "ada@example.com",
                    "workspace": workspace.id,
                    "permissions": "ADMIN",
                    "created_on": ada.created_on.isoformat().replace("+00:00", "Z"),
                    "user_id": user.id,
                    "to_be_deleted": False,
                },
                {
                    "id": cleo.id,
                    "name": "Cleo",
                    "email": "cleo@example.com",
                    "workspace": workspace.id,
                    "permissions": "MEMBER",
                    "created_on": cleo.created_on.isoformat().replace("+00:00", "Z"),
                    "user_id": member.id,
                    "to_be_deleted": False,
                },
            ],
            "order": 1,
            "permissions": "ADMIN",
            "unread_notifications_count": 0,
            "generative_ai_models_enabled": {},
        }
    ]


def test_list_gives_the_requesters_own_order_and_role(client_for, url, member, workspace):
    listed = client_for(member).get(url("list")).json()
    assert [(w["name"], w["order"], w["permissions"]) for w in listed] == [
        ("Cleo's workspace", 1, "ADMIN"),
        ("Ada's workspace", 99, "MEMBER"),
    ]


def test_list_never_shows_other_tenants_or_trashed_workspaces(user_client, url, user, outsider):
    trashed = user_client.post(url("list"), {"name": "Old"}, format="json").json()["id"]
    trash(Workspace.objects.get(id=trashed))
    listed = user_client.get(url("list")).json()
    assert [w["id"] for w in listed] == [workspace_of(user).id]


def test_list_queries_do_not_grow_with_workspaces(
    user_client, url, user, make_user, django_assert_max_num_queries
):
    for n in range(5):
        membership = WorkspaceUser.objects.create(
            workspace=Workspace.objects.create(name=f"W{n}"), user=user, order=n + 2
        )
        join(membership.workspace, make_user())
    with django_assert_max_num_queries(4):  # auth user, memberships, members
        assert len(user_client.get(url("list")).json()) == 6


def test_list_needs_authentication(api_client, url):
    response = api_client.get(url("list"))
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication credentials were not provided."}


# Create.


def test_create_makes_the_creator_admin_and_places_it_last(user_client, url, user):
    response = user_client.post(url("list"), {"name": "Acme"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert (body["name"], body["order"], body["permissions"]) == ("Acme", 2, "ADMIN")
    assert [(u["user_id"], u["permissions"]) for u in body["users"]] == [(user.id, "ADMIN")]
    assert Workspace.objects.filter(id=body["id"], name="Acme").exists()


@pytest.mark.parametrize("body", [{}, {"name": ""}, {"name": "x" * 166}])
def test_create_validates_the_name(user_client, url, body):
    response = user_client.post(url("list"), body, format="json")
    assert response.status_code == 400
    assert error(response) == "ERROR_REQUEST_BODY_VALIDATION"
    assert "name" in response.json()["detail"]


def test_create_initial_workspace(user_client, url):
    response = user_client.post(url("create_initial"))
    assert response.status_code == 200
    assert (response.json()["name"], response.json()["order"]) == ("Ada's workspace", 2)


# One workspace.


def test_get_one_workspace_is_not_allowed(user_client, url, workspace):
    response = user_client.get(url("item", workspace_id=workspace.id))
    assert response.status_code == 405


def test_patch_renames(user_client, url, workspace):
    response = user_client.patch(
        url("item", workspace_id=workspace.id), {"name": "Renamed"}, format="json"
    )
    assert response.status_code == 200
    assert response.json() == {
        "id": workspace.id,
        "name": "Renamed",
        "generative_ai_models_enabled": {},
    }


def test_patch_validates_the_name(user_client, url, workspace):
    response = user_client.patch(
        url("item", workspace_id=workspace.id), {"name": "x" * 166}, format="json"
    )
    assert error(response) == "ERROR_REQUEST_BODY_VALIDATION"


def test_patch_is_for_admins(client_for, url, member, workspace):
    response = client_for(member).patch(
        url("item", workspace_id=workspace.id), {"name": "Mine"}, format="json"
    )
    assert (response.status_code, response.json()) == (400, NOT_ADMIN)


def test_patch_by_an_outsider(client_for, url, outsider, workspace):
    response = client_for(outsider).patch(
        url("item", workspace_id=workspace.id), {"name": "Mine"}, format="json"
    )
    assert (response.status_code, response.json()) == (400, NOT_MEMBER)
    workspace.refresh_from_db()
    assert workspace.name == "Ada's workspace"


def test_patch_unknown_or_trashed_workspace(user_client, url, workspace):
    response = user_client.patch(url("item", workspace_id=999999), {"name": "X"}, format="json")
    assert (response.status_code, error(response)) == (404, "ERROR_GROUP_DOES_NOT_EXIST")
    trash(workspace)
    response = user_client.patch(
        url("item", workspace_id=workspace.id), {"name": "X"}, format="json"
    )
    assert (response.status_code, error(response)) == (404, "ERROR_GROUP_DOES_NOT_EXIST")


def test_delete_moves_the_workspace_to_the_trash(user_client, url, workspace):
    response = user_client.delete(url("item", workspace_id=workspace.id))
    assert response.status_code == 204
    assert response.content == b""
    assert Workspace.objects_and_trash.get(id=workspace.id).trashed
    assert user_client.get(url("list")).json() == []
    again = user_client.delete(url("item", workspace_id=workspace.id))
    assert (again.status_code, error(again)) == (404, "ERROR_GROUP_DOES_NOT_EXIST")


def test_delete_is_for_admins(client_for, url, member, outsider, workspace):
    response = client_for(member).delete(url("item", workspace_id=workspace.id))
    assert (response.status_code, response.json()) == (400, NOT_ADMIN)
    response = client_for(outsider).delete(url("item", workspace_id=workspace.id))
    assert (response.status_code, response.json()) == (400, NOT_MEMBER)
    assert Workspace.objects.filter(id=workspace.id).exists()


def test_delete_unknown_workspace(user_client, url):
    response = user_client.delete(url("item", workspace_id=999999))
    assert (response.status_code, error(response)) == (404, "ERROR_GROUP_DOES_NOT_EXIST")


# Leave.


def test_a_member_leaves(client_for, url, member, workspace):
    response = client_for(member).post(url("leave", workspace_id=workspace.id))
    assert response.status_code == 204
    assert not WorkspaceUser.objects.filter(user=member, workspace=workspace).exists()


def test_the_last_admin_cannot_leave(user_client, url, workspace):
    response = user_client.post(url("leave", workspace_id=workspace.id))
    assert (response.status_code, error(response)) == (400, "ERROR_GROUP_USER_IS_LAST_ADMIN")


def test_leave_by_an_outsider_or_unknown_or_trashed(client_for, url, user, outsider, workspace):
    response = client_for(outsider).post(url("leave", workspace_id=workspace.id))
    assert (response.status_code, response.json()) == (400, NOT_MEMBER)
    response = client_for(user).post(url("leave", workspace_id=999999))
    assert (response.status_code, error(response)) == (404, "ERROR_GROUP_DOES_NOT_EXIST")
    trash(workspace)
    response = client_for(user).post(url("leave", workspace_id=workspace.id))
    assert (response.status_code, error(response)) == (404, "ERROR_GROUP_DOES_NOT_EXIST")


# Order.


def test_order_sets_the_users_order_and_ignores_foreign_ids(user_client, url, user, outsider):
    first = workspace_of(user).id
    second = user_client.post(url("list"), {"name": "Second"}, format="json").json()["id"]
    foreign = workspace_of(outsider).id
    response = user_client.post(
        url("order"), {"workspaces": [second, foreign, first]}, format="json"
    )
    assert response.status_code == 204
    listed = user_client.get(url("list")).json()
    assert [(w["id"], w["order"]) for w in listed] == [(second, 1), (first, 3)]
    assert WorkspaceUser.objects.get(user=outsider).order == 1


def test_order_validates_the_body(user_client, url):
    response = user_client.post(url("order"), {"workspaces": ["a"]}, format="json")
    assert error(response) == "ERROR_REQUEST_BODY_VALIDATION"


# Permissions.


def test_permissions_describe_the_role(client_for, url, user, member, workspace):
    admin = client_for(user).get(url("permissions", workspace_id=workspace.id))
    as_member = client_for(member).get(url("permissions", workspace_id=workspace.id))
    assert admin.status_code == as_member.status_code == 200
    names = ["core", "setting_operation", "staff", "allow_if_template", "basic"]
    assert [manager["name"] for manager in admin.json()] == names
    assert [manager["name"] for manager in as_member.json()] == names
    assert admin.json()[-1]["permissions"]["is_admin"] is True
    assert as_member.json()[-1]["permissions"]["is_admin"] is False
    for operation in ("workspace.update", "workspace.list_workspace_users"):
        assert frontend_allows(admin.json(), operation, workspace.id)
        assert not frontend_allows(as_member.json(), operation, workspace.id)
    assert frontend_allows(as_member.json(), "workspace.read", workspace.id)
    assert frontend_allows(as_member.json(), "database.table.create_row", workspace.id)


def test_permissions_of_an_outsider_or_unknown_or_trashed(
    client_for, url, user, outsider, workspace
):
    response = client_for(outsider).get(url("permissions", workspace_id=workspace.id))
    assert (response.status_code, response.json()) == (400, NOT_MEMBER)
    response = client_for(user).get(url("permissions", workspace_id=999999))
    assert (response.status_code, error(response)) == (404, "ERROR_GROUP_DOES_NOT_EXIST")
    trash(workspace)
    response = client_for(user).get(url("permissions", workspace_id=workspace.id))
    assert (response.status_code, error(response)) == (404, "ERROR_GROUP_DOES_NOT_EXIST")


# The twins.


def test_groups_paths_answer_as_workspaces_paths(user_client, member, workspace):
    pairs = [
        ("/api/workspaces/", "/api/groups/"),
        (
            f"/api/workspaces/users/workspace/{workspace.id}/?sorts=-name",
            f"/api/groups/users/group/{workspace.id}/?sorts=-name",
        ),
        (
            f"/api/workspaces/invitations/workspace/{workspace.id}/",
            f"/api/groups/invitations/group/{workspace.id}/",
        ),
        (
            f"/api/workspaces/{workspace.id}/permissions/",
            f"/api/groups/{workspace.id}/permissions/",
        ),
        ("/api/workspaces/users/workspace/999999/", "/api/groups/users/group/999999/"),
    ]
    for current, legacy in pairs:
        now, old = user_client.get(current), user_client.get(legacy)
        assert (now.status_code, now.json()) == (old.status_code, old.json())
