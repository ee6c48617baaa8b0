"""Application rules: create, rename, trash, order and duplicate applications (databases)."""

from django.db import transaction
from django.db.models import Max

from database.applications.errors import ApplicationAlreadyTrashed, ApplicationNotInWorkspace
from database.applications.models import Application, ApplicationType
from database.applications.selectors import application_get
from database.tables.models import Table
from database.tables.services import (
    Progress,
    no_progress,
    table_create_unchecked,
    tables_copy_unchecked,
    unused_name,
)
from jobs.dispatch import job_start
from jobs.models import Job
from users.models import User
from workspaces.models import Workspace
from workspaces.permissions import require_member
from workspaces.selectors import workspace_get

APPLICATION_NAME_MAX_LENGTH = Application._meta.get_field("name").max_length
INITIAL_TABLE_NAME = "Table"


def _next_order(workspace: Workspace) -> int:
    highest = Application.objects_and_trash.filter(workspace=workspace).aggregate(
        highest=Max("order")
    )["highest"]
    return (highest or 0) + 1


def application_create_unchecked(
    *, workspace: Workspace, name: str, type: str = ApplicationType.DATABASE
) -> Application:
    """An application placed last in its workspace. The caller has passed the gate."""
    return Application.objects.create(
        workspace=workspace, name=name, type=type, order=_next_order(workspace)
    )


@transaction.atomic
def application_create(
    *,
    user: User,
    workspace_id: int,
    name: str,
    type: str = ApplicationType.DATABASE,
    init_with_data: bool = False,
) -> Application:
    """Create an application; a database made `init_with_data` gets a first table "Table"."""
    workspace = workspace_get(workspace_id=workspace_id)
    require_member(user=user, workspace=workspace)
    application = application_create_unchecked(workspace=workspace, name=name, type=type)
    if init_with_data and type == ApplicationType.DATABASE:
        table_create_unchecked(database=application, name=INITIAL_TABLE_NAME)
    return application


def application_update(*, user: User, application_id: int, name: str) -> Application:
    """Rename an application."""
    application = application_get(application_id=application_id)
    require_member(user=user, workspace=application.workspace)
    application.name = name
    application.save(update_fields=["name"])
    return application


def application_trash(*, user: User, application_id: int) -> None:
    """Move an application, with its tables, to the trash; from then on it behaves as gone."""
    application = application_get(application_id=application_id)
    require_member(user=user, workspace=application.workspace)
    # Conditional on "not trashed yet", so of two concurrent deletions only one succeeds.
    if not Application.objects.filter(id=application.id).update(trashed=True):
        raise ApplicationAlreadyTrashed()


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


@transaction.atomic
def application_duplicate(
    *, user: User, application_id: int, progress: Progress = no_progress
) -> Application:
    """Copy an application, named `<name> 2`, with copies of its tables, fields and rows.

    Links between its tables become links between the copies.
    """
    source = application_get(application_id=application_id)
    require_member(user=user, workspace=source.workspace)
    taken = Application.objects.filter(workspace=source.workspace).values_list("name", flat=True)
    name = unused_name(name=source.name, taken=taken, max_length=APPLICATION_NAME_MAX_LENGTH)
    copy = application_create_unchecked(workspace=source.workspace, name=name, type=source.type)
    tables = list(Table.objects.filter(database=source).order_by("order", "id"))
    names = [table.name for table in tables]
    tables_copy_unchecked(sources=tables, database=copy, names=names, progress=progress)
    return copy


def application_duplicate_async(*, user: User, application_id: int) -> Job:
    """Start a duplicate_application job; access is checked before it starts."""
    application = application_get(application_id=application_id)
    require_member(user=user, workspace=application.workspace)
    return job_start(
        user=user, type="duplicate_application", payload={"application_id": application.id}
    )
