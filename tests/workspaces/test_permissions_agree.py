"""The permission objects a client is given and the server's answers agree, for each role.

For every operation below, the workspace's permission objects (read as Baserow's frontend reads
them) say whether the role may perform it; the API must then accept it, or refuse it.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from core import operations
from database.applications.models import Application
from database.fields.models import Field
from database.tables.models import Table
from database.views.models import View
from tests.workspaces.helpers import frontend_allows, join, workspace_of
from workspaces.models import Role, WorkspaceInvitation, WorkspaceUser

BASE_URL = "http://localhost:3000/invite"


@dataclass
class World:
    """Ada's workspace with its example database; Dan is a third member to act upon."""

    workspace_id: int
    dan_membership_id: int
    invitation_id: int
    database_id: int
    table_id: int
    field_id: int
    view_id: int


@pytest.fixture
def world(user, make_user) -> World:
    workspace = workspace_of(user)
    dan = make_user(name="Dan", email="dan@example.com")
    invitation = WorkspaceInvitation.objects.create(
        workspace=workspace, invited_by=user, email="dora@example.com"
    )
    database = Application.objects.filter(workspace=workspace).first()
    table = Table.objects.filter(database=database).order_by("id").first()
    return World(
        workspace_id=workspace.id,
        dan_membership_id=join(workspace, dan).id,
        invitation_id=invitation.id,
        database_id=database.id,
        table_id=table.id,
        field_id=Field.objects.filter(table=table, primary=True).get().id,
        view_id=View.objects.filter(table=table).order_by("id").first().id,
    )


# Each operation and a request that performs it (client, world) -> response.
Request = Callable[[object, World], object]
REQUESTS: dict[str, Request] = {
    operations.WORKSPACE_UPDATE: lambda c, w: c.patch(
        f"/api/workspaces/{w.workspace_id}/", {"name": "Renamed"}, format="json"
    ),
    operations.WORKSPACE_DELETE: lambda c, w: c.delete(f"/api/workspaces/{w.workspace_id}/"),
    operations.WORKSPACE_LIST_USERS: lambda c, w: c.get(
        f"/api/workspaces/users/workspace/{w.workspace_id}/"
    ),
    operations.WORKSPACE_USER_UPDATE: lambda c, w: c.patch(
        f"/api/workspaces/users/{w.dan_membership_id}/", {"permissions": "ADMIN"}, format="json"
    ),
    operations.WORKSPACE_USER_DELETE: lambda c, w: c.delete(
        f"/api/workspaces/users/{w.dan_membership_id}/"
    ),
    operations.WORKSPACE_LIST_INVITATIONS: lambda c, w: c.get(
        f"/api/workspaces/invitations/workspace/{w.workspace_id}/"
    ),
    operations.WORKSPACE_CREATE_INVITATION: lambda c, w: c.post(
        f"/api/workspaces/invitations/workspace/{w.workspace_id}/",
        {"email": "eve@example.com", "permissions": "MEMBER", "base_url": BASE_URL},
        format="json",
    ),
    operations.INVITATION_READ: lambda c, w: c.get(
        f"/api/workspaces/invitations/{w.invitation_id}/"
    ),
    operations.INVITATION_UPDATE: lambda c, w: c.patch(
        f"/api/workspaces/invitations/{w.invitation_id}/", {"permissions": "ADMIN"}, format="json"
    ),
    operations.INVITATION_DELETE: lambda c, w: c.delete(
        f"/api/workspaces/invitations/{w.invitation_id}/"
    ),
    "workspace.read": lambda c, w: c.get(f"/api/workspaces/{w.workspace_id}/permissions/"),
    "workspace.list_applications": lambda c, w: c.get(
        f"/api/applications/workspace/{w.workspace_id}/"
    ),
    "workspace.create_application": lambda c, w: c.post(
        f"/api/applications/workspace/{w.workspace_id}/",
        {"type": "database", "name": "More"},
        format="json",
    ),
    "workspace.order_applications": lambda c, w: c.post(
        f"/api/applications/workspace/{w.workspace_id}/order/",
        {"application_ids": [w.database_id]},
        format="json",
    ),
    "application.update": lambda c, w: c.patch(
        f"/api/applications/{w.database_id}/", {"name": "Renamed"}, format="json"
    ),
    "database.create_table": lambda c, w: c.post(
        f"/api/database/tables/database/{w.database_id}/", {"name": "New"}, format="json"
    ),
    "database.table.update": lambda c, w: c.patch(
        f"/api/database/tables/{w.table_id}/", {"name": "Renamed"}, format="json"
    ),
    "database.table.create_field": lambda c, w: c.post(
        f"/api/database/fields/table/{w.table_id}/", {"name": "New", "type": "text"}, format="json"
    ),
    "database.table.field.update": lambda c, w: c.patch(
        f"/api/database/fields/{w.field_id}/", {"name": "Renamed"}, format="json"
    ),
    "database.table.create_row": lambda c, w: c.post(
        f"/api/database/rows/table/{w.table_id}/", {}, format="json"
    ),
    "database.table.list_rows": lambda c, w: c.get(f"/api/database/rows/table/{w.table_id}/"),
    "database.table.create_view": lambda c, w: c.post(
        f"/api/database/views/table/{w.table_id}/", {"name": "New", "type": "grid"}, format="json"
    ),
    "database.table.view.create_filter": lambda c, w: c.post(
        f"/api/database/views/{w.view_id}/filters/",
        {"field": w.field_id, "type": "equal", "value": "x"},
        format="json",
    ),
    "database.table.view.create_sort": lambda c, w: c.post(
        f"/api/database/views/{w.view_id}/sortings/", {"field": w.field_id}, format="json"
    ),
}
REFUSED = "ERROR_USER_INVALID_GROUP_PERMISSIONS"


