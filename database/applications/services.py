"""Application rules: create, rename, trash and order applications (databases)."""

from django.db import transaction
from django.db.models import Max

from database.applications.errors import ApplicationAlreadyTrashed, ApplicationNotInWorkspace
from database.applications.models import Application, ApplicationType
from database.applications.selectors import application_get
from events import announce
from events.signals import item_trashed
from users.models import User
from workspaces.models import Workspace
from workspaces.permissions import require_member
from workspaces.selectors import workspace_get


def _next_order(workspace: Workspace) -> int:
    highest = Application.objects_and_trash.filter(workspace=workspace).aggregate(
        highest=Max("order")
    )["highest"]
    return (highest or 0) + 1


def application_create_unchecked(
    *, workspace: Workspace, name: str, type: str = ApplicationType.DATABASE
) -> Application:
    """An application placed last in its workspace. The caller has passed the gate."""
    application = Application.objects.create(
        workspace=workspace, name=name, type=type, order=_next_order(workspace)
    )
    announce("application_created", workspace_id=workspace.id, application=application)
    return application


def application_update(*, user: User, application_id: int, name: str) -> Application:
    """Rename an application."""
    application = application_get(application_id=application_id)
    require_member(user=user, workspace=application.workspace)
    application.name = name
    application.save(update_fields=["name"])
    announce(
        "application_updated",
        workspace_id=application.workspace_id,
        user=user,
        application=application,
    )
    return application


@transaction.atomic
def application_trash(*, user: User, application_id: int) -> None:
    """Move an application, with its tables, to the trash; from then on it behaves as gone."""
    application = application_get(application_id=application_id)
    require_member(user=user, workspace=application.workspace)
    # Conditional on "not trashed yet", so of two concurrent deletions only one succeeds.
    if not Application.objects.filter(id=application.id).update(trashed=True):
        raise ApplicationAlreadyTrashed()
    item_trashed.send(
        sender=Application,
        trash_item_type="application",
        item=application,
        user=user,
        workspace_id=application.workspace_id,
        application_id=application.id,
        name=application.name,
    )
    announce(
        "application_deleted",
        workspace_id=application.workspace_id,
        user=user,
        application_id=application.id,
    )


@transaction.atomic
def applications_order(*, user: User, workspace_id: int, application_ids: list[int]) -> None:
    """Give the workspace's applications the listed positions (1..n)."""
    workspace = workspace_get(workspace_id=workspace_id)
    require_member(user=user, workspace=workspace)
    applications = {app.id: app for app in Application.objects.filter(workspace=workspace)}
    for application_id in application_ids:
        if application_id not in applications:
            raise ApplicationNotInWorkspace(application_id)
    for position, application_id in enumerate(application_ids, start=1):
        applications[application_id].order = position
    Application.objects.bulk_update(
        [applications[application_id] for application_id in application_ids], ["order"]
    )
    announce(
        "applications_reordered",
        workspace_id=workspace.id,
        user=user,
        order=application_ids,
    )
