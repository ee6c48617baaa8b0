"""The one gate to workspace data, and the operations each role may perform."""

from api.model_sql import table_name
from core import operations
from core.selectors import instance_settings
from users.models import User
from workspaces.errors import (
    UserInvalidWorkspacePermissions,
    UserNotInWorkspace,
    WorkspaceDoesNotExist,
)
from workspaces.models import Role, Workspace, WorkspaceUser


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


def require_member(
    *, user: User, workspace: Workspace, operation: str | None = None
) -> WorkspaceUser:
    """Return the user's membership of a live workspace, or raise in the contract's order.

    `operation` names what the user is about to do; one of `core.operations.ADMIN_ONLY` needs
    the ADMIN role, any other operation (or none named) only membership.
    """
    membership = (
        None
        if workspace.trashed
        else WorkspaceUser.objects.filter(workspace=workspace, user=user).first()
    )
    require_member_flag(workspace=workspace, is_member=membership is not None)
    if operation in operations.ADMIN_ONLY and membership.permissions != Role.ADMIN:
        raise UserInvalidWorkspacePermissions()
    membership.workspace = workspace
    return membership


def global_permission_objects(*, user: User) -> list[dict]:
    """What the user may do outside any workspace, one object per Baserow permission manager."""
    settings_row = instance_settings()
    always, staff_only = [], []
    for operation, setting in operations.SETTING_GATED.items():
        (always if getattr(settings_row, setting) else staff_only).append(operation)
    return [
        {"name": "core", "permissions": list(operations.ALWAYS_ALLOWED)},
        {
            "name": "setting_operation",
            "permissions": {
                "staff_only_operations": staff_only,
                "always_allowed_operations": always,
            },
        },
        {
            "name": "staff",
            "permissions": {
                "staff_only_operations": list(operations.STAFF_ONLY),
                "is_staff": user.is_staff,
            },
        },
        {
            "name": "allow_if_template",
            "permissions": {
                "allowed_operations_on_templates": list(operations.ALLOWED_ON_TEMPLATES),
                "workspace_template_ids": [],
            },
        },
    ]


def permission_objects(*, user: User, membership: WorkspaceUser | None = None) -> list[dict]:
    """The permission objects of the auth payload (no membership) or of one workspace."""
    objects = global_permission_objects(user=user)
    if membership is None:
        # Outside a workspace the "member" manager denies every workspace operation.
        return [*objects, {"name": "member", "permissions": False}]
    is_admin = membership.permissions == Role.ADMIN
    return [
        *objects,
        {
            "name": "basic",
            "permissions": {
                "admin_only_operations": list(operations.ADMIN_ONLY),
                "is_admin": is_admin,
            },
        },
    ]
