"""The one gate to workspace data, and the operations each role may perform."""

from api.model_sql import table_name
from users.models import User
from workspaces.errors import (
    UserInvalidWorkspacePermissions,
    UserNotInWorkspace,
    WorkspaceDoesNotExist,
)
from workspaces.models import Role, Workspace, WorkspaceUser

# Reported by GET /api/workspaces/{id}/permissions/ under the "core" manager, as Baserow does.
MEMBER_OPERATIONS = (
    "workspace.read",
    "workspace.leave",
    "workspace.list_applications",
    "workspace.create_application",
    "workspace.order_applications",
)
ADMIN_ONLY_OPERATIONS = (
    "workspace.update",
    "workspace.delete",
    "workspace.list_workspace_users",
    "workspace_user.update",
    "workspace_user.delete",
    "workspace.list_invitations",
    "workspace.create_invitation",
    "invitation.read",
    "invitation.update",
    "invitation.delete",
)


def is_member_sql(workspace_column: str) -> str:
    """SQL: whether the user whose id is the one parameter belongs to the workspace whose id is
    in `workspace_column`, for reading an object and its gate in one query (see
    `require_member_flag`)."""
    return (
        f"EXISTS (SELECT 1 FROM {table_name(WorkspaceUser)} m"
        f" WHERE m.workspace_id = {workspace_column} AND m.user_id = %s)"
    )


def require_member_flag(*, workspace: Workspace, is_member: bool) -> None:
    """`require_member` for an object read with `is_member_sql`: the same errors, in its order."""
    if workspace.trashed:
        raise WorkspaceDoesNotExist()
    if not is_member:
        raise UserNotInWorkspace()


def require_member(*, user: User, workspace: Workspace, admin: bool = False) -> WorkspaceUser:
    """Return the user's membership of a live workspace, or raise in the contract's order."""
    membership = (
        None
        if workspace.trashed
        else WorkspaceUser.objects.filter(workspace=workspace, user=user).first()
    )
    require_member_flag(workspace=workspace, is_member=membership is not None)
    if admin and membership.permissions != Role.ADMIN:
        raise UserInvalidWorkspacePermissions()
    membership.workspace = workspace
    return membership


def operations_for(*, membership: WorkspaceUser) -> list[str]:
    """The operation names the member's role allows."""
    if membership.permissions == Role.ADMIN:
        return [*MEMBER_OPERATIONS, *ADMIN_ONLY_OPERATIONS]
    return list(MEMBER_OPERATIONS)
