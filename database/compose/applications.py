"""Applications with their tables: create a database with its first table, duplicate one."""

from django.db import transaction

from database.applications.models import Application, ApplicationType
from database.applications.selectors import application_get
from database.applications.services import application_create_unchecked
from database.compose.tables import (
    Progress,
    no_progress,
    table_create_unchecked,
    tables_copy_unchecked,
)
from database.tables.models import Table
from database.tables.services import unused_name
from jobs.dispatch import job_start
from jobs.models import Job
from users.models import User
from workspaces.permissions import require_member
from workspaces.selectors import workspace_get

APPLICATION_NAME_MAX_LENGTH = Application._meta.get_field("name").max_length
INITIAL_TABLE_NAME = "Table"


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
