"""Reads of the trash, and its gate: members only, trashed workspaces included."""

from django.db.models import QuerySet

from core import operations
from database.applications.errors import ApplicationDoesNotExist, ApplicationNotInWorkspace
from database.applications.models import Application
from trash.models import TrashEntry
from users.models import User
from workspaces.errors import (
    UserInvalidWorkspacePermissions,
    UserNotInWorkspace,
    WorkspaceDoesNotExist,
)
from workspaces.models import Role, Workspace, WorkspaceUser


def trash_workspace_get(*, workspace_id: int) -> Workspace:
    """A workspace, trashed or not; else WorkspaceDoesNotExist."""
    workspace = Workspace.objects_and_trash.filter(id=workspace_id).first()
    if workspace is None:
        raise WorkspaceDoesNotExist()
    return workspace


def trash_application_get(*, workspace: Workspace, application_id: int) -> Application:
    """An application of the workspace, trashed or not."""
    application = Application.objects_and_trash.filter(id=application_id).first()
    if application is None:
        raise ApplicationDoesNotExist()
    if application.workspace_id != workspace.id:
        raise ApplicationNotInWorkspace(application_id)
    return application


def require_trash_member(
    *, user: User, workspace: Workspace, operation: str | None = None
) -> WorkspaceUser:
    """The user's membership of the workspace, which may be in the trash itself."""
    membership = WorkspaceUser.objects.filter(workspace=workspace, user=user).first()
    if membership is None:
        raise UserNotInWorkspace()
    if operation in operations.ADMIN_ONLY and membership.permissions != Role.ADMIN:
        raise UserInvalidWorkspacePermissions()
    return membership


def trash_structure(*, user: User) -> list[Workspace]:
    """The user's workspaces, trashed ones included, each with its applications."""
    workspaces = list(
        Workspace.objects_and_trash.filter(memberships__user=user).order_by("id").distinct()
    )
    applications: dict[int, list[Application]] = {}
    for application in Application.objects_and_trash.filter(
        workspace__in=[workspace.id for workspace in workspaces]
    ).order_by("order", "id"):
        applications.setdefault(application.workspace_id, []).append(application)
    for workspace in workspaces:
        workspace.trash_applications = applications.get(workspace.id, [])
    return workspaces


def trash_contents(
    *, user: User, workspace_id: int, application_id: int | None = None
) -> QuerySet[TrashEntry]:
    """What the workspace's trash holds, newest first; one application's with `application_id`."""
    workspace = trash_workspace_get(workspace_id=workspace_id)
    require_trash_member(user=user, workspace=workspace)
    entries = TrashEntry.objects.filter(workspace=workspace, should_be_permanently_deleted=False)
    if application_id is not None:
        application = trash_application_get(workspace=workspace, application_id=application_id)
        entries = entries.filter(application=application)
    return entries.select_related("user_who_trashed").order_by("-trashed_at", "-id")
