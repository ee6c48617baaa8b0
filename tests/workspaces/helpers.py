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


def frontend_allows(objects: list[dict], operation: str, workspace_id: int | None) -> bool:
    """Whether Baserow's web frontend lets the user try `operation`, from the permission objects.

    The frontend asks each permission manager in turn; the first that answers (not None) decides,
    and no answer means "not allowed" (web-frontend/modules/core/permissionManagerTypes.js).
    """
    for manager in objects:
        name, permissions = manager["name"], manager["permissions"]
        answer = None
        if name == "core":
            answer = True if operation in permissions else None
        elif name == "staff":
            if operation in permissions["staff_only_operations"]:
                answer = permissions["is_staff"]
        elif name == "setting_operation":
            if operation in permissions["always_allowed_operations"]:
                answer = True
            elif operation in permissions["staff_only_operations"]:
                answer = False  # the tests' users are not staff unless they say so
        elif name == "allow_if_template":
            if workspace_id in permissions["workspace_template_ids"] and (
                operation in permissions["allowed_operations_on_templates"]
            ):
                answer = True
        elif name == "member":
            answer = permissions
        elif name == "basic":
            answer = (
                operation not in permissions["admin_only_operations"] or (permissions["is_admin"])
            )
        else:
            raise AssertionError(f"unknown permission manager {name}")
        if answer is not None:
            return answer
    return False
