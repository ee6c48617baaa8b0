"""Small helpers shared by the workspace tests."""

from users.models import User
from workspaces.models import Role, Workspace, WorkspaceUser


def workspace_of(user: User) -> Workspace:
    """The workspace signup made for the user."""
    return WorkspaceUser.objects.filter(user=user).order_by("id").first().workspace


def join(workspace: Workspace, user: User, permissions: str = Role.MEMBER) -> WorkspaceUser:
    """Make the user a member of the workspace, last in their order."""
    return WorkspaceUser.objects.create(
        workspace=workspace, user=user, permissions=permissions, order=99
    )


def error(response) -> str:
    """The contract error code of a response."""
    return response.json()["error"]