def test_every_admin_only_operation_is_checked_here():
    assert set(operations.ADMIN_ONLY) <= set(REQUESTS)


@pytest.mark.parametrize("role", [Role.ADMIN, Role.MEMBER])
@pytest.mark.parametrize("operation", list(REQUESTS))
def test_the_permission_objects_and_the_api_agree(client_for, user, world, role, operation):
    actor = user
    if role == Role.MEMBER:
        WorkspaceUser.objects.filter(user=user, workspace_id=world.workspace_id).update(
            permissions=Role.MEMBER
        )
        # A workspace keeps an admin: Dan.
        WorkspaceUser.objects.filter(id=world.dan_membership_id).update(permissions=Role.ADMIN)
    client = client_for(actor)
    objects = client.get(f"/api/workspaces/{world.workspace_id}/permissions/").json()
    allowed = frontend_allows(objects, operation, world.workspace_id)
    response = REQUESTS[operation](client, world)
    if allowed:
        assert response.status_code in (200, 204), (operation, response.content)
    else:
        assert response.status_code == 400, (operation, response.content)
        assert response.json()["error"] == REFUSED
    # What the objects say follows from the declarations alone.
    assert allowed == (role == Role.ADMIN or operation not in operations.ADMIN_ONLY)


@pytest.mark.parametrize("staff", [True, False])
@pytest.mark.parametrize("creation_allowed", [True, False])
def test_global_operations_agree(client_for, user, staff, creation_allowed):
    from core.models import InstanceSettings

    InstanceSettings.objects.update_or_create(
        id=1, defaults={"allow_global_workspace_creation": creation_allowed}
    )
    type(user).objects.filter(id=user.id).update(is_staff=staff)
    user.refresh_from_db()
    client = client_for(user)
    login = client.post(
        "/api/user/token-auth/",
        {"email": user.email, "password": "password123"},
        format="json",
    ).json()
    objects = login["permissions"]
    checks = {
        operations.CREATE_WORKSPACE: lambda: client.post(
            "/api/workspaces/", {"name": "Another"}, format="json"
        ),
        operations.SETTINGS_UPDATE: lambda: client.patch(
            "/api/settings/update/", {"show_admin_signup_page": True}, format="json"
        ),
        "list_workspaces": lambda: client.get("/api/workspaces/"),
    }
    for operation, perform in checks.items():
        allowed = staff_aware_allows(objects, operation, is_staff=staff)
        response = perform()
        assert (response.status_code == 200) == allowed, (operation, response.content)


def staff_aware_allows(objects: list[dict], operation: str, *, is_staff: bool) -> bool:
    """`frontend_allows` outside a workspace; the "setting_operation" manager also reads the
    user's `is_staff` from the frontend's store."""
    setting = next(o for o in objects if o["name"] == "setting_operation")["permissions"]
    if operation in setting["staff_only_operations"]:
        return is_staff
    return frontend_allows(objects, operation, None)
